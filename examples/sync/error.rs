//! The one error type of the sync glue.

/// What can stop a sync round. Per-item failures are not errors: they become
/// [`sync_core::Outcome::Failed`] and the planner re-reads and re-plans the pair.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// An EWS call failed as a whole (the server's code and message are kept).
    #[error("EWS: {0}")]
    Ews(#[from] ews_client::Error),
    /// A Graph call failed as a whole.
    #[error("Graph: {0}")]
    Graph(#[from] graph_client::Error),
    /// The planner refused the round (mass-delete guard, sync disabled) or the state is unusable.
    #[error("sync-core: {0}")]
    Plan(#[from] sync_core::Error),
    /// The server answered in a way the adapter cannot use (a created item without an id...).
    #[error("unexpected answer from {what}: {detail}")]
    Unexpected {
        /// The call.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The run was stopped at a checkpoint (see [`super::Checkpoints`]); the saved state is intact.
    #[error("interrupted at {0}")]
    Interrupted(String),
}

impl SyncError {
    /// Whether trying again later may succeed (throttling, server busy, network).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Ews(e) => {
                e.is_throttled()
                    || matches!(
                        e,
                        ews_client::Error::Transport(_)
                            | ews_client::Error::RetriesExhausted { .. }
                    )
            }
            SyncError::Graph(e) => matches!(
                e,
                graph_client::Error::Transport(_) | graph_client::Error::Api(_)
            ),
            SyncError::Interrupted(_) => true,
            SyncError::Plan(_) | SyncError::Unexpected { .. } => false,
        }
    }
}
