//! What the machine asks the caller to do, and the record of what happened.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use url::Url;

use crate::{AuthScheme, EmailAddress, Error};

/// Ties an input to the effect that asked for it. Opaque; compare only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(pub(crate) u64);

/// One thing the caller must do, from [`Autodiscover::poll_effect`](crate::Autodiscover::poll_effect).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Effect {
    /// Send this request; answer with `handle_http` or `handle_transport_error`.
    SendHttp(Box<HttpRequest>),
    /// Resolve these SRV records; answer with `handle_srv`.
    ResolveSrv {
        /// Echo in `handle_srv`.
        token: Token,
        /// `_autodiscover._tcp.<domain>`.
        name: String,
    },
    /// Ask the user whether to follow a target outside the trust set; answer with
    /// `handle_decision`. A headless caller answers `false` (or pre-fills the allow-list).
    ConfirmRedirect(ConfirmRedirect),
    /// Discovery succeeded. Terminal.
    Done(Box<Success>),
    /// Discovery failed. Terminal; every later call reports the same error.
    Failed(Error),
}

impl Effect {
    /// A short name for transcripts: `SendHttp`, `ResolveSrv`, `ConfirmRedirect`, `Done`, `Failed`.
    pub fn name(&self) -> &'static str {
        match self {
            Effect::SendHttp(_) => "SendHttp",
            Effect::ResolveSrv { .. } => "ResolveSrv",
            Effect::ConfirmRedirect(_) => "ConfirmRedirect",
            Effect::Done(_) => "Done",
            Effect::Failed(_) => "Failed",
        }
    }
}

/// An HTTP request to send.
///
/// The caller's HTTP layer **must not follow redirects** (the machine decides about each one) and
/// **must attach credentials only through [`credentials`](Self::credentials)**: when it is `Some`,
/// the grant names the only origin and the only schemes allowed, and
/// [`CredentialGrant::permits`] must hold for the URI actually contacted. TLS certificates must be
/// validated; a validation failure is reported as [`TransportErrorKind::Tls`].
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// Echo in `handle_http` / `handle_transport_error`.
    pub token: Token,
    /// Method, URI, headers and body, ready to send.
    pub request: http::Request<Bytes>,
    /// `Some` only for an `https` URL whose host the trust set covers, on an allowed port.
    pub credentials: Option<CredentialGrant>,
    /// Where this candidate came from.
    pub source: CandidateSource,
}

/// Permission to authenticate one request, computed by the machine from the trust set. It cannot be
/// built outside this crate.
#[derive(Clone, PartialEq, Eq)]
pub struct CredentialGrant {
    pub(crate) origin: Origin,
    pub(crate) schemes: Vec<AuthScheme>,
    pub(crate) account: EmailAddress,
}

impl CredentialGrant {
    /// The schemes allowed for this request, in the caller's order of preference. The caller must not
    /// use any other, whatever the server's `WWW-Authenticate` offers.
    pub fn schemes(&self) -> &[AuthScheme] {
        &self.schemes
    }

    /// The account whose credentials are meant: always the address discovery started with (MS-OXDSCLI:
    /// after an address redirect, clients keep authenticating as the original user).
    pub fn account(&self) -> &EmailAddress {
        &self.account
    }

    /// `https://host:port` this grant is for.
    pub fn origin(&self) -> String {
        format!("https://{}:{}", self.origin.host, self.origin.port)
    }

    /// Whether credentials may go with a request to `uri`: scheme `https`, same host and port as the
    /// grant, and no user info.
    pub fn permits(&self, uri: &http::Uri) -> bool {
        let Some(authority) = uri.authority() else {
            return false;
        };
        uri.scheme_str() == Some("https")
            && !authority.as_str().contains('@')
            && authority.host().eq_ignore_ascii_case(&self.origin.host)
            && authority.port_u16().unwrap_or(443) == self.origin.port
    }
}

impl fmt::Debug for CredentialGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialGrant")
            .field("origin", &self.origin())
            .field("schemes", &self.schemes)
            .field("account", &self.account)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub(crate) host: String,
    pub(crate) port: u16,
}

/// Why the user is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectReason {
    /// An HTTP 30x `Location` (including from the `http://autodiscover.DOMAIN` probe).
    HttpRedirect,
    /// A POX `redirectUrl` or SOAP `RedirectUrl`.
    InBandRedirect,
    /// An SRV record's target.
    Srv,
    /// A JSON v2 `Url`.
    JsonV2,
    /// A POX `redirectAddr` or SOAP `RedirectAddress` to another domain.
    CrossDomainAddress,
}

/// A prompt: "`from_domain` sends you to `target`; trust it?"
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmRedirect {
    /// Echo in `handle_decision`.
    pub token: Token,
    /// Why.
    pub reason: RedirectReason,
    /// The email domain being discovered.
    pub from_domain: String,
    /// A URL, or an email address for [`RedirectReason::CrossDomainAddress`].
    pub target: String,
}

/// Where a candidate URL came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CandidateSource {
    /// A caller-supplied SCP URL.
    Scp,
    /// The endpoint from a previous discovery ([`EndpointCache`](crate::EndpointCache)).
    Cached,
    /// `https://DOMAIN/…`.
    Domain,
    /// `https://autodiscover.DOMAIN/…`.
    AutodiscoverDomain,
    /// The unauthenticated `http://autodiscover.DOMAIN/…` probe.
    HttpProbe,
    /// A 30x `Location`.
    HttpRedirect,
    /// A `redirectUrl` / `RedirectUrl`.
    InBand,
    /// An SRV record.
    Srv,
    /// The JSON v2 endpoint, or a URL it returned.
    JsonV2,
}

/// Transport failures the caller reports with `handle_transport_error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Name resolution failed.
    Dns,
    /// TLS handshake or certificate validation failed.
    Tls,
    /// TCP connection refused or reset.
    Connect,
    /// No answer in time.
    Timeout,
    /// Anything else.
    Other,
}

/// Why a redirect target was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockReason {
    /// Not `https`.
    InsecureScheme,
    /// An unauthenticated source pointed at a path other than `/autodiscover/…autodiscover.(xml|svc)`.
    NotAutodiscoverPath,
    /// The host is a public suffix, a single label, or `autodiscover.` + a public suffix.
    PublicSuffix,
    /// The port is not allowed.
    DisallowedPort,
    /// The URL carries user info.
    UserInfo,
    /// The user declined the confirmation.
    Declined,
    /// The URL was already tried for this address (a loop).
    AlreadyVisited,
    /// Not a valid URL or address.
    Malformed,
}

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// The transport failed.
    Transport(TransportErrorKind),
    /// HTTP 401; the offered schemes are in [`Attempt::offered_auth`].
    Unauthorized,
    /// Another HTTP status that ended this candidate.
    HttpStatus(u16),
    /// A 30x or in-band redirect that was queued.
    Redirected {
        /// The target.
        to: String,
    },
    /// A redirect target that was not followed (or not yet: awaiting confirmation is recorded as
    /// `Redirected` once accepted).
    RedirectBlocked {
        /// The target.
        target: String,
        /// Why.
        reason: BlockReason,
    },
    /// An address redirect to a new address.
    AddressRedirect {
        /// The new address.
        to: String,
    },
    /// An address redirect to the same address: this URL is not valid for it (Microsoft's rule).
    SameAddressRedirect,
    /// An Autodiscover error code (POX `ErrorCode` or SOAP `ErrorCode`).
    ServerError {
        /// The code as sent.
        code: String,
        /// The message as sent.
        message: String,
    },
    /// `ServerBusy`: requeued once.
    ServerBusy,
    /// The mailbox does not exist according to this endpoint.
    NonExistentMailbox {
        /// The server's message.
        message: String,
    },
    /// The body was not a recognizable answer (an HTML login page, say).
    Unparseable {
        /// Why.
        detail: String,
    },
    /// Settings were returned but the EWS URL was missing or not `https`.
    InvalidEwsUrl {
        /// The value (empty when missing).
        url: String,
    },
    /// Settings with a usable EWS URL.
    Success,
    /// SRV records: none usable, or the lookup failed.
    SrvUnusable,
}

impl fmt::Display for AttemptOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(kind) => write!(f, "transport error ({kind:?})"),
            Self::Unauthorized => f.write_str("HTTP 401 Unauthorized"),
            Self::HttpStatus(code) => write!(f, "HTTP {code}"),
            Self::Redirected { to } => write!(f, "redirected to {to}"),
            Self::RedirectBlocked { target, reason } => {
                write!(f, "redirect to {target} not followed: {reason}")
            }
            Self::AddressRedirect { to } => write!(f, "redirected to address {to}"),
            Self::SameAddressRedirect => {
                f.write_str("redirected to the same address (endpoint not valid for it)")
            }
            Self::ServerError { code, message } => write!(f, "error {code}: {message}"),
            Self::ServerBusy => f.write_str("ServerBusy (retried once at the end)"),
            Self::NonExistentMailbox { message } => write!(f, "mailbox does not exist: {message}"),
            Self::Unparseable { detail } => write!(f, "not an Autodiscover answer ({detail})"),
            Self::InvalidEwsUrl { url } => {
                write!(f, "settings without a usable https EWS URL ({url:?})")
            }
            Self::Success => f.write_str("settings returned"),
            Self::SrvUnusable => f.write_str("no usable SRV record"),
        }
    }
}

impl fmt::Display for BlockReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InsecureScheme => "not https",
            Self::NotAutodiscoverPath => "not an Autodiscover path from an unauthenticated source",
            Self::PublicSuffix => "public suffix, single-label or IP host",
            Self::DisallowedPort => "port not allowed",
            Self::UserInfo => "URL contains user info",
            Self::Declined => "declined by the user",
            Self::AlreadyVisited => "already tried (redirect loop)",
            Self::Malformed => "malformed",
        })
    }
}

/// One entry of the attempt log that `Done` and `Failed` carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The URL (or SRV name) tried.
    pub url: String,
    /// The address being discovered at the time.
    pub address: String,
    /// Where the candidate came from.
    pub source: CandidateSource,
    /// Whether the request was allowed to carry credentials.
    pub credentials_sent: bool,
    /// `WWW-Authenticate` schemes the server offered (first token of each header).
    pub offered_auth: Vec<String>,
    /// What happened.
    pub outcome: AttemptOutcome,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({:?}", self.url, self.source)?;
        if self.credentials_sent {
            f.write_str(", credentials allowed")?;
        }
        write!(f, "): {}", self.outcome)?;
        if !self.offered_auth.is_empty() {
            write!(f, " [server offered: {}]", self.offered_auth.join(", "))?;
        }
        Ok(())
    }
}

/// An Exchange server version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ServerVersion {
    /// Major version (15 for Exchange 2013 and later).
    pub major: u16,
    /// Minor version.
    pub minor: u16,
    /// Build number.
    pub build: u16,
}

impl ServerVersion {
    /// Decodes a POX `ServerVersion` (8 hex digits: 6 bits major, 6 bits minor, 15 bits build
    /// after a marker bit), e.g. `73C08204` is 15.0.516.
    pub fn from_pox_hex(hex: &str) -> Option<Self> {
        let v = u32::from_str_radix(hex.trim(), 16).ok()?;
        let major = u16::try_from((v >> 22) & 0x3F).ok()?;
        let minor = u16::try_from((v >> 16) & 0x3F).ok()?;
        let build = u16::try_from(v & 0x7FFF).ok()?;
        Some(Self {
            major,
            minor,
            build,
        })
    }

    /// Parses a SOAP `CasVersion` such as `15.01.0160.004` (15.1.160).
    pub fn from_dotted(s: &str) -> Option<Self> {
        let mut parts = s.trim().split('.').map(|p| p.parse::<u16>().ok());
        Some(Self {
            major: parts.next()??,
            minor: parts.next()??,
            build: parts.next()??,
        })
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.build)
    }
}

/// The result of a successful discovery.
#[derive(Debug, Clone)]
pub struct Success {
    /// The EWS endpoint. It may lie outside the email domain (e.g. `outlook.office365.com`); it came
    /// from an authenticated, TLS-validated, trusted endpoint (or a confirmed JSON v2 answer), and is
    /// surfaced so the caller can pin it.
    pub ews_url: Url,
    /// Server version, when the answer carried one.
    pub ews_version: Option<ServerVersion>,
    /// Settings by name (SOAP `UserSettings`, or the chosen POX `Protocol` fields plus `User` fields).
    pub settings: BTreeMap<String, String>,
    /// The mailbox address the settings are for (differs from the input after an address redirect).
    pub smtp_address: EmailAddress,
    /// The Autodiscover endpoint that answered.
    pub autodiscover_endpoint: Url,
    /// How long the settings may be cached: the POX `TTL` (hours, default 1) capped at 7 days, or 7
    /// days for SOAP and JSON answers.
    pub ttl: Duration,
    /// Every attempt, in order.
    pub attempts: Vec<Attempt>,
}
