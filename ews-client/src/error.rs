//! [`Error`]: everything that can go wrong, keeping the server's HTTP status, code and message.

use std::time::Duration;

use ews_types::response::{ResponseCode, ResponseError};
use ews_types::soap::{ExchangeVersion, SoapFault};

/// What kind of transport failure happened, which decides whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be opened (refused, DNS, TLS handshake): the request never left, so a retry is
    /// always safe.
    Connect,
    /// The server did not answer in time. The request may have been processed.
    Timeout,
    /// The connection was reset or closed before a whole response arrived. The request may have been
    /// processed.
    ConnectionReset,
    /// The response body exceeded the size limit the client passed to [`crate::Transport::send`].
    ResponseTooLarge,
    /// Anything else (a malformed HTTP response, a local error).
    Other,
}

/// A failure of the caller-supplied transport.
#[derive(Debug, thiserror::Error)]
#[error("transport failed ({kind:?}): {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error of `kind` with a message.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A transport error of `kind` caused by another error.
    pub fn with_source(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request certainly never reached the server.
    pub fn request_not_sent(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// Whether retrying may help (connect failures, timeouts, resets).
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect
                | TransportErrorKind::Timeout
                | TransportErrorKind::ConnectionReset
        )
    }
}

/// Everything that can go wrong in this crate.
///
/// Server-side errors keep what the server said: the HTTP status, the EWS response code and message, and
/// the start of the body when it was not EWS talking (an HTML error page, a proxy). Authentication
/// failures ([`Error::Unauthorized`]) are never confused with throttling.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the credentials (HTTP 401, after a token refresh or a complete NTLM handshake).
    #[error("the server refused the credentials (HTTP {status}): {excerpt}")]
    Unauthorized {
        /// The HTTP status (401).
        status: u16,
        /// The authentication schemes the server offered (`WWW-Authenticate`), such as `NTLM`.
        offered_schemes: Vec<String>,
        /// The start of the body, on one line.
        excerpt: String,
    },
    /// The server answered with a SOAP fault.
    #[error("SOAP fault {} (HTTP {status}): {}", .fault.code().as_str(), .fault.fault_string)]
    Fault {
        /// The HTTP status (usually 500).
        status: u16,
        /// The fault, with the EWS response code, message and `MessageXml`.
        fault: Box<SoapFault>,
    },
    /// A response message failed where the operation needed it to succeed (for example a page of a
    /// paged search, or the single message of a sync call).
    #[error("EWS error {0}")]
    Message(Box<ResponseError>),
    /// An HTTP status EWS does not answer with (neither 200 nor 500): a proxy, IIS, a load balancer.
    #[error("HTTP status {status} from the EWS endpoint: {excerpt}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` of the response, if any.
        content_type: Option<String>,
        /// The start of the body, on one line.
        excerpt: String,
    },
    /// A 200 or 500 whose body is not XML (an HTML error page, JSON from a proxy).
    #[error("unexpected content type {content_type:?} with HTTP status {status}: {excerpt}")]
    UnexpectedContentType {
        /// The HTTP status code.
        status: u16,
        /// The `Content-Type` that came back.
        content_type: String,
        /// The start of the body, on one line.
        excerpt: String,
    },
    /// The body could not be read as the expected EWS response (truncated, malformed, another operation).
    #[error("unreadable EWS response (HTTP {status}): {source}; the body starts: {excerpt}")]
    InvalidResponse {
        /// The HTTP status code.
        status: u16,
        /// What the parser reported.
        #[source]
        source: ews_types::Error,
        /// The start of the body, on one line.
        excerpt: String,
    },
    /// The response body is larger than the configured limit
    /// ([`crate::ClientBuilder::max_response_bytes`]).
    #[error("the response exceeds the limit of {limit} bytes (HTTP {status:?})")]
    ResponseTooLarge {
        /// The HTTP status, when the headers arrived.
        status: Option<u16>,
        /// The configured limit.
        limit: usize,
    },
    /// The transport failed and the failure was not retried.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The retry budget ran out; `last` is the last failure (a 503, an `ErrorServerBusy`, a reset).
    #[error("gave up after {attempts} attempts and {waited:?} of back-off: {last}")]
    RetriesExhausted {
        /// How many times the request was sent.
        attempts: u32,
        /// The total time spent waiting between attempts.
        waited: Duration,
        /// The last failure.
        last: Box<Error>,
    },
    /// The request could not be built (it breaks a rule of the protocol).
    #[error("invalid request: {0}")]
    InvalidRequest(#[source] ews_types::Error),
    /// Credentials would have gone somewhere they must not: plain http to a non-loopback host, or plain
    /// http without the explicit opt-in.
    #[error("refusing to send credentials to {url}: {reason}")]
    InsecureEndpoint {
        /// The endpoint.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The client configuration is unusable (an endpoint that is not a URL, an empty user name).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The NTLM handshake broke down (no challenge, a malformed challenge).
    #[error("NTLM handshake failed: {0}")]
    Ntlm(String),
    /// The caller's token provider failed.
    #[error("the token provider failed: {0}")]
    Token(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Impersonation does not fit the credential: app-only tokens need a target mailbox, delegated
    /// tokens must not send one.
    #[error("{0}")]
    Impersonation(&'static str),
    /// The mailbox does not exist (`ErrorNonExistentMailbox`).
    #[error("mailbox {mailbox} does not exist: {message}")]
    MailboxNotFound {
        /// The mailbox that was asked for.
        mailbox: String,
        /// The server's message.
        message: String,
    },
    /// Every schema version was refused.
    #[error("the server accepted none of the schema versions {tried:?}: {last}")]
    VersionNegotiation {
        /// The versions tried, newest first.
        tried: Vec<ExchangeVersion>,
        /// The refusal of the last one.
        last: Box<Error>,
    },
}

impl Error {
    /// Whether the server refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::Unauthorized { .. } => true,
            Error::RetriesExhausted { last, .. } => last.is_unauthorized(),
            _ => false,
        }
    }

    /// Whether the server was throttling or overloaded (an `ErrorServerBusy`-like code, HTTP 429 or
    /// 503).
    pub fn is_throttled(&self) -> bool {
        match self {
            Error::RetriesExhausted { last, .. } => last.is_throttled(),
            Error::HttpStatus { status, .. } => matches!(*status, 429 | 503),
            _ => self.response_code().is_some_and(is_throttling_code),
        }
    }

    /// The EWS response code of a fault or a failed message.
    pub fn response_code(&self) -> Option<ResponseCode> {
        match self {
            Error::Fault { fault, .. } => Some(fault.code()),
            Error::Message(message) => message.code.clone(),
            Error::RetriesExhausted { last, .. } | Error::VersionNegotiation { last, .. } => {
                last.response_code()
            }
            _ => None,
        }
    }

    /// The back-off the server asked for (`BackOffMilliseconds`), if any.
    pub fn back_off(&self) -> Option<Duration> {
        match self {
            Error::Fault { fault, .. } => fault.back_off(),
            Error::Message(message) => message.back_off(),
            Error::RetriesExhausted { last, .. } => last.back_off(),
            _ => None,
        }
    }

    /// The HTTP status of the response this error came from, if one arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Unauthorized { status, .. }
            | Error::Fault { status, .. }
            | Error::HttpStatus { status, .. }
            | Error::UnexpectedContentType { status, .. }
            | Error::InvalidResponse { status, .. } => Some(*status),
            Error::ResponseTooLarge { status, .. } => *status,
            Error::RetriesExhausted { last, .. } | Error::VersionNegotiation { last, .. } => {
                last.http_status()
            }
            _ => None,
        }
    }
}

/// Codes that mean "too busy now, try later" rather than "this request is wrong".
pub(crate) fn is_throttling_code(code: ResponseCode) -> bool {
    matches!(
        code,
        ResponseCode::ErrorServerBusy
            | ResponseCode::ErrorExceededConnectionCount
            | ResponseCode::ErrorTooManyObjectsOpened
            | ResponseCode::ErrorInternalServerTransientError
            | ResponseCode::ErrorMailboxStoreUnavailable
    )
}

/// The first 200 characters of a body, on one line, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = body.get(..body.len().min(800)).unwrap_or(body);
    let text = String::from_utf8_lossy(head);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(200).collect()
}

/// This crate's `Result`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Error {
        Error::HttpStatus {
            status,
            content_type: None,
            excerpt: String::new(),
        }
    }

    #[test]
    fn too_many_requests_and_unavailable_count_as_throttling_even_after_retries() {
        for code in [429, 503] {
            assert!(status(code).is_throttled(), "{code}");
            let exhausted = Error::RetriesExhausted {
                attempts: 3,
                waited: Duration::from_secs(6),
                last: Box::new(status(code)),
            };
            assert!(exhausted.is_throttled(), "{code} after retries");
        }
        assert!(!status(404).is_throttled());
        assert!(!status(401).is_throttled());
    }
}
