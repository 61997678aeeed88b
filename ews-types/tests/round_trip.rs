//! Build → parse → equal for responses the documentation corpus has no sample of, and for the parts of
//! responses a client relies on when things go wrong (error messages, back-off, faults, unknown values).

use std::time::Duration;

use ews_types::Error;
use ews_types::folders::{Folder, FolderKind};
use ews_types::items::{Item, ItemFields, Message};
use ews_types::operations::*;
use ews_types::response::{
    MessageXml, MessageXmlEntry, ResponseClass, ResponseCode, ResponseMessage, ResponseMessages,
};
use ews_types::soap::{
    ExchangeVersion, ServerVersionInfo, SoapFault, fault_envelope, parse_response,
    response_envelope,
};
use ews_types::types::{FolderId, ItemId};

fn round_trip<R>(response: &R, version: Option<&ServerVersionInfo>)
where
    R: OperationResponse + PartialEq + std::fmt::Debug,
{
    let bytes = response_envelope(version, response);
    let parsed = parse_response::<R>(&bytes).unwrap_or_else(|e| panic!("{}: {e}", R::NAME));
    assert_eq!(&parsed.body, response, "{}", R::NAME);
    assert_eq!(parsed.server_version.as_ref(), version, "{}", R::NAME);
}

fn moved(id: &str) -> Item {
    Message {
        item: ItemFields {
            item_id: Some(ItemId::with_change_key(id, "CQAAAB")),
            ..ItemFields::default()
        },
        ..Message::default()
    }
    .into()
}

fn exchange_2019() -> ServerVersionInfo {
    ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(2),
        major_build_number: Some(1544),
        minor_build_number: Some(4),
        version: Some(ExchangeVersion::V2017_07_11),
    }
}

#[test]
fn move_copy_and_create_folder_responses_round_trip() {
    let version = exchange_2019();
    round_trip(
        &MoveItemResponse::new(vec![
            ResponseMessage::success(MoveItemMessage {
                items: Some(vec![moved("new-id-1")]),
            }),
            ResponseMessage::error(
                ResponseCode::ErrorItemNotFound,
                "The specified object was not found in the store.",
            ),
        ]),
        Some(&version),
    );
    round_trip(
        &CopyItemResponse::new(vec![ResponseMessage::success(CopyItemMessage {
            items: Some(vec![moved("copy")]),
        })]),
        None,
    );
    let mut folder = Folder::new(FolderKind::ContactsFolder, "CRM contacts");
    folder.fields.folder_id = Some(FolderId::with_change_key("AQMkAD", "AQAAAB"));
    round_trip(
        &CreateFolderResponse::new(vec![ResponseMessage::success(CreateFolderMessage {
            folders: Some(vec![folder]),
        })]),
        Some(&version),
    );
}

#[test]
fn server_busy_back_off_survives_a_round_trip_in_a_message_and_in_a_fault() {
    let busy = MessageXml {
        entries: vec![MessageXmlEntry {
            name: "Value".into(),
            attributes: vec![("Name".into(), "BackOffMilliseconds".into())],
            text: "5000".into(),
        }],
    };
    let mut message = ResponseMessage::<SyncFolderItemsMessage>::error(
        ResponseCode::ErrorServerBusy,
        "The server cannot service this request right now.",
    );
    message.message_xml = Some(busy.clone());
    let response = SyncFolderItemsResponse::new(vec![message]);
    round_trip(&response, None);
    let parsed =
        parse_response::<SyncFolderItemsResponse>(&response_envelope(None, &response)).unwrap();
    let error = parsed.body.into_results().remove(0).unwrap_err();
    assert_eq!(error.code, Some(ResponseCode::ErrorServerBusy));
    assert_eq!(error.back_off(), Some(Duration::from_millis(5000)));

    let fault = SoapFault {
        fault_code: "a:ErrorServerBusy".into(),
        fault_string: "The server cannot service this request right now. Try again later.".into(),
        fault_actor: None,
        response_code: Some(ResponseCode::ErrorServerBusy),
        message: Some("The server cannot service this request right now. Try again later.".into()),
        message_xml: Some(busy),
    };
    match parse_response::<GetItemResponse>(&fault_envelope(&fault)) {
        Err(error @ Error::SoapFault(_)) => {
            assert_eq!(error.back_off(), Some(Duration::from_millis(5000)));
            assert_eq!(error.response_code(), Some(&ResponseCode::ErrorServerBusy));
            let Error::SoapFault(parsed) = error else {
                unreachable!()
            };
            assert_eq!(*parsed, fault);
        }
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn unknown_codes_classes_and_item_kinds_are_kept_not_fatal() {
    let xml = br#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">
      <s:Body><GetItemResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
          xmlns:x="http://schemas.microsoft.com/exchange/services/2006/types">
        <ResponseMessages>
          <GetItemResponseMessage ResponseClass="Error">
            <MessageText>new server, new code</MessageText>
            <ResponseCode>ErrorFromTheFuture</ResponseCode>
            <DescriptiveLinkKey>0</DescriptiveLinkKey>
            <MessageXml><x:FieldURI FieldURI="item:Subject"/></MessageXml>
          </GetItemResponseMessage>
          <GetItemResponseMessage ResponseClass="Success">
            <ResponseCode>NoError</ResponseCode>
            <Items><x:MeetingRequest><x:ItemId Id="mr1" ChangeKey="ck"/><x:Subject>Sync</x:Subject>
              <x:Importance>Critical</x:Importance><x:FutureElement><x:Nested/></x:FutureElement>
            </x:MeetingRequest></Items>
          </GetItemResponseMessage>
        </ResponseMessages></GetItemResponse></s:Body></s:Envelope>"#;
    let response = parse_response::<GetItemResponse>(xml).unwrap().body;
    let first = &response.messages[0];
    assert_eq!(first.class(), ResponseClass::Error);
    assert_eq!(
        first.code,
        Some(ResponseCode::Unknown("ErrorFromTheFuture".into()))
    );
    let xml_entry = &first.message_xml.as_ref().unwrap().entries[0];
    assert_eq!(xml_entry.name, "FieldURI");
    assert_eq!(
        xml_entry.attributes,
        vec![("FieldURI".to_owned(), "item:Subject".to_owned())]
    );
    let item = &response.messages[1].body.items.as_ref().unwrap()[0];
    assert_eq!(item.kind(), "MeetingRequest");
    assert_eq!(item.fields().subject.as_deref(), Some("Sync"));
    assert_eq!(item.id().unwrap().change_key.as_deref(), Some("ck"));
    assert_eq!(
        item.fields().importance.as_ref().unwrap().as_str(),
        "Critical"
    );
    // The unknown kind writes itself back under its own name.
    let again = parse_response::<GetItemResponse>(&response_envelope(None, &response))
        .unwrap()
        .body;
    assert_eq!(again, response);
}

fn get_item_error_with_message_xml(message_xml: &str) -> Vec<u8> {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
      <s:Body><GetItemResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
          xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
        <ResponseMessages>
          <GetItemResponseMessage ResponseClass="Error">
            <MessageText>busy</MessageText>
            <ResponseCode>ErrorServerBusy</ResponseCode>
            <MessageXml>{message_xml}</MessageXml>
          </GetItemResponseMessage>
        </ResponseMessages></GetItemResponse></s:Body></s:Envelope>"#
    )
    .into_bytes()
}

#[test]
fn message_xml_keeps_unprefixed_attributes_and_writes_back_only_xml() {
    // A prefixed attribute (`xml:2lang` is a name, its local part `2lang` is not) is left out rather
    // than written back as `2lang="…"`, which would not be XML.
    let bytes = get_item_error_with_message_xml(
        r#"<t:Value Name="BackOffMilliseconds" xml:2lang="en" xml:lang="en">250</t:Value>"#,
    );
    let response = parse_response::<GetItemResponse>(&bytes).unwrap().body;
    let entry = &response.messages[0].message_xml.as_ref().unwrap().entries[0];
    assert_eq!(
        entry.attributes,
        vec![("Name".to_owned(), "BackOffMilliseconds".to_owned())]
    );
    assert_eq!(
        response.messages[0]
            .message_xml
            .as_ref()
            .unwrap()
            .back_off(),
        Some(Duration::from_millis(250))
    );
    let again = parse_response::<GetItemResponse>(&response_envelope(None, &response))
        .unwrap()
        .body;
    assert_eq!(again, response);
}

#[test]
fn message_xml_entry_repeating_an_attribute_is_malformed() {
    // XML forbids a start tag with the same attribute twice; keeping both would write it back twice.
    let bytes = get_item_error_with_message_xml(
        r#"<t:Value Name="BackOffMilliseconds" Name="Other">250</t:Value>"#,
    );
    match parse_response::<GetItemResponse>(&bytes) {
        Err(Error::Malformed { message, .. }) => {
            assert!(message.contains("repeats the attribute Name"), "{message}")
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn a_response_for_another_operation_is_a_typed_error() {
    let response = ResponseMessages::new(vec![ResponseMessage::success(GetItemMessage::default())]);
    let bytes = response_envelope(None, &response);
    match parse_response::<SyncFolderItemsResponse>(&bytes) {
        Err(Error::WrongOperation { expected, found }) => {
            assert_eq!(expected, "SyncFolderItemsResponse");
            assert_eq!(found, "GetItemResponse");
        }
        other => panic!("{other:?}"),
    }
}
