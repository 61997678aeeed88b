//! EWS targets: responses of every supported operation, requests (what a server or the simulator
//! reads), and SOAP faults.
//!
//! The property beyond "no panic": whatever parses is written back by the same crate and parses
//! again to the same bytes (build, parse, build is stable), so a value read from a server is never
//! silently changed or lost on its way back out.

use ews_types::Error;
use ews_types::folders::{Folder, FolderKind};
use ews_types::operations::{
    AnyRequest, AnyResponse, DictionaryEntry, DictionaryObject, FindFolderMessage,
    FindFolderRootFolder, FolderChange, GetUserConfigurationMessage, PagingInfo,
    SyncFolderHierarchyMessage, SyncFolderItemsMessage, UserConfiguration,
    UserConfigurationContent, UserConfigurationName,
};
use ews_types::response::{
    MessageXml, MessageXmlEntry, ResponseCode, ResponseMessage, ResponseMessages,
};
use ews_types::soap::{
    ExchangeVersion, Impersonation, RequestHeader, ServerVersionInfo, SoapFault, fault_envelope,
    response_body, response_envelope,
};
use ews_types::types::FolderId;

use quick_xml::events::Event;

use crate::{Seed, show};

/// Parses `data` as a response of any supported operation; what parses must survive build → parse →
/// build unchanged, and keep its messages, items and folders.
///
/// The first build is the reference, not the input: XML 1.0 cannot carry most C0 control characters,
/// which the reader tolerates in text and the writer replaces with U+FFFD (as `xml::writer` documents).
pub fn check_response(data: &[u8]) {
    if skip_open_finding(data) {
        return;
    }
    let (version, response) = match AnyResponse::parse(data) {
        Ok(parsed) => parsed,
        Err(error) => return exercise(&error),
    };
    let summary = response.summary();
    let first = response.to_envelope(version.as_ref());
    assert_well_formed_names(&first);
    let (version_again, again) = AnyResponse::parse(&first).unwrap_or_else(|error| {
        panic!(
            "a parsed {} response, written back, does not parse: {error}\nwritten: {}",
            summary.operation,
            show(&first)
        )
    });
    let second = again.to_envelope(version_again.as_ref());
    assert!(
        first == second,
        "a {} response changed on its way through build → parse → build\nfirst:  {}\nsecond: {}",
        summary.operation,
        show(&first),
        show(&second)
    );
    let summary_again = again.summary();
    assert_eq!(
        (
            summary_again.operation,
            summary_again.classes.len(),
            summary_again.items,
            summary_again.folders
        ),
        (
            summary.operation,
            summary.classes.len(),
            summary.items,
            summary.folders
        ),
        "a response lost messages, items or folders on a round trip"
    );
}

/// Parses `data` as a request of any supported operation (as a server or the simulator does); what
/// parses must survive build → parse → build unchanged, header included.
pub fn check_request(data: &[u8]) {
    if skip_open_finding(data) {
        return;
    }
    let (header, request) = match AnyRequest::parse(data) {
        Ok(parsed) => parsed,
        Err(error) => return exercise(&error),
    };
    let _ = request.validate();
    let first = request.to_envelope(&header);
    assert_well_formed_names(&first);
    let (header_again, again) = AnyRequest::parse(&first).unwrap_or_else(|error| {
        panic!(
            "a parsed {} request, written back, does not parse: {error}\nwritten: {}",
            request.name(),
            show(&first)
        )
    });
    let second = again.to_envelope(&header_again);
    assert!(
        first == second,
        "a {} request changed on its way through build → parse → build\nfirst:  {}\nsecond: {}",
        request.name(),
        show(&first),
        show(&second)
    );
    let body = again.to_body();
    let (_, from_body) = AnyRequest::parse(&body).unwrap_or_else(|error| {
        panic!(
            "the standalone body of a {} request does not parse: {error}",
            request.name()
        )
    });
    assert!(
        from_body.to_body() == body,
        "a standalone {} body changed on a round trip",
        request.name()
    );
}

/// Parses `data` as a response; a SOAP fault must keep its code, text and details through
/// `fault_envelope` → parse → `fault_envelope` (C0 control characters become U+FFFD on the first
/// write, see [`check_response`]), and its code and back-off must be readable.
pub fn check_fault(data: &[u8]) {
    if skip_open_finding(data) {
        return;
    }
    let fault = match AnyResponse::parse(data) {
        Err(Error::SoapFault(fault)) => fault,
        Err(error) => return exercise(&error),
        Ok(_) => return,
    };
    let _ = fault.code();
    let _ = fault.back_off();
    let written = fault_envelope(&fault);
    assert_well_formed_names(&written);
    let again = match AnyResponse::parse(&written) {
        Err(Error::SoapFault(again)) => again,
        other => panic!(
            "a fault written by fault_envelope reads back as {other:?}\nwritten: {}",
            show(&written)
        ),
    };
    let rewritten = fault_envelope(&again);
    assert!(
        rewritten == written,
        "a SOAP fault changed on a round trip\nread:  {fault:?}\nagain: {again:?}\nwritten: {}",
        show(&written)
    );
}

/// With `FUZZ_SKIP_OPEN_FINDINGS` set (to fuzz past bugs that are reported but not fixed yet), true
/// for inputs with a start tag whose attributes quick-xml's own checks refuse (a duplicate, say),
/// repeat a local name, or whose names or local names are not XML names: `ews-types` keeps such attributes in `MessageXml` entries
/// and writes them back verbatim (see `fuzz/open/README.md`). Never set in tests.
fn skip_open_finding(data: &[u8]) -> bool {
    static SKIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*SKIP.get_or_init(|| std::env::var_os("FUZZ_SKIP_OPEN_FINDINGS").is_some()) {
        return false;
    }
    let mut reader = quick_xml::Reader::from_reader(data);
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                let mut seen = Vec::new();
                for attribute in tag.attributes() {
                    let Ok(attribute) = attribute else {
                        return true;
                    };
                    let key = attribute.key.as_ref();
                    let local = key.rsplit(':').next().unwrap_or(key).to_owned();
                    if !is_xml_name(key.as_bytes())
                        || !is_xml_name(local.as_bytes())
                        || seen.contains(&local)
                    {
                        return true;
                    }
                    seen.push(local);
                }
            }
            Ok(Event::Eof) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// Panics unless every element and attribute name in `xml`, which this crate family wrote, is an XML
/// name, and quick-xml reads it to the end. (quick-xml itself does not check names, so a name read
/// from a hostile document and written back verbatim would otherwise pass unnoticed.)
fn assert_well_formed_names(xml: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let check = |name: &str| {
        assert!(
            is_xml_name(name.as_bytes()),
            "we wrote the invalid XML name {name:?}\nwritten: {}",
            show(xml)
        );
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag) | Event::Empty(tag)) => {
                check(tag.name().as_ref());
                for attribute in tag.attributes() {
                    let attribute = attribute.unwrap_or_else(|e| {
                        panic!(
                            "we wrote a malformed attribute: {e}\nwritten: {}",
                            show(xml)
                        )
                    });
                    check(attribute.key.as_ref());
                }
            }
            Ok(Event::End(tag)) => check(tag.name().as_ref()),
            Ok(Event::Eof) => return,
            Ok(_) => {}
            Err(e) => panic!("we wrote malformed XML: {e}\nwritten: {}", show(xml)),
        }
    }
}

/// XML 1.0 `Name`, with every non-ASCII character allowed (a superset, enough to catch markup).
fn is_xml_name(name: &[u8]) -> bool {
    let start = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80;
    match name.split_first() {
        Some((&first, rest)) => {
            start(first)
                && rest
                    .iter()
                    .all(|&b| start(b) || b.is_ascii_digit() || b == b'-' || b == b'.')
        }
        None => false,
    }
}

/// What callers do with an error: print it and ask for its code and back-off.
fn exercise(error: &Error) {
    let _ = error.to_string();
    let _ = error.response_code();
    let _ = error.back_off();
}

/// The response seeds: each supported operation with a success and an error message, plus full
/// pages from the benchmark fixtures (sync, GetItem, a calendar view), folder and configuration
/// responses, a bare body and a throttled message.
pub fn response_seeds() -> Vec<Seed> {
    let version = exchange_2019();
    let mut seeds = minimal_responses(&version);
    use benches::ews_fixtures as fixtures;
    seeds.push(Seed::new(
        "SyncFolderItems-8-changes.xml",
        response_envelope(Some(&version), &fixtures::sync_folder_items_response(8)),
    ));
    seeds.push(Seed::new(
        "GetItem-2-messages.xml",
        response_envelope(None, &fixtures::get_item_response(2)),
    ));
    seeds.push(Seed::new(
        "FindItem-calendar-view-3.xml",
        response_envelope(Some(&version), &fixtures::calendar_view_response(3)),
    ));
    seeds.push(Seed::new(
        "GetItem-bare-body.xml",
        response_body(&fixtures::get_item_response(1)),
    ));
    seeds.push(Seed::new(
        "FindFolder-two-folders.xml",
        response_envelope(Some(&version), &find_folder_response()),
    ));
    seeds.push(Seed::new(
        "SyncFolderHierarchy-changes.xml",
        response_envelope(Some(&version), &sync_folder_hierarchy_response()),
    ));
    seeds.push(Seed::new(
        "GetUserConfiguration-category-list.xml",
        response_envelope(Some(&version), &user_configuration_response()),
    ));
    seeds.push(Seed::new(
        "SyncFolderItems-server-busy.xml",
        response_envelope(None, &server_busy_response()),
    ));
    seeds
}

/// The request seeds: one representative request per operation (the examples' set, standalone) and
/// each of them again in an envelope with an impersonation header.
pub fn request_seeds() -> Vec<Seed> {
    let header = RequestHeader::new(ExchangeVersion::Exchange2016).impersonating(
        Impersonation::PrimarySmtpAddress("mara@contoso.example".into()),
    );
    let mut seeds = Vec::new();
    for (name, body) in examples::requests::representative() {
        if let Ok((_, request)) = AnyRequest::parse(&body) {
            seeds.push(Seed::new(
                format!("{name}-envelope.xml"),
                request.to_envelope(&header),
            ));
        }
        seeds.push(Seed::new(format!("{name}-body.xml"), body));
    }
    seeds
}

/// The fault seeds: `ErrorServerBusy` with a back-off, `ErrorSchemaValidation` with line and position,
/// a bare fault with only a code, and a SOAP 1.2 fault.
pub fn fault_seeds() -> Vec<Seed> {
    let busy = SoapFault {
        fault_code: "a:ErrorServerBusy".into(),
        fault_string: "The server cannot service this request right now. Try again later.".into(),
        fault_actor: None,
        response_code: Some(ResponseCode::ErrorServerBusy),
        message: Some("The server cannot service this request right now. Try again later.".into()),
        message_xml: Some(back_off(5_000)),
    };
    let schema = SoapFault {
        fault_code: "a:ErrorSchemaValidation".into(),
        fault_string: "The request failed schema validation: The element 'Items' has invalid child element 'Foo'.".into(),
        fault_actor: Some("https://mail.contoso.example/EWS/Exchange.asmx".into()),
        response_code: Some(ResponseCode::ErrorSchemaValidation),
        message: Some("The element 'Items' has invalid child element 'Foo'.".into()),
        message_xml: Some(MessageXml {
            entries: vec![
                MessageXmlEntry {
                    name: "LineNumber".into(),
                    attributes: Vec::new(),
                    text: "2".into(),
                },
                MessageXmlEntry {
                    name: "LinePosition".into(),
                    attributes: Vec::new(),
                    text: "630".into(),
                },
                MessageXmlEntry {
                    name: "Violation".into(),
                    attributes: Vec::new(),
                    text: "The element 'Items' has invalid child element 'Foo'.".into(),
                },
            ],
        }),
    };
    let bare = SoapFault {
        fault_code: "s:Client".into(),
        fault_string: "The request is invalid.".into(),
        ..SoapFault::default()
    };
    let mut seeds: Vec<Seed> = [
        ("server-busy", busy),
        ("schema-validation", schema),
        ("bare", bare),
    ]
    .into_iter()
    .map(|(name, fault)| Seed::new(format!("{name}.xml"), fault_envelope(&fault)))
    .collect();
    // SOAP 1.2 has no builder here (EWS answers in SOAP 1.1); its shape is the standard one.
    seeds.push(Seed::new(
        "soap12.xml",
        concat!(
            r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault>"#,
            r#"<s:Code><s:Value>s:Sender</s:Value></s:Code>"#,
            r#"<s:Reason><s:Text xml:lang="en-US">ErrorInvalidServerVersion</s:Text></s:Reason>"#,
            r#"<s:Detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">"#,
            r#"ErrorInvalidServerVersion</e:ResponseCode></s:Detail></s:Fault></s:Body></s:Envelope>"#
        ),
    ));
    seeds
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

/// For every supported response (so operations added later are covered without a change here): a
/// success message and an error message in the usual `ResponseMessages` shape, read by `AnyResponse`
/// and written back by the crate. Responses of another shape (availability, OOF settings) are skipped;
/// their operations are seeded through the requests and the documentation samples.
fn minimal_responses(version: &ServerVersionInfo) -> Vec<Seed> {
    AnyResponse::SUPPORTED
        .iter()
        .filter_map(|name| {
            let operation = name.strip_suffix("Response")?;
            let message = format!("m:{operation}ResponseMessage");
            let xml = format!(
                "<m:{name} xmlns:m=\"{MESSAGES}\" xmlns:t=\"{TYPES}\"><m:ResponseMessages>\
                 <{message} ResponseClass=\"Success\"><m:ResponseCode>NoError</m:ResponseCode></{message}>\
                 <{message} ResponseClass=\"Error\"><m:MessageText>The specified object was not found in the store.</m:MessageText>\
                 <m:ResponseCode>ErrorItemNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></{message}>\
                 </m:ResponseMessages></m:{name}>"
            );
            let (_, response) = AnyResponse::parse(xml.as_bytes()).ok()?;
            Some(Seed::new(
                format!("{name}-minimal.xml"),
                response.to_envelope(Some(version)),
            ))
        })
        .collect()
}

const MESSAGES: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";
const TYPES: &str = "http://schemas.microsoft.com/exchange/services/2006/types";

fn back_off(milliseconds: u64) -> MessageXml {
    MessageXml {
        entries: vec![MessageXmlEntry {
            name: "Value".into(),
            attributes: vec![("Name".into(), "BackOffMilliseconds".into())],
            text: milliseconds.to_string(),
        }],
    }
}

fn folder(kind: FolderKind, name: &str, id: &str) -> Folder {
    let mut folder = Folder::new(kind, name);
    folder.fields.folder_id = Some(FolderId::with_change_key(id, "AQAAABYA"));
    folder.unread_count = Some(3);
    folder
}

fn find_folder_response() -> ResponseMessages<FindFolderMessage> {
    ResponseMessages::new(vec![ResponseMessage::success(FindFolderMessage {
        root_folder: Some(FindFolderRootFolder {
            paging: PagingInfo {
                indexed_paging_offset: Some(2),
                includes_last_item_in_range: Some(true),
                total_items_in_view: Some(2),
                ..PagingInfo::default()
            },
            folders: vec![
                folder(FolderKind::Folder, "Customers", "AQMkAD1"),
                folder(FolderKind::CalendarFolder, "CRM meetings", "AQMkAD2"),
            ],
        }),
    })])
}

fn sync_folder_hierarchy_response() -> ResponseMessages<SyncFolderHierarchyMessage> {
    ResponseMessages::new(vec![ResponseMessage::success(SyncFolderHierarchyMessage {
        sync_state: Some("H4sIAAAAAAAEAGNgYGCwMzY0".into()),
        includes_last_folder_in_range: Some(true),
        changes: Some(vec![
            FolderChange::Create(folder(
                FolderKind::ContactsFolder,
                "CRM contacts",
                "AQMkAD3",
            )),
            FolderChange::Update(folder(FolderKind::TasksFolder, "Follow-ups", "AQMkAD4")),
            FolderChange::Delete(FolderId::new("AQMkAD5")),
        ]),
    })])
}

fn user_configuration_response() -> ResponseMessages<GetUserConfigurationMessage> {
    ResponseMessages::new(vec![ResponseMessage::success(
        GetUserConfigurationMessage {
            user_configuration: Some(UserConfiguration {
                name: UserConfigurationName::category_list(),
                content: UserConfigurationContent {
                    dictionary: Some(vec![DictionaryEntry {
                        key: Some(DictionaryObject::string("LastUpdate")),
                        value: Some(DictionaryObject::string("2026-11-21")),
                    }]),
                    xml_data: Some(ews_types::category_list::CategoryList::default().to_xml_data()),
                    ..UserConfigurationContent::default()
                },
            }),
        },
    )])
}

fn server_busy_response() -> ResponseMessages<SyncFolderItemsMessage> {
    let mut message = ResponseMessage::<SyncFolderItemsMessage>::error(
        ResponseCode::ErrorServerBusy,
        "The server cannot service this request right now.",
    );
    message.message_xml = Some(back_off(30_000));
    ResponseMessages::new(vec![message])
}
