//! GetUserAvailability: the free/busy schedules of up to 100 attendees over a window, and optionally
//! suggested meeting times.
//!
//! All times are wall-clock times in the request's [`SerializableTimeZone`] (see
//! [`crate::availability`]). The response is not a `ResponseMessages` list: each attendee has its own
//! `FreeBusyResponse` (with its own `ResponseMessage`), in the order of the request's `MailboxDataArray`;
//! [`GetUserAvailabilityResponse::attendees`] pairs them back up.
//!
//! ```
//! use ews_types::availability::{FreeBusyViewType, MailboxData, SerializableTimeZone, TimeWindow};
//! use ews_types::operations::{GetUserAvailability, GetUserAvailabilityResponse};
//! use ews_types::soap::parse_response;
//! use jiff::civil::date;
//!
//! let zone = SerializableTimeZone::from_time_zone(&jiff::tz::TimeZone::get("Europe/London").unwrap(), 2026).unwrap();
//! let day = date(2026, 12, 2);
//! let request = GetUserAvailability::free_busy(
//!     zone,
//!     [MailboxData::required("dana@fabrikam.example")],
//!     TimeWindow::new(day.at(0, 0, 0, 0), day.at(23, 59, 59, 0)),
//!     FreeBusyViewType::FreeBusyMerged,
//! );
//! let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
//! assert!(xml.contains("<t:StartTime>2026-12-02T00:00:00</t:StartTime>"));
//!
//! let answer = br#"<GetUserAvailabilityResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
//!   <FreeBusyResponseArray><FreeBusyResponse>
//!     <ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>
//!     <FreeBusyView><FreeBusyViewType xmlns="http://schemas.microsoft.com/exchange/services/2006/types">FreeBusyMerged</FreeBusyViewType>
//!       <MergedFreeBusy xmlns="http://schemas.microsoft.com/exchange/services/2006/types">000000000000000000222200000000000000000000000000</MergedFreeBusy>
//!     </FreeBusyView>
//!   </FreeBusyResponse></FreeBusyResponseArray>
//! </GetUserAvailabilityResponse>"#;
//! let response = parse_response::<GetUserAvailabilityResponse>(answer).unwrap().body;
//! let dana = &response.attendees(&request).unwrap()[0];
//! let schedule = dana.schedule.as_ref().unwrap();
//! let busy: Vec<_> = schedule.merged.iter().filter(|b| b.status.as_str() == "Busy").collect();
//! assert_eq!(busy[0].start.to_string(), "2026-12-02T09:00:00");
//! assert_eq!(busy[0].end.to_string(), "2026-12-02T11:00:00");
//! ```

use crate::availability::{
    FreeBusyBlock, FreeBusyView, FreeBusyViewOptions, FreeBusyViewType, MailboxAddress,
    MailboxData, SerializableTimeZone, SuggestionDayResult, SuggestionsViewOptions, TimeWindow,
    WorkingHours,
};
use crate::error::{Error, Result};
use crate::response::{ResponseClass, ResponseError, WriteOpt};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter};

use super::single_message::SingleResponseMessage;
use super::{Operation, OperationResponse};

/// The most attendees one request may ask about.
pub const MAX_AVAILABILITY_MAILBOXES: usize = 100;

/// The merged slot length Exchange uses when a request names none.
pub const DEFAULT_MERGED_INTERVAL_MINUTES: i32 = 30;

/// GetUserAvailability request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetUserAvailability {
    /// The zone all times are in. Exchange 2007 requires it; later versions fall back to the
    /// `TimeZoneContext` header.
    pub time_zone: Option<SerializableTimeZone>,
    /// The attendees (1 to 100); each gets one `FreeBusyResponse`, in this order.
    pub mailbox_data: Vec<MailboxData>,
    /// The free/busy query; at least one of this and the suggestions query is needed.
    pub free_busy_view_options: Option<FreeBusyViewOptions>,
    /// The suggestions query.
    pub suggestions_view_options: Option<SuggestionsViewOptions>,
}

impl GetUserAvailability {
    /// The free/busy `view` of `attendees` over `window`, in `zone`, with 30-minute merged slots.
    pub fn free_busy(
        zone: SerializableTimeZone,
        attendees: impl IntoIterator<Item = MailboxData>,
        window: TimeWindow,
        view: FreeBusyViewType,
    ) -> Self {
        GetUserAvailability {
            time_zone: Some(zone),
            mailbox_data: attendees.into_iter().collect(),
            free_busy_view_options: Some(FreeBusyViewOptions::new(
                window,
                view,
                DEFAULT_MERGED_INTERVAL_MINUTES,
            )),
            suggestions_view_options: None,
        }
    }

    /// The same request, also asking for meeting suggestions.
    pub fn with_suggestions(mut self, options: SuggestionsViewOptions) -> Self {
        self.suggestions_view_options = Some(options);
        self
    }
}

/// Writes `wrapper` holding one `child` element per value.
fn write_list<T: XmlElement>(w: &mut XmlWriter, wrapper: &str, child: &str, values: &[T]) {
    w.open(wrapper).close();
    for value in values {
        value.write_element(w, child);
    }
    w.end(wrapper);
}

/// Reads every `child` (in namespace `ns`) of the wrapper element `start`, skipping anything else.
fn read_list<'a, T: XmlElement>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    ns: Ns,
    child: &str,
) -> Result<Vec<T>> {
    let mut values = Vec::new();
    r.children(start, |r, each| {
        if each.ns() != ns || each.local_name() != child {
            return Ok(false);
        }
        values.push(T::read_element(r, each)?);
        Ok(true)
    })?;
    Ok(values)
}

impl XmlElement for GetUserAvailability {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.time_zone.write_opt(w, "t:TimeZone");
        write_list(w, "m:MailboxDataArray", "t:MailboxData", &self.mailbox_data);
        self.free_busy_view_options
            .write_opt(w, "t:FreeBusyViewOptions");
        self.suggestions_view_options
            .write_opt(w, "t:SuggestionsViewOptions");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut request = GetUserAvailability::default();
        r.children(start, |r, child| {
            match (child.ns(), child.local_name()) {
                (Ns::Types, "TimeZone") => {
                    request.time_zone = Some(SerializableTimeZone::read_element(r, child)?);
                }
                (Ns::Messages, "MailboxDataArray") => {
                    r.children(child, |r, data| {
                        if data.ns() != Ns::Types || data.local_name() != "MailboxData" {
                            return Ok(false);
                        }
                        request
                            .mailbox_data
                            .push(MailboxData::read_element(r, data)?);
                        Ok(true)
                    })?;
                }
                (Ns::Types, "FreeBusyViewOptions") => {
                    request.free_busy_view_options =
                        Some(FreeBusyViewOptions::read_element(r, child)?);
                }
                (Ns::Types, "SuggestionsViewOptions") => {
                    request.suggestions_view_options =
                        Some(SuggestionsViewOptions::read_element(r, child)?);
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(request)
    }
}

impl Operation for GetUserAvailability {
    const NAME: &'static str = "GetUserAvailabilityRequest";
    type Response = GetUserAvailabilityResponse;

    fn validate(&self) -> Result<()> {
        let refuse =
            |why: String| Err(Error::InvalidRequest(format!("GetUserAvailability: {why}")));
        if self.mailbox_data.is_empty() || self.mailbox_data.len() > MAX_AVAILABILITY_MAILBOXES {
            return refuse(format!(
                "MailboxDataArray needs 1 to {MAX_AVAILABILITY_MAILBOXES} attendees, not {}",
                self.mailbox_data.len()
            ));
        }
        if self.free_busy_view_options.is_none() && self.suggestions_view_options.is_none() {
            return refuse("ask for FreeBusyViewOptions, SuggestionsViewOptions or both".into());
        }
        if let Some(options) = &self.free_busy_view_options {
            options.time_window.check("TimeWindow")?;
            if let Some(interval) = options.merged_free_busy_interval_in_minutes
                && !(5..=1440).contains(&interval)
            {
                return refuse(format!(
                    "MergedFreeBusyIntervalInMinutes must be 5 to 1440, not {interval}"
                ));
            }
        }
        if let Some(options) = &self.suggestions_view_options {
            options
                .detailed_suggestions_window
                .check("DetailedSuggestionsWindow")?;
        }
        Ok(())
    }
}

/// One attendee's result: its own response message and, on success, its free/busy view.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FreeBusyResponse {
    /// Success or the error for this attendee (for example `ErrorMailRecipientNotFound`).
    pub response_message: Option<SingleResponseMessage>,
    /// The attendee's free/busy data.
    pub free_busy_view: Option<FreeBusyView>,
}

impl FreeBusyResponse {
    /// The class of this attendee's message (Success when the server left the message out).
    pub fn class(&self) -> ResponseClass {
        self.response_message
            .as_ref()
            .map_or(ResponseClass::Success, SingleResponseMessage::class)
    }
}

/// The meeting suggestions, with their own response message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SuggestionsResponse {
    /// Success or why no suggestions could be computed.
    pub response_message: Option<SingleResponseMessage>,
    /// The suggestions, per day.
    pub suggestion_day_results: Option<Vec<SuggestionDayResult>>,
}

/// Reads the `ResponseMessage` of a `FreeBusyResponse` or `SuggestionsResponse` and hands every other
/// child to `other`.
fn read_with_message<'a>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    message: &mut Option<SingleResponseMessage>,
    mut other: impl FnMut(&mut XmlReader<'a>, &Start<'a>) -> Result<bool>,
) -> Result<()> {
    r.children(start, |r, child| {
        if child.ns() != Ns::Messages {
            return Ok(false);
        }
        if child.local_name() == "ResponseMessage" {
            *message = Some(SingleResponseMessage::read(r, child)?);
            return Ok(true);
        }
        other(r, child)
    })
}

impl XmlElement for FreeBusyResponse {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        if let Some(message) = &self.response_message {
            message.write(w);
        }
        self.free_busy_view.write_opt(w, "m:FreeBusyView");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut response = FreeBusyResponse::default();
        let mut view = None;
        read_with_message(r, start, &mut response.response_message, |r, child| {
            if child.local_name() != "FreeBusyView" {
                return Ok(false);
            }
            view = Some(FreeBusyView::read_element(r, child)?);
            Ok(true)
        })?;
        response.free_busy_view = view;
        Ok(response)
    }
}

impl XmlElement for SuggestionsResponse {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        if let Some(message) = &self.response_message {
            message.write(w);
        }
        if let Some(days) = &self.suggestion_day_results {
            write_list(
                w,
                "m:SuggestionDayResultArray",
                "t:SuggestionDayResult",
                days,
            );
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut response = SuggestionsResponse::default();
        let mut days = None;
        read_with_message(r, start, &mut response.response_message, |r, child| {
            if child.local_name() != "SuggestionDayResultArray" {
                return Ok(false);
            }
            days = Some(read_list(r, child, Ns::Types, "SuggestionDayResult")?);
            Ok(true)
        })?;
        response.suggestion_day_results = days;
        Ok(response)
    }
}

/// The GetUserAvailability response: one `FreeBusyResponse` per attendee, and the suggestions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetUserAvailabilityResponse {
    /// One result per attendee, in the order of the request's `MailboxDataArray`.
    pub free_busy_responses: Option<Vec<FreeBusyResponse>>,
    /// The suggestions, when the request asked for them.
    pub suggestions_response: Option<SuggestionsResponse>,
}

/// One attendee's schedule, ready to use.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeSchedule {
    /// The events, in start order (empty for `MergedOnly` views).
    pub events: Vec<FreeBusyBlock>,
    /// The merged slot string as blocks of equal status (empty unless a merged view was returned).
    pub merged: Vec<FreeBusyBlock>,
    /// The attendee's working hours, in their own zone.
    pub working_hours: Option<WorkingHours>,
}

/// One attendee of the request with its result.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendeeAvailability {
    /// The attendee's address from the request (`None` for a result beyond the request's attendees).
    pub mailbox: Option<MailboxAddress>,
    /// The schedule, or this attendee's error.
    pub schedule: std::result::Result<AttendeeSchedule, ResponseError>,
}

impl GetUserAvailabilityResponse {
    /// Pairs each attendee of `request` with its result and decodes it: events as blocks, the merged
    /// string as blocks (using the request's window start and interval, 30 minutes when it named none)
    /// and the working hours.
    pub fn attendees(&self, request: &GetUserAvailability) -> Result<Vec<AttendeeAvailability>> {
        let options = request.free_busy_view_options.as_ref();
        let interval = options
            .and_then(|o| o.merged_free_busy_interval_in_minutes)
            .unwrap_or(DEFAULT_MERGED_INTERVAL_MINUTES);
        let mut attendees = Vec::new();
        for (index, response) in self.free_busy_responses.iter().flatten().enumerate() {
            let mailbox = request.mailbox_data.get(index).map(|m| m.email.clone());
            if let Some(error) = response
                .response_message
                .as_ref()
                .and_then(SingleResponseMessage::error_value)
            {
                attendees.push(AttendeeAvailability {
                    mailbox,
                    schedule: Err(error),
                });
                continue;
            }
            let view = response.free_busy_view.clone().unwrap_or_default();
            let merged = match (options, &view.merged_free_busy) {
                (Some(options), Some(_)) => {
                    view.merged_blocks(options.time_window.start_time, interval)?
                }
                _ => Vec::new(),
            };
            attendees.push(AttendeeAvailability {
                mailbox,
                schedule: Ok(AttendeeSchedule {
                    events: view.event_blocks(),
                    merged,
                    working_hours: view.working_hours,
                }),
            });
        }
        Ok(attendees)
    }
}

impl XmlElement for GetUserAvailabilityResponse {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        if let Some(responses) = &self.free_busy_responses {
            write_list(
                w,
                "m:FreeBusyResponseArray",
                "m:FreeBusyResponse",
                responses,
            );
        }
        self.suggestions_response
            .write_opt(w, "m:SuggestionsResponse");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut response = GetUserAvailabilityResponse::default();
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages {
                return Ok(false);
            }
            match child.local_name() {
                "FreeBusyResponseArray" => {
                    response.free_busy_responses =
                        Some(read_list(r, child, Ns::Messages, "FreeBusyResponse")?);
                }
                "SuggestionsResponse" => {
                    response.suggestions_response =
                        Some(SuggestionsResponse::read_element(r, child)?);
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(response)
    }
}

impl OperationResponse for GetUserAvailabilityResponse {
    const NAME: &'static str = "GetUserAvailabilityResponse";

    /// One class per attendee, then the suggestions' class when there is a suggestions response.
    fn classes(&self) -> Vec<ResponseClass> {
        let mut classes: Vec<ResponseClass> = self
            .free_busy_responses
            .iter()
            .flatten()
            .map(FreeBusyResponse::class)
            .collect();
        if let Some(suggestions) = &self.suggestions_response {
            classes.push(
                suggestions
                    .response_message
                    .as_ref()
                    .map_or(ResponseClass::Success, SingleResponseMessage::class),
            );
        }
        classes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::{DayOfWeek, SerializableTimeZoneTime};
    use crate::response::ResponseCode;
    use crate::soap::parse_response;
    use jiff::civil::date;

    /// Pacific time as Exchange 2007's documentation samples send it.
    fn pacific() -> SerializableTimeZone {
        let rule = |bias, day_order, month| SerializableTimeZoneTime {
            bias,
            time: "02:00:00".into(),
            day_order,
            month,
            day_of_week: DayOfWeek::Sunday,
            year: None,
        };
        SerializableTimeZone {
            bias: 480,
            standard_time: rule(0, 1, 11),
            daylight_time: rule(-60, 2, 3),
        }
    }

    const ANSWER: &[u8] = br#"<GetUserAvailabilityResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
        xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
      <FreeBusyResponseArray>
        <FreeBusyResponse>
          <ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>
          <FreeBusyView>
            <t:FreeBusyViewType>Detailed</t:FreeBusyViewType>
            <t:CalendarEventArray>
              <t:CalendarEvent><t:StartTime>2026-07-01T11:00:00</t:StartTime>
                <t:EndTime>2026-07-01T12:00:00</t:EndTime><t:BusyType>Busy</t:BusyType>
                <t:CalendarEventDetails><t:Subject>Renewal call</t:Subject><t:IsMeeting>true</t:IsMeeting>
                  <t:IsRecurring>false</t:IsRecurring><t:IsException>false</t:IsException>
                  <t:IsReminderSet>true</t:IsReminderSet><t:IsPrivate>false</t:IsPrivate></t:CalendarEventDetails>
              </t:CalendarEvent>
              <t:CalendarEvent><t:StartTime>2026-07-01T08:00:00-07:00</t:StartTime>
                <t:EndTime>2026-07-01T08:30:00-07:00</t:EndTime><t:BusyType>Tentative</t:BusyType></t:CalendarEvent>
            </t:CalendarEventArray>
          </FreeBusyView>
        </FreeBusyResponse>
        <FreeBusyResponse>
          <ResponseMessage ResponseClass="Error">
            <MessageText>Unable to resolve e-mail address nobody@contoso.example to an Active Directory object.</MessageText>
            <ResponseCode>ErrorMailRecipientNotFound</ResponseCode>
            <DescriptiveLinkKey>0</DescriptiveLinkKey>
          </ResponseMessage>
          <FreeBusyView><t:FreeBusyViewType>None</t:FreeBusyViewType></FreeBusyView>
        </FreeBusyResponse>
      </FreeBusyResponseArray>
    </GetUserAvailabilityResponse>"#;

    fn request() -> GetUserAvailability {
        let day = date(2026, 7, 1);
        GetUserAvailability::free_busy(
            pacific(),
            [
                MailboxData::required("dana@contoso.example"),
                MailboxData::required("nobody@contoso.example"),
            ],
            TimeWindow::new(day.at(0, 0, 0, 0), day.at(23, 59, 59, 0)),
            FreeBusyViewType::Detailed,
        )
    }

    #[test]
    fn each_attendee_gets_its_own_result_in_request_order() {
        let request = request();
        let response = parse_response::<GetUserAvailabilityResponse>(ANSWER)
            .unwrap()
            .body;
        assert_eq!(
            response.classes(),
            vec![ResponseClass::Success, ResponseClass::Error]
        );
        let attendees = response.attendees(&request).unwrap();
        assert_eq!(attendees.len(), 2);
        assert_eq!(
            attendees[1].mailbox.as_ref().unwrap().address,
            "nobody@contoso.example"
        );
        let error = attendees[1].schedule.as_ref().unwrap_err();
        assert_eq!(error.code, Some(ResponseCode::ErrorMailRecipientNotFound));

        let dana = attendees[0].schedule.as_ref().unwrap();
        assert!(dana.merged.is_empty());
        // Sorted by start; the offset the server wrote is kept and wins over the zone.
        let zone = &request.time_zone.unwrap();
        let instants: Vec<String> = dana
            .events
            .iter()
            .map(|block| {
                let (start, end) = block.instants(zone).unwrap();
                format!("{start} {end} {}", block.status)
            })
            .collect();
        assert_eq!(
            instants,
            [
                "2026-07-01T15:00:00Z 2026-07-01T15:30:00Z Tentative",
                "2026-07-01T18:00:00Z 2026-07-01T19:00:00Z Busy",
            ]
        );
        let details = dana.events[1].details.as_ref().unwrap();
        assert_eq!(details.subject.as_deref(), Some("Renewal call"));
    }

    #[test]
    fn requests_the_server_would_refuse_are_refused_before_sending() {
        assert!(request().validate().is_ok());
        let nobody = GetUserAvailability {
            mailbox_data: Vec::new(),
            ..request()
        };
        assert!(nobody.validate().is_err());
        let too_many = GetUserAvailability {
            mailbox_data: vec![MailboxData::required("a@contoso.example"); 101],
            ..request()
        };
        assert!(too_many.validate().is_err());
        let mut tiny_slots = request();
        if let Some(options) = tiny_slots.free_busy_view_options.as_mut() {
            options.merged_free_busy_interval_in_minutes = Some(1);
        }
        assert!(tiny_slots.validate().is_err());
        let mut reversed = request();
        if let Some(options) = reversed.free_busy_view_options.as_mut() {
            std::mem::swap(
                &mut options.time_window.start_time,
                &mut options.time_window.end_time,
            );
        }
        assert!(reversed.validate().is_err());
        let nothing_asked = GetUserAvailability {
            free_busy_view_options: None,
            ..request()
        };
        assert!(nothing_asked.validate().is_err());
    }
}
