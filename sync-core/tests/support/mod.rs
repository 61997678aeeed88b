//! In-memory CRM and Exchange models and a runner that drives the pure planner against them,
//! with fault injection (replays, reordering, 412s, invalid sync states, crashes).
#![allow(dead_code, unreachable_pub)]

use std::collections::{BTreeMap, BTreeSet};

use sync_core::*;

/// One stored item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: RecordKind,
    pub token: String,
    pub modified: i64,
    pub fields: Fields,
    pub categories: Vec<String>,
    pub key: Option<CorrelationKey>,
    pub facts: ItemFacts,
    /// CRM: inside the sync filter.
    pub in_filter: bool,
    /// Made by a user copy (may carry a key that belongs to another item).
    pub is_copy: bool,
}

/// What a sync operation did to a store, for property checks.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncWrite {
    Created {
        id: String,
        key: CorrelationKey,
    },
    Updated {
        id: String,
        fields: Vec<Field>,
    },
    Deleted {
        id: String,
        key: Option<CorrelationKey>,
        kind: RecordKind,
    },
}

/// One side's server.
#[derive(Debug, Clone)]
pub struct Store {
    pub side: Side,
    pub items: BTreeMap<String, Item>,
    pub clock: i64,
    pub next_id: u64,
    /// Change log: ids in the order they changed.
    pub log: Vec<String>,
    pub category: String,
    /// Exchange re-serialises text on write (canonicalised away by the core).
    pub normalises: bool,
    pub sync_writes: Vec<SyncWrite>,
}

impl Store {
    pub fn new(side: Side, category: &str) -> Self {
        Store {
            side,
            items: BTreeMap::new(),
            clock: 1_000,
            next_id: 1,
            log: Vec::new(),
            category: category.to_string(),
            normalises: side == Side::Exchange,
            sync_writes: Vec::new(),
        }
    }

    fn bump(&mut self, id: &str) {
        self.clock += 1;
        let clock = self.clock;
        let prefix = if self.side == Side::Crm { "rv" } else { "ck" };
        if let Some(it) = self.items.get_mut(id) {
            it.token = format!("{prefix}{clock}");
            it.modified = clock;
        }
        self.log.push(id.to_string());
    }

    fn fresh_id(&mut self) -> String {
        let n = self.next_id;
        self.next_id += 1;
        match self.side {
            Side::Crm => format!("crm-{n}"),
            Side::Exchange => format!("AAMk-{n}"),
        }
    }

    // ---- user actions ----

    pub fn user_create(
        &mut self,
        kind: RecordKind,
        fields: Fields,
        tracked: bool,
        facts: ItemFacts,
    ) -> String {
        let id = self.fresh_id();
        let categories = if tracked && self.side == Side::Exchange {
            vec![self.category.to_uppercase()]
        } else {
            Vec::new()
        };
        self.items.insert(
            id.clone(),
            Item {
                kind,
                token: String::new(),
                modified: 0,
                fields,
                categories,
                key: None,
                facts,
                in_filter: tracked || self.side == Side::Exchange,
                is_copy: false,
            },
        );
        self.bump(&id);
        id
    }

    pub fn user_edit(&mut self, id: &str, field: Field, value: Value) -> bool {
        let Some(it) = self.items.get_mut(id) else {
            return false;
        };
        if !it.kind.fields().contains(&field) {
            return false;
        }
        it.fields.set(field, value);
        self.bump(id);
        true
    }

    /// A ChangeKey-only bump (read flag, reminder dismissed, item opened).
    pub fn user_touch(&mut self, id: &str) {
        if self.items.contains_key(id) {
            self.bump(id);
        }
    }

    pub fn user_delete(&mut self, id: &str) -> Option<Item> {
        let it = self.items.remove(id)?;
        self.clock += 1;
        self.log.push(id.to_string());
        Some(it)
    }

    pub fn user_set_tracked(&mut self, id: &str, tracked: bool) {
        let cat = self.category.clone();
        let side = self.side;
        let Some(it) = self.items.get_mut(id) else {
            return;
        };
        match side {
            Side::Exchange => {
                it.categories.retain(|c| !c.eq_ignore_ascii_case(&cat));
                if tracked {
                    it.categories.push(cat.to_lowercase());
                }
            }
            Side::Crm => it.in_filter = tracked,
        }
        self.bump(id);
    }

    pub fn user_copy(&mut self, id: &str) -> Option<String> {
        let mut it = self.items.get(id)?.clone();
        it.is_copy = true;
        let new = self.fresh_id();
        self.items.insert(new.clone(), it);
        self.bump(&new);
        Some(new)
    }

    /// A move that changes the id (EWS ItemId changes on move between folders).
    pub fn user_move_new_id(&mut self, id: &str) -> Option<String> {
        let it = self.items.remove(id)?;
        self.log.push(id.to_string());
        let new = self.fresh_id();
        self.items.insert(new.clone(), it);
        self.bump(&new);
        Some(new)
    }

    // ---- what the adapters report ----

    pub fn observe(&self, id: &str, feed: bool) -> Observation {
        let change = match self.items.get(id) {
            None if feed && self.side == Side::Exchange => Change::RemovedHint,
            None => Change::Deleted,
            Some(it) if self.side == Side::Crm && !it.in_filter => {
                Change::LeftScope(ScopeExit::FilterExit)
            }
            Some(it) => Change::Upsert(Snapshot {
                kind: it.kind,
                token: it.token.clone(),
                modified_at: Timestamp(it.modified),
                fields: it.fields.clone(),
                categories: (self.side == Side::Exchange).then(|| it.categories.clone()),
                correlation_key: it.key,
                folder: None,
                occurrence: None,
                facts: it.facts,
            }),
        };
        Observation {
            id: id.to_string(),
            change,
        }
    }

    /// Feed entries since a cursor (current state of each changed id, once).
    pub fn feed(&self, from: usize) -> Vec<Observation> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for id in self.log.iter().skip(from) {
            if seen.insert(id.clone()) {
                out.push(self.observe(id, true));
            }
        }
        out
    }

    pub fn enumerate(&self) -> Vec<Observation> {
        self.items
            .keys()
            .map(|id| self.observe(id, false))
            .filter(|o| matches!(o.change, Change::Upsert(_)))
            .collect()
    }

    // ---- what the clients do ----

    pub fn execute(&mut self, action: &Action, kind: RecordKind) -> Option<Outcome> {
        Some(match action {
            Action::Read { .. } => return None,
            Action::Create {
                key,
                fields,
                recovery,
                ..
            } => {
                if *recovery {
                    let found = self
                        .items
                        .iter()
                        .find(|(_, it)| it.key == Some(*key) && !it.is_copy)
                        .map(|(id, it)| (id.clone(), it.token.clone(), it.modified));
                    if let Some((id, token, m)) = found {
                        return Some(Outcome::Created {
                            id,
                            token,
                            modified_at: Timestamp(m),
                        });
                    }
                }
                let id = self.fresh_id();
                let mut fields = fields.clone();
                self.normalise(&mut fields);
                self.items.insert(
                    id.clone(),
                    Item {
                        kind,
                        token: String::new(),
                        modified: 0,
                        fields,
                        categories: if self.side == Side::Exchange {
                            vec![self.category.clone()]
                        } else {
                            Vec::new()
                        },
                        key: Some(*key),
                        facts: ItemFacts::default(),
                        in_filter: true,
                        is_copy: false,
                    },
                );
                self.bump(&id);
                self.sync_writes.push(SyncWrite::Created {
                    id: id.clone(),
                    key: *key,
                });
                let it = &self.items[&id];
                Outcome::Created {
                    id: id.clone(),
                    token: it.token.clone(),
                    modified_at: Timestamp(it.modified),
                }
            }
            Action::Update {
                item,
                token,
                fields,
                stamp_key,
            } => {
                let Some(it) = self.items.get_mut(item) else {
                    return Some(Outcome::Failed(Failure::NotFound));
                };
                if &it.token != token {
                    return Some(Outcome::Failed(Failure::Conflict));
                }
                let mut fields = fields.clone();
                let normalises = self.normalises;
                if normalises {
                    normalise_fields(&mut fields);
                }
                let it = self.items.get_mut(item)?;
                for (f, v) in fields.iter() {
                    it.fields.set(f, v.clone());
                }
                if let Some(k) = stamp_key {
                    it.key = Some(*k);
                }
                self.bump(item);
                self.sync_writes.push(SyncWrite::Updated {
                    id: item.clone(),
                    fields: fields.iter().map(|(f, _)| f).collect(),
                });
                let it = &self.items[item];
                Outcome::Updated {
                    token: it.token.clone(),
                    modified_at: Timestamp(it.modified),
                }
            }
            Action::Delete { item, token, .. } => match self.items.get(item) {
                None => Outcome::Deleted,
                Some(it) if &it.token != token => Outcome::Failed(Failure::Conflict),
                Some(it) => {
                    let w = SyncWrite::Deleted {
                        id: item.clone(),
                        key: it.key,
                        kind: it.kind,
                    };
                    self.items.remove(item);
                    self.clock += 1;
                    self.log.push(item.clone());
                    self.sync_writes.push(w);
                    Outcome::Deleted
                }
            },
            Action::Untrack { item, .. } => {
                if self.side == Side::Exchange && self.items.contains_key(item) {
                    let cat = self.category.clone();
                    if let Some(it) = self.items.get_mut(item) {
                        it.categories.retain(|c| !c.eq_ignore_ascii_case(&cat));
                    }
                    self.bump(item);
                }
                Outcome::Untracked
            }
        })
    }

    fn normalise(&self, fields: &mut Fields) {
        if self.normalises {
            normalise_fields(fields);
        }
    }

    /// Items in scope: (id, key).
    pub fn tracked(&self) -> impl Iterator<Item = (&String, &Item)> {
        let cat = self.category.clone();
        let side = self.side;
        self.items.iter().filter(move |(_, it)| match side {
            Side::Exchange => it.categories.iter().any(|c| c.eq_ignore_ascii_case(&cat)),
            Side::Crm => it.in_filter,
        })
    }
}

/// Exchange re-serialises text: adds a trailing CRLF.
fn normalise_fields(fields: &mut Fields) {
    let mut out = Fields::new();
    for (f, v) in fields.iter() {
        let v = match v {
            Value::Text(t) => Value::Text(format!("{t}\r\n").into()),
            other => other.clone(),
        };
        out.set(f, v);
    }
    *fields = out;
}

/// Faults injected into a round.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Reverse the order of feed entries.
    pub reverse: bool,
    /// Duplicate every feed entry.
    pub duplicate: bool,
    /// Replay the previous round's feed entries (older versions) along with the new ones.
    pub replay_old: bool,
    /// Crash after this many executed operations (state reloaded from the last persist); the
    /// crash happens after executing the op but before recording its outcome when `mid_op`.
    pub crash_after: Option<usize>,
    pub mid_op: bool,
    /// A user edits this Exchange item between planning and executing (causes a 412).
    pub concurrent_edit: Option<(usize, Field, Value)>,
    /// The Exchange sync state becomes invalid before this round.
    pub invalid_sync_state: bool,
    /// The re-enumeration after an invalid sync state is cut short once (partial) first.
    pub partial_enumeration_first: bool,
}

/// Report of one round.
#[derive(Debug, Clone, Default)]
pub struct RoundReport {
    pub writes: usize,
    pub reads: usize,
    pub conflicts: Vec<ConflictRecord>,
    pub refused: Option<Error>,
    pub crashed: bool,
    pub plan: Plan,
}

/// The two stores, the state and a runner.
#[derive(Debug, Clone)]
pub struct World {
    pub crm: Store,
    pub exchange: Store,
    pub state: SyncState,
    pub persisted: Vec<u8>,
    pub config: Config,
    pub now: i64,
    /// Results of read operations, fed into the next round.
    pub read_results: Vec<(Side, Observation)>,
    pub last_feed: Vec<(Side, Observation)>,
    pub exchange_reset: bool,
    pub conflicts: Vec<ConflictRecord>,
    pub forced: usize,
    /// Every (side, item id) -> key pairing the state has ever held.
    pub known_keys: BTreeMap<(Side, String), CorrelationKey>,
}

pub const CATEGORY: &str = "Tracked to CRM";

impl World {
    pub fn new(config: Config) -> Self {
        let state = SyncState::new();
        World {
            crm: Store::new(Side::Crm, &config.category),
            exchange: Store::new(Side::Exchange, &config.category),
            persisted: state.to_compact_bytes(),
            state,
            config,
            now: 1_000_000,
            read_results: Vec::new(),
            last_feed: Vec::new(),
            exchange_reset: false,
            conflicts: Vec::new(),
            forced: 0,
            known_keys: BTreeMap::new(),
        }
    }

    pub fn store(&mut self, side: Side) -> &mut Store {
        match side {
            Side::Crm => &mut self.crm,
            Side::Exchange => &mut self.exchange,
        }
    }

    fn persist(&mut self) {
        self.persisted = self.state.to_compact_bytes();
        for l in self.state.links() {
            for side in Side::BOTH_SIDES {
                if let Some(id) = l.item(side) {
                    self.known_keys.insert((side, id.to_string()), l.key());
                }
            }
        }
    }

    fn cursor_of(&self, side: Side) -> usize {
        self.state
            .cursor(scope(side))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    /// Builds the round input from feeds, read results and faults.
    pub fn input(&mut self, faults: &Faults, force: bool) -> RoundInput {
        let mut input = RoundInput {
            force,
            ..RoundInput::default()
        };
        if faults.invalid_sync_state {
            self.state.reset_cursor(scope(Side::Exchange));
            self.exchange_reset = true;
        }
        for side in Side::BOTH_SIDES {
            let store = match side {
                Side::Crm => &self.crm,
                Side::Exchange => &self.exchange,
            };
            let mut obs;
            let coverage;
            if side == Side::Exchange && self.exchange_reset {
                obs = store.enumerate();
                if faults.partial_enumeration_first {
                    obs.truncate(obs.len() / 2);
                    coverage = Coverage::PartialEnumeration;
                } else {
                    coverage = Coverage::CompleteEnumeration;
                }
            } else {
                obs = store.feed(self.cursor_of(side));
                coverage = Coverage::Delta;
            }
            input.cursors.push(CursorAdvance {
                scope: scope(side).to_string(),
                value: store.log.len().to_string(),
            });
            let current: Vec<(Side, Observation)> =
                obs.iter().cloned().map(|o| (side, o)).collect();
            // A complete enumeration is sent on its own (replays apply to change feeds).
            if faults.replay_old && coverage == Coverage::Delta {
                obs.extend(
                    self.last_feed
                        .iter()
                        .filter(|(s, _)| *s == side)
                        .map(|(_, o)| o.clone()),
                );
            }
            if faults.duplicate {
                let d = obs.clone();
                obs.extend(d);
            }
            if faults.reverse {
                obs.reverse();
            }
            // Older direct-read results are not mixed into an enumeration (they could vouch for
            // an item deleted since); they are delivered with the next round.
            if coverage == Coverage::Delta {
                obs.extend(
                    self.read_results
                        .iter()
                        .filter(|(s, _)| *s == side)
                        .map(|(_, o)| o.clone()),
                );
                self.read_results.retain(|(s, _)| *s != side);
            }
            match side {
                Side::Crm => {
                    input.crm = obs;
                    input.crm_coverage = coverage;
                }
                Side::Exchange => {
                    input.exchange = obs;
                    input.exchange_coverage = coverage;
                }
            }
            self.last_feed.retain(|(s, _)| *s != side);
            self.last_feed.extend(current);
        }
        input
    }

    /// One full round: plan, persist, execute, record outcomes.
    pub fn round(&mut self, faults: &Faults) -> RoundReport {
        let mut report = RoundReport::default();
        let input = self.input(faults, false);
        let now = Timestamp(self.now);
        let plan = match self.state.plan(&input, &self.config, now) {
            Ok(p) => p,
            Err(
                e @ (Error::MassDelete { .. } | Error::MassCreate { .. } | Error::EmptySide { .. }),
            ) => {
                report.refused = Some(e);
                self.forced += 1;
                let mut forced = input.clone();
                forced.force = true;
                match self.state.plan(&forced, &self.config, now) {
                    Ok(p) => p,
                    Err(e) => panic!("forced plan failed: {e}"),
                }
            }
            Err(e) => panic!("plan failed: {e}"),
        };
        if faults.partial_enumeration_first && self.exchange_reset {
            // The next round completes the enumeration.
        } else {
            self.exchange_reset = false;
        }
        self.persist();
        report.conflicts = plan.conflicts.clone();
        self.conflicts.extend(plan.conflicts.iter().cloned());
        report.writes = plan.writes().count();
        report.reads = plan.operations.len() - report.writes;
        report.plan = plan.clone();
        let mut executed = 0usize;
        for op in &plan.operations {
            if let Some((n, field, value)) = &faults.concurrent_edit {
                let ids: Vec<String> = self.exchange.items.keys().cloned().collect();
                if !ids.is_empty() {
                    let id = ids[*n % ids.len()].clone();
                    self.exchange.user_edit(&id, *field, value.clone());
                }
            }
            if faults.crash_after == Some(executed) && !faults.mid_op {
                return self.crash(report);
            }
            let store = match op.side {
                Side::Crm => &mut self.crm,
                Side::Exchange => &mut self.exchange,
            };
            match store.execute(&op.action, op.kind) {
                None => {
                    if let Action::Read { item } = &op.action {
                        let o = store.observe(item, false);
                        self.read_results.push((op.side, o));
                    }
                }
                Some(outcome) => {
                    executed += 1;
                    if faults.crash_after == Some(executed - 1) && faults.mid_op {
                        return self.crash(report);
                    }
                    let _ = self.state.apply_outcome(op.id, outcome);
                    self.persist();
                }
            }
        }
        report
    }

    fn crash(&mut self, mut report: RoundReport) -> RoundReport {
        self.state =
            SyncState::from_compact_bytes(&self.persisted).expect("persisted state decodes");
        self.read_results.clear();
        report.crashed = true;
        report
    }

    /// Fault-free rounds until a round plans nothing; returns the number of rounds, or None.
    pub fn settle(&mut self, max_rounds: usize) -> Option<usize> {
        for n in 1..=max_rounds {
            let r = self.round(&Faults::default());
            if r.plan.operations.is_empty() && self.read_results.is_empty() {
                return Some(n);
            }
        }
        None
    }
}

pub fn scope(side: Side) -> &'static str {
    match side {
        Side::Crm => "crm:changes",
        Side::Exchange => "exchange:folder:inbox",
    }
}

pub trait BothSides {
    const BOTH_SIDES: [Side; 2];
}
impl BothSides for Side {
    const BOTH_SIDES: [Side; 2] = [Side::Crm, Side::Exchange];
}

/// Full field set for a kind with a value per field.
pub fn fields_for(kind: RecordKind, seed: &str) -> Fields {
    kind.fields()
        .iter()
        .map(|f| (*f, Value::text(&format!("{f:?}-{seed}"))))
        .collect()
}

/// The projection of an item: its mapped fields (canonical values).
pub fn projection(it: &Item) -> Fields {
    it.kind
        .fields()
        .iter()
        .filter_map(|f| it.fields.get(*f).map(|v| (*f, canonical(v))))
        .collect()
}

pub fn canonical(v: &Value) -> Value {
    match v {
        Value::Text(t) => Value::text(t),
        other => other.clone(),
    }
}
