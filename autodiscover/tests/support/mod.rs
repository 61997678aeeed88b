//! Shared test support: a scripted peer that drives the machine to completion, records a transcript,
//! and checks invariants I1–I6 before every request with its own, independent oracle.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;

use autodiscover::{
    AuthScheme, Autodiscover, CandidateSource, Config, ConfirmRedirect, Effect, Error,
    PublicSuffix, RedirectReason, SrvRecord, Success, TransportErrorKind,
};
use bytes::Bytes;

/// One request the machine asked for, as the peer saw it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub url: String,
    pub host: String,
    pub scheme: String,
    pub credentials: bool,
    pub schemes: Vec<AuthScheme>,
    pub account: Option<String>,
    pub body: String,
    pub anchor_mailbox: Option<String>,
    pub source: CandidateSource,
}

/// What the scripted peer answers.
#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16),
    Redirect(u16, String),
    Xml(String),
    Json(u16, String),
    Unauthorized(Vec<String>),
    Transport(TransportErrorKind),
}

pub fn redirect(location: &str) -> Reply {
    Reply::Redirect(302, location.to_owned())
}

/// The outcome of a scripted run.
pub struct Run {
    pub result: Result<Success, Error>,
    pub sent: Vec<Sent>,
    pub prompts: Vec<ConfirmRedirect>,
    pub srv_lookups: Vec<String>,
    /// Effect names in order, e.g. `SendHttp https://contoso.com/...`.
    pub transcript: Vec<String>,
}

impl Run {
    pub fn success(&self) -> &Success {
        match &self.result {
            Ok(s) => s,
            Err(e) => panic!(
                "expected success, got {e}\ntranscript: {:#?}",
                self.transcript
            ),
        }
    }

    pub fn error(&self) -> &Error {
        match &self.result {
            Ok(s) => panic!(
                "expected failure, got {}\ntranscript: {:#?}",
                s.ews_url, self.transcript
            ),
            Err(e) => e,
        }
    }

    pub fn urls(&self) -> Vec<&str> {
        self.sent.iter().map(|s| s.url.as_str()).collect()
    }

    pub fn hosts(&self) -> Vec<&str> {
        self.sent.iter().map(|s| s.host.as_str()).collect()
    }
}

/// The independent model of the trust set used to check invariants.
pub struct Oracle {
    domains: Vec<String>,
    accepted_domains: Vec<String>,
    allow: Vec<String>,
    accepted_hosts: Vec<String>,
    history: Vec<String>,
    allowed_ports: Vec<u16>,
    requests: u32,
    request_limit: u32,
    seen: HashMap<(String, String), u32>,
    busy: HashMap<(String, String), u32>,
    basic_configured: bool,
    /// The address being discovered, as last seen in a request (GETs of the probe carry none).
    current: String,
}

fn psl_is_suffix(name: &str) -> bool {
    PublicSuffix::mozilla().is_public_suffix(name)
}

fn under(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

impl Oracle {
    pub fn new(email_domain: &str, allow: &[&str], basic_configured: bool) -> Self {
        Self {
            domains: vec![email_domain.to_owned()],
            accepted_domains: Vec::new(),
            allow: allow.iter().map(|s| s.to_string()).collect(),
            accepted_hosts: Vec::new(),
            history: vec![email_domain.to_owned()],
            allowed_ports: vec![443],
            requests: 0,
            request_limit: 24,
            seen: HashMap::new(),
            busy: HashMap::new(),
            basic_configured,
            current: String::new(),
        }
    }

    fn allow_listed(&self, host: &str) -> bool {
        self.allow.iter().any(|p| match p.strip_prefix("*.") {
            Some(base) => host.ends_with(&format!(".{base}")),
            None => host == p,
        })
    }

    fn trusted(&self, host: &str) -> bool {
        self.domains.iter().any(|d| under(host, d))
            || self.accepted_domains.iter().any(|d| under(host, d))
            || self.allow_listed(host)
            || self.accepted_hosts.iter().any(|h| h == host)
    }

    /// Checks I1–I6 for a request about to be sent.
    pub fn check(&mut self, sent: &Sent, port: u16, userinfo: bool) {
        // I3
        self.requests += 1;
        assert!(
            self.requests <= self.request_limit,
            "I3: more than {} requests",
            self.request_limit
        );
        // I2
        assert!(
            !psl_is_suffix(&sent.host),
            "I2: request to public suffix {}",
            sent.host
        );
        if let Some(rest) = sent.host.strip_prefix("autodiscover.") {
            assert!(
                !psl_is_suffix(rest),
                "I2: request to autodiscover.<public suffix> {}",
                sent.host
            );
        }
        // I2: built candidates use exactly D or autodiscover.D of an address being discovered, so
        // never a proper suffix of D (no label stripping).
        let built = matches!(
            sent.source,
            CandidateSource::Domain
                | CandidateSource::AutodiscoverDomain
                | CandidateSource::HttpProbe
        );
        let json_built =
            sent.source == CandidateSource::JsonV2 && sent.url.contains("/autodiscover.json/");
        if built || json_built {
            let from_history = self
                .history
                .iter()
                .any(|d| sent.host == *d || sent.host == format!("autodiscover.{d}"));
            let cloud = json_built && sent.host == "outlook.office365.com";
            assert!(
                from_history || cloud,
                "I2: built candidate {} is not D or autodiscover.D",
                sent.url
            );
        }
        // Redirect targets (30x, in-band, SRV, JSON v2 answers) are never followed silently: their
        // host is trusted already or was confirmed by the user.
        if !built && !json_built && sent.source != CandidateSource::Scp {
            assert!(
                self.trusted(&sent.host),
                "redirect target {} contacted without trust or confirmation",
                sent.url
            );
        }
        // I5
        if sent.scheme == "http" {
            assert!(!sent.credentials, "I5: credentials on http:// {}", sent.url);
            assert!(sent.body.is_empty(), "I5: body on http:// {}", sent.url);
        }
        // I1 and I6
        if sent.credentials {
            assert_eq!(sent.scheme, "https", "I1: credentials over {}", sent.url);
            assert!(
                self.allowed_ports.contains(&port),
                "I1: credentials to port {port}"
            );
            assert!(!userinfo, "I1: credentials to a URL with user info");
            assert!(
                self.trusted(&sent.host),
                "I1/I6: credentials to untrusted host {}",
                sent.url
            );
            let configured =
                self.domains.iter().any(|d| under(&sent.host, d)) || self.allow_listed(&sent.host);
            if sent.schemes.contains(&AuthScheme::Basic) {
                assert!(
                    self.basic_configured,
                    "Basic offered although not configured"
                );
                assert!(
                    configured,
                    "Basic to a host trusted only by confirmation: {}",
                    sent.url
                );
            }
        }
        // I4: (address, url) once, plus one retry after ServerBusy
        let key = (self.current.clone(), sent.url.clone());
        let n = self.seen.entry(key.clone()).or_insert(0);
        *n += 1;
        let allowed = 1 + self.busy.get(&key).copied().unwrap_or(0).min(1);
        assert!(
            *n <= allowed,
            "I4: {} visited twice for {}",
            sent.url,
            key.0
        );
    }

    pub fn note_busy(&mut self, sent: &Sent) {
        *self
            .busy
            .entry((self.current.clone(), sent.url.clone()))
            .or_insert(0) += 1;
    }

    pub fn accepted(&mut self, prompt: &ConfirmRedirect) {
        if prompt.reason == RedirectReason::CrossDomainAddress {
            if let Some((_, domain)) = prompt.target.rsplit_once('@') {
                self.accepted_domains.push(domain.to_ascii_lowercase());
                self.history.push(domain.to_ascii_lowercase());
            }
        } else if let Ok(url) = url::Url::parse(&prompt.target) {
            if let Some(h) = url.host_str() {
                self.accepted_hosts.push(h.to_owned());
            }
        }
    }

    /// An in-trust address redirect: the new domain joins the history.
    pub fn note_address(&mut self, address: &str) {
        self.current = address.to_owned();
        let domain = address.rsplit_once('@').map_or(address, |(_, d)| d);
        if !self.history.iter().any(|d| d == domain) {
            self.history.push(domain.to_owned());
        }
    }
}

/// The address in a POX/SOAP body (empty for GETs).
pub fn mailbox_of(body: &str) -> String {
    for (open, close) in [
        ("<EMailAddress>", "</EMailAddress>"),
        ("<a:Mailbox>", "</a:Mailbox>"),
    ] {
        if let Some(start) = body.find(open) {
            let rest = &body[start + open.len()..];
            if let Some(end) = rest.find(close) {
                return rest[..end].to_ascii_lowercase();
            }
        }
    }
    String::new()
}

/// The SRV answer type.
pub type SrvAnswer = Result<Vec<SrvRecord>, TransportErrorKind>;

/// The address a request is for: from a POX/SOAP body, or from a JSON v2 path.
pub fn address_of(sent: &Sent) -> String {
    let from_body = mailbox_of(&sent.body);
    if !from_body.is_empty() {
        return from_body;
    }
    sent.url
        .split("/v1.0/")
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .map(|encoded| encoded.replace("%40", "@").to_ascii_lowercase())
        .unwrap_or_default()
}

/// A scripted peer.
pub struct Peer<'a> {
    pub http: Box<dyn FnMut(&Sent) -> Reply + 'a>,
    pub srv: Box<dyn FnMut(&str) -> SrvAnswer + 'a>,
    pub decide: Box<dyn FnMut(&ConfirmRedirect) -> bool + 'a>,
}

impl<'a> Peer<'a> {
    pub fn new(http: impl FnMut(&Sent) -> Reply + 'a) -> Self {
        Self {
            http: Box::new(http),
            srv: Box::new(|_| Ok(Vec::new())),
            decide: Box::new(|_| false),
        }
    }

    pub fn srv(
        mut self,
        srv: impl FnMut(&str) -> Result<Vec<SrvRecord>, TransportErrorKind> + 'a,
    ) -> Self {
        self.srv = Box::new(srv);
        self
    }

    pub fn decide(mut self, decide: impl FnMut(&ConfirmRedirect) -> bool + 'a) -> Self {
        self.decide = Box::new(decide);
        self
    }
}

pub fn config(email: &str) -> Config {
    Config::new(email, PublicSuffix::mozilla()).expect("valid test config")
}

/// Drives the machine to completion against `peer`, checking invariants with `oracle`.
pub fn drive(config: Config, mut peer: Peer<'_>, oracle: &mut Oracle) -> Run {
    let mut machine = Autodiscover::new(config);
    let mut run = Run {
        result: Err(Error::UnexpectedInput {
            token: 0,
            expected: "never finished",
        }),
        sent: Vec::new(),
        prompts: Vec::new(),
        srv_lookups: Vec::new(),
        transcript: Vec::new(),
    };
    for _ in 0..200 {
        let Some(effect) = machine.poll_effect() else {
            panic!(
                "machine stalled without a terminal effect; transcript {:#?}",
                run.transcript
            );
        };
        match effect {
            Effect::SendHttp(send) => {
                let uri = send.request.uri().clone();
                let parsed = url::Url::parse(&uri.to_string()).expect("request URI is a URL");
                let grant = send.credentials.as_ref();
                if let Some(g) = grant {
                    assert!(
                        g.permits(&uri),
                        "grant does not permit its own request {uri}"
                    );
                }
                let sent = Sent {
                    method: send.request.method().to_string(),
                    url: uri.to_string(),
                    host: parsed.host_str().unwrap_or_default().to_owned(),
                    scheme: parsed.scheme().to_owned(),
                    credentials: grant.is_some(),
                    schemes: grant.map(|g| g.schemes().to_vec()).unwrap_or_default(),
                    account: grant.map(|g| g.account().to_string()),
                    body: String::from_utf8_lossy(send.request.body()).into_owned(),
                    source: send.source,
                    anchor_mailbox: send
                        .request
                        .headers()
                        .get("X-AnchorMailbox")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned),
                };
                let mailbox = address_of(&sent);
                if !mailbox.is_empty() {
                    oracle.note_address(&mailbox);
                }
                oracle.check(
                    &sent,
                    parsed.port_or_known_default().unwrap_or(0),
                    !parsed.username().is_empty() || parsed.password().is_some(),
                );
                run.transcript.push(format!(
                    "SendHttp {} {}{}",
                    sent.method,
                    sent.url,
                    if sent.credentials { " +creds" } else { "" }
                ));
                let reply = (peer.http)(&sent);
                if let Reply::Xml(body) = &reply {
                    if body.contains("ServerBusy") {
                        oracle.note_busy(&sent);
                    }
                }
                run.sent.push(sent);
                let token = send.token;
                let outcome = match reply {
                    Reply::Transport(kind) => machine.handle_transport_error(token, kind),
                    other => machine.handle_http(token, response(other)),
                };
                outcome.expect("input accepted");
            }
            Effect::ResolveSrv { token, name } => {
                run.transcript.push(format!("ResolveSrv {name}"));
                let answer = (peer.srv)(&name);
                run.srv_lookups.push(name);
                machine.handle_srv(token, answer).expect("input accepted");
            }
            Effect::ConfirmRedirect(prompt) => {
                run.transcript.push(format!(
                    "ConfirmRedirect {:?} {}",
                    prompt.reason, prompt.target
                ));
                let accept = (peer.decide)(&prompt);
                if accept {
                    oracle.accepted(&prompt);
                }
                run.prompts.push(prompt.clone());
                machine
                    .handle_decision(prompt.token, accept)
                    .expect("input accepted");
            }
            Effect::Done(success) => {
                run.transcript.push(format!("Done {}", success.ews_url));
                run.result = Ok(*success);
                assert!(machine.poll_effect().is_none(), "effects after Done");
                return run;
            }
            Effect::Failed(error) => {
                run.transcript.push("Failed".into());
                assert_eq!(machine.error(), Some(&error), "failure is sticky");
                run.result = Err(error);
                assert!(machine.poll_effect().is_none(), "effects after Failed");
                return run;
            }
            other => panic!("unknown effect {}", other.name()),
        }
    }
    panic!("no termination after 200 effects: {:#?}", run.transcript);
}

/// `drive` with the default oracle for `email`.
pub fn drive_default(config: Config, peer: Peer<'_>) -> Run {
    let domain = config.email().domain().to_owned();
    let allow: Vec<String> = config.allow_list().iter().map(|p| p.to_string()).collect();
    let allow: Vec<&str> = allow.iter().map(String::as_str).collect();
    let mut oracle = Oracle::new(&domain, &allow, false);
    drive(config, peer, &mut oracle)
}

fn response(reply: Reply) -> http::Response<Bytes> {
    let mut builder = http::Response::builder();
    let body = match reply {
        Reply::Status(code) => {
            builder = builder.status(code);
            String::new()
        }
        Reply::Redirect(code, location) => {
            builder = builder.status(code).header("Location", location);
            String::new()
        }
        Reply::Xml(body) => {
            builder = builder
                .status(200)
                .header("Content-Type", "text/xml; charset=utf-8");
            body
        }
        Reply::Json(code, body) => {
            builder = builder
                .status(code)
                .header("Content-Type", "application/json");
            body
        }
        Reply::Unauthorized(schemes) => {
            builder = builder.status(401);
            for s in schemes {
                builder = builder.header("WWW-Authenticate", s);
            }
            String::new()
        }
        Reply::Transport(_) => unreachable!("transport errors are not responses"),
    };
    builder
        .body(Bytes::from(body))
        .expect("valid test response")
}

// ----- response bodies -----

const POX_NS: &str = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
const POX_OUTLOOK_NS: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
const SOAP_NS: &str = "http://schemas.microsoft.com/exchange/2010/Autodiscover";

fn pox_account(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{POX_NS}"><Response xmlns="{POX_OUTLOOK_NS}"><Account><AccountType>email</AccountType>{inner}</Account></Response></Autodiscover>"#
    )
}

pub fn pox_settings(ews_url: &str) -> Reply {
    Reply::Xml(pox_account(&format!(
        "<Action>settings</Action><Protocol><Type>EXPR</Type><ServerVersion>73C08204</ServerVersion><EwsUrl>{ews_url}</EwsUrl><TTL>2</TTL></Protocol>"
    )))
}

pub fn pox_redirect_addr(address: &str) -> Reply {
    Reply::Xml(pox_account(&format!(
        "<Action>redirectAddr</Action><RedirectAddr>{address}</RedirectAddr>"
    )))
}

pub fn pox_redirect_url(url: &str) -> Reply {
    Reply::Xml(pox_account(&format!(
        "<Action>redirectUrl</Action><RedirectUrl>{url}</RedirectUrl>"
    )))
}

pub fn pox_error(code: &str) -> Reply {
    Reply::Xml(format!(
        r#"<Autodiscover xmlns="{POX_NS}"><Response><Error Time="1" Id="2"><ErrorCode>{code}</ErrorCode><Message>error {code}</Message><DebugData/></Error></Response></Autodiscover>"#
    ))
}

fn soap_envelope(response: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetUserSettingsResponseMessage xmlns="{SOAP_NS}"><Response><ErrorCode>NoError</ErrorCode><ErrorMessage/><UserResponses><UserResponse>{response}</UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>"#
    )
}

pub fn soap_settings(ews_url: &str) -> Reply {
    Reply::Xml(soap_envelope(&format!(
        r#"<ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><UserSettingErrors/><UserSettings><UserSetting><Name>ExternalEwsUrl</Name><Value>{ews_url}</Value></UserSetting><UserSetting><Name>CasVersion</Name><Value>15.01.0160.004</Value></UserSetting></UserSettings>"#
    )))
}

pub fn soap_user_error(code: &str, target: Option<&str>) -> Reply {
    let target = target.map_or("<RedirectTarget/>".to_owned(), |t| {
        format!("<RedirectTarget>{t}</RedirectTarget>")
    });
    Reply::Xml(soap_envelope(&format!(
        "<ErrorCode>{code}</ErrorCode><ErrorMessage>{code} message</ErrorMessage>{target}<UserSettingErrors/><UserSettings/>"
    )))
}

pub fn html_login_page() -> Reply {
    Reply::Xml("<!DOCTYPE html><html><body><form>Sign in</form></body></html>".into())
}
