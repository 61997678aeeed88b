//! Microsoft Graph targets: JSON resources (every typed model, plus `$batch` and error bodies) and
//! delta pages (parsed alone and through a cursor).
//!
//! Beyond "no panic": a parsed resource keeps every property that had a value (the models promise to
//! keep what they do not model), and serialize → parse → serialize is stable; a delta page keeps one
//! entry per element of `value`, and a cursor moves exactly as the page's link says, or not at all.

use bytes::Bytes;
use graph_client::batch::BatchRequest;
use graph_client::delta::{CursorState, DeltaCursor, DeltaEntry, DeltaOutcome, PageLink};
use graph_client::model::{
    Contact, ContactFolder, Event, MailFolder, MailboxSettings, Message, OutlookCategory,
    ScheduleInformation, TodoTask, TodoTaskList,
};
use graph_client::{Graph, api_error, inspect::inspect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::{Seed, show};

/// Parses `data` as every typed resource, and as a `$batch` response and an error body.
pub fn check_resource(data: &[u8]) {
    let input = serde_json::from_slice::<Value>(data).ok();
    resource::<Message>(data, input.as_ref());
    resource::<Event>(data, input.as_ref());
    resource::<Contact>(data, input.as_ref());
    resource::<MailFolder>(data, input.as_ref());
    resource::<ContactFolder>(data, input.as_ref());
    resource::<TodoTaskList>(data, input.as_ref());
    resource::<TodoTask>(data, input.as_ref());
    resource::<OutlookCategory>(data, input.as_ref());
    resource::<MailboxSettings>(data, input.as_ref());
    resource::<ScheduleInformation>(data, input.as_ref());
    let _ = inspect(data);
    for status in [200, 400, 424, 429] {
        let response = response(status, data);
        if let Ok(batch) = BatchRequest::parse_response(&response) {
            for item in &batch.responses {
                let _ = item.retry_after();
                let _ = item.error();
                let _ = item.to_http();
                let _ = item.parse::<Value>();
            }
        }
        let error = api_error(&response);
        let _ = error.to_string();
        let _ = error.is_resync_required();
    }
}

/// One typed model: what parses keeps every property that had a value and serializes stably.
fn resource<T>(data: &[u8], input: Option<&Value>)
where
    T: Serialize + DeserializeOwned,
{
    let name = std::any::type_name::<T>();
    let Ok(parsed) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let first = serde_json::to_value(&parsed)
        .unwrap_or_else(|e| panic!("a parsed {name} does not serialize: {e}"));
    let again: T = serde_json::from_value(first.clone()).unwrap_or_else(|e| {
        panic!("a parsed {name}, serialized, does not parse again: {e}\nserialized: {first}")
    });
    let second = serde_json::to_value(&again)
        .unwrap_or_else(|e| panic!("a re-parsed {name} does not serialize: {e}"));
    assert!(
        first == second,
        "a {name} changed through serialize → parse → serialize\nfirst:  {first}\nsecond: {second}"
    );
    if let (Some(Value::Object(input)), Value::Object(output)) = (input, &first) {
        for (key, value) in input {
            if !value.is_null() {
                assert!(
                    output.contains_key(key),
                    "a {name} lost the property {key:?}\ninput:  {}\noutput: {first}",
                    show(data)
                );
            }
        }
    }
}

/// Parses `data` as a delta page of each typed resource, alone and through a cursor answered with a
/// success status and with an error status.
pub fn check_delta(data: &[u8]) {
    delta::<Message>(
        data,
        DeltaCursor::mail_folder_messages("inbox", Default::default()),
    );
    delta::<MailFolder>(data, DeltaCursor::mail_folders());
    delta::<Contact>(data, DeltaCursor::contact_folder_contacts("contacts"));
    delta::<TodoTask>(data, DeltaCursor::todo_list_tasks("tasks"));
    delta::<TodoTaskList>(data, DeltaCursor::todo_lists());
    if let Ok(cursor) =
        DeltaCursor::calendar_view(jiff::Timestamp::UNIX_EPOCH, jiff::Timestamp::MAX)
    {
        delta::<Event>(data, cursor);
    }
}

fn delta<T>(data: &[u8], cursor: DeltaCursor<T>)
where
    T: DeserializeOwned + PartialEq + graph_client::model::Resource,
{
    let name = std::any::type_name::<T>();
    let parsed = graph_client::delta::parse_delta_page::<T>(data);
    if let Ok((page, link)) = &parsed {
        assert_eq!(
            page.round_complete,
            matches!(link, PageLink::Delta(_)),
            "round_complete disagrees with the link"
        );
        let values = serde_json::from_slice::<Value>(data)
            .ok()
            .and_then(|v| v.get("value").and_then(Value::as_array).map(Vec::len));
        if let Some(values) = values {
            assert_eq!(
                page.entries.len(),
                values,
                "a {name} delta page dropped entries"
            );
        }
        for entry in &page.entries {
            let _ = entry.id();
            if let DeltaEntry::Removed { reason, .. } = entry {
                let _ = reason.as_str();
            }
        }
    }

    let mut moved = cursor.clone();
    match moved.handle_response(&response(200, data)) {
        Ok(DeltaOutcome::Page(page)) => {
            let Ok((expected, link)) = parsed else {
                panic!("a {name} page the cursor accepted does not parse alone");
            };
            assert!(
                page == expected,
                "the cursor and the parser read a {name} page differently"
            );
            let expected_state = match link {
                PageLink::Next(next_link) => CursorState::InRound { next_link },
                PageLink::Delta(delta_link) => CursorState::Complete { delta_link },
            };
            assert_eq!(
                moved.state(),
                &expected_state,
                "the cursor did not follow the page's link"
            );
            let _ = Graph::user("adele@contoso.example").delta(&moved);
        }
        Ok(DeltaOutcome::ResyncRequired { .. }) => panic!("a 200 answer asked for a resync"),
        Err(_) => assert_eq!(moved, cursor, "a failed page moved the cursor"),
    }

    let status = [400, 404, 410, 429, 500, 503][data.len() % 6];
    let mut failed = cursor.clone();
    match failed.handle_response(&response(status, data)) {
        Ok(DeltaOutcome::ResyncRequired { .. }) => assert!(failed.is_resync_required()),
        Ok(DeltaOutcome::Page(_)) => panic!("status {status} gave a {name} page"),
        Err(_) => assert_eq!(failed, cursor, "a {status} answer moved the cursor"),
    }
}

fn response(status: u16, body: &[u8]) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::copy_from_slice(body));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    response
}

/// Typed resources serialized by the models themselves, one per kind, with the shapes Graph sends.
pub fn resource_seeds() -> Vec<Seed> {
    vec![
        typed::<Message>("message.json", message_json(1)),
        typed::<Event>("event.json", event_json(1)),
        typed::<Contact>(
            "contact.json",
            json!({
                "@odata.etag": "W/\"EQAAABYAAAA\"", "id": "AAMkAGC1", "givenName": "Mara",
                "surname": "Whitfield", "companyName": "Contoso Ltd", "jobTitle": null,
                "emailAddresses": [{"name": "Mara Whitfield", "address": "mara@contoso.example"}],
                "businessPhones": ["+1 425 555 0100"], "categories": ["Tracked to CRM"],
                "businessAddress": {"street": "1 Main St", "city": "Redmond", "postalCode": "98052"}
            }),
        ),
        typed::<TodoTask>(
            "todo-task.json",
            json!({
                "@odata.etag": "W/\"xzyPKP0BiUGgld+lMKXwbQAAgdhkVw==\"", "id": "AAkALgAAAA",
                "title": "Follow up: Renewal quote", "status": "inProgress", "importance": "high",
                "dueDateTime": {"dateTime": "2026-11-30T00:00:00.0000000", "timeZone": "UTC"},
                "body": {"content": "Call back", "contentType": "text"}, "categories": []
            }),
        ),
        typed::<OutlookCategory>(
            "category.json",
            json!({"id": "7b9e5ac1", "displayName": "Tracked to CRM", "color": "preset7"}),
        ),
        typed::<MailFolder>(
            "mail-folder.json",
            json!({"id": "AQMkAD1", "displayName": "Inbox", "parentFolderId": "AQMkAD0",
                   "childFolderCount": 2, "unreadItemCount": 5, "totalItemCount": 41}),
        ),
        typed::<MailboxSettings>(
            "mailbox-settings.json",
            json!({"timeZone": "W. Europe Standard Time", "language": {"locale": "en-US"},
                   "workingHours": {"daysOfWeek": ["monday", "friday"], "startTime": "08:00:00.0000000",
                   "endTime": "17:00:00.0000000", "timeZone": {"name": "W. Europe Standard Time"}}}),
        ),
        Seed::new(
            "batch.json",
            json!({"responses": [
                {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"}, "body": message_json(2)},
                {"id": "2", "status": 429, "headers": {"Retry-After": "7"},
                 "body": {"error": {"code": "ApplicationThrottled", "message": "Too many requests"}}},
                {"id": "3", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "dependency failed"}}}
            ]})
            .to_string(),
        ),
        Seed::new(
            "error.json",
            json!({"error": {"code": "syncStateNotFound", "message": "The sync state is invalid.",
                   "innerError": {"request-id": "4b2c", "date": "2026-11-21T10:00:00"}}})
            .to_string(),
        ),
    ]
}

/// Delta pages: messages with a removed entry and a nextLink, events ending a round.
pub fn delta_seeds() -> Vec<Seed> {
    let next = "https://graph.microsoft.com/v1.0/users/adele@contoso.example/mailFolders/inbox/messages/delta?$skiptoken=AAAA";
    let delta = "https://graph.microsoft.com/v1.0/users/adele@contoso.example/calendarView/delta?$deltatoken=BBBB";
    vec![
        Seed::new(
            "messages-next.json",
            json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(message)",
                "@odata.nextLink": next,
                "value": [
                    reserialized::<Message>(message_json(1)),
                    reserialized::<Message>(json!({"id": "AAMkAD2", "isRead": true})),
                    {"id": "AAMkAD3", "@removed": {"reason": "deleted"}}
                ]
            })
            .to_string(),
        ),
        Seed::new(
            "events-delta.json",
            json!({
                "@odata.deltaLink": delta,
                "value": [
                    reserialized::<Event>(event_json(1)),
                    {"id": "AAMkAE2", "@removed": {"reason": "changed"}}
                ]
            })
            .to_string(),
        ),
        Seed::new(
            "empty-delta.json",
            json!({"@odata.deltaLink": delta, "value": []}).to_string(),
        ),
    ]
}

fn message_json(n: u32) -> Value {
    json!({
        "@odata.etag": format!("W/\"CQAAABYAAAD{n}\""), "id": format!("AAMkAD{n}"),
        "createdDateTime": "2026-11-20T09:12:00Z", "lastModifiedDateTime": "2026-11-20T09:13:00Z",
        "changeKey": format!("CQAAABYAAAD{n}"), "categories": ["Tracked to CRM", "Customer/Gold"],
        "receivedDateTime": "2026-11-20T09:12:00Z", "subject": "Renewal quote",
        "bodyPreview": "Hi Mara,", "importance": "normal", "isRead": false, "isDraft": false,
        "body": {"contentType": "html", "content": "<html><body><p>Hi Mara,</p></body></html>"},
        "from": {"emailAddress": {"name": "Mara Whitfield", "address": "mara@contoso.example"}},
        "toRecipients": [{"emailAddress": {"name": "Sales", "address": "sales@fabrikam.example"}}],
        "ccRecipients": [], "inferenceClassification": "focused", "flag": {"flagStatus": "notFlagged"},
        "singleValueExtendedProperties": [{"id": "String {6a1c3f52-8d0e-4b8f-9a41-5d3e2c7b9f10} Name CrmRecordId", "value": "opportunity:0042"}]
    })
}

fn event_json(n: u32) -> Value {
    json!({
        "@odata.etag": format!("W/\"DwAAABYAAAD{n}\""), "id": format!("AAMkAE{n}"),
        "subject": "Kick-off", "type": "singleInstance", "showAs": "busy", "isAllDay": false,
        "start": {"dateTime": "2026-11-24T09:00:00.0000000", "timeZone": "UTC"},
        "end": {"dateTime": "2026-11-24T10:00:00.0000000", "timeZone": "UTC"},
        "location": {"displayName": "Conf Room 4/1200", "locationType": "default"},
        "organizer": {"emailAddress": {"name": "Mara Whitfield", "address": "mara@contoso.example"}},
        "attendees": [{"type": "required", "status": {"response": "accepted", "time": "2026-11-21T08:00:00Z"},
                       "emailAddress": {"name": "Sales", "address": "sales@fabrikam.example"}}],
        "recurrence": null, "reminderMinutesBeforeStart": 15, "isOnlineMeeting": false
    })
}

/// `value` read into `T` and serialized again by the model (the model is the builder).
fn reserialized<T: Serialize + DeserializeOwned>(value: Value) -> Value {
    serde_json::from_value::<T>(value)
        .ok()
        .and_then(|typed| serde_json::to_value(typed).ok())
        .unwrap_or(Value::Null)
}

fn typed<T: Serialize + DeserializeOwned>(name: &str, value: Value) -> Seed {
    Seed::new(name, reserialized::<T>(value).to_string())
}
