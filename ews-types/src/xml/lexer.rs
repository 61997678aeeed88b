//! The tokenizer under [`XmlReader`](super::XmlReader): splits a document that is already known to be
//! UTF-8 into tags, text runs, CDATA sections and markup to ignore, borrowing every piece from the input.
//!
//! It checks what a well-formed EWS document needs and no more: tags and quotes are closed, attributes
//! are `name="value"` pairs separated by whitespace, DTDs are refused. Names, namespaces and end-tag
//! matching are checked by the reader above it; references are resolved by [`decode`] when a value is
//! actually read, so a number or a flag is never copied.
//!
//! Working on `&str` that was validated once, with `memchr` to find the next `<`, is what keeps the
//! reader close to the cost of a bare scan: nothing is re-validated per event and no event is larger
//! than two slices.

use std::borrow::Cow;

use memchr::{memchr, memchr3, memmem};

/// A start or empty-element tag: its qualified name and the raw text of its attributes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tag<'a> {
    /// The qualified name, as written (`t:ItemId`).
    pub(crate) name: &'a str,
    /// The part of the name before its first `:` (empty when there is none).
    pub(crate) prefix: &'a str,
    /// The part after it (the whole name when there is none).
    pub(crate) local: &'a str,
    /// Everything between the name and `>` (or `/>`), attributes and whitespace, undecoded.
    pub(crate) attributes: &'a str,
    /// Where the tag starts in the input (for error messages).
    pub(crate) offset: usize,
}

/// One piece of the document.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'a> {
    /// `<name ...>`.
    Start(Tag<'a>),
    /// `<name .../>`.
    Empty(Tag<'a>),
    /// `</name>`, with the name as written.
    End(&'a str),
    /// `</name>` where `name` is the open element's name given to [`Lexer::next_token`].
    EndOfOpen,
    /// Character data up to the next `<`, undecoded; `plain` when it holds no reference and no carriage
    /// return, so it reads as it stands.
    Text {
        /// The characters as written.
        raw: &'a str,
        /// Whether there is nothing to decode.
        plain: bool,
    },
    /// The content of `<![CDATA[...]]>`, taken literally.
    CData(&'a str),
    /// The XML declaration `<?xml ...?>`.
    Decl,
    /// A comment or a processing instruction.
    Ignored,
    /// The end of the input.
    Eof,
}

/// Why the input could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LexError {
    /// The input ends inside a tag, comment, CDATA section or processing instruction.
    Truncated,
    /// A `<!DOCTYPE`: EWS never sends one, and entity definitions are an attack surface.
    Dtd,
    /// Anything else that is not XML; the message says what.
    Malformed(String),
}

/// The tokenizer: a position in a UTF-8 document.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// A tokenizer at the start of `input` (after a byte-order mark, if any).
    pub(crate) fn new(input: &'a str) -> Self {
        let pos = if input.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer { input, pos }
    }

    /// How many bytes have been consumed.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// The next token. `open` is the qualified name of the innermost open element, if any: an end tag
    /// that closes it exactly is recognized by comparing bytes, without scanning a name.
    pub(crate) fn next_token(&mut self, open: Option<&str>) -> Result<Token<'a>, LexError> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        let Some(&first) = bytes.get(start) else {
            return Ok(Token::Eof);
        };
        if first != b'<' {
            let mut plain = true;
            let mut at = start;
            let end = loop {
                match memchr3(b'<', b'&', b'\r', &bytes[at..]) {
                    Some(i) if bytes[at + i] == b'<' => break at + i,
                    Some(i) => {
                        plain = false;
                        at += i + 1;
                    }
                    None => break bytes.len(),
                }
            };
            self.pos = end;
            return Ok(Token::Text {
                raw: self.slice(start, end),
                plain,
            });
        }
        match bytes.get(start + 1) {
            None => Err(LexError::Truncated),
            Some(b'/') => {
                if let Some(open) = open {
                    let from = start + 2;
                    let end = from + open.len();
                    let closes_open = bytes
                        .get(from..end)
                        .is_some_and(|name| same_bytes(name, open.as_bytes()));
                    if closes_open && bytes.get(end) == Some(&b'>') {
                        self.pos = end + 1;
                        return Ok(Token::EndOfOpen);
                    }
                }
                self.end_tag(start)
            }
            Some(b'?') => {
                let from = start + 2;
                let end = self.find_seq(b"?>", from)?;
                self.pos = end + 2;
                let target = self.slice(from, end);
                let is_decl = target
                    .strip_prefix("xml")
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(is_xml_space));
                Ok(if is_decl { Token::Decl } else { Token::Ignored })
            }
            Some(b'!') => self.markup_declaration(start),
            Some(_) => self.start_tag(start),
        }
    }

    /// `<!--`, `<![CDATA[` or `<!DOCTYPE`, at `start`.
    fn markup_declaration(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        let rest = &self.input.as_bytes()[start..];
        if rest.starts_with(b"<!--") {
            let end = self.find_seq(b"-->", start + 4)?;
            self.pos = end + 3;
            return Ok(Token::Ignored);
        }
        if rest.starts_with(b"<![CDATA[") {
            let from = start + 9;
            let end = self.find_seq(b"]]>", from)?;
            self.pos = end + 3;
            return Ok(Token::CData(self.slice(from, end)));
        }
        if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!DOCTYPE") {
            return Err(LexError::Dtd);
        }
        let could_still_be =
            |full: &[u8]| rest.len() < full.len() && full[..rest.len()].eq_ignore_ascii_case(rest);
        if could_still_be(b"<!--") || could_still_be(b"<![CDATA[") || could_still_be(b"<!DOCTYPE") {
            return Err(LexError::Truncated);
        }
        Err(LexError::Malformed(
            "`<!` that starts no comment, CDATA section or DOCTYPE".to_owned(),
        ))
    }

    /// A start or empty-element tag at `start`; `>` inside quoted attribute values does not end it.
    fn start_tag(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        let bytes = self.input.as_bytes();
        let name_from = start + 1;
        let (name_to, colon) = self.scan_name(name_from)?;
        let (attributes_end, gt, empty) = match bytes.get(name_to) {
            None => return Err(LexError::Truncated),
            Some(b'>') => (name_to, name_to, false),
            Some(b'/') => match bytes.get(name_to + 1) {
                Some(b'>') => (name_to, name_to + 1, true),
                None => return Err(LexError::Truncated),
                Some(_) => return Err(self.not_a_name(name_from, name_to + 2)),
            },
            Some(b' ' | b'\t' | b'\n' | b'\r') => {
                let gt = self.closing_bracket(name_to)?;
                if bytes[gt - 1] == b'/' {
                    (gt - 1, gt, true)
                } else {
                    (gt, gt, false)
                }
            }
            Some(_) => return Err(self.not_a_name(name_from, name_to + 1)),
        };
        self.pos = gt + 1;
        let (prefix, local) = match colon {
            Some(colon) => (self.slice(name_from, colon), self.slice(colon + 1, name_to)),
            None => ("", self.slice(name_from, name_to)),
        };
        let tag = Tag {
            prefix,
            local,
            name: self.slice(name_from, name_to),
            attributes: self.slice(name_to, attributes_end),
            offset: start,
        };
        Ok(if empty {
            Token::Empty(tag)
        } else {
            Token::Start(tag)
        })
    }

    /// `</name>` at `start`, with optional whitespace before `>`.
    fn end_tag(&mut self, start: usize) -> Result<Token<'a>, LexError> {
        let bytes = self.input.as_bytes();
        let name_from = start + 2;
        let (name_to, _) = self.scan_name(name_from)?;
        let mut at = name_to;
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'>') => {
                self.pos = at + 1;
                Ok(Token::End(self.slice(name_from, name_to)))
            }
            None => Err(LexError::Truncated),
            Some(_) => Err(self.not_a_name(name_from, at + 1)),
        }
    }

    /// The end of the XML name at `from` and the position of its first `:`. Names are checked
    /// exactly for ASCII; any non-ASCII character is accepted (XML excludes only a few rare ones).
    fn scan_name(&self, from: usize) -> Result<(usize, Option<usize>), LexError> {
        let bytes = self.input.as_bytes();
        let Some(&first) = bytes.get(from) else {
            return Err(LexError::Truncated);
        };
        let mut colon = None;
        match NAME_CLASS[usize::from(first)] {
            NAME_START => {}
            COLON => colon = Some(from),
            _ => return Err(self.not_a_name(from, from + 1)),
        }
        let mut at = from + 1;
        loop {
            let Some(&b) = bytes.get(at) else {
                return Err(LexError::Truncated);
            };
            match NAME_CLASS[usize::from(b)] {
                NAME_START | NAME_MORE => {}
                COLON => {
                    colon.get_or_insert(at);
                }
                _ => return Ok((at, colon)),
            }
            at += 1;
        }
    }

    /// The `>` that closes a tag whose attributes start at `from`, skipping quoted values.
    fn closing_bracket(&self, from: usize) -> Result<usize, LexError> {
        let bytes = self.input.as_bytes();
        let mut at = from;
        loop {
            let Some(i) = memchr3(b'>', b'"', b'\'', &bytes[at..]) else {
                return Err(LexError::Truncated);
            };
            let found = at + i;
            match bytes[found] {
                b'>' => return Ok(found),
                quote => {
                    let Some(close) = memchr(quote, &bytes[found + 1..]) else {
                        return Err(LexError::Truncated);
                    };
                    at = found + 1 + close + 1;
                }
            }
        }
    }

    fn not_a_name(&self, from: usize, to: usize) -> LexError {
        let to = to.min(self.input.len());
        let shown = String::from_utf8_lossy(&self.input.as_bytes()[from.min(to)..to]);
        LexError::Malformed(format!(
            "{:?} is not an XML element name",
            first_chars(&shown)
        ))
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        // Every boundary is an ASCII delimiter found in the input or its end, so it is a char boundary.
        self.input.get(from..to).unwrap_or_default()
    }

    fn find_seq(&self, needle: &[u8], from: usize) -> Result<usize, LexError> {
        let bytes = self.input.as_bytes();
        match bytes
            .get(from..)
            .and_then(|rest| memmem::find(rest, needle))
        {
            Some(i) => Ok(from + i),
            None => Err(LexError::Truncated),
        }
    }
}

/// Whether two short byte strings (names, prefixes) are equal, comparing every byte without an early
/// exit: cheaper than a call to `memcmp` for the lengths names have.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// `s` without XML whitespace (space, tab, line feed, carriage return) at either end: the
/// `whiteSpace="collapse"` of the schema's numbers, booleans and dates trims exactly these.
pub(crate) fn trim_xml_space(s: &str) -> &str {
    let bytes = s.as_bytes();
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let Some(first) = bytes.iter().position(|b| !space(b)) else {
        return "";
    };
    let last = bytes.iter().rposition(|b| !space(b)).unwrap_or(first);
    // Both ends are next to ASCII bytes (or the ends of `s`), so they are char boundaries.
    s.get(first..=last).unwrap_or_default()
}

/// XML's whitespace: space, tab, line feed, carriage return.
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

const NAME_START: u8 = 0;
const NAME_MORE: u8 = 1;
const COLON: u8 = 2;
const NOT_NAME: u8 = 3;

/// What each byte may be in an XML name: `NameStartChar` (ASCII letters, `_`, and every byte of a
/// non-ASCII character), `:`, the further `NameChar`s (digits, `-`, `.`), or none.
static NAME_CLASS: [u8; 256] = {
    let mut table = [NOT_NAME; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            NAME_START
        } else if c == b':' {
            COLON
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            NAME_MORE
        } else {
            NOT_NAME
        };
        b += 1;
    }
    table
};

/// The attributes of a tag, as (qualified name, raw value) pairs in document order.
#[derive(Debug, Clone)]
pub(crate) struct RawAttributes<'a> {
    rest: &'a str,
}

impl<'a> RawAttributes<'a> {
    pub(crate) fn new(attributes: &'a str) -> Self {
        RawAttributes { rest: attributes }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = Result<(&'a str, &'a str), String>;

    fn next(&mut self) -> Option<Self::Item> {
        let trimmed = self.rest.trim_start_matches(is_xml_space);
        if trimmed.is_empty() {
            self.rest = trimmed;
            return None;
        }
        if trimmed.len() == self.rest.len() {
            // Attributes must be separated from the name and from each other by whitespace.
            self.rest = "";
            return Some(Err(format!(
                "no whitespace before {:?}",
                trimmed.chars().take(40).collect::<String>()
            )));
        }
        let result = split_attribute(trimmed);
        match result {
            Ok((name, value, rest)) => {
                self.rest = rest;
                Some(Ok((name, value)))
            }
            Err(e) => {
                self.rest = "";
                Some(Err(e))
            }
        }
    }
}

/// `name = "value"` at the start of `s`: the name, the raw value and what follows the closing quote.
fn split_attribute(s: &str) -> Result<(&str, &str, &str), String> {
    let name_end = s
        .find(|c: char| c == '=' || is_xml_space(c))
        .ok_or_else(|| format!("attribute {:?} has no value", first_chars(s)))?;
    let name = &s[..name_end];
    let after_name = s[name_end..].trim_start_matches(is_xml_space);
    let Some(after_eq) = after_name.strip_prefix('=') else {
        return Err(format!("attribute {:?} has no value", first_chars(name)));
    };
    let after_eq = after_eq.trim_start_matches(is_xml_space);
    let quote = match after_eq.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => q,
        _ => {
            return Err(format!(
                "the value of {:?} is not quoted",
                first_chars(name)
            ));
        }
    };
    let body = &after_eq[1..];
    let close = memchr(quote, body.as_bytes())
        .ok_or_else(|| format!("the value of {:?} is not closed", first_chars(name)))?;
    if name.is_empty() {
        return Err("an attribute without a name".to_owned());
    }
    Ok((name, &body[..close], &body[close + 1..]))
}

fn first_chars(s: &str) -> String {
    s.chars().take(40).collect()
}

/// How [`decode`] treats whitespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decode {
    /// Text content: line ends (`\r\n`, lone `\r`) become `\n`.
    Text,
    /// Attribute values: line ends, then every tab, line feed and carriage return, become a space.
    Attribute,
}

/// Resolves the references of `raw` (the five predefined entities and character references) and
/// normalizes its whitespace; borrows `raw` when there is nothing to change. The error is the reference
/// that could not be resolved, or the message for one that is not closed.
pub(crate) fn decode(raw: &str, mode: Decode) -> Result<Cow<'_, str>, DecodeError> {
    let plain = match mode {
        Decode::Text => memchr::memchr2(b'&', b'\r', raw.as_bytes()).is_none(),
        // No early exit, so the loop runs on whole vectors; control characters other than the three
        // to replace send a value down the slow path, which copies them unchanged.
        Decode::Attribute => !needs_attribute_decoding(raw.as_bytes()),
    };
    if plain {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r', '\n', '\t']) {
        out.push_str(&rest[..i]);
        let special = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match special {
            b'&' => {
                let Some(semi) = rest.find(';') else {
                    return Err(DecodeError::Unclosed(first_chars(rest)));
                };
                push_reference(&mut out, &rest[..semi])?;
                rest = &rest[semi + 1..];
            }
            b'\r' => {
                rest = rest.strip_prefix('\n').unwrap_or(rest);
                out.push(if mode == Decode::Text { '\n' } else { ' ' });
            }
            other => out.push(if mode == Decode::Text {
                char::from(other)
            } else {
                ' '
            }),
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Whether an attribute value holds a reference or a control character (tab, line end, or another
/// that the slow path copies as it is). Each 16-byte block is tested without an early exit, so it
/// compiles to vector compares: item ids of 150 characters are the common case.
fn needs_attribute_decoding(bytes: &[u8]) -> bool {
    let special = |b: u8| (b == b'&') | (b < 0x20);
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |found, &b| found | special(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| special(b))
}

/// A reference that [`decode`] could not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// `&name;` or `&#n;` naming no entity or no allowed character (the text between `&` and `;`).
    Unknown(String),
    /// A `&` with no `;` after it (the text that follows it).
    Unclosed(String),
}

fn push_reference(out: &mut String, name: &str) -> Result<(), DecodeError> {
    let text = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(decimal) = name.strip_prefix('#') {
                decimal.parse::<u32>().ok()
            } else {
                None
            };
            // `+` and `-` are accepted by the integer parsers but not by XML.
            let digits_only = !name.contains(['+', '-']);
            match code
                .filter(|&c| c != 0 && digits_only)
                .and_then(char::from_u32)
            {
                Some(c) => {
                    out.push(c);
                    return Ok(());
                }
                None => return Err(DecodeError::Unknown(first_chars(name))),
            }
        }
    };
    out.push_str(text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(xml: &str) -> Result<Vec<String>, LexError> {
        let mut lexer = Lexer::new(xml);
        let mut out = Vec::new();
        loop {
            let token = lexer.next_token(None)?;
            out.push(match token {
                Token::Start(t) => format!("start {} [{}]", t.name, t.attributes),
                Token::Empty(t) => format!("empty {} [{}]", t.name, t.attributes),
                Token::End(n) => format!("end {n}"),
                Token::EndOfOpen => "end of open".to_owned(),
                Token::Text { raw, .. } => format!("text {raw}"),
                Token::CData(t) => format!("cdata {t}"),
                Token::Decl => "decl".to_owned(),
                Token::Ignored => "ignored".to_owned(),
                Token::Eof => return Ok(out),
            });
        }
    }

    #[test]
    fn splits_tags_text_and_markup() {
        let xml = "\u{feff}<?xml version=\"1.0\"?><!-- c --><a x='1>2' y=\"q\">t<![CDATA[<b>]]><?pi x?><c/></a >";
        assert_eq!(
            tokens(xml).unwrap(),
            [
                "decl",
                "ignored",
                "start a [ x='1>2' y=\"q\"]",
                "text t",
                "cdata <b>",
                "ignored",
                "empty c []",
                "end a",
            ]
        );
    }

    #[test]
    fn an_end_tag_of_the_open_element_is_matched_without_a_scan_and_others_are_read_as_written() {
        let mut lexer = Lexer::new("</t:A></t:AB></t:A ><");
        assert!(matches!(
            lexer.next_token(Some("t:A")),
            Ok(Token::EndOfOpen)
        ));
        assert!(matches!(
            lexer.next_token(Some("t:A")),
            Ok(Token::End("t:AB"))
        ));
        assert!(matches!(
            lexer.next_token(Some("t:A")),
            Ok(Token::End("t:A"))
        ));
        assert_eq!(
            lexer.next_token(Some("t:A")).unwrap_err(),
            LexError::Truncated
        );
    }

    #[test]
    fn unfinished_markup_is_truncated_and_a_dtd_is_refused() {
        for cut in [
            "<a", "<a x='1", "</a", "<!--", "<![CDA", "<?xml", "<", "<!DOC",
        ] {
            assert_eq!(tokens(cut), Err(LexError::Truncated), "{cut}");
        }
        assert_eq!(tokens("<!doctype a>"), Err(LexError::Dtd));
        assert!(matches!(
            tokens("<!ELEMENT a>"),
            Err(LexError::Malformed(_))
        ));
    }

    #[test]
    fn attributes_need_names_values_quotes_and_whitespace() {
        fn all(s: &str) -> Result<Vec<(&str, &str)>, String> {
            RawAttributes::new(s).collect()
        }
        assert_eq!(
            all(" a=\"1\"\tb = 'x\"y' ").unwrap(),
            [("a", "1"), ("b", "x\"y")]
        );
        for bad in [" a", " a=1", " a=\"1\"b=\"2\"", " =\"1\"", " a=\"1"] {
            assert!(all(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decoding_resolves_references_and_normalizes_whitespace() {
        assert!(matches!(
            decode("plain", Decode::Text),
            Ok(Cow::Borrowed("plain"))
        ));
        assert_eq!(
            decode("a &amp; &#60;&#x3e;\r\nb\rc\td", Decode::Text).unwrap(),
            "a & <>\nb\nc\td"
        );
        assert_eq!(
            decode("a\r\nb\tc\nd", Decode::Attribute).unwrap(),
            "a b c d"
        );
        for bad in ["&nbsp;", "&#0;", "&#xD800;", "&#-1;", "&#x;", "&;"] {
            assert!(
                matches!(decode(bad, Decode::Text), Err(DecodeError::Unknown(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            decode("a & b", Decode::Text),
            Err(DecodeError::Unclosed(_))
        ));
    }
}
