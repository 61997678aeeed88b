//! Subscribe: ask to be told about changes in folders, by pull (GetEvents), push (Exchange posts to a
//! URL) or streaming (GetStreamingEvents, Exchange 2010 SP1 and later).
//!
//! ```
//! use ews_types::operations::{EventType, FolderScope, Operation, Subscribe};
//! use ews_types::types::DistinguishedFolderName;
//!
//! let pull = Subscribe::pull(
//!     FolderScope::folders([DistinguishedFolderName::Inbox]),
//!     vec![EventType::NewMail, EventType::Created],
//!     10,
//! );
//! assert!(pull.validate().is_ok());
//! // A pull subscription lives 1 to 1440 minutes without a GetEvents call.
//! let too_long = Subscribe::pull(FolderScope::AllFolders, EventType::all(), 1441);
//! assert!(too_long.validate().is_err());
//! ```

use crate::error::{Error, Result};
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::FolderRef;
use crate::xml::xml_sequence;
use crate::xml::{Ns, Start, XmlChoice, XmlElement, XmlReader, XmlWriter, read_one_choice};

use super::Operation;
use super::notification::{EventType, SubscriptionId, Watermark};

/// The longest a pull subscription may stay idle (`Timeout`) and the longest interval between a push
/// subscription's status messages (`StatusFrequency`), in minutes.
pub const MAX_SUBSCRIPTION_MINUTES: i32 = 1440;

xml_sequence! {
    element
    /// A pull subscription: the client fetches events with GetEvents.
    pub struct PullSubscriptionRequest in Types "t:" {
        @attrs {
            /// Subscribe to every folder of the mailbox (then leave `folder_ids` out).
            subscribe_to_all_folders: bool = "SubscribeToAllFolders";
        }
        /// The folders to watch.
        opt folder_ids: Vec<FolderRef> = "FolderIds";
        /// The kinds of events to report (at least one).
        req event_types: Vec<EventType> = "EventTypes";
        /// Resume from this watermark instead of now.
        opt watermark: Watermark = "Watermark";
        /// Minutes the subscription survives without a GetEvents call (1 to 1440).
        req timeout: i32 = "Timeout";
    }
}

xml_sequence! {
    element
    /// A push subscription: Exchange posts notifications to a web service of the client.
    pub struct PushSubscriptionRequest in Types "t:" {
        @attrs {
            /// Subscribe to every folder of the mailbox (then leave `folder_ids` out).
            subscribe_to_all_folders: bool = "SubscribeToAllFolders";
        }
        /// The folders to watch.
        opt folder_ids: Vec<FolderRef> = "FolderIds";
        /// The kinds of events to report (at least one).
        req event_types: Vec<EventType> = "EventTypes";
        /// Resume from this watermark instead of now.
        opt watermark: Watermark = "Watermark";
        /// Minutes between status notifications when nothing happens (1 to 1440).
        req status_frequency: i32 = "StatusFrequency";
        /// The client's web service that receives the notifications.
        req url: String = "URL";
        /// Data Exchange sends back with every notification.
        opt caller_data: String = "CallerData";
    }
}

xml_sequence! {
    element
    /// A streaming subscription: events arrive over a GetStreamingEvents connection.
    pub struct StreamingSubscriptionRequest in Types "t:" {
        @attrs {
            /// Subscribe to every folder of the mailbox (then leave `folder_ids` out).
            subscribe_to_all_folders: bool = "SubscribeToAllFolders";
        }
        /// The folders to watch.
        opt folder_ids: Vec<FolderRef> = "FolderIds";
        /// The kinds of events to report (at least one).
        req event_types: Vec<EventType> = "EventTypes";
    }
}

/// Which folders a subscription watches.
#[derive(Debug, Clone, PartialEq)]
pub enum FolderScope {
    /// These folders (at least one).
    Folders(Vec<FolderRef>),
    /// Every folder of the mailbox (`SubscribeToAllFolders`, Exchange 2010 and later).
    AllFolders,
}

impl FolderScope {
    /// The given folders.
    pub fn folders(folders: impl IntoIterator<Item = impl Into<FolderRef>>) -> Self {
        FolderScope::Folders(folders.into_iter().map(Into::into).collect())
    }

    /// The `SubscribeToAllFolders` attribute and the `FolderIds` of this scope.
    fn into_parts(self) -> (Option<bool>, Option<Vec<FolderRef>>) {
        match self {
            FolderScope::Folders(folders) => (None, Some(folders)),
            FolderScope::AllFolders => (Some(true), None),
        }
    }
}

/// Subscribe request: one subscription of one of three kinds (the schema's choice).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Subscribe {
    /// A pull subscription.
    Pull(PullSubscriptionRequest),
    /// A push subscription.
    Push(PushSubscriptionRequest),
    /// A streaming subscription.
    Streaming(StreamingSubscriptionRequest),
}

impl Subscribe {
    /// A pull subscription to `event_types` in `folders` that lapses after `timeout_minutes` (1 to
    /// 1440) without a GetEvents call.
    pub fn pull(folders: FolderScope, event_types: Vec<EventType>, timeout_minutes: i32) -> Self {
        let (subscribe_to_all_folders, folder_ids) = folders.into_parts();
        Subscribe::Pull(PullSubscriptionRequest {
            subscribe_to_all_folders,
            folder_ids,
            event_types,
            watermark: None,
            timeout: timeout_minutes,
        })
    }

    /// A push subscription to `event_types` in `folders`, posting to `url`, with a status message
    /// every `status_frequency_minutes` (1 to 1440) when nothing happens.
    pub fn push(
        folders: FolderScope,
        event_types: Vec<EventType>,
        url: impl Into<String>,
        status_frequency_minutes: i32,
    ) -> Self {
        let (subscribe_to_all_folders, folder_ids) = folders.into_parts();
        Subscribe::Push(PushSubscriptionRequest {
            subscribe_to_all_folders,
            folder_ids,
            event_types,
            watermark: None,
            status_frequency: status_frequency_minutes,
            url: url.into(),
            caller_data: None,
        })
    }

    /// A streaming subscription to `event_types` in `folders`.
    pub fn streaming(folders: FolderScope, event_types: Vec<EventType>) -> Self {
        let (subscribe_to_all_folders, folder_ids) = folders.into_parts();
        Subscribe::Streaming(StreamingSubscriptionRequest {
            subscribe_to_all_folders,
            folder_ids,
            event_types,
        })
    }
}

fn check_minutes(what: &str, minutes: i32) -> Result<()> {
    if (1..=MAX_SUBSCRIPTION_MINUTES).contains(&minutes) {
        return Ok(());
    }
    Err(Error::InvalidRequest(format!(
        "{what} must be 1 to {MAX_SUBSCRIPTION_MINUTES} minutes, not {minutes}"
    )))
}

/// The rules shared by the three kinds: some folders (or all), some event types.
fn check_scope(
    subscribe_to_all_folders: Option<bool>,
    folder_ids: Option<&Vec<FolderRef>>,
    event_types: &[EventType],
) -> Result<()> {
    if event_types.is_empty() {
        return Err(Error::InvalidRequest(
            "a subscription needs at least one event type".into(),
        ));
    }
    match folder_ids {
        Some(folders) if folders.is_empty() => Err(Error::InvalidRequest(
            "FolderIds must hold at least one folder; use SubscribeToAllFolders for all".into(),
        )),
        None if subscribe_to_all_folders != Some(true) => Err(Error::InvalidRequest(
            "a subscription needs FolderIds or SubscribeToAllFolders=\"true\"".into(),
        )),
        _ => Ok(()),
    }
}

impl Operation for Subscribe {
    const NAME: &'static str = "Subscribe";
    type Response = SubscribeResponse;

    fn validate(&self) -> Result<()> {
        match self {
            Subscribe::Pull(pull) => {
                check_scope(
                    pull.subscribe_to_all_folders,
                    pull.folder_ids.as_ref(),
                    &pull.event_types,
                )?;
                check_minutes("Timeout", pull.timeout)
            }
            Subscribe::Push(push) => {
                check_scope(
                    push.subscribe_to_all_folders,
                    push.folder_ids.as_ref(),
                    &push.event_types,
                )?;
                check_minutes("StatusFrequency", push.status_frequency)?;
                if push.url.trim().is_empty() {
                    return Err(Error::InvalidRequest(
                        "a push subscription needs the URL of the client's service".into(),
                    ));
                }
                Ok(())
            }
            Subscribe::Streaming(streaming) => check_scope(
                streaming.subscribe_to_all_folders,
                streaming.folder_ids.as_ref(),
                &streaming.event_types,
            ),
        }
    }
}

impl XmlChoice for Subscribe {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            Subscribe::Pull(pull) => pull.write_element(w, "m:PullSubscriptionRequest"),
            Subscribe::Push(push) => push.write_element(w, "m:PushSubscriptionRequest"),
            Subscribe::Streaming(streaming) => {
                streaming.write_element(w, "m:StreamingSubscriptionRequest")
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Messages {
            return Ok(None);
        }
        Ok(Some(match start.local_name() {
            "PullSubscriptionRequest" => {
                Subscribe::Pull(PullSubscriptionRequest::read_element(r, start)?)
            }
            "PushSubscriptionRequest" => {
                Subscribe::Push(PushSubscriptionRequest::read_element(r, start)?)
            }
            "StreamingSubscriptionRequest" => {
                Subscribe::Streaming(StreamingSubscriptionRequest::read_element(r, start)?)
            }
            _ => return Ok(None),
        }))
    }
}

impl XmlElement for Subscribe {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.write_choice(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_one_choice(
            r,
            start,
            "PullSubscriptionRequest, PushSubscriptionRequest or StreamingSubscriptionRequest",
        )
    }
}

xml_sequence! {
    children
    /// The body of a Subscribe response message: the new subscription.
    pub struct SubscribeMessage in Messages "m:" {
        /// The subscription's id, for GetEvents, GetStreamingEvents and Unsubscribe.
        opt subscription_id: SubscriptionId = "SubscriptionId";
        /// Where its events start (pull and push subscriptions).
        opt watermark: Watermark = "Watermark";
    }
}

impl ResponseBody for SubscribeMessage {
    const MESSAGE: &'static str = "SubscribeResponseMessage";
    const RESPONSE: &'static str = "SubscribeResponse";
}

/// The Subscribe response (one message).
pub type SubscribeResponse = ResponseMessages<SubscribeMessage>;
