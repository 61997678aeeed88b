//! EWS request building: a CreateItem with 100 calendar items written by `ews-types`, against
//! quick-xml's raw `Writer` producing the same bytes (`benches::raw_xml::write_create_item`).

use std::hint::black_box;

use benches::ews_fixtures::create_item_calendar_100;
use benches::raw_xml::{meetings_of, write_create_item};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ews_types::soap::{ExchangeVersion, RequestHeader, request_envelope};

fn ews_build(c: &mut Criterion) {
    let request = create_item_calendar_100();
    let header = RequestHeader::new(ExchangeVersion::Exchange2013);
    let meetings = meetings_of(&request);
    let bytes = request_envelope(&header, &request);
    assert_eq!(
        write_create_item(&meetings),
        bytes,
        "both writers must agree"
    );
    let mut group = c.benchmark_group("ews_build_create_item_100");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("ews_types", |b| {
        b.iter(|| request_envelope(black_box(&header), black_box(&request)))
    });
    group.bench_function("raw_quick_xml_writer", |b| {
        b.iter(|| write_create_item(black_box(&meetings)))
    });
    group.finish();
}

criterion_group!(benches, ews_build);
criterion_main!(benches);
