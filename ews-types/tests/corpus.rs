//! Conformance over Microsoft's EWS documentation samples (`../shared/corpus/ews-docs`).
//!
//! Every well-formed response sample of an operation this crate supports must parse into the typed
//! response, error samples must yield the codes they carry, and every parsed response must survive a
//! build → parse round trip unchanged. The corpus is read from `EXCHANGE_CORPUS_DIR` or
//! `../shared/corpus`; without it the tests print that they skipped and pass.

mod common;

use std::path::Path;

use common::{corpus, tsv};

use ews_types::Error;
use ews_types::operations::AnyResponse;
use ews_types::response::ResponseCode;

/// The operations in scope: every one [`AnyResponse`] supports, named as `SOURCES.tsv` names them.
fn operations() -> Vec<&'static str> {
    AnyResponse::SUPPORTED
        .iter()
        .map(|name| name.strip_suffix("Response").unwrap_or(name))
        .collect()
}

/// Samples of in-scope operations that cannot parse, and why. Each is checked: the malformed ones are
/// marked as such in `WELLFORMED.tsv`, and the one with a misspelled namespace must give a typed error.
const EXCLUDED: [(&str, &str); 12] = [
    (
        "verifying-the-results-of-an-ews-or-ews-managed-api-call__1__response.xml",
        "truncated: ends after line 6",
    ),
    (
        "verifying-the-results-of-an-ews-or-ews-managed-api-call__4__response.xml",
        "fragment: unbound s: prefix",
    ),
    (
        "verifying-the-results-of-an-ews-or-ews-managed-api-call__5__response.xml",
        "not well-formed: invalid token",
    ),
    (
        "verifying-the-results-of-an-ews-or-ews-managed-api-call__6__response.xml",
        "fragment: unbound m: prefix",
    ),
    (
        "getitem-operation-email-message__2__response.xml",
        "not well-formed: an HTML <meta> without end tag in the body",
    ),
    (
        "how-to-update-appointments-and-meetings-by-using-ews-in-exchange__2__response.xml",
        "the types namespace is spelled https://, which no Exchange server sends; EWS namespaces are matched \
         exactly, so this must be a typed error rather than a response without its item",
    ),
    (
        "how-to-expand-distribution-groups-by-using-ews-in-exchange-2013__2__response.xml",
        "<ExpandDLResponse> is in no namespace (only its ResponseMessages child declares the messages \
         namespace), so it is not an EWS response element",
    ),
    (
        "how-to-pull-notifications-about-mailbox-events-by-using-ews-in-exchange__2__response.xml",
        "fragment: SubscribeResponse in no namespace, without an envelope, and its ResponseMessages in \
         the misspelled namespace http//schemas...; must be a typed error",
    ),
    (
        "how-to-stream-notifications-about-mailbox-events-by-using-ews-in-exchange__4__response.xml",
        "truncated: the envelope is never closed (the first document of a stream, cut off)",
    ),
    (
        "getstreamingevents-operation__3__response.xml",
        "not well-formed: GetStreamingEventsResponseMessage is never closed",
    ),
    (
        "getservertimezones-operation__3__response.xml",
        "not well-formed: </ResponseCode> closes <m:ResponseCode>, and the response element has no \
         namespace; `get_server_time_zones_samples_parse_once_their_typos_are_repaired` covers it",
    ),
    (
        "getservertimezones-operation__4__response.xml",
        "not well-formed: </ResponseCode> closes <m:ResponseCode>, and the response element has no \
         namespace; `get_server_time_zones_samples_parse_once_their_typos_are_repaired` covers it",
    ),
];

/// (file name, operation) of every response sample whose operation is given.
fn response_samples(dir: &Path, operations: &[&str]) -> Vec<(String, String)> {
    tsv(&dir.join("ews-docs/SOURCES.tsv"))
        .into_iter()
        .filter(|row| {
            row.len() > 9 && row[6] == "response" && operations.contains(&row[9].as_str())
        })
        .map(|row| (row[0].clone(), row[9].clone()))
        .collect()
}

fn well_formed(dir: &Path) -> std::collections::HashMap<String, String> {
    tsv(&dir.join("WELLFORMED.tsv"))
        .into_iter()
        .filter(|row| row.len() > 1)
        .map(|row| {
            (
                row[0].trim_start_matches("ews-docs/").to_owned(),
                row[1].clone(),
            )
        })
        .collect()
}

/// The `ResponseCode` texts a sample carries, in document order (start tags with or without a prefix
/// and attributes).
fn codes_in(text: &str) -> Vec<String> {
    let mut codes = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("ResponseCode") {
        let before = &rest[..at];
        let after = &rest[at + "ResponseCode".len()..];
        rest = after;
        let tag_start = before.rfind('<').map(|i| &before[i + 1..]);
        let is_start_tag = matches!(tag_start, Some(t) if !t.starts_with('/') && !t.contains('>') && !t.contains(char::is_whitespace));
        if !is_start_tag || !(after.starts_with('>') || after.starts_with(char::is_whitespace)) {
            continue;
        }
        let (Some(open_end), Some(_)) = (after.find('>'), after.find('<')) else {
            continue;
        };
        let content = &after[open_end + 1..];
        if let Some(end) = content.find('<') {
            let code = content[..end].trim();
            if !code.is_empty() {
                codes.push(code.to_owned());
            }
        }
    }
    codes
}

#[test]
fn every_well_formed_response_sample_in_scope_parses_and_round_trips() {
    let Some(dir) = corpus() else { return };
    let status = well_formed(&dir);
    let samples = response_samples(&dir, &operations());
    let mut parsed = 0;
    let mut failures = Vec::new();
    for (file, operation) in &samples {
        if let Some((_, why)) = EXCLUDED.iter().find(|(name, _)| name == file) {
            if status.get(file).map(String::as_str) == Some("ok") {
                let bytes = std::fs::read(dir.join("ews-docs").join(file)).unwrap();
                let result = AnyResponse::parse(&bytes);
                assert!(
                    matches!(result, Err(Error::UnexpectedElement { .. })),
                    "{file} ({why}): {result:?}"
                );
            }
            continue;
        }
        let bytes = std::fs::read(dir.join("ews-docs").join(file)).unwrap();
        match AnyResponse::parse(&bytes) {
            Ok((version, response)) => {
                parsed += 1;
                assert_eq!(response.summary().operation, operation, "{file}");
                // Error samples carry the codes that were parsed.
                let text = String::from_utf8_lossy(&bytes);
                let expected = codes_in(&text);
                let found: Vec<String> = match &response {
                    AnyResponse::GetItem(r) => r
                        .messages
                        .iter()
                        .filter_map(|m| m.code.as_ref().map(|c| c.to_string()))
                        .collect(),
                    other => {
                        let again = other.to_envelope(None);
                        codes_in(&String::from_utf8_lossy(&again))
                    }
                };
                assert_eq!(found, expected, "{file}: response codes");
                // Round trip: build the parsed response and parse it again.
                let rebuilt = response.to_envelope(version.as_ref());
                let (version_again, again) = AnyResponse::parse(&rebuilt)
                    .unwrap_or_else(|e| panic!("{file}: rebuilt response does not parse: {e}"));
                assert_eq!(again, response, "{file}: round trip changed the response");
                assert_eq!(
                    version_again, version,
                    "{file}: round trip changed ServerVersionInfo"
                );
            }
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "samples that failed to parse:\n{}",
        failures.join("\n")
    );
    assert!(
        parsed >= 100,
        "only {parsed} samples parsed; the corpus should hold about 100 in scope"
    );
    println!(
        "{parsed} response samples parsed and round-tripped; {} excluded",
        EXCLUDED.len()
    );
}

#[test]
fn soap_fault_samples_parse_into_typed_faults_with_their_codes() {
    let Some(dir) = corpus() else { return };
    let status = well_formed(&dir);
    let mut seen = 0;
    for (file, _) in response_samples(&dir, &["SOAPFault"]) {
        if status.get(&file).map(String::as_str) != Some("ok") {
            continue;
        }
        let bytes = std::fs::read(dir.join("ews-docs").join(&file)).unwrap();
        let expected = codes_in(&String::from_utf8_lossy(&bytes));
        match AnyResponse::parse(&bytes) {
            Err(Error::SoapFault(fault)) => {
                seen += 1;
                assert!(!fault.fault_string.is_empty(), "{file}: empty faultstring");
                assert_eq!(
                    fault.response_code.as_ref().map(|c| c.to_string()),
                    expected.first().cloned(),
                    "{file}"
                );
                // Generic SOAP faults (`soap:Client`) carry no EWS code; those that do carry a known one.
                if let Some(code) = &fault.response_code {
                    assert!(
                        !matches!(code, ResponseCode::Unknown(_)),
                        "{file}: unknown code {code:?}"
                    );
                }
            }
            other => panic!("{file}: expected a SOAP fault, got {other:?}"),
        }
    }
    assert!(seen >= 5, "only {seen} fault samples");
}

#[test]
fn response_samples_of_other_operations_are_refused_with_a_typed_error() {
    let Some(dir) = corpus() else { return };
    let status = well_formed(&dir);
    // Operations this crate does not model (attachments, inbox rules, delegates).
    let others = [
        "GetAttachment",
        "CreateAttachment",
        "GetInboxRules",
        "AddDelegate",
    ];
    let mut seen = 0;
    for (file, _) in response_samples(&dir, &others) {
        if status.get(&file).map(String::as_str) != Some("ok") {
            continue;
        }
        let bytes = std::fs::read(dir.join("ews-docs").join(&file)).unwrap();
        match AnyResponse::parse(&bytes) {
            Err(Error::UnexpectedElement { .. } | Error::SoapFault(_)) => seen += 1,
            other => panic!("{file}: expected an unsupported-operation error, got {other:?}"),
        }
    }
    assert!(seen > 0);
}

#[test]
fn meeting_requests_in_samples_are_typed_and_a_sample_series_expands_to_its_listed_occurrences() {
    let Some(dir) = corpus() else { return };
    let read = |name: &str| {
        let bytes = std::fs::read(dir.join("ews-docs").join(name)).unwrap();
        AnyResponse::parse(&bytes).unwrap().1
    };
    for name in [
        "how-to-propose-a-new-meeting-time-by-using-ews-in-exchange__2__response.xml",
        "how-to-propose-a-new-meeting-time-by-using-ews-in-exchange__4__response.xml",
        "syncfolderitems-operation__2__response.xml",
    ] {
        let debug = format!("{:?}", read(name));
        assert!(
            debug.contains("MeetingRequest(MeetingRequest"),
            "{name}: {debug}"
        );
        assert!(
            !debug.contains("kind: \"Meeting"),
            "{name}: a meeting kind fell back to Other"
        );
    }

    // A weekly Saturday series of ten, created at 13:21 Pacific time on 8 March 2014: the change to
    // daylight time on 9 March moves its UTC start from 21:21 to 20:21.
    let AnyResponse::GetItem(response) =
        read("how-to-create-a-recurring-series-by-using-ews-in-exchange__4__response.xml")
    else {
        panic!("not a GetItem response")
    };
    let items = response.messages[0].body.items.as_ref().unwrap();
    let ews_types::items::Item::CalendarItem(master) = &items[0] else {
        panic!("{:?}", items[0])
    };
    let (first, last) = (
        master.first_occurrence.as_ref().unwrap(),
        master.last_occurrence.as_ref().unwrap(),
    );
    let pacific = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
    let start = first.start.unwrap();
    let query = ews_types::recurrence::OccurrenceQuery::new(pacific.to_datetime(start).time())
        .lasting(first.end.unwrap().duration_since(start));
    let occurrences = master
        .recurrence
        .as_ref()
        .unwrap()
        .occurrences(&pacific, &query)
        .unwrap();
    assert_eq!(occurrences.len(), 10);
    assert_eq!(occurrences[0].start, start);
    assert_eq!(occurrences[9].start, last.start.unwrap());
    assert_eq!(occurrences[9].end, last.end.unwrap());
}
