//! Over loopback HTTP: impersonation, anchor and affinity headers, and schema version negotiation.

mod support;

use ews_client::{Mailbox, ManualClock};
use ews_types::operations::GetFolder;
use ews_types::soap::{ExchangeVersion, Impersonation};
use ews_types::types::DistinguishedFolderName;
use support::{Server, basic_client, fault, get_folder_ok, xml};

fn version_refused() -> http::Response<bytes::Bytes> {
    let text = "The specified server version is invalid.";
    xml(500, fault("ErrorInvalidServerVersion", text, None))
}

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

#[tokio::test]
async fn impersonation_sends_the_soap_header_and_the_anchor_mailbox() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| xml(200, get_folder_ok())).await;
    let client = basic_client(&server, &clock);

    client
        .execute_as(&Mailbox::smtp("alice@contoso.com"), &inbox())
        .await
        .unwrap();
    let upn = Mailbox::impersonate(Impersonation::PrincipalName("bob@contoso.com".into()))
        .with_anchor("bob@contoso.com");
    client.execute_as(&upn, &inbox()).await.unwrap();
    client.execute(&inbox()).await.unwrap();

    let log = server.log();
    assert_eq!(log.len(), 3);
    assert!(log[0].body.contains(
        "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>alice@contoso.com</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>"
    ), "{}", log[0].body);
    assert_eq!(log[0].header("x-anchormailbox"), Some("alice@contoso.com"));
    assert!(
        log[1]
            .body
            .contains("<t:PrincipalName>bob@contoso.com</t:PrincipalName>")
    );
    assert_eq!(log[1].header("x-anchormailbox"), Some("bob@contoso.com"));
    // The account's own mailbox: no impersonation, no anchor.
    assert!(!log[2].body.contains("ExchangeImpersonation"));
    assert_eq!(log[2].header("x-anchormailbox"), None);
    for exchange in &log {
        assert_eq!(exchange.requested_version(), Some("Exchange2016"));
        assert_eq!(
            exchange.header("content-type"),
            Some("text/xml; charset=utf-8")
        );
        assert!(
            exchange
                .header("authorization")
                .is_some_and(|v| v.starts_with("Basic "))
        );
    }
    // ServerVersionInfo is remembered per mailbox.
    let info = client
        .server_version(&Mailbox::smtp("alice@contoso.com"))
        .unwrap();
    assert_eq!(
        (info.major_version, info.minor_version),
        (Some(15), Some(1))
    );
}

#[tokio::test]
async fn the_affinity_cookie_goes_back_to_its_own_mailbox_only() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |exchange| {
        let mut response = xml(200, get_folder_ok());
        if exchange.header("x-anchormailbox") == Some("alice@contoso.com") {
            response.headers_mut().insert(
                "set-cookie",
                "X-BackEndOverrideCookie=EXCH07.contoso.com~1942062522; path=/"
                    .parse()
                    .unwrap(),
            );
        }
        response
    })
    .await;
    let client = basic_client(&server, &clock);
    let alice = Mailbox::smtp("alice@contoso.com").with_server_affinity();
    client.execute_as(&alice, &inbox()).await.unwrap();
    client.execute_as(&alice, &inbox()).await.unwrap();
    client
        .execute_as(&Mailbox::smtp("carol@contoso.com"), &inbox())
        .await
        .unwrap();

    let log = server.log();
    assert_eq!(log[0].header("x-preferserveraffinity"), Some("true"));
    assert_eq!(log[0].header("cookie"), None);
    assert_eq!(
        log[1].header("cookie"),
        Some("X-BackEndOverrideCookie=EXCH07.contoso.com~1942062522")
    );
    assert_eq!(log[2].header("cookie"), None);
    assert_eq!(log[2].header("x-preferserveraffinity"), None);
}

#[tokio::test]
async fn a_refused_version_steps_down_and_is_remembered_for_that_mailbox() {
    let clock = ManualClock::new();
    // An Exchange 2013 SP1 server: it refuses anything newer than it knows.
    let server = Server::start(clock.clone(), |exchange| {
        match exchange.requested_version() {
            Some("Exchange2013_SP1") => xml(200, get_folder_ok()),
            _ => version_refused(),
        }
    })
    .await;
    let client = basic_client(&server, &clock);
    let alice = Mailbox::smtp("alice@contoso.com");
    client.execute_as(&alice, &inbox()).await.unwrap();
    client.execute_as(&alice, &inbox()).await.unwrap();
    let versions: Vec<_> = server
        .log()
        .iter()
        .map(|e| e.requested_version().map(str::to_owned))
        .collect();
    assert_eq!(
        versions,
        [
            Some("Exchange2016".into()),
            Some("Exchange2013_SP1".into()),
            Some("Exchange2013_SP1".into())
        ]
    );
    assert_eq!(client.version_for(&alice), ExchangeVersion::Exchange2013Sp1);
}

#[tokio::test]
async fn when_every_version_is_refused_the_error_lists_them() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| version_refused()).await;
    let client = basic_client(&server, &clock);
    let error = client.execute(&inbox()).await.unwrap_err();
    let ews_client::Error::VersionNegotiation { tried, .. } = &error else {
        panic!("expected a negotiation failure, got {error}");
    };
    assert_eq!(tried.first(), Some(&ExchangeVersion::Exchange2016));
    assert_eq!(tried.len(), ExchangeVersion::NEGOTIATION_ORDER.len());
    assert_eq!(server.log().len(), tried.len());
}
