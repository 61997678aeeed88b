//! The sample streaming body of `decode_stream` decodes into its three envelopes whatever the chunking.

use ews_types::operations::ConnectionStatus;
use ews_types::streaming::StreamingEventsDecoder;

const BODY: &[u8] = include_bytes!("../data/get_streaming_events_body.xml");

fn statuses(chunk: usize) -> Vec<(usize, Option<ConnectionStatus>)> {
    let mut decoder = StreamingEventsDecoder::new();
    let mut out = Vec::new();
    for piece in BODY.chunks(chunk) {
        decoder.push(piece).unwrap();
        while let Some(envelope) = decoder.poll_response() {
            let message = envelope
                .unwrap()
                .body
                .messages
                .remove(0)
                .into_result()
                .unwrap();
            let events = message
                .notifications
                .iter()
                .flatten()
                .map(|n| n.events.len())
                .sum();
            out.push((events, message.connection_status));
        }
    }
    decoder.finish().unwrap();
    out
}

#[test]
fn the_sample_stream_holds_events_a_keep_alive_and_the_close() {
    let expected = vec![
        (2, None),
        (0, Some(ConnectionStatus::Ok)),
        (0, Some(ConnectionStatus::Closed)),
    ];
    for chunk in [1, 7, 1024, BODY.len()] {
        assert_eq!(statuses(chunk), expected, "chunks of {chunk} bytes");
    }
}
