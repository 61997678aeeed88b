//! What calendars say about time: the busy periods of a mailbox over a window, for free/busy answers
//! (Graph `getSchedule`).

use ews_types::items::{Item, LegacyFreeBusyStatus};
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

/// The periods of `mailbox`'s calendar that overlap `start..end` and are not free or cancelled, in
/// start order.
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
            Item::CalendarItem(c) => {
                let (s, e) = (c.start?, c.end.or(c.start)?);
                let status = c
                    .legacy_free_busy_status
                    .clone()
                    .unwrap_or(LegacyFreeBusyStatus::Busy);
                let busy = s < end
                    && e > start
                    && c.is_cancelled != Some(true)
                    && !matches!(
                        status,
                        LegacyFreeBusyStatus::Free | LegacyFreeBusyStatus::NoData
                    );
                busy.then(|| BusyPeriod {
                    start: s,
                    end: e,
                    status,
                    subject: c.item.subject.clone(),
                    location: c.location.clone(),
                })
            }
            _ => None,
        })
        .collect();
    periods.sort_by_key(|p| p.start);
    periods
}
