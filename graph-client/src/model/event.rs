//! [`Event`]: a calendar event, with attendees, recurrence and online meeting.

use super::{
    DateTimeTimeZone, EmailAddress, Importance, ItemBody, Location, PatternedRecurrence, Recipient,
    SingleValueExtendedProperty,
};

open_enum! {
    /// What an event is within a series.
    pub enum EventType {
        /// Not recurring.
        SingleInstance = "singleInstance",
        /// An unmodified occurrence of a series.
        Occurrence = "occurrence",
        /// A modified occurrence of a series.
        Exception = "exception",
        /// The series itself.
        SeriesMaster = "seriesMaster",
    }
}

open_enum! {
    /// How an event shows in free/busy.
    pub enum FreeBusyStatus {
        /// Free.
        Free = "free",
        /// Tentative.
        Tentative = "tentative",
        /// Busy.
        Busy = "busy",
        /// Out of office.
        Oof = "oof",
        /// Working elsewhere.
        WorkingElsewhere = "workingElsewhere",
        /// Graph's own "unknown" value (not the same as an unrecognised value).
        UnknownStatus = "unknown",
    }
}

open_enum! {
    /// Sensitivity of an event.
    pub enum Sensitivity {
        /// Normal.
        Normal = "normal",
        /// Personal.
        Personal = "personal",
        /// Private.
        Private = "private",
        /// Confidential.
        Confidential = "confidential",
    }
}

open_enum! {
    /// An attendee's or the user's response.
    pub enum ResponseType {
        /// No response.
        None = "none",
        /// The user is the organizer.
        Organizer = "organizer",
        /// Tentatively accepted.
        TentativelyAccepted = "tentativelyAccepted",
        /// Accepted.
        Accepted = "accepted",
        /// Declined.
        Declined = "declined",
        /// Not responded.
        NotResponded = "notResponded",
    }
}

open_enum! {
    /// Required, optional or resource attendee.
    pub enum AttendeeType {
        /// Required.
        Required = "required",
        /// Optional.
        Optional = "optional",
        /// A room or equipment.
        Resource = "resource",
    }
}

open_enum! {
    /// The online meeting service.
    pub enum OnlineMeetingProvider {
        /// Graph's own `unknown`: no provider set (not the same as an unrecognised value).
        NotSet = "unknown",
        /// Teams for business.
        TeamsForBusiness = "teamsForBusiness",
        /// Skype for Business.
        SkypeForBusiness = "skypeForBusiness",
        /// Skype for consumers.
        SkypeForConsumer = "skypeForConsumer",
    }
}

graph_object! {
    complex
    /// A response and when it was given.
    pub struct ResponseStatus {
        /// The response.
        response: ResponseType,
        /// When, ISO 8601 (`0001-01-01T00:00:00Z` for none).
        time: String,
    }
}

graph_object! {
    complex
    /// An event attendee.
    pub struct Attendee {
        /// Required, optional or resource.
        #[serde(rename = "type")]
        attendee_type: AttendeeType,
        /// Their response.
        status: ResponseStatus,
        /// Name and address.
        email_address: EmailAddress,
    }
}

graph_object! {
    complex
    /// Details to join an online meeting.
    pub struct OnlineMeetingInfo {
        /// The URL to join.
        join_url: String,
        /// Conference id.
        conference_id: String,
        /// Toll number.
        toll_number: String,
    }
}

graph_object! {
    entity
    /// A calendar event ([event resource](https://learn.microsoft.com/graph/api/resources/event)).
    pub struct Event {
        /// Changes on every change of the item.
        change_key: String,
        /// Category names.
        categories: Vec<String>,
        /// Created, UTC ISO 8601.
        created_date_time: String,
        /// Last modified, UTC ISO 8601.
        last_modified_date_time: String,
        /// A client-chosen id, immutable after creation, that lets the server dedupe a retried POST.
        transaction_id: String,
        /// The iCalendar UID; differs per occurrence.
        #[serde(rename = "iCalUId")]
        ical_uid: String,
        /// The series master of an occurrence or exception.
        series_master_id: String,
        /// Single instance, occurrence, exception or series master.
        #[serde(rename = "type")]
        event_type: EventType,
        /// Subject.
        subject: String,
        /// The first 255 characters of the body, as text.
        body_preview: String,
        /// The body.
        body: ItemBody,
        /// Importance.
        importance: Importance,
        /// Sensitivity.
        sensitivity: Sensitivity,
        /// Start.
        start: DateTimeTimeZone,
        /// End.
        end: DateTimeTimeZone,
        /// The zone the organizer created the start in.
        original_start_time_zone: String,
        /// The zone the organizer created the end in.
        original_end_time_zone: String,
        /// The original start of an occurrence (UTC).
        original_start: String,
        /// Whether it lasts all day.
        is_all_day: bool,
        /// Whether it has been cancelled.
        is_cancelled: bool,
        /// Whether the mailbox owner organizes it.
        is_organizer: bool,
        /// Whether the organizer asks for responses.
        response_requested: bool,
        /// Free/busy status.
        show_as: FreeBusyStatus,
        /// Main location.
        location: Location,
        /// All locations.
        locations: Vec<Location>,
        /// Recurrence of a series master.
        recurrence: PatternedRecurrence,
        /// Attendees.
        attendees: Vec<Attendee>,
        /// Organizer.
        organizer: Recipient,
        /// The mailbox owner's response.
        response_status: ResponseStatus,
        /// Whether it is an online meeting.
        is_online_meeting: bool,
        /// The online meeting service.
        online_meeting_provider: OnlineMeetingProvider,
        /// Join details of the online meeting.
        online_meeting: OnlineMeetingInfo,
        /// Reminder set.
        is_reminder_on: bool,
        /// Minutes before start for the reminder.
        reminder_minutes_before_start: i32,
        /// Whether attendees may propose new times.
        allow_new_time_proposals: bool,
        /// Whether attendees see only themselves.
        hide_attendees: bool,
        /// Whether it has attachments.
        has_attachments: bool,
        /// Outlook on the web link.
        web_link: String,
        /// MAPI properties requested with `$expand`.
        single_value_extended_properties: Vec<SingleValueExtendedProperty>,
    }
}
