//! Free/busy results of `getSchedule`.

use super::{DateTimeTimeZone, FreeBusyStatus, WorkingHours};

graph_object! {
    complex
    /// One busy period in a schedule.
    pub struct ScheduleItem {
        /// Whether the event is private.
        is_private: bool,
        /// Free/busy status.
        status: FreeBusyStatus,
        /// Subject, when visible.
        subject: String,
        /// Location, when visible.
        location: String,
        /// Start.
        start: DateTimeTimeZone,
        /// End.
        end: DateTimeTimeZone,
    }
}

graph_object! {
    complex
    /// Why a schedule could not be read.
    pub struct FreeBusyError {
        /// The message.
        message: String,
        /// The response code.
        response_code: String,
    }
}

graph_object! {
    complex
    /// The schedule of one mailbox, distribution list or room.
    pub struct ScheduleInformation {
        /// The SMTP address asked for.
        schedule_id: String,
        /// One digit per interval; see [`parse_availability_view`].
        availability_view: String,
        /// Busy periods.
        schedule_items: Vec<ScheduleItem>,
        /// Working hours.
        working_hours: WorkingHours,
        /// Set when this schedule could not be read.
        error: FreeBusyError,
    }
}

/// Availability of one interval of an `availabilityView`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Availability {
    /// `0`: free.
    Free,
    /// `1`: tentative.
    Tentative,
    /// `2`: busy.
    Busy,
    /// `3`: out of office.
    OutOfOffice,
    /// `4`: working elsewhere.
    WorkingElsewhere,
    /// Any other character, kept.
    Unknown(char),
}

/// Decodes an `availabilityView` string, one entry per `availabilityViewInterval`.
///
/// ```
/// use graph_client::model::{Availability, parse_availability_view};
/// assert_eq!(
///     parse_availability_view("0213"),
///     [Availability::Free, Availability::Busy, Availability::Tentative, Availability::OutOfOffice]
/// );
/// ```
pub fn parse_availability_view(view: &str) -> Vec<Availability> {
    view.chars()
        .map(|digit| match digit {
            '0' => Availability::Free,
            '1' => Availability::Tentative,
            '2' => Availability::Busy,
            '3' => Availability::OutOfOffice,
            '4' => Availability::WorkingElsewhere,
            other => Availability::Unknown(other),
        })
        .collect()
}
