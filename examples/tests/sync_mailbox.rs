//! Two-way sync of one mailbox over EWS or Graph against the simulator, for all four kinds: an initial sync in
//! both directions, quiescence, edits on both sides with a conflict, untagging, and deletes by policy.

mod sync_support;

use std::sync::Mutex;

use examples::sync::crm::Crm;
use examples::sync::{SavedState, TRACKING_CATEGORY};
use sync_core::{DecidedBy, Field, LinkState, RecordKind, Side, Value};
use sync_support::*;

#[tokio::test]
async fn one_mailbox_syncs_all_four_kinds_both_ways_over_ews() {
    let sim = simulator().await;
    let client = ews_client(&sim, NoWaitClock::default());
    let mailbox = ews_mailbox(&client, ALICE, &RecordKind::ALL);
    scenario(&sim, &mailbox, ALICE).await;
    sim.shutdown().await;
}

#[tokio::test]
async fn one_mailbox_syncs_all_four_kinds_both_ways_over_graph() {
    let sim = simulator().await;
    let client = graph_client(&sim, NoWaitClock::default());
    let mailbox = graph_mailbox(&client, BOB, &RecordKind::ALL);
    scenario(&sim, &mailbox, BOB).await;
    sim.shutdown().await;
}

/// Initial sync both ways, quiescence, then edits on both sides with a conflict, an untag and a
/// propagated delete.
async fn scenario<E: examples::sync::ExchangeMailbox>(
    sim: &exchange_sim::Simulator,
    mailbox: &E,
    user: &str,
) {
    let crm = Mutex::new(Crm::new(now()));
    let (crm_contact_id, crm_task_id, crm_meeting_id) = {
        let mut c = crm.lock().unwrap();
        (
            c.create(user, RecordKind::Contact, crm_contact()),
            c.create(user, RecordKind::Task, crm_task()),
            c.create(
                user,
                RecordKind::Meeting,
                crm_meeting(&["dan@fabrikam.example"]),
            ),
        )
    };
    let ex_contact = seed(
        sim,
        user,
        contact("Bea", "Kim", "bea@fabrikam.example"),
        true,
    );
    let ex_task = seed(sim, user, task("Call Fabrikam"), true);
    seed(sim, user, meeting("Kick-off", 1_800_100_000), true);
    seed(sim, user, email("Quote request"), true);
    seed(
        sim,
        user,
        contact("Private", "Person", "me@home.example"),
        false,
    );

    let mut saved = SavedState::default();
    let report = sync_once(&crm, mailbox, &mut saved).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let state = saved.state().unwrap();
    let kinds = RecordKind::ALL;
    assert_eq!(assert_converged(sim, &crm, &state, user, &kinds), 7);
    // The CRM's three records went to Exchange, Exchange's four tracked items came to the CRM, the
    // untagged contact did not.
    assert_eq!(crm.lock().unwrap().records_of(user).len(), 7);
    assert!(
        !crm.lock()
            .unwrap()
            .records_of(user)
            .iter()
            .any(|r| r.label().contains("Private")),
        "the untagged contact stayed out of the CRM"
    );
    for id in [&crm_contact_id, &crm_task_id, &crm_meeting_id] {
        assert!(
            state
                .link_by_item(Side::Crm, id)
                .is_some_and(|l| l.state() == LinkState::Linked)
        );
    }

    // Nothing changed: a second run writes nothing.
    let quiet = sync_once(&crm, mailbox, &mut saved).await;
    assert!(quiet.activity.is_empty(), "{:?}", quiet.activity);
    assert_eq!(quiet.rounds, 1);

    // Edits on both sides, a conflict on the meeting, an untag and a delete.
    let state = saved.state().unwrap();
    // The simulator's id of a CRM record's counterpart, and a pair by its item's key.
    let ex_id = |crm_id: &str, kind| {
        let key = state.link_by_item(Side::Crm, crm_id).unwrap().key();
        ews_id_by_key(sim, user, kind, key)
    };
    let pair_of = |ex: &ews_types::types::ItemId, kind| {
        let key = key_of(sim, user, kind, ex);
        state.links().find(|l| l.key() == key).unwrap()
    };
    let crm_of =
        |ex: &ews_types::types::ItemId, kind| pair_of(ex, kind).item(Side::Crm).unwrap().to_owned();
    {
        let mut c = crm.lock().unwrap();
        c.edit(
            &crm_contact_id,
            Field::JobTitle,
            Value::text("Head of purchasing"),
        );
        c.edit(
            &crm_meeting_id,
            Field::Location,
            Value::text("Room 7 (CRM)"),
        );
    }
    let meeting_in_exchange = ex_id(&crm_meeting_id, RecordKind::Meeting);
    let contact_in_exchange = ex_id(&crm_contact_id, RecordKind::Contact);
    let bea = crm_of(&ex_contact, RecordKind::Contact);
    let task_record = crm_of(&ex_task, RecordKind::Task);
    sim.store()
        .update_item(user, &meeting_in_exchange, |item| {
            if let ews_types::items::Item::CalendarItem(c) = item {
                c.location = Some("Room 9 (Outlook)".into());
            }
        })
        .unwrap();
    sim.store()
        .update_item(user, &ex_task, |item| {
            item.fields_mut().subject = Some("Call Fabrikam today".into());
        })
        .unwrap();
    sim.store()
        .update_item(user, &ex_contact, |item| {
            item.fields_mut().categories = Some(vec!["Blue category".into()]);
        })
        .unwrap();
    // Tasks propagate deletes (the default): the CRM deletes its task.
    crm.lock().unwrap().delete(&crm_task_id);

    let report = sync_once(&crm, mailbox, &mut saved).await;
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let state = saved.state().unwrap();
    // CRM wins the meeting's location, and the decision is on record.
    let conflict = report
        .conflicts
        .iter()
        .find(|c| c.field == Some(Field::Location))
        .expect("the location conflict is recorded");
    assert_eq!(conflict.winner, Side::Crm);
    assert_eq!(conflict.decided_by, DecidedBy::CrmWins);
    let meeting_now = sim.store().item(user, &meeting_in_exchange).unwrap();
    let ews_types::items::Item::CalendarItem(m) = meeting_now else {
        panic!()
    };
    assert_eq!(m.location.as_deref(), Some("Room 7 (CRM)"));
    // The Exchange task edit reached the CRM; the CRM contact edit reached Exchange.
    assert_eq!(
        crm.lock()
            .unwrap()
            .record(&task_record)
            .unwrap()
            .fields
            .get(Field::Subject),
        Some(&Value::text("Call Fabrikam today"))
    );
    let contact_item = sim.store().item(user, &contact_in_exchange).unwrap();
    let ews_types::items::Item::Contact(c) = contact_item else {
        panic!()
    };
    assert_eq!(c.job_title.as_deref(), Some("Head of purchasing"));
    // Untagging unlinked the contact: the CRM record stays, nothing was deleted.
    let unlinked = state.link_by_item(Side::Crm, &bea).unwrap();
    assert!(
        matches!(unlinked.state(), LinkState::Unlinked { .. }),
        "{:?}",
        unlinked.state()
    );
    assert!(!crm.lock().unwrap().record(&bea).unwrap().deleted);
    // The CRM task delete propagated to Exchange (tasks' default), leaving a tombstone.
    let task_link = state.link_by_item(Side::Crm, &crm_task_id).unwrap();
    assert!(matches!(task_link.state(), LinkState::Tombstoned { .. }));
    let tasks_left: Vec<_> = exchange_items(sim, user, RecordKind::Task);
    assert_eq!(tasks_left.len(), 1, "only Outlook's task is left");
    assert_eq!(assert_converged(sim, &crm, &state, user, &kinds), 5);
    assert!(TRACKING_CATEGORY.contains("CRM"));

    let quiet = sync_once(&crm, mailbox, &mut saved).await;
    assert!(quiet.activity.is_empty(), "{:?}", quiet.activity);
}
