//! GetStreamingEvents: checks the subscriptions a connection asks for; the answer itself is streamed
//! by [`super::streaming`].
//!
//! Every subscription must be a streaming subscription of the acting mailbox. If one is not, the
//! answer is a single (not streamed) error message naming the failing ids in `ErrorSubscriptionIds`,
//! with `ConnectionStatus` `Closed`.

use std::time::Duration;

use ews_types::operations::{
    ConnectionStatus, GetStreamingEvents, GetStreamingEventsMessage, GetStreamingEventsResponse,
    MAX_CONNECTION_MINUTES, SubscriptionId,
};
use ews_types::response::{ResponseCode, ResponseMessages};

use super::notification::{find, not_found};
use super::{Ews, Refusal};
use crate::store::subscriptions::Delivery;

/// What a streaming connection serves: the subscriptions (number and id) of one mailbox, until when.
#[derive(Debug, Clone)]
pub(crate) struct StreamPlan {
    pub(crate) mailbox: u32,
    pub(crate) subscriptions: Vec<(u64, SubscriptionId)>,
    pub(crate) timeout: Duration,
    pub(crate) version: ews_types::soap::ServerVersionInfo,
}

/// The plan of the stream, or the error answer.
pub(crate) fn run(
    ews: &mut Ews<'_>,
    op: &GetStreamingEvents,
    version: ews_types::soap::ServerVersionInfo,
) -> Result<StreamPlan, GetStreamingEventsResponse> {
    if !(1..=MAX_CONNECTION_MINUTES).contains(&op.connection_timeout)
        || op.subscription_ids.is_empty()
    {
        let refusal = Refusal::Code(
            ResponseCode::ErrorInvalidRequest,
            "GetStreamingEvents needs subscription ids and a ConnectionTimeout of 1 to 30 minutes.",
        );
        return Err(refused(&refusal, Vec::new()));
    }
    let mut subscriptions = Vec::with_capacity(op.subscription_ids.len());
    let mut failed = Vec::new();
    let mut first_refusal = None;
    for id in &op.subscription_ids {
        match streaming_subscription(ews, id) {
            Ok(number) => subscriptions.push((number, id.clone())),
            Err(refusal) => {
                failed.push(id.clone());
                first_refusal.get_or_insert(refusal);
            }
        }
    }
    if let Some(refusal) = first_refusal {
        return Err(refused(&refusal, failed));
    }
    let minutes = u64::try_from(op.connection_timeout).unwrap_or(1);
    Ok(StreamPlan {
        mailbox: ews.acting,
        subscriptions,
        timeout: Duration::from_secs(minutes * 60),
        version,
    })
}

fn streaming_subscription(ews: &Ews<'_>, id: &SubscriptionId) -> Result<u64, Refusal> {
    let (no, number) = find(ews, id)?;
    let subscription = ews
        .store
        .subscriptions
        .get(no, number)
        .ok_or_else(not_found)?;
    if subscription.delivery != Delivery::Streaming {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidSubscription,
            "The subscription is a pull subscription: read it with GetEvents.",
        ));
    }
    Ok(number)
}

/// The single error answer: the refusal, the failing ids, and the connection closed.
fn refused(refusal: &Refusal, failed: Vec<SubscriptionId>) -> GetStreamingEventsResponse {
    let mut message = refusal.message::<GetStreamingEventsMessage>();
    message.body.error_subscription_ids = (!failed.is_empty()).then_some(failed);
    message.body.connection_status = Some(ConnectionStatus::Closed);
    ResponseMessages::new(vec![message])
}
