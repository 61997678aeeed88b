//! [`EwsClient`]: sends any [`Operation`] over the caller's [`Transport`], with authentication,
//! impersonation, version negotiation, retries and the shared back-off gate.
//!
//! One call of [`EwsClient::execute_as`] goes through these steps:
//!
//! ```text
//!  build request ─▶ wait at the back-off gate ─▶ take a permit ─▶ connection (pooled or new)
//!   (version for      (closed while the server     (at most N        ─▶ authenticate and send
//!    this mailbox,     asked everyone to wait)      in flight)            (Basic / NTLM / Bearer)
//!    impersonation,                                                   ─▶ classify the answer:
//!    anchor, cookie)                                                     done │ retry │ step down │ fail
//! ```

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use ews_types::operations::{Operation, OperationResponse};
use ews_types::response::{ResponseClass, ResponseCode, ResponseError};
use ews_types::soap::{
    ExchangeVersion, RequestHeader, ResponseEnvelope, ServerVersionInfo, http_request,
    parse_response_with_limits,
};
use http::HeaderValue;
use http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, USER_AGENT, WWW_AUTHENTICATE};
use tokio::sync::Semaphore;

use crate::auth::{Credentials, NtlmCredentials, TokenKind, TokenProvider, ntlm};
use crate::clock::Clock;
use crate::config::Settings;
use crate::error::{Error, Result, TransportErrorKind, excerpt, is_throttling_code};
use crate::inspect::message_errors;
use crate::mailbox::{BACKEND_COOKIE, Mailbox, MailboxState, backend_cookie};
use crate::retry::{BackOffGate, Jitter, retry_after};
use crate::secret::Secret;
use crate::transport::Transport;

/// Operations that read only, so a request that may or may not have reached the server (a timeout, a
/// reset) can be sent again without doing anything twice.
const READ_ONLY_OPERATIONS: &[&str] = &[
    "GetFolder",
    "FindFolder",
    "FindItem",
    "GetItem",
    "SyncFolderItems",
    "SyncFolderHierarchy",
    "GetUserConfiguration",
    "ResolveNames",
    "ConvertId",
    "GetUserAvailability",
    "GetServerTimeZones",
    "GetAttachment",
    "GetRoomLists",
    "GetRooms",
    "ExpandDL",
    "GetUserOofSettings",
    "GetDelegate",
    "FindPeople",
];

/// A connection of the pool, with whether NTLM has authenticated it.
pub(crate) struct Pooled<C> {
    connection: C,
    authenticated: bool,
}

/// What one attempt came to.
enum Attempt<R> {
    Done(R),
    Fail(Error),
    /// Worth another try after `server_delay` (or an exponential delay); `shared` closes the gate for
    /// every request of this client.
    Retry {
        error: Error,
        server_delay: Option<Duration>,
        shared: bool,
    },
}

/// An EWS client over a caller-supplied transport and clock. Build one with
/// [`ClientBuilder`](crate::ClientBuilder); share it (`&self` everywhere, or an `Arc`) between tasks
/// and mailboxes.
pub struct EwsClient<T: Transport, C> {
    pub(crate) transport: T,
    pub(crate) clock: C,
    pub(crate) endpoint: http::Uri,
    pub(crate) endpoint_text: String,
    pub(crate) credentials: Credentials,
    pub(crate) settings: Settings,
    pub(crate) pool: Mutex<Vec<Pooled<T::Connection>>>,
    pub(crate) max_idle: usize,
    pub(crate) permits: Semaphore,
    pub(crate) gate: BackOffGate,
    pub(crate) jitter: Jitter,
    pub(crate) mailboxes: Mutex<HashMap<String, MailboxState>>,
    pub(crate) token: Mutex<Option<Secret>>,
}

impl<T: Transport, C> fmt::Debug for EwsClient<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EwsClient")
            .field("endpoint", &self.endpoint_text)
            .field("credentials", &self.credentials)
            .field("version", &self.settings.version)
            .field("retry", &self.settings.retry)
            .finish_non_exhaustive()
    }
}

fn lock<V>(mutex: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A copy of a request (`http::Request` is not `Clone`; the body is shared, not copied).
fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

fn header_value(value: &str, what: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(ews_types::Error::InvalidRequest(format!(
            "{what} {value:?} cannot be an HTTP header value"
        )))
    })
}

/// An `Authorization` value; the error never repeats the value, which holds a secret.
fn authorization(value: &str) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| Error::Config("the credentials cannot go in an HTTP header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

fn is_version_refusal(code: &ResponseCode) -> bool {
    matches!(
        code,
        ResponseCode::ErrorInvalidServerVersion
            | ResponseCode::ErrorIncorrectSchemaVersion
            | ResponseCode::ErrorInvalidSchemaVersionForMailboxVersion
    )
}

/// Whether `error` says the server refused the `RequestServerVersion` header.
fn refuses_version(error: &Error) -> bool {
    match error {
        Error::Fault { fault, .. } => {
            let code = fault.code();
            is_version_refusal(&code)
                || (code == ResponseCode::ErrorSchemaValidation && {
                    let violation = fault
                        .message_xml
                        .as_ref()
                        .and_then(|xml| xml.entry("Violation"))
                        .unwrap_or_default();
                    let text = format!("{} {violation}", fault.fault_string);
                    text.contains("RequestServerVersion")
                })
        }
        Error::Message(message) => message.code.as_ref().is_some_and(is_version_refusal),
        _ => false,
    }
}

fn unauthorized(response: &http::Response<Bytes>) -> Error {
    let offered_schemes = response
        .headers()
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    Error::Unauthorized {
        status: response.status().as_u16(),
        offered_schemes,
        excerpt: excerpt(response.body()),
    }
}

fn content_type(response: &http::Response<Bytes>) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

fn is_xml_content_type(value: &str) -> bool {
    let media = value.split(';').next().unwrap_or_default().trim();
    ["text/xml", "application/soap+xml", "application/xml"]
        .iter()
        .any(|xml| media.eq_ignore_ascii_case(xml))
}

impl<T: Transport, C: Clock> EwsClient<T, C> {
    /// The endpoint URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint_text
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// A handle acting on `mailbox`, with the paging, sync and batching helpers.
    pub fn mailbox(&self, mailbox: Mailbox) -> crate::MailboxClient<'_, T, C> {
        crate::MailboxClient::new(self, mailbox)
    }

    /// A handle acting on the signed-in account's own mailbox.
    pub fn account(&self) -> crate::MailboxClient<'_, T, C> {
        self.mailbox(Mailbox::account())
    }

    /// The schema version requests for `mailbox` are sent with (after any negotiation).
    pub fn version_for(&self, mailbox: &Mailbox) -> ExchangeVersion {
        lock(&self.mailboxes)
            .get(&mailbox.key())
            .and_then(|state| state.version.clone())
            .unwrap_or_else(|| self.settings.version.clone())
    }

    /// The last `ServerVersionInfo` the server sent for `mailbox`.
    pub fn server_version(&self, mailbox: &Mailbox) -> Option<ServerVersionInfo> {
        lock(&self.mailboxes)
            .get(&mailbox.key())
            .and_then(|state| state.server_version.clone())
    }

    /// Sends `operation` for the signed-in account's own mailbox.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Response> {
        self.execute_as(&Mailbox::account(), operation).await
    }

    /// Sends `operation` acting on `mailbox` and returns its typed response.
    ///
    /// Per-message errors stay values inside the response (check each message). Only request-level
    /// failures are `Err`: a SOAP fault, an HTTP error, refused credentials, an unreadable body, or a retry
    /// budget that ran out.
    pub async fn execute_as<O: Operation>(
        &self,
        mailbox: &Mailbox,
        operation: &O,
    ) -> Result<O::Response> {
        self.check_impersonation(mailbox)?;
        operation.validate().map_err(Error::InvalidRequest)?;
        let key = mailbox.key();
        let mut tried = Vec::new();
        loop {
            let version = self.version_for(mailbox);
            match self.with_retries(mailbox, &key, &version, operation).await {
                Ok(response) => {
                    self.remember(&key, |state| state.version = Some(version));
                    return Ok(response);
                }
                Err(error) if self.settings.negotiate_version && refuses_version(&error) => {
                    tried.push(version.clone());
                    let Some(next) = self.next_version(&tried) else {
                        return Err(Error::VersionNegotiation {
                            tried,
                            last: Box::new(error),
                        });
                    };
                    tracing::info!(
                        operation = O::NAME,
                        mailbox = %mailbox.describe(),
                        refused = version.as_str(),
                        next = next.as_str(),
                        "the server refused the schema version; stepping down"
                    );
                    self.remember(&key, |state| state.version = Some(next));
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// The newest version not tried yet: the configured one first, then the negotiation order.
    fn next_version(&self, tried: &[ExchangeVersion]) -> Option<ExchangeVersion> {
        let order = &ExchangeVersion::NEGOTIATION_ORDER;
        let start = order
            .iter()
            .position(|v| *v == self.settings.version)
            .map_or(0, |i| i + 1);
        order
            .iter()
            .skip(start)
            .find(|v| !tried.contains(v))
            .cloned()
    }

    fn remember(&self, key: &str, update: impl FnOnce(&mut MailboxState)) {
        update(lock(&self.mailboxes).entry(key.to_owned()).or_default());
    }

    fn check_impersonation(&self, mailbox: &Mailbox) -> Result<()> {
        if let Credentials::Bearer { kind, .. } = &self.credentials {
            match (kind, mailbox.impersonation()) {
                (TokenKind::AppOnly, None) => {
                    return Err(Error::Impersonation(
                        "an app-only token acts for no user: name the mailbox to impersonate",
                    ));
                }
                (TokenKind::Delegated, Some(_)) => {
                    return Err(Error::Impersonation(
                        "a delegated token must not send ExchangeImpersonation; use Mailbox::account()",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn build_request<O: Operation>(
        &self,
        mailbox: &Mailbox,
        key: &str,
        version: &ExchangeVersion,
        operation: &O,
    ) -> Result<http::Request<Bytes>> {
        let mut header = RequestHeader::new(version.clone());
        header.impersonation = mailbox.impersonation().cloned();
        header.time_zone_id = self.settings.time_zone_id.clone();
        header.mailbox_culture = self.settings.mailbox_culture.clone();
        let mut request =
            http_request(&self.endpoint_text, &header, operation).map_err(Error::InvalidRequest)?;
        let headers = request.headers_mut();
        headers.insert(
            USER_AGENT,
            header_value(&self.settings.user_agent, "the user agent")?,
        );
        if let Some(anchor) = mailbox.anchor() {
            headers.insert(
                "X-AnchorMailbox",
                header_value(anchor, "the anchor mailbox")?,
            );
        }
        if mailbox.server_affinity() {
            headers.insert("X-PreferServerAffinity", HeaderValue::from_static("true"));
        }
        let cookie = lock(&self.mailboxes)
            .get(key)
            .and_then(|state| state.backend_cookie.clone());
        if let Some(cookie) = cookie {
            let value = format!("{BACKEND_COOKIE}={cookie}");
            headers.insert(COOKIE, header_value(&value, "the affinity cookie")?);
        }
        Ok(request)
    }

    /// Sends until done, a failure that is not worth retrying, or the end of the retry budget.
    async fn with_retries<O: Operation>(
        &self,
        mailbox: &Mailbox,
        key: &str,
        version: &ExchangeVersion,
        operation: &O,
    ) -> Result<O::Response> {
        let request = self.build_request(mailbox, key, version, operation)?;
        let read_only = READ_ONLY_OPERATIONS.contains(&O::NAME);
        let policy = self.settings.retry;
        let mut retries = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            let (error, server_delay, shared) =
                match self.attempt::<O::Response>(&request, key, read_only).await {
                    Attempt::Done(response) => return Ok(response),
                    Attempt::Fail(error) => return Err(error),
                    Attempt::Retry {
                        error,
                        server_delay,
                        shared,
                    } => (error, server_delay, shared),
                };
            let delay = server_delay
                .unwrap_or_else(|| policy.exponential_delay(retries, self.jitter.next()));
            let reopens = self.clock.now().checked_add(delay);
            if !policy.allows(retries, waited, delay) || reopens.is_none() {
                tracing::warn!(
                    operation = O::NAME,
                    mailbox = %mailbox.describe(),
                    attempts = retries + 1,
                    waited_ms = waited.as_millis() as u64,
                    error = %error,
                    "retry budget exhausted"
                );
                return Err(Error::RetriesExhausted {
                    attempts: retries + 1,
                    waited,
                    last: Box::new(error),
                });
            }
            tracing::warn!(
                operation = O::NAME,
                mailbox = %mailbox.describe(),
                attempt = retries + 1,
                delay_ms = delay.as_millis() as u64,
                shared_gate = shared,
                error = %error,
                "retrying"
            );
            match reopens {
                Some(until) if shared => self.gate.close_until(until),
                _ => self.clock.sleep(delay).await,
            }
            waited += delay;
            retries += 1;
        }
    }

    /// A permit to send, taken only while the gate is open: a task that queued for a permit before the
    /// gate closed goes back to wait at the gate instead of sending.
    async fn permit(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        loop {
            self.gate.pass(&self.clock).await;
            // The semaphore is never closed; if it were, sending without a permit is still correct.
            let permit = self.permits.acquire().await.ok();
            if self.gate.remaining(self.clock.now()).is_zero() {
                return permit;
            }
        }
    }

    /// One send, classified.
    async fn attempt<R: OperationResponse>(
        &self,
        request: &http::Request<Bytes>,
        key: &str,
        read_only: bool,
    ) -> Attempt<R> {
        let exchanged = {
            let _permit = self.permit().await;
            self.exchange(request).await
        };
        let response = match exchanged {
            Ok(response) => response,
            Err(Error::Transport(error))
                if error.is_transient() && (error.request_not_sent() || read_only) =>
            {
                return Attempt::Retry {
                    error: Error::Transport(error),
                    server_delay: None,
                    shared: false,
                };
            }
            Err(error) => return Attempt::Fail(error),
        };
        if let Some(cookie) = backend_cookie(response.headers()) {
            self.remember(key, |state| state.backend_cookie = Some(cookie));
        }
        let status = response.status().as_u16();
        if status == 503 || status == 429 {
            return Attempt::Retry {
                server_delay: retry_after(response.headers(), self.clock.system_time()),
                error: Error::HttpStatus {
                    status,
                    content_type: content_type(&response),
                    excerpt: excerpt(response.body()),
                },
                shared: true,
            };
        }
        match self.parse::<R>(&response) {
            Ok(envelope) => {
                if let Some(info) = envelope.server_version.clone() {
                    self.remember(key, |state| state.server_version = Some(info));
                }
                self.classify_messages(envelope.body, response.body())
            }
            Err(error) => match &error {
                Error::Fault { fault, .. } if is_throttling_code(fault.code()) => Attempt::Retry {
                    server_delay: fault.back_off(),
                    error,
                    shared: true,
                },
                _ => Attempt::Fail(error),
            },
        }
    }

    /// A response whose every message failed is retried when one of them is busy, and refused when one
    /// of them refuses the version; anything else goes to the caller with its per-message results.
    fn classify_messages<R: OperationResponse>(&self, body: R, bytes: &Bytes) -> Attempt<R> {
        let classes = body.classes();
        let all_failed =
            !classes.is_empty() && classes.iter().all(|c| matches!(c, ResponseClass::Error));
        if !all_failed {
            return Attempt::Done(body);
        }
        let errors = message_errors(bytes, self.settings.parse_limits);
        let with_code = |wanted: &dyn Fn(&ResponseCode) -> bool| -> Option<ResponseError> {
            errors
                .iter()
                .find(|e| e.code.as_ref().is_some_and(wanted))
                .cloned()
        };
        if let Some(busy) = with_code(&|code| is_throttling_code(code.clone())) {
            return Attempt::Retry {
                server_delay: busy.back_off(),
                error: Error::Message(Box::new(busy)),
                shared: true,
            };
        }
        if let Some(refusal) = with_code(&is_version_refusal) {
            return Attempt::Fail(Error::Message(Box::new(refusal)));
        }
        Attempt::Done(body)
    }

    /// Checks the status, size and content type, then parses the SOAP response.
    fn parse<R: OperationResponse>(
        &self,
        response: &http::Response<Bytes>,
    ) -> Result<ResponseEnvelope<R>> {
        let status = response.status().as_u16();
        let body = response.body();
        if body.len() > self.settings.max_response_bytes {
            return Err(Error::ResponseTooLarge {
                status: Some(status),
                limit: self.settings.max_response_bytes,
            });
        }
        if status == 401 {
            return Err(unauthorized(response));
        }
        let content_type = content_type(response);
        if status != 200 && status != 500 {
            return Err(Error::HttpStatus {
                status,
                content_type,
                excerpt: excerpt(body),
            });
        }
        if let Some(content_type) = content_type.filter(|c| !is_xml_content_type(c)) {
            return Err(Error::UnexpectedContentType {
                status,
                content_type,
                excerpt: excerpt(body),
            });
        }
        parse_response_with_limits::<R>(body, self.settings.parse_limits).map_err(|error| {
            match error {
                ews_types::Error::SoapFault(fault) => Error::Fault { status, fault },
                source => Error::InvalidResponse {
                    status,
                    source,
                    excerpt: excerpt(body),
                },
            }
        })
    }

    /// Sends one request with authentication, on a pooled or new connection.
    async fn exchange(&self, request: &http::Request<Bytes>) -> Result<http::Response<Bytes>> {
        let mut pooled = self.checkout().await?;
        let result = match &self.credentials {
            Credentials::Basic { username, password } => {
                let mut outgoing = copy_request(request);
                let value = authorization(&Credentials::basic_header(username, password))?;
                outgoing.headers_mut().insert(AUTHORIZATION, value);
                self.send_on(&mut pooled, outgoing).await
            }
            Credentials::Bearer { provider, .. } => {
                self.send_bearer(&mut pooled, request, provider.as_ref())
                    .await
            }
            Credentials::Ntlm(credentials) => {
                self.send_ntlm(&mut pooled, request, credentials).await
            }
        };
        if result.is_ok() && self.transport.is_reusable(&pooled.connection) {
            let mut pool = lock(&self.pool);
            if pool.len() < self.max_idle {
                pool.push(pooled);
            }
        }
        result
    }

    async fn checkout(&self) -> Result<Pooled<T::Connection>> {
        loop {
            let idle = lock(&self.pool).pop();
            match idle {
                Some(pooled) if self.transport.is_reusable(&pooled.connection) => {
                    return Ok(pooled);
                }
                Some(_) => continue,
                None => break,
            }
        }
        let connection = self.transport.connect(&self.endpoint).await?;
        Ok(Pooled {
            connection,
            authenticated: false,
        })
    }

    /// Sends on `pooled`, replacing it first if the server closed it.
    async fn send_on(
        &self,
        pooled: &mut Pooled<T::Connection>,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>> {
        if !self.transport.is_reusable(&pooled.connection) {
            pooled.connection = self.transport.connect(&self.endpoint).await?;
            pooled.authenticated = false;
        }
        let limit = self.settings.max_response_bytes;
        match self
            .transport
            .send(&mut pooled.connection, request, limit)
            .await
        {
            Ok(response) if response.body().len() > limit => Err(Error::ResponseTooLarge {
                status: Some(response.status().as_u16()),
                limit,
            }),
            Ok(response) => Ok(response),
            Err(error) if error.kind() == TransportErrorKind::ResponseTooLarge => {
                Err(Error::ResponseTooLarge {
                    status: None,
                    limit,
                })
            }
            Err(error) => Err(Error::Transport(error)),
        }
    }

    async fn bearer_token(&self, provider: &dyn TokenProvider, refresh: bool) -> Result<Secret> {
        if !refresh {
            if let Some(token) = lock(&self.token).clone() {
                return Ok(token);
            }
        }
        let token = provider.access_token(refresh).await.map_err(Error::Token)?;
        *lock(&self.token) = Some(token.clone());
        Ok(token)
    }

    /// Bearer: the cached token, and on a 401 one fresh token and one more try.
    async fn send_bearer(
        &self,
        pooled: &mut Pooled<T::Connection>,
        request: &http::Request<Bytes>,
        provider: &dyn TokenProvider,
    ) -> Result<http::Response<Bytes>> {
        let token = self.bearer_token(provider, false).await?;
        let response = self.send_with_token(pooled, request, &token).await?;
        if response.status() != http::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        tracing::info!("the server refused the access token; asking the provider for a new one");
        let token = self.bearer_token(provider, true).await?;
        let response = self.send_with_token(pooled, request, &token).await?;
        if response.status() == http::StatusCode::UNAUTHORIZED {
            return Err(unauthorized(&response));
        }
        Ok(response)
    }

    async fn send_with_token(
        &self,
        pooled: &mut Pooled<T::Connection>,
        request: &http::Request<Bytes>,
        token: &Secret,
    ) -> Result<http::Response<Bytes>> {
        let mut outgoing = copy_request(request);
        let value = authorization(&format!("Bearer {}", token.expose()))?;
        outgoing.headers_mut().insert(AUTHORIZATION, value);
        self.send_on(pooled, outgoing).await
    }

    /// NTLM: reuse an authenticated connection, else negotiate, answer the challenge, and keep the
    /// connection authenticated.
    async fn send_ntlm(
        &self,
        pooled: &mut Pooled<T::Connection>,
        request: &http::Request<Bytes>,
        credentials: &NtlmCredentials,
    ) -> Result<http::Response<Bytes>> {
        if pooled.authenticated {
            let response = self.send_on(pooled, copy_request(request)).await?;
            if response.status() != http::StatusCode::UNAUTHORIZED {
                return Ok(response);
            }
            tracing::debug!("an NTLM connection lost its authentication; shaking hands again");
            pooled.authenticated = false;
        }
        let mut negotiate = copy_request(request);
        negotiate.headers_mut().insert(
            AUTHORIZATION,
            authorization(&ntlm::negotiate_header(credentials)?)?,
        );
        let response = self.send_on(pooled, negotiate).await?;
        if response.status() != http::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        let challenge = {
            let values = response
                .headers()
                .get_all(WWW_AUTHENTICATE)
                .iter()
                .filter_map(|v| v.to_str().ok());
            ntlm::challenge_token(values).map(str::to_owned)
        };
        let Some(challenge) = challenge else {
            return Err(unauthorized(&response));
        };
        if !self.transport.is_reusable(&pooled.connection) {
            return Err(Error::Ntlm(
                "the server closed the connection after the challenge; NTLM needs keep-alive"
                    .into(),
            ));
        }
        let answer = ntlm::authenticate_header(credentials, &challenge, self.clock.system_time())?;
        let mut authenticate = copy_request(request);
        authenticate
            .headers_mut()
            .insert(AUTHORIZATION, authorization(&answer)?);
        let response = self.send_on(pooled, authenticate).await?;
        if response.status() == http::StatusCode::UNAUTHORIZED {
            return Err(unauthorized(&response));
        }
        pooled.authenticated = true;
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ews_types::response::MessageXml;
    use ews_types::soap::SoapFault;

    fn schema_fault(text: &str) -> Error {
        Error::Fault {
            status: 500,
            fault: Box::new(SoapFault {
                fault_code: "a:ErrorSchemaValidation".into(),
                fault_string: text.into(),
                message_xml: Some(MessageXml::default()),
                ..SoapFault::default()
            }),
        }
    }

    #[test]
    fn schema_validation_counts_as_a_version_refusal_only_on_the_version_header() {
        assert!(refuses_version(&schema_fault(
            "The request failed schema validation: The 'Version' attribute is invalid - The value 'Exchange2016' is invalid according to its datatype 'RequestServerVersion'"
        )));
        assert!(!refuses_version(&schema_fault(
            "The element 'ItemShape' has invalid child element 'RoutingType'"
        )));
    }

    #[test]
    fn xml_content_types_are_recognised() {
        assert!(is_xml_content_type("text/xml; charset=utf-8"));
        assert!(is_xml_content_type("application/soap+xml"));
        assert!(!is_xml_content_type("text/html; charset=utf-8"));
    }
}
