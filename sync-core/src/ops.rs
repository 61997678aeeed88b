//! Plans (operations for the clients) and outcomes (what the clients report back).

use serde::{Deserialize, Serialize};

use crate::model::{CorrelationKey, Field, Fields, Occurrence, RecordKind, Side, Timestamp, Value};

/// Identifies an operation within a state's lifetime; outcomes refer to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpId(pub u64);

/// Identifies a linked pair (stable for the state's lifetime).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LinkId(pub u32);

/// One thing for a client to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// Report the outcome under this id (not needed for [`Action::Read`]).
    pub id: OpId,
    /// The pair concerned (`None` for a read of an item not yet paired).
    pub link: Option<LinkId>,
    /// The side to act on.
    pub side: Side,
    /// The record kind.
    pub kind: RecordKind,
    /// What to do.
    pub action: Action,
}

/// The action of an [`Operation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Action {
    /// Create an item carrying `key` (Exchange: named extended property, plus the tracking
    /// category and Graph `transactionId`; CRM: idempotency key).
    ///
    /// When `recovery` is set an earlier attempt may have succeeded: first look for an item
    /// carrying `key` and report it as [`Outcome::Created`] instead of creating another.
    Create {
        /// The correlation key to stamp.
        key: CorrelationKey,
        /// Every mapped field.
        fields: Fields,
        /// Occurrence of a series this item belongs to, if any.
        occurrence: Option<Occurrence>,
        /// An earlier attempt's result is unknown.
        recovery: bool,
    },
    /// Write fields with an optimistic check: EWS `UpdateItem ConflictResolution="NeverOverwrite"`
    /// with `token` as the ChangeKey, Graph `If-Match: token`, CRM row version. A stale token must
    /// fail ([`Failure::Conflict`]), never overwrite.
    Update {
        /// Item id.
        item: String,
        /// Version token the plan was built from.
        token: String,
        /// Fields to write (only these).
        fields: Fields,
        /// Stamp this correlation key on the item as well.
        stamp_key: Option<CorrelationKey>,
    },
    /// Delete the item (only ever produced by a delete rule that propagates).
    Delete {
        /// Item id.
        item: String,
        /// Version token the plan was built from.
        token: String,
        /// Meetings: delete with cancellation (EWS `SendToAllAndSaveCopy`, Graph `cancel`).
        send_cancellation: bool,
        /// Occurrence being deleted (never the series), if any.
        occurrence: Option<Occurrence>,
    },
    /// Stop tracking the item without deleting it (Exchange: remove the tracking category).
    Untrack {
        /// Item id.
        item: String,
        /// Version token the plan was built from.
        token: String,
    },
    /// Read the item directly and pass the result as an observation in the next round
    /// (`Upsert`, `Deleted` when not found, or `LeftScope`). Reads change no state, so they need
    /// no outcome.
    Read {
        /// Item id.
        item: String,
    },
}

impl Action {
    /// True for actions that change a server.
    #[must_use]
    pub fn is_write(&self) -> bool {
        !matches!(self, Action::Read { .. })
    }
}

/// The result of an executed operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// The item was created (or, in recovery, found by its key).
    Created {
        /// The server-assigned id.
        id: String,
        /// The new version token.
        token: String,
        /// Server last-modified time.
        modified_at: Timestamp,
    },
    /// The fields were written.
    Updated {
        /// The new version token.
        token: String,
        /// Server last-modified time.
        modified_at: Timestamp,
    },
    /// The item was deleted (or was already gone).
    Deleted,
    /// The tracking mark was removed.
    Untracked,
    /// The operation failed.
    Failed(Failure),
}

/// Why an operation failed. The planner re-reads the pair in every case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Failure {
    /// The optimistic check failed (HTTP 412, `ErrorIrresolvableConflict`, `ErrorStaleObject`).
    Conflict,
    /// The item was not found (deleted, or no access).
    NotFound,
    /// Throttling, 5xx, timeouts: not counted towards quarantine; the op may or may not have run.
    Transient(String),
    /// Validation or schema errors: counted; quarantine after `Config::quarantine_after`.
    Permanent(String),
}

/// Which rule decided a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecidedBy {
    /// [`crate::ConflictRule::CrmWins`].
    CrmWins,
    /// [`crate::ConflictRule::ExchangeWins`].
    ExchangeWins,
    /// [`crate::ConflictRule::NewestWins`].
    NewestWins,
    /// [`crate::ConflictRule::FieldMerge`].
    FieldMerge,
    /// The CRM record is locked (Completed/Canceled): inbound changes are rejected.
    Locked,
    /// A one-way field was edited on its target and restored from its source.
    Direction,
    /// First match of two items with the same correlation key but no merge base.
    InitialMatch,
    /// A delete met a concurrent edit ([`crate::DeleteVsEdit`]).
    DeleteVsEdit,
}

/// An audit record for one resolved conflict: both values are kept, the loser is never dropped
/// silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictRecord {
    /// The pair.
    pub link: LinkId,
    /// The field (`None` for a delete-vs-edit conflict on the whole record).
    pub field: Option<Field>,
    /// Stable hash of the merge-base value (the base keeps hashes, not values); 0 when none.
    pub base_hash: u64,
    /// The CRM value (`None`: deleted or not observed).
    pub crm_value: Option<Value>,
    /// The Exchange value (`None`: deleted or not observed).
    pub exchange_value: Option<Value>,
    /// The side whose value was kept.
    pub winner: Side,
    /// The rule that decided.
    pub decided_by: DecidedBy,
    /// The planning instant.
    pub at: Timestamp,
}

/// The result of one planning round.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Operations to execute, in a deterministic order. Writes may run in any order or in
    /// parallel; report each outcome with [`crate::SyncState::apply_outcome`].
    pub operations: Vec<Operation>,
    /// Conflicts resolved in this round.
    pub conflicts: Vec<ConflictRecord>,
}

impl Plan {
    /// Operations that change a server (everything but reads).
    pub fn writes(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter().filter(|o| o.action.is_write())
    }
}
