//! Over loopback HTTP: what the server sends that is not EWS (HTML pages, truncated or oversized
//! bodies, other content types) becomes a typed error naming the HTTP status and the start of the body.

mod support;

use ews_client::{Credentials, Error, HyperTransport, ManualClock};
use ews_types::operations::GetFolder;
use ews_types::types::DistinguishedFolderName;
use support::{Server, basic_client, builder, get_folder_ok, xml};

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

fn answer(status: u16, content_type: &str, body: &'static str) -> http::Response<bytes::Bytes> {
    http::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .body(bytes::Bytes::from_static(body.as_bytes()))
        .unwrap()
}

async fn error_for(
    response: impl Fn() -> http::Response<bytes::Bytes> + Send + Sync + 'static,
) -> Error {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), move |_| response()).await;
    basic_client(&server, &clock)
        .execute(&inbox())
        .await
        .unwrap_err()
}

#[tokio::test]
async fn an_html_login_page_with_200_is_an_unexpected_content_type() {
    let error = error_for(|| {
        answer(
            200,
            "text/html; charset=utf-8",
            "<html>\n  <head><title>Sign in</title></head>\n</html>",
        )
    })
    .await;
    let Error::UnexpectedContentType {
        status,
        content_type,
        excerpt,
    } = &error
    else {
        panic!("{error}");
    };
    assert_eq!(
        (*status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert_eq!(
        excerpt,
        "<html> <head><title>Sign in</title></head> </html>"
    );
    assert!(error.to_string().contains("200"));
}

#[tokio::test]
async fn a_proxy_error_page_names_its_status() {
    let error = error_for(|| answer(502, "text/html", "<h1>502 Bad Gateway</h1>")).await;
    assert_eq!(error.http_status(), Some(502));
    assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
}

#[tokio::test]
async fn a_truncated_body_is_an_invalid_response() {
    let full = get_folder_ok();
    let cut = full[..full.len() / 2].to_owned();
    let error = error_for(move || xml(200, cut.clone())).await;
    let Error::InvalidResponse {
        status, excerpt, ..
    } = &error
    else {
        panic!("{error}");
    };
    assert_eq!(*status, 200);
    assert!(excerpt.starts_with("<?xml"), "{excerpt}");
}

#[tokio::test]
async fn an_xml_body_of_another_kind_is_an_invalid_response() {
    let error = error_for(|| xml(200, "<status>ok</status>")).await;
    assert!(
        matches!(error, Error::InvalidResponse { status: 200, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn a_body_beyond_the_limit_is_refused() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |_| xml(200, get_folder_ok())).await;
    let client = builder(&server, Credentials::basic("svc@contoso.com", "x"))
        .max_response_bytes(100)
        .build(HyperTransport::plain_http(), clock.clone())
        .unwrap();
    let error = client.execute(&inbox()).await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 100, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn a_fault_keeps_the_servers_code_and_message() {
    let error = error_for(|| {
        xml(
            500,
            support::fault(
                "ErrorAccessDenied",
                "Access is denied. Check credentials and try again.",
                None,
            ),
        )
    })
    .await;
    let Error::Fault { status, fault } = &error else {
        panic!("{error}");
    };
    assert_eq!(*status, 500);
    assert_eq!(fault.code().as_str(), "ErrorAccessDenied");
    assert!(error.to_string().contains("Access is denied"));
}
