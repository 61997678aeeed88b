//! What a caller supplies to run Autodiscover ([`autodiscover::driver::run`]): an HTTPS transport
//! that never follows redirects and attaches credentials only where the machine's
//! [`CredentialGrant`] permits, and a confirmation policy; plus a table of the attempts.
//!
//! [`DiscoveryHttp`] opens one HTTP/1.1 connection per request (over rustls with the ring provider),
//! verifies the server's certificate against the host name of the URL, and, when built with
//! [`DiscoveryHttp::connect_to`], connects to another address for every host (as `curl
//! --connect-to` does), which is how the demos reach the simulator under names like
//! `autodiscover.contoso.example`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use autodiscover::driver::{Confirmer, HttpTransport};
use autodiscover::{
    Attempt, AuthScheme, CandidateSource, ConfirmRedirect, CredentialGrant, RedirectReason,
    TransportErrorKind,
};
use bytes::Bytes;
use ews_client::Secret;
use http::HeaderValue;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use super::table::Table;

/// The largest Autodiscover answer read (real ones are a few KiB).
const MAX_BODY: usize = 1 << 20;

/// The credentials the transport may attach, and only when the machine's grant permits the URL and
/// lists the scheme.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum DiscoveryAuth {
    /// Never authenticate.
    None,
    /// HTTP Basic (the grant lists [`AuthScheme::Basic`] only when the caller enabled it, and never
    /// for a host trusted only by a confirmation).
    Basic {
        /// The logon name: a UPN or `DOMAIN\user`.
        username: String,
        /// The password.
        password: Secret,
    },
    /// An OAuth access token.
    Bearer(Secret),
}

impl DiscoveryAuth {
    /// The scheme to list in the machine's configuration for these credentials.
    pub fn scheme(&self) -> Option<AuthScheme> {
        match self {
            DiscoveryAuth::None => None,
            DiscoveryAuth::Basic { .. } => Some(AuthScheme::Basic),
            DiscoveryAuth::Bearer(_) => Some(AuthScheme::Bearer),
        }
    }

    /// The `Authorization` value, if `grant` allows these credentials.
    fn header(&self, grant: &CredentialGrant) -> Option<HeaderValue> {
        let scheme = self.scheme()?;
        if !grant.schemes().contains(&scheme) {
            return None;
        }
        let value = match self {
            DiscoveryAuth::None => return None,
            DiscoveryAuth::Basic { username, password } => {
                use base64::Engine;
                let pair = format!("{username}:{}", password.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            DiscoveryAuth::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        let mut value = HeaderValue::from_str(&value).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

/// The Autodiscover transport of the demos.
#[derive(Clone)]
pub struct DiscoveryHttp {
    tls: TlsConnector,
    connect_to: Option<SocketAddr>,
    auth: DiscoveryAuth,
    timeout: Duration,
}

impl std::fmt::Debug for DiscoveryHttp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscoveryHttp")
            .field("connect_to", &self.connect_to)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl DiscoveryHttp {
    /// A transport verifying servers with `tls` and authenticating with `auth` where permitted.
    pub fn new(tls: Arc<ClientConfig>, auth: DiscoveryAuth) -> Self {
        let mut config = (*tls).clone();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        DiscoveryHttp {
            tls: TlsConnector::from(Arc::new(config)),
            connect_to: None,
            auth,
            timeout: Duration::from_secs(20),
        }
    }

    /// Connects to `address` whatever the URL's host and port; TLS still verifies the URL's host name.
    pub fn connect_to(mut self, address: SocketAddr) -> Self {
        self.connect_to = Some(address);
        self
    }

    /// The credentials this transport may attach.
    pub fn auth(&self) -> &DiscoveryAuth {
        &self.auth
    }

    /// How long one request may take, connection included (default 20 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    async fn exchange(
        &self,
        request: http::Request<Bytes>,
        grant: Option<&CredentialGrant>,
    ) -> Result<http::Response<Bytes>, TransportErrorKind> {
        let uri = request.uri().clone();
        let host = uri.host().ok_or(TransportErrorKind::Other)?;
        let bare_host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") => false,
            _ => return Err(TransportErrorKind::Other),
        };
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let address = match self.connect_to {
            Some(address) => address,
            None => tokio::net::lookup_host((bare_host.as_str(), port))
                .await
                .ok()
                .and_then(|mut found| found.next())
                .ok_or(TransportErrorKind::Dns)?,
        };
        let tcp = TcpStream::connect(address)
            .await
            .map_err(|_| TransportErrorKind::Connect)?;

        let (mut parts, body) = request.into_parts();
        parts.uri = uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .parse()
            .map_err(|_| TransportErrorKind::Other)?;
        let authority = uri.authority().map_or(host, |a| a.as_str());
        let host_header =
            HeaderValue::from_str(authority).map_err(|_| TransportErrorKind::Other)?;
        parts.headers.insert(http::header::HOST, host_header);
        // Credentials only over https, to the origin the machine granted, in a scheme it lists.
        let authorization = grant
            .filter(|grant| https && grant.permits(&uri))
            .and_then(|grant| self.auth.header(grant));
        if let Some(value) = authorization {
            parts.headers.insert(http::header::AUTHORIZATION, value);
        }
        let request = http::Request::from_parts(parts, Full::new(body));

        if https {
            let name = ServerName::try_from(bare_host).map_err(|_| TransportErrorKind::Other)?;
            let stream = self
                .tls
                .connect(name, tcp)
                .await
                .map_err(|_| TransportErrorKind::Tls)?;
            round_trip(TokioIo::new(stream), request).await
        } else {
            round_trip(TokioIo::new(tcp), request).await
        }
    }
}

/// One request on a fresh connection, the whole body read (up to [`MAX_BODY`]).
async fn round_trip<I>(
    io: I,
    request: http::Request<Full<Bytes>>,
) -> Result<http::Response<Bytes>, TransportErrorKind>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|_| TransportErrorKind::Connect)?;
    let driver = tokio::spawn(connection);
    let response = sender
        .send_request(request)
        .await
        .map_err(|_| TransportErrorKind::Other)?;
    let (parts, body) = response.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| TransportErrorKind::Other)?
        .to_bytes();
    driver.abort();
    Ok(http::Response::from_parts(parts, body))
}

impl HttpTransport for DiscoveryHttp {
    fn send(
        &self,
        request: http::Request<Bytes>,
        credentials: Option<&CredentialGrant>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportErrorKind>> + Send {
        let credentials = credentials.cloned();
        async move {
            tokio::time::timeout(self.timeout, self.exchange(request, credentials.as_ref()))
                .await
                .map_err(|_| TransportErrorKind::Timeout)?
        }
    }
}

/// A prompt the policy answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The prompt.
    pub prompt: ConfirmRedirect,
    /// Whether it was accepted.
    pub accepted: bool,
}

/// Answers confirmation prompts from a fixed list of trusted targets (what a user would click), and
/// remembers every prompt and answer.
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    trusted: Vec<String>,
    answered: Arc<Mutex<Vec<Answered>>>,
}

impl TrustList {
    /// Accepts redirects to these hosts (URL redirects) or domains (address redirects), declines the rest.
    pub fn new<S: Into<String>>(trusted: impl IntoIterator<Item = S>) -> Self {
        TrustList {
            trusted: trusted
                .into_iter()
                .map(|s| s.into().to_ascii_lowercase())
                .collect(),
            answered: Arc::default(),
        }
    }

    /// Every prompt so far, with its answer.
    pub fn answered(&self) -> Vec<Answered> {
        self.answered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn accepts(&self, prompt: &ConfirmRedirect) -> bool {
        let target = if prompt.reason == RedirectReason::CrossDomainAddress {
            prompt.target.rsplit('@').next().map(str::to_owned)
        } else {
            url::Url::parse(&prompt.target)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
        };
        target.is_some_and(|t| self.trusted.contains(&t.to_ascii_lowercase()))
    }
}

impl Confirmer for TrustList {
    fn confirm(&self, prompt: &ConfirmRedirect) -> impl Future<Output = bool> + Send {
        let accepted = self.accepts(prompt);
        self.answered
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Answered {
                prompt: prompt.clone(),
                accepted,
            });
        std::future::ready(accepted)
    }
}

/// A prompt as one line: "contoso.example sends you to mara@fabrikam.example (address redirect):
/// accepted".
pub fn describe_prompt(answered: &Answered) -> String {
    let reason = match answered.prompt.reason {
        RedirectReason::HttpRedirect => "HTTP redirect",
        RedirectReason::InBandRedirect => "redirectUrl",
        RedirectReason::Srv => "SRV record",
        RedirectReason::JsonV2 => "JSON answer",
        RedirectReason::CrossDomainAddress => "address redirect",
        _ => "redirect",
    };
    format!(
        "{} sends you to {} ({reason}): {}",
        answered.prompt.from_domain,
        answered.prompt.target,
        if answered.accepted {
            "accepted"
        } else {
            "declined"
        }
    )
}

fn source(source: CandidateSource) -> &'static str {
    match source {
        CandidateSource::Scp => "SCP",
        CandidateSource::Cached => "cache",
        CandidateSource::Domain => "domain",
        CandidateSource::AutodiscoverDomain => "autodiscover.domain",
        CandidateSource::HttpProbe => "http probe",
        CandidateSource::HttpRedirect => "HTTP redirect",
        CandidateSource::InBand => "redirectUrl",
        CandidateSource::Srv => "SRV",
        CandidateSource::JsonV2 => "JSON v2",
        _ => "other",
    }
}

/// One row per attempt: number, URL, address, where the candidate came from, whether credentials
/// were allowed, and the outcome.
pub fn attempts_table(attempts: &[Attempt]) -> Table {
    let mut table = Table::new(["#", "URL", "FOR", "SOURCE", "CREDENTIALS", "OUTCOME"]);
    for (n, attempt) in attempts.iter().enumerate() {
        let mut outcome = attempt.outcome.to_string();
        if !attempt.offered_auth.is_empty() {
            outcome.push_str(&format!(" [offered: {}]", attempt.offered_auth.join(", ")));
        }
        table.row([
            (n + 1).to_string(),
            attempt.url.clone(),
            attempt.address.clone(),
            source(attempt.source).to_owned(),
            if attempt.credentials_sent {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
            outcome,
        ]);
    }
    table
}

/// The name an Exchange administrator knows an Autodiscover failure by.
pub fn error_name(error: &autodiscover::Error) -> &'static str {
    use autodiscover::Error as E;
    match error {
        E::AutodiscoverFailed { .. } => "AutoDiscoverFailed",
        E::Unauthorized { .. } => "Unauthorized",
        E::NonExistentMailbox { .. } => "ErrorNonExistentMailbox",
        E::TooManyRedirects { .. } => "TooManyRedirects",
        E::RedirectLoop { .. } => "RedirectLoop",
        E::RequestLimit { .. } => "RequestLimit",
        E::InvalidDomain { .. } => "InvalidDomain",
        E::InvalidEmailAddress { .. } => "InvalidEmailAddress",
        E::InvalidEwsUrl { .. } => "InvalidEwsUrl",
        _ => "AutodiscoverError",
    }
}
