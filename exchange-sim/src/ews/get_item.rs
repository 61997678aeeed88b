//! GetItem: each requested item, as the shape shows it.

use ews_types::operations::{GetItem, GetItemMessage, GetItemResponse};

use super::{Ews, per_input, shape};

pub(crate) fn run(ews: &Ews<'_>, op: &GetItem) -> GetItemResponse {
    per_input(&op.item_ids, |item| {
        let (no, key) = ews.item(item)?;
        let mailbox = ews.reach(no)?;
        let stored = mailbox.item(key)?;
        Ok(GetItemMessage {
            items: Some(vec![shape::item(
                mailbox,
                stored,
                &op.item_shape,
                shape::Listing::Full,
            )]),
        })
    })
}
