//! SendItem: sends saved drafts to their recipients, keeping a copy in Sent Items (or the folder named)
//! when asked.

use ews_types::items::Item;
use ews_types::operations::{SendItem, SendItemMessage, SendItemResponse};
use ews_types::response::ResponseCode;
use ews_types::types::{DistinguishedFolderName, SingleRecipient};

use super::{Ews, Refusal, delivery, per_input};
use crate::store::Removal;

pub(crate) fn run(ews: &mut Ews<'_>, op: &SendItem) -> SendItemResponse {
    per_input(&op.item_ids, |id| {
        let (no, key) = ews.item(id)?;
        let Item::Message(message) = ews.reach(no)?.item(key)?.item.clone() else {
            return Err(Refusal::Code(
                ResponseCode::ErrorInvalidItemForOperationSendItem,
                "Only messages can be sent.",
            ));
        };
        let mut message = *message;
        message.from = delivery::sender_address(ews.store, no).map(SingleRecipient::from);
        message.item.is_draft = Some(false);
        delivery::deliver(ews.store, no, &message);
        let keep = match (&op.save_item_to_folder, &op.saved_item_folder_id) {
            (Some(false), _) => None,
            (_, Some(folder)) => Some(ews.folder(folder)?.1),
            (_, None) => Some(
                ews.reach(no)?
                    .distinguished(&DistinguishedFolderName::SentItems)?,
            ),
        };
        let mailbox = ews.reach_mut(no)?;
        match keep {
            Some(folder) => {
                mailbox.update_item(key, |item| {
                    if let Item::Message(m) = item {
                        m.from = message.from.clone();
                        m.item.is_draft = Some(false);
                        m.is_read = Some(true);
                    }
                    Ok(())
                })?;
                mailbox.move_item(key, folder)?;
            }
            None => mailbox.remove_item(key, Removal::Delete)?,
        }
        Ok(SendItemMessage)
    })
}
