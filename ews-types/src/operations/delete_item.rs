//! DeleteItem: delete items (and cancel meetings for their attendees).

use crate::error::{Error, Result};
use crate::response::ResponseMessages;
use crate::types::ItemRef;
use crate::xml::xml_sequence;

use super::Operation;
use super::dispositions::{AffectedTaskOccurrences, DeleteType, SendMeetingNotices};

xml_sequence! {
    element
    /// DeleteItem request.
    ///
    /// Exchange requires `SendMeetingCancellations` when a calendar item is among the ids and
    /// `AffectedTaskOccurrences` when a task is; since ids do not say their kind, set both when in doubt.
    pub struct DeleteItem in Messages "m:" {
        @attrs {
            /// How to delete (required).
            delete_type: DeleteType = "DeleteType";
            /// Whether to send cancellations to meeting attendees.
            send_meeting_cancellations: SendMeetingNotices = "SendMeetingCancellations";
            /// Which occurrences of tasks to delete.
            affected_task_occurrences: AffectedTaskOccurrences = "AffectedTaskOccurrences";
            /// Suppress read receipts.
            suppress_read_receipts: bool = "SuppressReadReceipts";
        }
        /// The items.
        req item_ids: Vec<ItemRef> = "ItemIds";
    }
}

impl DeleteItem {
    /// Deletes `ids` as `how`, sending no meeting cancellations and deleting whole task series.
    pub fn new(how: DeleteType, ids: impl IntoIterator<Item = impl Into<ItemRef>>) -> Self {
        DeleteItem {
            delete_type: Some(how),
            send_meeting_cancellations: Some(SendMeetingNotices::SendToNone),
            affected_task_occurrences: Some(AffectedTaskOccurrences::AllOccurrences),
            suppress_read_receipts: None,
            item_ids: ids.into_iter().map(Into::into).collect(),
        }
    }
}

impl DeleteItem {
    /// Deletes meetings (or occurrences of them) as `how`, notifying attendees as `cancellations` says.
    ///
    /// ```
    /// use ews_types::operations::{DeleteItem, DeleteType, Operation, SendMeetingNotices};
    /// use ews_types::types::ItemRef;
    ///
    /// let occurrence = ItemRef::Occurrence {
    ///     recurring_master_id: "AAMkMaster".into(),
    ///     change_key: None,
    ///     instance_index: 2,
    /// };
    /// let delete = DeleteItem::meeting(
    ///     DeleteType::MoveToDeletedItems,
    ///     [occurrence],
    ///     SendMeetingNotices::SendToAllAndSaveCopy,
    /// );
    /// assert!(delete.validate().is_ok());
    /// ```
    pub fn meeting(
        how: DeleteType,
        ids: impl IntoIterator<Item = impl Into<ItemRef>>,
        cancellations: SendMeetingNotices,
    ) -> Self {
        DeleteItem {
            send_meeting_cancellations: Some(cancellations),
            ..DeleteItem::new(how, ids)
        }
    }
}

impl Operation for DeleteItem {
    const NAME: &'static str = "DeleteItem";
    type Response = DeleteItemResponse;

    fn validate(&self) -> Result<()> {
        if self.delete_type.is_none() {
            return Err(Error::InvalidRequest(
                "DeleteItem needs a DeleteType".into(),
            ));
        }
        if self.item_ids.is_empty() {
            return Err(Error::InvalidRequest(
                "DeleteItem needs at least one item id".into(),
            ));
        }
        if self.send_meeting_cancellations.is_none()
            && self.item_ids.iter().any(ItemRef::is_calendar_only)
        {
            return Err(Error::InvalidRequest(
                "DeleteItem of occurrences or series needs SendMeetingCancellations \
                 (ErrorSendMeetingCancellationsRequired otherwise)"
                    .into(),
            ));
        }
        Ok(())
    }
}

super::empty_body!(
    DeleteItemMessage,
    "DeleteItemResponseMessage",
    "DeleteItemResponse"
);

/// The DeleteItem response: one message per id.
pub type DeleteItemResponse = ResponseMessages<DeleteItemMessage>;
