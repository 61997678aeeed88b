//! CreateItem: saves items; sends messages (SendOnly, SendAndSaveCopy); invites meeting attendees.

use ews_types::items::{Item, ResponseType};
use ews_types::operations::{
    CreateItem, CreateItemMessage, CreateItemResponse, MessageDisposition, SendMeetingNotices,
};
use ews_types::response::{ResponseCode, ResponseMessage, ResponseMessages};
use ews_types::types::{DistinguishedFolderName, SingleRecipient};

use super::{Ews, Refusal, delivery};

/// The folder an item kind goes to when the request names none.
pub(crate) fn default_folder(
    item: &Item,
    disposition: Option<&MessageDisposition>,
) -> DistinguishedFolderName {
    match item {
        Item::CalendarItem(_) => DistinguishedFolderName::Calendar,
        Item::Contact(_) => DistinguishedFolderName::Contacts,
        Item::Task(_) => DistinguishedFolderName::Tasks,
        Item::Message(_) if disposition == Some(&MessageDisposition::SendAndSaveCopy) => {
            DistinguishedFolderName::SentItems
        }
        _ => DistinguishedFolderName::Drafts,
    }
}

pub(crate) fn run(ews: &mut Ews<'_>, op: &CreateItem) -> CreateItemResponse {
    let messages = op
        .items
        .iter()
        .map(|item| match create(ews, op, item) {
            Ok(body) => ResponseMessage::success(body),
            Err(refusal) => refusal.message(),
        })
        .collect();
    ResponseMessages::new(messages)
}

fn create(ews: &mut Ews<'_>, op: &CreateItem, item: &Item) -> Result<CreateItemMessage, Refusal> {
    let (no, folder) = match &op.saved_item_folder_id {
        Some(folder) => ews.folder(folder)?,
        None => {
            let mailbox = ews.mailbox()?;
            let name = default_folder(item, op.message_disposition.as_ref());
            (mailbox.no, mailbox.distinguished(&name)?)
        }
    };
    match item {
        Item::Message(message) => {
            let disposition = op
                .message_disposition
                .clone()
                .unwrap_or(MessageDisposition::SaveOnly);
            let mut message = (**message).clone();
            if disposition != MessageDisposition::SaveOnly {
                message.from = delivery::sender_address(ews.store, no).map(SingleRecipient::from);
                message.item.is_draft = Some(false);
                delivery::deliver(ews.store, no, &message);
                if disposition == MessageDisposition::SendOnly {
                    return Ok(CreateItemMessage {
                        items: Some(Vec::new()),
                    });
                }
                message.is_read = Some(true);
            } else {
                message.item.is_draft = Some(true);
            }
            let mailbox = ews.reach_mut(no)?;
            let key = mailbox.create_item(folder, Item::from(message))?;
            let items = if disposition == MessageDisposition::SaveOnly {
                vec![mailbox.render_id_only(mailbox.item(key)?)]
            } else {
                Vec::new()
            };
            Ok(CreateItemMessage { items: Some(items) })
        }
        Item::CalendarItem(calendar) => {
            let Some(notices) = op.send_meeting_invitations.clone() else {
                return Err(Refusal::Code(
                    ResponseCode::ErrorSendMeetingInvitationsRequired,
                    "SendMeetingInvitations is required for calendar items.",
                ));
            };
            let mut calendar = (**calendar).clone();
            if delivery::has_attendees(&calendar) {
                calendar.is_meeting = Some(true);
                calendar.my_response_type = Some(ResponseType::Organizer);
                calendar.organizer =
                    delivery::sender_address(ews.store, no).map(SingleRecipient::from);
                calendar.meeting_request_was_sent = Some(notices != SendMeetingNotices::SendToNone);
            }
            let mailbox = ews.reach_mut(no)?;
            let key = mailbox.create_item(folder, Item::from(calendar))?;
            let meeting = delivery::ensure_uid(mailbox, key);
            let id = mailbox.render_id_only(mailbox.item(key)?);
            if let (Some(calendar), true) = (meeting, notices != SendMeetingNotices::SendToNone) {
                delivery::invite(ews.store, no, &calendar);
            }
            Ok(CreateItemMessage {
                items: Some(vec![id]),
            })
        }
        other => {
            let mailbox = ews.reach_mut(no)?;
            let key = mailbox.create_item(folder, other.clone())?;
            Ok(CreateItemMessage {
                items: Some(vec![mailbox.render_id_only(mailbox.item(key)?)]),
            })
        }
    }
}
