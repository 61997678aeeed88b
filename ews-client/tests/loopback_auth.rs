//! Over loopback HTTP: Basic and OAuth2 bearer authentication, the one token refresh after a 401, the
//! impersonation rules of app-only and delegated tokens, and secrets that never print.

mod support;

use std::sync::{Arc, Mutex};

use ews_client::{
    Credentials, Error, HyperTransport, Mailbox, ManualClock, Secret, TokenFuture, TokenProvider,
};
use ews_types::operations::GetFolder;
use ews_types::types::DistinguishedFolderName;
use support::{Server, basic_client, builder, get_folder_ok, xml};

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

/// Hands out `stale` until asked to refresh, then `fresh`; records every call.
#[derive(Clone, Default)]
struct RecordingProvider {
    calls: Arc<Mutex<Vec<bool>>>,
}

impl TokenProvider for RecordingProvider {
    fn access_token(&self, refresh: bool) -> TokenFuture<'_> {
        self.calls.lock().unwrap().push(refresh);
        Box::pin(async move { Ok(Secret::new(if refresh { "fresh" } else { "stale" })) })
    }
}

fn accept_only_fresh(exchange: &support::Exchange) -> http::Response<bytes::Bytes> {
    if exchange.header("authorization") == Some("Bearer fresh") {
        return xml(200, get_folder_ok());
    }
    let mut response = http::Response::new(bytes::Bytes::from_static(b""));
    *response.status_mut() = http::StatusCode::UNAUTHORIZED;
    response.headers_mut().insert(
        "www-authenticate",
        "Bearer error=\"invalid_token\"".parse().unwrap(),
    );
    response
}

#[tokio::test]
async fn basic_sends_the_user_and_password_on_every_request() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| xml(200, get_folder_ok())).await;
    let client = basic_client(&server, &clock);
    client.execute(&inbox()).await.unwrap();
    client.execute(&inbox()).await.unwrap();
    let log = server.log();
    // base64("svc-crm@contoso.com:Pa55w0rd")
    for exchange in &log {
        assert_eq!(
            exchange.header("authorization"),
            Some("Basic c3ZjLWNybUBjb250b3NvLmNvbTpQYTU1dzByZA==")
        );
    }
    // Both requests travelled on one kept connection.
    assert_eq!(log[0].connection, log[1].connection);
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_the_fresh_token_is_kept() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), accept_only_fresh).await;
    let provider = RecordingProvider::default();
    let client = builder(&server, Credentials::app_only(provider.clone()))
        .build(HyperTransport::plain_http(), clock.clone())
        .unwrap();
    let alice = Mailbox::smtp("alice@contoso.com");
    client.execute_as(&alice, &inbox()).await.unwrap();
    client.execute_as(&alice, &inbox()).await.unwrap();

    assert_eq!(*provider.calls.lock().unwrap(), [false, true]);
    let sent: Vec<_> = server
        .log()
        .iter()
        .map(|e| e.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(sent, ["Bearer stale", "Bearer fresh", "Bearer fresh"]);
    // App-only: every request impersonates.
    assert!(
        server
            .log()
            .iter()
            .all(|e| e.body.contains("<t:ExchangeImpersonation>"))
    );
}

#[tokio::test]
async fn a_refused_fresh_token_is_unauthorized_without_more_attempts() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |exchange| {
        let mut refused = accept_only_fresh(exchange);
        *refused.status_mut() = http::StatusCode::UNAUTHORIZED;
        refused
    })
    .await;
    let provider = RecordingProvider::default();
    let client = builder(&server, Credentials::app_only(provider.clone()))
        .build(HyperTransport::plain_http(), clock.clone())
        .unwrap();
    let error = client
        .execute_as(&Mailbox::smtp("alice@contoso.com"), &inbox())
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    assert_eq!(server.log().len(), 2);
    assert_eq!(*provider.calls.lock().unwrap(), [false, true]);
}

#[tokio::test]
async fn token_kinds_decide_impersonation_before_anything_is_sent() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| xml(200, get_folder_ok())).await;
    let app = builder(&server, Credentials::app_only(RecordingProvider::default()))
        .build(HyperTransport::plain_http(), clock.clone())
        .unwrap();
    assert!(matches!(
        app.execute(&inbox()).await,
        Err(Error::Impersonation(_))
    ));

    let delegated = builder(
        &server,
        Credentials::delegated(RecordingProvider::default()),
    )
    .build(HyperTransport::plain_http(), clock.clone())
    .unwrap();
    let refused = delegated
        .execute_as(&Mailbox::smtp("alice@contoso.com"), &inbox())
        .await;
    assert!(matches!(refused, Err(Error::Impersonation(_))));
    delegated.execute(&inbox()).await.unwrap();
    assert_eq!(server.log().len(), 1);
    assert!(!server.log()[0].body.contains("ExchangeImpersonation"));
}

#[tokio::test]
async fn credentials_never_go_over_plain_http_to_another_host() {
    let refused = ews_client::ClientBuilder::new(
        "http://mail.contoso.com/EWS/Exchange.asmx",
        Credentials::basic("svc@contoso.com", "Pa55w0rd"),
    )
    .allow_insecure_loopback_http(true)
    .build(HyperTransport::plain_http(), ManualClock::new());
    assert!(matches!(refused, Err(Error::InsecureEndpoint { .. })));
}

#[test]
fn secrets_never_print() {
    let basic = Credentials::basic("svc@contoso.com", "Pa55w0rd-basic");
    let ntlm = Credentials::ntlm("CONTOSO\\svc", "Pa55w0rd-ntlm");
    let client =
        ews_client::ClientBuilder::new("https://mail.contoso.com/EWS/Exchange.asmx", ntlm.clone())
            .build(HyperTransport::plain_http(), ManualClock::new())
            .unwrap();
    let printed = format!("{basic:?} {ntlm:?} {client:?}");
    assert!(!printed.contains("Pa55w0rd"), "{printed}");
    assert!(
        printed.contains("CONTOSO") && printed.contains("[redacted]"),
        "{printed}"
    );
}
