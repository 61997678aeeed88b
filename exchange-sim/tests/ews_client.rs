//! `ews-client` against the simulator over loopback HTTP: every EWS operation the simulator serves,
//! Basic and NTLM sign-in, impersonation allowed and denied, and every fault kind, with the client's
//! back-off waits on its virtual clock ([`ManualClock`]) so no test sleeps for its back-off.

mod support;

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use ews_client::{
    ClientBuilder, Credentials, Error, EwsClient, HyperTransport, Mailbox, ManualClock,
    RetryPolicy, TransportErrorKind,
};
use ews_types::availability::{FreeBusyViewType, MailboxData, SerializableTimeZone, TimeWindow};
use ews_types::category_list::Category;
use ews_types::folders::{Folder, FolderKind};
use ews_types::items::{Item, Message};
use ews_types::operations::*;
use ews_types::response::ResponseCode;
use ews_types::types::*;
use exchange_sim::{Fault, FaultScope, Simulator};

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";

type Client = EwsClient<HyperTransport, ManualClock>;

async fn sim() -> Simulator {
    support::alice_bob_and_service_account().await
}

fn builder(sim: &Simulator, credentials: Credentials) -> ClientBuilder {
    ClientBuilder::new(sim.ews_url(), credentials)
        .allow_insecure_loopback_http(true)
        .jitter_seed(7)
}

/// A client signed in with `credentials`, on a virtual clock.
fn client(sim: &Simulator, credentials: Credentials) -> (Arc<Client>, ManualClock) {
    let clock = ManualClock::new();
    let client = builder(sim, credentials)
        .build(HyperTransport::plain_http(), clock.clone())
        .unwrap();
    (Arc::new(client), clock)
}

fn alice(sim: &Simulator) -> (Arc<Client>, ManualClock) {
    client(sim, Credentials::basic(ALICE, "alice-pw"))
}

/// Runs `future` to its end, moving the virtual clock to the next deadline whenever the client sleeps
/// (only then: nothing is in flight when time moves).
async fn driven<T: Send + 'static>(
    clock: &ManualClock,
    future: impl Future<Output = T> + Send + 'static,
) -> T {
    let task = tokio::spawn(future);
    while !task.is_finished() {
        if clock.pending_sleeps() > 0 {
            clock.advance_to_next_deadline();
        }
        tokio::task::yield_now().await;
    }
    task.await.unwrap()
}

/// Reads the Inbox, with back-off waits on the virtual clock.
async fn read_inbox(
    client: &Arc<Client>,
    clock: &ManualClock,
) -> ews_client::Result<GetFolderResponse> {
    let client = client.clone();
    driven(clock, async move { client.execute(&inbox()).await }).await
}

fn message(subject: &str) -> Item {
    let mut m = Message::default();
    m.item.subject = Some(subject.to_owned());
    Item::from(m)
}

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

/// The id of the first item of the only message.
fn first_item<B>(response: ResponseMessages<B>, items: impl Fn(B) -> Option<Vec<Item>>) -> ItemId {
    let body = response.into_results().remove(0).expect("success");
    items(body).unwrap()[0].id().unwrap().clone()
}

fn codes<B>(response: &ResponseMessages<B>) -> Vec<ResponseCode> {
    response
        .messages
        .iter()
        .map(|m| m.code.clone().unwrap())
        .collect()
}

use ews_types::response::ResponseMessages;

/// The failure behind a retry budget that ran out (or the error itself).
fn last_failure(error: &Error) -> &Error {
    match error {
        Error::RetriesExhausted { last, .. } => last_failure(last),
        other => other,
    }
}

#[tokio::test]
async fn every_operation_the_simulator_serves_works_through_the_client() {
    let sim = sim().await;
    let (client, _) = alice(&sim);
    let me = client.account();

    // Folders: create, read, list, sync.
    let folder = Folder::new(FolderKind::Folder, "CRM");
    let created = me
        .execute(&CreateFolder::new(DistinguishedFolderName::Inbox, folder))
        .await
        .unwrap();
    let crm = created.into_results().remove(0).unwrap().folders.unwrap()[0]
        .fields
        .folder_id
        .clone()
        .unwrap();
    let read = me.execute(&inbox()).await.unwrap();
    assert_eq!(codes(&read), [ResponseCode::NoError]);
    let folders = me
        .find_folders(FindFolder::deep(DistinguishedFolderName::MsgFolderRoot))
        .collect_all()
        .await
        .unwrap();
    assert!(
        folders
            .iter()
            .any(|f| f.fields.folder_id.as_ref().map(|i| &i.id) == Some(&crm.id))
    );
    let hierarchy = me
        .execute(&SyncFolderHierarchy {
            folder_shape: FolderShape::new(BaseShape::IdOnly),
            sync_folder_id: None,
            sync_state: None,
        })
        .await
        .unwrap();
    assert_eq!(codes(&hierarchy), [ResponseCode::NoError]);

    // Items: create, find, read, update, copy, move, sync, send, delete.
    let made = me
        .execute(&CreateItem::save(
            DistinguishedFolderName::Inbox,
            (0..3).map(|n| message(&format!("note {n}"))).collect(),
        ))
        .await
        .unwrap();
    let ids: Vec<ItemId> = made
        .into_results()
        .into_iter()
        .map(|m| m.unwrap().items.unwrap()[0].id().unwrap().clone())
        .collect();
    let found = me
        .find_items(FindItem::new(DistinguishedFolderName::Inbox, 2))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 3, "three items over two pages");
    let read = me
        .get_items(&ItemShape::new(BaseShape::Default), ids.clone())
        .await
        .unwrap();
    assert!(read.iter().all(Result::is_ok));
    let renamed = me
        .execute(&UpdateItem::never_overwrite(vec![ItemUpdate {
            item: ids[0].clone().into(),
            updates: vec![FieldUpdate::Set {
                path: PropertyPath::field("item:Subject"),
                item: message("renamed"),
            }],
        }]))
        .await
        .unwrap();
    let renamed = first_item(renamed, |b| b.items);
    assert_ne!(renamed.change_key, ids[0].change_key);
    let copy = first_item(
        me.execute(&CopyItem::new(crm.clone(), [ids[1].clone()]))
            .await
            .unwrap(),
        |b| b.items,
    );
    let moved = first_item(
        me.execute(&MoveItem::new(crm.clone(), [ids[2].clone()]))
            .await
            .unwrap(),
        |b| b.items,
    );
    assert_ne!(moved.id, ids[2].id, "a move changes the id");
    let synced = me.sync_now(crm.clone(), None).await.unwrap();
    assert_eq!(synced.changes.len(), 2, "the copy and the moved item");
    let draft = first_item(
        me.execute(&CreateItem::save(DistinguishedFolderName::Drafts, {
            let mut m = Message::default();
            m.item.subject = Some("to Bob".into());
            m.to_recipients = Some(vec![EmailAddress::smtp(BOB)]);
            vec![Item::from(m)]
        }))
        .await
        .unwrap(),
        |b| b.items,
    );
    let sent = me.execute(&SendItem::new([draft])).await.unwrap();
    assert_eq!(codes(&sent), [ResponseCode::NoError]);
    let deleted = me
        .execute(&DeleteItem::new(DeleteType::HardDelete, [copy, moved]))
        .await
        .unwrap();
    assert_eq!(
        codes(&deleted),
        [ResponseCode::NoError, ResponseCode::NoError]
    );

    // Configuration: the master category list, read and written.
    let categories = me
        .execute(&GetUserConfiguration::category_list())
        .await
        .unwrap();
    let configuration = categories
        .into_results()
        .remove(0)
        .unwrap()
        .user_configuration
        .unwrap();
    let mut list = ews_types::category_list::CategoryList::from_xml_data(
        configuration.content.xml_data.as_deref().unwrap(),
    )
    .unwrap();
    list.add(Category::new(
        "CRM",
        7,
        "{6B1C3A52-4F3D-4D4C-9E1A-0A0B0C0D0E0F}",
    ));
    let written = me
        .execute(&UpdateUserConfiguration::new(UserConfiguration {
            name: UserConfigurationName::category_list(),
            content: UserConfigurationContent {
                xml_data: Some(list.to_xml_data()),
                ..Default::default()
            },
        }))
        .await
        .unwrap();
    assert_eq!(codes(&written), [ResponseCode::NoError]);

    // People and time.
    let resolved = me.execute(&ResolveNames::new("bob")).await.unwrap();
    assert_eq!(codes(&resolved), [ResponseCode::NoError]);
    let availability = me
        .execute(&GetUserAvailability::free_busy(
            SerializableTimeZone::utc(),
            [MailboxData::required(ALICE), MailboxData::required(BOB)],
            TimeWindow::new(
                "2026-03-02T08:00:00".parse().unwrap(),
                "2026-03-02T11:00:00".parse().unwrap(),
            ),
            FreeBusyViewType::FreeBusy,
        ))
        .await
        .unwrap();
    assert_eq!(availability.free_busy_responses.unwrap().len(), 2);

    // Notifications: a pull subscription read and ended; a streaming one refused as pull.
    let subscribed = me
        .execute(&Subscribe::pull(
            FolderScope::folders([DistinguishedFolderName::Inbox]),
            EventType::all(),
            5,
        ))
        .await
        .unwrap()
        .into_results()
        .remove(0)
        .unwrap();
    let id = subscribed.subscription_id.unwrap();
    me.execute(&CreateItem::save(
        DistinguishedFolderName::Inbox,
        vec![message("news")],
    ))
    .await
    .unwrap();
    let events = me
        .execute(&GetEvents::new(id.clone(), subscribed.watermark.unwrap()))
        .await
        .unwrap()
        .into_results()
        .remove(0)
        .unwrap();
    let notification = events.notification.unwrap();
    assert!(
        notification
            .events
            .iter()
            .any(|e| matches!(e, NotificationEvent::NewMail(_)))
    );
    let wrong = me
        .execute(&GetStreamingEvents::new([id.clone()], 1))
        .await
        .unwrap();
    assert_eq!(codes(&wrong), [ResponseCode::ErrorInvalidSubscription]);
    let ended = me.execute(&Unsubscribe::new(id)).await.unwrap();
    assert_eq!(codes(&ended), [ResponseCode::NoError]);

    let served: BTreeSet<String> = sim.requests().into_iter().map(|e| e.operation).collect();
    for operation in [
        "CreateFolder",
        "GetFolder",
        "FindFolder",
        "SyncFolderHierarchy",
        "CreateItem",
        "FindItem",
        "GetItem",
        "UpdateItem",
        "CopyItem",
        "MoveItem",
        "SyncFolderItems",
        "SendItem",
        "DeleteItem",
        "GetUserConfiguration",
        "UpdateUserConfiguration",
        "ResolveNames",
        "GetUserAvailabilityRequest", // the log names operations by their body element
        "Subscribe",
        "GetEvents",
        "GetStreamingEvents",
        "Unsubscribe",
        // ConvertId, ExpandDL and the OOF operations: in their own test below.
    ] {
        assert!(served.contains(operation), "{operation} was not exercised");
    }
    assert!(sim.requests().iter().all(|e| e.status == 200));
    sim.shutdown().await;
}

#[tokio::test]
async fn ntlm_signs_in_and_wrong_credentials_are_unauthorized() {
    let sim = sim().await;
    let (ntlm, _) = client(&sim, Credentials::ntlm("CONTOSO\\alice", "alice-pw"));
    let read = ntlm.execute(&inbox()).await.unwrap();
    assert_eq!(codes(&read), [ResponseCode::NoError]);
    let by_upn = client(&sim, Credentials::ntlm(ALICE, "alice-pw")).0;
    assert!(by_upn.execute(&inbox()).await.is_ok());
    // The log shows the handshake: a 401 with the challenge, then the authenticated request.
    let statuses: Vec<u16> = sim.requests().iter().map(|e| e.status).collect();
    assert_eq!(statuses, [401, 200, 401, 200]);
    assert_eq!(
        sim.requests()[1].principal.as_deref(),
        Some(ALICE),
        "the NTLMv2 response was verified for alice"
    );

    let (wrong, _) = client(&sim, Credentials::ntlm("CONTOSO\\alice", "wrong"));
    let error = wrong.execute(&inbox()).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    assert!(!error.is_throttled());
    let (wrong, _) = client(&sim, Credentials::basic(ALICE, "wrong"));
    let Error::Unauthorized {
        offered_schemes, ..
    } = wrong.execute(&inbox()).await.unwrap_err()
    else {
        panic!("401 expected")
    };
    assert!(
        offered_schemes
            .iter()
            .any(|s| s.eq_ignore_ascii_case("NTLM"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_service_account_impersonates_and_others_are_denied() {
    let sim = sim().await;
    let (svc, _) = client(&sim, Credentials::ntlm("CONTOSO\\svc", "svc-pw"));
    for user in [ALICE, BOB] {
        let mailbox = svc.mailbox(Mailbox::smtp(user));
        let made = mailbox
            .execute(&CreateItem::save(
                DistinguishedFolderName::Inbox,
                vec![message(&format!("for {user}"))],
            ))
            .await
            .unwrap();
        assert_eq!(codes(&made), [ResponseCode::NoError]);
        let synced = mailbox
            .sync_now(DistinguishedFolderName::Inbox, None)
            .await
            .unwrap();
        assert_eq!(synced.changes.len(), 1);
    }
    let acted_on: Vec<Option<String>> = sim
        .requests()
        .into_iter()
        .filter(|e| e.status == 200)
        .map(|e| e.mailbox)
        .collect();
    assert_eq!(
        acted_on,
        [Some(ALICE), Some(ALICE), Some(BOB), Some(BOB)].map(|m| m.map(str::to_owned))
    );
    // Alice may not impersonate Bob.
    let (alice, _) = alice(&sim);
    let error = alice
        .mailbox(Mailbox::smtp(BOB))
        .execute(&inbox())
        .await
        .unwrap_err();
    assert_eq!(
        error.response_code(),
        Some(ResponseCode::ErrorImpersonateUserDenied),
        "{error}"
    );
    // Nobody has a mailbox there.
    let error = svc
        .mailbox(Mailbox::smtp("nobody@contoso.example"))
        .execute(&inbox())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::MailboxNotFound { .. })
            || error.response_code() == Some(ResponseCode::ErrorNonExistentMailbox),
        "{error}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn server_busy_is_retried_after_its_back_off_on_the_virtual_clock() {
    let sim = sim().await;
    sim.inject(
        Fault::ServerBusy {
            back_off: Duration::from_millis(5_000),
        }
        .on(FaultScope::operation("GetFolder"))
        .times(2),
    );
    let (client, clock) = alice(&sim);
    let started = clock.elapsed();
    let read = read_inbox(&client, &clock).await.unwrap();
    assert_eq!(codes(&read), [ResponseCode::NoError]);
    assert!(clock.elapsed() - started >= Duration::from_millis(10_000));
    let faults: Vec<Option<String>> = sim.requests().into_iter().map(|e| e.fault).collect();
    assert_eq!(
        faults,
        [Some("ServerBusy".into()), Some("ServerBusy".into()), None]
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn http_503_and_429_are_retried_and_retry_after_is_honoured() {
    let sim = sim().await;
    sim.inject(Fault::ServiceUnavailable.on(FaultScope::Ews));
    sim.inject(
        Fault::Throttled {
            retry_after: Duration::from_secs(7),
        }
        .on(FaultScope::Ews),
    );
    let (client, clock) = alice(&sim);
    let read = read_inbox(&client, &clock).await.unwrap();
    assert_eq!(codes(&read), [ResponseCode::NoError]);
    let statuses: Vec<u16> = sim.requests().iter().map(|e| e.status).collect();
    assert_eq!(statuses, [503, 429, 200]);
    assert!(clock.elapsed() >= Duration::from_secs(7), "Retry-After: 7");

    // A budget too small for the server's wait gives up with the last failure.
    sim.inject(
        Fault::Throttled {
            retry_after: Duration::from_secs(600),
        }
        .on(FaultScope::Ews),
    );
    let error = read_inbox(&client, &clock).await.unwrap_err();
    assert!(matches!(error, Error::RetriesExhausted { .. }), "{error}");
    assert_eq!(error.http_status(), Some(429));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_reads_and_reported_for_writes() {
    let sim = sim().await;
    sim.inject(Fault::DropConnection.on(FaultScope::operation("GetFolder")));
    let (client, clock) = alice(&sim);
    let read = read_inbox(&client, &clock).await.unwrap();
    assert_eq!(codes(&read), [ResponseCode::NoError]);
    assert_eq!(sim.count_requests(|e| e.operation == "GetFolder"), 2);

    // A write that may have happened is not sent twice.
    sim.inject(Fault::DropConnection.on(FaultScope::operation("CreateItem")));
    let error = driven(&clock, {
        let client = client.clone();
        async move {
            client
                .execute(&CreateItem::save(
                    DistinguishedFolderName::Inbox,
                    vec![message("once")],
                ))
                .await
        }
    })
    .await
    .unwrap_err();
    assert!(
        matches!(last_failure(&error), Error::Transport(_)),
        "{error}"
    );
    assert_eq!(sim.count_requests(|e| e.operation == "CreateItem"), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_slow_answer_times_out_and_the_read_is_retried() {
    let sim = sim().await;
    sim.inject(Fault::Slow(Duration::from_secs(2)).on(FaultScope::operation("GetFolder")));
    let clock = ManualClock::new();
    let client = Arc::new(
        builder(&sim, Credentials::basic(ALICE, "alice-pw"))
            .build(
                HyperTransport::plain_http().response_timeout(Duration::from_millis(200)),
                clock.clone(),
            )
            .unwrap(),
    );
    let read = read_inbox(&client, &clock).await.unwrap();
    assert_eq!(codes(&read), [ResponseCode::NoError]);
    // Without retries the timeout is the answer.
    sim.inject(Fault::Slow(Duration::from_secs(2)).on(FaultScope::operation("GetFolder")));
    let impatient = builder(&sim, Credentials::basic(ALICE, "alice-pw"))
        .retry_policy(RetryPolicy::never())
        .build(
            HyperTransport::plain_http().response_timeout(Duration::from_millis(200)),
            ManualClock::new(),
        )
        .unwrap();
    let error = impatient.execute(&inbox()).await.unwrap_err();
    let Error::Transport(error) = last_failure(&error) else {
        panic!("a transport error, not {error:?}")
    };
    assert_eq!(error.kind(), TransportErrorKind::Timeout);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_invalid_sync_state_fails_the_sync_and_a_fresh_sync_recovers_everything() {
    let sim = sim().await;
    let (client, _) = alice(&sim);
    let me = client.account();
    me.execute(&CreateItem::save(
        DistinguishedFolderName::Inbox,
        vec![message("a"), message("b")],
    ))
    .await
    .unwrap();
    let first = me
        .sync_now(DistinguishedFolderName::Inbox, None)
        .await
        .unwrap();
    assert_eq!(first.changes.len(), 2);
    sim.inject(Fault::InvalidSyncState.on(FaultScope::operation("SyncFolderItems")));
    let error = me
        .sync_now(
            DistinguishedFolderName::Inbox,
            Some(first.sync_state.clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.response_code(),
        Some(ResponseCode::ErrorInvalidSyncStateData)
    );
    // A garbled state is refused the same way, without any injected fault.
    let mut garbled = first.sync_state.clone();
    garbled.insert(4, 'A');
    let error = me
        .sync_now(DistinguishedFolderName::Inbox, Some(garbled))
        .await
        .unwrap_err();
    assert_eq!(
        error.response_code(),
        Some(ResponseCode::ErrorInvalidSyncStateData)
    );
    // As the client documents: sync again from nothing and reconcile everything.
    let again = me
        .sync_now(DistinguishedFolderName::Inbox, None)
        .await
        .unwrap();
    assert_eq!(again.changes.len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn conflicts_fail_never_overwrite_updates_with_irresolvable_conflict() {
    let sim = sim().await;
    let (client, _) = alice(&sim);
    let me = client.account();
    let id = first_item(
        me.execute(&CreateItem::save(
            DistinguishedFolderName::Inbox,
            vec![message("v1")],
        ))
        .await
        .unwrap(),
        |b| b.items,
    );
    let rename = |id: &ItemId, subject: &str| {
        UpdateItem::never_overwrite(vec![ItemUpdate {
            item: id.clone().into(),
            updates: vec![FieldUpdate::Set {
                path: PropertyPath::field("item:Subject"),
                item: message(subject),
            }],
        }])
    };
    // An injected conflict: the message fails, the client hands it back (no retry).
    sim.inject(Fault::Conflict.on(FaultScope::operation("UpdateItem")));
    let r = me.execute(&rename(&id, "v2")).await.unwrap();
    assert_eq!(codes(&r), [ResponseCode::ErrorIrresolvableConflict]);
    assert_eq!(sim.count_requests(|e| e.operation == "UpdateItem"), 1);
    // A real one: another client changed the item since our change key.
    let theirs = sim
        .store()
        .update_item(ALICE, &id, |i| {
            i.fields_mut().subject = Some("theirs".into())
        })
        .unwrap();
    let r = me.execute(&rename(&id, "v2")).await.unwrap();
    assert_eq!(codes(&r), [ResponseCode::ErrorIrresolvableConflict]);
    // Re-read and retry with the current change key.
    let r = me.execute(&rename(&theirs, "v2")).await.unwrap();
    assert_eq!(codes(&r), [ResponseCode::NoError]);
    sim.shutdown().await;
}

#[tokio::test]
async fn convert_id_expand_dl_and_out_of_office_through_the_client() {
    use ews_types::availability::{OofState, UserOofSettings};
    let sim = Simulator::builder()
        .user(ALICE, "alice-pw")
        .user(BOB, "bob-pw")
        .service_account("svc@contoso.example", "svc-pw")
        .distribution_list(
            "team@contoso.example",
            "Team",
            [ALICE, "all@contoso.example", "partner@fabrikam.example"],
        )
        .distribution_list("all@contoso.example", "Everyone", [ALICE, BOB])
        .start()
        .await
        .unwrap();
    let (alice_client, _) = alice(&sim);
    let me = alice_client.account();

    // ConvertId: an item id to every format and back.
    let id = first_item(
        me.execute(&CreateItem::save(
            DistinguishedFolderName::Inbox,
            vec![message("convert me")],
        ))
        .await
        .unwrap(),
        |b| b.items,
    );
    for format in [
        IdFormat::EwsLegacyId,
        IdFormat::EntryId,
        IdFormat::HexEntryId,
        IdFormat::StoreId,
        IdFormat::OwaId,
    ] {
        let there = me
            .execute(&ConvertId::new(
                format.clone(),
                [AlternateId::mailbox(IdFormat::EwsId, &id.id, ALICE)],
            ))
            .await
            .unwrap();
        let AlternateId::Mailbox { id: converted, .. } = there
            .into_results()
            .remove(0)
            .unwrap()
            .alternate_id
            .unwrap()
        else {
            panic!("a mailbox id")
        };
        assert_ne!(converted, id.id);
        let back = me
            .execute(&ConvertId::new(
                IdFormat::EwsId,
                [AlternateId::mailbox(format, converted, ALICE)],
            ))
            .await
            .unwrap();
        let Some(AlternateId::Mailbox { id: round, .. }) =
            back.into_results().remove(0).unwrap().alternate_id
        else {
            panic!("a mailbox id")
        };
        assert_eq!(round, id.id);
    }
    // Malformed, another mailbox's, and a mailbox Alice cannot reach.
    let refused = me
        .execute(&ConvertId::new(
            IdFormat::EntryId,
            [
                AlternateId::mailbox(IdFormat::EwsId, "AAMkNotOurs=", ALICE),
                AlternateId::mailbox(IdFormat::EwsId, &id.id, BOB),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(
        codes(&refused),
        [
            ResponseCode::ErrorInvalidIdMalformed,
            ResponseCode::ErrorAccessDenied
        ]
    );

    // ExpandDL: members in order, nested lists not expanded, outside addresses one-off.
    let expanded = me
        .execute(&ExpandDL::smtp("TEAM@contoso.example"))
        .await
        .unwrap();
    let expansion = expanded
        .into_results()
        .remove(0)
        .unwrap()
        .dl_expansion
        .unwrap();
    let members: Vec<(Option<&str>, Option<&str>, Option<MailboxType>)> = expansion
        .mailboxes
        .iter()
        .map(|m| {
            (
                m.name.as_deref(),
                m.email_address.as_deref(),
                m.mailbox_type.clone(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            (Some("Alice"), Some(ALICE), Some(MailboxType::Mailbox)),
            (
                Some("Everyone"),
                Some("all@contoso.example"),
                Some(MailboxType::PublicDL)
            ),
            (
                Some("partner@fabrikam.example"),
                Some("partner@fabrikam.example"),
                Some(MailboxType::OneOff)
            ),
        ]
    );
    assert_eq!(expansion.paging.total_items_in_view, Some(3));
    let unknown = me
        .execute(&ExpandDL::smtp("nobody@contoso.example"))
        .await
        .unwrap();
    assert_eq!(
        codes(&unknown),
        [ResponseCode::ErrorNameResolutionNoResults]
    );

    // Out of office: disabled until set, then as set; a bad window is refused.
    let read = me.execute(&GetUserOofSettings::new(ALICE)).await.unwrap();
    assert_eq!(
        read.into_result().unwrap().unwrap().oof_state,
        OofState::Disabled
    );
    let away = UserOofSettings::scheduled(
        "2026-12-21T17:00:00Z".parse().unwrap(),
        "2027-01-04T08:00:00Z".parse().unwrap(),
        "Back in January",
    );
    let set = me
        .execute(&SetUserOofSettings::new(ALICE, away.clone()))
        .await
        .unwrap();
    assert!(set.response_message.unwrap().is_success());
    let read = me.execute(&GetUserOofSettings::new(ALICE)).await.unwrap();
    assert_eq!(read.into_result().unwrap(), Some(away.clone()));
    // Bob's replies are Bob's: Alice is refused, the service account impersonating Bob is not.
    let denied = me.execute(&GetUserOofSettings::new(BOB)).await.unwrap();
    assert_eq!(
        denied.into_result().unwrap_err().code,
        Some(ResponseCode::ErrorAccessDenied)
    );
    let (svc, _) = client(&sim, Credentials::basic("svc@contoso.example", "svc-pw"));
    let bob = svc.mailbox(Mailbox::smtp(BOB));
    let read = bob.execute(&GetUserOofSettings::new(BOB)).await.unwrap();
    assert_eq!(
        read.into_result().unwrap().unwrap().oof_state,
        OofState::Disabled
    );
    sim.shutdown().await;
}
