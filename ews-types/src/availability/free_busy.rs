//! Free/busy: who to ask about ([`MailboxData`]), what to ask for ([`FreeBusyViewOptions`]) and what
//! comes back for each attendee ([`FreeBusyView`]: events, the merged slot string, working hours).

use jiff::civil::DateTime;

use crate::error::{Error, Result};
use crate::items::LegacyFreeBusyStatus;
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};

use super::{DayOfWeek, LocalDateTime, MailboxAddress, SerializableTimeZone, TimeWindow};

open_enum! {
    /// The part an attendee plays in the meeting being planned.
    pub enum MeetingAttendeeType {
        /// The organizer.
        Organizer = "Organizer",
        /// A required attendee.
        Required = "Required",
        /// An optional attendee.
        Optional = "Optional",
        /// A room.
        Room = "Room",
        /// Another resource (equipment).
        Resource = "Resource",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for MeetingAttendeeType {
    fn default() -> Self {
        MeetingAttendeeType::Required
    }
}

open_enum! {
    /// Which free/busy data to return.
    pub enum FreeBusyViewType {
        /// Nothing (the attendee's calendar could not be read).
        NoView = "None",
        /// Only the merged slot string.
        MergedOnly = "MergedOnly",
        /// Events with their free/busy status, without details.
        FreeBusy = "FreeBusy",
        /// Events with their status, plus the merged slot string.
        FreeBusyMerged = "FreeBusyMerged",
        /// Events with details (subject, location) when the caller may see them.
        Detailed = "Detailed",
        /// Events with details, plus the merged slot string.
        DetailedMerged = "DetailedMerged",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for FreeBusyViewType {
    fn default() -> Self {
        FreeBusyViewType::FreeBusy
    }
}

/// "No data", for a status a document lacks (the element is required).
#[allow(clippy::derivable_impls)]
impl Default for LegacyFreeBusyStatus {
    fn default() -> Self {
        LegacyFreeBusyStatus::NoData
    }
}

xml_sequence! {
    element
    /// One attendee to ask about.
    pub struct MailboxData in Types "t:" {
        /// The attendee's address.
        req email: MailboxAddress = "Email";
        /// Their part in the meeting.
        req attendee_type: MeetingAttendeeType = "AttendeeType";
        /// Whether to leave their conflicts out of suggestions.
        opt exclude_conflicts: bool = "ExcludeConflicts";
    }
}

impl MailboxData {
    /// A required attendee with this SMTP address.
    pub fn required(address: impl Into<String>) -> Self {
        MailboxData {
            email: MailboxAddress::new(address),
            attendee_type: MeetingAttendeeType::Required,
            exclude_conflicts: None,
        }
    }

    /// An attendee with this SMTP address and part.
    pub fn new(address: impl Into<String>, attendee_type: MeetingAttendeeType) -> Self {
        MailboxData {
            attendee_type,
            ..MailboxData::required(address)
        }
    }
}

xml_sequence! {
    element
    /// What free/busy data to return, for which window.
    pub struct FreeBusyViewOptions in Types "t:" {
        /// The window, in the request's time zone (at most 42 days by default on the server).
        req time_window: TimeWindow = "TimeWindow";
        /// The slot length of the merged string, 5 to 1440 minutes (server default 30).
        opt merged_free_busy_interval_in_minutes: i32 = "MergedFreeBusyIntervalInMinutes";
        /// The view (server default `FreeBusy`).
        opt requested_view: FreeBusyViewType = "RequestedView";
    }
}

impl FreeBusyViewOptions {
    /// `view` over `window`, with merged slots of `interval_minutes` when the view includes them.
    pub fn new(window: TimeWindow, view: FreeBusyViewType, interval_minutes: i32) -> Self {
        FreeBusyViewOptions {
            time_window: window,
            merged_free_busy_interval_in_minutes: Some(interval_minutes),
            requested_view: Some(view),
        }
    }
}

xml_sequence! {
    element
    /// What the caller may see of an event (`Detailed` views, with enough permission).
    pub struct CalendarEventDetails in Types "t:" {
        /// The event's id (in the store's own format).
        opt id: String = "ID";
        /// Subject.
        opt subject: String = "Subject";
        /// Location.
        opt location: String = "Location";
        /// Whether it is a meeting.
        req is_meeting: bool = "IsMeeting";
        /// Whether it is part of a series.
        req is_recurring: bool = "IsRecurring";
        /// Whether it is a changed occurrence of a series.
        req is_exception: bool = "IsException";
        /// Whether a reminder is set.
        req is_reminder_set: bool = "IsReminderSet";
        /// Whether it is private.
        req is_private: bool = "IsPrivate";
    }
}

xml_sequence! {
    element
    /// One event on an attendee's calendar, in the request's time zone.
    pub struct CalendarEvent in Types "t:" {
        /// Start (wall clock).
        req start_time: LocalDateTime = "StartTime";
        /// End (wall clock).
        req end_time: LocalDateTime = "EndTime";
        /// How the event shows.
        req busy_type: LegacyFreeBusyStatus = "BusyType";
        /// Subject, location and flags (`Detailed` views only).
        opt calendar_event_details: CalendarEventDetails = "CalendarEventDetails";
    }
}

/// Days of the week as a space-separated list (`Monday Tuesday Wednesday`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DaysOfWeek(pub Vec<DayOfWeek>);

impl XmlElement for DaysOfWeek {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        let words: Vec<&str> = self.0.iter().map(DayOfWeek::as_str).collect();
        w.text_element(name, &words.join(" "));
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let text = r.read_text(start)?;
        Ok(DaysOfWeek(
            text.split_whitespace().map(DayOfWeek::from_wire).collect(),
        ))
    }
}

xml_sequence! {
    element
    /// Working time on some days of the week, in minutes after midnight.
    pub struct WorkingPeriod in Types "t:" {
        /// The days this period applies to.
        req day_of_week: DaysOfWeek = "DayOfWeek";
        /// Start, minutes after midnight.
        req start_time_in_minutes: i32 = "StartTimeInMinutes";
        /// End, minutes after midnight.
        req end_time_in_minutes: i32 = "EndTimeInMinutes";
    }
}

xml_sequence! {
    element
    /// An attendee's working hours, in their own time zone.
    pub struct WorkingHours in Types "t:" {
        /// The zone the periods are in (the attendee's, not the request's).
        req time_zone: SerializableTimeZone = "TimeZone";
        /// The periods.
        list working_periods: WorkingPeriod = "WorkingPeriodArray" / "WorkingPeriod";
    }
}

impl WorkingHours {
    /// Whether `local` (a wall-clock time in [`time_zone`](Self::time_zone)) is within a working period.
    pub fn is_working_time(&self, local: DateTime) -> bool {
        let minute = i32::from(local.hour()) * 60 + i32::from(local.minute());
        self.working_periods.iter().flatten().any(|period| {
            period
                .day_of_week
                .0
                .iter()
                .any(|day| day.includes(local.weekday()))
                && (period.start_time_in_minutes..period.end_time_in_minutes).contains(&minute)
        })
    }

    /// Whether the instant `at` is within the attendee's working hours.
    pub fn is_working_instant(&self, at: jiff::Timestamp) -> Result<bool> {
        Ok(self.is_working_time(self.time_zone.to_local(at)?))
    }
}

xml_sequence! {
    element
    /// The free/busy data of one attendee.
    pub struct FreeBusyView in Types "t:" {
        /// The view the server could return (it may be less than requested).
        req free_busy_view_type: FreeBusyViewType = "FreeBusyViewType";
        /// One digit per slot of the requested interval from the window's start (see
        /// [`decode_merged_free_busy`]).
        opt merged_free_busy: String = "MergedFreeBusy";
        /// The events in the window.
        list calendar_events: CalendarEvent = "CalendarEventArray" / "CalendarEvent";
        /// The attendee's working hours.
        opt working_hours: WorkingHours = "WorkingHours";
    }
}

/// A span of an attendee's time with one status: an event, or a run of equal merged slots.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeBusyBlock {
    /// Start (wall clock, in the request's time zone).
    pub start: LocalDateTime,
    /// End (wall clock, in the request's time zone).
    pub end: LocalDateTime,
    /// The status.
    pub status: LegacyFreeBusyStatus,
    /// The event's details, when the view had them.
    pub details: Option<CalendarEventDetails>,
}

impl FreeBusyBlock {
    /// The start and end as instants, using `zone` (the request's time zone) unless the server wrote
    /// offsets.
    pub fn instants(
        &self,
        zone: &SerializableTimeZone,
    ) -> Result<(jiff::Timestamp, jiff::Timestamp)> {
        Ok((self.start.to_timestamp(zone)?, self.end.to_timestamp(zone)?))
    }
}

/// The statuses of a `MergedFreeBusy` string, one per slot: `0` free, `1` tentative, `2` busy, `3` out of
/// office, `4` working elsewhere, `5` no data. Any other character is kept as
/// [`LegacyFreeBusyStatus::Unknown`].
pub fn decode_merged_free_busy(merged: &str) -> Vec<LegacyFreeBusyStatus> {
    merged
        .trim()
        .chars()
        .map(|digit| match digit {
            '0' => LegacyFreeBusyStatus::Free,
            '1' => LegacyFreeBusyStatus::Tentative,
            '2' => LegacyFreeBusyStatus::Busy,
            '3' => LegacyFreeBusyStatus::Oof,
            '4' => LegacyFreeBusyStatus::WorkingElsewhere,
            '5' => LegacyFreeBusyStatus::NoData,
            other => LegacyFreeBusyStatus::Unknown(other.to_string()),
        })
        .collect()
}

impl FreeBusyView {
    /// The events as blocks, in start order.
    pub fn event_blocks(&self) -> Vec<FreeBusyBlock> {
        let mut blocks: Vec<FreeBusyBlock> = self
            .calendar_events
            .iter()
            .flatten()
            .map(|event| FreeBusyBlock {
                start: event.start_time,
                end: event.end_time,
                status: event.busy_type.clone(),
                details: event.calendar_event_details.clone(),
            })
            .collect();
        blocks.sort_by_key(|block| block.start.civil);
        blocks
    }

    /// The merged slot string as blocks: slot `i` covers `interval_minutes` from `window_start + i ×
    /// interval_minutes`, and neighbouring slots with the same status join into one block. Pass the
    /// request's window start and interval (30 when the request left it out).
    pub fn merged_blocks(
        &self,
        window_start: LocalDateTime,
        interval_minutes: i32,
    ) -> Result<Vec<FreeBusyBlock>> {
        if interval_minutes <= 0 {
            return Err(Error::InvalidRequest(format!(
                "a merged free/busy interval must be positive, not {interval_minutes}"
            )));
        }
        let statuses = decode_merged_free_busy(self.merged_free_busy.as_deref().unwrap_or(""));
        let mut blocks: Vec<FreeBusyBlock> = Vec::new();
        for (slot, status) in statuses.into_iter().enumerate() {
            let offset = i64::try_from(slot).unwrap_or(i64::MAX);
            let start =
                window_start.plus_minutes(offset.saturating_mul(interval_minutes.into()))?;
            let end = start.plus_minutes(interval_minutes.into())?;
            match blocks.last_mut() {
                Some(last) if last.status == status && last.end == start => last.end = end,
                _ => blocks.push(FreeBusyBlock {
                    start,
                    end,
                    status,
                    details: None,
                }),
            }
        }
        Ok(blocks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn merged_digits_become_blocks_of_equal_status() {
        let view = FreeBusyView {
            free_busy_view_type: FreeBusyViewType::MergedOnly,
            merged_free_busy: Some("0022103x".into()),
            ..FreeBusyView::default()
        };
        let start = LocalDateTime::from(date(2026, 12, 2).at(9, 0, 0, 0));
        let blocks = view.merged_blocks(start, 30).unwrap();
        let summary: Vec<(String, String, &str)> = blocks
            .iter()
            .map(|b| {
                (
                    b.start.civil.time().to_string(),
                    b.end.civil.time().to_string(),
                    b.status.as_str(),
                )
            })
            .collect();
        let expected = [
            ("09:00:00", "10:00:00", "Free"),
            ("10:00:00", "11:00:00", "Busy"),
            ("11:00:00", "11:30:00", "Tentative"),
            ("11:30:00", "12:00:00", "Free"),
            ("12:00:00", "12:30:00", "OOF"),
            ("12:30:00", "13:00:00", "x"),
        ];
        let expected: Vec<(String, String, &str)> = expected
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
            .collect();
        assert_eq!(summary, expected);
        assert!(view.merged_blocks(start, 0).is_err());
    }

    #[test]
    fn working_hours_cover_listed_days_and_minutes_only() {
        let hours = WorkingHours {
            time_zone: SerializableTimeZone::utc(),
            working_periods: Some(vec![WorkingPeriod {
                day_of_week: DaysOfWeek(vec![DayOfWeek::Monday, DayOfWeek::Weekday]),
                start_time_in_minutes: 480,
                end_time_in_minutes: 1020,
            }]),
        };
        // 2026-12-02 is a Wednesday, 2026-12-05 a Saturday.
        assert!(hours.is_working_time(date(2026, 12, 2).at(8, 0, 0, 0)));
        assert!(!hours.is_working_time(date(2026, 12, 2).at(17, 0, 0, 0)));
        assert!(!hours.is_working_time(date(2026, 12, 5).at(10, 0, 0, 0)));
    }
}
