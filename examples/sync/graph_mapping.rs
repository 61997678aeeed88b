//! Graph resources ↔ sync-core values: pure functions, no IO. The same canonical values as the EWS
//! mapping ([`super::values`]), so a pair can move between EWS and Graph without looking changed.

use graph_client::delta::{DeltaCursor, MessageDeltaOptions};
use graph_client::model::{
    Attendee, Contact, DateTimeTimeZone, EmailAddress, Event, Importance, ItemBody, Location,
    Message, PhysicalAddress, Recipient, SingleValueExtendedProperty, TaskStatus, TodoTask,
};
use graph_client::model::{BodyType, Resource};
use graph_client::{Collection, Field as G, Item};
use sync_core::{CorrelationKey, Field, Fields, ItemFacts, RecordKind, Snapshot, Timestamp, Value};

use super::ews_mapping::{KEY_PROPERTY_NAME, KEY_PROPERTY_SET};
use super::values::{
    self, PhoneKind, Postal, Priority, TaskState, as_bool, as_instant, as_set, as_text,
};

/// The Graph id of the correlation key property (the same MAPI property EWS writes).
pub fn key_property_id() -> String {
    format!("String {{{KEY_PROPERTY_SET}}} Name {KEY_PROPERTY_NAME}")
}

fn key_property(key: CorrelationKey) -> G<Vec<SingleValueExtendedProperty>> {
    G::Value(vec![SingleValueExtendedProperty {
        id: Some(key_property_id()),
        value: Some(key.to_string()),
        ..Default::default()
    }])
}

fn key_in(props: &G<Vec<SingleValueExtendedProperty>>) -> Option<CorrelationKey> {
    let want = key_property_id();
    props
        .value()?
        .iter()
        .filter(|p| {
            p.id.as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(&want))
        })
        .find_map(|p| p.value.as_deref().and_then(CorrelationKey::parse))
}

fn text(field: &G<String>) -> Value {
    values::text(field.value().map(String::as_str))
}

fn set_text(fields: &Fields, field: Field) -> G<String> {
    match fields.get(field) {
        None => G::Absent,
        Some(v) => as_text(Some(v)).map_or(G::Null, |t| G::Value(t.to_owned())),
    }
}

fn body_value(body: &G<ItemBody>) -> Value {
    values::text(body.value().and_then(|b| b.content.as_deref()))
}

fn set_body(fields: &Fields) -> G<ItemBody> {
    match fields.get(Field::Body) {
        None => G::Absent,
        Some(v) => G::Value(ItemBody {
            content_type: Some(BodyType::Text),
            content: Some(as_text(Some(v)).unwrap_or_default().to_owned()),
            ..Default::default()
        }),
    }
}

fn parse_time(text: Option<&str>) -> Option<jiff::Timestamp> {
    text.and_then(|t| t.parse::<jiff::Timestamp>().ok())
}

fn modified(field: &G<String>) -> Timestamp {
    Timestamp(
        parse_time(field.value().map(String::as_str)).map_or(i64::MIN, |t| t.as_millisecond()),
    )
}

/// The instant of a Graph date-time (UTC unless it names another zone; unknown zones read as UTC).
pub fn instant_of(dt: &DateTimeTimeZone) -> Option<jiff::Timestamp> {
    let civil = dt.civil()?;
    let zone = dt.time_zone.as_deref().unwrap_or("UTC");
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    civil.to_zoned(tz).ok().map(|z| z.timestamp())
}

fn instant_value(dt: &G<DateTimeTimeZone>) -> Value {
    values::instant(dt.value().and_then(instant_of))
}

fn set_instant(fields: &Fields, field: Field) -> G<DateTimeTimeZone> {
    match fields.get(field) {
        None => G::Absent,
        Some(v) => as_instant(Some(v)).map_or(G::Null, |t| G::Value(DateTimeTimeZone::utc(t))),
    }
}

fn address(a: &EmailAddress) -> Option<&str> {
    a.address.as_deref()
}

fn recipients(list: &G<Vec<Recipient>>) -> Value {
    values::addresses(
        list.value()
            .into_iter()
            .flatten()
            .filter_map(|r| r.email_address.as_ref().and_then(address)),
    )
}

fn set_recipients(fields: &Fields, field: Field) -> G<Vec<Recipient>> {
    match fields.get(field) {
        None => G::Absent,
        Some(v) => G::Value(
            as_set(Some(v))
                .into_iter()
                .map(Recipient::address)
                .collect(),
        ),
    }
}

/// The accessors every synced resource has in the same shape (etag, last-modified, categories).
macro_rules! common_accessors {
    () => {
        fn etag(&self) -> Option<&str> {
            self.etag.as_deref()
        }
        fn modified_at(&self) -> Timestamp {
            modified(&self.last_modified_date_time)
        }
        fn categories(&self) -> Option<Vec<String>> {
            self.categories.value().cloned()
        }
    };
}

/// A Graph resource that is synced: how it reads as a snapshot and how fields are written to it.
pub trait Synced: Resource + Clone + Default + Send + Sync + 'static {
    /// The record kind.
    const RECORD: RecordKind;
    /// The version token (`@odata.etag`).
    fn etag(&self) -> Option<&str>;
    /// Server last-modified time.
    fn modified_at(&self) -> Timestamp;
    /// Categories, when the payload has them.
    fn categories(&self) -> Option<Vec<String>>;
    /// The correlation key, when the payload has it (`$expand`ed).
    fn key(&self) -> Option<CorrelationKey>;
    /// The mapped fields.
    fn fields(&self) -> Fields;
    /// Facts for the delete rules.
    fn facts(&self) -> ItemFacts {
        ItemFacts::default()
    }
    /// A resource carrying only `fields` (a PATCH body, or with `create` every field for a POST).
    fn with_fields(fields: &Fields) -> Self;
    /// Sets the categories.
    fn set_categories(&mut self, categories: Vec<String>);
    /// Stamps the correlation key (and for events the `transactionId`).
    fn set_key(&mut self, key: CorrelationKey);
    /// The collection new items of the kind are created in (To Do tasks: in `task_list`).
    fn collection(task_list: &str) -> Collection<Self>;
    /// One item of the kind.
    fn item(task_list: &str, id: &str) -> Item<Self>;
    /// A delta cursor from the start of the kind's scope (the calendar view needs its window).
    fn delta_cursor(task_list: &str, window: Window) -> graph_client::Result<DeltaCursor<Self>>;
}

/// The calendar view window events are synced in: `[start, end)`.
pub type Window = (jiff::Timestamp, jiff::Timestamp);

/// The sync-core view of a resource read with its key expanded.
pub fn observe<T: Synced>(item: &T) -> Option<(String, Snapshot)> {
    let id = item.id()?.to_owned();
    let snapshot = Snapshot {
        kind: T::RECORD,
        token: item.etag().unwrap_or_default().to_owned(),
        modified_at: item.modified_at(),
        fields: item.fields(),
        categories: item.categories(),
        correlation_key: item.key(),
        folder: None,
        occurrence: None,
        facts: item.facts(),
    };
    Some((id, snapshot))
}

/// The resource a `Create` posts: every field, the tracking category and the key.
pub fn new_resource<T: Synced>(fields: &Fields, key: CorrelationKey, category: &str) -> T {
    let mut item = T::with_fields(fields);
    item.set_categories(vec![category.to_owned()]);
    item.set_key(key);
    item
}

impl Synced for Contact {
    const RECORD: RecordKind = RecordKind::Contact;

    common_accessors!();
    fn key(&self) -> Option<CorrelationKey> {
        key_in(&self.single_value_extended_properties)
    }
    fn fields(&self) -> Fields {
        fn list(l: &G<Vec<String>>, kind: PhoneKind) -> Vec<(PhoneKind, &str)> {
            l.value()
                .into_iter()
                .flatten()
                .map(move |n| (kind, n.as_str()))
                .collect::<Vec<_>>()
        }
        let mut phones = list(&self.business_phones, PhoneKind::Business);
        phones.extend(list(&self.home_phones, PhoneKind::Home));
        if let Some(m) = self.mobile_phone.value() {
            phones.push((PhoneKind::Mobile, m.as_str()));
        }
        let postal = self
            .business_address
            .value()
            .map(|a| Postal {
                street: a.street.clone(),
                city: a.city.clone(),
                state: a.state.clone(),
                postal_code: a.postal_code.clone(),
                country: a.country_or_region.clone(),
            })
            .unwrap_or_default();
        Fields::new()
            .with(Field::GivenName, text(&self.given_name))
            .with(Field::Surname, text(&self.surname))
            .with(Field::Company, text(&self.company_name))
            .with(Field::JobTitle, text(&self.job_title))
            .with(
                Field::EmailAddresses,
                values::addresses(
                    self.email_addresses
                        .value()
                        .into_iter()
                        .flatten()
                        .filter_map(address),
                ),
            )
            .with(Field::Phones, values::phones(phones))
            .with(Field::PostalAddress, postal.to_value())
    }
    fn with_fields(fields: &Fields) -> Self {
        let phones = |kind| {
            fields.get(Field::Phones).map(|v| {
                values::phones_of(Some(v), kind)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
        };
        let mut c = Contact {
            given_name: set_text(fields, Field::GivenName),
            surname: set_text(fields, Field::Surname),
            company_name: set_text(fields, Field::Company),
            job_title: set_text(fields, Field::JobTitle),
            ..Contact::default()
        };
        if let Some(v) = fields.get(Field::EmailAddresses) {
            c.email_addresses = G::Value(
                as_set(Some(v))
                    .into_iter()
                    .map(|a| EmailAddress {
                        address: Some(a.to_owned()),
                        ..Default::default()
                    })
                    .collect(),
            );
        }
        if fields.get(Field::Phones).is_some() {
            c.business_phones = phones(PhoneKind::Business).map_or(G::Absent, G::Value);
            c.home_phones = phones(PhoneKind::Home).map_or(G::Absent, G::Value);
            c.mobile_phone = match phones(PhoneKind::Mobile).and_then(|m| m.into_iter().next()) {
                Some(m) => G::Value(m),
                None => G::Null,
            };
        }
        if let Some(v) = fields.get(Field::PostalAddress) {
            let p = Postal::from_value(Some(v));
            c.business_address = G::Value(PhysicalAddress {
                street: p.street,
                city: p.city,
                state: p.state,
                country_or_region: p.country,
                postal_code: p.postal_code,
                ..Default::default()
            });
        }
        c
    }
    fn collection(_task_list: &str) -> Collection<Self> {
        Collection::in_contact_folder("contacts")
    }
    fn item(_task_list: &str, id: &str) -> Item<Self> {
        Item::new(id)
    }
    fn delta_cursor(_task_list: &str, _window: Window) -> graph_client::Result<DeltaCursor<Self>> {
        Ok(DeltaCursor::contact_folder_contacts("contacts"))
    }
    fn set_categories(&mut self, categories: Vec<String>) {
        self.categories = G::Value(categories);
    }
    fn set_key(&mut self, key: CorrelationKey) {
        self.single_value_extended_properties = key_property(key);
    }
}

fn task_state(status: Option<&TaskStatus>) -> TaskState {
    match status {
        Some(TaskStatus::InProgress) => TaskState::InProgress,
        Some(TaskStatus::Completed) => TaskState::Completed,
        Some(TaskStatus::WaitingOnOthers) => TaskState::WaitingOnOthers,
        Some(TaskStatus::Deferred) => TaskState::Deferred,
        _ => TaskState::NotStarted,
    }
}

fn priority(importance: Option<&Importance>) -> Priority {
    match importance {
        Some(Importance::Low) => Priority::Low,
        Some(Importance::High) => Priority::High,
        _ => Priority::Normal,
    }
}

impl Synced for TodoTask {
    const RECORD: RecordKind = RecordKind::Task;

    common_accessors!();
    fn key(&self) -> Option<CorrelationKey> {
        key_from_extra(&self.extra)
    }
    fn fields(&self) -> Fields {
        Fields::new()
            .with(Field::Subject, text(&self.title))
            .with(Field::Body, body_value(&self.body))
            .with(Field::DueAt, instant_value(&self.due_date_time))
            .with(Field::Status, task_state(self.status.value()).to_value())
            .with(
                Field::Priority,
                priority(self.importance.value()).to_value(),
            )
    }
    fn facts(&self) -> ItemFacts {
        ItemFacts {
            start: self
                .due_date_time
                .value()
                .and_then(instant_of)
                .map(|t| Timestamp(t.as_millisecond())),
            completed: self.status.value() == Some(&TaskStatus::Completed),
            ..ItemFacts::default()
        }
    }
    fn with_fields(fields: &Fields) -> Self {
        let status = fields
            .get(Field::Status)
            .map(|v| match TaskState::from_value(Some(v)) {
                TaskState::NotStarted => TaskStatus::NotStarted,
                TaskState::InProgress => TaskStatus::InProgress,
                TaskState::Completed => TaskStatus::Completed,
                TaskState::WaitingOnOthers => TaskStatus::WaitingOnOthers,
                TaskState::Deferred => TaskStatus::Deferred,
            });
        TodoTask {
            title: set_text(fields, Field::Subject),
            body: set_body(fields),
            due_date_time: set_instant(fields, Field::DueAt),
            status: status.map_or(G::Absent, G::Value),
            importance: fields.get(Field::Priority).map_or(G::Absent, |v| {
                G::Value(importance(Priority::from_value(Some(v))))
            }),
            ..TodoTask::default()
        }
    }
    fn collection(task_list: &str) -> Collection<Self> {
        Collection::in_list(task_list)
    }
    fn item(task_list: &str, id: &str) -> Item<Self> {
        Item::in_list(task_list, id)
    }
    fn delta_cursor(task_list: &str, _window: Window) -> graph_client::Result<DeltaCursor<Self>> {
        Ok(DeltaCursor::todo_list_tasks(task_list))
    }
    fn set_categories(&mut self, categories: Vec<String>) {
        self.categories = G::Value(categories);
    }
    fn set_key(&mut self, key: CorrelationKey) {
        // To Do tasks have no typed extended-property field in the model; the property goes in the
        // JSON as for the other resources.
        if let Ok(v) = serde_json::to_value(key_property(key)) {
            self.extra.insert("singleValueExtendedProperties".into(), v);
        }
    }
}

fn key_from_extra(extra: &serde_json::Map<String, serde_json::Value>) -> Option<CorrelationKey> {
    let props: G<Vec<SingleValueExtendedProperty>> = extra
        .get("singleValueExtendedProperties")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .map_or(G::Absent, G::Value);
    key_in(&props)
}

fn importance(p: Priority) -> Importance {
    match p {
        Priority::Low => Importance::Low,
        Priority::Normal => Importance::Normal,
        Priority::High => Importance::High,
    }
}

impl Synced for Event {
    const RECORD: RecordKind = RecordKind::Meeting;

    common_accessors!();
    fn key(&self) -> Option<CorrelationKey> {
        key_in(&self.single_value_extended_properties)
    }
    fn fields(&self) -> Fields {
        let attendees = self
            .attendees
            .value()
            .into_iter()
            .flatten()
            .filter_map(|a| a.email_address.as_ref().and_then(address));
        Fields::new()
            .with(Field::Subject, text(&self.subject))
            .with(Field::Body, body_value(&self.body))
            .with(
                Field::Location,
                values::text(
                    self.location
                        .value()
                        .and_then(|l| l.display_name.as_deref()),
                ),
            )
            .with(Field::Start, instant_value(&self.start))
            .with(Field::End, instant_value(&self.end))
            .with(
                Field::AllDay,
                Value::Bool(self.is_all_day.value() == Some(&true)),
            )
            .with(Field::Attendees, values::addresses(attendees))
            .with(Field::Recurrence, Value::Null)
    }
    fn facts(&self) -> ItemFacts {
        let no_attendees = self.attendees.value().is_none_or(Vec::is_empty);
        ItemFacts {
            start: self
                .start
                .value()
                .and_then(instant_of)
                .map(|t| Timestamp(t.as_millisecond())),
            user_is_organizer: self.is_organizer.value() == Some(&true) || no_attendees,
            ..ItemFacts::default()
        }
    }
    fn with_fields(fields: &Fields) -> Self {
        Event {
            subject: set_text(fields, Field::Subject),
            body: set_body(fields),
            location: match fields.get(Field::Location) {
                None => G::Absent,
                Some(v) => G::Value(Location {
                    display_name: Some(as_text(Some(v)).unwrap_or_default().to_owned()),
                    ..Default::default()
                }),
            },
            start: set_instant(fields, Field::Start),
            end: set_instant(fields, Field::End),
            is_all_day: fields
                .get(Field::AllDay)
                .map_or(G::Absent, |v| G::Value(as_bool(Some(v)))),
            attendees: match fields.get(Field::Attendees) {
                None => G::Absent,
                Some(v) => G::Value(
                    as_set(Some(v))
                        .into_iter()
                        .map(|a| Attendee {
                            email_address: Some(EmailAddress {
                                address: Some(a.to_owned()),
                                ..Default::default()
                            }),
                            ..Default::default()
                        })
                        .collect(),
                ),
            },
            ..Event::default()
        }
    }
    fn collection(_task_list: &str) -> Collection<Self> {
        Collection::all()
    }
    fn item(_task_list: &str, id: &str) -> Item<Self> {
        Item::new(id)
    }
    fn delta_cursor(_task_list: &str, window: Window) -> graph_client::Result<DeltaCursor<Self>> {
        DeltaCursor::calendar_view(window.0, window.1)
    }
    fn set_categories(&mut self, categories: Vec<String>) {
        self.categories = G::Value(categories);
    }
    fn set_key(&mut self, key: CorrelationKey) {
        self.single_value_extended_properties = key_property(key);
        // Graph deduplicates a retried POST of an event by its transactionId.
        self.transaction_id = G::Value(key.to_string());
    }
}

impl Synced for Message {
    const RECORD: RecordKind = RecordKind::Email;

    common_accessors!();
    fn key(&self) -> Option<CorrelationKey> {
        key_in(&self.single_value_extended_properties)
    }
    fn fields(&self) -> Fields {
        let from = self
            .from
            .value()
            .or(self.sender.value())
            .and_then(|r| r.email_address.as_ref())
            .and_then(address)
            .map(str::to_ascii_lowercase);
        Fields::new()
            .with(Field::Subject, text(&self.subject))
            .with(Field::Body, body_value(&self.body))
            .with(Field::From, values::text(from.as_deref()))
            .with(Field::To, recipients(&self.to_recipients))
            .with(Field::Cc, recipients(&self.cc_recipients))
            .with(
                Field::SentAt,
                values::instant(parse_time(self.sent_date_time.value().map(String::as_str))),
            )
    }
    fn with_fields(fields: &Fields) -> Self {
        Message {
            subject: set_text(fields, Field::Subject),
            body: set_body(fields),
            from: match fields.get(Field::From).and_then(|v| as_text(Some(v))) {
                Some(a) => G::Value(Recipient::address(a)),
                None => G::Absent,
            },
            to_recipients: set_recipients(fields, Field::To),
            cc_recipients: set_recipients(fields, Field::Cc),
            ..Message::default()
        }
    }
    fn collection(_task_list: &str) -> Collection<Self> {
        Collection::in_mail_folder("inbox")
    }
    fn item(_task_list: &str, id: &str) -> Item<Self> {
        Item::new(id)
    }
    fn delta_cursor(_task_list: &str, _window: Window) -> graph_client::Result<DeltaCursor<Self>> {
        Ok(DeltaCursor::mail_folder_messages(
            "inbox",
            MessageDeltaOptions::default(),
        ))
    }
    fn set_categories(&mut self, categories: Vec<String>) {
        self.categories = G::Value(categories);
    }
    fn set_key(&mut self, key: CorrelationKey) {
        self.single_value_extended_properties = key_property(key);
    }
}
