//! Two-way sync between a CRM and Exchange mailboxes, end to end: the glue between `sync-core` (the
//! pure planner) and the EWS and Graph clients, an in-memory CRM, and a polling runner. Lift these
//! modules into your service and replace [`crm::Crm`] with your CRM's API.
//!
//! ```text
//!   Crm::changes_since ─┐                    ┌─▶ Crm::execute            (CRM side operations)
//!                       ├─▶ SyncState::plan ─┤
//!   ExchangeMailbox::   │     (round.rs)     └─▶ ExchangeMailbox::execute (CreateItem/UpdateItem/
//!     fetch  ───────────┘          ▲                DeleteItem, or Graph POST/PATCH/DELETE + If-Match)
//!   (SyncFolderItems + GetItem,    └──── SyncState::apply_outcome, saved after every outcome
//!    or Graph delta + $batch GET)
//! ```
//!
//! * [`values`]: the canonical field values both sides agree on.
//! * [`ews_mapping`] / [`ews_adapter`]: EWS items ↔ sync-core, and the [`ExchangeMailbox`] over
//!   `ews-client` (impersonation, `NeverOverwrite` with the ChangeKey, the key as a named extended
//!   property, recovery of creates by a restriction on it).
//! * [`graph_mapping`] / [`graph_adapter`]: the same over Microsoft Graph (delta, `If-Match` with the
//!   etag, `singleValueExtendedProperties`, `transactionId` on events).
//! * [`crm`]: the in-memory CRM. [`round`]: one mailbox's sync (plan → execute → outcomes, with the
//!   state saved at every step). [`runner`]: polling many mailboxes with a clock you supply.
//!
//! # What is synced, and what is not
//! Contacts (Contacts folder), tasks (Tasks folder / the default To Do list), meetings (Calendar; a
//! calendar view window on Graph) and emails (Inbox; tracked emails flow from Exchange into the CRM,
//! their fields are one-way). Recurring series are synced as single items (their pattern is not
//! mapped), attachments are not synced, and meeting updates are written without notifying attendees
//! (`SendToNone`); creating a meeting with attendees invites them.
#![allow(clippy::module_inception)]

pub mod crm;
mod error;
pub mod ews_adapter;
pub mod ews_mapping;
pub mod graph_adapter;
pub mod graph_mapping;
pub mod report;
pub mod round;
pub mod runner;
pub mod values;

use std::future::Future;

pub use error::SyncError;
pub use round::{
    Checkpoint, Checkpoints, NoCheckpoints, RoundReport, SavedState, StateStore, sync_mailbox,
};
pub use runner::{Either, MailboxSettings, MailboxStatus, Runner};

use sync_core::{
    Config, Coverage, CursorAdvance, Direction, Field, Observation, Operation, Outcome, RecordKind,
    SyncState,
};

/// The tracking category the examples use.
pub const TRACKING_CATEGORY: &str = "Tracked to CRM";

/// The planner configuration the examples use for a mailbox: the documented defaults, emails' fields
/// flowing one way (Exchange to CRM, as tracked emails are immutable copies), and meetings' series
/// patterns not synced.
pub fn default_config(mailbox: &str) -> Config {
    let mut config = Config::new(TRACKING_CATEGORY, mailbox);
    let email = config.policy_mut(RecordKind::Email);
    email.directions = RecordKind::Email
        .fields()
        .iter()
        .map(|f| (*f, Direction::ExchangeToCrm))
        .collect();
    config.policy_mut(RecordKind::Meeting).directions = vec![(Field::Recurrence, Direction::None)];
    config
}

/// What an Exchange side reported for one round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    /// Changes and read results, as sync-core observations.
    pub observations: Vec<Observation>,
    /// The cursors the feed reached (committed by sync-core once the round's outcomes are in).
    pub cursors: Vec<CursorAdvance>,
    /// `CompleteEnumeration` after a cursor was refused and every scope was read again.
    pub coverage: Coverage,
    /// Round trips the feed took.
    pub calls: FeedCalls,
}

impl Feed {
    /// A feed read from the cursors, or with `from_start` a complete enumeration of every scope.
    pub fn read(
        observations: Vec<Observation>,
        cursors: Vec<CursorAdvance>,
        from_start: bool,
        calls: FeedCalls,
    ) -> Self {
        Feed {
            observations,
            cursors,
            coverage: if from_start {
                Coverage::CompleteEnumeration
            } else {
                Coverage::Delta
            },
            calls,
        }
    }
}

/// Round trips of one feed read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedCalls {
    /// Change-feed pages (SyncFolderItems calls, or Graph delta pages).
    pub pages: usize,
    /// Item reads (GetItem calls, or Graph `$batch` calls).
    pub reads: usize,
}

/// One mailbox on an Exchange endpoint, as the sync sees it: a change feed, direct reads, and the
/// execution of planned operations. [`ews_adapter::EwsMailbox`] and
/// [`graph_adapter::GraphMailbox`] implement it.
pub trait ExchangeMailbox: Send + Sync {
    /// The mailbox's SMTP address.
    fn address(&self) -> &str;

    /// The endpoint the mailbox is reached through (for per-endpoint limits).
    fn endpoint(&self) -> &str;

    /// Reads every tracked scope's changes since the cursors committed in `state`.
    fn fetch(&self, state: &SyncState) -> impl Future<Output = Result<Feed, SyncError>> + Send;

    /// Reads one item directly (`Deleted` when it does not exist).
    fn read(
        &self,
        kind: RecordKind,
        id: &str,
    ) -> impl Future<Output = Result<Observation, SyncError>> + Send;

    /// Executes one planned write. A failure is an outcome, never lost: sync-core re-reads the pair.
    fn execute(&self, op: &Operation) -> impl Future<Output = Outcome> + Send;
}

/// A feed that can be read from the stored cursors or, after Exchange refused one, from the start of
/// every scope (both adapters).
pub(crate) trait Restartable {
    /// Reads every scope's changes (from the start when `restart`); `Ok(None)` when a cursor was
    /// refused.
    fn fetch_from(
        &self,
        state: &SyncState,
        restart: bool,
        calls: &mut FeedCalls,
    ) -> impl Future<Output = Result<Option<Feed>, SyncError>> + Send;
}

/// Reads the feed from the stored cursors; when one is refused, reads every scope again from the
/// start, as one complete enumeration.
pub(crate) async fn fetch_with_restart<R: Restartable + Sync>(
    source: &R,
    state: &SyncState,
    what: &'static str,
) -> Result<Feed, SyncError> {
    let mut calls = FeedCalls::default();
    if let Some(feed) = source.fetch_from(state, false, &mut calls).await? {
        return Ok(feed);
    }
    match source.fetch_from(state, true, &mut calls).await? {
        Some(feed) => Ok(feed),
        None => Err(SyncError::Unexpected {
            what,
            detail: "a read from the start was refused".into(),
        }),
    }
}
