//! Every request the client sends validates against the EWS schema (`messages.xsd`, with xmllint): the
//! operation in the SOAP Body and each SOAP header the client adds (impersonation, version, culture,
//! time zone), in the order Exchange 2010 enforces.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ews_client::{
    ClientBuilder, Credentials, Mailbox, ManualClock, MeetingAnswer, Transport, TransportError,
};
use ews_types::items::CalendarItem;
use ews_types::operations::{
    FindFolder, FindItem, GetFolder, GetItem, SendMeetingNotices, SendMeetingUpdates,
    SyncFolderItems,
};
use ews_types::soap::Impersonation;
use ews_types::types::{Body, DistinguishedFolderName, ItemId, ItemShape};

const M_T: &str = r#" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types""#;

/// Keeps every request body and answers with an empty 200 (the client's error is not the point here).
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Transport for Recorder {
    type Connection = ();

    async fn connect(&self, _: &http::Uri) -> Result<(), TransportError> {
        Ok(())
    }

    async fn send(
        &self,
        _: &mut (),
        request: http::Request<Bytes>,
        _: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let body = String::from_utf8_lossy(request.body()).into_owned();
        self.0.lock().unwrap().push(body);
        Ok(http::Response::new(Bytes::new()))
    }
}

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
        println!("skipped: corpus not found at {}", dir.display());
        None
    }
}

/// The element `<prefix:name ...>...</prefix:name>` (or empty) inside `xml`, standing alone with the
/// namespace declarations it needs.
fn standalone(xml: &str, tag: &str) -> Option<String> {
    let start = xml.find(&format!("<{tag}"))?;
    let rest = &xml[start..];
    let open_end = rest.find('>')?;
    let end = if rest.as_bytes()[open_end - 1] == b'/' {
        open_end + 1
    } else {
        rest.find(&format!("</{tag}>"))? + tag.len() + 3
    };
    let element = &rest[..end];
    let name_end = 1 + tag.len();
    Some(format!(
        "{}{M_T}{}",
        &element[..name_end],
        &element[name_end..]
    ))
}

#[tokio::test]
async fn requests_and_their_soap_headers_validate_against_messages_xsd() {
    let Some(schema) = schema() else { return };
    if Command::new("xmllint").arg("--version").output().is_err() {
        // .ci/run installs libxml2-utils, so CI never takes this branch.
        println!("skipped: xmllint is not installed (apt-get install libxml2-utils)");
        return;
    }
    let recorder = Recorder::default();
    let client = ClientBuilder::new(
        "https://mail.contoso.com/EWS/Exchange.asmx",
        Credentials::basic("svc-crm@contoso.com", "Pa55w0rd"),
    )
    .time_zone("W. Europe Standard Time")
    .mailbox_culture("de-DE")
    .build(recorder.clone(), ManualClock::new())
    .unwrap();
    let inbox = DistinguishedFolderName::Inbox;
    let by_smtp = client.mailbox(Mailbox::smtp("alice@contoso.com"));
    let by_sid = client.mailbox(Mailbox::impersonate(Impersonation::Sid(
        "S-1-5-21-1234567890-1234567890-1234567890-1001".into(),
    )));
    let _ = by_smtp
        .execute(&GetFolder::distinguished(inbox.clone()))
        .await;
    let _ = by_smtp
        .find_items(FindItem::new(inbox.clone(), 100))
        .next_page()
        .await;
    let _ = by_sid
        .find_folders(FindFolder::deep(DistinguishedFolderName::MsgFolderRoot))
        .next_page()
        .await;
    let _ = by_sid
        .sync_folder_items(inbox.clone(), Some("H4sIAAAA".into()))
        .next_page()
        .await;
    let _ = client
        .account()
        .execute(&SyncFolderItems::new(inbox, None, 512))
        .await;
    let _ = by_smtp
        .get_items(&ItemShape::id_only(), [ItemId::new("AAMkAGI2")])
        .await;
    let _ = client
        .account()
        .execute(&GetItem::new(
            ItemShape::id_only(),
            [ItemId::new("AAMkAGI3")],
        ))
        .await;

    let (start, end) = (
        "2026-03-02T09:00:00Z".parse().unwrap(),
        "2026-03-02T10:00:00Z".parse().unwrap(),
    );
    let meeting = ItemId::with_change_key("AAMkMeeting", "CK1");
    let _ = by_smtp
        .create_meeting(
            CalendarItem::new("Review", start, end),
            SendMeetingNotices::SendToAllAndSaveCopy,
        )
        .await;
    let _ = by_smtp
        .reschedule_meeting(
            meeting.clone(),
            start,
            end,
            SendMeetingUpdates::SendToChangedAndSaveCopy,
        )
        .await;
    let _ = by_smtp
        .cancel_meeting(meeting.clone(), Body::text("Cancelled"))
        .await;
    let _ = by_smtp
        .answer_meeting(
            meeting,
            MeetingAnswer::TentativelyAccept,
            Some("Maybe".into()),
        )
        .await;

    let sent = recorder.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 11);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, envelope) in sent.iter().enumerate() {
        let body_start = envelope.find("<s:Body>").unwrap() + "<s:Body>".len();
        let body_end = envelope.find("</s:Body>").unwrap();
        let operation = &envelope[body_start..body_end];
        let name_end = operation.find([' ', '>', '/']).unwrap();
        let tag = operation[1..name_end].to_owned();
        let mut parts = vec![standalone(envelope, &tag).unwrap()];
        for header in [
            "t:ExchangeImpersonation",
            "t:MailboxCulture",
            "t:RequestServerVersion",
            "t:TimeZoneContext",
        ] {
            if let Some(element) = standalone(envelope, header) {
                parts.push(element);
            } else {
                assert_eq!(
                    header, "t:ExchangeImpersonation",
                    "request {i} lacks {header}"
                );
            }
        }
        // Exchange 2010 checks the order of the headers too.
        let order: Vec<_> = [
            "<t:ExchangeImpersonation",
            "<t:MailboxCulture",
            "<t:RequestServerVersion",
            "<t:TimeZoneContext",
        ]
        .iter()
        .filter_map(|h| envelope.find(h))
        .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "header order in request {i}"
        );
        for (j, part) in parts.iter().enumerate() {
            let path = dir.path().join(format!("request{i}-part{j}.xml"));
            std::fs::write(&path, part).unwrap();
            files.push(path);
        }
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
        files.len(),
        "{report}"
    );
}
