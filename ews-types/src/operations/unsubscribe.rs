//! Unsubscribe: end a pull or streaming subscription (push subscriptions end when the client's service
//! answers a notification with `Unsubscribe`).

use crate::error::{Error, Result};
use crate::response::ResponseMessages;
use crate::xml::xml_sequence;

use super::Operation;
use super::notification::SubscriptionId;

xml_sequence! {
    element
    /// Unsubscribe request.
    pub struct Unsubscribe in Messages "m:" {
        /// The subscription to end.
        req subscription_id: SubscriptionId = "SubscriptionId";
    }
}

impl Unsubscribe {
    /// Ends `subscription_id`.
    pub fn new(subscription_id: impl Into<SubscriptionId>) -> Self {
        Unsubscribe {
            subscription_id: subscription_id.into(),
        }
    }
}

impl Operation for Unsubscribe {
    const NAME: &'static str = "Unsubscribe";
    type Response = UnsubscribeResponse;

    fn validate(&self) -> Result<()> {
        if self.subscription_id.as_str().is_empty() {
            return Err(Error::InvalidRequest(
                "Unsubscribe needs a subscription id".into(),
            ));
        }
        Ok(())
    }
}

super::empty_body!(
    UnsubscribeMessage,
    "UnsubscribeResponseMessage",
    "UnsubscribeResponse"
);

/// The Unsubscribe response (one message).
pub type UnsubscribeResponse = ResponseMessages<UnsubscribeMessage>;
