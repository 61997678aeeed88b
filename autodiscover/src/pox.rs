//! POX ("plain old XML") Autodiscover: request builder and parsers.
//!
//! Reference: [POX Autodiscover request](https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/pox-autodiscover-request-for-exchange)
//! and [response](https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/pox-autodiscover-response-for-exchange).

use std::collections::BTreeMap;

use quick_xml::escape::escape;

use crate::ServerVersion;
use crate::xml::{self, Element, NS_POX_OUTLOOK_RESPONSE, NS_POX_REQUEST, NS_POX_RESPONSE};

/// Builds the POX request body for `email`.
///
/// ```
/// let body = autodiscover::pox::request_body("mara@contoso.com");
/// let parsed = autodiscover::pox::parse_request(body.as_bytes()).unwrap();
/// assert_eq!(parsed, "mara@contoso.com");
/// ```
pub fn request_body(email: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
<Autodiscover xmlns=\"http://{NS_POX_REQUEST}\"><Request>\
<EMailAddress>{}</EMailAddress>\
<AcceptableResponseSchema>http://{NS_POX_OUTLOOK_RESPONSE}</AcceptableResponseSchema>\
</Request></Autodiscover>",
        escape(email)
    )
}

/// Reads a POX request (as a server would) and returns its `EMailAddress`.
pub fn parse_request(body: &[u8]) -> Result<String, String> {
    let root = xml::parse(body).map_err(|e| e.0)?;
    if !root.is(NS_POX_REQUEST, "Autodiscover") {
        return Err(format!(
            "root element {} is not a POX Autodiscover request",
            root.name
        ));
    }
    root.child(NS_POX_REQUEST, "Request")
        .and_then(|r| r.child_text(NS_POX_REQUEST, "EMailAddress"))
        .ok_or_else(|| "the request has no EMailAddress".to_owned())
}

/// The `Type` of a POX `Protocol` entry. Open: unknown types are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolType {
    /// Outlook inside the corporate network (RPC).
    Exch,
    /// Outlook Anywhere (RPC over HTTP), the external endpoint.
    Expr,
    /// MAPI/HTTP style entry.
    ExHttp,
    /// Outlook Web App settings.
    Web,
    /// Any other value, as sent.
    Unknown(String),
}

impl ProtocolType {
    fn parse(s: &str) -> Self {
        match s.trim().to_ascii_uppercase().as_str() {
            "EXCH" => Self::Exch,
            "EXPR" => Self::Expr,
            "EXHTTP" => Self::ExHttp,
            "WEB" => Self::Web,
            _ => Self::Unknown(s.trim().to_owned()),
        }
    }
}

/// One `Account/Protocol` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    /// `Type`.
    pub kind: ProtocolType,
    /// Every simple child element (`EwsUrl`, `ASUrl`, `Server`, `AuthPackage`, `TTL`, …) by name.
    pub fields: BTreeMap<String, String>,
}

impl Protocol {
    /// A field by element name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// `ServerVersion`, decoded from its hexadecimal form.
    pub fn server_version(&self) -> Option<ServerVersion> {
        self.field("ServerVersion")
            .and_then(ServerVersion::from_pox_hex)
    }

    /// `TTL` in hours (default 1 when absent).
    pub fn ttl_hours(&self) -> u64 {
        self.field("TTL")
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(1)
    }
}

/// A parsed POX response.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PoxResponse {
    /// `Action` `settings`.
    Settings {
        /// `User` children (`DisplayName`, `AutoDiscoverSMTPAddress`, …) by name.
        user: BTreeMap<String, String>,
        /// Top-level `Account/Protocol` entries in document order.
        protocols: Vec<Protocol>,
    },
    /// `Action` `redirectAddr`: retry with this email address.
    RedirectAddress(String),
    /// `Action` `redirectUrl`: retry at this Autodiscover URL.
    RedirectUrl(String),
    /// An `Error` element (error codes 500, 501, 600, 601, 602, 603, …).
    Error {
        /// `ErrorCode`, as sent.
        code: String,
        /// `Message`.
        message: String,
    },
}

impl PoxResponse {
    /// Parses a POX response body. Namespaces are matched by URI (either scheme spelling).
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let root = xml::parse(body).map_err(|e| e.0)?;
        if !root.is(NS_POX_RESPONSE, "Autodiscover") {
            return Err(format!(
                "root element {} is not a POX Autodiscover response",
                root.name
            ));
        }
        let response = root
            .child(NS_POX_OUTLOOK_RESPONSE, "Response")
            .or_else(|| root.child(NS_POX_RESPONSE, "Response"))
            .ok_or("the response has no Response element")?;
        if let Some(error) = find_error(response) {
            return Ok(error);
        }
        if !xml::namespace_is(&response.namespace, NS_POX_OUTLOOK_RESPONSE) {
            return Err("the Response element is in an unexpected namespace".into());
        }
        let ns = NS_POX_OUTLOOK_RESPONSE;
        let account = response
            .child(ns, "Account")
            .ok_or("the response has no Account")?;
        let action = account.child_text(ns, "Action").unwrap_or_default();
        match action.as_str() {
            "redirectAddr" => account
                .child_text(ns, "RedirectAddr")
                .map(Self::RedirectAddress)
                .ok_or_else(|| "redirectAddr without RedirectAddr".into()),
            "redirectUrl" => account
                .child_text(ns, "RedirectUrl")
                .map(Self::RedirectUrl)
                .ok_or_else(|| "redirectUrl without RedirectUrl".into()),
            "settings" => Ok(Self::Settings {
                user: response
                    .child(ns, "User")
                    .map(simple_fields)
                    .unwrap_or_default(),
                protocols: account
                    .children_named(ns, "Protocol")
                    .map(|p| Protocol {
                        kind: ProtocolType::parse(&p.child_text(ns, "Type").unwrap_or_default()),
                        fields: simple_fields(p),
                    })
                    .collect(),
            }),
            other => Err(format!("unknown Account Action {other:?}")),
        }
    }
}

fn find_error(response: &Element) -> Option<PoxResponse> {
    let error = response.child(NS_POX_RESPONSE, "Error")?;
    let text = |name: &str| error.child_text(NS_POX_RESPONSE, name).unwrap_or_default();
    Some(PoxResponse::Error {
        code: text("ErrorCode"),
        message: text("Message"),
    })
}

fn simple_fields(element: &Element) -> BTreeMap<String, String> {
    element
        .children
        .iter()
        .filter(|c| c.children.is_empty())
        .map(|c| (c.name.clone(), c.text.trim().to_owned()))
        .collect()
}

/// Picks the EWS URL: `EXPR` `EwsUrl` > `EXHTTP` `EwsUrl` > `EXCH` `EwsUrl`, then `ASUrl` in the
/// same order (older servers only send `ASUrl`). Returns the URL and its protocol entry.
pub(crate) fn pick_ews_url(protocols: &[Protocol]) -> Option<(&str, &Protocol)> {
    let order = [ProtocolType::Expr, ProtocolType::ExHttp, ProtocolType::Exch];
    for field in ["EwsUrl", "ASUrl"] {
        for kind in &order {
            if let Some(found) = protocols
                .iter()
                .filter(|p| &p.kind == kind)
                .find_map(|p| p.field(field).filter(|u| !u.is_empty()).map(|u| (u, p)))
            {
                return Some(found);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_escapes_and_round_trips() {
        let body = request_body("a&b@example.com");
        assert!(body.contains("a&amp;b@example.com"));
        assert_eq!(parse_request(body.as_bytes()).unwrap(), "a&b@example.com");
    }

    #[test]
    fn ews_url_preference() {
        let proto = |kind, fields: &[(&str, &str)]| Protocol {
            kind,
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        let protocols = vec![
            proto(
                ProtocolType::Exch,
                &[("EwsUrl", "https://exch/EWS/Exchange.asmx")],
            ),
            proto(
                ProtocolType::Expr,
                &[("ASUrl", "https://expr-as/EWS/Exchange.asmx")],
            ),
            proto(
                ProtocolType::Expr,
                &[("EwsUrl", "https://expr/EWS/Exchange.asmx")],
            ),
        ];
        assert_eq!(
            pick_ews_url(&protocols).unwrap().0,
            "https://expr/EWS/Exchange.asmx"
        );
        assert_eq!(
            pick_ews_url(&protocols[..2]).unwrap().0,
            "https://exch/EWS/Exchange.asmx"
        );
        assert_eq!(
            pick_ews_url(&protocols[1..2]).unwrap().0,
            "https://expr-as/EWS/Exchange.asmx"
        );
    }
}
