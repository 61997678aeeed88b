//! The request bodies of the Graph docs corpus for the resources in scope parse into the same typed
//! models (which then serve as create and PATCH bodies) and serialize back unchanged; action bodies
//! match what the builders send; the `$batch` samples pass the batch rules.

mod support;

use graph_client::api::EventReply;
use graph_client::batch::{BatchItem, BatchRequest};
use graph_client::inspect::equal_ignoring_ascii_case;
use graph_client::model::{
    Contact, ContactFolder, Event, MailFolder, MailboxSettings, Message, OutlookCategory, TodoTask,
    TodoTaskList,
};
use graph_client::{Graph, Item};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use support::corpus_dir;

/// Request samples left out, with the reason.
const EXCLUDED: &[(&str, &str)] = &[
    (
        "eventmessage-update__1.json",
        "invalid JSON: trailing comma",
    ),
    ("mailfolder-update__1.json", "invalid JSON: trailing comma"),
    (
        "user-update-mailboxsettings__3.json",
        "invalid JSON: an unquoted key",
    ),
];

/// Parses `body` as `T` and serializes it back; `Err` names what differed. Enum values come back in
/// Graph's camelCase (`HTML` → `html`), so strings compare case-insensitively.
fn round_trip<T: DeserializeOwned + Serialize>(body: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(body.clone()).map_err(|error| error.to_string())?;
    let back = serde_json::to_value(&typed).map_err(|error| error.to_string())?;
    if equal_ignoring_ascii_case(&back, body) {
        Ok(())
    } else {
        Err(format!("serialized back as {back}"))
    }
}

/// The resource a create or update request addresses, from its method and URL.
fn resource_of(method: &str, url: &str) -> Option<&'static str> {
    let path = url.split('?').next()?.to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let last = *segments.last()?;
    let parent = segments.iter().rev().nth(1).copied().unwrap_or_default();
    let collection = if method == "POST" { last } else { parent };
    Some(match (method, collection) {
        (_, "events") => "event",
        (_, "messages") => "message",
        (_, "contacts") => "contact",
        (_, "contactfolders") => "contactFolder",
        (_, "childfolders") if segments.contains(&"contactfolders") => "contactFolder",
        (_, "mailfolders" | "childfolders") => "mailFolder",
        (_, "mastercategories") => "outlookCategory",
        (_, "tasks") => "todoTask",
        (_, "lists") => "todoTaskList",
        ("PATCH", _) if last == "mailboxsettings" => "mailboxSettings",
        _ => return None,
    })
}

#[test]
fn in_scope_request_bodies_parse_and_round_trip() {
    let Some(dir) = corpus_dir() else { return };
    let sources = std::fs::read_to_string(dir.join("graph-docs/SOURCES.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in sources.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (file, kind, http_line) = (columns[0], columns[7], columns[8]);
        if kind != "request" {
            continue;
        }
        let mut words = http_line.split_whitespace();
        let (Some(method), Some(url)) = (words.next(), words.next()) else {
            continue;
        };
        let Some(resource) = resource_of(method, url) else {
            continue;
        };
        if EXCLUDED.iter().any(|(name, _)| *name == file) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join("graph-docs").join(file)).unwrap();
        let body: Value = match serde_json::from_str(&text) {
            Ok(body) => body,
            Err(error) => {
                failures.push(format!("{file}: not JSON: {error}"));
                continue;
            }
        };
        let result = match resource {
            "event" => round_trip::<Event>(&body),
            "message" => round_trip::<Message>(&body),
            "contact" => round_trip::<Contact>(&body),
            "contactFolder" => round_trip::<ContactFolder>(&body),
            "mailFolder" => round_trip::<MailFolder>(&body),
            "outlookCategory" => round_trip::<OutlookCategory>(&body),
            "todoTask" => round_trip::<TodoTask>(&body),
            "todoTaskList" => round_trip::<TodoTaskList>(&body),
            "mailboxSettings" => round_trip::<MailboxSettings>(&body),
            other => unreachable!("{other}"),
        };
        checked += 1;
        if let Err(reason) = result {
            failures.push(format!("{file} ({resource}): {reason}"));
        }
    }
    println!("checked {checked} request bodies");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 25, "only {checked} request bodies checked");
}

fn sample(dir: &std::path::Path, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("graph-docs").join(name)).unwrap())
        .unwrap()
}

fn sent_body(request: &http::Request<bytes::Bytes>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

#[test]
fn action_bodies_match_what_the_builders_send() {
    let Some(dir) = corpus_dir() else { return };
    let graph = Graph::me();
    let event = Item::<Event>::new("AAMk1");
    for (name, action) in [
        ("event-accept__1.json", "accept"),
        ("event-decline__1.json", "decline"),
        ("event-tentativelyaccept__1.json", "tentativelyAccept"),
    ] {
        let documented = sample(&dir, name);
        let reply: EventReply = serde_json::from_value(documented.clone()).unwrap();
        let request = match action {
            "accept" => graph.accept_event(&event, &reply),
            "decline" => graph.decline_event(&event, &reply),
            _ => graph.tentatively_accept_event(&event, &reply),
        }
        .unwrap()
        .into_http();
        // The builder writes the documented parameter names (dateTime values gain no digits).
        assert_eq!(sent_body(&request), documented, "{name}");
    }
    let cancel = sample(&dir, "event-cancel__1.json");
    let comment = cancel["Comment"].as_str().unwrap();
    assert_eq!(
        sent_body(graph.cancel_event(&event, comment).unwrap().http()),
        cancel
    );
    let moved = sample(&dir, "message-move__1.json");
    let destination = moved["destinationId"].as_str().unwrap();
    let request = graph
        .move_message(&Item::<Message>::new("AAMk2"), destination)
        .unwrap();
    assert_eq!(sent_body(request.http()), moved);
}

#[test]
fn documented_batches_pass_the_batch_rules() {
    let Some(dir) = corpus_dir() else { return };
    for name in ["json-batching__1.json", "json-batching__3.json"] {
        let documented = sample(&dir, name);
        let items: Vec<BatchItem> = serde_json::from_value(documented["requests"].clone()).unwrap();
        let mut batch = BatchRequest::new();
        for item in items {
            let item = if item.url == "..." {
                BatchItem {
                    url: format!("/me/messages?item={}", item.id),
                    ..item
                }
            } else {
                item
            };
            batch
                .push(item)
                .unwrap_or_else(|error| panic!("{name}: {error}"));
        }
        assert_eq!(batch.len(), 4);
    }
}
