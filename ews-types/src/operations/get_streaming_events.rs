//! GetStreamingEvents: open a long-lived connection on which Exchange sends the events of streaming
//! subscriptions as they happen.
//!
//! The answer is ONE chunked HTTP response holding several complete SOAP envelopes one after another:
//! notifications as events happen, a keep-alive with `ConnectionStatus` `OK` in between, and a last one
//! with `Closed` when the connection times out (after `ConnectionTimeout` minutes, at most 30). Feed the
//! body to a [`StreamingEventsDecoder`](crate::streaming::StreamingEventsDecoder) as it arrives, then
//! reconnect. Subscriptions that share a connection must live on the same mailbox server (see
//! Microsoft's "Maintain affinity between a group of subscriptions and the Mailbox server").

use crate::error::{Error, Result};
use crate::response::{ResponseBody, ResponseMessages};
use crate::xml::{open_enum, xml_sequence};

use super::Operation;
use super::notification::{Notification, SubscriptionId};

/// The longest a streaming connection may stay open (`ConnectionTimeout`), in minutes.
pub const MAX_CONNECTION_MINUTES: i32 = 30;

xml_sequence! {
    element
    /// GetStreamingEvents request.
    pub struct GetStreamingEvents in Messages "m:" {
        /// The streaming subscriptions to listen to (at least one).
        req subscription_ids: Vec<SubscriptionId> = "SubscriptionIds";
        /// Minutes to keep the connection open (1 to 30).
        req connection_timeout: i32 = "ConnectionTimeout";
    }
}

impl GetStreamingEvents {
    /// Listens to `subscription_ids` for `timeout_minutes` (1 to 30).
    pub fn new(
        subscription_ids: impl IntoIterator<Item = impl Into<SubscriptionId>>,
        timeout_minutes: i32,
    ) -> Self {
        GetStreamingEvents {
            subscription_ids: subscription_ids.into_iter().map(Into::into).collect(),
            connection_timeout: timeout_minutes,
        }
    }
}

impl Operation for GetStreamingEvents {
    const NAME: &'static str = "GetStreamingEvents";
    type Response = GetStreamingEventsResponse;

    fn validate(&self) -> Result<()> {
        if self.subscription_ids.is_empty() {
            return Err(Error::InvalidRequest(
                "GetStreamingEvents needs at least one subscription id".into(),
            ));
        }
        if !(1..=MAX_CONNECTION_MINUTES).contains(&self.connection_timeout) {
            return Err(Error::InvalidRequest(format!(
                "ConnectionTimeout must be 1 to {MAX_CONNECTION_MINUTES} minutes, not {}",
                self.connection_timeout
            )));
        }
        Ok(())
    }
}

open_enum! {
    /// The state of a streaming connection.
    pub enum ConnectionStatus {
        /// The connection is open (keep-alive messages say this).
        Ok = "OK",
        /// The server closed the connection (timeout reached, or every subscription failed): reconnect.
        Closed = "Closed",
    }
}

xml_sequence! {
    children
    /// The body of a GetStreamingEvents response message: one envelope of the stream.
    pub struct GetStreamingEventsMessage in Messages "m:" {
        /// The notifications, one per subscription with events.
        list notifications: Notification = "Notifications" / "Notification";
        /// Subscriptions that failed (expired, unknown, or of another mailbox database).
        opt error_subscription_ids: Vec<SubscriptionId> = "ErrorSubscriptionIds";
        /// Whether the connection stays open.
        opt connection_status: ConnectionStatus = "ConnectionStatus";
    }
}

impl GetStreamingEventsMessage {
    /// Whether the server closed the connection with this message.
    pub fn is_closed(&self) -> bool {
        self.connection_status == Some(ConnectionStatus::Closed)
    }

    fn object_counts(&self) -> (usize, usize) {
        self.notifications
            .iter()
            .flatten()
            .map(Notification::object_counts)
            .fold((0, 0), |(i, f), (items, folders)| (i + items, f + folders))
    }
}

impl ResponseBody for GetStreamingEventsMessage {
    const MESSAGE: &'static str = "GetStreamingEventsResponseMessage";
    const RESPONSE: &'static str = "GetStreamingEventsResponse";

    fn item_count(&self) -> usize {
        self.object_counts().0
    }

    fn folder_count(&self) -> usize {
        self.object_counts().1
    }
}

/// One envelope of a GetStreamingEvents response (one message).
pub type GetStreamingEventsResponse = ResponseMessages<GetStreamingEventsMessage>;
