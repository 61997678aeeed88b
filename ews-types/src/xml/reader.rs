//! A pull reader over a byte slice that resolves namespaces, enforces limits and never panics.

use std::borrow::Cow;

use super::Ns;
use super::lexer::{
    Decode, DecodeError, LexError, Lexer, RawAttributes, Tag, Token, decode, is_xml_space,
    same_bytes,
};
use crate::error::{Error, Result};

/// Limits that bound the work and memory spent on one document.
///
/// The defaults suit any real EWS response; raise them only for unusual payloads (for example very large
/// `MimeContent`). Input larger than you are willing to hold should be refused before parsing, by the
/// transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    /// Maximum element nesting depth. Real EWS responses stay below 40 levels. Default: 128.
    pub max_depth: usize,
    /// Maximum size of a single text node, in bytes after unescaping. Default: 64 MiB.
    pub max_text_bytes: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 128,
            max_text_bytes: 64 * 1024 * 1024,
        }
    }
}

/// The start of an element: its namespace, its name and its attributes.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    ns: Ns,
    namespace_uri: Option<String>,
    tag: Tag<'a>,
    empty: bool,
}

impl<'a> Start<'a> {
    /// The namespace the element's name resolves to.
    pub fn ns(&self) -> Ns {
        self.ns
    }

    /// The element's local name (without any prefix).
    pub fn local_name(&self) -> &str {
        self.tag.local
    }

    /// Whether this is `<name/>`, an element with no content to read.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The namespace URI of an element that is in none of the EWS namespaces, for error messages.
    pub(crate) fn namespace_uri(&self) -> Option<String> {
        match self.ns {
            Ns::Other => self.namespace_uri.clone(),
            Ns::None => None,
            known => Some(known.uri().to_owned()),
        }
    }

    /// The element's attributes as (local name, unescaped value) pairs, in document order, without
    /// namespace declarations. Reading several attributes in one pass is cheaper than several
    /// [`attr`](Self::attr) calls.
    pub fn attributes(&self) -> impl Iterator<Item = Result<(&'a str, Cow<'a, str>)>> + '_ {
        self.named_attributes().map(move |attr| {
            let (key, raw) = attr?;
            let local = local_part(key);
            self.attribute_value(local, raw).map(|value| (local, value))
        })
    }

    /// The attributes as (qualified name, undecoded value), without namespace declarations; a name
    /// that is not an XML name is an error.
    fn named_attributes(&self) -> impl Iterator<Item = Result<(&'a str, &'a str)>> + '_ {
        RawAttributes::new(self.tag.attributes).filter_map(move |attr| match attr {
            Err(e) => Some(Err(self.bad_attribute(e))),
            Ok((key, _)) if key == "xmlns" || key.starts_with("xmlns:") => None,
            Ok((key, _)) if !is_xml_name(key) => Some(Err(self.bad_attribute_name(key))),
            Ok(attr) => Some(Ok(attr)),
        })
    }

    fn bad_attribute(&self, message: String) -> Error {
        Error::Malformed {
            position: self.tag.offset as u64,
            message: format!("bad attribute in <{}>: {message}", self.local_name()),
        }
    }

    fn bad_attribute_name(&self, key: &str) -> Error {
        Error::Malformed {
            position: self.tag.offset as u64,
            message: format!(
                "{:?} in <{}> is not an XML attribute name",
                key.chars().take(100).collect::<String>(),
                self.local_name()
            ),
        }
    }

    fn attribute_value(&self, name: &str, raw: &'a str) -> Result<Cow<'a, str>> {
        decode(raw, Decode::Attribute).map_err(|e| match e {
            DecodeError::Unknown(entity) => Error::UnknownEntity(entity),
            DecodeError::Unclosed(rest) => Error::Malformed {
                position: self.tag.offset as u64,
                message: format!(
                    "bad value of @{name} in <{}>: `&` without `;` before {rest:?}",
                    self.local_name()
                ),
            },
        })
    }

    /// The unescaped value of an unqualified attribute, by local name.
    pub fn attr(&self, name: &str) -> Result<Option<Cow<'a, str>>> {
        // Only the value asked for is decoded; the names before it are still checked.
        for attr in self.named_attributes() {
            let (key, raw) = attr?;
            if local_part(key) == name {
                return self.attribute_value(name, raw).map(Some);
            }
        }
        Ok(None)
    }

    /// The local names of the element's attributes (namespace declarations excluded), in document order.
    pub fn attribute_names(&self) -> Result<Vec<String>> {
        self.attributes()
            .map(|attr| attr.map(|(name, _)| name.to_owned()))
            .collect()
    }

    /// The element's attributes that have no prefix (`Name="..."`, not `xml:lang="..."`), as owned
    /// (name, unescaped value) pairs in document order. Kept for elements whose attributes are written
    /// back (`MessageXml`, the category list): a prefixed attribute would need its namespace declared to
    /// be written back, so it is left out. A start tag that repeats an attribute is not well-formed XML
    /// and is refused.
    pub fn unprefixed_attributes(&self) -> Result<Vec<(String, String)>> {
        let mut attributes: Vec<(String, String)> = Vec::new();
        for attr in self.named_attributes() {
            let (key, raw) = attr?;
            if key.contains(':') {
                continue;
            }
            if attributes.iter().any(|(name, _)| name == key) {
                return Err(Error::Malformed {
                    position: self.tag.offset as u64,
                    message: format!("<{}> repeats the attribute {key}", self.local_name()),
                });
            }
            let value = self.attribute_value(key, raw)?;
            attributes.push((key.to_owned(), value.into_owned()));
        }
        Ok(attributes)
    }

    /// A required attribute.
    pub fn required_attr(&self, name: &str) -> Result<String> {
        match self.attr(name)? {
            Some(v) => Ok(v.into_owned()),
            None => Err(Error::missing(&format!("@{name}"), self.local_name())),
        }
    }

    /// Refuses an element outside the EWS namespaces where only EWS elements may stand (inside `Items`,
    /// `Changes`, `Folders`): a misspelled namespace must not read as "nothing there".
    pub fn reject_foreign(&self, expected: &str) -> Result<()> {
        match self.ns {
            super::Ns::Other | super::Ns::None => Err(self.unexpected(expected)),
            _ => Ok(()),
        }
    }

    /// An error saying this element was not what the caller expected.
    pub fn unexpected(&self, expected: &str) -> Error {
        Error::UnexpectedElement {
            found: self.local_name().to_owned(),
            namespace: self.namespace_uri(),
            expected: expected.to_owned(),
        }
    }
}

/// A namespace declaration in scope: `xmlns:prefix="uri"` (or `xmlns="uri"` with an empty prefix),
/// declared on the element at `depth`.
#[derive(Debug)]
struct Binding {
    prefix: String,
    ns: Ns,
    uri: String,
    depth: usize,
}

/// A namespace-aware pull reader over one XML document held in memory.
///
/// Use [`XmlReader::root`] once, then, for each element, either read its children with
/// [`XmlReader::next_child`] until it returns `None`, read its text with [`XmlReader::read_text`], or skip
/// it with [`XmlReader::skip`].
///
/// The input is checked to be UTF-8 once, up front; the tokenizer then borrows every name, attribute and
/// text from it. Namespaces are resolved here: EWS documents declare a handful of prefixes on the
/// envelope, so a start tag without `xmlns` attributes costs one short scan, and the prefix lookup
/// searches a few bindings.
pub struct XmlReader<'a> {
    lexer: Lexer<'a>,
    /// Where the input stops being UTF-8, if it does: the tokenizer reads up to there, and reaching it
    /// is an error.
    invalid_utf8_at: Option<usize>,
    depth: usize,
    /// The qualified name of each open element, outermost first.
    open: Vec<&'a str>,
    bindings: Vec<Binding>,
    limits: ParseLimits,
}

/// One step of the document, with start tags already resolved.
enum Event<'a> {
    Start(Start<'a>),
    Empty(Start<'a>),
    End,
    /// Undecoded character data, and whether it has nothing to decode.
    Text(&'a str, bool),
    CData(&'a str),
    Decl,
    /// A comment or processing instruction.
    Ignored,
    Eof,
}

impl<'a> XmlReader<'a> {
    /// A reader over `input` with the given limits.
    pub fn new(input: &'a [u8], limits: ParseLimits) -> Self {
        let (text, invalid_utf8_at) = match std::str::from_utf8(input) {
            Ok(text) => (text, None),
            Err(e) => {
                let valid = input.get(..e.valid_up_to()).unwrap_or_default();
                (
                    std::str::from_utf8(valid).unwrap_or_default(),
                    Some(e.valid_up_to()),
                )
            }
        };
        XmlReader {
            lexer: Lexer::new(text),
            invalid_utf8_at,
            depth: 0,
            open: Vec::new(),
            bindings: Vec::new(),
            limits,
        }
    }

    fn malformed(&self, err: impl std::fmt::Display) -> Error {
        Error::Malformed {
            position: self.lexer.position() as u64,
            message: err.to_string(),
        }
    }

    /// The local name of the innermost open element ("" at the top level).
    fn open_element(&self) -> String {
        let name = self.open.last().copied().unwrap_or_default();
        name.rsplit(':').next().unwrap_or_default().to_owned()
    }

    fn truncated(&self) -> Error {
        Error::Truncated {
            element: self.open_element(),
        }
    }

    /// Reads the next event, keeping depth, open elements and namespace bindings up to date, and
    /// resolves the namespace of start and empty tags.
    #[inline(always)]
    fn event(&mut self) -> Result<Event<'a>> {
        let token = match self.lexer.next_token(self.open.last().copied()) {
            Ok(token) => token,
            Err(LexError::Truncated) => return Err(self.truncated()),
            Err(LexError::Dtd) => return Err(Error::DtdNotAllowed),
            Err(LexError::Malformed(message)) => return Err(self.malformed(message)),
        };
        match token {
            Token::Start(tag) => {
                self.depth += 1;
                if self.depth > self.limits.max_depth {
                    return Err(Error::TooDeep {
                        limit: self.limits.max_depth,
                    });
                }
                self.open.push(tag.name);
                self.declare(&tag)?;
                let (ns, namespace_uri) = self.resolve(&tag)?;
                Ok(Event::Start(Start {
                    ns,
                    namespace_uri,
                    tag,
                    empty: false,
                }))
            }
            Token::Empty(tag) => {
                // Declarations on an empty element apply to it alone.
                let before = self.bindings.len();
                self.depth += 1;
                let declared = self.declare(&tag);
                let resolved = declared.and_then(|()| self.resolve(&tag));
                self.bindings.truncate(before);
                self.depth -= 1;
                let (ns, namespace_uri) = resolved?;
                Ok(Event::Empty(Start {
                    ns,
                    namespace_uri,
                    tag,
                    empty: true,
                }))
            }
            Token::EndOfOpen => Ok(self.close()),
            Token::End(name) => {
                match self.open.last() {
                    Some(&open) if open == name => {}
                    Some(&open) => {
                        return Err(self.malformed(format!(
                            "end tag </{}> does not close <{}>",
                            name.chars().take(100).collect::<String>(),
                            open.chars().take(100).collect::<String>()
                        )));
                    }
                    None => {
                        return Err(self.malformed(format!(
                            "end tag </{}> closes no element",
                            name.chars().take(100).collect::<String>()
                        )));
                    }
                }
                Ok(self.close())
            }
            Token::Text { raw, plain } => Ok(Event::Text(raw, plain)),
            Token::CData(text) => Ok(Event::CData(text)),
            Token::Decl => Ok(Event::Decl),
            Token::Ignored => Ok(Event::Ignored),
            Token::Eof => {
                if let Some(at) = self.invalid_utf8_at {
                    return Err(Error::Malformed {
                        position: at as u64,
                        message: "the input is not UTF-8 here".to_owned(),
                    });
                }
                if self.open.is_empty() {
                    Ok(Event::Eof)
                } else {
                    Err(self.truncated())
                }
            }
        }
    }

    /// Closes the innermost open element and the namespace declarations made on it.
    #[inline(always)]
    fn close(&mut self) -> Event<'a> {
        while self.bindings.last().is_some_and(|b| b.depth >= self.depth) {
            self.bindings.pop();
        }
        self.depth = self.depth.saturating_sub(1);
        self.open.pop();
        Event::End
    }

    /// Records the namespace declarations of `tag` at the current depth.
    fn declare(&mut self, tag: &Tag<'a>) -> Result<()> {
        if tag.attributes.is_empty() || !tag.attributes.contains("xmlns") {
            return Ok(());
        }
        for attr in RawAttributes::new(tag.attributes) {
            let (key, raw) = attr.map_err(|e| self.malformed(e))?;
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(prefix) => prefix,
                    None => continue,
                },
                None => continue,
            };
            let uri = decode(raw, Decode::Attribute).map_err(|e| self.reference_error(e))?;
            self.bindings.push(Binding {
                prefix: prefix.to_owned(),
                ns: Ns::from_uri(&uri),
                uri: uri.into_owned(),
                depth: self.depth,
            });
        }
        Ok(())
    }

    fn reference_error(&self, e: DecodeError) -> Error {
        match e {
            DecodeError::Unknown(entity) => Error::UnknownEntity(entity),
            DecodeError::Unclosed(rest) => {
                self.malformed(format!("`&` without `;` before {rest:?}"))
            }
        }
    }

    /// The namespace of `tag`'s name, from the bindings in scope.
    fn resolve(&self, tag: &Tag<'a>) -> Result<(Ns, Option<String>)> {
        // The tokenizer has checked that the name is an XML name.
        let prefix = tag.prefix;
        match self
            .bindings
            .iter()
            .rev()
            .find(|b| same_bytes(b.prefix.as_bytes(), prefix.as_bytes()))
        {
            Some(binding) if binding.ns == Ns::Other => Ok((Ns::Other, Some(binding.uri.clone()))),
            Some(binding) => Ok((binding.ns, None)),
            None if prefix.is_empty() => Ok((Ns::None, None)),
            None if prefix == "xml" => Ok((
                Ns::Other,
                Some("http://www.w3.org/XML/1998/namespace".to_owned()),
            )),
            None => Err(self.malformed(format!("undeclared namespace prefix {prefix:?}"))),
        }
    }

    /// The document's root element, after any XML declaration, comments and processing instructions.
    pub fn root(&mut self) -> Result<Start<'a>> {
        loop {
            match self.event()? {
                Event::Start(start) | Event::Empty(start) => return Ok(start),
                Event::Text(t, _) if t.trim_matches(is_xml_space).is_empty() => {}
                Event::Text(..) | Event::CData(_) => {
                    return Err(self.malformed("text before the root element"));
                }
                Event::Eof => {
                    return Err(Error::Truncated {
                        element: String::new(),
                    });
                }
                Event::End => return Err(self.malformed("end tag before the root element")),
                Event::Decl | Event::Ignored => {}
            }
        }
    }

    /// The next child element of the element being read, or `None` at its end tag.
    ///
    /// Text between child elements (indentation) is ignored. A child that is returned must be consumed
    /// with [`next_child`](Self::next_child) (until `None`), [`read_text`](Self::read_text) or
    /// [`skip`](Self::skip) unless it [`is_empty`](Start::is_empty).
    pub fn next_child(&mut self) -> Result<Option<Start<'a>>> {
        loop {
            match self.event()? {
                Event::Start(start) | Event::Empty(start) => return Ok(Some(start)),
                Event::End => return Ok(None),
                Event::Eof => return Err(self.truncated()),
                Event::Text(_, true) => {}
                Event::Text(text, false) => {
                    // Mixed content between elements is not part of EWS; still check its references.
                    decode(text, Decode::Text).map_err(|e| self.reference_error(e))?;
                }
                Event::CData(_) | Event::Ignored | Event::Decl => {}
            }
        }
    }

    /// The text content of `start` (entities resolved, CDATA included, line ends normalized). Child
    /// elements, which EWS never puts in text-only elements, are skipped.
    pub fn read_text(&mut self, start: &Start<'a>) -> Result<String> {
        self.read_str(start).map(Cow::into_owned)
    }

    /// Like [`read_text`](Self::read_text), but borrows from the input when the text is one plain run
    /// (no entity, CDATA or line end to rewrite), which is the common case: numbers, dates, flags and
    /// enumeration values are then read without allocating.
    pub fn read_str(&mut self, start: &Start<'a>) -> Result<Cow<'a, str>> {
        if start.empty {
            return Ok(Cow::Borrowed(""));
        }
        let (text, pending) = match self.event()? {
            Event::End => return Ok(Cow::Borrowed("")),
            Event::Text(raw, plain) => {
                self.check_text_size(start, raw.len())?;
                let run = if plain {
                    Cow::Borrowed(raw)
                } else {
                    decode(raw, Decode::Text).map_err(|e| self.reference_error(e))?
                };
                let next = self.event()?;
                if let Event::End = next {
                    return Ok(run);
                }
                (run.into_owned(), next)
            }
            other => (String::new(), other),
        };
        self.read_text_slow(start, text, pending).map(Cow::Owned)
    }

    fn check_text_size(&self, start: &Start<'a>, len: usize) -> Result<()> {
        if len > self.limits.max_text_bytes {
            return Err(Error::TextTooLarge {
                element: start.local_name().to_owned(),
                limit: self.limits.max_text_bytes,
            });
        }
        Ok(())
    }

    /// Accumulates text runs and CDATA sections, starting with `pending`, up to the end tag.
    fn read_text_slow(
        &mut self,
        start: &Start<'a>,
        mut text: String,
        mut pending: Event<'a>,
    ) -> Result<String> {
        loop {
            match pending {
                Event::Text(raw, _) => {
                    self.check_text_size(start, text.len() + raw.len())?;
                    let run = decode(raw, Decode::Text).map_err(|e| self.reference_error(e))?;
                    text.push_str(&run);
                }
                Event::CData(c) => {
                    self.check_text_size(start, text.len() + c.len())?;
                    text.push_str(c);
                }
                Event::End => return Ok(text),
                Event::Start(child) => self.skip(&child)?,
                Event::Empty(_) | Event::Ignored | Event::Decl => {}
                Event::Eof => return Err(self.truncated()),
            }
            pending = self.event()?;
        }
    }

    /// Skips the whole content of `start`, checking well-formedness and limits on the way.
    pub fn skip(&mut self, start: &Start<'a>) -> Result<()> {
        if start.empty {
            return Ok(());
        }
        let target = self.depth - 1;
        while self.depth > target {
            match self.event()? {
                Event::Text(t, _) if t.len() > self.limits.max_text_bytes => {
                    return Err(Error::TextTooLarge {
                        element: self.open_element(),
                        limit: self.limits.max_text_bytes,
                    });
                }
                Event::Text(t, false) => {
                    decode(t, Decode::Text).map_err(|e| self.reference_error(e))?;
                }
                Event::Eof => return Err(self.truncated()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Consumes the rest of the element being read, after its last expected child `after`: only
    /// whitespace, comments and processing instructions may stand before its end tag.
    pub(crate) fn expect_end(&mut self, after: &str) -> Result<()> {
        loop {
            match self.event()? {
                Event::End => return Ok(()),
                Event::Eof => return Err(self.truncated()),
                other => check_trailing(other, after)?,
            }
        }
    }

    /// Consumes the input after the root element `after`: only whitespace, comments and processing
    /// instructions may follow it.
    pub(crate) fn expect_eof(&mut self, after: &str) -> Result<()> {
        loop {
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::End => return Err(self.malformed("an end tag after the root element")),
                other => check_trailing(other, after)?,
            }
        }
    }

    /// Reads the children of `start` with `each`, skipping the ones it declines (returns `false` for).
    pub fn children(
        &mut self,
        start: &Start<'a>,
        mut each: impl FnMut(&mut Self, &Start<'a>) -> Result<bool>,
    ) -> Result<()> {
        if start.empty {
            return Ok(());
        }
        while let Some(child) = self.next_child()? {
            if !each(self, &child)? {
                self.skip(&child)?;
            }
        }
        Ok(())
    }
}

/// Accepts what may trail the last element of a level (whitespace, comments, processing
/// instructions); anything else is [`Error::TrailingContent`].
fn check_trailing(event: Event<'_>, after: &str) -> Result<()> {
    let found = match event {
        Event::Text(t, _) if t.trim_matches(is_xml_space).is_empty() => return Ok(()),
        Event::Ignored => return Ok(()),
        Event::Start(start) | Event::Empty(start) => {
            let name: &str = start.tag.name;
            format!("element <{name}>")
        }
        Event::Text(t, _) => {
            format!(
                "text {:?}",
                t.trim_matches(is_xml_space)
                    .chars()
                    .take(40)
                    .collect::<String>()
            )
        }
        Event::CData(_) => "CDATA".to_owned(),
        Event::Decl => "an XML declaration".to_owned(),
        Event::End | Event::Eof => return Ok(()),
    };
    Err(Error::TrailingContent {
        after: after.to_owned(),
        found,
    })
}

/// The part of a qualified name after its last `:`.
fn local_part(name: &str) -> &str {
    match name.as_bytes().iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Whether an attribute name is an XML name (`NameStartChar NameChar*`); element names are checked
/// the same way by the tokenizer. A name kept from a response may be written back (unknown kinds,
/// `MessageXml`), so `Odd"=x` must never pass as one. ASCII is checked exactly; non-ASCII characters
/// are accepted (the XML ranges exclude only a few rare code points).
fn is_xml_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    let Some(first) = bytes.next() else {
        return false;
    };
    let start_ok = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80;
    start_ok(first) && bytes.all(|b| start_ok(b) || b.is_ascii_digit() || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The namespace and local name of every element, in document order.
    fn names(xml: &str) -> Result<Vec<(Ns, String)>> {
        fn walk<'a>(
            r: &mut XmlReader<'a>,
            start: &Start<'a>,
            out: &mut Vec<(Ns, String)>,
        ) -> Result<()> {
            out.push((start.ns(), start.local_name().to_owned()));
            r.children(start, |r, child| {
                walk(r, child, out)?;
                Ok(true)
            })
        }
        let mut r = XmlReader::new(xml.as_bytes(), ParseLimits::default());
        let root = r.root()?;
        let mut out = Vec::new();
        walk(&mut r, &root, &mut out)?;
        Ok(out)
    }

    const T: &str = "http://schemas.microsoft.com/exchange/services/2006/types";
    const M: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";

    #[test]
    fn prefixes_resolve_by_uri_and_nested_declarations_shadow_outer_ones() {
        let xml = format!(
            r#"<m:A xmlns:m="{M}" xmlns:t="{T}"><t:B/><x:C xmlns:x="{T}"><x:D/></x:C><t:E xmlns:t="{M}"/><t:F/></m:A>"#
        );
        let found = names(&xml).unwrap();
        let expected = [
            (Ns::Messages, "A"),
            (Ns::Types, "B"),
            (Ns::Types, "C"),
            (Ns::Types, "D"),
            (Ns::Messages, "E"),
            (Ns::Types, "F"),
        ];
        assert_eq!(
            found,
            expected.map(|(ns, n)| (ns, n.to_owned())).to_vec(),
            "{xml}"
        );
    }

    #[test]
    fn a_declaration_on_an_empty_element_does_not_leak_to_its_siblings() {
        let xml = format!(r#"<A xmlns="{M}"><B xmlns="{T}"/><C/><D xmlns=""/></A>"#);
        let found = names(&xml).unwrap();
        assert_eq!(
            found,
            vec![
                (Ns::Messages, "A".to_owned()),
                (Ns::Types, "B".to_owned()),
                (Ns::Messages, "C".to_owned()),
                (Ns::None, "D".to_owned()),
            ]
        );
    }

    #[test]
    fn a_declaration_ends_with_its_element() {
        let xml = format!(r#"<A><t:B xmlns:t="{T}"><t:C/></t:B><t:D/></A>"#);
        let err = names(&xml).unwrap_err();
        assert!(
            err.to_string().contains("undeclared namespace prefix"),
            "{err}"
        );
    }

    #[test]
    fn an_undeclared_prefix_is_malformed_and_a_foreign_uri_is_kept() {
        assert!(matches!(names("<q:A/>"), Err(Error::Malformed { .. })));
        let mut r = XmlReader::new(
            br#"<A xmlns="urn:elsewhere"><B/></A>"#,
            ParseLimits::default(),
        );
        let root = r.root().unwrap();
        assert_eq!(root.ns(), Ns::Other);
        assert_eq!(root.namespace_uri().as_deref(), Some("urn:elsewhere"));
    }

    #[test]
    fn element_names_that_are_not_xml_names_are_malformed() {
        for xml in [
            r#"<A><t:Odd"/></A>"#,
            r#"<A><B'x></B'x></A>"#,
            "<A><B=1/></A>",
            "<A><1B/></A>",
            "<A><B&amp;/></A>",
        ] {
            assert!(
                matches!(names(xml), Err(Error::Malformed { .. })),
                "{xml}: {:?}",
                names(xml)
            );
        }
        assert!(names("<A><b.c-d_e/><é/></A>").is_ok());
        let mut r = XmlReader::new(b"<A Na\x01e=\"1\" ok=\"2\"/>", ParseLimits::default());
        let root = r.root().unwrap();
        assert!(matches!(root.attr("ok"), Err(Error::Malformed { .. })));
        assert!(matches!(
            root.attribute_names(),
            Err(Error::Malformed { .. })
        ));
    }

    #[test]
    fn text_is_borrowed_when_it_is_one_plain_run() {
        let xml = br#"<A><B>plain</B><C>a &amp; b</C><D>x<![CDATA[<y>]]></D><E/><F></F></A>"#;
        let mut r = XmlReader::new(xml, ParseLimits::default());
        let root = r.root().unwrap();
        let mut texts = Vec::new();
        r.children(&root, |r, child| {
            let text = r.read_str(child)?;
            texts.push((matches!(text, Cow::Borrowed(_)), text.into_owned()));
            Ok(true)
        })
        .unwrap();
        assert_eq!(
            texts,
            vec![
                (true, "plain".to_owned()),
                (false, "a & b".to_owned()),
                (false, "x<y>".to_owned()),
                (true, String::new()),
                (true, String::new()),
            ]
        );
    }

    #[test]
    fn truncation_names_the_innermost_open_element() {
        let mut r = XmlReader::new(b"<A><B><C>text", ParseLimits::default());
        let root = r.root().unwrap();
        let err = r
            .children(&root, |r, b| {
                r.children(b, |r, c| {
                    r.read_text(c)?;
                    Ok(true)
                })?;
                Ok(true)
            })
            .unwrap_err();
        assert!(
            matches!(err, Error::Truncated { ref element } if element == "C"),
            "{err:?}"
        );
    }
}
