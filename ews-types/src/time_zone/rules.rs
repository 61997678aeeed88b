//! Conversion through EWS zones: the UTC offset at an instant, and the instant of a civil time.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{Disambiguation, Offset};
use jiff::{SignedDuration, Timestamp};

use crate::error::{Error, Result};
use crate::recurrence::{CivilTimeZone, DayOfWeek};

use super::legacy::{MeetingTimeZone, TimeChange, TimeChangePattern};
use super::{TimeZoneDefinition, Transition, TransitionTarget, TransitionTargetKind};

/// What a civil time is in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTime {
    /// It occurs once.
    Unique(Timestamp),
    /// It occurs twice (the hour repeated when daylight time ends).
    Ambiguous {
        /// The first time, still in the earlier offset.
        earlier: Timestamp,
        /// The second time, in the later offset.
        later: Timestamp,
    },
    /// It does not occur (the hour skipped when daylight time starts). `earlier` reads it with the
    /// offset after the gap, `later` with the offset before it (the civil time moved forward by the
    /// gap, as Exchange and RFC 5545 do).
    Skipped {
        /// The instant just before the gap that the civil time maps to with the later offset.
        earlier: Timestamp,
        /// The instant after the gap that the civil time maps to with the earlier offset.
        later: Timestamp,
    },
}

impl LocalTime {
    /// One instant, chosen as `how` says; `Reject` refuses skipped and repeated times.
    pub fn choose(self, how: Disambiguation) -> Option<Timestamp> {
        match (self, how) {
            (LocalTime::Unique(t), _) => Some(t),
            (_, Disambiguation::Reject) => None,
            (LocalTime::Ambiguous { later, .. }, Disambiguation::Later)
            | (LocalTime::Skipped { later, .. }, Disambiguation::Later) => Some(later),
            (LocalTime::Ambiguous { earlier, .. }, Disambiguation::Earlier)
            | (LocalTime::Skipped { earlier, .. }, Disambiguation::Earlier) => Some(earlier),
            (LocalTime::Ambiguous { earlier, .. }, _) => Some(earlier),
            (LocalTime::Skipped { later, .. }, _) => Some(later),
        }
    }
}

/// The day of a yearly change.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ChangeDay {
    /// The `ordinal`-th `weekday` of `month` (-1 for the last).
    Weekday {
        month: i8,
        weekday: Weekday,
        ordinal: i8,
    },
    /// A fixed day of `month` (the last day when the month is shorter).
    Date { month: i8, day: i8 },
    /// One civil date and time only.
    Once(DateTime),
}

/// A change to `to`, on `day` at `at` after midnight in the civil time in force before it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    day: ChangeDay,
    at: SignedDuration,
    to: Offset,
}

impl Change {
    fn civil_in(&self, year: i16) -> Option<DateTime> {
        let date = match &self.day {
            ChangeDay::Weekday {
                month,
                weekday,
                ordinal,
            } => crate::recurrence::nth_day_in_month(year, *month, &[*weekday], *ordinal)?,
            ChangeDay::Date { month, day } => {
                let first = Date::new(year, *month, 1).ok()?;
                Date::new(year, *month, (*day).min(first.days_in_month())).ok()?
            }
            ChangeDay::Once(when) => {
                return (when.year() == year).then_some(*when);
            }
        };
        date.to_datetime(Time::midnight()).checked_add(self.at).ok()
    }
}

/// The offsets of one era of a zone.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Fixed(Offset),
    Yearly {
        changes: Vec<Change>,
        initial: Offset,
    },
}

impl Rule {
    fn offset_at(&self, instant: Timestamp) -> Offset {
        let (changes, initial) = match self {
            Rule::Fixed(offset) => return *offset,
            Rule::Yearly { changes, initial } => (changes, *initial),
        };
        let year = Offset::UTC.to_datetime(instant).year();
        let mut dated: Vec<(DateTime, Offset)> = Vec::new();
        for y in [year.checked_sub(1), Some(year), year.checked_add(1)]
            .into_iter()
            .flatten()
        {
            dated.extend(
                changes
                    .iter()
                    .filter_map(|c| c.civil_in(y).map(|civil| (civil, c.to))),
            );
        }
        dated.sort_by_key(|(civil, _)| *civil);
        let recurs = changes.iter().any(|c| !matches!(c.day, ChangeDay::Once(_)));
        let mut before = match dated.last() {
            Some((_, to)) if recurs => *to,
            _ => initial,
        };
        let mut current = before;
        for (civil, to) in dated {
            match before.to_timestamp(civil) {
                Ok(at) if at <= instant => current = to,
                Ok(_) => break,
                Err(_) => {}
            }
            before = to;
        }
        current
    }

    fn offsets(&self) -> Vec<Offset> {
        match self {
            Rule::Fixed(offset) => vec![*offset],
            Rule::Yearly { changes, initial } => std::iter::once(*initial)
                .chain(changes.iter().map(|c| c.to))
                .collect(),
        }
    }
}

/// An era: a rule from an instant on (from the beginning of time for the first).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Era {
    from: Option<Timestamp>,
    rule: Rule,
}

/// A zone compiled for conversions, from a [`TimeZoneDefinition`] or a [`MeetingTimeZone`].
///
/// Compile once ([`TimeZoneDefinition::rules`]) and convert many times; every conversion after
/// compiling is infallible except for civil times outside the supported range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRules {
    id: String,
    eras: Vec<Era>,
    offsets: Vec<Offset>,
}

fn broken(zone: &str, reason: impl Into<String>) -> Error {
    Error::BrokenTimeZone {
        zone: zone.to_owned(),
        reason: reason.into(),
    }
}

/// The UTC offset of a bias (UTC = local + bias).
fn offset_of_bias(zone: &str, bias: SignedDuration) -> Result<Offset> {
    i32::try_from(bias.as_secs())
        .ok()
        .and_then(|seconds| seconds.checked_neg())
        .and_then(|seconds| Offset::from_seconds(seconds).ok())
        .ok_or_else(|| broken(zone, format!("bias {bias:?} is out of range")))
}

/// Resolves `local` against candidate `offsets` with the zone's own `offset_at`.
fn resolve_with(
    local: DateTime,
    offsets: &[Offset],
    offset_at: impl Fn(Timestamp) -> Offset,
) -> Result<LocalTime> {
    let mut valid: Vec<Timestamp> = offsets
        .iter()
        .filter_map(|o| o.to_timestamp(local).ok().filter(|t| offset_at(*t) == *o))
        .collect();
    valid.sort();
    valid.dedup();
    match valid.as_slice() {
        [one] => Ok(LocalTime::Unique(*one)),
        [earlier, .., later] => Ok(LocalTime::Ambiguous {
            earlier: *earlier,
            later: *later,
        }),
        [] => {
            let (Some(min), Some(max)) = (offsets.iter().min(), offsets.iter().max()) else {
                return Err(Error::InvalidValue {
                    element: "local time".into(),
                    value: local.to_string(),
                    expected: "a civil time in a zone with at least one offset",
                });
            };
            let out_of_range = |e: jiff::Error| Error::InvalidValue {
                element: "local time".into(),
                value: format!("{local}: {e}"),
                expected: "a civil time within the supported range",
            };
            // Before the gap the earlier offset applies, after it the later one.
            let before = offset_at(max.to_timestamp(local).map_err(out_of_range)?);
            let after = offset_at(min.to_timestamp(local).map_err(out_of_range)?);
            Ok(LocalTime::Skipped {
                earlier: after.to_timestamp(local).map_err(out_of_range)?,
                later: before.to_timestamp(local).map_err(out_of_range)?,
            })
        }
    }
}

impl ZoneRules {
    fn new(id: String, eras: Vec<Era>) -> Self {
        let mut offsets: Vec<Offset> = eras.iter().flat_map(|e| e.rule.offsets()).collect();
        offsets.sort();
        offsets.dedup();
        ZoneRules { id, eras, offsets }
    }

    /// The zone's id (or name), as the definition gave it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The UTC offset in force at `instant`.
    pub fn offset_at(&self, instant: Timestamp) -> Offset {
        let era = self
            .eras
            .iter()
            .rev()
            .find(|e| e.from.is_none_or(|from| from <= instant))
            .or(self.eras.first());
        era.map_or(Offset::UTC, |e| e.rule.offset_at(instant))
    }

    /// The civil time at `instant`.
    pub fn civil_at(&self, instant: Timestamp) -> DateTime {
        self.offset_at(instant).to_datetime(instant)
    }

    /// What `local` is in this zone: one instant, two (repeated hour) or none (skipped hour).
    pub fn resolve(&self, local: DateTime) -> Result<LocalTime> {
        resolve_with(local, &self.offsets, |t| self.offset_at(t))
    }

    /// The instant of `local`, with skipped and repeated times settled as `how` says;
    /// [`Disambiguation::Reject`] makes them [`Error::UnresolvableLocalTime`].
    pub fn to_instant(&self, local: DateTime, how: Disambiguation) -> Result<Timestamp> {
        let resolved = self.resolve(local)?;
        resolved
            .choose(how)
            .ok_or_else(|| Error::UnresolvableLocalTime {
                local: local.to_string(),
                zone: self.id.clone(),
                ambiguous: matches!(resolved, LocalTime::Ambiguous { .. }),
            })
    }

    pub(super) fn from_definition(definition: &TimeZoneDefinition) -> Result<Self> {
        let zone = definition
            .id
            .clone()
            .or_else(|| definition.name.clone())
            .unwrap_or_else(|| "(unnamed)".to_owned());
        let Some(periods) = &definition.periods else {
            return Err(broken(
                &zone,
                "the definition carries no periods (only an id); read the full definition with \
                 GetServerTimeZones (ReturnFullTimeZoneData) or map the id to an IANA zone",
            ));
        };
        let mut by_id = Vec::new();
        for period in periods {
            let label = period.id.as_deref().unwrap_or("(no id)");
            let bias = period
                .bias
                .ok_or_else(|| broken(&zone, format!("period {label} has no Bias")))?;
            by_id.push((period.id.clone(), offset_of_bias(&zone, bias)?));
        }
        let period = |id: &str| {
            by_id
                .iter()
                .find(|(pid, _)| pid.as_deref() == Some(id))
                .map(|(_, offset)| *offset)
                .ok_or_else(|| broken(&zone, format!("a referenced period is missing: {id}")))
        };
        let Some(transitions) = &definition.transitions else {
            return match by_id.as_slice() {
                [(_, offset)] => Ok(ZoneRules::new(
                    zone.clone(),
                    vec![Era {
                        from: None,
                        rule: Rule::Fixed(*offset),
                    }],
                )),
                _ => Err(broken(
                    &zone,
                    format!(
                        "no Transitions say which of the {} periods applies",
                        by_id.len()
                    ),
                )),
            };
        };
        let group_rule = |target: &TransitionTarget| -> Result<Rule> {
            match &target.kind {
                TransitionTargetKind::Period => Ok(Rule::Fixed(period(&target.id)?)),
                TransitionTargetKind::Group => {
                    let group = definition
                        .transitions_groups
                        .iter()
                        .flatten()
                        .find(|g| g.id.as_deref() == Some(target.id.as_str()))
                        .ok_or_else(|| {
                            broken(
                                &zone,
                                format!("a referenced group is missing: {}", target.id),
                            )
                        })?;
                    let mut changes = Vec::new();
                    let mut initial = None;
                    for transition in &group.transitions {
                        let to = transition.target();
                        if to.kind != TransitionTargetKind::Period {
                            return Err(broken(
                                &zone,
                                format!("group {} points at another group", target.id),
                            ));
                        }
                        let to = period(&to.id)?;
                        match transition {
                            Transition::Initial { .. } => initial = Some(to),
                            other => changes.push(change_of(&zone, other, to)?),
                        }
                    }
                    Ok(match (changes.is_empty(), initial) {
                        (true, Some(offset)) => Rule::Fixed(offset),
                        (true, None) => {
                            return Err(broken(
                                &zone,
                                format!("group {} holds no transitions", target.id),
                            ));
                        }
                        (false, initial) => {
                            let initial = match initial {
                                Some(offset) => offset,
                                None => changes.last().map_or(Offset::UTC, |c| c.to),
                            };
                            Rule::Yearly { changes, initial }
                        }
                    })
                }
                other => Err(broken(
                    &zone,
                    format!("unknown transition target kind {other}"),
                )),
            }
        };
        let mut eras: Vec<Era> = Vec::new();
        for transition in &transitions.transitions {
            let rule = group_rule(transition.target())?;
            let from = match transition {
                Transition::Initial { .. } => None,
                Transition::AbsoluteDate { date_time, .. } => match eras.last() {
                    // The date is a civil time in the era it ends.
                    Some(previous) => {
                        let offsets = previous.rule.offsets();
                        let resolved =
                            resolve_with(*date_time, &offsets, |t| previous.rule.offset_at(t))?;
                        resolved.choose(Disambiguation::Compatible)
                    }
                    None => None,
                },
                _ => {
                    return Err(broken(
                        &zone,
                        "Transitions may hold only Transition and AbsoluteDateTransition entries",
                    ));
                }
            };
            eras.push(Era { from, rule });
        }
        if eras.is_empty() {
            return Err(broken(&zone, "Transitions is empty"));
        }
        Ok(ZoneRules::new(zone, eras))
    }

    pub(super) fn from_meeting_time_zone(zone: &MeetingTimeZone) -> Result<Self> {
        let name = zone
            .time_zone_name
            .clone()
            .unwrap_or_else(|| "(unnamed)".to_owned());
        let base = zone
            .base_offset
            .ok_or_else(|| broken(&name, "the zone has no BaseOffset"))?;
        let offset_of = |change: Option<&TimeChange>| -> Result<Offset> {
            let extra = change.map_or(SignedDuration::ZERO, |c| c.offset);
            let bias = base
                .checked_add(extra)
                .ok_or_else(|| broken(&name, "bias out of range"))?;
            offset_of_bias(&name, bias)
        };
        let standard = offset_of(zone.standard.as_ref())?;
        let mut changes = Vec::new();
        for change in [&zone.standard, &zone.daylight].into_iter().flatten() {
            let Some(pattern) = &change.pattern else {
                continue;
            };
            let day = match pattern {
                TimeChangePattern::RelativeYearly {
                    days_of_week,
                    day_of_week_index,
                    month,
                } => ChangeDay::Weekday {
                    month: month
                        .number()
                        .ok_or_else(|| broken(&name, format!("unknown month {month}")))?,
                    weekday: single_weekday(&name, days_of_week)?,
                    ordinal: day_of_week_index.ordinal().ok_or_else(|| {
                        broken(
                            &name,
                            format!("unknown day-of-week index {day_of_week_index}"),
                        )
                    })?,
                },
                TimeChangePattern::AbsoluteDate(date) => {
                    ChangeDay::Once(date.to_datetime(Time::midnight()))
                }
            };
            let at = SignedDuration::from_secs(
                i64::from(change.time.hour()) * 3600
                    + i64::from(change.time.minute()) * 60
                    + i64::from(change.time.second()),
            );
            let (day, at) = match day {
                ChangeDay::Once(date) => (
                    ChangeDay::Once(
                        date.checked_add(at)
                            .map_err(|e| broken(&name, e.to_string()))?,
                    ),
                    SignedDuration::ZERO,
                ),
                other => (other, at),
            };
            changes.push(Change {
                day,
                at,
                to: offset_of(Some(change))?,
            });
        }
        let rule = if changes.is_empty() {
            Rule::Fixed(standard)
        } else {
            Rule::Yearly {
                changes,
                initial: standard,
            }
        };
        Ok(ZoneRules::new(name, vec![Era { from: None, rule }]))
    }
}

fn single_weekday(zone: &str, day: &DayOfWeek) -> Result<Weekday> {
    match day.weekdays() {
        Some([single]) => Ok(*single),
        _ => Err(broken(zone, format!("{day} is not a single weekday"))),
    }
}

fn change_of(zone: &str, transition: &Transition, to: Offset) -> Result<Change> {
    let month = |m: i32| {
        i8::try_from(m)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| broken(zone, format!("month {m} is out of range")))
    };
    Ok(match transition {
        Transition::RecurringDay {
            time_offset,
            month: m,
            day_of_week,
            occurrence,
            ..
        } => Change {
            day: ChangeDay::Weekday {
                month: month(*m)?,
                weekday: single_weekday(zone, day_of_week)?,
                ordinal: i8::try_from(*occurrence)
                    .ok()
                    .filter(|o| *o == -1 || (1..=5).contains(o))
                    .ok_or_else(|| {
                        broken(zone, format!("occurrence {occurrence} is out of range"))
                    })?,
            },
            at: *time_offset,
            to,
        },
        Transition::RecurringDate {
            time_offset,
            month: m,
            day,
            ..
        } => Change {
            day: ChangeDay::Date {
                month: month(*m)?,
                day: i8::try_from(*day)
                    .ok()
                    .filter(|d| (1..=31).contains(d))
                    .ok_or_else(|| broken(zone, format!("day {day} is out of range")))?,
            },
            at: *time_offset,
            to,
        },
        Transition::AbsoluteDate { date_time, .. } => Change {
            day: ChangeDay::Once(*date_time),
            at: SignedDuration::ZERO,
            to,
        },
        Transition::Initial { .. } => {
            return Err(broken(zone, "an initial transition has no date"));
        }
    })
}

impl CivilTimeZone for ZoneRules {
    fn instant_of(&self, local: DateTime) -> Result<Timestamp> {
        self.to_instant(local, Disambiguation::Compatible)
    }

    fn civil_of(&self, instant: Timestamp) -> Result<DateTime> {
        Ok(self.civil_at(instant))
    }
}
