//! SendItem: send messages that are saved in a mailbox (drafts).

use crate::error::{Error, Result};
use crate::response::ResponseMessages;
use crate::types::{FolderRef, ItemRef};
use crate::xml::xml_sequence;

use super::Operation;

xml_sequence! {
    element
    /// SendItem request.
    pub struct SendItem in Messages "m:" {
        @attrs {
            /// Whether to keep a copy (required; in `saved_item_folder_id`, or Sent Items).
            save_item_to_folder: bool = "SaveItemToFolder";
        }
        /// The drafts to send.
        req item_ids: Vec<ItemRef> = "ItemIds";
        /// Where to keep the copy.
        opt saved_item_folder_id: FolderRef = "SavedItemFolderId";
    }
}

impl SendItem {
    /// Sends `ids`, keeping copies in Sent Items.
    pub fn new(ids: impl IntoIterator<Item = impl Into<ItemRef>>) -> Self {
        SendItem {
            save_item_to_folder: Some(true),
            item_ids: ids.into_iter().map(Into::into).collect(),
            saved_item_folder_id: None,
        }
    }
}

impl Operation for SendItem {
    const NAME: &'static str = "SendItem";
    type Response = SendItemResponse;

    fn validate(&self) -> Result<()> {
        if self.save_item_to_folder.is_none() {
            return Err(Error::InvalidRequest(
                "SendItem needs SaveItemToFolder".into(),
            ));
        }
        Ok(())
    }
}

super::empty_body!(
    SendItemMessage,
    "SendItemResponseMessage",
    "SendItemResponse"
);

/// The SendItem response: one message per id.
pub type SendItemResponse = ResponseMessages<SendItemMessage>;
