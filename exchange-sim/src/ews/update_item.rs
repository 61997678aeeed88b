//! UpdateItem: set, append and delete properties, with optimistic concurrency. Changing an occurrence
//! of a series (by its id or `OccurrenceItemId`) makes it an exception of the series.
//!
//! A change key is required. Under `NeverOverwrite` a stale one gives `ErrorIrresolvableConflict`;
//! `AutoResolve` and `AlwaysOverwrite` apply the change anyway (AutoResolve reports the conflict it
//! settled in `ConflictResults`). Changes to one item apply all or nothing.

use ews_types::items::Item;
use ews_types::operations::{
    ConflictResolution, FieldUpdate, SendMeetingUpdates, UpdateItem, UpdateItemMessage,
    UpdateItemResponse,
};
use ews_types::response::ResponseCode;
use ews_types::types::ItemRef;

use super::{Ews, Refusal, Target, delivery, per_input};
use crate::store::props;
use crate::store::{StoreError, id_only};

pub(crate) fn run(ews: &mut Ews<'_>, op: &UpdateItem) -> UpdateItemResponse {
    per_input(&op.item_changes, |change| {
        let (no, target) = ews.resolve(&change.item)?;
        let key = match target {
            Target::Item(key) | Target::Occurrence(key, _) => key,
        };
        let change_key = match &change.item {
            ItemRef::Id(id) => id.change_key.clone(),
            ItemRef::RecurringMaster { change_key, .. }
            | ItemRef::Occurrence { change_key, .. } => change_key.clone(),
            _ => None,
        };
        let Some(change_key) = change_key else {
            return Err(StoreError::ChangeKeyRequired.into());
        };
        let mut conflicts = 0;
        match ews.reach(no)?.check_change_key(key, &change_key) {
            Ok(()) => {}
            Err(StoreError::Conflict)
                if op.conflict_resolution != ConflictResolution::NeverOverwrite =>
            {
                conflicts = 1;
            }
            Err(error) => return Err(error.into()),
        }
        if ews.take_conflict() && op.conflict_resolution == ConflictResolution::NeverOverwrite {
            return Err(StoreError::Conflict.into());
        }
        let is_calendar = matches!(ews.reach(no)?.item(key)?.item, Item::CalendarItem(_));
        if is_calendar && op.send_meeting_invitations_or_cancellations.is_none() {
            return Err(Refusal::Code(
                ResponseCode::ErrorSendMeetingInvitationsOrCancellationsRequired,
                "SendMeetingInvitationsOrCancellations is required for calendar items.",
            ));
        }
        let mailbox = ews.reach_mut(no)?;
        let changes = |item: &mut Item| apply(item, &change.updates);
        if let Target::Occurrence(key, index) = target {
            // An occurrence becomes an exception; attendees are not sent per-occurrence updates.
            mailbox.update_occurrence(key, index, changes)?;
            let occurrence = mailbox.occurrence(key, index)?;
            let id = occurrence.id().cloned().unwrap_or_default();
            return Ok(UpdateItemMessage {
                items: Some(vec![id_only(&occurrence, id)]),
                conflict_count: (conflicts > 0).then_some(conflicts),
            });
        }
        mailbox.update_item(key, changes)?;
        let stored = mailbox.item(key)?;
        let shown = mailbox.render_id_only(stored);
        let notify = op
            .send_meeting_invitations_or_cancellations
            .as_ref()
            .is_some_and(|n| *n != SendMeetingUpdates::SendToNone);
        if let (true, Item::CalendarItem(calendar)) = (notify, &stored.item) {
            let calendar = (**calendar).clone();
            if delivery::has_attendees(&calendar) {
                delivery::invite(ews.store, no, &calendar);
            }
        }
        Ok(UpdateItemMessage {
            items: Some(vec![shown]),
            conflict_count: (conflicts > 0).then_some(conflicts),
        })
    })
}

/// Applies property changes in order.
fn apply(item: &mut Item, updates: &[FieldUpdate]) -> Result<(), StoreError> {
    for update in updates {
        match update {
            FieldUpdate::Set { path, item: patch } => props::set(item, path, patch)?,
            FieldUpdate::Append { path, item: patch } => props::append(item, path, patch)?,
            FieldUpdate::Delete(path) => props::delete(item, path)?,
            _ => {
                return Err(StoreError::InvalidProperty(
                    "an unknown kind of change".into(),
                ));
            }
        }
    }
    Ok(())
}
