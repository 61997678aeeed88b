//! State-machine property tests: the pure planner against in-memory CRM and Exchange models.
//!
//! Every case generates a configuration and a few steps of user operations (create, edit,
//! ChangeKey-only bump, delete, untrack/re-track, copy, id-changing move, time passing), each
//! followed by one sync round with injected faults (reordered, duplicated and replayed feed
//! entries, a concurrent edit that makes a write fail with 412, an invalid sync state with a
//! partial then complete re-enumeration, a crash between any two steps with the state reloaded
//! from its last persisted bytes). Then fault-free rounds must reach an empty plan, and the
//! properties of the sync reference (§13) are checked on the final models and state.
//!
//! Cases: 2,000 by default (the CI run). A longer run:
//! `SYNC_PROPTEST_CASES=50000 cargo test -p sync-core --release --test state_machine`.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use support::*;
use sync_core::*;

fn cases(default: u32) -> u32 {
    std::env::var("SYNC_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Debug, Clone)]
enum UserOp {
    Create {
        exchange: bool,
        kind: u8,
        seed: u8,
        tracked: bool,
        future_org: bool,
    },
    Edit {
        exchange: bool,
        item: u8,
        field: u8,
        value: u8,
    },
    Touch {
        exchange: bool,
        item: u8,
    },
    Delete {
        exchange: bool,
        item: u8,
    },
    SetTracked {
        exchange: bool,
        item: u8,
        tracked: bool,
    },
    Copy {
        item: u8,
    },
    MoveNewId {
        item: u8,
    },
    TimePasses,
}

#[derive(Debug, Clone)]
struct Step {
    ops: Vec<UserOp>,
    reverse: bool,
    duplicate: bool,
    replay_old: bool,
    crash: Option<(u8, bool)>,
    concurrent_edit: Option<(u8, u8, u8)>,
    invalid_sync_state: bool,
    partial_first: bool,
}

#[derive(Debug, Clone)]
struct Setup {
    conflict: u8,
    delete_vs_edit: u8,
    one_way_company: bool,
    task_rule: u8,
    contact_rule: u8,
}

fn user_op() -> impl Strategy<Value = UserOp> {
    prop_oneof![
        3 => (any::<bool>(), 0u8..4, 0u8..3, prop::bool::weighted(0.8), any::<bool>()).prop_map(
            |(exchange, kind, seed, tracked, future_org)| UserOp::Create { exchange, kind, seed, tracked, future_org }
        ),
        4 => (any::<bool>(), any::<u8>(), any::<u8>(), 0u8..3)
            .prop_map(|(exchange, item, field, value)| UserOp::Edit { exchange, item, field, value }),
        1 => (any::<bool>(), any::<u8>()).prop_map(|(exchange, item)| UserOp::Touch { exchange, item }),
        1 => (any::<bool>(), any::<u8>()).prop_map(|(exchange, item)| UserOp::Delete { exchange, item }),
        1 => (any::<bool>(), any::<u8>(), any::<bool>())
            .prop_map(|(exchange, item, tracked)| UserOp::SetTracked { exchange, item, tracked }),
        1 => any::<u8>().prop_map(|item| UserOp::Copy { item }),
        1 => any::<u8>().prop_map(|item| UserOp::MoveNewId { item }),
        1 => Just(UserOp::TimePasses),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        prop::collection::vec(user_op(), 0..6),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.25, (0u8..6, any::<bool>())),
        prop::option::weighted(0.2, (any::<u8>(), any::<u8>(), 0u8..3)),
        prop::bool::weighted(0.1),
        any::<bool>(),
    )
        .prop_map(
            |(
                ops,
                reverse,
                duplicate,
                replay_old,
                crash,
                concurrent_edit,
                invalid_sync_state,
                partial_first,
            )| Step {
                ops,
                reverse,
                duplicate,
                replay_old,
                crash,
                concurrent_edit,
                invalid_sync_state,
                partial_first,
            },
        )
}

fn setup() -> impl Strategy<Value = Setup> {
    (0u8..4, 0u8..3, any::<bool>(), 0u8..3, 0u8..3).prop_map(
        |(conflict, delete_vs_edit, one_way_company, task_rule, contact_rule)| Setup {
            conflict,
            delete_vs_edit,
            one_way_company,
            task_rule,
            contact_rule,
        },
    )
}

fn config_of(s: &Setup) -> Config {
    let mut c = Config::new(CATEGORY, "prop-mailbox");
    let conflict = match s.conflict {
        0 => ConflictRule::CrmWins,
        1 => ConflictRule::ExchangeWins,
        2 => ConflictRule::NewestWins,
        _ => ConflictRule::FieldMerge {
            default: Side::Exchange,
            fields: vec![(Field::Subject, Side::Crm)],
        },
    };
    let dve = [
        DeleteVsEdit::EditWinsUnlink,
        DeleteVsEdit::EditWinsRecreate,
        DeleteVsEdit::DeleteWins,
    ][s.delete_vs_edit as usize % 3];
    let rules = [
        DeleteRule::Propagate,
        DeleteRule::Unlink,
        DeleteRule::Ignore,
    ];
    for kind in RecordKind::ALL {
        let p = c.policy_mut(kind);
        p.conflict = conflict.clone();
        p.delete_vs_edit = dve;
    }
    c.policy_mut(RecordKind::Task).on_exchange_delete = rules[s.task_rule as usize % 3];
    c.policy_mut(RecordKind::Contact).on_crm_delete = rules[s.contact_rule as usize % 3];
    c.policy_mut(RecordKind::Contact).on_exchange_delete = rules[s.contact_rule as usize % 3];
    if s.one_way_company {
        c.policy_mut(RecordKind::Contact).directions =
            vec![(Field::Company, Direction::CrmToExchange)];
    }
    c
}

/// What the users did, for the checks.
#[derive(Debug, Default)]
struct Ledger {
    user_values: BTreeSet<Value>,
    /// (side, key, kind) of items users deleted.
    deleted: Vec<(Side, CorrelationKey, RecordKind)>,
    /// The subset whose item the state had recorded (an item created in a crash window and
    /// deleted before its outcome was recorded is unknown to the state: re-creating it is a
    /// retry, not a resurrection).
    deleted_known: Vec<(Side, CorrelationKey, usize)>,
    /// Keys whose items were explicitly re-tracked after a delete could have happened.
    retracked: BTreeSet<CorrelationKey>,
}

fn value_of(n: u8) -> Value {
    Value::text(&format!("v{n}"))
}

fn pick(store: &Store, n: u8) -> Option<String> {
    let ids: Vec<&String> = store.items.keys().collect();
    (!ids.is_empty()).then(|| ids[n as usize % ids.len()].clone())
}

fn apply_user_op(w: &mut World, ledger: &mut Ledger, op: &UserOp) {
    let side = |exchange: bool| if exchange { Side::Exchange } else { Side::Crm };
    match op {
        UserOp::Create {
            exchange,
            kind,
            seed,
            tracked,
            future_org,
        } => {
            let kind = RecordKind::ALL[*kind as usize % 4];
            let fields: Fields = kind
                .fields()
                .iter()
                .map(|f| (*f, value_of(*seed)))
                .collect();
            ledger.user_values.insert(value_of(*seed));
            let facts = ItemFacts {
                start: Some(Timestamp(if *future_org {
                    w.now + 10_000_000_000
                } else {
                    w.now - 10
                })),
                user_is_organizer: *future_org,
                ..ItemFacts::default()
            };
            w.store(side(*exchange))
                .user_create(kind, fields, *tracked, facts);
        }
        UserOp::Edit {
            exchange,
            item,
            field,
            value,
        } => {
            let store = w.store(side(*exchange));
            if let Some(id) = pick(store, *item) {
                let fields = store.items[&id].kind.fields();
                let f = fields[*field as usize % fields.len()];
                ledger.user_values.insert(value_of(*value));
                store.user_edit(&id, f, value_of(*value));
            }
        }
        UserOp::Touch { exchange, item } => {
            let store = w.store(side(*exchange));
            if let Some(id) = pick(store, *item) {
                store.user_touch(&id);
            }
        }
        UserOp::Delete { exchange, item } => {
            let s = side(*exchange);
            let store = w.store(s);
            if let Some(id) = pick(store, *item) {
                if let Some(it) = store.user_delete(&id) {
                    // A copy carries its original's key; what it is paired with is what the
                    // state recorded for its own id.
                    let known = w.known_keys.get(&(s, id.clone())).copied();
                    let key = if it.is_copy { known } else { it.key.or(known) };
                    if let Some(k) = key {
                        ledger.deleted.push((s, k, it.kind));
                    }
                    if let Some(k) = known {
                        let since = w.store(s).sync_writes.len();
                        ledger.deleted_known.push((s, k, since));
                    }
                }
            }
        }
        UserOp::SetTracked {
            exchange,
            item,
            tracked,
        } => {
            let s = side(*exchange);
            if let Some(id) = pick(w.store(s), *item) {
                if *tracked {
                    let known = w.known_keys.get(&(s, id.clone())).copied();
                    let own = w.store(s).items[&id].key;
                    ledger.retracked.extend(own.into_iter().chain(known));
                }
                w.store(s).user_set_tracked(&id, *tracked);
            }
        }
        UserOp::Copy { item } => {
            if let Some(id) = pick(&w.exchange, *item) {
                w.exchange.user_copy(&id);
            }
        }
        UserOp::MoveNewId { item } => {
            if let Some(id) = pick(&w.exchange, *item) {
                // Without a stamped key an id-changing move is indistinguishable from a delete
                // plus a create; the ledger counts it as such.
                let it = &w.exchange.items[&id];
                if it.key.is_none() || it.is_copy {
                    if let Some(k) = w.known_keys.get(&(Side::Exchange, id.clone())) {
                        ledger.deleted.push((Side::Exchange, *k, it.kind));
                    }
                }
                w.exchange.user_move_new_id(&id);
            }
        }
        UserOp::TimePasses => w.now += 60_000,
    }
}

fn faults_of(s: &Step) -> Faults {
    Faults {
        reverse: s.reverse,
        duplicate: s.duplicate,
        replay_old: s.replay_old,
        crash_after: s.crash.map(|(n, _)| n as usize),
        mid_op: s.crash.is_some_and(|(_, m)| m),
        concurrent_edit: s.concurrent_edit.map(|(i, f, v)| {
            let fields = RecordKind::Task.fields();
            (i as usize, fields[f as usize % fields.len()], value_of(v))
        }),
        invalid_sync_state: s.invalid_sync_state,
        partial_enumeration_first: s.partial_first,
    }
}

/// Runs a scenario; returns the world and the ledger.
fn run(setup: &Setup, steps: &[Step]) -> (World, Ledger) {
    let mut w = World::new(config_of(setup));
    let mut ledger = Ledger::default();
    for s in steps {
        for op in &s.ops {
            apply_user_op(&mut w, &mut ledger, op);
        }
        let faults = faults_of(s);
        if let Some((_, f, v)) = &faults.concurrent_edit {
            let _ = f;
            ledger.user_values.insert(v.clone());
        }
        w.round(&faults);
    }
    (w, ledger)
}

fn check_final(w: &World, ledger: &Ledger, setup: &Setup) -> Result<(), TestCaseError> {
    let config = &w.config;
    // Convergence: every linked pair's projections are equal (one-way fields match their source).
    for l in w.state.links() {
        if l.state() != LinkState::Linked {
            continue;
        }
        let (Some(c), Some(e)) = (l.item(Side::Crm), l.item(Side::Exchange)) else {
            return Err(TestCaseError::fail(format!(
                "linked pair {:?} lacks an id",
                l.id()
            )));
        };
        let (Some(ci), Some(ei)) = (w.crm.items.get(c), w.exchange.items.get(e)) else {
            return Err(TestCaseError::fail(format!(
                "linked pair {:?} points at a missing item ({c}, {e})",
                l.id()
            )));
        };
        prop_assert_eq!(
            projection(ci),
            projection(ei),
            "pair {:?} did not converge",
            l.id()
        );
    }
    // At most one counterpart: no item id in two pairs; no duplicate keys among CRM records or
    // among original (non-copy) Exchange items.
    let mut ids = BTreeSet::new();
    for l in w.state.links() {
        for side in [Side::Crm, Side::Exchange] {
            if let Some(id) = l.item(side) {
                prop_assert!(ids.insert((side, id.to_string())), "{id} in two pairs");
            }
        }
    }
    for (side, store) in [(Side::Crm, &w.crm), (Side::Exchange, &w.exchange)] {
        let mut keys: BTreeMap<CorrelationKey, usize> = BTreeMap::new();
        for it in store.items.values().filter(|i| !i.is_copy) {
            if let Some(k) = it.key {
                *keys.entry(k).or_default() += 1;
            }
        }
        for (k, n) in keys {
            prop_assert!(n <= 1, "{side:?} holds {n} items with key {k}");
        }
    }
    // No invention: every value is one a user wrote.
    for store in [&w.crm, &w.exchange] {
        for it in store.items.values() {
            for (_, v) in it.fields.iter() {
                prop_assert!(
                    ledger.user_values.contains(&canonical(v)),
                    "invented value {v:?}"
                );
            }
        }
    }
    // Delete semantics: sync deletes only what a user deleted on the other side, only where the
    // kind's rule allows; emails never.
    for (side, store) in [(Side::Crm, &w.crm), (Side::Exchange, &w.exchange)] {
        for sw in &store.sync_writes {
            if let SyncWrite::Deleted { id, key, kind } = sw {
                prop_assert!(*kind != RecordKind::Email, "an email was deleted: {id}");
                let rule = config.policy(*kind).delete_rule(side.other());
                prop_assert!(
                    rule != DeleteRule::Unlink && rule != DeleteRule::Ignore,
                    "{kind:?} delete under {rule:?}"
                );
                let key = w.known_keys.get(&(side, id.clone())).copied().or(*key);
                let Some(key) = key else {
                    return Err(TestCaseError::fail(format!(
                        "sync deleted {id}, an item no pair knew"
                    )));
                };
                prop_assert!(
                    ledger
                        .deleted
                        .iter()
                        .any(|(s, k, _)| *s == side.other() && *k == key),
                    "sync deleted {id} on {side:?} without a user delete of its counterpart"
                );
            }
        }
    }
    // No resurrection: after a user deleted an item the state knew, sync never creates an item
    // with its key on that side again, unless the pair was explicitly re-tracked (or the
    // edit-wins-recreate rule re-created it).
    if setup.delete_vs_edit != 1 {
        for (side, key, since) in &ledger.deleted_known {
            if ledger.retracked.contains(key) {
                continue;
            }
            let store = if *side == Side::Crm {
                &w.crm
            } else {
                &w.exchange
            };
            let back = store.sync_writes[*since..]
                .iter()
                .any(|sw| matches!(sw, SyncWrite::Created { key: k, .. } if k == key));
            prop_assert!(!back, "{side:?} item with key {key} resurrected");
        }
    }
    // Direction: the one-way field is never written on its source.
    if setup.one_way_company {
        for sw in &w.crm.sync_writes {
            if let SyncWrite::Updated { fields, id } = sw {
                let contact = w
                    .crm
                    .items
                    .get(id)
                    .is_none_or(|i| i.kind == RecordKind::Contact);
                prop_assert!(
                    !(contact && fields.contains(&Field::Company)),
                    "one-way field written on its source"
                );
            }
        }
    }
    // Scope: every tracked item is known to a pair, or carries the key of a pair (a copy, or
    // one of two items that claim the same pair after a move; never a second link).
    let keys: BTreeSet<CorrelationKey> = w.state.links().map(|l| l.key()).collect();
    for (id, it) in w.exchange.tracked() {
        let known = w.state.link_by_item(Side::Exchange, id).is_some();
        let claims = it.key.is_some_and(|k| keys.contains(&k));
        prop_assert!(known || claims, "tracked item {id} unknown");
    }
    for (id, _) in w.crm.tracked() {
        prop_assert!(
            w.state.link_by_item(Side::Crm, id).is_some(),
            "CRM record {id} unknown"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), max_shrink_iters: 2000, .. ProptestConfig::default() })]

    /// Convergence, quiescence, no echo, no lost update, no invention, delete policy per kind,
    /// no resurrection, scope exit is not delete, at most one counterpart, copies, crash safety,
    /// cursor-reset safety, replay insensitivity, termination, direction respect, determinism.
    #[test]
    fn the_planner_keeps_both_sides_in_step_under_faults(setup in setup(), steps in prop::collection::vec(step(), 1..8)) {
        let (mut w, ledger) = run(&setup, &steps);

        // Termination: fault-free rounds reach an empty plan.
        let rounds = w.settle(16);
        if rounds.is_none() {
            let r = w.round(&Faults::default());
            let links: Vec<String> = w.state.links().map(|l| format!("{:?} {:?} {:?} {:?}", l.id(), l.state(), l.item(Side::Crm), l.item(Side::Exchange))).collect();
            prop_assert!(false, "no quiescence within 16 rounds: still planning {:?}\nlinks {:#?}", r.plan.operations, links);
        }
        check_final(&w, &ledger, &setup)?;
        let settled = w.state.to_compact_bytes();

        // Quiescence and no echo: ChangeKey-only bumps everywhere write nothing.
        let ids: Vec<(Side, String)> = w.crm.items.keys().map(|i| (Side::Crm, i.clone()))
            .chain(w.exchange.items.keys().map(|i| (Side::Exchange, i.clone()))).collect();
        for (side, id) in ids {
            w.store(side).user_touch(&id);
        }
        let writes_before = w.exchange.sync_writes.len() + w.crm.sync_writes.len();
        let r = w.round(&Faults::default());
        prop_assert_eq!(r.writes, 0, "a ChangeKey-only bump caused writes: {:?}", r.plan.operations);
        // Reads may still settle late sightings; no writes, and quiet again within a few rounds.
        let quiet = w.settle(4);
        prop_assert!(quiet.is_some());
        prop_assert!(w.exchange.sync_writes.len() + w.crm.sync_writes.len() == writes_before, "writes after quiescence");

        // Determinism: the same scenario gives the same state, byte for byte.
        let (mut again, _) = run(&setup, &steps);
        again.settle(16);
        prop_assert_eq!(settled, again.state.to_compact_bytes());
    }

    /// Replay / order insensitivity: permuting, duplicating and replaying a page gives the same
    /// plan and the same next state.
    #[test]
    fn pages_in_any_order_with_duplicates_give_the_same_plan(setup in setup(), steps in prop::collection::vec(step(), 1..4), last in prop::collection::vec(user_op(), 1..5)) {
        let (mut w, mut ledger) = run(&setup, &steps);
        w.settle(16);
        for op in &last {
            apply_user_op(&mut w, &mut ledger, op);
        }
        let input = w.input(&Faults::default(), false);
        let mut shuffled = input.clone();
        shuffled.crm.reverse();
        shuffled.exchange.reverse();
        let dup_c = shuffled.crm.clone();
        let dup_e = shuffled.exchange.clone();
        shuffled.crm.extend(dup_c);
        shuffled.exchange.extend(dup_e);
        shuffled.exchange.push(Observation { id: "never-seen".into(), change: Change::Deleted });
        let now = Timestamp(w.now);
        let mut a = w.state.clone();
        let mut b = w.state.clone();
        let pa = a.plan(&input, &w.config, now);
        let pb = b.plan(&shuffled, &w.config, now);
        prop_assert_eq!(pa, pb);
        prop_assert_eq!(a, b);
    }

    /// Conflict determinism with audit: two-sided different changes resolve to the rule's side
    /// whatever the order, with an audit record holding both values.
    #[test]
    fn conflicts_resolve_by_rule_with_an_audit_record(rule in 0u8..4, crm_v in 0u8..3, ex_v in 0u8..3, field in 0usize..5, reverse in any::<bool>()) {
        let setup = Setup { conflict: rule, delete_vs_edit: 0, one_way_company: false, task_rule: 0, contact_rule: 0 };
        let mut w = World::new(config_of(&setup));
        let ex = w.exchange.user_create(RecordKind::Task, fields_for(RecordKind::Task, "base"), true, ItemFacts::default());
        w.settle(8);
        let crm = w.state.link_by_item(Side::Exchange, &ex).unwrap().item(Side::Crm).unwrap().to_string();
        let f = RecordKind::Task.fields()[field];
        w.crm.user_edit(&crm, f, Value::text(&format!("crm{crm_v}")));
        w.exchange.user_edit(&ex, f, Value::text(&format!("ex{ex_v}")));
        let r = w.round(&Faults { reverse, ..Faults::default() });
        prop_assert_eq!(r.conflicts.len(), 1);
        let c = &r.conflicts[0];
        prop_assert_eq!(c.field, Some(f));
        prop_assert_eq!(c.crm_value.as_ref().map(canonical), Some(Value::text(&format!("crm{crm_v}"))));
        prop_assert_eq!(c.exchange_value.as_ref().map(canonical), Some(Value::text(&format!("ex{ex_v}"))));
        let expected = match rule {
            0 => Side::Crm,
            1 => Side::Exchange,
            2 => Side::Exchange, // the Exchange edit came later in server time
            _ => if f == Field::Subject { Side::Crm } else { Side::Exchange },
        };
        prop_assert_eq!(c.winner, expected);
        w.settle(8);
        let want = if expected == Side::Crm { format!("crm{crm_v}") } else { format!("ex{ex_v}") };
        prop_assert_eq!(w.crm.items[&crm].fields.get(f).map(canonical), Some(Value::text(&want)));
        prop_assert_eq!(w.exchange.items[&ex].fields.get(f).map(canonical), Some(Value::text(&want)));
    }

    /// Mass-delete guard: over-threshold deletes are refused unless forced, and nothing changes.
    #[test]
    fn the_mass_delete_guard_refuses_over_threshold_plans(n in 3usize..14, k in 0usize..14, share in 100u32..600, min in 0u32..4) {
        let k = k.min(n);
        let mut c = Config::new(CATEGORY, "guard");
        c.policy_mut(RecordKind::Task).on_exchange_delete = DeleteRule::Propagate;
        c.mass_delete = MassDeleteGuard { max_share_per_mille: share, min_count: min };
        let mut w = World::new(c);
        for i in 0..n {
            w.exchange.user_create(RecordKind::Task, fields_for(RecordKind::Task, &i.to_string()), true, ItemFacts::default());
        }
        w.settle(8);
        let ids: Vec<String> = w.exchange.items.keys().take(k).cloned().collect();
        let mut input = RoundInput::default();
        for id in &ids {
            w.exchange.user_delete(id);
            input.exchange.push(Observation { id: id.clone(), change: Change::Deleted });
        }
        let before = w.state.clone();
        let trips = k as u32 > min && (k as u64) * 1000 > u64::from(share) * n as u64;
        let result = w.state.plan(&input, &w.config, Timestamp(w.now));
        prop_assert_eq!(result.is_err(), trips, "k={} n={}", k, n);
        if trips {
            prop_assert_eq!(&w.state.links().count(), &before.links().count());
            let mut forced = input.clone();
            forced.force = true;
            let plan = w.state.plan(&forced, &w.config, Timestamp(w.now)).unwrap();
            prop_assert_eq!(plan.writes().filter(|o| matches!(o.action, Action::Delete { .. })).count(), k);
        }
    }
}
