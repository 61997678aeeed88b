//! UpdateItem: set, append and delete properties, with optimistic concurrency.
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

use super::{Ews, Refusal, delivery, per_input};
use crate::store::StoreError;
use crate::store::props;

pub(crate) fn run(ews: &mut Ews<'_>, op: &UpdateItem) -> UpdateItemResponse {
    per_input(&op.item_changes, |change| {
        let (no, key) = ews.item(&change.item)?;
        let change_key = match &change.item {
            ItemRef::Id(id) => id.change_key.clone(),
            ItemRef::RecurringMaster { change_key, .. } => change_key.clone(),
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
        mailbox.update_item(key, |item| {
            for update in &change.updates {
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
        })?;
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
