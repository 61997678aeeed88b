//! Microsoft Graph delta-page parsing: `graph-client`'s typed `parse_delta_page::<Message>` on a
//! 1,000-message page, against `serde_json::Value` parsing of the same bytes.

use std::hint::black_box;

use benches::graph_fixtures::message_delta_page_1000;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use graph_client::delta::parse_delta_page;
use graph_client::model::Message;

fn graph_parse(c: &mut Criterion) {
    let bytes = message_delta_page_1000();
    assert!(
        parse_delta_page::<Message>(&bytes).is_ok(),
        "the page must parse"
    );
    let mut group = c.benchmark_group("graph_parse_delta_1000");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("graph_client", |b| {
        b.iter(|| parse_delta_page::<Message>(black_box(&bytes)))
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)))
    });
    group.finish();
}

criterion_group!(benches, graph_parse);
criterion_main!(benches);
