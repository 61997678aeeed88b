//! Recognise and parse any Graph (or identity platform) JSON response body without knowing the
//! request: the engine of the `parse_graph` example.
//!
//! The kind comes from `@odata.context`, then `@odata.type`, then the shape of the object; the body is
//! then parsed into the typed model for that kind, so a success means the typed model accepts it.
//!
//! ```
//! use graph_client::inspect::inspect;
//! let parsed = inspect(br#"{"@odata.deltaLink": "https://graph.microsoft.com/v1.0/me/calendarView/delta?$deltatoken=x",
//!     "value": [{"id": "AAMk1", "subject": "Review", "isAllDay": false}]}"#).unwrap();
//! assert_eq!(parsed.to_string(), "deltaPage<event>\t1");
//! ```

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::ConvertIdResult;
use crate::batch::BatchResponse;
use crate::delta::{DeltaEntry, parse_delta_page};
use crate::error::{Error, Result};
use crate::model::{
    AutomaticRepliesSetting, Contact, ContactFolder, Event, MailFolder, MailboxSettings, Message,
    OutlookCategory, ScheduleInformation, TodoTask, TodoTaskList, WorkingHours,
};
use crate::oauth::{DeviceCodeResponse, OAuthError, TokenResponse};
use crate::request::Page;

/// What a body turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// `message`, `collection<event>`, `deltaPage<contact>`, `batchResponse`, `error`, ...
    pub kind: String,
    /// Entries in a collection, delta page or batch; 1 for a single object.
    pub entries: usize,
    /// Whether serializing the typed value gives back the JSON that was read (nothing lost, nothing
    /// invented), up to the case of enum values, which are written in Graph's camelCase. Always true for bodies that are only recognised, not modelled as
    /// resources (errors, batch and OAuth responses).
    pub round_trips: bool,
}

impl fmt::Display for Inspection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}", self.kind, self.entries)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Single,
    Collection,
    Delta,
}

/// Recognises a JSON body and parses it into the typed model for its kind.
pub fn inspect(body: &[u8]) -> Result<Inspection> {
    let value: Value =
        serde_json::from_slice(body).map_err(|error| Error::decode("JSON body", error))?;
    let Value::Object(object) = value else {
        return Err(unsupported("the body is not a JSON object"));
    };
    let only_error = object
        .keys()
        .all(|key| key == "error" || key.starts_with('@'));
    if only_error && object.get("error").is_some_and(Value::is_object) {
        parse::<crate::response::ErrorEnvelope>(&object)?;
        return Ok(found("error", 1));
    }
    if object.get("error").is_some_and(Value::is_string) {
        parse::<OAuthError>(&object)?;
        return Ok(found("oauthError", 1));
    }
    if object.contains_key("access_token") {
        parse::<TokenResponse>(&object)?;
        return Ok(found("tokenResponse", 1));
    }
    if object.contains_key("device_code") {
        parse::<DeviceCodeResponse>(&object)?;
        return Ok(found("deviceCodeResponse", 1));
    }
    if object.get("responses").is_some_and(Value::is_array) {
        let batch: BatchResponse = parse(&object)?;
        return Ok(found("batchResponse", batch.responses.len()));
    }
    let context = object
        .get("@odata.context")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match object.get("value") {
        Some(Value::Array(entries)) => {
            let delta = object.contains_key("@odata.deltaLink")
                || context.contains("/delta")
                || object
                    .get("@odata.nextLink")
                    .and_then(Value::as_str)
                    .is_some_and(|link| link.contains("/delta"));
            let shape = if delta {
                Shape::Delta
            } else {
                Shape::Collection
            };
            let kind = kind_from_context(context)
                .or_else(|| {
                    entries
                        .iter()
                        .filter_map(Value::as_object)
                        .filter(|entry| !entry.contains_key("@removed"))
                        .find_map(|entry| kind_from_type(entry).or_else(|| kind_from_shape(entry)))
                })
                .ok_or_else(|| {
                    unsupported(
                        "cannot tell what the collection holds (no context, type or known shape)",
                    )
                })?;
            parse_as(&kind, shape, &object)
        }
        _ => {
            let kind = kind_from_type(&object)
                .or_else(|| kind_from_context(context))
                .or_else(|| kind_from_shape(&object))
                .ok_or_else(|| {
                    unsupported("unrecognised resource (no context, type or known shape)")
                })?;
            parse_as(&kind, Shape::Single, &object)
        }
    }
}

fn found(kind: &str, entries: usize) -> Inspection {
    Inspection {
        kind: kind.to_owned(),
        entries,
        round_trips: true,
    }
}

fn unsupported(reason: &str) -> Error {
    Error::Unrecognized(reason.to_owned())
}

fn parse<T: DeserializeOwned>(object: &Map<String, Value>) -> Result<T> {
    serde_json::from_value(Value::Object(object.clone()))
        .map_err(|error| Error::decode(std::any::type_name::<T>(), error))
}

fn parse_shaped<T: DeserializeOwned + Serialize>(
    kind: &str,
    shape: Shape,
    object: &Map<String, Value>,
) -> Result<Inspection> {
    let original = Value::Object(object.clone());
    let (label, entries, round_trips) = match shape {
        Shape::Single => {
            let typed = parse::<T>(object)?;
            (kind.to_owned(), 1, same_json(&typed, &original))
        }
        Shape::Collection => {
            let page: Page<T> = parse(object)?;
            let round_trips = same_json(&page, &original);
            (format!("collection<{kind}>"), page.value.len(), round_trips)
        }
        Shape::Delta => {
            let body =
                serde_json::to_vec(object).map_err(|error| Error::decode("delta page", error))?;
            let (page, _) = parse_delta_page::<T>(&body)?;
            let changed = object
                .get("value")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|entry| entry.get("@removed").is_none());
            let round_trips = page
                .entries
                .iter()
                .filter_map(|entry| match entry {
                    DeltaEntry::Changed(item) => Some(item),
                    _ => None,
                })
                .zip(changed)
                .all(|(item, source)| same_json(item, source));
            (
                format!("deltaPage<{kind}>"),
                page.entries.len(),
                round_trips,
            )
        }
    };
    Ok(Inspection {
        kind: label,
        entries,
        round_trips,
    })
}

/// Whether `typed` serializes back to `original`, up to the ASCII case of strings (known enum values
/// are matched case-insensitively and written back in Graph's camelCase: `HTML` becomes `html`).
fn same_json<T: Serialize>(typed: &T, original: &Value) -> bool {
    serde_json::to_value(typed).is_ok_and(|value| equal_ignoring_ascii_case(&value, original))
}

/// Structural JSON equality where strings compare case-insensitively (ASCII).
pub fn equal_ignoring_ascii_case(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| equal_ignoring_ascii_case(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, x)| b.get(key).is_some_and(|y| equal_ignoring_ascii_case(x, y)))
        }
        (a, b) => a == b,
    }
}

fn parse_as(kind: &str, shape: Shape, object: &Map<String, Value>) -> Result<Inspection> {
    match kind {
        "message" => parse_shaped::<Message>(kind, shape, object),
        "event" => parse_shaped::<Event>(kind, shape, object),
        "contact" => parse_shaped::<Contact>(kind, shape, object),
        "mailFolder" => parse_shaped::<MailFolder>(kind, shape, object),
        "contactFolder" => parse_shaped::<ContactFolder>(kind, shape, object),
        "todoTask" => parse_shaped::<TodoTask>(kind, shape, object),
        "todoTaskList" => parse_shaped::<TodoTaskList>(kind, shape, object),
        "outlookCategory" => parse_shaped::<OutlookCategory>(kind, shape, object),
        "mailboxSettings" => parse_shaped::<MailboxSettings>(kind, shape, object),
        "automaticRepliesSetting" => parse_shaped::<AutomaticRepliesSetting>(kind, shape, object),
        "workingHours" => parse_shaped::<WorkingHours>(kind, shape, object),
        "scheduleInformation" => parse_shaped::<ScheduleInformation>(kind, shape, object),
        "convertIdResult" => parse_shaped::<ConvertIdResult>(kind, shape, object),
        other => Err(unsupported(&format!(
            "no typed model for the resource kind {other}"
        ))),
    }
}

/// Maps a Graph type name (`microsoft.graph.eventMessageRequest`, `mailSearchFolder`, ...) to the kind
/// whose model parses it; unknown names pass through.
fn kind_from_type_name(name: &str) -> &str {
    let name = name
        .trim_start_matches('#')
        .trim_start_matches("microsoft.graph.");
    if name.eq_ignore_ascii_case("message") || name.to_ascii_lowercase().starts_with("eventmessage")
    {
        return "message";
    }
    match name.to_ascii_lowercase().as_str() {
        "event" => "event",
        "contact" => "contact",
        "mailfolder" | "mailsearchfolder" => "mailFolder",
        "contactfolder" => "contactFolder",
        "todotask" => "todoTask",
        "todotasklist" => "todoTaskList",
        "outlookcategory" => "outlookCategory",
        "mailboxsettings" => "mailboxSettings",
        "automaticrepliessetting" => "automaticRepliesSetting",
        "workinghours" => "workingHours",
        "scheduleinformation" => "scheduleInformation",
        "convertidresult" => "convertIdResult",
        _ => name,
    }
}

fn kind_from_type(object: &Map<String, Value>) -> Option<String> {
    let name = object.get("@odata.type").and_then(Value::as_str)?;
    Some(kind_from_type_name(name).to_owned())
}

/// Reads the kind from `@odata.context`, e.g. `...$metadata#users('x')/messages/$entity` → message.
/// Names this crate has no model for come back as written (`calendars`, `attachments`, ...).
fn kind_from_context(context: &str) -> Option<String> {
    let (_, fragment) = context.split_once("$metadata#")?;
    if let Some(inner) = fragment.strip_prefix("Collection(") {
        let name = inner.split(')').next().unwrap_or_default();
        return Some(kind_from_type_name(name).to_owned());
    }
    // Drop key and select parentheses, then look at the segments from the end.
    let mut plain = String::with_capacity(fragment.len());
    let mut depth = 0u32;
    for ch in fragment.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(ch),
            _ => {}
        }
    }
    let segments: Vec<String> = plain
        .split('/')
        .filter(|segment| !segment.is_empty() && !segment.starts_with('$'))
        .map(str::to_ascii_lowercase)
        .collect();
    let last = segments.last()?;
    let under = |name: &str| segments.iter().any(|segment| segment == name);
    let kind = match last.as_str() {
        "messages" => "message",
        "events" | "calendarview" | "instances" => "event",
        "contacts" => "contact",
        "mailfolders" => "mailFolder",
        "contactfolders" => "contactFolder",
        "childfolders" if under("contactfolders") => "contactFolder",
        "childfolders" => "mailFolder",
        "tasks" => "todoTask",
        "lists" => "todoTaskList",
        "mastercategories" => "outlookCategory",
        "mailboxsettings" => "mailboxSettings",
        "automaticrepliessetting" => "automaticRepliesSetting",
        "workinghours" => "workingHours",
        other => return Some(other.to_owned()),
    };
    Some(kind.to_owned())
}

/// Guesses the kind from characteristic properties.
fn kind_from_shape(object: &Map<String, Value>) -> Option<String> {
    shape_kind(object).map(str::to_owned)
}

fn shape_kind(object: &Map<String, Value>) -> Option<&'static str> {
    let has = |key: &str| object.contains_key(key);
    if has("scheduleId") || has("availabilityView") {
        Some("scheduleInformation")
    } else if has("sourceId") && has("targetId") {
        Some("convertIdResult")
    } else if has("internetMessageId")
        || has("toRecipients")
        || has("receivedDateTime")
        || has("isRead")
    {
        Some("message")
    } else if has("attendees")
        || has("isAllDay")
        || has("showAs")
        || has("iCalUId")
        || has("organizer")
    {
        Some("event")
    } else if has("givenName") || has("surname") || has("emailAddresses") || has("fileAs") {
        Some("contact")
    } else if has("childFolderCount") || has("unreadItemCount") || has("totalItemCount") {
        Some("mailFolder")
    } else if has("wellknownListName") {
        Some("todoTaskList")
    } else if has("dueDateTime") || (has("title") && has("status")) {
        Some("todoTask")
    } else if has("color") && has("displayName") {
        Some("outlookCategory")
    } else if has("workingHours") || has("automaticRepliesSetting") {
        Some("mailboxSettings")
    } else if has("daysOfWeek") && has("startTime") {
        Some("workingHours")
    } else if has("displayName") && has("parentFolderId") {
        Some("contactFolder")
    } else {
        None
    }
}
