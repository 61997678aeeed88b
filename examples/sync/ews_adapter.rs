//! [`EwsMailbox`]: one mailbox over EWS, as an [`ExchangeMailbox`].
//!
//! * **Feed**: per synced kind, `SyncFolderItems` (ids only, 512 per page) from the folder's stored
//!   `SyncState`, then `GetItem` in batches for every created or updated id. `Delete` entries become
//!   removal hints (sync-core confirms them with a direct read). When Exchange refuses a state
//!   (`ErrorInvalidSyncStateData`) every folder is read again from the start and the round is a
//!   complete enumeration, so nothing is deleted on absence.
//! * **Writes**: `CreateItem` with the tracking category and the correlation key (a named string
//!   property); after an unknown outcome, a `FindItem` restriction on the key finds the first attempt.
//!   `UpdateItem` with `ConflictResolution="NeverOverwrite"` and the ChangeKey the plan was built from;
//!   `DeleteItem` to Deleted Items (meetings with cancellations when the rule says so) after checking the
//!   ChangeKey; untracking removes only the tracking category.

use std::sync::Arc;

use ews_client::{Clock, EwsClient, Mailbox, MailboxClient, Transport};
use ews_types::items::Item;
use ews_types::operations::{
    CreateItem, DeleteItem, DeleteType, FindItem, ItemChange, ItemUpdate, SendMeetingNotices,
    SendMeetingUpdates, UpdateItem,
};
use ews_types::response::{ResponseCode, ResponseError};
use ews_types::restriction::SearchExpression;
use ews_types::types::{
    BaseShape, BodyTypeResponse, FolderRef, ItemId, ItemRef, ItemShape, PropertyPath,
};
use sync_core::{
    Action, Change, CursorAdvance, Failure, Observation, Operation, Outcome, RecordKind, SyncState,
    Timestamp,
};

use super::ews_mapping::{self, categories_update, field_updates, folder_of, key_property};
use super::{ExchangeMailbox, Feed, FeedCalls, Restartable, SyncError, fetch_with_restart};

/// The cursor scope of a kind's folder.
pub fn scope_of(kind: RecordKind) -> String {
    format!("ews:{}", folder_of(kind).as_str())
}

/// One mailbox over EWS. Cheap to clone; share the [`EwsClient`] between mailboxes of one endpoint
/// (its back-off gate and request limit are per endpoint).
#[derive(Debug)]
pub struct EwsMailbox<T: Transport, C: Clock> {
    client: Arc<EwsClient<T, C>>,
    target: Mailbox,
    address: String,
    kinds: Vec<RecordKind>,
    category: String,
    get_item_batch: usize,
}

impl<T: Transport, C: Clock> Clone for EwsMailbox<T, C> {
    fn clone(&self) -> Self {
        EwsMailbox {
            client: self.client.clone(),
            target: self.target.clone(),
            address: self.address.clone(),
            kinds: self.kinds.clone(),
            category: self.category.clone(),
            get_item_batch: self.get_item_batch,
        }
    }
}

impl<T: Transport, C: Clock> EwsMailbox<T, C> {
    /// `address`'s mailbox, reached by impersonation (`ExchangeImpersonation` + `X-AnchorMailbox`),
    /// syncing every kind with the tracking category `category`.
    pub fn impersonating(client: Arc<EwsClient<T, C>>, address: &str, category: &str) -> Self {
        EwsMailbox {
            client,
            target: Mailbox::smtp(address),
            address: address.to_owned(),
            kinds: RecordKind::ALL.to_vec(),
            category: category.to_owned(),
            get_item_batch: ews_client::DEFAULT_GET_ITEM_BATCH,
        }
    }

    /// Syncs only these kinds.
    pub fn kinds(mut self, kinds: &[RecordKind]) -> Self {
        self.kinds = kinds.to_vec();
        self
    }

    /// Reads changed items in GetItem calls of `batch` ids (default
    /// [`ews_client::DEFAULT_GET_ITEM_BATCH`]).
    pub fn get_item_batch(mut self, batch: usize) -> Self {
        self.get_item_batch = batch.max(1);
        self
    }

    /// The number of GetItem calls a feed of `items` changed items takes.
    pub fn get_item_calls(&self, items: usize) -> usize {
        items.div_ceil(self.get_item_batch)
    }

    fn mailbox(&self) -> MailboxClient<'_, T, C> {
        self.client.mailbox(self.target.clone())
    }

    /// The shape items are read with: every property, bodies as text, and the correlation key.
    fn full_shape() -> ItemShape {
        let mut shape = ItemShape::new(BaseShape::AllProperties)
            .with_properties([PropertyPath::Extended(key_property())]);
        shape.body_type = Some(BodyTypeResponse::Text);
        shape
    }

    /// Reads one folder's changes from `state`; `Ok(None)` when Exchange refused the state.
    async fn folder_changes(
        &self,
        kind: RecordKind,
        state: Option<String>,
        calls: &mut FeedCalls,
    ) -> Result<Option<(Vec<ItemChange>, String)>, SyncError> {
        let mailbox = self.mailbox();
        let mut sync = mailbox.sync_folder_items(folder_of(kind), state);
        let mut changes = Vec::new();
        let mut last_state = None;
        loop {
            calls.pages += 1;
            match sync.next_page().await {
                Ok(Some(page)) => {
                    changes.extend(page.changes);
                    last_state = Some(page.sync_state);
                }
                Ok(None) => break,
                Err(e) if e.response_code() == Some(ResponseCode::ErrorInvalidSyncStateData) => {
                    return Ok(None);
                }
                Err(e) => return Err(e.into()),
            }
        }
        // The loop counts one call too many: `next_page` returns `None` without calling.
        calls.pages -= 1;
        let state = last_state.ok_or(SyncError::Unexpected {
            what: "SyncFolderItems",
            detail: "no page came back".into(),
        })?;
        Ok(Some((changes, state)))
    }

    /// Reads `ids` with the full shape; one observation per id (`RemovedHint` for ids gone meanwhile).
    async fn read_items(
        &self,
        ids: Vec<String>,
        calls: &mut FeedCalls,
    ) -> Result<Vec<Observation>, SyncError> {
        calls.reads += self.get_item_calls(ids.len());
        let results = self
            .mailbox()
            .get_items_in_batches(
                &Self::full_shape(),
                ids.iter().map(|id| ItemId::new(id.as_str())),
                self.get_item_batch,
            )
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id, result) in ids.into_iter().zip(results) {
            match result {
                Ok(item) => {
                    if let Some((id, snapshot)) = ews_mapping::observe(&item) {
                        out.push(Observation {
                            id,
                            change: Change::Upsert(snapshot),
                        });
                    }
                }
                Err(e) if is_not_found(&e) => out.push(Observation {
                    id,
                    change: Change::RemovedHint,
                }),
                Err(e) => {
                    return Err(SyncError::Ews(ews_client::Error::Message(Box::new(e))));
                }
            }
        }
        Ok(out)
    }

    async fn create(&self, op: &Operation) -> Result<Outcome, SyncError> {
        let Action::Create {
            key,
            fields,
            recovery,
            ..
        } = &op.action
        else {
            return Ok(Outcome::Failed(Failure::Permanent("not a create".into())));
        };
        let folder = FolderRef::from(folder_of(op.kind));
        if *recovery {
            let mut find = FindItem::new(folder.clone(), 2);
            find.restriction = Some(SearchExpression::is_equal_to(
                PropertyPath::Extended(key_property()),
                key.to_string(),
            ));
            let found = self.mailbox().find_items(find).collect_all().await?;
            if let Some(id) = found.first().and_then(Item::id) {
                return Ok(Outcome::Created {
                    id: id.id.clone(),
                    token: id.change_key.clone().unwrap_or_default(),
                    modified_at: Timestamp(i64::MIN),
                });
            }
        }
        let item = ews_mapping::new_item(op.kind, fields, *key, &self.category);
        let request = match op.kind {
            RecordKind::Meeting => {
                let invite = if sync_core_has_attendees(fields) {
                    SendMeetingNotices::SendToAllAndSaveCopy
                } else {
                    SendMeetingNotices::SendToNone
                };
                CreateItem::calendar(folder, vec![item], invite)
            }
            _ => CreateItem::save(folder, vec![item]),
        };
        let response = self.mailbox().execute(&request).await?;
        let first = response.into_results().into_iter().next();
        Ok(
            match written_id(first.map(|r| r.map(|b| b.items)), "CreateItem") {
                Ok(id) => Outcome::Created {
                    id: id.id,
                    token: id.change_key.unwrap_or_default(),
                    modified_at: Timestamp(i64::MIN),
                },
                Err(failure) => Outcome::Failed(failure),
            },
        )
    }

    async fn update(&self, op: &Operation) -> Result<Outcome, SyncError> {
        let Action::Update {
            item,
            token,
            fields,
            stamp_key,
        } = &op.action
        else {
            return Ok(Outcome::Failed(Failure::Permanent("not an update".into())));
        };
        let updates = field_updates(op.kind, fields, *stamp_key);
        self.write(op.kind, item, token, updates).await
    }

    /// One conditional `UpdateItem` of `item` at `token`.
    async fn write(
        &self,
        kind: RecordKind,
        item: &str,
        token: &str,
        updates: Vec<ews_types::operations::FieldUpdate>,
    ) -> Result<Outcome, SyncError> {
        if updates.is_empty() {
            // Nothing EWS can write (for example only an email's sent time): the item is unchanged.
            return Ok(Outcome::Updated {
                token: token.to_owned(),
                modified_at: Timestamp(i64::MIN),
            });
        }
        let change = ItemUpdate {
            item: ItemRef::Id(ItemId::with_change_key(item, token)),
            updates,
        };
        let request = match kind {
            RecordKind::Meeting => {
                UpdateItem::calendar(vec![change], SendMeetingUpdates::SendToNone)
            }
            _ => UpdateItem::never_overwrite(vec![change]),
        };
        let response = self.mailbox().execute(&request).await?;
        let first = response.into_results().into_iter().next();
        Ok(
            match written_id(first.map(|r| r.map(|b| b.items)), "UpdateItem") {
                Ok(id) => Outcome::Updated {
                    token: id.change_key.unwrap_or_default(),
                    modified_at: Timestamp(i64::MIN),
                },
                Err(failure) => Outcome::Failed(failure),
            },
        )
    }

    /// The current ChangeKey and categories of `item`, or `None` when it is gone.
    async fn current(&self, item: &str) -> Result<Option<(String, Vec<String>)>, SyncError> {
        let shape = ItemShape::id_only().with_properties([PropertyPath::field("item:Categories")]);
        let results = self
            .mailbox()
            .get_items(&shape, [ItemId::new(item)])
            .await?;
        match results.into_iter().next() {
            Some(Ok(found)) => Ok(Some((
                found
                    .id()
                    .and_then(|i| i.change_key.clone())
                    .unwrap_or_default(),
                found.fields().categories.clone().unwrap_or_default(),
            ))),
            Some(Err(e)) if is_not_found(&e) => Ok(None),
            Some(Err(e)) => Err(SyncError::Ews(ews_client::Error::Message(Box::new(e)))),
            None => Ok(None),
        }
    }

    async fn delete(&self, op: &Operation) -> Result<Outcome, SyncError> {
        let Action::Delete {
            item,
            token,
            send_cancellation,
            ..
        } = &op.action
        else {
            return Ok(Outcome::Failed(Failure::Permanent("not a delete".into())));
        };
        // DeleteItem takes no ChangeKey check: check it first, so an edited item is never deleted.
        match self.current(item).await? {
            None => return Ok(Outcome::Deleted),
            Some((change_key, _)) if change_key != *token => {
                return Ok(Outcome::Failed(Failure::Conflict));
            }
            Some(_) => {}
        }
        let cancellations = if *send_cancellation {
            SendMeetingNotices::SendToAllAndSaveCopy
        } else {
            SendMeetingNotices::SendToNone
        };
        let request = DeleteItem::meeting(
            DeleteType::MoveToDeletedItems,
            [ItemRef::Id(ItemId::new(item.as_str()))],
            cancellations,
        );
        let response = self.mailbox().execute(&request).await?;
        Ok(match response.into_results().into_iter().next() {
            Some(Ok(_)) => Outcome::Deleted,
            Some(Err(e)) if is_not_found(&e) => Outcome::Deleted,
            Some(Err(e)) => Outcome::Failed(failure_of_message(&e)),
            None => Outcome::Failed(Failure::Transient("DeleteItem returned no message".into())),
        })
    }

    async fn untrack(&self, op: &Operation) -> Result<Outcome, SyncError> {
        let Action::Untrack { item, token } = &op.action else {
            return Ok(Outcome::Failed(Failure::Permanent("not an untrack".into())));
        };
        let Some((change_key, categories)) = self.current(item).await? else {
            return Ok(Outcome::Untracked);
        };
        if change_key != *token {
            return Ok(Outcome::Failed(Failure::Conflict));
        }
        let keep: Vec<String> = categories
            .iter()
            .filter(|c| !c.eq_ignore_ascii_case(&self.category))
            .cloned()
            .collect();
        if keep.len() == categories.len() {
            return Ok(Outcome::Untracked);
        }
        let outcome = self
            .write(op.kind, item, token, vec![categories_update(op.kind, keep)])
            .await?;
        Ok(match outcome {
            Outcome::Updated { .. } => Outcome::Untracked,
            other => other,
        })
    }
}

/// The id (with its new ChangeKey) a CreateItem or UpdateItem message returned, or what its failure
/// means for sync-core.
fn written_id(
    message: Option<Result<Option<Vec<Item>>, ResponseError>>,
    operation: &str,
) -> Result<ItemId, Failure> {
    match message {
        Some(Ok(items)) => items
            .iter()
            .flatten()
            .find_map(Item::id)
            .cloned()
            .ok_or_else(|| Failure::Transient(format!("{operation} returned no id"))),
        Some(Err(e)) => Err(failure_of_message(&e)),
        None => Err(Failure::Transient(format!(
            "{operation} returned no message"
        ))),
    }
}

fn sync_core_has_attendees(fields: &sync_core::Fields) -> bool {
    !super::values::as_set(fields.get(sync_core::Field::Attendees)).is_empty()
}

fn is_not_found(e: &ResponseError) -> bool {
    e.code == Some(ResponseCode::ErrorItemNotFound)
}

/// What a failed per-item message means for sync-core.
fn failure_of_message(e: &ResponseError) -> Failure {
    let code = e.code.clone();
    match code {
        Some(
            ResponseCode::ErrorIrresolvableConflict
            | ResponseCode::ErrorStaleObject
            | ResponseCode::ErrorChangeKeyRequiredForWriteOperations,
        ) => Failure::Conflict,
        Some(ResponseCode::ErrorItemNotFound) => Failure::NotFound,
        Some(
            ResponseCode::ErrorServerBusy
            | ResponseCode::ErrorInternalServerTransientError
            | ResponseCode::ErrorTimeoutExpired,
        ) => Failure::Transient(describe(e)),
        _ => Failure::Permanent(describe(e)),
    }
}

fn describe(e: &ResponseError) -> String {
    format!(
        "{}: {}",
        e.code.as_ref().map_or("error", |c| c.as_str()),
        e.text.as_deref().unwrap_or_default()
    )
}

/// What a failed call means for sync-core: a refused write conflicts or is permanent; throttling,
/// server trouble and the network are transient (the write may or may not have happened).
fn failure_of(e: &SyncError) -> Failure {
    match e {
        SyncError::Ews(ews_client::Error::Message(m)) => failure_of_message(m),
        other if other.is_transient() => Failure::Transient(other.to_string()),
        other => match other {
            SyncError::Ews(e) if e.response_code().is_none() => Failure::Transient(e.to_string()),
            _ => Failure::Permanent(other.to_string()),
        },
    }
}

impl<T: Transport, C: Clock> Restartable for EwsMailbox<T, C> {
    async fn fetch_from(
        &self,
        state: &SyncState,
        restart: bool,
        calls: &mut FeedCalls,
    ) -> Result<Option<Feed>, SyncError> {
        let mut observations = Vec::new();
        let mut cursors = Vec::new();
        let mut to_read: Vec<String> = Vec::new();
        for kind in &self.kinds {
            let scope = scope_of(*kind);
            let from = if restart {
                None
            } else {
                state.cursor(&scope).map(str::to_owned)
            };
            let Some((changes, reached)) = self.folder_changes(*kind, from, calls).await? else {
                return Ok(None);
            };
            for change in changes {
                match change {
                    ItemChange::Create(item) | ItemChange::Update(item) => {
                        if let Some(id) = item.id() {
                            if !to_read.contains(&id.id) {
                                to_read.push(id.id.clone());
                            }
                        }
                    }
                    ItemChange::Delete(id) => observations.push(Observation {
                        id: id.id,
                        change: Change::RemovedHint,
                    }),
                    // Read flags are not synced; other kinds of change are ignored.
                    _ => {}
                }
            }
            cursors.push(CursorAdvance {
                scope,
                value: reached,
            });
        }
        observations.extend(self.read_items(to_read, calls).await?);
        Ok(Some(Feed::read(observations, cursors, restart, *calls)))
    }
}

impl<T: Transport, C: Clock> ExchangeMailbox for EwsMailbox<T, C> {
    fn address(&self) -> &str {
        &self.address
    }

    fn endpoint(&self) -> &str {
        self.client.endpoint()
    }

    async fn fetch(&self, state: &SyncState) -> Result<Feed, SyncError> {
        fetch_with_restart(self, state, "SyncFolderItems").await
    }

    async fn read(&self, _kind: RecordKind, id: &str) -> Result<Observation, SyncError> {
        let results = self
            .mailbox()
            .get_items(&Self::full_shape(), [ItemId::new(id)])
            .await?;
        match results.into_iter().next() {
            Some(Ok(item)) => match ews_mapping::observe(&item) {
                Some((id, snapshot)) => Ok(Observation {
                    id,
                    change: Change::Upsert(snapshot),
                }),
                None => Ok(Observation {
                    id: id.to_owned(),
                    change: Change::LeftScope(sync_core::ScopeExit::MovedOut),
                }),
            },
            Some(Err(e)) if is_not_found(&e) => Ok(Observation {
                id: id.to_owned(),
                change: Change::Deleted,
            }),
            Some(Err(e)) => Err(SyncError::Ews(ews_client::Error::Message(Box::new(e)))),
            None => Err(SyncError::Unexpected {
                what: "GetItem",
                detail: "no response message".into(),
            }),
        }
    }

    async fn execute(&self, op: &Operation) -> Outcome {
        let result = match &op.action {
            Action::Create { .. } => self.create(op).await,
            Action::Update { .. } => self.update(op).await,
            Action::Delete { .. } => self.delete(op).await,
            Action::Untrack { .. } => self.untrack(op).await,
            Action::Read { .. } => Ok(Outcome::Failed(Failure::Permanent(
                "a read is not executed as a write".into(),
            ))),
        };
        result.unwrap_or_else(|e| Outcome::Failed(failure_of(&e)))
    }
}
