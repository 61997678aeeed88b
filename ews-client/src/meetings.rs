//! Meeting helpers on [`MailboxClient`]: create, reschedule and cancel as the organizer (with the
//! notices Exchange requires), and answer an invitation as an attendee.
//!
//! Every helper sends one request and checks its single response message: a per-item error (a stale
//! change key, `ErrorIrresolvableConflict`, a missing item) comes back as [`Error::Message`](crate::Error::Message) with the
//! server's code. Rescheduling uses `NeverOverwrite` with the change key given, so a meeting changed
//! meanwhile is never silently overwritten: re-read it and decide again.

use ews_types::items::{CalendarItem, CancelCalendarItem, Item, MeetingReply};
use ews_types::operations::{
    CreateItem, FieldUpdate, ItemUpdate, MessageDisposition, SendMeetingNotices,
    SendMeetingUpdates, UpdateItem,
};
use ews_types::types::{Body, DistinguishedFolderName, ItemId, ItemRef, PropertyPath};
use jiff::Timestamp;

use crate::clock::Clock;
use crate::error::Result;
use crate::mailbox_client::{MailboxClient, missing_in_response, single_message};
use crate::transport::Transport;

/// How an attendee answers an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MeetingAnswer {
    /// `AcceptItem`.
    Accept,
    /// `TentativelyAcceptItem`.
    TentativelyAccept,
    /// `DeclineItem`.
    Decline,
}

/// The id of the first item of a create or update answer.
fn first_id(items: Option<Vec<Item>>, operation: &str) -> Result<ItemId> {
    items
        .and_then(|items| items.into_iter().next())
        .and_then(|item| item.id().cloned())
        .ok_or_else(|| missing_in_response("ItemId", &format!("{operation}ResponseMessage")))
}

impl<T: Transport, C: Clock> MailboxClient<'_, T, C> {
    /// Creates `meeting` in the calendar and invites its attendees as `invitations` says. Returns the
    /// new item's id and change key.
    pub async fn create_meeting(
        &self,
        meeting: CalendarItem,
        invitations: SendMeetingNotices,
    ) -> Result<ItemId> {
        let request = CreateItem::calendar(
            DistinguishedFolderName::Calendar,
            vec![meeting.into()],
            invitations,
        );
        let body = single_message(self.execute(&request).await?.messages, "CreateItem")?;
        first_id(body.items, "CreateItem")
    }

    /// Moves `meeting` (id with the change key last seen) to `start`..`end` and tells attendees as
    /// `updates` says. Returns the id with its new change key.
    pub async fn reschedule_meeting(
        &self,
        meeting: ItemId,
        start: Timestamp,
        end: Timestamp,
        updates: SendMeetingUpdates,
    ) -> Result<ItemId> {
        let time = |path: &str, at: Timestamp, set: fn(&mut CalendarItem, Timestamp)| {
            let mut item = CalendarItem::default();
            set(&mut item, at);
            FieldUpdate::Set {
                path: PropertyPath::field(path),
                item: item.into(),
            }
        };
        let change = ItemUpdate {
            item: ItemRef::Id(meeting),
            updates: vec![
                time("calendar:Start", start, |item, at| item.start = Some(at)),
                time("calendar:End", end, |item, at| item.end = Some(at)),
            ],
        };
        let request = UpdateItem::calendar(vec![change], updates);
        let body = single_message(self.execute(&request).await?.messages, "UpdateItem")?;
        first_id(body.items, "UpdateItem")
    }

    /// Cancels `meeting` as its organizer, sending `message` to the attendees; Exchange removes it from
    /// the calendar.
    pub async fn cancel_meeting(&self, meeting: ItemId, message: Body) -> Result<()> {
        let cancel = CancelCalendarItem::for_meeting(meeting, message);
        self.respond(cancel.into()).await
    }

    /// Answers the invitation `meeting` (a meeting request or the calendar item) and sends the answer
    /// to the organizer, with `text` when given.
    pub async fn answer_meeting(
        &self,
        meeting: ItemId,
        answer: MeetingAnswer,
        text: Option<String>,
    ) -> Result<()> {
        let mut reply = MeetingReply::for_meeting(meeting);
        if let Some(text) = text {
            reply = reply.with_text(text);
        }
        let reply = match answer {
            MeetingAnswer::Accept => reply.accept(),
            MeetingAnswer::TentativelyAccept => reply.tentatively_accept(),
            MeetingAnswer::Decline => reply.decline(),
        };
        self.respond(reply).await
    }

    async fn respond(&self, response_object: Item) -> Result<()> {
        let request =
            CreateItem::respond(vec![response_object], MessageDisposition::SendAndSaveCopy);
        single_message(self.execute(&request).await?.messages, "CreateItem").map(drop)
    }
}
