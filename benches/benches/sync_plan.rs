//! Planning cost of `sync-core` over large states.
//!
//! A state of N linked emails (N = 10k, 100k, 1M) is built through the public API (plan the
//! initial sync, report the outcomes). Then:
//! - `delta_1pct`: 1 % of the items changed on each side, delivered as change-feed entries;
//! - `full_1pct`: a full enumeration of both sides (every item observed) with 1 % changed;
//! - `full_nochange`: a full enumeration of both sides with nothing changed;
//! - `floor`: the plain pass any planner must at least do over a full enumeration: look every
//!   observed id up in a hash map and hash its mapped fields once.
//!
//! Before criterion runs, a report prints time per item for each size, the ratio to the floor,
//! and the state's cost per item (compact encoding; in-memory estimate with indexes).
//!
//! `cargo bench -p benches --bench sync_plan`

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use sync_core::{
    Action, Change, Config, CorrelationKey, Coverage, Field, Fields, Observation, Outcome,
    RecordKind, RoundInput, Side, Snapshot, SyncState, Timestamp, Value,
};

const CATEGORY: &str = "Tracked to CRM";
const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

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
fn build_state(n: usize, config: &Config) -> (SyncState, Vec<CorrelationKey>) {
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

struct Inputs {
    delta: RoundInput,
    full_1pct: RoundInput,
    full_nochange: RoundInput,
}

fn inputs(n: usize, keys: &[CorrelationKey]) -> Inputs {
    let changed_ex = |i: usize| i % 100 == 0;
    let changed_crm = |i: usize| i % 100 == 50;
    let full = |with_changes: bool| RoundInput {
        exchange: (0..n)
            .map(|i| {
                exchange_obs(
                    i,
                    if with_changes && changed_ex(i) { 2 } else { 1 },
                    Some(keys[i]),
                )
            })
            .collect(),
        crm: (0..n)
            .map(|i| {
                let c = with_changes && changed_crm(i);
                crm_obs(i, if c { 2 } else { 1 }, u32::from(c), keys[i])
            })
            .collect(),
        exchange_coverage: Coverage::Delta,
        crm_coverage: Coverage::Delta,
        ..RoundInput::default()
    };
    let delta = RoundInput {
        exchange: (0..n)
            .filter(|i| changed_ex(*i))
            .map(|i| exchange_obs(i, 2, Some(keys[i])))
            .collect(),
        crm: (0..n)
            .filter(|i| changed_crm(*i))
            .map(|i| crm_obs(i, 2, 1, keys[i]))
            .collect(),
        ..RoundInput::default()
    };
    Inputs {
        delta,
        full_1pct: full(true),
        full_nochange: full(false),
    }
}

/// The floor: look every observed id up once and hash its mapped fields once.
fn floor(index: &HashMap<String, u32>, input: &RoundInput) -> u64 {
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

fn id_index(n: usize) -> HashMap<String, u32> {
    (0..n)
        .flat_map(|i| [(crm_id(i), i as u32), (exchange_id(i), i as u32)])
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_planning(state: &SyncState, input: &RoundInput, config: &Config, runs: usize) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let mut s = state.clone();
                let t = Instant::now();
                let plan = s
                    .plan(input, config, Timestamp(1_800_000_100_000))
                    .expect("plan");
                let d = t.elapsed();
                black_box(plan);
                d
            })
            .collect(),
    )
}

fn report() {
    let config = Config::new(CATEGORY, "bench-mailbox");
    println!("sync-core plan report (median of runs; ns per linked item)");
    println!(
        "{:>9} | {:>10} {:>10} {:>13} {:>10} | {:>8} {:>8} {:>8} | {:>9} {:>9}",
        "items",
        "delta 1%",
        "full 1%",
        "full no-chg",
        "floor",
        "d/floor",
        "f/floor",
        "nc/floor",
        "B/item",
        "mem/item"
    );
    for n in SIZES {
        let (state, keys) = build_state(n, &config);
        let memory = state.approx_memory_bytes();
        let bytes = state.to_compact_bytes().len();
        let ins = inputs(n, &keys);
        let runs = if n >= 1_000_000 { 3 } else { 7 };
        let delta = time_planning(&state, &ins.delta, &config, runs);
        let full = time_planning(&state, &ins.full_1pct, &config, runs);
        let nochange = time_planning(&state, &ins.full_nochange, &config, runs);
        let index = id_index(n);
        let fl = median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    black_box(floor(&index, &ins.full_1pct));
                    t.elapsed()
                })
                .collect(),
        );
        let per = |d: Duration| d.as_nanos() as f64 / n as f64;
        println!(
            "{:>9} | {:>10.1} {:>10.1} {:>13.1} {:>10.1} | {:>8.2} {:>8.2} {:>8.2} | {:>9.1} {:>9.1}",
            n,
            per(delta),
            per(full),
            per(nochange),
            per(fl),
            per(delta) / per(fl),
            per(full) / per(fl),
            per(nochange) / per(fl),
            bytes as f64 / n as f64,
            memory as f64 / n as f64,
        );
        println!(
            "{:>9}   totals: delta 1% {:?}, full 1% {:?}, full no-change {:?}, floor {:?}",
            "", delta, full, nochange, fl
        );
    }
}

fn bench_plan(c: &mut Criterion) {
    let config = Config::new(CATEGORY, "bench-mailbox");
    for n in SIZES {
        let (state, keys) = build_state(n, &config);
        let ins = inputs(n, &keys);
        let index = id_index(n);
        let mut g = c.benchmark_group(format!("sync_plan/{n}"));
        g.throughput(Throughput::Elements(n as u64));
        g.sample_size(10);
        g.bench_function("delta_1pct", |b| {
            b.iter_batched(
                || state.clone(),
                // The state is returned so dropping it is not measured.
                |mut s| {
                    let p = s.plan(&ins.delta, &config, Timestamp(1_800_000_100_000));
                    (s, black_box(p))
                },
                BatchSize::LargeInput,
            )
        });
        g.bench_function("full_1pct", |b| {
            b.iter_batched(
                || state.clone(),
                |mut s| {
                    let p = s.plan(&ins.full_1pct, &config, Timestamp(1_800_000_100_000));
                    (s, black_box(p))
                },
                BatchSize::LargeInput,
            )
        });
        let mut quiet = state.clone();
        g.bench_function("full_nochange", |b| {
            b.iter(|| {
                black_box(quiet.plan(&ins.full_nochange, &config, Timestamp(1_800_000_100_000)))
            })
        });
        g.bench_function("floor", |b| {
            b.iter(|| black_box(floor(&index, &ins.full_1pct)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench_plan);

fn main() {
    report();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
