//! Realistic, deterministic EWS responses for the parse benchmarks, built with `ews-types`' own typed
//! values and writer ([`response_envelope`]); [`crate::raw_xml`] has what they are compared with.
//!
//! The payloads:
//!
//! * [`sync_folder_items_512`]: one SyncFolderItems page with 512 changes over full item shapes, a mix of
//!   message, contact, task and calendar creates and updates plus deletes and read-flag changes;
//! * [`get_item_100`]: a GetItem response with 100 full messages, one response message each;
//! * [`calendar_view_1000`]: a FindItem response to a CalendarView with 1,000 events, with the
//!   properties FindItem returns for calendar items (no body, no attendee lists);
//! * [`create_item_calendar_100`]: a CreateItem request with 100 calendar items (for the build
//!   benchmark), and [`single_category`], which reduces a response to one category per item.
//!
//! Every value comes from the change's index and a fixed-seed generator, so each call returns the same
//! bytes.
//!
//! ```
//! use benches::ews_fixtures::get_item_100;
//! use benches::raw_xml::event_count;
//! use ews_types::operations::GetItemResponse;
//! use ews_types::soap::parse_response;
//!
//! let bytes = get_item_100();
//! let parsed = parse_response::<GetItemResponse>(&bytes).unwrap();
//! assert_eq!(parsed.body.messages.len(), 100);
//! assert!(event_count(&bytes).unwrap() > 10_000);
//! ```

use ews_types::items::{
    Attendee, CalendarItem, CalendarItemKind, Contact, DictionaryEntry, EmailAddressEntry, Item,
    ItemFields, LegacyFreeBusyStatus, Message, PhysicalAddressEntry, PostalAddress, ResponseType,
    Task, TaskStatus,
};
use ews_types::operations::SendMeetingNotices;
use ews_types::operations::{
    CreateItem, FindItemMessage, FindItemResponse, FindItemRootFolder, GetItemMessage,
    GetItemResponse, ItemChange, PagingInfo, SyncFolderItemsMessage, SyncFolderItemsResponse,
};
use ews_types::response::{ResponseMessage, ResponseMessages};
use ews_types::soap::{ExchangeVersion, ServerVersionInfo, response_envelope};
use ews_types::types::{
    Body, DistinguishedFolderName, EmailAddress, ExtendedFieldUri, ExtendedProperty, FolderId,
    FolderRef, Importance, ItemId, MapiPropertyType, Sensitivity, SingleRecipient,
};
use ews_types::xml::parse_date_time;

/// The number of changes in [`sync_folder_items_512`]: the most one SyncFolderItems call returns.
pub const SYNC_CHANGES: usize = 512;
/// The number of messages in [`get_item_100`]: the top of the usual GetItem batch size.
pub const GET_ITEM_MESSAGES: usize = 100;

/// The number of events in [`calendar_view_1000`].
pub const CALENDAR_EVENTS: usize = 1_000;
/// The number of calendar items in [`create_item_calendar_100`].
pub const CREATE_EVENTS: usize = 100;

/// A CRM's own named-property set, as a sync engine would stamp on items it links to records.
const CRM_PROPERTY_SET: &str = "6a1c3f52-8d0e-4b8f-9a41-5d3e2c7b9f10";

/// The serialized SyncFolderItems response envelope with [`SYNC_CHANGES`] changes.
pub fn sync_folder_items_512() -> Vec<u8> {
    response_envelope(
        Some(&server_version()),
        &sync_folder_items_response(SYNC_CHANGES),
    )
}

/// The serialized GetItem response envelope with [`GET_ITEM_MESSAGES`] full messages.
pub fn get_item_100() -> Vec<u8> {
    response_envelope(
        Some(&server_version()),
        &get_item_response(GET_ITEM_MESSAGES),
    )
}

/// The serialized FindItem (CalendarView) response envelope with [`CALENDAR_EVENTS`] events.
pub fn calendar_view_1000() -> Vec<u8> {
    response_envelope(
        Some(&server_version()),
        &calendar_view_response(CALENDAR_EVENTS),
    )
}

/// A FindItem response to a CalendarView: `events` calendar items in one page, each with what FindItem
/// returns for a calendar item (every field of [`CalendarItem`] a server fills in, but no body and no
/// attendee lists, which only GetItem returns).
pub fn calendar_view_response(events: usize) -> FindItemResponse {
    let items = (0..events)
        .map(|n| Item::from(calendar_view_item(n, &mut SplitMix64::new(n as u64))))
        .collect();
    ResponseMessages::new(vec![ResponseMessage::success(FindItemMessage {
        root_folder: Some(FindItemRootFolder {
            paging: PagingInfo {
                includes_last_item_in_range: Some(true),
                total_items_in_view: Some(events as i32),
                ..PagingInfo::default()
            },
            items,
        }),
    })])
}

/// A CreateItem request that saves [`CREATE_EVENTS`] meetings in the calendar without inviting anyone
/// (what a CRM does when it pushes its appointments).
pub fn create_item_calendar_100() -> CreateItem {
    create_item_calendar(CREATE_EVENTS)
}

/// A CreateItem request with `events` new meetings: the fields a client sets on a new calendar item
/// (subject, body, categories, the CRM's extended property, reminder, start, end, location, attendees).
pub fn create_item_calendar(events: usize) -> CreateItem {
    let items = (0..events)
        .map(|n| Item::from(new_meeting(n, &mut SplitMix64::new(n as u64))))
        .collect();
    CreateItem::calendar(
        FolderRef::from(DistinguishedFolderName::Calendar),
        items,
        SendMeetingNotices::SendToNone,
    )
}

/// [`sync_folder_items_512`] with every item's categories cut to the first one: the published `ews`
/// crate refuses items with two or more categories, so the comparison with it runs on this variant.
pub fn sync_folder_items_512_one_category() -> Vec<u8> {
    let mut response = sync_folder_items_response(SYNC_CHANGES);
    for message in &mut response.messages {
        for change in message.body.changes.iter_mut().flatten() {
            if let ItemChange::Create(item) | ItemChange::Update(item) = change {
                single_category(item);
            }
        }
    }
    response_envelope(Some(&server_version()), &response)
}

/// [`get_item_100`] with one category per item (see [`sync_folder_items_512_one_category`]).
pub fn get_item_100_one_category() -> Vec<u8> {
    let mut response = get_item_response(GET_ITEM_MESSAGES);
    for message in &mut response.messages {
        message
            .body
            .items
            .iter_mut()
            .flatten()
            .for_each(single_category);
    }
    response_envelope(Some(&server_version()), &response)
}

fn single_category(item: &mut Item) {
    if let Some(categories) = &mut item.fields_mut().categories {
        categories.truncate(1);
    }
}

/// The `ServerVersionInfo` header the fixtures carry (Exchange 2016 CU23).
pub fn server_version() -> ServerVersionInfo {
    ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(1),
        major_build_number: Some(2507),
        minor_build_number: Some(6),
        version: Some(ExchangeVersion::V2017_07_11),
    }
}

/// A SyncFolderItems response with `changes` changes: about 45% creates, 35% updates, 10% deletes and
/// 10% read-flag changes; created and updated items are about half messages, the rest contacts, tasks and
/// calendar items.
pub fn sync_folder_items_response(changes: usize) -> SyncFolderItemsResponse {
    let mut random = SplitMix64::new(0x5eed_0512);
    let changes = (0..changes)
        .map(|n| {
            let roll = random.below(100);
            let item = || random_item(n, &mut SplitMix64::new(n as u64));
            match roll {
                0..45 => ItemChange::Create(item()),
                45..80 => ItemChange::Update(item()),
                80..90 => ItemChange::Delete(item_id(n)),
                _ => ItemChange::ReadFlagChange {
                    item_id: item_id(n),
                    is_read: roll % 2 == 0,
                },
            }
        })
        .collect();
    ResponseMessages::new(vec![ResponseMessage::success(SyncFolderItemsMessage {
        sync_state: Some(sync_state()),
        includes_last_item_in_range: Some(false),
        changes: Some(changes),
    })])
}

/// A GetItem response with `messages` full messages, one response message per requested id.
pub fn get_item_response(messages: usize) -> GetItemResponse {
    ResponseMessages::new(
        (0..messages)
            .map(|n| {
                let item = Item::from(message(n, &mut SplitMix64::new(n as u64)));
                ResponseMessage::success(GetItemMessage {
                    items: Some(vec![item]),
                })
            })
            .collect(),
    )
}

/// A small deterministic generator (SplitMix64), so fixtures need no external crate and never change.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
        choices[self.below(choices.len() as u64) as usize]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Alice",
    "Bj\u{f6}rn",
    "Carol",
    "Dana",
    "Elif",
    "Fran\u{e7}ois",
    "Grace",
    "Hiro",
    "Ines",
    "Jonas",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Ek",
    "Jones",
    "Whitfield",
    "Y\u{131}lmaz",
    "Dubois",
    "Hopper",
    "Tanaka",
    "Garc\u{ed}a",
    "Weber",
];
const DOMAINS: &[&str] = &[
    "contoso.com",
    "fabrikam.example",
    "northwind.example",
    "adatum.example",
];
const COMPANIES: &[&str] = &[
    "Contoso Ltd",
    "Fabrikam, Inc.",
    "Northwind Traders",
    "A. Datum & Co",
];
const TOPICS: &[&str] = &[
    "Renewal quote",
    "Invoice overdue",
    "Kick-off meeting notes",
    "Q3 forecast <draft>",
    "Contract redlines",
    "Support case escalation",
    "Pricing for 2025",
];
const CATEGORIES: &[&str] = &[
    "CRM",
    "Customer/Gold",
    "Follow-up",
    "Red category",
    "Project \u{2013} Apollo",
    "Billing",
];

/// An `xs:dateTime` in 2024, `seconds` after a fixed origin (months of 28 days keep every date valid).
fn when(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (month, day) = (1 + days / 28 % 12, 1 + days % 28);
    format!(
        "2024-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest / 60 % 60,
        rest % 60
    )
}

fn item_id(n: usize) -> ItemId {
    ItemId::with_change_key(
        format!("AAMkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1hMzFkLWE2YzdiNWYzZDE3MwBGAAAAAAD{n:06}AAA="),
        format!("CQAAABYAAAA{n:06}Hb7TLw=="),
    )
}

fn sync_state() -> String {
    // Real sync states are opaque base64 of a few hundred bytes.
    let mut random = SplitMix64::new(7);
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let body: String = (0..340)
        .map(|_| ALPHABET[random.below(64) as usize] as char)
        .collect();
    format!("H4sIAAAAAAAEAO29{body}==")
}

fn person(random: &mut SplitMix64) -> EmailAddress {
    let (first, last, domain) = (
        random.pick(FIRST_NAMES),
        random.pick(LAST_NAMES),
        random.pick(DOMAINS),
    );
    let local: String = format!("{first}.{last}")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    EmailAddress::named(
        format!("{first} {last}"),
        format!("{}@{domain}", local.to_lowercase()),
    )
}

fn html_body(n: usize, topic: &str, random: &mut SplitMix64) -> Body {
    let greeting = random.pick(FIRST_NAMES);
    let amount = 1_000 + random.below(90_000);
    Body::html(format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\
         <body><div style=\"font-family:Calibri,sans-serif;font-size:11pt\"><p>Hi {greeting},</p>\
         <p>Following up on <b>{topic}</b> (ref #{n}): the revised total is \u{20ac}{amount}.00 net, \
         valid for 30 days. Terms &amp; conditions as agreed; see the attached PDF.</p>\
         <p>Best regards,<br>Sales Operations</p></div></body></html>"
    ))
}

fn categories(random: &mut SplitMix64) -> Option<Vec<String>> {
    let count = 1 + random.below(3) as usize;
    Some(
        (0..count)
            .map(|_| random.pick(CATEGORIES).to_owned())
            .collect(),
    )
}

fn extended_properties(n: usize) -> Vec<ExtendedProperty> {
    vec![
        ExtendedProperty::new(
            ExtendedFieldUri::named(CRM_PROPERTY_SET, "CrmRecordId", MapiPropertyType::String),
            format!("opportunity:{:08x}", n * 7_919),
        ),
        ExtendedProperty::new(
            ExtendedFieldUri::tagged("0x1081", MapiPropertyType::Integer),
            "261",
        ),
    ]
}

/// The fields every item has, filled as a server fills them for a full shape.
fn item_fields(n: usize, class: &str, subject: String, random: &mut SplitMix64) -> ItemFields {
    let received = 3_600 * n as u64 + random.below(3_600);
    let size = 2_000 + random.below(60_000) as i32;
    ItemFields {
        item_id: Some(item_id(n)),
        parent_folder_id: Some(FolderId::with_change_key(
            "AAMkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1hMzFkLWE2YzdiNWYzZDE3MwAuAAAAAAC7",
            "AQAAAA==",
        )),
        item_class: Some(class.to_owned()),
        body: Some(html_body(n, &subject, random)),
        subject: Some(subject),
        sensitivity: Some(Sensitivity::Normal),
        date_time_received: parse_date_time(&when(received)),
        size: Some(size),
        categories: categories(random),
        importance: Some(match random.below(4) {
            0 => Importance::High,
            1 => Importance::Low,
            _ => Importance::Normal,
        }),
        is_submitted: Some(false),
        is_draft: Some(false),
        is_from_me: Some(false),
        is_resend: Some(false),
        is_unmodified: Some(random.below(2) == 0),
        date_time_sent: parse_date_time(&when(received - 40)),
        date_time_created: parse_date_time(&when(received - 30)),
        reminder_is_set: Some(false),
        has_attachments: Some(random.below(4) == 0),
        extended_properties: extended_properties(n),
        culture: Some("en-US".to_owned()),
        last_modified_name: Some("Sales Operations".to_owned()),
        last_modified_time: parse_date_time(&when(received + 5)),
        is_associated: Some(false),
        conversation_id: Some(ItemId::new(format!(
            "AAQkADQ5ZTJmNGE3LTk4ZGQtNDI1Ni1{:06}=",
            n / 3
        ))),
        ..ItemFields::default()
    }
}

fn message(n: usize, random: &mut SplitMix64) -> Message {
    let topic = random.pick(TOPICS);
    let subject = if n % 3 == 0 {
        format!("{topic} #{n}")
    } else {
        format!("RE: {topic} #{n}")
    };
    let (from, to) = (
        person(random),
        (0..1 + random.below(3))
            .map(|_| person(random))
            .collect::<Vec<_>>(),
    );
    let cc = vec![person(random)];
    let mut item = item_fields(n, "IPM.Note", subject.clone(), random);
    item.display_to = Some(
        to.iter()
            .filter_map(|a| a.name.clone())
            .collect::<Vec<_>>()
            .join("; "),
    );
    item.display_cc = cc[0].name.clone();
    item.in_reply_to =
        (n % 3 != 0).then(|| format!("<{}.thread@{}>", n - 1, DOMAINS[n % DOMAINS.len()]));
    Message {
        item,
        sender: Some(SingleRecipient::from(from.clone())),
        to_recipients: Some(to),
        cc_recipients: Some(cc),
        is_read_receipt_requested: Some(false),
        is_delivery_receipt_requested: Some(false),
        conversation_index: Some(format!("AdmT3q{n:06}F8lQ1KxE2hJ0A==")),
        conversation_topic: Some(topic.to_owned()),
        from: Some(SingleRecipient::from(from)),
        internet_message_id: Some(format!(
            "<{n}.{:x}@{}>",
            random.next(),
            random.pick(DOMAINS)
        )),
        is_read: Some(random.below(3) != 0),
        is_response_requested: Some(false),
        references: (n % 3 != 0)
            .then(|| format!("<{}.thread@{}>", n - 1, DOMAINS[n % DOMAINS.len()])),
        ..Message::default()
    }
}

fn contact(n: usize, random: &mut SplitMix64) -> Contact {
    let (first, last, company) = (
        random.pick(FIRST_NAMES),
        random.pick(LAST_NAMES),
        random.pick(COMPANIES),
    );
    let address = person(random);
    Contact {
        item: item_fields(n, "IPM.Contact", format!("{first} {last}"), random),
        file_as: Some(format!("{last}, {first}")),
        display_name: Some(format!("{first} {last}")),
        given_name: Some(first.to_owned()),
        company_name: Some(company.to_owned()),
        email_addresses: Some(vec![EmailAddressEntry {
            key: "EmailAddress1".to_owned(),
            name: address.name.clone(),
            routing_type: Some("SMTP".to_owned()),
            mailbox_type: None,
            address: address.email_address.clone().unwrap_or_default(),
        }]),
        physical_addresses: Some(vec![PhysicalAddressEntry {
            key: "Business".to_owned(),
            address: PostalAddress {
                street: Some(format!("{} Main Street", 1 + random.below(999))),
                city: Some("Redmond".to_owned()),
                state: Some("WA".to_owned()),
                country_or_region: Some("United States".to_owned()),
                postal_code: Some("98052".to_owned()),
            },
        }]),
        phone_numbers: Some(vec![
            DictionaryEntry::new(
                "BusinessPhone",
                format!("+1 425 555 {:04}", random.below(10_000)),
            ),
            DictionaryEntry::new(
                "MobilePhone",
                format!("+1 206 555 {:04}", random.below(10_000)),
            ),
        ]),
        job_title: Some(
            random
                .pick(&["Buyer", "CFO", "Account Manager", "Head of IT"])
                .to_owned(),
        ),
        department: Some("Procurement".to_owned()),
        surname: Some(last.to_owned()),
        notes: Some(format!("Met at the {company} partner day. Prefers e-mail.")),
        ..Contact::default()
    }
}

fn task(n: usize, random: &mut SplitMix64) -> Task {
    let topic = random.pick(TOPICS);
    let start = 3_600 * n as u64;
    Task {
        item: item_fields(n, "IPM.Task", format!("Follow up: {topic}"), random),
        due_date: parse_date_time(&when(start + 86_400 * (1 + random.below(14)))),
        start_date: parse_date_time(&when(start)),
        status: Some(match random.below(3) {
            0 => TaskStatus::NotStarted,
            1 => TaskStatus::InProgress,
            _ => TaskStatus::WaitingOnOthers,
        }),
        percent_complete: Some((random.below(5) * 25) as f64),
        is_complete: Some(false),
        is_recurring: Some(false),
        owner: Some("Sales Operations".to_owned()),
        change_count: Some(1 + random.below(5) as i32),
        ..Task::default()
    }
}

fn calendar_item(n: usize, random: &mut SplitMix64) -> CalendarItem {
    let topic = random.pick(TOPICS);
    let start = 3_600 * n as u64 + 86_400 * 7;
    let organizer = person(random);
    let attendee = |random: &mut SplitMix64| Attendee {
        response_type: Some(ResponseType::NoResponseReceived),
        ..Attendee::from(person(random))
    };
    CalendarItem {
        item: item_fields(n, "IPM.Appointment", format!("Meeting: {topic}"), random),
        uid: Some(format!(
            "040000008200E00074C5B7101A82E00800000000{:016X}",
            random.next()
        )),
        date_time_stamp: parse_date_time(&when(start - 86_400)),
        start: parse_date_time(&when(start)),
        end: parse_date_time(&when(start + 1_800 * (1 + random.below(4)))),
        is_all_day_event: Some(false),
        legacy_free_busy_status: Some(LegacyFreeBusyStatus::Busy),
        location: Some(format!(
            "Conf Room {}/{}",
            1 + random.below(40),
            1000 + random.below(500)
        )),
        is_meeting: Some(true),
        is_cancelled: Some(false),
        is_recurring: Some(false),
        meeting_request_was_sent: Some(true),
        is_response_requested: Some(true),
        calendar_item_type: Some(CalendarItemKind::Single),
        my_response_type: Some(ResponseType::Accept),
        organizer: Some(SingleRecipient::from(organizer)),
        required_attendees: Some((0..2 + random.below(3)).map(|_| attendee(random)).collect()),
        optional_attendees: Some(vec![attendee(random)]),
        duration: Some("PT1H".to_owned()),
        time_zone: Some("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna".to_owned()),
        appointment_sequence_number: Some(0),
        appointment_state: Some(1),
        ..CalendarItem::default()
    }
}

/// A calendar item as FindItem returns it: no body, no attendee lists.
fn calendar_view_item(n: usize, random: &mut SplitMix64) -> CalendarItem {
    let mut item = calendar_item(n, random);
    item.item.body = None;
    item.required_attendees = None;
    item.optional_attendees = None;
    item
}

/// A meeting as a client creates it: only what a client sets, no server-assigned fields.
fn new_meeting(n: usize, random: &mut SplitMix64) -> CalendarItem {
    let full = calendar_item(n, random);
    CalendarItem {
        item: ItemFields {
            subject: full.item.subject,
            sensitivity: full.item.sensitivity,
            body: full.item.body,
            categories: full.item.categories,
            importance: full.item.importance,
            reminder_is_set: Some(true),
            reminder_minutes_before_start: Some(15),
            extended_properties: full.item.extended_properties,
            ..ItemFields::default()
        },
        start: full.start,
        end: full.end,
        is_all_day_event: full.is_all_day_event,
        legacy_free_busy_status: full.legacy_free_busy_status,
        location: full.location,
        // A client names attendees; their responses are the server's business.
        required_attendees: full.required_attendees.map(invited),
        optional_attendees: full.optional_attendees.map(invited),
        ..CalendarItem::default()
    }
}

fn invited(attendees: Vec<Attendee>) -> Vec<Attendee> {
    attendees
        .into_iter()
        .filter_map(|a| a.mailbox.map(Attendee::from))
        .collect()
}

/// An item of the mix: about half messages, the rest contacts, tasks and calendar items.
fn random_item(n: usize, random: &mut SplitMix64) -> Item {
    match random.below(20) {
        0..10 => Item::from(message(n, random)),
        10..14 => Item::from(contact(n, random)),
        14..17 => Item::from(task(n, random)),
        _ => Item::from(calendar_item(n, random)),
    }
}

#[cfg(test)]
mod tests {
    use ews_types::soap::parse_response;

    use super::*;

    #[test]
    fn sync_fixture_parses_back_to_the_values_it_was_built_from() {
        let bytes = sync_folder_items_512();
        let parsed = parse_response::<SyncFolderItemsResponse>(&bytes).expect("fixture parses");
        assert_eq!(parsed.body, sync_folder_items_response(SYNC_CHANGES));
        assert_eq!(parsed.server_version, Some(server_version()));
        let changes = parsed.body.messages[0]
            .body
            .changes
            .as_ref()
            .expect("changes");
        assert_eq!(changes.len(), SYNC_CHANGES);
        let kinds = |f: fn(&ItemChange) -> bool| changes.iter().filter(|c| f(c)).count();
        assert!(kinds(|c| matches!(c, ItemChange::Delete(_))) > 20);
        assert!(kinds(|c| matches!(c, ItemChange::ReadFlagChange { .. })) > 20);
        for kind in ["Message", "Contact", "Task", "CalendarItem"] {
            let count = changes
                .iter()
                .filter(|c| matches!(c, ItemChange::Create(i) | ItemChange::Update(i) if i.kind() == kind))
                .count();
            assert!(count > 20, "{count} {kind} changes");
        }
    }

    #[test]
    fn get_item_fixture_parses_back_to_the_values_it_was_built_from() {
        let bytes = get_item_100();
        let parsed = parse_response::<GetItemResponse>(&bytes).expect("fixture parses");
        assert_eq!(parsed.body, get_item_response(GET_ITEM_MESSAGES));
        assert_eq!(parsed.body.messages.len(), GET_ITEM_MESSAGES);
    }

    #[test]
    fn calendar_view_fixture_parses_back_with_find_item_shapes() {
        let bytes = calendar_view_1000();
        let parsed = parse_response::<FindItemResponse>(&bytes).expect("fixture parses");
        assert_eq!(parsed.body, calendar_view_response(CALENDAR_EVENTS));
        let page = parsed.body.messages[0]
            .body
            .root_folder
            .as_ref()
            .expect("page");
        assert_eq!(page.items.len(), CALENDAR_EVENTS);
        assert!(
            page.items
                .iter()
                .all(|i| i.kind() == "CalendarItem" && i.fields().body.is_none())
        );
    }

    #[test]
    fn create_item_fixture_is_a_valid_request_that_parses_back() {
        use ews_types::operations::Operation;
        let request = create_item_calendar_100();
        request.validate().expect("valid CreateItem");
        assert_eq!(request.items.len(), CREATE_EVENTS);
        let header =
            ews_types::soap::RequestHeader::new(ews_types::soap::ExchangeVersion::Exchange2013);
        let bytes = ews_types::soap::request_envelope(&header, &request);
        let (_, parsed) = ews_types::soap::parse_request::<CreateItem>(&bytes).expect("parses");
        assert_eq!(parsed, request);
    }

    #[test]
    fn one_category_variants_differ_only_in_categories() {
        let full = parse_response::<SyncFolderItemsResponse>(&sync_folder_items_512()).unwrap();
        let one = parse_response::<SyncFolderItemsResponse>(&sync_folder_items_512_one_category())
            .unwrap();
        let items = |r: &SyncFolderItemsResponse| -> Vec<ItemFields> {
            let changes = r.messages[0].body.changes.clone().unwrap_or_default();
            changes
                .into_iter()
                .filter_map(|c| match c {
                    ItemChange::Create(i) | ItemChange::Update(i) => Some(i.fields().clone()),
                    _ => None,
                })
                .collect()
        };
        let (full, one) = (items(&full.body), items(&one.body));
        assert_eq!(full.len(), one.len());
        assert!(
            full.iter()
                .any(|f| f.categories.as_ref().is_some_and(|c| c.len() > 1))
        );
        for (mut f, o) in full.into_iter().zip(one) {
            assert!(o.categories.as_ref().is_none_or(|c| c.len() <= 1));
            f.categories = f.categories.map(|mut c| {
                c.truncate(1);
                c
            });
            assert_eq!(f, o);
        }
        let get = parse_response::<GetItemResponse>(&get_item_100_one_category()).unwrap();
        assert_eq!(get.body.messages.len(), GET_ITEM_MESSAGES);
    }

    #[test]
    fn fixtures_are_deterministic_and_raw_scan_sees_every_event() {
        assert_eq!(sync_folder_items_512(), sync_folder_items_512());
        assert_eq!(get_item_100(), get_item_100());
        let events = crate::raw_xml::event_count(&sync_folder_items_512()).expect("well-formed");
        assert!(events > 50_000, "{events} events");
        assert!(crate::raw_xml::event_count(b"<a><b></a>").is_err());
    }
}
