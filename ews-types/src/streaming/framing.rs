//! Finding where each XML document of a byte stream ends, one byte at a time and once per byte.
//!
//! The splitter only tracks what framing needs: tags, quoted attribute values, comments, CDATA,
//! processing instructions and the element depth. Whether a document is well-formed is the parser's
//! business once the document is complete.

use crate::error::{Error, Result};

/// Where the scanner is in the XML syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between markup: text inside a document, whitespace between documents.
    Content,
    /// Just after `<`.
    TagOpen,
    /// Inside a start tag; `slash` when the last byte outside quotes was `/`.
    StartTag { quote: Option<u8>, slash: bool },
    /// Inside an end tag.
    EndTag,
    /// Inside `<?...?>`; `question` when the last byte was `?`.
    Pi { question: bool },
    /// Just after `<!`, or `<!-` when `dash`.
    Bang { dash: bool },
    /// Inside `<!--...-->`, with the number of `-` just seen (at most 2).
    Comment { dashes: u8 },
    /// Inside `<![CDATA[...]]>`, with the number of `]` just seen (at most 2).
    CData { brackets: u8 },
}

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Cuts a stream of concatenated XML documents into complete documents.
#[derive(Debug)]
pub(crate) struct DocumentSplitter {
    /// Bytes received and not yet handed out (the unfinished document, at most).
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// Index in `buf` of the next byte to scan; every byte before it has been scanned once.
    pos: usize,
    /// Index in `buf` where the unfinished document starts, once its first `<` has been seen.
    doc_start: Option<usize>,
    state: State,
    depth: usize,
    max_buffered: usize,
    /// The first error; every later call returns it again.
    failed: Option<Error>,
    /// How many bytes were scanned in all (each byte of the stream exactly once).
    #[cfg(test)]
    scanned: u64,
}

impl DocumentSplitter {
    /// A splitter that refuses an unfinished document longer than `max_buffered` bytes.
    pub(crate) fn new(max_buffered: usize) -> Self {
        DocumentSplitter {
            buf: Vec::new(),
            base: 0,
            pos: 0,
            doc_start: None,
            state: State::Content,
            depth: 0,
            max_buffered,
            failed: None,
            #[cfg(test)]
            scanned: 0,
        }
    }

    /// How many bytes of an unfinished document are held.
    pub(crate) fn buffered(&self) -> usize {
        self.doc_start
            .map_or(0, |start| self.buf.len().saturating_sub(start))
    }

    /// Takes `bytes` and hands every document they complete to `on_document`, in order.
    pub(crate) fn push(&mut self, bytes: &[u8], on_document: impl FnMut(&[u8])) -> Result<()> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        self.buf.extend_from_slice(bytes);
        match self.scan(on_document) {
            Ok(()) => {
                self.compact();
                Ok(())
            }
            Err(error) => {
                self.failed = Some(error.clone());
                self.buf = Vec::new();
                self.doc_start = None;
                Err(error)
            }
        }
    }

    /// Says whether the stream ended cleanly (between documents).
    pub(crate) fn finish(&mut self) -> Result<()> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.doc_start.is_some() || self.state != State::Content {
            let error = Error::Truncated {
                element: "Envelope".into(),
            };
            self.failed = Some(error.clone());
            return Err(error);
        }
        Ok(())
    }

    fn scan(&mut self, mut on_document: impl FnMut(&[u8])) -> Result<()> {
        while let Some(&byte) = self.buf.get(self.pos) {
            #[cfg(test)]
            {
                self.scanned += 1;
            }
            let ended = self.step(byte)?;
            if ended {
                if let Some(document) = self
                    .doc_start
                    .take()
                    .and_then(|start| self.buf.get(start..=self.pos))
                {
                    on_document(document);
                }
            }
            self.pos += 1;
            if self.buffered() > self.max_buffered {
                return Err(Error::StreamBufferFull {
                    limit: self.max_buffered,
                });
            }
        }
        Ok(())
    }

    /// Drops what has been handed out, keeping only the unfinished document. Each byte is moved at
    /// most once per push that brought it, so the total work stays linear in the stream.
    fn compact(&mut self) {
        let cut = self.doc_start.unwrap_or(self.pos).min(self.buf.len());
        if cut == 0 {
            return;
        }
        self.buf.drain(..cut);
        self.base += cut as u64;
        self.pos -= cut;
        self.doc_start = self.doc_start.map(|start| start - cut);
    }

    fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    fn garbage(&self) -> Error {
        let end = self.buf.len().min(self.pos + 40);
        let excerpt = self.buf.get(self.pos..end).unwrap_or_default();
        Error::StreamGarbage {
            offset: self.offset(),
            excerpt: String::from_utf8_lossy(excerpt).into_owned(),
        }
    }

    fn malformed(&self, message: &str) -> Error {
        Error::Malformed {
            position: self.offset(),
            message: message.to_owned(),
        }
    }

    /// Scans one byte; `true` when it ends a document (the root element's end).
    fn step(&mut self, byte: u8) -> Result<bool> {
        let between = self.depth == 0;
        self.state = match self.state {
            State::Content if byte == b'<' => {
                if between && self.doc_start.is_none() {
                    self.doc_start = Some(self.pos);
                }
                State::TagOpen
            }
            State::Content => {
                let at_bom = usize::try_from(self.offset())
                    .ok()
                    .and_then(|i| BOM.get(i))
                    .is_some_and(|&b| b == byte);
                if between && !byte.is_ascii_whitespace() && !at_bom {
                    return Err(self.garbage());
                }
                State::Content
            }
            State::TagOpen => match byte {
                b'/' => State::EndTag,
                b'?' => State::Pi { question: false },
                b'!' => State::Bang { dash: false },
                b'>' | b'<' => return Err(self.malformed("a tag without a name")),
                _ if byte.is_ascii_whitespace() => {
                    return Err(self.malformed("a tag without a name"));
                }
                _ => State::StartTag {
                    quote: None,
                    slash: false,
                },
            },
            State::StartTag {
                quote: Some(quote), ..
            } => State::StartTag {
                quote: (byte != quote).then_some(quote),
                slash: false,
            },
            State::StartTag { quote: None, slash } => match byte {
                b'"' | b'\'' => State::StartTag {
                    quote: Some(byte),
                    slash: false,
                },
                b'>' if slash => {
                    self.state = State::Content;
                    return Ok(between);
                }
                b'>' => {
                    self.depth += 1;
                    State::Content
                }
                _ => State::StartTag {
                    quote: None,
                    slash: byte == b'/',
                },
            },
            State::EndTag if byte == b'>' => {
                let Some(depth) = self.depth.checked_sub(1) else {
                    return Err(self.malformed("an end tag without a start tag"));
                };
                self.depth = depth;
                self.state = State::Content;
                return Ok(depth == 0);
            }
            State::EndTag => State::EndTag,
            State::Pi { question: true } if byte == b'>' => State::Content,
            State::Pi { .. } => State::Pi {
                question: byte == b'?',
            },
            State::Bang { dash: false } => match byte {
                b'-' => State::Bang { dash: true },
                b'[' if between => return Err(self.malformed("CDATA outside an element")),
                b'[' => State::CData { brackets: 0 },
                _ => return Err(Error::DtdNotAllowed),
            },
            State::Bang { dash: true } if byte == b'-' => State::Comment { dashes: 0 },
            State::Bang { dash: true } => {
                return Err(self.malformed("'<!-' that starts no comment"));
            }
            State::Comment { dashes: 2.. } if byte == b'>' => State::Content,
            State::Comment { dashes } => State::Comment {
                dashes: if byte == b'-' { (dashes + 1).min(2) } else { 0 },
            },
            State::CData { brackets: 2.. } if byte == b'>' => State::Content,
            State::CData { brackets } => State::CData {
                brackets: if byte == b']' {
                    (brackets + 1).min(2)
                } else {
                    0
                },
            },
        };
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(stream: &[u8], chunk: usize) -> (Vec<String>, DocumentSplitter) {
        let mut splitter = DocumentSplitter::new(1 << 20);
        let mut documents = Vec::new();
        for piece in stream.chunks(chunk.max(1)) {
            splitter
                .push(piece, |d| {
                    documents.push(String::from_utf8_lossy(d).into_owned())
                })
                .unwrap();
        }
        (documents, splitter)
    }

    #[test]
    fn markup_that_looks_like_an_end_hides_in_quotes_comments_cdata_and_instructions() {
        let first = r#"<?xml version="1.0"?><!-- </a> --><a x="/>" y='</a>'><b/><![CDATA[</a>]]><?pi </a>?></a>"#;
        let second = "<c>text</c>";
        let stream = format!("\u{FEFF}{first}\r\n\t {second}\n");
        for chunk in [1, 2, 3, 7, 1000] {
            let (documents, splitter) = split(stream.as_bytes(), chunk);
            assert_eq!(documents, [first, second], "chunk size {chunk}");
            assert_eq!(splitter.buffered(), 0);
        }
    }

    #[test]
    fn every_byte_is_scanned_once_however_the_stream_is_cut() {
        let envelope = format!("<e>{}</e>", "<i a=\"1\">x</i>".repeat(500));
        let stream = envelope.repeat(3);
        let (documents, mut splitter) = split(stream.as_bytes(), 1);
        assert_eq!(documents.len(), 3);
        assert_eq!(splitter.scanned, stream.len() as u64);
        // Nothing is left but the (empty) unfinished document.
        assert!(splitter.buf.is_empty());
        assert!(splitter.finish().is_ok());
    }

    #[test]
    fn a_stream_cut_inside_a_document_is_truncated_at_the_end() {
        let (documents, mut splitter) = split(b"<a></a><b><c/>", 4);
        assert_eq!(documents, ["<a></a>"]);
        assert_eq!(splitter.buffered(), "<b><c/>".len());
        assert!(matches!(splitter.finish(), Err(Error::Truncated { .. })));
    }

    #[test]
    fn a_stray_end_tag_and_a_nameless_tag_are_malformed() {
        for bad in ["</a>", "<a></a></a>", "< a/>"] {
            let mut splitter = DocumentSplitter::new(100);
            let result = splitter.push(bad.as_bytes(), |_| {});
            assert!(
                matches!(result, Err(Error::Malformed { .. })),
                "{bad}: {result:?}"
            );
        }
    }
}
