//! The Autodiscover tour against the simulator: the cross-domain redirect is confirmed before anything
//! goes there and discovery keeps the original credentials, `DOMAIN\user` authenticates while
//! `DOMAIN/user` is refused with a clear message, a declined redirect sends nothing to the foreign
//! host, and bad EWS URLs are refused.

use autodiscover::{AttemptOutcome, BlockReason, RedirectReason};
use examples::demos::autodiscover_tour::{self, FOREIGN_HOST};
use exchange_sim::Endpoint;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tour_confirms_redirects_reads_logon_names_and_refuses_bad_urls() {
    let sim = autodiscover_tour::start_simulator().await.unwrap();
    let report = autodiscover_tour::run(&sim).await.unwrap();
    let printed = report.to_string();
    let [moved, basic, declined] = &report.runs[..] else {
        panic!("three runs expected:\n{printed}");
    };

    // 1. The address redirect to another domain was asked about, accepted, and followed.
    assert_eq!(moved.prompts.len(), 1, "{printed}");
    assert_eq!(
        moved.prompts[0].prompt.reason,
        RedirectReason::CrossDomainAddress
    );
    assert_eq!(moved.prompts[0].prompt.target, "mara@fabrikam.example");
    assert!(moved.prompts[0].accepted);
    let success = moved
        .result
        .as_ref()
        .expect("discovered after the redirect");
    assert_eq!(success.smtp_address.to_string(), "mara@fabrikam.example");
    assert_eq!(success.ews_url.as_str(), sim.ews_url());
    // Both requests authenticated as mara@contoso.example, the original account (MS-OXDSCLI).
    let mara: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|e| e.endpoint == Endpoint::Autodiscover)
        .filter(|e| e.principal.as_deref() == Some("mara@contoso.example"))
        .map(|e| e.mailbox)
        .collect();
    assert_eq!(
        mara,
        [
            Some("mara@contoso.example".to_owned()),
            Some("mara@fabrikam.example".to_owned())
        ]
    );

    // 2. Basic with a down-level logon name works against the email domain.
    let success = basic.result.as_ref().expect("Basic as CONTOSO\\alice");
    assert_eq!(success.smtp_address.to_string(), "alice@contoso.example");
    assert!(basic.prompts.is_empty());

    // 3. The redirect out of the domain was declined both times; nothing was sent there.
    let error = declined.result.as_ref().expect_err("nothing else answers");
    assert!(
        matches!(error, autodiscover::Error::AutodiscoverFailed { .. }),
        "{error}"
    );
    assert_eq!(declined.prompts.len(), 2, "{printed}");
    assert!(declined.prompts.iter().all(|p| !p.accepted
        && p.prompt.reason == RedirectReason::HttpRedirect
        && p.prompt.target.contains(FOREIGN_HOST)));
    for attempt in declined.attempts() {
        if attempt.url.contains(FOREIGN_HOST) {
            assert!(!attempt.credentials_sent, "{attempt}");
            assert!(matches!(
                attempt.outcome,
                AttemptOutcome::RedirectBlocked {
                    reason: BlockReason::Declined,
                    ..
                }
            ));
        }
    }
    let dave = sim.count_requests(|e| e.mailbox.as_deref() == Some("dave@contoso.example"));
    assert_eq!(
        dave, 2,
        "only https://contoso.example and https://autodiscover.contoso.example"
    );

    // 4. Logon names.
    let slash = &report.names[0];
    assert_eq!(slash.input, "CONTOSO/alice");
    assert!(
        slash
            .as_logon_name
            .as_ref()
            .unwrap_err()
            .contains("use a backslash")
    );
    assert!(slash.as_address.is_err());
    let backslash = &report.names[1];
    assert_eq!(
        backslash.as_logon_name.as_deref(),
        Ok("down-level: domain CONTOSO, user alice")
    );
    assert!(backslash.as_address.as_ref().unwrap_err().contains("'@'"));

    // 5. Bad EWS URLs.
    let verdicts: Vec<(&str, bool, bool)> = report
        .urls
        .iter()
        .map(|u| (u.input.as_str(), u.validated.is_ok(), u.client.is_ok()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("https://mail.contoso.example/EWS/Exchange.asmx", true, true),
            (
                "http://mail.contoso.example/EWS/Exchange.asmx",
                false,
                false
            ),
            ("https://mail.contoso.example/owa", false, true),
            (
                "https://alice@mail.contoso.example/EWS/Exchange.asmx",
                false,
                false
            ),
            ("mail.contoso.example", false, false),
        ]
    );

    for line in [
        "   Confirm? contoso.example sends you to mara@fabrikam.example (address redirect): accepted",
        "2  https://fabrikam.example/autodiscover/autodiscover.xml  mara@fabrikam.example  domain  yes          settings returned",
        "(HTTP redirect): declined",
        "=> AutoDiscoverFailed: Autodiscover failed: no endpoint returned settings",
        "CONTOSO/alice          logon name         refused: a forward slash is not a domain separator; use a backslash: CONTOSO\\alice",
        "http://mail.contoso.example/EWS/Exchange.asmx         validate_ews_url  refused: the URL must start with https://",
    ] {
        assert!(printed.contains(line), "missing {line:?} in\n{printed}");
    }
    sim.shutdown().await;
}
