//! Subscribe: a pull or streaming subscription on folders of the acting mailbox (or all of them).
//!
//! A pull subscription answers with its id and a watermark at the newest event (or resumes from the
//! watermark the request carries, if the journal still holds what follows it); a streaming one answers
//! with its id only. Push subscriptions are refused with `ErrorInvalidSubscriptionRequest`: the
//! simulator does not call out to a client's web service. Folders of another mailbox are refused with
//! `ErrorSubscriptionDelegateAccessNotSupported`, as Exchange refuses subscriptions through delegate
//! access; the service account impersonating the owner subscribes instead.

use std::time::Duration;

use ews_types::operations::{
    MAX_SUBSCRIPTION_MINUTES, Subscribe, SubscribeMessage, SubscribeResponse, SubscriptionId,
    Watermark,
};
use ews_types::response::ResponseCode;
use ews_types::types::FolderRef;

use super::notification::kind_of;
use super::{Ews, Refusal, single};
use crate::store::subscriptions::{Delivery, Subscription};

/// How many subscriptions one mailbox may have (Exchange's default `EWSMaxSubscriptions`).
pub(crate) const MAX_SUBSCRIPTIONS_PER_MAILBOX: usize = 20;

pub(crate) fn run(ews: &mut Ews<'_>, op: &Subscribe) -> SubscribeResponse {
    single(subscribe(ews, op))
}

fn subscribe(ews: &mut Ews<'_>, op: &Subscribe) -> Result<SubscribeMessage, Refusal> {
    let (all, folders, event_types, watermark, delivery) = match op {
        Subscribe::Pull(pull) => {
            if !(1..=MAX_SUBSCRIPTION_MINUTES).contains(&pull.timeout) {
                return Err(Refusal::Code(
                    ResponseCode::ErrorInvalidSubscriptionRequest,
                    "The pull subscription Timeout must be 1 to 1440 minutes.",
                ));
            }
            let minutes = u64::try_from(pull.timeout).unwrap_or(1);
            let delivery = Delivery::Pull {
                timeout: Duration::from_secs(minutes * 60),
            };
            (
                pull.subscribe_to_all_folders,
                &pull.folder_ids,
                &pull.event_types,
                pull.watermark.as_ref(),
                delivery,
            )
        }
        Subscribe::Streaming(streaming) => (
            streaming.subscribe_to_all_folders,
            &streaming.folder_ids,
            &streaming.event_types,
            None,
            Delivery::Streaming,
        ),
        _ => {
            return Err(Refusal::Code(
                ResponseCode::ErrorInvalidSubscriptionRequest,
                "Push subscriptions are not supported by the simulator: use a pull or streaming \
                 subscription.",
            ));
        }
    };
    let folders = watched_folders(ews, all, folders.as_deref())?;
    let kinds = event_types
        .iter()
        .map(|t| kind_of(t).ok_or_else(unknown_event_type))
        .collect::<Result<Vec<_>, _>>()?;
    if kinds.is_empty() {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidSubscriptionRequest,
            "A subscription needs at least one event type.",
        ));
    }
    if ews.store.subscriptions.count(ews.acting) >= MAX_SUBSCRIPTIONS_PER_MAILBOX {
        return Err(Refusal::Code(
            ResponseCode::ErrorExceededSubscriptionCount,
            "The mailbox has too many subscriptions; unsubscribe some first.",
        ));
    }
    let mailbox = ews.mailbox()?;
    let position = match watermark {
        None => mailbox.journal.head(),
        Some(watermark) => resume_position(ews, watermark)?,
    };
    let number = ews.store.subscriptions.add(Subscription {
        mailbox: ews.acting,
        delivery,
        folders,
        kinds,
        position,
        last_used: tokio::time::Instant::now(),
    });
    let id = ews.store.keys.subscription_id(ews.acting, number);
    let watermark = match delivery {
        Delivery::Pull { .. } => Some(Watermark(ews.store.keys.watermark(ews.acting, position))),
        Delivery::Streaming => None,
    };
    Ok(SubscribeMessage {
        subscription_id: Some(SubscriptionId(id)),
        watermark,
    })
}

fn unknown_event_type() -> Refusal {
    Refusal::Code(
        ResponseCode::ErrorInvalidSubscriptionRequest,
        "The subscription asks for an event type the simulator does not know.",
    )
}

/// The folders a subscription watches (`None`: all), all in the acting mailbox.
fn watched_folders(
    ews: &Ews<'_>,
    all: Option<bool>,
    folders: Option<&[FolderRef]>,
) -> Result<Option<Vec<u32>>, Refusal> {
    if all == Some(true) {
        return Ok(None);
    }
    let folders = folders.unwrap_or_default();
    if folders.is_empty() {
        return Err(Refusal::Code(
            ResponseCode::ErrorInvalidSubscriptionRequest,
            "A subscription needs FolderIds or SubscribeToAllFolders.",
        ));
    }
    let mut keys = Vec::with_capacity(folders.len());
    for folder in folders {
        let (no, key) = ews.folder(folder)?;
        if no != ews.acting {
            return Err(Refusal::Code(
                ResponseCode::ErrorSubscriptionDelegateAccessNotSupported,
                "Subscriptions to another mailbox's folders are not supported; impersonate its \
                 owner instead.",
            ));
        }
        keys.push(key);
    }
    Ok(Some(keys))
}

/// Where a re-subscription with a watermark resumes: the watermark must be one of this mailbox's and
/// the journal must still hold the events after it.
fn resume_position(ews: &Ews<'_>, watermark: &Watermark) -> Result<u64, Refusal> {
    let invalid = Refusal::Code(
        ResponseCode::ErrorInvalidWatermark,
        "The watermark is invalid, belongs to another mailbox, or its events are no longer kept.",
    );
    let mailbox = ews.mailbox()?;
    match ews.store.keys.parse_watermark(watermark.as_str()) {
        Some((no, position))
            if no == ews.acting
                && position <= mailbox.journal.head()
                && mailbox.journal.since(position).is_ok() =>
        {
            Ok(position)
        }
        _ => Err(invalid),
    }
}
