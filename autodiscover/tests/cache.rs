//! The endpoint cache (reference note §4 "Cache") and starting discovery from a cache hit.

mod support;

use std::time::Duration;

use autodiscover::{CACHE_VERSION, CacheLookup, EndpointCache, Method};
use jiff::{SignedDuration, Timestamp};
use support::*;

const EWS: &str = "https://mail.contoso.com/EWS/Exchange.asmx";
const CACHED: &str = "https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml";
const D_XML: &str = "https://contoso.com/autodiscover/autodiscover.xml";

fn t0() -> Timestamp {
    "2026-03-01T08:00:00Z".parse().unwrap()
}

fn later(hours: i64) -> Timestamp {
    t0() + SignedDuration::from_hours(hours)
}

#[test]
fn ttl_expiry_refresh_and_purge() {
    let run = drive_default(
        config("mara@contoso.com").with_method(Method::Pox),
        Peer::new(|_: &Sent| pox_settings(EWS)),
    );
    let success = run.success();
    assert_eq!(
        success.ttl,
        Duration::from_secs(2 * 3600),
        "POX TTL of 2 hours"
    );
    let mut cache = EndpointCache::new();
    cache.store("Contoso.com", Method::Pox, success, t0());
    let CacheLookup::Fresh(entry) = cache.lookup("contoso.com", Method::Pox, later(1)) else {
        panic!("fresh")
    };
    assert_eq!(entry.ews_url.as_str(), EWS);
    assert!(!entry.refresh_on_connection_error(t0() + SignedDuration::from_mins(30)));
    assert!(entry.refresh_on_connection_error(later(1) + SignedDuration::from_mins(1)));
    assert!(
        matches!(
            cache.lookup("contoso.com", Method::Soap, later(1)),
            CacheLookup::Miss
        ),
        "keyed by method"
    );
    assert!(matches!(
        cache.lookup("contoso.com", Method::Pox, later(3)),
        CacheLookup::Expired(_)
    ));
    // Persisted form carries the version and round-trips; no credentials are in it.
    let json = serde_json::to_string(&cache).unwrap();
    assert!(json.contains(&format!("\"version\":{CACHE_VERSION}")));
    assert_eq!(serde_json::from_str::<EndpointCache>(&json).unwrap(), cache);
    cache.purge("contoso.com", Method::Pox);
    assert!(cache.entries().is_empty());
}

#[test]
fn soap_answers_cache_for_seven_days() {
    let run = drive_default(
        config("mara@contoso.com"),
        Peer::new(|_: &Sent| soap_settings(EWS)),
    );
    assert_eq!(run.success().ttl, Duration::from_secs(7 * 24 * 3600));
}

#[test]
fn a_cache_hit_is_tried_first_and_failure_falls_back_to_discovery() {
    let cached = url::Url::parse(CACHED).unwrap();
    let config = || {
        config("mara@contoso.com")
            .with_method(Method::Pox)
            .with_cached_endpoint(cached.clone())
            .unwrap()
    };
    let mut oracle = Oracle::new("contoso.com", &["autodiscover-s.outlook.com"], false);
    let run = drive(
        config(),
        Peer::new(|_: &Sent| pox_settings(EWS)),
        &mut oracle,
    );
    assert_eq!(run.urls(), [CACHED]);
    assert!(run.sent[0].credentials);
    assert!(run.prompts.is_empty());
    let mut oracle = Oracle::new("contoso.com", &["autodiscover-s.outlook.com"], false);
    let run = drive(
        config(),
        Peer::new(|s: &Sent| {
            if s.url == CACHED {
                Reply::Status(404)
            } else {
                pox_settings(EWS)
            }
        }),
        &mut oracle,
    );
    assert_eq!(run.urls(), [CACHED, D_XML]);
    assert_eq!(run.success().autodiscover_endpoint.as_str(), D_XML);
    // Basic never goes to the cached host (trusted only like a confirmation).
    let mut oracle = Oracle::new("contoso.com", &["autodiscover-s.outlook.com"], true);
    let run = drive(
        config().with_auth(vec![
            autodiscover::AuthScheme::Basic,
            autodiscover::AuthScheme::Ntlm,
        ]),
        Peer::new(|_: &Sent| pox_settings(EWS)),
        &mut oracle,
    );
    assert_eq!(run.sent[0].schemes, [autodiscover::AuthScheme::Ntlm]);
    assert!(
        config()
            .with_cached_endpoint(url::Url::parse("http://x.contoso.com/a").unwrap())
            .is_err()
    );
}
