//! Property test (reference note §7.11): over random configurations and random transcripts of
//! responses, redirects, SRV answers and user decisions, every request satisfies invariants I1–I6
//! (checked by the independent oracle in `support`), no credentials go outside the trust set, and
//! the machine terminates within the request limit.

mod support;

use autodiscover::{AuthScheme, Method, SrvRecord, TransportErrorKind};
use proptest::prelude::*;
use support::*;

const EMAILS: &[&str] = &["a@contoso.com", "a@example.co.uk", "a@mail.contoso.com"];
const HOSTS: &[&str] = &[
    "contoso.com",
    "mail.contoso.com",
    "autodiscover.contoso.com",
    "evil.test",
    "autodiscover.evil.test",
    "autodiscover.co.uk",
    "co.uk",
    "com",
    "outlook.office365.com",
    "tenant.onmicrosoft.com",
    "example.co.uk",
    "autodiscover.example.co.uk",
    "127.0.0.1",
];
const PATHS: &[&str] = &[
    "/autodiscover/autodiscover.xml",
    "/autodiscover/autodiscover.svc",
    "/owa/",
    "/x/autodiscover/autodiscover.xml",
    "/EWS/Exchange.asmx",
];
const ADDRESSES: &[&str] = &[
    "a@contoso.com",
    "b@contoso.com",
    "c@mail.contoso.com",
    "d@other.test",
    "e@co.uk",
    "f@tenant.onmicrosoft.com",
    "a@example.co.uk",
    "not-an-address",
];

fn url_strategy() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["https", "http"]),
        prop::sample::select(HOSTS.to_vec()),
        prop::sample::select(PATHS.to_vec()),
        prop::sample::select(vec!["", ":8443", ":443"]),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(scheme, host, path, port, userinfo)| {
            let user = if userinfo { "u:p@" } else { "" };
            format!("{scheme}://{user}{host}{port}{path}")
        })
}

fn reply_strategy() -> impl Strategy<Value = Reply> {
    prop_oneof![
        prop::sample::select(vec![200u16, 302, 400, 404, 500, 503]).prop_map(Reply::Status),
        (
            prop::sample::select(vec![301u16, 302, 307, 308]),
            url_strategy()
        )
            .prop_map(|(code, url)| Reply::Redirect(code, url)),
        url_strategy().prop_map(|u| pox_redirect_url(&u)),
        prop::sample::select(ADDRESSES.to_vec()).prop_map(pox_redirect_addr),
        prop::sample::select(ADDRESSES.to_vec())
            .prop_map(|a| soap_user_error("RedirectAddress", Some(a))),
        url_strategy().prop_map(|u| soap_user_error("RedirectUrl", Some(&u))),
        Just(soap_user_error("ServerBusy", None)),
        Just(soap_user_error("InvalidUser", None)),
        prop::sample::select(vec!["500", "501", "600", "603"]).prop_map(pox_error),
        url_strategy().prop_map(|u| pox_settings(&u)),
        url_strategy().prop_map(|u| soap_settings(&u)),
        url_strategy()
            .prop_map(|u| Reply::Json(200, format!(r#"{{"Protocol":"EWS","Url":"{u}"}}"#))),
        url_strategy().prop_map(|u| Reply::Json(
            200,
            format!(r#"{{"Protocol":"AutodiscoverV1","Url":"{u}"}}"#)
        )),
        Just(Reply::Json(
            400,
            r#"{"ErrorCode":"InvalidProtocol"}"#.into()
        )),
        prop::sample::select(vec!["Basic", "NTLM", "Bearer", "Negotiate"])
            .prop_map(|s| Reply::Unauthorized(vec![s.to_owned()])),
        Just(html_login_page()),
        Just(Reply::Transport(TransportErrorKind::Tls)),
        Just(Reply::Transport(TransportErrorKind::Dns)),
        prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| Reply::Xml(String::from_utf8_lossy(&b).into_owned())),
    ]
}

fn srv_strategy() -> impl Strategy<Value = Vec<SrvRecord>> {
    prop::collection::vec(
        (
            0u16..3,
            0u16..5,
            prop::sample::select(vec![443u16, 8443]),
            prop::sample::select(HOSTS.to_vec()),
        )
            .prop_map(|(priority, weight, port, target)| SrvRecord {
                priority,
                weight,
                port,
                target: format!("{target}."),
            }),
        0..4,
    )
}

#[derive(Debug, Clone)]
struct Scenario {
    email: &'static str,
    pox: bool,
    json: bool,
    cloud: bool,
    basic: bool,
    allow: Vec<&'static str>,
    scp: bool,
    srv_seed: Option<u64>,
    replies: Vec<Reply>,
    srv: Vec<SrvRecord>,
    decisions: Vec<bool>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (
            prop::sample::select(EMAILS.to_vec()),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            prop::sample::subsequence(
                vec!["*.onmicrosoft.com", "outlook.office365.com", "evil.test"],
                0..=3,
            ),
            any::<bool>(),
            prop::option::of(any::<u64>()),
        ),
        prop::collection::vec(reply_strategy(), 0..40),
        srv_strategy(),
        prop::collection::vec(any::<bool>(), 0..10),
    )
        .prop_map(
            |((email, pox, json, cloud, basic, allow, scp, srv_seed), replies, srv, decisions)| {
                Scenario {
                    email,
                    pox,
                    json,
                    cloud,
                    basic,
                    allow,
                    scp,
                    srv_seed,
                    replies,
                    srv,
                    decisions,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold_for_random_transcripts(s in scenario()) {
        let mut auth = vec![AuthScheme::Ntlm, AuthScheme::Bearer];
        if s.basic {
            auth.push(AuthScheme::Basic);
        }
        let mut config = config(s.email)
            .with_method(if s.pox { Method::Pox } else { Method::Soap })
            .with_json_v2(s.json)
            .with_json_v2_cloud(s.cloud)
            .with_auth(auth)
            .with_allow_list(s.allow.iter().copied())
            .unwrap();
        if let Some(seed) = s.srv_seed {
            config = config.with_srv_seed(seed);
        }
        if s.scp {
            config = config.with_scp_urls(["https://exch.corp.contoso.com/autodiscover/autodiscover.xml"]).unwrap();
        }
        let domain = config.email().domain().to_owned();
        let allow: Vec<String> = config.allow_list().iter().map(|p| p.to_string()).collect();
        let allow: Vec<&str> = allow.iter().map(String::as_str).collect();
        let mut oracle = Oracle::new(&domain, &allow, s.basic);
        let mut replies = s.replies.clone().into_iter();
        let mut decisions = s.decisions.clone().into_iter();
        let srv = s.srv.clone();
        let run = drive(
            config,
            Peer::new(move |_| replies.next().unwrap_or(Reply::Transport(TransportErrorKind::Connect)))
                .srv(move |_| Ok(srv.clone()))
                .decide(move |_| decisions.next().unwrap_or(false)),
            &mut oracle,
        );
        prop_assert!(run.sent.len() <= 24);
        // Nothing reaches a public suffix or autodiscover.<public suffix>, whatever was accepted.
        for host in run.hosts() {
            prop_assert!(!["co.uk", "com", "autodiscover.co.uk", "127.0.0.1"].contains(&host), "{}", host);
        }
        // http:// never carries credentials or a body.
        for sent in &run.sent {
            if sent.scheme == "http" {
                prop_assert!(!sent.credentials && sent.body.is_empty());
            }
        }
        if let Ok(success) = &run.result {
            prop_assert_eq!(success.ews_url.scheme(), "https");
        }
    }
}
