//! EWS notifications over loopback HTTP with `ews-types` requests: pull subscriptions read with
//! GetEvents (watermarks, MoreEvents, lapsing), streaming subscriptions read from one chunked
//! GetStreamingEvents response with the `ews-types` streaming decoder, and subscriptions scoped to
//! their mailbox under impersonation.

mod support;

use std::time::Duration;

use ews_types::items::{CalendarItem, Item, Message};
use ews_types::operations::*;
use ews_types::response::ResponseCode;
use ews_types::streaming::StreamingEventsDecoder;
use ews_types::types::*;
use exchange_sim::Simulator;
use http_body_util::BodyExt;
use jiff::Timestamp;
use support::{basic, header, impersonating, typed};

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";
const SVC: &str = "svc@contoso.example";

async fn sim() -> Simulator {
    support::alice_bob_and_service_account().await
}

fn alice() -> String {
    basic(ALICE, "alice-pw")
}

fn message(subject: &str) -> Item {
    let mut m = Message::default();
    m.item.subject = Some(subject.to_owned());
    Item::from(m)
}

/// The code of the only message of a response.
fn only_code<B>(messages: &ews_types::response::ResponseMessages<B>) -> ResponseCode {
    assert_eq!(messages.messages.len(), 1);
    messages.messages[0].code.clone().unwrap()
}

async fn subscribe(sim: &Simulator, op: Subscribe, auth: &str) -> SubscribeMessage {
    let r = typed(&sim.ews_url(), &header(), &op, auth).await;
    r.into_results().remove(0).expect("subscribed")
}

/// A pull subscription of Alice's on one folder (ten minutes), and its first watermark.
async fn pull_on(
    sim: &Simulator,
    folder: DistinguishedFolderName,
    types: Vec<EventType>,
) -> (SubscriptionId, Watermark) {
    let op = Subscribe::pull(FolderScope::folders([folder]), types, 10);
    let subscribed = subscribe(sim, op, &alice()).await;
    (
        subscribed.subscription_id.unwrap(),
        subscribed.watermark.unwrap(),
    )
}

async fn get_events(
    sim: &Simulator,
    request_header: &ews_types::soap::RequestHeader,
    id: &SubscriptionId,
    watermark: &Watermark,
    auth: &str,
) -> Result<Notification, ews_types::response::ResponseError> {
    let op = GetEvents::new(id.clone(), watermark.clone());
    let r = typed(&sim.ews_url(), request_header, &op, auth).await;
    r.into_results()
        .remove(0)
        .map(|m| m.notification.expect("a notification"))
}

fn alice_folder(sim: &Simulator, name: DistinguishedFolderName) -> FolderId {
    sim.store().folder_id(ALICE, name).unwrap()
}

fn names(notification: &Notification) -> Vec<&str> {
    notification.events.iter().map(|e| e.name()).collect()
}

fn item_of(event: &NotificationEvent) -> &ItemId {
    match event.object() {
        Some(ChangedObject::Item(id)) => id,
        other => panic!("expected an item, got {other:?}"),
    }
}

#[tokio::test]
async fn pull_subscription_reports_every_kind_of_item_event_in_order() {
    let sim = sim().await;
    let url = sim.ews_url();
    let (id, start) = pull_on(&sim, DistinguishedFolderName::Inbox, EventType::all()).await;

    // Nothing happened yet: a status event carries the watermark to resume from.
    let quiet = get_events(&sim, &header(), &id, &start, &alice())
        .await
        .unwrap();
    assert_eq!(names(&quiet), ["StatusEvent"]);
    assert!(!quiet.has_more_events());

    // A message arrives in the Inbox, is moved out, copied back, and the copy is deleted.
    let first = first_id!(
        typed(
            &url,
            &header(),
            &CreateItem::save(DistinguishedFolderName::Inbox, vec![message("hello")]),
            &alice()
        )
        .await
    );
    let in_drafts = first_id!(
        typed(
            &url,
            &header(),
            &MoveItem::new(DistinguishedFolderName::Drafts, [first.clone()]),
            &alice()
        )
        .await
    );
    let copy = first_id!(
        typed(
            &url,
            &header(),
            &CopyItem::new(DistinguishedFolderName::Inbox, [in_drafts.clone()]),
            &alice()
        )
        .await
    );
    let deleted = typed(
        &url,
        &header(),
        &DeleteItem::new(DeleteType::HardDelete, [copy.clone()]),
        &alice(),
    )
    .await;
    assert!(deleted.into_results().remove(0).is_ok());

    let resume = quiet.resume_watermark().unwrap().clone();
    let events = get_events(&sim, &header(), &id, &resume, &alice())
        .await
        .unwrap();
    assert_eq!(
        names(&events),
        [
            "CreatedEvent",
            "NewMailEvent",
            "ModifiedEvent", // the Inbox: its unread count
            "MovedEvent",
            "ModifiedEvent", // the Inbox lost it (Drafts gained it: not subscribed)
            "CopiedEvent",
            "ModifiedEvent",
            "DeletedEvent",
            "ModifiedEvent",
        ]
    );
    assert_eq!(events.previous_watermark.as_ref(), Some(&resume));
    assert!(!events.has_more_events());
    // Created and NewMail name the item as it arrived.
    assert_eq!(item_of(&events.events[0]).id, first.id);
    assert_eq!(item_of(&events.events[1]).id, first.id);
    // The move names the new id and the old one, the new folder and the old.
    let NotificationEvent::Moved(moved) = &events.events[3] else {
        panic!("a move")
    };
    assert_eq!(item_of(&events.events[3]).id, in_drafts.id);
    assert_eq!(moved.old_object, ChangedObject::Item(first.clone()));
    let inbox = alice_folder(&sim, DistinguishedFolderName::Inbox);
    let drafts = alice_folder(&sim, DistinguishedFolderName::Drafts);
    assert_eq!(moved.old_parent_folder_id.id, inbox.id);
    assert_eq!(moved.change.parent_folder_id.id, drafts.id);
    // The copy names the copy and its original.
    let NotificationEvent::Copied(copied) = &events.events[5] else {
        panic!("a copy")
    };
    assert_eq!(item_of(&events.events[5]).id, copy.id);
    assert_eq!(copied.old_object, ChangedObject::Item(in_drafts.clone()));
    assert_eq!(item_of(&events.events[7]).id, copy.id);
    // The folder event carries the unread count.
    let NotificationEvent::Modified(folder) = &events.events[2] else {
        panic!("a modification")
    };
    assert_eq!(folder.change.object, ChangedObject::Folder(inbox.clone()));
    assert!(folder.unread_count.is_some());
    // Every event has its own watermark; resuming from the last gives nothing new.
    assert!(events.events.iter().all(|e| e.watermark().is_some()));
    let last = events.resume_watermark().unwrap().clone();
    let after = get_events(&sim, &header(), &id, &last, &alice())
        .await
        .unwrap();
    assert_eq!(names(&after), ["StatusEvent"]);
    // Re-reading from an earlier watermark replays the same events.
    let again = get_events(&sim, &header(), &id, &resume, &alice())
        .await
        .unwrap();
    assert_eq!(again.events, events.events);
    sim.shutdown().await;
}

#[tokio::test]
async fn event_types_filter_and_more_events_pages_through_a_burst() {
    let sim = sim().await;
    let (id, start) = pull_on(
        &sim,
        DistinguishedFolderName::Inbox,
        vec![EventType::Created],
    )
    .await;
    let inbox = alice_folder(&sim, DistinguishedFolderName::Inbox);
    let drafts = alice_folder(&sim, DistinguishedFolderName::Drafts);
    let mut created = Vec::new();
    {
        let mut store = sim.store();
        for n in 0..70 {
            created.push(
                store
                    .create_item(ALICE, &inbox, message(&format!("burst {n}")))
                    .unwrap(),
            );
            // Not in the subscribed folder: never reported.
            store
                .create_item(ALICE, &drafts, message("elsewhere"))
                .unwrap();
        }
    }
    let mut seen = Vec::new();
    let mut watermark = start;
    let mut calls = 0;
    loop {
        let n = get_events(&sim, &header(), &id, &watermark, &alice())
            .await
            .unwrap();
        calls += 1;
        for event in &n.events {
            if let NotificationEvent::Created(e) = event {
                let ChangedObject::Item(item) = &e.object else {
                    panic!("an item")
                };
                seen.push(item.id.clone());
            }
        }
        watermark = n.resume_watermark().unwrap().clone();
        if !n.has_more_events() {
            break;
        }
    }
    assert_eq!(calls, 2, "70 events come in two calls of at most 50");
    assert_eq!(
        seen,
        created.iter().map(|i| i.id.clone()).collect::<Vec<_>>()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn calendar_changes_that_move_time_report_free_busy_changed() {
    let sim = sim().await;
    let (id, watermark) = pull_on(
        &sim,
        DistinguishedFolderName::Calendar,
        vec![EventType::FreeBusyChanged],
    )
    .await;
    let calendar = alice_folder(&sim, DistinguishedFolderName::Calendar);
    let start: Timestamp = "2030-01-07T09:00:00Z".parse().unwrap();
    let meeting = CalendarItem {
        start: Some(start),
        end: Some(start + Duration::from_secs(3600)),
        ..CalendarItem::default()
    };
    let item = sim
        .store()
        .create_item(ALICE, &calendar, Item::from(meeting))
        .unwrap();
    // A new subject changes nothing about time; a new start does.
    let item = sim
        .store()
        .update_item(ALICE, &item, |i| {
            i.fields_mut().subject = Some("renamed".into())
        })
        .unwrap();
    sim.store()
        .update_item(ALICE, &item, |i| {
            if let Item::CalendarItem(c) = i {
                c.start = Some(start + Duration::from_secs(1800));
            }
        })
        .unwrap();
    sim.store().delete_item(ALICE, &item).unwrap();
    let n = get_events(&sim, &header(), &id, &watermark, &alice())
        .await
        .unwrap();
    assert_eq!(
        names(&n),
        [
            "FreeBusyChangedEvent",
            "FreeBusyChangedEvent",
            "FreeBusyChangedEvent"
        ]
    );
    assert!(n.events.iter().all(|e| item_of(e).id == item.id));
    sim.shutdown().await;
}

#[tokio::test]
async fn subscriptions_belong_to_their_mailbox_under_impersonation() {
    let sim = sim().await;
    let url = sim.ews_url();
    let bob = basic(BOB, "bob-pw");
    let svc = basic(SVC, "svc-pw");
    let subscribed = subscribe(
        &sim,
        Subscribe::pull(FolderScope::AllFolders, EventType::all(), 10),
        &alice(),
    )
    .await;
    let id = subscribed.subscription_id.unwrap();
    let watermark = subscribed.watermark.unwrap();

    // Bob cannot read Alice's subscription, nor end it.
    let denied = get_events(&sim, &header(), &id, &watermark, &bob)
        .await
        .unwrap_err();
    assert_eq!(
        denied.code,
        Some(ResponseCode::ErrorSubscriptionAccessDenied)
    );
    let r = typed(&url, &header(), &Unsubscribe::new(id.clone()), &bob).await;
    assert_eq!(only_code(&r), ResponseCode::ErrorSubscriptionAccessDenied);
    // The service account impersonating Alice can; impersonating Bob it cannot.
    assert!(
        get_events(&sim, &impersonating(ALICE), &id, &watermark, &svc)
            .await
            .is_ok()
    );
    let denied = get_events(&sim, &impersonating(BOB), &id, &watermark, &svc)
        .await
        .unwrap_err();
    assert_eq!(
        denied.code,
        Some(ResponseCode::ErrorSubscriptionAccessDenied)
    );
    // A watermark of another mailbox is refused.
    let bobs = subscribe(
        &sim,
        Subscribe::pull(FolderScope::AllFolders, EventType::all(), 10),
        &bob,
    )
    .await;
    let foreign = get_events(&sim, &header(), &id, &bobs.watermark.unwrap(), &alice())
        .await
        .unwrap_err();
    assert_eq!(foreign.code, Some(ResponseCode::ErrorInvalidWatermark));
    // Alice ends it; then it is gone.
    let r = typed(&url, &header(), &Unsubscribe::new(id.clone()), &alice()).await;
    assert_eq!(only_code(&r), ResponseCode::NoError);
    let gone = get_events(&sim, &header(), &id, &watermark, &alice())
        .await
        .unwrap_err();
    assert_eq!(gone.code, Some(ResponseCode::ErrorSubscriptionNotFound));
    sim.shutdown().await;
}

#[tokio::test]
async fn bad_ids_watermarks_and_push_subscriptions_are_refused_with_their_codes() {
    let sim = sim().await;
    let url = sim.ews_url();
    let subscribed = subscribe(
        &sim,
        Subscribe::pull(FolderScope::AllFolders, EventType::all(), 10),
        &alice(),
    )
    .await;
    let id = subscribed.subscription_id.unwrap();
    let forged = get_events(
        &sim,
        &header(),
        &SubscriptionId::from("f6bc657d-dde1-4f94-952d-143b95d6483d"),
        &subscribed.watermark.clone().unwrap(),
        &alice(),
    )
    .await
    .unwrap_err();
    assert_eq!(forged.code, Some(ResponseCode::ErrorInvalidSubscription));
    let garbled = get_events(
        &sim,
        &header(),
        &id,
        &Watermark::from("AAAAAGUhAAAAAAAAAQ=="),
        &alice(),
    )
    .await
    .unwrap_err();
    assert_eq!(garbled.code, Some(ResponseCode::ErrorInvalidWatermark));
    let push = Subscribe::push(
        FolderScope::AllFolders,
        EventType::all(),
        "https://listener.contoso.example/ews",
        5,
    );
    let r = typed(&url, &header(), &push, &alice()).await;
    assert_eq!(only_code(&r), ResponseCode::ErrorInvalidSubscriptionRequest);
    // A streaming subscription is not read with GetEvents.
    let streaming = subscribe(
        &sim,
        Subscribe::streaming(FolderScope::AllFolders, EventType::all()),
        &alice(),
    )
    .await;
    assert!(streaming.watermark.is_none());
    let wrong = get_events(
        &sim,
        &header(),
        &streaming.subscription_id.unwrap(),
        &subscribed.watermark.unwrap(),
        &alice(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        wrong.code,
        Some(ResponseCode::ErrorInvalidPullSubscriptionId)
    );
    // Twenty subscriptions per mailbox at most.
    for _ in 2..20 {
        subscribe(
            &sim,
            Subscribe::pull(FolderScope::AllFolders, EventType::all(), 10),
            &alice(),
        )
        .await;
    }
    let r = typed(
        &url,
        &header(),
        &Subscribe::pull(FolderScope::AllFolders, EventType::all(), 10),
        &alice(),
    )
    .await;
    assert_eq!(only_code(&r), ResponseCode::ErrorExceededSubscriptionCount);
    sim.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_pull_subscription_lapses_after_its_timeout_without_get_events() {
    let sim = sim().await;
    let subscribed = subscribe(
        &sim,
        Subscribe::pull(FolderScope::AllFolders, EventType::all(), 1),
        &alice(),
    )
    .await;
    let id = subscribed.subscription_id.unwrap();
    let watermark = subscribed.watermark.unwrap();
    // A call within the minute keeps it alive for another minute.
    tokio::time::advance(Duration::from_secs(50)).await;
    assert!(
        get_events(&sim, &header(), &id, &watermark, &alice())
            .await
            .is_ok()
    );
    tokio::time::advance(Duration::from_secs(50)).await;
    assert!(
        get_events(&sim, &header(), &id, &watermark, &alice())
            .await
            .is_ok()
    );
    tokio::time::advance(Duration::from_secs(61)).await;
    let lapsed = get_events(&sim, &header(), &id, &watermark, &alice())
        .await
        .unwrap_err();
    assert_eq!(lapsed.code, Some(ResponseCode::ErrorExpiredSubscription));
    sim.shutdown().await;
}

/// An open GetStreamingEvents response, decoded as it arrives.
struct Stream {
    body: hyper::body::Incoming,
    decoder: StreamingEventsDecoder,
}

impl Stream {
    async fn open(sim: &Simulator, ids: Vec<SubscriptionId>, minutes: i32) -> Stream {
        let request = support::ews_request(
            &sim.ews_url(),
            &header(),
            &GetStreamingEvents::new(ids, minutes),
            &alice(),
        );
        let mut connection = support::connect(&sim.ews_url(), None).await.unwrap();
        let response = connection.send_streaming(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers().get("content-length").is_none(),
            "a streamed answer is chunked"
        );
        Stream {
            body: response.into_body(),
            decoder: StreamingEventsDecoder::new(),
        }
    }

    /// The next envelope's message, or `None` when the response ended.
    async fn next(&mut self) -> Option<GetStreamingEventsMessage> {
        loop {
            if let Some(envelope) = self.decoder.poll_response() {
                let mut messages = envelope.unwrap().body.messages;
                assert_eq!(messages.len(), 1);
                return Some(messages.remove(0).into_result().unwrap());
            }
            match self.body.frame().await {
                Some(frame) => {
                    if let Ok(data) = frame.unwrap().into_data() {
                        self.decoder.push(&data).unwrap();
                    }
                }
                None => {
                    self.decoder.finish().unwrap();
                    return None;
                }
            }
        }
    }

    /// The events of the next envelope that carries any (skipping keep-alives).
    async fn next_events(&mut self) -> Vec<(SubscriptionId, NotificationEvent)> {
        loop {
            let message = self.next().await.expect("an envelope");
            let events: Vec<_> = message
                .notifications
                .into_iter()
                .flatten()
                .flat_map(|n| {
                    let id = n.subscription_id.clone();
                    n.events.into_iter().map(move |e| (id.clone(), e))
                })
                .collect();
            if !events.is_empty() {
                return events;
            }
            assert!(
                !message
                    .connection_status
                    .as_ref()
                    .is_some_and(|s| *s == ConnectionStatus::Closed)
            );
        }
    }
}

#[tokio::test]
async fn streaming_events_arrive_as_envelopes_on_one_chunked_response_until_closed() {
    let sim = sim().await;
    let inbox = subscribe(
        &sim,
        Subscribe::streaming(
            FolderScope::folders([DistinguishedFolderName::Inbox]),
            vec![EventType::NewMail],
        ),
        &alice(),
    )
    .await
    .subscription_id
    .unwrap();
    let calendar = subscribe(
        &sim,
        Subscribe::streaming(
            FolderScope::folders([DistinguishedFolderName::Calendar]),
            vec![EventType::Created],
        ),
        &alice(),
    )
    .await
    .subscription_id
    .unwrap();
    let mut stream = Stream::open(&sim, vec![inbox.clone(), calendar.clone()], 30).await;

    // Mail sent by Bob over EWS lands in Alice's Inbox: a NewMail event on the open stream.
    let mut mail = Message::default();
    mail.item.subject = Some("over the wire".into());
    mail.to_recipients = Some(vec![EmailAddress::smtp(ALICE)]);
    let send = CreateItem {
        message_disposition: Some(MessageDisposition::SendAndSaveCopy),
        send_meeting_invitations: None,
        saved_item_folder_id: None,
        items: vec![Item::from(mail)],
    };
    let r = typed(&sim.ews_url(), &header(), &send, &basic(BOB, "bob-pw")).await;
    assert!(r.into_results().remove(0).is_ok());
    let events = stream.next_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, inbox);
    assert_eq!(events[0].1.name(), "NewMailEvent");
    assert!(
        events[0].1.watermark().is_none(),
        "streamed events carry no watermark"
    );

    // A write straight into the store (no request) is noticed too, on the other subscription.
    let folder = alice_folder(&sim, DistinguishedFolderName::Calendar);
    let id = sim
        .store()
        .create_item(ALICE, &folder, Item::from(CalendarItem::default()))
        .unwrap();
    let events = stream.next_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, calendar);
    assert_eq!(item_of(&events[0].1).id, id.id);

    // The test closes the stream: a last envelope says Closed, then the response ends.
    sim.close_streams();
    let last = stream.next().await.expect("the closing envelope");
    assert_eq!(last.connection_status, Some(ConnectionStatus::Closed));
    assert!(stream.next().await.is_none());

    // Events while disconnected wait for the next connection.
    sim.store()
        .create_item(ALICE, &folder, Item::from(CalendarItem::default()))
        .unwrap();
    let mut again = Stream::open(&sim, vec![calendar.clone()], 1).await;
    let events = again.next_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1.name(), "CreatedEvent");
    // Unsubscribing the connection's last subscription closes it.
    let r = typed(
        &sim.ews_url(),
        &header(),
        &Unsubscribe::new(calendar),
        &alice(),
    )
    .await;
    assert_eq!(only_code(&r), ResponseCode::NoError);
    let last = again.next().await.expect("the closing envelope");
    assert_eq!(last.connection_status, Some(ConnectionStatus::Closed));
    assert!(again.next().await.is_none());
    sim.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_stream_sends_keep_alives_and_closes_after_its_connection_timeout() {
    let sim = sim().await;
    let id = subscribe(
        &sim,
        Subscribe::streaming(FolderScope::AllFolders, EventType::all()),
        &alice(),
    )
    .await
    .subscription_id
    .unwrap();
    let opened = tokio::time::Instant::now();
    let mut stream = Stream::open(&sim, vec![id], 2).await;
    let mut statuses = Vec::new();
    while let Some(message) = stream.next().await {
        assert!(message.notifications.is_none());
        statuses.push(message.connection_status.unwrap());
    }
    assert_eq!(
        statuses,
        [ConnectionStatus::Ok, ConnectionStatus::Closed],
        "a keep-alive after a quiet minute, then Closed at two minutes"
    );
    assert!(opened.elapsed() >= Duration::from_secs(120));
    sim.shutdown().await;
}

#[tokio::test]
async fn get_streaming_events_refuses_pull_and_foreign_subscriptions_without_streaming() {
    let sim = sim().await;
    let pull = subscribe(
        &sim,
        Subscribe::pull(FolderScope::AllFolders, EventType::all(), 10),
        &alice(),
    )
    .await
    .subscription_id
    .unwrap();
    let bobs = subscribe(
        &sim,
        Subscribe::streaming(FolderScope::AllFolders, EventType::all()),
        &basic(BOB, "bob-pw"),
    )
    .await
    .subscription_id
    .unwrap();
    for (id, code) in [
        (pull, ResponseCode::ErrorInvalidSubscription),
        (bobs, ResponseCode::ErrorSubscriptionAccessDenied),
    ] {
        let op = GetStreamingEvents::new([id.clone()], 1);
        let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
        let message = &r.messages[0];
        assert_eq!(message.code, Some(code));
        assert_eq!(message.body.error_subscription_ids, Some(vec![id]));
        assert!(message.body.is_closed());
    }
    sim.shutdown().await;
}
