//! Between the store's items (the EWS model) and Graph's resources (graph-client's model): what Graph
//! shows of an item, and what a Graph create or PATCH body changes.
//!
//! Properties absent from a PATCH body are left alone; an explicit `null` clears the property.

use ews_types::items::DictionaryEntry as PhoneEntry;
use ews_types::items::{
    Attendee as EwsAttendee, CalendarItem, CalendarItemKind, Contact as EwsContact,
    EmailAddressEntry, Item, LegacyFreeBusyStatus, Message as EwsMessage, PhysicalAddressEntry,
    PostalAddress, ResponseType as EwsResponse, Task, TaskStatus as EwsTaskStatus,
};
use ews_types::types::{
    Body, BodyType as EwsBodyType, EmailAddress as EwsAddress, Importance as EwsImportance,
    SingleRecipient,
};
use graph_client::Field;
use graph_client::model::{
    Attendee, AttendeeType, BodyType, Contact, DateTimeTimeZone, EmailAddress, Event, EventType,
    FreeBusyStatus, Importance, ItemBody, Location, Message, PhysicalAddress, Recipient,
    ResponseStatus, ResponseType, TaskStatus, TodoTask,
};
use jiff::Timestamp;

/// How item ids are written: immutable (with `Prefer: IdType="ImmutableId"`) or REST ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdForm {
    /// Stable across moves.
    Immutable,
    /// Changes on move (Graph's default).
    Rest,
}

/// Ids and version markers of one item, as Graph writes them.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub(crate) id: String,
    pub(crate) change_key: String,
    pub(crate) etag: String,
    pub(crate) parent_folder_id: String,
    pub(crate) created: Option<Timestamp>,
    pub(crate) modified: Option<Timestamp>,
}

/// Applies a PATCH field through a conversion: a value is converted and set, `null` clears, absent
/// leaves the target alone.
fn map_in<T, U>(field: Field<T>, target: &mut Option<U>, convert: impl FnOnce(T) -> Option<U>) {
    match field {
        Field::Value(v) => *target = convert(v),
        Field::Null => *target = None,
        _ => {}
    }
}

fn ts(t: Option<Timestamp>) -> Field<String> {
    t.map_or(Field::Absent, |t| {
        Field::Value(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
    })
}

fn opt<T>(v: Option<T>) -> Field<T> {
    v.map_or(Field::Absent, Field::Value)
}

fn list<T>(v: Option<Vec<T>>) -> Field<Vec<T>> {
    v.map_or(Field::Absent, Field::Value)
}

fn body_out(body: &Option<Body>) -> (Field<ItemBody>, Field<String>) {
    let Some(body) = body else {
        return (Field::Absent, Field::Absent);
    };
    let html = matches!(body.body_type, EwsBodyType::Html);
    let preview: String = body.content.chars().take(255).collect();
    (
        Field::Value(ItemBody {
            content_type: Some(if html { BodyType::Html } else { BodyType::Text }),
            content: Some(body.content.clone()),
            extra: Default::default(),
        }),
        Field::Value(preview),
    )
}

fn body_in(body: ItemBody) -> Body {
    match body.content_type {
        Some(BodyType::Html) => Body::html(body.content.unwrap_or_default()),
        _ => Body::text(body.content.unwrap_or_default()),
    }
}

fn importance_out(i: &Option<EwsImportance>) -> Field<Importance> {
    match i {
        Some(EwsImportance::Low) => Field::Value(Importance::Low),
        Some(EwsImportance::High) => Field::Value(Importance::High),
        Some(_) => Field::Value(Importance::Normal),
        None => Field::Absent,
    }
}

fn importance_in(i: Importance) -> EwsImportance {
    match i {
        Importance::Low => EwsImportance::Low,
        Importance::High => EwsImportance::High,
        _ => EwsImportance::Normal,
    }
}

fn address_out(a: &EwsAddress) -> EmailAddress {
    EmailAddress {
        name: a.name.clone(),
        address: a.email_address.clone(),
        extra: Default::default(),
    }
}

fn address_in(a: &EmailAddress) -> EwsAddress {
    EwsAddress {
        name: a.name.clone(),
        ..EwsAddress::smtp(a.address.clone().unwrap_or_default())
    }
}

fn recipient_out(a: &EwsAddress) -> Recipient {
    Recipient {
        email_address: Some(address_out(a)),
        extra: Default::default(),
    }
}

fn recipient_in(r: &Recipient) -> Option<EwsAddress> {
    r.email_address.as_ref().map(address_in)
}

fn recipients_out(list: &Option<Vec<EwsAddress>>) -> Field<Vec<Recipient>> {
    match list {
        Some(l) => Field::Value(l.iter().map(recipient_out).collect()),
        None => Field::Value(Vec::new()),
    }
}

fn single_out(r: &Option<SingleRecipient>) -> Field<Recipient> {
    opt(r
        .as_ref()
        .and_then(|r| r.mailbox.as_ref())
        .map(recipient_out))
}

fn recipients_in(field: Field<Vec<Recipient>>, target: &mut Option<Vec<EwsAddress>>) {
    let mapped = match field {
        Field::Value(v) => Field::Value(v.iter().filter_map(recipient_in).collect::<Vec<_>>()),
        Field::Null => Field::Null,
        _ => Field::Absent,
    };
    mapped.apply_to(target);
    if target.as_ref().is_some_and(Vec::is_empty) {
        *target = None;
    }
}

fn single_in(field: Field<Recipient>, target: &mut Option<SingleRecipient>) {
    map_in(field, target, |r| {
        recipient_in(&r).map(SingleRecipient::from)
    });
}

/// A message as Graph shows it.
pub(crate) fn message_out(m: &EwsMessage, who: &Identity) -> Message {
    let (body, body_preview) = body_out(&m.item.body);
    Message {
        id: Some(who.id.clone()),
        etag: Some(who.etag.clone()),
        change_key: Field::Value(who.change_key.clone()),
        categories: Field::Value(m.item.categories.clone().unwrap_or_default()),
        created_date_time: ts(who.created),
        last_modified_date_time: ts(who.modified),
        received_date_time: ts(m.item.date_time_received),
        sent_date_time: ts(m.item.date_time_sent),
        internet_message_id: opt(m.internet_message_id.clone()),
        subject: Field::Value(m.item.subject.clone().unwrap_or_default()),
        body_preview,
        body,
        importance: importance_out(&m.item.importance).or_normal(),
        parent_folder_id: Field::Value(who.parent_folder_id.clone()),
        conversation_id: Field::Absent,
        has_attachments: Field::Value(m.item.has_attachments.unwrap_or(false)),
        is_read: Field::Value(m.is_read.unwrap_or(false)),
        is_draft: Field::Value(m.item.is_draft.unwrap_or(false)),
        is_delivery_receipt_requested: opt(m.is_delivery_receipt_requested),
        is_read_receipt_requested: opt(m.is_read_receipt_requested),
        sender: single_out(&m.sender),
        from: single_out(&m.from),
        to_recipients: recipients_out(&m.to_recipients),
        cc_recipients: recipients_out(&m.cc_recipients),
        bcc_recipients: recipients_out(&m.bcc_recipients),
        reply_to: recipients_out(&m.reply_to),
        ..Message::default()
    }
}

trait OrNormal {
    fn or_normal(self) -> Self;
}

impl OrNormal for Field<Importance> {
    fn or_normal(self) -> Self {
        match self {
            Field::Absent => Field::Value(Importance::Normal),
            other => other,
        }
    }
}

/// Applies a Graph message body (create or PATCH) to a message.
pub(crate) fn message_in(patch: Message, m: &mut EwsMessage) {
    patch.subject.apply_to(&mut m.item.subject);
    map_in(patch.body, &mut m.item.body, |b| Some(body_in(b)));
    patch.categories.apply_to(&mut m.item.categories);
    map_in(patch.importance, &mut m.item.importance, |i| {
        Some(importance_in(i))
    });
    patch.is_read.apply_to(&mut m.is_read);
    patch.is_draft.apply_to(&mut m.item.is_draft);
    patch
        .internet_message_id
        .apply_to(&mut m.internet_message_id);
    patch
        .is_read_receipt_requested
        .apply_to(&mut m.is_read_receipt_requested);
    patch
        .is_delivery_receipt_requested
        .apply_to(&mut m.is_delivery_receipt_requested);
    recipients_in(patch.to_recipients, &mut m.to_recipients);
    recipients_in(patch.cc_recipients, &mut m.cc_recipients);
    recipients_in(patch.bcc_recipients, &mut m.bcc_recipients);
    recipients_in(patch.reply_to, &mut m.reply_to);
    single_in(patch.from, &mut m.from);
    single_in(patch.sender, &mut m.sender);
    if let Field::Value(at) = patch.received_date_time {
        m.item.date_time_received = at.parse().ok();
    }
}

fn utc(t: Option<Timestamp>) -> Field<DateTimeTimeZone> {
    opt(t.map(DateTimeTimeZone::utc))
}

/// Reads a Graph date-time in a zone (UTC, an IANA zone, or a Windows zone name read as UTC).
pub(crate) fn instant(dt: &DateTimeTimeZone) -> Option<Timestamp> {
    let civil = dt.civil()?;
    let zone = dt.time_zone.as_deref().unwrap_or("UTC");
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    civil.to_zoned(tz).ok().map(|z| z.timestamp())
}

fn show_as_out(s: &Option<LegacyFreeBusyStatus>) -> FreeBusyStatus {
    match s {
        Some(LegacyFreeBusyStatus::Free) => FreeBusyStatus::Free,
        Some(LegacyFreeBusyStatus::Tentative) => FreeBusyStatus::Tentative,
        Some(LegacyFreeBusyStatus::Oof) => FreeBusyStatus::Oof,
        Some(LegacyFreeBusyStatus::WorkingElsewhere) => FreeBusyStatus::WorkingElsewhere,
        _ => FreeBusyStatus::Busy,
    }
}

fn show_as_in(s: FreeBusyStatus) -> LegacyFreeBusyStatus {
    match s {
        FreeBusyStatus::Free => LegacyFreeBusyStatus::Free,
        FreeBusyStatus::Tentative => LegacyFreeBusyStatus::Tentative,
        FreeBusyStatus::Oof => LegacyFreeBusyStatus::Oof,
        FreeBusyStatus::WorkingElsewhere => LegacyFreeBusyStatus::WorkingElsewhere,
        _ => LegacyFreeBusyStatus::Busy,
    }
}

fn response_out(r: &Option<EwsResponse>) -> ResponseType {
    match r {
        Some(EwsResponse::Organizer) => ResponseType::Organizer,
        Some(EwsResponse::Accept) => ResponseType::Accepted,
        Some(EwsResponse::Tentative) => ResponseType::TentativelyAccepted,
        Some(EwsResponse::Decline) => ResponseType::Declined,
        Some(EwsResponse::NoResponseReceived) => ResponseType::NotResponded,
        _ => ResponseType::None,
    }
}

fn attendees_out(c: &CalendarItem) -> Vec<Attendee> {
    let kinds = [
        (&c.required_attendees, AttendeeType::Required),
        (&c.optional_attendees, AttendeeType::Optional),
        (&c.resources, AttendeeType::Resource),
    ];
    kinds
        .into_iter()
        .flat_map(|(list, kind)| {
            list.iter().flatten().map(move |a| Attendee {
                attendee_type: Some(kind.clone()),
                status: Some(ResponseStatus {
                    response: Some(response_out(&a.response_type)),
                    time: Some("0001-01-01T00:00:00Z".to_owned()),
                    extra: Default::default(),
                }),
                email_address: a.mailbox.as_ref().map(address_out),
                extra: Default::default(),
            })
        })
        .collect()
}

/// An event as Graph shows it.
pub(crate) fn event_out(c: &CalendarItem, who: &Identity) -> Event {
    let (body, body_preview) = body_out(&c.item.body);
    let location = c.location.clone().map(|name| Location {
        display_name: Some(name),
        ..Location::default()
    });
    Event {
        id: Some(who.id.clone()),
        etag: Some(who.etag.clone()),
        change_key: Field::Value(who.change_key.clone()),
        categories: Field::Value(c.item.categories.clone().unwrap_or_default()),
        created_date_time: ts(who.created),
        last_modified_date_time: ts(who.modified),
        ical_uid: opt(c.uid.clone()),
        event_type: Field::Value(match (&c.calendar_item_type, c.recurrence.is_some()) {
            (Some(CalendarItemKind::Occurrence), _) => EventType::Occurrence,
            (Some(CalendarItemKind::Exception), _) => EventType::Exception,
            (_, true) => EventType::SeriesMaster,
            _ => EventType::SingleInstance,
        }),
        subject: Field::Value(c.item.subject.clone().unwrap_or_default()),
        body_preview,
        body,
        importance: importance_out(&c.item.importance).or_normal(),
        start: utc(c.start),
        end: utc(c.end),
        is_all_day: Field::Value(c.is_all_day_event.unwrap_or(false)),
        is_cancelled: Field::Value(c.is_cancelled.unwrap_or(false)),
        is_organizer: Field::Value(matches!(
            c.my_response_type,
            Some(EwsResponse::Organizer) | None
        )),
        show_as: Field::Value(show_as_out(&c.legacy_free_busy_status)),
        location: opt(location),
        attendees: Field::Value(attendees_out(c)),
        organizer: single_out(&c.organizer),
        response_status: Field::Value(ResponseStatus {
            response: Some(response_out(&c.my_response_type)),
            time: Some("0001-01-01T00:00:00Z".to_owned()),
            extra: Default::default(),
        }),
        is_reminder_on: Field::Value(c.item.reminder_is_set.unwrap_or(false)),
        ..Event::default()
    }
}

/// Applies a Graph event body to a calendar item.
pub(crate) fn event_in(patch: Event, c: &mut CalendarItem) {
    patch.subject.apply_to(&mut c.item.subject);
    map_in(patch.body, &mut c.item.body, |b| Some(body_in(b)));
    patch.categories.apply_to(&mut c.item.categories);
    map_in(patch.start, &mut c.start, |s| instant(&s));
    map_in(patch.end, &mut c.end, |e| instant(&e));
    patch.is_all_day.apply_to(&mut c.is_all_day_event);
    map_in(patch.location, &mut c.location, |l| l.display_name);
    map_in(patch.show_as, &mut c.legacy_free_busy_status, |s| {
        Some(show_as_in(s))
    });
    if let Field::Value(attendees) = patch.attendees {
        let pick = |kind: AttendeeType| -> Option<Vec<EwsAttendee>> {
            let list: Vec<EwsAttendee> = attendees
                .iter()
                .filter(|a| a.attendee_type.clone().unwrap_or(AttendeeType::Required) == kind)
                .filter_map(|a| {
                    a.email_address
                        .as_ref()
                        .map(|e| EwsAttendee::from(address_in(e)))
                })
                .collect();
            (!list.is_empty()).then_some(list)
        };
        c.required_attendees = pick(AttendeeType::Required);
        c.optional_attendees = pick(AttendeeType::Optional);
        c.resources = pick(AttendeeType::Resource);
    }
    patch.is_reminder_on.apply_to(&mut c.item.reminder_is_set);
}

fn physical_out(list: &Option<Vec<PhysicalAddressEntry>>, key: &str) -> Field<PhysicalAddress> {
    let Some(entry) = list.iter().flatten().find(|e| e.key == key) else {
        return Field::Absent;
    };
    let a = &entry.address;
    Field::Value(PhysicalAddress {
        street: a.street.clone(),
        city: a.city.clone(),
        state: a.state.clone(),
        country_or_region: a.country_or_region.clone(),
        postal_code: a.postal_code.clone(),
        extra: Default::default(),
    })
}

fn physical_in(
    field: Field<PhysicalAddress>,
    list: &mut Option<Vec<PhysicalAddressEntry>>,
    key: &str,
) {
    let value = match field {
        Field::Absent => return,
        Field::Null => None,
        Field::Value(a) => Some(PostalAddress {
            street: a.street,
            city: a.city,
            state: a.state,
            country_or_region: a.country_or_region,
            postal_code: a.postal_code,
        }),
    };
    let entries = list.get_or_insert_with(Vec::new);
    entries.retain(|e| e.key != key);
    if let Some(address) = value {
        entries.push(PhysicalAddressEntry {
            key: key.to_owned(),
            address,
        });
    }
    if entries.is_empty() {
        *list = None;
    }
}

fn phones_out(list: &Option<Vec<PhoneEntry>>, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| {
            list.iter()
                .flatten()
                .find(|e| e.key == *k)
                .map(|e| e.value.clone())
        })
        .collect()
}

fn phones_in(field: Field<Vec<String>>, list: &mut Option<Vec<PhoneEntry>>, keys: &[&str]) {
    let values = match field {
        Field::Absent => return,
        Field::Value(v) => v,
        _ => Vec::new(),
    };
    let entries = list.get_or_insert_with(Vec::new);
    entries.retain(|e| !keys.contains(&e.key.as_str()));
    for (key, value) in keys.iter().zip(values) {
        entries.push(PhoneEntry::new(*key, value));
    }
    if entries.is_empty() {
        *list = None;
    }
}

/// A contact as Graph shows it.
pub(crate) fn contact_out(c: &EwsContact, who: &Identity) -> Contact {
    let emails = c
        .email_addresses
        .iter()
        .flatten()
        .map(|e| EmailAddress {
            name: e.name.clone(),
            address: Some(e.address.clone()),
            extra: Default::default(),
        })
        .collect();
    let mobile = phones_out(&c.phone_numbers, &["MobilePhone"])
        .into_iter()
        .next();
    Contact {
        id: Some(who.id.clone()),
        etag: Some(who.etag.clone()),
        change_key: Field::Value(who.change_key.clone()),
        categories: Field::Value(c.item.categories.clone().unwrap_or_default()),
        created_date_time: ts(who.created),
        last_modified_date_time: ts(who.modified),
        parent_folder_id: Field::Value(who.parent_folder_id.clone()),
        display_name: opt(c.display_name.clone()),
        file_as: opt(c.file_as.clone()),
        given_name: opt(c.given_name.clone()),
        middle_name: opt(c.middle_name.clone()),
        surname: opt(c.surname.clone()),
        initials: opt(c.initials.clone()),
        nick_name: opt(c.nickname.clone()),
        generation: opt(c.generation.clone()),
        email_addresses: Field::Value(emails),
        job_title: opt(c.job_title.clone()),
        company_name: opt(c.company_name.clone()),
        department: opt(c.department.clone()),
        office_location: opt(c.office_location.clone()),
        profession: opt(c.profession.clone()),
        manager: opt(c.manager.clone()),
        assistant_name: opt(c.assistant_name.clone()),
        business_home_page: opt(c.business_home_page.clone()),
        business_phones: Field::Value(phones_out(
            &c.phone_numbers,
            &["BusinessPhone", "BusinessPhone2"],
        )),
        home_phones: Field::Value(phones_out(&c.phone_numbers, &["HomePhone", "HomePhone2"])),
        mobile_phone: opt(mobile),
        home_address: physical_out(&c.physical_addresses, "Home"),
        business_address: physical_out(&c.physical_addresses, "Business"),
        other_address: physical_out(&c.physical_addresses, "Other"),
        birthday: ts(c.birthday),
        spouse_name: opt(c.spouse_name.clone()),
        children: list(c.children.clone()),
        personal_notes: opt(c.notes.clone()),
        ..Contact::default()
    }
}

/// Applies a Graph contact body to a contact.
pub(crate) fn contact_in(patch: Contact, c: &mut EwsContact) {
    patch.categories.apply_to(&mut c.item.categories);
    patch.display_name.apply_to(&mut c.display_name);
    patch.file_as.apply_to(&mut c.file_as);
    patch.given_name.apply_to(&mut c.given_name);
    patch.middle_name.apply_to(&mut c.middle_name);
    patch.surname.apply_to(&mut c.surname);
    patch.initials.apply_to(&mut c.initials);
    patch.nick_name.apply_to(&mut c.nickname);
    patch.generation.apply_to(&mut c.generation);
    patch.job_title.apply_to(&mut c.job_title);
    patch.company_name.apply_to(&mut c.company_name);
    patch.department.apply_to(&mut c.department);
    patch.office_location.apply_to(&mut c.office_location);
    patch.profession.apply_to(&mut c.profession);
    patch.manager.apply_to(&mut c.manager);
    patch.assistant_name.apply_to(&mut c.assistant_name);
    patch.business_home_page.apply_to(&mut c.business_home_page);
    patch.spouse_name.apply_to(&mut c.spouse_name);
    patch.children.apply_to(&mut c.children);
    patch.personal_notes.apply_to(&mut c.notes);
    match patch.email_addresses {
        Field::Value(list) => {
            let entries: Vec<EmailAddressEntry> = list
                .into_iter()
                .take(3)
                .enumerate()
                .map(|(i, e)| EmailAddressEntry {
                    key: format!("EmailAddress{}", i + 1),
                    name: e.name,
                    routing_type: Some("SMTP".to_owned()),
                    mailbox_type: None,
                    address: e.address.unwrap_or_default(),
                })
                .collect();
            c.email_addresses = (!entries.is_empty()).then_some(entries);
        }
        Field::Null => c.email_addresses = None,
        _ => {}
    }
    phones_in(
        patch.business_phones,
        &mut c.phone_numbers,
        &["BusinessPhone", "BusinessPhone2"],
    );
    phones_in(
        patch.home_phones,
        &mut c.phone_numbers,
        &["HomePhone", "HomePhone2"],
    );
    let mobile = match patch.mobile_phone {
        Field::Value(m) => Field::Value(vec![m]),
        Field::Null => Field::Null,
        _ => Field::Absent,
    };
    phones_in(mobile, &mut c.phone_numbers, &["MobilePhone"]);
    physical_in(patch.home_address, &mut c.physical_addresses, "Home");
    physical_in(
        patch.business_address,
        &mut c.physical_addresses,
        "Business",
    );
    physical_in(patch.other_address, &mut c.physical_addresses, "Other");
    map_in(patch.birthday, &mut c.birthday, |b| b.parse().ok());
}

fn status_out(s: &Option<EwsTaskStatus>) -> TaskStatus {
    match s {
        Some(EwsTaskStatus::InProgress) => TaskStatus::InProgress,
        Some(EwsTaskStatus::Completed) => TaskStatus::Completed,
        Some(EwsTaskStatus::WaitingOnOthers) => TaskStatus::WaitingOnOthers,
        Some(EwsTaskStatus::Deferred) => TaskStatus::Deferred,
        _ => TaskStatus::NotStarted,
    }
}

fn status_in(s: TaskStatus) -> EwsTaskStatus {
    match s {
        TaskStatus::InProgress => EwsTaskStatus::InProgress,
        TaskStatus::Completed => EwsTaskStatus::Completed,
        TaskStatus::WaitingOnOthers => EwsTaskStatus::WaitingOnOthers,
        TaskStatus::Deferred => EwsTaskStatus::Deferred,
        _ => EwsTaskStatus::NotStarted,
    }
}

/// A task as Graph's To Do shows it.
pub(crate) fn task_out(t: &Task, who: &Identity) -> TodoTask {
    let (body, _) = body_out(&t.item.body);
    TodoTask {
        id: Some(who.id.clone()),
        etag: Some(who.etag.clone()),
        title: Field::Value(t.item.subject.clone().unwrap_or_default()),
        status: Field::Value(status_out(&t.status)),
        importance: importance_out(&t.item.importance).or_normal(),
        body,
        categories: Field::Value(t.item.categories.clone().unwrap_or_default()),
        is_reminder_on: Field::Value(t.item.reminder_is_set.unwrap_or(false)),
        due_date_time: utc(t.due_date),
        start_date_time: utc(t.start_date),
        completed_date_time: utc(t.complete_date),
        created_date_time: ts(who.created),
        last_modified_date_time: ts(who.modified),
        ..TodoTask::default()
    }
}

/// Applies a Graph task body to a task.
pub(crate) fn task_in(patch: TodoTask, t: &mut Task) {
    patch.title.apply_to(&mut t.item.subject);
    map_in(patch.body, &mut t.item.body, |b| Some(body_in(b)));
    patch.categories.apply_to(&mut t.item.categories);
    match patch.status {
        Field::Value(s) => {
            let done = s == TaskStatus::Completed;
            t.status = Some(status_in(s));
            t.is_complete = Some(done);
            t.percent_complete = Some(if done { 100.0 } else { 0.0 });
        }
        Field::Null => t.status = None,
        _ => {}
    }
    map_in(patch.importance, &mut t.item.importance, |i| {
        Some(importance_in(i))
    });
    map_in(patch.due_date_time, &mut t.due_date, |d| instant(&d));
    map_in(patch.start_date_time, &mut t.start_date, |d| instant(&d));
    map_in(patch.completed_date_time, &mut t.complete_date, |d| {
        instant(&d)
    });
    patch.is_reminder_on.apply_to(&mut t.item.reminder_is_set);
}

/// An empty item of the kind a Graph resource maps to.
pub(crate) fn empty(kind: &str) -> Item {
    match kind {
        "event" => Item::from(CalendarItem::default()),
        "contact" => Item::from(EwsContact::default()),
        "todoTask" => Item::from(Task::default()),
        _ => Item::from(EwsMessage::default()),
    }
}

/// An item as Graph shows it, as JSON.
pub(crate) fn item_out(item: &Item, who: &Identity) -> Option<serde_json::Value> {
    match item {
        Item::Message(m) => serde_json::to_value(message_out(m, who)).ok(),
        Item::CalendarItem(c) => serde_json::to_value(event_out(c, who)).ok(),
        Item::Contact(c) => serde_json::to_value(contact_out(c, who)).ok(),
        Item::Task(t) => serde_json::to_value(task_out(t, who)).ok(),
        _ => None,
    }
}

/// The Graph resource kind an item is shown as.
pub(crate) fn kind_of(item: &Item) -> &'static str {
    match item {
        Item::CalendarItem(_) => "event",
        Item::Contact(_) => "contact",
        Item::Task(_) => "todoTask",
        _ => "message",
    }
}

/// Applies a Graph JSON body (create or PATCH) to an item of the matching kind.
pub(crate) fn item_in(body: &[u8], item: &mut Item) -> Result<(), String> {
    let bad = |e: serde_json::Error| format!("the body is not a valid resource: {e}");
    match item {
        Item::Message(m) => message_in(serde_json::from_slice(body).map_err(bad)?, m),
        Item::CalendarItem(c) => event_in(serde_json::from_slice(body).map_err(bad)?, c),
        Item::Contact(c) => contact_in(serde_json::from_slice(body).map_err(bad)?, c),
        Item::Task(t) => task_in(serde_json::from_slice(body).map_err(bad)?, t),
        _ => return Err("this kind of item cannot be written through Graph".into()),
    }
    Ok(())
}
