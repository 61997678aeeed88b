//! GetServerTimeZones over loopback HTTP: definitions built from the IANA zones reproduce them when
//! compiled with ews-types, in Exchange's shape; unknown ids are left out; names only on request.

mod support;

use ews_types::operations::GetServerTimeZones;
use ews_types::response::ResponseClass;
use ews_types::time_zone::{TimeZoneDefinition, Transition, TransitionTargetKind};
use ews_types::windows_zones;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use support::{basic, header, typed};

const ZONES: [&str; 6] = [
    "GMT Standard Time",
    "W. Europe Standard Time",
    "Eastern Standard Time",
    "AUS Eastern Standard Time",
    "Tokyo Standard Time",
    "UTC",
];

async fn ask(op: &GetServerTimeZones) -> Vec<TimeZoneDefinition> {
    let sim = support::alice_bob_and_service_account().await;
    let response = typed(
        &sim.ews_url(),
        &header(),
        op,
        &basic("alice@contoso.example", "alice-pw"),
    )
    .await;
    sim.shutdown().await;
    assert_eq!(response.messages.len(), 1);
    assert_eq!(response.messages[0].class, Some(ResponseClass::Success));
    response
        .into_results()
        .remove(0)
        .expect("a success")
        .time_zone_definitions
        .expect("TimeZoneDefinitions")
}

fn utc(text: &str) -> Timestamp {
    text.parse().expect("an instant")
}

/// Checks the compiled `definition` against the IANA zone of its id from `from` to `until`: at and just
/// before every transition, halfway between transitions, and on the 15th of every month.
fn assert_reproduces(definition: &TimeZoneDefinition, from: Timestamp, until: Timestamp) -> usize {
    let id = definition.id.as_deref().expect("an id");
    let rules = definition.rules().expect("the definition compiles");
    let iana = windows_zones::windows_to_iana(id, None).expect("a CLDR zone");
    let zone = TimeZone::get(iana).expect("a tzdb zone");
    let changes: Vec<Timestamp> = zone
        .following(from)
        .map(|t| t.timestamp())
        .take_while(|t| *t < until)
        .collect();
    let mut instants = Vec::new();
    for (i, at) in changes.iter().enumerate() {
        instants.push(*at);
        instants.push(*at - SignedDuration::from_secs(1));
        if let Some(next) = changes.get(i + 1) {
            instants.push(*at + at.duration_until(*next) / 2);
        }
    }
    let mut month = from.to_zoned(TimeZone::UTC).first_of_month().unwrap() + 14.days();
    while month.timestamp() < until {
        instants.push(month.timestamp());
        month = month.checked_add(1.month()).unwrap();
    }
    for at in instants {
        assert_eq!(
            rules.offset_at(at),
            zone.to_offset(at),
            "{id} ({iana}) at {at}"
        );
    }
    changes.len()
}

fn recurring(definition: &TimeZoneDefinition) -> Vec<(i32, String, i32, SignedDuration, String)> {
    let groups = definition.transitions_groups.as_ref().expect("a group");
    assert_eq!(groups.len(), 1);
    groups[0]
        .transitions
        .iter()
        .filter_map(|t| match t {
            Transition::RecurringDay {
                to,
                time_offset,
                month,
                day_of_week,
                occurrence,
            } => Some((
                *month,
                day_of_week.as_str().to_owned(),
                *occurrence,
                *time_offset,
                to.id.clone(),
            )),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn full_definitions_reproduce_their_zones_from_2025_to_2030() {
    let definitions = ask(&GetServerTimeZones::full(ZONES)).await;
    let ids: Vec<_> = definitions
        .iter()
        .map(|d| d.id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ZONES);
    let mut changes = 0;
    for definition in &definitions {
        changes += assert_reproduces(
            definition,
            utc("2025-01-01T00:00:00Z"),
            utc("2031-01-01T00:00:00Z"),
        );
        // Exchange's shape: the transitions point at group 0.
        let transitions = &definition.transitions.as_ref().unwrap().transitions;
        assert_eq!(transitions.len(), 1);
        assert_eq!(transitions[0].target().kind, TransitionTargetKind::Group);
        assert_eq!(transitions[0].target().id, "0");
    }
    // Four zones change twice a year over six years; Tokyo and UTC never.
    assert_eq!(changes, 4 * 2 * 6);

    let by_id = |id: &str| {
        definitions
            .iter()
            .find(|d| d.id.as_deref() == Some(id))
            .unwrap()
    };
    let h = SignedDuration::from_hours;
    let berlin = by_id("W. Europe Standard Time");
    assert_eq!(berlin.name.as_deref(), Some("(UTC+01:00) Europe/Berlin"));
    let periods = berlin.periods.as_ref().unwrap();
    assert_eq!(periods.len(), 2);
    assert_eq!(
        (periods[0].id.as_deref(), periods[0].bias),
        (Some("Std"), Some(-h(1)))
    );
    assert_eq!(
        (periods[1].id.as_deref(), periods[1].bias),
        (Some("Dlt/1"), Some(-h(2)))
    );
    assert_eq!(
        recurring(berlin),
        [
            (3, "Sunday".into(), -1, h(2), "Dlt/1".into()),
            (10, "Sunday".into(), -1, h(3), "Std".into()),
        ]
    );
    assert_eq!(
        recurring(by_id("Eastern Standard Time")),
        [
            (3, "Sunday".into(), 2, h(2), "Dlt/1".into()),
            (11, "Sunday".into(), 1, h(2), "Std".into()),
        ]
    );
    assert_eq!(
        recurring(by_id("AUS Eastern Standard Time")),
        [
            (4, "Sunday".into(), 1, h(3), "Std".into()),
            (10, "Sunday".into(), 1, h(2), "Dlt/1".into()),
        ]
    );
    let tokyo = by_id("Tokyo Standard Time");
    assert_eq!(tokyo.periods.as_ref().unwrap().len(), 1);
    assert_eq!(tokyo.periods.as_ref().unwrap()[0].bias, Some(-h(9)));
    assert!(recurring(tokyo).is_empty());
    assert_eq!(by_id("UTC").periods.as_ref().unwrap()[0].bias, Some(h(0)));
}

#[tokio::test]
async fn every_zone_of_the_table_is_served_and_reproduces_its_iana_zone() {
    let definitions = ask(&GetServerTimeZones::default()).await;
    let table: Vec<&str> = windows_zones::windows_ids().collect();
    let ids: Vec<&str> = definitions
        .iter()
        .map(|d| d.id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, table, "every Windows zone, in the table's order");
    let year = Timestamp::now().to_zoned(TimeZone::UTC).year();
    let from = utc(&format!("{year}-01-01T00:00:00Z"));
    let until = utc(&format!("{}-01-01T00:00:00Z", year + 10));
    for definition in &definitions {
        assert_reproduces(definition, from, until);
    }
}

#[tokio::test]
async fn unknown_ids_are_left_out_and_ids_compare_without_case() {
    let definitions = ask(&GetServerTimeZones::full([
        "Mars Standard Time",
        "tokyo standard time",
        "",
    ]))
    .await;
    assert_eq!(definitions.len(), 1);
    assert_eq!(definitions[0].id.as_deref(), Some("Tokyo Standard Time"));
    assert!(definitions[0].periods.is_some());

    let none = ask(&GetServerTimeZones::full(["Customized Time Zone"])).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn names_only_without_full_data() {
    let definitions = ask(&GetServerTimeZones::names()).await;
    assert_eq!(definitions.len(), windows_zones::windows_ids().count());
    for definition in &definitions {
        assert!(definition.id.is_some() && definition.name.is_some());
        assert!(definition.periods.is_none());
        assert!(definition.transitions_groups.is_none());
        assert!(definition.transitions.is_none());
    }
    let tokyo = definitions
        .iter()
        .find(|d| d.id.as_deref() == Some("Tokyo Standard Time"))
        .unwrap();
    assert_eq!(tokyo.name.as_deref(), Some("(UTC+09:00) Asia/Tokyo"));

    let one = ask(&GetServerTimeZones {
        return_full_time_zone_data: Some(false),
        ids: Some(vec!["UTC".into()]),
    })
    .await;
    assert_eq!(one.len(), 1);
    assert!(one[0].periods.is_none());
}
