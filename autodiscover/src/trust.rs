//! Host patterns, the public-suffix predicate and the trust set.

use std::fmt;
use std::sync::Arc;

use crate::Error;
use crate::address::normalize_host_name;

/// A host pattern for the caller allow-list: an exact host (`outlook.office365.com`) or a wildcard
/// over proper subdomains (`*.outlook.com` matches `a.outlook.com`, not `outlook.com`).
///
/// ```
/// use autodiscover::HostPattern;
/// let p: HostPattern = "*.onmicrosoft.com".parse().unwrap();
/// assert!(p.matches("contoso.mail.onmicrosoft.com"));
/// assert!(!p.matches("onmicrosoft.com"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct HostPattern {
    host: String,
    subdomains_only: bool,
}

impl HostPattern {
    /// Parses `host` or `*.host`; the host is normalized like an email domain.
    pub fn parse(pattern: &str) -> Result<Self, Error> {
        let (rest, subdomains_only) = match pattern.trim().strip_prefix("*.") {
            Some(rest) => (rest, true),
            None => (pattern.trim(), false),
        };
        let host = normalize_host_name(rest).map_err(|reason| Error::InvalidHostPattern {
            pattern: pattern.to_owned(),
            reason,
        })?;
        Ok(Self {
            host,
            subdomains_only,
        })
    }

    pub(crate) fn exact(host: &str) -> Self {
        Self {
            host: host.to_ascii_lowercase(),
            subdomains_only: false,
        }
    }

    /// Whether `host` (lowercase, no trailing dot) matches.
    pub fn matches(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if self.subdomains_only {
            is_proper_subdomain(&host, &self.host)
        } else {
            host == self.host
        }
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.subdomains_only {
            write!(f, "*.{}", self.host)
        } else {
            f.write_str(&self.host)
        }
    }
}

impl fmt::Debug for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HostPattern({self})")
    }
}

impl std::str::FromStr for HostPattern {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s)
    }
}

/// `host` is `parent` or ends in `.parent`.
pub(crate) fn is_same_or_subdomain(host: &str, parent: &str) -> bool {
    host == parent || is_proper_subdomain(host, parent)
}

fn is_proper_subdomain(host: &str, parent: &str) -> bool {
    host.len() > parent.len() + 1
        && host.ends_with(parent)
        && host.as_bytes()[host.len() - parent.len() - 1] == b'.'
}

/// The public-suffix predicate: says whether a lowercase host name is a public suffix (`com`,
/// `co.uk`, `github.io`), i.e. a name under which anyone may register. Required configuration.
///
/// With the default `psl` feature, [`PublicSuffix::mozilla`] uses the Mozilla Public Suffix List
/// compiled into the `psl` crate; a caller may supply its own list with [`PublicSuffix::custom`].
#[derive(Clone)]
pub struct PublicSuffix(Arc<dyn Fn(&str) -> bool + Send + Sync>);

impl PublicSuffix {
    /// A caller-supplied predicate.
    pub fn custom(is_public_suffix: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(is_public_suffix))
    }

    /// The Mozilla Public Suffix List (ICANN and private sections) via the `psl` crate. A name is a
    /// public suffix when the list's longest matching rule covers the whole name; names under an
    /// unlisted top-level domain count by the list's default `*` rule (so `test` is one).
    ///
    /// ```
    /// let psl = autodiscover::PublicSuffix::mozilla();
    /// assert!(psl.is_public_suffix("co.uk"));
    /// assert!(!psl.is_public_suffix("example.co.uk"));
    /// ```
    #[cfg(feature = "psl")]
    pub fn mozilla() -> Self {
        Self::custom(|name: &str| {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            match psl::suffix(name.as_bytes()) {
                Some(suffix) => suffix.as_bytes().len() == name.len(),
                // No rule at all: treat as a suffix, the safe answer.
                None => true,
            }
        })
    }

    /// Whether `name` is a public suffix.
    pub fn is_public_suffix(&self, name: &str) -> bool {
        (self.0)(name)
    }
}

impl fmt::Debug for PublicSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicSuffix(..)")
    }
}

/// Invariant I2 as a predicate on any host the machine may contact: not a public suffix, not a
/// single label, and not `autodiscover.` followed by a public suffix.
pub(crate) fn host_is_contactable(host: &str, psl: &PublicSuffix) -> bool {
    if !host.contains('.') || psl.is_public_suffix(host) {
        return false;
    }
    match host.strip_prefix("autodiscover.") {
        Some(rest) => rest.contains('.') && !psl.is_public_suffix(rest),
        None => true,
    }
}

/// Why a host is trusted with credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrustLevel {
    /// An email domain (original or accepted redirect) or a subdomain of one, or the allow-list.
    Configured,
    /// Trusted only because the user accepted a `ConfirmRedirect` for this exact host.
    Confirmed,
}

/// The hosts that may receive credentials: email domains and their subdomains, the caller
/// allow-list (including SCP URL hosts) and hosts the user confirmed.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrustSet {
    domains: Vec<(String, TrustLevel)>,
    allow_list: Vec<HostPattern>,
    confirmed_hosts: Vec<String>,
}

impl TrustSet {
    pub(crate) fn new(allow_list: Vec<HostPattern>) -> Self {
        Self {
            domains: Vec::new(),
            allow_list,
            confirmed_hosts: Vec::new(),
        }
    }

    /// Trusts `domain` and its subdomains: `Configured` for the original email domain (and address
    /// redirects inside the trust set), `Confirmed` for a domain the user accepted.
    pub(crate) fn add_domain(&mut self, domain: &str, level: TrustLevel) {
        if !self.domains.iter().any(|(d, _)| d == domain) {
            self.domains.push((domain.to_owned(), level));
        }
    }

    pub(crate) fn add_confirmed_host(&mut self, host: &str) {
        let host = host.to_ascii_lowercase();
        if !self.confirmed_hosts.contains(&host) {
            self.confirmed_hosts.push(host);
        }
    }

    pub(crate) fn allow_listed(&self, host: &str) -> bool {
        self.allow_list.iter().any(|p| p.matches(host))
    }

    pub(crate) fn level(&self, host: &str) -> Option<TrustLevel> {
        let host = host.to_ascii_lowercase();
        let in_domain = |wanted: TrustLevel| {
            self.domains
                .iter()
                .any(|(d, level)| *level == wanted && is_same_or_subdomain(&host, d))
        };
        if in_domain(TrustLevel::Configured) || self.allow_listed(&host) {
            Some(TrustLevel::Configured)
        } else if in_domain(TrustLevel::Confirmed) || self.confirmed_hosts.contains(&host) {
            Some(TrustLevel::Confirmed)
        } else {
            None
        }
    }

    pub(crate) fn contains(&self, host: &str) -> bool {
        self.level(host).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomain_matching_is_label_aligned() {
        assert!(is_same_or_subdomain("a.example.com", "example.com"));
        assert!(is_same_or_subdomain("example.com", "example.com"));
        assert!(!is_same_or_subdomain("badexample.com", "example.com"));
        assert!(!is_same_or_subdomain("com", "example.com"));
    }

    #[cfg(feature = "psl")]
    #[test]
    fn contactable_hosts() {
        let psl = PublicSuffix::mozilla();
        for bad in [
            "co.uk",
            "autodiscover.co.uk",
            "com",
            "autodiscover.com",
            "localhost",
            "github.io",
        ] {
            assert!(!host_is_contactable(bad, &psl), "{bad}");
        }
        for good in ["example.co.uk", "autodiscover.example.co.uk", "contoso.com"] {
            assert!(host_is_contactable(good, &psl), "{good}");
        }
    }
}
