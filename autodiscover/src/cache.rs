//! A pure cache of discovered endpoints, keyed by (email domain, method). Credentials are never
//! stored. Time is an argument; nothing here reads a clock.
//!
//! Policy (Microsoft's guidance, as exchangelib applies it): settings are fresh for the answer's TTL
//! (POX `TTL` hours, capped at 7 days; 7 days for SOAP); an expired entry is refreshed, and so is an
//! entry older than one hour when the EWS endpoint gives a connection error. A hit starts discovery
//! with the cached endpoint ([`Config::with_cached_endpoint`](crate::Config::with_cached_endpoint));
//! when that run fails, [`EndpointCache::purge`] the entry.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{Method, Success};

/// The serialized format version of [`EndpointCache`].
pub const CACHE_VERSION: u32 = 1;

const REFRESH_AFTER_CONNECTION_ERROR: Duration = Duration::from_secs(3600);

/// One cached discovery result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheEntry {
    /// The email domain (A-label, lowercase) discovery started from.
    pub domain: String,
    /// The method used.
    pub method: Method,
    /// The Autodiscover endpoint that answered.
    pub autodiscover_endpoint: Url,
    /// The EWS URL it returned.
    pub ews_url: Url,
    /// The settings it returned.
    pub settings: BTreeMap<String, String>,
    /// When the entry was stored or last refreshed.
    pub refreshed_at: Timestamp,
    /// How long the settings stay fresh.
    pub ttl: Duration,
}

impl CacheEntry {
    /// Whether the settings are still fresh at `now`.
    pub fn is_fresh(&self, now: Timestamp) -> bool {
        elapsed(self.refreshed_at, now) < self.ttl
    }

    /// Whether a connection error to the EWS URL at `now` should trigger a refresh (more than an
    /// hour since the last one).
    pub fn refresh_on_connection_error(&self, now: Timestamp) -> bool {
        elapsed(self.refreshed_at, now) > REFRESH_AFTER_CONNECTION_ERROR
    }
}

fn elapsed(since: Timestamp, now: Timestamp) -> Duration {
    let seconds = now.as_second().saturating_sub(since.as_second());
    Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

/// What a lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheLookup<'a> {
    /// Nothing cached: run discovery from scratch.
    Miss,
    /// Fresh settings: use them; no discovery needed.
    Fresh(&'a CacheEntry),
    /// Expired: rerun discovery starting with the cached endpoint.
    Expired(&'a CacheEntry),
}

/// The cache. Serializable so callers can persist it; carries [`CACHE_VERSION`].
///
/// ```
/// use autodiscover::{CacheLookup, EndpointCache, Method};
/// let cache = EndpointCache::new();
/// let now: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
/// assert!(matches!(cache.lookup("contoso.com", Method::Soap, now), CacheLookup::Miss));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointCache {
    /// Format version ([`CACHE_VERSION`]).
    pub version: u32,
    entries: Vec<CacheEntry>,
}

impl Default for EndpointCache {
    fn default() -> Self {
        Self::new()
    }
}

impl EndpointCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            version: CACHE_VERSION,
            entries: Vec::new(),
        }
    }

    /// Looks up `(domain, method)` at `now`.
    pub fn lookup(&self, domain: &str, method: Method, now: Timestamp) -> CacheLookup<'_> {
        let domain = domain.to_ascii_lowercase();
        match self
            .entries
            .iter()
            .find(|e| e.domain == domain && e.method == method)
        {
            None => CacheLookup::Miss,
            Some(entry) if entry.is_fresh(now) => CacheLookup::Fresh(entry),
            Some(entry) => CacheLookup::Expired(entry),
        }
    }

    /// Stores (or replaces) the result of a successful discovery for `domain` (the domain the run
    /// started from, before any address redirect).
    pub fn store(&mut self, domain: &str, method: Method, success: &Success, now: Timestamp) {
        let domain = domain.to_ascii_lowercase();
        self.purge(&domain, method);
        self.entries.push(CacheEntry {
            domain,
            method,
            autodiscover_endpoint: success.autodiscover_endpoint.clone(),
            ews_url: success.ews_url.clone(),
            settings: success.settings.clone(),
            refreshed_at: now,
            ttl: success.ttl,
        });
    }

    /// Removes the entry for `(domain, method)`, e.g. after discovery from it failed.
    pub fn purge(&mut self, domain: &str, method: Method) {
        let domain = domain.to_ascii_lowercase();
        self.entries
            .retain(|e| !(e.domain == domain && e.method == method));
    }

    /// All entries.
    pub fn entries(&self) -> &[CacheEntry] {
        &self.entries
    }
}
