//! [`GraphMailbox`]: one mailbox over Microsoft Graph (app-only: `/users/{address}`), as an
//! [`ExchangeMailbox`].
//!
//! * **Feed**: per synced kind, a delta round (contacts of the default folder, tasks of the default To
//!   Do list, events in a calendar-view window, Inbox messages) from the stored deltaLink, then the
//!   changed items read in `$batch`es of 20 GETs with the correlation key `$expand`ed. `@removed`
//!   entries are removal hints. A 410 / `syncStateNotFound` restarts every scope as one complete
//!   enumeration.
//! * **Writes**: POST with the tracking category and the key in `singleValueExtendedProperties`
//!   (events also carry it as `transactionId`, which Graph deduplicates); after an unknown outcome the
//!   collection is searched for the key first. PATCH and DELETE carry `If-Match` with the etag the plan
//!   was built from, so a stale write fails with 412 and is re-planned. Meetings deleted with
//!   cancellation go through `cancel`.
//!
//! Limits: on real Graph, To Do tasks do not take MAPI extended properties (the simulator stores them);
//! a production mapping keeps the key in an open extension or a `linkedResource` instead.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use ews_client::Transport as _;
use graph_client::batch::{BatchItem, BatchRequest, MAX_BATCH_REQUESTS};
use graph_client::client::{Clock, DeltaRound, GraphClient, Transport};
use graph_client::delta::{DeltaCursor, DeltaEntry};
use graph_client::model::{Contact, Event, Message, TodoTask, TodoTaskList, WellknownListName};
use graph_client::{Collection, Graph, Query, TransportError};
use sync_core::{
    Action, Change, CursorAdvance, Failure, Observation, Operation, Outcome, RecordKind, SyncState,
};

use super::graph_mapping::{self, Synced, Window, key_property_id, new_resource};
use super::{ExchangeMailbox, Feed, FeedCalls, Restartable, SyncError, fetch_with_restart};

/// Graph's transport over the EWS client's hyper transport (one connection per request; plain http
/// only to loopback when the caller opted in on the EWS side, https otherwise).
#[derive(Debug, Clone)]
pub struct HyperGraphTransport {
    inner: ews_client::HyperTransport,
    max_response_bytes: usize,
}

impl HyperGraphTransport {
    /// Wraps a hyper transport; responses up to 64 MiB.
    pub fn new(inner: ews_client::HyperTransport) -> Self {
        HyperGraphTransport {
            inner,
            max_response_bytes: 64 << 20,
        }
    }
}

/// How many times a read (GET) is sent when the connection fails (reads are safe to repeat; writes
/// are not: their outcome is unknown and sync-core re-reads the pair instead).
const READ_ATTEMPTS: usize = 3;

impl HyperGraphTransport {
    async fn send_once(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let mut connection = self
            .inner
            .connect(request.uri())
            .await
            .map_err(|e| TransportError::with_source("connect", e))?;
        self.inner
            .send(&mut connection, request, self.max_response_bytes)
            .await
            .map_err(|e| TransportError::with_source("send", e))
    }
}

impl Transport for HyperGraphTransport {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let attempts = if request.method() == http::Method::GET {
            READ_ATTEMPTS
        } else {
            1
        };
        let mut last = None;
        for _ in 0..attempts {
            match self.send_once(copy(&request)).await {
                Ok(response) => return Ok(response),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| TransportError::new("no attempt was made")))
    }
}

fn copy(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut out = http::Request::new(request.body().clone());
    *out.method_mut() = request.method().clone();
    *out.uri_mut() = request.uri().clone();
    *out.version_mut() = request.version();
    *out.headers_mut() = request.headers().clone();
    out
}

/// The cursor scope of a kind.
pub fn scope_of(kind: RecordKind) -> String {
    format!("graph:{}", super::round::kind_name(kind))
}

/// One mailbox over Graph.
pub struct GraphMailbox<T, C> {
    client: Arc<GraphClient<T, C>>,
    graph: Graph,
    address: String,
    endpoint: String,
    kinds: Vec<RecordKind>,
    category: String,
    window: Window,
    task_list: OnceLock<String>,
}

impl<T, C> std::fmt::Debug for GraphMailbox<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphMailbox")
            .field("address", &self.address)
            .field("kinds", &self.kinds)
            .finish_non_exhaustive()
    }
}

impl<T: Transport, C: Clock> GraphMailbox<T, C> {
    /// `address`'s mailbox through `client` (an app-only client: requests go to `/users/{address}`),
    /// syncing every kind with the tracking category `category`, and events in `window`.
    pub fn app_only(
        client: Arc<GraphClient<T, C>>,
        address: &str,
        category: &str,
        window: Window,
    ) -> Self {
        let graph = client
            .graph()
            .for_mailbox(graph_client::Mailbox::User(address.to_owned()));
        GraphMailbox {
            endpoint: graph.base_url().as_str().to_owned(),
            graph,
            client,
            address: address.to_owned(),
            kinds: RecordKind::ALL.to_vec(),
            category: category.to_owned(),
            window,
            task_list: OnceLock::new(),
        }
    }

    /// Syncs only these kinds.
    pub fn kinds(mut self, kinds: &[RecordKind]) -> Self {
        self.kinds = kinds.to_vec();
        self
    }

    /// The id of the default To Do list (read once).
    async fn task_list(&self) -> Result<String, SyncError> {
        if let Some(id) = self.task_list.get() {
            return Ok(id.clone());
        }
        let lists = self
            .client
            .execute(
                self.graph
                    .list(&Collection::<TodoTaskList>::all(), &Query::default())?,
            )
            .await?;
        let id = lists
            .value
            .iter()
            .find(|l| l.wellknown_list_name.value() == Some(&WellknownListName::DefaultList))
            .and_then(|l| l.id.clone())
            .ok_or(SyncError::Unexpected {
                what: "GET todo/lists",
                detail: "no default To Do list".into(),
            })?;
        Ok(self.task_list.get_or_init(|| id).clone())
    }

    /// One kind's delta round from the stored cursor, and the changed items read. `Ok(None)` when
    /// Graph says the cursor is gone.
    async fn kind_changes<I: Synced>(
        &self,
        state: &SyncState,
        restart: bool,
        calls: &mut FeedCalls,
    ) -> Result<Option<(Vec<Observation>, CursorAdvance)>, SyncError> {
        let scope = scope_of(I::RECORD);
        let list = if I::RECORD == RecordKind::Task {
            self.task_list().await?
        } else {
            String::new()
        };
        let stored: Option<DeltaCursor<I>> = if restart {
            None
        } else {
            state
                .cursor(&scope)
                .and_then(|c| serde_json::from_str(c).ok())
        };
        let mut cursor = match stored {
            Some(c) => c,
            None => I::delta_cursor(&list, self.window)?,
        };
        let round = self.client.delta_round(&mut cursor).await?;
        let entries = match round {
            DeltaRound::Complete { entries, pages } => {
                calls.pages += pages;
                entries
            }
            _ => return Ok(None),
        };
        let mut observations = Vec::new();
        let mut changed: Vec<String> = Vec::new();
        for entry in entries {
            match entry {
                DeltaEntry::Changed(item) => {
                    if let Some(id) = item.id() {
                        if !changed.iter().any(|c| c == id) {
                            changed.push(id.to_owned());
                        }
                    }
                }
                DeltaEntry::Removed { id, .. } => observations.push(Observation {
                    id,
                    change: Change::RemovedHint,
                }),
                _ => {}
            }
        }
        observations.extend(self.read_batch::<I>(&list, &changed, calls).await?);
        let value = serde_json::to_string(&cursor).map_err(|e| SyncError::Unexpected {
            what: "delta cursor",
            detail: e.to_string(),
        })?;
        Ok(Some((observations, CursorAdvance { scope, value })))
    }

    /// Reads `ids` (with the key expanded) in `$batch`es; ids gone meanwhile are removal hints.
    async fn read_batch<I: Synced>(
        &self,
        list: &str,
        ids: &[String],
        calls: &mut FeedCalls,
    ) -> Result<Vec<Observation>, SyncError> {
        let query = Query::default().expand_single_value_property(&key_property_id());
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_BATCH_REQUESTS) {
            let mut batch = BatchRequest::new();
            for (n, id) in chunk.iter().enumerate() {
                let request = self.graph.get_with(&I::item(list, id), &query)?;
                batch.push(BatchItem::from_request(
                    n.to_string(),
                    request.http(),
                    &self.graph,
                )?)?;
            }
            calls.reads += 1;
            // A batch of GETs is a read: safe to send again when the connection fails.
            let mut response = self.client.batch(&batch).await;
            for _ in 1..READ_ATTEMPTS {
                match response {
                    Err(graph_client::Error::Transport(_)) => {
                        response = self.client.batch(&batch).await;
                    }
                    _ => break,
                }
            }
            let response = response?;
            for (n, id) in chunk.iter().enumerate() {
                let Some(answer) = response.get(&n.to_string()) else {
                    return Err(SyncError::Unexpected {
                        what: "$batch",
                        detail: format!("no answer for {id}"),
                    });
                };
                if answer.status() == http::StatusCode::NOT_FOUND {
                    out.push(Observation {
                        id: id.clone(),
                        change: Change::RemovedHint,
                    });
                    continue;
                }
                if let Some(error) = answer.error() {
                    return Err(graph_client::Error::Api(Box::new(error)).into());
                }
                let item: I = answer.parse()?;
                if let Some((id, snapshot)) = graph_mapping::observe(&item) {
                    out.push(Observation {
                        id,
                        change: Change::Upsert(snapshot),
                    });
                }
            }
        }
        Ok(out)
    }

    async fn read_one<I: Synced>(&self, id: &str) -> Result<Observation, SyncError> {
        let list = if I::RECORD == RecordKind::Task {
            self.task_list().await?
        } else {
            String::new()
        };
        let query = Query::default().expand_single_value_property(&key_property_id());
        let request = self.graph.get_with(&I::item(&list, id), &query)?;
        match self.client.execute(request).await {
            Ok(item) => Ok(match graph_mapping::observe(&item) {
                Some((id, snapshot)) => Observation {
                    id,
                    change: Change::Upsert(snapshot),
                },
                None => Observation {
                    id: id.to_owned(),
                    change: Change::Deleted,
                },
            }),
            Err(graph_client::Error::Api(api)) if api.is_not_found() => Ok(Observation {
                id: id.to_owned(),
                change: Change::Deleted,
            }),
            Err(e) => Err(e.into()),
        }
    }

    async fn write<I: Synced>(&self, op: &Operation) -> Result<Outcome, SyncError> {
        let list = if I::RECORD == RecordKind::Task {
            self.task_list().await?
        } else {
            String::new()
        };
        match &op.action {
            Action::Create {
                key,
                fields,
                recovery,
                ..
            } => {
                if *recovery {
                    // An earlier attempt may have succeeded: look for the key before creating.
                    let query = Query::default().expand_single_value_property(&key_property_id());
                    let all = self.client.list_all(&I::collection(&list), &query).await;
                    let found = all?.into_iter().find(|i| i.key() == Some(*key));
                    if let Some(item) = found {
                        return Ok(created(&item));
                    }
                }
                let body: I = new_resource(fields, *key, &self.category);
                let made = self
                    .client
                    .execute(self.graph.create(&I::collection(&list), &body)?)
                    .await?;
                Ok(created(&made))
            }
            Action::Update {
                item,
                token,
                fields,
                stamp_key,
            } => {
                let mut patch = I::with_fields(fields);
                if let Some(key) = stamp_key {
                    patch.set_key(*key);
                }
                self.patch(&list, item, token, &patch).await
            }
            Action::Delete {
                item,
                token,
                send_cancellation,
                ..
            } => {
                let request = if *send_cancellation && I::RECORD == RecordKind::Meeting {
                    self.graph.cancel_event(
                        &graph_client::Item::<Event>::new(item.as_str()),
                        "Canceled in the CRM",
                    )?
                } else {
                    self.graph.delete(&I::item(&list, item), Some(token))?
                };
                match self.client.execute(request).await {
                    Ok(_) => Ok(Outcome::Deleted),
                    Err(graph_client::Error::Api(api)) if api.is_not_found() => {
                        Ok(Outcome::Deleted)
                    }
                    Err(e) => Err(e.into()),
                }
            }
            Action::Untrack { item, token } => {
                let current: I = match self
                    .client
                    .execute(self.graph.get(&I::item(&list, item))?)
                    .await
                {
                    Ok(current) => current,
                    Err(graph_client::Error::Api(api)) if api.is_not_found() => {
                        return Ok(Outcome::Untracked);
                    }
                    Err(e) => return Err(e.into()),
                };
                let categories = current.categories().unwrap_or_default();
                let keep: Vec<String> = categories
                    .iter()
                    .filter(|c| !c.eq_ignore_ascii_case(&self.category))
                    .cloned()
                    .collect();
                if keep.len() == categories.len() {
                    return Ok(Outcome::Untracked);
                }
                let mut patch = I::default();
                patch.set_categories(keep);
                Ok(match self.patch(&list, item, token, &patch).await? {
                    Outcome::Updated { .. } => Outcome::Untracked,
                    other => other,
                })
            }
            Action::Read { .. } => Ok(Outcome::Failed(Failure::Permanent(
                "a read is not executed as a write".into(),
            ))),
        }
    }

    async fn patch<I: Synced>(
        &self,
        list: &str,
        item: &str,
        token: &str,
        patch: &I,
    ) -> Result<Outcome, SyncError> {
        let request = self
            .graph
            .update(&I::item(list, item), patch, Some(token))?;
        let written = self.client.execute(request).await?;
        Ok(Outcome::Updated {
            token: written.etag().unwrap_or_default().to_owned(),
            modified_at: written.modified_at(),
        })
    }
}

fn created<I: Synced>(item: &I) -> Outcome {
    match item.id() {
        Some(id) => Outcome::Created {
            id: id.to_owned(),
            token: item.etag().unwrap_or_default().to_owned(),
            modified_at: item.modified_at(),
        },
        None => Outcome::Failed(Failure::Transient("the created item has no id".into())),
    }
}

/// What a failed Graph call means for sync-core.
fn failure_of(e: &SyncError) -> Failure {
    match e {
        SyncError::Graph(graph_client::Error::Api(api)) if api.is_conflict() => Failure::Conflict,
        SyncError::Graph(graph_client::Error::Api(api)) if api.is_not_found() => Failure::NotFound,
        SyncError::Graph(graph_client::Error::Api(api))
            if api.is_throttled() || api.status.is_server_error() =>
        {
            Failure::Transient(api.to_string())
        }
        SyncError::Graph(graph_client::Error::Api(api)) => Failure::Permanent(api.to_string()),
        // The network, or an answer that cannot be read: the write may or may not have happened.
        other => Failure::Transient(other.to_string()),
    }
}

impl<T: Transport, C: Clock> Restartable for GraphMailbox<T, C> {
    async fn fetch_from(
        &self,
        state: &SyncState,
        restart: bool,
        calls: &mut FeedCalls,
    ) -> Result<Option<Feed>, SyncError> {
        let mut observations = Vec::new();
        let mut cursors = Vec::new();
        for kind in &self.kinds {
            let got = match kind {
                RecordKind::Contact => self.kind_changes::<Contact>(state, restart, calls).await?,
                RecordKind::Task => self.kind_changes::<TodoTask>(state, restart, calls).await?,
                RecordKind::Meeting => self.kind_changes::<Event>(state, restart, calls).await?,
                RecordKind::Email => self.kind_changes::<Message>(state, restart, calls).await?,
            };
            let Some((mut found, cursor)) = got else {
                return Ok(None);
            };
            observations.append(&mut found);
            cursors.push(cursor);
        }
        Ok(Some(Feed::read(observations, cursors, restart, *calls)))
    }
}

impl<T: Transport, C: Clock> ExchangeMailbox for GraphMailbox<T, C> {
    fn address(&self) -> &str {
        &self.address
    }

    fn endpoint(&self) -> &str {
        &self.endpoint
    }

    async fn fetch(&self, state: &SyncState) -> Result<Feed, SyncError> {
        fetch_with_restart(self, state, "delta").await
    }

    async fn read(&self, kind: RecordKind, id: &str) -> Result<Observation, SyncError> {
        match kind {
            RecordKind::Contact => self.read_one::<Contact>(id).await,
            RecordKind::Task => self.read_one::<TodoTask>(id).await,
            RecordKind::Meeting => self.read_one::<Event>(id).await,
            RecordKind::Email => self.read_one::<Message>(id).await,
        }
    }

    async fn execute(&self, op: &Operation) -> Outcome {
        let result = match op.kind {
            RecordKind::Contact => self.write::<Contact>(op).await,
            RecordKind::Task => self.write::<TodoTask>(op).await,
            RecordKind::Meeting => self.write::<Event>(op).await,
            RecordKind::Email => self.write::<Message>(op).await,
        };
        result.unwrap_or_else(|e| Outcome::Failed(failure_of(&e)))
    }
}
