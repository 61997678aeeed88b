//! DeleteItem: hard, soft, or to Deleted Items; cancels meetings for their attendees when asked. An
//! occurrence of a series (by its id or `OccurrenceItemId`) is deleted from the series.

use ews_types::items::Item;
use ews_types::operations::{
    DeleteItem, DeleteItemMessage, DeleteItemResponse, DeleteType, SendMeetingNotices,
};
use ews_types::response::ResponseCode;

use super::{Ews, Refusal, Target, delivery, per_input};
use crate::store::{Removal, StoreError};

pub(crate) fn run(ews: &mut Ews<'_>, op: &DeleteItem) -> DeleteItemResponse {
    per_input(&op.item_ids, |id| {
        let (no, target) = ews.resolve(id)?;
        if ews.take_conflict() {
            return Err(StoreError::Conflict.into());
        }
        let key = match target {
            Target::Item(key) => key,
            Target::Occurrence(key, index) => {
                if op.send_meeting_cancellations.is_none() {
                    return Err(cancellations_required());
                }
                ews.reach_mut(no)?.delete_occurrence(key, index)?;
                return Ok(DeleteItemMessage);
            }
        };
        let item = ews.reach(no)?.item(key)?.item.clone();
        match &item {
            Item::CalendarItem(_) if op.send_meeting_cancellations.is_none() => {
                return Err(cancellations_required());
            }
            Item::Task(_) if op.affected_task_occurrences.is_none() => {
                return Err(Refusal::Code(
                    ResponseCode::ErrorAffectedTaskOccurrencesRequired,
                    "AffectedTaskOccurrences is required for tasks.",
                ));
            }
            _ => {}
        }
        let how = match op.delete_type {
            Some(DeleteType::MoveToDeletedItems) => Removal::ToDeletedItems,
            _ => Removal::Delete,
        };
        ews.reach_mut(no)?.remove_item(key, how)?;
        let cancel = op
            .send_meeting_cancellations
            .as_ref()
            .is_some_and(|n| *n != SendMeetingNotices::SendToNone);
        if let (true, Item::CalendarItem(calendar)) = (cancel, &item) {
            if calendar.my_response_type == Some(ews_types::items::ResponseType::Organizer) {
                delivery::cancel(ews.store, no, calendar);
            }
        }
        Ok(DeleteItemMessage)
    })
}

fn cancellations_required() -> Refusal {
    Refusal::Code(
        ResponseCode::ErrorSendMeetingCancellationsRequired,
        "SendMeetingCancellations is required for calendar items.",
    )
}
