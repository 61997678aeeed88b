//! Over loopback HTTP with a virtual clock: `ErrorServerBusy` back-off, 503 retries, the retry budget,
//! and retries after a dropped connection. No test sleeps for real.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ews_client::{Credentials, Error, HyperTransport, Mailbox, ManualClock, RetryPolicy};
use ews_types::operations::{DeleteItem, DeleteType, GetFolder, GetFolderResponse};
use ews_types::response::ResponseCode;
use ews_types::types::{DistinguishedFolderName, ItemId};
use support::{
    Server, basic_client, builder, busy_fault, execute_driven, get_folder_error, get_folder_ok, xml,
};

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

/// Answers the first `failures` requests with `failure`, then succeeds.
fn failing_first(
    failures: usize,
    failure: impl Fn() -> http::Response<bytes::Bytes> + Send + Sync + 'static,
) -> impl Fn(&support::Exchange) -> http::Response<bytes::Bytes> + Send + Sync + 'static {
    move |exchange| {
        if exchange.index < failures {
            failure()
        } else {
            xml(200, get_folder_ok())
        }
    }
}

/// Reads the Inbox once from a server answering with `handler`; returns the response and the log.
async fn read_inbox_once(
    handler: impl Fn(&support::Exchange) -> http::Response<bytes::Bytes> + Send + Sync + 'static,
) -> (GetFolderResponse, Vec<support::Exchange>) {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), handler).await;
    let client = Arc::new(basic_client(&server, &clock));
    let response = execute_driven(&clock, &client, Mailbox::account(), inbox())
        .await
        .unwrap();
    (response, server.log())
}

#[tokio::test]
async fn server_busy_in_a_fault_waits_at_least_the_back_off() {
    let (_, log) = read_inbox_once(failing_first(1, || xml(500, busy_fault(5_000)))).await;
    assert_eq!(log.len(), 2);
    assert!(
        log[1].at - log[0].at >= Duration::from_millis(5_000),
        "{:?}",
        log[1].at
    );
}

#[tokio::test]
async fn server_busy_in_the_single_response_message_waits_too() {
    let busy = || xml(200, get_folder_error("ErrorServerBusy", Some(3_000)));
    let (response, log) = read_inbox_once(failing_first(2, busy)).await;
    assert!(response.messages[0].is_success());
    assert_eq!(log.len(), 3);
    assert!(log[1].at - log[0].at >= Duration::from_millis(3_000));
    assert!(log[2].at - log[1].at >= Duration::from_millis(3_000));
}

#[tokio::test]
async fn a_503_is_retried_after_retry_after() {
    let unavailable = || {
        let mut response = http::Response::new(bytes::Bytes::from_static(
            b"<html>Service Unavailable</html>",
        ));
        *response.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
        response
            .headers_mut()
            .insert("retry-after", "12".parse().unwrap());
        response
    };
    let (_, log) = read_inbox_once(failing_first(1, unavailable)).await;
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].at - log[0].at, Duration::from_secs(12));
}

#[tokio::test]
async fn the_retry_budget_stops_an_endless_503() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| {
        let mut response = http::Response::new(bytes::Bytes::from_static(b"queue full"));
        *response.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
        response
    })
    .await;
    let policy = RetryPolicy {
        max_retries: 3,
        ..RetryPolicy::default()
    };
    let client = Arc::new(
        builder(&server, Credentials::basic("svc@contoso.com", "x"))
            .retry_policy(policy)
            .build(HyperTransport::plain_http(), clock.clone())
            .unwrap(),
    );
    let error = execute_driven(&clock, &client, Mailbox::account(), inbox())
        .await
        .unwrap_err();

    let Error::RetriesExhausted {
        attempts,
        waited,
        last,
    } = &error
    else {
        panic!("expected the budget to run out, got {error}");
    };
    assert_eq!(*attempts, 4);
    assert_eq!(last.http_status(), Some(503));
    assert!(error.is_throttled());
    assert_eq!(server.log().len(), 4);
    // Exponential with jitter in the upper half: 0.5-1 s, 1-2 s, 2-4 s.
    assert!(
        *waited >= Duration::from_millis(3_500) && *waited <= Duration::from_secs(7),
        "{waited:?}"
    );
    let log = server.log();
    let gaps: Vec<_> = log.windows(2).map(|w| w[1].at - w[0].at).collect();
    assert!(gaps.windows(2).all(|g| g[1] > g[0]), "waits grow: {gaps:?}");
}

#[tokio::test]
async fn a_back_off_beyond_the_budget_fails_at_once_with_the_servers_code() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| xml(500, busy_fault(600_000))).await;
    let client = basic_client(&server, &clock);
    let error = client.execute(&inbox()).await.unwrap_err();
    assert!(error.is_throttled());
    assert_eq!(error.response_code(), Some(ResponseCode::ErrorServerBusy));
    assert_eq!(error.back_off(), Some(Duration::from_secs(600)));
    assert_eq!(server.log().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_reads_only() {
    let clock = ManualClock::new();
    let server = Server::start_dropping(clock.clone(), 1, |_| xml(200, get_folder_ok())).await;
    let client = Arc::new(basic_client(&server, &clock));
    execute_driven(&clock, &client, Mailbox::account(), inbox())
        .await
        .unwrap();
    assert_eq!(
        server.log().len(),
        1,
        "the dropped attempt never reached the handler"
    );

    // A delete may have happened before the connection broke: it is not sent twice.
    let server = Server::start_dropping(clock.clone(), 1, |_| xml(200, get_folder_ok())).await;
    let client = basic_client(&server, &clock);
    let delete = DeleteItem::new(DeleteType::MoveToDeletedItems, [ItemId::new("AAMkA")]);
    let error = client.execute(&delete).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error}");
}

#[tokio::test]
async fn a_401_is_never_retried_as_throttling() {
    let clock = ManualClock::new();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let server = Server::start(clock.clone(), move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        let mut response = http::Response::new(bytes::Bytes::from_static(b"401 - Unauthorized"));
        *response.status_mut() = http::StatusCode::UNAUTHORIZED;
        response.headers_mut().insert(
            "www-authenticate",
            "Basic realm=\"mail.contoso.com\"".parse().unwrap(),
        );
        response
    })
    .await;
    let client = basic_client(&server, &clock);
    let error = client.execute(&inbox()).await.unwrap_err();
    let Error::Unauthorized {
        offered_schemes, ..
    } = &error
    else {
        panic!("expected Unauthorized, got {error}");
    };
    assert_eq!(offered_schemes, &["Basic"]);
    assert!(!error.is_throttled());
    assert_eq!(requests.load(Ordering::SeqCst), 1);
}
