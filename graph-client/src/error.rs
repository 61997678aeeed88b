//! [`Error`]: everything that can go wrong, keeping the server's status, code, message and
//! `Retry-After`.

use std::fmt;
use std::time::{Duration, SystemTime};

use http::StatusCode;
use serde_json::Value;

use crate::oauth::OAuthError;
use crate::throttle::RetryAfter;

/// An error response from Graph: HTTP status plus the `error` object of the body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.code`, e.g. `ErrorItemNotFound`, `TooManyRequests`, `syncStateNotFound`. Empty when the
    /// body had no Graph error object.
    pub code: String,
    /// `error.message`.
    pub message: String,
    /// `error.innerError` (request id, date, ...), verbatim.
    pub inner_error: Option<Value>,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<RetryAfter>,
    /// The `request-id` header, for support cases.
    pub request_id: Option<String>,
}

impl ApiError {
    /// Whether Graph throttled the request (429) or asked for a later retry (503, 504).
    pub fn is_throttled(&self) -> bool {
        matches!(self.status.as_u16(), 429 | 503 | 504)
    }

    /// How long `Retry-After` asks to wait, measured from `now` for HTTP-date values.
    pub fn retry_after(&self, now: SystemTime) -> Option<Duration> {
        self.retry_after.as_ref().map(|value| value.delay_from(now))
    }

    /// Whether a conditional write lost against a newer version (412, `ErrorIrresolvableConflict`, or
    /// 409): re-read and re-plan.
    pub fn is_conflict(&self) -> bool {
        matches!(self.status.as_u16(), 409 | 412)
            || self.code.eq_ignore_ascii_case("ErrorIrresolvableConflict")
    }

    /// Whether the item does not exist (404).
    pub fn is_not_found(&self) -> bool {
        self.status == StatusCode::NOT_FOUND
    }

    /// Whether a delta token is no longer usable (410, or a 4xx with code `syncStateNotFound`).
    pub fn is_resync_required(&self) -> bool {
        self.status == StatusCode::GONE
            || (self.status.is_client_error()
                && (self.code.eq_ignore_ascii_case("syncStateNotFound")
                    || self.code.eq_ignore_ascii_case("resyncRequired")))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Graph returned {}", self.status)?;
        if !self.code.is_empty() {
            write!(f, ": {}", self.code)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// A failure of the caller-supplied transport (connect, TLS, IO). The request may or may not have
/// reached the server.
#[derive(Debug, thiserror::Error)]
#[error("transport failed: {message}")]
pub struct TransportError {
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// A transport error caused by another error.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A body could not be decoded into the expected type.
    #[error("could not decode {what}: {source}")]
    Decode {
        /// What was being decoded.
        what: String,
        /// The JSON error, with line and column.
        source: serde_json::Error,
    },
    /// The request could not be built (a limit, a missing parameter, a bad header value).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A response body that is well-formed JSON but not what was expected (a delta page without a
    /// link, an unrecognised body in [`crate::inspect`]).
    #[error("unrecognised body: {0}")]
    Unrecognized(String),
    /// A URL (a nextLink, deltaLink or base URL) is not one credentials may be sent to.
    #[error("refusing URL {url}: {reason}")]
    UntrustedUrl {
        /// The URL.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The identity platform returned an OAuth error.
    #[error("{0}")]
    OAuth(Box<OAuthError>),
    /// The transport failed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The delta token expired or was evicted (410 Gone or `syncStateNotFound`): restart the round from
    /// scratch and reconcile everything.
    #[error("delta sync state is gone; a full resync is required")]
    ResyncRequired {
        /// The `Location` the server offered for the restart, if any.
        restart_url: Option<String>,
    },
}

impl Error {
    /// The Graph error, if Graph answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status of a Graph or OAuth error response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::OAuth(oauth) => oauth.status,
            _ => None,
        }
    }

    /// Whether the request was throttled (429/503/504).
    pub fn is_throttled(&self) -> bool {
        self.api().is_some_and(ApiError::is_throttled)
    }

    /// The server's `Retry-After`, measured from `now`.
    pub fn retry_after(&self, now: SystemTime) -> Option<Duration> {
        self.api().and_then(|api| api.retry_after(now))
    }

    /// Whether a conditional write lost (412/409): re-read and re-plan.
    pub fn is_conflict(&self) -> bool {
        self.api().is_some_and(ApiError::is_conflict)
    }

    /// Whether the item does not exist.
    pub fn is_not_found(&self) -> bool {
        self.api().is_some_and(ApiError::is_not_found)
    }

    pub(crate) fn decode(what: impl Into<String>, source: serde_json::Error) -> Self {
        Self::Decode {
            what: what.into(),
            source,
        }
    }
}

/// This crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;
