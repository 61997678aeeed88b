//! [`MailboxClient`]: the client acting on one mailbox, with the conveniences users expect: paging,
//! a sync loop, GetItem batching.

use ews_types::items::Item;
use ews_types::operations::{FindFolder, FindItem, GetItem, Operation, SyncFolderItems};
use ews_types::response::{ResponseError, ResponseMessage};
use ews_types::types::{FolderRef, ItemRef, ItemShape};

use crate::client::EwsClient;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::mailbox::Mailbox;
use crate::paging::{FolderPages, ItemPages};
use crate::sync::{FolderSync, SyncOutcome};
use crate::transport::Transport;

/// How many ids one GetItem call reads by default. Full item shapes are large, so calls stay small.
pub const DEFAULT_GET_ITEM_BATCH: usize = 10;

/// The client acting on one mailbox. Cheap to make: [`EwsClient::mailbox`] or [`EwsClient::account`].
#[derive(Debug)]
pub struct MailboxClient<'a, T: Transport, C> {
    client: &'a EwsClient<T, C>,
    mailbox: Mailbox,
}

impl<T: Transport, C> Clone for MailboxClient<'_, T, C> {
    fn clone(&self) -> Self {
        Self {
            client: self.client,
            mailbox: self.mailbox.clone(),
        }
    }
}

impl<'a, T: Transport, C: Clock> MailboxClient<'a, T, C> {
    pub(crate) fn new(client: &'a EwsClient<T, C>, mailbox: Mailbox) -> Self {
        Self { client, mailbox }
    }

    /// The mailbox this handle acts on.
    pub fn target(&self) -> &Mailbox {
        &self.mailbox
    }

    /// The client.
    pub fn client(&self) -> &'a EwsClient<T, C> {
        self.client
    }

    /// Sends `operation` for this mailbox (see [`EwsClient::execute_as`]).
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Response> {
        self.client.execute_as(&self.mailbox, operation).await
    }

    /// Pages through a FindItem search. An indexed view is followed page by page to the end; any other
    /// view (calendar, contacts, fractional, none) is one page.
    pub fn find_items(&self, request: FindItem) -> ItemPages<'a, T, C> {
        ItemPages::new(self.clone(), request)
    }

    /// Pages through a FindFolder search, like [`find_items`](Self::find_items).
    pub fn find_folders(&self, request: FindFolder) -> FolderPages<'a, T, C> {
        FolderPages::new(self.clone(), request)
    }

    /// Synchronizes `folder` from `sync_state` (none for the first sync), one call at a time, until
    /// the server says the last change was sent. Ids only; read the items with
    /// [`get_items`](Self::get_items).
    pub fn sync_folder_items(
        &self,
        folder: impl Into<FolderRef>,
        sync_state: Option<String>,
    ) -> FolderSync<'a, T, C> {
        FolderSync::new(self.clone(), SyncFolderItems::new(folder, sync_state, 512))
    }

    /// Runs a whole sync of `folder` now and returns every change and the state to store.
    ///
    /// On an error nothing is lost: the error comes back and the stored state stays where it was, so the
    /// next run replays the same changes. An `ErrorInvalidSyncStateData` means the state is unusable:
    /// sync again with `None` and reconcile everything.
    pub async fn sync_now(
        &self,
        folder: impl Into<FolderRef>,
        sync_state: Option<String>,
    ) -> Result<SyncOutcome> {
        self.sync_folder_items(folder, sync_state)
            .run_to_end()
            .await
    }

    /// Reads `ids` with `shape` in GetItem calls of [`DEFAULT_GET_ITEM_BATCH`] ids.
    ///
    /// The result has one entry per id, in order: the item, or that id's error (an item deleted
    /// meanwhile does not fail the others). A request-level failure is `Err`.
    pub async fn get_items(
        &self,
        shape: &ItemShape,
        ids: impl IntoIterator<Item = impl Into<ItemRef>>,
    ) -> Result<Vec<std::result::Result<Item, ResponseError>>> {
        self.get_items_in_batches(shape, ids, DEFAULT_GET_ITEM_BATCH)
            .await
    }

    /// [`get_items`](Self::get_items) with `batch` ids per call (at least 1).
    pub async fn get_items_in_batches(
        &self,
        shape: &ItemShape,
        ids: impl IntoIterator<Item = impl Into<ItemRef>>,
        batch: usize,
    ) -> Result<Vec<std::result::Result<Item, ResponseError>>> {
        let ids: Vec<ItemRef> = ids.into_iter().map(Into::into).collect();
        let mut results = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(batch.max(1)) {
            let request = GetItem::new(shape.clone(), chunk.iter().cloned());
            let response = self.execute(&request).await?;
            let mut messages = response.messages.into_iter();
            for _ in chunk {
                results.push(match messages.next() {
                    Some(message) => message.into_result().and_then(|body| {
                        body.items
                            .and_then(|items| items.into_iter().next())
                            .ok_or_else(|| missing("a successful GetItem message held no item"))
                    }),
                    None => Err(missing("the server sent no response message for this id")),
                });
            }
        }
        Ok(results)
    }
}

/// The body of the single message of a response, or its error.
pub(crate) fn single_message<B>(messages: Vec<ResponseMessage<B>>, operation: &str) -> Result<B> {
    let Some(message) = messages.into_iter().next() else {
        return Err(missing_in_response(
            "response message",
            &format!("{operation}Response"),
        ));
    };
    message
        .into_result()
        .map_err(|error| Error::Message(Box::new(error)))
}

/// A 200 response that lacks an element it must have.
pub(crate) fn missing_in_response(what: &str, parent: &str) -> Error {
    Error::InvalidResponse {
        status: 200,
        source: ews_types::Error::Missing {
            what: what.to_owned(),
            parent: parent.to_owned(),
        },
        excerpt: String::new(),
    }
}

/// An error made on the client side, when the server's answer lacks an entry it should have.
pub(crate) fn missing(text: &str) -> ResponseError {
    ResponseError {
        class: ews_types::response::ResponseClass::Error,
        code: None,
        text: Some(text.to_owned()),
        descriptive_link_key: None,
        message_xml: None,
    }
}
