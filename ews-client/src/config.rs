//! [`ClientBuilder`]: the endpoint, the credentials and the knobs, with defaults that suit Exchange.

use std::collections::HashMap;
use std::sync::Mutex;

use ews_types::soap::ExchangeVersion;
use ews_types::xml::ParseLimits;
use tokio::sync::Semaphore;

use crate::auth::Credentials;
use crate::client::EwsClient;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::retry::{BackOffGate, Jitter, RetryPolicy};
use crate::transport::Transport;

/// The settings of a client, fixed when it is built.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) version: ExchangeVersion,
    pub(crate) negotiate_version: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    pub(crate) parse_limits: ParseLimits,
    pub(crate) time_zone_id: Option<String>,
    pub(crate) mailbox_culture: Option<String>,
    pub(crate) user_agent: String,
}

/// Builds an [`EwsClient`].
///
/// Defaults: `RequestServerVersion` `Exchange2016` with negotiation down to Exchange 2010 SP1 on
/// refusal, the default [`RetryPolicy`], responses up to 64 MiB, 10 requests in flight (Exchange 2010's
/// `EWSMaxConcurrency`), https only.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    endpoint: String,
    credentials: Credentials,
    settings: Settings,
    max_concurrent_requests: usize,
    allow_insecure_loopback_http: bool,
    jitter_seed: u64,
}

impl ClientBuilder {
    /// A client for the EWS endpoint `endpoint` (`https://mail.contoso.com/EWS/Exchange.asmx`).
    pub fn new(endpoint: impl Into<String>, credentials: Credentials) -> Self {
        Self {
            endpoint: endpoint.into(),
            credentials,
            settings: Settings {
                version: ExchangeVersion::Exchange2016,
                negotiate_version: true,
                retry: RetryPolicy::default(),
                max_response_bytes: 64 * 1024 * 1024,
                parse_limits: ParseLimits::default(),
                time_zone_id: None,
                mailbox_culture: None,
                user_agent: concat!("ews-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            },
            max_concurrent_requests: 10,
            allow_insecure_loopback_http: false,
            jitter_seed: 0x0005_EED0_FE55,
        }
    }

    /// The `RequestServerVersion` to send first.
    pub fn version(mut self, version: ExchangeVersion) -> Self {
        self.settings.version = version;
        self
    }

    /// Whether to step down through [`ExchangeVersion::NEGOTIATION_ORDER`] when the server refuses the
    /// version (default true). Without it the configured version is always sent.
    pub fn negotiate_version(mut self, negotiate: bool) -> Self {
        self.settings.negotiate_version = negotiate;
        self
    }

    /// The retry budget of each request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Refuses response bodies larger than this (default 64 MiB), with [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.settings.max_response_bytes = limit;
        self
    }

    /// Limits on parsing responses (nesting depth, text size).
    pub fn parse_limits(mut self, limits: ParseLimits) -> Self {
        self.settings.parse_limits = limits;
        self
    }

    /// At most this many requests in flight at once (default 10; at least 1).
    pub fn max_concurrent_requests(mut self, limit: usize) -> Self {
        self.max_concurrent_requests = limit.max(1);
        self
    }

    /// Sends `TimeZoneContext` with this server-known time zone id (for example
    /// `W. Europe Standard Time`) on every request.
    pub fn time_zone(mut self, id: impl Into<String>) -> Self {
        self.settings.time_zone_id = Some(id.into());
        self
    }

    /// Sends `MailboxCulture` (for example `en-US`) on every request.
    pub fn mailbox_culture(mut self, culture: impl Into<String>) -> Self {
        self.settings.mailbox_culture = Some(culture.into());
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// Allows credentials over plain `http://` when the endpoint's host is a loopback address
    /// (`127.0.0.1`, `[::1]`, `localhost`). For tests and local simulators only; any other plain http
    /// endpoint is refused whatever this says.
    pub fn allow_insecure_loopback_http(mut self, allow: bool) -> Self {
        self.allow_insecure_loopback_http = allow;
        self
    }

    /// Seeds the jitter of exponential back-off, for reproducible tests.
    pub fn jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = seed;
        self
    }

    /// Builds the client over `transport` and `clock`.
    pub fn build<T: Transport, C: Clock>(self, transport: T, clock: C) -> Result<EwsClient<T, C>> {
        let endpoint: http::Uri = self.endpoint.parse().map_err(|e| {
            Error::Config(format!(
                "the endpoint {:?} is not a URL: {e}",
                without_user_info(&self.endpoint)
            ))
        })?;
        check_endpoint(&endpoint, self.allow_insecure_loopback_http)?;
        self.credentials.validate()?;
        Ok(EwsClient {
            transport,
            clock,
            endpoint_text: endpoint.to_string(),
            endpoint,
            credentials: self.credentials,
            settings: self.settings,
            pool: Mutex::new(Vec::new()),
            max_idle: self.max_concurrent_requests,
            permits: Semaphore::new(self.max_concurrent_requests),
            gate: BackOffGate::default(),
            jitter: Jitter::new(self.jitter_seed),
            mailboxes: Mutex::new(HashMap::new()),
            token: Mutex::new(None),
        })
    }
}

/// Credentials go only over https, or over http to a loopback host when the caller opted in.
fn check_endpoint(endpoint: &http::Uri, allow_loopback_http: bool) -> Result<()> {
    let refuse = |reason: &str| Error::InsecureEndpoint {
        url: without_user_info(&endpoint.to_string()),
        reason: reason.to_owned(),
    };
    let host = endpoint
        .host()
        .ok_or_else(|| refuse("the URL has no host"))?;
    if endpoint
        .authority()
        .is_some_and(|a| a.as_str().contains('@'))
    {
        return Err(refuse(
            "the URL must not carry a user name or password; pass credentials separately",
        ));
    }
    match endpoint.scheme_str() {
        Some("https") => Ok(()),
        Some("http") if !allow_loopback_http => Err(refuse(
            "plain http exposes credentials; use https (tests may opt into loopback http)",
        )),
        Some("http") if is_loopback(host) => Ok(()),
        Some("http") => Err(refuse("plain http is only allowed to a loopback address")),
        _ => Err(refuse("only https endpoints are supported")),
    }
}

/// `url` with any user name and password before the host replaced by `***`, for error messages.
fn without_user_info(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let start = scheme_end + 3;
    let authority_len = url[start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - start);
    match url[start..start + authority_len].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &url[start + at..]),
        None => url.to_owned(),
    }
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, allow: bool) -> Result<()> {
        check_endpoint(&url.parse().unwrap(), allow)
    }

    #[test]
    fn an_endpoint_with_user_info_is_refused_without_repeating_it() {
        for url in [
            "https://alice:Secret123@mail.contoso.example/EWS/Exchange.asmx",
            "http://alice:Secret123@127.0.0.1/EWS/Exchange.asmx",
        ] {
            let err = check(url, true).unwrap_err();
            let shown = format!("{err} {err:?}");
            assert!(
                !shown.contains("Secret123") && !shown.contains("alice"),
                "{shown}"
            );
            assert!(shown.contains("user name or password"), "{shown}");
        }
    }

    #[test]
    fn credentials_go_over_https_or_opted_in_loopback_http_only() {
        assert!(check("https://mail.contoso.com/EWS/Exchange.asmx", false).is_ok());
        assert!(check("http://127.0.0.1:8080/EWS/Exchange.asmx", true).is_ok());
        assert!(check("http://[::1]:8080/EWS/Exchange.asmx", true).is_ok());
        assert!(check("http://localhost/EWS/Exchange.asmx", true).is_ok());
        assert!(check("http://127.0.0.1:8080/EWS/Exchange.asmx", false).is_err());
        assert!(check("http://mail.contoso.com/EWS/Exchange.asmx", true).is_err());
        assert!(check("http://127.0.0.1.evil.com/EWS/Exchange.asmx", true).is_err());
        assert!(check("ftp://mail.contoso.com/", true).is_err());
    }
}
