//! A delta round over loopback HTTP against a scripted server: pages through nextLinks (one with an
//! empty value), applies `@removed`, stores the deltaLink, resumes from it, and reports a 410 (and a
//! `syncStateNotFound`) as a typed resync.

mod support;

use std::collections::BTreeMap;

use graph_client::client::{DeltaRound, GraphClient};
use graph_client::delta::{CursorState, DeltaCursor, DeltaEntry, RemovedReason};
use graph_client::model::Event;
use graph_client::{Field, Graph, Secret};
use support::{LoopbackTransport, RecordingClock, Scripted, ScriptedServer};

/// What a sync engine keeps: subject per event id.
fn apply(store: &mut BTreeMap<String, Option<String>>, entries: Vec<DeltaEntry<Event>>) {
    for entry in entries {
        match entry {
            DeltaEntry::Changed(event) => {
                let id = event.id.clone().unwrap();
                let slot = store.entry(id).or_insert(None);
                // An absent subject keeps what we had; null clears; a value replaces.
                event.subject.apply_to(slot);
            }
            DeltaEntry::Removed { id, .. } => {
                store.remove(&id);
            }
            _ => unreachable!(),
        }
    }
}

fn client(server: &ScriptedServer) -> GraphClient<LoopbackTransport, RecordingClock> {
    let graph = Graph::user("adele@contoso.com")
        .with_base_url(&server.base)
        .unwrap();
    let client = GraphClient::new(LoopbackTransport, graph).with_clock(RecordingClock::new());
    client.set_access_token(Secret::new("delta-token-secret"));
    client
}

#[tokio::test]
async fn delta_round_pages_removes_persists_resumes_and_reports_resync() {
    let server = ScriptedServer::start(|base| {
        vec![
            // Round 1, page 1: two created events.
            Scripted::json(200, format!(r#"{{
                "@odata.context": "{base}/$metadata#Collection(event)",
                "@odata.nextLink": "{base}/users/adele@contoso.com/calendarView/delta?$skiptoken=page2",
                "value": [
                    {{"id": "E1", "subject": "Standup", "isAllDay": false, "type": "singleInstance"}},
                    {{"id": "E2", "subject": "Review", "type": "brandNewType"}}
                ]}}"#)),
            // Page 2: empty value, still a nextLink.
            Scripted::json(200, format!(r#"{{
                "@odata.nextLink": "{base}/users/adele@contoso.com/calendarView/delta?$skiptoken=page3",
                "value": []}}"#)),
            // Page 3: E2 removed, E3 created, deltaLink.
            Scripted::json(200, format!(r#"{{
                "@odata.deltaLink": "{base}/users/adele@contoso.com/calendarView/delta?$deltatoken=round1",
                "value": [
                    {{"id": "E2", "@removed": {{"reason": "deleted"}}}},
                    {{"id": "E3", "subject": "Offsite"}}
                ]}}"#)),
            // Round 2 (resumed from the persisted deltaLink): E1 updated without subject, E3 subject
            // cleared.
            Scripted::json(200, format!(r#"{{
                "@odata.deltaLink": "{base}/users/adele@contoso.com/calendarView/delta?$deltatoken=round2",
                "value": [
                    {{"id": "E1", "isAllDay": true}},
                    {{"id": "E3", "subject": null}}
                ]}}"#)),
            // Round 3: the token is gone.
            Scripted::json(410, r#"{"error": {"code": "resyncRequired", "message": "Resync required."}}"#)
                .header("location", &format!("{base}/users/adele@contoso.com/calendarView/delta?$deltatoken=")),
        ]
    })
    .await;
    let client = client(&server);
    let start = "2026-01-01T00:00:00Z".parse().unwrap();
    let end = "2026-02-01T00:00:00Z".parse().unwrap();
    let mut cursor = DeltaCursor::<Event>::calendar_view(start, end).unwrap();
    let mut store = BTreeMap::new();

    // Round 1.
    let DeltaRound::Complete { entries, pages } = client.delta_round(&mut cursor).await.unwrap()
    else {
        panic!("round 1 should complete");
    };
    assert_eq!(pages, 3);
    assert!(matches!(
        &entries[2],
        DeltaEntry::Removed { id, reason: RemovedReason::Deleted } if id == "E2"
    ));
    if let DeltaEntry::Changed(e2) = &entries[1] {
        assert_eq!(
            e2.event_type,
            Field::Value(graph_client::model::EventType::Unknown(
                "brandNewType".into()
            ))
        );
    }
    apply(&mut store, entries);
    assert_eq!(
        store,
        BTreeMap::from([
            ("E1".to_owned(), Some("Standup".to_owned())),
            ("E3".to_owned(), Some("Offsite".to_owned())),
        ])
    );

    // Persist the cursor, drop it, resume from the stored deltaLink.
    let saved = serde_json::to_string(&cursor).unwrap();
    assert!(saved.contains("$deltatoken=round1"));
    drop(cursor);
    let mut cursor: DeltaCursor<Event> = serde_json::from_str(&saved).unwrap();

    // Round 2: the absent subject of E1 is kept, the null subject of E3 is cleared.
    let DeltaRound::Complete { entries, pages } = client.delta_round(&mut cursor).await.unwrap()
    else {
        panic!("round 2 should complete");
    };
    assert_eq!(pages, 1);
    apply(&mut store, entries);
    assert_eq!(store["E1"], Some("Standup".to_owned()));
    assert_eq!(store["E3"], None);

    // Round 3: 410 Gone.
    let outcome = client.delta_round(&mut cursor).await.unwrap();
    let DeltaRound::ResyncRequired { restart_url } = outcome else {
        panic!("410 must report a resync");
    };
    assert!(restart_url.unwrap().ends_with("$deltatoken="));
    assert!(cursor.is_resync_required());
    // Until restarted, the cursor refuses to build a request.
    assert!(matches!(
        client.graph().delta(&cursor),
        Err(graph_client::Error::ResyncRequired { .. })
    ));
    cursor.restart();
    assert_eq!(cursor.state(), &CursorState::Initial);

    // What went over the wire.
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    assert!(requests[0].target.starts_with(
        "/v1.0/users/adele@contoso.com/calendarView/delta?startDateTime=2026-01-01T00:00:00Z&endDateTime=2026-02-01T00:00:00Z"
    ));
    assert!(requests[1].target.ends_with("$skiptoken=page2"));
    assert!(requests[2].target.ends_with("$skiptoken=page3"));
    assert!(requests[3].target.ends_with("$deltatoken=round1"));
    assert!(requests[4].target.ends_with("$deltatoken=round2"));
    for request in &requests {
        assert_eq!(request.header("prefer"), Some(r#"IdType="ImmutableId""#));
        assert_eq!(
            request.header("authorization"),
            Some("Bearer delta-token-secret")
        );
    }
}

#[tokio::test]
async fn sync_state_not_found_is_a_resync_and_other_errors_keep_the_round() {
    let server = ScriptedServer::start(|base| {
        vec![
            Scripted::json(200, format!(r#"{{
                "@odata.nextLink": "{base}/users/adele@contoso.com/mailFolders/inbox/messages/delta?$skiptoken=p2",
                "value": [{{"id": "M1", "subject": "Hello"}}]}}"#)),
            // A non-resync failure mid-round: the cursor goes back to the round start.
            Scripted::json(500, r#"{"error": {"code": "InternalServerError", "message": "boom"}}"#),
            Scripted::json(400, r#"{"error": {"code": "SyncStateNotFound", "message": "The sync state could not be found."}}"#),
        ]
    })
    .await;
    let client = client(&server);
    let mut cursor = DeltaCursor::<graph_client::model::Message>::mail_folder_messages(
        "inbox",
        Default::default(),
    );
    let error = client.delta_round(&mut cursor).await.unwrap_err();
    assert_eq!(
        error.status(),
        Some(http::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(cursor.state(), &CursorState::Initial);
    let outcome = client.delta_round(&mut cursor).await.unwrap();
    assert_eq!(outcome, DeltaRound::ResyncRequired { restart_url: None });
    assert!(
        server.requests()[0]
            .target
            .starts_with("/v1.0/users/adele@contoso.com/mailFolders/inbox/messages/delta")
    );
}

#[tokio::test]
async fn next_links_to_other_hosts_are_refused_without_sending_the_token() {
    let server = ScriptedServer::start(|_| {
        vec![Scripted::json(200, r#"{
            "@odata.nextLink": "https://evil.example/v1.0/users/adele@contoso.com/contactFolders/f/contacts/delta?$skiptoken=x",
            "value": []}"#)]
    })
    .await;
    let client = client(&server);
    let mut cursor = DeltaCursor::<graph_client::model::Contact>::contact_folder_contacts("f");
    let error = client.delta_round(&mut cursor).await.unwrap_err();
    assert!(
        matches!(error, graph_client::Error::UntrustedUrl { .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}
