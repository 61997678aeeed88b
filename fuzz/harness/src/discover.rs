//! Autodiscover targets: the POX and SOAP answers (and requests, as a server reads them) and the JSON
//! v2 answer.
//!
//! The crate builds requests but never answers, so the response seeds are the documented shapes
//! written out here; the request seeds come from its builders. Beyond "no panic": a request a server
//! parses names the same mailbox after being built again with the crate's builder.

use autodiscover::json::JsonResponse;
use autodiscover::pox::{self, PoxResponse};
use autodiscover::soap::{self, GetUserSettingsRequest, GetUserSettingsResponse};

use crate::{Seed, show};

const POX_RESPONSE_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
const POX_OUTLOOK_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const AUTODISCOVER_NS: &str = "http://schemas.microsoft.com/exchange/2010/Autodiscover";

/// Runs every Autodiscover XML parser on `data`: POX response and request, SOAP `GetUserSettings`
/// response and request. Requests that parse must round-trip through the request builders.
pub fn check_xml(data: &[u8]) {
    if let Ok(PoxResponse::Settings { protocols, .. }) = PoxResponse::parse(data) {
        for protocol in &protocols {
            let _ = protocol.server_version();
            let _ = protocol.ttl_hours();
        }
    }
    let _ = GetUserSettingsResponse::parse(data);
    if let Ok(email) = pox::parse_request(data) {
        let body = pox::request_body(&email);
        assert_eq!(
            pox::parse_request(body.as_bytes()).as_ref(),
            Ok(&email),
            "a POX request changed on a round trip\nbuilt: {body}"
        );
    }
    if let Ok(request) = GetUserSettingsRequest::parse(data) {
        let version = request.requested_server_version.as_deref().unwrap_or("");
        for mailbox in &request.mailboxes {
            let body =
                soap::request_body(mailbox, "https://autodiscover.contoso.example/", version);
            let again = GetUserSettingsRequest::parse(body.as_bytes()).unwrap_or_else(|e| {
                panic!("a built GetUserSettings request does not parse: {e}\nbuilt: {body}")
            });
            assert_eq!(
                again.mailboxes.as_slice(),
                std::slice::from_ref(mailbox),
                "the mailbox changed on a round trip\nbuilt: {body}\nfrom: {}",
                show(data)
            );
            assert_eq!(
                again.requested_server_version, request.requested_server_version,
                "the requested version changed on a round trip\nbuilt: {body}"
            );
        }
    }
}

/// Parses `data` as a JSON v2 answer.
pub fn check_json(data: &[u8]) {
    if let Ok(JsonResponse::Ews(url) | JsonResponse::AutodiscoverV1(url)) =
        JsonResponse::parse(data)
    {
        let _ = autodiscover::validate_ews_url(&url);
    }
}

fn pox_account(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{POX_RESPONSE_NS}"><Response xmlns="{POX_OUTLOOK_NS}"><User><DisplayName>Mara &amp; Co</DisplayName><AutoDiscoverSMTPAddress>mara@contoso.example</AutoDiscoverSMTPAddress></User><Account><AccountType>email</AccountType>{inner}</Account></Response></Autodiscover>"#
    )
}

fn soap_envelope(response: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="{SOAP_NS}"><s:Header><h:ServerVersionInfo xmlns:h="{AUTODISCOVER_NS}"><h:MajorVersion>15</h:MajorVersion><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header><s:Body><GetUserSettingsResponseMessage xmlns="{AUTODISCOVER_NS}"><Response>{response}</Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"#
    )
}

/// POX and SOAP answers of every kind the machine handles, and requests from the crate's builders.
pub fn xml_seeds() -> Vec<Seed> {
    let protocol = |kind: &str, url: &str| {
        format!(
            "<Protocol><Type>{kind}</Type><Server>mail.contoso.example</Server><ServerVersion>73C18880</ServerVersion><AuthPackage>Negotiate</AuthPackage><ASUrl>{url}</ASUrl><EwsUrl>{url}</EwsUrl><TTL>2</TTL></Protocol>"
        )
    };
    let ews = "https://mail.contoso.example/EWS/Exchange.asmx";
    vec![
        Seed::new(
            "pox-settings.xml",
            pox_account(&format!(
                "<Action>settings</Action>{}{}",
                protocol("EXCH", ews),
                protocol("EXPR", ews)
            )),
        ),
        Seed::new(
            "pox-redirect-addr.xml",
            pox_account(
                "<Action>redirectAddr</Action><RedirectAddr>mara@fabrikam.example</RedirectAddr>",
            ),
        ),
        Seed::new(
            "pox-redirect-url.xml",
            pox_account(
                "<Action>redirectUrl</Action><RedirectUrl>https://autodiscover.fabrikam.example/autodiscover/autodiscover.xml</RedirectUrl>",
            ),
        ),
        Seed::new(
            "pox-error.xml",
            format!(
                r#"<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{POX_RESPONSE_NS}"><Response><Error Time="16:50:41.5171012" Id="2771474524"><ErrorCode>500</ErrorCode><Message>The e-mail address cannot be found.</Message><DebugData /></Error></Response></Autodiscover>"#
            ),
        ),
        Seed::new(
            "soap-settings.xml",
            soap_envelope(&format!(
                "<ErrorCode>NoError</ErrorCode><ErrorMessage /><UserResponses><UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil=\"true\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" /><UserSettingErrors><UserSettingError><ErrorCode>SettingIsNotAvailable</ErrorCode><ErrorMessage>User setting 'InternalEwsUrl' is not available.</ErrorMessage><SettingName>InternalEwsUrl</SettingName></UserSettingError></UserSettingErrors><UserSettings><UserSetting i:type=\"StringSetting\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><Name>ExternalEwsUrl</Name><Value>{ews}</Value></UserSetting><UserSetting i:type=\"StringSetting\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"><Name>CasVersion</Name><Value>15.20.7452.28</Value></UserSetting></UserSettings></UserResponse></UserResponses>"
            )),
        ),
        Seed::new(
            "soap-redirect.xml",
            soap_envelope(
                "<ErrorCode>NoError</ErrorCode><UserResponses><UserResponse><ErrorCode>RedirectAddress</ErrorCode><ErrorMessage>Redirection address.</ErrorMessage><RedirectTarget>mara@fabrikam.example</RedirectTarget></UserResponse></UserResponses>",
            ),
        ),
        Seed::new(
            "soap-fault.xml",
            format!(
                r#"<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">The message could not be processed.</faultstring></s:Fault></s:Body></s:Envelope>"#
            ),
        ),
        Seed::new("pox-request.xml", pox::request_body("mara@contoso.example")),
        Seed::new(
            "soap-request.xml",
            soap::request_body(
                "mara@contoso.example",
                "https://autodiscover.contoso.example/autodiscover/autodiscover.svc",
                "Exchange2013",
            ),
        ),
    ]
}

/// JSON v2 answers: the EWS URL, a POX/SOAP redirect and an error.
pub fn json_seeds() -> Vec<Seed> {
    vec![
        Seed::new(
            "ews.json",
            r#"{"Protocol":"EWS","Url":"https://outlook.office365.com/EWS/Exchange.asmx"}"#,
        ),
        Seed::new(
            "autodiscover-v1.json",
            r#"{"Protocol":"AutodiscoverV1","Url":"https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml"}"#,
        ),
        Seed::new(
            "error.json",
            r#"{"ErrorCode":"InvalidProtocol","ErrorMessage":"The given protocol value 'Foo' is invalid. Supported values are 'Rest,AutodiscoverV1,Ews'"}"#,
        ),
    ]
}
