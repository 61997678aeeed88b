//! CRUD on Graph resources: folders (mail, contact, To Do lists) and items (messages, events, contacts,
//! tasks), with paging, `$select`, `If-Match` and immutable ids.

use bytes::Bytes;
use ews_types::folders::FolderKind;
use ews_types::items::Item;
use ews_types::types::DistinguishedFolderName;
use graph_client::Field;
use graph_client::model::{ContactFolder, MailFolder, TodoTaskList, WellknownListName};
use jiff::Timestamp;
use serde_json::{Value, json};

use super::convert::{self, IdForm, Identity};
use super::{Call, Refused, error, extended, folder_key, ok_json, store_error};
use crate::ids::{self, FolderAddress};
use crate::store::{Folder, Mailbox, Removal, StoreError, StoredItem};

/// Which folders a folder route lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FolderFamily {
    /// Mail folders (under the visible root).
    Mail,
    /// Contact folders.
    Contacts,
    /// To Do lists (task folders).
    Tasks,
}

impl FolderFamily {
    pub(crate) fn holds(self, folder: &Folder) -> bool {
        match self {
            FolderFamily::Mail => folder.kind == FolderKind::Folder && folder.parent.is_some(),
            FolderFamily::Contacts => folder.kind == FolderKind::ContactsFolder,
            FolderFamily::Tasks => folder.kind == FolderKind::TasksFolder,
        }
    }

    fn kind(self) -> FolderKind {
        match self {
            FolderFamily::Mail => FolderKind::Folder,
            FolderFamily::Contacts => FolderKind::ContactsFolder,
            FolderFamily::Tasks => FolderKind::TasksFolder,
        }
    }

    fn default_parent(self) -> DistinguishedFolderName {
        match self {
            FolderFamily::Mail => DistinguishedFolderName::MsgFolderRoot,
            FolderFamily::Contacts => DistinguishedFolderName::Contacts,
            FolderFamily::Tasks => DistinguishedFolderName::MsgFolderRoot,
        }
    }
}

fn graph_folder_id(mailbox: &Mailbox, key: u32) -> String {
    ids::graph_folder_id(FolderAddress {
        mailbox: mailbox.no,
        folder: key,
    })
}

/// A folder as Graph shows it.
pub(crate) fn folder_json(mailbox: &Mailbox, folder: &Folder, family: FolderFamily) -> Value {
    let id = graph_folder_id(mailbox, folder.key);
    let parent = folder.parent.map(|p| graph_folder_id(mailbox, p));
    let value = match family {
        FolderFamily::Mail => {
            let unread = mailbox.unread_count(folder);
            let children = mailbox.child_count(folder);
            serde_json::to_value(MailFolder {
                id: Some(id),
                display_name: Field::Value(folder.display_name.clone()),
                parent_folder_id: parent.map_or(Field::Absent, Field::Value),
                child_folder_count: Field::Value(i32::try_from(children).unwrap_or(i32::MAX)),
                unread_item_count: Field::Value(i32::try_from(unread).unwrap_or(i32::MAX)),
                total_item_count: Field::Value(
                    i32::try_from(folder.items.len()).unwrap_or(i32::MAX),
                ),
                is_hidden: Field::Value(false),
                ..MailFolder::default()
            })
        }
        FolderFamily::Contacts => serde_json::to_value(ContactFolder {
            id: Some(id),
            display_name: Field::Value(folder.display_name.clone()),
            parent_folder_id: parent.map_or(Field::Absent, Field::Value),
            ..ContactFolder::default()
        }),
        FolderFamily::Tasks => serde_json::to_value(TodoTaskList {
            id: Some(id),
            display_name: Field::Value(folder.display_name.clone()),
            is_owner: Field::Value(true),
            is_shared: Field::Value(false),
            wellknown_list_name: Field::Value(
                if folder.distinguished == Some(DistinguishedFolderName::Tasks) {
                    WellknownListName::DefaultList
                } else {
                    WellknownListName::None
                },
            ),
            ..TodoTaskList::default()
        }),
    };
    value.unwrap_or(Value::Null)
}

pub(crate) fn list_folders(
    call: &mut Call<'_>,
    family: FolderFamily,
    parent: Option<&str>,
) -> http::Response<Bytes> {
    call.with_store(|store, no| {
        let Some(mailbox) = store.mailbox(no) else {
            return store_error(&StoreError::NoSuchMailbox(String::new()));
        };
        let parent = match parent {
            Some(p) => match folder_key(mailbox, p) {
                Ok(k) => Some(k),
                Err(e) => return store_error(&e),
            },
            None => None,
        };
        let root = mailbox
            .distinguished(&DistinguishedFolderName::MsgFolderRoot)
            .ok();
        let value: Vec<Value> = mailbox
            .folders
            .iter()
            .filter(|f| !f.deleted && family.holds(f))
            .filter(|f| match (parent, family) {
                (Some(p), _) => f.parent == Some(p),
                (None, FolderFamily::Mail) => f.parent == root,
                (None, _) => true,
            })
            .map(|f| folder_json(mailbox, f, family))
            .collect();
        ok_json(200, &json!({"value": value}))
    })
}

pub(crate) fn get_folder(
    call: &mut Call<'_>,
    family: FolderFamily,
    id: &str,
) -> http::Response<Bytes> {
    call.with_store(|store, no| {
        let Some(mailbox) = store.mailbox(no) else {
            return store_error(&StoreError::NoSuchMailbox(String::new()));
        };
        match folder_key(mailbox, id).and_then(|k| mailbox.folder(k)) {
            Ok(folder) if family.holds(folder) || family == FolderFamily::Mail => {
                ok_json(200, &folder_json(mailbox, folder, family))
            }
            Ok(_) => store_error(&StoreError::FolderNotFound),
            Err(e) => store_error(&e),
        }
    })
}

pub(crate) fn create_folder(
    call: &mut Call<'_>,
    family: FolderFamily,
    parent: Option<&str>,
) -> http::Response<Bytes> {
    let Ok(body) = serde_json::from_slice::<Value>(&call.body) else {
        return error(400, "BadRequest", "The body is not JSON.");
    };
    let Some(name) = body.get("displayName").and_then(Value::as_str) else {
        return error(400, "ErrorInvalidProperty", "displayName is required.");
    };
    call.with_store(|store, no| {
        let Some(mailbox) = store.mailbox_mut(no) else {
            return store_error(&StoreError::NoSuchMailbox(String::new()));
        };
        let parent = match parent {
            Some(p) => folder_key(mailbox, p),
            None => mailbox.distinguished(&family.default_parent()),
        };
        let created = parent.and_then(|p| mailbox.create_folder(p, family.kind(), name, None));
        match created.and_then(|k| mailbox.folder(k)) {
            Ok(folder) => ok_json(201, &folder_json(mailbox, folder, family)),
            Err(e) => store_error(&e),
        }
    })
}

/// Ids and versions of a stored item, as Graph writes them.
pub(crate) fn identity(mailbox: &Mailbox, stored: &StoredItem, ids: IdForm) -> Identity {
    let address = mailbox.address(stored.key, stored.generation);
    // To Do tasks have no immutable ids: their ids change when they move between lists.
    let immutable = ids == IdForm::Immutable && !matches!(stored.item, Item::Task(_));
    Identity {
        id: if immutable {
            ids::immutable_item_id(mailbox.no, stored.key)
        } else {
            ids::rest_item_id(address)
        },
        change_key: ids::change_key(stored.version),
        etag: ids::etag(stored.version),
        parent_folder_id: graph_folder_id(mailbox, stored.folder),
        created: Some(stored.created),
        modified: Some(stored.modified),
    }
}

/// An item as Graph shows it, with `$select` and `$expand` applied.
pub(crate) fn item_json(call: &Call<'_>, mailbox: &Mailbox, stored: &StoredItem) -> Value {
    let who = identity(mailbox, stored, call.ids);
    let mut value = convert::item_out(&stored.item, &who).unwrap_or(Value::Null);
    extended::expand(call, &stored.item, &mut value);
    select(call, &mut value);
    value
}

/// Applies `$select`: only the named properties (and the id and etag) stay.
pub(crate) fn select(call: &Call<'_>, value: &mut Value) {
    let Some(selected) = call.param("$select") else {
        return;
    };
    let keep: Vec<&str> = selected.split(',').map(str::trim).collect();
    if let Value::Object(map) = value {
        map.retain(|k, _| k == "id" || k.starts_with('@') || keep.contains(&k.as_str()));
    }
}

fn kind_matches(item: &Item, kind: &str) -> bool {
    convert::kind_of(item) == kind
}

fn default_folder(kind: &str) -> DistinguishedFolderName {
    match kind {
        "event" => DistinguishedFolderName::Calendar,
        "contact" => DistinguishedFolderName::Contacts,
        "todoTask" => DistinguishedFolderName::Tasks,
        _ => DistinguishedFolderName::Drafts,
    }
}

/// The only `$filter` supported: `receivedDateTime ge|gt <instant>` (what message delta accepts).
pub(crate) fn received_filter(call: &Call<'_>) -> Result<Option<(bool, jiff::Timestamp)>, Refused> {
    let Some(filter) = call.param("$filter") else {
        return Ok(None);
    };
    let parts: Vec<&str> = filter.split_whitespace().collect();
    match parts.as_slice() {
        [field, op, at]
            if field.eq_ignore_ascii_case("receivedDateTime") && matches!(*op, "ge" | "gt") =>
        {
            match at.trim_matches('\'').parse::<jiff::Timestamp>() {
                Ok(at) => Ok(Some((*op == "ge", at))),
                Err(_) => Err(Box::new(error(
                    400,
                    "BadRequest",
                    "The $filter date is not an ISO 8601 instant.",
                ))),
            }
        }
        _ => Err(Box::new(error(
            400,
            "ErrorInvalidUrlQueryFilter",
            "The simulator supports only $filter=receivedDateTime ge|gt <instant>.",
        ))),
    }
}

/// Whether an item passes the received-date filter.
pub(crate) fn passes(item: &Item, filter: Option<(bool, jiff::Timestamp)>) -> bool {
    let Some((inclusive, at)) = filter else {
        return true;
    };
    match item.fields().date_time_received {
        Some(received) => received > at || (inclusive && received == at),
        None => false,
    }
}

pub(crate) fn list_items(
    call: &mut Call<'_>,
    folder: Option<&str>,
    kind: &str,
) -> http::Response<Bytes> {
    let filter = match received_filter(call) {
        Ok(f) => f,
        Err(response) => return *response,
    };
    let top = call
        .param("$top")
        .and_then(|t| t.parse::<usize>().ok())
        .map_or(call.page_size, |t| t.clamp(1, 1000));
    let skip = call
        .param("$skip")
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let store = crate::server::lock(&call.shared.store);
    let Some(mailbox) = store.mailbox(call.mailbox) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let folders: Vec<u32> = match folder {
        Some(f) => match folder_key(mailbox, f) {
            Ok(k) => vec![k],
            Err(e) => return store_error(&e),
        },
        None if kind == "message" => mailbox
            .folders
            .iter()
            .filter(|f| !f.deleted && FolderFamily::Mail.holds(f))
            .map(|f| f.key)
            .collect(),
        None => match mailbox.distinguished(&default_folder(kind)) {
            Ok(k) => vec![k],
            Err(e) => return store_error(&e),
        },
    };
    let mut keys: Vec<u64> = folders
        .iter()
        .filter_map(|f| mailbox.folder(*f).ok())
        .flat_map(|f| f.items.iter().copied())
        .filter(|k| {
            mailbox
                .items
                .get(k)
                .is_some_and(|s| kind_matches(&s.item, kind) && passes(&s.item, filter))
        })
        .collect();
    keys.sort_unstable_by(|a, b| b.cmp(a));
    let page: Vec<Value> = keys
        .iter()
        .skip(skip)
        .take(top)
        .filter_map(|k| mailbox.items.get(k))
        .map(|s| item_json(call, mailbox, s))
        .collect();
    let mut body = json!({"value": page});
    if skip + top < keys.len() {
        let mut query: Vec<(String, String)> = call
            .query
            .iter()
            .filter(|(k, _)| k != "$skip")
            .cloned()
            .collect();
        query.push(("$skip".to_owned(), (skip + top).to_string()));
        let segments: Vec<&str> = call.segments.iter().map(String::as_str).collect();
        let encoded: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        body["@odata.nextLink"] = Value::String(format!("{}?{encoded}", call.url(&segments)));
    }
    ok_json(200, &body)
}

pub(crate) fn calendar_view(call: &mut Call<'_>) -> http::Response<Bytes> {
    let window = match delta::window(call) {
        Ok(w) => w,
        Err(response) => return *response,
    };
    let store = crate::server::lock(&call.shared.store);
    let Some(mailbox) = store.mailbox(call.mailbox) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let Ok(calendar) = mailbox.distinguished(&DistinguishedFolderName::Calendar) else {
        return store_error(&StoreError::FolderNotFound);
    };
    let Ok(folder) = mailbox.folder(calendar) else {
        return store_error(&StoreError::FolderNotFound);
    };
    // Each occurrence of a series in the window, instead of the series.
    let mut events: Vec<(Option<Timestamp>, Value)> = folder
        .items
        .iter()
        .filter_map(|k| mailbox.items.get(k))
        .flat_map(|stored| {
            mailbox
                .instances(stored, window.0, window.1)
                .into_iter()
                .map(move |instance| (stored, instance))
        })
        .map(|(stored, instance)| {
            let start = match &instance {
                Item::CalendarItem(c) => c.start,
                _ => None,
            };
            (start, instance_json(call, mailbox, stored, &instance))
        })
        .collect();
    events.sort_by_key(|(start, _)| *start);
    let value: Vec<Value> = events.into_iter().map(|(_, v)| v).collect();
    ok_json(200, &json!({"value": value}))
}

/// An instance of a calendar view as Graph shows it: the item, or an occurrence with its own id and
/// its series' id in `seriesMasterId`.
fn instance_json(
    call: &Call<'_>,
    mailbox: &Mailbox,
    stored: &StoredItem,
    instance: &Item,
) -> Value {
    let occurrence = instance
        .id()
        .and_then(|id| match ids::parse_item_id(&id.id) {
            Some(ids::ParsedItemId::Occurrence(master, index)) => Some((master, index)),
            _ => None,
        });
    let Some((master, index)) = occurrence else {
        return item_json(call, mailbox, stored);
    };
    let series = identity(mailbox, stored, call.ids);
    let who = Identity {
        id: ids::rest_occurrence_id(master, index),
        ..series.clone()
    };
    let mut value = convert::item_out(instance, &who).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("seriesMasterId".to_owned(), Value::String(series.id));
    }
    select(call, &mut value);
    value
}

use super::delta;

pub(crate) fn create_item(
    call: &mut Call<'_>,
    folder: Option<&str>,
    kind: &str,
) -> http::Response<Bytes> {
    let mut item = convert::empty(kind);
    if let Err(message) = convert::item_in(&call.body, &mut item) {
        return error(400, "BadRequest", &message);
    }
    if let Err(message) = extended::write(&call.body, &mut item) {
        return error(400, "BadRequest", &message);
    }
    let transaction = transaction_id(&call.body);
    let mut store = crate::server::lock(&call.shared.store);
    let no = call.mailbox;
    let Some(mailbox) = store.mailbox_mut(no) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let folder = match folder {
        Some(f) => folder_key(mailbox, f),
        None => mailbox.distinguished(&default_folder(kind)),
    };
    let folder = match folder {
        Ok(f) => f,
        Err(e) => return store_error(&e),
    };
    // A retried POST of an event with the same transactionId returns the event already made.
    if let Some(transaction) = &transaction {
        let existing = mailbox.folder(folder).ok().and_then(|f| {
            f.items.iter().copied().find(|k| {
                mailbox.items.get(k).is_some_and(|s| {
                    extended::transaction_of(&s.item).as_deref() == Some(transaction.as_str())
                })
            })
        });
        if let Some(key) = existing {
            if let Some(stored) = mailbox.items.get(&key) {
                return ok_json(201, &item_json(call, mailbox, stored));
            }
        }
        extended::set_transaction(&mut item, transaction);
    }
    if let Item::Message(m) = &mut item {
        if m.item.is_draft.is_none() {
            m.item.is_draft = Some(true);
        }
    }
    let organizer = crate::ews::sender_address(&store, no);
    if let Item::CalendarItem(c) = &mut item {
        if c.required_attendees.is_some() || c.optional_attendees.is_some() {
            c.organizer = organizer.map(ews_types::types::SingleRecipient::from);
            c.my_response_type = Some(ews_types::items::ResponseType::Organizer);
            c.is_meeting = Some(true);
        }
    }
    let Some(mailbox) = store.mailbox_mut(no) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let key = match mailbox.create_item(folder, item) {
        Ok(k) => k,
        Err(e) => return store_error(&e),
    };
    let invite = crate::ews::ensure_uid(mailbox, key);
    if let Some(calendar) = invite {
        // Graph sends invitations when an event with attendees is created.
        crate::ews::invite(&mut store, no, &calendar);
    }
    let Some(mailbox) = store.mailbox(no) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    match mailbox.items.get(&key) {
        Some(stored) => ok_json(201, &item_json(call, mailbox, stored)),
        None => store_error(&StoreError::ItemNotFound),
    }
}

fn transaction_id(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(body)
        .ok()?
        .get("transactionId")?
        .as_str()
        .map(str::to_owned)
}

/// GET, PATCH or DELETE of one item.
pub(crate) fn item(call: &mut Call<'_>, id: &str, kind: &str) -> http::Response<Bytes> {
    let conflict = call.take_conflict();
    let mut store = crate::server::lock(&call.shared.store);
    let no = call.mailbox;
    let Some(mailbox) = store.mailbox_mut(no) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let key = match mailbox.item_by_id(id) {
        Ok(k) => k,
        Err(e) => return store_error(&e),
    };
    match mailbox.items.get(&key) {
        Some(stored) if kind_matches(&stored.item, kind) => {}
        _ => return store_error(&StoreError::ItemNotFound),
    }
    if call.method != http::Method::GET {
        if conflict {
            return store_error(&StoreError::Conflict);
        }
        if let Some(tag) = &call.if_match {
            if tag.trim() != "*" {
                let check = ids::parse_etag(tag)
                    .ok_or_else(|| StoreError::InvalidChangeKey(tag.clone()))
                    .and_then(|seen| match mailbox.item(key) {
                        Ok(s) if s.version == seen => Ok(()),
                        Ok(_) => Err(StoreError::Conflict),
                        Err(e) => Err(e),
                    });
                if let Err(e) = check {
                    return store_error(&e);
                }
            }
        }
    }
    match call.method.clone() {
        http::Method::GET => match mailbox.items.get(&key) {
            Some(stored) => ok_json(200, &item_json(call, mailbox, stored)),
            None => store_error(&StoreError::ItemNotFound),
        },
        http::Method::PATCH => {
            let body = call.body.clone();
            let result = mailbox.update_item(key, |item| {
                convert::item_in(&body, item).map_err(StoreError::InvalidProperty)?;
                extended::write(&body, item).map_err(StoreError::InvalidProperty)
            });
            match result {
                Ok(()) => match mailbox.items.get(&key) {
                    Some(stored) => ok_json(200, &item_json(call, mailbox, stored)),
                    None => store_error(&StoreError::ItemNotFound),
                },
                Err(StoreError::InvalidProperty(message)) => error(400, "BadRequest", &message),
                Err(e) => store_error(&e),
            }
        }
        http::Method::DELETE => {
            // Graph moves a deleted item to Deleted Items.
            match mailbox.remove_item(key, Removal::ToDeletedItems) {
                Ok(()) => crate::server::respond(204, "application/json", Bytes::new()),
                Err(e) => store_error(&e),
            }
        }
        _ => error(405, "BadRequest", "The method is not allowed here."),
    }
}
