//! The thin client's throttling: Retry-After in decimal seconds and as an HTTP date, capped retries
//! with `Retry-Attempt`, and at most 4 requests in flight per mailbox.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use graph_client::client::{GraphClient, Transport};
use graph_client::model::Message;
use graph_client::{Graph, Item, TransportError};
use support::{LoopbackTransport, RecordingClock, Scripted, ScriptedServer};

#[tokio::test]
async fn retries_after_decimal_seconds_and_http_dates_then_succeeds() {
    let clock = RecordingClock::new();
    // The clock reads 2023-11-14T22:13:20Z; the date below is 7 seconds later.
    let at = jiff::Timestamp::try_from(clock.now).unwrap() + jiff::SignedDuration::from_secs(7);
    let http_date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&at)
        .unwrap();
    let server = ScriptedServer::start(move |_| {
        vec![
            Scripted::json(
                429,
                r#"{"error": {"code": "TooManyRequests", "message": "Please retry again later."}}"#,
            )
            .header("retry-after", "2.128"),
            Scripted::json(503, "").header("retry-after", &http_date),
            Scripted::json(200, r#"{"id": "M1", "subject": "Finally"}"#),
        ]
    })
    .await;
    let graph = Graph::me().with_base_url(&server.base).unwrap();
    let client = GraphClient::new(LoopbackTransport, graph.clone()).with_clock(clock.clone());
    let message = client
        .execute(graph.get(&Item::<Message>::new("M1")).unwrap())
        .await
        .unwrap();
    assert_eq!(message.subject.value().unwrap(), "Finally");
    assert_eq!(
        clock.sleeps(),
        [Duration::from_millis(2128), Duration::from_secs(7)]
    );
    let attempts: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.header("retry-attempt").map(str::to_owned))
        .collect();
    assert_eq!(attempts, [None, Some("1".into()), Some("2".into())]);
}

#[tokio::test]
async fn retries_are_capped_and_the_error_keeps_retry_after() {
    let server = ScriptedServer::start(|_| {
        (0..4)
            .map(|_| {
                Scripted::json(
                    429,
                    r#"{"error": {"code": "TooManyRequests", "message": "Slow down."}}"#,
                )
                .header("retry-after", "1")
            })
            .collect()
    })
    .await;
    let graph = Graph::me().with_base_url(&server.base).unwrap();
    let clock = RecordingClock::new();
    let client = GraphClient::new(LoopbackTransport, graph.clone()).with_clock(clock.clone());
    let error = client
        .execute(graph.get(&Item::<Message>::new("M1")).unwrap())
        .await
        .unwrap_err();
    assert!(error.is_throttled());
    assert_eq!(
        error.retry_after(SystemTime::now()),
        Some(Duration::from_secs(1))
    );
    assert_eq!(error.api().unwrap().code, "TooManyRequests");
    // Default policy: 3 retries, so 4 requests and 3 waits.
    assert_eq!(server.requests().len(), 4);
    assert_eq!(clock.sleeps().len(), 3);
}

/// Counts requests in flight; each takes 50 ms of (paused) tokio time.
#[derive(Default)]
struct SlowTransport {
    in_flight: AtomicUsize,
    most: AtomicUsize,
}

impl Transport for SlowTransport {
    async fn send(
        &self,
        _request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(50)).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(http::Response::new(Bytes::from_static(br#"{"id": "M"}"#)))
    }
}

#[tokio::test(start_paused = true)]
async fn at_most_four_requests_per_mailbox_are_in_flight() {
    let transport = Arc::new(SlowTransport::default());
    let graph = Graph::user("adele@contoso.com");
    let client = Arc::new(GraphClient::new(transport.clone(), graph.clone()));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..10 {
        let client = client.clone();
        let request = graph.get(&Item::<Message>::new(format!("M{n}"))).unwrap();
        tasks.spawn(async move { client.execute(request).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(transport.most.load(Ordering::SeqCst), 4);

    // Another mailbox has its own four.
    let transport = Arc::new(SlowTransport::default());
    let client = Arc::new(GraphClient::new(transport.clone(), graph.clone()));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..10 {
        let client = client.clone();
        let mailbox = if n % 2 == 0 {
            "adele@contoso.com"
        } else {
            "megan@contoso.com"
        };
        let request = Graph::user(mailbox)
            .get(&Item::<Message>::new("M"))
            .unwrap();
        tasks.spawn(async move { client.execute(request).await });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(transport.most.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn list_all_follows_next_links_and_retries_a_throttled_page() {
    let server = ScriptedServer::start(|base| {
        vec![
            Scripted::json(
                200,
                format!(
                    r#"{{"value": [{{"id": "C1", "displayName": "Red", "color": "preset0"}}],
                "@odata.nextLink": "{base}/me/outlook/masterCategories?$skip=1"}}"#
                ),
            ),
            Scripted::json(429, "").header("retry-after", "1"),
            Scripted::json(
                200,
                r#"{"value": [{"id": "C2", "displayName": "Blue", "color": "preset7"}]}"#,
            ),
        ]
    })
    .await;
    let graph = Graph::me().with_base_url(&server.base).unwrap();
    let clock = RecordingClock::new();
    let client = GraphClient::new(LoopbackTransport, graph).with_clock(clock.clone());
    let categories = client
        .list_all(
            &graph_client::Collection::<graph_client::model::OutlookCategory>::all(),
            &Default::default(),
        )
        .await
        .unwrap();
    let names: Vec<&str> = categories
        .iter()
        .filter_map(|c| c.display_name.value().map(String::as_str))
        .collect();
    assert_eq!(names, ["Red", "Blue"]);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/me/outlook/masterCategories",
            "/v1.0/me/outlook/masterCategories?$skip=1",
            "/v1.0/me/outlook/masterCategories?$skip=1"
        ]
    );
}
