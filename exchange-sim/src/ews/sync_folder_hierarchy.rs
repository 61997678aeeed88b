//! SyncFolderHierarchy: the folder tree's changes since a state (all of them in one page).

use ews_types::operations::{
    FolderChange, SyncFolderHierarchy, SyncFolderHierarchyMessage, SyncFolderHierarchyResponse,
};
use ews_types::response::{ResponseCode, ResponseMessage, ResponseMessages};
use ews_types::types::{DistinguishedFolderName, FolderId};

use super::{Ews, error_message, error_with, shape};
use crate::faults::Fault;
use crate::ids::{self, FolderAddress};
use crate::store::{Change, Mailbox, StoreError};

fn under(mailbox: &Mailbox, folder: u32, root: u32) -> bool {
    let mut at = mailbox.folders.get(folder as usize).and_then(|f| f.parent);
    while let Some(parent) = at {
        if parent == root {
            return true;
        }
        at = mailbox.folders.get(parent as usize).and_then(|f| f.parent);
    }
    false
}

pub(crate) fn run(ews: &mut Ews<'_>, op: &SyncFolderHierarchy) -> SyncFolderHierarchyResponse {
    let one = |m| ResponseMessages::new(vec![m]);
    if ews.fault == Some(Fault::InvalidSyncState) {
        return one(error_with(
            ResponseCode::ErrorInvalidSyncStateData,
            "Synchronization state data is corrupt or otherwise invalid.",
        ));
    }
    let resolved = match &op.sync_folder_id {
        Some(folder) => ews.folder(folder),
        None => ews
            .mailbox()
            .and_then(|m| Ok((m.no, m.distinguished(&DistinguishedFolderName::Root)?))),
    };
    let (no, root) = match resolved {
        Ok(found) => found,
        Err(error) => return one(error_message(&error)),
    };
    let Ok(mailbox) = ews.reach(no) else {
        return one(error_message(&StoreError::AccessDenied));
    };
    let position = match op.sync_state.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(state) => match ews.store.keys.parse_hierarchy_state(state) {
            Some((m, position)) if m == no && position <= mailbox.seq => position,
            _ => {
                return one(error_with(
                    ResponseCode::ErrorInvalidSyncStateData,
                    "Synchronization state data is corrupt or otherwise invalid.",
                ));
            }
        },
    };
    let page = mailbox
        .hierarchy
        .page(position, usize::MAX, mailbox.seq, |key| {
            under(mailbox, *key, root)
        });
    let changes = page
        .changes
        .iter()
        .filter_map(|(key, change)| {
            let folder = mailbox.folders.get(*key as usize)?;
            Some(match change {
                Change::Create => {
                    FolderChange::Create(shape::folder(mailbox, folder, &op.folder_shape))
                }
                Change::Update | Change::ReadFlag => {
                    FolderChange::Update(shape::folder(mailbox, folder, &op.folder_shape))
                }
                Change::Delete(_) => {
                    FolderChange::Delete(FolderId::new(ids::ews_folder_id(FolderAddress {
                        mailbox: no,
                        folder: *key,
                    })))
                }
            })
        })
        .collect();
    one(ResponseMessage::success(SyncFolderHierarchyMessage {
        sync_state: Some(ews.store.keys.hierarchy_state(no, page.position)),
        includes_last_folder_in_range: Some(true),
        changes: Some(changes),
    }))
}
