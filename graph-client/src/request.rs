//! [`Graph`]: the request builder. Every method returns a [`GraphRequest`], an `http::Request<Bytes>`
//! tied to the type its response parses into.

use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, IF_MATCH};
use http::{HeaderValue, Method};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::model::{BodyType, Resource, TopLevelResource};
use crate::response::parse_json;

/// The Graph v1.0 endpoint.
pub const GRAPH_V1: &str = "https://graph.microsoft.com/v1.0";

/// The `Prefer` value that makes Graph return ids that survive moves between folders.
pub const PREFER_IMMUTABLE_ID: &str = "IdType=\"ImmutableId\"";

/// Whose mailbox requests address: `/me` (delegated tokens) or `/users/{id|upn}` (app-only tokens, and
/// delegated access to a shared mailbox).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mailbox {
    /// The signed-in user: `/me`.
    Me,
    /// A user by object id or user principal name: `/users/{id}`.
    User(String),
}

impl Mailbox {
    fn segments(&self) -> Vec<&str> {
        match self {
            Self::Me => vec!["me"],
            Self::User(user) => vec!["users", user],
        }
    }
}

/// `Prefer` settings sent on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// Send `Prefer: IdType="ImmutableId"` (default `true`): ids then survive moves between folders.
    pub immutable_ids: bool,
    /// `Prefer: outlook.body-content-type` (`text` or `html`).
    pub body_content_type: Option<BodyType>,
    /// `Prefer: outlook.timezone`: event times in this zone instead of UTC.
    pub time_zone: Option<String>,
    /// `Prefer: odata.maxpagesize`: a wish, which the server caps.
    pub max_page_size: Option<u32>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            immutable_ids: true,
            body_content_type: None,
            time_zone: None,
            max_page_size: None,
        }
    }
}

/// OData query options for list requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// `$select`: properties to return.
    pub select: Vec<String>,
    /// `$filter`: an OData filter expression, sent as given.
    pub filter: Option<String>,
    /// `$orderby`.
    pub order_by: Option<String>,
    /// `$top`: page size.
    pub top: Option<u32>,
    /// `$skip`.
    pub skip: Option<u32>,
    /// `$expand`, e.g. `singleValueExtendedProperties($filter=id eq '...')`.
    pub expand: Vec<String>,
}

impl Query {
    /// Adds `$select` properties.
    pub fn select<I: IntoIterator<Item = S>, S: Into<String>>(mut self, properties: I) -> Self {
        self.select.extend(properties.into_iter().map(Into::into));
        self
    }

    /// Sets `$filter`.
    pub fn filter(mut self, expression: impl Into<String>) -> Self {
        self.filter = Some(expression.into());
        self
    }

    /// Sets `$top`.
    pub fn top(mut self, top: u32) -> Self {
        self.top = Some(top);
        self
    }

    /// Adds an `$expand` clause.
    pub fn expand(mut self, clause: impl Into<String>) -> Self {
        self.expand.push(clause.into());
        self
    }

    /// Expands one MAPI property into `singleValueExtendedProperties`, e.g.
    /// `String {00020329-0000-0000-C000-000000000046} Name CrmId`.
    ///
    /// ```
    /// use graph_client::Query;
    /// let query = Query::default().expand_single_value_property("String {00020329-0000-0000-C000-000000000046} Name O'Brien");
    /// assert_eq!(
    ///     query.expand,
    ///     ["singleValueExtendedProperties($filter=id eq 'String {00020329-0000-0000-C000-000000000046} Name O''Brien')"]
    /// );
    /// ```
    pub fn expand_single_value_property(self, property_id: &str) -> Self {
        self.expand(single_value_property_expand(property_id))
    }

    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if !self.select.is_empty() {
            pairs.push(("$select", self.select.join(",")));
        }
        if let Some(filter) = &self.filter {
            pairs.push(("$filter", filter.clone()));
        }
        if let Some(order_by) = &self.order_by {
            pairs.push(("$orderby", order_by.clone()));
        }
        if let Some(top) = self.top {
            pairs.push(("$top", top.to_string()));
        }
        if let Some(skip) = self.skip {
            pairs.push(("$skip", skip.to_string()));
        }
        if !self.expand.is_empty() {
            pairs.push(("$expand", self.expand.join(",")));
        }
        pairs
    }
}

/// The `$expand` clause for one single-value extended property (OData quotes doubled).
pub fn single_value_property_expand(property_id: &str) -> String {
    format!(
        "singleValueExtendedProperties($filter=id eq '{}')",
        property_id.replace('\'', "''")
    )
}

/// One page of a collection: `value` plus `@odata.nextLink` when more pages follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The entries.
    pub value: Vec<T>,
    /// The next page, to fetch with [`Graph::follow`].
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// Other annotations (`@odata.context`, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The successful response of an operation that returns nothing useful (204 No Content, 202
/// Accepted). Any body the server sends anyway is ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoContent;

impl<'de> Deserialize<'de> for NoContent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| NoContent)
    }
}

/// A built request together with the type its successful response parses into.
///
/// Send [`http`](Self::http) (or [`into_http`](Self::into_http)) with any HTTP stack, then hand the
/// response to [`parse`](Self::parse).
#[must_use]
pub struct GraphRequest<R> {
    request: http::Request<Bytes>,
    response: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for GraphRequest<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GraphRequest")
            .field("method", self.request.method())
            .field("uri", self.request.uri())
            .finish_non_exhaustive()
    }
}

impl<R> Clone for GraphRequest<R> {
    fn clone(&self) -> Self {
        Self {
            request: self.request.clone(),
            response: PhantomData,
        }
    }
}

impl<R: DeserializeOwned> GraphRequest<R> {
    pub(crate) fn new(request: http::Request<Bytes>) -> Self {
        Self {
            request,
            response: PhantomData,
        }
    }

    /// The HTTP request.
    pub fn http(&self) -> &http::Request<Bytes> {
        &self.request
    }

    /// The HTTP request, by value.
    pub fn into_http(self) -> http::Request<Bytes> {
        self.request
    }

    /// Parses the response: the typed body on 2xx (an empty body parses into [`NoContent`]), else
    /// [`Error::Api`] with status, code, message and `Retry-After`.
    pub fn parse(&self, response: &http::Response<Bytes>) -> Result<R> {
        parse_json(response)
    }
}

/// A collection of resources of type `T`, relative to the mailbox root.
///
/// ```
/// use graph_client::{Collection, Graph, model::Message};
/// let inbox = Collection::<Message>::in_mail_folder("inbox");
/// let request = Graph::user("adele@contoso.com").list(&inbox, &Default::default()).unwrap();
/// assert_eq!(
///     request.http().uri(),
///     "https://graph.microsoft.com/v1.0/users/adele@contoso.com/mailFolders/inbox/messages"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection<T> {
    segments: Vec<String>,
    resource: PhantomData<fn() -> T>,
}

/// One resource of type `T`, relative to the mailbox root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<T> {
    segments: Vec<String>,
    resource: PhantomData<fn() -> T>,
}

impl<T> Collection<T> {
    fn from_segments<I: IntoIterator<Item = S>, S: Into<String>>(segments: I) -> Self {
        Self {
            segments: segments.into_iter().map(Into::into).collect(),
            resource: PhantomData,
        }
    }

    /// One member of this collection.
    pub fn item(&self, id: impl Into<String>) -> Item<T> {
        let mut segments = self.segments.clone();
        segments.push(id.into());
        Item {
            segments,
            resource: PhantomData,
        }
    }
}

impl<T: TopLevelResource> Collection<T> {
    /// The mailbox-wide collection (`/messages`, `/events`, `/contacts`, `/mailFolders`,
    /// `/contactFolders`, `/outlook/masterCategories`, `/todo/lists`).
    pub fn all() -> Self {
        Self::from_segments(T::COLLECTION.iter().copied())
    }
}

impl<T> Item<T> {
    /// Path segments below the mailbox root.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl<T: TopLevelResource> Item<T> {
    /// The resource with this id.
    pub fn new(id: impl Into<String>) -> Self {
        Collection::<T>::all().item(id)
    }
}

impl Collection<crate::model::Message> {
    /// Messages of one mail folder (an id or a well-known name like `inbox`).
    pub fn in_mail_folder(folder: impl Into<String>) -> Self {
        Self::from_segments([
            "mailFolders".to_owned(),
            folder.into(),
            "messages".to_owned(),
        ])
    }
}

impl Collection<crate::model::Event> {
    /// Events of one calendar.
    pub fn in_calendar(calendar: impl Into<String>) -> Self {
        Self::from_segments(["calendars".to_owned(), calendar.into(), "events".to_owned()])
    }
}

impl Collection<crate::model::Contact> {
    /// Contacts of one contact folder.
    pub fn in_contact_folder(folder: impl Into<String>) -> Self {
        Self::from_segments([
            "contactFolders".to_owned(),
            folder.into(),
            "contacts".to_owned(),
        ])
    }
}

impl Collection<crate::model::MailFolder> {
    /// Child folders of a mail folder.
    pub fn children_of(folder: impl Into<String>) -> Self {
        Self::from_segments([
            "mailFolders".to_owned(),
            folder.into(),
            "childFolders".to_owned(),
        ])
    }
}

impl Collection<crate::model::ContactFolder> {
    /// Child folders of a contact folder.
    pub fn children_of(folder: impl Into<String>) -> Self {
        Self::from_segments([
            "contactFolders".to_owned(),
            folder.into(),
            "childFolders".to_owned(),
        ])
    }
}

impl Collection<crate::model::TodoTask> {
    /// Tasks of one To Do list.
    pub fn in_list(list: impl Into<String>) -> Self {
        Self::from_segments([
            "todo".to_owned(),
            "lists".to_owned(),
            list.into(),
            "tasks".to_owned(),
        ])
    }
}

impl Item<crate::model::TodoTask> {
    /// A task of a To Do list.
    pub fn in_list(list: impl Into<String>, task: impl Into<String>) -> Self {
        Collection::<crate::model::TodoTask>::in_list(list).item(task)
    }
}

/// The request builder for one mailbox: base URL, mailbox and `Prefer` settings.
///
/// App-only tokens must address [`Graph::user`]; delegated tokens may use [`Graph::me`]. Every request
/// carries `Prefer: IdType="ImmutableId"` unless [`Preferences::immutable_ids`] is turned off.
///
/// ```
/// use graph_client::{Graph, Item, model::Event};
/// let graph = Graph::me();
/// let request = graph.get(&Item::<Event>::new("AAMkAGI1AAAt9AHjAAA=")).unwrap();
/// let http = request.http();
/// assert_eq!(http.uri(), "https://graph.microsoft.com/v1.0/me/events/AAMkAGI1AAAt9AHjAAA=");
/// assert_eq!(http.headers()["prefer"], r#"IdType="ImmutableId""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    base: Url,
    mailbox: Mailbox,
    preferences: Preferences,
}

impl Graph {
    /// Requests for a mailbox against Graph v1.0.
    pub fn new(mailbox: Mailbox) -> Self {
        Self {
            base: Url::parse(GRAPH_V1).expect("GRAPH_V1 is a valid URL"),
            mailbox,
            preferences: Preferences::default(),
        }
    }

    /// Requests for the signed-in user (`/me`).
    pub fn me() -> Self {
        Self::new(Mailbox::Me)
    }

    /// Requests for a user by id or user principal name (`/users/{user}`).
    pub fn user(user: impl Into<String>) -> Self {
        Self::new(Mailbox::User(user.into()))
    }

    /// The same settings for another mailbox.
    pub fn for_mailbox(&self, mailbox: Mailbox) -> Self {
        Self {
            mailbox,
            ..self.clone()
        }
    }

    /// Uses another base URL (a national cloud, or a test server). It must be `https`, except for a
    /// loopback host, because credentials go wherever the base URL points.
    pub fn with_base_url(mut self, base: &str) -> Result<Self> {
        let url = Url::parse(base).map_err(|error| Error::UntrustedUrl {
            url: base.to_owned(),
            reason: error.to_string(),
        })?;
        if url.scheme() != "https" && !is_loopback(&url) {
            return Err(Error::UntrustedUrl {
                url: base.to_owned(),
                reason: "credentials are only sent over https (or to a loopback test host)".into(),
            });
        }
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return Err(Error::UntrustedUrl {
                url: base.to_owned(),
                reason: "a base URL has a path but no query or fragment".into(),
            });
        }
        self.base = url;
        Ok(self)
    }

    /// Replaces the `Prefer` settings.
    pub fn with_preferences(mut self, preferences: Preferences) -> Self {
        self.preferences = preferences;
        self
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The mailbox requests address.
    pub fn mailbox(&self) -> &Mailbox {
        &self.mailbox
    }

    /// The `Prefer` settings.
    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }

    /// Lists a collection; follow [`Page::next_link`] with [`Graph::follow`].
    pub fn list<T: Resource>(
        &self,
        collection: &Collection<T>,
        query: &Query,
    ) -> Result<GraphRequest<Page<T>>> {
        let url = self.mailbox_url(&collection.segments, &query.pairs());
        self.build(Method::GET, url, None, &[])
    }

    /// Fetches the next page of a listing from its `@odata.nextLink`, which must point under the base
    /// URL (credentials are never sent elsewhere).
    pub fn follow<T: Resource>(&self, next_link: &str) -> Result<GraphRequest<Page<T>>> {
        let url = self.check_link(next_link)?;
        self.build(Method::GET, url, None, &[])
    }

    /// Reads one resource.
    pub fn get<T: Resource>(&self, item: &Item<T>) -> Result<GraphRequest<T>> {
        self.build(
            Method::GET,
            self.mailbox_url(&item.segments, &[]),
            None,
            &[],
        )
    }

    /// Reads one resource with `$select`/`$expand` options.
    pub fn get_with<T: Resource>(&self, item: &Item<T>, query: &Query) -> Result<GraphRequest<T>> {
        let url = self.mailbox_url(&item.segments, &query.pairs());
        self.build(Method::GET, url, None, &[])
    }

    /// Creates a resource (POST). For events, set `transaction_id` so a retried POST is deduplicated.
    pub fn create<T: Resource>(
        &self,
        collection: &Collection<T>,
        body: &T,
    ) -> Result<GraphRequest<T>> {
        let url = self.mailbox_url(&collection.segments, &[]);
        self.build(Method::POST, url, Some(json_body(body)?), &[])
    }

    /// Updates a resource (PATCH) with only the properties set in `patch` (absent fields are left out;
    /// [`Field::Null`](crate::Field::Null) clears). With `if_match` (an `@odata.etag`), a stale version
    /// fails with 412 ([`Error::is_conflict`]).
    pub fn update<T: Resource>(
        &self,
        item: &Item<T>,
        patch: &T,
        if_match: Option<&str>,
    ) -> Result<GraphRequest<T>> {
        patch.check_patch().map_err(Error::InvalidRequest)?;
        let url = self.mailbox_url(&item.segments, &[]);
        let headers = if_match_header(if_match)?;
        self.build(Method::PATCH, url, Some(json_body(patch)?), &headers)
    }

    /// Deletes a resource. Deleting an event does **not** notify attendees; use
    /// [`Graph::cancel_event`] for that.
    pub fn delete<T: Resource>(
        &self,
        item: &Item<T>,
        if_match: Option<&str>,
    ) -> Result<GraphRequest<NoContent>> {
        let url = self.mailbox_url(&item.segments, &[]);
        let headers = if_match_header(if_match)?;
        self.build(Method::DELETE, url, None, &headers)
    }

    /// A URL below the mailbox root.
    pub(crate) fn mailbox_url<S: AsRef<str>>(
        &self,
        segments: &[S],
        query: &[(&str, String)],
    ) -> Url {
        let mut all: Vec<&str> = self.mailbox.segments();
        all.extend(segments.iter().map(AsRef::as_ref));
        self.url(&all, query)
    }

    /// A URL below the base URL.
    pub(crate) fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            let encoded: Vec<String> = query
                .iter()
                .map(|(key, value)| format!("{key}={}", encode_query_value(value)))
                .collect();
            url.set_query(Some(&encoded.join("&")));
        }
        url
    }

    /// Checks that a server-supplied link (nextLink, deltaLink) points under the base URL.
    pub fn check_link(&self, link: &str) -> Result<Url> {
        let url = Url::parse(link).map_err(|error| Error::UntrustedUrl {
            url: link.to_owned(),
            reason: error.to_string(),
        })?;
        let same_origin = url.scheme() == self.base.scheme()
            && url.host_str() == self.base.host_str()
            && url.port_or_known_default() == self.base.port_or_known_default();
        let base_path = self.base.path().trim_end_matches('/');
        let under_base =
            url.path() == base_path || url.path().starts_with(&format!("{base_path}/"));
        if !same_origin || !under_base {
            return Err(Error::UntrustedUrl {
                url: link.to_owned(),
                reason: format!("it does not point under the Graph base URL {}", self.base),
            });
        }
        Ok(url)
    }

    /// Builds a request with the standard headers (`Accept`, `Prefer`, `Content-Type` for bodies).
    pub(crate) fn build<R: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<Bytes>,
        headers: &[(http::HeaderName, HeaderValue)],
    ) -> Result<GraphRequest<R>> {
        let mut builder = http::Request::builder()
            .method(method)
            .uri(url.as_str())
            .header(ACCEPT, "application/json");
        for prefer in self.prefer_values() {
            builder = builder.header("prefer", prefer);
        }
        if body.is_some() {
            builder = builder.header(CONTENT_TYPE, "application/json");
        }
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(body.unwrap_or_default())
            .map_err(|error| Error::InvalidRequest(error.to_string()))?;
        Ok(GraphRequest::new(request))
    }

    fn prefer_values(&self) -> Vec<String> {
        let mut values = Vec::new();
        let prefs = &self.preferences;
        if prefs.immutable_ids {
            values.push(PREFER_IMMUTABLE_ID.to_owned());
        }
        if let Some(body_type) = &prefs.body_content_type {
            values.push(format!("outlook.body-content-type=\"{body_type}\""));
        }
        if let Some(zone) = &prefs.time_zone {
            values.push(format!("outlook.timezone=\"{zone}\""));
        }
        if let Some(size) = prefs.max_page_size {
            values.push(format!("odata.maxpagesize={size}"));
        }
        values
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

pub(crate) fn json_body<T: Serialize + ?Sized>(body: &T) -> Result<Bytes> {
    serde_json::to_vec(body)
        .map(Bytes::from)
        .map_err(|error| Error::InvalidRequest(format!("body does not serialize: {error}")))
}

fn if_match_header(if_match: Option<&str>) -> Result<Vec<(http::HeaderName, HeaderValue)>> {
    match if_match {
        None => Ok(Vec::new()),
        Some(etag) => {
            let value = HeaderValue::from_str(etag).map_err(|_| {
                Error::InvalidRequest(format!("If-Match value {etag:?} is not a header value"))
            })?;
            Ok(vec![(IF_MATCH, value)])
        }
    }
}

/// Percent-encodes a query value, keeping the characters OData expressions use verbatim readable.
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b','
            | b':'
            | b'$'
            | b'('
            | b')'
            | b'/'
            | b'@'
            | b'!'
            | b'*' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
