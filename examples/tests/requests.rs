//! Every request `ews-types` builds validates against the EWS schema (`messages.xsd`, with xmllint) and
//! survives a parse → build round trip byte for byte.

mod support;

use ews_types::operations::{AnyRequest, CreateItem, Operation, SendMeetingNotices};

#[test]
fn every_request_validates_against_messages_xsd() {
    let Some(schema) = support::messages_xsd() else {
        return;
    };
    let requests: Vec<(String, Vec<u8>)> = examples::requests::representative()
        .into_iter()
        .map(|(name, xml)| (name.to_owned(), xml))
        .collect();
    support::assert_valid(&schema, &requests);
}

#[test]
fn every_request_round_trips_through_the_parser() {
    let requests = examples::requests::representative();
    for (name, xml) in &requests {
        let (_, parsed) = AnyRequest::parse(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(parsed.name(), name.split('-').next().unwrap(), "{name}");
        assert!(
            parsed.validate().is_ok(),
            "{name}: the representative request is invalid"
        );
        let rebuilt = parsed.to_body();
        assert_eq!(
            String::from_utf8_lossy(&rebuilt),
            String::from_utf8_lossy(xml),
            "{name}: parse → build changed the XML"
        );
        let (_, again) = AnyRequest::parse(&rebuilt).unwrap();
        assert_eq!(again, parsed, "{name}");
    }
}

#[test]
fn every_supported_operation_has_a_representative_request() {
    let covered: std::collections::BTreeSet<_> = examples::requests::representative()
        .iter()
        .map(|(name, _)| name.split('-').next().unwrap().to_owned())
        .collect();
    for operation in AnyRequest::SUPPORTED {
        assert!(
            covered.contains(*operation),
            "{operation} has no request in examples::requests::representative()"
        );
    }
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
