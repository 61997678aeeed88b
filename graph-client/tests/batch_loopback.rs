//! `$batch` round trip over loopback HTTP: 200, 404 and 429 items in one 200 response; only the 429
//! (and the item that failed with 424 because it depended on it) is re-sent, after its Retry-After.

mod support;

use std::time::Duration;

use graph_client::batch::{BatchItem, BatchRequest};
use graph_client::client::GraphClient;
use graph_client::model::{Event, Message};
use graph_client::{Graph, Item, Secret};
use support::{LoopbackTransport, RecordingClock, Scripted, ScriptedServer};

#[tokio::test]
async fn only_throttled_items_are_resent_after_their_retry_after() {
    let server = ScriptedServer::start(|_| {
        vec![
            Scripted::json(200, r#"{"responses": [
                {"id": "2", "status": 404, "headers": {"Content-Type": "application/json"},
                 "body": {"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}}},
                {"id": "1", "status": 200, "headers": {"Content-Type": "application/json"},
                 "body": {"id": "AAMk1", "subject": "Budget"}},
                {"id": "3", "status": 429, "headers": {"Retry-After": "2.5", "Content-Type": "application/json"},
                 "body": {"error": {"code": "ApplicationThrottled", "message": "Application is over its MailboxConcurrency limit."}}},
                {"id": "4", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "dependency failed"}}}
            ]}"#),
            Scripted::json(200, r#"{"responses": [
                {"id": "3", "status": 200, "headers": {"Content-Type": "application/json"},
                 "body": {"id": "AAMk3", "subject": "Planning", "type": "singleInstance"}},
                {"id": "4", "status": 204}
            ]}"#),
        ]
    })
    .await;
    let graph = Graph::me().with_base_url(&server.base).unwrap();
    let clock = RecordingClock::new();
    let client = GraphClient::new(LoopbackTransport, graph.clone()).with_clock(clock.clone());
    client.set_access_token(Secret::new("batch-secret"));

    let mut batch = BatchRequest::new();
    let get_message = graph.get(&Item::<Message>::new("AAMk1")).unwrap();
    let get_missing = graph.get(&Item::<Message>::new("AAMk2")).unwrap();
    let get_event = graph.get(&Item::<Event>::new("AAMk3")).unwrap();
    let cancel = graph
        .cancel_event(&Item::<Event>::new("AAMk3"), "Moved to next week")
        .unwrap();
    batch
        .push(BatchItem::from_request("1", get_message.http(), &graph).unwrap())
        .unwrap();
    batch
        .push(BatchItem::from_request("2", get_missing.http(), &graph).unwrap())
        .unwrap();
    batch
        .push(BatchItem::from_request("3", get_event.http(), &graph).unwrap())
        .unwrap();
    batch
        .push(
            BatchItem::from_request("4", cancel.http(), &graph)
                .unwrap()
                .depends_on(["3"]),
        )
        .unwrap();

    let results = client.batch(&batch).await.unwrap();

    // One response per item, in batch order, the throttled one replaced by its retry.
    let statuses: Vec<(String, u16)> = results
        .responses
        .iter()
        .map(|r| (r.id.clone(), r.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("1".into(), 200),
            ("2".into(), 404),
            ("3".into(), 200),
            ("4".into(), 204)
        ]
    );
    let message: Message = results.get("1").unwrap().parse().unwrap();
    assert_eq!(message.subject.value().unwrap(), "Budget");
    let missing = results.get("2").unwrap().parse::<Message>().unwrap_err();
    assert!(missing.is_not_found());
    assert_eq!(missing.api().unwrap().code, "ErrorItemNotFound");
    let event: Event = results.get("3").unwrap().parse().unwrap();
    assert_eq!(event.id.as_deref(), Some("AAMk3"));

    // Waited exactly the item's Retry-After, once.
    assert_eq!(clock.sleeps(), [Duration::from_millis(2500)]);

    // The second batch carried only the throttled item and its dependent.
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.method == "POST" && r.target == "/v1.0/$batch")
    );
    let first = requests[0].json();
    assert_eq!(first["requests"].as_array().unwrap().len(), 4);
    assert_eq!(first["requests"][3]["dependsOn"], serde_json::json!(["3"]));
    assert_eq!(
        first["requests"][3]["body"],
        serde_json::json!({"Comment": "Moved to next week"})
    );
    assert_eq!(
        first["requests"][3]["headers"]["content-type"],
        "application/json"
    );
    let second = requests[1].json();
    let resent: Vec<&str> = second["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(resent, ["3", "4"]);
    assert_eq!(second["requests"][0]["url"], "/me/events/AAMk3");
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer batch-secret")
    );
}

#[tokio::test]
async fn items_still_throttled_when_the_budget_runs_out_keep_their_429() {
    let throttled = r#"{"responses": [
        {"id": "a", "status": 200, "body": {"id": "X"}},
        {"id": "b", "status": 429, "headers": {"Retry-After": "100"}}
    ]}"#;
    let again = r#"{"responses": [{"id": "b", "status": 429, "headers": {"Retry-After": "100"}}]}"#;
    let server =
        ScriptedServer::start(|_| vec![Scripted::json(200, throttled), Scripted::json(200, again)])
            .await;
    let graph = Graph::me().with_base_url(&server.base).unwrap();
    let clock = RecordingClock::new();
    let client = GraphClient::new(LoopbackTransport, graph.clone()).with_clock(clock.clone());
    let mut batch = BatchRequest::new();
    for id in ["a", "b"] {
        let request = graph.get(&Item::<Message>::new(id)).unwrap();
        batch
            .push(BatchItem::from_request(id, request.http(), &graph).unwrap())
            .unwrap();
    }
    let results = client.batch(&batch).await.unwrap();
    // 100 s fits the 180 s budget once; a second 100 s would not.
    assert_eq!(clock.sleeps(), [Duration::from_secs(100)]);
    assert_eq!(results.get("b").unwrap().status, 429);
    assert_eq!(results.get("a").unwrap().status, 200);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn batch_rules_are_checked_before_sending() {
    let graph = Graph::me();
    let item = |id: &str| {
        BatchItem::from_request(
            id,
            graph.get(&Item::<Message>::new("M")).unwrap().http(),
            &graph,
        )
        .unwrap()
    };
    let mut batch = BatchRequest::new();
    for n in 0..20 {
        batch.push(item(&n.to_string())).unwrap();
    }
    assert!(batch.push(item("20")).is_err(), "21st item accepted");

    let mut batch = BatchRequest::new();
    batch.push(item("Req")).unwrap();
    assert!(batch.push(item("req")).is_err(), "ids are case-insensitive");
    assert!(
        batch.push(item("x").depends_on(["later"])).is_err(),
        "dependsOn must name an earlier item"
    );
    let mut absolute = item("abs");
    absolute.url = "https://graph.microsoft.com/v1.0/me".into();
    assert!(batch.push(absolute).is_err(), "urls are relative");
    let mut no_type = item("body");
    no_type.body = Some(serde_json::json!({}));
    assert!(batch.push(no_type).is_err(), "a body needs Content-Type");
    assert!(
        BatchRequest::new().to_request(&graph).is_err(),
        "empty batch"
    );
}
