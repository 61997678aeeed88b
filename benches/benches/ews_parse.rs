//! EWS response parsing throughput: `ews-types`' typed parse against a raw quick-xml event scan of the
//! same bytes (the floor for any parser built on quick-xml).
//!
//! Inputs (see `benches::ews_fixtures`): a 512-change SyncFolderItems page with full item shapes and a
//! 100-message GetItem response. Throughput is reported in bytes of XML per second; the ratio of the two
//! lines of a group is the cost of building typed values. `cargo run -p benches --release --bin
//! ews_parse_ratio` prints the ratios directly.

use std::hint::black_box;

use benches::ews_fixtures::{get_item_100, raw_event_count, sync_folder_items_512};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ews_types::operations::{GetItemResponse, OperationResponse, SyncFolderItemsResponse};
use ews_types::soap::parse_response;

fn bench_pair<R: OperationResponse>(c: &mut Criterion, group: &str, bytes: &[u8]) {
    assert!(
        parse_response::<R>(bytes).is_ok(),
        "{group}: the fixture must parse"
    );
    let mut group = c.benchmark_group(group);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("ews_types", |b| {
        b.iter(|| parse_response::<R>(black_box(bytes)))
    });
    group.bench_function("raw_quick_xml", |b| {
        b.iter(|| raw_event_count(black_box(bytes)))
    });
    group.finish();
}

fn ews_parse(c: &mut Criterion) {
    bench_pair::<SyncFolderItemsResponse>(c, "ews_parse_sync_512", &sync_folder_items_512());
    bench_pair::<GetItemResponse>(c, "ews_parse_getitem_100", &get_item_100());
}

criterion_group!(benches, ews_parse);
criterion_main!(benches);
