//! The test vectors of `shared/reference/autodiscover.md` §7, as transcript fixtures.

mod support;

use autodiscover::{
    AttemptOutcome, AuthScheme, BlockReason, Config, Error, Limits, Method, PublicSuffix,
    RedirectReason, SrvRecord, TransportErrorKind,
};
use support::*;

const EWS: &str = "https://mail.contoso.com/EWS/Exchange.asmx";
const D_XML: &str = "https://contoso.com/autodiscover/autodiscover.xml";
const AD_XML: &str = "https://autodiscover.contoso.com/autodiscover/autodiscover.xml";
const D_SVC: &str = "https://contoso.com/autodiscover/autodiscover.svc";
const AD_SVC: &str = "https://autodiscover.contoso.com/autodiscover/autodiscover.svc";
const PROBE: &str = "http://autodiscover.contoso.com/autodiscover/autodiscover.xml";

fn pox(email: &str) -> Config {
    config(email).with_method(Method::Pox)
}

fn refuse(_: &Sent) -> Reply {
    Reply::Transport(TransportErrorKind::Connect)
}

fn outcomes(run: &Run) -> Vec<AttemptOutcome> {
    match &run.result {
        Ok(s) => s.attempts.iter().map(|a| a.outcome.clone()).collect(),
        Err(e) => e.attempts().iter().map(|a| a.outcome.clone()).collect(),
    }
}

fn blocked(run: &Run, reason: BlockReason) -> bool {
    outcomes(run)
        .iter()
        .any(|o| matches!(o, AttemptOutcome::RedirectBlocked { reason: r, .. } if *r == reason))
}

// ----- 1. happy paths -----

#[test]
fn v1_happy_paths() {
    // (name, config, server answers by URL, expected requests, expected EWS URL)
    type Case = (
        &'static str,
        Config,
        Vec<(&'static str, Reply)>,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "pox at https://D",
            pox("mara@contoso.com"),
            vec![(D_XML, pox_settings(EWS))],
            vec![D_XML],
        ),
        (
            "soap at https://D",
            config("mara@contoso.com"),
            vec![(D_SVC, soap_settings(EWS))],
            vec![D_SVC],
        ),
        (
            "pox at https://autodiscover.D",
            pox("mara@contoso.com"),
            vec![(AD_XML, pox_settings(EWS))],
            vec![D_XML, AD_XML],
        ),
        (
            "scp first",
            pox("mara@contoso.com")
                .with_scp_urls(["https://exch01.corp.contoso.local/autodiscover/autodiscover.xml"])
                .unwrap(),
            vec![(
                "https://exch01.corp.contoso.local/autodiscover/autodiscover.xml",
                pox_settings(EWS),
            )],
            vec!["https://exch01.corp.contoso.local/autodiscover/autodiscover.xml"],
        ),
    ];
    for (name, config, answers, expected) in cases {
        let run = drive_default(
            config,
            Peer::new(|s: &Sent| {
                answers
                    .iter()
                    .find(|(u, _)| *u == s.url)
                    .map_or(Reply::Status(404), |(_, r)| r.clone())
            }),
        );
        assert_eq!(run.urls(), expected, "{name}");
        let success = run.success();
        assert_eq!(success.ews_url.as_str(), EWS, "{name}");
        assert!(
            run.sent.iter().all(|s| s.credentials),
            "{name}: credentials on every trusted POST"
        );
        assert_eq!(success.smtp_address.to_string(), "mara@contoso.com");
    }
}

#[test]
fn v1_settings_details() {
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|_: &Sent| pox_settings(EWS)),
    );
    let s = run.success();
    assert_eq!(
        s.ews_version.map(|v| v.to_string()).as_deref(),
        Some("15.0.516")
    );
    assert_eq!(s.ttl, std::time::Duration::from_secs(2 * 3600));
    assert_eq!(s.autodiscover_endpoint.as_str(), D_XML);
    assert_eq!(s.settings.get("EwsUrl").map(String::as_str), Some(EWS));
    let run = drive_default(
        config("mara@contoso.com"),
        Peer::new(|_: &Sent| soap_settings(EWS)),
    );
    let s = run.success();
    assert_eq!(
        s.ews_version.map(|v| v.to_string()).as_deref(),
        Some("15.1.160")
    );
    let body = &run.sent[0].body;
    assert!(body.contains("<wsa:To>https://contoso.com/autodiscover/autodiscover.svc</wsa:To>"));
    assert!(body.contains("<a:RequestedServerVersion>Exchange2013</a:RequestedServerVersion>"));
}

// ----- 2. leak regression -----

#[test]
fn v2_example_co_uk_never_fails_up() {
    let run = drive_default(
        pox("user@example.co.uk"),
        Peer::new(refuse).srv(|_| Ok(vec![])),
    );
    assert!(matches!(run.error(), Error::AutodiscoverFailed { .. }));
    assert_eq!(
        run.urls(),
        [
            "https://example.co.uk/autodiscover/autodiscover.xml",
            "https://autodiscover.example.co.uk/autodiscover/autodiscover.xml",
            "http://autodiscover.example.co.uk/autodiscover/autodiscover.xml",
        ]
    );
    assert_eq!(run.srv_lookups, ["_autodiscover._tcp.example.co.uk"]);
    let message = run.error().to_string();
    println!("{message}");
    assert!(message.contains(
        "  1. https://example.co.uk/autodiscover/autodiscover.xml (Domain, credentials allowed): transport error (Connect)"
    ), "{message}");
    for host in run.hosts() {
        assert!(
            host == "example.co.uk" || host.ends_with(".example.co.uk"),
            "{host}"
        );
        assert!(!["autodiscover.co.uk", "co.uk", "uk"].contains(&host));
    }
}

#[test]
fn v2_public_suffix_and_single_label_domains_are_refused_before_any_request() {
    for email in [
        "user@co.uk",
        "user@com",
        "user@localhost",
        "user@github.io",
        "user@192.168.0.1",
    ] {
        let err = Config::new(email, PublicSuffix::mozilla()).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidDomain { .. } | Error::InvalidEmailAddress { .. }
            ),
            "{email}: {err}"
        );
    }
    let err = Config::new("user@co.uk", PublicSuffix::mozilla()).unwrap_err();
    assert!(matches!(err, Error::InvalidDomain { .. }), "{err}");
}

#[test]
fn v2_redirects_to_autodiscover_public_suffix_are_refused_even_if_accepted() {
    for target in [
        "https://autodiscover.co.uk/autodiscover/autodiscover.xml",
        "https://co.uk/autodiscover/autodiscover.xml",
    ] {
        let run = drive_default(
            pox("user@example.co.uk"),
            Peer::new(|s: &Sent| {
                if s.scheme == "http" {
                    redirect(target)
                } else {
                    Reply::Status(404)
                }
            })
            .decide(|_| true),
        );
        assert!(run.prompts.is_empty(), "no prompt offered for {target}");
        assert!(
            !run.hosts()
                .iter()
                .any(|h| h.ends_with("co.uk") && !h.ends_with("example.co.uk"))
        );
        assert!(blocked(&run, BlockReason::PublicSuffix));
        // An SRV answer pointing there is refused too.
        let run = drive_default(
            pox("user@example.co.uk"),
            Peer::new(refuse)
                .srv(|_| {
                    Ok(vec![SrvRecord {
                        priority: 0,
                        weight: 0,
                        port: 443,
                        target: "autodiscover.co.uk.".into(),
                    }])
                })
                .decide(|_| true),
        );
        assert!(run.prompts.is_empty());
        assert!(!run.hosts().contains(&"autodiscover.co.uk"));
    }
}

// ----- 3. HTTP probe -----

fn probe_peer<'a>(location: &'a str, then: impl Fn(&Sent) -> Reply + 'a) -> Peer<'a> {
    Peer::new(move |s: &Sent| match s.url.as_str() {
        D_SVC | AD_SVC => Reply::Status(404),
        PROBE => redirect(location),
        _ => then(s),
    })
}

#[test]
fn v3_probe_redirect_inside_domain_is_trusted() {
    let run = drive_default(
        config("mara@contoso.com"),
        probe_peer(AD_XML, |_| pox_settings(EWS)),
    );
    assert_eq!(run.urls(), [D_SVC, AD_SVC, PROBE, AD_XML]);
    assert!(!run.sent[2].credentials && run.sent[2].method == "GET" && run.sent[2].body.is_empty());
    assert!(
        run.sent[3].credentials,
        "credentials attached to the trusted target"
    );
    assert_eq!(run.sent[3].method, "POST");
    assert!(run.prompts.is_empty());
    assert_eq!(run.success().ews_url.as_str(), EWS);
}

#[test]
fn v3_probe_redirect_to_another_domain_needs_confirmation() {
    let evil = "https://evil.test/autodiscover/autodiscover.xml";
    // Decline: blocked, never contacted.
    let run = drive_default(
        config("mara@contoso.com"),
        probe_peer(evil, |_| pox_settings(EWS)),
    );
    assert_eq!(run.prompts.len(), 1);
    assert_eq!(run.prompts[0].reason, RedirectReason::HttpRedirect);
    assert_eq!(run.prompts[0].target, evil);
    assert_eq!(run.prompts[0].from_domain, "contoso.com");
    assert!(!run.hosts().contains(&"evil.test"));
    assert!(blocked(&run, BlockReason::Declined));
    assert!(matches!(run.error(), Error::AutodiscoverFailed { .. }));
    // Accept: contacted only after the accept, with credentials (no Basic).
    let run = drive_default(
        config("mara@contoso.com"),
        probe_peer(evil, |_| pox_settings(EWS)).decide(|_| true),
    );
    assert_eq!(
        run.transcript[..5],
        [
            format!("SendHttp POST {D_SVC} +creds"),
            format!("SendHttp POST {AD_SVC} +creds"),
            format!("SendHttp GET {PROBE}"),
            format!("ConfirmRedirect HttpRedirect {evil}"),
            format!("SendHttp POST {evil} +creds"),
        ]
    );
    assert_eq!(run.success().ews_url.as_str(), EWS);
}

#[test]
fn v3_probe_redirects_that_are_blocked() {
    let cases = [
        (
            "http://autodiscover.contoso.com/autodiscover/autodiscover.svc",
            BlockReason::InsecureScheme,
        ),
        (
            "https://mail.contoso.com/owa/",
            BlockReason::NotAutodiscoverPath,
        ),
        ("https://evil.test/login", BlockReason::NotAutodiscoverPath),
        (
            "https://user:pw@mail.contoso.com/autodiscover/autodiscover.xml",
            BlockReason::UserInfo,
        ),
        (
            "https://mail.contoso.com:8443/autodiscover/autodiscover.xml",
            BlockReason::DisallowedPort,
        ),
    ];
    for (location, reason) in cases {
        let run = drive_default(
            config("mara@contoso.com"),
            probe_peer(location, |_| pox_settings(EWS)).decide(|_| true),
        );
        assert!(blocked(&run, reason), "{location}: {:?}", outcomes(&run));
        assert!(run.prompts.is_empty(), "{location}");
        assert_eq!(
            run.sent.len(),
            3,
            "{location}: nothing sent after the probe"
        );
    }
}

// ----- 4. SRV -----

fn srv(priority: u16, weight: u16, port: u16, target: &str) -> SrvRecord {
    SrvRecord {
        priority,
        weight,
        port,
        target: target.into(),
    }
}

fn srv_run(records: Vec<SrvRecord>, accept: bool) -> Run {
    drive_default(
        pox("mara@contoso.com").with_http_probe(false),
        Peer::new(|s: &Sent| {
            if s.url == D_XML || s.url == AD_XML {
                Reply::Status(404)
            } else {
                pox_settings(EWS)
            }
        })
        .srv(move |_| Ok(records.clone()))
        .decide(move |_| accept),
    )
}

#[test]
fn v4_srv_selection() {
    let cases: Vec<(&str, Vec<SrvRecord>, &str)> = vec![
        (
            "priority 0 beats priority 10",
            vec![
                srv(10, 100, 443, "high.contoso.com."),
                srv(0, 1, 443, "low.contoso.com."),
            ],
            "low.contoso.com",
        ),
        (
            "highest weight wins within a priority",
            vec![
                srv(0, 10, 443, "light.contoso.com."),
                srv(0, 60, 443, "heavy.contoso.com."),
            ],
            "heavy.contoso.com",
        ),
        (
            "port 8443 is dropped",
            vec![
                srv(0, 100, 8443, "alt.contoso.com."),
                srv(5, 1, 443, "ok.contoso.com."),
            ],
            "ok.contoso.com",
        ),
        (
            "target . is ignored",
            vec![srv(0, 100, 443, "."), srv(1, 1, 443, "real.contoso.com.")],
            "real.contoso.com",
        ),
    ];
    for (name, records, host) in cases {
        let run = srv_run(records, false);
        assert_eq!(run.hosts().last().copied(), Some(host), "{name}");
        assert!(
            run.sent.last().unwrap().credentials,
            "{name}: in-domain SRV target is trusted"
        );
        assert!(run.prompts.is_empty(), "{name}");
        run.success();
    }
    let run = srv_run(
        vec![srv(0, 0, 443, "."), srv(0, 5, 8443, "alt.contoso.com")],
        true,
    );
    assert!(matches!(run.error(), Error::AutodiscoverFailed { .. }));
    assert!(outcomes(&run).contains(&AttemptOutcome::SrvUnusable));
}

#[test]
fn v4_srv_target_outside_domain_needs_confirmation() {
    let target = "https://mail.hoster.example/autodiscover/autodiscover.xml";
    let run = srv_run(vec![srv(0, 1, 443, "mail.hoster.example.")], false);
    assert_eq!(run.prompts.len(), 1);
    assert_eq!(run.prompts[0].reason, RedirectReason::Srv);
    assert_eq!(run.prompts[0].target, target);
    assert!(!run.hosts().contains(&"mail.hoster.example"));
    let run = srv_run(vec![srv(0, 1, 443, "mail.hoster.example.")], true);
    assert_eq!(run.urls().last().copied(), Some(target));
    assert!(run.sent.last().unwrap().credentials);
    run.success();
}

// ----- 5. redirect chains -----

#[test]
fn v5_eleven_30x_hops_are_too_many() {
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|s: &Sent| {
            let n: u32 = s
                .url
                .split("/hop")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            redirect(&format!(
                "https://contoso.com/hop{}/autodiscover/autodiscover.xml",
                n + 1
            ))
        }),
    );
    assert!(
        matches!(run.error(), Error::TooManyRedirects { limit: 10, .. }),
        "{}",
        run.error()
    );
    assert_eq!(
        run.sent.len(),
        11,
        "the original request and 10 followed redirects"
    );
}

#[test]
fn v5_redirect_loops_terminate() {
    let a = "https://a.contoso.com/autodiscover/autodiscover.xml";
    let b = "https://b.contoso.com/autodiscover/autodiscover.xml";
    // The same A -> B -> A loop through 30x and through in-band redirectUrl.
    let hops: [fn(&str) -> Reply; 2] = [redirect, pox_redirect_url];
    for hop in hops {
        let run = drive_default(
            pox("mara@contoso.com")
                .with_http_probe(false)
                .with_srv(false),
            Peer::new(|s: &Sent| match s.url.as_str() {
                D_XML => hop(a),
                x if x == a => hop(b),
                x if x == b => hop(a),
                _ => Reply::Status(404),
            }),
        );
        assert_eq!(run.urls(), [D_XML, a, b, AD_XML]);
        assert!(blocked(&run, BlockReason::AlreadyVisited));
        assert!(matches!(run.error(), Error::AutodiscoverFailed { .. }));
    }
}

#[test]
fn v5_redirect_url_targets() {
    // To http: blocked.
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(|s: &Sent| {
            if s.url == D_XML {
                pox_redirect_url("http://mail.contoso.com/autodiscover/autodiscover.xml")
            } else {
                Reply::Status(404)
            }
        }),
    );
    assert!(blocked(&run, BlockReason::InsecureScheme));
    assert!(run.sent.iter().all(|s| s.scheme == "https"));
    // To another domain: confirmation; nothing sent there before the accept.
    let foreign = "https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml";
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(|s: &Sent| {
            if s.url == D_XML {
                pox_redirect_url(foreign)
            } else {
                Reply::Status(404)
            }
        }),
    );
    assert_eq!(run.prompts.len(), 1);
    assert_eq!(run.prompts[0].reason, RedirectReason::InBandRedirect);
    assert!(!run.urls().contains(&foreign));
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(|s: &Sent| match s.url.as_str() {
            D_XML => pox_redirect_url(foreign),
            x if x == foreign => pox_settings("https://outlook.office365.com/EWS/Exchange.asmx"),
            _ => Reply::Status(404),
        })
        .decide(|_| true),
    );
    assert_eq!(run.urls(), [D_XML, foreign]);
    assert!(run.sent[1].credentials);
    assert_eq!(
        run.success().ews_url.as_str(),
        "https://outlook.office365.com/EWS/Exchange.asmx"
    );
}

// ----- 6. redirectAddr -----

#[test]
fn v6_same_address_marks_url_invalid() {
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|s: &Sent| match s.url.as_str() {
            D_XML => pox_redirect_addr("Mara@contoso.com"),
            AD_XML => pox_settings(EWS),
            _ => Reply::Status(404),
        }),
    );
    assert_eq!(run.urls(), [D_XML, AD_XML]);
    assert_eq!(outcomes(&run)[0], AttemptOutcome::SameAddressRedirect);
    run.success();
}

#[test]
fn v6_address_loop() {
    let run = drive_default(
        pox("a@contoso.com"),
        Peer::new(|s: &Sent| {
            if mailbox_of(&s.body) == "a@contoso.com" {
                pox_redirect_addr("b@contoso.com")
            } else {
                pox_redirect_addr("a@contoso.com")
            }
        }),
    );
    assert!(
        matches!(run.error(), Error::RedirectLoop { address, .. } if address == "a@contoso.com")
    );
    assert_eq!(run.sent.len(), 2);
}

#[test]
fn v6_address_redirect_limit() {
    let run = drive_default(
        pox("u0@contoso.com"),
        Peer::new(|s: &Sent| {
            let n: u32 = mailbox_of(&s.body)[1..]
                .split('@')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            pox_redirect_addr(&format!("u{}@contoso.com", n + 1))
        }),
    );
    assert!(
        matches!(run.error(), Error::TooManyRedirects { limit: 3, .. }),
        "{}",
        run.error()
    );
    assert_eq!(run.sent.len(), 4);
}

#[test]
fn v6_cross_domain_address_redirect() {
    let tenant = "mara@contoso.mail.onmicrosoft.com";
    let tenant_xml = "https://contoso.mail.onmicrosoft.com/autodiscover/autodiscover.xml";
    let peer = || {
        Peer::new(move |s: &Sent| match s.url.as_str() {
            D_XML => pox_redirect_addr(tenant),
            x if x == tenant_xml => pox_settings("https://outlook.office365.com/EWS/Exchange.asmx"),
            _ => Reply::Status(404),
        })
    };
    // Not trusted: a prompt, and declining leaves the new domain untouched.
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        peer(),
    );
    assert_eq!(run.prompts.len(), 1);
    assert_eq!(run.prompts[0].reason, RedirectReason::CrossDomainAddress);
    assert_eq!(run.prompts[0].target, tenant);
    assert!(!run.hosts().iter().any(|h| h.contains("onmicrosoft")));
    // Accepted: discovery restarts for the new domain, still as the original account.
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        peer().decide(|_| true),
    );
    assert_eq!(run.urls(), [D_XML, tenant_xml]);
    let after = &run.sent[1];
    assert!(after.credentials);
    assert_eq!(mailbox_of(&after.body), tenant);
    assert_eq!(
        after.account.as_deref(),
        Some("mara@contoso.com"),
        "the original user name is kept"
    );
    assert_eq!(run.success().smtp_address.to_string(), tenant);
    // Allow-listed *.onmicrosoft.com: no prompt.
    let config = pox("mara@contoso.com")
        .with_allow_list(["*.onmicrosoft.com"])
        .unwrap();
    let mut oracle = Oracle::new("contoso.com", &["*.onmicrosoft.com"], false);
    let run = drive(config, peer(), &mut oracle);
    assert!(run.prompts.is_empty());
    assert_eq!(run.urls(), [D_XML, tenant_xml]);
    run.success();
}

// ----- 7. errors -----

#[test]
fn v7_error_mapping() {
    // 401 then success.
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|s: &Sent| {
            if s.url == D_XML {
                Reply::Unauthorized(vec!["NTLM".into()])
            } else {
                pox_settings(EWS)
            }
        }),
    );
    run.success();
    // 401 everywhere.
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|s: &Sent| {
            if s.scheme == "https" {
                Reply::Unauthorized(vec!["Negotiate".into(), "NTLM".into()])
            } else {
                Reply::Status(404)
            }
        }),
    );
    assert!(
        matches!(run.error(), Error::Unauthorized { rejections: 2, .. }),
        "{}",
        run.error()
    );
    // POX 500 from https://D: terminal.
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|_: &Sent| pox_error("500")),
    );
    assert!(matches!(run.error(), Error::NonExistentMailbox { .. }));
    assert_eq!(run.sent.len(), 1);
    // SOAP InvalidUser: terminal.
    let run = drive_default(
        config("mara@contoso.com"),
        Peer::new(|_: &Sent| soap_user_error("InvalidUser", None)),
    );
    assert!(matches!(run.error(), Error::NonExistentMailbox { .. }));
    // POX 500 from an SCP URL: inconclusive, continue.
    let scp = "https://exch01.contoso.local/autodiscover/autodiscover.xml";
    let run = drive_default(
        pox("mara@contoso.com").with_scp_urls([scp]).unwrap(),
        Peer::new(|s: &Sent| {
            if s.url == scp {
                pox_error("500")
            } else {
                pox_settings(EWS)
            }
        }),
    );
    assert_eq!(run.urls(), [scp, D_XML]);
    run.success();
    // ServerBusy twice: the candidate is requeued at the end once, then failed.
    let run = drive_default(
        config("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(|s: &Sent| {
            if s.url == D_SVC {
                soap_user_error("ServerBusy", None)
            } else {
                Reply::Status(503)
            }
        }),
    );
    assert_eq!(run.urls(), [D_SVC, AD_SVC, D_SVC]);
    assert!(matches!(run.error(), Error::AutodiscoverFailed { .. }));
    assert_eq!(outcomes(&run)[0], AttemptOutcome::ServerBusy);
    assert!(
        matches!(&outcomes(&run)[2], AttemptOutcome::ServerError { code, .. } if code == "ServerBusy")
    );
    // ServerBusy once, then success on the retry.
    let mut busy = true;
    let run = drive_default(
        config("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(move |s: &Sent| {
            if s.url == D_SVC && std::mem::take(&mut busy) {
                soap_user_error("ServerBusy", None)
            } else if s.url == D_SVC {
                soap_settings(EWS)
            } else {
                Reply::Status(404)
            }
        }),
    );
    assert_eq!(run.urls(), [D_SVC, AD_SVC, D_SVC]);
    run.success();
    // An HTML login page with status 200: next candidate.
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(|s: &Sent| {
            if s.url == D_XML {
                html_login_page()
            } else {
                pox_settings(EWS)
            }
        }),
    );
    assert_eq!(run.urls(), [D_XML, AD_XML]);
    assert!(matches!(
        outcomes(&run)[0],
        AttemptOutcome::Unparseable { .. }
    ));
    // Other POX errors: next candidate, remembered.
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(|_: &Sent| pox_error("603")),
    );
    let err = run.error();
    assert!(matches!(err, Error::AutodiscoverFailed { .. }));
    assert!(err.to_string().contains("603"), "{err}");
    // An http:// EWS URL in settings is refused.
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(|_: &Sent| pox_settings("http://mail.contoso.com/EWS/Exchange.asmx")),
    );
    assert!(matches!(
        outcomes(&run)[0],
        AttemptOutcome::InvalidEwsUrl { .. }
    ));
}

// ----- 8. auth downgrade -----

#[test]
fn v8_basic_challenge_is_never_answered_with_basic() {
    for schemes in [
        vec![AuthScheme::Ntlm],
        vec![AuthScheme::Bearer],
        vec![AuthScheme::Bearer, AuthScheme::Ntlm],
    ] {
        let run = drive_default(
            pox("mara@contoso.com").with_auth(schemes.clone()),
            Peer::new(|s: &Sent| {
                if s.scheme == "https" {
                    Reply::Unauthorized(vec![r#"Basic realm="autodiscover""#.into()])
                } else {
                    Reply::Status(404)
                }
            }),
        );
        assert!(
            run.sent
                .iter()
                .all(|s| !s.schemes.contains(&AuthScheme::Basic))
        );
        assert!(
            run.sent
                .iter()
                .filter(|s| s.credentials)
                .all(|s| s.schemes == schemes)
        );
        let err = run.error();
        assert!(
            err.attempts().iter().any(|a| a.offered_auth == ["Basic"]),
            "{err}"
        );
        assert!(err.to_string().contains("server offered: Basic"));
        if schemes.contains(&AuthScheme::Bearer) {
            assert_eq!(
                run.sent[0].anchor_mailbox.as_deref(),
                Some("mara@contoso.com")
            );
        }
    }
}

#[test]
fn v8_basic_never_goes_to_confirmed_only_hosts() {
    let foreign = "https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml";
    let config = pox("mara@contoso.com")
        .with_auth(vec![AuthScheme::Basic])
        .with_http_probe(false)
        .with_srv(false);
    let mut oracle = Oracle::new("contoso.com", &[], true);
    let run = drive(
        config,
        Peer::new(|s: &Sent| {
            if s.url == D_XML {
                pox_redirect_url(foreign)
            } else {
                Reply::Status(404)
            }
        })
        .decide(|_| true),
        &mut oracle,
    );
    assert_eq!(run.sent[0].schemes, [AuthScheme::Basic]);
    let to_foreign = run
        .sent
        .iter()
        .find(|s| s.url == foreign)
        .expect("sent after accept");
    assert!(
        !to_foreign.credentials,
        "Basic is the only scheme, so no credentials at all"
    );
}

// ----- 9. JSON v2 -----

#[test]
fn v9_json_v2() {
    // Off by default.
    let run = drive_default(pox("mara@contoso.com"), Peer::new(refuse));
    assert!(run.urls().iter().all(|u| !u.contains("autodiscover.json")));
    // On: first, unauthenticated, at D and autodiscover.D only.
    let o365 = "https://outlook.office365.com/EWS/Exchange.asmx";
    let json_ok = format!(r#"{{"Protocol":"EWS","Url":"{o365}"}}"#);
    let peer = |json_ok: String| {
        Peer::new(move |s: &Sent| {
            if s.url
                .starts_with("https://contoso.com/autodiscover/autodiscover.json")
            {
                Reply::Json(200, json_ok.clone())
            } else {
                Reply::Status(404)
            }
        })
    };
    let run = drive_default(
        pox("mara@contoso.com").with_json_v2(true),
        peer(json_ok.clone()),
    );
    assert_eq!(
        run.urls()[0],
        "https://contoso.com/autodiscover/autodiscover.json/v1.0/mara%40contoso.com?Protocol=EWS"
    );
    assert_eq!(run.sent[0].method, "GET");
    assert!(!run.sent[0].credentials);
    assert_eq!(run.prompts.len(), 1);
    assert_eq!(run.prompts[0].reason, RedirectReason::JsonV2);
    assert_eq!(run.prompts[0].target, o365);
    assert!(
        run.hosts().iter().all(|h| *h != "outlook.office365.com"),
        "no cloud query without the second opt-in"
    );
    // Accepted: done.
    let run = drive_default(
        pox("mara@contoso.com").with_json_v2(true),
        peer(json_ok.clone()).decide(|_| true),
    );
    assert_eq!(run.success().ews_url.as_str(), o365);
    // Allow-listed: no prompt.
    let config = pox("mara@contoso.com")
        .with_json_v2(true)
        .with_allow_list(["outlook.office365.com"])
        .unwrap();
    let mut oracle = Oracle::new("contoso.com", &["outlook.office365.com"], false);
    let run = drive(config, peer(json_ok), &mut oracle);
    assert!(run.prompts.is_empty());
    assert_eq!(run.success().ews_url.as_str(), o365);
    // InvalidProtocol 400: next candidate.
    let run = drive_default(
        pox("mara@contoso.com").with_json_v2(true),
        Peer::new(|s: &Sent| {
            if s.url.contains("autodiscover.json") {
                Reply::Json(400, r#"{"ErrorCode":"InvalidProtocol","ErrorMessage":"The given protocol value is invalid."}"#.into())
            } else {
                pox_settings(EWS)
            }
        }),
    );
    assert_eq!(run.sent.len(), 3);
    assert!(
        matches!(&outcomes(&run)[0], AttemptOutcome::ServerError { code, .. } if code == "InvalidProtocol")
    );
    run.success();
    // The cloud host only with the second opt-in.
    let run = drive_default(
        pox("mara@contoso.com")
            .with_json_v2(true)
            .with_json_v2_cloud(true),
        Peer::new(refuse),
    );
    assert!(run.hosts().contains(&"outlook.office365.com"));
}

// ----- 10. namespaces -----

#[test]
fn v10_https_namespace_variant_parses() {
    let body = pox_settings(EWS);
    let Reply::Xml(body) = body else {
        unreachable!()
    };
    let https_body = body.replace("http://schemas", "https://schemas");
    let run = drive_default(
        pox("mara@contoso.com"),
        Peer::new(move |_: &Sent| Reply::Xml(https_body.clone())),
    );
    assert_eq!(run.success().ews_url.as_str(), EWS);
    // A foreign namespace with the same local names is not an Autodiscover answer.
    let foreign = body.replace(
        "http://schemas.microsoft.com/exchange/autodiscover",
        "urn:other",
    );
    let run = drive_default(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
        Peer::new(move |_: &Sent| Reply::Xml(foreign.clone())),
    );
    assert!(matches!(
        outcomes(&run)[0],
        AttemptOutcome::Unparseable { .. }
    ));
}

// ----- limits and caller errors -----

#[test]
fn request_limit_is_enforced() {
    let limits = Limits {
        url_redirects: 100,
        address_redirects: 3,
        requests: 5,
    };
    let run = drive_default(
        pox("mara@contoso.com").with_limits(limits),
        Peer::new(|s: &Sent| {
            redirect(&format!(
                "{}x/autodiscover/autodiscover.xml",
                s.url.trim_end_matches("autodiscover/autodiscover.xml")
            ))
        }),
    );
    assert!(
        matches!(run.error(), Error::RequestLimit { limit: 5, .. }),
        "{}",
        run.error()
    );
    assert_eq!(run.sent.len(), 5);
}

#[test]
fn wrong_tokens_are_rejected_and_failure_is_sticky() {
    use autodiscover::{Autodiscover, Effect};
    let mut machine = Autodiscover::new(
        pox("mara@contoso.com")
            .with_http_probe(false)
            .with_srv(false),
    );
    let Some(Effect::SendHttp(first)) = machine.poll_effect() else {
        panic!()
    };
    assert!(machine.poll_effect().is_none(), "one effect at a time");
    assert!(matches!(
        machine.handle_decision(first.token, true),
        Err(Error::UnexpectedInput { .. })
    ));
    machine
        .handle_transport_error(first.token, TransportErrorKind::Dns)
        .unwrap();
    assert!(matches!(
        machine.handle_transport_error(first.token, TransportErrorKind::Dns),
        Err(Error::UnexpectedInput { .. })
    ));
    let Some(Effect::SendHttp(second)) = machine.poll_effect() else {
        panic!()
    };
    machine
        .handle_transport_error(second.token, TransportErrorKind::Tls)
        .unwrap();
    let Some(Effect::Failed(error)) = machine.poll_effect() else {
        panic!()
    };
    assert!(machine.poll_effect().is_none());
    assert_eq!(
        machine.handle_transport_error(second.token, TransportErrorKind::Tls),
        Err(error.clone())
    );
    assert!(
        error.to_string().contains("transport error (Tls)"),
        "{error}"
    );
}
