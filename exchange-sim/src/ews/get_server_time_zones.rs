//! GetServerTimeZones: the zones the simulated server knows, by Windows id, with their definitions.
//!
//! The server knows every Windows zone of the CLDR table (`ews_types::windows_zones`). A zone's
//! definition is built from its preferred IANA zone (jiff's bundled tzdb) the way Exchange shapes them:
//! a `Std` period and, where the zone keeps daylight time, a `Dlt/1` period; one transitions group
//! `0` holding the current yearly rule (two `RecurringDayTransition`s: month, weekday, occurrence 1 to
//! 4 or -1 for the last, and the time of day in the civil time before the change) or a single
//! `Transition` to `Std`; and `Transitions` pointing at the group. The rule is read off the zone's
//! offset changes in the current year and sent only if it reproduces the zone over that year and the
//! nine after it.
//!
//! Zones whose changes follow no weekday rule (Morocco's Ramadan, Israel's "Friday before the last
//! Sunday", Chile's "first Saturday at 24:00") get each change of those ten years as an
//! `AbsoluteDateTransition` to its period instead, as Exchange lists dynamic zones year by year; the
//! last offset holds after them.
//!
//! As Exchange does, ids compare without regard to case, ids the server does not know are left out of
//! the answer (no error: Exchange's GetServerTimeZones skips them and answers `NoError`), zones come in
//! the table's order (by UTC offset), and `ReturnFullTimeZoneData` defaults to `true`. Display names
//! are `(UTC+01:00) Europe/Berlin`: the standard offset and the IANA id, as CLDR has no Windows
//! display names.

use ews_types::operations::{
    GetServerTimeZones, GetServerTimeZonesMessage, GetServerTimeZonesResponse,
};
use ews_types::recurrence::DayOfWeek;
use ews_types::time_zone::{Period, TimeZoneDefinition, Transition, TransitionTarget, Transitions};
use ews_types::windows_zones;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::single;

/// The id of the one transitions group.
const GROUP: &str = "0";
/// How many years, from the current one, a definition must reproduce its zone over.
const CHECKED_YEARS: i16 = 10;

pub(crate) fn run(op: &GetServerTimeZones) -> GetServerTimeZonesResponse {
    let full = op.return_full_time_zone_data.unwrap_or(true);
    let year = Offset::UTC.to_datetime(Timestamp::now()).year();
    let ids: Vec<&'static str> = match &op.ids {
        Some(wanted) => wanted.iter().filter_map(|id| known(id)).collect(),
        None => windows_zones::windows_ids().collect(),
    };
    let definitions = ids
        .into_iter()
        .filter_map(|id| definition(id, year, full))
        .collect();
    single(Ok(GetServerTimeZonesMessage {
        time_zone_definitions: Some(definitions),
    }))
}

/// The table's spelling of a Windows zone id, compared without regard to ASCII case as Exchange
/// compares them.
fn known(id: &str) -> Option<&'static str> {
    windows_zones::windows_ids().find(|known| known.eq_ignore_ascii_case(id))
}

/// The definition of the Windows zone `id` under the rules from `year` on: id and name only unless
/// `full`. `None` when its IANA zone is not in the tzdb.
fn definition(id: &'static str, year: i16, full: bool) -> Option<TimeZoneDefinition> {
    let iana = windows_zones::windows_to_iana(id, None).ok()?;
    let zone = TimeZone::get(iana).ok()?;
    let shape = Shape::of(&zone, year);
    let mut definition = TimeZoneDefinition::with_id(id);
    definition.name = Some(display_name(shape.standard(), iana));
    if full {
        shape.fill(&mut definition);
    }
    Some(definition)
}

/// A display name in Exchange's form, `(UTC+01:00) Europe/Berlin`, from the standard offset and the
/// IANA id (CLDR carries no Windows display names).
fn display_name(standard: Offset, iana: &str) -> String {
    let seconds = standard.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("(UTC{sign}{:02}:{:02}) {iana}", minutes / 60, minutes % 60)
}

/// One yearly change to the period `to` (an index into the periods), on the `occurrence`-th weekday
/// of the month of `civil` (-1 for the last), at the time of day of `civil` (the civil time before the
/// change).
#[derive(Debug, Clone, Copy)]
struct YearlyChange {
    civil: DateTime,
    occurrence: i32,
    to: usize,
}

/// How a zone's definition is written.
#[derive(Debug, Clone)]
enum Shape {
    /// One offset, always.
    Fixed(Offset),
    /// Standard and daylight time (`offsets[0]`, `offsets[1]`) switched by a yearly rule.
    Yearly {
        offsets: [Offset; 2],
        changes: [YearlyChange; 2],
    },
    /// Offsets (standard first, as `ranked_offsets` orders them) switched at dated changes: the offset before the first, then each
    /// change's civil time (before it) and the index of its offset.
    Dated {
        offsets: Vec<Offset>,
        initial: usize,
        changes: Vec<(DateTime, usize)>,
    },
}

impl Shape {
    /// The shape of `zone` from `year` on: fixed when it does not change in the checked years, else its
    /// yearly rule when one reproduces it, else its dated changes.
    fn of(zone: &TimeZone, year: i16) -> Shape {
        let start = year_start(year).unwrap_or(Timestamp::MIN);
        let all: Vec<Change> = (0..CHECKED_YEARS)
            .filter_map(|n| year.checked_add(n))
            .flat_map(|y| changes_in(zone, y))
            .collect();
        let offsets = ranked_offsets(zone, year, &all);
        let index = |offset: Offset| offsets.iter().position(|o| *o == offset).unwrap_or(0);
        if all.is_empty() {
            return Shape::Fixed(zone.to_offset(start));
        }
        if let [standard, daylight] = offsets[..]
            && let Some(rule) = yearly(zone, year, [standard, daylight])
        {
            return rule;
        }
        Shape::Dated {
            initial: index(zone.to_offset(start)),
            changes: all.iter().map(|c| (c.civil, index(c.to))).collect(),
            offsets,
        }
    }

    /// The standard offset.
    fn standard(&self) -> Offset {
        match self {
            Shape::Fixed(offset) => *offset,
            Shape::Yearly { offsets, .. } => offsets[0],
            Shape::Dated { offsets, .. } => offsets.first().copied().unwrap_or(Offset::UTC),
        }
    }

    /// The offsets, standard first.
    fn offsets(&self) -> &[Offset] {
        match self {
            Shape::Fixed(offset) => std::slice::from_ref(offset),
            Shape::Yearly { offsets, .. } => offsets,
            Shape::Dated { offsets, .. } => offsets,
        }
    }

    /// Writes the periods, the group and the transitions into `definition`.
    fn fill(&self, definition: &mut TimeZoneDefinition) {
        definition.periods = Some(
            self.offsets()
                .iter()
                .enumerate()
                .map(|(index, offset)| Period {
                    bias: Some(-SignedDuration::from_secs(i64::from(offset.seconds()))),
                    name: Some(if index == 0 { "Standard" } else { "Daylight" }.to_owned()),
                    id: Some(period_id(index)),
                })
                .collect(),
        );
        let to_period = |index: usize| TransitionTarget::period(period_id(index));
        let group = |transitions: Vec<Transition>| {
            Some(vec![Transitions {
                id: Some(GROUP.to_owned()),
                transitions,
            }])
        };
        let transitions = match self {
            Shape::Fixed(_) => {
                definition.transitions_groups =
                    group(vec![Transition::Initial { to: to_period(0) }]);
                vec![Transition::Initial {
                    to: TransitionTarget::group(GROUP),
                }]
            }
            Shape::Yearly { changes, .. } => {
                definition.transitions_groups = group(
                    changes
                        .iter()
                        .map(|change| Transition::RecurringDay {
                            to: to_period(change.to),
                            time_offset: change.civil.time().duration_since(Time::midnight()),
                            month: i32::from(change.civil.month()),
                            day_of_week: DayOfWeek::from(change.civil.weekday()),
                            occurrence: change.occurrence,
                        })
                        .collect(),
                );
                vec![Transition::Initial {
                    to: TransitionTarget::group(GROUP),
                }]
            }
            Shape::Dated {
                initial, changes, ..
            } => {
                definition.transitions_groups = None;
                std::iter::once(Transition::Initial {
                    to: to_period(*initial),
                })
                .chain(changes.iter().map(|(civil, to)| Transition::AbsoluteDate {
                    to: to_period(*to),
                    date_time: *civil,
                }))
                .collect()
            }
        };
        definition.transitions = Some(Transitions {
            id: None,
            transitions,
        });
    }
}

/// `Std` for the first period, `Dlt/1`, `Dlt/2`... for the others.
fn period_id(index: usize) -> String {
    match index {
        0 => "Std".to_owned(),
        n => format!("Dlt/{n}"),
    }
}

/// An offset change of a zone: its instant, its civil time in the offset before it, and the offset
/// after it.
#[derive(Debug, Clone, Copy)]
struct Change {
    at: Timestamp,
    civil: DateTime,
    to: Offset,
}

/// The first instant of `month` of `year`, in UTC.
fn month_start(year: i16, month: i8) -> Option<Timestamp> {
    Date::new(year, month, 1)
        .ok()?
        .to_zoned(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The first instant of `year`, in UTC.
fn year_start(year: i16) -> Option<Timestamp> {
    month_start(year, 1)
}

/// The first instant of each month of `year`, in UTC.
fn month_starts(year: i16) -> impl Iterator<Item = Timestamp> {
    (1..=12).filter_map(move |month| month_start(year, month))
}

/// The offset changes of `zone` whose instants fall in `year` (UTC); changes of name only are left out.
fn changes_in(zone: &TimeZone, year: i16) -> Vec<Change> {
    let (Some(start), Some(end)) = (year_start(year), year.checked_add(1).and_then(year_start))
    else {
        return Vec::new();
    };
    let Ok(from) = start.checked_sub(SignedDuration::from_nanos(1)) else {
        return Vec::new();
    };
    zone.following(from)
        .take_while(|t| t.timestamp() < end)
        .filter_map(|t| {
            let at = t.timestamp();
            let before = zone.to_offset(at.checked_sub(SignedDuration::from_secs(1)).ok()?);
            (before != t.offset()).then(|| Change {
                at,
                civil: before.to_datetime(at),
                to: t.offset(),
            })
        })
        .collect()
}

/// Every offset `zone` has from `year` on, standard time first: offsets the tzdb ever marks standard
/// before those it marks daylight (so Morocco's Ramadan offset is its daylight time, as in Windows),
/// then the one in force at the start of more months of the checked years, then by offset.
fn ranked_offsets(zone: &TimeZone, year: i16, changes: &[Change]) -> Vec<Offset> {
    // (offset, only ever daylight time, months in force)
    let mut counted: Vec<(Offset, bool, usize)> = Vec::new();
    let mut count = |at: Timestamp, months: usize| {
        let info = zone.to_offset_info(at);
        let (offset, daylight) = (info.offset(), info.dst().is_dst());
        match counted.iter_mut().find(|(o, _, _)| *o == offset) {
            Some((_, only_daylight, n)) => {
                *only_daylight &= daylight;
                *n += months;
            }
            None => counted.push((offset, daylight, months)),
        }
    };
    for at in (0..CHECKED_YEARS)
        .filter_map(|n| year.checked_add(n))
        .flat_map(month_starts)
    {
        count(at, 1);
    }
    for change in changes {
        count(change.at, 0);
    }
    counted.sort_by(|(a, a_daylight, n), (b, b_daylight, m)| {
        a_daylight.cmp(b_daylight).then(m.cmp(n)).then(a.cmp(b))
    });
    counted.into_iter().map(|(offset, _, _)| offset).collect()
}

/// The occurrences that describe `date`'s weekday in its month: its ordinal, and -1 when it is the
/// last (a fifth is always the last).
fn occurrences(date: Date) -> Vec<i32> {
    let ordinal = (i32::from(date.day()) - 1) / 7 + 1;
    let last = i32::from(date.day()) + 7 > i32::from(date.days_in_month());
    match (ordinal, last) {
        (5, _) => vec![-1],
        (_, true) => vec![ordinal, -1],
        _ => vec![ordinal],
    }
}

/// The yearly rule between `offsets` (standard, daylight) read off the two changes of `zone` in `year`,
/// in the first form (which occurrences) that reproduces the zone over the checked years.
fn yearly(zone: &TimeZone, year: i16, offsets: [Offset; 2]) -> Option<Shape> {
    let [first, second] = changes_in(zone, year)[..] else {
        return None;
    };
    let to = |change: Change| usize::from(change.to == offsets[1]);
    for a in occurrences(first.civil.date()) {
        for &b in &occurrences(second.civil.date()) {
            let shape = Shape::Yearly {
                offsets,
                changes: [
                    YearlyChange {
                        civil: first.civil,
                        occurrence: a,
                        to: to(first),
                    },
                    YearlyChange {
                        civil: second.civil,
                        occurrence: b,
                        to: to(second),
                    },
                ],
            };
            if reproduces(&shape, zone, year) {
                return Some(shape);
            }
        }
    }
    None
}

/// Whether `shape`, compiled as ews-types compiles definitions, gives the offsets of `zone` over the
/// checked years: just before and at each of the zone's changes, and at the start of every month.
fn reproduces(shape: &Shape, zone: &TimeZone, year: i16) -> bool {
    let mut definition = TimeZoneDefinition::with_id("check");
    shape.fill(&mut definition);
    let Ok(compiled) = definition.rules() else {
        return false;
    };
    let years = (0..CHECKED_YEARS).filter_map(|n| year.checked_add(n));
    let mut instants: Vec<Timestamp> = Vec::new();
    for y in years {
        for change in changes_in(zone, y) {
            instants.push(change.at);
            instants.extend(change.at.checked_sub(SignedDuration::from_secs(1)).ok());
        }
        instants.extend(month_starts(y));
    }
    instants
        .into_iter()
        .all(|at| compiled.offset_at(at) == zone.to_offset(at))
}
