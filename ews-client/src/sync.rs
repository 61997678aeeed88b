//! [`FolderSync`]: SyncFolderItems in a loop until `IncludesLastItemInRange`.
//!
//! Each page hands back the state to store after it, so a caller that stores page by page resumes where
//! it stopped. The sync fields of a failed message are never used (an Error message may carry an empty
//! `SyncState` and `IncludesLastItemInRange=true`): a failed page is an error and the state stays put.

use ews_types::operations::{ItemChange, SyncFolderItems};

use crate::clock::Clock;
use crate::error::Result;
use crate::mailbox_client::{MailboxClient, missing_in_response, single_message};
use crate::transport::Transport;

/// One page of changes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SyncPage {
    /// The changes, as the server ordered them.
    pub changes: Vec<ItemChange>,
    /// The state to store once the changes are applied (store it whole; it is opaque).
    pub sync_state: String,
    /// Whether this was the last page of the sync.
    pub last: bool,
}

/// A whole sync run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SyncOutcome {
    /// Every change of every page, in order.
    pub changes: Vec<ItemChange>,
    /// The state to store once the changes are applied.
    pub sync_state: String,
    /// How many calls the sync took.
    pub pages: usize,
}

/// A SyncFolderItems loop over one folder: call [`next_page`](Self::next_page) until `None`, or
/// [`run_to_end`](Self::run_to_end).
#[derive(Debug)]
pub struct FolderSync<'a, T: Transport, C> {
    client: MailboxClient<'a, T, C>,
    request: SyncFolderItems,
    done: bool,
}

impl<'a, T: Transport, C: Clock> FolderSync<'a, T, C> {
    pub(crate) fn new(client: MailboxClient<'a, T, C>, request: SyncFolderItems) -> Self {
        Self {
            client,
            request,
            done: false,
        }
    }

    /// Asks for at most `max` changes per call (1 to 512; the default is 512).
    pub fn max_changes_per_call(mut self, max: i32) -> Self {
        self.request.max_changes_returned =
            max.clamp(1, ews_types::operations::MAX_CHANGES_PER_SYNC);
        self
    }

    /// The state the next call starts from.
    pub fn sync_state(&self) -> Option<&str> {
        self.request.sync_state.as_deref()
    }

    /// Fetches the next page of changes, or `None` after the last one. After an error, calling again
    /// retries from the same state.
    pub async fn next_page(&mut self) -> Result<Option<SyncPage>> {
        if self.done {
            return Ok(None);
        }
        let response = self.client.execute(&self.request).await?;
        let body = single_message(response.messages, "SyncFolderItems")?;
        let Some(sync_state) = body.sync_state.filter(|s| !s.is_empty()) else {
            return Err(missing_in_response(
                "SyncState",
                "SyncFolderItemsResponseMessage",
            ));
        };
        let changes = body.changes.unwrap_or_default();
        let mut last = body.includes_last_item_in_range.unwrap_or(true);
        if !last && changes.is_empty() {
            tracing::warn!("a sync page without changes claims more are coming; stopping here");
            last = true;
        }
        self.request.sync_state = Some(sync_state.clone());
        self.done = last;
        Ok(Some(SyncPage {
            changes,
            sync_state,
            last,
        }))
    }

    /// Runs the loop to the last page and returns all changes and the final state. On an error the
    /// changes fetched so far are dropped and the caller's stored state stays valid.
    pub async fn run_to_end(mut self) -> Result<SyncOutcome> {
        let mut changes = Vec::new();
        let mut pages = 0;
        let mut sync_state = self.request.sync_state.clone().unwrap_or_default();
        while let Some(page) = self.next_page().await? {
            pages += 1;
            changes.extend(page.changes);
            sync_state = page.sync_state;
        }
        Ok(SyncOutcome {
            changes,
            sync_state,
            pages,
        })
    }
}
