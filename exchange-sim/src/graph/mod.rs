//! The Graph endpoint (`/v1.0/...`): messages, events, contacts, To Do tasks, folders and categories as
//! graph-client models them, over the same store EWS serves, with delta queries, `$batch`, immutable
//! ids, `If-Match` and the token endpoint.

mod actions;
mod batch;
mod convert;
mod delta;
mod extended;
mod resources;
pub(crate) mod token;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::faults::Fault;
use crate::server::{Exchange, Principal, Shared, lock, respond, with_header};
use crate::store::{Mailbox, Store, StoreError};
use convert::IdForm;

/// The route name of a Graph request for the log and fault scopes (`GET messages/delta`: the mailbox
/// part and ids left out), and whether it is a delta query.
pub(crate) fn operation_name(method: &http::Method, path: &str) -> (String, bool) {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let rest: &[&str] = match segments.as_slice() {
        ["me", rest @ ..] => rest,
        [user, rest @ ..] if user.starts_with("users(") => rest,
        ["users", _, rest @ ..] => rest,
        other => other,
    };
    let named: Vec<&str> = rest
        .iter()
        .enumerate()
        .filter(|(i, s)| *i == 0 || !is_id_position(rest, *i, s))
        .map(|(_, s)| *s)
        .collect();
    let is_delta = rest.last() == Some(&"delta");
    (format!("{method} {}", named.join("/")), is_delta)
}

/// Whether segment `i` of a route names an id (the segment after a collection name).
fn is_id_position(rest: &[&str], i: usize, segment: &str) -> bool {
    const COLLECTIONS: [&str; 10] = [
        "mailFolders",
        "messages",
        "events",
        "contacts",
        "contactFolders",
        "lists",
        "tasks",
        "masterCategories",
        "calendars",
        "childFolders",
    ];
    let after_collection = i > 0 && rest.get(i - 1).is_some_and(|p| COLLECTIONS.contains(p));
    after_collection && !matches!(segment, "delta" | "messages" | "contacts" | "tasks")
}

/// A Graph error response.
pub(crate) fn error(status: u16, code: &str, message: &str) -> http::Response<Bytes> {
    let body = json!({"error": {"code": code, "message": message, "innerError": {"request-id": "exchange-sim"}}});
    respond(status, "application/json", body.to_string())
}

/// An answer given instead of a value (boxed: responses are large).
pub(crate) type Refused = Box<http::Response<Bytes>>;

/// The strings of a JSON array property (others are skipped).
pub(crate) fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON response.
pub(crate) fn ok_json(status: u16, body: &Value) -> http::Response<Bytes> {
    respond(status, "application/json", body.to_string())
}

/// The Graph error for a store error.
pub(crate) fn store_error(e: &StoreError) -> http::Response<Bytes> {
    match e {
        StoreError::Conflict => error(412, "ErrorIrresolvableConflict", &e.to_string()),
        StoreError::MalformedId(_) => error(400, "ErrorInvalidIdMalformed", &e.to_string()),
        StoreError::AccessDenied => error(403, "ErrorAccessDenied", &e.to_string()),
        StoreError::NoSuchMailbox(_) => error(404, "MailboxNotEnabledForRESTAPI", &e.to_string()),
        StoreError::FolderExists(_) => error(409, "ErrorFolderExists", &e.to_string()),
        StoreError::InvalidChangeKey(_) => error(400, "ErrorInvalidChangeKey", &e.to_string()),
        _ => error(404, "ErrorItemNotFound", &e.to_string()),
    }
}

/// One Graph request, resolved: who, which mailbox, how ids are written, the page size.
pub(crate) struct Call<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) method: http::Method,
    pub(crate) mailbox: u32,
    /// `me` or `users/{id}`, as the request named the mailbox (links point back the same way).
    pub(crate) mailbox_path: String,
    pub(crate) segments: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Bytes,
    pub(crate) ids: IdForm,
    pub(crate) page_size: usize,
    pub(crate) if_match: Option<String>,
    pub(crate) fault: Option<Fault>,
}

impl Call<'_> {
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `{base}/v1.0/{mailbox path}/{segments}`.
    pub(crate) fn url(&self, segments: &[&str]) -> String {
        let mut url = format!("{}/v1.0/{}", self.shared.base(), self.mailbox_path);
        for s in segments {
            url.push('/');
            url.push_str(s);
        }
        url
    }

    pub(crate) fn with_store<T>(&self, f: impl FnOnce(&mut Store, u32) -> T) -> T {
        let mut store = lock(&self.shared.store);
        f(&mut store, self.mailbox)
    }

    /// Takes an injected conflict.
    pub(crate) fn take_conflict(&mut self) -> bool {
        if self.fault == Some(Fault::Conflict) {
            self.fault = None;
            return true;
        }
        false
    }
}

fn decode(segment: &str) -> String {
    percent_decode(segment)
}

/// Decodes `%XX` escapes (invalid ones are kept as they are).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let Some(v) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The `Prefer` values of a request.
fn prefers(request: &http::Request<Bytes>) -> Vec<String> {
    request
        .headers()
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_owned())
        .collect()
}

/// Answers a Graph request.
pub(crate) fn handle(
    exchange: &mut Exchange<'_>,
    request: &http::Request<Bytes>,
) -> http::Response<Bytes> {
    let Some(principal) = exchange.principal.clone() else {
        return error(401, "InvalidAuthenticationToken", "Access token is empty.");
    };
    let path = request
        .uri()
        .path()
        .strip_prefix("/v1.0/")
        .unwrap_or_default();
    if path == "$batch" {
        return batch::handle(exchange, request, &principal);
    }
    answer(
        exchange.shared,
        &principal,
        exchange.fault.take(),
        request,
        &mut exchange.mailbox,
    )
}

/// Answers one Graph request (also each request inside a `$batch`).
pub(crate) fn answer(
    shared: &Shared,
    principal: &Principal,
    fault: Option<Fault>,
    request: &http::Request<Bytes>,
    logged_mailbox: &mut Option<String>,
) -> http::Response<Bytes> {
    let path = request
        .uri()
        .path()
        .strip_prefix("/v1.0/")
        .unwrap_or_default();
    let raw: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let (user, mailbox_path, rest): (Option<String>, String, &[&str]) = match raw.as_slice() {
        ["me", rest @ ..] => (None, "me".to_owned(), rest),
        ["users", user, rest @ ..] => (Some(decode(user)), format!("users/{user}"), rest),
        [first, rest @ ..] if first.starts_with("users(") => {
            let user = first
                .trim_start_matches("users(")
                .trim_end_matches(')')
                .trim_matches('\'');
            (Some(decode(user)), (*first).to_owned(), rest)
        }
        _ => return error(400, "BadRequest", "Resource not found for the segment."),
    };
    let target = match (&user, principal) {
        (None, Principal::User(address)) => address.clone(),
        (None, Principal::App(_)) => {
            return error(
                400,
                "BadRequest",
                "/me request is only valid with delegated authentication flow.",
            );
        }
        (Some(user), Principal::User(address)) if !user.eq_ignore_ascii_case(address) => {
            return error(
                403,
                "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.",
            );
        }
        (Some(user), _) => user.clone(),
    };
    let Some(mailbox) = lock(&shared.store).lookup(&target) else {
        return error(
            404,
            "ResourceNotFound",
            &format!("User '{target}' not found."),
        );
    };
    *logged_mailbox = lock(&shared.store)
        .mailbox(mailbox)
        .map(|m| m.address.clone());
    let prefer = prefers(request);
    let immutable = prefer.iter().any(|p| {
        p.replace(' ', "")
            .eq_ignore_ascii_case("IdType=\"ImmutableId\"")
    });
    let page_size = prefer
        .iter()
        .find_map(|p| p.strip_prefix("odata.maxpagesize="))
        .and_then(|n| n.trim().parse::<usize>().ok())
        .map_or(10, |n| n.clamp(1, 1000));
    let mut call = Call {
        shared,
        method: request.method().clone(),
        mailbox,
        mailbox_path,
        segments: rest.iter().map(|s| decode(s)).collect(),
        query: query_pairs(request.uri().query()),
        body: request.body().clone(),
        ids: if immutable {
            IdForm::Immutable
        } else {
            IdForm::Rest
        },
        page_size,
        if_match: request
            .headers()
            .get(http::header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        fault,
    };
    let response = route(&mut call);
    if immutable {
        with_header(response, "preference-applied", "IdType=\"ImmutableId\"")
    } else {
        response
    }
}

fn route(call: &mut Call<'_>) -> http::Response<Bytes> {
    use http::Method as M;
    let segments = call.segments.clone();
    let s: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = call.method.clone();
    match (method, s.as_slice()) {
        (M::GET, ["mailFolders"]) => {
            resources::list_folders(call, resources::FolderFamily::Mail, None)
        }
        (M::POST, ["mailFolders"]) => {
            resources::create_folder(call, resources::FolderFamily::Mail, None)
        }
        (M::GET, ["mailFolders", "delta"]) => delta::folders(call, resources::FolderFamily::Mail),
        (M::GET, ["mailFolders", f]) => {
            resources::get_folder(call, resources::FolderFamily::Mail, f)
        }
        (M::GET, ["mailFolders", f, "childFolders"]) => {
            resources::list_folders(call, resources::FolderFamily::Mail, Some(f))
        }
        (M::POST, ["mailFolders", f, "childFolders"]) => {
            resources::create_folder(call, resources::FolderFamily::Mail, Some(f))
        }
        (M::GET, ["mailFolders", f, "messages", "delta"]) => {
            delta::items(call, f, delta::Scope::Messages)
        }
        (M::GET, ["mailFolders", f, "messages"]) => resources::list_items(call, Some(f), "message"),
        (M::POST, ["mailFolders", f, "messages"]) => {
            resources::create_item(call, Some(f), "message")
        }
        (M::GET, ["messages"]) => resources::list_items(call, None, "message"),
        (M::POST, ["messages"]) => resources::create_item(call, None, "message"),
        (M::POST, ["messages", id, "move"]) => actions::move_message(call, id),
        (M::POST, ["messages", id, "send"]) => actions::send_message(call, id),
        (_, ["messages", id]) | (_, ["mailFolders", _, "messages", id]) => {
            resources::item(call, id, "message")
        }
        (M::GET, ["events"])
        | (M::GET, ["calendar", "events"])
        | (M::GET, ["calendars", _, "events"]) => resources::list_items(call, None, "event"),
        (M::POST, ["events"])
        | (M::POST, ["calendar", "events"])
        | (M::POST, ["calendars", _, "events"]) => resources::create_item(call, None, "event"),
        (M::GET, ["calendarView", "delta"]) | (M::GET, ["calendar", "calendarView", "delta"]) => {
            delta::items(call, "calendar", delta::Scope::CalendarView)
        }
        (M::GET, ["calendarView"]) | (M::GET, ["calendar", "calendarView"]) => {
            resources::calendar_view(call)
        }
        (M::POST, ["calendar", "getSchedule"]) => actions::get_schedule(call),
        (M::POST, ["events", id, action]) => actions::event_action(call, id, action),
        (_, ["events", id])
        | (_, ["calendar", "events", id])
        | (_, ["calendars", _, "events", id]) => resources::item(call, id, "event"),
        (M::GET, ["contactFolders"]) => {
            resources::list_folders(call, resources::FolderFamily::Contacts, None)
        }
        (M::POST, ["contactFolders"]) => {
            resources::create_folder(call, resources::FolderFamily::Contacts, None)
        }
        (M::GET, ["contactFolders", "delta"]) => {
            delta::folders(call, resources::FolderFamily::Contacts)
        }
        (M::GET, ["contactFolders", f]) => {
            resources::get_folder(call, resources::FolderFamily::Contacts, f)
        }
        (M::GET, ["contactFolders", f, "contacts", "delta"]) => {
            delta::items(call, f, delta::Scope::Contacts)
        }
        (M::GET, ["contactFolders", f, "contacts"]) => {
            resources::list_items(call, Some(f), "contact")
        }
        (M::POST, ["contactFolders", f, "contacts"]) => {
            resources::create_item(call, Some(f), "contact")
        }
        (M::GET, ["contacts"]) => resources::list_items(call, None, "contact"),
        (M::POST, ["contacts"]) => resources::create_item(call, None, "contact"),
        (_, ["contacts", id]) | (_, ["contactFolders", _, "contacts", id]) => {
            resources::item(call, id, "contact")
        }
        (M::GET, ["todo", "lists"]) => {
            resources::list_folders(call, resources::FolderFamily::Tasks, None)
        }
        (M::POST, ["todo", "lists"]) => {
            resources::create_folder(call, resources::FolderFamily::Tasks, None)
        }
        (M::GET, ["todo", "lists", "delta"]) => {
            delta::folders(call, resources::FolderFamily::Tasks)
        }
        (M::GET, ["todo", "lists", l]) => {
            resources::get_folder(call, resources::FolderFamily::Tasks, l)
        }
        (M::GET, ["todo", "lists", l, "tasks", "delta"]) => {
            delta::items(call, l, delta::Scope::Tasks)
        }
        (M::GET, ["todo", "lists", l, "tasks"]) => resources::list_items(call, Some(l), "todoTask"),
        (M::POST, ["todo", "lists", l, "tasks"]) => {
            resources::create_item(call, Some(l), "todoTask")
        }
        (_, ["todo", "lists", _, "tasks", id]) => resources::item(call, id, "todoTask"),
        (_, ["outlook", "masterCategories"]) => actions::categories(call, None),
        (_, ["outlook", "masterCategories", id]) => actions::categories(call, Some(id)),
        (M::POST, ["translateExchangeIds"]) => actions::translate_ids(call),
        _ => error(
            400,
            "BadRequest",
            &format!("Resource not found for the segment '{}'.", s.join("/")),
        ),
    }
}

/// The folder a Graph path segment names: an id or a well-known name (`inbox`, `drafts`...).
pub(crate) fn folder_key(mailbox: &Mailbox, segment: &str) -> Result<u32, StoreError> {
    if let Some(address) = crate::ids::parse_folder_id(segment) {
        if address.mailbox != mailbox.no {
            return Err(StoreError::AccessDenied);
        }
        return mailbox.folder(address.folder).map(|f| f.key);
    }
    let name = match segment.to_ascii_lowercase().as_str() {
        "calendar" => "calendar",
        "contacts" => "contacts",
        "tasks" => "tasks",
        other => {
            return mailbox
                .distinguished(&ews_types::types::DistinguishedFolderName::from_wire(other));
        }
    };
    mailbox.distinguished(&ews_types::types::DistinguishedFolderName::from_wire(name))
}
