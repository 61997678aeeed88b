//! GetEvents: the events of a pull subscription since a watermark.
//!
//! Call it from the watermark Subscribe returned, then from [`Notification::resume_watermark`], at once
//! again while [`Notification::has_more_events`] says so, and at least once per subscription timeout
//! (otherwise the subscription lapses).
//!
//! ```
//! use ews_types::operations::{GetEvents, GetEventsResponse, NotificationEvent};
//! use ews_types::soap::parse_response;
//!
//! let request = GetEvents::new("d581ab79", "AAAAAGUhAAAAAAAAAQ==");
//! assert_eq!(request.watermark.as_str(), "AAAAAGUhAAAAAAAAAQ==");
//!
//! let answer = br#"<m:GetEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
//!     xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>
//!   <m:GetEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
//!     <m:Notification><t:SubscriptionId>d581ab79</t:SubscriptionId>
//!       <t:PreviousWatermark>AAAAAGUhAAAAAAAAAQ==</t:PreviousWatermark><t:MoreEvents>false</t:MoreEvents>
//!       <t:NewMailEvent><t:Watermark>AAAAAHMhAAAAAAAAAQ==</t:Watermark>
//!         <t:TimeStamp>2013-09-15T21:37:01Z</t:TimeStamp><t:ItemId Id="AAAtA=" ChangeKey="CQAAAA=="/>
//!         <t:ParentFolderId Id="AQAtAEFkbWA=" ChangeKey="AQAAAA=="/></t:NewMailEvent>
//!     </m:Notification></m:GetEventsResponseMessage></m:ResponseMessages></m:GetEventsResponse>"#;
//! let response = parse_response::<GetEventsResponse>(answer).unwrap().body;
//! let message = response.messages.into_iter().next().unwrap().into_result().unwrap();
//! let notification = message.notification.unwrap();
//! assert!(matches!(notification.events[0], NotificationEvent::NewMail(_)));
//! assert_eq!(notification.resume_watermark().unwrap().as_str(), "AAAAAHMhAAAAAAAAAQ==");
//! assert!(!notification.has_more_events());
//! ```

use crate::error::{Error, Result};
use crate::response::{ResponseBody, ResponseMessages};
use crate::xml::xml_sequence;

use super::Operation;
use super::notification::{Notification, SubscriptionId, Watermark};

xml_sequence! {
    element
    /// GetEvents request.
    pub struct GetEvents in Messages "m:" {
        /// The pull subscription.
        req subscription_id: SubscriptionId = "SubscriptionId";
        /// The watermark to read from: Subscribe's, then the last event's.
        req watermark: Watermark = "Watermark";
    }
}

impl GetEvents {
    /// The events of `subscription_id` after `watermark`.
    pub fn new(
        subscription_id: impl Into<SubscriptionId>,
        watermark: impl Into<Watermark>,
    ) -> Self {
        GetEvents {
            subscription_id: subscription_id.into(),
            watermark: watermark.into(),
        }
    }
}

impl Operation for GetEvents {
    const NAME: &'static str = "GetEvents";
    type Response = GetEventsResponse;

    fn validate(&self) -> Result<()> {
        if self.subscription_id.as_str().is_empty() || self.watermark.as_str().is_empty() {
            return Err(Error::InvalidRequest(
                "GetEvents needs a subscription id and a watermark".into(),
            ));
        }
        Ok(())
    }
}

xml_sequence! {
    children
    /// The body of a GetEvents response message.
    pub struct GetEventsMessage in Messages "m:" {
        /// The events.
        opt notification: Notification = "Notification";
    }
}

impl ResponseBody for GetEventsMessage {
    const MESSAGE: &'static str = "GetEventsResponseMessage";
    const RESPONSE: &'static str = "GetEventsResponse";

    fn item_count(&self) -> usize {
        self.notification
            .as_ref()
            .map_or(0, |n| n.object_counts().0)
    }

    fn folder_count(&self) -> usize {
        self.notification
            .as_ref()
            .map_or(0, |n| n.object_counts().1)
    }
}

/// The GetEvents response (one message).
pub type GetEventsResponse = ResponseMessages<GetEventsMessage>;
