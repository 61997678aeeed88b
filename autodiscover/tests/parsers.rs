//! No parser panics on any bytes: random bytes, and random single-byte mutations and truncations of
//! well-formed POX, SOAP and JSON answers. Well-formed answers still parse after a round trip
//! through the request builders.

use autodiscover::json::JsonResponse;
use autodiscover::pox::{self, PoxResponse};
use autodiscover::soap::{self, GetUserSettingsRequest, GetUserSettingsResponse};
use proptest::prelude::*;

const POX: &str = r#"<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"><User><DisplayName>M &amp; W</DisplayName></User><Account><Action>settings</Action><Protocol><Type>EXPR</Type><EwsUrl>https://mail.contoso.com/EWS/Exchange.asmx</EwsUrl><ServerVersion>73C08204</ServerVersion></Protocol></Account></Response></Autodiscover>"#;
const SOAP: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetUserSettingsResponseMessage xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover"><Response><ErrorCode>NoError</ErrorCode><UserResponses><UserResponse><ErrorCode>NoError</ErrorCode><UserSettings><UserSetting><Name>ExternalEwsUrl</Name><Value>https://mail.contoso.com/EWS/Exchange.asmx</Value></UserSetting></UserSettings></UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"#;
const JSON: &str = r#"{"Protocol":"EWS","Url":"https://outlook.office365.com/EWS/Exchange.asmx"}"#;

fn parse_all(bytes: &[u8]) {
    let _ = PoxResponse::parse(bytes);
    let _ = GetUserSettingsResponse::parse(bytes);
    let _ = GetUserSettingsRequest::parse(bytes);
    let _ = pox::parse_request(bytes);
    let _ = JsonResponse::parse(bytes);
}

#[test]
fn samples_parse() {
    assert!(matches!(
        PoxResponse::parse(POX.as_bytes()),
        Ok(PoxResponse::Settings { .. })
    ));
    let soap = GetUserSettingsResponse::parse(SOAP.as_bytes()).unwrap();
    assert_eq!(soap.settings.len(), 1);
    assert!(JsonResponse::parse(JSON.as_bytes()).is_ok());
    let request = soap::request_body(
        "a&b<c>@contoso.com",
        "https://x/autodiscover/autodiscover.svc",
        "Exchange2013",
    );
    assert_eq!(
        GetUserSettingsRequest::parse(request.as_bytes())
            .unwrap()
            .mailboxes,
        ["a&b<c>@contoso.com"]
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_all(&bytes);
    }

    #[test]
    fn mutated_answers_never_panic(which in 0usize..3, at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let base = [POX, SOAP, JSON][which].as_bytes();
        let mut mutated = base.to_vec();
        mutated[at.index(base.len())] = byte;
        parse_all(&mutated);
        parse_all(&base[..cut.index(base.len())]);
    }

    #[test]
    fn deep_or_long_documents_are_refused_without_panicking(depth in 0usize..200, width in 0usize..2000) {
        let doc = format!("{}{}{}", "<a>".repeat(depth), "x".repeat(width), "</a>".repeat(depth));
        parse_all(doc.as_bytes());
    }
}
