//! SOAP Autodiscover `GetUserSettings`: request builder and parsers.
//!
//! Reference: [GetUserSettings operation (SOAP)](https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getusersettings-operation-soap).

use std::collections::BTreeMap;

use quick_xml::escape::escape;

use crate::xml::{self, Element, NS_SOAP_AUTODISCOVER, NS_SOAP11, NS_SOAP12};

/// The settings the machine asks for.
pub const REQUESTED_SETTINGS: &[&str] = &[
    "ExternalEwsUrl",
    "InternalEwsUrl",
    "EwsSupportedSchemas",
    "CasVersion",
    "UserDisplayName",
    "GroupingInformation",
];

/// Builds a `GetUserSettings` envelope for `email`, addressed (`wsa:To`) to `to`.
///
/// ```
/// use autodiscover::soap;
/// let body = soap::request_body("mara@contoso.com", "https://contoso.com/autodiscover/autodiscover.svc", "Exchange2013");
/// let parsed = soap::GetUserSettingsRequest::parse(body.as_bytes()).unwrap();
/// assert_eq!(parsed.mailboxes, ["mara@contoso.com"]);
/// assert!(parsed.settings.iter().any(|s| s == "ExternalEwsUrl"));
/// ```
pub fn request_body(email: &str, to: &str, requested_server_version: &str) -> String {
    let settings: String = REQUESTED_SETTINGS
        .iter()
        .map(|s| format!("<a:Setting>{s}</a:Setting>"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
<soap:Envelope xmlns:a=\"http://{NS_SOAP_AUTODISCOVER}\" \
xmlns:wsa=\"http://www.w3.org/2005/08/addressing\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xmlns:soap=\"http://{NS_SOAP11}\">\
<soap:Header>\
<a:RequestedServerVersion>{}</a:RequestedServerVersion>\
<wsa:Action>http://{NS_SOAP_AUTODISCOVER}/Autodiscover/GetUserSettings</wsa:Action>\
<wsa:To>{}</wsa:To>\
</soap:Header>\
<soap:Body><a:GetUserSettingsRequestMessage><a:Request>\
<a:Users><a:User><a:Mailbox>{}</a:Mailbox></a:User></a:Users>\
<a:RequestedSettings>{settings}</a:RequestedSettings>\
</a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>",
        escape(requested_server_version),
        escape(to),
        escape(email),
    )
}

/// A `GetUserSettings` request as a server reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUserSettingsRequest {
    /// `RequestedServerVersion` header, when present.
    pub requested_server_version: Option<String>,
    /// `Users/User/Mailbox` values.
    pub mailboxes: Vec<String>,
    /// `RequestedSettings/Setting` names.
    pub settings: Vec<String>,
}

impl GetUserSettingsRequest {
    /// Parses a SOAP `GetUserSettings` request envelope.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let root = xml::parse(body).map_err(|e| e.0)?;
        let (header, body) = envelope_parts(&root)?;
        let ns = NS_SOAP_AUTODISCOVER;
        let message = body
            .child(ns, "GetUserSettingsRequestMessage")
            .ok_or("the body is not a GetUserSettingsRequestMessage")?;
        let request = message.child(ns, "Request").ok_or("no Request element")?;
        let mailboxes = request
            .child(ns, "Users")
            .map(|users| {
                users
                    .children_named(ns, "User")
                    .filter_map(|u| u.child_text(ns, "Mailbox"))
                    .collect()
            })
            .unwrap_or_default();
        let settings = request
            .child(ns, "RequestedSettings")
            .map(|s| {
                s.children_named(ns, "Setting")
                    .map(|e| e.text.trim().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            requested_server_version: header
                .and_then(|h| h.child_text(ns, "RequestedServerVersion")),
            mailboxes,
            settings,
        })
    }
}

fn envelope_parts(root: &Element) -> Result<(Option<&Element>, &Element), String> {
    let soap_ns = [NS_SOAP11, NS_SOAP12]
        .into_iter()
        .find(|ns| root.is(ns, "Envelope"))
        .ok_or_else(|| format!("root element {} is not a SOAP Envelope", root.name))?;
    let body = root
        .child(soap_ns, "Body")
        .ok_or("the envelope has no Body")?;
    Ok((root.child(soap_ns, "Header"), body))
}

/// An Autodiscover `ErrorCode` (response or user level). Open: unknown codes are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `NoError`.
    NoError,
    /// `RedirectAddress`: retry with the address in `RedirectTarget`.
    RedirectAddress,
    /// `RedirectUrl`: retry at the URL in `RedirectTarget`.
    RedirectUrl,
    /// `InvalidUser`: the mailbox does not exist.
    InvalidUser,
    /// `InvalidRequest`.
    InvalidRequest,
    /// `InvalidSetting`.
    InvalidSetting,
    /// `SettingIsNotAvailable`.
    SettingIsNotAvailable,
    /// `ServerBusy`.
    ServerBusy,
    /// `InvalidDomain`.
    InvalidDomain,
    /// `NotFederated`.
    NotFederated,
    /// `InternalServerError`.
    InternalServerError,
    /// Any other code, as sent.
    Unknown(String),
}

impl ErrorCode {
    fn parse(s: &str) -> Self {
        match s.trim() {
            "" | "NoError" => Self::NoError,
            "RedirectAddress" => Self::RedirectAddress,
            "RedirectUrl" => Self::RedirectUrl,
            "InvalidUser" => Self::InvalidUser,
            "InvalidRequest" => Self::InvalidRequest,
            "InvalidSetting" => Self::InvalidSetting,
            "SettingIsNotAvailable" => Self::SettingIsNotAvailable,
            "ServerBusy" => Self::ServerBusy,
            "InvalidDomain" => Self::InvalidDomain,
            "NotFederated" => Self::NotFederated,
            "InternalServerError" => Self::InternalServerError,
            other => Self::Unknown(other.to_owned()),
        }
    }

    /// The code as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NoError => "NoError",
            Self::RedirectAddress => "RedirectAddress",
            Self::RedirectUrl => "RedirectUrl",
            Self::InvalidUser => "InvalidUser",
            Self::InvalidRequest => "InvalidRequest",
            Self::InvalidSetting => "InvalidSetting",
            Self::SettingIsNotAvailable => "SettingIsNotAvailable",
            Self::ServerBusy => "ServerBusy",
            Self::InvalidDomain => "InvalidDomain",
            Self::NotFederated => "NotFederated",
            Self::InternalServerError => "InternalServerError",
            Self::Unknown(s) => s,
        }
    }
}

/// A per-setting error (`UserSettingErrors/UserSettingError`); harmless for discovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// `SettingName`.
    pub setting: String,
    /// `ErrorCode`.
    pub code: ErrorCode,
    /// `ErrorMessage`.
    pub message: String,
}

/// A parsed `GetUserSettingsResponseMessage` for one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetUserSettingsResponse {
    /// The effective error: the response-level code if it is not `NoError`, else the user-level code.
    pub error_code: ErrorCode,
    /// The matching `ErrorMessage`.
    pub error_message: String,
    /// `RedirectTarget` (an address or a URL, depending on `error_code`).
    pub redirect_target: Option<String>,
    /// `UserSettings`, name to value (settings whose `Value` is not a simple string are kept with
    /// their text content).
    pub settings: BTreeMap<String, String>,
    /// `UserSettingErrors`.
    pub setting_errors: Vec<SettingError>,
    /// `ServerVersionInfo/Version` from the SOAP header, when present.
    pub server_version_name: Option<String>,
}

impl GetUserSettingsResponse {
    /// Parses a SOAP `GetUserSettings` response envelope. A SOAP `Fault` becomes an
    /// [`ErrorCode::Unknown`] holding the fault code.
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        let root = xml::parse(body).map_err(|e| e.0)?;
        let (header, soap_body) = envelope_parts(&root)?;
        let ns = NS_SOAP_AUTODISCOVER;
        let server_version_name = header
            .and_then(|h| h.child(ns, "ServerVersionInfo"))
            .and_then(|v| v.child_text(ns, "Version"));
        if let Some(fault) = soap_body
            .children
            .iter()
            .find(|c| c.is(NS_SOAP11, "Fault") || c.is(NS_SOAP12, "Fault"))
        {
            let text = |name: &str| {
                fault
                    .children
                    .iter()
                    .find(|c| c.name == name)
                    .map(|c| c.text.trim().to_owned())
                    .unwrap_or_default()
            };
            return Ok(Self {
                error_code: ErrorCode::Unknown(format!("SoapFault:{}", text("faultcode"))),
                error_message: text("faultstring"),
                redirect_target: None,
                settings: BTreeMap::new(),
                setting_errors: Vec::new(),
                server_version_name,
            });
        }
        let response = soap_body
            .child(ns, "GetUserSettingsResponseMessage")
            .ok_or("the body is not a GetUserSettingsResponseMessage")?
            .child(ns, "Response")
            .ok_or("no Response element")?;
        let response_code =
            ErrorCode::parse(&response.child_text(ns, "ErrorCode").unwrap_or_default());
        let user = response
            .child(ns, "UserResponses")
            .and_then(|u| u.child(ns, "UserResponse"));
        let (error_code, error_message) = match (&response_code, user) {
            (ErrorCode::NoError, Some(user)) => (
                ErrorCode::parse(&user.child_text(ns, "ErrorCode").unwrap_or_default()),
                user.child_text(ns, "ErrorMessage").unwrap_or_default(),
            ),
            (ErrorCode::NoError, None) => return Err("the response has no UserResponse".into()),
            (_, _) => (
                response_code.clone(),
                response.child_text(ns, "ErrorMessage").unwrap_or_default(),
            ),
        };
        let redirect_target = user.and_then(|u| u.child_text(ns, "RedirectTarget"));
        let settings = user
            .and_then(|u| u.child(ns, "UserSettings"))
            .map(|s| {
                s.children_named(ns, "UserSetting")
                    .filter_map(|setting| {
                        let name = setting.child_text(ns, "Name")?;
                        let value = setting.child_text(ns, "Value").unwrap_or_default();
                        Some((name, value))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let setting_errors = user
            .and_then(|u| u.child(ns, "UserSettingErrors"))
            .map(|errors| {
                errors
                    .children_named(ns, "UserSettingError")
                    .map(|e| SettingError {
                        setting: e.child_text(ns, "SettingName").unwrap_or_default(),
                        code: ErrorCode::parse(&e.child_text(ns, "ErrorCode").unwrap_or_default()),
                        message: e.child_text(ns, "ErrorMessage").unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            error_code,
            error_message,
            redirect_target,
            settings,
            setting_errors,
            server_version_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_level_error_wins() {
        let body = format!(
            r#"<s:Envelope xmlns:s="http://{NS_SOAP11}"><s:Body><GetUserSettingsResponseMessage xmlns="http://{NS_SOAP_AUTODISCOVER}"><Response><ErrorCode>ServerBusy</ErrorCode><ErrorMessage>busy</ErrorMessage><UserResponses/></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"#
        );
        let parsed = GetUserSettingsResponse::parse(body.as_bytes()).unwrap();
        assert_eq!(parsed.error_code, ErrorCode::ServerBusy);
        assert_eq!(parsed.error_message, "busy");
    }

    #[test]
    fn unknown_code_is_kept() {
        assert_eq!(ErrorCode::parse("NewCode").as_str(), "NewCode");
    }
}
