//! The discovery state machine.

mod answers;
mod redirects;

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use bytes::Bytes;
use url::Url;

use crate::config::CLOUD_JSON_HOST;
use crate::effect::Origin;
use crate::error::Attempts;
use crate::json;
use crate::pox;
use crate::soap;
use crate::srv::{self, SrvRecord};
use crate::trust::{TrustLevel, TrustSet, host_is_contactable};
use crate::{
    Attempt, AttemptOutcome, AuthScheme, BlockReason, CandidateSource, Config, CredentialGrant,
    Effect, EmailAddress, Error, HttpRequest, Method, RedirectReason, Success, Token,
    TransportErrorKind,
};

const SEVEN_DAYS: Duration = Duration::from_secs(7 * 24 * 3600);
const CONTENT_TYPE_XML: &str = "text/xml; charset=utf-8";

/// What a candidate request speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pox,
    Soap,
    /// JSON v2 `GET`, never authenticated.
    Json,
    /// The `http://autodiscover.DOMAIN` probe, never authenticated.
    Probe,
}

impl Kind {
    fn from_method(method: Method) -> Self {
        match method {
            Method::Soap => Kind::Soap,
            Method::Pox => Kind::Pox,
        }
    }

    /// For a redirect target from an unauthenticated source: the protocol its path names.
    fn from_path(url: &Url, fallback: Method) -> Self {
        let path = url.path().to_ascii_lowercase();
        if path.ends_with(".svc") {
            Kind::Soap
        } else if path.ends_with(".xml") {
            Kind::Pox
        } else {
            Kind::from_method(fallback)
        }
    }

    fn authenticated(self) -> bool {
        matches!(self, Kind::Pox | Kind::Soap)
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    url: Url,
    source: CandidateSource,
    kind: Kind,
    /// A `ServerBusy` retry, allowed to revisit its URL once.
    busy_retry: bool,
}

#[derive(Debug)]
enum Waiting {
    Http {
        token: Token,
        candidate: Candidate,
        credentials_sent: bool,
    },
    Srv {
        token: Token,
        name: String,
    },
    Confirm {
        token: Token,
        target: String,
        source: CandidateSource,
        on_accept: OnAccept,
    },
}

#[derive(Debug)]
enum OnAccept {
    /// Trust the exact host and queue the candidate first.
    Queue(Candidate),
    /// Trust the domain and its subdomains, restart discovery for the address.
    Restart(EmailAddress),
    /// Trust the host and finish with this EWS URL (JSON v2).
    Finish { ews_url: Url, endpoint: Url },
}

/// The Autodiscover state machine. See the [crate documentation](crate) for the call order.
///
/// Methods come in three kinds:
/// - inputs: [`handle_http`](Self::handle_http), [`handle_transport_error`](Self::handle_transport_error),
///   [`handle_srv`](Self::handle_srv), [`handle_decision`](Self::handle_decision);
/// - output: [`poll_effect`](Self::poll_effect), drained until `None` after creation and after every
///   input;
/// - getters: [`is_finished`](Self::is_finished), [`error`](Self::error),
///   [`attempts`](Self::attempts).
///
/// One effect is outstanding at a time. Failure is sticky: once `Failed` was produced, every input
/// returns the same error.
#[derive(Debug)]
pub struct Autodiscover {
    config: Config,
    original: EmailAddress,
    addr: EmailAddress,
    addr_history: Vec<EmailAddress>,
    trust: TrustSet,
    queue: VecDeque<Candidate>,
    visited: HashSet<(String, String)>,
    url_hops: u32,
    addr_hops: u32,
    requests: u32,
    rejections: u32,
    probe_done: bool,
    srv_done: bool,
    next_token: u64,
    waiting: Option<Waiting>,
    outbox: VecDeque<Effect>,
    finished: bool,
    error: Option<Error>,
    attempts: Vec<Attempt>,
}

impl Autodiscover {
    /// Starts discovery: queues the candidates (JSON v2 if opted in, SCP URLs, `https://DOMAIN`,
    /// `https://autodiscover.DOMAIN`) and prepares the first effect.
    pub fn new(config: Config) -> Self {
        let mut trust = TrustSet::new(config.allow_list.clone());
        trust.add_domain(config.email.domain(), TrustLevel::Configured);
        let mut machine = Self {
            original: config.email.clone(),
            addr: config.email.clone(),
            config,
            addr_history: Vec::new(),
            trust,
            queue: VecDeque::new(),
            visited: HashSet::new(),
            url_hops: 0,
            addr_hops: 0,
            requests: 0,
            rejections: 0,
            probe_done: false,
            srv_done: false,
            next_token: 0,
            waiting: None,
            outbox: VecDeque::new(),
            finished: false,
            error: None,
            attempts: Vec::new(),
        };
        machine.build(true);
        // A cache hit goes first, trusted as if confirmed; if it fails, the built candidates follow.
        if let Some(url) = machine.config.cached_endpoint.clone() {
            if let Some(host) = url.host_str() {
                machine.trust.add_confirmed_host(host);
            }
            machine.queue.push_front(Candidate {
                kind: Kind::from_path(&url, machine.config.method),
                url,
                source: CandidateSource::Cached,
                busy_retry: false,
            });
        }
        machine.advance();
        machine
    }

    /// The next effect to perform, or `None` when the machine waits for an input (or is finished and
    /// its terminal effect was already taken).
    #[must_use]
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.outbox.pop_front()
    }

    /// Whether `Done` or `Failed` has been produced.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The terminal error, once failed.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The attempt log so far.
    pub fn attempts(&self) -> &[Attempt] {
        &self.attempts
    }

    /// The answer to a [`Effect::SendHttp`]. The transport must not have followed redirects.
    pub fn handle_http(
        &mut self,
        token: Token,
        response: http::Response<Bytes>,
    ) -> Result<(), Error> {
        let (candidate, credentials_sent) = self.take_http(token)?;
        let offered_auth: Vec<String> = response
            .headers()
            .get_all(http::header::WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split_whitespace().next())
            .map(|s| s.trim_end_matches(',').to_owned())
            .collect();
        let ctx = Ctx {
            candidate,
            credentials_sent,
            offered_auth,
        };
        let status = response.status().as_u16();
        match status {
            301 | 302 | 303 | 307 | 308 => {
                let location = response
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                match location {
                    Some(location) => self.on_location(ctx, &location),
                    None => self.record(&ctx, AttemptOutcome::HttpStatus(status)),
                }
            }
            401 => {
                if ctx.credentials_sent {
                    self.rejections += 1;
                }
                self.record(&ctx, AttemptOutcome::Unauthorized);
            }
            200..=299 => match ctx.candidate.kind {
                Kind::Probe => self.record(&ctx, AttemptOutcome::HttpStatus(status)),
                Kind::Pox => self.on_pox(ctx, response.body()),
                Kind::Soap => self.on_soap(ctx, response.body()),
                Kind::Json => self.on_json(ctx, response.body()),
            },
            400 if ctx.candidate.kind == Kind::Json => self.on_json(ctx, response.body()),
            _ => self.record(&ctx, AttemptOutcome::HttpStatus(status)),
        }
        self.advance();
        Ok(())
    }

    /// The request of a [`Effect::SendHttp`] failed before a response. The candidate is dropped;
    /// nothing is retried without TLS.
    pub fn handle_transport_error(
        &mut self,
        token: Token,
        kind: TransportErrorKind,
    ) -> Result<(), Error> {
        let (candidate, credentials_sent) = self.take_http(token)?;
        let ctx = Ctx {
            candidate,
            credentials_sent,
            offered_auth: Vec::new(),
        };
        self.record(&ctx, AttemptOutcome::Transport(kind));
        self.advance();
        Ok(())
    }

    /// The answer to [`Effect::ResolveSrv`]: the records, or why the lookup failed (an empty list
    /// for NXDOMAIN is fine too).
    pub fn handle_srv(
        &mut self,
        token: Token,
        answer: Result<Vec<SrvRecord>, TransportErrorKind>,
    ) -> Result<(), Error> {
        self.check_live(token)?;
        let name = match self.waiting.take() {
            Some(Waiting::Srv { token: t, name }) if t == token => name,
            other => {
                self.waiting = other;
                return Err(self.unexpected(token));
            }
        };
        let records = answer.unwrap_or_default();
        let ext = self.config.method.extension();
        let chosen = srv::choose(&records, &self.config.allowed_ports, self.config.srv_seed)
            .map(|r| (r.target.trim_end_matches('.').to_owned(), r.port));
        let url = chosen.and_then(|(target, port)| {
            let authority = if port == 443 {
                target
            } else {
                format!("{target}:{port}")
            };
            Url::parse(&format!(
                "https://{authority}/autodiscover/autodiscover.{ext}"
            ))
            .ok()
        });
        let outcome = match url {
            Some(url) => {
                let candidate = Candidate {
                    url,
                    source: CandidateSource::Srv,
                    kind: Kind::from_method(self.config.method),
                    busy_retry: false,
                };
                self.consider(candidate, RedirectReason::Srv, true)
            }
            None => AttemptOutcome::SrvUnusable,
        };
        self.attempts.push(Attempt {
            url: name,
            address: self.addr.to_string(),
            source: CandidateSource::Srv,
            credentials_sent: false,
            offered_auth: Vec::new(),
            outcome,
        });
        self.advance();
        Ok(())
    }

    /// The user's answer to [`Effect::ConfirmRedirect`]. `true` trusts the target (the exact host
    /// for a URL; the domain and its subdomains for an address).
    pub fn handle_decision(&mut self, token: Token, accept: bool) -> Result<(), Error> {
        self.check_live(token)?;
        let (target, source, on_accept) = match self.waiting.take() {
            Some(Waiting::Confirm {
                token: t,
                target,
                source,
                on_accept,
            }) if t == token => (target, source, on_accept),
            other => {
                self.waiting = other;
                return Err(self.unexpected(token));
            }
        };
        if !accept {
            self.attempts.push(Attempt {
                url: target.clone(),
                address: self.addr.to_string(),
                source,
                credentials_sent: false,
                offered_auth: Vec::new(),
                outcome: AttemptOutcome::RedirectBlocked {
                    target,
                    reason: BlockReason::Declined,
                },
            });
            self.advance();
            return Ok(());
        }
        match on_accept {
            OnAccept::Queue(candidate) => {
                if let Some(host) = candidate.url.host_str() {
                    self.trust.add_confirmed_host(host);
                }
                self.queue.push_front(candidate);
            }
            OnAccept::Restart(address) => {
                self.trust
                    .add_domain(address.domain(), TrustLevel::Confirmed);
                self.restart(address);
            }
            OnAccept::Finish { ews_url, endpoint } => {
                if let Some(host) = ews_url.host_str() {
                    self.trust.add_confirmed_host(host);
                }
                self.finish_with_ews_url(ews_url, endpoint);
                return Ok(());
            }
        }
        self.advance();
        Ok(())
    }

    // ----- internals -----

    fn check_live(&self, token: Token) -> Result<(), Error> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        if self.finished {
            return Err(self.unexpected(token));
        }
        Ok(())
    }

    fn unexpected(&self, token: Token) -> Error {
        let expected = match &self.waiting {
            Some(Waiting::Http { .. }) => "an HTTP response or transport error",
            Some(Waiting::Srv { .. }) => "an SRV answer",
            Some(Waiting::Confirm { .. }) => "a decision",
            None if self.finished => "nothing: discovery has finished",
            None => "nothing: poll_effect first",
        };
        Error::UnexpectedInput {
            token: token.0,
            expected,
        }
    }

    fn take_http(&mut self, token: Token) -> Result<(Candidate, bool), Error> {
        self.check_live(token)?;
        match self.waiting.take() {
            Some(Waiting::Http {
                token: t,
                candidate,
                credentials_sent,
            }) if t == token => Ok((candidate, credentials_sent)),
            other => {
                self.waiting = other;
                Err(self.unexpected(token))
            }
        }
    }

    fn token(&mut self) -> Token {
        self.next_token += 1;
        Token(self.next_token)
    }

    /// Queues the candidates for the current address (with the SCP URLs at the start). Labels are
    /// never stripped: only `D` and `autodiscover.D` are built.
    fn build(&mut self, with_scp: bool) {
        let domain = self.addr.domain().to_owned();
        let ext = self.config.method.extension();
        let kind = Kind::from_method(self.config.method);
        let push = |machine: &mut Self, url: String, source, kind| {
            if let Ok(url) = Url::parse(&url) {
                machine.queue.push_back(Candidate {
                    url,
                    source,
                    kind,
                    busy_retry: false,
                });
            }
        };
        if self.config.json_v2 {
            let path = json::path_and_query(&self.addr.to_string());
            push(
                self,
                format!("https://{domain}{path}"),
                CandidateSource::JsonV2,
                Kind::Json,
            );
            push(
                self,
                format!("https://autodiscover.{domain}{path}"),
                CandidateSource::JsonV2,
                Kind::Json,
            );
            if self.config.json_v2_cloud {
                push(
                    self,
                    format!("https://{CLOUD_JSON_HOST}{path}"),
                    CandidateSource::JsonV2,
                    Kind::Json,
                );
            }
        }
        if with_scp {
            for url in self.config.scp_urls.clone() {
                self.queue.push_back(Candidate {
                    url,
                    source: CandidateSource::Scp,
                    kind,
                    busy_retry: false,
                });
            }
        }
        push(
            self,
            format!("https://{domain}/autodiscover/autodiscover.{ext}"),
            CandidateSource::Domain,
            kind,
        );
        push(
            self,
            format!("https://autodiscover.{domain}/autodiscover/autodiscover.{ext}"),
            CandidateSource::AutodiscoverDomain,
            kind,
        );
    }

    fn restart(&mut self, address: EmailAddress) {
        let previous = std::mem::replace(&mut self.addr, address);
        self.addr_history.push(previous);
        self.queue.clear();
        self.probe_done = false;
        self.srv_done = false;
        self.build(false);
    }

    /// Emits the next effect, or finishes when nothing is left.
    fn advance(&mut self) {
        while !self.finished && self.waiting.is_none() {
            if let Some(candidate) = self.queue.pop_front() {
                self.emit(candidate);
                continue;
            }
            let domain = self.addr.domain().to_owned();
            if !self.probe_done && self.config.allow_http_probe {
                self.probe_done = true;
                if let Ok(url) = Url::parse(&format!(
                    "http://autodiscover.{domain}/autodiscover/autodiscover.xml"
                )) {
                    self.emit(Candidate {
                        url,
                        source: CandidateSource::HttpProbe,
                        kind: Kind::Probe,
                        busy_retry: false,
                    });
                }
                continue;
            }
            if !self.srv_done && self.config.allow_srv {
                self.srv_done = true;
                let token = self.token();
                let name = format!("_autodiscover._tcp.{domain}");
                self.waiting = Some(Waiting::Srv {
                    token,
                    name: name.clone(),
                });
                self.outbox.push_back(Effect::ResolveSrv { token, name });
                continue;
            }
            let attempts = Attempts(self.attempts.clone());
            let error = if self.rejections >= 2 {
                Error::Unauthorized {
                    rejections: self.rejections,
                    attempts,
                }
            } else {
                Error::AutodiscoverFailed { attempts }
            };
            self.finish(Err(error));
        }
    }

    fn finish(&mut self, result: Result<Success, Error>) {
        self.finished = true;
        self.waiting = None;
        self.queue.clear();
        match result {
            Ok(success) => self.outbox.push_back(Effect::Done(Box::new(success))),
            Err(error) => {
                self.error = Some(error.clone());
                self.outbox.push_back(Effect::Failed(error));
            }
        }
    }

    /// Success from a JSON v2 answer: an EWS URL and nothing else.
    fn finish_with_ews_url(&mut self, ews_url: Url, endpoint: Url) {
        let success = Success {
            ews_url,
            ews_version: None,
            settings: Default::default(),
            smtp_address: self.addr.clone(),
            autodiscover_endpoint: endpoint,
            ttl: SEVEN_DAYS,
            attempts: self.attempts.clone(),
        };
        self.finish(Ok(success));
    }

    fn fail(&mut self, make: impl FnOnce(Attempts) -> Error) {
        let error = make(Attempts(self.attempts.clone()));
        self.finish(Err(error));
    }

    fn visit_key(&self, url: &Url) -> (String, String) {
        (self.addr.to_string().to_ascii_lowercase(), url.to_string())
    }

    /// The credential decision (invariants I1, I5, I6): only an authenticated kind, over `https`, to
    /// a trusted host on an allowed port, without user info; Basic only to configured trust.
    fn grant_for(&self, candidate: &Candidate) -> Option<CredentialGrant> {
        let url = &candidate.url;
        if !candidate.kind.authenticated()
            || url.scheme() != "https"
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return None;
        }
        let host = url.host_str()?;
        let port = url.port_or_known_default()?;
        if !self.config.allowed_ports.contains(&port) {
            return None;
        }
        let level = self.trust.level(host)?;
        let schemes: Vec<AuthScheme> = self
            .config
            .auth
            .iter()
            .filter(|s| **s != AuthScheme::Basic || level == TrustLevel::Configured)
            .cloned()
            .collect();
        if schemes.is_empty() {
            return None;
        }
        Some(CredentialGrant {
            origin: Origin {
                host: host.to_ascii_lowercase(),
                port,
            },
            schemes,
            account: self.original.clone(),
        })
    }

    fn emit(&mut self, candidate: Candidate) {
        let key = self.visit_key(&candidate.url);
        if self.visited.contains(&key) && !candidate.busy_retry {
            return;
        }
        if self.requests >= self.config.limits.requests {
            let limit = self.config.limits.requests;
            self.fail(|attempts| Error::RequestLimit { limit, attempts });
            return;
        }
        let host_ok = candidate
            .url
            .host_str()
            .is_some_and(|h| host_is_contactable(h, &self.config.public_suffix));
        if !host_ok {
            let ctx = Ctx::unsent(candidate);
            let target = ctx.candidate.url.to_string();
            self.record(
                &ctx,
                AttemptOutcome::RedirectBlocked {
                    target,
                    reason: BlockReason::PublicSuffix,
                },
            );
            return;
        }
        let credentials = self.grant_for(&candidate);
        let Some(request) = self.http_request(&candidate, credentials.as_ref()) else {
            let ctx = Ctx::unsent(candidate);
            self.record(
                &ctx,
                AttemptOutcome::Unparseable {
                    detail: "the request could not be built (URL or header not valid for HTTP)"
                        .into(),
                },
            );
            return;
        };
        self.visited.insert(key);
        self.requests += 1;
        let token = self.token();
        self.waiting = Some(Waiting::Http {
            token,
            candidate: candidate.clone(),
            credentials_sent: credentials.is_some(),
        });
        self.outbox
            .push_back(Effect::SendHttp(Box::new(HttpRequest {
                token,
                request,
                credentials,
                source: candidate.source,
            })));
    }

    fn http_request(
        &self,
        candidate: &Candidate,
        credentials: Option<&CredentialGrant>,
    ) -> Option<http::Request<Bytes>> {
        let address = self.addr.to_string();
        let (method, body, content_type) = match candidate.kind {
            Kind::Pox => (
                http::Method::POST,
                pox::request_body(&address),
                Some(CONTENT_TYPE_XML),
            ),
            Kind::Soap => (
                http::Method::POST,
                soap::request_body(
                    &address,
                    candidate.url.as_str(),
                    &self.config.requested_server_version,
                ),
                Some(CONTENT_TYPE_XML),
            ),
            Kind::Json | Kind::Probe => (http::Method::GET, String::new(), None),
        };
        let mut builder = http::Request::builder()
            .method(method)
            .uri(candidate.url.as_str());
        if let Some(content_type) = content_type {
            builder = builder.header(http::header::CONTENT_TYPE, content_type);
        }
        if candidate.kind == Kind::Json {
            builder = builder.header(http::header::ACCEPT, "application/json");
        }
        if credentials.is_some_and(|g| g.schemes.contains(&AuthScheme::Bearer)) {
            builder = builder.header("X-AnchorMailbox", address.as_str());
        }
        builder.body(Bytes::from(body)).ok()
    }

    fn record(&mut self, ctx: &Ctx, outcome: AttemptOutcome) {
        self.attempts.push(Attempt {
            url: ctx.candidate.url.to_string(),
            address: self.addr.to_string(),
            source: ctx.candidate.source,
            credentials_sent: ctx.credentials_sent,
            offered_auth: ctx.offered_auth.clone(),
            outcome,
        });
    }
}

/// The request an input answers.
struct Ctx {
    candidate: Candidate,
    credentials_sent: bool,
    offered_auth: Vec<String>,
}

impl Ctx {
    fn unsent(candidate: Candidate) -> Self {
        Self {
            candidate,
            credentials_sent: false,
            offered_auth: Vec::new(),
        }
    }
}
