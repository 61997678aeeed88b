//! GetItem: read many items by id in one call.

use crate::items::Item;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::{ItemRef, ItemShape};
use crate::xml::xml_sequence;

use super::Operation;

xml_sequence! {
    element
    /// GetItem request: the shape and the items to read (batch ids; about 10 to 100 per call).
    pub struct GetItem in Messages "m:" {
        /// Which properties to return.
        req item_shape: ItemShape = "ItemShape";
        /// The items.
        req item_ids: Vec<ItemRef> = "ItemIds";
    }
}

impl GetItem {
    /// Reads `ids` with `shape`.
    pub fn new(shape: ItemShape, ids: impl IntoIterator<Item = impl Into<ItemRef>>) -> Self {
        GetItem {
            item_shape: shape,
            item_ids: ids.into_iter().map(Into::into).collect(),
        }
    }
}

impl Operation for GetItem {
    const NAME: &'static str = "GetItem";
    type Response = GetItemResponse;
}

xml_sequence! {
    children
    /// The body of one GetItem response message: the item read for one requested id.
    pub struct GetItemMessage in Messages "m:" {
        /// The item (one per message).
        opt items: Vec<Item> = "Items";
    }
}

impl ResponseBody for GetItemMessage {
    const MESSAGE: &'static str = "GetItemResponseMessage";
    const RESPONSE: &'static str = "GetItemResponse";

    fn item_count(&self) -> usize {
        self.items.as_ref().map_or(0, Vec::len)
    }
}

/// The GetItem response: one message per requested id, in request order.
pub type GetItemResponse = ResponseMessages<GetItemMessage>;
