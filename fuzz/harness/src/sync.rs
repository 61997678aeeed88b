//! The sync-core planner fed arbitrary change batches.
//!
//! The input is a script: the first bytes choose a configuration, then each round reads a batch of
//! CRM and Exchange observations (ids from a small pool plus the ids earlier creates returned, any
//! change, any kind, partial fields, any coverage), cursor advances, and for every planned write an
//! outcome (success, each kind of failure, a mismatched outcome, or none at all), and sometimes a
//! crash that reloads the state from its persisted bytes. Missing bytes read as zero.
//!
//! Checked after every step, as sync-core's own property tests do:
//! - planning never panics, and is deterministic (a clone plans the same operations and state);
//! - a refused plan is one of the guards and leaves pairs, in-flight operations and cursors as they were;
//! - every operation refers to a pair that exists, of its kind, and to an item id that was observed on
//!   that side or returned by a create there (the planner invents no ids); writes always name a pair,
//!   creates carry their pair's key, operation ids are fresh;
//! - deletes only happen under a delete rule that propagates (so never for emails by default);
//! - the in-flight count is the number of writes; cursors commit only once every outcome of the round
//!   is in (at once when the round has no writes), and not before;
//! - outcomes for operations in flight are accepted or refused with a typed error, never "unknown";
//!   an outcome for an operation of an earlier round is `UnknownOperation`;
//! - the state survives its compact encoding unchanged.

use std::collections::{BTreeMap, BTreeSet};

use sync_core::{
    Action, Change, Config, ConflictRule, CorrelationKey, Coverage, CursorAdvance, DeleteRule,
    DeleteVsEdit, Error, Failure, Field, Fields, ItemFacts, LinkState, Observation, OpId, Outcome,
    Plan, RecordKind, RoundInput, ScopeExit, Side, Snapshot, SyncState, Timestamp, Value,
};

use crate::Seed;

const CATEGORY: &str = "Tracked to CRM";
const SCOPES: [&str; 2] = ["exchange:inbox", "crm:activities"];
const POOL: usize = 6;
const MAX_ROUNDS: usize = 16;
const MAX_OBSERVATIONS: u8 = 8;

/// Runs one script (see the module documentation); panics when an invariant breaks.
pub fn check_plan(data: &[u8]) {
    run_plan(data);
}

/// What a script made the planner do, so tests can tell that the seeds reach the interesting paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScriptStats {
    /// Rounds planned.
    pub rounds: usize,
    /// Rounds a guard refused.
    pub refused: usize,
    /// Operations planned, by action: create, update, delete, untrack, read.
    pub operations: [usize; 5],
    /// Outcomes reported (accepted or refused with a typed error).
    pub outcomes: usize,
    /// Rounds after which some cursor was committed.
    pub cursor_commits: usize,
    /// Times the state was reloaded from its compact bytes.
    pub reloads: usize,
}

/// [`check_plan`], returning what the script made the planner do.
pub fn run_plan(data: &[u8]) -> ScriptStats {
    let mut stats = ScriptStats::default();
    let mut script = Script { data, at: 0 };
    let config = config(&mut script);
    let mut world = World::new();
    let mut state = SyncState::new();
    let mut now = 1_800_000_000_000i64;
    for round in 0..MAX_ROUNDS {
        if script.exhausted() {
            break;
        }
        now += 60_000 + i64::from(script.byte()) * 1_000;
        let input = world.round_input(&mut script, &state, round);
        state = plan_and_check(
            &mut world,
            &mut script,
            state,
            &input,
            &config,
            Timestamp(now),
            &mut stats,
        );
        if script.byte() % 4 == 0 {
            stats.reloads += 1;
            let bytes = state.to_compact_bytes();
            let reloaded = SyncState::from_compact_bytes(&bytes)
                .unwrap_or_else(|e| panic!("the persisted state does not load: {e}"));
            assert!(
                reloaded == state,
                "the state changed through its compact encoding"
            );
            state = reloaded;
        }
    }
    stats
}

/// Plans one round, checks the plan, reports outcomes and checks the cursors; returns the new state.
fn plan_and_check(
    world: &mut World,
    script: &mut Script<'_>,
    mut state: SyncState,
    input: &RoundInput,
    config: &Config,
    now: Timestamp,
    stats: &mut ScriptStats,
) -> SyncState {
    stats.rounds += 1;
    let before = Observed::of(&state, input);
    let mut twin = state.clone();
    let result = state.plan(input, config, now);
    let twin_result = twin.plan(input, config, now);
    assert!(result == twin_result, "planning is not deterministic");
    assert!(
        twin == state,
        "planning left different states from one input"
    );
    let plan = match result {
        Ok(plan) => plan,
        Err(Error::MassDelete { .. } | Error::MassCreate { .. } | Error::EmptySide { .. }) => {
            assert!(
                Observed::of(&state, input) == before,
                "a refused plan changed pairs, in-flight operations or cursors"
            );
            stats.refused += 1;
            return state;
        }
        Err(other) => panic!("planning failed with {other:?}"),
    };
    world.check_operations(&state, &plan, config);
    for op in &plan.operations {
        let slot = match op.action {
            Action::Create { .. } => 0,
            Action::Update { .. } => 1,
            Action::Delete { .. } => 2,
            Action::Untrack { .. } => 3,
            Action::Read { .. } => 4,
        };
        stats.operations[slot] += 1;
    }
    let writes: Vec<_> = plan.writes().cloned().collect();
    assert_eq!(
        state.in_flight(),
        writes.len(),
        "in-flight operations differ from the writes planned"
    );
    let advanced = last_cursor_values(input);
    if writes.is_empty() {
        assert_cursors(&state, &advanced, "a round without writes");
    } else {
        assert!(
            Observed::of(&state, input).cursors == before.cursors,
            "a cursor committed before the outcomes were in"
        );
    }
    if let Some(old) = world.stale_op.take() {
        if script.byte() % 3 == 0 {
            assert!(
                matches!(
                    state.apply_outcome(old, Outcome::Deleted),
                    Err(Error::UnknownOperation(_))
                ),
                "an outcome for an operation of an earlier round was not refused as unknown"
            );
        }
    }
    let mut unreported = 0;
    for op in &writes {
        let Some(outcome) = world.outcome(script, op) else {
            unreported += 1;
            world.stale_op = Some(op.id);
            continue;
        };
        stats.outcomes += 1;
        match state.apply_outcome(op.id, outcome) {
            Ok(()) | Err(Error::OutcomeMismatch { .. } | Error::DuplicateId(_)) => {}
            Err(other) => panic!("the outcome of operation {} failed with {other:?}", op.id.0),
        }
    }
    assert_eq!(
        state.in_flight(),
        unreported,
        "in-flight count after the outcomes"
    );
    if unreported == 0 {
        assert_cursors(&state, &advanced, "a round whose outcomes are all in");
        stats.cursor_commits += usize::from(!advanced.is_empty());
    } else {
        assert!(
            Observed::of(&state, input).cursors == before.cursors,
            "a cursor committed while outcomes were missing"
        );
    }
    state
}

/// The last value each scope advanced to in `input`.
fn last_cursor_values(input: &RoundInput) -> BTreeMap<String, String> {
    input
        .cursors
        .iter()
        .map(|c| (c.scope.clone(), c.value.clone()))
        .collect()
}

fn assert_cursors(state: &SyncState, advanced: &BTreeMap<String, String>, when: &str) {
    for (scope, value) in advanced {
        assert_eq!(
            state.cursor(scope),
            Some(value.as_str()),
            "{when}: the cursor of {scope} did not commit"
        );
    }
}

/// A pair as the public view shows it: id, kind, state, key, CRM id, Exchange id.
type LinkSummary = (
    u32,
    RecordKind,
    LinkState,
    CorrelationKey,
    Option<String>,
    Option<String>,
);

/// What a refused plan must leave alone.
#[derive(Debug, PartialEq)]
struct Observed {
    links: Vec<LinkSummary>,
    in_flight: usize,
    cursors: Vec<Option<String>>,
}

impl Observed {
    fn of(state: &SyncState, input: &RoundInput) -> Self {
        Observed {
            links: state
                .links()
                .map(|l| {
                    (
                        l.id().0,
                        l.kind(),
                        l.state(),
                        l.key(),
                        l.item(Side::Crm).map(str::to_owned),
                        l.item(Side::Exchange).map(str::to_owned),
                    )
                })
                .collect(),
            in_flight: state.in_flight(),
            cursors: SCOPES
                .iter()
                .map(|s| s.to_string())
                .chain(input.cursors.iter().map(|c| c.scope.clone()))
                .map(|s| state.cursor(&s).map(str::to_owned))
                .collect(),
        }
    }
}

/// The ids each side has shown, and what is needed to check the next plan.
struct World {
    /// Every id observed on, or created on, each side (index: CRM 0, Exchange 1).
    known: [BTreeSet<String>; 2],
    /// Ids returned by creates, which later observations may use.
    created: [Vec<String>; 2],
    /// The highest operation id planned so far.
    last_op: u64,
    /// An operation left without an outcome in an earlier round.
    stale_op: Option<OpId>,
}

fn index(side: Side) -> usize {
    match side {
        Side::Crm => 0,
        Side::Exchange => 1,
    }
}

impl World {
    fn new() -> Self {
        World {
            known: [BTreeSet::new(), BTreeSet::new()],
            created: [Vec::new(), Vec::new()],
            last_op: 0,
            stale_op: None,
        }
    }

    fn round_input(&mut self, s: &mut Script<'_>, state: &SyncState, round: usize) -> RoundInput {
        let header = s.byte();
        let crm = (0..s.byte() % MAX_OBSERVATIONS)
            .map(|_| self.observation(s, state, Side::Crm))
            .collect();
        let exchange = (0..s.byte() % MAX_OBSERVATIONS)
            .map(|_| self.observation(s, state, Side::Exchange))
            .collect();
        let coverage = |bits: u8| match bits % 5 {
            3 => Coverage::PartialEnumeration,
            4 => Coverage::CompleteEnumeration,
            _ => Coverage::Delta,
        };
        let cursors = (0..s.byte() % 3)
            .map(|i| CursorAdvance {
                scope: SCOPES[usize::from(s.byte() % 2)].to_owned(),
                value: format!("round-{round}-{i}"),
            })
            .collect();
        RoundInput {
            crm,
            exchange,
            crm_coverage: coverage(header),
            exchange_coverage: coverage(header >> 3),
            cursors,
            force: header >> 6 == 3,
        }
    }

    fn observation(&mut self, s: &mut Script<'_>, state: &SyncState, side: Side) -> Observation {
        let prefix = match side {
            Side::Crm => "crm",
            Side::Exchange => "ex",
        };
        let created = &self.created[index(side)];
        let pick = usize::from(s.byte()) % (POOL + created.len());
        let id = created
            .get(pick.wrapping_sub(POOL))
            .cloned()
            .unwrap_or_else(|| format!("{prefix}-{pick}"));
        self.known[index(side)].insert(id.clone());
        let change = match s.byte() % 10 {
            0 => Change::RemovedHint,
            1 => Change::Deleted,
            2 => Change::LeftScope(
                [
                    ScopeExit::CategoryRemoved,
                    ScopeExit::MovedOut,
                    ScopeExit::OutOfWindow,
                    ScopeExit::FilterExit,
                    ScopeExit::AccessLost,
                ][usize::from(s.byte() % 5)],
            ),
            _ => Change::Upsert(snapshot(s, state, side)),
        };
        Observation { id, change }
    }

    /// Checks every operation of `plan` against the state after planning.
    fn check_operations(&mut self, state: &SyncState, plan: &Plan, config: &Config) {
        let mut ids = BTreeSet::new();
        for op in &plan.operations {
            assert!(ids.insert(op.id), "operation id {} used twice", op.id.0);
            assert!(
                op.id.0 > self.last_op,
                "operation id {} is not fresh (last {})",
                op.id.0,
                self.last_op
            );
            let link = op.link.map(|l| {
                state
                    .links()
                    .nth(l.0 as usize)
                    .unwrap_or_else(|| panic!("operation {} names a missing pair {}", op.id.0, l.0))
            });
            if let Some(link) = &link {
                assert_eq!(
                    link.kind(),
                    op.kind,
                    "operation {} and its pair differ in kind",
                    op.id.0
                );
            }
            if op.action.is_write() {
                assert!(link.is_some(), "write {:?} names no pair", op.action);
            }
            let known = &self.known[index(op.side)];
            match &op.action {
                Action::Create { key, .. } => {
                    if let Some(link) = &link {
                        assert_eq!(*key, link.key(), "a create carries another pair's key");
                    }
                }
                Action::Update { item, .. }
                | Action::Untrack { item, .. }
                | Action::Read { item } => {
                    assert!(
                        known.contains(item),
                        "{:?} names an invented item {item}",
                        op.action
                    );
                }
                Action::Delete { item, .. } => {
                    assert!(
                        known.contains(item),
                        "a delete names an invented item {item}"
                    );
                    let rule = config.policy(op.kind).delete_rule(op.side.other());
                    assert!(
                        !matches!(rule, DeleteRule::Unlink | DeleteRule::Ignore),
                        "a {:?} was deleted on {:?} under {rule:?}",
                        op.kind,
                        op.side
                    );
                }
            }
        }
        if let Some(max) = ids.last() {
            self.last_op = max.0;
        }
    }

    /// The outcome the script chooses for a write, or `None` to leave it unreported.
    fn outcome(&mut self, s: &mut Script<'_>, op: &sync_core::Operation) -> Option<Outcome> {
        let choice = s.byte();
        let token = format!("w{}", choice % 4);
        let modified_at = Timestamp(1_800_000_000_000 + i64::from(choice) * 7_000);
        Some(match choice % 12 {
            0 => return None,
            1 => Outcome::Failed(Failure::Conflict),
            2 => Outcome::Failed(Failure::NotFound),
            3 => Outcome::Failed(Failure::Transient("throttled".into())),
            4 => Outcome::Failed(Failure::Permanent("schema".into())),
            5 => Outcome::Untracked,
            _ => match &op.action {
                Action::Create { .. } => {
                    let side = index(op.side);
                    // Now and then a server hands back an id that is already in use.
                    let id = match (choice % 7, self.known[side].iter().next()) {
                        (0, Some(existing)) => existing.clone(),
                        _ => format!("{}-new-{}", ["crm", "ex"][side], op.id.0),
                    };
                    self.known[side].insert(id.clone());
                    self.created[side].push(id.clone());
                    Outcome::Created {
                        id,
                        token,
                        modified_at,
                    }
                }
                Action::Update { .. } => Outcome::Updated { token, modified_at },
                Action::Delete { .. } => Outcome::Deleted,
                Action::Untrack { .. } | Action::Read { .. } => Outcome::Untracked,
            },
        })
    }
}

fn snapshot(s: &mut Script<'_>, state: &SyncState, side: Side) -> Snapshot {
    let kind = RecordKind::ALL[usize::from(s.byte() % 4)];
    let token = format!("t{}", s.byte() % 5);
    let modified_at = Timestamp(1_800_000_000_000 + i64::from(s.byte()) * 10_000);
    let mut fields = Fields::new();
    for field in kind.fields() {
        match s.byte() % 5 {
            0 => {}
            1 => fields.set(*field, Value::Null),
            n => fields.set(*field, value(*field, n)),
        }
    }
    let mut snapshot = Snapshot::new(kind, token, modified_at, fields);
    if side == Side::Exchange {
        snapshot.categories = match s.byte() % 4 {
            0 => None,
            1 => Some(vec!["Other".into()]),
            2 => Some(vec![CATEGORY.to_lowercase()]),
            _ => Some(vec![CATEGORY.into(), "Customer".into()]),
        };
    }
    snapshot.correlation_key = match s.byte() % 4 {
        1 => {
            let n = state.len().max(1);
            state
                .links()
                .nth(usize::from(s.byte()) % n)
                .map(|l| l.key())
        }
        2 => Some(CorrelationKey([s.byte(); 16])),
        _ => None,
    };
    let facts = s.byte();
    snapshot.facts = ItemFacts {
        start: (facts & 1 == 1)
            .then(|| Timestamp(1_800_000_000_000 + i64::from(facts) * 3_600_000)),
        user_is_organizer: facts & 2 == 2,
        completed: facts & 4 == 4,
        locked: facts & 8 == 8,
    };
    snapshot
}

fn value(field: Field, n: u8) -> Value {
    match field {
        Field::SentAt | Field::DueAt | Field::Start | Field::End => {
            Value::instant(Timestamp(1_800_000_000_000 + i64::from(n) * 60_000), "UTC")
        }
        Field::AllDay => Value::Bool(n % 2 == 0),
        Field::Priority | Field::Status => Value::Int(i64::from(n)),
        Field::To | Field::Cc | Field::Attendees | Field::EmailAddresses | Field::Phones => {
            Value::set((0..n).map(|i| format!("person{i}@contoso.example")))
        }
        _ => Value::text(&format!("value {n}")),
    }
}

fn config(s: &mut Script<'_>) -> Config {
    let mut config = Config::new(CATEGORY, "fuzz-mailbox");
    let conflict = match s.byte() % 4 {
        0 => ConflictRule::CrmWins,
        1 => ConflictRule::ExchangeWins,
        2 => ConflictRule::NewestWins,
        _ => ConflictRule::FieldMerge {
            default: Side::Exchange,
            fields: vec![(Field::Subject, Side::Crm)],
        },
    };
    let delete_vs_edit = [
        DeleteVsEdit::EditWinsUnlink,
        DeleteVsEdit::EditWinsRecreate,
        DeleteVsEdit::DeleteWins,
    ][usize::from(s.byte() % 3)];
    let rules = [
        DeleteRule::Propagate,
        DeleteRule::Unlink,
        DeleteRule::Ignore,
        DeleteRule::FutureOrganizedMeetingsOnly,
        DeleteRule::PropagateUnlessCompleted,
    ];
    for kind in RecordKind::ALL {
        let policy = config.policy_mut(kind);
        policy.conflict = conflict.clone();
        policy.delete_vs_edit = delete_vs_edit;
        // Emails keep their default (deletes never propagate); the other kinds take any rule.
        if kind != RecordKind::Email {
            policy.on_crm_delete = rules[usize::from(s.byte() % 5)];
            policy.on_exchange_delete = rules[usize::from(s.byte() % 5)];
        }
    }
    config.mass_delete.max_share_per_mille = u32::from(s.byte()) * 4;
    config.mass_delete.min_count = u32::from(s.byte() % 8);
    config.quarantine_after = 1 + s.byte() % 5;
    config
}

/// Reads the script; past its end every byte is zero.
struct Script<'a> {
    data: &'a [u8],
    at: usize,
}

impl Script<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn exhausted(&self) -> bool {
        self.at >= self.data.len()
    }
}

/// Seeds: scripts of one repeated byte (which drive the same choice every time: all tracked upserts,
/// all successes, ...), scripts from a fixed-seed generator, and for each kind of write the first
/// generated script that plans one (deletes and untracks need a linked pair first, which random
/// scripts reach only now and then).
pub fn plan_seeds() -> Vec<Seed> {
    let mut seeds: Vec<Seed> = [3u8, 5, 7, 9]
        .into_iter()
        .map(|b| Seed::new(format!("repeated-{b}.bin"), vec![b; 400]))
        .collect();
    for (n, len) in [(1u64, 120usize), (2, 400), (3, 1_500), (4, 4_000)] {
        seeds.push(Seed::new(
            format!("random-{n}-{len}.bin"),
            generated(n, len),
        ));
    }
    let mut wanted = vec![(0, "create"), (1, "update"), (2, "delete"), (3, "untrack")];
    for n in 100..2_100 {
        let bytes = generated(n, 600);
        let stats = run_plan(&bytes);
        wanted.retain(|(slot, action)| {
            let hit = stats.operations[*slot] > 0;
            if hit {
                seeds.push(Seed::new(format!("first-{action}-{n}.bin"), bytes.clone()));
            }
            !hit
        });
        if wanted.is_empty() {
            break;
        }
    }
    seeds
}

/// `len` bytes of a xorshift generator seeded with `n`.
fn generated(n: u64, len: usize) -> Vec<u8> {
    let mut x = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
