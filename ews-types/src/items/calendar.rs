//! Calendar items (`CalendarItemType`): the fields needed to round-trip a meeting's subject, time,
//! place, organizer and attendees.

use jiff::Timestamp;

use crate::types::{EmailAddress, SingleRecipient};
use crate::xml::{open_enum, xml_sequence};

use super::ItemFields;

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
    /// An appointment or meeting.
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
        /// The original start.
        opt original_start: Timestamp = "OriginalStart";
        /// Whether it is an all-day event.
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
        /// The number of conflicting meetings.
        opt conflicting_meeting_count: i32 = "ConflictingMeetingCount";
        /// The number of adjacent meetings.
        opt adjacent_meeting_count: i32 = "AdjacentMeetingCount";
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
        /// Whether new time proposals are allowed.
        opt allow_new_time_proposal: bool = "AllowNewTimeProposal";
        /// Whether it is an online meeting.
        opt is_online_meeting: bool = "IsOnlineMeeting";
        /// The meeting workspace URL.
        opt meeting_workspace_url: String = "MeetingWorkspaceUrl";
        /// The NetShow URL.
        opt net_show_url: String = "NetShowUrl";
    }
}
