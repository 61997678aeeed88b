//! A thin async driver: runs an [`Autodiscover`] machine to completion over caller-supplied
//! HTTP, SRV and confirmation implementations. No runtime is forced on callers; the returned future
//! is `Send` when the implementations are, so it can run in the background
//! (`tokio::spawn(driver::run(machine, transport, resolver, confirmer))`).
//!
//! The transport receives the machine's [`CredentialGrant`] decision with each request and is the
//! only place credentials live: it must attach them only when the grant is `Some` and
//! [`CredentialGrant::permits`] the request's URI, use only [`CredentialGrant::schemes`], never
//! follow redirects, and validate TLS certificates.

use std::future::Future;

use bytes::Bytes;

use crate::{
    Autodiscover, ConfirmRedirect, CredentialGrant, Effect, Error, SrvRecord, Success,
    TransportErrorKind,
};

/// Sends one HTTP request without following redirects.
pub trait HttpTransport {
    /// Sends `request`. Attach credentials only if `credentials` is `Some` and permits the URI.
    fn send(
        &self,
        request: http::Request<Bytes>,
        credentials: Option<&CredentialGrant>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportErrorKind>> + Send;
}

/// Resolves SRV records.
pub trait SrvResolver {
    /// The records of `name` (an empty list when there are none).
    fn resolve(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Vec<SrvRecord>, TransportErrorKind>> + Send;
}

/// Answers confirmation prompts (a UI, or a fixed policy).
pub trait Confirmer {
    /// `true` to trust the target.
    fn confirm(&self, prompt: &ConfirmRedirect) -> impl Future<Output = bool> + Send;
}

/// A resolver for callers without SRV support: every lookup finds nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSrv;

impl SrvResolver for NoSrv {
    fn resolve(
        &self,
        _name: &str,
    ) -> impl Future<Output = Result<Vec<SrvRecord>, TransportErrorKind>> + Send {
        std::future::ready(Ok(Vec::new()))
    }
}

/// The headless policy: decline every prompt (pre-fill the allow-list instead).
#[derive(Debug, Clone, Copy, Default)]
pub struct DeclineAll;

impl Confirmer for DeclineAll {
    fn confirm(&self, _prompt: &ConfirmRedirect) -> impl Future<Output = bool> + Send {
        std::future::ready(false)
    }
}

/// Runs `machine` to completion.
pub async fn run<T, R, C>(
    mut machine: Autodiscover,
    transport: T,
    resolver: R,
    confirmer: C,
) -> Result<Success, Error>
where
    T: HttpTransport,
    R: SrvResolver,
    C: Confirmer,
{
    loop {
        let Some(effect) = machine.poll_effect() else {
            // Only reachable if the machine waits for an input it never asked for: a bug.
            return Err(machine.error().cloned().unwrap_or(Error::UnexpectedInput {
                token: 0,
                expected: "an effect from the machine",
            }));
        };
        match effect {
            Effect::SendHttp(send) => {
                let credentials = send
                    .credentials
                    .as_ref()
                    .filter(|grant| grant.permits(send.request.uri()));
                match transport.send(send.request.clone(), credentials).await {
                    Ok(response) => machine.handle_http(send.token, response)?,
                    Err(kind) => machine.handle_transport_error(send.token, kind)?,
                }
            }
            Effect::ResolveSrv { token, name } => {
                let answer = resolver.resolve(&name).await;
                machine.handle_srv(token, answer)?;
            }
            Effect::ConfirmRedirect(prompt) => {
                let accept = confirmer.confirm(&prompt).await;
                machine.handle_decision(prompt.token, accept)?;
            }
            Effect::Done(success) => return Ok(*success),
            Effect::Failed(error) => return Err(error),
        }
    }
}

impl<T: HttpTransport + Sync> HttpTransport for &T {
    fn send(
        &self,
        request: http::Request<Bytes>,
        credentials: Option<&CredentialGrant>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportErrorKind>> + Send {
        (**self).send(request, credentials)
    }
}

impl<R: SrvResolver + Sync> SrvResolver for &R {
    fn resolve(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Vec<SrvRecord>, TransportErrorKind>> + Send {
        (**self).resolve(name)
    }
}

impl<C: Confirmer + Sync> Confirmer for &C {
    fn confirm(&self, prompt: &ConfirmRedirect) -> impl Future<Output = bool> + Send {
        (**self).confirm(prompt)
    }
}
