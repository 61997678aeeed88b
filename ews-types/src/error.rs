//! The one error type of this crate.

use crate::response::ResponseCode;
use crate::soap::SoapFault;

/// Everything that can go wrong while reading or building EWS XML.
///
/// Parsing never panics: malformed, truncated or hostile input produces one of these variants. Server-side
/// errors keep the server's own code and message ([`Error::SoapFault`]); per-item errors inside an otherwise
/// successful response are values in the response, not errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not well-formed XML (or end too early).
    #[error("malformed XML at byte {position}: {message}")]
    Malformed {
        /// Byte offset in the input where the problem was detected.
        position: u64,
        /// What the XML parser reported.
        message: String,
    },
    /// The document ended before the element that was being read was closed.
    #[error("truncated XML: the document ends inside <{element}>")]
    Truncated {
        /// Local name of the element that was still open.
        element: String,
    },
    /// The document declares a DTD (`<!DOCTYPE ...>`). SOAP forbids DTDs, and refusing them is what stops
    /// entity-expansion attacks such as "billion laughs".
    #[error("a document type declaration (DTD) is not allowed in SOAP messages")]
    DtdNotAllowed,
    /// An entity reference other than the five predefined XML entities and character references.
    #[error("unknown entity reference &{0};")]
    UnknownEntity(String),
    /// Elements are nested deeper than the configured limit.
    #[error("elements nested deeper than the limit of {limit} levels")]
    TooDeep {
        /// The configured maximum depth.
        limit: usize,
    },
    /// A text node is larger than the configured limit.
    #[error("a text node in <{element}> exceeds the limit of {limit} bytes")]
    TextTooLarge {
        /// Local name of the element holding the text.
        element: String,
        /// The configured maximum size in bytes.
        limit: usize,
    },
    /// An element was found where another was required (wrong name or wrong namespace).
    #[error("unexpected element <{found}> (namespace {namespace:?}), expected {expected}")]
    UnexpectedElement {
        /// Local name of the element found.
        found: String,
        /// Namespace URI of the element found, if it had one.
        namespace: Option<String>,
        /// A description of what was expected.
        expected: String,
    },
    /// A required element or attribute is missing.
    #[error("missing {what} in <{parent}>")]
    Missing {
        /// The element or attribute that is missing (attributes are written `@Name`).
        what: String,
        /// Local name of the element that should have contained it.
        parent: String,
    },
    /// A value could not be converted to its type (a number, a boolean, a date-time...).
    #[error("invalid value {value:?} for <{element}>: expected {expected}")]
    InvalidValue {
        /// Local name of the element or `@attribute` holding the value.
        element: String,
        /// The text that was found (cut to 100 characters).
        value: String,
        /// What kind of value was expected.
        expected: &'static str,
    },
    /// The server answered with a SOAP fault (usually an HTTP 500 body).
    #[error("SOAP fault {}: {}", .0.response_code.as_ref().map(ResponseCode::as_str).unwrap_or(.0.fault_code.as_str()), .0.fault_string)]
    SoapFault(Box<SoapFault>),
    /// The response body holds a different operation than the one that was requested.
    #[error("expected a {expected} response, found <{found}>")]
    WrongOperation {
        /// The response element that was expected.
        expected: &'static str,
        /// The response element that was found.
        found: String,
    },
    /// An HTTP status that EWS does not answer with (neither 200 nor 500): a proxy, IIS or a login page.
    #[error("HTTP status {status} from the EWS endpoint: {excerpt}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, on one line.
        excerpt: String,
    },
    /// A request could not be built because it violates a rule of the protocol.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A streaming response holds something other than whitespace between its SOAP envelopes.
    #[error(
        "unexpected content between SOAP envelopes at byte {offset} of the stream: {excerpt:?}"
    )]
    StreamGarbage {
        /// Offset of the first unexpected byte from the start of the stream.
        offset: u64,
        /// The bytes from there (at most 40, lossily decoded).
        excerpt: String,
    },
    /// An unfinished SOAP envelope of a streaming response outgrew the decoder's buffer limit.
    #[error(
        "an unfinished SOAP envelope of the stream exceeds the limit of {limit} buffered bytes"
    )]
    StreamBufferFull {
        /// The configured limit in bytes.
        limit: usize,
    },
    /// A recurrence cannot be expanded: a value out of range (interval 0, day 32), an unknown day or
    /// month name, or a task regeneration pattern, whose dates depend on completion.
    #[error("invalid recurrence: {reason}")]
    InvalidRecurrence {
        /// What is wrong with it.
        reason: String,
    },
    /// A time-zone definition cannot convert times: a referenced period or group is missing, a period
    /// has no bias, or the definition carries only an id. Never replaced by a silent UTC.
    #[error("unusable time zone {zone:?}: {reason}")]
    BrokenTimeZone {
        /// The definition's id (or name).
        zone: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A civil time is skipped (daylight-saving gap) or repeated (fold) in its zone, and the caller asked
    /// to be told rather than have it resolved.
    #[error("local time {local} is {} in time zone {zone:?}", if *.ambiguous { "ambiguous" } else { "skipped" })]
    UnresolvableLocalTime {
        /// The civil time.
        local: String,
        /// The zone's id.
        zone: String,
        /// `true` when it occurs twice, `false` when it does not occur at all.
        ambiguous: bool,
    },
    /// Something follows the SOAP Body's single child (or the envelope, or a bare operation element):
    /// anything there besides whitespace, comments and the closing tags means the message is not what
    /// it seems, so it is refused rather than ignored.
    #[error("unexpected {found} after <{after}>")]
    TrailingContent {
        /// Local name of the element that should have been the last thing at its level.
        after: String,
        /// What was found: an element or text, with its start.
        found: String,
    },
    /// A time zone id that the Windows <-> IANA table does not know (an unmapped Windows id such as
    /// "Customized Time Zone", a localized name, or an IANA id CLDR does not list). Never read as UTC.
    #[error("unknown time zone {id:?}: not in the CLDR Windows <-> IANA table")]
    UnknownTimeZone {
        /// The id as given (cut to 100 characters).
        id: String,
    },
}

impl Error {
    /// The server's response code when this error is a SOAP fault that carries one.
    pub fn response_code(&self) -> Option<&ResponseCode> {
        match self {
            Error::SoapFault(fault) => fault.response_code.as_ref(),
            _ => None,
        }
    }

    /// The back-off the server asked for (`BackOffMilliseconds` in `ErrorServerBusy`), if any.
    pub fn back_off(&self) -> Option<std::time::Duration> {
        match self {
            Error::SoapFault(fault) => fault.back_off(),
            _ => None,
        }
    }

    pub(crate) fn invalid_value(element: &str, value: &str, expected: &'static str) -> Self {
        let value: String = value.chars().take(100).collect();
        Error::InvalidValue {
            element: element.to_owned(),
            value,
            expected,
        }
    }

    pub(crate) fn missing(what: &str, parent: &str) -> Self {
        Error::Missing {
            what: what.to_owned(),
            parent: parent.to_owned(),
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
