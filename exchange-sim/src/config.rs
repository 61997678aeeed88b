//! Who exists in the simulated organization and how they sign in.

use std::fmt;

/// A password or client secret: never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Password(secret.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}

/// A user with a mailbox and a password (for Basic and NTLM), or the service account.
#[derive(Debug, Clone)]
pub struct UserConfig {
    /// The primary SMTP address (also the user principal name).
    pub address: String,
    /// The display name.
    pub display_name: String,
    /// The password.
    pub password: Password,
    /// Whether the account has a mailbox (the service account has none unless asked).
    pub has_mailbox: bool,
}

impl UserConfig {
    /// The local part of the address: the NTLM and `DOMAIN\user` user name.
    pub fn user_name(&self) -> &str {
        self.address.split('@').next().unwrap_or(&self.address)
    }

    /// Whether `name` names this user: the address, the local part, or `DOMAIN\local part`, ignoring
    /// case.
    pub(crate) fn answers_to(&self, name: &str) -> bool {
        let name = name.rsplit('\\').next().unwrap_or(name);
        name.eq_ignore_ascii_case(&self.address) || name.eq_ignore_ascii_case(self.user_name())
    }
}

/// An application registered for the OAuth flows (client credentials, authorization code, device code,
/// refresh).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The application (client) id.
    pub client_id: String,
    /// The client secret (`None` for a public client).
    pub secret: Option<Password>,
}

/// Where Autodiscover sends a client instead of answering (for testing redirects).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AutodiscoverRedirect {
    /// POX `redirectAddr`: try again with this address.
    Address(String),
    /// POX `redirectUrl` (and the JSON answer's `Url`): ask this endpoint instead.
    Url(String),
    /// HTTP 302 to this location.
    Http(String),
}

/// A distribution list of the organization, expanded by ExpandDL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionList {
    /// The list's SMTP address.
    pub address: String,
    /// Its display name.
    pub display_name: String,
    /// The members' SMTP addresses (users, outside addresses or other lists).
    pub members: Vec<String>,
}

/// Everything the builder collected.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) users: Vec<UserConfig>,
    pub(crate) service_account: Option<String>,
    pub(crate) apps: Vec<AppConfig>,
    pub(crate) tenant: String,
    pub(crate) https: bool,
    pub(crate) autodiscover_redirects: Vec<(String, AutodiscoverRedirect)>,
    pub(crate) distribution_lists: Vec<DistributionList>,
}

impl Config {
    pub(crate) fn user(&self, name: &str) -> Option<&UserConfig> {
        self.users.iter().find(|u| u.answers_to(name))
    }

    /// The distribution list with this address (case-insensitive).
    pub(crate) fn distribution_list(&self, address: &str) -> Option<&DistributionList> {
        self.distribution_lists
            .iter()
            .find(|l| l.address.eq_ignore_ascii_case(address.trim()))
    }

    pub(crate) fn app(&self, client_id: &str) -> Option<&AppConfig> {
        self.apps.iter().find(|a| a.client_id == client_id)
    }

    /// Whether `address` is the service account allowed to impersonate.
    pub(crate) fn is_service_account(&self, address: &str) -> bool {
        self.service_account
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case(address))
    }
}
