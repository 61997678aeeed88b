//! The polling runner, driven by the test's own instants (nothing sleeps): mailboxes are due every N
//! minutes, "sync now" makes one due at once, disabled and unlicensed mailboxes are skipped, EWS and
//! Graph mailboxes run side by side, and the per-endpoint bound keeps one mailbox's requests from
//! interleaving with another's.

mod sync_support;

use std::sync::{Arc, Mutex};

use examples::sync::crm::Crm;
use examples::sync::{Either, MailboxSettings, Runner};
use sync_core::{RecordKind, Timestamp};
use sync_support::*;

const MINUTE: i64 = 60_000;

fn at(minutes: i64) -> Timestamp {
    Timestamp(now().0 + minutes * MINUTE)
}

fn names(
    results: &[(
        String,
        Result<examples::sync::RoundReport, examples::sync::SyncError>,
    )],
) -> Vec<&str> {
    let mut n: Vec<&str> = results.iter().map(|(m, _)| m.as_str()).collect();
    n.sort_unstable();
    n
}

#[tokio::test]
async fn mailboxes_sync_when_due_on_demand_and_never_when_disabled_or_unlicensed() {
    let sim = simulator().await;
    let ews = ews_client(&sim, NoWaitClock::default());
    let graph = graph_client(&sim, NoWaitClock::default());
    let crm = Arc::new(Mutex::new(Crm::new(now())));
    crm.lock()
        .unwrap()
        .create(ALICE, RecordKind::Contact, crm_contact());
    crm.lock()
        .unwrap()
        .create(BOB, RecordKind::Task, crm_task());
    let mut runner = Runner::new(crm.clone());
    let every_15 = MailboxSettings {
        interval_minutes: 15,
        ..MailboxSettings::default()
    };
    runner.add(
        Either::Left(ews_mailbox(&ews, ALICE, &RecordKind::ALL)),
        every_15.clone(),
    );
    runner.add(
        Either::Right(graph_mailbox(&graph, BOB, &RecordKind::ALL)),
        every_15.clone(),
    );
    // A user without a mailbox (no license): the first attempt finds out, then it is skipped.
    runner.add(
        Either::Left(ews_mailbox(&ews, "carol@contoso.example", &RecordKind::ALL)),
        every_15,
    );

    let first = runner.tick(at(0)).await;
    assert_eq!(names(&first), [ALICE, BOB, "carol@contoso.example"]);
    for (mailbox, result) in &first {
        match mailbox.as_str() {
            "carol@contoso.example" => assert!(result.is_err()),
            _ => assert!(
                result.as_ref().is_ok_and(|r| r.errors.is_empty()),
                "{mailbox}: {result:?}"
            ),
        }
    }
    let statuses = runner.statuses();
    let carol = statuses
        .iter()
        .find(|(m, _)| m.starts_with("carol"))
        .unwrap()
        .1;
    assert!(!carol.settings.licensed, "{:?}", carol.last_error);
    assert_eq!(carol.next_due, None);
    assert_eq!(runner.next_due(), Some(at(15)));

    // Nothing is due a minute later; "sync now" makes alice due.
    assert!(runner.tick(at(1)).await.is_empty());
    assert!(runner.sync_now(ALICE));
    assert!(
        !runner.sync_now("carol@contoso.example"),
        "unlicensed mailboxes stay skipped"
    );
    assert_eq!(names(&runner.tick(at(2)).await), [ALICE]);

    // bob is disabled: at the next interval only alice syncs (she is due at 2 + 15).
    assert!(runner.set_enabled(BOB, false));
    assert!(!runner.sync_now(BOB));
    assert!(runner.tick(at(16)).await.is_empty());
    assert_eq!(names(&runner.tick(at(17)).await), [ALICE]);
    // Enabling makes bob due at once.
    assert!(runner.set_enabled(BOB, true));
    assert_eq!(names(&runner.tick(at(18)).await), [BOB]);
    // Both CRM records reached Exchange and stayed linked once each.
    for user in [ALICE, BOB] {
        let state = runner.state(user).unwrap().unwrap();
        assert_eq!(
            state
                .links()
                .filter(|l| l.state() == sync_core::LinkState::Linked)
                .count(),
            1,
            "{user}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn one_mailbox_at_a_time_per_endpoint_when_the_bound_is_one() {
    let sim = simulator().await;
    let ews = ews_client(&sim, NoWaitClock::default());
    let crm = Arc::new(Mutex::new(Crm::new(now())));
    for user in [ALICE, BOB] {
        crm.lock()
            .unwrap()
            .create(user, RecordKind::Contact, crm_contact());
        seed(&sim, user, task("Outlook task"), true);
    }
    let mut runner = Runner::new(crm).per_endpoint(1);
    for user in [ALICE, BOB] {
        runner.add(
            ews_mailbox(&ews, user, &RecordKind::ALL),
            MailboxSettings::default(),
        );
    }
    sim.clear_requests();
    let results = runner.tick(at(0)).await;
    assert!(results.iter().all(|(_, r)| r.is_ok()));
    // The log names the mailbox of every request: one run, then the other, never interleaved.
    let order: Vec<String> = sim
        .requests()
        .into_iter()
        .filter_map(|e| e.mailbox)
        .collect();
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(order.len() > 10);
    assert_eq!(switches, 1, "{order:?}");
    sim.shutdown().await;
}
