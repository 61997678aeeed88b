//! Meeting suggestions: what to ask for ([`SuggestionsViewOptions`]) and the suggested times per day.

use crate::error::Result;
use crate::items::LegacyFreeBusyStatus;
use crate::xml::{Ns, Start, XmlChoice, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};

use super::{LocalDateTime, TimeWindow};

open_enum! {
    /// How good a suggested time (or day) is: how many attendees are free.
    pub enum SuggestionQuality {
        /// Everyone is free.
        Excellent = "Excellent",
        /// At least the good threshold of attendees is free.
        Good = "Good",
        /// Fewer than the good threshold is free.
        Fair = "Fair",
        /// Most attendees are busy.
        Poor = "Poor",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for SuggestionQuality {
    fn default() -> Self {
        SuggestionQuality::Poor
    }
}

xml_sequence! {
    element
    /// What meeting suggestions to compute.
    pub struct SuggestionsViewOptions in Types "t:" {
        /// The percentage of attendees that must be free for a time to be `Good` (1 to 49, default 25).
        opt good_threshold: i32 = "GoodThreshold";
        /// At most this many suggestions per day (0 to 48, default 10).
        opt maximum_results_by_day: i32 = "MaximumResultsByDay";
        /// At most this many suggestions outside working hours per day (0 to 48, default 0).
        opt maximum_non_work_hour_results_by_day: i32 = "MaximumNonWorkHourResultsByDay";
        /// The meeting's length (30 to 1440 minutes, default 60).
        opt meeting_duration_in_minutes: i32 = "MeetingDurationInMinutes";
        /// Leave out suggestions below this quality (default `Fair`).
        opt minimum_suggestion_quality: SuggestionQuality = "MinimumSuggestionQuality";
        /// The days to suggest times on, in the request's time zone.
        req detailed_suggestions_window: TimeWindow = "DetailedSuggestionsWindow";
        /// The meeting's current start, when rescheduling it.
        opt current_meeting_time: LocalDateTime = "CurrentMeetingTime";
        /// The meeting's global object id, when rescheduling it (its own busy time is then ignored).
        opt global_object_id: String = "GlobalObjectId";
    }
}

impl SuggestionsViewOptions {
    /// Suggestions for a meeting of `duration_minutes` within `window`, with the server's other defaults.
    pub fn new(window: TimeWindow, duration_minutes: i32) -> Self {
        SuggestionsViewOptions {
            meeting_duration_in_minutes: Some(duration_minutes),
            detailed_suggestions_window: window,
            ..SuggestionsViewOptions::default()
        }
    }
}

xml_sequence! {
    element
    /// How a group attendee (a distribution list) fares at a suggested time.
    pub struct GroupAttendeeConflictData in Types "t:" {
        /// The members of the group.
        req number_of_members: i32 = "NumberOfMembers";
        /// The members who are free.
        req number_of_members_available: i32 = "NumberOfMembersAvailable";
        /// The members who are busy.
        req number_of_members_with_conflict: i32 = "NumberOfMembersWithConflict";
        /// The members whose calendars could not be read.
        req number_of_members_with_no_data: i32 = "NumberOfMembersWithNoData";
    }
}

/// How one attendee fares at a suggested time, in the order of the request's `MailboxDataArray`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AttendeeConflictData {
    /// The attendee could not be resolved.
    UnknownAttendee,
    /// A single attendee and their status at that time.
    Individual(LegacyFreeBusyStatus),
    /// A group too large to expand.
    TooBigGroup,
    /// A group and the counts of its members.
    Group(GroupAttendeeConflictData),
}

impl XmlChoice for AttendeeConflictData {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            AttendeeConflictData::UnknownAttendee => {
                w.open("t:UnknownAttendeeConflictData").close_empty();
            }
            AttendeeConflictData::Individual(busy_type) => {
                w.open("t:IndividualAttendeeConflictData").close();
                busy_type.write_element(w, "t:BusyType");
                w.end("t:IndividualAttendeeConflictData");
            }
            AttendeeConflictData::TooBigGroup => {
                w.open("t:TooBigGroupAttendeeConflictData").close_empty();
            }
            AttendeeConflictData::Group(group) => {
                group.write_element(w, "t:GroupAttendeeConflictData");
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        Ok(Some(match start.local_name() {
            "UnknownAttendeeConflictData" => {
                r.skip(start)?;
                AttendeeConflictData::UnknownAttendee
            }
            "TooBigGroupAttendeeConflictData" => {
                r.skip(start)?;
                AttendeeConflictData::TooBigGroup
            }
            "IndividualAttendeeConflictData" => {
                let mut busy_type = LegacyFreeBusyStatus::NoData;
                r.children(start, |r, child| {
                    if child.ns() == Ns::Types && child.local_name() == "BusyType" {
                        busy_type = LegacyFreeBusyStatus::read_element(r, child)?;
                        return Ok(true);
                    }
                    Ok(false)
                })?;
                AttendeeConflictData::Individual(busy_type)
            }
            "GroupAttendeeConflictData" => {
                AttendeeConflictData::Group(GroupAttendeeConflictData::read_element(r, start)?)
            }
            _ => return Ok(None),
        }))
    }
}

xml_sequence! {
    element
    /// One suggested meeting time.
    pub struct Suggestion in Types "t:" {
        /// The suggested start, in the request's time zone.
        req meeting_time: LocalDateTime = "MeetingTime";
        /// Whether it is within the attendees' working hours.
        req is_work_time: bool = "IsWorkTime";
        /// How good it is.
        req suggestion_quality: SuggestionQuality = "SuggestionQuality";
        /// Each attendee's status at that time.
        opt attendee_conflict_data: Vec<AttendeeConflictData> = "AttendeeConflictDataArray";
    }
}

xml_sequence! {
    element
    /// The suggestions of one day.
    pub struct SuggestionDayResult in Types "t:" {
        /// The day (midnight, in the request's time zone).
        req date: LocalDateTime = "Date";
        /// How good the day's best time is.
        req day_quality: SuggestionQuality = "DayQuality";
        /// The suggested times.
        list suggestions: Suggestion = "SuggestionArray" / "Suggestion";
    }
}
