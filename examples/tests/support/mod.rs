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

/// Asserts the two sides agree: every linked pair has equal fields on both sides, no Exchange item or
/// CRM record is linked twice, and no correlation key is on two tracked Exchange items.
pub fn assert_converged(
    sim: &Simulator,
    crm: &Mutex<Crm>,
    state: &SyncState,
    user: &str,
    kinds: &[RecordKind],
) -> usize {
    let crm = crm.lock().unwrap();
    let mut linked = 0;
    let mut exchange_all = Vec::new();
    for kind in kinds {
        exchange_all.extend(exchange_items(sim, user, *kind));
    }
    let mut keys: Vec<CorrelationKey> = exchange_all
        .iter()
        .filter(|e| e.3)
        .filter_map(|e| e.2)
        .collect();
    let before = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(
        before,
        keys.len(),
        "a correlation key is on two tracked items"
    );
    for link in state.links() {
        if link.state() != LinkState::Linked || !kinds.contains(&link.kind()) {
            continue;
        }
        linked += 1;
        let crm_id = link.item(Side::Crm).expect("a linked pair has a CRM id");
        let ex_id = link
            .item(Side::Exchange)
            .expect("a linked pair has an Exchange id");
        let record = crm.record(crm_id).expect("the CRM record exists");
        assert!(!record.deleted, "linked record {crm_id} is deleted");
        let (_, fields, key, tracked) = exchange_all
            .iter()
            .find(|e| e.0 == ex_id)
            .unwrap_or_else(|| panic!("linked Exchange item {ex_id} exists"));
        assert!(tracked, "linked item {ex_id} carries the category");
        assert_eq!(
            *key,
            Some(link.key()),
            "item {ex_id} carries its pair's key"
        );
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
    // Every tracked Exchange item and every tracked CRM record is linked exactly once.
    for (id, _, _, tracked) in &exchange_all {
        let links = state
            .links()
            .filter(|l| {
                l.item(Side::Exchange) == Some(id.as_str()) && l.state() == LinkState::Linked
            })
            .count();
        if *tracked {
            assert_eq!(links, 1, "tracked Exchange item {id} has {links} links");
        }
    }
    // Every tracked CRM record has exactly one pair (linked, or unlinked after an untag).
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
