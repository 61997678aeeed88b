//! Large sync-core states and the rounds the planning figures time, built through the public API.
//!
//! [`build_state`] makes a state of N linked emails (plan the initial sync, report every outcome);
//! [`inputs`] makes the three rounds measured on it: 1 % changed on each side as change-feed entries,
//! a full enumeration of both sides with 1 % changed, and one with nothing changed; [`floor`] is the
//! plain pass any planner must at least make over a full enumeration.
//!
//! ```
//! use benches::sync_fixtures::{build_state, config, inputs};
//! use sync_core::Timestamp;
//!
//! let config = config();
//! let (mut state, keys) = build_state(200, &config);
//! let rounds = inputs(200, &keys);
//! let plan = state.plan(&rounds.full_nochange, &config, Timestamp(1_800_000_100_000)).unwrap();
//! assert!(plan.operations.is_empty());
//! ```

use std::collections::HashMap;

use sync_core::{
    Action, Change, Config, CorrelationKey, Coverage, Field, Fields, Observation, Outcome,
    RecordKind, RoundInput, Side, Snapshot, SyncState, Timestamp, Value,
};

/// The tracking category of the benchmark mailbox.
pub const CATEGORY: &str = "Tracked to CRM";
/// The state sizes the figures are taken at.
pub const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

/// The benchmark mailbox's configuration (the defaults, with [`CATEGORY`]).
pub fn config() -> Config {
    Config::new(CATEGORY, "bench-mailbox")
}

fn exchange_id(n: usize) -> String {
    format!("AAMkADk{n:09}")
}
fn crm_id(n: usize) -> String {
    format!("act-{n:09}")
}
fn exchange_token(n: usize, v: u32) -> String {
    format!("CQAAAB{n:x}v{v}")
}
fn crm_token(n: usize, v: u32) -> String {
    format!("{v}.{n}")
}

fn email_fields(n: usize, subject_v: u32, to_v: u32) -> Fields {
    Fields::new()
        .with(
            Field::Subject,
            Value::text(&format!("Quote {n} rev {subject_v}")),
        )
        .with(
            Field::Body,
            Value::text("Hello, please find the quote attached."),
        )
        .with(Field::From, Value::text("ann@contoso.com"))
        .with(Field::To, Value::set([format!("buyer{to_v}@fabrikam.com")]))
        .with(Field::Cc, Value::set::<[&str; 0], &str>([]))
        .with(
            Field::SentAt,
            Value::instant(Timestamp(1_700_000_000_000 + n as i64), "UTC"),
        )
}

fn exchange_obs(n: usize, v: u32, key: Option<CorrelationKey>) -> Observation {
    let mut s = Snapshot::new(
        RecordKind::Email,
        exchange_token(n, v),
        Timestamp(1_700_000_000_000 + i64::from(v)),
        email_fields(n, v, 0),
    )
    .with_categories([CATEGORY]);
    s.correlation_key = key;
    Observation {
        id: exchange_id(n),
        change: Change::Upsert(s),
    }
}

fn crm_obs(n: usize, v: u32, to_v: u32, key: CorrelationKey) -> Observation {
    let s = Snapshot::new(
        RecordKind::Email,
        crm_token(n, v),
        Timestamp(1_700_000_000_000 + i64::from(v)),
        email_fields(n, 1, to_v),
    )
    .with_key(key);
    Observation {
        id: crm_id(n),
        change: Change::Upsert(s),
    }
}

fn parse_n(id: &str) -> usize {
    id.trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse()
        .unwrap_or(0)
}

/// A state of `n` linked emails (Exchange items stamped at version 1, CRM records at version 1),
/// plus the key of each pair.
pub fn build_state(n: usize, config: &Config) -> (SyncState, Vec<CorrelationKey>) {
    let mut state = SyncState::new();
    let chunk = 100_000;
    let mut start = 0;
    while start < n {
        let end = (start + chunk).min(n);
        // The initial sync arrives in pages; later pages pass the mass-create guard by force.
        let input = RoundInput {
            exchange: (start..end).map(|i| exchange_obs(i, 0, None)).collect(),
            force: true,
            ..RoundInput::default()
        };
        let plan = state
            .plan(&input, config, Timestamp(1_800_000_000_000))
            .expect("initial plan");
        drop(input);
        // Each new item yields its CRM create followed by the key stamp on the Exchange item.
        for pair in plan.operations.chunks(2) {
            let [create, stamp] = pair else {
                panic!("create and stamp come in pairs")
            };
            let n = match &stamp.action {
                Action::Update { item, .. } => parse_n(item),
                other => panic!("unexpected op {other:?}"),
            };
            let at = Timestamp(1_700_000_000_001);
            let created = Outcome::Created {
                id: crm_id(n),
                token: crm_token(n, 1),
                modified_at: at,
            };
            state
                .apply_outcome(create.id, created)
                .expect("create outcome");
            let stamped = Outcome::Updated {
                token: exchange_token(n, 1),
                modified_at: at,
            };
            state
                .apply_outcome(stamp.id, stamped)
                .expect("stamp outcome");
        }
        start = end;
    }
    let mut keys = vec![CorrelationKey([0; 16]); n];
    for l in state.links() {
        if let Some(ex) = l.item(Side::Exchange) {
            keys[parse_n(ex)] = l.key();
        }
    }
    (state, keys)
}

/// The three rounds measured on a state of `n` pairs.
pub struct Inputs {
    /// 1 % of the items changed on each side, as change-feed entries.
    pub delta: RoundInput,
    /// A full enumeration of both sides with 1 % changed.
    pub full_1pct: RoundInput,
    /// A full enumeration of both sides with nothing changed.
    pub full_nochange: RoundInput,
}

/// The rounds for the state [`build_state`] made with `n` and `keys`.
pub fn inputs(n: usize, keys: &[CorrelationKey]) -> Inputs {
    Inputs {
        delta: delta_round(n, keys),
        full_1pct: full_round(n, keys, true),
        full_nochange: full_round(n, keys, false),
    }
}

fn changed_on_exchange(i: usize) -> bool {
    i % 100 == 0
}

fn changed_on_crm(i: usize) -> bool {
    i % 100 == 50
}

/// 1 % of the `n` pairs changed on each side, as change-feed entries.
pub fn delta_round(n: usize, keys: &[CorrelationKey]) -> RoundInput {
    RoundInput {
        exchange: (0..n)
            .filter(|i| changed_on_exchange(*i))
            .map(|i| exchange_obs(i, 2, Some(keys[i])))
            .collect(),
        crm: (0..n)
            .filter(|i| changed_on_crm(*i))
            .map(|i| crm_obs(i, 2, 1, keys[i]))
            .collect(),
        ..RoundInput::default()
    }
}

/// A full enumeration of both sides of the `n` pairs, with 1 % changed on each side when
/// `with_changes`, else nothing changed.
pub fn full_round(n: usize, keys: &[CorrelationKey], with_changes: bool) -> RoundInput {
    RoundInput {
        exchange: (0..n)
            .map(|i| {
                let v = if with_changes && changed_on_exchange(i) {
                    2
                } else {
                    1
                };
                exchange_obs(i, v, Some(keys[i]))
            })
            .collect(),
        crm: (0..n)
            .map(|i| {
                let c = with_changes && changed_on_crm(i);
                crm_obs(i, if c { 2 } else { 1 }, u32::from(c), keys[i])
            })
            .collect(),
        exchange_coverage: Coverage::Delta,
        crm_coverage: Coverage::Delta,
        ..RoundInput::default()
    }
}

/// The floor: look every observed id up once and hash its mapped fields once.
pub fn floor(index: &HashMap<String, u32>, input: &RoundInput) -> u64 {
    let mut acc = 0u64;
    for o in input.crm.iter().chain(input.exchange.iter()) {
        if let Some(i) = index.get(o.id.as_str()) {
            acc = acc.wrapping_add(u64::from(*i));
        }
        if let Change::Upsert(s) = &o.change {
            for (_, v) in s.fields.iter() {
                acc ^= v.stable_hash();
            }
        }
    }
    acc
}

/// The id → pair index the floor looks ids up in.
pub fn id_index(n: usize) -> HashMap<String, u32> {
    (0..n)
        .flat_map(|i| [(crm_id(i), i as u32), (exchange_id(i), i as u32)])
        .collect()
}
