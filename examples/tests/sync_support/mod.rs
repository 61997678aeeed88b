//! Shared set-up of the end-to-end sync tests: a simulator with users and a service account, an EWS
//! client that impersonates them over loopback http, a clock that never waits, seeding helpers, and
//! the convergence checks.
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use ews_client::{ClientBuilder, Credentials, EwsClient, HyperTransport, RetryPolicy};
use ews_types::items::{CalendarItem, Contact, Item, Message, Task};
use ews_types::types::{Body, EmailAddress, ExtendedProperty, FolderId, ItemId, SingleRecipient};
use examples::sync::crm::Crm;
use examples::sync::ews_adapter::EwsMailbox;
use examples::sync::ews_mapping::{self, folder_of, key_property};
use examples::sync::{self, TRACKING_CATEGORY};
use exchange_sim::Simulator;
use sync_core::{CorrelationKey, Fields, LinkState, RecordKind, Side, SyncState, Timestamp};

pub const ALICE: &str = "alice@contoso.example";
pub const BOB: &str = "bob@contoso.example";
pub const SERVICE: &str = "svc-crm@contoso.example";
pub const SERVICE_PASSWORD: &str = "s3rvice";

/// A clock whose sleeps end at once (time jumps forward instead): back-off and retries run without
/// waiting for real.
#[derive(Debug, Clone, Default)]
pub struct NoWaitClock {
    skipped: Arc<Mutex<Duration>>,
}

impl NoWaitClock {
    /// The time the sleeps would have taken.
    pub fn skipped(&self) -> Duration {
        *self.skipped.lock().unwrap()
    }
}

impl ews_client::Clock for NoWaitClock {
    fn now(&self) -> Instant {
        Instant::now() + self.skipped()
    }
    fn system_time(&self) -> SystemTime {
        SystemTime::now() + self.skipped()
    }
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        *self.skipped.lock().unwrap() += duration;
        std::future::ready(())
    }
}

impl graph_client::client::Clock for NoWaitClock {
    fn now(&self) -> SystemTime {
        SystemTime::now() + self.skipped()
    }
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        *self.skipped.lock().unwrap() += duration;
        std::future::ready(())
    }
}

pub type Ews = EwsClient<HyperTransport, NoWaitClock>;

/// A simulator with alice, bob, the service account and the `crm-sync` app.
pub async fn simulator() -> Simulator {
    Simulator::builder()
        .user(ALICE, "pw-alice")
        .user(BOB, "pw-bob")
        .service_account(SERVICE, SERVICE_PASSWORD)
        .app("crm-sync", "app-secret")
        .seed(7)
        .start()
        .await
        .expect("the simulator starts")
}

/// The service account's EWS client for the simulator (plain http to loopback, opted in).
pub fn ews_client(sim: &Simulator, clock: NoWaitClock) -> Arc<Ews> {
    let client = ClientBuilder::new(sim.ews_url(), Credentials::basic(SERVICE, SERVICE_PASSWORD))
        .allow_insecure_loopback_http(true)
        .retry_policy(RetryPolicy {
            max_retries: 6,
            ..RetryPolicy::default()
        })
        .jitter_seed(1)
        .build(HyperTransport::plain_http(), clock)
        .expect("the client builds");
    Arc::new(client)
}

/// `user`'s mailbox over EWS, syncing `kinds`.
pub fn ews_mailbox(
    client: &Arc<Ews>,
    user: &str,
    kinds: &[RecordKind],
) -> EwsMailbox<HyperTransport, NoWaitClock> {
    EwsMailbox::impersonating(client.clone(), user, TRACKING_CATEGORY).kinds(kinds)
}

/// The planning instant of the tests: 2026-01-01.
pub fn now() -> Timestamp {
    Timestamp(1_767_225_600_000)
}

pub fn folder(sim: &Simulator, user: &str, kind: RecordKind) -> FolderId {
    sim.store().folder_id(user, folder_of(kind)).unwrap()
}

/// Seeds an item in `user`'s folder for its kind (as Outlook would), tracked or not.
pub fn seed(sim: &Simulator, user: &str, item: Item, tracked: bool) -> ItemId {
    let kind = ews_mapping::kind_of(&item).unwrap();
    let folder = folder(sim, user, kind);
    let mut item = item;
    if tracked {
        item.fields_mut().categories = Some(vec![TRACKING_CATEGORY.to_owned()]);
    }
    sim.store().create_item(user, &folder, item).unwrap()
}

pub fn contact(given: &str, surname: &str, email: &str) -> Item {
    Item::from(Contact {
        given_name: Some(given.into()),
        surname: Some(surname.into()),
        company_name: Some("Fabrikam".into()),
        email_addresses: Some(vec![ews_types::items::EmailAddressEntry {
            key: "EmailAddress1".into(),
            address: email.into(),
            ..Default::default()
        }]),
        ..Contact::default()
    })
}

pub fn task(subject: &str) -> Item {
    let mut t = Task {
        due_date: Some(jiff::Timestamp::from_second(1_800_000_000).unwrap()),
        status: Some(ews_types::items::TaskStatus::NotStarted),
        ..Task::default()
    };
    t.item.subject = Some(subject.into());
    t.item.body = Some(Body::text("from Outlook"));
    Item::from(t)
}

pub fn meeting(subject: &str, start_second: i64) -> Item {
    let start = jiff::Timestamp::from_second(start_second).unwrap();
    let mut c = CalendarItem {
        start: Some(start),
        end: Some(start + jiff::SignedDuration::from_hours(1)),
        location: Some("Room 1".into()),
        is_all_day_event: Some(false),
        ..CalendarItem::default()
    };
    c.item.subject = Some(subject.into());
    Item::from(c)
}

pub fn email(subject: &str) -> Item {
    let mut m = Message {
        from: Some(SingleRecipient::from(EmailAddress::smtp(
            "carol@fabrikam.example",
        ))),
        to_recipients: Some(vec![EmailAddress::smtp(ALICE)]),
        is_read: Some(false),
        ..Message::default()
    };
    m.item.subject = Some(subject.into());
    m.item.body = Some(Body::text("Please send the quote."));
    m.item.date_time_sent = Some(jiff::Timestamp::from_second(1_767_000_000).unwrap());
    Item::from(m)
}

/// The items of `user`'s folder for `kind`, as sync-core sees them: (id, fields, key, tracked).
pub fn exchange_items(
    sim: &Simulator,
    user: &str,
    kind: RecordKind,
) -> Vec<(String, Fields, Option<CorrelationKey>, bool)> {
    let folder = folder(sim, user, kind);
    let items = sim.store().items(user, &folder).unwrap();
    items
        .iter()
        .filter_map(ews_mapping::observe)
        .map(|(id, s)| {
            let tracked = s
                .categories
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|c| c.eq_ignore_ascii_case(TRACKING_CATEGORY));
            (id, s.fields, s.correlation_key, tracked)
        })
        .collect()
}

/// The simulator's id of the item of `user` carrying `key` (ids differ between EWS and Graph; keys
/// do not).
pub fn ews_id_by_key(sim: &Simulator, user: &str, kind: RecordKind, key: CorrelationKey) -> ItemId {
    let found: Vec<String> = exchange_items(sim, user, kind)
        .into_iter()
        .filter(|e| e.2 == Some(key))
        .map(|e| e.0)
        .collect();
    assert_eq!(found.len(), 1, "{kind:?} items carrying {key}: {found:?}");
    ItemId::new(found[0].clone())
}

/// The key the sync stamped on a simulator item.
pub fn key_of(sim: &Simulator, user: &str, kind: RecordKind, id: &ItemId) -> CorrelationKey {
    exchange_items(sim, user, kind)
        .into_iter()
        .find(|e| e.0 == id.id)
        .and_then(|e| e.2)
        .unwrap_or_else(|| panic!("{} carries a key", id.id))
}

/// Asserts the two sides agree: every linked pair's CRM record and Exchange item (found by the pair's
/// key) have equal fields, every tracked Exchange item belongs to exactly one linked pair, no key is
/// on two tracked items, and every tracked CRM record has exactly one pair. Returns the linked pairs.
pub fn assert_converged(
    sim: &Simulator,
    crm: &Mutex<Crm>,
    state: &SyncState,
    user: &str,
    kinds: &[RecordKind],
) -> usize {
    let crm = crm.lock().unwrap();
    let mut exchange_all = Vec::new();
    for kind in kinds {
        exchange_all.extend(exchange_items(sim, user, *kind));
    }
    let tracked: Vec<_> = exchange_all.iter().filter(|e| e.3).collect();
    for item in &tracked {
        let key = item
            .2
            .unwrap_or_else(|| panic!("tracked item {} has no key", item.0));
        let same_key = tracked.iter().filter(|e| e.2 == Some(key)).count();
        assert_eq!(same_key, 1, "key {key} is on {same_key} tracked items");
        let pairs = state
            .links()
            .filter(|l| l.key() == key && l.state() == LinkState::Linked)
            .count();
        assert_eq!(
            pairs, 1,
            "tracked item {} is in {pairs} linked pairs",
            item.0
        );
    }
    let mut linked = 0;
    for link in state.links() {
        if link.state() != LinkState::Linked || !kinds.contains(&link.kind()) {
            continue;
        }
        linked += 1;
        let crm_id = link.item(Side::Crm).expect("a linked pair has a CRM id");
        assert!(
            link.item(Side::Exchange).is_some(),
            "a linked pair has an Exchange id"
        );
        let record = crm.record(crm_id).expect("the CRM record exists");
        assert!(!record.deleted, "linked record {crm_id} is deleted");
        let (ex_id, fields, _, _) = tracked
            .iter()
            .find(|e| e.2 == Some(link.key()))
            .unwrap_or_else(|| panic!("no tracked item carries the key of {crm_id}"));
        let mut want = record.fields.clone();
        let mut got = fields.clone();
        // Directions: emails flow one way; series patterns are not synced.
        if link.kind() == RecordKind::Email {
            want = got.clone();
        }
        want.set(sync_core::Field::Recurrence, sync_core::Value::Null);
        got.set(sync_core::Field::Recurrence, sync_core::Value::Null);
        for (f, v) in want.iter() {
            if link.kind().fields().contains(&f) {
                assert_eq!(
                    got.get(f),
                    Some(v),
                    "{:?} {crm_id} ↔ {ex_id}: {f:?}",
                    link.kind()
                );
            }
        }
    }
    for record in crm.records_of(user) {
        if !record.tracked || !kinds.contains(&record.kind) {
            continue;
        }
        let links = state
            .links()
            .filter(|l| l.item(Side::Crm) == Some(record.id.as_str()))
            .count();
        assert_eq!(
            links, 1,
            "tracked CRM record {} has {links} pairs",
            record.id
        );
    }
    linked
}

/// Runs a sync of `mailbox` with no checkpoints and the examples' configuration.
pub async fn sync_once<E: sync::ExchangeMailbox>(
    crm: &Mutex<Crm>,
    mailbox: &E,
    saved: &mut sync::SavedState,
) -> sync::RoundReport {
    let config = sync::default_config(mailbox.address());
    sync::sync_mailbox(
        crm,
        mailbox,
        saved,
        &config,
        now(),
        &mut sync::NoCheckpoints,
    )
    .await
    .expect("the sync runs")
}

/// The key property as Graph names it, for tests that stamp keys by hand.
pub fn stamp(item: &mut Item, key: CorrelationKey) {
    item.fields_mut()
        .extended_properties
        .push(ExtendedProperty::new(key_property(), key.to_string()));
}

pub type GraphMb = examples::sync::graph_adapter::GraphMailbox<
    examples::sync::graph_adapter::HyperGraphTransport,
    NoWaitClock,
>;

/// An app-only Graph client for the simulator (token issued directly by the simulator).
pub fn graph_client(
    sim: &Simulator,
    clock: NoWaitClock,
) -> Arc<
    graph_client::client::GraphClient<
        examples::sync::graph_adapter::HyperGraphTransport,
        NoWaitClock,
    >,
> {
    let graph = graph_client::Graph::user(BOB)
        .with_base_url(&sim.graph_url())
        .expect("the simulator's Graph URL");
    let transport =
        examples::sync::graph_adapter::HyperGraphTransport::new(HyperTransport::plain_http());
    let client = graph_client::client::GraphClient::new(transport, graph).with_clock(clock);
    client.set_access_token(graph_client::Secret::new(
        sim.issue_app_token("crm-sync")
            .expect("the app is registered"),
    ));
    Arc::new(client)
}

/// The calendar window of the tests: December 2025 to 2028.
pub fn window() -> (jiff::Timestamp, jiff::Timestamp) {
    (
        jiff::Timestamp::from_second(1_764_547_200).unwrap(),
        jiff::Timestamp::from_second(1_830_297_600).unwrap(),
    )
}

/// `user`'s mailbox over Graph (app-only), syncing `kinds`.
pub fn graph_mailbox(
    client: &Arc<
        graph_client::client::GraphClient<
            examples::sync::graph_adapter::HyperGraphTransport,
            NoWaitClock,
        >,
    >,
    user: &str,
    kinds: &[RecordKind],
) -> GraphMb {
    examples::sync::graph_adapter::GraphMailbox::app_only(
        client.clone(),
        user,
        TRACKING_CATEGORY,
        window(),
    )
    .kinds(kinds)
}

/// CRM fixtures: a contact, a task and a future meeting.
pub fn crm_contact() -> Fields {
    Fields::new()
        .with(sync_core::Field::GivenName, sync_core::Value::text("Ann"))
        .with(sync_core::Field::Surname, sync_core::Value::text("Lee"))
        .with(sync_core::Field::Company, sync_core::Value::text("Contoso"))
        .with(sync_core::Field::JobTitle, sync_core::Value::text("Buyer"))
        .with(
            sync_core::Field::EmailAddresses,
            examples::sync::values::addresses(["ann@contoso.example"]),
        )
        .with(
            sync_core::Field::Phones,
            examples::sync::values::phones([(
                examples::sync::values::PhoneKind::Business,
                "+1 555 0100",
            )]),
        )
        .with(
            sync_core::Field::PostalAddress,
            examples::sync::values::Postal {
                street: Some("1 Main St".into()),
                city: Some("Seattle".into()),
                ..Default::default()
            }
            .to_value(),
        )
}

pub fn crm_task() -> Fields {
    Fields::new()
        .with(
            sync_core::Field::Subject,
            sync_core::Value::text("Send the proposal"),
        )
        .with(
            sync_core::Field::Body,
            sync_core::Value::text("Pricing for 40 seats"),
        )
        .with(
            sync_core::Field::DueAt,
            examples::sync::values::instant(jiff::Timestamp::from_second(1_800_000_000).ok()),
        )
        .with(
            sync_core::Field::Status,
            examples::sync::values::TaskState::NotStarted.to_value(),
        )
        .with(
            sync_core::Field::Priority,
            examples::sync::values::Priority::High.to_value(),
        )
}

pub fn crm_meeting(attendees: &[&str]) -> Fields {
    let start = jiff::Timestamp::from_second(1_800_003_600).unwrap();
    Fields::new()
        .with(
            sync_core::Field::Subject,
            sync_core::Value::text("Contract review"),
        )
        .with(sync_core::Field::Body, sync_core::Value::Null)
        .with(sync_core::Field::Location, sync_core::Value::text("Teams"))
        .with(
            sync_core::Field::Start,
            examples::sync::values::instant(Some(start)),
        )
        .with(
            sync_core::Field::End,
            examples::sync::values::instant(Some(start + jiff::SignedDuration::from_mins(30))),
        )
        .with(sync_core::Field::AllDay, sync_core::Value::Bool(false))
        .with(
            sync_core::Field::Attendees,
            examples::sync::values::addresses(attendees),
        )
        .with(sync_core::Field::Recurrence, sync_core::Value::Null)
}
