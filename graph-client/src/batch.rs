//! JSON `$batch`: up to 20 requests in one POST, demultiplexed per id.
//!
//! [`BatchRequest`] checks the limits (at most [`MAX_BATCH_REQUESTS`] items, unique case-insensitive
//! ids, relative URLs, `Content-Type` with a body, `dependsOn` pointing at earlier items). A batch may
//! answer 200 overall while single items carry 429 with their own `Retry-After`;
//! [`BatchRequest::retry_plan`] picks exactly the throttled items (plus those that failed with 424
//! because they depended on one) for another batch.
//!
//! ```
//! use graph_client::{Graph, Item, batch::{BatchItem, BatchRequest}, model::{Event, Message}};
//! let graph = Graph::me();
//! let mut batch = BatchRequest::new();
//! batch.push(BatchItem::from_request("1", graph.get(&Item::<Message>::new("AAMk1")).unwrap().http(), &graph).unwrap()).unwrap();
//! batch.push(BatchItem::from_request("2", graph.get(&Item::<Event>::new("AAMk2")).unwrap().http(), &graph).unwrap()).unwrap();
//! let request = batch.to_request(&graph).unwrap();
//! assert_eq!(request.http().uri(), "https://graph.microsoft.com/v1.0/$batch");
//! let body: serde_json::Value = serde_json::from_slice(request.http().body()).unwrap();
//! assert_eq!(body["requests"][0]["url"], "/me/messages/AAMk1");
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use bytes::Bytes;
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{ApiError, Error, Result};
use crate::request::{Graph, GraphRequest, json_body};
use crate::response::{api_error_from_parts, parse_json};
use crate::throttle::{RetryAfter, RetryPolicy};

/// The most requests one `$batch` may carry.
pub const MAX_BATCH_REQUESTS: usize = 20;

/// One request inside a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    /// The id responses are correlated by (unique, case-insensitive).
    pub id: String,
    /// The HTTP method.
    pub method: String,
    /// The URL relative to the version root, e.g. `/me/messages/AAMk1`.
    pub url: String,
    /// Request headers (`Content-Type` is required with a body).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// A JSON body, or a base64 string for other content types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Ids that must complete first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl BatchItem {
    /// Turns a request built by [`Graph`] (or by hand, against the same base URL) into a batch item.
    /// `Authorization` and `Accept` are dropped: the outer request carries credentials.
    pub fn from_request(
        id: impl Into<String>,
        request: &http::Request<Bytes>,
        graph: &Graph,
    ) -> Result<Self> {
        let url = graph.check_link(&request.uri().to_string())?;
        let base_path = graph.base_url().path().trim_end_matches('/');
        let mut relative = url
            .path()
            .strip_prefix(base_path)
            .unwrap_or(url.path())
            .to_owned();
        if let Some(query) = url.query() {
            relative.push('?');
            relative.push_str(query);
        }
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in request.headers() {
            if matches!(
                name.as_str(),
                "authorization" | "accept" | "host" | "content-length"
            ) {
                continue;
            }
            let value = value
                .to_str()
                .map_err(|_| Error::InvalidRequest(format!("header {name} is not text")))?;
            headers
                .entry(name.as_str().to_owned())
                .and_modify(|existing| {
                    existing.push_str(", ");
                    existing.push_str(value);
                })
                .or_insert_with(|| value.to_owned());
        }
        let body = if request.body().is_empty() {
            None
        } else if headers
            .get("content-type")
            .is_some_and(|kind| kind.starts_with("application/json"))
        {
            Some(
                serde_json::from_slice(request.body())
                    .map_err(|error| Error::decode("batch item body", error))?,
            )
        } else {
            Some(Value::String(
                base64::engine::general_purpose::STANDARD.encode(request.body()),
            ))
        };
        Ok(Self {
            id: id.into(),
            method: request.method().as_str().to_owned(),
            url: relative,
            headers,
            body,
            depends_on: Vec::new(),
        })
    }

    /// Makes this item wait for `ids`.
    pub fn depends_on<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.depends_on.extend(ids.into_iter().map(Into::into));
        self
    }
}

/// A validated `$batch` request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchRequest {
    items: Vec<BatchItem>,
}

impl BatchRequest {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an item after checking the batch rules.
    pub fn push(&mut self, item: BatchItem) -> Result<()> {
        if self.items.len() >= MAX_BATCH_REQUESTS {
            return Err(Error::InvalidRequest(format!(
                "a batch holds at most {MAX_BATCH_REQUESTS} requests"
            )));
        }
        if item.id.is_empty() {
            return Err(Error::InvalidRequest("batch item id is empty".into()));
        }
        if self.position(&item.id).is_some() {
            return Err(Error::InvalidRequest(format!(
                "batch item id {:?} is used twice (ids are case-insensitive)",
                item.id
            )));
        }
        if !item.url.starts_with('/') || item.url.contains("://") {
            return Err(Error::InvalidRequest(format!(
                "batch item url {:?} must be relative to the version root",
                item.url
            )));
        }
        if Method::from_bytes(item.method.as_bytes()).is_err() {
            return Err(Error::InvalidRequest(format!(
                "bad method {:?}",
                item.method
            )));
        }
        if item.body.is_some()
            && !item
                .headers
                .keys()
                .any(|name| name.eq_ignore_ascii_case("content-type"))
        {
            return Err(Error::InvalidRequest(format!(
                "batch item {:?} has a body but no Content-Type header",
                item.id
            )));
        }
        if let Some(missing) = item
            .depends_on
            .iter()
            .find(|id| self.position(id).is_none())
        {
            return Err(Error::InvalidRequest(format!(
                "batch item {:?} depends on {missing:?}, which is not an earlier item",
                item.id
            )));
        }
        self.items.push(item);
        Ok(())
    }

    /// The items.
    pub fn items(&self) -> &[BatchItem] {
        &self.items
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|item| item.id.eq_ignore_ascii_case(id))
    }

    /// `POST {base}/$batch` with the items. Fails for an empty batch.
    pub fn to_request(&self, graph: &Graph) -> Result<GraphRequest<BatchResponse>> {
        if self.items.is_empty() {
            return Err(Error::InvalidRequest(
                "a batch needs at least one request".into(),
            ));
        }
        #[derive(Serialize)]
        struct Envelope<'a> {
            requests: &'a [BatchItem],
        }
        let body = json_body(&Envelope {
            requests: &self.items,
        })?;
        graph.build(Method::POST, graph.url(&["$batch"], &[]), Some(body), &[])
    }

    /// Parses the `$batch` response. An outer 424 still carries per-item results and is parsed like a
    /// 200; other outer errors give [`Error::Api`].
    pub fn parse_response(response: &http::Response<Bytes>) -> Result<BatchResponse> {
        if response.status() == StatusCode::FAILED_DEPENDENCY {
            if let Ok(parsed) = serde_json::from_slice::<BatchResponse>(response.body()) {
                return Ok(parsed);
            }
        }
        parse_json(response)
    }

    /// Which items to send again after `response`: those answered 429/503/504, and those answered 424
    /// that depend (directly or through others) on one of them. Returns the smaller batch and how long
    /// to wait first (the largest `Retry-After` among them, measured from `now`; `policy`'s backoff for
    /// items without one), or `None` when nothing was throttled.
    pub fn retry_plan(
        &self,
        response: &BatchResponse,
        policy: &RetryPolicy,
        retries: u32,
        now: SystemTime,
    ) -> Option<(BatchRequest, Duration)> {
        let mut resend: BTreeSet<String> = BTreeSet::new();
        let mut delay = Duration::ZERO;
        for item in &self.items {
            let Some(answer) = response.get(&item.id) else {
                continue;
            };
            if RetryPolicy::is_retryable(answer.status()) {
                resend.insert(item.id.to_ascii_lowercase());
                let wait = answer.retry_after().map_or_else(
                    || policy.backoff(retries, 0.5),
                    |after| after.delay_from(now),
                );
                delay = delay.max(wait);
            }
        }
        if resend.is_empty() {
            return None;
        }
        // Items are in dependency order (push checks it), so one pass finds transitive dependents.
        for item in &self.items {
            let failed_dependency = response
                .get(&item.id)
                .is_some_and(|answer| answer.status() == StatusCode::FAILED_DEPENDENCY);
            if failed_dependency
                && item
                    .depends_on
                    .iter()
                    .any(|dependency| resend.contains(&dependency.to_ascii_lowercase()))
            {
                resend.insert(item.id.to_ascii_lowercase());
            }
        }
        let items = self
            .items
            .iter()
            .filter(|item| resend.contains(&item.id.to_ascii_lowercase()))
            .cloned()
            .map(|mut item| {
                item.depends_on
                    .retain(|dependency| resend.contains(&dependency.to_ascii_lowercase()));
                item
            })
            .collect();
        Some((BatchRequest { items }, delay))
    }
}

/// The `$batch` response: one entry per item, in any order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchResponse {
    /// The per-item responses.
    pub responses: Vec<BatchItemResponse>,
    /// Other properties (`@odata.nextLink` for very large responses, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

impl BatchResponse {
    /// The response for an id (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&BatchItemResponse> {
        self.responses
            .iter()
            .find(|response| response.id.eq_ignore_ascii_case(id))
    }
}

/// One item's response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchItemResponse {
    /// The item's id.
    pub id: String,
    /// The item's HTTP status.
    pub status: u16,
    /// The item's headers (names as the server wrote them).
    #[serde(default, deserialize_with = "string_map")]
    pub headers: BTreeMap<String, String>,
    /// The item's body: JSON, a base64 string, or absent.
    #[serde(default)]
    pub body: Option<Value>,
}

fn string_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw = Option::<BTreeMap<String, Value>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(raw
        .into_iter()
        .map(|(name, value)| match value {
            Value::String(text) => (name, text),
            other => (name, other.to_string()),
        })
        .collect())
}

impl BatchItemResponse {
    /// The status (500 for a value outside 100..=999).
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// A header by name, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The item's `Retry-After`.
    pub fn retry_after(&self) -> Option<RetryAfter> {
        self.header("retry-after").and_then(RetryAfter::parse)
    }

    /// The item as a standalone HTTP response, so every parser of this crate applies to it.
    pub fn to_http(&self) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(self.status());
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                http::HeaderValue::from_str(value),
            ) {
                builder = builder.header(name, value);
            }
        }
        let body = match &self.body {
            None | Some(Value::Null) => Bytes::new(),
            Some(Value::String(encoded))
                if !self
                    .header("content-type")
                    .is_some_and(|kind| kind.starts_with("application/json")) =>
            {
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map(Bytes::from)
                    .unwrap_or_else(|_| Bytes::from(encoded.clone()))
            }
            Some(json) => Bytes::from(json.to_string()),
        };
        builder.body(body).unwrap_or_else(|_| {
            let mut fallback = http::Response::new(Bytes::new());
            *fallback.status_mut() = self.status();
            fallback
        })
    }

    /// Parses the item's body like a standalone response: `T` on 2xx, [`Error::Api`] otherwise.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T> {
        parse_json(&self.to_http())
    }

    /// The item's error, when its status is not a success.
    pub fn error(&self) -> Option<ApiError> {
        let response = self.to_http();
        (!response.status().is_success())
            .then(|| api_error_from_parts(response.status(), response.headers(), response.body()))
    }
}
