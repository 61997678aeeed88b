//! The sync under every fault the simulator injects, over EWS and over Graph, for all four kinds: the
//! fault hits a random 30 % of requests (reproducibly, from a seed) through an initial sync and a
//! round of edits, deletes and an untag on both sides. Afterwards both sides agree, nothing is
//! duplicated or lost, deletes followed the per-kind policy and the untagged item was only unlinked.
//! Back-off waits run on a clock that never sleeps; the simulator's own delays are zero.
//!
//! Also: the round trips of an initial sync are ceil(N/512) SyncFolderItems pages plus the GetItem
//! batches, read from the simulator's request log.

mod sync_support;

use std::sync::Mutex;
use std::time::Duration;

use examples::sync::crm::Crm;
use examples::sync::{ExchangeMailbox, SavedState, default_config, sync_mailbox};
use exchange_sim::{Endpoint, Fault, RandomFaults, Simulator};
use sync_core::{Field, LinkState, RecordKind, Side, SyncState, Value};
use sync_support::*;

/// Syncs until a run does nothing (or `runs` runs); failed runs (a feed that could not be read under
/// the fault) are simply retried, as the runner would at its next poll.
async fn settle<E: ExchangeMailbox>(
    crm: &Mutex<Crm>,
    mailbox: &E,
    saved: &mut SavedState,
    runs: usize,
) {
    let config = default_config(mailbox.address());
    for _ in 0..runs {
        let result = sync_mailbox(
            crm,
            mailbox,
            saved,
            &config,
            now(),
            &mut examples::sync::NoCheckpoints,
        )
        .await;
        if let Ok(report) = result {
            if report.activity.is_empty() && report.errors.is_empty() {
                return;
            }
        }
    }
}

fn pair_of_key(state: &SyncState, key: sync_core::CorrelationKey) -> sync_core::LinkView<'_> {
    state
        .links()
        .find(|l| l.key() == key)
        .expect("a pair holds the key")
}

async fn under_fault<E: ExchangeMailbox>(
    sim: &Simulator,
    mailbox: &E,
    user: &str,
    fault: Fault,
    seed: u64,
) {
    let crm = Mutex::new(Crm::new(now()));
    let (crm_contact_id, crm_task_id, crm_meeting_id) = {
        let mut c = crm.lock().unwrap();
        (
            c.create(user, RecordKind::Contact, crm_contact()),
            c.create(user, RecordKind::Task, crm_task()),
            c.create(user, RecordKind::Meeting, crm_meeting(&[])),
        )
    };
    let bea = seed_item(
        sim,
        user,
        contact("Bea", "Kim", "bea@fabrikam.example"),
        true,
    );
    let call_task = seed_item(sim, user, task("Call Fabrikam"), true);
    let visit = seed_item(sim, user, meeting("Site visit", 1_800_100_000), true);
    seed_item(sim, user, email("Quote request"), true);
    seed_item(
        sim,
        user,
        contact("Private", "Person", "me@home.example"),
        false,
    );
    sim.set_random_faults(Some(RandomFaults {
        seed,
        rate: 0.3,
        kinds: vec![fault.clone()],
    }));
    let mut saved = SavedState::default();
    settle(&crm, mailbox, &mut saved, 12).await;

    // Edits, deletes and an untag on both sides, still under the fault.
    let state = saved.state().unwrap();
    let bea_key = key_of(sim, user, RecordKind::Contact, &bea);
    let visit_key = key_of(sim, user, RecordKind::Meeting, &visit);
    let task_key = key_of(sim, user, RecordKind::Task, &call_task);
    let crm_task_key = state.link_by_item(Side::Crm, &crm_task_id).unwrap().key();
    let visit_record = pair_of_key(&state, visit_key)
        .item(Side::Crm)
        .unwrap()
        .to_owned();
    let call_record = pair_of_key(&state, task_key)
        .item(Side::Crm)
        .unwrap()
        .to_owned();
    let bea_record = pair_of_key(&state, bea_key)
        .item(Side::Crm)
        .unwrap()
        .to_owned();
    {
        let mut c = crm.lock().unwrap();
        c.edit(
            &crm_contact_id,
            Field::JobTitle,
            Value::text("Head of purchasing"),
        );
        c.delete(&crm_task_id);
    }
    {
        let mut store = sim.store();
        store
            .update_item(user, &call_task, |i| {
                i.fields_mut().subject = Some("Call Fabrikam today".into())
            })
            .unwrap();
        store
            .update_item(user, &bea, |i| {
                i.fields_mut().categories = Some(vec!["Blue category".into()])
            })
            .unwrap();
        store.delete_item(user, &visit).unwrap();
    }
    settle(&crm, mailbox, &mut saved, 12).await;
    let faulted = sim.count_requests(|e| {
        e.fault.is_some() && matches!(e.endpoint, Endpoint::Ews | Endpoint::Graph)
    });
    assert!(faulted > 0, "{fault:?} was injected");

    // The fault stops; the next polls settle whatever is left.
    sim.clear_faults();
    settle(&crm, mailbox, &mut saved, 4).await;
    let state = saved.state().unwrap();
    let kinds = RecordKind::ALL;
    // Both sides agree; nothing duplicated: 5 live CRM records (Ann, the meeting, Bea, the Outlook
    // task, the email) and 4 tracked Exchange items (Bea is untagged, two were deleted).
    assert_eq!(
        assert_converged(sim, &crm, &state, user, &kinds),
        4,
        "{fault:?}"
    );
    assert_eq!(crm.lock().unwrap().records_of(user).len(), 5, "{fault:?}");
    let tracked: usize = kinds
        .iter()
        .map(|k| exchange_items(sim, user, *k).iter().filter(|e| e.3).count())
        .sum();
    assert_eq!(tracked, 4, "{fault:?}");
    // No lost edits.
    let ann = ews_id_by_key(
        sim,
        user,
        RecordKind::Contact,
        state
            .link_by_item(Side::Crm, &crm_contact_id)
            .unwrap()
            .key(),
    );
    let ews_types::items::Item::Contact(ann) = sim.store().item(user, &ann).unwrap() else {
        panic!()
    };
    assert_eq!(
        ann.job_title.as_deref(),
        Some("Head of purchasing"),
        "{fault:?}"
    );
    assert_eq!(
        crm.lock()
            .unwrap()
            .record(&call_record)
            .unwrap()
            .fields
            .get(Field::Subject),
        Some(&Value::text("Call Fabrikam today")),
        "{fault:?}"
    );
    // Deletes by policy: the CRM task delete reached Exchange (tasks propagate), the Outlook delete of
    // a future meeting the user organises reached the CRM.
    assert!(
        exchange_items(sim, user, RecordKind::Task)
            .iter()
            .all(|e| e.2 != Some(crm_task_key))
    );
    assert!(matches!(
        pair_of_key(&state, crm_task_key).state(),
        LinkState::Tombstoned { .. }
    ));
    assert!(
        crm.lock().unwrap().record(&visit_record).unwrap().deleted,
        "{fault:?}"
    );
    // Untagging unlinked Bea; her CRM record is still there.
    assert!(
        matches!(
            pair_of_key(&state, bea_key).state(),
            LinkState::Unlinked { .. }
        ),
        "{fault:?}"
    );
    assert!(!crm.lock().unwrap().record(&bea_record).unwrap().deleted);
    assert!(
        state
            .link_by_item(Side::Crm, &crm_meeting_id)
            .is_some_and(|l| l.state() == LinkState::Linked)
    );
}

fn seed_item(
    sim: &Simulator,
    user: &str,
    item: ews_types::items::Item,
    tracked: bool,
) -> ews_types::types::ItemId {
    seed(sim, user, item, tracked)
}

macro_rules! fault_tests {
    ($($name:ident: $backend:ident, $fault:expr, $seed:expr;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let sim = simulator().await;
            fault_tests!(@run $backend, sim, $fault, $seed);
            sim.shutdown().await;
        }
    )*};
    (@run ews, $sim:ident, $fault:expr, $seed:expr) => {
        let client = ews_client(&$sim, NoWaitClock::default());
        let mailbox = ews_mailbox(&client, ALICE, &RecordKind::ALL);
        under_fault(&$sim, &mailbox, ALICE, $fault, $seed).await;
    };
    (@run graph, $sim:ident, $fault:expr, $seed:expr) => {
        let client = graph_client(&$sim, NoWaitClock::default());
        let mailbox = graph_mailbox(&client, BOB, &RecordKind::ALL);
        under_fault(&$sim, &mailbox, BOB, $fault, $seed).await;
    };
}

fault_tests! {
    ews_server_busy: ews, Fault::ServerBusy { back_off: Duration::from_millis(500) }, 1;
    ews_service_unavailable: ews, Fault::ServiceUnavailable, 2;
    ews_throttled: ews, Fault::Throttled { retry_after: Duration::from_secs(2) }, 3;
    ews_dropped_connections: ews, Fault::DropConnection, 4;
    ews_slow_answers: ews, Fault::Slow(Duration::ZERO), 5;
    ews_invalid_sync_state: ews, Fault::InvalidSyncState, 6;
    ews_write_conflicts: ews, Fault::Conflict, 7;
    graph_service_unavailable: graph, Fault::ServiceUnavailable, 12;
    graph_throttled: graph, Fault::Throttled { retry_after: Duration::from_secs(2) }, 13;
    graph_dropped_connections: graph, Fault::DropConnection, 14;
    graph_slow_answers: graph, Fault::Slow(Duration::ZERO), 15;
    graph_delta_gone: graph, Fault::DeltaGone, 16;
    graph_write_conflicts: graph, Fault::Conflict, 17;
}

/// An initial sync of N items takes ceil(N/512) SyncFolderItems pages and ceil(N/10) GetItem batches,
/// and nothing else, as the simulator's request log shows.
#[tokio::test]
async fn an_initial_sync_reads_n_items_in_ceil_n_over_512_pages_plus_get_item_batches() {
    let sim = simulator().await;
    let client = ews_client(&sim, NoWaitClock::default());
    let mailbox = ews_mailbox(&client, ALICE, &[RecordKind::Contact]);
    let n = 530;
    {
        let folder = folder(&sim, ALICE, RecordKind::Contact);
        let mut store = sim.store();
        for i in 0..n {
            let mut item = contact(
                &format!("Person{i}"),
                "Bulk",
                &format!("p{i}@fabrikam.example"),
            );
            item.fields_mut().categories = Some(vec![examples::sync::TRACKING_CATEGORY.to_owned()]);
            store.create_item(ALICE, &folder, item).unwrap();
        }
    }
    sim.clear_requests();
    let feed = mailbox.fetch(&SyncState::new()).await.unwrap();
    let sync_calls = sim.count_requests(|e| e.operation == "SyncFolderItems");
    let get_item_calls = sim.count_requests(|e| e.operation == "GetItem");
    assert_eq!(feed.observations.len(), n);
    assert_eq!(sync_calls, n.div_ceil(512));
    assert_eq!(
        get_item_calls,
        n.div_ceil(ews_client::DEFAULT_GET_ITEM_BATCH)
    );
    assert_eq!(
        sim.requests().len(),
        sync_calls + get_item_calls,
        "no other round trip"
    );
    assert_eq!(feed.calls.pages, sync_calls);
    assert_eq!(feed.calls.reads, get_item_calls);

    // The whole initial sync links every item once.
    let crm = Mutex::new(Crm::new(now()));
    let mut saved = SavedState::default();
    settle(&crm, &mailbox, &mut saved, 4).await;
    let state = saved.state().unwrap();
    assert_eq!(
        assert_converged(&sim, &crm, &state, ALICE, &[RecordKind::Contact]),
        n
    );
    sim.shutdown().await;
}
