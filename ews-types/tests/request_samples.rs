//! Microsoft's documentation request samples (`../shared/corpus/ews-docs`) of the operations this crate
//! supports parse with [`AnyRequest::parse`] and survive a build → parse round trip unchanged: what a
//! server or test double built on this crate would receive from other clients.
//!
//! The corpus is read from `EXCHANGE_CORPUS_DIR` or `../shared/corpus`; without it the tests print that
//! they skipped and pass.

mod common;

use std::path::Path;

use common::{corpus, tsv};

use ews_types::Error;
use ews_types::operations::{AnyRequest, Subscribe};

/// Whether an error is the one an excluded sample must give.
type ExpectedError = fn(&Error) -> bool;

/// Request samples that cannot parse, why, and the typed error each must give (never a request).
const EXCLUDED: [(&str, &str, ExpectedError); 3] = [
    (
        "how-to-delete-appointments-and-cancel-meetings-by-using-ews-in-exchange__3__request.xml",
        "the messages namespace URI ends in a line break, so it is not the EWS namespace",
        |e| matches!(e, Error::UnexpectedElement { .. }),
    ),
    (
        "getuseravailabilityrequest__1__request.xml",
        "its TimeWindow ends on 2006-02-30, a day that does not exist",
        |e| matches!(e, Error::InvalidValue { element, .. } if element == "EndTime"),
    ),
    (
        "subscribe-operation__4__request.xml",
        "the Subscribe element is in no namespace (the sample never declares the messages namespace \
         on it)",
        |e| matches!(e, Error::UnexpectedElement { found, .. } if found == "Subscribe"),
    ),
];

/// Samples that parse but that `validate()` refuses on purpose, and why.
const REFUSED_BY_VALIDATE: [(&str, &str); 2] = [
    (
        "how-to-import-items-by-using-ews-in-exchange__2__request.xml",
        "a CreateItem of a message without MessageDisposition, which this crate requires for \
         messages (the reference's rule); a server still parses it",
    ),
    (
        "how-to-propose-a-new-meeting-time-by-using-ews-in-exchange__3__request.xml",
        "a meeting response without MessageDisposition: Microsoft's AcceptItemType reference says \
         the server answers ErrorMessageDispositionRequired",
    ),
];

/// Operations with documentation request samples, each of which must have parsed at least one.
const MUST_HAVE_SAMPLES: &[&str] = &[
    "ResolveNames",
    "GetUserAvailabilityRequest",
    "ExpandDL",
    "ConvertId",
    "GetUserOofSettingsRequest",
    "SetUserOofSettingsRequest",
    "Subscribe",
    "GetEvents",
    "GetStreamingEvents",
    "Unsubscribe",
];

/// (file name, operation element) of every well-formed request sample whose Body element is supported.
fn request_samples(dir: &Path) -> Vec<(String, String)> {
    let well_formed: std::collections::HashSet<String> = tsv(&dir.join("WELLFORMED.tsv"))
        .into_iter()
        .filter(|row| row.len() > 1 && row[1] == "ok")
        .map(|row| row[0].trim_start_matches("ews-docs/").to_owned())
        .collect();
    tsv(&dir.join("ews-docs/SOURCES.tsv"))
        .into_iter()
        .filter(|row| {
            row.len() > 9
                && row[6] == "request"
                && AnyRequest::SUPPORTED.contains(&row[8].as_str())
                && well_formed.contains(&row[0])
        })
        .map(|row| (row[0].clone(), row[8].clone()))
        .collect()
}

#[test]
fn every_well_formed_request_sample_in_scope_parses_and_round_trips() {
    let Some(dir) = corpus() else { return };
    let mut parsed = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for (file, operation) in request_samples(&dir) {
        let bytes = std::fs::read(dir.join("ews-docs").join(&file)).unwrap();
        if let Some((_, why, expected)) = EXCLUDED.iter().find(|(name, ..)| *name == file) {
            let result = AnyRequest::parse(&bytes);
            assert!(
                matches!(&result, Err(e) if expected(e)),
                "{file} ({why}): {result:?}"
            );
            continue;
        }
        let (header, request) = match AnyRequest::parse(&bytes) {
            Ok(parsed) => parsed,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        assert_eq!(request.name(), operation, "{file}");
        let refused_on_purpose = REFUSED_BY_VALIDATE.iter().any(|(name, _)| *name == file);
        match request.validate() {
            Err(e) if !refused_on_purpose => {
                failures.push(format!(
                    "{file}: a request Microsoft documents is refused: {e}"
                ));
            }
            Ok(()) if refused_on_purpose => {
                failures.push(format!("{file}: expected validate() to refuse it"));
            }
            _ => {}
        }
        let rebuilt = request.to_envelope(&header);
        let (header_again, again) = AnyRequest::parse(&rebuilt)
            .unwrap_or_else(|e| panic!("{file}: the rebuilt request does not parse: {e}"));
        assert_eq!(again, request, "{file}: round trip changed the request");
        assert_eq!(
            header_again, header,
            "{file}: round trip changed the SOAP header"
        );
        *parsed.entry(operation).or_default() += 1;
    }
    assert!(
        failures.is_empty(),
        "request samples that failed to parse:\n{}",
        failures.join("\n")
    );
    for operation in MUST_HAVE_SAMPLES {
        assert!(
            parsed.get(*operation).copied().unwrap_or(0) > 0,
            "no {operation} request sample parsed: {parsed:?}"
        );
    }
    println!("request samples parsed and round-tripped per operation: {parsed:?}");
}

#[test]
fn the_sample_subscriptions_read_as_what_they_ask_for() {
    let Some(dir) = corpus() else { return };
    let read = |file: &str| {
        let bytes = std::fs::read(dir.join("ews-docs").join(file)).unwrap();
        AnyRequest::parse(&bytes).unwrap().1
    };
    match read(
        "how-to-pull-notifications-about-mailbox-events-by-using-ews-in-exchange__1__request.xml",
    ) {
        AnyRequest::Subscribe(Subscribe::Pull(pull)) => {
            assert_eq!(pull.event_types.len(), 6);
            assert_eq!(pull.timeout, 5);
            assert_eq!(pull.folder_ids.map(|f| f.len()), Some(1));
        }
        other => panic!("{other:?}"),
    }
    match read(
        "how-to-maintain-affinity-between-group-of-subscriptions-and-mailbox-server__5__request.xml",
    ) {
        AnyRequest::GetStreamingEvents(request) => {
            assert_eq!(request.subscription_ids.len(), 2);
            assert_eq!(request.connection_timeout, 10);
        }
        other => panic!("{other:?}"),
    }
    // This sample puts the ids in the messages namespace; they are read, not dropped.
    match read("getstreamingevents-operation__1__request.xml") {
        AnyRequest::GetStreamingEvents(request) => {
            assert_eq!(
                request.subscription_ids[0].as_str(),
                "f6bc657d-dde1-4f94-952d-143b95d6483d"
            );
        }
        other => panic!("{other:?}"),
    }
}
