//! What calendars say about time: the busy periods of a mailbox over a window, for free/busy answers
//! (Graph `getSchedule`).

use ews_types::items::{CalendarItem, Item, LegacyFreeBusyStatus};
use ews_types::types::DistinguishedFolderName;
use jiff::Timestamp;

use super::Mailbox;

/// One period a calendar item occupies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BusyPeriod {
    pub(crate) start: Timestamp,
    pub(crate) end: Timestamp,
    pub(crate) status: LegacyFreeBusyStatus,
    pub(crate) subject: Option<String>,
    pub(crate) location: Option<String>,
}

/// The instants a calendar item occupies within `start..end`: the item itself, or the occurrences of a
/// recurring series (expanded in its start zone, UTC when it names none; deleted occurrences skipped,
/// modified ones moved).
fn spans(c: &CalendarItem, start: Timestamp, end: Timestamp) -> Vec<(Timestamp, Timestamp)> {
    let (Some(s), Some(e)) = (c.start, c.end.or(c.start)) else {
        return Vec::new();
    };
    if c.recurrence.is_none() {
        return vec![(s, e)];
    }
    super::occurrences::expand(c, Some(start), Some(end), 1000)
        .map(|list| list.into_iter().map(|o| (o.start, o.end)).collect())
        .unwrap_or_else(|_| vec![(s, e)])
}

/// The periods of `mailbox`'s calendar that overlap `start..end` and are not free or cancelled, in
/// start order. Recurring series count with each occurrence.
pub(crate) fn busy_periods(mailbox: &Mailbox, start: Timestamp, end: Timestamp) -> Vec<BusyPeriod> {
    let Ok(calendar) = mailbox.distinguished(&DistinguishedFolderName::Calendar) else {
        return Vec::new();
    };
    let Ok(folder) = mailbox.folder(calendar) else {
        return Vec::new();
    };
    let mut periods: Vec<BusyPeriod> = folder
        .items
        .iter()
        .filter_map(|k| mailbox.items.get(k))
        .filter_map(|stored| match &stored.item {
            Item::CalendarItem(c) => Some(c),
            _ => None,
        })
        .filter(|c| c.is_cancelled != Some(true))
        .flat_map(|c| {
            let status = c
                .legacy_free_busy_status
                .clone()
                .unwrap_or(LegacyFreeBusyStatus::Busy);
            let busy = !matches!(
                status,
                LegacyFreeBusyStatus::Free | LegacyFreeBusyStatus::NoData
            );
            spans(c, start, end)
                .into_iter()
                .filter(move |(s, e)| busy && *s < end && *e > start)
                .map(move |(s, e)| BusyPeriod {
                    start: s,
                    end: e,
                    status: status.clone(),
                    subject: c.item.subject.clone(),
                    location: c.location.clone(),
                })
        })
        .collect();
    periods.sort_by_key(|p| p.start);
    periods
}
