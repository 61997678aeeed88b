//! Decoding the body of a GetStreamingEvents response as it arrives.
//!
//! Exchange answers GetStreamingEvents with one long, chunked HTTP response that carries several
//! complete SOAP envelopes one after another (notifications, keep-alives with `ConnectionStatus` `OK`,
//! and a last one with `Closed`), with nothing between them but, at most, whitespace. Chunk boundaries
//! fall anywhere, even inside a tag. [`StreamingEventsDecoder`] takes the body in whatever pieces the
//! transport delivers and hands out each envelope's parsed response as soon as its last byte is in. It
//! never reads a socket and never waits.
//!
//! ```text
//!   body chunks ──push──▶ StreamingEventsDecoder ──poll_response──▶ one parsed envelope at a time
//! ```
//!
//! * Framing errors are fatal and sticky: content between envelopes that is not whitespace
//!   ([`Error::StreamGarbage`](crate::Error::StreamGarbage)), an unfinished envelope larger than the
//!   buffer limit ([`Error::StreamBufferFull`](crate::Error::StreamBufferFull)), a DTD, or a stream that ends inside an envelope ([`finish`]).
//!   Every later call returns the same error; drop the connection and reconnect.
//! * An envelope that is framed correctly but does not parse (a SOAP fault, an unexpected element) is
//!   an `Err` item from [`poll_response`]; the envelopes after it are still decoded.
//!
//! [`finish`]: StreamingEventsDecoder::finish
//! [`poll_response`]: StreamingEventsDecoder::poll_response
//!
//! # Example
//!
//! ```
//! use ews_types::streaming::StreamingEventsDecoder;
//!
//! let keep_alive = r#"<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>
//!   <m:GetStreamingEventsResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">
//!   <m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass="Success">
//!   <m:ResponseCode>NoError</m:ResponseCode><m:ConnectionStatus>OK</m:ConnectionStatus>
//!   </m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse>
//!   </Body></Envelope>"#;
//! let closed = keep_alive.replace(">OK<", ">Closed<");
//! let body = format!("{keep_alive}\r\n{closed}");
//!
//! let mut decoder = StreamingEventsDecoder::new();
//! let mut closed_seen = false;
//! for chunk in body.as_bytes().chunks(100) {
//!     decoder.push(chunk)?;
//!     while let Some(envelope) = decoder.poll_response() {
//!         for message in envelope?.body.messages {
//!             let message = message.into_result().expect("a successful message");
//!             closed_seen |= message.is_closed();
//!         }
//!     }
//! }
//! decoder.finish()?;
//! assert!(closed_seen);
//! # Ok::<(), ews_types::Error>(())
//! ```

mod framing;

use std::collections::VecDeque;

use crate::error::Result;
use crate::operations::GetStreamingEventsResponse;
use crate::soap::{ResponseEnvelope, parse_response_with_limits};
use crate::xml::ParseLimits;

use framing::DocumentSplitter;

/// The default limit on the bytes of one unfinished envelope: 16 MiB, far above any notification
/// envelope (notifications carry ids, not item content).
pub const DEFAULT_MAX_BUFFERED_BYTES: usize = 16 * 1024 * 1024;

/// One decoded envelope of the stream: the parsed response, or why that envelope did not parse.
pub type StreamedResponse = Result<ResponseEnvelope<GetStreamingEventsResponse>>;

/// A sans-IO decoder for the body of a GetStreamingEvents response (see the [module docs](self)).
///
/// Call [`push`](Self::push) with each piece of the body, drain [`poll_response`](Self::poll_response)
/// until `None`, and call [`finish`](Self::finish) when the body ends.
#[derive(Debug)]
pub struct StreamingEventsDecoder {
    splitter: DocumentSplitter,
    limits: ParseLimits,
    ready: VecDeque<StreamedResponse>,
}

impl Default for StreamingEventsDecoder {
    fn default() -> Self {
        StreamingEventsDecoder::new()
    }
}

impl StreamingEventsDecoder {
    /// A decoder with the default limits ([`DEFAULT_MAX_BUFFERED_BYTES`], [`ParseLimits::default`]).
    pub fn new() -> Self {
        StreamingEventsDecoder::with_limits(DEFAULT_MAX_BUFFERED_BYTES, ParseLimits::default())
    }

    /// A decoder that refuses an unfinished envelope larger than `max_buffered_bytes` and parses each
    /// envelope with `limits`.
    pub fn with_limits(max_buffered_bytes: usize, limits: ParseLimits) -> Self {
        StreamingEventsDecoder {
            splitter: DocumentSplitter::new(max_buffered_bytes),
            limits,
            ready: VecDeque::new(),
        }
    }

    /// Takes the next piece of the body, of any size, cut anywhere. Envelopes it completes are parsed
    /// and wait in [`poll_response`](Self::poll_response).
    ///
    /// A framing error is returned here, and by every later call.
    pub fn push(&mut self, bytes: &[u8]) -> Result<()> {
        let limits = self.limits;
        let ready = &mut self.ready;
        self.splitter.push(bytes, |envelope| {
            ready.push_back(parse_response_with_limits(envelope, limits));
        })
    }

    /// The next complete envelope, in stream order; `None` until more bytes complete one.
    #[must_use]
    pub fn poll_response(&mut self) -> Option<StreamedResponse> {
        self.ready.pop_front()
    }

    /// Declares the end of the body: an error if it ended inside an envelope. Envelopes already
    /// complete stay available from [`poll_response`](Self::poll_response).
    pub fn finish(&mut self) -> Result<()> {
        self.splitter.finish()
    }

    /// The bytes of the unfinished envelope held so far.
    pub fn buffered_bytes(&self) -> usize {
        self.splitter.buffered()
    }
}
