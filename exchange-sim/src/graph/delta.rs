//! Delta queries: pages of changes with `@odata.nextLink`, a `@odata.deltaLink` at the end of a round,
//! `@removed` entries, and 410 Gone when a token cannot be used.
//!
//! A token is a signed position in the folder's change log (the same log EWS sync reads), with the scope
//! and, for calendar view, the window: links carry everything, as Graph's do.

use bytes::Bytes;
use ews_types::items::Item;
use ews_types::types::DistinguishedFolderName;
use jiff::Timestamp;
use serde_json::{Value, json};

use super::convert::{self, IdForm, Identity};
use super::resources::{self, FolderFamily};
use super::{Call, Refused, error, folder_key, ok_json, store_error};
use crate::faults::Fault;
use crate::ids::{self, DeltaToken, FolderAddress};
use crate::server::{lock, with_header};
use crate::store::{Change, Gone, Mailbox, StoreError};

/// The item scopes of delta queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `/mailFolders/{id}/messages/delta`.
    Messages,
    /// `/contactFolders/{id}/contacts/delta`.
    Contacts,
    /// `/todo/lists/{id}/tasks/delta`.
    Tasks,
    /// `/calendarView/delta?startDateTime=..&endDateTime=..`.
    CalendarView,
}

impl Scope {
    fn code(self) -> u8 {
        match self {
            Scope::Messages => 1,
            Scope::Contacts => 2,
            Scope::Tasks => 3,
            Scope::CalendarView => 4,
        }
    }
}

fn family_code(family: FolderFamily) -> u8 {
    match family {
        FolderFamily::Mail => 5,
        FolderFamily::Contacts => 6,
        FolderFamily::Tasks => 7,
    }
}

/// The window of a calendar view request.
pub(crate) fn window(call: &Call<'_>) -> Result<(Timestamp, Timestamp), Refused> {
    let read = |name: &str| {
        call.param(name).and_then(|v| {
            v.parse::<Timestamp>().ok().or_else(|| {
                // Graph also takes a date-time without an offset, read as UTC.
                v.parse::<jiff::civil::DateTime>()
                    .ok()?
                    .to_zoned(jiff::tz::TimeZone::UTC)
                    .ok()
                    .map(|z| z.timestamp())
            })
        })
    };
    match (read("startDateTime"), read("endDateTime")) {
        (Some(start), Some(end)) if start < end => Ok((start, end)),
        _ => Err(Box::new(error(
            400,
            "ErrorInvalidParameter",
            "startDateTime and endDateTime are required and must be ISO 8601 instants, start before end.",
        ))),
    }
}

/// Whether an event overlaps a window.
pub(crate) fn in_window(item: &Item, (start, end): (Timestamp, Timestamp)) -> bool {
    match item {
        Item::CalendarItem(c) => match (c.start, c.end.or(c.start)) {
            (Some(s), Some(e)) => s < end && e > start,
            _ => false,
        },
        _ => false,
    }
}

fn gone(response_url: &str) -> http::Response<Bytes> {
    let response = error(
        410,
        "SyncStateNotFound",
        "The sync state generation was not found. Start a new delta round.",
    );
    with_header(response, "location", response_url)
}

fn removed(id: String, reason: Gone) -> Value {
    let reason = match reason {
        Gone::Deleted => "deleted",
        Gone::MovedOut => "changed",
    };
    json!({"id": id, "@removed": {"reason": reason}})
}

/// The Graph id of a log entry that may no longer be in the folder.
fn entry_id(
    mailbox: &Mailbox,
    (key, generation): (u64, u32),
    ids_form: IdForm,
    task: bool,
) -> String {
    if ids_form == IdForm::Immutable && !task {
        ids::immutable_item_id(mailbox.no, key)
    } else {
        ids::rest_item_id(mailbox.address(key, generation))
    }
}

/// The URL of this delta query (what links point to), or 410 when a `DeltaGone` fault hits it.
fn start(call: &mut Call<'_>) -> Result<String, Refused> {
    let segments: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let base_url = call.url(&segments);
    if call.fault == Some(Fault::DeltaGone) {
        call.fault = None;
        return Err(Box::new(gone(&base_url)));
    }
    Ok(base_url)
}

/// A delta page: the entries and the link that continues (`nextLink`) or ends (`deltaLink`) the round.
fn page_response(
    value: Vec<Value>,
    complete: bool,
    base_url: &str,
    token: &str,
) -> http::Response<Bytes> {
    let mut body = json!({"value": value});
    if complete {
        body["@odata.deltaLink"] = Value::String(format!("{base_url}?$deltatoken={token}"));
    } else {
        body["@odata.nextLink"] = Value::String(format!("{base_url}?$skiptoken={token}"));
    }
    ok_json(200, &body)
}

pub(crate) fn items(
    call: &mut Call<'_>,
    folder_segment: &str,
    scope: Scope,
) -> http::Response<Bytes> {
    let base_url = match start(call) {
        Ok(url) => url,
        Err(response) => return *response,
    };
    let store = lock(&call.shared.store);
    let Some(mailbox) = store.mailbox(call.mailbox) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let folder = if scope == Scope::CalendarView {
        mailbox.distinguished(&DistinguishedFolderName::Calendar)
    } else {
        folder_key(mailbox, folder_segment)
    };
    let folder = match folder.and_then(|k| mailbox.folder(k)) {
        Ok(f) => f,
        Err(e) => return store_error(&e),
    };
    let here = FolderAddress {
        mailbox: mailbox.no,
        folder: folder.key,
    };
    let token_text = call
        .param("$deltatoken")
        .or_else(|| call.param("$skiptoken"));
    let (position, window) = match token_text {
        Some(text) => match store.keys.parse_delta_token(text) {
            Some(t) if t.scope == scope.code() && t.folder == here && t.position <= mailbox.seq => {
                let window = (
                    Timestamp::from_second(t.window.0).unwrap_or_default(),
                    Timestamp::from_second(t.window.1).unwrap_or_default(),
                );
                (t.position, window)
            }
            _ => return gone(&base_url),
        },
        None if scope == Scope::CalendarView => match window(call) {
            Ok(w) => (0, w),
            Err(response) => return *response,
        },
        None => (0, (Timestamp::default(), Timestamp::default())),
    };
    let filter = if scope == Scope::Messages && token_text.is_none() {
        match resources::received_filter(call) {
            Ok(f) => f,
            Err(response) => return *response,
        }
    } else {
        None
    };
    let page = folder
        .log
        .page(position, call.page_size, mailbox.seq, |_| true);
    let task = scope == Scope::Tasks;
    let mut value = Vec::with_capacity(page.changes.len());
    for (entry, change) in page.changes {
        let id = || entry_id(mailbox, entry, call.ids, task);
        if let Change::Delete(reason) = change {
            value.push(removed(id(), reason));
            continue;
        }
        let live = mailbox
            .items
            .get(&entry.0)
            .filter(|s| s.generation == entry.1 && s.folder == folder.key);
        let item = match live {
            Some(stored) => stored.item.clone(),
            None => match mailbox.entry(folder, entry) {
                Some(full) => full,
                None => continue,
            },
        };
        if scope == Scope::CalendarView && !in_window(&item, window) {
            // Out of the window: news only for a client that may have it.
            if change != Change::Create {
                value.push(removed(id(), Gone::Deleted));
            }
            continue;
        }
        if !resources::passes(&item, filter) && scope == Scope::Messages && filter.is_some() {
            continue;
        }
        let json = match (change, live) {
            (Change::ReadFlag, Some(stored)) => {
                let is_read = matches!(&stored.item, Item::Message(m) if m.is_read == Some(true));
                json!({
                    "id": id(),
                    "@odata.etag": ids::etag(stored.version),
                    "changeKey": ids::change_key(stored.version),
                    "isRead": is_read,
                })
            }
            (_, Some(stored)) => resources::item_json(call, mailbox, stored),
            (_, None) => {
                let change_key = item
                    .id()
                    .and_then(|i| i.change_key.clone())
                    .unwrap_or_default();
                let who = Identity {
                    id: id(),
                    etag: format!("W/\"{change_key}\""),
                    change_key,
                    parent_folder_id: ids::graph_folder_id(here),
                    created: item.fields().date_time_created,
                    modified: item.fields().last_modified_time,
                };
                let mut json = convert::item_out(&item, &who).unwrap_or(Value::Null);
                resources::select(call, &mut json);
                json
            }
        };
        value.push(json);
    }
    let token = store.keys.delta_token(DeltaToken {
        scope: scope.code(),
        folder: here,
        position: page.position,
        window: (window.0.as_second(), window.1.as_second()),
    });
    page_response(value, page.complete, &base_url, &token)
}

pub(crate) fn folders(call: &mut Call<'_>, family: FolderFamily) -> http::Response<Bytes> {
    let base_url = match start(call) {
        Ok(url) => url,
        Err(response) => return *response,
    };
    let store = lock(&call.shared.store);
    let Some(mailbox) = store.mailbox(call.mailbox) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let here = FolderAddress {
        mailbox: mailbox.no,
        folder: 0,
    };
    let position = match call
        .param("$deltatoken")
        .or_else(|| call.param("$skiptoken"))
    {
        Some(text) => match store.keys.parse_delta_token(text) {
            Some(t)
                if t.scope == family_code(family)
                    && t.folder == here
                    && t.position <= mailbox.seq =>
            {
                t.position
            }
            _ => return gone(&base_url),
        },
        None => 0,
    };
    let page = mailbox
        .hierarchy
        .page(position, call.page_size, mailbox.seq, |key| {
            mailbox
                .folders
                .get(*key as usize)
                .is_some_and(|f| family.holds(f))
        });
    let value: Vec<Value> = page
        .changes
        .iter()
        .filter_map(|(key, change)| {
            let folder = mailbox.folders.get(*key as usize)?;
            Some(match change {
                Change::Delete(_) => removed(
                    ids::graph_folder_id(FolderAddress {
                        mailbox: mailbox.no,
                        folder: *key,
                    }),
                    Gone::Deleted,
                ),
                _ => resources::folder_json(mailbox, folder, family),
            })
        })
        .collect();
    let token = store.keys.delta_token(DeltaToken {
        scope: family_code(family),
        folder: here,
        position: page.position,
        window: (0, 0),
    });
    page_response(value, page.complete, &base_url, &token)
}
