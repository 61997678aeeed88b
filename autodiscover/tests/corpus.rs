//! Every POX and GetUserSettings sample from the Microsoft docs corpus parses.
//!
//! Samples are selected from `ews-docs/SOURCES.tsv` by operation (`Autodiscover(POX)`,
//! `GetUserSettings`) and, independently, by root element `Autodiscover`, so a mislabelled sample is
//! not missed. No sample is excluded. One response
//! (`how-to-get-user-settings-from-exchange-by-using-autodiscover__2__response.xml`) ends in a
//! truncated `</s:Envelope`; the parser accepts a damaged root end tag once everything inside it was
//! read, and this test checks that sample's settings.

use std::path::PathBuf;

use autodiscover::json::JsonResponse;
use autodiscover::pox::{self, PoxResponse};
use autodiscover::soap::{ErrorCode, GetUserSettingsRequest, GetUserSettingsResponse};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    if dir.join("ews-docs/SOURCES.tsv").is_file() {
        Some(dir)
    } else {
        println!("skipped: corpus not found at {}", dir.display());
        None
    }
}

struct Sample {
    file: String,
    kind: String,
    root: String,
    operation: String,
}

fn samples(dir: &std::path::Path) -> Vec<Sample> {
    let tsv = std::fs::read_to_string(dir.join("ews-docs/SOURCES.tsv")).expect("SOURCES.tsv");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
    let (file, kind, root, operation) = (
        col("file"),
        col("kind"),
        col("root_element"),
        col("operation"),
    );
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() > operation)
        .map(|c| Sample {
            file: c[file].to_owned(),
            kind: c[kind].to_owned(),
            root: c[root].to_owned(),
            operation: c[operation].to_owned(),
        })
        .filter(|s| {
            s.operation == "Autodiscover(POX)"
                || s.operation == "GetUserSettings"
                || s.root == "Autodiscover"
        })
        .collect()
}

#[test]
fn every_pox_and_get_user_settings_sample_parses() {
    let Some(dir) = corpus_dir() else { return };
    let samples = samples(&dir);
    assert!(
        samples.len() >= 17,
        "expected the 17 Autodiscover samples, found {}",
        samples.len()
    );
    let mut counts = [0usize; 4];
    for sample in &samples {
        let bytes = std::fs::read(dir.join("ews-docs").join(&sample.file)).expect("sample file");
        let is_pox = sample.root == "Autodiscover" || sample.operation == "Autodiscover(POX)";
        match (is_pox, sample.kind.as_str()) {
            (true, "request") => {
                let email =
                    pox::parse_request(&bytes).unwrap_or_else(|e| panic!("{}: {e}", sample.file));
                assert!(email.contains('@'), "{}", sample.file);
                counts[0] += 1;
            }
            (true, _) => {
                let parsed =
                    PoxResponse::parse(&bytes).unwrap_or_else(|e| panic!("{}: {e}", sample.file));
                check_pox_response(&sample.file, &parsed);
                counts[1] += 1;
            }
            (false, "request") => {
                let parsed = GetUserSettingsRequest::parse(&bytes)
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.file));
                assert_eq!(parsed.mailboxes.len(), 1, "{}", sample.file);
                assert!(!parsed.settings.is_empty(), "{}", sample.file);
                assert!(parsed.requested_server_version.is_some(), "{}", sample.file);
                counts[2] += 1;
            }
            (false, _) => {
                let parsed = GetUserSettingsResponse::parse(&bytes)
                    .unwrap_or_else(|e| panic!("{}: {e}", sample.file));
                check_soap_response(&sample.file, &parsed);
                counts[3] += 1;
            }
        }
    }
    println!(
        "parsed {} POX requests, {} POX responses, {} GetUserSettings requests, {} GetUserSettings responses",
        counts[0], counts[1], counts[2], counts[3]
    );
    assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
}

fn check_pox_response(file: &str, parsed: &PoxResponse) {
    match parsed {
        PoxResponse::Settings { protocols, .. } => {
            assert!(!protocols.is_empty(), "{file}");
            let url = protocols
                .iter()
                .find_map(|p| p.field("EwsUrl").or(p.field("ASUrl")))
                .unwrap_or_else(|| panic!("{file}: no EWS URL"));
            assert!(url.starts_with("https://"), "{file}");
            assert!(
                protocols.iter().any(|p| p.server_version().is_some()),
                "{file}"
            );
        }
        PoxResponse::RedirectAddress(a) => assert_eq!(a, "elvin@mail.contoso.com", "{file}"),
        PoxResponse::Error { code, message } => {
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("600", "Invalid Request"),
                "{file}"
            )
        }
        other => panic!("{file}: unexpected {other:?}"),
    }
}

fn check_soap_response(file: &str, parsed: &GetUserSettingsResponse) {
    match &parsed.error_code {
        ErrorCode::NoError => {
            assert!(!parsed.settings.is_empty(), "{file}");
            if file.starts_with("how-to-get-user-settings") {
                assert_eq!(
                    parsed.settings.get("ExternalEwsUrl").map(String::as_str),
                    Some("https://mail.contoso.com/EWS/Exchange.asmx"),
                    "{file}: the sample with the truncated end tag is read completely"
                );
                assert_eq!(parsed.settings.len(), 15, "{file}");
            }
        }
        ErrorCode::RedirectAddress => {
            let target = parsed.redirect_target.as_deref().unwrap_or_default();
            assert!(
                target.contains("@") && target.to_ascii_lowercase().contains("mail.contoso.com"),
                "{file}"
            );
        }
        other => panic!("{file}: unexpected {other:?}"),
    }
}

#[test]
fn built_requests_read_back_like_the_samples() {
    let body = pox::request_body("mara@contoso.com");
    assert_eq!(
        pox::parse_request(body.as_bytes()).unwrap(),
        "mara@contoso.com"
    );
    let body = autodiscover::soap::request_body(
        "mara@contoso.com",
        "https://contoso.com/autodiscover/autodiscover.svc",
        "Exchange2013",
    );
    let parsed = GetUserSettingsRequest::parse(body.as_bytes()).unwrap();
    assert_eq!(
        parsed.requested_server_version.as_deref(),
        Some("Exchange2013")
    );
    assert_eq!(parsed.settings, autodiscover::soap::REQUESTED_SETTINGS);
    assert!(JsonResponse::parse(b"{}").is_err());
}

/// Corpus responses as transcript fixtures: fed to the machine as the answers of `https://D`.
#[cfg(feature = "psl")]
#[test]
fn corpus_answers_drive_the_machine() {
    use autodiscover::{Autodiscover, Config, Effect, Method, PublicSuffix, RedirectReason};
    let Some(dir) = corpus_dir() else { return };
    let read = |name: &str| std::fs::read(dir.join("ews-docs").join(name)).expect("sample");
    // (sample, method, email, expected first effect after the answer)
    let cases = [
        (
            "handling-autodiscover-error-messages__2__response.xml",
            Method::Pox,
            "elvin@contoso.com",
            "SendHttp elvin@mail.contoso.com",
        ),
        (
            "handling-autodiscover-error-messages__1__response.xml",
            Method::Soap,
            "elvin@contoso.com",
            "SendHttp elvin@mail.contoso.com",
        ),
        (
            "how-to-get-user-settings-from-exchange-by-using-autodiscover__4__response.xml",
            Method::Pox,
            "mara@contoso.com",
            "Done https://mail.contoso.com/EWS/Exchange.asmx",
        ),
        (
            "how-to-get-user-settings-from-exchange-by-using-autodiscover__2__response.xml",
            Method::Soap,
            "mara@contoso.com",
            "Done https://mail.contoso.com/EWS/Exchange.asmx",
        ),
        (
            "getusersettings-operation-soap__2__response.xml",
            Method::Soap,
            "username@contoso.com",
            "SendHttp username@contoso.com",
        ),
        (
            "pox-autodiscover-response-for-exchange__1__response.xml",
            Method::Pox,
            "user@contoso.com",
            "Done https://mail.contoso.com/ews/exchange.asmx",
        ),
        (
            "pox-autodiscover-response-for-exchange__2__response.xml",
            Method::Pox,
            "user@contoso.com",
            "SendHttp user@contoso.com",
        ),
    ];
    for (sample, method, email, expected) in cases {
        let config = Config::new(email, PublicSuffix::mozilla())
            .unwrap()
            .with_method(method);
        let mut machine = Autodiscover::new(config);
        let Some(Effect::SendHttp(first)) = machine.poll_effect() else {
            panic!("{sample}")
        };
        machine
            .handle_http(
                first.token,
                http::Response::new(bytes::Bytes::from(read(sample))),
            )
            .unwrap();
        let next = match machine.poll_effect() {
            Some(Effect::SendHttp(send)) => {
                let body = String::from_utf8_lossy(send.request.body()).to_ascii_lowercase();
                let address = [
                    "elvin@mail.contoso.com",
                    "username@contoso.com",
                    "user@contoso.com",
                ]
                .into_iter()
                .find(|a| body.contains(a))
                .unwrap_or("?");
                assert!(
                    send.credentials.is_some(),
                    "{sample}: the next candidate is trusted"
                );
                format!("SendHttp {address}")
            }
            Some(Effect::Done(success)) => format!("Done {}", success.ews_url),
            Some(Effect::ConfirmRedirect(p)) => {
                assert_ne!(
                    p.reason,
                    RedirectReason::CrossDomainAddress,
                    "{sample}: mail.contoso.com is a subdomain"
                );
                format!("ConfirmRedirect {}", p.target)
            }
            other => format!("{other:?}"),
        };
        assert_eq!(next, expected, "{sample}");
    }
}
