//! Calendar views expand recurring series into occurrences (EWS FindItem `CalendarView`, Graph
//! `calendarView`), in the series' time zone, and occurrences are addressable: GetItem, UpdateItem and
//! DeleteItem by occurrence id or `OccurrenceItemId`, the series by `RecurringMasterItemId`.

mod support;

use ews_types::items::{CalendarItem, CalendarItemKind, Item};
use ews_types::operations::*;
use ews_types::recurrence::{DayOfWeek, Recurrence, RecurrencePattern, RecurrenceRange};
use ews_types::response::ResponseCode;
use ews_types::types::*;
use exchange_sim::Simulator;
use jiff::{SignedDuration, Timestamp};
use support::{basic, header, typed};

const ALICE: &str = "alice@contoso.example";

fn alice() -> String {
    basic(ALICE, "alice-pw")
}

/// Four Monday meetings at 09:00 Berlin time from 2026-03-16: the clocks go forward on 29 March, so
/// the first two are at 08:00Z and the last two at 07:00Z.
fn weekly_in_berlin() -> CalendarItem {
    let start: Timestamp = "2026-03-16T08:00:00Z".parse().unwrap();
    let mut series = CalendarItem::new("Weekly sync", start, start + SignedDuration::from_hours(1))
        .in_time_zone("W. Europe Standard Time");
    series.recurrence = Some(Recurrence {
        pattern: RecurrencePattern::weekly(1, [DayOfWeek::Monday]),
        range: RecurrenceRange::Numbered {
            start_date: "2026-03-16".parse().unwrap(),
            number_of_occurrences: 4,
        },
    });
    series
}

/// A simulator with the series and one single meeting in Alice's calendar; the series' id.
async fn seeded() -> (Simulator, ItemId) {
    let sim = support::alice_bob_and_service_account().await;
    let calendar = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::Calendar)
        .unwrap();
    let series = sim
        .store()
        .create_item(ALICE, &calendar, Item::from(weekly_in_berlin()))
        .unwrap();
    let single_start: Timestamp = "2026-03-18T12:00:00Z".parse().unwrap();
    let single = CalendarItem::new(
        "Lunch",
        single_start,
        single_start + SignedDuration::from_hours(1),
    );
    sim.store()
        .create_item(ALICE, &calendar, Item::from(single))
        .unwrap();
    (sim, series)
}

async fn view(sim: &Simulator, from: &str, until: &str) -> Vec<CalendarItem> {
    let op = FindItem::calendar_view(
        DistinguishedFolderName::Calendar,
        from.parse().unwrap(),
        until.parse().unwrap(),
        100,
    );
    let mut op = op;
    op.item_shape = ItemShape::new(BaseShape::AllProperties);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    let items = r
        .into_results()
        .remove(0)
        .unwrap()
        .root_folder
        .unwrap()
        .items;
    items
        .into_iter()
        .map(|i| match i {
            Item::CalendarItem(c) => *c,
            other => panic!("a calendar item, not {}", other.kind()),
        })
        .collect()
}

fn starts(items: &[CalendarItem]) -> Vec<String> {
    items.iter().map(|c| c.start.unwrap().to_string()).collect()
}

async fn get(sim: &Simulator, item: ItemRef) -> Result<CalendarItem, ResponseCode> {
    let op = GetItem::new(ItemShape::new(BaseShape::AllProperties), [item]);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    match r.into_results().remove(0) {
        Ok(m) => match m.items.unwrap().remove(0) {
            Item::CalendarItem(c) => Ok(*c),
            other => panic!("a calendar item, not {}", other.kind()),
        },
        Err(e) => Err(e.code.unwrap()),
    }
}

#[tokio::test]
async fn find_item_calendar_view_lists_occurrences_in_the_series_zone() {
    let (sim, series) = seeded().await;
    let items = view(&sim, "2026-03-16T00:00:00Z", "2026-04-13T00:00:00Z").await;
    assert_eq!(
        starts(&items),
        [
            "2026-03-16T08:00:00Z",
            "2026-03-18T12:00:00Z",
            "2026-03-23T08:00:00Z",
            "2026-03-30T07:00:00Z",
            "2026-04-06T07:00:00Z",
        ],
        "09:00 in Berlin on both sides of the DST change, in start order with the single meeting"
    );
    let occurrences: Vec<&CalendarItem> = items
        .iter()
        .filter(|c| c.calendar_item_type == Some(CalendarItemKind::Occurrence))
        .collect();
    assert_eq!(occurrences.len(), 4);
    assert!(occurrences.iter().all(|c| c.recurrence.is_none()
        && c.is_recurring == Some(true)
        && c.item.subject.as_deref() == Some("Weekly sync")));
    let ids: std::collections::HashSet<&str> = occurrences
        .iter()
        .map(|c| c.item.item_id.as_ref().unwrap().id.as_str())
        .collect();
    assert_eq!(ids.len(), 4, "each occurrence has its own id");
    assert!(!ids.contains(series.id.as_str()));
    // A narrower window holds only what overlaps it.
    let window = view(&sim, "2026-03-23T08:30:00Z", "2026-03-30T07:30:00Z").await;
    assert_eq!(
        starts(&window),
        ["2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z"]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn occurrences_are_read_changed_and_deleted_by_id_and_by_index() {
    let (sim, series) = seeded().await;
    let url = sim.ews_url();
    let items = view(&sim, "2026-03-16T00:00:00Z", "2026-04-13T00:00:00Z").await;
    let second = items[2].item.item_id.clone().unwrap();

    // Read by its id, by index, and the series from the occurrence.
    let by_id = get(&sim, second.clone().into()).await.unwrap();
    assert_eq!(by_id.start.unwrap().to_string(), "2026-03-23T08:00:00Z");
    let by_index = get(
        &sim,
        ItemRef::Occurrence {
            recurring_master_id: series.id.clone(),
            change_key: None,
            instance_index: 2,
        },
    )
    .await
    .unwrap();
    assert_eq!(by_index.item.item_id, by_id.item.item_id);
    let master = get(
        &sim,
        ItemRef::RecurringMaster {
            occurrence_id: second.id.clone(),
            change_key: None,
        },
    )
    .await
    .unwrap();
    assert!(master.recurrence.is_some());
    assert_eq!(master.item.item_id.as_ref().unwrap().id, series.id);

    // Moving the second occurrence an hour later and renaming it makes it an exception.
    let later = CalendarItem {
        start: Some("2026-03-23T09:00:00Z".parse().unwrap()),
        end: Some("2026-03-23T10:00:00Z".parse().unwrap()),
        ..CalendarItem::default()
    };
    let mut renamed = CalendarItem::default();
    renamed.item.subject = Some("Weekly sync (moved)".into());
    let update = UpdateItem::calendar(
        vec![ItemUpdate {
            item: second.clone().into(),
            updates: vec![
                FieldUpdate::Set {
                    path: PropertyPath::field("calendar:Start"),
                    item: Item::from(later.clone()),
                },
                FieldUpdate::Set {
                    path: PropertyPath::field("calendar:End"),
                    item: Item::from(later),
                },
                FieldUpdate::Set {
                    path: PropertyPath::field("item:Subject"),
                    item: Item::from(renamed),
                },
            ],
        }],
        SendMeetingUpdates::SendToNone,
    );
    let r = typed(&url, &header(), &update, &alice()).await;
    let shown = r.into_results().remove(0).unwrap().items.unwrap().remove(0);
    assert_eq!(
        shown.id().unwrap().id,
        second.id,
        "the occurrence keeps its id"
    );
    assert_ne!(shown.id().unwrap().change_key, second.change_key);
    let master = get(&sim, series.clone().into()).await.unwrap();
    let modified = master.modified_occurrences.unwrap();
    assert_eq!(modified.len(), 1);
    assert_eq!(
        modified[0].original_start.unwrap().to_string(),
        "2026-03-23T08:00:00Z"
    );
    // A stale change key of the series is a conflict for its occurrences too.
    let r = typed(&url, &header(), &update, &alice()).await;
    assert_eq!(
        r.messages[0].code,
        Some(ResponseCode::ErrorIrresolvableConflict)
    );

    // Deleting the third by index.
    let delete = DeleteItem {
        send_meeting_cancellations: Some(SendMeetingNotices::SendToNone),
        ..DeleteItem::new(
            DeleteType::HardDelete,
            [ItemRef::Occurrence {
                recurring_master_id: series.id.clone(),
                change_key: None,
                instance_index: 3,
            }],
        )
    };
    let r = typed(&url, &header(), &delete, &alice()).await;
    assert_eq!(r.messages[0].code, Some(ResponseCode::NoError));

    let items = view(&sim, "2026-03-16T00:00:00Z", "2026-04-13T00:00:00Z").await;
    let summary: Vec<(String, Option<CalendarItemKind>, Option<String>)> = items
        .iter()
        .map(|c| {
            (
                c.start.unwrap().to_string(),
                c.calendar_item_type.clone(),
                c.item.subject.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "2026-03-16T08:00:00Z".to_owned(),
                Some(CalendarItemKind::Occurrence),
                Some("Weekly sync".to_owned())
            ),
            (
                "2026-03-18T12:00:00Z".to_owned(),
                None,
                Some("Lunch".to_owned())
            ),
            (
                "2026-03-23T09:00:00Z".to_owned(),
                Some(CalendarItemKind::Exception),
                Some("Weekly sync (moved)".to_owned())
            ),
            (
                "2026-04-06T07:00:00Z".to_owned(),
                Some(CalendarItemKind::Occurrence),
                Some("Weekly sync".to_owned())
            ),
        ]
    );

    // Indexes that name nothing, and occurrences where whole items are needed.
    let occurrence = |instance_index| ItemRef::Occurrence {
        recurring_master_id: series.id.clone(),
        change_key: None,
        instance_index,
    };
    assert_eq!(
        get(&sim, occurrence(3)).await.unwrap_err(),
        ResponseCode::ErrorCalendarOccurrenceIsDeletedFromRecurrence
    );
    assert_eq!(
        get(&sim, occurrence(9)).await.unwrap_err(),
        ResponseCode::ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange
    );
    let r = typed(
        &url,
        &header(),
        &MoveItem::new(DistinguishedFolderName::DeletedItems, [second]),
        &alice(),
    )
    .await;
    assert_eq!(
        r.messages[0].code,
        Some(ResponseCode::ErrorCalendarCannotMoveOrCopyOccurrence)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn graph_calendar_view_lists_occurrences_with_their_series_master() {
    let (sim, _) = seeded().await;
    let token = sim.issue_token(ALICE).unwrap();
    let url = format!(
        "{}/me/calendarView?startDateTime=2026-03-16T00:00:00Z&endDateTime=2026-04-13T00:00:00Z",
        sim.graph_url()
    );
    let request = http::Request::get(url)
        .header("authorization", format!("Bearer {token}"))
        .body(bytes::Bytes::new())
        .unwrap();
    let response = support::send(request, None).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    let events = body["value"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "occurrence",
            "singleInstance",
            "occurrence",
            "occurrence",
            "occurrence"
        ]
    );
    let masters: std::collections::HashSet<&str> = events
        .iter()
        .filter_map(|e| e["seriesMasterId"].as_str())
        .collect();
    assert_eq!(masters.len(), 1, "one series");
    let master = *masters.iter().next().unwrap();
    // The master, read by its id, is the series.
    let request = http::Request::get(format!("{}/me/events/{master}", sim.graph_url()))
        .header("authorization", format!("Bearer {token}"))
        .body(bytes::Bytes::new())
        .unwrap();
    let response = support::send(request, None).await.unwrap();
    assert_eq!(response.status(), 200);
    let series: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(series["type"], "seriesMaster");
    sim.shutdown().await;
}
