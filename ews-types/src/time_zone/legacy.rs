//! The Exchange 2007 time-zone form (`TimeZoneType`), written as `MeetingTimeZone`.

use jiff::SignedDuration;
use jiff::civil::{Date, Time};

use crate::error::{Error, Result};
use crate::recurrence::{DayOfWeek, DayOfWeekIndex, Month};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, xml_sequence};

use super::ZoneRules;

/// On which day a [`TimeChange`] happens.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeChangePattern {
    /// `RelativeYearlyRecurrence`: every year on the n-th weekday of a month.
    RelativeYearly {
        /// The weekday.
        days_of_week: DayOfWeek,
        /// Which one in the month.
        day_of_week_index: DayOfWeekIndex,
        /// The month.
        month: Month,
    },
    /// `AbsoluteDate`: on this date only.
    AbsoluteDate(Date),
}

/// A change to standard or daylight time (`TimeChangeType`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimeChange {
    /// The name of the time this changes to.
    pub time_zone_name: Option<String>,
    /// Added to the zone's base offset (a bias: UTC = local + base offset + offset).
    pub offset: SignedDuration,
    /// On which day (without one, the change never happens).
    pub pattern: Option<TimeChangePattern>,
    /// The civil time of the change, in the time in force before it.
    pub time: Time,
}

/// The children of a time change's yearly pattern.
#[allow(unreachable_pub)]
mod wire {
    use crate::recurrence::{DayOfWeek, DayOfWeekIndex, Month};
    use crate::xml::xml_sequence;

    xml_sequence! {
        element
        /// The children of a `RelativeYearlyRecurrence` inside a time change.
        pub struct RelativeYearlyFields in Types "t:" {
            /// `DaysOfWeek`.
            opt days_of_week: DayOfWeek = "DaysOfWeek";
            /// `DayOfWeekIndex`.
            opt day_of_week_index: DayOfWeekIndex = "DayOfWeekIndex";
            /// `Month`.
            opt month: Month = "Month";
        }
    }
}

use wire::RelativeYearlyFields;

impl XmlElement for TimeChange {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr_opt("TimeZoneName", self.time_zone_name.as_deref())
            .close();
        self.offset.write_element(w, "t:Offset");
        match &self.pattern {
            Some(TimeChangePattern::RelativeYearly {
                days_of_week,
                day_of_week_index,
                month,
            }) => RelativeYearlyFields {
                days_of_week: Some(days_of_week.clone()),
                day_of_week_index: Some(day_of_week_index.clone()),
                month: Some(month.clone()),
            }
            .write_element(w, "t:RelativeYearlyRecurrence"),
            Some(TimeChangePattern::AbsoluteDate(date)) => date.write_element(w, "t:AbsoluteDate"),
            None => {}
        }
        self.time.write_element(w, "t:Time");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut change = TimeChange {
            time_zone_name: start.attr("TimeZoneName")?.map(|v| v.into_owned()),
            ..TimeChange::default()
        };
        let (mut offset, mut time) = (None, None);
        let kind = start.local_name().to_owned();
        r.children(start, |r, child| {
            if child.ns() != Ns::Types {
                return Ok(false);
            }
            match child.local_name() {
                "Offset" => offset = Some(SignedDuration::read_element(r, child)?),
                "Time" => time = Some(Time::read_element(r, child)?),
                "AbsoluteDate" => {
                    change.pattern = Some(TimeChangePattern::AbsoluteDate(Date::read_element(
                        r, child,
                    )?))
                }
                "RelativeYearlyRecurrence" => {
                    let fields = RelativeYearlyFields::read_element(r, child)?;
                    let missing = |what| Error::missing(what, "RelativeYearlyRecurrence");
                    change.pattern = Some(TimeChangePattern::RelativeYearly {
                        days_of_week: fields.days_of_week.ok_or_else(|| missing("DaysOfWeek"))?,
                        day_of_week_index: fields
                            .day_of_week_index
                            .ok_or_else(|| missing("DayOfWeekIndex"))?,
                        month: fields.month.ok_or_else(|| missing("Month"))?,
                    });
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        change.offset = offset.ok_or_else(|| Error::missing("Offset", &kind))?;
        change.time = time.ok_or_else(|| Error::missing("Time", &kind))?;
        Ok(change)
    }
}

xml_sequence! {
    element
    /// A zone in the Exchange 2007 form (`TimeZoneType`, written as `MeetingTimeZone` and in the
    /// `TimeZone` of availability requests): a base bias with optional standard and daylight changes.
    pub struct MeetingTimeZone in Types "t:" {
        @attrs {
            /// The zone's name.
            time_zone_name: String = "TimeZoneName";
        }
        /// The bias of standard time before `Standard`'s own offset: UTC = local + bias (`PT8H` for
        /// UTC-8).
        opt base_offset: SignedDuration = "BaseOffset";
        /// The change to standard time.
        opt standard: TimeChange = "Standard";
        /// The change to daylight time.
        opt daylight: TimeChange = "Daylight";
    }
}

impl MeetingTimeZone {
    /// Compiles the zone for conversions (see [`ZoneRules`]).
    pub fn rules(&self) -> Result<ZoneRules> {
        ZoneRules::from_meeting_time_zone(self)
    }
}
