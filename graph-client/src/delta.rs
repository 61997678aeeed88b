//! Delta queries: typed scopes, a persisted cursor, and page parsing with `@removed` entries.
//!
//! A round sends the initial request, follows `@odata.nextLink` until `@odata.deltaLink` arrives, and
//! stores the deltaLink verbatim (it is opaque and already encodes the query options). The cursor moves
//! `Initial → InRound → Complete`, and to `ResyncRequired` when the server answers 410 Gone or
//! `syncStateNotFound`:
//!
//! ```text
//!  Initial ──page with nextLink──▶ InRound ──page with deltaLink──▶ Complete ─┐
//!     ▲                             │  ▲ └─────────nextLink──────┘            │ next round
//!     │                             └──┘                      ◀───────────────┘
//!     └──────── restart() ◀──── ResyncRequired ◀── 410 / syncStateNotFound (any state)
//! ```
//!
//! Only documented scopes exist ([`DeltaScope`]): messages and contacts per folder, mail folders, the
//! calendar view with a required window (no `$select`), To Do tasks per list and To Do lists.
//!
//! ```
//! use graph_client::{Graph, delta::{DeltaCursor, DeltaOutcome}, model::Event};
//! let start = "2026-01-01T00:00:00Z".parse().unwrap();
//! let end = "2026-03-01T00:00:00Z".parse().unwrap();
//! let mut cursor = DeltaCursor::<Event>::calendar_view(start, end).unwrap();
//! let request = Graph::me().delta(&cursor).unwrap();
//! assert!(request.uri().to_string().contains("/me/calendarView/delta?startDateTime="));
//!
//! let page = http::Response::builder().status(200).body(bytes::Bytes::from_static(br#"{
//!     "value": [{"id": "AAMk1", "subject": "Review"}, {"id": "AAMk2", "@removed": {"reason": "deleted"}}],
//!     "@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=R0usmc"
//! }"#)).unwrap();
//! let DeltaOutcome::Page(page) = cursor.handle_response(&page).unwrap() else { panic!() };
//! assert_eq!(page.entries.len(), 2);
//! assert!(cursor.is_complete());
//! let saved = serde_json::to_string(&cursor).unwrap(); // persist; resume later from the deltaLink
//! let resumed: DeltaCursor<Event> = serde_json::from_str(&saved).unwrap();
//! assert_eq!(resumed, cursor);
//! ```

use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Contact, Event, MailFolder, Message, TodoTask, TodoTaskList};
use crate::request::Graph;
use crate::response::{api_error, decode_body};

/// The version of the persisted [`DeltaCursor`] format.
pub const DELTA_CURSOR_VERSION: u32 = 1;

/// Which changes a delta query tracks. Only the scopes Graph documents for v1.0 exist; mailbox-wide
/// message delta and unbounded calendar delta cannot be expressed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[non_exhaustive]
pub enum DeltaScope {
    /// `/mailFolders/{id}/messages/delta`: messages of one folder.
    #[serde(rename_all = "camelCase")]
    MailFolderMessages {
        /// Folder id or well-known name.
        folder_id: String,
        /// Query options, sent on the initial request only.
        options: MessageDeltaOptions,
    },
    /// `/mailFolders/delta`: the folder hierarchy.
    MailFolders,
    /// `/contactFolders/{id}/contacts/delta`: contacts of one folder.
    #[serde(rename_all = "camelCase")]
    ContactFolderContacts {
        /// Folder id.
        folder_id: String,
    },
    /// `/calendarView/delta?startDateTime&endDateTime`: events of the primary calendar in a window.
    CalendarView {
        /// Window start.
        start: jiff::Timestamp,
        /// Window end.
        end: jiff::Timestamp,
    },
    /// `/todo/lists/{id}/tasks/delta`: tasks of one list.
    #[serde(rename_all = "camelCase")]
    TodoListTasks {
        /// List id.
        list_id: String,
    },
    /// `/todo/lists/delta`: the task lists.
    TodoLists,
}

/// Change kinds a message delta can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeType {
    /// Only created items.
    Created,
    /// Only updated items.
    Updated,
    /// Only deleted items.
    Deleted,
}

/// The query options message delta accepts (and no others).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageDeltaOptions {
    /// `$select`.
    #[serde(default)]
    pub select: Vec<String>,
    /// `$filter=receivedDateTime ge|gt ...`: only messages received since then (Graph then returns at
    /// most 5,000 messages).
    #[serde(default)]
    pub received_since: Option<ReceivedSince>,
    /// `$orderby=receivedDateTime desc`.
    #[serde(default)]
    pub newest_first: bool,
    /// `$top`.
    #[serde(default)]
    pub top: Option<u32>,
    /// `$expand`, e.g. `singleValueExtendedProperties($filter=id eq '...')` (see
    /// [`Query::expand_single_value_property`](crate::Query::expand_single_value_property)).
    #[serde(default)]
    pub expand: Vec<String>,
    /// `changeType=created|updated|deleted`.
    #[serde(default)]
    pub change_type: Option<ChangeType>,
}

/// The only `$filter` message delta accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedSince {
    /// The boundary.
    pub at: jiff::Timestamp,
    /// `ge` when true, `gt` when false.
    pub inclusive: bool,
}

/// Where a delta cursor stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum CursorState {
    /// No round has started: the next request is the initial one, with the scope's options.
    Initial,
    /// A round is under way: the next request follows this nextLink.
    #[serde(rename_all = "camelCase")]
    InRound {
        /// The `@odata.nextLink`, verbatim.
        next_link: String,
    },
    /// A round finished: the next round starts from this deltaLink.
    #[serde(rename_all = "camelCase")]
    Complete {
        /// The `@odata.deltaLink`, verbatim.
        delta_link: String,
    },
    /// The token is gone; call [`DeltaCursor::restart`] and reconcile everything.
    #[serde(rename_all = "camelCase")]
    ResyncRequired {
        /// The `Location` the server offered, if any.
        restart_url: Option<String>,
    },
}

/// A persisted delta position for items of type `T`. Serialize it after every page (or every round)
/// and deserialize it to resume.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct DeltaCursor<T> {
    version: u32,
    scope: DeltaScope,
    state: CursorState,
    #[serde(skip)]
    item: PhantomData<fn() -> T>,
}

impl<T> Clone for DeltaCursor<T> {
    fn clone(&self) -> Self {
        Self {
            version: self.version,
            scope: self.scope.clone(),
            state: self.state.clone(),
            item: PhantomData,
        }
    }
}

impl<T> PartialEq for DeltaCursor<T> {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && self.scope == other.scope && self.state == other.state
    }
}

impl<T> Eq for DeltaCursor<T> {}

impl<T> fmt::Debug for DeltaCursor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeltaCursor")
            .field("version", &self.version)
            .field("scope", &self.scope)
            .field("state", &self.state)
            .finish()
    }
}

impl<T> DeltaCursor<T> {
    fn with_scope(scope: DeltaScope) -> Self {
        Self {
            version: DELTA_CURSOR_VERSION,
            scope,
            state: CursorState::Initial,
            item: PhantomData,
        }
    }

    /// The scope.
    pub fn scope(&self) -> &DeltaScope {
        &self.scope
    }

    /// The state.
    pub fn state(&self) -> &CursorState {
        &self.state
    }

    /// The persisted format version.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// Whether the last round finished (a deltaLink is stored).
    pub fn is_complete(&self) -> bool {
        matches!(self.state, CursorState::Complete { .. })
    }

    /// Whether the server said the token is gone.
    pub fn is_resync_required(&self) -> bool {
        matches!(self.state, CursorState::ResyncRequired { .. })
    }

    /// Forgets the position: the next request starts a full round. Callers must then treat every item
    /// they hold in this scope as unconfirmed until the round completes.
    pub fn restart(&mut self) {
        self.state = CursorState::Initial;
    }
}

impl DeltaCursor<Message> {
    /// Messages of one mail folder.
    pub fn mail_folder_messages(
        folder_id: impl Into<String>,
        options: MessageDeltaOptions,
    ) -> Self {
        Self::with_scope(DeltaScope::MailFolderMessages {
            folder_id: folder_id.into(),
            options,
        })
    }
}

impl DeltaCursor<MailFolder> {
    /// The mail folder hierarchy.
    pub fn mail_folders() -> Self {
        Self::with_scope(DeltaScope::MailFolders)
    }
}

impl DeltaCursor<Contact> {
    /// Contacts of one contact folder.
    pub fn contact_folder_contacts(folder_id: impl Into<String>) -> Self {
        Self::with_scope(DeltaScope::ContactFolderContacts {
            folder_id: folder_id.into(),
        })
    }
}

impl DeltaCursor<Event> {
    /// Events of the primary calendar between `start` and `end` (both required). Graph may report
    /// events that moved *out of* the window as `@removed` with reason `deleted`: treat a removal as
    /// "left the scope", not necessarily as deletion.
    pub fn calendar_view(start: jiff::Timestamp, end: jiff::Timestamp) -> Result<Self> {
        if start >= end {
            return Err(Error::InvalidRequest(format!(
                "calendar view window must end after it starts ({start} .. {end})"
            )));
        }
        Ok(Self::with_scope(DeltaScope::CalendarView { start, end }))
    }
}

impl DeltaCursor<TodoTask> {
    /// Tasks of one To Do list. A task moved to another list gets a new id.
    pub fn todo_list_tasks(list_id: impl Into<String>) -> Self {
        Self::with_scope(DeltaScope::TodoListTasks {
            list_id: list_id.into(),
        })
    }
}

impl DeltaCursor<TodoTaskList> {
    /// The To Do lists.
    pub fn todo_lists() -> Self {
        Self::with_scope(DeltaScope::TodoLists)
    }
}

open_enum! {
    /// Why an entry was reported as removed.
    pub enum RemovedReason {
        /// Left the scope (moved away, or for calendar view possibly moved out of the window); it may
        /// still exist.
        Changed = "changed",
        /// Deleted (for calendar view, possibly only out of the window).
        Deleted = "deleted",
    }
}

/// One entry of a delta page.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DeltaEntry<T> {
    /// Created (full representation) or updated (id plus *at least* the changed properties; absent
    /// properties are [`Field::Absent`](crate::Field::Absent), not null).
    Changed(T),
    /// `@removed`: the item is no longer in the scope.
    Removed {
        /// The item's id.
        id: String,
        /// Why.
        reason: RemovedReason,
    },
}

impl<T: crate::model::Resource> DeltaEntry<T> {
    /// The id of the entry (a changed entry without an id gives `None`).
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Changed(item) => item.id(),
            Self::Removed { id, .. } => Some(id),
        }
    }
}

/// One page of a delta round.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaPage<T> {
    /// The entries, in server order. The same item may appear more than once; apply idempotently.
    pub entries: Vec<DeltaEntry<T>>,
    /// Whether this page ended the round (it carried the deltaLink).
    pub round_complete: bool,
}

/// The result of one delta response.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum DeltaOutcome<T> {
    /// A page of changes; the cursor moved on.
    Page(DeltaPage<T>),
    /// The token is gone (410 Gone, or `syncStateNotFound`): restart and reconcile everything.
    ResyncRequired {
        /// The `Location` the server offered, if any.
        restart_url: Option<String>,
    },
}

#[derive(Deserialize)]
struct RawDeltaPage {
    #[serde(default)]
    value: Vec<Value>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    delta_link: Option<String>,
}

/// Parses the body of a delta page without a cursor: the entries and the link that ended the page.
pub fn parse_delta_page<T: DeserializeOwned>(body: &[u8]) -> Result<(DeltaPage<T>, PageLink)> {
    let raw: RawDeltaPage = decode_body(body, "delta page")?;
    let link = match (raw.delta_link, raw.next_link) {
        (Some(delta_link), _) => PageLink::Delta(delta_link),
        (None, Some(next_link)) => PageLink::Next(next_link),
        (None, None) => {
            return Err(Error::Unrecognized(
                "delta page has neither @odata.nextLink nor @odata.deltaLink".into(),
            ));
        }
    };
    let entries = raw
        .value
        .into_iter()
        .enumerate()
        .map(|(index, entry)| parse_entry(index, entry))
        .collect::<Result<Vec<_>>>()?;
    let round_complete = matches!(link, PageLink::Delta(_));
    Ok((
        DeltaPage {
            entries,
            round_complete,
        },
        link,
    ))
}

/// The link that ends a delta page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageLink {
    /// More pages follow.
    Next(String),
    /// The round is complete; start the next round here.
    Delta(String),
}

fn parse_entry<T: DeserializeOwned>(index: usize, entry: Value) -> Result<DeltaEntry<T>> {
    if let Some(removed) = entry.get("@removed") {
        let id = entry
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::Unrecognized(format!("removed delta entry {index} has no id")))?;
        let reason = removed.get("reason").and_then(Value::as_str).map_or_else(
            || RemovedReason::Unknown(String::new()),
            RemovedReason::from,
        );
        return Ok(DeltaEntry::Removed {
            id: id.to_owned(),
            reason,
        });
    }
    serde_json::from_value(entry)
        .map(DeltaEntry::Changed)
        .map_err(|error| Error::decode(format!("delta entry {index}"), error))
}

impl<T: DeserializeOwned> DeltaCursor<T> {
    /// Handles the response to [`Graph::delta`]: parses the page and moves the cursor (nextLink →
    /// `InRound`, deltaLink → `Complete`), or reports [`DeltaOutcome::ResyncRequired`] for 410 Gone or a
    /// 4xx with code `syncStateNotFound`. Other errors leave the cursor where it was, so the same
    /// request can be retried.
    pub fn handle_response(&mut self, response: &http::Response<Bytes>) -> Result<DeltaOutcome<T>> {
        if !response.status().is_success() {
            let error = api_error(response);
            if error.is_resync_required() {
                let restart_url = response
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned);
                self.state = CursorState::ResyncRequired {
                    restart_url: restart_url.clone(),
                };
                return Ok(DeltaOutcome::ResyncRequired { restart_url });
            }
            return Err(Error::Api(Box::new(error)));
        }
        let (page, link) = parse_delta_page(response.body())?;
        self.state = match link {
            PageLink::Next(next_link) => CursorState::InRound { next_link },
            PageLink::Delta(delta_link) => CursorState::Complete { delta_link },
        };
        Ok(DeltaOutcome::Page(page))
    }
}

impl Graph {
    /// The next request of a delta cursor: the initial query, the stored nextLink, or the stored
    /// deltaLink. Links must point under the base URL. A cursor that needs a resync gives
    /// [`Error::ResyncRequired`] until [`DeltaCursor::restart`] is called.
    pub fn delta<T>(&self, cursor: &DeltaCursor<T>) -> Result<http::Request<Bytes>> {
        if cursor.version != DELTA_CURSOR_VERSION {
            return Err(Error::InvalidRequest(format!(
                "delta cursor version {} is not supported (expected {DELTA_CURSOR_VERSION})",
                cursor.version
            )));
        }
        let url = match &cursor.state {
            CursorState::Initial => self.initial_delta_url(&cursor.scope),
            CursorState::InRound { next_link } => self.check_link(next_link)?,
            CursorState::Complete { delta_link } => self.check_link(delta_link)?,
            CursorState::ResyncRequired { restart_url } => {
                return Err(Error::ResyncRequired {
                    restart_url: restart_url.clone(),
                });
            }
        };
        Ok(self
            .build::<Value>(Method::GET, url, None, &[])?
            .into_http())
    }

    fn initial_delta_url(&self, scope: &DeltaScope) -> url::Url {
        match scope {
            DeltaScope::MailFolderMessages { folder_id, options } => {
                let mut query = Vec::new();
                if !options.select.is_empty() {
                    query.push(("$select", options.select.join(",")));
                }
                if let Some(since) = options.received_since {
                    let op = if since.inclusive { "ge" } else { "gt" };
                    query.push(("$filter", format!("receivedDateTime {op} {}", since.at)));
                }
                if options.newest_first {
                    query.push(("$orderby", "receivedDateTime desc".to_owned()));
                }
                if let Some(top) = options.top {
                    query.push(("$top", top.to_string()));
                }
                if !options.expand.is_empty() {
                    query.push(("$expand", options.expand.join(",")));
                }
                if let Some(change_type) = options.change_type {
                    let value = match change_type {
                        ChangeType::Created => "created",
                        ChangeType::Updated => "updated",
                        ChangeType::Deleted => "deleted",
                    };
                    query.push(("changeType", value.to_owned()));
                }
                self.mailbox_url(&["mailFolders", folder_id, "messages", "delta"], &query)
            }
            DeltaScope::MailFolders => self.mailbox_url(&["mailFolders", "delta"], &[]),
            DeltaScope::ContactFolderContacts { folder_id } => {
                self.mailbox_url(&["contactFolders", folder_id, "contacts", "delta"], &[])
            }
            DeltaScope::CalendarView { start, end } => self.mailbox_url(
                &["calendarView", "delta"],
                &[
                    ("startDateTime", start.to_string()),
                    ("endDateTime", end.to_string()),
                ],
            ),
            DeltaScope::TodoListTasks { list_id } => {
                self.mailbox_url(&["todo", "lists", list_id, "tasks", "delta"], &[])
            }
            DeltaScope::TodoLists => self.mailbox_url(&["todo", "lists", "delta"], &[]),
        }
    }
}
