//! Recurrence (`RecurrenceType`, `TaskRecurrenceType`): a pattern saying on which days a series occurs and
//! a range saying from when and for how long.
//!
//! Exchange stores one master per series and generates occurrences on read; the master lists its first
//! and last occurrences and its modified and deleted ones ([`OccurrenceInfo`], [`DeletedOccurrence`]).
//! [`Recurrence::occurrences`] expands a series the same way, bounded by its range, a count or a
//! window, never endlessly.
//!
//! ```
//! use ews_types::recurrence::{DayOfWeek, Recurrence, RecurrencePattern, RecurrenceRange};
//! use jiff::civil::date;
//!
//! // Every Monday and Thursday, ten times, from 2 March 2026.
//! let series = Recurrence {
//!     pattern: RecurrencePattern::weekly(1, [DayOfWeek::Monday, DayOfWeek::Thursday]),
//!     range: RecurrenceRange::Numbered { start_date: date(2026, 3, 2), number_of_occurrences: 10 },
//! };
//! let dates = series.dates(100).unwrap();
//! assert_eq!(dates.len(), 10);
//! assert_eq!(dates[1], date(2026, 3, 5));
//! ```

mod expand;

pub(crate) use expand::nth_day_in_month;
pub use expand::{CivilTimeZone, Occurrence, OccurrenceQuery};

use jiff::Timestamp;
use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::types::ItemId;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};

open_enum! {
    /// A day of the week, or one of the schema's day groups (`DayOfWeekType`).
    pub enum DayOfWeek {
        /// Sunday.
        Sunday = "Sunday",
        /// Monday.
        Monday = "Monday",
        /// Tuesday.
        Tuesday = "Tuesday",
        /// Wednesday.
        Wednesday = "Wednesday",
        /// Thursday.
        Thursday = "Thursday",
        /// Friday.
        Friday = "Friday",
        /// Saturday.
        Saturday = "Saturday",
        /// Any day.
        Day = "Day",
        /// Monday to Friday.
        Weekday = "Weekday",
        /// Saturday or Sunday.
        WeekendDay = "WeekendDay",
    }
}

impl DayOfWeek {
    /// The single weekday this value names; `None` for the groups (`Day`, `Weekday`, `WeekendDay`) and
    /// unknown values.
    pub fn weekday(&self) -> Option<jiff::civil::Weekday> {
        match self.weekdays()? {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// Whether `day` falls under this value (a single day or a group); `false` for unknown values.
    pub fn includes(&self, day: jiff::civil::Weekday) -> bool {
        self.weekdays().is_some_and(|days| days.contains(&day))
    }

    /// The weekdays this value stands for (several for `Day`, `Weekday` and `WeekendDay`); `None` for a
    /// value this crate does not know.
    pub fn weekdays(&self) -> Option<&'static [jiff::civil::Weekday]> {
        use jiff::civil::Weekday::*;
        Some(match self {
            DayOfWeek::Sunday => &[Sunday],
            DayOfWeek::Monday => &[Monday],
            DayOfWeek::Tuesday => &[Tuesday],
            DayOfWeek::Wednesday => &[Wednesday],
            DayOfWeek::Thursday => &[Thursday],
            DayOfWeek::Friday => &[Friday],
            DayOfWeek::Saturday => &[Saturday],
            DayOfWeek::Day => &[
                Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
            ],
            DayOfWeek::Weekday => &[Monday, Tuesday, Wednesday, Thursday, Friday],
            DayOfWeek::WeekendDay => &[Saturday, Sunday],
            DayOfWeek::Unknown(_) => return None,
        })
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for DayOfWeek {
    fn default() -> Self {
        DayOfWeek::Sunday
    }
}

impl From<jiff::civil::Weekday> for DayOfWeek {
    fn from(day: jiff::civil::Weekday) -> Self {
        use jiff::civil::Weekday::*;
        match day {
            Sunday => DayOfWeek::Sunday,
            Monday => DayOfWeek::Monday,
            Tuesday => DayOfWeek::Tuesday,
            Wednesday => DayOfWeek::Wednesday,
            Thursday => DayOfWeek::Thursday,
            Friday => DayOfWeek::Friday,
            Saturday => DayOfWeek::Saturday,
        }
    }
}

open_enum! {
    /// Which matching day of a month (`DayOfWeekIndexType`).
    pub enum DayOfWeekIndex {
        /// The first.
        First = "First",
        /// The second.
        Second = "Second",
        /// The third.
        Third = "Third",
        /// The fourth.
        Fourth = "Fourth",
        /// The last.
        Last = "Last",
    }
}

impl DayOfWeekIndex {
    /// 1 to 4, or -1 for `Last`; `None` for a value this crate does not know.
    pub fn ordinal(&self) -> Option<i8> {
        Some(match self {
            DayOfWeekIndex::First => 1,
            DayOfWeekIndex::Second => 2,
            DayOfWeekIndex::Third => 3,
            DayOfWeekIndex::Fourth => 4,
            DayOfWeekIndex::Last => -1,
            DayOfWeekIndex::Unknown(_) => return None,
        })
    }
}

open_enum! {
    /// A month (`MonthNamesType`).
    pub enum Month {
        /// January.
        January = "January",
        /// February.
        February = "February",
        /// March.
        March = "March",
        /// April.
        April = "April",
        /// May.
        May = "May",
        /// June.
        June = "June",
        /// July.
        July = "July",
        /// August.
        August = "August",
        /// September.
        September = "September",
        /// October.
        October = "October",
        /// November.
        November = "November",
        /// December.
        December = "December",
    }
}

impl Month {
    const ALL: [Month; 12] = [
        Month::January,
        Month::February,
        Month::March,
        Month::April,
        Month::May,
        Month::June,
        Month::July,
        Month::August,
        Month::September,
        Month::October,
        Month::November,
        Month::December,
    ];

    /// 1 for January to 12 for December; `None` for a value this crate does not know.
    pub fn number(&self) -> Option<i8> {
        Month::ALL
            .iter()
            .position(|m| m == self)
            .and_then(|i| i8::try_from(i + 1).ok())
    }

    /// The month numbered `number` (1 to 12).
    pub fn from_number(number: i8) -> Option<Month> {
        Month::ALL
            .get(usize::try_from(number).ok()?.checked_sub(1)?)
            .cloned()
    }
}

/// On which days a series occurs (the schema's pattern choice).
///
/// The `*Regeneration` patterns belong to tasks only: the next task is due a fixed time after the last
/// one was completed, so they have no occurrences to expand.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecurrencePattern {
    /// `RelativeYearlyRecurrence`: for example the last Friday of November, every year.
    RelativeYearly {
        /// The day (or day group).
        days_of_week: DayOfWeek,
        /// Which one in the month.
        day_of_week_index: DayOfWeekIndex,
        /// The month.
        month: Month,
    },
    /// `AbsoluteYearlyRecurrence`: a day of a month, every year (the last day when the month is shorter).
    AbsoluteYearly {
        /// The day of the month, 1 to 31.
        day_of_month: i32,
        /// The month.
        month: Month,
    },
    /// `RelativeMonthlyRecurrence`: for example the second Tuesday, every `interval` months.
    RelativeMonthly {
        /// Every this many months.
        interval: i32,
        /// The day (or day group).
        days_of_week: DayOfWeek,
        /// Which one in the month.
        day_of_week_index: DayOfWeekIndex,
    },
    /// `AbsoluteMonthlyRecurrence`: a day of the month (the last day when the month is shorter), every
    /// `interval` months.
    AbsoluteMonthly {
        /// Every this many months.
        interval: i32,
        /// The day of the month, 1 to 31.
        day_of_month: i32,
    },
    /// `WeeklyRecurrence`: some days of the week, every `interval` weeks.
    Weekly {
        /// Every this many weeks.
        interval: i32,
        /// The days (at least one).
        days_of_week: Vec<DayOfWeek>,
        /// The first day of a week, which decides how weeks are counted (Sunday when absent).
        first_day_of_week: Option<DayOfWeek>,
    },
    /// `DailyRecurrence`: every `interval` days.
    Daily {
        /// Every this many days.
        interval: i32,
    },
    /// `DailyRegeneration` (tasks only): due `interval` days after the last one was completed.
    DailyRegeneration {
        /// The number of days.
        interval: i32,
    },
    /// `WeeklyRegeneration` (tasks only).
    WeeklyRegeneration {
        /// The number of weeks.
        interval: i32,
    },
    /// `MonthlyRegeneration` (tasks only).
    MonthlyRegeneration {
        /// The number of months.
        interval: i32,
    },
    /// `YearlyRegeneration` (tasks only).
    YearlyRegeneration {
        /// The number of years.
        interval: i32,
    },
}

impl RecurrencePattern {
    /// Every `interval` weeks on `days`, weeks starting on Sunday.
    pub fn weekly(interval: i32, days: impl IntoIterator<Item = DayOfWeek>) -> Self {
        RecurrencePattern::Weekly {
            interval,
            days_of_week: days.into_iter().collect(),
            first_day_of_week: None,
        }
    }

    /// The element name of this pattern, such as `WeeklyRecurrence`.
    pub fn element_name(&self) -> &'static str {
        match self {
            RecurrencePattern::RelativeYearly { .. } => "RelativeYearlyRecurrence",
            RecurrencePattern::AbsoluteYearly { .. } => "AbsoluteYearlyRecurrence",
            RecurrencePattern::RelativeMonthly { .. } => "RelativeMonthlyRecurrence",
            RecurrencePattern::AbsoluteMonthly { .. } => "AbsoluteMonthlyRecurrence",
            RecurrencePattern::Weekly { .. } => "WeeklyRecurrence",
            RecurrencePattern::Daily { .. } => "DailyRecurrence",
            RecurrencePattern::DailyRegeneration { .. } => "DailyRegeneration",
            RecurrencePattern::WeeklyRegeneration { .. } => "WeeklyRegeneration",
            RecurrencePattern::MonthlyRegeneration { .. } => "MonthlyRegeneration",
            RecurrencePattern::YearlyRegeneration { .. } => "YearlyRegeneration",
        }
    }

    /// Whether this is a task-only regeneration pattern, which calendar items cannot carry.
    pub fn is_regeneration(&self) -> bool {
        matches!(
            self,
            RecurrencePattern::DailyRegeneration { .. }
                | RecurrencePattern::WeeklyRegeneration { .. }
                | RecurrencePattern::MonthlyRegeneration { .. }
                | RecurrencePattern::YearlyRegeneration { .. }
        )
    }

    fn write(&self, w: &mut XmlWriter) {
        let name = format!("t:{}", self.element_name());
        w.open(&name).close();
        match self {
            RecurrencePattern::RelativeYearly {
                days_of_week,
                day_of_week_index,
                month,
            } => {
                days_of_week.write_element(w, "t:DaysOfWeek");
                day_of_week_index.write_element(w, "t:DayOfWeekIndex");
                month.write_element(w, "t:Month");
            }
            RecurrencePattern::AbsoluteYearly {
                day_of_month,
                month,
            } => {
                day_of_month.write_element(w, "t:DayOfMonth");
                month.write_element(w, "t:Month");
            }
            RecurrencePattern::RelativeMonthly {
                interval,
                days_of_week,
                day_of_week_index,
            } => {
                interval.write_element(w, "t:Interval");
                days_of_week.write_element(w, "t:DaysOfWeek");
                day_of_week_index.write_element(w, "t:DayOfWeekIndex");
            }
            RecurrencePattern::AbsoluteMonthly {
                interval,
                day_of_month,
            } => {
                interval.write_element(w, "t:Interval");
                day_of_month.write_element(w, "t:DayOfMonth");
            }
            RecurrencePattern::Weekly {
                interval,
                days_of_week,
                first_day_of_week,
            } => {
                interval.write_element(w, "t:Interval");
                let days: Vec<&str> = days_of_week.iter().map(DayOfWeek::as_str).collect();
                w.text_element("t:DaysOfWeek", &days.join(" "));
                if let Some(first) = first_day_of_week {
                    first.write_element(w, "t:FirstDayOfWeek");
                }
            }
            RecurrencePattern::Daily { interval }
            | RecurrencePattern::DailyRegeneration { interval }
            | RecurrencePattern::WeeklyRegeneration { interval }
            | RecurrencePattern::MonthlyRegeneration { interval }
            | RecurrencePattern::YearlyRegeneration { interval } => {
                interval.write_element(w, "t:Interval");
            }
        }
        w.end(&name);
    }

    /// Reads `start` if it is a pattern element; `Ok(None)`, with nothing consumed, otherwise.
    fn read<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        let kind = start.local_name().to_owned();
        let fields = match kind.as_str() {
            "RelativeYearlyRecurrence"
            | "AbsoluteYearlyRecurrence"
            | "RelativeMonthlyRecurrence"
            | "AbsoluteMonthlyRecurrence"
            | "WeeklyRecurrence"
            | "DailyRecurrence"
            | "DailyRegeneration"
            | "WeeklyRegeneration"
            | "MonthlyRegeneration"
            | "YearlyRegeneration" => PatternFields::read_element(r, start)?,
            _ => return Ok(None),
        };
        let need =
            |value: Option<i32>, what: &str| value.ok_or_else(|| Error::missing(what, &kind));
        let need_day =
            |value: Option<String>| value.ok_or_else(|| Error::missing("DaysOfWeek", &kind));
        let need_index = |value: Option<DayOfWeekIndex>| {
            value.ok_or_else(|| Error::missing("DayOfWeekIndex", &kind))
        };
        let need_month = |value: Option<Month>| value.ok_or_else(|| Error::missing("Month", &kind));
        let interval = || need(fields.interval, "Interval");
        Ok(Some(match kind.as_str() {
            "RelativeYearlyRecurrence" => RecurrencePattern::RelativeYearly {
                days_of_week: DayOfWeek::from_wire(need_day(fields.days_of_week.clone())?.trim()),
                day_of_week_index: need_index(fields.day_of_week_index.clone())?,
                month: need_month(fields.month.clone())?,
            },
            "AbsoluteYearlyRecurrence" => RecurrencePattern::AbsoluteYearly {
                day_of_month: need(fields.day_of_month, "DayOfMonth")?,
                month: need_month(fields.month.clone())?,
            },
            "RelativeMonthlyRecurrence" => RecurrencePattern::RelativeMonthly {
                interval: interval()?,
                days_of_week: DayOfWeek::from_wire(need_day(fields.days_of_week.clone())?.trim()),
                day_of_week_index: need_index(fields.day_of_week_index.clone())?,
            },
            "AbsoluteMonthlyRecurrence" => RecurrencePattern::AbsoluteMonthly {
                interval: interval()?,
                day_of_month: need(fields.day_of_month, "DayOfMonth")?,
            },
            "WeeklyRecurrence" => RecurrencePattern::Weekly {
                interval: interval()?,
                days_of_week: need_day(fields.days_of_week.clone())?
                    .split_whitespace()
                    .map(DayOfWeek::from_wire)
                    .collect(),
                first_day_of_week: fields.first_day_of_week.clone(),
            },
            "DailyRecurrence" => RecurrencePattern::Daily {
                interval: interval()?,
            },
            "DailyRegeneration" => RecurrencePattern::DailyRegeneration {
                interval: interval()?,
            },
            "WeeklyRegeneration" => RecurrencePattern::WeeklyRegeneration {
                interval: interval()?,
            },
            "MonthlyRegeneration" => RecurrencePattern::MonthlyRegeneration {
                interval: interval()?,
            },
            _ => RecurrencePattern::YearlyRegeneration {
                interval: interval()?,
            },
        }))
    }
}

/// From when and for how long a series runs (the schema's range choice). Dates are civil dates in the
/// series' zone.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecurrenceRange {
    /// `NoEndRecurrence`: forever (expansion then needs a count or a window).
    NoEnd {
        /// The first day the series may occur on.
        start_date: Date,
    },
    /// `EndDateRecurrence`: until a date, inclusive.
    EndDate {
        /// The first day the series may occur on.
        start_date: Date,
        /// The last day it may occur on.
        end_date: Date,
    },
    /// `NumberedRecurrence`: a number of occurrences.
    Numbered {
        /// The first day the series may occur on.
        start_date: Date,
        /// How many occurrences.
        number_of_occurrences: i32,
    },
}

impl RecurrenceRange {
    /// The first day the series may occur on.
    pub fn start_date(&self) -> Date {
        match self {
            RecurrenceRange::NoEnd { start_date }
            | RecurrenceRange::EndDate { start_date, .. }
            | RecurrenceRange::Numbered { start_date, .. } => *start_date,
        }
    }

    fn write(&self, w: &mut XmlWriter) {
        let name = match self {
            RecurrenceRange::NoEnd { .. } => "t:NoEndRecurrence",
            RecurrenceRange::EndDate { .. } => "t:EndDateRecurrence",
            RecurrenceRange::Numbered { .. } => "t:NumberedRecurrence",
        };
        w.open(name).close();
        self.start_date().write_element(w, "t:StartDate");
        match self {
            RecurrenceRange::NoEnd { .. } => {}
            RecurrenceRange::EndDate { end_date, .. } => end_date.write_element(w, "t:EndDate"),
            RecurrenceRange::Numbered {
                number_of_occurrences,
                ..
            } => number_of_occurrences.write_element(w, "t:NumberOfOccurrences"),
        }
        w.end(name);
    }

    fn read<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        let kind = start.local_name().to_owned();
        if !matches!(
            kind.as_str(),
            "NoEndRecurrence" | "EndDateRecurrence" | "NumberedRecurrence"
        ) {
            return Ok(None);
        }
        let fields = RangeFields::read_element(r, start)?;
        let start_date = fields
            .start_date
            .ok_or_else(|| Error::missing("StartDate", &kind))?;
        Ok(Some(match kind.as_str() {
            "NoEndRecurrence" => RecurrenceRange::NoEnd { start_date },
            "EndDateRecurrence" => RecurrenceRange::EndDate {
                start_date,
                end_date: fields
                    .end_date
                    .ok_or_else(|| Error::missing("EndDate", &kind))?,
            },
            _ => RecurrenceRange::Numbered {
                start_date,
                number_of_occurrences: fields
                    .number_of_occurrences
                    .ok_or_else(|| Error::missing("NumberOfOccurrences", &kind))?,
            },
        }))
    }
}

/// The children of pattern and range elements, read before the variant is chosen.
#[allow(unreachable_pub)]
mod wire {
    use jiff::civil::Date;

    use super::{DayOfWeek, DayOfWeekIndex, Month};
    use crate::xml::xml_sequence;

    xml_sequence! {
        element
        /// Every child any pattern element may hold, read before the pattern is chosen.
        pub struct PatternFields in Types "t:" {
            /// `Interval`.
            opt interval: i32 = "Interval";
            /// `DaysOfWeek` (a list of names in `WeeklyRecurrence`).
            opt days_of_week: String = "DaysOfWeek";
            /// `FirstDayOfWeek`.
            opt first_day_of_week: DayOfWeek = "FirstDayOfWeek";
            /// `DayOfWeekIndex`.
            opt day_of_week_index: DayOfWeekIndex = "DayOfWeekIndex";
            /// `DayOfMonth`.
            opt day_of_month: i32 = "DayOfMonth";
            /// `Month`.
            opt month: Month = "Month";
        }
    }

    xml_sequence! {
        element
        /// Every child any range element may hold.
        pub struct RangeFields in Types "t:" {
            /// `StartDate`.
            opt start_date: Date = "StartDate";
            /// `EndDate`.
            opt end_date: Date = "EndDate";
            /// `NumberOfOccurrences`.
            opt number_of_occurrences: i32 = "NumberOfOccurrences";
        }
    }
}

use wire::{PatternFields, RangeFields};

/// A series: a pattern and a range (`RecurrenceType`; `TaskRecurrenceType` for tasks, which may also use
/// the regeneration patterns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// On which days.
    pub pattern: RecurrencePattern,
    /// From when, for how long.
    pub range: RecurrenceRange,
}

impl XmlElement for Recurrence {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.pattern.write(w);
        self.range.write(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut pattern = None;
        let mut range = None;
        r.children(start, |r, child| {
            if child.ns() != Ns::Types {
                return Ok(false);
            }
            if pattern.is_none() {
                if let Some(found) = RecurrencePattern::read(r, child)? {
                    pattern = Some(found);
                    return Ok(true);
                }
            }
            if range.is_none() {
                if let Some(found) = RecurrenceRange::read(r, child)? {
                    range = Some(found);
                    return Ok(true);
                }
            }
            Ok(false)
        })?;
        Ok(Recurrence {
            pattern: pattern.ok_or_else(|| Error::missing("a recurrence pattern", "Recurrence"))?,
            range: range.ok_or_else(|| Error::missing("a recurrence range", "Recurrence"))?,
        })
    }
}

xml_sequence! {
    element
    /// An occurrence of a series as its master lists it (`OccurrenceInfoType`: `FirstOccurrence`,
    /// `LastOccurrence`, the entries of `ModifiedOccurrences`).
    pub struct OccurrenceInfo in Types "t:" {
        /// The occurrence's own id.
        opt item_id: ItemId = "ItemId";
        /// Its start (moved, for a modified occurrence).
        opt start: Timestamp = "Start";
        /// Its end.
        opt end: Timestamp = "End";
        /// The start the pattern gave it.
        opt original_start: Timestamp = "OriginalStart";
    }
}

xml_sequence! {
    element
    /// A deleted occurrence of a series (`DeletedOccurrenceInfoType`), by the start the pattern gave it.
    pub struct DeletedOccurrence in Types "t:" {
        /// The start the pattern gave it.
        opt start: Timestamp = "Start";
    }
}
