//! MoveItem: move items to another folder.
//!
//! A move gives items new ids: ask for them with `return_new_item_ids` and update what you stored.

use crate::error::{Error, Result};
use crate::items::Item;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::{FolderRef, ItemRef};
use crate::xml::xml_sequence;

use super::Operation;

xml_sequence! {
    element
    /// MoveItem request.
    pub struct MoveItem in Messages "m:" {
        /// The destination folder.
        opt to_folder_id: FolderRef = "ToFolderId";
        /// The items.
        req item_ids: Vec<ItemRef> = "ItemIds";
        /// Whether to return the new items' ids (Exchange 2010 SP1 and later).
        opt return_new_item_ids: bool = "ReturnNewItemIds";
    }
}

impl MoveItem {
    /// Moves `ids` to `folder`, returning the new ids.
    pub fn new(
        folder: impl Into<FolderRef>,
        ids: impl IntoIterator<Item = impl Into<ItemRef>>,
    ) -> Self {
        MoveItem {
            to_folder_id: Some(folder.into()),
            item_ids: ids.into_iter().map(Into::into).collect(),
            return_new_item_ids: Some(true),
        }
    }
}

impl Operation for MoveItem {
    const NAME: &'static str = "MoveItem";
    type Response = MoveItemResponse;

    fn validate(&self) -> Result<()> {
        if self.to_folder_id.is_none() {
            return Err(Error::InvalidRequest(
                "MoveItem needs a destination folder (ToFolderId)".into(),
            ));
        }
        Ok(())
    }
}

xml_sequence! {
    children
    /// The body of a MoveItem response message: the new item's id (when requested).
    pub struct MoveItemMessage in Messages "m:" {
        /// The item in its new folder.
        opt items: Vec<Item> = "Items";
    }
}

impl ResponseBody for MoveItemMessage {
    const MESSAGE: &'static str = "MoveItemResponseMessage";
    const RESPONSE: &'static str = "MoveItemResponse";

    fn item_count(&self) -> usize {
        self.items.as_ref().map_or(0, Vec::len)
    }
}

/// The MoveItem response: one message per id.
pub type MoveItemResponse = ResponseMessages<MoveItemMessage>;
