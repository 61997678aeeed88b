//! Per-mailbox status for operators.

use serde::{Deserialize, Serialize};

use crate::model::{RecordKind, Timestamp};

/// How many items were created, updated and deleted per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KindCounts {
    /// Items created.
    pub created: u32,
    /// Items updated.
    pub updated: u32,
    /// Items deleted.
    pub deleted: u32,
}

/// The result of the last run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunResult {
    /// Planned and every outcome recorded without failure.
    Success,
    /// Some operations failed (see `errors`).
    PartialFailure,
    /// The plan was refused (e.g. the mass-delete guard).
    Refused(String),
}

/// One entry of the activity log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    /// When.
    pub at: Timestamp,
    /// Who (operator name, or `sync-core` for automatic entries).
    pub actor: String,
    /// What changed.
    pub what: String,
}

/// Operator-facing status of one mailbox; kept in the [`crate::SyncState`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxStatus {
    /// Whether sync runs for this mailbox.
    pub enabled: bool,
    /// Start of the last planning round.
    pub last_sync: Option<Timestamp>,
    /// Result of the last run.
    pub last_result: Option<RunResult>,
    /// Counts of the last run, per kind in [`RecordKind::ALL`] order.
    pub last_run: [KindCounts; 4],
    /// Recent errors (newest last, at most [`MailboxStatus::MAX_ENTRIES`]).
    pub errors: Vec<String>,
    /// Configuration changes and operator actions (newest last, bounded).
    pub activity: Vec<Activity>,
}

impl Default for MailboxStatus {
    fn default() -> Self {
        MailboxStatus {
            enabled: true,
            last_sync: None,
            last_result: None,
            last_run: [KindCounts::default(); 4],
            errors: Vec::new(),
            activity: Vec::new(),
        }
    }
}

impl MailboxStatus {
    /// Bound on the error and activity lists.
    pub const MAX_ENTRIES: usize = 100;

    /// Counts of the last run for a kind.
    #[must_use]
    pub fn counts(&self, kind: RecordKind) -> KindCounts {
        self.last_run[kind.index()]
    }

    /// Enables or disables sync, logging who did it.
    pub fn set_enabled(&mut self, enabled: bool, at: Timestamp, actor: &str) {
        if self.enabled != enabled {
            self.enabled = enabled;
            let what = if enabled {
                "sync enabled"
            } else {
                "sync disabled"
            };
            self.log(at, actor, what.to_string());
        }
    }

    /// Appends an activity entry (oldest entries drop beyond the bound).
    pub fn log(&mut self, at: Timestamp, actor: &str, what: String) {
        push_bounded(
            &mut self.activity,
            Activity {
                at,
                actor: actor.to_string(),
                what,
            },
        );
    }

    pub(crate) fn error(&mut self, message: String) {
        push_bounded(&mut self.errors, message);
    }

    pub(crate) fn count(&mut self, kind: RecordKind, counts: [u32; 3]) {
        let c = &mut self.last_run[kind.index()];
        c.created += counts[0];
        c.updated += counts[1];
        c.deleted += counts[2];
    }
}

fn push_bounded<T>(v: &mut Vec<T>, item: T) {
    if v.len() >= MailboxStatus::MAX_ENTRIES {
        v.remove(0);
    }
    v.push(item);
}
