//! The body of a GetStreamingEvents answer: one chunked HTTP response carrying complete SOAP envelopes
//! one after another, as Exchange sends them.
//!
//! * a notification envelope whenever subscribed events happen (one `Notification` per subscription
//!   that has events; streamed events carry no watermarks, the subscription's position advances);
//! * a keep-alive envelope (`ConnectionStatus` `OK`) after [`HEARTBEAT`] without anything sent;
//! * a last envelope with `ConnectionStatus` `Closed` when the connection's `ConnectionTimeout` is
//!   reached, when a test calls [`Simulator::close_streams`](crate::Simulator::close_streams), or when
//!   every subscription of the connection has ended; then the response ends.
//!
//! A subscription whose events the journal no longer holds is reported in `ErrorSubscriptionIds` and
//! ended, so a client knows to resynchronise rather than silently missing events.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ews_types::operations::{
    ConnectionStatus, GetStreamingEventsMessage, GetStreamingEventsResponse, Notification,
    SubscriptionId,
};
use ews_types::response::{ResponseCode, ResponseMessage, ResponseMessages};
use ews_types::soap::response_envelope;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};

use super::get_streaming_events::StreamPlan;
use super::notification::{pending, render};
use crate::server::{Shared, lock};

/// How long a connection stays quiet before a keep-alive envelope.
pub(crate) const HEARTBEAT: Duration = Duration::from_secs(60);

/// How often the stream looks for events written without a request (directly through the store).
const POLL: Duration = Duration::from_millis(50);

/// The most events one envelope carries per subscription (the rest follow in the next envelope).
const EVENTS_PER_ENVELOPE: usize = 100;

/// The most journal positions read per subscription and envelope.
const SCAN_PER_ENVELOPE: usize = 10_000;

/// Sends the stream's envelopes into `out` until the connection closes.
pub(crate) async fn stream(shared: Arc<Shared>, mut plan: StreamPlan, out: mpsc::Sender<Bytes>) {
    let deadline = Instant::now() + plan.timeout;
    let mut close = shared.close_streams.subscribe();
    let mut quiet_since = Instant::now();
    loop {
        let (envelopes, alive) = collect(&shared, &mut plan);
        for envelope in envelopes {
            if out.send(envelope).await.is_err() {
                return;
            }
            quiet_since = Instant::now();
        }
        let now = Instant::now();
        if !alive || now >= deadline {
            let _ = out.send(status(&plan, ConnectionStatus::Closed)).await;
            return;
        }
        if now.saturating_duration_since(quiet_since) >= HEARTBEAT {
            if out.send(status(&plan, ConnectionStatus::Ok)).await.is_err() {
                return;
            }
            quiet_since = now;
        }
        tokio::select! {
            _ = shared.changed.notified() => {}
            _ = sleep(POLL) => {}
            _ = sleep_until(deadline) => {}
            _ = sleep_until(quiet_since + HEARTBEAT) => {}
            _ = close.changed() => {
                let _ = out.send(status(&plan, ConnectionStatus::Closed)).await;
                return;
            }
            _ = out.closed() => return,
        }
    }
}

/// The envelopes of what happened since the last look, and whether any subscription is left.
fn collect(shared: &Shared, plan: &mut StreamPlan) -> (Vec<Bytes>, bool) {
    let mut store = lock(&shared.store);
    let mut notifications = Vec::new();
    let mut lost: Vec<SubscriptionId> = Vec::new();
    let mut ended: Vec<u64> = Vec::new();
    for (number, id) in &plan.subscriptions {
        let Some(subscription) = store.subscriptions.get(plan.mailbox, *number).cloned() else {
            ended.push(*number);
            continue;
        };
        let Some(mailbox) = store.mailbox(plan.mailbox) else {
            ended.push(*number);
            continue;
        };
        let Some(pending) = pending(
            mailbox,
            &subscription,
            subscription.position,
            EVENTS_PER_ENVELOPE,
            SCAN_PER_ENVELOPE,
        ) else {
            lost.push(id.clone());
            ended.push(*number);
            continue;
        };
        let events: Vec<_> = pending
            .events
            .iter()
            .map(|(_, event)| render(mailbox, event, None))
            .collect();
        let reached = pending.reached;
        if let Some(live) = store.subscriptions.get_mut(plan.mailbox, *number) {
            live.position = reached;
            live.last_used = Instant::now();
        }
        if !events.is_empty() {
            notifications.push(Notification {
                subscription_id: id.clone(),
                previous_watermark: None,
                more_events: None,
                events,
            });
        }
    }
    for (number, id) in &plan.subscriptions {
        if lost.contains(id) {
            store.subscriptions.remove(plan.mailbox, *number);
        }
    }
    drop(store);
    plan.subscriptions.retain(|(n, _)| !ended.contains(n));
    let mut envelopes = Vec::new();
    if !notifications.is_empty() {
        let message = GetStreamingEventsMessage {
            notifications: Some(notifications),
            ..GetStreamingEventsMessage::default()
        };
        envelopes.push(envelope(plan, ResponseMessage::success(message)));
    }
    if !lost.is_empty() {
        let mut message = ResponseMessage::<GetStreamingEventsMessage>::error(
            ResponseCode::ErrorExpiredSubscription,
            "The subscription fell too far behind: its events are no longer kept. Subscribe again \
             and resynchronise.",
        );
        message.body.error_subscription_ids = Some(lost);
        envelopes.push(envelope(plan, message));
    }
    (envelopes, !plan.subscriptions.is_empty())
}

/// A keep-alive or closing envelope.
fn status(plan: &StreamPlan, status: ConnectionStatus) -> Bytes {
    let message = GetStreamingEventsMessage {
        connection_status: Some(status),
        ..GetStreamingEventsMessage::default()
    };
    envelope(plan, ResponseMessage::success(message))
}

fn envelope(plan: &StreamPlan, message: ResponseMessage<GetStreamingEventsMessage>) -> Bytes {
    let response: GetStreamingEventsResponse = ResponseMessages::new(vec![message]);
    Bytes::from(response_envelope(Some(&plan.version), &response))
}
