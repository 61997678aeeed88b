//! A minimal XML writer into a byte buffer, with correct escaping.

/// Writes XML into a growing buffer. Element names are passed with their prefix (`t:Subject`).
///
/// The writer does not check nesting; the typed model guarantees it. Characters that XML 1.0 cannot
/// represent at all (most C0 control characters) are written as U+FFFD, since no escape exists for them.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        XmlWriter {
            buf: Vec::with_capacity(1024),
        }
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Writes `<name` and leaves the tag open for attributes.
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        self
    }

    /// Writes ` name="value"` into an open tag.
    pub fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.buf.push(b' ');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        escape_into(&mut self.buf, value, true);
        self.buf.push(b'"');
        self
    }

    /// Writes the attribute when `value` is `Some`.
    pub fn attr_opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.attr(name, value);
        }
        self
    }

    /// Closes an open tag with `>`; content and an [`end`](Self::end) follow.
    pub fn close(&mut self) {
        self.buf.push(b'>');
    }

    /// Closes an open tag as an empty element, `/>`.
    pub fn close_empty(&mut self) {
        self.buf.extend_from_slice(b"/>");
    }

    /// Writes `</name>`.
    pub fn end(&mut self, name: &str) {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
    }

    /// Writes escaped text.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.buf, text, false);
    }

    /// Writes `<name>text</name>`.
    pub fn text_element(&mut self, name: &str, text: &str) {
        self.open(name).close();
        self.text(text);
        self.end(name);
    }

    /// Writes raw, already well-formed markup.
    pub(crate) fn raw(&mut self, markup: &str) {
        self.buf.extend_from_slice(markup.as_bytes());
    }
}

fn escape_into(buf: &mut Vec<u8>, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' if attribute => b"&quot;",
            b'\r' => b"&#13;",
            b'\n' if attribute => b"&#10;",
            b'\t' if attribute => b"&#9;",
            b'\t' | b'\n' => continue,
            0..=0x1f => "\u{FFFD}".as_bytes(),
            _ => continue,
        };
        buf.extend_from_slice(&bytes[last..i]);
        buf.extend_from_slice(replacement);
        last = i + 1;
    }
    buf.extend_from_slice(&bytes[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_line_ends_in_text_and_attributes() {
        let mut w = XmlWriter::new();
        w.open("t:A").attr("Name", "a\"b<c>&\n").close();
        w.text("x < y & z > w\r\n\u{1}");
        w.end("t:A");
        let out = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(
            out,
            "<t:A Name=\"a&quot;b&lt;c&gt;&amp;&#10;\">x &lt; y &amp; z &gt; w&#13;\n\u{FFFD}</t:A>"
        );
    }
}
