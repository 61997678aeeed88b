//! Discovery configuration.

use url::Url;

use crate::trust::{HostPattern, PublicSuffix};
use crate::{EmailAddress, Error};

/// Which Autodiscover protocol to speak to the candidate endpoints.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[non_exhaustive]
pub enum Method {
    /// SOAP `GetUserSettings` on `…/autodiscover/autodiscover.svc` (Exchange 2010 and later).
    #[default]
    Soap,
    /// Plain-old-XML on `…/autodiscover/autodiscover.xml` (Exchange 2007 SP1 and later, Exchange
    /// Online).
    Pox,
}

impl Method {
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Method::Soap => "svc",
            Method::Pox => "xml",
        }
    }
}

/// An authentication scheme the caller's HTTP layer may use with the credentials.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthScheme {
    /// OAuth 2.0 bearer token (adds `X-AnchorMailbox` to requests).
    Bearer,
    /// NTLM (a handshake the transport completes on its own).
    Ntlm,
    /// Negotiate (Kerberos/NTLM).
    Negotiate,
    /// HTTP Basic: a cleartext password. Off unless listed; even then only for hosts in the email
    /// domain, its subdomains or the allow-list, never for hosts trusted only by a confirmation.
    Basic,
}

/// Hard limits on a discovery run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// URL redirects (30x and in-band `redirectUrl`), in total. Default 10, Microsoft's figure.
    pub url_redirects: u32,
    /// Address redirects (`redirectAddr`/`RedirectAddress`). Default 3.
    pub address_redirects: u32,
    /// HTTP requests in all. Default 24.
    pub requests: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            url_redirects: 10,
            address_redirects: 3,
            requests: 24,
        }
    }
}

/// Everything a discovery run needs up front. Build with [`Config::new`] and the `with_*` methods.
///
/// ```
/// use autodiscover::{AuthScheme, Config, Method, PublicSuffix};
/// let config = Config::new("mara@contoso.com", PublicSuffix::mozilla())?
///     .with_method(Method::Pox)
///     .with_auth(vec![AuthScheme::Ntlm])
///     .with_allow_list(["*.onmicrosoft.com"])?;
/// assert_eq!(config.email().domain(), "contoso.com");
/// # Ok::<(), autodiscover::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) email: EmailAddress,
    pub(crate) method: Method,
    pub(crate) scp_urls: Vec<Url>,
    pub(crate) allow_list: Vec<HostPattern>,
    pub(crate) public_suffix: PublicSuffix,
    pub(crate) allow_http_probe: bool,
    pub(crate) allow_srv: bool,
    pub(crate) json_v2: bool,
    pub(crate) json_v2_cloud: bool,
    pub(crate) allowed_ports: Vec<u16>,
    pub(crate) auth: Vec<AuthScheme>,
    pub(crate) limits: Limits,
    pub(crate) srv_seed: Option<u64>,
    pub(crate) requested_server_version: String,
    pub(crate) cached_endpoint: Option<Url>,
}

/// Microsoft's cloud host for the JSON v2 endpoint (second opt-in).
pub(crate) const CLOUD_JSON_HOST: &str = "outlook.office365.com";

impl Config {
    /// A configuration with the documented defaults: SOAP, no SCP URLs, empty allow-list, HTTP probe
    /// and SRV on, JSON v2 off, port 443 only, NTLM and Bearer (no Basic), the default [`Limits`],
    /// highest-weight SRV choice, `RequestedServerVersion` `Exchange2013`.
    ///
    /// Fails with [`Error::InvalidEmailAddress`] for a malformed address and [`Error::InvalidDomain`]
    /// for a domain that is a public suffix, a single label or an IP literal.
    pub fn new(email: &str, public_suffix: PublicSuffix) -> Result<Self, Error> {
        let email = EmailAddress::parse(email)?;
        check_domain(email.domain(), &public_suffix)?;
        Ok(Self {
            email,
            method: Method::default(),
            scp_urls: Vec::new(),
            allow_list: Vec::new(),
            public_suffix,
            allow_http_probe: true,
            allow_srv: true,
            json_v2: false,
            json_v2_cloud: false,
            allowed_ports: vec![443],
            auth: vec![AuthScheme::Ntlm, AuthScheme::Bearer],
            limits: Limits::default(),
            srv_seed: None,
            requested_server_version: "Exchange2013".into(),
            cached_endpoint: None,
        })
    }

    /// The validated email address.
    pub fn email(&self) -> &EmailAddress {
        &self.email
    }

    /// The allow-list, including the hosts of SCP URLs.
    pub fn allow_list(&self) -> &[HostPattern] {
        &self.allow_list
    }

    /// The SCP URLs, in order.
    pub fn scp_urls(&self) -> &[Url] {
        &self.scp_urls
    }

    /// SOAP (default) or POX.
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// SCP URLs from Active Directory, tried first. They are a caller assertion: their hosts join
    /// the allow-list. Each must be `https`, without user info.
    pub fn with_scp_urls<I, S>(mut self, urls: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for raw in urls {
            let raw = raw.as_ref();
            let bad = |reason: &str| Error::InvalidScpUrl {
                url: raw.to_owned(),
                reason: reason.to_owned(),
            };
            let url = Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
            if url.scheme() != "https" {
                return Err(bad("SCP URLs must use https"));
            }
            if !url.username().is_empty() || url.password().is_some() {
                return Err(bad("SCP URLs must not contain user info"));
            }
            let host = url.host_str().ok_or_else(|| bad("the URL has no host"))?;
            self.allow_list.push(HostPattern::exact(host));
            self.scp_urls.push(url);
        }
        Ok(self)
    }

    /// Host patterns (`host` or `*.host`) trusted with credentials and redirects without a prompt.
    pub fn with_allow_list<I, S>(mut self, patterns: I) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for p in patterns {
            self.allow_list.push(HostPattern::parse(p.as_ref())?);
        }
        Ok(self)
    }

    /// Whether to try the unauthenticated `http://autodiscover.DOMAIN` redirect probe (default on).
    pub fn with_http_probe(mut self, allow: bool) -> Self {
        self.allow_http_probe = allow;
        self
    }

    /// Whether to look up `_autodiscover._tcp.DOMAIN` SRV records (default on).
    pub fn with_srv(mut self, allow: bool) -> Self {
        self.allow_srv = allow;
        self
    }

    /// Opt in to the JSON v2 endpoint at the domain and `autodiscover.` host (default off).
    pub fn with_json_v2(mut self, enabled: bool) -> Self {
        self.json_v2 = enabled;
        self
    }

    /// Second opt-in: also ask Microsoft's cloud host `outlook.office365.com` (discloses the address
    /// to Microsoft). Only effective together with [`with_json_v2`](Self::with_json_v2).
    pub fn with_json_v2_cloud(mut self, enabled: bool) -> Self {
        self.json_v2_cloud = enabled;
        self
    }

    /// Ports credentials may be sent to (default `[443]`).
    pub fn with_allowed_ports(mut self, ports: Vec<u16>) -> Self {
        self.allowed_ports = ports;
        self
    }

    /// Acceptable authentication schemes (default NTLM and Bearer). The machine never changes them in
    /// response to a server challenge.
    pub fn with_auth(mut self, schemes: Vec<AuthScheme>) -> Self {
        self.auth = schemes;
        self
    }

    /// Redirect and request limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Seed for the RFC 2782 weighted choice among SRV records of equal priority. Without a seed the
    /// highest weight wins (deterministic).
    pub fn with_srv_seed(mut self, seed: u64) -> Self {
        self.srv_seed = Some(seed);
        self
    }

    /// Starts with a cached Autodiscover endpoint (from [`EndpointCache`](crate::EndpointCache)):
    /// it is tried first, as a trusted candidate (never with Basic unless it lies in the email
    /// domain or the allow-list); if it fails, discovery continues with the usual candidates. The
    /// URL must be `https` without user info.
    pub fn with_cached_endpoint(mut self, endpoint: Url) -> Result<Self, Error> {
        if endpoint.scheme() != "https"
            || !endpoint.username().is_empty()
            || endpoint.password().is_some()
            || endpoint.host_str().is_none()
        {
            return Err(Error::InvalidScpUrl {
                url: endpoint.to_string(),
                reason: "a cached endpoint must be an https URL without user info".into(),
            });
        }
        self.cached_endpoint = Some(endpoint);
        Ok(self)
    }

    /// `RequestedServerVersion` for SOAP requests (default `Exchange2013`).
    pub fn with_requested_server_version(mut self, version: impl Into<String>) -> Self {
        self.requested_server_version = version.into();
        self
    }
}

/// Decision 5: a discovery domain must have two or more labels and not be a public suffix.
pub(crate) fn check_domain(domain: &str, psl: &PublicSuffix) -> Result<(), Error> {
    let reason = if !domain.contains('.') {
        Some("a single-label domain cannot be used for discovery")
    } else if psl.is_public_suffix(domain) {
        Some("the domain is a public suffix, where anyone may register names")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::InvalidDomain {
            domain: domain.to_owned(),
            reason: reason.to_owned(),
        }),
        None => Ok(()),
    }
}
