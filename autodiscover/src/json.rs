//! The JSON v2 endpoint (`/autodiscover/autodiscover.json/v1.0/{email}?Protocol=EWS`), an
//! unauthenticated `GET` served by Exchange Online and recent on-premises servers.
//!
//! Microsoft does not document it in the pages this crate follows; the shapes below are what
//! implementations observe: `{"Protocol":"EWS","Url":"https://…/EWS/Exchange.asmx"}` on success and
//! `{"ErrorCode":"InvalidProtocol","ErrorMessage":"…"}` with status 400 otherwise.

use serde_json::Value;

/// A parsed JSON v2 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonResponse {
    /// `Protocol` `EWS`: the EWS URL itself.
    Ews(String),
    /// `Protocol` `AutodiscoverV1`: a POX/SOAP Autodiscover URL to try.
    AutodiscoverV1(String),
    /// An `ErrorCode` (for example `InvalidProtocol`).
    Error {
        /// `ErrorCode`, as sent.
        code: String,
        /// `ErrorMessage`.
        message: String,
    },
}

impl JsonResponse {
    /// Parses a JSON v2 body.
    ///
    /// ```
    /// use autodiscover::json::JsonResponse;
    /// let r = JsonResponse::parse(br#"{"Protocol":"EWS","Url":"https://outlook.office365.com/EWS/Exchange.asmx"}"#);
    /// assert_eq!(r, Ok(JsonResponse::Ews("https://outlook.office365.com/EWS/Exchange.asmx".into())));
    /// ```
    pub fn parse(body: &[u8]) -> Result<Self, String> {
        if body.len() > crate::xml::MAX_DOCUMENT_BYTES {
            return Err("JSON body too large".into());
        }
        let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
        if let Some(code) = field("ErrorCode") {
            return Ok(Self::Error {
                code,
                message: field("ErrorMessage").unwrap_or_default(),
            });
        }
        let url = field("Url").ok_or("the answer has neither Url nor ErrorCode")?;
        match field("Protocol").as_deref() {
            Some(p) if p.eq_ignore_ascii_case("EWS") => Ok(Self::Ews(url)),
            Some(p) if p.eq_ignore_ascii_case("AutodiscoverV1") => Ok(Self::AutodiscoverV1(url)),
            other => Err(format!("unexpected Protocol {other:?}")),
        }
    }
}

/// The JSON v2 path for `email` asking for the EWS protocol.
pub(crate) fn path_and_query(email: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(email.as_bytes()).collect();
    format!("/autodiscover/autodiscover.json/v1.0/{encoded}?Protocol=EWS")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_garbage() {
        assert_eq!(
            JsonResponse::parse(br#"{"ErrorCode":"InvalidProtocol","ErrorMessage":"x"}"#),
            Ok(JsonResponse::Error {
                code: "InvalidProtocol".into(),
                message: "x".into()
            })
        );
        assert!(JsonResponse::parse(b"<html>").is_err());
        assert!(JsonResponse::parse(br#"{"Protocol":"Other","Url":"x"}"#).is_err());
        assert_eq!(
            path_and_query("a+b@c.com"),
            "/autodiscover/autodiscover.json/v1.0/a%2Bb%40c.com?Protocol=EWS"
        );
    }
}
