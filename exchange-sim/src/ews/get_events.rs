//! GetEvents: the events of a pull subscription after a watermark.
//!
//! At most [`EVENTS_PER_CALL`] events per call, each with its watermark; `MoreEvents` says whether
//! more are waiting. When nothing happened the answer is one `StatusEvent` carrying the watermark to
//! resume from. A call keeps the subscription alive; a subscription not called within its timeout
//! lapses (`ErrorExpiredSubscription`).

use ews_types::operations::{
    GetEvents, GetEventsMessage, GetEventsResponse, Notification, NotificationEvent, StatusEvent,
    Watermark,
};
use ews_types::response::ResponseCode;

use super::notification::{find, not_found, pending, render};
use super::{Ews, Refusal, single};
use crate::store::subscriptions::Delivery;

/// The most events one GetEvents answer carries.
pub(crate) const EVENTS_PER_CALL: usize = 50;

/// The most journal positions one call reads looking for events the subscription wants.
const SCAN_PER_CALL: usize = 10_000;

pub(crate) fn run(ews: &mut Ews<'_>, op: &GetEvents) -> GetEventsResponse {
    single(events(ews, op))
}

fn events(ews: &mut Ews<'_>, op: &GetEvents) -> Result<GetEventsMessage, Refusal> {
    let (no, number) = find(ews, &op.subscription_id)?;
    let now = tokio::time::Instant::now();
    let subscription = ews
        .store
        .subscriptions
        .get(no, number)
        .ok_or_else(not_found)?
        .clone();
    if subscription.delivery == Delivery::Streaming {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidPullSubscriptionId,
            "The subscription is a streaming subscription: read it with GetStreamingEvents.",
        ));
    }
    if subscription.expired(now) {
        ews.store.subscriptions.remove(no, number);
        return Err(Refusal::Code(
            ResponseCode::ErrorExpiredSubscription,
            "The subscription lapsed: no GetEvents call came within its timeout.",
        ));
    }
    let invalid = Refusal::Code(
        ResponseCode::ErrorInvalidWatermark,
        "The watermark is invalid, belongs to another mailbox, or its events are no longer kept.",
    );
    let keys = ews.store.keys.clone();
    let from = match keys.parse_watermark(op.watermark.as_str()) {
        Some((mailbox, position)) if mailbox == no => position,
        _ => return Err(invalid),
    };
    let mailbox = ews.mailbox()?;
    if from > mailbox.journal.head() {
        return Err(invalid);
    }
    let pending =
        pending(mailbox, &subscription, from, EVENTS_PER_CALL, SCAN_PER_CALL).ok_or(invalid)?;
    let watermark = |position| Watermark(keys.watermark(no, position));
    let mut events: Vec<NotificationEvent> = pending
        .events
        .iter()
        .map(|(position, event)| render(mailbox, event, Some(watermark(*position))))
        .collect();
    let more = pending.more;
    if events.is_empty() {
        events.push(NotificationEvent::Status(StatusEvent {
            watermark: Some(watermark(pending.reached)),
        }));
    }
    if let Some(live) = ews.store.subscriptions.get_mut(no, number) {
        live.last_used = now;
        live.position = from;
    }
    Ok(GetEventsMessage {
        notification: Some(Notification {
            subscription_id: op.subscription_id.clone(),
            previous_watermark: Some(op.watermark.clone()),
            more_events: Some(more),
            events,
        }),
    })
}
