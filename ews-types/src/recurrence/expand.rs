//! Expanding a series into occurrences, as Exchange does on read.
//!
//! A pattern yields civil dates in the series' zone; each date at the series' time of day is one
//! occurrence, converted to an instant through the zone (a [`jiff::tz::TimeZone`] or the
//! [`ZoneRules`](crate::time_zone::ZoneRules) of an EWS definition), so a 09:00 meeting stays at 09:00
//! local across daylight-saving changes. Expansion always ends: at the range's end date or count, at the
//! end of the caller's window, or after the caller's maximum number of occurrences.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};
use crate::types::ItemId;

use super::{DeletedOccurrence, OccurrenceInfo, Recurrence, RecurrencePattern, RecurrenceRange};

/// A zone that maps civil times to instants and back.
///
/// Implemented for [`jiff::tz::TimeZone`] (IANA zones) and for
/// [`ZoneRules`](crate::time_zone::ZoneRules) (an EWS `TimeZoneDefinition` or `MeetingTimeZone`). A civil
/// time that falls in a daylight-saving gap moves forward by the gap and one that occurs twice takes the
/// earlier instant (`Disambiguation::Compatible`, as Exchange and RFC 5545 do).
pub trait CivilTimeZone {
    /// The instant of a civil time in this zone.
    fn instant_of(&self, local: DateTime) -> Result<Timestamp>;
    /// The civil time of an instant in this zone.
    fn civil_of(&self, instant: Timestamp) -> Result<DateTime>;
}

impl CivilTimeZone for jiff::tz::TimeZone {
    fn instant_of(&self, local: DateTime) -> Result<Timestamp> {
        self.to_ambiguous_timestamp(local)
            .compatible()
            .map_err(|e| out_of_range(&e.to_string()))
    }

    fn civil_of(&self, instant: Timestamp) -> Result<DateTime> {
        Ok(self.to_datetime(instant))
    }
}

fn out_of_range(detail: &str) -> Error {
    Error::InvalidRecurrence {
        reason: format!("an occurrence falls outside the supported date range: {detail}"),
    }
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidRecurrence {
        reason: reason.into(),
    }
}

/// What to expand: the series' time of day and length, the bounds, and the master's exceptions.
///
/// ```
/// use ews_types::recurrence::OccurrenceQuery;
/// use jiff::{civil::time, SignedDuration};
///
/// let query = OccurrenceQuery::new(time(9, 0, 0, 0))
///     .lasting(SignedDuration::from_mins(30))
///     .at_most(52);
/// assert_eq!(query.max_occurrences, 52);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OccurrenceQuery<'a> {
    /// The civil time of day every occurrence starts at (the master's start, in its zone).
    pub time_of_day: Time,
    /// How long each occurrence lasts (the master's end minus its start).
    pub duration: SignedDuration,
    /// Only occurrences that end after this instant (or start at it).
    pub from: Option<Timestamp>,
    /// Only occurrences that start before this instant.
    pub until: Option<Timestamp>,
    /// At most this many occurrences are returned (1,000 unless set).
    pub max_occurrences: usize,
    /// The master's `DeletedOccurrences`: these are skipped.
    pub deleted: &'a [DeletedOccurrence],
    /// The master's `ModifiedOccurrences`: these take their own start and end.
    pub modified: &'a [OccurrenceInfo],
}

impl<'a> OccurrenceQuery<'a> {
    /// Occurrences starting at `time_of_day`, without a window, at most 1,000, without exceptions.
    pub fn new(time_of_day: Time) -> Self {
        OccurrenceQuery {
            time_of_day,
            duration: SignedDuration::ZERO,
            from: None,
            until: None,
            max_occurrences: 1000,
            deleted: &[],
            modified: &[],
        }
    }

    /// Each occurrence lasts `duration`.
    pub fn lasting(mut self, duration: SignedDuration) -> Self {
        self.duration = duration;
        self
    }

    /// Only the occurrences overlapping `[from, until)`.
    pub fn between(mut self, from: Timestamp, until: Timestamp) -> Self {
        self.from = Some(from);
        self.until = Some(until);
        self
    }

    /// At most `max` occurrences.
    pub fn at_most(mut self, max: usize) -> Self {
        self.max_occurrences = max;
        self
    }

    /// Applies the master's deleted and modified occurrences.
    pub fn with_exceptions(
        mut self,
        deleted: &'a [DeletedOccurrence],
        modified: &'a [OccurrenceInfo],
    ) -> Self {
        self.deleted = deleted;
        self.modified = modified;
        self
    }
}

/// One occurrence of a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Its position in the series, from 1 (deleted occurrences count), as `OccurrenceItemId` uses it.
    pub instance_index: u32,
    /// The start the pattern gives it.
    pub original_start: Timestamp,
    /// Its start (moved, when it was modified).
    pub start: Timestamp,
    /// Its end.
    pub end: Timestamp,
    /// Its start as a civil time in the series' zone.
    pub local_start: DateTime,
    /// The id of a modified occurrence, as the master lists it.
    pub modified_item_id: Option<ItemId>,
    /// Whether it was modified.
    pub is_modified: bool,
}

impl Recurrence {
    /// The civil dates of the series, in order: at most `max` of them, and never past the range's end
    /// date or count.
    pub fn dates(&self, max: usize) -> Result<Vec<Date>> {
        let mut dates = Vec::new();
        let mut series = DateSeries::new(self)?;
        while dates.len() < max {
            match series.next_date()? {
                Some(date) => dates.push(date),
                None => break,
            }
        }
        Ok(dates)
    }

    /// The occurrences of the series in `zone`, sorted by start.
    ///
    /// Expansion stops at the range's end, at `query.until` (once no modified occurrence can still move
    /// into the window) or after `query.max_occurrences` occurrences, whichever comes first, so a series
    /// without an end is safe to expand. Deleted occurrences are skipped; modified ones take the start
    /// and end the master lists for them.
    ///
    /// ```
    /// use ews_types::recurrence::{OccurrenceQuery, Recurrence, RecurrencePattern, RecurrenceRange};
    /// use jiff::civil::{date, time};
    /// use jiff::tz::TimeZone;
    ///
    /// let weekly = Recurrence {
    ///     pattern: RecurrencePattern::weekly(1, [ews_types::recurrence::DayOfWeek::Monday]),
    ///     range: RecurrenceRange::NoEnd { start_date: date(2026, 3, 16) },
    /// };
    /// let london = TimeZone::get("Europe/London").unwrap();
    /// let found = weekly.occurrences(&london, &OccurrenceQuery::new(time(9, 0, 0, 0)).at_most(3)).unwrap();
    /// // 09:00 local on both sides of the change on 29 March 2026: 09:00Z, then 08:00Z.
    /// assert_eq!(found[1].start.to_string(), "2026-03-23T09:00:00Z");
    /// assert_eq!(found[2].start.to_string(), "2026-03-30T08:00:00Z");
    /// ```
    pub fn occurrences(
        &self,
        zone: &impl CivilTimeZone,
        query: &OccurrenceQuery<'_>,
    ) -> Result<Vec<Occurrence>> {
        let mut series = DateSeries::new(self)?;
        let last_modified = query.modified.iter().filter_map(|m| m.original_start).max();
        let mut found = Vec::new();
        let mut index: u32 = 0;
        while found.len() < query.max_occurrences {
            let Some(date) = series.next_date()? else {
                break;
            };
            index = index.saturating_add(1);
            let local = date.to_datetime(query.time_of_day);
            let original_start = zone.instant_of(local)?;
            if let Some(until) = query.until {
                if original_start >= until && last_modified.is_none_or(|m| original_start > m) {
                    break;
                }
            }
            if query
                .deleted
                .iter()
                .any(|d| d.start == Some(original_start))
            {
                continue;
            }
            let modified = query
                .modified
                .iter()
                .find(|m| m.original_start == Some(original_start));
            let start = modified.and_then(|m| m.start).unwrap_or(original_start);
            let end = match modified.and_then(|m| m.end) {
                Some(end) => end,
                None => start
                    .checked_add(query.duration)
                    .map_err(|e| out_of_range(&e.to_string()))?,
            };
            let visible = query.until.is_none_or(|until| start < until)
                && query.from.is_none_or(|from| end > from || start >= from);
            if !visible {
                continue;
            }
            found.push(Occurrence {
                instance_index: index,
                original_start,
                start,
                end,
                local_start: if modified.is_some() {
                    zone.civil_of(start)?
                } else {
                    local
                },
                modified_item_id: modified.and_then(|m| m.item_id.clone()),
                is_modified: modified.is_some(),
            });
        }
        found.sort_by_key(|o| (o.start, o.instance_index));
        Ok(found)
    }
}

/// The `ordinal`-th day of `year`-`month` whose weekday is one of `days` (1 to 4; -1 or 5 for the last
/// one, as Windows time-zone rules write it).
pub(crate) fn nth_day_in_month(
    year: i16,
    month: i8,
    days: &[Weekday],
    ordinal: i8,
) -> Option<Date> {
    let first = Date::new(year, month, 1).ok()?;
    let mut matching = (0..first.days_in_month())
        .filter_map(|offset| add_days(first, i64::from(offset)))
        .filter(|d| days.contains(&d.weekday()));
    match ordinal {
        -1 | 5 => matching.next_back(),
        1..=4 => matching.nth(usize::try_from(ordinal - 1).ok()?),
        _ => None,
    }
}

/// `date` moved by `days` days; `None` outside the supported range (never a panic).
fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

/// A day of a month, moved to the month's last day when the month is shorter.
fn clamped_day(year: i16, month: i8, day: i8) -> Option<Date> {
    let first = Date::new(year, month, 1).ok()?;
    Date::new(year, month, day.min(first.days_in_month())).ok()
}

/// A pattern with its values checked and converted.
#[derive(Debug)]
enum Rule {
    Daily {
        every_days: i64,
    },
    Weekly {
        every_weeks: i64,
        week_start: Weekday,
        days: Vec<Weekday>,
    },
    MonthlyOnDay {
        every_months: i64,
        day: i8,
    },
    MonthlyRelative {
        every_months: i64,
        days: &'static [Weekday],
        ordinal: i8,
    },
    YearlyOnDay {
        month: i8,
        day: i8,
    },
    YearlyRelative {
        month: i8,
        days: &'static [Weekday],
        ordinal: i8,
    },
}

fn interval(value: i32) -> Result<i64> {
    if value < 1 {
        return Err(invalid(format!(
            "the interval must be at least 1, not {value}"
        )));
    }
    Ok(i64::from(value))
}

fn day_of_month(value: i32) -> Result<i8> {
    i8::try_from(value)
        .ok()
        .filter(|d| (1..=31).contains(d))
        .ok_or_else(|| invalid(format!("the day of the month must be 1 to 31, not {value}")))
}

fn month_number(month: &super::Month) -> Result<i8> {
    month
        .number()
        .ok_or_else(|| invalid(format!("unknown month {month}")))
}

fn day_group(day: &super::DayOfWeek) -> Result<&'static [Weekday]> {
    day.weekdays()
        .ok_or_else(|| invalid(format!("unknown day of the week {day}")))
}

fn ordinal(index: &super::DayOfWeekIndex) -> Result<i8> {
    index
        .ordinal()
        .ok_or_else(|| invalid(format!("unknown day-of-week index {index}")))
}

impl Rule {
    fn new(pattern: &RecurrencePattern) -> Result<Rule> {
        Ok(match pattern {
            RecurrencePattern::Daily { interval: n } => Rule::Daily {
                every_days: interval(*n)?,
            },
            RecurrencePattern::Weekly {
                interval: n,
                days_of_week,
                first_day_of_week,
            } => {
                let mut days = Vec::new();
                for day in days_of_week {
                    days.extend_from_slice(day_group(day)?);
                }
                if days.is_empty() {
                    return Err(invalid("a weekly pattern needs at least one day"));
                }
                let week_start = match first_day_of_week {
                    Some(day) => match day_group(day)? {
                        [single] => *single,
                        _ => return Err(invalid(format!("{day} cannot start a week"))),
                    },
                    None => Weekday::Sunday,
                };
                Rule::Weekly {
                    every_weeks: interval(*n)?,
                    week_start,
                    days,
                }
            }
            RecurrencePattern::AbsoluteMonthly {
                interval: n,
                day_of_month: day,
            } => Rule::MonthlyOnDay {
                every_months: interval(*n)?,
                day: day_of_month(*day)?,
            },
            RecurrencePattern::RelativeMonthly {
                interval: n,
                days_of_week,
                day_of_week_index,
            } => Rule::MonthlyRelative {
                every_months: interval(*n)?,
                days: day_group(days_of_week)?,
                ordinal: ordinal(day_of_week_index)?,
            },
            RecurrencePattern::AbsoluteYearly {
                day_of_month: day,
                month,
            } => Rule::YearlyOnDay {
                month: month_number(month)?,
                day: day_of_month(*day)?,
            },
            RecurrencePattern::RelativeYearly {
                days_of_week,
                day_of_week_index,
                month,
            } => Rule::YearlyRelative {
                month: month_number(month)?,
                days: day_group(days_of_week)?,
                ordinal: ordinal(day_of_week_index)?,
            },
            other => {
                return Err(invalid(format!(
                    "{} is a task regeneration pattern: its occurrences depend on when each task is \
                     completed, so it cannot be expanded",
                    other.element_name()
                )));
            }
        })
    }

    /// The dates of the `period`-th period (day, week, month or year) counted from `start`, in order;
    /// `None` past the supported date range.
    fn period_dates(&self, start: Date, period: i64) -> Option<Vec<Date>> {
        let month_of = |every: i64| -> Option<(i16, i8)> {
            let base = start.first_of_month();
            let months = jiff::Span::new()
                .try_months(period.checked_mul(every)?)
                .ok()?;
            let shifted = base.checked_add(months).ok()?;
            Some((shifted.year(), shifted.month()))
        };
        let year_of = || -> Option<i16> { i16::try_from(i64::from(start.year()) + period).ok() };
        Some(match self {
            Rule::Daily { every_days } => {
                vec![add_days(start, period.checked_mul(*every_days)?)?]
            }
            Rule::Weekly {
                every_weeks,
                week_start,
                days,
            } => {
                let back = i64::from(start.weekday().since(*week_start));
                let weeks = period.checked_mul(*every_weeks)?.checked_mul(7)?;
                let week = add_days(add_days(start, -back)?, weeks)?;
                let mut dates: Vec<Date> = days
                    .iter()
                    .filter_map(|day| add_days(week, i64::from(day.since(*week_start))))
                    .collect();
                dates.sort();
                dates.dedup();
                dates
            }
            Rule::MonthlyOnDay { every_months, day } => {
                let (year, month) = month_of(*every_months)?;
                vec![clamped_day(year, month, *day)?]
            }
            Rule::MonthlyRelative {
                every_months,
                days,
                ordinal,
            } => {
                let (year, month) = month_of(*every_months)?;
                vec![nth_day_in_month(year, month, days, *ordinal)?]
            }
            Rule::YearlyOnDay { month, day } => vec![clamped_day(year_of()?, *month, *day)?],
            Rule::YearlyRelative {
                month,
                days,
                ordinal,
            } => vec![nth_day_in_month(year_of()?, *month, days, *ordinal)?],
        })
    }
}

/// The dates of a series, one at a time, within its range.
struct DateSeries {
    rule: Rule,
    start: Date,
    end: Option<Date>,
    remaining: Option<u64>,
    period: i64,
    pending: std::vec::IntoIter<Date>,
}

impl DateSeries {
    fn new(recurrence: &Recurrence) -> Result<Self> {
        let rule = Rule::new(&recurrence.pattern)?;
        let (end, remaining) = match &recurrence.range {
            RecurrenceRange::NoEnd { .. } => (None, None),
            RecurrenceRange::EndDate { end_date, .. } => (Some(*end_date), None),
            RecurrenceRange::Numbered {
                number_of_occurrences,
                ..
            } => (
                None,
                Some(u64::try_from(*number_of_occurrences).unwrap_or(0)),
            ),
        };
        Ok(DateSeries {
            rule,
            start: recurrence.range.start_date(),
            end,
            remaining,
            period: 0,
            pending: Vec::new().into_iter(),
        })
    }

    fn next_date(&mut self) -> Result<Option<Date>> {
        if self.remaining == Some(0) {
            return Ok(None);
        }
        loop {
            if let Some(date) = self.pending.next() {
                if date < self.start {
                    continue;
                }
                if self.end.is_some_and(|end| date > end) {
                    self.remaining = Some(0);
                    return Ok(None);
                }
                if let Some(remaining) = &mut self.remaining {
                    *remaining -= 1;
                }
                return Ok(Some(date));
            }
            let Some(dates) = self.rule.period_dates(self.start, self.period) else {
                // Past the last representable date: the series ends there.
                self.remaining = Some(0);
                return Ok(None);
            };
            self.period += 1;
            self.pending = dates.into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recurrence::{DayOfWeek, DayOfWeekIndex, Month};
    use jiff::civil::date;

    fn series(pattern: RecurrencePattern, range: RecurrenceRange) -> Recurrence {
        Recurrence { pattern, range }
    }

    #[test]
    fn day_31_falls_on_the_last_day_of_shorter_months() {
        let monthly = series(
            RecurrencePattern::AbsoluteMonthly {
                interval: 1,
                day_of_month: 31,
            },
            RecurrenceRange::Numbered {
                start_date: date(2027, 1, 1),
                number_of_occurrences: 4,
            },
        );
        assert_eq!(
            monthly.dates(10).unwrap(),
            [
                date(2027, 1, 31),
                date(2027, 2, 28),
                date(2027, 3, 31),
                date(2027, 4, 30)
            ]
        );
    }

    #[test]
    fn relative_patterns_pick_the_right_day_of_a_group() {
        let last_weekday = series(
            RecurrencePattern::RelativeMonthly {
                interval: 2,
                days_of_week: DayOfWeek::Weekday,
                day_of_week_index: DayOfWeekIndex::Last,
            },
            RecurrenceRange::EndDate {
                start_date: date(2026, 1, 1),
                end_date: date(2026, 7, 1),
            },
        );
        // 30 Jan 2026 is a Friday; 31 May 2026 is a Sunday, so the last weekday is Friday 29 May.
        assert_eq!(
            last_weekday.dates(10).unwrap(),
            [date(2026, 1, 30), date(2026, 3, 31), date(2026, 5, 29)]
        );
        let thanksgiving = series(
            RecurrencePattern::RelativeYearly {
                days_of_week: DayOfWeek::Thursday,
                day_of_week_index: DayOfWeekIndex::Fourth,
                month: Month::November,
            },
            RecurrenceRange::Numbered {
                start_date: date(2026, 12, 1),
                number_of_occurrences: 2,
            },
        );
        assert_eq!(
            thanksgiving.dates(10).unwrap(),
            [date(2027, 11, 25), date(2028, 11, 23)]
        );
    }

    #[test]
    fn weeks_are_counted_from_the_week_holding_the_start_date() {
        // Every other week on Sunday and Wednesday, weeks starting Monday, from Tuesday 3 March 2026.
        let fortnightly = series(
            RecurrencePattern::Weekly {
                interval: 2,
                days_of_week: vec![DayOfWeek::Sunday, DayOfWeek::Wednesday],
                first_day_of_week: Some(DayOfWeek::Monday),
            },
            RecurrenceRange::Numbered {
                start_date: date(2026, 3, 3),
                number_of_occurrences: 4,
            },
        );
        assert_eq!(
            fortnightly.dates(10).unwrap(),
            [
                date(2026, 3, 4),
                date(2026, 3, 8),
                date(2026, 3, 18),
                date(2026, 3, 22)
            ]
        );
    }

    #[test]
    fn broken_patterns_are_typed_errors_not_endless_loops() {
        let start = RecurrenceRange::NoEnd {
            start_date: date(2026, 1, 1),
        };
        for pattern in [
            RecurrencePattern::Daily { interval: 0 },
            RecurrencePattern::weekly(1, []),
            RecurrencePattern::weekly(1, [DayOfWeek::Unknown("Someday".into())]),
            RecurrencePattern::AbsoluteMonthly {
                interval: 1,
                day_of_month: 32,
            },
            RecurrencePattern::DailyRegeneration { interval: 3 },
        ] {
            let error = series(pattern.clone(), start.clone()).dates(5).unwrap_err();
            assert!(
                matches!(error, Error::InvalidRecurrence { .. }),
                "{pattern:?}: {error}"
            );
        }
    }

    #[test]
    fn a_series_without_end_stops_at_the_end_of_time() {
        let daily = series(
            RecurrencePattern::AbsoluteYearly {
                day_of_month: 1,
                month: Month::January,
            },
            RecurrenceRange::NoEnd {
                start_date: date(9990, 1, 1),
            },
        );
        assert_eq!(daily.dates(usize::MAX).unwrap().len(), 10);
    }

    #[test]
    fn exceptions_are_applied_and_a_window_bounds_a_series_without_end() {
        let at = |text: &str| text.parse::<Timestamp>().unwrap();
        let daily = series(
            RecurrencePattern::Daily { interval: 1 },
            RecurrenceRange::NoEnd {
                start_date: date(2026, 1, 1),
            },
        );
        let deleted = [DeletedOccurrence {
            start: Some(at("2026-01-03T10:00:00Z")),
        }];
        let modified = [OccurrenceInfo {
            item_id: Some(ItemId::new("AAMkException")),
            start: Some(at("2026-01-02T15:00:00Z")),
            end: Some(at("2026-01-02T16:00:00Z")),
            original_start: Some(at("2026-01-04T10:00:00Z")),
        }];
        let query = OccurrenceQuery::new(Time::constant(10, 0, 0, 0))
            .lasting(SignedDuration::from_mins(30))
            .between(at("2026-01-02T00:00:00Z"), at("2026-01-06T00:00:00Z"))
            .with_exceptions(&deleted, &modified);
        let found = daily.occurrences(&jiff::tz::TimeZone::UTC, &query).unwrap();
        let summary: Vec<(u32, String, bool)> = found
            .iter()
            .map(|o| (o.instance_index, o.start.to_string(), o.is_modified))
            .collect();
        assert_eq!(
            summary,
            [
                (2, "2026-01-02T10:00:00Z".to_owned(), false),
                (4, "2026-01-02T15:00:00Z".to_owned(), true),
                (5, "2026-01-05T10:00:00Z".to_owned(), false),
            ]
        );
        assert_eq!(found[1].end, at("2026-01-02T16:00:00Z"));
        assert_eq!(
            found[1].modified_item_id.as_ref().map(|id| id.id.as_str()),
            Some("AAMkException")
        );
        assert_eq!(found[0].end, at("2026-01-02T10:30:00Z"));
    }

    #[test]
    fn a_window_far_from_a_modified_occurrence_still_ends() {
        let at = |text: &str| text.parse::<Timestamp>().unwrap();
        let weekly = series(
            RecurrencePattern::weekly(1, [DayOfWeek::Friday]),
            RecurrenceRange::NoEnd {
                start_date: date(2026, 1, 1),
            },
        );
        let modified = [OccurrenceInfo {
            original_start: Some(at("2027-01-01T10:00:00Z")),
            start: Some(at("2026-02-01T10:00:00Z")),
            ..OccurrenceInfo::default()
        }];
        let query = OccurrenceQuery::new(Time::constant(10, 0, 0, 0))
            .between(at("2026-01-30T00:00:00Z"), at("2026-02-07T00:00:00Z"))
            .with_exceptions(&[], &modified);
        let found = weekly
            .occurrences(&jiff::tz::TimeZone::UTC, &query)
            .unwrap();
        let starts: Vec<String> = found.iter().map(|o| o.start.to_string()).collect();
        // The exception moved from 2027 into the window is found; the loop stopped after it.
        assert_eq!(
            starts,
            [
                "2026-01-30T10:00:00Z",
                "2026-02-01T10:00:00Z",
                "2026-02-06T10:00:00Z"
            ]
        );
    }
}
