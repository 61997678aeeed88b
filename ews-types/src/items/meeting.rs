//! Meeting messages (`MeetingMessageType` and its three kinds): the requests, responses and
//! cancellations that arrive in an inbox and point at a calendar item.

use jiff::Timestamp;

use crate::recurrence::{DeletedOccurrence, OccurrenceInfo, Recurrence};
use crate::time_zone::{MeetingTimeZone, TimeZoneDefinition};
use crate::types::{ItemId, SingleRecipient};
use crate::xml::{open_enum, xml_sequence};

use super::calendar::{Attendee, CalendarItemKind, LegacyFreeBusyStatus, ResponseType};
use super::calendar_details::{ChangeHighlights, EnhancedLocation};
use super::{Item, Message};

open_enum! {
    /// What a meeting request is (`MeetingRequestTypeType`).
    pub enum MeetingRequestKind {
        /// Not a request.
        None = "None",
        /// An update that changes time or place.
        FullUpdate = "FullUpdate",
        /// An update of details only.
        InformationalUpdate = "InformationalUpdate",
        /// A new request.
        NewMeetingRequest = "NewMeetingRequest",
        /// Superseded by a later request.
        Outdated = "Outdated",
        /// An update that needs no reply.
        SilentUpdate = "SilentUpdate",
        /// A copy sent to a delegate's principal.
        PrincipalWantsCopy = "PrincipalWantsCopy",
    }
}

xml_sequence! {
    element
    /// A meeting message (`MeetingMessageType`): a message that refers to a calendar item.
    pub struct MeetingMessage in Types "t:" {
        ..message: Message;
        /// The calendar item it belongs to.
        opt associated_calendar_item_id: ItemId = "AssociatedCalendarItemId";
        /// Whether it was delegated.
        opt is_delegated: bool = "IsDelegated";
        /// Whether a later message superseded it.
        opt is_out_of_date: bool = "IsOutOfDate";
        /// Whether the calendar was updated from it.
        opt has_been_processed: bool = "HasBeenProcessed";
        /// The response it carries or asks for.
        opt response_type: ResponseType = "ResponseType";
        /// The iCalendar UID.
        opt uid: String = "UID";
        /// The occurrence it is about.
        opt recurrence_id: Timestamp = "RecurrenceId";
        /// When it was stamped.
        opt date_time_stamp: Timestamp = "DateTimeStamp";
        /// Whether the mailbox owner organizes the meeting.
        opt is_organizer: bool = "IsOrganizer";
    }
}

xml_sequence! {
    element
    /// A meeting request (`MeetingRequestMessageType`): the meeting message plus the meeting it proposes.
    pub struct MeetingRequest in Types "t:" {
        ..meeting: MeetingMessage;
        /// New, updated or outdated.
        opt meeting_request_type: MeetingRequestKind = "MeetingRequestType";
        /// The free/busy status the organizer intended.
        opt intended_free_busy_status: LegacyFreeBusyStatus = "IntendedFreeBusyStatus";
        /// Start.
        opt start: Timestamp = "Start";
        /// End.
        opt end: Timestamp = "End";
        /// The start the pattern gave this occurrence.
        opt original_start: Timestamp = "OriginalStart";
        /// Whether it is an all-day event.
        opt is_all_day_event: bool = "IsAllDayEvent";
        /// How it shows on the free/busy schedule.
        opt legacy_free_busy_status: LegacyFreeBusyStatus = "LegacyFreeBusyStatus";
        /// Location.
        opt location: String = "Location";
        /// A textual description of when it happens.
        opt when: String = "When";
        /// Whether it is a meeting.
        opt is_meeting: bool = "IsMeeting";
        /// Whether it was cancelled.
        opt is_cancelled: bool = "IsCancelled";
        /// Whether it is part of a series.
        opt is_recurring: bool = "IsRecurring";
        /// Whether the request was sent.
        opt meeting_request_was_sent: bool = "MeetingRequestWasSent";
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
        /// Resources.
        list resources: Attendee = "Resources" / "Attendee";
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
        /// The series.
        opt recurrence: Recurrence = "Recurrence";
        /// The first occurrence.
        opt first_occurrence: OccurrenceInfo = "FirstOccurrence";
        /// The last occurrence.
        opt last_occurrence: OccurrenceInfo = "LastOccurrence";
        /// Modified occurrences.
        list modified_occurrences: OccurrenceInfo = "ModifiedOccurrences" / "Occurrence";
        /// Deleted occurrences.
        list deleted_occurrences: DeletedOccurrence = "DeletedOccurrences" / "DeletedOccurrence";
        /// The zone in the Exchange 2007 form.
        opt meeting_time_zone: MeetingTimeZone = "MeetingTimeZone";
        /// The zone of the start.
        opt start_time_zone: TimeZoneDefinition = "StartTimeZone";
        /// The zone of the end.
        opt end_time_zone: TimeZoneDefinition = "EndTimeZone";
        /// The conference type.
        opt conference_type: i32 = "ConferenceType";
        /// Whether new time proposals are allowed.
        opt allow_new_time_proposal: bool = "AllowNewTimeProposal";
        /// Whether it is an online meeting.
        opt is_online_meeting: bool = "IsOnlineMeeting";
        /// The meeting workspace URL.
        opt meeting_workspace_url: String = "MeetingWorkspaceUrl";
        /// The NetShow URL.
        opt net_show_url: String = "NetShowUrl";
        /// The place with its address.
        opt enhanced_location: EnhancedLocation = "EnhancedLocation";
        /// What an update changed.
        opt change_highlights: ChangeHighlights = "ChangeHighlights";
        /// The start as a wall-clock time in its zone.
        opt start_wall_clock: Timestamp = "StartWallClock";
        /// The end as a wall-clock time in its zone.
        opt end_wall_clock: Timestamp = "EndWallClock";
        /// The start zone's id.
        opt start_time_zone_id: String = "StartTimeZoneId";
        /// The end zone's id.
        opt end_time_zone_id: String = "EndTimeZoneId";
        /// Whether attendees may not forward it.
        opt do_not_forward_meeting: bool = "DoNotForwardMeeting";
    }
}

xml_sequence! {
    element
    /// An attendee's reply to a meeting (`MeetingResponseMessageType`).
    pub struct MeetingResponse in Types "t:" {
        ..meeting: MeetingMessage;
        /// Start.
        opt start: Timestamp = "Start";
        /// End.
        opt end: Timestamp = "End";
        /// Location.
        opt location: String = "Location";
        /// The series.
        opt recurrence: Recurrence = "Recurrence";
        /// The calendar item's kind, as text.
        opt calendar_item_type: String = "CalendarItemType";
        /// The start the attendee proposed instead.
        opt proposed_start: Timestamp = "ProposedStart";
        /// The end the attendee proposed instead.
        opt proposed_end: Timestamp = "ProposedEnd";
        /// The place with its address.
        opt enhanced_location: EnhancedLocation = "EnhancedLocation";
    }
}

xml_sequence! {
    element
    /// A meeting cancellation (`MeetingCancellationMessageType`).
    pub struct MeetingCancellation in Types "t:" {
        ..meeting: MeetingMessage;
        /// Start.
        opt start: Timestamp = "Start";
        /// End.
        opt end: Timestamp = "End";
        /// Location.
        opt location: String = "Location";
        /// The series.
        opt recurrence: Recurrence = "Recurrence";
        /// The calendar item's kind, as text.
        opt calendar_item_type: String = "CalendarItemType";
        /// The place with its address.
        opt enhanced_location: EnhancedLocation = "EnhancedLocation";
        /// Whether attendees may not forward it.
        opt do_not_forward_meeting: bool = "DoNotForwardMeeting";
    }
}
