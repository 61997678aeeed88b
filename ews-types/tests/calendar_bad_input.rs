//! No input makes the calendar model panic or loop: damaged calendar XML, out-of-range recurrence
//! values and nonsensical time-zone definitions all end in a value or a typed error.

use ews_types::operations::AnyResponse;
use ews_types::recurrence::{
    DayOfWeek, DayOfWeekIndex, Month, OccurrenceQuery, Recurrence, RecurrencePattern,
    RecurrenceRange,
};
use ews_types::time_zone::{Period, TimeZoneDefinition, Transition, TransitionTarget, Transitions};
use jiff::civil::{Date, time};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

const MASTER: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
 xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>
<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items>
<t:CalendarItem><t:ItemId Id="AAMk" ChangeKey="DwAA"/><t:Subject>Weekly</t:Subject>
<t:Start>2026-03-16T09:00:00Z</t:Start><t:End>2026-03-16T09:30:00Z</t:End>
<t:Recurrence><t:RelativeMonthlyRecurrence><t:Interval>2</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek>
<t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence>
<t:EndDateRecurrence><t:StartDate>2026-03-16-08:00</t:StartDate><t:EndDate>2027-03-16</t:EndDate></t:EndDateRecurrence></t:Recurrence>
<t:ModifiedOccurrences><t:Occurrence><t:ItemId Id="AAMx"/><t:Start>2026-05-01T10:00:00Z</t:Start>
<t:End>2026-05-01T10:30:00Z</t:End><t:OriginalStart>2026-05-29T08:00:00Z</t:OriginalStart></t:Occurrence></t:ModifiedOccurrences>
<t:DeletedOccurrences><t:DeletedOccurrence><t:Start>2026-07-31T08:00:00Z</t:Start></t:DeletedOccurrence></t:DeletedOccurrences>
<t:MeetingTimeZone TimeZoneName="GMT"><t:BaseOffset>PT0H</t:BaseOffset><t:Standard><t:Offset>PT0H</t:Offset>
<t:RelativeYearlyRecurrence><t:DaysOfWeek>Sunday</t:DaysOfWeek><t:DayOfWeekIndex>Last</t:DayOfWeekIndex>
<t:Month>October</t:Month></t:RelativeYearlyRecurrence><t:Time>02:00:00</t:Time></t:Standard>
<t:Daylight><t:Offset>-PT1H</t:Offset><t:AbsoluteDate>2026-03-29</t:AbsoluteDate><t:Time>01:00:00</t:Time></t:Daylight></t:MeetingTimeZone>
<t:StartTimeZone Id="GMT Standard Time"><t:Periods><t:Period Bias="PT0H" Name="Standard" Id="Std"/>
<t:Period Bias="-PT1H" Name="Daylight" Id="Dlt"/></t:Periods><t:TransitionsGroups><t:TransitionsGroup Id="0">
<t:RecurringDayTransition><t:To Kind="Period">Dlt</t:To><t:TimeOffset>PT1H</t:TimeOffset><t:Month>3</t:Month>
<t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
<t:RecurringDateTransition><t:To Kind="Period">Std</t:To><t:TimeOffset>PT2H</t:TimeOffset><t:Month>10</t:Month>
<t:Day>25</t:Day></t:RecurringDateTransition></t:TransitionsGroup></t:TransitionsGroups>
<t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition>
<t:AbsoluteDateTransition><t:To Kind="Period">Std</t:To><t:DateTime>2030-01-01T00:00:00</t:DateTime></t:AbsoluteDateTransition>
</t:Transitions></t:StartTimeZone></t:CalendarItem></m:Items></m:GetItemResponseMessage>
</m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>"#;

/// Parses, and when that works, converts and expands everything the item holds.
fn exercise(bytes: &[u8]) {
    let Ok((_, AnyResponse::GetItem(response))) = AnyResponse::parse(bytes) else {
        return;
    };
    for message in &response.messages {
        for item in message.body.items.iter().flatten() {
            let ews_types::items::Item::CalendarItem(master) = item else {
                continue;
            };
            if let Ok(Some(rules)) = master.start_zone_rules() {
                let _ = master.occurrences(&rules, None, None, 200);
                let _ = master.local_start();
            }
            if let Some(zone) = &master.meeting_time_zone {
                if let Ok(rules) = zone.rules() {
                    let _ = master.occurrences(&rules, None, None, 200);
                }
            }
        }
    }
}

#[test]
fn the_undamaged_master_parses_and_expands() {
    let (_, AnyResponse::GetItem(response)) = AnyResponse::parse(MASTER.as_bytes()).unwrap() else {
        panic!("not GetItem")
    };
    let ews_types::items::Item::CalendarItem(master) =
        &response.messages[0].body.items.as_ref().unwrap()[0]
    else {
        panic!("not a calendar item")
    };
    let rules = master.start_zone_rules().unwrap().unwrap();
    let found = master.occurrences(&rules, None, None, 200).unwrap();
    // Every other month's last weekday from March 2026 to March 2027 (six), one deleted, one moved.
    assert_eq!(found.len(), 5);
    assert!(found.iter().any(|o| o.is_modified));
    let legacy = master.meeting_time_zone.as_ref().unwrap().rules().unwrap();
    assert_eq!(
        legacy
            .offset_at("2026-06-01T00:00:00Z".parse().unwrap())
            .seconds(),
        3600
    );
    assert_eq!(
        legacy
            .offset_at("2027-06-01T00:00:00Z".parse().unwrap())
            .seconds(),
        0
    );
}

#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Replace(usize, &'static str),
}

fn damage() -> impl Strategy<Value = Damage> {
    let len = MASTER.len();
    prop_oneof![
        (0..len, any::<u8>()).prop_map(|(at, b)| Damage::Flip(at, b)),
        (0..len, any::<u8>()).prop_map(|(at, b)| Damage::Insert(at, b)),
        (0..len).prop_map(Damage::Delete),
        (
            0..len,
            prop::sample::select(vec![
                "-1",
                "99999999999",
                "P",
                "-P99999999DT9H",
                "0",
                "13",
                "Someday",
                "9999-12-31",
                "-9999-01-01",
                "24:00:00",
                "PT-1H",
                "Group",
                "</t:Periods>",
                "<t:Period/>",
            ])
        )
            .prop_map(|(at, s)| Damage::Replace(at, s)),
    ]
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    match *damage {
        Damage::Flip(at, b) => {
            let at = at.min(bytes.len() - 1);
            bytes[at] ^= b | 1;
        }
        Damage::Insert(at, b) => bytes.insert(at.min(bytes.len()), b),
        Damage::Delete(at) => {
            bytes.remove(at.min(bytes.len() - 1));
        }
        Damage::Replace(at, text) => {
            // Replace the text of the element whose content starts after `at`.
            let at = at.min(bytes.len());
            if let Some(offset) = bytes[at..].iter().position(|b| *b == b'>') {
                let start = at + offset + 1;
                let end = bytes[start..]
                    .iter()
                    .position(|b| *b == b'<')
                    .map_or(bytes.len(), |e| start + e);
                bytes.splice(start..end, text.bytes());
            }
        }
    }
}

fn bounded_date() -> impl Strategy<Value = Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d))
}

fn any_day() -> impl Strategy<Value = DayOfWeek> {
    prop_oneof![
        Just(DayOfWeek::Monday),
        Just(DayOfWeek::Sunday),
        Just(DayOfWeek::Weekday),
        Just(DayOfWeek::Unknown("Blursday".into())),
    ]
}

fn any_pattern() -> impl Strategy<Value = RecurrencePattern> {
    (
        0usize..8,
        any::<i32>(),
        any::<i32>(),
        any_day(),
        0usize..6,
        -1i8..=13,
    )
        .prop_map(|(kind, interval, day, weekday, index, month)| {
            let index = [
                DayOfWeekIndex::First,
                DayOfWeekIndex::Second,
                DayOfWeekIndex::Fourth,
                DayOfWeekIndex::Last,
                DayOfWeekIndex::Unknown("Fifth".into()),
                DayOfWeekIndex::Third,
            ][index]
                .clone();
            let month = Month::from_number(month).unwrap_or(Month::Unknown("Smarch".into()));
            match kind {
                0 => RecurrencePattern::Daily { interval },
                1 => RecurrencePattern::weekly(interval, [weekday]),
                2 => RecurrencePattern::AbsoluteMonthly {
                    interval,
                    day_of_month: day,
                },
                3 => RecurrencePattern::RelativeMonthly {
                    interval,
                    days_of_week: weekday,
                    day_of_week_index: index,
                },
                4 => RecurrencePattern::AbsoluteYearly {
                    day_of_month: day,
                    month,
                },
                5 => RecurrencePattern::RelativeYearly {
                    days_of_week: weekday,
                    day_of_week_index: index,
                    month,
                },
                6 => RecurrencePattern::weekly(interval, []),
                _ => RecurrencePattern::MonthlyRegeneration { interval },
            }
        })
}

fn any_range() -> impl Strategy<Value = RecurrenceRange> {
    (0usize..3, bounded_date(), bounded_date(), any::<i32>()).prop_map(|(kind, start, end, n)| {
        match kind {
            0 => RecurrenceRange::NoEnd { start_date: start },
            1 => RecurrenceRange::EndDate {
                start_date: start,
                end_date: end,
            },
            _ => RecurrenceRange::Numbered {
                start_date: start,
                number_of_occurrences: n,
            },
        }
    })
}

fn any_definition() -> impl Strategy<Value = TimeZoneDefinition> {
    let period = (any::<i32>(), prop::option::of(0u8..3)).prop_map(|(bias, id)| Period {
        bias: Some(SignedDuration::from_secs(i64::from(bias))),
        name: None,
        id: id.map(|i| i.to_string()),
    });
    let transition = (
        0usize..4,
        0u8..3,
        any::<bool>(),
        any::<i32>(),
        any::<i32>(),
        any::<i32>(),
    )
        .prop_map(|(kind, target, group, month, day, offset)| {
            let to = if group {
                TransitionTarget::group(target.to_string())
            } else {
                TransitionTarget::period(target.to_string())
            };
            let time_offset = SignedDuration::from_secs(i64::from(offset));
            match kind {
                0 => Transition::Initial { to },
                1 => Transition::AbsoluteDate {
                    to,
                    date_time: jiff::civil::date(2026, 1, 1).at(0, 0, 0, 0),
                },
                2 => Transition::RecurringDay {
                    to,
                    time_offset,
                    month,
                    day_of_week: DayOfWeek::Sunday,
                    occurrence: day,
                },
                _ => Transition::RecurringDate {
                    to,
                    time_offset,
                    month,
                    day,
                },
            }
        });
    (
        prop::collection::vec(period, 0..4),
        prop::collection::vec(prop::collection::vec(transition.clone(), 0..4), 0..3),
        prop::collection::vec(transition, 0..4),
    )
        .prop_map(|(periods, groups, transitions)| TimeZoneDefinition {
            id: Some("Fuzzed".into()),
            name: None,
            periods: Some(periods),
            transitions_groups: Some(
                groups
                    .into_iter()
                    .enumerate()
                    .map(|(i, transitions)| Transitions {
                        id: Some(i.to_string()),
                        transitions,
                    })
                    .collect(),
            ),
            transitions: Some(Transitions {
                id: None,
                transitions,
            }),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn damaged_calendar_xml_never_panics(damages in prop::collection::vec(damage(), 1..4)) {
        let mut bytes = MASTER.as_bytes().to_vec();
        for d in &damages {
            apply(&mut bytes, d);
        }
        exercise(&bytes);
    }

    #[test]
    fn any_recurrence_values_expand_or_fail_without_panicking(
        pattern in any_pattern(),
        range in any_range(),
    ) {
        let series = Recurrence { pattern, range };
        let _ = series.dates(300);
        let _ = series.occurrences(
            &jiff::tz::TimeZone::UTC,
            &OccurrenceQuery::new(time(23, 59, 59, 0)).lasting(SignedDuration::MAX).at_most(300),
        );
    }

    #[test]
    fn any_definition_compiles_or_fails_and_then_converts_without_panicking(
        definition in any_definition(),
        seconds in -377_705_116_800i64..=253_402_207_200,
    ) {
        if let Ok(rules) = definition.rules() {
            let instant = Timestamp::from_second(seconds).unwrap();
            let offset = rules.offset_at(instant);
            let _ = rules.resolve(offset.to_datetime(instant));
            let _ = rules.resolve(jiff::civil::DateTime::MAX);
            let _ = rules.resolve(jiff::civil::DateTime::MIN);
        }
    }
}
