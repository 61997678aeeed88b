//! EWS items ↔ sync-core values: pure functions, no IO.
//!
//! * [`observe`] turns a GetItem result into a sync-core [`Snapshot`] (fields, ChangeKey, categories,
//!   the correlation key from its extended property, facts for the delete rules);
//! * [`new_item`] builds the item a `Create` writes (with the tracking category and the key);
//! * [`field_updates`] turns an `Update`'s fields into `SetItemField`/`DeleteItemField` changes,
//!   through the indexed properties where Exchange requires them (contact e-mail, phone, address).

use ews_types::items::{
    Attendee, CalendarItem, Contact, DictionaryEntry, EmailAddressEntry, Item, Message,
    PhysicalAddressEntry, PostalAddress, ResponseType, Task, TaskStatus,
};
use ews_types::operations::FieldUpdate;
use ews_types::types::{
    Body, DistinguishedFolderName, EmailAddress, ExtendedFieldUri, ExtendedProperty, Importance,
    MapiPropertyType, PropertyPath, SingleRecipient,
};
use sync_core::{CorrelationKey, Field, Fields, ItemFacts, RecordKind, Snapshot, Timestamp, Value};

use super::values::{
    self, PHONE_KINDS, PhoneKind, Postal, Priority, TaskState, as_bool, as_instant, as_set, as_text,
};

/// The property set (a project GUID) holding the correlation key.
pub const KEY_PROPERTY_SET: &str = "6f3b8a52-4c1e-4f0a-9d27-5e8c1b7a2d40";
/// The name of the correlation key property.
pub const KEY_PROPERTY_NAME: &str = "CrmCorrelationKey";

/// The extended property that carries the correlation key (a named string in the project's set).
pub fn key_property() -> ExtendedFieldUri {
    ExtendedFieldUri::named(
        KEY_PROPERTY_SET,
        KEY_PROPERTY_NAME,
        MapiPropertyType::String,
    )
}

/// The folder a record kind is synced in.
pub fn folder_of(kind: RecordKind) -> DistinguishedFolderName {
    match kind {
        RecordKind::Email => DistinguishedFolderName::Inbox,
        RecordKind::Contact => DistinguishedFolderName::Contacts,
        RecordKind::Task => DistinguishedFolderName::Tasks,
        RecordKind::Meeting => DistinguishedFolderName::Calendar,
    }
}

/// The record kind of an item (`None` for kinds that are not synced, such as meeting requests).
pub fn kind_of(item: &Item) -> Option<RecordKind> {
    match item {
        Item::Message(_) => Some(RecordKind::Email),
        Item::Contact(_) => Some(RecordKind::Contact),
        Item::Task(_) => Some(RecordKind::Task),
        Item::CalendarItem(_) => Some(RecordKind::Meeting),
        _ => None,
    }
}

/// The correlation key stamped on an item, if any.
pub fn key_of(item: &Item) -> Option<CorrelationKey> {
    let want = key_property();
    item.fields()
        .extended_properties
        .iter()
        .filter(|p| {
            p.field_uri.as_ref().is_some_and(|u| {
                u.property_name == want.property_name
                    && u.property_set_id
                        .as_deref()
                        .is_some_and(|g| g.eq_ignore_ascii_case(KEY_PROPERTY_SET))
            })
        })
        .find_map(|p| p.value.as_deref().and_then(CorrelationKey::parse))
}

fn millis(t: Option<jiff::Timestamp>) -> Timestamp {
    Timestamp(t.map_or(i64::MIN, |t| t.as_millisecond()))
}

fn body_text(item: &Item) -> Value {
    values::text(item.fields().body.as_ref().map(|b| b.content.as_str()))
}

fn address_of(mailbox: Option<&EmailAddress>) -> Option<&str> {
    mailbox.and_then(|m| m.email_address.as_deref())
}

/// The sync-core view of an item as GetItem returned it, or `None` for kinds that are not synced or an
/// item without an id.
pub fn observe(item: &Item) -> Option<(String, Snapshot)> {
    let kind = kind_of(item)?;
    let id = item.id()?;
    let common = item.fields();
    let mut facts = ItemFacts::default();
    let fields = match item {
        Item::Contact(c) => contact_fields(c),
        Item::Task(t) => {
            facts.start = t.due_date.map(|d| Timestamp(d.as_millisecond()));
            facts.completed =
                t.status == Some(TaskStatus::Completed) || t.is_complete == Some(true);
            task_fields(t, item)
        }
        Item::CalendarItem(c) => {
            facts.start = c.start.map(|d| Timestamp(d.as_millisecond()));
            facts.user_is_organizer = is_organizer(c);
            meeting_fields(c, item)
        }
        Item::Message(m) => email_fields(m, item),
        _ => return None,
    };
    let snapshot = Snapshot {
        kind,
        token: id.change_key.clone().unwrap_or_default(),
        modified_at: millis(common.last_modified_time),
        fields,
        categories: Some(common.categories.clone().unwrap_or_default()),
        correlation_key: key_of(item),
        folder: common.parent_folder_id.as_ref().map(|f| f.id.clone()),
        occurrence: None,
        facts,
    };
    Some((id.id.clone(), snapshot))
}

fn is_organizer(c: &CalendarItem) -> bool {
    c.is_organizer == Some(true)
        || c.my_response_type == Some(ResponseType::Organizer)
        || c.is_meeting != Some(true)
}

fn contact_fields(c: &Contact) -> Fields {
    let emails = c
        .email_addresses
        .iter()
        .flatten()
        .map(|e| e.address.as_str());
    let phone = |kind: PhoneKind| {
        let key = phone_key(kind);
        c.phone_numbers
            .iter()
            .flatten()
            .filter(move |e| e.key == key)
            .map(move |e| (kind, e.value.as_str()))
    };
    let business = c
        .physical_addresses
        .iter()
        .flatten()
        .find(|a| a.key == "Business")
        .map(|a| Postal {
            street: a.address.street.clone(),
            city: a.address.city.clone(),
            state: a.address.state.clone(),
            postal_code: a.address.postal_code.clone(),
            country: a.address.country_or_region.clone(),
        })
        .unwrap_or_default();
    Fields::new()
        .with(Field::GivenName, values::text(c.given_name.as_deref()))
        .with(Field::Surname, values::text(c.surname.as_deref()))
        .with(Field::Company, values::text(c.company_name.as_deref()))
        .with(Field::JobTitle, values::text(c.job_title.as_deref()))
        .with(Field::EmailAddresses, values::addresses(emails))
        .with(
            Field::Phones,
            values::phones(PHONE_KINDS.into_iter().flat_map(phone)),
        )
        .with(Field::PostalAddress, business.to_value())
}

fn phone_key(kind: PhoneKind) -> &'static str {
    match kind {
        PhoneKind::Business => "BusinessPhone",
        PhoneKind::Home => "HomePhone",
        PhoneKind::Mobile => "MobilePhone",
    }
}

fn task_fields(t: &Task, item: &Item) -> Fields {
    let state = match t.status.as_ref() {
        Some(TaskStatus::InProgress) => TaskState::InProgress,
        Some(TaskStatus::Completed) => TaskState::Completed,
        Some(TaskStatus::WaitingOnOthers) => TaskState::WaitingOnOthers,
        Some(TaskStatus::Deferred) => TaskState::Deferred,
        _ => TaskState::NotStarted,
    };
    Fields::new()
        .with(
            Field::Subject,
            values::text(item.fields().subject.as_deref()),
        )
        .with(Field::Body, body_text(item))
        .with(Field::DueAt, values::instant(t.due_date))
        .with(Field::Status, state.to_value())
        .with(
            Field::Priority,
            priority_of(item.fields().importance.as_ref()).to_value(),
        )
}

fn priority_of(importance: Option<&Importance>) -> Priority {
    match importance {
        Some(Importance::Low) => Priority::Low,
        Some(Importance::High) => Priority::High,
        _ => Priority::Normal,
    }
}

fn importance_of(priority: Priority) -> Importance {
    match priority {
        Priority::Low => Importance::Low,
        Priority::Normal => Importance::Normal,
        Priority::High => Importance::High,
    }
}

fn meeting_fields(c: &CalendarItem, item: &Item) -> Fields {
    let attendees = c
        .required_attendees
        .iter()
        .flatten()
        .chain(c.optional_attendees.iter().flatten())
        .filter_map(|a| address_of(a.mailbox.as_ref()));
    Fields::new()
        .with(
            Field::Subject,
            values::text(item.fields().subject.as_deref()),
        )
        .with(Field::Body, body_text(item))
        .with(Field::Location, values::text(c.location.as_deref()))
        .with(Field::Start, values::instant(c.start))
        .with(Field::End, values::instant(c.end))
        .with(Field::AllDay, Value::Bool(c.is_all_day_event == Some(true)))
        .with(Field::Attendees, values::addresses(attendees))
        // Series are not synced as patterns (see the module docs of `sync`).
        .with(Field::Recurrence, Value::Null)
}

fn email_fields(m: &Message, item: &Item) -> Fields {
    let from = m
        .from
        .as_ref()
        .or(m.sender.as_ref())
        .and_then(|r| address_of(r.mailbox.as_ref()))
        .map(str::to_ascii_lowercase);
    let list = |l: &Option<Vec<EmailAddress>>| {
        values::addresses(
            l.iter()
                .flatten()
                .filter_map(|a| a.email_address.as_deref())
                .collect::<Vec<_>>(),
        )
    };
    Fields::new()
        .with(
            Field::Subject,
            values::text(item.fields().subject.as_deref()),
        )
        .with(Field::Body, body_text(item))
        .with(Field::From, values::text(from.as_deref()))
        .with(Field::To, list(&m.to_recipients))
        .with(Field::Cc, list(&m.cc_recipients))
        .with(Field::SentAt, values::instant(item.fields().date_time_sent))
}

fn opt_text(fields: &Fields, field: Field) -> Option<String> {
    as_text(fields.get(field)).map(str::to_owned)
}

fn body_of(fields: &Fields) -> Option<Body> {
    opt_text(fields, Field::Body).map(Body::text)
}

fn attendees_of(fields: &Fields) -> Option<Vec<Attendee>> {
    let list: Vec<Attendee> = as_set(fields.get(Field::Attendees))
        .into_iter()
        .map(|a| Attendee::from(EmailAddress::smtp(a)))
        .collect();
    (!list.is_empty()).then_some(list)
}

fn recipients_of(fields: &Fields, field: Field) -> Option<Vec<EmailAddress>> {
    let list: Vec<EmailAddress> = as_set(fields.get(field))
        .into_iter()
        .map(EmailAddress::smtp)
        .collect();
    (!list.is_empty()).then_some(list)
}

fn email_entries(fields: &Fields) -> Option<Vec<EmailAddressEntry>> {
    let list: Vec<EmailAddressEntry> = as_set(fields.get(Field::EmailAddresses))
        .into_iter()
        .take(3)
        .enumerate()
        .map(|(i, a)| EmailAddressEntry {
            key: format!("EmailAddress{}", i + 1),
            address: a.to_owned(),
            ..EmailAddressEntry::default()
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

fn phone_entries(fields: &Fields) -> Option<Vec<DictionaryEntry>> {
    let list: Vec<DictionaryEntry> = PHONE_KINDS
        .into_iter()
        .filter_map(|kind| {
            // Exchange keeps one number per kind.
            values::phones_of(fields.get(Field::Phones), kind)
                .first()
                .map(|n| DictionaryEntry::new(phone_key(kind), *n))
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

fn business_address(fields: &Fields) -> Option<Vec<PhysicalAddressEntry>> {
    let p = Postal::from_value(fields.get(Field::PostalAddress));
    if p == Postal::default() {
        return None;
    }
    Some(vec![PhysicalAddressEntry {
        key: "Business".into(),
        address: PostalAddress {
            street: p.street,
            city: p.city,
            state: p.state,
            country_or_region: p.country,
            postal_code: p.postal_code,
        },
    }])
}

/// The item a `Create` writes: every mapped field, the tracking category and the correlation key.
pub fn new_item(kind: RecordKind, fields: &Fields, key: CorrelationKey, category: &str) -> Item {
    let mut item = match kind {
        RecordKind::Contact => Item::from(Contact {
            given_name: opt_text(fields, Field::GivenName),
            surname: opt_text(fields, Field::Surname),
            company_name: opt_text(fields, Field::Company),
            job_title: opt_text(fields, Field::JobTitle),
            email_addresses: email_entries(fields),
            phone_numbers: phone_entries(fields),
            physical_addresses: business_address(fields),
            ..Contact::default()
        }),
        RecordKind::Task => {
            let state = TaskState::from_value(fields.get(Field::Status));
            let mut task = Task {
                due_date: as_instant(fields.get(Field::DueAt)),
                status: Some(task_status(state)),
                ..Task::default()
            };
            task.item.importance = Some(importance_of(Priority::from_value(
                fields.get(Field::Priority),
            )));
            Item::from(task)
        }
        RecordKind::Meeting => Item::from(CalendarItem {
            start: as_instant(fields.get(Field::Start)),
            end: as_instant(fields.get(Field::End)),
            is_all_day_event: Some(as_bool(fields.get(Field::AllDay))),
            location: opt_text(fields, Field::Location),
            required_attendees: attendees_of(fields),
            ..CalendarItem::default()
        }),
        RecordKind::Email => Item::from(Message {
            from: as_text(fields.get(Field::From))
                .map(|a| SingleRecipient::from(EmailAddress::smtp(a))),
            to_recipients: recipients_of(fields, Field::To),
            cc_recipients: recipients_of(fields, Field::Cc),
            ..Message::default()
        }),
    };
    let common = item.fields_mut();
    if matches!(
        kind,
        RecordKind::Task | RecordKind::Meeting | RecordKind::Email
    ) {
        common.subject = opt_text(fields, Field::Subject);
        common.body = body_of(fields);
    }
    common.categories = Some(vec![category.to_owned()]);
    common.extended_properties = vec![ExtendedProperty::new(key_property(), key.to_string())];
    item
}

fn task_status(state: TaskState) -> TaskStatus {
    match state {
        TaskState::NotStarted => TaskStatus::NotStarted,
        TaskState::InProgress => TaskStatus::InProgress,
        TaskState::Completed => TaskStatus::Completed,
        TaskState::WaitingOnOthers => TaskStatus::WaitingOnOthers,
        TaskState::Deferred => TaskStatus::Deferred,
    }
}

/// An empty item of `kind`, to carry one property of a `SetItemField`.
fn carrier(kind: RecordKind) -> Item {
    match kind {
        RecordKind::Contact => Item::from(Contact::default()),
        RecordKind::Task => Item::from(Task::default()),
        RecordKind::Meeting => Item::from(CalendarItem::default()),
        RecordKind::Email => Item::from(Message::default()),
    }
}

fn set(path: PropertyPath, item: Item) -> FieldUpdate {
    FieldUpdate::Set { path, item }
}

/// Sets `path` from `carrier`, or clears it when there is no value.
fn set_or_delete(path: PropertyPath, carrier: Option<Contact>) -> FieldUpdate {
    match carrier {
        Some(contact) => set(path, Item::from(contact)),
        None => FieldUpdate::Delete(path),
    }
}

fn indexed(field_uri: &str, index: &str) -> PropertyPath {
    PropertyPath::Indexed {
        field_uri: field_uri.to_owned(),
        field_index: index.to_owned(),
    }
}

/// The EWS property of a mapped field, for the plain (non-indexed) fields.
fn plain_uri(kind: RecordKind, field: Field) -> Option<&'static str> {
    Some(match (kind, field) {
        (_, Field::Subject) => "item:Subject",
        (_, Field::Body) => "item:Body",
        (RecordKind::Contact, Field::GivenName) => "contacts:GivenName",
        (RecordKind::Contact, Field::Surname) => "contacts:Surname",
        (RecordKind::Contact, Field::Company) => "contacts:CompanyName",
        (RecordKind::Contact, Field::JobTitle) => "contacts:JobTitle",
        (RecordKind::Task, Field::DueAt) => "task:DueDate",
        (RecordKind::Task, Field::Status) => "task:Status",
        (RecordKind::Task, Field::Priority) => "item:Importance",
        (RecordKind::Meeting, Field::Location) => "calendar:Location",
        (RecordKind::Meeting, Field::Start) => "calendar:Start",
        (RecordKind::Meeting, Field::End) => "calendar:End",
        (RecordKind::Meeting, Field::AllDay) => "calendar:IsAllDayEvent",
        (RecordKind::Meeting, Field::Attendees) => "calendar:RequiredAttendees",
        (RecordKind::Email, Field::To) => "message:ToRecipients",
        (RecordKind::Email, Field::Cc) => "message:CcRecipients",
        (RecordKind::Email, Field::From) => "message:From",
        _ => return None,
    })
}

/// The `UpdateItem` changes that write `fields` (and stamp `key`) on an item of `kind`. Fields EWS
/// cannot write (an email's sent time, a series pattern) are left out.
pub fn field_updates(
    kind: RecordKind,
    fields: &Fields,
    stamp_key: Option<CorrelationKey>,
) -> Vec<FieldUpdate> {
    let mut out = Vec::new();
    for (field, value) in fields.iter() {
        match field {
            Field::EmailAddresses => {
                let entries = email_entries(fields).unwrap_or_default();
                for i in 1..=3 {
                    let index = format!("EmailAddress{i}");
                    let path = indexed("contacts:EmailAddress", &index);
                    let entry = entries.iter().find(|e| e.key == index);
                    out.push(set_or_delete(
                        path,
                        entry.map(|e| Contact {
                            email_addresses: Some(vec![e.clone()]),
                            ..Contact::default()
                        }),
                    ));
                }
            }
            Field::Phones => {
                let entries = phone_entries(fields).unwrap_or_default();
                for kind in PHONE_KINDS {
                    let index = phone_key(kind);
                    let path = indexed("contacts:PhoneNumber", index);
                    let entry = entries.iter().find(|e| e.key == index);
                    out.push(set_or_delete(
                        path,
                        entry.map(|e| Contact {
                            phone_numbers: Some(vec![e.clone()]),
                            ..Contact::default()
                        }),
                    ));
                }
            }
            Field::PostalAddress => {
                let address = business_address(fields);
                let parts = address
                    .as_ref()
                    .and_then(|l| l.first())
                    .map(|e| e.address.clone())
                    .unwrap_or_default();
                let each = [
                    ("Street", parts.street.is_some()),
                    ("City", parts.city.is_some()),
                    ("State", parts.state.is_some()),
                    ("CountryOrRegion", parts.country_or_region.is_some()),
                    ("PostalCode", parts.postal_code.is_some()),
                ];
                for (part, present) in each {
                    let path = indexed(&format!("contacts:PhysicalAddress:{part}"), "Business");
                    out.push(set_or_delete(
                        path,
                        present.then(|| Contact {
                            physical_addresses: address.clone(),
                            ..Contact::default()
                        }),
                    ));
                }
            }
            other => {
                let Some(uri) = plain_uri(kind, other) else {
                    continue;
                };
                let path = PropertyPath::field(uri);
                if *value == Value::Null && other != Field::AllDay {
                    out.push(FieldUpdate::Delete(path));
                    continue;
                }
                let one = Fields::new().with(other, value.clone());
                let mut item = carrier_with(kind, &one);
                if matches!(other, Field::Subject | Field::Body) {
                    let common = item.fields_mut();
                    common.subject = opt_text(&one, Field::Subject);
                    common.body = body_of(&one);
                }
                out.push(set(path, item));
            }
        }
    }
    if let Some(key) = stamp_key {
        let mut item = carrier(kind);
        item.fields_mut().extended_properties =
            vec![ExtendedProperty::new(key_property(), key.to_string())];
        out.push(set(PropertyPath::Extended(key_property()), item));
    }
    out
}

/// A carrier item of `kind` holding the values of `fields` (and nothing else).
fn carrier_with(kind: RecordKind, fields: &Fields) -> Item {
    let mut item = match kind {
        RecordKind::Contact => Item::from(Contact {
            given_name: opt_text(fields, Field::GivenName),
            surname: opt_text(fields, Field::Surname),
            company_name: opt_text(fields, Field::Company),
            job_title: opt_text(fields, Field::JobTitle),
            ..Contact::default()
        }),
        RecordKind::Task => Item::from(Task {
            due_date: as_instant(fields.get(Field::DueAt)),
            status: fields
                .get(Field::Status)
                .map(|v| task_status(TaskState::from_value(Some(v)))),
            ..Task::default()
        }),
        RecordKind::Meeting => Item::from(CalendarItem {
            start: as_instant(fields.get(Field::Start)),
            end: as_instant(fields.get(Field::End)),
            is_all_day_event: fields.get(Field::AllDay).map(|v| as_bool(Some(v))),
            location: opt_text(fields, Field::Location),
            required_attendees: attendees_of(fields),
            ..CalendarItem::default()
        }),
        RecordKind::Email => Item::from(Message {
            from: as_text(fields.get(Field::From))
                .map(|a| SingleRecipient::from(EmailAddress::smtp(a))),
            to_recipients: recipients_of(fields, Field::To),
            cc_recipients: recipients_of(fields, Field::Cc),
            ..Message::default()
        }),
    };
    if let (RecordKind::Task, Some(v)) = (kind, fields.get(Field::Priority)) {
        item.fields_mut().importance = Some(importance_of(Priority::from_value(Some(v))));
    }
    item
}

/// The `SetItemField` that replaces an item's categories (or `DeleteItemField` when none are left).
pub fn categories_update(kind: RecordKind, categories: Vec<String>) -> FieldUpdate {
    let path = PropertyPath::field("item:Categories");
    if categories.is_empty() {
        return FieldUpdate::Delete(path);
    }
    let mut item = carrier(kind);
    item.fields_mut().categories = Some(categories);
    set(path, item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ews_types::types::ItemId;

    fn contact_fields_sample() -> Fields {
        Fields::new()
            .with(Field::GivenName, Value::text("Ann"))
            .with(Field::Surname, Value::text("Lee"))
            .with(Field::Company, Value::text("Contoso"))
            .with(Field::JobTitle, Value::Null)
            .with(
                Field::EmailAddresses,
                values::addresses(["ann@contoso.example"]),
            )
            .with(
                Field::Phones,
                values::phones([(PhoneKind::Mobile, "+1 555 0101")]),
            )
            .with(
                Field::PostalAddress,
                Postal {
                    city: Some("Seattle".into()),
                    ..Postal::default()
                }
                .to_value(),
            )
    }

    #[test]
    fn a_created_contact_reads_back_as_the_same_fields_with_its_key() {
        let key = CorrelationKey([7; 16]);
        let mut item = new_item(
            RecordKind::Contact,
            &contact_fields_sample(),
            key,
            "Tracked",
        );
        item.fields_mut().item_id = Some(ItemId::with_change_key("AAMk1", "CK1"));
        let (id, snap) = observe(&item).unwrap();
        assert_eq!(id, "AAMk1");
        assert_eq!(snap.token, "CK1");
        assert_eq!(snap.fields, contact_fields_sample());
        assert_eq!(snap.correlation_key, Some(key));
        assert_eq!(snap.categories, Some(vec!["Tracked".to_owned()]));
    }

    #[test]
    fn meetings_and_tasks_round_trip_through_items() {
        let start = jiff::Timestamp::from_second(1_800_000_000).unwrap();
        let meeting = Fields::new()
            .with(Field::Subject, Value::text("Review"))
            .with(Field::Body, Value::Null)
            .with(Field::Location, Value::text("Room 1"))
            .with(Field::Start, values::instant(Some(start)))
            .with(
                Field::End,
                values::instant(Some(start + jiff::SignedDuration::from_hours(1))),
            )
            .with(Field::AllDay, Value::Bool(false))
            .with(
                Field::Attendees,
                values::addresses(["bob@fabrikam.example"]),
            )
            .with(Field::Recurrence, Value::Null);
        let task = Fields::new()
            .with(Field::Subject, Value::text("Call back"))
            .with(Field::Body, Value::text("About the quote"))
            .with(Field::DueAt, values::instant(Some(start)))
            .with(Field::Status, TaskState::InProgress.to_value())
            .with(Field::Priority, Priority::High.to_value());
        for (kind, fields) in [(RecordKind::Meeting, meeting), (RecordKind::Task, task)] {
            let mut item = new_item(kind, &fields, CorrelationKey([1; 16]), "Tracked");
            item.fields_mut().item_id = Some(ItemId::new("x"));
            assert_eq!(observe(&item).unwrap().1.fields, fields, "{kind:?}");
        }
    }

    #[test]
    fn contact_lists_are_written_through_indexed_properties() {
        let updates = field_updates(RecordKind::Contact, &contact_fields_sample(), None);
        let indexed = updates
            .iter()
            .filter(|u| {
                matches!(
                    u,
                    FieldUpdate::Set {
                        path: PropertyPath::Indexed { .. },
                        ..
                    } | FieldUpdate::Delete(PropertyPath::Indexed { .. })
                )
            })
            .count();
        // Three e-mail slots, three phone kinds, five address parts.
        assert_eq!(indexed, 11);
    }
}
