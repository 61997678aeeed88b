//! [`Mailbox`]: which mailbox a request acts on, and what the client remembers per mailbox.
//!
//! A service account serves many mailboxes through one client: each request names its target, which
//! becomes the `ExchangeImpersonation` SOAP header and the `X-AnchorMailbox` HTTP header that Exchange
//! Online routes by. Version negotiation, the last `ServerVersionInfo` and the back-end affinity cookie are
//! remembered per mailbox, because back ends differ.

use ews_types::soap::{ExchangeVersion, Impersonation, ServerVersionInfo};

/// The cookie Exchange sets to pin a mailbox's requests to one back-end server.
pub(crate) const BACKEND_COOKIE: &str = "X-BackEndOverrideCookie";

/// The mailbox a request acts on.
///
/// ```
/// use ews_client::Mailbox;
/// use ews_types::soap::Impersonation;
///
/// let by_smtp = Mailbox::smtp("alice@contoso.com");
/// assert_eq!(by_smtp.anchor(), Some("alice@contoso.com"));
///
/// // A UPN or SID saves the server a directory lookup, but Exchange Online still wants an anchor.
/// let by_upn = Mailbox::impersonate(Impersonation::PrincipalName("alice@contoso.com".into()))
///     .with_anchor("alice@contoso.com");
/// assert_eq!(by_upn.anchor(), Some("alice@contoso.com"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Mailbox {
    impersonation: Option<Impersonation>,
    anchor: Option<String>,
    server_affinity: bool,
}

impl Mailbox {
    /// The signed-in account's own mailbox: no impersonation.
    pub fn account() -> Self {
        Self::default()
    }

    /// Impersonates `target`; SMTP forms also become the `X-AnchorMailbox`.
    pub fn impersonate(target: Impersonation) -> Self {
        let anchor = target.smtp_address().map(str::to_owned);
        Self {
            impersonation: Some(target),
            anchor,
            server_affinity: false,
        }
    }

    /// Impersonates the mailbox with this primary SMTP address.
    pub fn smtp(address: impl Into<String>) -> Self {
        Self::impersonate(Impersonation::PrimarySmtpAddress(address.into()))
    }

    /// Sets the `X-AnchorMailbox` header (an SMTP address), for UPN or SID impersonation or for the
    /// account's own mailbox in Exchange Online.
    pub fn with_anchor(mut self, smtp_address: impl Into<String>) -> Self {
        self.anchor = Some(smtp_address.into());
        self
    }

    /// Asks for back-end affinity (`X-PreferServerAffinity: true`), which notification subscriptions
    /// need; the server's `X-BackEndOverrideCookie` is then sent back on this mailbox's requests.
    pub fn with_server_affinity(mut self) -> Self {
        self.server_affinity = true;
        self
    }

    /// The impersonation target, if any.
    pub fn impersonation(&self) -> Option<&Impersonation> {
        self.impersonation.as_ref()
    }

    /// The `X-AnchorMailbox` value, if any.
    pub fn anchor(&self) -> Option<&str> {
        self.anchor.as_deref()
    }

    /// Whether back-end affinity is requested.
    pub fn server_affinity(&self) -> bool {
        self.server_affinity
    }

    /// A readable name of the mailbox, for errors and logs.
    pub fn describe(&self) -> String {
        match &self.impersonation {
            None => "the account's own mailbox".to_owned(),
            Some(
                Impersonation::PrimarySmtpAddress(v)
                | Impersonation::SmtpAddress(v)
                | Impersonation::PrincipalName(v)
                | Impersonation::Sid(v),
            ) => v.clone(),
            Some(other) => format!("{other:?}"),
        }
    }

    /// The key of the per-mailbox state.
    pub(crate) fn key(&self) -> String {
        match &self.impersonation {
            None => String::new(),
            Some(target) => format!("{target:?}").to_lowercase(),
        }
    }
}

/// What the client remembers about one mailbox.
#[derive(Debug, Clone, Default)]
pub(crate) struct MailboxState {
    /// The schema version that was last accepted (or that negotiation settled on).
    pub(crate) version: Option<ExchangeVersion>,
    /// The last `ServerVersionInfo` seen.
    pub(crate) server_version: Option<ServerVersionInfo>,
    /// The back-end affinity cookie value.
    pub(crate) backend_cookie: Option<String>,
}

/// The value of the back-end cookie among `Set-Cookie` headers.
pub(crate) fn backend_cookie(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| {
            let pair = cookie.split(';').next()?.trim();
            let (name, value) = pair.split_once('=')?;
            (name.trim() == BACKEND_COOKIE && !value.trim().is_empty())
                .then(|| value.trim().to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_cookie_is_found_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.append(
            http::header::SET_COOKIE,
            "exchangecookie=abc; path=/".parse().unwrap(),
        );
        headers.append(
            http::header::SET_COOKIE,
            "X-BackEndOverrideCookie=EXCH01.contoso.com~1942062522; path=/; secure"
                .parse()
                .unwrap(),
        );
        assert_eq!(
            backend_cookie(&headers).as_deref(),
            Some("EXCH01.contoso.com~1942062522")
        );
    }

    #[test]
    fn mailbox_keys_ignore_case_and_tell_targets_apart() {
        assert_eq!(
            Mailbox::smtp("Alice@Contoso.com").key(),
            Mailbox::smtp("alice@contoso.com").key()
        );
        assert_ne!(
            Mailbox::smtp("alice@contoso.com").key(),
            Mailbox::account().key()
        );
    }
}
