//! Decodes the body of a GetStreamingEvents response (several SOAP envelopes one after another) with
//! `ews_types::streaming::StreamingEventsDecoder`, feeding it in chunks as a transport would, and prints
//! one tab-separated line per envelope.
//!
//! ```sh
//! cargo run --example decode_stream -- examples/data/get_streaming_events_body.xml     # 1 KiB chunks
//! cargo run --example decode_stream -- examples/data/get_streaming_events_body.xml 7   # same output
//! ```
//!
//! For each envelope it prints its number, then either `ok`, the message classes, the number of
//! notifications and events, and the connection status; or `error` and the message. A framing error (garbage
//! between envelopes, an envelope cut off at the end) ends the run with exit code 1.

use std::process::ExitCode;

use ews_types::streaming::{StreamedResponse, StreamingEventsDecoder};

fn describe(n: usize, response: StreamedResponse) -> String {
    let envelope = match response {
        Ok(envelope) => envelope,
        Err(e) => return format!("{n}\terror\t{e}"),
    };
    let messages = &envelope.body.messages;
    let classes: Vec<&str> = messages
        .iter()
        .map(|m| m.class.as_ref().map_or("", |c| c.as_str()))
        .collect();
    let notifications: Vec<_> = messages
        .iter()
        .flat_map(|m| m.body.notifications.iter().flatten())
        .collect();
    let events: usize = notifications.iter().map(|n| n.events.len()).sum();
    let status: Vec<&str> = messages
        .iter()
        .filter_map(|m| m.body.connection_status.as_ref().map(|s| s.as_str()))
        .collect();
    format!(
        "{n}\tok\t{}\t{}\t{events}\t{}",
        classes.join(","),
        notifications.len(),
        status.join(",")
    )
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: cargo run --example decode_stream -- FILE [CHUNK_BYTES]");
        return ExitCode::from(2);
    };
    let chunk = args
        .next()
        .and_then(|a| a.parse::<usize>().ok())
        .unwrap_or(1024)
        .max(1);
    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut decoder = StreamingEventsDecoder::new();
    let mut n = 0;
    for piece in body.chunks(chunk) {
        let pushed = decoder.push(piece);
        while let Some(response) = decoder.poll_response() {
            n += 1;
            println!("{}", describe(n, response));
        }
        if let Err(e) = pushed {
            eprintln!("stream error: {e}");
            return ExitCode::from(1);
        }
    }
    if let Err(e) = decoder.finish() {
        eprintln!("stream error: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
