//! The thin async client: drives the sans-IO core over a caller-supplied [`Transport`] and [`Clock`].
//!
//! It adds the bearer token (only to URLs under the Graph base URL), keeps at most
//! [`OUTLOOK_CONCURRENT_REQUESTS_PER_MAILBOX`] requests in flight per mailbox, retries 429/503/504 by
//! the [`RetryPolicy`] (sending `Retry-Attempt`), follows delta rounds, and re-sends only the throttled
//! items of a `$batch`. It never follows redirects: a 3xx comes back as an error.
//!
//! ```
//! use bytes::Bytes;
//! use graph_client::{Graph, Item, Secret, TransportError, client::{GraphClient, Transport}, model::Event};
//!
//! struct Canned;
//! impl Transport for Canned {
//!     async fn send(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>, TransportError> {
//!         assert!(request.headers().contains_key("authorization"));
//!         Ok(http::Response::new(Bytes::from_static(br#"{"id":"AAMk1","subject":"Planning"}"#)))
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let client = GraphClient::new(Canned, Graph::me());
//! client.set_access_token(Secret::new("eyJ0eXAi"));
//! let event = client.execute(client.graph().get(&Item::<Event>::new("AAMk1"))?).await?;
//! assert_eq!(event.subject.value().map(String::as_str), Some("Planning"));
//! # Ok::<(), graph_client::Error>(())
//! # }).unwrap();
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::HeaderValue;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use crate::batch::{BatchItemResponse, BatchRequest, BatchResponse};
use crate::delta::{DeltaCursor, DeltaEntry, DeltaOutcome};
use crate::error::{Error, Result, TransportError};
use crate::model::Resource;
use crate::request::{Collection, Graph, GraphRequest, Query};
use crate::secret::Secret;
use crate::throttle::{
    Attempt, OUTLOOK_CONCURRENT_REQUESTS_PER_MAILBOX, RETRY_ATTEMPT_HEADER, RetryDecision,
    RetryPolicy,
};

/// Sends one HTTP request and returns the response. Implementations must not follow redirects.
pub trait Transport: Send + Sync {
    /// Sends `request`.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send;
}

impl<T: Transport> Transport for Arc<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportError>> + Send {
        (**self).send(request)
    }
}

/// Wall-clock time and sleeping, so tests can run throttling without real waits.
pub trait Clock: Send + Sync {
    /// The current time (for HTTP-date `Retry-After` values).
    fn now(&self) -> SystemTime;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// [`Clock`] over the system clock and `tokio::time::sleep` (which a paused tokio test clock controls).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioClock;

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

/// The outcome of a whole delta round.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
#[non_exhaustive]
pub enum DeltaRound<I> {
    /// The round finished; the cursor holds the new deltaLink.
    Complete {
        /// All entries of all pages, in order. Apply idempotently: an item may appear more than once.
        entries: Vec<DeltaEntry<I>>,
        /// How many pages the round took.
        pages: usize,
    },
    /// The token is gone: call [`DeltaCursor::restart`], run a full round, and reconcile everything.
    ResyncRequired {
        /// The `Location` the server offered, if any.
        restart_url: Option<String>,
    },
}

/// A Graph client over a caller-supplied transport.
pub struct GraphClient<T, C = TokioClock> {
    transport: T,
    clock: C,
    graph: Graph,
    policy: RetryPolicy,
    access_token: RwLock<Option<Secret>>,
    mailbox_limits: Mutex<HashMap<String, Arc<Semaphore>>>,
    per_mailbox: usize,
    jitter_state: AtomicU64,
}

impl<T, C> fmt::Debug for GraphClient<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphClient")
            .field("graph", &self.graph)
            .field("policy", &self.policy)
            .field("per_mailbox", &self.per_mailbox)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> GraphClient<T, TokioClock> {
    /// A client for `graph`'s base URL and mailbox, with the default retry policy and the Outlook
    /// limit of 4 concurrent requests per mailbox.
    pub fn new(transport: T, graph: Graph) -> Self {
        Self {
            transport,
            clock: TokioClock,
            graph,
            policy: RetryPolicy::default(),
            access_token: RwLock::new(None),
            mailbox_limits: Mutex::new(HashMap::new()),
            per_mailbox: OUTLOOK_CONCURRENT_REQUESTS_PER_MAILBOX,
            jitter_state: AtomicU64::new(0x9E37_79B9_7F4A_7C15),
        }
    }
}

impl<T: Transport, C: Clock> GraphClient<T, C> {
    /// Uses another clock.
    pub fn with_clock<C2: Clock>(self, clock: C2) -> GraphClient<T, C2> {
        GraphClient {
            transport: self.transport,
            clock,
            graph: self.graph,
            policy: self.policy,
            access_token: self.access_token,
            mailbox_limits: self.mailbox_limits,
            per_mailbox: self.per_mailbox,
            jitter_state: self.jitter_state,
        }
    }

    /// Uses another retry policy.
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Changes the number of concurrent requests per mailbox (at least 1; Outlook allows 4).
    pub fn with_mailbox_concurrency(mut self, limit: usize) -> Self {
        self.per_mailbox = limit.max(1);
        self
    }

    /// Sets the bearer token for later requests (replace it before it expires).
    pub fn set_access_token(&self, token: Secret) {
        *self
            .access_token
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(token);
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The request builder this client was made with.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Sends a request with the token, the per-mailbox limit and retries, and returns the final
    /// response whatever its status. Only URLs under the base URL get the token.
    pub async fn send(&self, request: http::Request<Bytes>) -> Result<http::Response<Bytes>> {
        let trusted = self.graph.check_link(&request.uri().to_string()).is_ok();
        let limit = self.mailbox_limit(&mailbox_key(&self.graph, request.uri()));
        let mut attempt = Attempt::default();
        loop {
            let mut outgoing = copy_request(&request);
            if trusted {
                self.authorize(&mut outgoing)?;
            }
            if attempt.retries > 0 {
                outgoing
                    .headers_mut()
                    .insert(RETRY_ATTEMPT_HEADER, HeaderValue::from(attempt.retries));
            }
            let response = {
                // The semaphore is never closed, so acquiring only fails if it were; then send anyway.
                let _permit = limit.acquire().await.ok();
                self.transport.send(outgoing).await?
            };
            let decision = self.policy.decide(
                response.status(),
                response.headers(),
                attempt,
                self.clock.now(),
                self.jitter(),
            );
            match decision {
                RetryDecision::Fail => return Ok(response),
                RetryDecision::RetryAfter(delay) => {
                    self.clock.sleep(delay).await;
                    attempt.retries += 1;
                    attempt.waited += delay;
                }
            }
        }
    }

    /// Sends a built request and parses its response.
    pub async fn execute<R: DeserializeOwned>(&self, request: GraphRequest<R>) -> Result<R> {
        let response = self.send(copy_request(request.http())).await?;
        request.parse(&response)
    }

    /// Lists a whole collection, following `@odata.nextLink` (which must stay under the base URL).
    pub async fn list_all<R: Resource>(
        &self,
        collection: &Collection<R>,
        query: &Query,
    ) -> Result<Vec<R>> {
        let mut request = self.graph.list(collection, query)?;
        let mut items = Vec::new();
        loop {
            let page = self.execute(request).await?;
            items.extend(page.value);
            match page.next_link {
                Some(next_link) => request = self.graph.follow(&next_link)?,
                None => return Ok(items),
            }
        }
    }

    /// Fetches one delta page and moves the cursor.
    pub async fn delta_page<I: DeserializeOwned>(
        &self,
        cursor: &mut DeltaCursor<I>,
    ) -> Result<DeltaOutcome<I>> {
        let request = self.graph.delta(cursor)?;
        let response = self.send(request).await?;
        cursor.handle_response(&response)
    }

    /// Runs a delta round to its deltaLink. On an error the cursor goes back to where the round
    /// started, so running the round again replays it (ingestion must be idempotent anyway).
    pub async fn delta_round<I: DeserializeOwned>(
        &self,
        cursor: &mut DeltaCursor<I>,
    ) -> Result<DeltaRound<I>> {
        let start = cursor.clone();
        let mut entries = Vec::new();
        let mut pages = 0;
        loop {
            match self.delta_page(cursor).await {
                Ok(DeltaOutcome::Page(page)) => {
                    pages += 1;
                    entries.extend(page.entries);
                    if page.round_complete {
                        return Ok(DeltaRound::Complete { entries, pages });
                    }
                }
                Ok(DeltaOutcome::ResyncRequired { restart_url }) => {
                    return Ok(DeltaRound::ResyncRequired { restart_url });
                }
                Err(error) => {
                    *cursor = start;
                    return Err(error);
                }
            }
        }
    }

    /// Sends a `$batch` and re-sends only the items throttled inside it (and those that failed with
    /// 424 because they depended on one), after the largest `Retry-After` among them, within the retry
    /// policy. Returns one response per item, in the batch's order; items still throttled when the
    /// budget runs out keep their 429.
    pub async fn batch(&self, batch: &BatchRequest) -> Result<BatchResponse> {
        let mut results: HashMap<String, BatchItemResponse> = HashMap::new();
        let mut pending = batch.clone();
        let mut attempt = Attempt::default();
        let extra = loop {
            let request = pending.to_request(&self.graph)?;
            let response = self.send(request.into_http()).await?;
            let parsed = BatchRequest::parse_response(&response)?;
            let plan = pending.retry_plan(&parsed, &self.policy, attempt.retries, self.clock.now());
            for item in parsed.responses {
                results.insert(item.id.to_ascii_lowercase(), item);
            }
            let Some((retry, delay)) = plan else {
                break parsed.extra;
            };
            match self.policy.within_budget(attempt, delay) {
                RetryDecision::Fail => break parsed.extra,
                RetryDecision::RetryAfter(delay) => {
                    self.clock.sleep(delay).await;
                    attempt.retries += 1;
                    attempt.waited += delay;
                    pending = retry;
                }
            }
        };
        let responses = batch
            .items()
            .iter()
            .filter_map(|item| results.remove(&item.id.to_ascii_lowercase()))
            .collect();
        Ok(BatchResponse { responses, extra })
    }

    fn authorize(&self, request: &mut http::Request<Bytes>) -> Result<()> {
        if request.headers().contains_key(http::header::AUTHORIZATION) {
            return Ok(());
        }
        let guard = self
            .access_token
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(token) = guard.as_ref() {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Error::InvalidRequest("the access token is not a valid header value".into())
                })?;
            value.set_sensitive(true);
            request
                .headers_mut()
                .insert(http::header::AUTHORIZATION, value);
        }
        Ok(())
    }

    fn mailbox_limit(&self, key: &str) -> Arc<Semaphore> {
        let mut limits = self
            .mailbox_limits
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        limits
            .entry(key.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_mailbox)))
            .clone()
    }

    /// A cheap pseudo-random number in `[0, 1)` (xorshift), enough to spread backoff.
    fn jitter(&self) -> f64 {
        let mut x = self.jitter_state.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter_state.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The mailbox a URL addresses (`me`, or the lower-cased user of `/users/{user}` or `/users('{user}')`);
/// requests outside a mailbox (`$batch`) count against the client's own mailbox. The limit is keyed by
/// how the URL names the mailbox: an object id and a UPN of the same user count separately.
fn mailbox_key(graph: &Graph, uri: &http::Uri) -> String {
    let base_path = graph.base_url().path().trim_end_matches('/');
    let path = uri.path().strip_prefix(base_path).unwrap_or(uri.path());
    let mut segments = path.split('/').filter(|segment| !segment.is_empty());
    let first = segments.next().unwrap_or_default();
    if first.eq_ignore_ascii_case("me") {
        return "me".to_owned();
    }
    // Links from the server may name the user OData-style: `users('adele@contoso.com')`.
    let quoted = first
        .get(..7)
        .filter(|prefix| prefix.eq_ignore_ascii_case("users('"))
        .and_then(|_| first.get(7..))
        .and_then(|rest| rest.strip_suffix("')"));
    if let Some(user) = quoted {
        return user.to_ascii_lowercase();
    }
    if first.eq_ignore_ascii_case("users") {
        if let Some(user) = segments.next() {
            return user.to_ascii_lowercase();
        }
    }
    match graph.mailbox() {
        crate::request::Mailbox::Me => "me".to_owned(),
        crate::request::Mailbox::User(user) => user.to_ascii_lowercase(),
    }
}

/// Copies method, URI, version, headers and body (extensions are not carried over).
fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailbox_keys_name_the_addressed_mailbox() {
        let graph = Graph::user("Adele@Contoso.com");
        let key = |uri: &str| mailbox_key(&graph, &uri.parse().unwrap());
        assert_eq!(key("https://graph.microsoft.com/v1.0/me/messages"), "me");
        assert_eq!(
            key("https://graph.microsoft.com/v1.0/users/Megan@contoso.com/events"),
            "megan@contoso.com"
        );
        assert_eq!(
            key(
                "https://graph.microsoft.com/v1.0/users('Megan@contoso.com')/messages/delta?$skiptoken=x"
            ),
            "megan@contoso.com"
        );
        assert_eq!(
            key("https://graph.microsoft.com/v1.0/$batch"),
            "adele@contoso.com"
        );
    }
}
