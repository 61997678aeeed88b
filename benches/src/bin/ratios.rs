//! Every tracked performance figure in one run, one per line, as `NAME value unit`:
//!
//! ```text
//! ews_parse_sync_512_vs_raw 4.61 ratio
//! ews_parse_vs_ews_crate 0.42 ratio
//! sync_plan_1m_seconds 0.101 s
//! ```
//!
//! Run it optimized: `cargo run --release -p benches --bin ratios [-- --quick]`. Each ratio compares
//! two things measured in the same process, interleaved, best of N runs each (N = 30, or 8 with
//! `--quick`), so a busy machine slows both sides alike. MB is 10^6 bytes.
//!
//! * EWS parse (`ews-types`' typed parse) against a raw quick-xml event scan of the same bytes
//!   (`_vs_raw`, target at most 2.0), and against decoding every text node, attribute and entity with
//!   `NsReader` while building nothing (`_vs_decode`, a reference: what a typed model built on
//!   quick-xml's `NsReader` could not go below; `ews-types` has its own tokenizer and measures under it);
//! * EWS parse against the published `ews` crate on the same document (`ews_parse_vs_ews_crate`, target
//!   at most 0.5). That crate refuses items with two or more categories, so this compares on the
//!   one-category variant of the SyncFolderItems page;
//! * peak heap while parsing, over the input size (`ews_parse_heap_vs_input`, target at most 3),
//!   counted by a tracking global allocator that is switched on only for that measurement;
//! * EWS build: a CreateItem with 100 calendar items against quick-xml's raw writer producing the
//!   same bytes (`ews_build_vs_raw`, target at most 1.5);
//! * Graph: a 1,000-message delta page against `serde_json::Value` parsing of the same bytes;
//! * sync-core at 1M linked items: a round with 1 % changed on each side (`sync_plan_1m_seconds`,
//!   target under 1 s), a full enumeration with nothing changed (`sync_noop_1m_seconds`, under 0.3 s),
//!   and the encoded state per item (`sync_state_bytes_per_item`, under 200).

use std::alloc::System;
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use benches::ews_fixtures::{
    calendar_view_1000, create_item_calendar_100, get_item_100, sync_folder_items_512,
    sync_folder_items_512_one_category,
};
use benches::graph_fixtures::message_delta_page_1000;
use benches::raw_xml::{decode_all, event_count, meetings_of, write_create_item};
use benches::sync_fixtures::{build_state, config, delta_round, full_round};
use ews_types::operations::{
    FindItemResponse, GetItemResponse, OperationResponse, SyncFolderItemsResponse,
};
use ews_types::soap::{ExchangeVersion, RequestHeader, parse_response, request_envelope};
use sync_core::Timestamp;
use tracking_allocator::{AllocationGroupId, AllocationRegistry, AllocationTracker, Allocator};

#[global_allocator]
static GLOBAL: Allocator<System> = Allocator::system();

/// Bytes allocated and not yet freed since the counter was reset, and the most ever at once.
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct PeakCounter;

impl AllocationTracker for PeakCounter {
    fn allocated(&self, _: usize, object_size: usize, _: usize, _: AllocationGroupId) {
        let now = CURRENT.fetch_add(object_size, Ordering::Relaxed) + object_size;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }

    fn deallocated(
        &self,
        _: usize,
        object_size: usize,
        _: usize,
        _: AllocationGroupId,
        _: AllocationGroupId,
    ) {
        // Only blocks allocated while counting come back here (the allocator tags them).
        let _ = CURRENT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |c| {
            Some(c.saturating_sub(object_size))
        });
    }
}

/// The most heap `f` held at once, in bytes (what it returns counts: it is dropped afterwards).
fn peak_heap<R>(f: impl FnOnce() -> R) -> usize {
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    AllocationRegistry::enable_tracking();
    let result = f();
    AllocationRegistry::disable_tracking();
    drop(result);
    PEAK.load(Ordering::Relaxed)
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// Best of `runs` for each of two functions, interleaved.
fn best_of_both(runs: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (Duration, Duration) {
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        best_a = best_a.min(time(&mut a));
        best_b = best_b.min(time(&mut b));
    }
    (best_a, best_b)
}

fn figure(name: &str, value: f64, unit: &str) {
    let digits = if value >= 100.0 { 1 } else { 3 };
    println!("{name} {value:.digits$} {unit}");
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

fn mb_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

/// The EWS parse figures for one fixture: MB/s, the two quick-xml floors and the peak heap.
fn ews_parse<R: OperationResponse>(name: &str, bytes: &[u8], runs: usize) -> Result<(), String> {
    parse_response::<R>(bytes).map_err(|e| format!("{name}: the fixture does not parse: {e}"))?;
    decode_all(bytes).map_err(|e| format!("{name}: the fixture is not well-formed: {e}"))?;
    let parse = || drop(black_box(parse_response::<R>(black_box(bytes))));
    let (ours, raw) = best_of_both(runs, parse, || {
        drop(black_box(event_count(black_box(bytes))))
    });
    let (ours_again, decode) = best_of_both(runs, parse, || {
        drop(black_box(decode_all(black_box(bytes))))
    });
    let ours = ours.min(ours_again);
    let heap = peak_heap(|| parse_response::<R>(bytes));
    figure(&format!("{name}_bytes"), bytes.len() as f64, "bytes");
    figure(&format!("{name}_mb_s"), mb_s(bytes.len(), ours), "MB/s");
    figure(&format!("{name}_raw_mb_s"), mb_s(bytes.len(), raw), "MB/s");
    figure(&format!("{name}_vs_raw"), ratio(ours, raw), "ratio");
    figure(&format!("{name}_vs_decode"), ratio(ours, decode), "ratio");
    figure(
        &format!("{name}_decode_vs_raw"),
        ratio(decode, raw),
        "ratio",
    );
    figure(
        &format!("{name}_heap_vs_input"),
        heap as f64 / bytes.len() as f64,
        "ratio",
    );
    Ok(())
}

/// `ews-types` against the published `ews` crate on the one-category SyncFolderItems page.
fn ews_crate(runs: usize) -> Result<(), String> {
    use ews::soap::Envelope;
    use ews::sync_folder_items::SyncFolderItemsResponse as TheirResponse;
    let bytes = sync_folder_items_512_one_category();
    let theirs = Envelope::<TheirResponse>::from_xml_document(&bytes)
        .map_err(|e| format!("the ews crate cannot parse the one-category page: {e}"))?;
    drop(theirs);
    parse_response::<SyncFolderItemsResponse>(&bytes)
        .map_err(|e| format!("ews-types cannot parse the one-category page: {e}"))?;
    let (ours, theirs) = best_of_both(
        runs,
        || {
            drop(black_box(parse_response::<SyncFolderItemsResponse>(
                black_box(&bytes),
            )))
        },
        || {
            drop(black_box(Envelope::<TheirResponse>::from_xml_document(
                black_box(&bytes),
            )))
        },
    );
    figure("ews_parse_one_category_bytes", bytes.len() as f64, "bytes");
    figure("ews_crate_mb_s", mb_s(bytes.len(), theirs), "MB/s");
    figure("ews_parse_vs_ews_crate", ratio(ours, theirs), "ratio");
    Ok(())
}

/// Building a CreateItem with 100 meetings against quick-xml's raw writer making the same bytes.
fn ews_build(runs: usize) -> Result<(), String> {
    let request = create_item_calendar_100();
    let header = RequestHeader::new(ExchangeVersion::Exchange2013);
    let meetings = meetings_of(&request);
    let ours = request_envelope(&header, &request);
    if write_create_item(&meetings) != ours {
        return Err("the raw writer does not write the same bytes as ews-types".into());
    }
    let (build, raw) = best_of_both(
        runs,
        || {
            drop(black_box(request_envelope(
                black_box(&header),
                black_box(&request),
            )))
        },
        || drop(black_box(write_create_item(black_box(&meetings)))),
    );
    figure("ews_build_create_100_bytes", ours.len() as f64, "bytes");
    figure("ews_build_create_100_mb_s", mb_s(ours.len(), build), "MB/s");
    figure("ews_build_vs_raw", ratio(build, raw), "ratio");
    Ok(())
}

/// A 1,000-message Graph delta page against `serde_json::Value`.
fn graph_parse(runs: usize) -> Result<(), String> {
    use graph_client::delta::parse_delta_page;
    use graph_client::model::Message;
    let bytes = message_delta_page_1000();
    parse_delta_page::<Message>(&bytes).map_err(|e| format!("the delta page: {e}"))?;
    let (ours, value) = best_of_both(
        runs,
        || drop(black_box(parse_delta_page::<Message>(black_box(&bytes)))),
        || {
            drop(black_box(serde_json::from_slice::<serde_json::Value>(
                black_box(&bytes),
            )))
        },
    );
    figure("graph_parse_delta_1000_bytes", bytes.len() as f64, "bytes");
    figure(
        "graph_parse_delta_1000_mb_s",
        mb_s(bytes.len(), ours),
        "MB/s",
    );
    figure("graph_parse_delta_vs_value", ratio(ours, value), "ratio");
    Ok(())
}

/// sync-core at 1M linked emails: the state's size, a 1 %-changed delta round and a no-change full
/// enumeration (best of `runs`, each on a fresh copy of the state).
fn sync_plan(runs: usize) -> Result<(), String> {
    const ITEMS: usize = 1_000_000;
    let config = config();
    let (state, keys) = build_state(ITEMS, &config);
    figure(
        "sync_state_bytes_per_item",
        state.to_compact_bytes().len() as f64 / ITEMS as f64,
        "B",
    );
    let now = Timestamp(1_800_000_100_000);
    let best = |input: &sync_core::RoundInput| -> Result<Duration, String> {
        let mut best = Duration::MAX;
        for _ in 0..runs {
            let mut copy = state.clone();
            let start = Instant::now();
            let plan = copy.plan(input, &config, now).map_err(|e| e.to_string())?;
            best = best.min(start.elapsed());
            // Dropping the plan and the copy is not part of planning.
            drop(black_box(plan));
        }
        Ok(best)
    };
    let delta = best(&delta_round(ITEMS, &keys))?;
    figure("sync_plan_1m_seconds", delta.as_secs_f64(), "s");
    let noop = best(&full_round(ITEMS, &keys, false))?;
    figure("sync_noop_1m_seconds", noop.as_secs_f64(), "s");
    Ok(())
}

fn run(quick: bool) -> Result<(), String> {
    let (runs, sync_runs) = if quick { (8, 1) } else { (30, 3) };
    let sync_page = sync_folder_items_512();
    ews_parse::<SyncFolderItemsResponse>("ews_parse_sync_512", &sync_page, runs)?;
    ews_parse::<GetItemResponse>("ews_parse_getitem_100", &get_item_100(), runs)?;
    ews_parse::<FindItemResponse>("ews_parse_calendar_view_1000", &calendar_view_1000(), runs)?;
    // The headline heap figure is the sync page's, under a stable name.
    let heap = peak_heap(|| parse_response::<SyncFolderItemsResponse>(&sync_page));
    figure(
        "ews_parse_heap_vs_input",
        heap as f64 / sync_page.len() as f64,
        "ratio",
    );
    ews_crate(runs)?;
    ews_build(runs)?;
    graph_parse(runs)?;
    sync_plan(sync_runs)
}

fn main() -> ExitCode {
    let quick = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--quick") => true,
        Some(_) => {
            eprintln!("usage: ratios [--quick]");
            return ExitCode::from(2);
        }
    };
    if AllocationRegistry::set_global_tracker(PeakCounter).is_err() {
        eprintln!("the heap counter could not be installed");
        return ExitCode::FAILURE;
    }
    match run(quick) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
