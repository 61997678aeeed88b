//! What the notification operations share: finding a subscription the request may use, mapping event
//! kinds, and writing journal events as `ews-types` notification events.

use ews_types::operations::{
    ChangedObject, EventType, ModifiedEvent, MoveEvent, NotificationEvent, ObjectEvent,
    SubscriptionId, Watermark,
};
use ews_types::response::ResponseCode;
use ews_types::types::ItemId;

use super::{Ews, Refusal};
use crate::ids;
use crate::store::Mailbox;
use crate::store::events::{Event, EventKind, Subject};
use crate::store::subscriptions::Subscription;

/// The event kind a subscription's `EventType` asks for (`None` for one this simulator does not know).
pub(crate) fn kind_of(event_type: &EventType) -> Option<EventKind> {
    Some(match event_type {
        EventType::Copied => EventKind::Copied,
        EventType::Created => EventKind::Created,
        EventType::Deleted => EventKind::Deleted,
        EventType::Modified => EventKind::Modified,
        EventType::Moved => EventKind::Moved,
        EventType::NewMail => EventKind::NewMail,
        EventType::FreeBusyChanged => EventKind::FreeBusyChanged,
        _ => return None,
    })
}

/// The mailbox and number of the subscription an id names, checked against the acting mailbox:
/// `ErrorInvalidSubscription` for an id this simulator did not issue, `ErrorSubscriptionAccessDenied`
/// for another mailbox's subscription, `ErrorSubscriptionNotFound` for one that ended.
pub(crate) fn find(ews: &Ews<'_>, id: &SubscriptionId) -> Result<(u32, u64), Refusal> {
    let (mailbox, number) =
        ews.store
            .keys
            .parse_subscription_id(id.as_str())
            .ok_or(Refusal::Code(
                ResponseCode::ErrorInvalidSubscription,
                "The subscription id is invalid.",
            ))?;
    if mailbox != ews.acting {
        return Err(Refusal::Code(
            ResponseCode::ErrorSubscriptionAccessDenied,
            "The subscription belongs to another mailbox than the one this request acts on.",
        ));
    }
    if ews.store.subscriptions.get(mailbox, number).is_none() {
        return Err(not_found());
    }
    Ok((mailbox, number))
}

/// `ErrorSubscriptionNotFound`.
pub(crate) fn not_found() -> Refusal {
    Refusal::Code(
        ResponseCode::ErrorSubscriptionNotFound,
        "The subscription was not found: it ended, lapsed or was never made.",
    )
}

/// The id of the item or folder an event names, as it was then.
fn object(mailbox: &Mailbox, subject: Subject) -> ChangedObject {
    match subject {
        Subject::Item {
            key,
            generation,
            version,
        } => ChangedObject::Item(ItemId::with_change_key(
            ids::ews_item_id(mailbox.address(key, generation)),
            ids::change_key(version),
        )),
        Subject::Folder(key) => ChangedObject::Folder(mailbox.folder_id(key)),
    }
}

/// A journal event as a notification event; `watermark` for pull subscriptions (streaming events carry
/// none).
pub(crate) fn render(
    mailbox: &Mailbox,
    event: &Event,
    watermark: Option<Watermark>,
) -> NotificationEvent {
    let change = ObjectEvent {
        watermark,
        time_stamp: event.at,
        object: object(mailbox, event.subject),
        parent_folder_id: mailbox.folder_id(event.folder),
    };
    let moved = |change: ObjectEvent| {
        let (old, old_folder) = event.origin.unwrap_or((event.subject, event.folder));
        MoveEvent {
            change,
            old_object: object(mailbox, old),
            old_parent_folder_id: mailbox.folder_id(old_folder),
        }
    };
    match event.kind {
        EventKind::Created => NotificationEvent::Created(change),
        EventKind::Deleted => NotificationEvent::Deleted(change),
        EventKind::NewMail => NotificationEvent::NewMail(change),
        EventKind::FreeBusyChanged => NotificationEvent::FreeBusyChanged(change),
        EventKind::Moved => NotificationEvent::Moved(moved(change)),
        EventKind::Copied => NotificationEvent::Copied(moved(change)),
        EventKind::Modified => {
            let unread_count = match event.subject {
                Subject::Folder(key) => mailbox
                    .folder(key)
                    .ok()
                    .and_then(|f| i32::try_from(mailbox.unread_count(f)).ok()),
                Subject::Item { .. } => None,
            };
            NotificationEvent::Modified(ModifiedEvent {
                change,
                unread_count,
            })
        }
    }
}

/// What a subscription has waiting after its position.
pub(crate) struct Pending<'m> {
    /// The events it wants, with their positions, oldest first.
    pub(crate) events: Vec<(u64, &'m Event)>,
    /// The position the look reached (resume after it).
    pub(crate) reached: u64,
    /// Whether the look stopped before the newest event.
    pub(crate) more: bool,
}

/// The events a subscription reports after `from`, up to `max` events and `scan` journal positions.
/// `None` when the journal no longer holds the events after `from`.
pub(crate) fn pending<'m>(
    mailbox: &'m Mailbox,
    subscription: &Subscription,
    from: u64,
    max: usize,
    scan: usize,
) -> Option<Pending<'m>> {
    let mut pending = Pending {
        events: Vec::new(),
        reached: from,
        more: false,
    };
    for (scanned, (position, event)) in mailbox.journal.since(from).ok()?.enumerate() {
        if pending.events.len() >= max || scanned >= scan {
            pending.more = true;
            break;
        }
        pending.reached = position;
        if subscription.wants(event) {
            pending.events.push((position, event));
        }
    }
    Some(pending)
}
