//! GetUserAvailability: each attendee's free/busy computed from their calendar over the window, in the
//! request's time zone: events (with details for `Detailed` views) and the merged slot string.

use ews_types::availability::{
    CalendarEvent, CalendarEventDetails, FreeBusyView, FreeBusyViewType, LocalDateTime,
    SerializableTimeZone,
};
use ews_types::items::LegacyFreeBusyStatus;
use ews_types::operations::{
    FreeBusyResponse, GetUserAvailability, GetUserAvailabilityResponse, SingleResponseMessage,
};
use ews_types::response::ResponseCode;
use jiff::Timestamp;

use super::Ews;
use crate::store::calendar::busy_periods;

fn digit(status: &LegacyFreeBusyStatus) -> char {
    match status {
        LegacyFreeBusyStatus::Free => '0',
        LegacyFreeBusyStatus::Tentative => '1',
        LegacyFreeBusyStatus::Oof => '3',
        LegacyFreeBusyStatus::WorkingElsewhere => '4',
        LegacyFreeBusyStatus::NoData => '5',
        _ => '2',
    }
}

fn local(zone: &SerializableTimeZone, at: Timestamp) -> Option<LocalDateTime> {
    zone.to_local(at).ok().map(LocalDateTime::from)
}

pub(crate) fn run(ews: &Ews<'_>, op: &GetUserAvailability) -> GetUserAvailabilityResponse {
    let zone = op
        .time_zone
        .clone()
        .unwrap_or_else(SerializableTimeZone::utc);
    let Some(options) = &op.free_busy_view_options else {
        return GetUserAvailabilityResponse::default();
    };
    let window = (
        options.time_window.start_time.to_timestamp(&zone),
        options.time_window.end_time.to_timestamp(&zone),
    );
    let view_type = options.requested_view.clone().unwrap_or_default();
    let interval = i64::from(
        options
            .merged_free_busy_interval_in_minutes
            .unwrap_or(30)
            .clamp(5, 1440),
    );
    let detailed = matches!(
        view_type,
        FreeBusyViewType::Detailed | FreeBusyViewType::DetailedMerged
    );
    let merged = matches!(
        view_type,
        FreeBusyViewType::MergedOnly
            | FreeBusyViewType::FreeBusyMerged
            | FreeBusyViewType::DetailedMerged
    );
    let responses = op
        .mailbox_data
        .iter()
        .map(|attendee| {
            let mailbox = ews
                .store
                .lookup(&attendee.email.address)
                .and_then(|no| ews.store.mailbox(no));
            let (Some(mailbox), (Ok(start), Ok(end))) = (mailbox, &window) else {
                return FreeBusyResponse {
                    response_message: Some(SingleResponseMessage::error(
                        ResponseCode::ErrorMailRecipientNotFound,
                        "The mailbox was not found, or the time window cannot be read.",
                    )),
                    free_busy_view: None,
                };
            };
            let periods = busy_periods(mailbox, *start, *end);
            let events = (view_type != FreeBusyViewType::MergedOnly).then(|| {
                periods
                    .iter()
                    .filter_map(|p| {
                        Some(CalendarEvent {
                            start_time: local(&zone, p.start)?,
                            end_time: local(&zone, p.end)?,
                            busy_type: p.status.clone(),
                            calendar_event_details: detailed.then(|| CalendarEventDetails {
                                subject: p.subject.clone(),
                                location: p.location.clone(),
                                ..CalendarEventDetails::default()
                            }),
                        })
                    })
                    .collect()
            });
            let merged_string = merged.then(|| {
                let step = jiff::SignedDuration::from_mins(interval);
                let mut out = String::new();
                let mut at = *start;
                while at < *end {
                    let next = at.checked_add(step).unwrap_or(*end);
                    let slot = periods
                        .iter()
                        .filter(|p| p.start < next && p.end > at)
                        .map(|p| digit(&p.status))
                        .max()
                        .unwrap_or('0');
                    out.push(slot);
                    at = next;
                }
                out
            });
            FreeBusyResponse {
                response_message: Some(SingleResponseMessage::success(Default::default())),
                free_busy_view: Some(FreeBusyView {
                    free_busy_view_type: view_type.clone(),
                    merged_free_busy: merged_string,
                    calendar_events: events,
                    working_hours: None,
                }),
            }
        })
        .collect();
    GetUserAvailabilityResponse {
        free_busy_responses: Some(responses),
        suggestions_response: None,
    }
}
