//! MoveItem: items move to another folder and get new ids (their change keys stay).

use ews_types::operations::{MoveItem, MoveItemMessage, MoveItemResponse};

use super::{Ews, per_input};

pub(crate) fn run(ews: &mut Ews<'_>, op: &MoveItem) -> MoveItemResponse {
    let target = ews.target(op.to_folder_id.as_ref());
    per_input(&op.item_ids, |id| {
        let (no, key, to) = ews.transfer(&target, id)?;
        let mailbox = ews.reach_mut(no)?;
        mailbox.move_item(key, to)?;
        let items = if op.return_new_item_ids == Some(false) {
            Vec::new()
        } else {
            vec![mailbox.render_id_only(mailbox.item(key)?)]
        };
        Ok(MoveItemMessage { items: Some(items) })
    })
}
