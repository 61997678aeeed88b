//! Every request `ews-types` builds validates against the EWS schema (`messages.xsd`, with xmllint) and
//! survives a parse → build round trip byte for byte.

use std::path::PathBuf;
use std::process::Command;

use ews_types::operations::*;
use ews_types::soap::{parse_request, request_body};

fn schema() -> Option<PathBuf> {
    let dir = std::env::var_os("EXCHANGE_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    let schema = dir.join("ews-schema/messages.xsd");
    if schema.is_file() {
        Some(schema)
    } else {
        println!("skipped: schema not found at {}", schema.display());
        None
    }
}

#[test]
fn every_request_validates_against_messages_xsd() {
    let Some(schema) = schema() else { return };
    if Command::new("xmllint").arg("--version").output().is_err() {
        // .ci/run installs libxml2-utils, so CI never takes this branch.
        println!("skipped: xmllint is not installed (apt-get install libxml2-utils)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let requests = examples::requests::representative();
    let mut files = Vec::new();
    for (name, xml) in &requests {
        let path = dir.path().join(format!("{name}.xml"));
        std::fs::write(&path, xml).unwrap();
        files.push(path);
    }
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .args(&files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "xmllint rejected requests:\n{report}"
    );
    assert_eq!(
        report.matches(" validates").count(),
        requests.len(),
        "{report}"
    );
}

fn round_trip<O: Operation + PartialEq + std::fmt::Debug>(name: &str, xml: &[u8]) {
    let (_, parsed) = parse_request::<O>(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        parsed.validate().is_ok(),
        "{name}: the representative request is invalid"
    );
    let rebuilt = request_body(&parsed);
    assert_eq!(
        String::from_utf8_lossy(&rebuilt),
        String::from_utf8_lossy(xml),
        "{name}: parse → build changed the XML"
    );
    let (_, again) = parse_request::<O>(&rebuilt).unwrap();
    assert_eq!(again, parsed, "{name}");
}

#[test]
fn every_request_round_trips_through_the_parser() {
    let requests = examples::requests::representative();
    for (name, xml) in &requests {
        let operation = name.split('-').next().unwrap();
        match operation {
            "GetFolder" => round_trip::<GetFolder>(name, xml),
            "FindFolder" => round_trip::<FindFolder>(name, xml),
            "SyncFolderHierarchy" => round_trip::<SyncFolderHierarchy>(name, xml),
            "SyncFolderItems" => round_trip::<SyncFolderItems>(name, xml),
            "FindItem" => round_trip::<FindItem>(name, xml),
            "GetItem" => round_trip::<GetItem>(name, xml),
            "CreateItem" => round_trip::<CreateItem>(name, xml),
            "UpdateItem" => round_trip::<UpdateItem>(name, xml),
            "DeleteItem" => round_trip::<DeleteItem>(name, xml),
            "MoveItem" => round_trip::<MoveItem>(name, xml),
            "CopyItem" => round_trip::<CopyItem>(name, xml),
            "SendItem" => round_trip::<SendItem>(name, xml),
            "CreateFolder" => round_trip::<CreateFolder>(name, xml),
            "GetUserConfiguration" => round_trip::<GetUserConfiguration>(name, xml),
            "UpdateUserConfiguration" => round_trip::<UpdateUserConfiguration>(name, xml),
            other => panic!("no round trip for {other}"),
        }
    }
    assert_eq!(
        requests
            .iter()
            .map(|(n, _)| n.split('-').next().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        15
    );
}

#[test]
fn calendar_writes_without_meeting_notices_are_refused_before_sending() {
    let meeting = ews_types::items::CalendarItem::default();
    let mut create = CreateItem::calendar(
        ews_types::types::DistinguishedFolderName::Calendar,
        vec![meeting.into()],
        SendMeetingNotices::SendToNone,
    );
    assert!(create.validate().is_ok());
    create.send_meeting_invitations = None;
    let error = ews_types::soap::http_request(
        "https://mail.contoso.example/EWS/Exchange.asmx",
        &Default::default(),
        &create,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("SendMeetingInvitations"),
        "{error}"
    );
}
