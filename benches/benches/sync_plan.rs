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

use std::hint::black_box;
use std::time::{Duration, Instant};

use benches::sync_fixtures::{SIZES, build_state, config, floor, id_index, inputs};
use criterion::{BatchSize, Criterion, Throughput, criterion_group};
use sync_core::{Config, RoundInput, SyncState, Timestamp};

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
    let config = config();
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
    let config = config();
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
