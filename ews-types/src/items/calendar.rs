//! Calendar items (`CalendarItemType`): every element of the schema, in its order, with the series
//! (recurrence and exceptions) and the time zones that place it.
//!
//! ```
//! use ews_types::items::CalendarItem;
//! use jiff::civil::date;
//!
//! // A 09:00-09:30 London meeting; Exchange keeps it at 09:00 local across daylight-saving changes.
//! let meeting = CalendarItem::new("Renewal call", "2026-01-14T09:00:00Z".parse().unwrap(),
//!     "2026-01-14T09:30:00Z".parse().unwrap())
//!     .in_time_zone("GMT Standard Time");
//! assert_eq!(meeting.start_time_zone.unwrap().id.as_deref(), Some("GMT Standard Time"));
//! ```

use jiff::civil::{Date, DateTime, Time};
use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};
use crate::recurrence::{
    CivilTimeZone, DeletedOccurrence, Occurrence, OccurrenceInfo, OccurrenceQuery, Recurrence,
};
use crate::time_zone::{MeetingTimeZone, TimeZoneDefinition, ZoneRules};
use crate::types::{EmailAddress, SingleRecipient};
use crate::xml::{open_enum, xml_sequence};

use super::calendar_details::{
    CalendarActivityData, EnhancedLocation, InboxReminder, OnlineMeetingSettings,
};
use super::{Item, ItemFields};

open_enum! {
    /// How a calendar item shows on a free/busy schedule.
    pub enum LegacyFreeBusyStatus {
        /// Free.
        Free = "Free",
        /// Tentative.
        Tentative = "Tentative",
        /// Busy.
        Busy = "Busy",
        /// Out of office.
        Oof = "OOF",
        /// Working elsewhere.
        WorkingElsewhere = "WorkingElsewhere",
        /// No data.
        NoData = "NoData",
    }
}

open_enum! {
    /// The kind of a calendar item within a series.
    pub enum CalendarItemKind {
        /// A single appointment.
        Single = "Single",
        /// An occurrence of a series.
        Occurrence = "Occurrence",
        /// A modified occurrence.
        Exception = "Exception",
        /// The series itself.
        RecurringMaster = "RecurringMaster",
    }
}

open_enum! {
    /// An attendee's (or the mailbox owner's) response to a meeting.
    pub enum ResponseType {
        /// Unknown.
        UnknownResponse = "Unknown",
        /// The mailbox is the organizer.
        Organizer = "Organizer",
        /// Tentatively accepted.
        Tentative = "Tentative",
        /// Accepted.
        Accept = "Accept",
        /// Declined.
        Decline = "Decline",
        /// No response yet.
        NoResponseReceived = "NoResponseReceived",
    }
}

xml_sequence! {
    element
    /// A meeting attendee and their response.
    pub struct Attendee in Types "t:" {
        /// The attendee's address.
        opt mailbox: EmailAddress = "Mailbox";
        /// Their response.
        opt response_type: ResponseType = "ResponseType";
        /// When they responded.
        opt last_response_time: Timestamp = "LastResponseTime";
        /// The start they proposed instead.
        opt proposed_start: Timestamp = "ProposedStart";
        /// The end they proposed instead.
        opt proposed_end: Timestamp = "ProposedEnd";
    }
}

impl From<EmailAddress> for Attendee {
    fn from(mailbox: EmailAddress) -> Self {
        Attendee {
            mailbox: Some(mailbox),
            ..Attendee::default()
        }
    }
}

xml_sequence! {
    element
    /// An appointment or meeting (`CalendarItemType`), every element in schema order.
    ///
    /// `Start` and `End` are instants. The zone the item was created in, which keeps a series at the
    /// same civil time across daylight-saving changes, is `StartTimeZone`/`EndTimeZone` (Exchange 2010 and
    /// later; send [`TimeZoneDefinition::with_id`]) or `MeetingTimeZone` (Exchange 2007).
    pub struct CalendarItem in Types "t:" {
        ..item: ItemFields;
        /// The iCalendar UID.
        opt uid: String = "UID";
        /// The original start of this occurrence (identifies an occurrence within its series).
        opt recurrence_id: Timestamp = "RecurrenceId";
        /// When the item was stamped.
        opt date_time_stamp: Timestamp = "DateTimeStamp";
        /// Start.
        opt start: Timestamp = "Start";
        /// End.
        opt end: Timestamp = "End";
        /// The start the pattern gave this occurrence.
        opt original_start: Timestamp = "OriginalStart";
        /// Whether it is an all-day event (anchored to midnight in its creation zone).
        opt is_all_day_event: bool = "IsAllDayEvent";
        /// How it shows on the free/busy schedule.
        opt legacy_free_busy_status: LegacyFreeBusyStatus = "LegacyFreeBusyStatus";
        /// Location.
        opt location: String = "Location";
        /// A textual description of when it happens.
        opt when: String = "When";
        /// Whether it is a meeting (has attendees).
        opt is_meeting: bool = "IsMeeting";
        /// Whether it was cancelled.
        opt is_cancelled: bool = "IsCancelled";
        /// Whether it is part of a series.
        opt is_recurring: bool = "IsRecurring";
        /// Whether the meeting request was sent.
        opt meeting_request_was_sent: bool = "MeetingRequestWasSent";
        /// Whether responses are requested.
        opt is_response_requested: bool = "IsResponseRequested";
        /// Single, occurrence, exception or series.
        opt calendar_item_type: CalendarItemKind = "CalendarItemType";
        /// The mailbox owner's response.
        opt my_response_type: ResponseType = "MyResponseType";
        /// The organizer.
        opt organizer: SingleRecipient = "Organizer";
        /// Required attendees.
        list required_attendees: Attendee = "RequiredAttendees" / "Attendee";
        /// Optional attendees.
        list optional_attendees: Attendee = "OptionalAttendees" / "Attendee";
        /// Resources (rooms, equipment).
        list resources: Attendee = "Resources" / "Attendee";
        /// E-mail reminders.
        list inbox_reminders: InboxReminder = "InboxReminders" / "InboxReminder";
        /// The number of conflicting meetings.
        opt conflicting_meeting_count: i32 = "ConflictingMeetingCount";
        /// The number of adjacent meetings.
        opt adjacent_meeting_count: i32 = "AdjacentMeetingCount";
        /// The conflicting meetings.
        opt conflicting_meetings: Vec<Item> = "ConflictingMeetings";
        /// The adjacent meetings.
        opt adjacent_meetings: Vec<Item> = "AdjacentMeetings";
        /// The duration, as an `xs:duration`.
        opt duration: String = "Duration";
        /// The time zone's display name.
        opt time_zone: String = "TimeZone";
        /// When the mailbox owner replied.
        opt appointment_reply_time: Timestamp = "AppointmentReplyTime";
        /// The sequence number of the meeting's updates.
        opt appointment_sequence_number: i32 = "AppointmentSequenceNumber";
        /// The appointment state flags.
        opt appointment_state: i32 = "AppointmentState";
        /// The series pattern and range (recurring masters only).
        opt recurrence: Recurrence = "Recurrence";
        /// The first occurrence of the series.
        opt first_occurrence: OccurrenceInfo = "FirstOccurrence";
        /// The last occurrence of the series (absent for a series without end).
        opt last_occurrence: OccurrenceInfo = "LastOccurrence";
        /// The occurrences that were changed.
        list modified_occurrences: OccurrenceInfo = "ModifiedOccurrences" / "Occurrence";
        /// The occurrences that were deleted (read-only: delete an occurrence by its id).
        list deleted_occurrences: DeletedOccurrence = "DeletedOccurrences" / "DeletedOccurrence";
        /// The zone in the Exchange 2007 form.
        opt meeting_time_zone: MeetingTimeZone = "MeetingTimeZone";
        /// The zone of the start (Exchange 2010 and later).
        opt start_time_zone: TimeZoneDefinition = "StartTimeZone";
        /// The zone of the end (Exchange 2010 and later).
        opt end_time_zone: TimeZoneDefinition = "EndTimeZone";
        /// The conference type (0 net meeting, 1 NetShow, 2 chat).
        opt conference_type: i32 = "ConferenceType";
        /// Whether new time proposals are allowed.
        opt allow_new_time_proposal: bool = "AllowNewTimeProposal";
        /// Whether it is an online meeting.
        opt is_online_meeting: bool = "IsOnlineMeeting";
        /// The meeting workspace URL.
        opt meeting_workspace_url: String = "MeetingWorkspaceUrl";
        /// The NetShow URL.
        opt net_show_url: String = "NetShowUrl";
        /// The place with its address (Exchange 2016 and later).
        opt enhanced_location: EnhancedLocation = "EnhancedLocation";
        /// The start as a wall-clock time in its zone.
        opt start_wall_clock: Timestamp = "StartWallClock";
        /// The end as a wall-clock time in its zone.
        opt end_wall_clock: Timestamp = "EndWallClock";
        /// The start zone's id.
        opt start_time_zone_id: String = "StartTimeZoneId";
        /// The end zone's id.
        opt end_time_zone_id: String = "EndTimeZoneId";
        /// The free/busy status the organizer intended.
        opt intended_free_busy_status: LegacyFreeBusyStatus = "IntendedFreeBusyStatus";
        /// The online meeting's join URL (set by the server for online meetings).
        opt join_online_meeting_url: String = "JoinOnlineMeetingUrl";
        /// The online meeting's settings.
        opt online_meeting_settings: OnlineMeetingSettings = "OnlineMeetingSettings";
        /// Whether the mailbox owner is the organizer.
        opt is_organizer: bool = "IsOrganizer";
        /// Client telemetry.
        opt calendar_activity_data: CalendarActivityData = "CalendarActivityData";
        /// Whether attendees may not forward it.
        opt do_not_forward_meeting: bool = "DoNotForwardMeeting";
    }
}

impl CalendarItem {
    /// An appointment with a subject, a start and an end.
    pub fn new(subject: impl Into<String>, start: Timestamp, end: Timestamp) -> Self {
        CalendarItem {
            item: ItemFields {
                subject: Some(subject.into()),
                ..ItemFields::default()
            },
            start: Some(start),
            end: Some(end),
            ..CalendarItem::default()
        }
    }

    /// An all-day event over `days` days from `first_day`: starting and ending at midnight in `zone`,
    /// whose Windows id `zone_id` becomes its start and end zone.
    ///
    /// ```
    /// use ews_types::items::CalendarItem;
    /// use jiff::{civil::date, tz::TimeZone};
    ///
    /// let new_york = TimeZone::get("America/New_York").unwrap();
    /// let holiday = CalendarItem::all_day("Holiday", date(2026, 7, 3), 1, "Eastern Standard Time", &new_york)
    ///     .unwrap();
    /// assert_eq!(holiday.start.unwrap().to_string(), "2026-07-03T04:00:00Z");
    /// assert_eq!(holiday.is_all_day_event, Some(true));
    /// ```
    pub fn all_day(
        subject: impl Into<String>,
        first_day: Date,
        days: i32,
        zone_id: &str,
        zone: &impl CivilTimeZone,
    ) -> Result<Self> {
        let last = jiff::Span::new()
            .try_days(days)
            .and_then(|span| first_day.checked_add(span))
            .map_err(|e| Error::InvalidRequest(format!("all-day event end: {e}")))?;
        let start = zone.instant_of(first_day.to_datetime(Time::midnight()))?;
        let end = zone.instant_of(last.to_datetime(Time::midnight()))?;
        Ok(CalendarItem {
            is_all_day_event: Some(true),
            ..CalendarItem::new(subject, start, end).in_time_zone(zone_id)
        })
    }

    /// Sets the start and end zones to the server-known zone `id` (such as `GMT Standard Time`).
    pub fn in_time_zone(mut self, id: &str) -> Self {
        self.start_time_zone = Some(TimeZoneDefinition::with_id(id));
        self.end_time_zone = Some(TimeZoneDefinition::with_id(id));
        self
    }

    /// The rules of the item's start zone: the full `StartTimeZone` definition when the response holds
    /// one, else the `MeetingTimeZone`; `None` when the item carries neither.
    pub fn start_zone_rules(&self) -> Result<Option<ZoneRules>> {
        match (&self.start_time_zone, &self.meeting_time_zone) {
            (Some(zone), _) if zone.periods.is_some() => zone.rules().map(Some),
            (_, Some(legacy)) => legacy.rules().map(Some),
            (Some(zone), None) => zone.rules().map(Some),
            (None, None) => Ok(None),
        }
    }

    /// The start as a civil time in the item's start zone (see [`start_zone_rules`](Self::start_zone_rules)).
    pub fn local_start(&self) -> Result<Option<DateTime>> {
        let (Some(start), Some(rules)) = (self.start, self.start_zone_rules()?) else {
            return Ok(None);
        };
        Ok(Some(rules.civil_at(start)))
    }

    /// The occurrences of a recurring master in `zone` (its start zone), with its deleted occurrences
    /// skipped and its modified ones moved, limited to `[from, until)` when given and to at most `max`.
    pub fn occurrences(
        &self,
        zone: &impl CivilTimeZone,
        from: Option<Timestamp>,
        until: Option<Timestamp>,
        max: usize,
    ) -> Result<Vec<Occurrence>> {
        let recurrence = self
            .recurrence
            .as_ref()
            .ok_or_else(|| Error::missing("Recurrence", "CalendarItem"))?;
        let start = self
            .start
            .ok_or_else(|| Error::missing("Start", "CalendarItem"))?;
        let duration = match self.end {
            Some(end) => end.duration_since(start),
            None => SignedDuration::ZERO,
        };
        let mut query = OccurrenceQuery::new(zone.civil_of(start)?.time())
            .lasting(duration)
            .at_most(max)
            .with_exceptions(
                self.deleted_occurrences.as_deref().unwrap_or_default(),
                self.modified_occurrences.as_deref().unwrap_or_default(),
            );
        query.from = from;
        query.until = until;
        recurrence.occurrences(zone, &query)
    }
}
