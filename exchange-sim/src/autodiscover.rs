//! Autodiscover: POX (`POST /autodiscover/autodiscover.xml`, authenticated) and the JSON variant
//! (`GET /autodiscover/autodiscover.json/v1.0/{email}?Protocol=EWS`, unauthenticated), with the
//! redirects a test configures (`redirectAddr`, `redirectUrl`, HTTP 302).

use bytes::Bytes;
use quick_xml::escape::escape;
use serde_json::json;

use crate::config::AutodiscoverRedirect;
use crate::server::{Exchange, lock, respond, with_header};

const RESPONSE_NS: &str = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
const OUTLOOK_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

/// `ServerVersion` of Exchange 2016 (15.1.2507) in POX's hex form.
const SERVER_VERSION: &str = "73C189CB";

fn redirect_for<'a>(exchange: &'a Exchange<'_>, email: &str) -> Option<&'a AutodiscoverRedirect> {
    exchange
        .shared
        .config
        .autodiscover_redirects
        .iter()
        .find(|(address, _)| address.eq_ignore_ascii_case(email))
        .map(|(_, redirect)| redirect)
}

fn xml(body: String) -> http::Response<Bytes> {
    respond(200, "text/xml; charset=utf-8", body)
}

fn pox_error(code: u32, message: &str) -> http::Response<Bytes> {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"{RESPONSE_NS}\"><Response>\
<Error Time=\"00:00:00\" Id=\"1\"><ErrorCode>{code}</ErrorCode><Message>{}</Message><DebugData /></Error>\
</Response></Autodiscover>",
        escape(message)
    ))
}

fn pox_account(inner: &str) -> http::Response<Bytes> {
    xml(format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"{RESPONSE_NS}\">\
<Response xmlns=\"{OUTLOOK_NS}\">{inner}</Response></Autodiscover>"
    ))
}

/// Answers an Autodiscover request.
pub(crate) fn handle(
    exchange: &mut Exchange<'_>,
    request: &http::Request<Bytes>,
) -> http::Response<Bytes> {
    let path = request.uri().path().to_ascii_lowercase();
    if let Some(rest) = path.strip_prefix("/autodiscover/autodiscover.json/v1.0/") {
        let email = crate::graph::percent_decode(rest);
        let protocol = request
            .uri()
            .query()
            .and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k.eq_ignore_ascii_case("Protocol"))
                    .map(|(_, v)| v.into_owned())
            })
            .unwrap_or_default();
        return json_answer(exchange, &email, &protocol);
    }
    if request.method() != http::Method::POST {
        return respond(405, "text/plain", "POST the POX request");
    }
    let email = match autodiscover::pox::parse_request(request.body()) {
        Ok(email) => email,
        Err(reason) => return pox_error(600, &format!("Invalid Request: {reason}")),
    };
    exchange.mailbox = Some(email.clone());
    match redirect_for(exchange, &email) {
        Some(AutodiscoverRedirect::Address(target)) => {
            return pox_account(&format!(
                "<Account><AccountType>email</AccountType><Action>redirectAddr</Action><RedirectAddr>{}</RedirectAddr></Account>",
                escape(target.as_str())
            ));
        }
        Some(AutodiscoverRedirect::Url(target)) => {
            return pox_account(&format!(
                "<Account><AccountType>email</AccountType><Action>redirectUrl</Action><RedirectUrl>{}</RedirectUrl></Account>",
                escape(target.as_str())
            ));
        }
        Some(AutodiscoverRedirect::Http(target)) => {
            return with_header(respond(302, "text/html", "moved"), "location", target);
        }
        _ => {}
    }
    let store = lock(&exchange.shared.store);
    let Some(mailbox) = store.lookup(&email).and_then(|no| store.mailbox(no)) else {
        return pox_error(500, "The email address can't be found.");
    };
    let base = exchange.shared.base();
    let ews = format!("{base}/EWS/Exchange.asmx");
    let protocol = |kind: &str| {
        format!(
            "<Protocol><Type>{kind}</Type><Server>127.0.0.1</Server><ServerVersion>{SERVER_VERSION}</ServerVersion>\
<ASUrl>{ews}</ASUrl><EwsUrl>{ews}</EwsUrl><OOFUrl>{ews}</OOFUrl><TTL>1</TTL><AuthPackage>Negotiate</AuthPackage></Protocol>"
        )
    };
    pox_account(&format!(
        "<User><DisplayName>{}</DisplayName><AutoDiscoverSMTPAddress>{}</AutoDiscoverSMTPAddress></User>\
<Account><AccountType>email</AccountType><Action>settings</Action>{}{}</Account>",
        escape(mailbox.display_name.as_str()),
        escape(mailbox.address.as_str()),
        protocol("EXCH"),
        protocol("EXPR"),
    ))
}

fn json_answer(exchange: &mut Exchange<'_>, email: &str, protocol: &str) -> http::Response<Bytes> {
    if !protocol.eq_ignore_ascii_case("EWS") {
        let body = json!({"ErrorCode": "InvalidProtocol", "ErrorMessage": format!("The given protocol value '{protocol}' is invalid. Supported values are 'ActiveSync,AutodiscoverV1,Ews,Rest,Substrate,SubstrateSearchService,SubstrateNotificationService,OutlookMeetingScheduler,OutlookPay,Actions,Connectors,ConnectorsProcessors,ConnectorsWebhook,NotesClient,OwaPoweredExperience,ToDo,Weve,OutlookLocationsService,OutlookCloudSettingsService,OutlookTailoredExperiences,OwaPoweredExperienceV2'")});
        return respond(400, "application/json", body.to_string());
    }
    exchange.mailbox = Some(email.to_owned());
    match redirect_for(exchange, email) {
        Some(AutodiscoverRedirect::Url(target)) => {
            return respond(
                200,
                "application/json",
                json!({"Protocol": "AutodiscoverV1", "Url": target}).to_string(),
            );
        }
        Some(AutodiscoverRedirect::Http(target)) => {
            return with_header(respond(302, "text/html", "moved"), "location", target);
        }
        _ => {}
    }
    let known = lock(&exchange.shared.store).lookup(email).is_some();
    if !known {
        let body =
            json!({"ErrorCode": "MailboxNotFound", "ErrorMessage": "The mailbox was not found."});
        return respond(404, "application/json", body.to_string());
    }
    let url = format!("{}/EWS/Exchange.asmx", exchange.shared.base());
    respond(
        200,
        "application/json",
        json!({"Protocol": "EWS", "Url": url}).to_string(),
    )
}
