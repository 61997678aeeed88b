//! Times `ews-types`' typed parse and a raw quick-xml event scan of the same EWS responses in one
//! process, interleaved, best of N runs each, and prints one figure per line:
//!
//! ```text
//! ews_parse_sync_512_bytes 1234567 bytes
//! ews_parse_sync_512_mb_s 85.0 MB/s
//! ews_parse_sync_512_raw_mb_s 160.0 MB/s
//! ews_parse_sync_512_vs_raw 1.9 ratio
//! ```
//!
//! Run it optimized: `cargo run -p benches --release --bin ews_parse_ratio [runs]` (default 30 runs).
//! MB is 10^6 bytes.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use benches::ews_fixtures::{get_item_100, raw_event_count, sync_folder_items_512};
use ews_types::operations::{GetItemResponse, OperationResponse, SyncFolderItemsResponse};
use ews_types::soap::parse_response;

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn measure<R: OperationResponse>(name: &str, bytes: &[u8], runs: usize) -> Result<(), String> {
    parse_response::<R>(bytes).map_err(|e| format!("{name}: the fixture does not parse: {e}"))?;
    raw_event_count(bytes).map_err(|e| format!("{name}: the fixture is not well-formed: {e}"))?;
    let (mut ours, mut raw) = (Duration::MAX, Duration::MAX);
    for _ in 0..runs {
        ours = ours.min(time(|| {
            drop(black_box(parse_response::<R>(black_box(bytes))))
        }));
        raw = raw.min(time(|| drop(black_box(raw_event_count(black_box(bytes))))));
    }
    let mb_s = |d: Duration| bytes.len() as f64 / d.as_secs_f64() / 1e6;
    println!("{name}_bytes {} bytes", bytes.len());
    println!("{name}_mb_s {:.1} MB/s", mb_s(ours));
    println!("{name}_raw_mb_s {:.1} MB/s", mb_s(raw));
    println!(
        "{name}_vs_raw {:.2} ratio",
        ours.as_secs_f64() / raw.as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let runs = match std::env::args().nth(1).map(|a| a.parse::<usize>()) {
        None => 30,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: ews_parse_ratio [runs]   (runs > 0, default 30)");
            return ExitCode::from(2);
        }
    };
    let outcome =
        measure::<SyncFolderItemsResponse>("ews_parse_sync_512", &sync_folder_items_512(), runs)
            .and_then(|()| {
                measure::<GetItemResponse>("ews_parse_getitem_100", &get_item_100(), runs)
            });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
