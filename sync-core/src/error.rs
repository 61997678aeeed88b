//! The crate's error type.

use thiserror::Error;

/// Errors of the sync core.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The plan would delete or unlink too much (§10); nothing was changed. Re-run with
    /// `RoundInput::force` once an operator confirms.
    #[error(
        "mass-delete guard: the plan would delete or unlink {planned} of {linked} linked pairs; refused (set force to proceed)"
    )]
    MassDelete {
        /// Deletes plus unlinks planned.
        planned: u32,
        /// Linked pairs before the plan.
        linked: u32,
    },
    /// The plan would create more new counterparts than the guard allows while pairs exist (a
    /// query that wrongly returned nothing, then everything, re-creates it all); nothing was
    /// changed. Re-run with `RoundInput::force` once an operator confirms.
    #[error(
        "mass-create guard: the plan would create {planned} new items while {linked} pairs are linked; refused (set force to proceed)"
    )]
    MassCreate {
        /// New items planned.
        planned: u32,
        /// Linked pairs.
        linked: u32,
    },
    /// A complete enumeration found a side empty while pairs are linked; nothing was changed.
    #[error(
        "mass-delete guard: the {side:?} side reported no items while {linked} pairs are linked; refused (set force to proceed)"
    )]
    EmptySide {
        /// The empty side.
        side: crate::Side,
        /// Linked pairs.
        linked: u32,
    },
    /// Sync is disabled for this mailbox.
    #[error("sync is disabled for this mailbox")]
    Disabled,
    /// An outcome was reported for an operation that is not in flight (already reported, or
    /// abandoned because a new round was planned first).
    #[error("no operation {0} is in flight")]
    UnknownOperation(u64),
    /// An outcome does not fit its operation (e.g. `Created` for an update).
    #[error("outcome {outcome} does not fit operation {op}")]
    OutcomeMismatch {
        /// The operation id.
        op: u64,
        /// The outcome's name.
        outcome: &'static str,
    },
    /// A created item's id already belongs to another pair (it is left unlinked).
    #[error("created item id {0} already belongs to another pair")]
    DuplicateId(String),
    /// Persisted bytes could not be decoded.
    #[error("cannot decode sync state: {0}")]
    Decode(String),
    /// Persisted state of another format version.
    #[error("sync state version {found} is not supported (this build reads {supported})")]
    UnsupportedVersion {
        /// Version found.
        found: u32,
        /// Version supported.
        supported: u32,
    },
    /// Persisted state is inconsistent.
    #[error("corrupt sync state: {0}")]
    Corrupt(String),
}
