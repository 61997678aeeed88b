//! Crash safety end to end: a sync over EWS is stopped at a random step (a plan made but not saved, a
//! write done on a server but its outcome not saved — above all "created in Exchange, state not
//! saved"), users edit both sides, and the sync restarts from the last saved state. Over 500 seeds
//! (`SYNC_CRASH_SEEDS` for more, `SYNC_CRASH_SEED` for one): no duplicates on either side, no lost
//! edits, both sides converge.

mod sync_support;

use std::sync::Mutex;

use examples::sync::crm::Crm;
use examples::sync::round::{Checkpoint, Checkpoints};
use examples::sync::values::{self, Priority, TaskState};
use examples::sync::{SavedState, SyncError, default_config, sync_mailbox};
use sync_core::{Field, Fields, RecordKind, Side, Value};
use sync_support::*;

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Stops the run at the `stop_at`-th checkpoint, or at the `create`-th Exchange create.
struct CrashAt {
    stop_at: Option<usize>,
    exchange_create: Option<usize>,
    seen: usize,
    creates: usize,
    crashed_at: Option<Checkpoint>,
}

impl Checkpoints for CrashAt {
    fn reached(&mut self, point: &Checkpoint) -> Result<(), SyncError> {
        self.seen += 1;
        if matches!(
            point,
            Checkpoint::Executed {
                side: Side::Exchange,
                action: "Create"
            }
        ) {
            self.creates += 1;
            if Some(self.creates) == self.exchange_create {
                self.crashed_at = Some(point.clone());
                return Err(SyncError::Interrupted(format!("{point:?}")));
            }
        }
        if Some(self.seen) == self.stop_at {
            self.crashed_at = Some(point.clone());
            return Err(SyncError::Interrupted(format!("{point:?}")));
        }
        Ok(())
    }
}

fn contact_fields(given: &str) -> Fields {
    Fields::new()
        .with(Field::GivenName, Value::text(given))
        .with(Field::Surname, Value::text("Crash"))
        .with(Field::Company, Value::text("Contoso"))
        .with(Field::JobTitle, Value::text("Buyer"))
        .with(
            Field::EmailAddresses,
            values::addresses([format!("{given}@contoso.example")]),
        )
        .with(Field::Phones, values::phones([]))
        .with(Field::PostalAddress, Value::Null)
}

fn task_fields() -> Fields {
    Fields::new()
        .with(Field::Subject, Value::text("Follow up"))
        .with(Field::Body, Value::Null)
        .with(Field::DueAt, Value::Null)
        .with(Field::Status, TaskState::NotStarted.to_value())
        .with(Field::Priority, Priority::Normal.to_value())
}

async fn one_seed(seed_no: u64) -> Option<Checkpoint> {
    let mut rng = Rng(seed_no);
    let seed_label = seed_no;
    // `SYNC_CRASH_SEED=n` runs one seed and tells what each run did.
    let verbose = std::env::var("SYNC_CRASH_SEED").is_ok();
    let sim = simulator().await;
    let client = ews_client(&sim, NoWaitClock::default());
    let kinds = [RecordKind::Contact, RecordKind::Task];
    let mailbox = ews_mailbox(&client, ALICE, &kinds);
    let config = default_config(ALICE);
    let crm = Mutex::new(Crm::new(now()));
    let (crm_contact, _) = {
        let mut c = crm.lock().unwrap();
        (
            c.create(ALICE, RecordKind::Contact, contact_fields("ann")),
            c.create(ALICE, RecordKind::Task, task_fields()),
        )
    };
    let outlook_contact = seed(
        &sim,
        ALICE,
        contact("Bea", "Kim", "bea@fabrikam.example"),
        true,
    );
    let mut saved = SavedState::default();

    // The first run stops somewhere: half the seeds at one of the Exchange creates, the others at any
    // step (plans and writes on both sides).
    let mut crash = CrashAt {
        stop_at: None,
        exchange_create: None,
        seen: 0,
        creates: 0,
        crashed_at: None,
    };
    if rng.below(2) == 0 {
        crash.exchange_create = Some(1 + rng.below(2) as usize);
    } else {
        crash.stop_at = Some(1 + rng.below(12) as usize);
    }
    let first = sync_mailbox(&crm, &mailbox, &mut saved, &config, now(), &mut crash).await;
    if verbose {
        eprintln!("first run: {first:?}\ncrash at {:?}", crash.crashed_at);
    }
    assert!(
        first.is_ok() || matches!(first, Err(SyncError::Interrupted(_))),
        "seed {seed_label}: {first:?}"
    );

    // Users edit both sides while the sync is down.
    crm.lock().unwrap().edit(
        &crm_contact,
        Field::JobTitle,
        Value::text("Head of purchasing"),
    );
    sim.store()
        .update_item(ALICE, &outlook_contact, |item| {
            if let ews_types::items::Item::Contact(c) = item {
                c.company_name = Some("Fabrikam Group".into());
            }
        })
        .unwrap();

    // Restart from the saved state; sometimes crash once more.
    let mut again = CrashAt {
        stop_at: (rng.below(3) == 0).then(|| 1 + rng.below(10) as usize),
        exchange_create: None,
        seen: 0,
        creates: 0,
        crashed_at: None,
    };
    let second = sync_mailbox(&crm, &mailbox, &mut saved, &config, now(), &mut again).await;
    if verbose {
        eprintln!("second run: {second:?}\ncrash at {:?}", again.crashed_at);
    }
    for _ in 0..3 {
        let report = sync_once(&crm, &mailbox, &mut saved).await;
        if verbose {
            eprintln!("run: {report:?}");
        }
        if report.activity.is_empty() && report.errors.is_empty() {
            break;
        }
    }
    let state = saved.state().unwrap();
    assert_eq!(
        assert_converged(&sim, &crm, &state, ALICE, &kinds),
        3,
        "seed {seed_label}: three pairs"
    );
    // No duplicates: three records, three tracked items.
    assert_eq!(
        crm.lock().unwrap().records_of(ALICE).len(),
        3,
        "seed {seed_label}"
    );
    let tracked: usize = kinds
        .iter()
        .map(|k| {
            exchange_items(&sim, ALICE, *k)
                .iter()
                .filter(|e| e.3)
                .count()
        })
        .sum();
    assert_eq!(tracked, 3, "seed {seed_label}: tracked Exchange items");
    // No lost edits.
    let ann_in_exchange = ews_id_by_key(
        &sim,
        ALICE,
        RecordKind::Contact,
        state.link_by_item(Side::Crm, &crm_contact).unwrap().key(),
    );
    let ann = sim.store().item(ALICE, &ann_in_exchange).unwrap();
    let ews_types::items::Item::Contact(ann) = ann else {
        panic!()
    };
    assert_eq!(
        ann.job_title.as_deref(),
        Some("Head of purchasing"),
        "seed {seed_label}"
    );
    let key = key_of(&sim, ALICE, RecordKind::Contact, &outlook_contact);
    let bea = state.links().find(|l| l.key() == key).unwrap();
    let bea = crm
        .lock()
        .unwrap()
        .record(bea.item(Side::Crm).unwrap())
        .unwrap()
        .clone();
    assert_eq!(
        bea.fields.get(Field::Company),
        Some(&Value::text("Fabrikam Group")),
        "seed {seed_label}"
    );
    sim.shutdown().await;
    crash.crashed_at
}

#[tokio::test]
async fn restarting_after_a_crash_at_any_step_duplicates_nothing_and_loses_no_edit() {
    let seeds: u64 = std::env::var("SYNC_CRASH_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let mut after_exchange_create = 0;
    let mut crashed = 0;
    let only: Option<u64> = std::env::var("SYNC_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok());
    for seed in 0..seeds {
        if only.is_some_and(|o| o != seed) {
            continue;
        }
        match one_seed(seed).await {
            Some(Checkpoint::Executed {
                side: Side::Exchange,
                action: "Create",
            }) => {
                after_exchange_create += 1;
                crashed += 1;
            }
            Some(_) => crashed += 1,
            None => {}
        }
    }
    println!(
        "{seeds} seeds: {crashed} first runs stopped, {after_exchange_create} right after an Exchange create"
    );
    assert!(
        after_exchange_create * 3 >= seeds,
        "the crash point the test is about is well covered"
    );
}
