//! [`MailboxSettings`]: time zone, working hours, automatic replies, locale.

use super::{DateTimeTimeZone, DayOfWeek};

open_enum! {
    /// Whether automatic replies are on.
    pub enum AutomaticRepliesStatus {
        /// Off.
        Disabled = "disabled",
        /// On.
        AlwaysEnabled = "alwaysEnabled",
        /// On between the scheduled times.
        Scheduled = "scheduled",
    }
}

open_enum! {
    /// Who outside the organization gets automatic replies.
    pub enum ExternalAudience {
        /// Nobody.
        None = "none",
        /// Contacts only.
        ContactsOnly = "contactsOnly",
        /// Everybody.
        All = "all",
    }
}

graph_object! {
    complex
    /// A time zone by name. Custom zones (`#microsoft.graph.customTimeZone`) keep their offsets in `extra`.
    pub struct TimeZoneBase {
        /// The zone name.
        name: String,
    }
}

graph_object! {
    complex
    /// The user's working days and hours.
    pub struct WorkingHours {
        /// Working days.
        days_of_week: Vec<DayOfWeek>,
        /// Start of the working day, `HH:MM:SS.fffffff`.
        start_time: String,
        /// End of the working day.
        end_time: String,
        /// The zone of the times.
        time_zone: TimeZoneBase,
    }
}

graph_object! {
    complex
    /// Automatic replies (out of office).
    pub struct AutomaticRepliesSetting {
        /// On, off or scheduled.
        status: AutomaticRepliesStatus,
        /// External audience.
        external_audience: ExternalAudience,
        /// Start of a scheduled period.
        scheduled_start_date_time: DateTimeTimeZone,
        /// End of a scheduled period.
        scheduled_end_date_time: DateTimeTimeZone,
        /// Reply inside the organization.
        internal_reply_message: String,
        /// Reply outside the organization.
        external_reply_message: String,
    }
}

graph_object! {
    complex
    /// A locale.
    pub struct LocaleInfo {
        /// E.g. `en-US`.
        locale: String,
        /// E.g. `English (United States)`.
        display_name: String,
    }
}

graph_object! {
    complex
    /// Mailbox settings (`/me/mailboxSettings`). Update with PATCH carrying only the parts to change.
    pub struct MailboxSettings {
        /// The default time zone of the mailbox.
        time_zone: String,
        /// Working hours.
        working_hours: WorkingHours,
        /// Automatic replies.
        automatic_replies_setting: AutomaticRepliesSetting,
        /// Locale.
        language: LocaleInfo,
        /// Date format.
        date_format: String,
        /// Time format.
        time_format: String,
        /// Who receives meeting messages for a delegate.
        delegate_meeting_message_delivery_options: String,
    }
}
