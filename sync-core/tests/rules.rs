//! Example-based tests, one per rule of the sync reference, named after the rule.

mod support;

use support::*;
use sync_core::*;

fn config() -> Config {
    Config::new(CATEGORY, "mailbox-1")
}

fn world() -> World {
    World::new(config())
}

/// A settled world with one tracked Exchange item of `kind` and its CRM counterpart.
fn linked(kind: RecordKind) -> (World, String, String) {
    linked_with(world(), kind, ItemFacts::default())
}

fn linked_with(mut w: World, kind: RecordKind, facts: ItemFacts) -> (World, String, String) {
    let ex = w
        .exchange
        .user_create(kind, fields_for(kind, "0"), true, facts);
    assert!(w.settle(10).is_some(), "initial sync settles");
    let crm = w
        .state
        .link_by_item(Side::Exchange, &ex)
        .and_then(|l| l.item(Side::Crm).map(str::to_string))
        .expect("linked");
    (w, ex, crm)
}

fn crm_value(w: &World, id: &str, f: Field) -> Option<Value> {
    w.crm
        .items
        .get(id)
        .and_then(|i| i.fields.get(f))
        .map(canonical)
}
fn ex_value(w: &World, id: &str, f: Field) -> Option<Value> {
    w.exchange
        .items
        .get(id)
        .and_then(|i| i.fields.get(f))
        .map(canonical)
}

#[test]
fn a_tracked_exchange_item_gets_one_crm_counterpart_both_stamped_with_the_key() {
    let (w, ex, crm) = linked(RecordKind::Email);
    assert_eq!(w.crm.items.len(), 1);
    let k = w.exchange.items[&ex].key.expect("exchange item stamped");
    assert_eq!(w.crm.items[&crm].key, Some(k));
    assert_eq!(
        projection(&w.exchange.items[&ex]),
        projection(&w.crm.items[&crm])
    );
    assert_eq!(
        w.state.status().counts(RecordKind::Email).created,
        0,
        "last run was the quiet one"
    );
}

#[test]
fn an_untracked_exchange_item_is_not_synced() {
    let mut w = world();
    w.exchange.user_create(
        RecordKind::Email,
        fields_for(RecordKind::Email, "0"),
        false,
        ItemFacts::default(),
    );
    w.settle(5).expect("settles");
    assert!(w.crm.items.is_empty());
}

#[test]
fn the_category_is_compared_case_insensitively() {
    let mut w = world();
    let id = w.exchange.user_create(
        RecordKind::Task,
        fields_for(RecordKind::Task, "0"),
        false,
        ItemFacts::default(),
    );
    w.exchange.items.get_mut(&id).unwrap().categories = vec!["tRACKED TO crm".into()];
    w.exchange.user_touch(&id);
    w.settle(5).expect("settles");
    assert_eq!(w.crm.items.len(), 1);
}

#[test]
fn a_change_key_only_bump_writes_nothing() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    w.exchange.user_touch(&ex);
    w.crm.user_touch(&crm);
    let r = w.round(&Faults::default());
    assert_eq!(r.writes, 0);
    assert_eq!(w.settle(3), Some(1));
}

#[test]
fn our_own_write_echoed_back_normalised_by_the_server_writes_nothing() {
    let (mut w, ex, crm) = linked(RecordKind::Task);
    w.crm
        .user_edit(&crm, Field::Subject, Value::text("new subject"));
    let r = w.round(&Faults::default());
    assert_eq!(r.writes, 1, "one write to Exchange");
    // Exchange stored "new subject\r\n": the echo is canonicalised to the same value.
    let raw = w.exchange.items[&ex].fields.get(Field::Subject).cloned();
    assert_eq!(raw, Some(Value::Text("new subject\r\n".into())));
    let echo = w.round(&Faults::default());
    assert_eq!(echo.writes, 0, "no echo write");
    assert_eq!(w.settle(3), Some(1));
}

#[test]
fn a_one_sided_change_propagates() {
    let (mut w, ex, crm) = linked(RecordKind::Meeting);
    w.exchange
        .user_edit(&ex, Field::Location, Value::text("Room 4"));
    w.settle(5).expect("settles");
    assert_eq!(
        crm_value(&w, &crm, Field::Location),
        Some(Value::text("Room 4"))
    );
}

#[test]
fn one_sided_changes_of_different_fields_merge() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    w.exchange
        .user_edit(&ex, Field::JobTitle, Value::text("CTO"));
    w.crm
        .user_edit(&crm, Field::Company, Value::text("Contoso"));
    let r = w.round(&Faults::default());
    assert!(r.conflicts.is_empty());
    w.settle(5).expect("settles");
    assert_eq!(
        crm_value(&w, &crm, Field::JobTitle),
        Some(Value::text("CTO"))
    );
    assert_eq!(
        crm_value(&w, &crm, Field::Company),
        Some(Value::text("Contoso"))
    );
    assert_eq!(
        ex_value(&w, &ex, Field::Company),
        Some(Value::text("Contoso"))
    );
}

#[test]
fn both_sides_changed_to_equal_values_is_not_a_conflict() {
    let (mut w, ex, crm) = linked(RecordKind::Task);
    w.exchange
        .user_edit(&ex, Field::Subject, Value::text("same"));
    w.crm.user_edit(&crm, Field::Subject, Value::text("same"));
    let r = w.round(&Faults::default());
    assert!(r.conflicts.is_empty());
    assert_eq!(r.writes, 0);
}

fn conflict_world(rule: ConflictRule) -> (World, String, String, RoundReport) {
    let mut c = config();
    c.policy_mut(RecordKind::Task).conflict = rule;
    let (mut w, ex, crm) = linked_with(World::new(c), RecordKind::Task, ItemFacts::default());
    w.crm
        .user_edit(&crm, Field::Subject, Value::text("crm says"));
    w.exchange
        .user_edit(&ex, Field::Subject, Value::text("exchange says"));
    let r = w.round(&Faults::default());
    w.settle(5).expect("settles");
    (w, ex, crm, r)
}

#[test]
fn conflict_crm_wins_keeps_the_crm_value_and_audits_both() {
    let (w, ex, _crm, r) = conflict_world(ConflictRule::CrmWins);
    assert_eq!(
        ex_value(&w, &ex, Field::Subject),
        Some(Value::text("crm says"))
    );
    let c = &r.conflicts[0];
    assert_eq!(c.field, Some(Field::Subject));
    assert_eq!(c.crm_value, Some(Value::text("crm says")));
    assert_eq!(
        c.exchange_value.as_ref().map(canonical),
        Some(Value::text("exchange says"))
    );
    assert_eq!((c.winner, c.decided_by), (Side::Crm, DecidedBy::CrmWins));
    assert_ne!(c.base_hash, 0);
}

#[test]
fn conflict_exchange_wins_keeps_the_exchange_value() {
    let (w, _ex, crm, r) = conflict_world(ConflictRule::ExchangeWins);
    assert_eq!(
        crm_value(&w, &crm, Field::Subject),
        Some(Value::text("exchange says"))
    );
    assert_eq!(r.conflicts[0].decided_by, DecidedBy::ExchangeWins);
}

#[test]
fn conflict_newest_wins_compares_server_times_only() {
    // The model's clocks: the Exchange edit happened at a later server time than the CRM edit.
    let mut c = config();
    c.policy_mut(RecordKind::Task).conflict = ConflictRule::NewestWins;
    let (mut w, ex, crm) = linked_with(World::new(c), RecordKind::Task, ItemFacts::default());
    w.crm.user_edit(&crm, Field::Subject, Value::text("older"));
    w.exchange.clock = w.crm.clock + 100;
    w.exchange
        .user_edit(&ex, Field::Subject, Value::text("newer"));
    let r = w.round(&Faults::default());
    assert_eq!(
        (r.conflicts[0].winner, r.conflicts[0].decided_by),
        (Side::Exchange, DecidedBy::NewestWins)
    );
    w.settle(5).expect("settles");
    assert_eq!(
        crm_value(&w, &crm, Field::Subject),
        Some(Value::text("newer"))
    );
}

#[test]
fn conflict_field_merge_uses_the_per_field_tie_break() {
    let rule = ConflictRule::FieldMerge {
        default: Side::Crm,
        fields: vec![(Field::Subject, Side::Exchange)],
    };
    let (w, _ex, crm, r) = conflict_world(rule);
    assert_eq!(
        crm_value(&w, &crm, Field::Subject),
        Some(Value::text("exchange says"))
    );
    assert_eq!(r.conflicts[0].decided_by, DecidedBy::FieldMerge);
}

#[test]
fn removing_the_category_unlinks_and_deletes_nothing() {
    let (mut w, ex, crm) = linked(RecordKind::Meeting);
    w.exchange.user_set_tracked(&ex, false);
    w.settle(5).expect("settles");
    assert!(w.crm.items.contains_key(&crm));
    assert!(w.exchange.items.contains_key(&ex));
    assert!(matches!(
        w.state.link_by_item(Side::Exchange, &ex).unwrap().state(),
        LinkState::Unlinked { .. }
    ));
    // Edits while unlinked do not flow.
    w.exchange
        .user_edit(&ex, Field::Subject, Value::text("private"));
    w.settle(5).expect("settles");
    assert_ne!(
        crm_value(&w, &crm, Field::Subject),
        Some(Value::text("private"))
    );
}

#[test]
fn re_adding_the_category_relinks_to_the_same_crm_record() {
    let (mut w, ex, crm) = linked(RecordKind::Email);
    w.exchange.user_set_tracked(&ex, false);
    w.settle(5).expect("settles");
    w.exchange
        .user_edit(&ex, Field::Subject, Value::text("while untracked"));
    w.exchange.user_set_tracked(&ex, true);
    w.settle(6).expect("settles");
    assert_eq!(w.crm.items.len(), 1, "no new CRM record");
    assert_eq!(
        crm_value(&w, &crm, Field::Subject),
        Some(Value::text("while untracked"))
    );
    assert_eq!(
        w.state.link_by_item(Side::Exchange, &ex).unwrap().state(),
        LinkState::Linked
    );
}

#[test]
fn crm_filter_exit_unlinks_and_deletes_nothing() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    w.crm.user_set_tracked(&crm, false);
    w.settle(5).expect("settles");
    assert!(w.exchange.items.contains_key(&ex));
    assert!(
        w.exchange
            .sync_writes
            .iter()
            .all(|s| !matches!(s, SyncWrite::Deleted { .. }))
    );
}

#[test]
fn email_deletes_never_propagate() {
    let (mut w, ex, crm) = linked(RecordKind::Email);
    w.exchange.user_delete(&ex);
    w.settle(5).expect("settles");
    assert!(w.crm.items.contains_key(&crm));
    let mut c = config();
    c.policy_mut(RecordKind::Email).on_crm_delete = DeleteRule::Propagate;
    let (mut w, ex, crm) = linked_with(World::new(c), RecordKind::Email, ItemFacts::default());
    w.crm.user_delete(&crm);
    w.settle(5).expect("settles");
    assert!(
        w.exchange.items.contains_key(&ex),
        "even when configured, emails only unlink"
    );
}

fn meeting_facts(future: bool, organizer: bool) -> ItemFacts {
    ItemFacts {
        start: Some(Timestamp(if future { 9_000_000_000 } else { 10 })),
        user_is_organizer: organizer,
        ..ItemFacts::default()
    }
}

#[test]
fn meeting_deletes_propagate_only_for_future_meetings_the_user_organizes_as_cancellations() {
    for (future, organizer, propagates) in [
        (true, true, true),
        (false, true, false),
        (true, false, false),
    ] {
        let (mut w, ex, crm) = linked_with(
            world(),
            RecordKind::Meeting,
            meeting_facts(future, organizer),
        );
        w.crm.user_delete(&crm);
        let mut cancellation = None;
        for _ in 0..5 {
            let r = w.round(&Faults::default());
            for op in &r.plan.operations {
                if let Action::Delete {
                    send_cancellation, ..
                } = op.action
                {
                    cancellation = Some(send_cancellation);
                }
            }
        }
        assert_eq!(
            !w.exchange.items.contains_key(&ex),
            propagates,
            "future={future} organizer={organizer}"
        );
        if propagates {
            assert_eq!(cancellation, Some(true), "deleted with cancellation");
        }
    }
}

#[test]
fn task_crm_deletes_propagate_unless_the_exchange_task_is_completed() {
    for (completed, propagates) in [(false, true), (true, false)] {
        let facts = ItemFacts {
            completed,
            ..ItemFacts::default()
        };
        let (mut w, ex, crm) = linked_with(world(), RecordKind::Task, facts);
        w.crm.user_delete(&crm);
        w.settle(5).expect("settles");
        assert_eq!(!w.exchange.items.contains_key(&ex), propagates);
    }
}

#[test]
fn contact_deletes_unlink_by_default_and_untrack_the_survivor() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    w.crm.user_delete(&crm);
    w.settle(5).expect("settles");
    let it = &w.exchange.items[&ex];
    assert!(
        it.categories
            .iter()
            .all(|c| !c.eq_ignore_ascii_case(CATEGORY)),
        "untracked"
    );
    assert!(matches!(
        w.state.link_by_item(Side::Exchange, &ex).unwrap().state(),
        LinkState::Tombstoned {
            deleted: Side::Crm,
            ..
        }
    ));
}

#[test]
fn delete_versus_edit_the_edit_wins_by_default() {
    let (mut w, ex, crm) = linked(RecordKind::Task);
    w.exchange.user_delete(&ex);
    w.crm.user_edit(&crm, Field::Subject, Value::text("edited"));
    let r = w.round(&Faults::default());
    w.settle(6).expect("settles");
    assert!(
        w.crm.items.contains_key(&crm),
        "the edited CRM task survives"
    );
    let all: Vec<_> = w.conflicts.iter().chain(r.conflicts.iter()).collect();
    assert!(
        all.iter()
            .any(|c| c.decided_by == DecidedBy::DeleteVsEdit && c.winner == Side::Crm)
    );
}

#[test]
fn delete_versus_edit_delete_wins_when_configured() {
    let mut c = config();
    c.policy_mut(RecordKind::Task).delete_vs_edit = DeleteVsEdit::DeleteWins;
    let (mut w, ex, crm) = linked_with(World::new(c), RecordKind::Task, ItemFacts::default());
    w.exchange.user_delete(&ex);
    w.crm.user_edit(&crm, Field::Subject, Value::text("edited"));
    w.settle(6).expect("settles");
    assert!(!w.crm.items.contains_key(&crm));
}

#[test]
fn delete_versus_edit_recreate_when_configured() {
    let mut c = config();
    c.policy_mut(RecordKind::Task).delete_vs_edit = DeleteVsEdit::EditWinsRecreate;
    let (mut w, ex, crm) = linked_with(World::new(c), RecordKind::Task, ItemFacts::default());
    w.exchange.user_delete(&ex);
    w.crm.user_edit(&crm, Field::Subject, Value::text("edited"));
    w.settle(8).expect("settles");
    assert_eq!(w.exchange.items.len(), 1);
    let new = w.exchange.items.keys().next().unwrap().clone();
    assert_eq!(
        ex_value(&w, &new, Field::Subject),
        Some(Value::text("edited"))
    );
}

#[test]
fn a_tombstone_blocks_resurrection() {
    let (mut w, ex, crm) = linked(RecordKind::Task);
    w.exchange.user_delete(&ex);
    w.settle(5).expect("settles");
    assert!(!w.crm.items.contains_key(&crm));
    // The CRM record is gone; nothing comes back on later rounds, cursor resets included.
    w.round(&Faults {
        invalid_sync_state: true,
        ..Faults::default()
    });
    w.settle(5).expect("settles");
    assert!(w.crm.items.is_empty() && w.exchange.items.is_empty());
}

#[test]
fn unlinked_survivor_is_not_recreated_until_explicitly_retracked() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    let mut cfg = config();
    cfg.policy_mut(RecordKind::Contact).on_exchange_delete = DeleteRule::Ignore;
    w.config = cfg;
    w.exchange.user_delete(&ex);
    w.settle(5).expect("settles");
    w.crm
        .user_edit(&crm, Field::Company, Value::text("edit after delete"));
    w.settle(5).expect("settles");
    assert!(w.exchange.items.is_empty(), "no resurrection by an edit");
    w.crm.user_set_tracked(&crm, false);
    w.settle(5).expect("settles");
    w.crm.user_set_tracked(&crm, true);
    w.settle(6).expect("settles");
    assert_eq!(w.exchange.items.len(), 1, "an explicit re-track re-creates");
}

#[test]
fn a_stale_write_fails_and_is_replanned_from_a_fresh_read() {
    let (mut w, ex, crm) = linked(RecordKind::Task);
    w.crm
        .user_edit(&crm, Field::Subject, Value::text("from crm"));
    // Between planning and executing, the user edits another field on Exchange: the write 412s.
    let r = w.round(&Faults {
        concurrent_edit: Some((0, Field::Priority, Value::text("high"))),
        ..Faults::default()
    });
    assert_eq!(r.writes, 1);
    assert_eq!(
        ex_value(&w, &ex, Field::Subject),
        Some(Value::text("Subject-0")),
        "the stale write did not overwrite"
    );
    w.settle(6).expect("settles");
    assert_eq!(
        ex_value(&w, &ex, Field::Subject),
        Some(Value::text("from crm"))
    );
    assert_eq!(
        crm_value(&w, &crm, Field::Priority),
        Some(Value::text("high")),
        "no lost update"
    );
}

#[test]
fn a_crash_between_create_and_state_save_never_duplicates() {
    for mid_op in [false, true] {
        let mut w = world();
        w.exchange.user_create(
            RecordKind::Contact,
            fields_for(RecordKind::Contact, "0"),
            true,
            ItemFacts::default(),
        );
        let r = w.round(&Faults {
            crash_after: Some(0),
            mid_op,
            ..Faults::default()
        });
        assert!(r.crashed);
        assert_eq!(
            w.crm.items.len(),
            usize::from(mid_op),
            "mid_op: the create ran, its outcome was lost"
        );
        w.settle(8).expect("settles");
        assert_eq!(w.crm.items.len(), 1, "mid_op={mid_op}");
    }
}

#[test]
fn cursors_advance_only_after_every_outcome_is_recorded() {
    let mut w = world();
    w.exchange.user_create(
        RecordKind::Task,
        fields_for(RecordKind::Task, "0"),
        true,
        ItemFacts::default(),
    );
    let input = w.input(&Faults::default(), false);
    let plan = w.state.plan(&input, &w.config, Timestamp(w.now)).unwrap();
    assert!(
        w.state.cursor(scope(Side::Exchange)).is_none(),
        "not before the outcomes"
    );
    let mut outcomes = Vec::new();
    for op in &plan.operations {
        let store = w.store(op.side);
        if let Some(o) = store.execute(&op.action, op.kind) {
            outcomes.push((op.id, o));
        }
    }
    assert_eq!(
        outcomes.len(),
        2,
        "create in the CRM, key stamp on Exchange"
    );
    let last = outcomes.pop().unwrap();
    for (id, o) in outcomes {
        w.state.apply_outcome(id, o).unwrap();
    }
    assert!(w.state.cursor(scope(Side::Exchange)).is_none());
    w.state.apply_outcome(last.0, last.1).unwrap();
    assert_eq!(w.state.cursor(scope(Side::Exchange)), Some("1"));
}

#[test]
fn an_invalid_sync_state_reenumerates_and_neither_duplicates_nor_deletes() {
    let mut w = world();
    for n in 0..4 {
        w.exchange.user_create(
            RecordKind::Task,
            fields_for(RecordKind::Task, &n.to_string()),
            true,
            ItemFacts::default(),
        );
    }
    w.settle(6).expect("settles");
    w.round(&Faults {
        invalid_sync_state: true,
        partial_enumeration_first: true,
        ..Faults::default()
    });
    w.settle(6).expect("settles");
    assert_eq!(w.crm.items.len(), 4);
    assert_eq!(w.exchange.items.len(), 4);
    assert!(
        w.crm
            .sync_writes
            .iter()
            .all(|s| !matches!(s, SyncWrite::Deleted { .. }))
    );
}

#[test]
fn a_feed_delete_is_only_a_hint_confirmed_by_a_direct_read() {
    let (mut w, ex, _crm) = linked(RecordKind::Task);
    // The item moves to another folder: the feed of the tracked folder reports a removal, but a
    // direct read finds it (still tracked), so nothing is deleted.
    w.exchange.log.push(ex.clone());
    let mut input = w.input(&Faults::default(), false);
    input.exchange = vec![Observation {
        id: ex.clone(),
        change: Change::RemovedHint,
    }];
    let plan = w.state.plan(&input, &w.config, Timestamp(w.now)).unwrap();
    assert_eq!(plan.writes().count(), 0);
    assert!(
        plan.operations
            .iter()
            .any(|o| o.action == Action::Read { item: ex.clone() })
    );
}

#[test]
fn a_copy_of_a_linked_item_is_ignored() {
    let (mut w, ex, _crm) = linked(RecordKind::Meeting);
    let copy = w.exchange.user_copy(&ex).unwrap();
    w.settle(6).expect("settles");
    assert_eq!(w.crm.items.len(), 1);
    assert!(w.state.link_by_item(Side::Exchange, &copy).is_none());
    w.exchange
        .user_edit(&copy, Field::Subject, Value::text("copy edit"));
    w.settle(6).expect("settles");
    assert_eq!(w.crm.items.len(), 1);
}

#[test]
fn an_id_change_on_move_relinks_the_same_pair() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    let new = w.exchange.user_move_new_id(&ex).unwrap();
    w.settle(8).expect("settles");
    assert_eq!(w.crm.items.len(), 1);
    let l = w
        .state
        .link_by_item(Side::Exchange, &new)
        .expect("follows the new id");
    assert_eq!(l.item(Side::Crm), Some(crm.as_str()));
    assert_eq!(l.state(), LinkState::Linked);
}

#[test]
fn the_mass_delete_guard_refuses_unless_forced() {
    let mut c = config();
    c.policy_mut(RecordKind::Task).on_exchange_delete = DeleteRule::Propagate;
    c.mass_delete = MassDeleteGuard {
        max_share_per_mille: 200,
        min_count: 2,
    };
    let mut w = World::new(c);
    for n in 0..10 {
        w.exchange.user_create(
            RecordKind::Task,
            fields_for(RecordKind::Task, &n.to_string()),
            true,
            ItemFacts::default(),
        );
    }
    w.settle(6).expect("settles");
    let ids: Vec<String> = w.exchange.items.keys().take(5).cloned().collect();
    for id in &ids {
        w.exchange.user_delete(id);
    }
    // Reads confirm the deletes first; then the plan that would delete 5 of 10 is refused.
    let before = w.state.clone();
    let mut refused = None;
    for _ in 0..4 {
        let input = w.input(&Faults::default(), false);
        match w.state.plan(&input, &w.config, Timestamp(w.now)) {
            Err(e) => {
                refused = Some(e);
                break;
            }
            Ok(p) => {
                for op in &p.operations {
                    if let Action::Read { item } = &op.action {
                        let o = w.store(op.side).observe(item, false);
                        w.read_results.push((op.side, o));
                    }
                }
            }
        }
    }
    assert!(
        matches!(
            refused,
            Some(Error::MassDelete {
                planned: 5,
                linked: 10
            })
        ),
        "{refused:?}"
    );
    assert_ne!(before, w.state);
    assert_eq!(w.crm.items.len(), 10, "nothing deleted");
    assert!(matches!(
        w.state.status().last_result,
        Some(RunResult::Refused(_))
    ));
}

#[test]
fn an_empty_side_in_a_complete_enumeration_is_refused() {
    let (mut w, ex, _crm) = linked(RecordKind::Task);
    w.exchange.items.remove(&ex);
    w.state.reset_cursor(scope(Side::Exchange));
    w.exchange_reset = true;
    let input = w.input(&Faults::default(), false);
    assert_eq!(input.exchange_coverage, Coverage::CompleteEnumeration);
    let e = w
        .state
        .plan(&input, &w.config, Timestamp(w.now))
        .unwrap_err();
    assert!(matches!(
        e,
        Error::EmptySide {
            side: Side::Exchange,
            linked: 1
        }
    ));
}

#[test]
fn a_poison_item_is_quarantined_and_others_proceed() {
    let mut w = world();
    let a = w.exchange.user_create(
        RecordKind::Task,
        fields_for(RecordKind::Task, "a"),
        true,
        ItemFacts::default(),
    );
    let b = w.exchange.user_create(
        RecordKind::Task,
        fields_for(RecordKind::Task, "b"),
        true,
        ItemFacts::default(),
    );
    w.settle(6).expect("settles");
    w.exchange
        .user_edit(&a, Field::Subject, Value::text("poison"));
    w.exchange
        .user_edit(&b, Field::Subject, Value::text("fine"));
    let crm_a = w
        .state
        .link_by_item(Side::Exchange, &a)
        .unwrap()
        .item(Side::Crm)
        .unwrap()
        .to_string();
    let crm_b = w
        .state
        .link_by_item(Side::Exchange, &b)
        .unwrap()
        .item(Side::Crm)
        .unwrap()
        .to_string();
    for _ in 0..20 {
        let input = w.input(&Faults::default(), false);
        let plan = w.state.plan(&input, &w.config, Timestamp(w.now)).unwrap();
        for op in &plan.operations {
            let outcome = if op.side == Side::Crm
                && matches!(&op.action, Action::Update { item, .. } if *item == crm_a)
            {
                Some(Outcome::Failed(Failure::Permanent("field too long".into())))
            } else {
                w.store(op.side).execute(&op.action, op.kind)
            };
            match outcome {
                Some(o) => {
                    let _ = w.state.apply_outcome(op.id, o);
                }
                None => {
                    if let Action::Read { item } = &op.action {
                        let o = w.store(op.side).observe(item, false);
                        w.read_results.push((op.side, o));
                    }
                }
            }
        }
    }
    assert_eq!(
        crm_value(&w, &crm_b, Field::Subject),
        Some(Value::text("fine"))
    );
    let view = w.state.link_by_item(Side::Exchange, &a).unwrap();
    assert!(view.quarantined().unwrap().contains("field too long"));
    assert_eq!(w.settle(3), Some(1), "a quarantined pair stays quiet");
}

#[test]
fn an_occurrence_delete_never_touches_the_series() {
    let mut c = config();
    c.policy_mut(RecordKind::Meeting).on_exchange_delete = DeleteRule::Propagate;
    let (mut w, master, crm_master) = linked_with(
        World::new(c),
        RecordKind::Meeting,
        meeting_facts(true, true),
    );
    // An edited occurrence becomes its own pair, created as an exception of the series' counterpart.
    let occ = w.exchange.user_create(
        RecordKind::Meeting,
        fields_for(RecordKind::Meeting, "occ"),
        true,
        meeting_facts(true, true),
    );
    let mut input = w.input(&Faults::default(), false);
    for o in input.exchange.iter_mut() {
        if let Change::Upsert(s) = &mut o.change {
            if o.id == occ {
                s.occurrence = Some(Occurrence {
                    master: master.clone(),
                    original_start: Timestamp(5),
                });
            }
        }
    }
    let plan = w.state.plan(&input, &w.config, Timestamp(w.now)).unwrap();
    let create = plan
        .operations
        .iter()
        .find(|o| matches!(o.action, Action::Create { .. }))
        .unwrap();
    match &create.action {
        Action::Create {
            occurrence: Some(o),
            ..
        } => assert_eq!(o.master, crm_master),
        other => panic!("expected an occurrence create, got {other:?}"),
    }
    for op in &plan.operations {
        if let Some(o) = w.store(op.side).execute(&op.action, op.kind) {
            w.state.apply_outcome(op.id, o).unwrap();
        }
    }
    w.settle(6).expect("settles");
    let crm_occ = w
        .state
        .link_by_item(Side::Exchange, &occ)
        .unwrap()
        .item(Side::Crm)
        .unwrap()
        .to_string();
    w.exchange.user_delete(&occ);
    w.settle(6).expect("settles");
    assert!(
        !w.crm.items.contains_key(&crm_occ),
        "the occurrence's counterpart goes"
    );
    assert!(w.crm.items.contains_key(&crm_master), "the series stays");
    assert!(w.exchange.items.contains_key(&master));
}

#[test]
fn a_one_way_field_is_never_written_on_its_source() {
    let mut c = config();
    c.policy_mut(RecordKind::Contact).directions = vec![(Field::Company, Direction::CrmToExchange)];
    let (mut w, ex, crm) = linked_with(World::new(c), RecordKind::Contact, ItemFacts::default());
    w.exchange
        .user_edit(&ex, Field::Company, Value::text("exchange edit"));
    w.crm.sync_writes.clear();
    w.settle(6).expect("settles");
    assert!(w.crm.sync_writes.iter().all(
        |s| !matches!(s, SyncWrite::Updated { fields, .. } if fields.contains(&Field::Company))
    ));
    assert_eq!(
        ex_value(&w, &ex, Field::Company),
        crm_value(&w, &crm, Field::Company),
        "restored from the source"
    );
}

#[test]
fn a_locked_crm_record_takes_no_inbound_change() {
    let (mut w, ex, crm) = linked(RecordKind::Meeting);
    w.crm.items.get_mut(&crm).unwrap().facts.locked = true;
    w.crm.user_touch(&crm);
    w.settle(4).expect("settles");
    w.exchange
        .user_edit(&ex, Field::Subject, Value::text("late edit"));
    w.settle(6).expect("settles");
    assert_eq!(
        crm_value(&w, &crm, Field::Subject),
        Some(Value::text("Subject-0"))
    );
    assert_eq!(
        ex_value(&w, &ex, Field::Subject),
        Some(Value::text("Subject-0"))
    );
    assert!(w.conflicts.iter().any(|c| c.decided_by == DecidedBy::Locked
        && c.exchange_value.as_ref().map(canonical) == Some(Value::text("late edit"))));
}

#[test]
fn an_absent_delta_property_is_not_null() {
    let (mut w, ex, crm) = linked(RecordKind::Contact);
    w.exchange
        .user_edit(&ex, Field::JobTitle, Value::text("CFO"));
    let mut input = w.input(&Faults::default(), false);
    for o in input.exchange.iter_mut() {
        if let Change::Upsert(s) = &mut o.change {
            s.fields = Fields::new().with(Field::JobTitle, Value::text("CFO"));
            s.categories = None;
        }
    }
    let plan = w.state.plan(&input, &w.config, Timestamp(w.now)).unwrap();
    let writes: Vec<_> = plan.writes().collect();
    assert_eq!(writes.len(), 1);
    match &writes[0].action {
        Action::Update { fields, .. } => assert_eq!(
            fields,
            &Fields::new().with(Field::JobTitle, Value::text("CFO"))
        ),
        other => panic!("{other:?}"),
    }
    for op in &plan.operations {
        if let Some(o) = w.store(op.side).execute(&op.action, op.kind) {
            w.state.apply_outcome(op.id, o).unwrap();
        }
    }
    assert_eq!(
        crm_value(&w, &crm, Field::Company),
        Some(Value::text("Company-0"))
    );
}

#[test]
fn a_recovered_state_matches_items_by_key_and_creates_nothing() {
    let (mut w, _ex, _crm) = linked(RecordKind::Task);
    // The state is lost; both sides still hold the items with their keys.
    w.state = SyncState::new();
    w.settle(6).expect("settles");
    assert_eq!((w.crm.items.len(), w.exchange.items.len()), (1, 1));
    assert_eq!(
        w.state
            .links()
            .filter(|l| l.state() == LinkState::Linked)
            .count(),
        1
    );
}

#[test]
fn the_state_round_trips_and_carries_its_version() {
    let (w, _ex, _crm) = linked(RecordKind::Meeting);
    let bytes = w.state.to_compact_bytes();
    assert_eq!(SyncState::from_compact_bytes(&bytes).unwrap(), w.state);
    let json = serde_json::to_value(&w.state).unwrap();
    assert_eq!(json["version"], STATE_VERSION);
    let back: SyncState = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, w.state);
    let mut other = json;
    other["version"] = 99.into();
    assert!(serde_json::from_value::<SyncState>(other).is_err());
    assert!(matches!(
        SyncState::from_compact_bytes(&[1, 2, 3]),
        Err(Error::Decode(_))
    ));
}

#[test]
fn the_status_counts_the_last_run_and_logs_configuration_changes() {
    let mut w = world();
    w.exchange.user_create(
        RecordKind::Task,
        fields_for(RecordKind::Task, "0"),
        true,
        ItemFacts::default(),
    );
    w.round(&Faults::default());
    let s = w.state.status();
    assert_eq!(s.counts(RecordKind::Task).created, 1);
    assert_eq!(s.last_result, Some(RunResult::Success));
    assert_eq!(s.last_sync, Some(Timestamp(w.now)));
    w.config.policy_mut(RecordKind::Task).conflict = ConflictRule::ExchangeWins;
    w.round(&Faults::default());
    assert!(
        w.state
            .status()
            .activity
            .iter()
            .any(|a| a.what.starts_with("configuration changed"))
    );
    w.state
        .status_mut()
        .set_enabled(false, Timestamp(1), "admin");
    let input = w.input(&Faults::default(), false);
    assert_eq!(
        w.state.plan(&input, &w.config, Timestamp(w.now)),
        Err(Error::Disabled)
    );
    let json = serde_json::to_string(w.state.status()).unwrap();
    assert!(json.contains("sync disabled"));
}

#[test]
fn the_mass_create_guard_refuses_a_flood_of_new_items_while_pairs_exist() {
    let mut c = config();
    c.mass_delete = MassDeleteGuard {
        max_share_per_mille: 500,
        min_count: 3,
    };
    let mut w = World::new(c);
    for n in 0..4 {
        w.exchange.user_create(
            RecordKind::Contact,
            fields_for(RecordKind::Contact, &n.to_string()),
            true,
            ItemFacts::default(),
        );
    }
    w.settle(6).expect("an initial sync is not limited");
    for n in 4..9 {
        w.crm.user_create(
            RecordKind::Contact,
            fields_for(RecordKind::Contact, &n.to_string()),
            true,
            ItemFacts::default(),
        );
    }
    let input = w.input(&Faults::default(), false);
    let e = w
        .state
        .plan(&input, &w.config, Timestamp(w.now))
        .unwrap_err();
    assert_eq!(
        e,
        Error::MassCreate {
            planned: 5,
            linked: 4
        }
    );
    let mut forced = input;
    forced.force = true;
    let plan = w.state.plan(&forced, &w.config, Timestamp(w.now)).unwrap();
    let creates = plan
        .operations
        .iter()
        .filter(|o| matches!(o.action, Action::Create { .. }));
    assert_eq!(creates.count(), 5);
}

#[test]
fn the_state_stays_compact_per_pair() {
    let mut w = world();
    let n = 300;
    for i in 0..n {
        w.exchange.user_create(
            RecordKind::Email,
            fields_for(RecordKind::Email, &i.to_string()),
            true,
            ItemFacts::default(),
        );
    }
    w.settle(6).expect("settles");
    assert_eq!(w.state.len(), n);
    let encoded = w.state.to_compact_bytes().len() / n;
    assert!(encoded < 200, "{encoded} bytes per pair encoded");
    let memory = w.state.approx_memory_bytes() / n;
    assert!(memory < 400, "{memory} bytes per pair in memory");
}
