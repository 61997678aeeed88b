//! Time-zone definitions convert like the zones they describe: checked against the IANA database (jiff's
//! bundled copy) hour by hour, across daylight-saving changes, and through the round trip of a meeting
//! created in London and read back from Exchange.

use std::path::PathBuf;

use ews_types::Error;
use ews_types::items::{CalendarItem, Item};
use ews_types::operations::{
    AnyRequest, AnyResponse, CreateItem, GetServerTimeZones, Operation, SendMeetingNotices,
};
use ews_types::recurrence::{DayOfWeek, Recurrence, RecurrencePattern, RecurrenceRange};
use ews_types::soap::request_body;
use ews_types::time_zone::{
    LocalTime, MeetingTimeZone, TimeChange, TimeChangePattern, TimeZoneDefinition, ZoneRules,
};
use ews_types::types::DistinguishedFolderName;
use jiff::civil::{date, time};
use jiff::tz::{Disambiguation, TimeZone};
use jiff::{SignedDuration, Timestamp};

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// GMT Standard Time as Exchange writes a full definition (the `P0DT..` durations, `Std`/`Dlt/1` period
/// ids and one group of yearly transitions, as in the Pacific definition of Microsoft's
/// GetUserAvailability sample). The corpus holds no full GMT definition; this one carries the Windows
/// rule for the zone: daylight from the last Sunday of March at 01:00, standard from the last Sunday of
/// October at 02:00 (daylight time).
const GMT_STANDARD_TIME: &str = r#"<t:StartTimeZone Id="GMT Standard Time" Name="(UTC+00:00) Dublin, Edinburgh, Lisbon, London">
  <t:Periods>
    <t:Period Bias="P0DT0H0M0.0S" Name="Standard" Id="Std" />
    <t:Period Bias="-P0DT1H0M0.0S" Name="Daylight" Id="Dlt/1" />
  </t:Periods>
  <t:TransitionsGroups>
    <t:TransitionsGroup Id="0">
      <t:RecurringDayTransition>
        <t:To Kind="Period">Dlt/1</t:To>
        <t:TimeOffset>P0DT1H0M0.0S</t:TimeOffset>
        <t:Month>3</t:Month>
        <t:DayOfWeek>Sunday</t:DayOfWeek>
        <t:Occurrence>-1</t:Occurrence>
      </t:RecurringDayTransition>
      <t:RecurringDayTransition>
        <t:To Kind="Period">Std</t:To>
        <t:TimeOffset>P0DT2H0M0.0S</t:TimeOffset>
        <t:Month>10</t:Month>
        <t:DayOfWeek>Sunday</t:DayOfWeek>
        <t:Occurrence>-1</t:Occurrence>
      </t:RecurringDayTransition>
    </t:TransitionsGroup>
  </t:TransitionsGroups>
  <t:Transitions>
    <t:Transition>
      <t:To Kind="Group">0</t:To>
    </t:Transition>
  </t:Transitions>
</t:StartTimeZone>"#;

const TYPES_NS: &str = r#"xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types""#;

fn gmt_definition() -> TimeZoneDefinition {
    let xml = GMT_STANDARD_TIME.replacen(
        "<t:StartTimeZone",
        &format!("<t:StartTimeZone {TYPES_NS}"),
        1,
    );
    TimeZoneDefinition::from_xml(xml.as_bytes()).unwrap()
}

fn iana(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}

/// From `first` to `last`, the definition and the IANA zone agree one second before and at every
/// transition of the IANA zone, and at noon UTC every day; returns the number of transitions checked.
fn assert_same_offsets(rules: &ZoneRules, zone: &TimeZone, first: &str, last: &str) -> usize {
    let (start, end) = (ts(first), ts(last));
    let same = |at: Timestamp| {
        assert_eq!(
            rules.offset_at(at),
            zone.to_offset(at),
            "{} at {at}",
            rules.id()
        );
    };
    let mut transitions = 0;
    for transition in zone.following(start) {
        let at = transition.timestamp();
        if at >= end {
            break;
        }
        same(at.checked_sub(SignedDuration::from_secs(1)).unwrap());
        same(at);
        transitions += 1;
    }
    let mut day = start;
    while day < end {
        same(day);
        day = day.checked_add(SignedDuration::from_hours(24)).unwrap();
    }
    transitions
}

#[test]
fn gmt_standard_time_agrees_with_europe_london_at_every_transition() {
    let rules = gmt_definition().rules().unwrap();
    // 1996 onwards: the EU rule the Windows definition describes.
    let transitions = assert_same_offsets(
        &rules,
        &iana("Europe/London"),
        "1996-01-01T00:00:00Z",
        "2040-01-01T00:00:00Z",
    );
    assert_eq!(transitions, 88);
}

#[test]
fn skipped_and_repeated_london_hours_are_reported_not_guessed() {
    let rules = gmt_definition().rules().unwrap();
    let spring = date(2026, 3, 29).at(1, 30, 0, 0);
    assert_eq!(
        rules.resolve(spring).unwrap(),
        LocalTime::Skipped {
            earlier: ts("2026-03-29T00:30:00Z"),
            later: ts("2026-03-29T01:30:00Z"),
        }
    );
    let autumn = date(2026, 10, 25).at(1, 30, 0, 0);
    assert_eq!(
        rules.resolve(autumn).unwrap(),
        LocalTime::Ambiguous {
            earlier: ts("2026-10-25T00:30:00Z"),
            later: ts("2026-10-25T01:30:00Z"),
        }
    );
    // The compatible choice matches jiff's, for both.
    let london = iana("Europe/London");
    for local in [spring, autumn] {
        assert_eq!(
            rules.to_instant(local, Disambiguation::Compatible).unwrap(),
            london.to_ambiguous_timestamp(local).compatible().unwrap()
        );
    }
    for local in [spring, autumn] {
        let error = rules.to_instant(local, Disambiguation::Reject).unwrap_err();
        assert!(
            matches!(error, Error::UnresolvableLocalTime { ambiguous, .. } if ambiguous == (local == autumn)),
            "{error}"
        );
    }
}

/// The 2007 form of Pacific Standard Time (`MeetingTimeZone`), as Exchange 2007 wrote it.
fn pacific_2007_form() -> MeetingTimeZone {
    use ews_types::recurrence::{DayOfWeekIndex, Month};
    MeetingTimeZone {
        time_zone_name: Some("Pacific Standard Time".into()),
        base_offset: Some(SignedDuration::from_hours(8)),
        standard: Some(TimeChange {
            time_zone_name: Some("Standard".into()),
            offset: SignedDuration::ZERO,
            pattern: Some(TimeChangePattern::RelativeYearly {
                days_of_week: DayOfWeek::Sunday,
                day_of_week_index: DayOfWeekIndex::First,
                month: Month::November,
            }),
            time: time(2, 0, 0, 0),
        }),
        daylight: Some(TimeChange {
            time_zone_name: Some("Daylight".into()),
            offset: -SignedDuration::from_hours(1),
            pattern: Some(TimeChangePattern::RelativeYearly {
                days_of_week: DayOfWeek::Sunday,
                day_of_week_index: DayOfWeekIndex::Second,
                month: Month::March,
            }),
            time: time(2, 0, 0, 0),
        }),
    }
}

#[test]
fn the_2007_meeting_time_zone_form_agrees_with_america_los_angeles() {
    let rules = pacific_2007_form().rules().unwrap();
    assert_same_offsets(
        &rules,
        &iana("America/Los_Angeles"),
        "2008-01-01T00:00:00Z",
        "2036-01-01T00:00:00Z",
    );
}

/// Microsoft's GetServerTimeZones samples, with the typos that make them ill-formed repaired (an end
/// tag without its prefix, a response element without its namespace prefix).
fn repaired_sample(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    let path = dir.join("ews-docs").join(name);
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: corpus not found at {}", path.display());
        return None;
    };
    Some(
        text.replace("</Id>", "</t:Id>")
            .replace("</ResponseCode>", "</m:ResponseCode>")
            .replace(
                "<GetServerTimeZonesResponse ",
                "<m:GetServerTimeZonesResponse ",
            )
            .replace(
                "</GetServerTimeZonesResponse>",
                "</m:GetServerTimeZonesResponse>",
            )
            .into_bytes(),
    )
}

#[test]
fn get_server_time_zones_samples_parse_once_their_typos_are_repaired() {
    let Some(request) = repaired_sample("getservertimezones-operation__2__request.xml") else {
        return;
    };
    let (_, parsed) = AnyRequest::parse(&request).unwrap();
    assert_eq!(
        parsed,
        AnyRequest::GetServerTimeZones(GetServerTimeZones::full(["Eastern Standard Time"]))
    );
    let Some(names) = repaired_sample("getservertimezones-operation__3__response.xml") else {
        return;
    };
    let (_, AnyResponse::GetServerTimeZones(names)) = AnyResponse::parse(&names).unwrap() else {
        panic!("not a GetServerTimeZones response")
    };
    let listed = names.messages[0]
        .body
        .time_zone_definitions
        .as_ref()
        .unwrap();
    assert_eq!(listed.len(), 2);
    // The sample escapes its ampersand twice; the text is kept as sent.
    assert_eq!(
        listed[1].name.as_deref(),
        Some("(GMT-08:00) Pacific Time (US &amp; Canada)")
    );
    // An id-only definition cannot convert, and says why.
    let error = listed[0].rules().unwrap_err();
    assert!(matches!(error, Error::BrokenTimeZone { .. }), "{error}");

    let Some(full) = repaired_sample("getservertimezones-operation__4__response.xml") else {
        return;
    };
    let (_, response) = AnyResponse::parse(&full).unwrap();
    let AnyResponse::GetServerTimeZones(full) = &response else {
        panic!("{response:?}")
    };
    let eastern = &full.messages[0]
        .body
        .time_zone_definitions
        .as_ref()
        .unwrap()[0];
    let rules = eastern.rules().unwrap();
    // From 2007 the second group applies: the US rule since 2007, as in the IANA database.
    assert_same_offsets(
        &rules,
        &iana("America/New_York"),
        "2007-01-01T05:00:00Z",
        "2036-01-01T00:00:00Z",
    );
    // Before 2007 the first group: daylight time from the first Sunday of April (2 April 2006).
    let minus = |hours: i8| jiff::tz::offset(-hours);
    assert_eq!(rules.offset_at(ts("2006-03-20T12:00:00Z")), minus(5));
    assert_eq!(rules.offset_at(ts("2006-04-02T06:59:59Z")), minus(5));
    assert_eq!(rules.offset_at(ts("2006-04-02T07:00:00Z")), minus(4));
    assert_eq!(rules.offset_at(ts("2006-10-29T05:59:59Z")), minus(4));
    assert_eq!(rules.offset_at(ts("2006-10-29T06:00:00Z")), minus(5));
    // And the definition survives build -> parse.
    let rebuilt = response.to_envelope(None);
    assert_eq!(AnyResponse::parse(&rebuilt).unwrap().1, response);
}

#[test]
fn broken_definitions_are_typed_errors_never_a_silent_utc() {
    let base = gmt_definition();
    let mut missing_period = base.clone();
    if let Some(periods) = missing_period.periods.as_mut() {
        periods.retain(|p| p.id.as_deref() != Some("Dlt/1"));
    }
    let mut missing_group = base.clone();
    missing_group.transitions_groups = None;
    let mut no_bias = base.clone();
    if let Some(periods) = no_bias.periods.as_mut() {
        periods[0].bias = None;
    }
    let mut no_transitions = base.clone();
    no_transitions.transitions = None;
    for (broken, expected) in [
        (missing_period, "a referenced period is missing: Dlt/1"),
        (missing_group, "a referenced group is missing: 0"),
        (no_bias, "period Std has no Bias"),
        (
            no_transitions,
            "no Transitions say which of the 2 periods applies",
        ),
        (
            TimeZoneDefinition::with_id("GMT Standard Time"),
            "carries no periods",
        ),
    ] {
        let error = broken.rules().unwrap_err();
        assert!(
            matches!(&error, Error::BrokenTimeZone { reason, .. } if reason.contains(expected)),
            "{error}"
        );
    }
}

/// A GetItem response as Exchange sends it for a meeting created in London: `Start` in UTC and the
/// full `StartTimeZone` definition.
fn get_item_response(items: &str) -> Vec<u8> {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" {TYPES_NS}>
<m:ResponseMessages><m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
<m:Items>{items}</m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>"#
    )
    .into_bytes()
}

fn read_items(bytes: &[u8]) -> Vec<CalendarItem> {
    let (_, AnyResponse::GetItem(response)) = AnyResponse::parse(bytes).unwrap() else {
        panic!("not a GetItem response")
    };
    let items = response.messages[0].body.items.clone().unwrap();
    items
        .into_iter()
        .map(|item| match item {
            Item::CalendarItem(c) => *c,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn a_london_meeting_at_nine_reads_back_at_nine_on_both_sides_of_a_dst_change() {
    // The request: 09:00 London on 14 January (09:00Z) and 15 July (08:00Z), created in GMT Standard
    // Time.
    let january = CalendarItem::new(
        "January review",
        ts("2026-01-14T09:00:00Z"),
        ts("2026-01-14T09:30:00Z"),
    )
    .in_time_zone("GMT Standard Time");
    let july = CalendarItem::new(
        "July review",
        ts("2026-07-15T08:00:00Z"),
        ts("2026-07-15T08:30:00Z"),
    )
    .in_time_zone("GMT Standard Time");
    let create = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![january.into(), july.into()],
        SendMeetingNotices::SendToNone,
    );
    create.validate().unwrap();
    let xml = String::from_utf8(request_body(&create)).unwrap();
    assert!(
        xml.contains(r#"<t:StartTimeZone Id="GMT Standard Time"></t:StartTimeZone>"#),
        "{xml}"
    );

    // The answer: UTC starts and the full definition.
    let item = |subject: &str, start: &str, end: &str| {
        format!(
            "<t:CalendarItem><t:ItemId Id=\"AAMk{subject}\"/><t:Subject>{subject}</t:Subject>\
             <t:Start>{start}</t:Start><t:End>{end}</t:End>{GMT_STANDARD_TIME}</t:CalendarItem>"
        )
    };
    let response = get_item_response(&format!(
        "{}{}",
        item("January", "2026-01-14T09:00:00Z", "2026-01-14T09:30:00Z"),
        item("July", "2026-07-15T08:00:00Z", "2026-07-15T08:30:00Z"),
    ));
    let items = read_items(&response);
    let nine = time(9, 0, 0, 0);
    for item in &items {
        let local = item.local_start().unwrap().unwrap();
        assert_eq!(local.time(), nine, "{:?}", item.item.subject);
    }
    assert_eq!(
        items[0].local_start().unwrap(),
        Some(date(2026, 1, 14).to_datetime(nine))
    );
    assert_eq!(
        items[1].local_start().unwrap(),
        Some(date(2026, 7, 15).to_datetime(nine))
    );
}

#[test]
fn a_weekly_london_series_stays_at_nine_across_the_march_and_october_changes() {
    let series = Recurrence {
        pattern: RecurrencePattern::weekly(1, [DayOfWeek::Monday]),
        range: RecurrenceRange::Numbered {
            start_date: date(2026, 3, 16),
            number_of_occurrences: 34,
        },
    };
    // Exchange answers with the master: its first start in UTC, its pattern and its zone.
    let master = format!(
        "<t:CalendarItem><t:ItemId Id=\"AAMkMaster\"/><t:Subject>Weekly</t:Subject>\
         <t:Start>2026-03-16T09:00:00Z</t:Start><t:End>2026-03-16T09:30:00Z</t:End>\
         <t:CalendarItemType>RecurringMaster</t:CalendarItemType>\
         <t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek>\
         </t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>2026-03-16Z</t:StartDate>\
         <t:NumberOfOccurrences>34</t:NumberOfOccurrences></t:NumberedRecurrence></t:Recurrence>\
         {GMT_STANDARD_TIME}</t:CalendarItem>"
    );
    let master = read_items(&get_item_response(&master)).remove(0);
    assert_eq!(master.recurrence.as_ref(), Some(&series));
    let rules = master.start_zone_rules().unwrap().unwrap();
    let occurrences = master.occurrences(&rules, None, None, 100).unwrap();
    assert_eq!(occurrences.len(), 34);
    let spring = ts("2026-03-29T01:00:00Z");
    let autumn = ts("2026-10-25T01:00:00Z");
    for occurrence in &occurrences {
        assert_eq!(
            occurrence.local_start.time(),
            time(9, 0, 0, 0),
            "{occurrence:?}"
        );
        assert_eq!(
            occurrence.local_start.date().weekday(),
            jiff::civil::Weekday::Monday
        );
        let expected_utc_hour: i8 = if occurrence.start > spring && occurrence.start < autumn {
            8
        } else {
            9
        };
        assert_eq!(
            jiff::tz::Offset::UTC.to_datetime(occurrence.start).hour(),
            expected_utc_hour,
            "{occurrence:?}"
        );
        assert_eq!(
            occurrence.end.duration_since(occurrence.start),
            SignedDuration::from_mins(30)
        );
    }
    // Both sides of both changes are in the series.
    assert!(occurrences.iter().any(|o| o.start < spring));
    assert!(occurrences.iter().any(|o| o.start > autumn));
    // The same series through the IANA zone gives the same instants.
    let through_iana = master
        .occurrences(&iana("Europe/London"), None, None, 100)
        .unwrap();
    assert_eq!(through_iana, occurrences);
}
