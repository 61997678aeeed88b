//! SyncFolderItems: the changes to a folder's items since a sync state.
//!
//! The first call has no state and returns every item as a `Create`. Store the returned `SyncState`
//! whole (it is opaque base64) and call again until `IncludesLastItemInRange` is true. Sync cannot return
//! bodies: sync with ids only, then GetItem.

use crate::error::{Error, Result};
use crate::items::Item;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::{FolderRef, ItemId, ItemRef, ItemShape};
use crate::xml::XmlChoice;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};

use super::Operation;

/// The most changes one SyncFolderItems call may ask for.
pub const MAX_CHANGES_PER_SYNC: i32 = 512;

open_enum! {
    /// Which items a sync covers.
    pub enum SyncScope {
        /// Normal items only.
        NormalItems = "NormalItems",
        /// Normal and associated (hidden) items.
        NormalAndAssociatedItems = "NormalAndAssociatedItems",
    }
}

xml_sequence! {
    element
    /// SyncFolderItems request.
    pub struct SyncFolderItems in Messages "m:" {
        /// Which properties to return for created and updated items (use ids only).
        req item_shape: ItemShape = "ItemShape";
        /// The folder to synchronize.
        opt sync_folder_id: FolderRef = "SyncFolderId";
        /// The state from the previous call; none on the first call.
        opt sync_state: String = "SyncState";
        /// Items to leave out of the changes.
        opt ignore: Vec<ItemRef> = "Ignore";
        /// At most this many changes (1 to 512); see [`SyncFolderItems::new`].
        req max_changes_returned: i32 = "MaxChangesReturned";
        /// Which items to include.
        opt sync_scope: SyncScope = "SyncScope";
    }
}

impl SyncFolderItems {
    /// Synchronizes `folder` from `sync_state` (none for the first call), returning ids only and at
    /// most `max_changes` changes, clamped to 1..=512.
    pub fn new(folder: impl Into<FolderRef>, sync_state: Option<String>, max_changes: i32) -> Self {
        SyncFolderItems {
            item_shape: ItemShape::id_only(),
            sync_folder_id: Some(folder.into()),
            sync_state,
            ignore: None,
            max_changes_returned: max_changes.clamp(1, MAX_CHANGES_PER_SYNC),
            sync_scope: None,
        }
    }
}

impl Operation for SyncFolderItems {
    const NAME: &'static str = "SyncFolderItems";
    type Response = SyncFolderItemsResponse;
}

/// One change in a SyncFolderItems response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ItemChange {
    /// A new item.
    Create(Item),
    /// A changed item (a move to Deleted Items arrives as an update with a new parent folder).
    Update(Item),
    /// A deleted item (id only).
    Delete(ItemId),
    /// A change of the read flag only.
    ReadFlagChange {
        /// The item.
        item_id: ItemId,
        /// Its new read state.
        is_read: bool,
    },
}

impl ItemChange {
    /// The id of the item the change is about.
    pub fn item_id(&self) -> Option<&ItemId> {
        match self {
            ItemChange::Create(item) | ItemChange::Update(item) => item.id(),
            ItemChange::Delete(id) | ItemChange::ReadFlagChange { item_id: id, .. } => Some(id),
        }
    }
}

impl XmlChoice for ItemChange {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            ItemChange::Create(item) | ItemChange::Update(item) => {
                let tag = if matches!(self, ItemChange::Create(_)) {
                    "t:Create"
                } else {
                    "t:Update"
                };
                w.open(tag).close();
                item.write_choice(w);
                w.end(tag);
            }
            ItemChange::Delete(id) => {
                w.open("t:Delete").close();
                id.write_element(w, "t:ItemId");
                w.end("t:Delete");
            }
            ItemChange::ReadFlagChange { item_id, is_read } => {
                w.open("t:ReadFlagChange").close();
                item_id.write_element(w, "t:ItemId");
                is_read.write_element(w, "t:IsRead");
                w.end("t:ReadFlagChange");
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        start.reject_foreign("a change in the EWS types namespace")?;
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let kind = start.local_name().to_owned();
        let mut item = None;
        let mut item_id = None;
        let mut is_read = None;
        r.children(start, |r, child| {
            if child.ns() == Ns::Types
                && child.local_name() == "ItemId"
                && kind != "Create"
                && kind != "Update"
            {
                item_id = Some(ItemId::read_element(r, child)?);
                return Ok(true);
            }
            if child.ns() == Ns::Types && child.local_name() == "IsRead" {
                is_read = Some(bool::read_element(r, child)?);
                return Ok(true);
            }
            if item.is_none() {
                if let Some(found) = Item::read_choice(r, child)? {
                    item = Some(found);
                    return Ok(true);
                }
            }
            Ok(false)
        })?;
        let missing = |what: &str| Error::missing(what, &kind);
        Ok(Some(match kind.as_str() {
            "Create" => ItemChange::Create(item.ok_or_else(|| missing("item"))?),
            "Update" => ItemChange::Update(item.ok_or_else(|| missing("item"))?),
            "Delete" => ItemChange::Delete(item_id.ok_or_else(|| missing("ItemId"))?),
            "ReadFlagChange" => ItemChange::ReadFlagChange {
                item_id: item_id.ok_or_else(|| missing("ItemId"))?,
                is_read: is_read.ok_or_else(|| missing("IsRead"))?,
            },
            _ => return Ok(None),
        }))
    }
}

xml_sequence! {
    children
    /// The body of a SyncFolderItems response message.
    pub struct SyncFolderItemsMessage in Messages "m:" {
        /// The state to send next time (store it whole).
        opt sync_state: String = "SyncState";
        /// Whether this page holds the last change; if not, call again with the new state.
        opt includes_last_item_in_range: bool = "IncludesLastItemInRange";
        /// The changes.
        opt changes: Vec<ItemChange> = "Changes";
    }
}

impl ResponseBody for SyncFolderItemsMessage {
    const MESSAGE: &'static str = "SyncFolderItemsResponseMessage";
    const RESPONSE: &'static str = "SyncFolderItemsResponse";

    fn item_count(&self) -> usize {
        self.changes.as_ref().map_or(0, Vec::len)
    }
}

/// The SyncFolderItems response (one message).
pub type SyncFolderItemsResponse = ResponseMessages<SyncFolderItemsMessage>;
