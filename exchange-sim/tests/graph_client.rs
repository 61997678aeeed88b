//! graph-client's thin client against the simulator's Graph endpoint: resources, If-Match conflicts,
//! immutable ids, delta rounds with @removed and 410, $batch with a 429 inside, throttling, meetings and
//! free/busy, categories, and the OAuth flows against the token endpoint.

mod support;

use std::time::Duration;

use bytes::Bytes;
use exchange_sim::{Fault, FaultScope, Simulator};
use graph_client::api::{EventReply, ExchangeIdFormat, ScheduleQuery, TranslateExchangeIds};
use graph_client::batch::{BatchItem, BatchRequest};
use graph_client::client::{DeltaRound, GraphClient, Transport};
use graph_client::delta::{DeltaCursor, DeltaEntry, MessageDeltaOptions};
use graph_client::model::{
    Attendee, CategoryColor, Contact, DateTimeTimeZone, EmailAddress, Event, Message,
    OutlookCategory, TaskStatus, TodoTask,
};
use graph_client::oauth::{
    Authority, AuthorizationCallback, AuthorizationCodeRequest, AuthorizeRequest, ClientAuth,
    ClientCredentialsRequest, DeviceCodeRequest, DeviceCodeResponse, DevicePoll,
    DeviceTokenRequest, PkceVerifier, RefreshTokenRequest, TokenResponse,
};
use graph_client::{Collection, Field, Graph, Item, Preferences, Query, Secret, TransportError};

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";

/// HTTP/1.1 to the simulator, one connection per request.
struct Loopback;

impl Transport for Loopback {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        support::send(request, None)
            .await
            .map_err(|e| TransportError::with_source("loopback", e))
    }
}

async fn sim() -> Simulator {
    Simulator::builder()
        .user(ALICE, "alice-pw")
        .user(BOB, "bob-pw")
        .app("crm-sync", "app-secret")
        .public_app("cli")
        .start()
        .await
        .unwrap()
}

fn client_for(sim: &Simulator, user: &str) -> GraphClient<Loopback> {
    let graph = Graph::user(user).with_base_url(&sim.graph_url()).unwrap();
    let client = GraphClient::new(Loopback, graph);
    client.set_access_token(Secret::new(sim.issue_token(user).unwrap()));
    client
}

fn message(subject: &str) -> Message {
    Message {
        subject: Field::from(subject),
        ..Message::default()
    }
}

#[tokio::test]
async fn messages_round_trip_with_conflicts_moves_and_immutable_ids() {
    let sim = sim().await;
    let client = client_for(&sim, ALICE);
    let g = client.graph().clone();
    let inbox = Collection::<Message>::in_mail_folder("inbox");
    let created = client
        .execute(g.create(&inbox, &message("hello")).unwrap())
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    let etag = created.etag.clone().unwrap();
    assert_eq!(created.subject.value().map(String::as_str), Some("hello"));

    let patch = message("hello again");
    let updated = client
        .execute(
            g.update(&Item::<Message>::new(&id), &patch, Some(&etag))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_ne!(
        updated.etag.as_ref(),
        Some(&etag),
        "a write changes the etag"
    );
    // The old etag is stale now: 412, which the client reports as a conflict.
    let stale = client
        .execute(
            g.update(&Item::<Message>::new(&id), &message("lost"), Some(&etag))
                .unwrap(),
        )
        .await;
    assert!(stale.unwrap_err().is_conflict());
    // EWS sees the same item, with the same change key.
    let ews_inbox = sim
        .store()
        .folder_id(ALICE, ews_types::types::DistinguishedFolderName::Inbox)
        .unwrap();
    let in_store = sim.store().items(ALICE, &ews_inbox).unwrap();
    assert_eq!(in_store[0].fields().subject.as_deref(), Some("hello again"));
    assert_eq!(
        updated.change_key.value(),
        in_store[0].id().unwrap().change_key.as_ref()
    );

    // With immutable ids (the default) a move keeps the id.
    let moved = client
        .execute(
            g.move_message(&Item::<Message>::new(&id), "archive")
                .unwrap(),
        )
        .await;
    assert!(
        moved.unwrap_err().is_not_found(),
        "there is no archive folder"
    );
    let moved = client
        .execute(
            g.move_message(&Item::<Message>::new(&id), "deleteditems")
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(moved.id.as_deref(), Some(id.as_str()));
    let all = client
        .list_all(&Collection::<Message>::all(), &Query::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    client
        .execute(g.delete(&Item::<Message>::new(&id), None).unwrap())
        .await
        .unwrap();
    assert!(
        client
            .execute(g.get(&Item::<Message>::new(&id)).unwrap())
            .await
            .unwrap_err()
            .is_not_found()
    );

    // Without immutable ids, a move changes the id.
    let rest = g.clone().with_preferences(Preferences {
        immutable_ids: false,
        ..Preferences::default()
    });
    let m = client
        .execute(rest.create(&inbox, &message("rest")).unwrap())
        .await
        .unwrap();
    let moved = client
        .execute(
            rest.move_message(&Item::<Message>::new(m.id.clone().unwrap()), "drafts")
                .unwrap(),
        )
        .await
        .unwrap();
    assert_ne!(moved.id, m.id);
}

#[tokio::test]
async fn lists_page_with_next_links() {
    let sim = sim().await;
    let client = client_for(&sim, ALICE);
    let g = client.graph().clone();
    for i in 0..25 {
        client
            .execute(
                g.create(
                    &Collection::<Message>::in_mail_folder("inbox"),
                    &message(&format!("m{i}")),
                )
                .unwrap(),
            )
            .await
            .unwrap();
    }
    sim.clear_requests();
    let all = client
        .list_all(
            &Collection::<Message>::in_mail_folder("inbox"),
            &Query::default().top(10),
        )
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
    assert_eq!(sim.requests().len(), 3);
    let selected = client
        .execute(
            g.list(
                &Collection::<Message>::in_mail_folder("inbox"),
                &Query::default().select(["subject"]).top(1),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    assert!(selected.value[0].subject.value().is_some());
    assert!(
        selected.value[0].is_read.is_absent(),
        "$select leaves other properties out"
    );
}

#[tokio::test]
async fn contacts_tasks_and_categories() {
    let sim = sim().await;
    let client = client_for(&sim, ALICE);
    let g = client.graph().clone();
    let contact = Contact {
        given_name: Field::from("Ann"),
        surname: Field::from("Example"),
        email_addresses: Field::Value(vec![EmailAddress {
            address: Some("ann@fabrikam.example".into()),
            ..Default::default()
        }]),
        business_phones: Field::Value(vec!["+1 555 0100".into()]),
        categories: Field::Value(vec!["CRM".into()]),
        ..Contact::default()
    };
    let created = client
        .execute(g.create(&Collection::<Contact>::all(), &contact).unwrap())
        .await
        .unwrap();
    assert_eq!(created.business_phones.value().map(Vec::len), Some(1));
    let patch = Contact {
        company_name: Field::from("Fabrikam"),
        categories: Field::Null,
        ..Contact::default()
    };
    let id = created.id.unwrap();
    let updated = client
        .execute(g.update(&Item::<Contact>::new(&id), &patch, None).unwrap())
        .await
        .unwrap();
    assert_eq!(
        updated.company_name.value().map(String::as_str),
        Some("Fabrikam")
    );
    assert_eq!(updated.categories.value().map(Vec::len), Some(0));
    assert_eq!(
        updated.given_name.value().map(String::as_str),
        Some("Ann"),
        "absent properties stay"
    );

    let lists = client
        .list_all(
            &Collection::<graph_client::model::TodoTaskList>::all(),
            &Query::default(),
        )
        .await
        .unwrap();
    let tasks_list = lists[0].id.clone().unwrap();
    let task = TodoTask {
        title: Field::from("Call Ann"),
        ..TodoTask::default()
    };
    let created = client
        .execute(
            g.create(&Collection::<TodoTask>::in_list(&tasks_list), &task)
                .unwrap(),
        )
        .await
        .unwrap();
    let done = TodoTask {
        status: Field::Value(TaskStatus::Completed),
        ..TodoTask::default()
    };
    let item = Item::<TodoTask>::in_list(&tasks_list, created.id.unwrap());
    let updated = client
        .execute(g.update(&item, &done, None).unwrap())
        .await
        .unwrap();
    assert_eq!(updated.status.value(), Some(&TaskStatus::Completed));

    let categories = Collection::<OutlookCategory>::all();
    let before = client
        .list_all(&categories, &Query::default())
        .await
        .unwrap();
    assert_eq!(before.len(), 6);
    let crm = OutlookCategory {
        display_name: Field::from("CRM"),
        color: Field::Value(CategoryColor::Preset7),
        ..Default::default()
    };
    let created = client
        .execute(g.create(&categories, &crm).unwrap())
        .await
        .unwrap();
    let duplicate = client.execute(g.create(&categories, &crm).unwrap()).await;
    assert!(duplicate.is_err());
    let recolor = OutlookCategory {
        color: Field::Value(CategoryColor::Preset2),
        ..Default::default()
    };
    let item = Item::<OutlookCategory>::new(created.id.unwrap());
    client
        .execute(g.update(&item, &recolor, None).unwrap())
        .await
        .unwrap();
    // EWS reads the same master list.
    assert_eq!(
        sim.store()
            .categories(ALICE)
            .unwrap()
            .find("CRM")
            .unwrap()
            .color,
        2
    );
    client
        .execute(g.delete(&item, None).unwrap())
        .await
        .unwrap();
    assert!(sim.store().categories(ALICE).unwrap().find("CRM").is_none());
}

#[tokio::test]
async fn meetings_land_in_attendees_calendars_with_free_busy_and_responses() {
    let sim = sim().await;
    let alice = client_for(&sim, ALICE);
    let bob = client_for(&sim, BOB);
    let start: jiff::Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let event = Event {
        subject: Field::from("Review"),
        start: Field::Value(DateTimeTimeZone::utc(start)),
        end: Field::Value(DateTimeTimeZone::utc(
            start + jiff::SignedDuration::from_hours(1),
        )),
        attendees: Field::Value(vec![Attendee {
            email_address: Some(EmailAddress {
                address: Some(BOB.into()),
                ..Default::default()
            }),
            ..Default::default()
        }]),
        transaction_id: Field::from("tx-1"),
        ..Event::default()
    };
    let g = alice.graph().clone();
    let created = alice
        .execute(g.create(&Collection::<Event>::all(), &event).unwrap())
        .await
        .unwrap();
    // A retried POST with the same transactionId does not make a second event.
    let again = alice
        .execute(g.create(&Collection::<Event>::all(), &event).unwrap())
        .await
        .unwrap();
    assert_eq!(again.id, created.id);
    let bobs = bob
        .list_all(&Collection::<Event>::all(), &Query::default())
        .await
        .unwrap();
    assert_eq!(bobs.len(), 1);
    let copy = bobs[0].id.clone().unwrap();
    bob.execute(
        bob.graph()
            .accept_event(&Item::<Event>::new(&copy), &EventReply::default())
            .unwrap(),
    )
    .await
    .unwrap();
    let organizer_view = alice
        .execute(
            g.get(&Item::<Event>::new(created.id.clone().unwrap()))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = organizer_view.attendees.value().unwrap()[0]
        .status
        .as_ref()
        .unwrap()
        .response
        .clone();
    assert_eq!(status, Some(graph_client::model::ResponseType::Accepted));

    let query = ScheduleQuery::new(
        vec![ALICE.into(), BOB.into(), "nobody@contoso.example".into()],
        DateTimeTimeZone::utc("2026-03-02T08:00:00Z".parse().unwrap()),
        DateTimeTimeZone::utc("2026-03-02T11:00:00Z".parse().unwrap()),
    );
    let schedules = alice
        .execute(g.get_schedule(&query).unwrap())
        .await
        .unwrap();
    assert_eq!(
        schedules.value[0].availability_view.as_deref(),
        Some("002200")
    );
    assert_eq!(
        schedules.value[1].availability_view.as_deref(),
        Some("002200")
    );
    assert!(schedules.value[2].error.is_some());

    alice
        .execute(
            g.cancel_event(&Item::<Event>::new(created.id.unwrap()), "sorry")
                .unwrap(),
        )
        .await
        .unwrap();
    let bobs = bob
        .list_all(&Collection::<Event>::all(), &Query::default())
        .await
        .unwrap();
    assert_eq!(bobs[0].is_cancelled.value(), Some(&true));
}

#[tokio::test]
async fn delta_rounds_report_changes_removals_and_resync() {
    let sim = sim().await;
    let client = client_for(&sim, ALICE);
    let g = client.graph().clone().with_preferences(Preferences {
        max_page_size: Some(3),
        ..Preferences::default()
    });
    let client = GraphClient::new(Loopback, g.clone());
    client.set_access_token(Secret::new(sim.issue_token(ALICE).unwrap()));
    let inbox = Collection::<Message>::in_mail_folder("inbox");
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(
            client
                .execute(g.create(&inbox, &message(&format!("m{i}"))).unwrap())
                .await
                .unwrap()
                .id
                .unwrap(),
        );
    }
    let mut cursor = DeltaCursor::mail_folder_messages("inbox", MessageDeltaOptions::default());
    let DeltaRound::Complete { entries, pages } = client.delta_round(&mut cursor).await.unwrap()
    else {
        panic!("resync")
    };
    assert_eq!((entries.len(), pages), (7, 3));
    let saved = serde_json::to_string(&cursor).unwrap();

    let read = Message {
        is_read: Field::Value(true),
        ..Message::default()
    };
    client
        .execute(
            g.update(&Item::<Message>::new(&ids[0]), &read, None)
                .unwrap(),
        )
        .await
        .unwrap();
    client
        .execute(
            g.move_message(&Item::<Message>::new(&ids[1]), "drafts")
                .unwrap(),
        )
        .await
        .unwrap();
    client
        .execute(g.delete(&Item::<Message>::new(&ids[2]), None).unwrap())
        .await
        .unwrap();
    client
        .execute(g.create(&inbox, &message("new")).unwrap())
        .await
        .unwrap();

    let mut cursor: DeltaCursor<Message> = serde_json::from_str(&saved).unwrap();
    let DeltaRound::Complete { entries, .. } = client.delta_round(&mut cursor).await.unwrap()
    else {
        panic!("resync")
    };
    assert_eq!(entries.len(), 4);
    let DeltaEntry::Changed(flag) = &entries[0] else {
        panic!("{entries:?}")
    };
    assert_eq!(flag.is_read.value(), Some(&true));
    assert!(
        flag.subject.is_absent(),
        "a read-flag change reports only what changed"
    );
    assert!(
        matches!(&entries[1], DeltaEntry::Removed { id, reason } if id == &ids[1] && reason.as_str() == "changed")
    );
    // Graph's DELETE moves the item to Deleted Items, where it can be restored: reason "changed".
    assert!(
        matches!(&entries[2], DeltaEntry::Removed { id, reason } if id == &ids[2] && reason.as_str() == "changed")
    );

    sim.inject(Fault::DeltaGone.on(FaultScope::Graph));
    let outcome = client.delta_round(&mut cursor).await.unwrap();
    assert!(matches!(
        outcome,
        DeltaRound::ResyncRequired {
            restart_url: Some(_)
        }
    ));
    cursor.restart();
    let DeltaRound::Complete { entries, .. } = client.delta_round(&mut cursor).await.unwrap()
    else {
        panic!("resync")
    };
    // A full round, applied in order, leaves every live message (an item may come more than once, or
    // come and go within the round; Graph allows both, so ingestion is idempotent and ordered).
    let mut live = std::collections::BTreeSet::new();
    for entry in &entries {
        match entry {
            DeltaEntry::Changed(m) => live.insert(m.id.clone().unwrap()),
            DeltaEntry::Removed { id, .. } => live.remove(id),
            other => panic!("{other:?}"),
        };
    }
    assert_eq!(live.len(), 6);

    // A garbled token is gone too.
    let link = format!(
        "{}/users/{ALICE}/mailFolders/inbox/messages/delta?$deltatoken=garbage",
        sim.graph_url()
    );
    let response = client
        .send(http::Request::get(link).body(Bytes::new()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 410);
    assert!(response.headers().contains_key("location"));
}

#[tokio::test]
async fn batch_items_are_throttled_alone_and_retried() {
    let sim = sim().await;
    let client = client_for(&sim, ALICE);
    let g = client.graph().clone();
    let inbox = Collection::<Message>::in_mail_folder("inbox");
    let mut batch = BatchRequest::new();
    batch
        .push(
            BatchItem::from_request("1", g.create(&inbox, &message("a")).unwrap().http(), &g)
                .unwrap(),
        )
        .unwrap();
    batch
        .push(
            BatchItem::from_request("2", g.list(&inbox, &Query::default()).unwrap().http(), &g)
                .unwrap()
                .depends_on(["1"]),
        )
        .unwrap();
    batch
        .push(
            BatchItem::from_request(
                "3",
                g.get(&Item::<Message>::new("AAAA")).unwrap().http(),
                &g,
            )
            .unwrap(),
        )
        .unwrap();
    sim.inject(
        Fault::Throttled {
            retry_after: Duration::from_millis(10),
        }
        .on(FaultScope::operation("GET mailFolders/messages")),
    );
    let response = client.batch(&batch).await.unwrap();
    assert_eq!(response.responses.len(), 3);
    assert_eq!(response.get("1").unwrap().status(), 201);
    assert_eq!(
        response.get("2").unwrap().status(),
        200,
        "the throttled item was sent again"
    );
    assert_eq!(response.get("3").unwrap().status().as_u16() / 100, 4);
    assert_eq!(sim.count_requests(|e| e.operation == "POST $batch"), 2);
}

#[tokio::test]
async fn throttling_and_outages_are_retried_by_the_client() {
    let sim = sim().await;
    let client = client_for(&sim, ALICE);
    sim.inject(
        Fault::Throttled {
            retry_after: Duration::from_millis(20),
        }
        .on(FaultScope::Graph),
    );
    sim.inject(Fault::ServiceUnavailable.on(FaultScope::Graph));
    let list = client
        .list_all(&Collection::<Message>::all(), &Query::default())
        .await
        .unwrap();
    assert!(list.is_empty());
    let statuses: Vec<u16> = sim.requests().iter().map(|e| e.status).collect();
    assert_eq!(statuses, [429, 503, 200]);
}

#[tokio::test]
async fn tokens_are_checked_and_scoped() {
    let sim = sim().await;
    let alice = client_for(&sim, ALICE);
    // A delegated token reaches only its own mailbox.
    let bobs = alice
        .graph()
        .for_mailbox(graph_client::Mailbox::User(BOB.into()));
    let denied = alice
        .execute(
            bobs.list(&Collection::<Message>::all(), &Query::default())
                .unwrap(),
        )
        .await;
    let denied = denied.unwrap_err();
    assert!(denied.to_string().contains("403"), "{denied}");
    let wrong = GraphClient::new(
        Loopback,
        Graph::user(ALICE).with_base_url(&sim.graph_url()).unwrap(),
    );
    wrong.set_access_token(Secret::new("not-a-token"));
    let refused = wrong
        .list_all(&Collection::<Message>::all(), &Query::default())
        .await;
    assert!(refused.unwrap_err().to_string().contains("401"));
}

async fn post(request: http::Request<Bytes>) -> http::Response<Bytes> {
    support::send(request, None).await.unwrap()
}

#[tokio::test]
async fn oauth_flows_against_the_token_endpoint() {
    let sim = sim().await;
    let authority = Authority::tenant(sim.tenant())
        .with_host(&sim.login_url())
        .unwrap();

    // Client credentials: an app-only token for /users/{id}, not for /me.
    let request = ClientCredentialsRequest {
        client_id: "crm-sync".into(),
        auth: ClientAuth::Secret(Secret::new("app-secret")),
        scope: graph_client::oauth::GRAPH_DEFAULT_SCOPE.into(),
    };
    let token =
        TokenResponse::parse(&post(request.to_request(&authority).unwrap().into_http()).await)
            .unwrap();
    let app = GraphClient::new(
        Loopback,
        Graph::user(BOB).with_base_url(&sim.graph_url()).unwrap(),
    );
    app.set_access_token(token.access_token.clone());
    assert!(
        app.list_all(&Collection::<Message>::all(), &Query::default())
            .await
            .is_ok()
    );
    let me = GraphClient::new(
        Loopback,
        Graph::me().with_base_url(&sim.graph_url()).unwrap(),
    );
    me.set_access_token(token.access_token);
    assert!(
        me.list_all(&Collection::<Message>::all(), &Query::default())
            .await
            .is_err()
    );
    let bad = ClientCredentialsRequest {
        auth: ClientAuth::Secret(Secret::new("wrong")),
        ..request
    };
    assert!(
        TokenResponse::parse(&post(bad.to_request(&authority).unwrap().into_http()).await).is_err()
    );

    // Authorization code with PKCE, then refresh.
    let verifier = PkceVerifier::from_random_bytes(&[7u8; 32]).unwrap();
    let authorize = AuthorizeRequest {
        client_id: "cli".into(),
        redirect_uri: "http://localhost/callback".into(),
        scopes: vec!["Mail.ReadWrite".into(), "offline_access".into()],
        state: "s-1".into(),
        prompt: None,
        login_hint: Some(ALICE.into()),
    };
    let redirect = post(
        http::Request::get(authorize.url(&authority, &verifier).as_str())
            .body(Bytes::new())
            .unwrap(),
    )
    .await;
    assert_eq!(redirect.status(), 302);
    let location = url::Url::parse(redirect.headers()["location"].to_str().unwrap()).unwrap();
    let callback = AuthorizationCallback::parse(&location, "s-1").unwrap();
    let exchange = AuthorizationCodeRequest {
        client_id: "cli".into(),
        code: callback.code,
        redirect_uri: "http://localhost/callback".into(),
        code_verifier: verifier,
        scopes: vec!["Mail.ReadWrite".into()],
        auth: ClientAuth::Public,
    };
    let token =
        TokenResponse::parse(&post(exchange.to_request(&authority).unwrap().into_http()).await)
            .unwrap();
    let refresh = RefreshTokenRequest {
        client_id: "cli".into(),
        refresh_token: token.refresh_token.unwrap(),
        scopes: vec!["Mail.ReadWrite".into()],
        auth: ClientAuth::Public,
    };
    let refreshed =
        TokenResponse::parse(&post(refresh.to_request(&authority).unwrap().into_http()).await)
            .unwrap();
    let me = GraphClient::new(
        Loopback,
        Graph::me().with_base_url(&sim.graph_url()).unwrap(),
    );
    me.set_access_token(refreshed.access_token);
    assert!(
        me.list_all(&Collection::<Message>::all(), &Query::default())
            .await
            .is_ok()
    );
    // A refresh token is used once.
    assert!(
        TokenResponse::parse(&post(refresh.to_request(&authority).unwrap().into_http()).await)
            .is_err()
    );

    // Device code: pending until the user signs in.
    let start = DeviceCodeRequest {
        client_id: "cli".into(),
        scopes: vec!["Mail.Read".into()],
    };
    let device =
        DeviceCodeResponse::parse(&post(start.to_request(&authority).unwrap().into_http()).await)
            .unwrap();
    let poll = DeviceTokenRequest {
        client_id: "cli".into(),
        device_code: device.device_code.clone(),
    };
    let first = DevicePoll::parse(
        &post(poll.to_request(&authority).unwrap().into_http()).await,
        Duration::from_secs(1),
    )
    .unwrap();
    assert!(matches!(first, DevicePoll::Pending(_)));
    assert!(sim.approve_device_code(&device.user_code, BOB));
    let second = DevicePoll::parse(
        &post(poll.to_request(&authority).unwrap().into_http()).await,
        Duration::from_secs(1),
    )
    .unwrap();
    assert!(matches!(second, DevicePoll::Token(_)));
}

#[tokio::test]
async fn ews_ids_translate_to_graph_ids() {
    let sim = sim().await;
    let inbox = sim
        .store()
        .folder_id(ALICE, ews_types::types::DistinguishedFolderName::Inbox)
        .unwrap();
    let mut m = ews_types::items::Message::default();
    m.item.subject = Some("bridge".into());
    let ews_id = sim
        .store()
        .create_item(ALICE, &inbox, ews_types::items::Item::from(m))
        .unwrap();
    let client = client_for(&sim, ALICE);
    let g = client.graph().clone();
    let body = TranslateExchangeIds {
        input_ids: vec![ews_id.id.clone(), "garbage".into()],
        source_id_type: ExchangeIdFormat::EwsId,
        target_id_type: ExchangeIdFormat::RestImmutableEntryId,
    };
    let result = client
        .execute(g.translate_exchange_ids(&body).unwrap())
        .await
        .unwrap();
    let graph_id = result.value[0].target_id.clone().unwrap();
    assert!(result.value[1].error_details.is_some());
    let read = client
        .execute(g.get(&Item::<Message>::new(graph_id)).unwrap())
        .await
        .unwrap();
    assert_eq!(read.subject.value().map(String::as_str), Some("bridge"));
}
