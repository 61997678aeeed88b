//! [`MailboxClient::test_connection`]: one cheap call that proves the endpoint, the credentials, the
//! impersonation rights and the schema version, with errors a settings screen can show.

use ews_types::operations::{ResolveNames, ResolveNamesSearchScope};
use ews_types::response::ResponseCode;
use ews_types::soap::{ExchangeVersion, Impersonation, ServerVersionInfo};

use crate::auth::Credentials;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::mailbox_client::{MailboxClient, missing};
use crate::transport::Transport;

/// What [`MailboxClient::test_connection`] found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConnectionCheck {
    /// The name that was resolved.
    pub name: String,
    /// The addresses it resolved to (empty when the directory knows no such name).
    pub addresses: Vec<String>,
    /// The schema version the server accepted (after any negotiation).
    pub version: ExchangeVersion,
    /// The server's build, when it said.
    pub server_version: Option<ServerVersionInfo>,
}

impl<T: Transport, C: Clock> MailboxClient<'_, T, C> {
    /// Resolves this mailbox's own name in the directory (ResolveNames).
    ///
    /// The name is the mailbox's anchor or impersonated SMTP address or UPN, or else the signed-in user
    /// name. Refused credentials are [`Error::Unauthorized`]; a mailbox the server does not know
    /// (`ErrorNonExistentMailbox`) is [`Error::MailboxNotFound`]; missing impersonation rights keep the
    /// server's code (`ErrorImpersonateUserDenied`...).
    pub async fn test_connection(&self) -> Result<ConnectionCheck> {
        let name = self.name_to_resolve()?;
        let request =
            ResolveNames::new(name.clone()).searching(ResolveNamesSearchScope::ActiveDirectory);
        let not_found = |message: String| Error::MailboxNotFound {
            mailbox: self.target().describe(),
            message,
        };
        let response = match self.execute(&request).await {
            Err(error) if error.response_code() == Some(ResponseCode::ErrorNonExistentMailbox) => {
                return Err(not_found(error.to_string()));
            }
            other => other?,
        };
        let addresses = match response
            .messages
            .into_iter()
            .next()
            .map(|m| m.into_result())
        {
            Some(Ok(body)) => body
                .resolution_set
                .map(|set| set.resolutions)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| r.mailbox.email_address)
                .collect(),
            Some(Err(error)) => match error.code {
                Some(ResponseCode::ErrorNameResolutionNoResults) => Vec::new(),
                Some(ResponseCode::ErrorNonExistentMailbox) => {
                    return Err(not_found(error.text.unwrap_or_default()));
                }
                _ => return Err(Error::Message(Box::new(error))),
            },
            None => {
                let error = missing("the ResolveNames response held no message");
                return Err(Error::Message(Box::new(error)));
            }
        };
        let client = self.client();
        Ok(ConnectionCheck {
            name,
            addresses,
            version: client.version_for(self.target()),
            server_version: client.server_version(self.target()),
        })
    }

    fn name_to_resolve(&self) -> Result<String> {
        let mailbox = self.target();
        if let Some(anchor) = mailbox.anchor() {
            return Ok(anchor.to_owned());
        }
        if let Some(Impersonation::PrincipalName(upn)) = mailbox.impersonation() {
            return Ok(upn.clone());
        }
        match &self.client().credentials {
            Credentials::Basic { username, .. } if mailbox.impersonation().is_none() => {
                Ok(username.clone())
            }
            Credentials::Ntlm(ntlm) if mailbox.impersonation().is_none() => {
                Ok(ntlm.username().to_owned())
            }
            _ => Err(Error::Config(
                "no name to resolve: give the mailbox an anchor (Mailbox::with_anchor)".into(),
            )),
        }
    }
}
