//! [`Runner`]: polls many mailboxes, each every N minutes, with a "sync now" trigger, per-mailbox
//! enable/disable, skipping unlicensed users, one sync at a time per mailbox and a bound on
//! concurrent syncs per endpoint.
//!
//! Time comes from the caller: [`Runner::tick`] takes `now` and syncs what is due then, and
//! [`Runner::next_due`] says when to call it again. A service sleeps until then (or until a "sync now"
//! arrives); a test calls `tick` with the times it wants, without sleeping.
//!
//! ```no_run
//! # async fn run<E: examples::sync::ExchangeMailbox>(mut runner: examples::sync::Runner<E>) {
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use sync_core::Timestamp;
//!
//! let now = || Timestamp(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64);
//! loop {
//!     for (mailbox, result) in runner.tick(now()).await {
//!         if let Err(e) = result {
//!             eprintln!("{mailbox}: {e}");
//!         }
//!     }
//!     let wait = runner.next_due().map_or(60_000, |due| (due.0 - now().0).max(0));
//!     tokio::time::sleep(Duration::from_millis(wait as u64)).await;
//! }
//! # }
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::future::join_all;
use sync_core::{Config, Observation, Operation, Outcome, RecordKind, SyncState, Timestamp};
use tokio::sync::Semaphore;

use super::crm::Crm;
use super::round::{NoCheckpoints, RoundReport, SavedState, sync_mailbox};
use super::{ExchangeMailbox, Feed, SyncError, default_config};

/// How one mailbox is synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxSettings {
    /// Sync runs for this mailbox (an operator can turn it off).
    pub enabled: bool,
    /// The user holds a license with a mailbox; unlicensed users are skipped.
    pub licensed: bool,
    /// Minutes between syncs.
    pub interval_minutes: u32,
}

impl Default for MailboxSettings {
    fn default() -> Self {
        MailboxSettings {
            enabled: true,
            licensed: true,
            interval_minutes: 15,
        }
    }
}

/// Where a mailbox stands in the runner.
#[derive(Debug, Clone, PartialEq)]
pub struct MailboxStatus {
    /// Its settings.
    pub settings: MailboxSettings,
    /// When it is next due (`None`: never, because it is disabled or unlicensed).
    pub next_due: Option<Timestamp>,
    /// When it last synced.
    pub last_run: Option<Timestamp>,
    /// Everything its runs did so far, summed.
    pub totals: RoundReport,
    /// The last run's error, if it failed.
    pub last_error: Option<String>,
}

struct Entry<E> {
    exchange: E,
    config: Config,
    saved: SavedState,
    status: MailboxStatus,
}

/// Polls mailboxes against one CRM.
pub struct Runner<E> {
    crm: Arc<Mutex<Crm>>,
    entries: Vec<Entry<E>>,
    per_endpoint: usize,
}

impl<E> std::fmt::Debug for Runner<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("mailboxes", &self.entries.len())
            .field("per_endpoint", &self.per_endpoint)
            .finish_non_exhaustive()
    }
}

impl<E: ExchangeMailbox> Runner<E> {
    /// A runner syncing against `crm`, at most 4 mailboxes at once per endpoint.
    pub fn new(crm: Arc<Mutex<Crm>>) -> Self {
        Runner {
            crm,
            entries: Vec::new(),
            per_endpoint: 4,
        }
    }

    /// At most `limit` mailboxes sync at once on one endpoint (at least 1). Each client bounds its
    /// own requests too (EWS: 10 in flight per endpoint; Graph: 4 per mailbox).
    pub fn per_endpoint(mut self, limit: usize) -> Self {
        self.per_endpoint = limit.max(1);
        self
    }

    /// Adds a mailbox, due at once, with the examples' configuration ([`default_config`]).
    pub fn add(&mut self, exchange: E, settings: MailboxSettings) {
        let config = default_config(exchange.address());
        self.add_with_config(exchange, settings, config);
    }

    /// Adds a mailbox with its own planner configuration.
    pub fn add_with_config(&mut self, exchange: E, settings: MailboxSettings, config: Config) {
        let next_due = (settings.enabled && settings.licensed).then_some(Timestamp(i64::MIN));
        self.entries.push(Entry {
            exchange,
            config,
            saved: SavedState::default(),
            status: MailboxStatus {
                settings,
                next_due,
                last_run: None,
                totals: RoundReport::default(),
                last_error: None,
            },
        });
    }

    fn entry_mut(&mut self, mailbox: &str) -> Option<&mut Entry<E>> {
        self.entries
            .iter_mut()
            .find(|e| e.exchange.address().eq_ignore_ascii_case(mailbox))
    }

    /// Makes a mailbox due now ("sync now"). `false` when it is unknown, disabled or unlicensed.
    pub fn sync_now(&mut self, mailbox: &str) -> bool {
        match self.entry_mut(mailbox) {
            Some(e) if e.status.settings.enabled && e.status.settings.licensed => {
                e.status.next_due = Some(Timestamp(i64::MIN));
                true
            }
            _ => false,
        }
    }

    /// Enables or disables a mailbox; enabling makes it due now. `false` when it is unknown.
    pub fn set_enabled(&mut self, mailbox: &str, enabled: bool) -> bool {
        let Some(e) = self.entry_mut(mailbox) else {
            return false;
        };
        e.status.settings.enabled = enabled;
        e.status.next_due = (enabled && e.status.settings.licensed).then_some(Timestamp(i64::MIN));
        true
    }

    /// Marks a mailbox licensed or not (unlicensed mailboxes are skipped). `false` when unknown.
    pub fn set_licensed(&mut self, mailbox: &str, licensed: bool) -> bool {
        let Some(e) = self.entry_mut(mailbox) else {
            return false;
        };
        e.status.settings.licensed = licensed;
        e.status.next_due = (licensed && e.status.settings.enabled).then_some(Timestamp(i64::MIN));
        true
    }

    /// The earliest time a mailbox is due, if any is.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.entries.iter().filter_map(|e| e.status.next_due).min()
    }

    /// The status of every mailbox, in the order they were added.
    pub fn statuses(&self) -> Vec<(&str, &MailboxStatus)> {
        self.entries
            .iter()
            .map(|e| (e.exchange.address(), &e.status))
            .collect()
    }

    /// The saved sync state of a mailbox.
    pub fn state(&self, mailbox: &str) -> Option<Result<SyncState, SyncError>> {
        self.entries
            .iter()
            .find(|e| e.exchange.address().eq_ignore_ascii_case(mailbox))
            .map(|e| e.saved.state())
    }

    /// The CRM.
    pub fn crm(&self) -> &Arc<Mutex<Crm>> {
        &self.crm
    }

    /// Syncs every mailbox due at `now` (concurrently, within the per-endpoint bound) and returns each
    /// one's result. A mailbox whose sync failed because it has no mailbox or license is marked
    /// unlicensed and skipped from then on.
    pub async fn tick(&mut self, now: Timestamp) -> Vec<(String, Result<RoundReport, SyncError>)> {
        self.tick_with_progress(now, &|_: &str, _: bool| {}).await
    }

    /// How many mailboxes are due at `now` (what the next [`Runner::tick`] will sync).
    pub fn due(&self, now: Timestamp) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status.next_due.is_some_and(|d| d <= now))
            .count()
    }

    /// [`Runner::tick`], calling `done(mailbox, succeeded)` as each mailbox finishes (for progress
    /// bars).
    pub async fn tick_with_progress(
        &mut self,
        now: Timestamp,
        done: &(dyn Fn(&str, bool) + Sync),
    ) -> Vec<(String, Result<RoundReport, SyncError>)> {
        let mut gates: HashMap<String, Arc<Semaphore>> = HashMap::new();
        let crm = self.crm.clone();
        let per_endpoint = self.per_endpoint;
        let due = self
            .entries
            .iter_mut()
            .filter(|e| e.status.next_due.is_some_and(|d| d <= now))
            .map(|e| {
                let gate = gates
                    .entry(e.exchange.endpoint().to_owned())
                    .or_insert_with(|| Arc::new(Semaphore::new(per_endpoint)))
                    .clone();
                let crm = crm.clone();
                async move {
                    let _permit = gate.acquire().await.ok();
                    let result = sync_mailbox(
                        &crm,
                        &e.exchange,
                        &mut e.saved,
                        &e.config,
                        now,
                        &mut NoCheckpoints,
                    )
                    .await;
                    e.record(now, &result);
                    done(e.exchange.address(), result.is_ok());
                    (e.exchange.address().to_owned(), result)
                }
            });
        join_all(due).await
    }
}

impl<E: ExchangeMailbox> Entry<E> {
    fn record(&mut self, now: Timestamp, result: &Result<RoundReport, SyncError>) {
        let status = &mut self.status;
        status.last_run = Some(now);
        let interval = i64::from(status.settings.interval_minutes) * 60_000;
        status.next_due = Some(Timestamp(now.0.saturating_add(interval.max(1))));
        match result {
            Ok(report) => {
                status.last_error = None;
                add(&mut status.totals, report);
            }
            Err(e) => {
                status.last_error = Some(e.to_string());
                if is_unlicensed(e) {
                    status.settings.licensed = false;
                    status.next_due = None;
                }
            }
        }
    }
}

/// Whether an error says the user has no mailbox (no license): EWS `ErrorNonExistentMailbox`,
/// Graph `MailboxNotEnabledForRESTAPI` or `ResourceNotFound` on the user.
fn is_unlicensed(e: &SyncError) -> bool {
    match e {
        SyncError::Ews(ews_client::Error::MailboxNotFound { .. }) => true,
        SyncError::Ews(e) => e
            .response_code()
            .is_some_and(|c| c.as_str() == "ErrorNonExistentMailbox"),
        SyncError::Graph(graph_client::Error::Api(api)) => {
            api.code.eq_ignore_ascii_case("MailboxNotEnabledForRESTAPI")
        }
        _ => false,
    }
}

fn add(totals: &mut RoundReport, report: &RoundReport) {
    totals.rounds += report.rounds;
    for (t, r) in totals.crm.iter_mut().zip(report.crm) {
        t.created += r.created;
        t.updated += r.updated;
        t.deleted += r.deleted;
    }
    for (t, r) in totals.exchange.iter_mut().zip(report.exchange) {
        t.created += r.created;
        t.updated += r.updated;
        t.deleted += r.deleted;
    }
    totals.conflicts.extend(report.conflicts.iter().cloned());
    totals.errors.extend(report.errors.iter().cloned());
    totals.activity.extend(report.activity.iter().cloned());
    totals.calls.pages += report.calls.pages;
    totals.calls.reads += report.calls.reads;
}

/// One of two mailbox types, so one [`Runner`] can hold EWS and Graph mailboxes together.
#[derive(Debug, Clone)]
pub enum Either<A, B> {
    /// The first type (for example [`super::ews_adapter::EwsMailbox`]).
    Left(A),
    /// The second type (for example [`super::graph_adapter::GraphMailbox`]).
    Right(B),
}

impl<A: ExchangeMailbox, B: ExchangeMailbox> ExchangeMailbox for Either<A, B> {
    fn address(&self) -> &str {
        match self {
            Either::Left(a) => a.address(),
            Either::Right(b) => b.address(),
        }
    }

    fn endpoint(&self) -> &str {
        match self {
            Either::Left(a) => a.endpoint(),
            Either::Right(b) => b.endpoint(),
        }
    }

    async fn fetch(&self, state: &SyncState) -> Result<Feed, SyncError> {
        match self {
            Either::Left(a) => a.fetch(state).await,
            Either::Right(b) => b.fetch(state).await,
        }
    }

    async fn read(&self, kind: RecordKind, id: &str) -> Result<Observation, SyncError> {
        match self {
            Either::Left(a) => a.read(kind, id).await,
            Either::Right(b) => b.read(kind, id).await,
        }
    }

    async fn execute(&self, op: &Operation) -> Outcome {
        match self {
            Either::Left(a) => a.execute(op).await,
            Either::Right(b) => b.execute(op).await,
        }
    }
}
