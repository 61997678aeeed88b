//! CreateItem: create messages, contacts, tasks and calendar items (and send messages).

use crate::error::{Error, Result};
use crate::items::Item;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::FolderRef;
use crate::xml::xml_sequence;

use super::Operation;
use super::dispositions::{MessageDisposition, SendMeetingNotices};

xml_sequence! {
    element
    /// CreateItem request.
    ///
    /// Calendar items need [`send_meeting_invitations`](Self::send_meeting_invitations); messages and
    /// response objects (accept, decline, cancel...) need
    /// [`message_disposition`](Self::message_disposition): [`Operation::validate`] refuses the request
    /// otherwise, as Exchange would. Use [`CreateItem::calendar`] for meetings and
    /// [`CreateItem::respond`] for answers to them.
    pub struct CreateItem in Messages "m:" {
        @attrs {
            /// What to do with messages.
            message_disposition: MessageDisposition = "MessageDisposition";
            /// Whether to invite attendees of calendar items.
            send_meeting_invitations: SendMeetingNotices = "SendMeetingInvitations";
        }
        /// The folder to save into (the default folder of each kind when absent).
        opt saved_item_folder_id: FolderRef = "SavedItemFolderId";
        /// The items.
        req items: Vec<Item> = "Items";
    }
}

impl CreateItem {
    /// Saves `items` (contacts, tasks, draft messages) in `folder`.
    pub fn save(folder: impl Into<FolderRef>, items: Vec<Item>) -> Self {
        CreateItem {
            message_disposition: Some(MessageDisposition::SaveOnly),
            send_meeting_invitations: None,
            saved_item_folder_id: Some(folder.into()),
            items,
        }
    }

    /// Creates calendar `items` in `folder`, notifying attendees as `invitations` says.
    pub fn calendar(
        folder: impl Into<FolderRef>,
        items: Vec<Item>,
        invitations: SendMeetingNotices,
    ) -> Self {
        CreateItem {
            message_disposition: None,
            send_meeting_invitations: Some(invitations),
            saved_item_folder_id: Some(folder.into()),
            items,
        }
    }
}

impl CreateItem {
    /// Sends response objects (see [`MeetingReply`](crate::items::MeetingReply)): `SendAndSaveCopy` sends
    /// them and keeps a copy, `SaveOnly` keeps them as drafts.
    pub fn respond(responses: Vec<Item>, disposition: MessageDisposition) -> Self {
        CreateItem {
            message_disposition: Some(disposition),
            send_meeting_invitations: None,
            saved_item_folder_id: None,
            items: responses,
        }
    }
}

impl Operation for CreateItem {
    const NAME: &'static str = "CreateItem";
    type Response = CreateItemResponse;

    fn validate(&self) -> Result<()> {
        if self.items.is_empty() {
            return Err(Error::InvalidRequest(
                "CreateItem needs at least one item".into(),
            ));
        }
        let has = |kind: &str| self.items.iter().any(|item| item.kind() == kind);
        if has("CalendarItem") && self.send_meeting_invitations.is_none() {
            return Err(Error::InvalidRequest(
                "CreateItem with calendar items needs SendMeetingInvitations \
                 (ErrorSendMeetingInvitationsRequired otherwise)"
                    .into(),
            ));
        }
        if has("Message") && self.message_disposition.is_none() {
            return Err(Error::InvalidRequest(
                "CreateItem with messages needs MessageDisposition".into(),
            ));
        }
        let responds = self
            .items
            .iter()
            .any(|item| item.is_response_object() && !matches!(item, Item::RemoveItem(_)));
        if responds && self.message_disposition.is_none() {
            return Err(Error::InvalidRequest(
                "CreateItem with meeting responses or cancellations needs MessageDisposition \
                 (ErrorMessageDispositionRequired otherwise)"
                    .into(),
            ));
        }
        for item in &self.items {
            crate::items::check_response_object(item)?;
            if let Item::CalendarItem(meeting) = item {
                if meeting
                    .recurrence
                    .as_ref()
                    .is_some_and(|r| r.pattern.is_regeneration())
                {
                    return Err(Error::InvalidRequest(
                        "a calendar item cannot use a task regeneration pattern".into(),
                    ));
                }
            }
        }
        Ok(())
    }
}

xml_sequence! {
    children
    /// The body of a CreateItem response message: the created item's id (none for sent messages).
    pub struct CreateItemMessage in Messages "m:" {
        /// The item created.
        opt items: Vec<Item> = "Items";
    }
}

impl ResponseBody for CreateItemMessage {
    const MESSAGE: &'static str = "CreateItemResponseMessage";
    const RESPONSE: &'static str = "CreateItemResponse";

    fn item_count(&self) -> usize {
        self.items.as_ref().map_or(0, Vec::len)
    }
}

/// The CreateItem response: one message per item.
pub type CreateItemResponse = ResponseMessages<CreateItemMessage>;
