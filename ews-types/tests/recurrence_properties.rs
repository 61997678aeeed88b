//! Properties of recurrence: every valid series survives build -> parse inside a calendar item (and a
//! task), and expansion agrees with an independent RFC 5545 implementation (the `rrule` crate, with its
//! own copy of the tz database) on every occurrence, across daylight-saving changes in three zones.
//!
//! Case counts are kept small so the crate's tests stay fast; CI fixes `PROPTEST_RNG_SEED`.

use ews_types::items::{CalendarItem, Item, Task};
use ews_types::operations::{AnyRequest, CreateItem, SendMeetingNotices};
use ews_types::recurrence::{
    DayOfWeek, DayOfWeekIndex, Month, OccurrenceQuery, Recurrence, RecurrencePattern,
    RecurrenceRange,
};
use ews_types::types::DistinguishedFolderName;
use jiff::civil::{Date, Time, date, time};
use jiff::tz::TimeZone;
use proptest::prelude::*;

const SINGLE_DAYS: [DayOfWeek; 7] = [
    DayOfWeek::Sunday,
    DayOfWeek::Monday,
    DayOfWeek::Tuesday,
    DayOfWeek::Wednesday,
    DayOfWeek::Thursday,
    DayOfWeek::Friday,
    DayOfWeek::Saturday,
];
const DAY_GROUPS: [DayOfWeek; 3] = [DayOfWeek::Day, DayOfWeek::Weekday, DayOfWeek::WeekendDay];
const INDEXES: [DayOfWeekIndex; 5] = [
    DayOfWeekIndex::First,
    DayOfWeekIndex::Second,
    DayOfWeekIndex::Third,
    DayOfWeekIndex::Fourth,
    DayOfWeekIndex::Last,
];

fn any_day() -> impl Strategy<Value = DayOfWeek> {
    prop::sample::select([SINGLE_DAYS.as_slice(), DAY_GROUPS.as_slice()].concat())
}

fn single_day() -> impl Strategy<Value = DayOfWeek> {
    prop::sample::select(SINGLE_DAYS.to_vec())
}

fn index() -> impl Strategy<Value = DayOfWeekIndex> {
    prop::sample::select(INDEXES.to_vec())
}

fn month() -> impl Strategy<Value = Month> {
    (1i8..=12).prop_map(|n| Month::from_number(n).unwrap())
}

fn weekdays() -> impl Strategy<Value = Vec<DayOfWeek>> {
    prop::sample::subsequence(SINGLE_DAYS.to_vec(), 1..=7)
}

/// Every calendar pattern (no regeneration).
fn calendar_pattern() -> impl Strategy<Value = RecurrencePattern> {
    prop_oneof![
        (1i32..=30).prop_map(|interval| RecurrencePattern::Daily { interval }),
        (1i32..=4, weekdays(), prop::option::of(single_day())).prop_map(
            |(interval, days_of_week, first_day_of_week)| RecurrencePattern::Weekly {
                interval,
                days_of_week,
                first_day_of_week,
            }
        ),
        (1i32..=12, 1i32..=31).prop_map(|(interval, day_of_month)| {
            RecurrencePattern::AbsoluteMonthly {
                interval,
                day_of_month,
            }
        }),
        (1i32..=12, any_day(), index()).prop_map(|(interval, days_of_week, day_of_week_index)| {
            RecurrencePattern::RelativeMonthly {
                interval,
                days_of_week,
                day_of_week_index,
            }
        }),
        (1i32..=31, month()).prop_map(|(day_of_month, month)| {
            RecurrencePattern::AbsoluteYearly {
                day_of_month,
                month,
            }
        }),
        (any_day(), index(), month()).prop_map(|(days_of_week, day_of_week_index, month)| {
            RecurrencePattern::RelativeYearly {
                days_of_week,
                day_of_week_index,
                month,
            }
        }),
    ]
}

fn regeneration_pattern() -> impl Strategy<Value = RecurrencePattern> {
    (0usize..4, 1i32..=99).prop_map(|(kind, interval)| match kind {
        0 => RecurrencePattern::DailyRegeneration { interval },
        1 => RecurrencePattern::WeeklyRegeneration { interval },
        2 => RecurrencePattern::MonthlyRegeneration { interval },
        _ => RecurrencePattern::YearlyRegeneration { interval },
    })
}

fn any_date(years: std::ops::RangeInclusive<i16>) -> impl Strategy<Value = Date> {
    (years, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let first = date(y, m, 1);
        date(y, m, d.min(first.days_in_month()))
    })
}

fn range(years: std::ops::RangeInclusive<i16>) -> impl Strategy<Value = RecurrenceRange> {
    (0usize..3, any_date(years), 0i64..2000, 1i32..=60).prop_map(
        |(kind, start_date, days, count)| match kind {
            0 => RecurrenceRange::NoEnd { start_date },
            1 => RecurrenceRange::EndDate {
                start_date,
                end_date: start_date.saturating_add(jiff::Span::new().days(days)),
            },
            _ => RecurrenceRange::Numbered {
                start_date,
                number_of_occurrences: count,
            },
        },
    )
}

fn round_trip(item: Item) -> Item {
    let create = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![item],
        SendMeetingNotices::SendToNone,
    );
    let body = ews_types::soap::request_body(&create);
    let (_, parsed) = AnyRequest::parse(&body).unwrap();
    let AnyRequest::CreateItem(mut parsed) = parsed else {
        panic!("{parsed:?}")
    };
    parsed.items.remove(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_calendar_recurrence_round_trips_inside_a_calendar_item(
        pattern in calendar_pattern(),
        range in range(1900..=2100),
    ) {
        let meeting = CalendarItem {
            recurrence: Some(Recurrence { pattern, range }),
            ..CalendarItem::default()
        };
        let item = Item::from(meeting);
        prop_assert_eq!(round_trip(item.clone()), item);
    }

    #[test]
    fn every_task_recurrence_round_trips_inside_a_task(
        pattern in prop_oneof![calendar_pattern(), regeneration_pattern()],
        range in range(1900..=2100),
    ) {
        let task = Task {
            recurrence: Some(Recurrence { pattern, range }),
            ..Task::default()
        };
        let item = Item::from(task);
        prop_assert_eq!(round_trip(item.clone()), item);
    }
}

const ZONES: [&str; 3] = ["Europe/London", "America/New_York", "Australia/Sydney"];

fn rrule_day(day: &DayOfWeek) -> Vec<&'static str> {
    day.weekdays()
        .unwrap()
        .iter()
        .map(|w| match w {
            jiff::civil::Weekday::Monday => "MO",
            jiff::civil::Weekday::Tuesday => "TU",
            jiff::civil::Weekday::Wednesday => "WE",
            jiff::civil::Weekday::Thursday => "TH",
            jiff::civil::Weekday::Friday => "FR",
            jiff::civil::Weekday::Saturday => "SA",
            jiff::civil::Weekday::Sunday => "SU",
        })
        .collect()
}

fn set_position(index: &DayOfWeekIndex) -> i8 {
    index.ordinal().unwrap()
}

/// "Day `d` of the month, or its last day when shorter" in RFC 5545 terms.
fn month_day(d: i32) -> String {
    if d <= 28 {
        format!("BYMONTHDAY={d}")
    } else {
        let days: Vec<String> = (28..=d).map(|n| n.to_string()).collect();
        format!("BYMONTHDAY={};BYSETPOS=-1", days.join(","))
    }
}

/// The series as an RFC 5545 rule, starting at `start` local time in `zone`.
fn rrule_text(series: &Recurrence, zone: &str, at: Time, tz: &TimeZone) -> String {
    let rule = match &series.pattern {
        RecurrencePattern::Weekly {
            interval,
            days_of_week,
            first_day_of_week,
        } => {
            let days: Vec<&str> = days_of_week.iter().flat_map(rrule_day).collect();
            let start = first_day_of_week.as_ref().map_or("SU", |d| rrule_day(d)[0]);
            format!(
                "FREQ=WEEKLY;INTERVAL={interval};BYDAY={};WKST={start}",
                days.join(",")
            )
        }
        RecurrencePattern::AbsoluteMonthly {
            interval,
            day_of_month,
        } => format!(
            "FREQ=MONTHLY;INTERVAL={interval};{}",
            month_day(*day_of_month)
        ),
        RecurrencePattern::RelativeMonthly {
            interval,
            days_of_week,
            day_of_week_index,
        } => format!(
            "FREQ=MONTHLY;INTERVAL={interval};BYDAY={};BYSETPOS={}",
            rrule_day(days_of_week).join(","),
            set_position(day_of_week_index)
        ),
        RecurrencePattern::AbsoluteYearly {
            day_of_month,
            month,
        } => format!(
            "FREQ=YEARLY;BYMONTH={};{}",
            month.number().unwrap(),
            month_day(*day_of_month)
        ),
        RecurrencePattern::RelativeYearly {
            days_of_week,
            day_of_week_index,
            month,
        } => format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={};BYSETPOS={}",
            month.number().unwrap(),
            rrule_day(days_of_week).join(","),
            set_position(day_of_week_index)
        ),
        other => panic!("not compared: {other:?}"),
    };
    let bound = match &series.range {
        RecurrenceRange::NoEnd { .. } => String::new(),
        RecurrenceRange::Numbered {
            number_of_occurrences,
            ..
        } => format!(";COUNT={number_of_occurrences}"),
        RecurrenceRange::EndDate { end_date, .. } => {
            let last = tz
                .to_ambiguous_timestamp(end_date.at(23, 59, 59, 0))
                .compatible()
                .unwrap();
            format!(";UNTIL={}", last.strftime("%Y%m%dT%H%M%SZ"))
        }
        other => panic!("not compared: {other:?}"),
    };
    let start = series.range.start_date().to_datetime(at);
    format!(
        "DTSTART;TZID={zone}:{}\nRRULE:{rule}{bound}",
        start.strftime("%Y%m%dT%H%M%S")
    )
}

/// Weekly, monthly (absolute and relative) and yearly patterns: the ones the reference models.
fn compared_pattern() -> impl Strategy<Value = RecurrencePattern> {
    calendar_pattern().prop_filter("daily is not compared", |p| {
        !matches!(p, RecurrencePattern::Daily { .. })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn expansion_agrees_with_rfc_5545_across_dst_in_three_zones(
        pattern in compared_pattern(),
        range in range(2018..=2032),
        zone in prop::sample::select(ZONES.to_vec()),
        at in prop::sample::select(vec![time(9, 0, 0, 0), time(12, 30, 0, 0), time(18, 45, 0, 0)]),
    ) {
        const LIMIT: usize = 40;
        let series = Recurrence { pattern, range };
        let tz = TimeZone::get(zone).unwrap();
        let ours = series
            .occurrences(&tz, &OccurrenceQuery::new(at).at_most(LIMIT))
            .unwrap();
        let text = rrule_text(&series, zone, at, &tz);
        let reference: rrule::RRuleSet = text.parse().unwrap();
        let expected = reference.all(LIMIT as u16).dates;
        let ours: Vec<(i64, String)> = ours
            .iter()
            .map(|o| (o.start.as_second(), o.local_start.strftime("%Y-%m-%dT%H:%M:%S").to_string()))
            .collect();
        let expected: Vec<(i64, String)> = expected
            .iter()
            .map(|d| (d.timestamp(), d.naive_local().format("%Y-%m-%dT%H:%M:%S").to_string()))
            .collect();
        prop_assert_eq!(ours, expected, "{}", text);
    }
}

#[test]
fn the_compared_series_do_cross_dst_changes() {
    // A monthly series at 09:00 in each zone spans both offsets of the zone within a year.
    for zone in ZONES {
        let tz = TimeZone::get(zone).unwrap();
        let series = Recurrence {
            pattern: RecurrencePattern::AbsoluteMonthly {
                interval: 1,
                day_of_month: 15,
            },
            range: RecurrenceRange::Numbered {
                start_date: date(2026, 1, 1),
                number_of_occurrences: 12,
            },
        };
        let found = series
            .occurrences(&tz, &OccurrenceQuery::new(time(9, 0, 0, 0)))
            .unwrap();
        let offsets: std::collections::BTreeSet<i32> = found
            .iter()
            .map(|o| tz.to_offset(o.start).seconds())
            .collect();
        assert_eq!(offsets.len(), 2, "{zone}");
        assert!(
            found
                .iter()
                .all(|o| o.local_start.time() == time(9, 0, 0, 0))
        );
    }
}
