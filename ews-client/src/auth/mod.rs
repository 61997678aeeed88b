//! [`Credentials`]: Basic, NTLMv2, and OAuth2 bearer tokens from a caller-supplied [`TokenProvider`].
//!
//! Secrets live in [`Secret`], so `Debug` output of credentials (and of the client) never shows them.
//! The client sends credentials only to its endpoint, and only over https unless the caller opted into
//! plain http to a loopback address ([`crate::ClientBuilder::allow_insecure_loopback_http`]).

pub(crate) mod ntlm;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The error a [`TokenProvider`] returns.
pub type TokenError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// Supplies OAuth2 access tokens for EWS (scope `https://outlook.office365.com/.default` for app-only
/// access with `full_access_as_app`, or `EWS.AccessAsUser.All` for delegated access).
///
/// The client keeps the token it got and asks again only when the server refuses it: with
/// `refresh = false` when it has no token yet, and once with `refresh = true` after a 401, when a
/// cached token must not be handed out again. A second 401 becomes [`Error::Unauthorized`].
pub trait TokenProvider: Send + Sync {
    /// Returns an access token.
    fn access_token(&self, refresh: bool) -> TokenFuture<'_>;
}

/// Whether a bearer token acts for an application or for a signed-in user: this decides the
/// `ExchangeImpersonation` header, which app-only tokens require and delegated tokens must not send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenKind {
    /// An application token (`full_access_as_app`): every request names a mailbox to impersonate.
    AppOnly,
    /// A user's token (`EWS.AccessAsUser.All`): requests act as that user and never impersonate.
    Delegated,
}

/// A user name and domain for NTLM: `DOMAIN\user` or a UPN (`user@example.com`, domain left empty).
#[derive(Clone, PartialEq, Eq)]
pub struct NtlmCredentials {
    pub(crate) domain: String,
    pub(crate) username: String,
    pub(crate) password: Secret,
    pub(crate) workstation: String,
}

impl NtlmCredentials {
    /// Parses `DOMAIN\user`, or takes a UPN or a bare user name with an empty domain.
    pub fn new(user: &str, password: Secret) -> Self {
        let (domain, username) = match user.split_once('\\') {
            Some((domain, username)) => (domain.to_owned(), username.to_owned()),
            None => (String::new(), user.to_owned()),
        };
        Self {
            domain,
            username,
            password,
            workstation: String::new(),
        }
    }

    /// Names this machine in the handshake (empty by default; some servers log it).
    pub fn with_workstation(mut self, workstation: impl Into<String>) -> Self {
        self.workstation = workstation.into();
        self
    }

    /// The domain part (empty for a UPN).
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The user part (the whole UPN for the UPN form).
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for NtlmCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NtlmCredentials")
            .field("domain", &self.domain)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("workstation", &self.workstation)
            .finish()
    }
}

/// How the client authenticates.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// HTTP Basic: the user name (UPN or `DOMAIN\user`) and password on every request.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// NTLMv2 over a kept connection (negotiate, challenge, authenticate).
    Ntlm(NtlmCredentials),
    /// OAuth2 bearer tokens from a provider.
    Bearer {
        /// Where tokens come from.
        provider: Arc<dyn TokenProvider>,
        /// Application or user token.
        kind: TokenKind,
    },
}

impl Credentials {
    /// HTTP Basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// NTLMv2 credentials for `DOMAIN\user` or a UPN.
    pub fn ntlm(user: &str, password: impl Into<Secret>) -> Self {
        Credentials::Ntlm(NtlmCredentials::new(user, password.into()))
    }

    /// App-only OAuth2 (`full_access_as_app`): every request must name a mailbox.
    pub fn app_only(provider: impl TokenProvider + 'static) -> Self {
        Credentials::Bearer {
            provider: Arc::new(provider),
            kind: TokenKind::AppOnly,
        }
    }

    /// Delegated OAuth2 (`EWS.AccessAsUser.All`): requests act as the signed-in user.
    pub fn delegated(provider: impl TokenProvider + 'static) -> Self {
        Credentials::Bearer {
            provider: Arc::new(provider),
            kind: TokenKind::Delegated,
        }
    }

    /// Checks that the credential is usable at all (a user name, a password).
    pub(crate) fn validate(&self) -> Result<()> {
        let empty = match self {
            Credentials::Basic { username, password } => username.is_empty() || password.is_empty(),
            Credentials::Ntlm(ntlm) => ntlm.username.is_empty() || ntlm.password.is_empty(),
            Credentials::Bearer { .. } => false,
        };
        if empty {
            return Err(Error::Config(
                "the user name and the password must not be empty".into(),
            ));
        }
        Ok(())
    }

    /// The `Authorization` value for Basic.
    pub(crate) fn basic_header(username: &str, password: &Secret) -> String {
        let pair = format!("{username}:{}", password.expose());
        format!("Basic {}", BASE64.encode(pair))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { username, password } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", password)
                .finish(),
            Credentials::Ntlm(ntlm) => ntlm.fmt(f),
            Credentials::Bearer { kind, .. } => f
                .debug_struct("Bearer")
                .field("kind", kind)
                .finish_non_exhaustive(),
        }
    }
}
