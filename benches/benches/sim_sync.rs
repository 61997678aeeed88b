//! The simulator under load: 50 mailboxes of 10,000 messages each, and SyncFolderItems pages of 512
//! changes answered over loopback HTTP (parse the request, build the page from the change log, write the
//! response with ews-types, send it).
//!
//! - `first_page`: the first page of a folder's initial sync (512 creates, ids only);
//! - `middle_page`: a page resumed from a state halfway through the folder;
//! - `update_page`: 512 updated items after a complete sync (the page renders subjects and read flags).
//!
//! Before criterion runs, a report prints the seeding time and the median latency of each page.
//!
//! `cargo bench -p benches --bench sim_sync`

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine;
use criterion::{Criterion, criterion_group};
use ews_types::items::{Item, Message};
use ews_types::operations::{SyncFolderItems, SyncFolderItemsResponse};
use ews_types::soap::{ExchangeVersion, RequestHeader, parse_response, request_envelope};
use ews_types::types::{BaseShape, DistinguishedFolderName, ItemShape, PropertyPath};
use exchange_sim::Simulator;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const MAILBOXES: usize = 50;
const ITEMS: usize = 10_000;

fn address(n: usize) -> String {
    format!("user{n:03}@contoso.example")
}

/// A kept-alive HTTP/1.1 connection that POSTs SOAP.
struct Connection {
    stream: TcpStream,
    authority: String,
    authorization: String,
}

impl Connection {
    async fn open(base: &str, user: &str) -> Connection {
        let authority = base.trim_start_matches("http://").to_owned();
        let stream = TcpStream::connect(&authority).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let credentials = base64::engine::general_purpose::STANDARD.encode(format!("{user}:pw"));
        Connection {
            stream,
            authority,
            authorization: format!("Basic {credentials}"),
        }
    }

    async fn post(&mut self, body: &[u8]) -> Vec<u8> {
        let head = format!(
            "POST /EWS/Exchange.asmx HTTP/1.1\r\nhost: {}\r\ncontent-type: text/xml; charset=utf-8\r\n\
             authorization: {}\r\ncontent-length: {}\r\n\r\n",
            self.authority,
            self.authorization,
            body.len()
        );
        self.stream.write_all(head.as_bytes()).await.expect("write");
        self.stream.write_all(body).await.expect("write");
        let mut buffer = Vec::with_capacity(256 * 1024);
        let mut chunk = vec![0u8; 64 * 1024];
        let (head_end, length) = loop {
            let read = self.stream.read(&mut chunk).await.expect("read");
            assert!(read > 0, "the server closed the connection");
            buffer.extend_from_slice(&chunk[..read]);
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
                assert!(head.starts_with("http/1.1 200"), "{head}");
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .expect("content-length");
                break (end + 4, length);
            }
        };
        while buffer.len() < head_end + length {
            let read = self.stream.read(&mut chunk).await.expect("read");
            assert!(read > 0, "the server closed the connection");
            buffer.extend_from_slice(&chunk[..read]);
        }
        buffer.split_off(head_end)
    }
}

fn sync_request(state: Option<String>, with_properties: bool) -> Vec<u8> {
    let mut op = SyncFolderItems::new(DistinguishedFolderName::Inbox, state, 512);
    if with_properties {
        op.item_shape = ItemShape::new(BaseShape::IdOnly).with_properties([
            PropertyPath::field("item:Subject"),
            PropertyPath::field("message:IsRead"),
        ]);
    }
    request_envelope(&RequestHeader::new(ExchangeVersion::Exchange2013Sp1), &op)
}

/// The changes and next state of a sync response.
fn read(body: &[u8]) -> (usize, String) {
    let response = parse_response::<SyncFolderItemsResponse>(body)
        .expect("a sync response")
        .body;
    let message = response
        .into_results()
        .remove(0)
        .expect("a successful page");
    (
        message.changes.map_or(0, |c| c.len()),
        message.sync_state.expect("a state"),
    )
}

struct Setup {
    runtime: tokio::runtime::Runtime,
    _sim: Simulator,
    connection: std::cell::RefCell<Connection>,
    first: Vec<u8>,
    middle: Vec<u8>,
    updates: Vec<u8>,
}

fn setup() -> Setup {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let mut builder = Simulator::builder().seed(1);
    for n in 0..MAILBOXES {
        builder = builder.user(address(n), "pw");
    }
    let sim = runtime.block_on(builder.start()).expect("simulator");
    let started = Instant::now();
    {
        let mut store = sim.store();
        for n in 0..MAILBOXES {
            let inbox = store
                .folder_id(&address(n), DistinguishedFolderName::Inbox)
                .expect("inbox");
            for i in 0..ITEMS {
                let mut m = Message::default();
                m.item.subject = Some(format!("message {i} of mailbox {n}"));
                m.is_read = Some(i % 3 == 0);
                store
                    .create_item(&address(n), &inbox, Item::from(m))
                    .expect("seed");
            }
        }
    }
    println!(
        "seeded {MAILBOXES} mailboxes x {ITEMS} messages in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let user = address(MAILBOXES / 2);
    let mut connection = runtime.block_on(Connection::open(sim.base_url(), &user));
    let first = sync_request(None, false);
    // Walk to the middle of the folder, then to its end.
    let mut state = None;
    let mut middle = None;
    let mut seen = 0;
    loop {
        let (changes, next) =
            read(&runtime.block_on(connection.post(&sync_request(state.clone(), false))));
        seen += changes;
        state = Some(next);
        if middle.is_none() && seen >= ITEMS / 2 {
            middle = state.clone();
        }
        if changes == 0 {
            break;
        }
    }
    let complete = state.clone();
    {
        let mut store = sim.store();
        let inbox = store
            .folder_id(&user, DistinguishedFolderName::Inbox)
            .expect("inbox");
        let items = store.items(&user, &inbox).expect("items");
        for item in items.iter().take(600) {
            let id = item.id().expect("id").clone();
            store
                .update_item(&user, &id, |i| {
                    i.fields_mut().subject = Some("edited".into())
                })
                .expect("update");
        }
    }
    Setup {
        first,
        middle: sync_request(middle, false),
        updates: sync_request(complete, true),
        connection: std::cell::RefCell::new(connection),
        runtime,
        _sim: sim,
    }
}

fn median_latency(setup: &Setup, body: &[u8], expected: usize) -> Duration {
    let mut times = Vec::new();
    for _ in 0..41 {
        let started = Instant::now();
        let answer = setup
            .runtime
            .block_on(setup.connection.borrow_mut().post(body));
        times.push(started.elapsed());
        assert_eq!(read(&answer).0, expected);
    }
    times.sort();
    times[times.len() / 2]
}

fn bench(c: &mut Criterion) {
    let setup = setup();
    for (name, body) in [
        ("first_page", &setup.first),
        ("middle_page", &setup.middle),
        ("update_page", &setup.updates),
    ] {
        let median = median_latency(&setup, body, 512);
        let bytes = setup
            .runtime
            .block_on(setup.connection.borrow_mut().post(body))
            .len();
        println!(
            "{name}: 512 changes, {bytes} response bytes, median {:.2} ms over loopback",
            median.as_secs_f64() * 1e3
        );
    }
    let mut group = c.benchmark_group("sim_sync_folder_items");
    group.sample_size(30);
    for (name, body) in [
        ("first_page", &setup.first),
        ("middle_page", &setup.middle),
        ("update_page", &setup.updates),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    setup
                        .runtime
                        .block_on(setup.connection.borrow_mut().post(body)),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
