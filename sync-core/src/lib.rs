//! Pure two-way reconciliation between a CRM and Exchange mailboxes.
//!
//! `sync-core` decides, for every CRM record and every mailbox item (emails, contacts, tasks,
//! meetings), what to create, update, delete, link or unlink so both sides stay in step, and it
//! never loses, duplicates or resurrects data. It does no IO and reads no clock: observations,
//! configuration and `now` come in, operations and the next state go out. Same inputs, same
//! outputs. It knows neither XML nor JSON; the EWS and Graph clients map their change feeds
//! (`SyncFolderItems`, delta) into [`Observation`]s and execute [`Operation`]s.
//!
//! ```text
//!   CRM feed ─┐                                   ┌─> Operation (Create/Update/Delete/Untrack/Read)
//!             ├─> RoundInput ─> SyncState::plan ──┤         │ executed by the clients
//! Exchange ───┘        (config, now)              └─> Plan  ▼
//!   feed                                            SyncState::apply_outcome(op, Outcome)
//!                                                   (cursors commit when every outcome is in)
//! ```
//!
//! # The round
//! 1. **Inputs.** Fetch the CRM and Exchange changes from the committed cursors
//!    ([`SyncState::cursor`]) plus the results of last round's [`Action::Read`]s, and put them
//!    in a [`RoundInput`] with the cursors the pages reached.
//! 2. **Plan.** [`SyncState::plan`] reconciles every observed pair against its merge base and
//!    returns a [`Plan`]; the state it leaves is the next state (write-ahead records for creates,
//!    adopted tokens, unlinks). Persist it, e.g. with [`SyncState::to_compact_bytes`].
//! 3. **Execute.** Run the operations. Writes carry the version token they were planned from
//!    (EWS `NeverOverwrite` + ChangeKey, Graph `If-Match`): a stale write fails, never
//!    overwrites.
//! 4. **Outcomes.** Report each result with [`SyncState::apply_outcome`] and persist. When all
//!    are in, the round's cursors commit. A crash anywhere is safe: the next `plan` abandons
//!    unreported operations, re-reads their pairs and replays the uncommitted pages; creates
//!    carry a [`CorrelationKey`] so a retried create finds the first one.
//!
//! # The rules, in short
//! - **Scope** is the tracking category ([`Config::category`], case-insensitive) on Exchange and
//!   the sync filter on the CRM. Leaving the scope unlinks, never deletes; coming back re-links
//!   the same pair.
//! - **Change detection**: a side changed a field only if its token changed *and* the field's
//!   canonical value differs from the merge base (stable 64-bit hashes per field), so
//!   ChangeKey-only bumps and echoes of our own writes are no-ops.
//! - **Conflicts** (a field changed on both sides to different values) follow the kind's
//!   [`ConflictRule`]; one-sided changes always merge. Every decision is a [`ConflictRecord`].
//! - **Deletes** follow a per-kind [`DeleteRule`]; emails never propagate; meetings only as
//!   cancellations of future meetings the user organises; delete-vs-edit follows
//!   [`DeleteVsEdit`] (edit wins by default). Accepted deletes leave tombstones that stop
//!   resurrection.
//! - **Safety valves**: the mass-delete guard ([`MassDeleteGuard`]), quarantine of pairs that
//!   keep failing, direct reads before acting on feed removals, never deleting on absence from
//!   an enumeration.
//!
//! # Shape of the API
//! The reference signature `plan(state, crm_changes, exchange_changes, config, now) ->
//! (operations, next_state)` is [`SyncState::plan`]: `self` is the state and becomes the next
//! state in place (no copy of a million-pair state per round), the changes come in a
//! [`RoundInput`], and the operations come out in a [`Plan`]. On a refusal (the guards) the state
//! is left exactly as it was.
//!
//! # What the state costs
//! Per pair: the two item ids and version tokens, a 16-byte correlation key, one 64-bit hash per
//! mapped field (the merge base keeps hashes, not values), two server times and a few flags.
//! [`SyncState::to_compact_bytes`] (postcard: varints, raw hash bytes) measured 149 bytes per
//! linked email with 13- and 16-character ids and 8- to 12-character tokens, and about 330 bytes
//! in memory with the indexes ([`SyncState::approx_memory_bytes`]). Ids and tokens count at
//! their own length, so real EWS ItemIds (~150 characters) cost accordingly. The indexes by id
//! and key are rebuilt on load.
//!
//! # Limits
//! - The merge base stores hashes, so a conflict record carries the base's hash, not its value
//!   (both sides' values are always kept).
//! - An Exchange item whose id changes on a move is followed only once it carries the
//!   correlation key (stamped right after linking); before that, the move looks like a delete
//!   plus a create. With several items carrying one key (a copy and a moved original), which one
//!   the pair follows is the first seen.
//! - A [`Coverage::CompleteEnumeration`] round must contain only that enumeration: no replayed
//!   feed pages or direct-read results obtained before it.
//! - Not implemented: heuristic initial matching (contacts by email), owner-based contact delete
//!   rules, "mark Canceled" instead of deleting a CRM meeting, `empty_never_overwrites`.
//!
//! # Example
//! ```
//! use sync_core::*;
//!
//! let config = Config::new("Tracked to CRM", "mailbox-42");
//! let mut state = SyncState::new();
//!
//! // A tracked email appears in the Exchange feed.
//! let fields = Fields::new()
//!     .with(Field::Subject, Value::text("Quote for Contoso"))
//!     .with(Field::Body, Value::text("Hello"))
//!     .with(Field::From, Value::text("ann@contoso.com"))
//!     .with(Field::To, Value::set(["bob@fabrikam.com"]))
//!     .with(Field::Cc, Value::set::<[&str; 0], &str>([]))
//!     .with(Field::SentAt, Value::instant(Timestamp(1_700_000_000_000), "UTC"));
//! let email = Snapshot::new(RecordKind::Email, "CQAAABYA", Timestamp(1_700_000_000_500), fields)
//!     .with_categories(["tracked to crm"]);
//! let input = RoundInput {
//!     exchange: vec![Observation { id: "AAMkAD1".into(), change: Change::Upsert(email) }],
//!     cursors: vec![CursorAdvance { scope: "exchange:inbox".into(), value: "sync-state-1".into() }],
//!     ..RoundInput::default()
//! };
//! let plan = state.plan(&input, &config, Timestamp(1_700_000_001_000))?;
//!
//! // Create the CRM activity (carrying the correlation key) and stamp the key on the email.
//! assert_eq!(plan.operations.len(), 2);
//! assert!(matches!(plan.operations[0].action, Action::Create { .. }));
//! assert_eq!(state.cursor("exchange:inbox"), None, "not before the outcomes are in");
//!
//! state.apply_outcome(plan.operations[0].id, Outcome::Created {
//!     id: "activity-7".into(), token: "rv1".into(), modified_at: Timestamp(1_700_000_001_100),
//! })?;
//! state.apply_outcome(plan.operations[1].id, Outcome::Updated {
//!     token: "CQAAABYB".into(), modified_at: Timestamp(1_700_000_001_200),
//! })?;
//! assert_eq!(state.cursor("exchange:inbox"), Some("sync-state-1"));
//! assert_eq!(state.link_by_item(Side::Crm, "activity-7").map(|l| l.state()), Some(LinkState::Linked));
//!
//! // Persist compactly; load it back.
//! let bytes = state.to_compact_bytes();
//! assert_eq!(SyncState::from_compact_bytes(&bytes)?, state);
//! # Ok::<(), sync_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod config;
mod decide;
mod delete;
mod discover;
mod error;
mod hash;
mod merge;
mod model;
mod observe;
mod ops;
mod outcome;
mod plan;
mod state;
mod status;

pub use config::{
    Config, ConflictRule, DeleteRule, DeleteVsEdit, Direction, KindPolicy, MassDeleteGuard,
};
pub use error::Error;
pub use model::{
    CorrelationKey, Field, Fields, ItemFacts, Occurrence, RecordKind, Side, Timestamp, Value,
};
pub use observe::{Change, Coverage, CursorAdvance, Observation, RoundInput, ScopeExit, Snapshot};
pub use ops::{Action, ConflictRecord, DecidedBy, Failure, LinkId, OpId, Operation, Outcome, Plan};
pub use state::{LinkState, LinkView, STATE_VERSION, SyncState};
pub use status::{Activity, KindCounts, MailboxStatus, RunResult};
