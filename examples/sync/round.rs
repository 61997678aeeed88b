//! One mailbox's sync: rounds of feed → plan → execute → outcomes until nothing is left to do, with the
//! state saved after the plan and after every outcome.
//!
//! ```text
//!   load state ─▶ CRM feed + Exchange feed (+ last round's reads) ─▶ plan ─▶ save
//!        ▲                                                              │
//!        │      ┌───────────────────────────────────────────────────────┘
//!        │      ▼
//!        │   for each write: execute ─▶ apply_outcome ─▶ save
//!        │   then the reads (their results feed the next round)
//!        └── until a plan has no operations (at most MAX_ROUNDS rounds)
//! ```
//!
//! A crash anywhere leaves the last saved state, which is always safe to resume from: sync-core keeps
//! write-ahead records for creates (with their correlation key), abandons operations without outcomes
//! and re-reads their pairs, and commits cursors only once a round's outcomes are in. [`Checkpoints`]
//! lets a test stop the run at any step, as a crash would.

use std::sync::Mutex;

use sync_core::{
    Action, Config, ConflictRecord, Coverage, CursorAdvance, Field, KindCounts, Observation,
    Operation, Outcome, RecordKind, RoundInput, Side, SyncState, Timestamp, Value,
};

use super::crm::Crm;
use super::{ExchangeMailbox, FeedCalls, SyncError};

/// At most this many rounds per run (a run normally ends after two or three).
pub const MAX_ROUNDS: usize = 8;

/// The cursor scope of the CRM feed.
pub const CRM_SCOPE: &str = "crm:changes";

/// Where a mailbox's [`SyncState`] is kept between steps and runs. Replace [`SavedState`] with your
/// database; save must be durable before it returns.
pub trait StateStore {
    /// The last saved bytes, if any.
    fn load(&self) -> Option<Vec<u8>>;
    /// Saves the state.
    fn save(&mut self, bytes: Vec<u8>);
}

/// An in-memory [`StateStore`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedState {
    bytes: Option<Vec<u8>>,
    saves: usize,
}

impl SavedState {
    /// How many times the state was saved.
    pub fn saves(&self) -> usize {
        self.saves
    }

    /// The saved state, decoded (a new state when nothing was saved).
    pub fn state(&self) -> Result<SyncState, SyncError> {
        match &self.bytes {
            Some(b) => Ok(SyncState::from_compact_bytes(b)?),
            None => Ok(SyncState::new()),
        }
    }
}

impl StateStore for SavedState {
    fn load(&self) -> Option<Vec<u8>> {
        self.bytes.clone()
    }

    fn save(&mut self, bytes: Vec<u8>) {
        self.bytes = Some(bytes);
        self.saves += 1;
    }
}

/// A step of a run, offered to [`Checkpoints`] before the state is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkpoint {
    /// A plan was made (its write-ahead records are not saved yet).
    Planned {
        /// The round within the run.
        round: usize,
    },
    /// A write ran on a server (its outcome is not recorded yet).
    Executed {
        /// The side written.
        side: Side,
        /// The action (`Create`, `Update`, `Delete`, `Untrack`).
        action: &'static str,
    },
}

/// Observes the steps of a run and may stop it, as a crash would (tests).
pub trait Checkpoints {
    /// Called at each step; an error stops the run before the step's state is saved.
    fn reached(&mut self, point: &Checkpoint) -> Result<(), SyncError>;
}

/// Never stops a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCheckpoints;

impl Checkpoints for NoCheckpoints {
    fn reached(&mut self, _: &Checkpoint) -> Result<(), SyncError> {
        Ok(())
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoundReport {
    /// Planning rounds.
    pub rounds: usize,
    /// Successful writes per kind (in [`RecordKind::ALL`] order), CRM side.
    pub crm: [KindCounts; 4],
    /// Successful writes per kind, Exchange side.
    pub exchange: [KindCounts; 4],
    /// Conflicts decided, with the rule that decided them.
    pub conflicts: Vec<ConflictRecord>,
    /// Failed operations and reads (they are retried: sync-core re-reads the pair).
    pub errors: Vec<String>,
    /// One line per change made.
    pub activity: Vec<String>,
    /// Round trips of the Exchange feeds.
    pub calls: FeedCalls,
}

impl RoundReport {
    fn count(&mut self, op: &Operation, outcome: &Outcome) {
        let i = RecordKind::ALL
            .iter()
            .position(|k| *k == op.kind)
            .unwrap_or(0);
        let side = match op.side {
            Side::Crm => &mut self.crm,
            Side::Exchange => &mut self.exchange,
        };
        let Some(counts) = side.get_mut(i) else {
            return;
        };
        let verb = match outcome {
            Outcome::Created { .. } => {
                counts.created += 1;
                "created"
            }
            Outcome::Updated { .. } => {
                counts.updated += 1;
                "updated"
            }
            Outcome::Deleted => {
                counts.deleted += 1;
                "deleted"
            }
            Outcome::Untracked => "untracked",
            Outcome::Failed(f) => {
                self.errors.push(format!(
                    "{} {:?} on {:?}: {f:?}",
                    action_name(&op.action),
                    op.kind,
                    op.side
                ));
                return;
            }
        };
        let where_ = match op.side {
            Side::Crm => "in the CRM",
            Side::Exchange => "in Exchange",
        };
        self.activity.push(format!(
            "{verb} {} {}{where_}",
            kind_name(op.kind),
            describe(&op.action)
        ));
    }
}

/// The lower-case name of a kind.
pub fn kind_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Email => "email",
        RecordKind::Contact => "contact",
        RecordKind::Task => "task",
        RecordKind::Meeting => "meeting",
    }
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::Create { .. } => "Create",
        Action::Update { .. } => "Update",
        Action::Delete { .. } => "Delete",
        Action::Untrack { .. } => "Untrack",
        Action::Read { .. } => "Read",
    }
}

fn describe(action: &Action) -> String {
    let text = |fields: &sync_core::Fields, f| match fields.get(f) {
        Some(Value::Text(t)) => Some(t.to_string()),
        _ => None,
    };
    match action {
        Action::Create { fields, .. } => {
            let label = text(fields, Field::Subject).unwrap_or_else(|| {
                format!(
                    "{} {}",
                    text(fields, Field::GivenName).unwrap_or_default(),
                    text(fields, Field::Surname).unwrap_or_default()
                )
                .trim()
                .to_owned()
            });
            format!("\"{label}\" ")
        }
        Action::Update {
            fields, stamp_key, ..
        } => {
            let names: Vec<String> = fields.iter().map(|(f, _)| format!("{f:?}")).collect();
            match (names.is_empty(), stamp_key.is_some()) {
                (true, true) => "(correlation key stamped) ".to_owned(),
                (true, false) => String::new(),
                (false, _) => format!("({}) ", names.join(", ")),
            }
        }
        _ => String::new(),
    }
}

/// Syncs `exchange` with `owner`'s records in `crm`: rounds until a plan has nothing left to do. The
/// state comes from `store` and is saved there after the plan and after every outcome; `now` is the
/// planning instant (from the caller's clock).
///
/// # Errors
/// A feed that cannot be read, a refused plan (the mass-delete guard, a disabled mailbox) or a stop at
/// a checkpoint. The saved state is consistent in every case; the next run resumes from it.
pub async fn sync_mailbox<E, S, K>(
    crm: &Mutex<Crm>,
    exchange: &E,
    store: &mut S,
    config: &Config,
    now: Timestamp,
    checkpoints: &mut K,
) -> Result<RoundReport, SyncError>
where
    E: ExchangeMailbox,
    S: StateStore,
    K: Checkpoints,
{
    let owner = exchange.address().to_owned();
    let mut state = match store.load() {
        Some(bytes) => SyncState::from_compact_bytes(&bytes)?,
        None => SyncState::new(),
    };
    let mut report = RoundReport::default();
    let mut carried_crm: Vec<Observation> = Vec::new();
    let mut carried_exchange: Vec<Observation> = Vec::new();
    for round in 0..MAX_ROUNDS {
        report.rounds = round + 1;
        let (crm_changes, crm_cursor) = lock(crm).changes_since(&owner, state.cursor(CRM_SCOPE));
        let feed = exchange.fetch(&state).await?;
        report.calls.pages += feed.calls.pages;
        report.calls.reads += feed.calls.reads;
        let mut exchange_obs = feed.observations;
        if feed.coverage != Coverage::CompleteEnumeration {
            // Reads made before a complete enumeration wait for the next round (sync-core's rule).
            exchange_obs.append(&mut carried_exchange);
        }
        let mut crm_obs = crm_changes;
        crm_obs.append(&mut carried_crm);
        let mut cursors = feed.cursors;
        cursors.push(CursorAdvance {
            scope: CRM_SCOPE.to_owned(),
            value: crm_cursor,
        });
        let input = RoundInput {
            crm: crm_obs,
            exchange: exchange_obs,
            crm_coverage: Coverage::Delta,
            exchange_coverage: feed.coverage,
            cursors,
            force: false,
        };
        let plan = match state.plan(&input, config, now) {
            Ok(plan) => plan,
            Err(e) => {
                // A refusal is recorded in the state's status: keep that.
                store.save(state.to_compact_bytes());
                return Err(e.into());
            }
        };
        checkpoints.reached(&Checkpoint::Planned { round })?;
        store.save(state.to_compact_bytes());
        report.conflicts.extend(plan.conflicts.iter().cloned());
        let mut wrote = false;
        for op in plan.writes() {
            wrote = true;
            let outcome = match op.side {
                Side::Crm => lock(crm).execute(&owner, op),
                Side::Exchange => exchange.execute(op).await,
            };
            checkpoints.reached(&Checkpoint::Executed {
                side: op.side,
                action: action_name(&op.action),
            })?;
            report.count(op, &outcome);
            if let Err(e) = state.apply_outcome(op.id, outcome) {
                report.errors.push(format!("recording an outcome: {e}"));
            }
            store.save(state.to_compact_bytes());
        }
        let mut read = false;
        for op in &plan.operations {
            let Action::Read { item } = &op.action else {
                continue;
            };
            read = true;
            match op.side {
                Side::Crm => carried_crm.push(lock(crm).read(item)),
                Side::Exchange => match exchange.read(op.kind, item).await {
                    Ok(o) => carried_exchange.push(o),
                    // The pair stays flagged for a read: the next run asks again.
                    Err(e) => report.errors.push(format!("reading {item}: {e}")),
                },
            }
        }
        if !wrote && !read {
            break;
        }
    }
    Ok(report)
}

fn lock(crm: &Mutex<Crm>) -> std::sync::MutexGuard<'_, Crm> {
    crm.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
