//! Over loopback HTTP with a server that reads the requests: FindItem paging, the SyncFolderItems loop
//! and GetItem batching with per-item errors.

mod support;

use ews_client::ManualClock;
use ews_types::items::{Item, ItemFields, Message};
use ews_types::operations::{
    FindItem, FindItemMessage, FindItemResponse, FindItemRootFolder, GetItem, GetItemMessage,
    GetItemResponse, ItemChange, PagingInfo, SyncFolderItems, SyncFolderItemsMessage,
    SyncFolderItemsResponse,
};
use ews_types::response::{ResponseCode, ResponseMessage};
use ews_types::soap::{parse_request, response_envelope};
use ews_types::types::{DistinguishedFolderName, FolderRef, ItemId, ItemRef, ItemShape};
use support::{Server, basic_client, xml};

fn message(id: &str) -> Item {
    Item::from(Message {
        item: ItemFields {
            item_id: Some(ItemId::new(id)),
            subject: Some(format!("subject of {id}")),
            ..ItemFields::default()
        },
        ..Message::default()
    })
}

fn subject(item: &Item) -> &str {
    item.fields().subject.as_deref().unwrap_or_default()
}

fn inbox() -> FolderRef {
    DistinguishedFolderName::Inbox.into()
}

/// A folder of `total` messages served in indexed pages.
fn paged_folder(total: i32, exchange: &support::Exchange) -> http::Response<bytes::Bytes> {
    let (_, find) = parse_request::<FindItem>(exchange.body.as_bytes()).unwrap();
    let Some(ews_types::operations::ItemView::Indexed(view)) = find.view else {
        panic!("expected an indexed view");
    };
    let end = (view.offset + view.max_entries_returned.unwrap()).min(total);
    let items = (view.offset..end)
        .map(|i| message(&format!("m{i:02}")))
        .collect();
    let body = FindItemMessage {
        root_folder: Some(FindItemRootFolder {
            paging: PagingInfo {
                indexed_paging_offset: Some(end),
                includes_last_item_in_range: Some(end == total),
                total_items_in_view: Some(total),
                ..PagingInfo::default()
            },
            items,
        }),
    };
    let response = FindItemResponse::new(vec![ResponseMessage::success(body)]);
    xml(
        200,
        String::from_utf8(response_envelope(None, &response)).unwrap(),
    )
}

#[tokio::test]
async fn find_items_follows_indexed_pages_to_the_last() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |exchange| paged_folder(25, exchange)).await;
    let client = basic_client(&server, &clock);
    let items = client
        .account()
        .find_items(FindItem::new(inbox(), 10))
        .collect_all()
        .await
        .unwrap();

    let subjects: Vec<_> = items.iter().map(subject).collect();
    let expected: Vec<_> = (0..25).map(|i| format!("subject of m{i:02}")).collect();
    assert_eq!(subjects, expected);
    let offsets: Vec<_> = server
        .log()
        .iter()
        .map(|e| {
            let (_, find) = parse_request::<FindItem>(e.body.as_bytes()).unwrap();
            match find.view {
                Some(ews_types::operations::ItemView::Indexed(view)) => view.offset,
                _ => -1,
            }
        })
        .collect();
    assert_eq!(offsets, [0, 10, 20]);
}

/// Three pages of changes keyed by the state each call sends.
fn three_sync_pages(exchange: &support::Exchange) -> http::Response<bytes::Bytes> {
    let (_, sync) = parse_request::<SyncFolderItems>(exchange.body.as_bytes()).unwrap();
    let (changes, next, last) = match sync.sync_state.as_deref() {
        None => (
            vec![
                ItemChange::Create(message("a")),
                ItemChange::Create(message("b")),
            ],
            "S1",
            false,
        ),
        Some("S1") => (
            vec![
                ItemChange::Update(message("a")),
                ItemChange::Delete(ItemId::new("b")),
            ],
            "S2",
            false,
        ),
        Some("S2") => (
            vec![ItemChange::ReadFlagChange {
                item_id: ItemId::new("a"),
                is_read: true,
            }],
            "S3",
            true,
        ),
        Some(other) => {
            // The trap: an Error message that still carries an empty state and "last page".
            let mut refusal = ResponseMessage::error(
                ResponseCode::ErrorInvalidSyncStateData,
                format!("unknown state {other}"),
            );
            refusal.body = SyncFolderItemsMessage {
                sync_state: Some(String::new()),
                includes_last_item_in_range: Some(true),
                changes: None,
            };
            let response = SyncFolderItemsResponse::new(vec![refusal]);
            return xml(
                200,
                String::from_utf8(response_envelope(None, &response)).unwrap(),
            );
        }
    };
    let body = SyncFolderItemsMessage {
        sync_state: Some(next.to_owned()),
        includes_last_item_in_range: Some(last),
        changes: Some(changes),
    };
    let response = SyncFolderItemsResponse::new(vec![ResponseMessage::success(body)]);
    xml(
        200,
        String::from_utf8(response_envelope(None, &response)).unwrap(),
    )
}

#[tokio::test]
async fn sync_now_loops_until_the_last_page_and_returns_the_final_state() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), three_sync_pages).await;
    let client = basic_client(&server, &clock);
    let outcome = client.account().sync_now(inbox(), None).await.unwrap();

    assert_eq!(outcome.pages, 3);
    assert_eq!(outcome.sync_state, "S3");
    let ids: Vec<_> = outcome
        .changes
        .iter()
        .map(|c| c.item_id().unwrap().id.as_str())
        .collect();
    assert_eq!(ids, ["a", "b", "a", "b", "a"]);
    assert!(matches!(outcome.changes[3], ItemChange::Delete(_)));
    // Ids only, and every call carried the previous call's state.
    let states: Vec<_> = server
        .log()
        .iter()
        .map(|e| {
            parse_request::<SyncFolderItems>(e.body.as_bytes())
                .unwrap()
                .1
        })
        .map(|sync| (sync.sync_state, sync.item_shape == ItemShape::id_only()))
        .collect();
    assert_eq!(
        states,
        [
            (None, true),
            (Some("S1".into()), true),
            (Some("S2".into()), true)
        ]
    );
}

#[tokio::test]
async fn a_failed_sync_page_is_an_error_and_its_sync_fields_are_ignored() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), three_sync_pages).await;
    let client = basic_client(&server, &clock);
    let error = client
        .account()
        .sync_now(inbox(), Some("expired".into()))
        .await
        .unwrap_err();
    assert_eq!(
        error.response_code(),
        Some(ResponseCode::ErrorInvalidSyncStateData)
    );
}

#[tokio::test]
async fn get_items_batches_and_keeps_per_item_errors_in_place() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |exchange| {
        let (_, get) = parse_request::<GetItem>(exchange.body.as_bytes()).unwrap();
        let messages = get
            .item_ids
            .iter()
            .map(|item| match item {
                ItemRef::Id(id) if id.id.starts_with("gone") => ResponseMessage::error(
                    ResponseCode::ErrorItemNotFound,
                    "The specified object was not found in the store.",
                ),
                ItemRef::Id(id) => ResponseMessage::success(GetItemMessage {
                    items: Some(vec![message(&id.id)]),
                }),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        let response = GetItemResponse::new(messages);
        xml(
            200,
            String::from_utf8(response_envelope(None, &response)).unwrap(),
        )
    })
    .await;
    let client = basic_client(&server, &clock);
    let ids: Vec<_> = (0..23)
        .map(|i| {
            ItemId::new(if i == 7 {
                "gone-7".into()
            } else {
                format!("id{i}")
            })
        })
        .collect();
    let results = client
        .account()
        .get_items_in_batches(&ItemShape::id_only(), ids, 10)
        .await
        .unwrap();

    assert_eq!(results.len(), 23);
    for (i, result) in results.iter().enumerate() {
        match result {
            Err(error) => {
                assert_eq!(i, 7);
                assert_eq!(error.code, Some(ResponseCode::ErrorItemNotFound));
            }
            Ok(item) => assert_eq!(subject(item), format!("subject of id{i}")),
        }
    }
    assert!(results[7].is_err());
    let batch_sizes: Vec<_> = server
        .log()
        .iter()
        .map(|e| {
            parse_request::<GetItem>(e.body.as_bytes())
                .unwrap()
                .1
                .item_ids
                .len()
        })
        .collect();
    assert_eq!(batch_sizes, [10, 10, 3]);
}
