//! EWS response parsing throughput: `ews-types`' typed parse against a raw quick-xml event scan of the
//! same bytes (the floor for any parser built on quick-xml), and against the published `ews` crate.
//!
//! Inputs (see `benches::ews_fixtures`): a 512-change SyncFolderItems page with full item shapes, a
//! 100-message GetItem response and a 1,000-event CalendarView FindItem response. The `ews` crate refuses
//! items with two or more categories, so its group uses the one-category variant of the sync page.
//! Throughput is reported in bytes of XML per second. `cargo run -p benches --release --bin ratios`
//! prints the ratios directly.

use std::hint::black_box;

use benches::ews_fixtures::{
    calendar_view_1000, get_item_100, sync_folder_items_512, sync_folder_items_512_one_category,
};
use benches::raw_xml::event_count;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ews_types::operations::{
    FindItemResponse, GetItemResponse, OperationResponse, SyncFolderItemsResponse,
};
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
        b.iter(|| event_count(black_box(bytes)))
    });
    group.finish();
}

fn versus_ews_crate(c: &mut Criterion) {
    use ews::soap::Envelope;
    use ews::sync_folder_items::SyncFolderItemsResponse as TheirResponse;
    let bytes = sync_folder_items_512_one_category();
    assert!(
        Envelope::<TheirResponse>::from_xml_document(&bytes).is_ok(),
        "the ews crate must parse the one-category page"
    );
    let mut group = c.benchmark_group("ews_parse_sync_512_one_category");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("ews_types", |b| {
        b.iter(|| parse_response::<SyncFolderItemsResponse>(black_box(&bytes)))
    });
    group.bench_function("ews_crate", |b| {
        b.iter(|| Envelope::<TheirResponse>::from_xml_document(black_box(&bytes)))
    });
    group.finish();
}

fn ews_parse(c: &mut Criterion) {
    bench_pair::<SyncFolderItemsResponse>(c, "ews_parse_sync_512", &sync_folder_items_512());
    bench_pair::<GetItemResponse>(c, "ews_parse_getitem_100", &get_item_100());
    bench_pair::<FindItemResponse>(c, "ews_parse_calendar_view_1000", &calendar_view_1000());
    versus_ews_crate(c);
}

criterion_group!(benches, ews_parse);
criterion_main!(benches);
