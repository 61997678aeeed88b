//! SyncFolderItems: a folder's item changes since a state, at most 512 per page.
//!
//! The state is a position in the folder's change log (signed, so a garbled one is refused with
//! `ErrorInvalidSyncStateData`); a page is one range scan from it, so its cost does not grow with the
//! folder. Changes come oldest first; an item changed several times since the state appears once.

use std::collections::HashSet;

use ews_types::items::Item;
use ews_types::operations::{
    ItemChange, MAX_CHANGES_PER_SYNC, SyncFolderItems, SyncFolderItemsMessage,
    SyncFolderItemsResponse,
};
use ews_types::response::ResponseCode;
use ews_types::types::{ItemId, ItemRef};

use super::{Ews, Refusal, shape, single};
use crate::faults::Fault;
use crate::ids::{self, FolderAddress, ItemSyncState};
use crate::store::{Change, StoreError};

const INVALID_STATE: &str = "Synchronization state data is corrupt or otherwise invalid.";

pub(crate) fn run(ews: &mut Ews<'_>, op: &SyncFolderItems) -> SyncFolderItemsResponse {
    single(page(ews, op))
}

fn page(ews: &mut Ews<'_>, op: &SyncFolderItems) -> Result<SyncFolderItemsMessage, Refusal> {
    if ews.fault == Some(Fault::InvalidSyncState) {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidSyncStateData,
            INVALID_STATE,
        ));
    }
    if !(1..=MAX_CHANGES_PER_SYNC).contains(&op.max_changes_returned) {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidRequest,
            "MaxChangesReturned must be between 1 and 512.",
        ));
    }
    let folder_ref = op.sync_folder_id.as_ref().ok_or(Refusal::Code(
        ResponseCode::ErrorInvalidRequest,
        "SyncFolderId is required.",
    ))?;
    let (no, key) = ews.folder(folder_ref).map_err(|e| match e {
        StoreError::FolderNotFound => Refusal::Code(
            ResponseCode::ErrorSyncFolderNotFound,
            "The folder to synchronize was not found.",
        ),
        other => Refusal::Store(other),
    })?;
    let mailbox = ews.reach(no)?;
    let folder = mailbox.folder(key)?;
    let here = FolderAddress {
        mailbox: no,
        folder: key,
    };
    let position = match op.sync_state.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => match ews.store.keys.parse_item_state(text) {
            Some(state) if state.folder == here && state.position <= mailbox.seq => state.position,
            _ => {
                return Err(Refusal::Code(
                    ResponseCode::ErrorInvalidSyncStateData,
                    INVALID_STATE,
                ));
            }
        },
    };
    let ignored: HashSet<u64> = op
        .ignore
        .iter()
        .flatten()
        .filter_map(|r| match r {
            ItemRef::Id(id) => mailbox.item_by_id(&id.id).ok(),
            _ => None,
        })
        .collect();
    let max = usize::try_from(op.max_changes_returned).unwrap_or(1);
    let page = folder.log.page(position, max, mailbox.seq, |(item, _)| {
        !ignored.contains(item)
    });
    let mut changes = Vec::with_capacity(page.changes.len());
    for ((item, generation), change) in page.changes {
        let old_id = || ItemId::new(ids::ews_item_id(mailbox.address(item, generation)));
        let live = mailbox
            .items
            .get(&item)
            .filter(|s| s.generation == generation && s.folder == key);
        changes.push(match change {
            Change::Delete(_) => ItemChange::Delete(old_id()),
            Change::ReadFlag => {
                let full = mailbox.entry(folder, (item, generation));
                let (item_id, is_read) = match &full {
                    Some(Item::Message(m)) => (m.item.item_id.clone(), m.is_read == Some(true)),
                    _ => (None, false),
                };
                ItemChange::ReadFlagChange {
                    item_id: item_id.unwrap_or_else(old_id),
                    is_read,
                }
            }
            Change::Create | Change::Update => {
                let shown = match live {
                    Some(stored) => {
                        shape::item(mailbox, stored, &op.item_shape, shape::Listing::Full)
                    }
                    // It has left the folder since the page's end: show it as it was then.
                    None => match mailbox.entry(folder, (item, generation)) {
                        Some(full) => shape::of_full(&full, &op.item_shape, shape::Listing::Full),
                        None => continue,
                    },
                };
                if change == Change::Create {
                    ItemChange::Create(shown)
                } else {
                    ItemChange::Update(shown)
                }
            }
        });
    }
    Ok(SyncFolderItemsMessage {
        sync_state: Some(ews.store.keys.item_state(ItemSyncState {
            folder: here,
            position: page.position,
        })),
        includes_last_item_in_range: Some(page.complete),
        changes: Some(changes),
    })
}
