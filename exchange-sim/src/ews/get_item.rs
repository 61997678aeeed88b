//! GetItem: each requested item (or occurrence of a series), as the shape shows it.

use ews_types::operations::{GetItem, GetItemMessage, GetItemResponse};

use super::{Ews, Target, per_input, shape};

pub(crate) fn run(ews: &Ews<'_>, op: &GetItem) -> GetItemResponse {
    per_input(&op.item_ids, |item| {
        let (no, target) = ews.resolve(item)?;
        let mailbox = ews.reach(no)?;
        let shown = match target {
            Target::Item(key) => shape::item(
                mailbox,
                mailbox.item(key)?,
                &op.item_shape,
                shape::Listing::Full,
            ),
            Target::Occurrence(key, index) => shape::of_full(
                &mailbox.occurrence(key, index)?,
                &op.item_shape,
                shape::Listing::Full,
            ),
        };
        Ok(GetItemMessage {
            items: Some(vec![shown]),
        })
    })
}
