//! Response parsing shared by every request kind.

use bytes::Bytes;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{ApiError, Error, Result};
use crate::throttle::RetryAfter;

#[derive(Deserialize)]
pub(crate) struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
    #[serde(default, alias = "innererror")]
    inner_error: Option<Value>,
}

/// Parses a successful response body into `T`, or turns an error status into [`Error::Api`].
///
/// An empty body parses as JSON `null`, so [`NoContent`](crate::NoContent), `()` and `Option<_>`
/// accept `204 No Content`.
pub fn parse_json<T: DeserializeOwned>(response: &http::Response<Bytes>) -> Result<T> {
    if !response.status().is_success() {
        return Err(Error::Api(Box::new(api_error(response))));
    }
    decode_body(response.body(), std::any::type_name::<T>())
}

pub(crate) fn decode_body<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"null"[..]
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|error| Error::decode(what, error))
}

/// Reads the Graph error of a non-success response: status, `error.code`, `error.message`,
/// `innerError`, `Retry-After` and `request-id`. A body that is not a Graph error object leaves code
/// empty and keeps up to 200 characters of the body as the message.
pub fn api_error(response: &http::Response<Bytes>) -> ApiError {
    api_error_from_parts(response.status(), response.headers(), response.body())
}

pub(crate) fn api_error_from_parts(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
) -> ApiError {
    let (code, message, inner_error) = match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(envelope) => (
            envelope.error.code,
            envelope.error.message,
            envelope.error.inner_error,
        ),
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            (String::new(), text.chars().take(200).collect(), None)
        }
    };
    ApiError {
        status,
        code,
        message,
        inner_error,
        retry_after: RetryAfter::from_headers(headers),
        request_id: headers
            .get("request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    }
}
