//! Over loopback HTTP: `test_connection()` resolves the account's own name, and tells refused
//! credentials and unknown mailboxes apart with clear errors.

mod support;

use ews_client::{Error, Mailbox, ManualClock};
use ews_types::operations::ResolveNames;
use ews_types::soap::{ExchangeVersion, parse_request};
use support::{Server, basic_client, fault, xml};

fn directory(exchange: &support::Exchange) -> http::Response<bytes::Bytes> {
    let (header, resolve) = parse_request::<ResolveNames>(exchange.body.as_bytes()).unwrap();
    let entry = resolve.unresolved_entry;
    if header.impersonation.is_some() && entry.starts_with("ghost") {
        let text = format!("The SMTP address has no mailbox associated with it. {entry}");
        return xml(500, fault("ErrorNonExistentMailbox", &text, None));
    }
    if entry.starts_with("nobody") {
        return xml(
            200,
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:ResolveNamesResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:ResolveNamesResponseMessage ResponseClass="Error"><m:MessageText>No results were found.</m:MessageText><m:ResponseCode>ErrorNameResolutionNoResults</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:ResolveNamesResponseMessage></m:ResponseMessages></m:ResolveNamesResponse></s:Body></s:Envelope>"#,
        );
    }
    xml(
        200,
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header><s:Body><m:ResolveNamesResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:ResolveNamesResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:ResolutionSet TotalItemsInView="1" IncludesLastItemInRange="true"><t:Resolution><t:Mailbox><t:Name>{entry}</t:Name><t:EmailAddress>{entry}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox></t:Resolution></m:ResolutionSet></m:ResolveNamesResponseMessage></m:ResponseMessages></m:ResolveNamesResponse></s:Body></s:Envelope>"#
        ),
    )
}

#[tokio::test]
async fn the_account_resolves_and_the_server_is_identified() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), directory).await;
    let client = basic_client(&server, &clock);
    let check = client.account().test_connection().await.unwrap();
    assert_eq!(check.name, "svc-crm@contoso.com");
    assert_eq!(check.addresses, ["svc-crm@contoso.com"]);
    assert_eq!(check.version, ExchangeVersion::Exchange2016);
    let build = check.server_version.unwrap();
    assert_eq!(build.product_name(), Some("Exchange 2019 or SE"));

    let alice = client.mailbox(Mailbox::smtp("alice@contoso.com"));
    assert_eq!(
        alice.test_connection().await.unwrap().addresses,
        ["alice@contoso.com"]
    );
    assert!(
        server.log()[1]
            .body
            .contains("<t:PrimarySmtpAddress>alice@contoso.com")
    );
}

#[tokio::test]
async fn an_unknown_mailbox_is_a_clear_error() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), directory).await;
    let client = basic_client(&server, &clock);
    let error = client
        .mailbox(Mailbox::smtp("ghost@contoso.com"))
        .test_connection()
        .await
        .unwrap_err();
    let Error::MailboxNotFound { mailbox, message } = &error else {
        panic!("expected MailboxNotFound, got {error}");
    };
    assert_eq!(mailbox, "ghost@contoso.com");
    assert!(message.contains("no mailbox associated"), "{message}");
}

#[tokio::test]
async fn a_name_the_directory_does_not_know_still_proves_the_connection() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), directory).await;
    let client = basic_client(&server, &clock);
    let check = client
        .mailbox(Mailbox::account().with_anchor("nobody@contoso.com"))
        .test_connection()
        .await
        .unwrap();
    assert!(check.addresses.is_empty());
}

#[tokio::test]
async fn refused_credentials_are_unauthorized() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| xml(401, "")).await;
    let error = basic_client(&server, &clock)
        .account()
        .test_connection()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Unauthorized { status: 401, .. }),
        "{error}"
    );
}
