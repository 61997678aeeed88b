//! The GetStreamingEvents body decoder: envelopes come out whole, in order and as soon as their last
//! byte arrives, however the transport cuts the stream; garbage, oversized envelopes and cut-off
//! streams are typed errors.
//!
//! The stream under test is built from Microsoft's GetStreamingEvents response samples. All of them
//! are broken as published (one is cut off, one lacks its envelope, one never closes a message), so
//! each is repaired in the one stated way before use, and an envelope in the form Exchange sends on
//! the wire (default-namespace `Envelope`, `soap11:` header and body, no XML declaration) is added.

// Only `corpus` is used here; the TSV reader serves the other corpus tests.
#[allow(dead_code)]
mod common;

use ews_types::Error;
use ews_types::operations::{ConnectionStatus, NotificationEvent};
use ews_types::response::{ResponseClass, ResponseCode};
use ews_types::streaming::{StreamedResponse, StreamingEventsDecoder};
use ews_types::xml::ParseLimits;
use proptest::prelude::*;

const KEEP_ALIVE: &str = concat!(
    r#"<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/">"#,
    r#"<soap11:Header xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/">"#,
    r#"<ServerVersionInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" MajorVersion="15" MinorVersion="1" "#,
    r#"MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11" "#,
    r#"xmlns="http://schemas.microsoft.com/exchange/services/2006/types" /></soap11:Header>"#,
    r#"<soap11:Body xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/">"#,
    r#"<m:GetStreamingEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" "#,
    r#"xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>"#,
    r#"<m:GetStreamingEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>"#,
    r#"<m:ConnectionStatus>OK</m:ConnectionStatus></m:GetStreamingEventsResponseMessage>"#,
    r#"</m:ResponseMessages></m:GetStreamingEventsResponse></soap11:Body></Envelope>"#,
);

const FAULT: &str = concat!(
    r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>"#,
    r#"<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>"#,
    r#"<faultstring xml:lang="en-US">The server cannot service this request right now.</faultstring>"#,
    r#"<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>"#,
    r#"</detail></s:Fault></s:Body></s:Envelope>"#,
);

/// The body of a stream and the offset just past each envelope's last byte.
struct Stream {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Stream {
    fn new(envelopes: &[String], separators: &[&str]) -> Stream {
        let mut bytes = Vec::new();
        let mut ends = Vec::new();
        for (i, envelope) in envelopes.iter().enumerate() {
            bytes.extend_from_slice(separators[i % separators.len()].as_bytes());
            bytes.extend_from_slice(envelope.trim_end().as_bytes());
            ends.push(bytes.len());
        }
        Stream { bytes, ends }
    }
}

const SEPARATORS: [&str; 4] = ["", "\r\n", "", "\n\t  "];

/// The repaired documentation samples, with envelopes as Exchange sends them in between.
fn corpus_stream() -> Option<Stream> {
    Some(Stream::new(&corpus_envelopes()?, &SEPARATORS))
}

/// The repaired documentation samples, with envelopes as Exchange sends them in between.
fn corpus_envelopes() -> Option<Vec<String>> {
    let dir = common::corpus()?.join("ews-docs");
    let read = |file: &str| std::fs::read_to_string(dir.join(file)).unwrap();
    // Cut off after its body: close the envelope.
    let cut_off = read("how-to-stream-notifications-about-mailbox-events-by-using-ews-in-exchange__4__response.xml")
        .trim_end()
        .to_owned()
        + "\n</s:Envelope>";
    // Header and body without the envelope around them: put one around them.
    let bare = read("getstreamingevents-operation__2__unknown.xml");
    let (declaration, rest) = bare.split_at(bare.find("?>").unwrap() + 2);
    let wrapped = format!(
        "{declaration}<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">{rest}</soap:Envelope>"
    );
    // The error message is never closed: close it.
    let unclosed = read("getstreamingevents-operation__3__response.xml").replace(
        "</m:ResponseMessages>",
        "</m:GetStreamingEventsResponseMessage></m:ResponseMessages>",
    );
    Some(vec![
        cut_off,
        KEEP_ALIVE.to_owned(),
        wrapped,
        KEEP_ALIVE.to_owned(),
        unclosed,
    ])
}

/// Decodes `stream` pushed in pieces of the given sizes (cycled), checking on the way that every
/// envelope is handed out as soon as its last byte is in and no sooner.
fn decode(stream: &Stream, sizes: &[usize]) -> Vec<StreamedResponse> {
    let mut decoder = StreamingEventsDecoder::new();
    let mut out = Vec::new();
    let mut at = 0;
    for size in sizes.iter().cycle() {
        if at >= stream.bytes.len() {
            break;
        }
        let end = (at + size.max(&1)).min(stream.bytes.len());
        decoder.push(&stream.bytes[at..end]).unwrap();
        at = end;
        while let Some(response) = decoder.poll_response() {
            out.push(response);
        }
        let complete = stream.ends.iter().filter(|&&e| e <= at).count();
        assert_eq!(out.len(), complete, "after {at} bytes");
    }
    decoder.finish().unwrap();
    assert_eq!(decoder.buffered_bytes(), 0);
    out
}

#[test]
fn the_documentation_stream_decodes_into_its_envelopes() {
    let Some(stream) = corpus_stream() else {
        return;
    };
    let responses = decode(&stream, &[stream.bytes.len()]);
    assert_eq!(responses.len(), 5);
    let message = |i: usize| responses[i].as_ref().unwrap().body.messages[0].clone();

    let first = message(0).into_result().unwrap();
    let notification = &first.notifications.as_ref().unwrap()[0];
    let names: Vec<&str> = notification.events.iter().map(|e| e.name()).collect();
    assert_eq!(names, ["CreatedEvent", "NewMailEvent", "ModifiedEvent"]);
    assert!(
        matches!(&notification.events[2], NotificationEvent::Modified(m) if m.unread_count == Some(1))
    );
    // Streaming events carry no watermarks.
    assert_eq!(notification.resume_watermark(), None);

    let keep_alive = message(1).into_result().unwrap();
    assert_eq!(keep_alive.connection_status, Some(ConnectionStatus::Ok));
    assert!(keep_alive.notifications.is_none());
    let version = responses[1]
        .as_ref()
        .unwrap()
        .server_version
        .clone()
        .unwrap();
    assert_eq!(version.product_name(), Some("Exchange 2016"));

    let third = message(2).into_result().unwrap();
    assert_eq!(
        third.notifications.unwrap()[0].subscription_id.as_str(),
        "f6bc657d-dde1-4f94-952d-143b95d6483d"
    );

    let last = message(4);
    assert_eq!(last.class(), ResponseClass::Error);
    assert_eq!(last.code, Some(ResponseCode::ErrorInvalidSubscription));
    assert!(last.body.is_closed());
}

#[test]
fn each_documentation_envelope_cut_at_every_byte_decodes_the_same() {
    let Some(envelopes) = corpus_envelopes() else {
        return;
    };
    let mut cuts = 0;
    for (i, envelope) in envelopes.iter().enumerate() {
        let single = Stream::new(std::slice::from_ref(envelope), &[SEPARATORS[i % 4]]);
        let len = single.bytes.len();
        let whole = decode(&single, &[len]);
        assert_eq!(whole.len(), 1);
        for cut in 1..len {
            assert_eq!(
                decode(&single, &[cut, len]),
                whole,
                "envelope {i} cut at byte {cut}"
            );
            cuts += 1;
        }
    }
    assert!(cuts > 5000, "only {cuts} cuts");
}

#[test]
fn the_documentation_stream_fed_one_byte_at_a_time_decodes_the_same() {
    let Some(stream) = corpus_stream() else {
        return;
    };
    assert_eq!(
        decode(&stream, &[1]),
        decode(&stream, &[stream.bytes.len()])
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_chunking_of_the_documentation_stream_gives_the_same_envelopes(
        sizes in proptest::collection::vec(1usize..700, 1..40),
    ) {
        let Some(stream) = corpus_stream() else { return Ok(()) };
        let whole = decode(&stream, &[stream.bytes.len()]);
        prop_assert_eq!(decode(&stream, &sizes), whole);
    }
}

#[test]
fn garbage_between_envelopes_is_a_sticky_typed_error_with_its_offset() {
    let mut decoder = StreamingEventsDecoder::new();
    let stream = format!("{KEEP_ALIVE}\n0\r\n\r\n{KEEP_ALIVE}");
    let error = decoder.push(stream.as_bytes()).unwrap_err();
    match &error {
        Error::StreamGarbage { offset, excerpt } => {
            assert_eq!(*offset, KEEP_ALIVE.len() as u64 + 1);
            assert!(excerpt.starts_with("0\r\n"), "{excerpt:?}");
        }
        other => panic!("{other:?}"),
    }
    // The envelope before the garbage was complete and is still handed out.
    assert!(decoder.poll_response().unwrap().is_ok());
    assert!(decoder.poll_response().is_none());
    assert_eq!(decoder.push(KEEP_ALIVE.as_bytes()), Err(error.clone()));
    assert_eq!(decoder.finish(), Err(error));
}

#[test]
fn http_headers_fed_as_body_are_garbage_at_offset_zero() {
    let mut decoder = StreamingEventsDecoder::new();
    let error = decoder.push(b"HTTP/1.1 200 OK\r\n\r\n").unwrap_err();
    assert!(
        matches!(error, Error::StreamGarbage { offset: 0, .. }),
        "{error}"
    );
}

#[test]
fn an_unfinished_envelope_beyond_the_buffer_limit_is_refused() {
    let limit = KEEP_ALIVE.len() + 10;
    // Envelopes below the limit pass, however many of them.
    let mut decoder = StreamingEventsDecoder::with_limits(limit, ParseLimits::default());
    for _ in 0..20 {
        decoder.push(KEEP_ALIVE.as_bytes()).unwrap();
        assert!(decoder.poll_response().unwrap().is_ok());
    }
    // One larger than the limit fails once it has buffered more than the limit, whatever the chunks.
    let large = KEEP_ALIVE.replace(
        "<m:ConnectionStatus>",
        &format!("<!--{}--><m:ConnectionStatus>", " ".repeat(64)),
    );
    let mut decoder = StreamingEventsDecoder::with_limits(limit, ParseLimits::default());
    let mut error = None;
    for (i, chunk) in large.as_bytes().chunks(7).enumerate() {
        if let Err(e) = decoder.push(chunk) {
            assert!(
                (i + 1) * 7 > limit,
                "failed after only {} bytes",
                (i + 1) * 7
            );
            error = Some(e);
            break;
        }
        assert!(decoder.buffered_bytes() <= limit);
    }
    assert_eq!(error, Some(Error::StreamBufferFull { limit }));
}

#[test]
fn a_stream_that_ends_inside_an_envelope_is_truncated() {
    let mut decoder = StreamingEventsDecoder::new();
    let bytes = KEEP_ALIVE.as_bytes();
    decoder.push(&bytes[..bytes.len() - 1]).unwrap();
    assert!(decoder.poll_response().is_none());
    assert!(decoder.buffered_bytes() > 0);
    assert!(matches!(decoder.finish(), Err(Error::Truncated { .. })));
}

#[test]
fn a_fault_in_the_stream_is_an_error_item_and_decoding_goes_on() {
    let mut decoder = StreamingEventsDecoder::new();
    decoder
        .push(format!("{FAULT}{KEEP_ALIVE}").as_bytes())
        .unwrap();
    let fault = decoder.poll_response().unwrap().unwrap_err();
    assert_eq!(fault.response_code(), Some(&ResponseCode::ErrorServerBusy));
    assert!(decoder.poll_response().unwrap().is_ok());
    assert!(decoder.finish().is_ok());
}

#[test]
fn a_dtd_between_envelopes_is_refused() {
    let mut decoder = StreamingEventsDecoder::new();
    let stream = format!("{KEEP_ALIVE}<!DOCTYPE Envelope [<!ENTITY a \"b\">]>{KEEP_ALIVE}");
    assert_eq!(decoder.push(stream.as_bytes()), Err(Error::DtdNotAllowed));
}

#[test]
fn a_byte_order_mark_and_declarations_before_envelopes_are_accepted() {
    let stream = format!(
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{KEEP_ALIVE}<?xml version=\"1.0\"?>{KEEP_ALIVE}"
    );
    let mut decoder = StreamingEventsDecoder::new();
    decoder.push(stream.as_bytes()).unwrap();
    assert!(decoder.poll_response().unwrap().is_ok());
    assert!(decoder.poll_response().unwrap().is_ok());
    assert!(decoder.finish().is_ok());
}
