//! The availability service's types: free/busy schedules and meeting suggestions
//! ([`GetUserAvailability`](crate::operations::GetUserAvailability)), and out-of-office settings
//! ([`GetUserOofSettings`](crate::operations::GetUserOofSettings),
//! [`SetUserOofSettings`](crate::operations::SetUserOofSettings)).
//!
//! # Times are wall-clock times, not instants
//!
//! Unlike the rest of EWS, availability times (the requested [`TimeWindow`], each [`CalendarEvent`]'s
//! start and end, working hours, suggestion times) are civil times in the time zone the request names in
//! its [`SerializableTimeZone`], written without an offset. They are modelled as [`LocalDateTime`]: a
//! [`jiff::civil::DateTime`] plus the offset a server may append (Exchange 2007 did). Turn one into an
//! instant with [`LocalDateTime::to_timestamp`] and the request's zone; build the zone from a jiff
//! [`TimeZone`](jiff::tz::TimeZone) with [`SerializableTimeZone::from_time_zone`] (for example for
//! `Europe/London`, or for the IANA zone [`crate::windows_zones`] maps a Windows id to).
//!
//! ```
//! use ews_types::availability::SerializableTimeZone;
//! use jiff::civil::date;
//! use jiff::tz::TimeZone;
//!
//! let london = TimeZone::get("Europe/London").unwrap();
//! let zone = SerializableTimeZone::from_time_zone(&london, 2026).unwrap();
//! assert_eq!(zone.bias, 0);
//! assert_eq!(zone.daylight_time.bias, -60);
//! // 09:00 on 1 July is British Summer Time, 08:00 UTC.
//! let instant = zone.to_timestamp(date(2026, 7, 1).at(9, 0, 0, 0)).unwrap();
//! assert_eq!(instant.to_string(), "2026-07-01T08:00:00Z");
//! ```

mod free_busy;
mod local_time;
mod oof;
mod suggestions;
mod time_zone;

pub use free_busy::{
    CalendarEvent, CalendarEventDetails, DaysOfWeek, FreeBusyBlock, FreeBusyView,
    FreeBusyViewOptions, FreeBusyViewType, MailboxData, MeetingAttendeeType, WorkingHours,
    WorkingPeriod, decode_merged_free_busy,
};
pub use local_time::{LocalDateTime, TimeWindow};
pub use oof::{ExternalAudience, OofDuration, OofState, ReplyBody, UserOofSettings};
pub use suggestions::{
    AttendeeConflictData, GroupAttendeeConflictData, Suggestion, SuggestionDayResult,
    SuggestionQuality, SuggestionsViewOptions,
};
pub use time_zone::{SerializableTimeZone, SerializableTimeZoneTime};

use crate::xml::xml_sequence;

xml_sequence! {
    element
    /// An address in the availability service's own shape (the schema's `EmailAddress`, not the
    /// `EmailAddressType` of items): the `Email` of a [`MailboxData`] and the `Mailbox` of the
    /// out-of-office operations.
    pub struct MailboxAddress in Types "t:" {
        /// Display name.
        opt name: String = "Name";
        /// The address, usually SMTP (required).
        req address: String = "Address";
        /// `SMTP` or `EX`.
        opt routing_type: String = "RoutingType";
    }
}

impl MailboxAddress {
    /// An address without a display name or routing type (the server assumes SMTP).
    pub fn new(address: impl Into<String>) -> Self {
        MailboxAddress {
            name: None,
            address: address.into(),
            routing_type: None,
        }
    }
}

/// The schema's `DayOfWeekType`, shared with recurrence patterns and time-zone transitions.
pub use crate::recurrence::DayOfWeek;
