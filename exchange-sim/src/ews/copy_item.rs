//! CopyItem: copies are new items in the target folder.

use ews_types::operations::{CopyItem, CopyItemMessage, CopyItemResponse};

use super::{Ews, per_input};

pub(crate) fn run(ews: &mut Ews<'_>, op: &CopyItem) -> CopyItemResponse {
    let target = ews.target(op.to_folder_id.as_ref());
    per_input(&op.item_ids, |id| {
        let (no, key, to) = ews.transfer(&target, id)?;
        let mailbox = ews.reach_mut(no)?;
        let copy = mailbox.copy_item(key, to)?;
        let items = if op.return_new_item_ids == Some(false) {
            Vec::new()
        } else {
            vec![mailbox.render_id_only(mailbox.item(copy)?)]
        };
        Ok(CopyItemMessage { items: Some(items) })
    })
}
