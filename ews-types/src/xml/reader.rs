//! A pull reader over a byte slice that resolves namespaces, enforces limits and never panics.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Ns;
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
    tag: BytesStart<'a>,
    empty: bool,
}

impl<'a> Start<'a> {
    /// The namespace the element's name resolves to.
    pub fn ns(&self) -> Ns {
        self.ns
    }

    /// The element's local name (without any prefix).
    pub fn local_name(&self) -> &str {
        let name: &str = self.tag.name().0;
        match name.find(':') {
            Some(i) => &name[i + 1..],
            None => name,
        }
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
    pub fn attributes(&self) -> impl Iterator<Item = Result<(&str, Cow<'_, str>)>> {
        let mut attributes = self.tag.attributes();
        attributes.with_checks(false);
        attributes.filter_map(move |attr| {
            let attr = match attr {
                Ok(attr) => attr,
                Err(e) => {
                    return Some(Err(Error::Malformed {
                        position: 0,
                        message: format!("bad attribute in <{}>: {e}", self.local_name()),
                    }));
                }
            };
            let key: &str = attr.key.0;
            if key == "xmlns" || key.starts_with("xmlns:") {
                return None;
            }
            if !is_xml_name(key) {
                return Some(Err(Error::Malformed {
                    position: 0,
                    message: format!(
                        "{:?} in <{}> is not an XML attribute name",
                        key.chars().take(100).collect::<String>(),
                        self.local_name()
                    ),
                }));
            }
            let local = key.rsplit(':').next().unwrap_or(key);
            Some(
                attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|value| (local, value))
                    .map_err(|e| Error::Malformed {
                        position: 0,
                        message: format!("bad value of @{local} in <{}>: {e}", self.local_name()),
                    }),
            )
        })
    }

    /// The unescaped value of an unqualified attribute, by local name.
    pub fn attr(&self, name: &str) -> Result<Option<Cow<'_, str>>> {
        for attr in self.attributes() {
            let (local, value) = attr?;
            if local == name {
                return Ok(Some(value));
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
        let mut raw = self.tag.attributes();
        raw.with_checks(false);
        for attr in raw {
            let attr = attr.map_err(|e| Error::Malformed {
                position: 0,
                message: format!("bad attribute in <{}>: {e}", self.local_name()),
            })?;
            let key: &str = attr.key.0;
            if key == "xmlns" || key.contains(':') {
                continue;
            }
            if !is_xml_name(key) {
                return Err(Error::Malformed {
                    position: 0,
                    message: format!(
                        "{:?} in <{}> is not an XML attribute name",
                        key.chars().take(100).collect::<String>(),
                        self.local_name()
                    ),
                });
            }
            if attributes.iter().any(|(name, _)| name == key) {
                return Err(Error::Malformed {
                    position: 0,
                    message: format!("<{}> repeats the attribute {key}", self.local_name()),
                });
            }
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| Error::Malformed {
                    position: 0,
                    message: format!("bad value of @{key} in <{}>: {e}", self.local_name()),
                })?;
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
/// Namespaces are resolved here rather than by quick-xml's `NsReader`: EWS documents declare a handful of
/// prefixes on the envelope, so a start tag without `xmlns` attributes costs one short scan, and the
/// prefix lookup searches a few bindings.
pub struct XmlReader<'a> {
    inner: Reader<&'a [u8]>,
    input: &'a [u8],
    depth: usize,
    /// For each open element, where its start tag's content begins in `input` (for error messages).
    open: Vec<usize>,
    bindings: Vec<Binding>,
    limits: ParseLimits,
}

impl<'a> XmlReader<'a> {
    /// A reader over `input` with the given limits.
    pub fn new(input: &'a [u8], limits: ParseLimits) -> Self {
        let mut inner = Reader::from_reader(input);
        let config = inner.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlReader {
            inner,
            input,
            depth: 0,
            open: Vec::new(),
            bindings: Vec::new(),
            limits,
        }
    }

    fn malformed(&self, err: impl std::fmt::Display) -> Error {
        Error::Malformed {
            position: self.inner.buffer_position(),
            message: err.to_string(),
        }
    }

    /// The local name of the innermost open element ("" at the top level).
    fn open_element(&self) -> String {
        let Some(&offset) = self.open.last() else {
            return String::new();
        };
        let rest = self.input.get(offset..).unwrap_or_default();
        let end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            .unwrap_or(rest.len());
        let name = String::from_utf8_lossy(&rest[..end]);
        name.rsplit(':').next().unwrap_or_default().to_owned()
    }

    fn truncated(&self) -> Error {
        Error::Truncated {
            element: self.open_element(),
        }
    }

    /// Reads the next event, keeping depth, open elements and namespace bindings up to date, and
    /// resolves the namespace of start and empty tags.
    fn event(&mut self) -> Result<(Ns, Option<String>, Event<'a>)> {
        let event = match self.inner.read_event() {
            Ok(event) => event,
            Err(quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(
                _,
            ))) => {
                return Err(self.truncated());
            }
            Err(e) => return Err(self.malformed(e)),
        };
        match &event {
            Event::Start(tag) => {
                self.depth += 1;
                if self.depth > self.limits.max_depth {
                    return Err(Error::TooDeep {
                        limit: self.limits.max_depth,
                    });
                }
                let content: &str = tag;
                let offset = (content.as_ptr() as usize).wrapping_sub(self.input.as_ptr() as usize);
                self.open.push(offset);
                self.declare(tag)?;
                let (ns, uri) = self.resolve(tag)?;
                Ok((ns, uri, event))
            }
            Event::Empty(tag) => {
                // Declarations on an empty element apply to it alone.
                let before = self.bindings.len();
                self.depth += 1;
                let declared = self.declare(tag);
                let resolved = declared.and_then(|()| self.resolve(tag));
                self.bindings.truncate(before);
                self.depth -= 1;
                let (ns, uri) = resolved?;
                Ok((ns, uri, event))
            }
            Event::End(_) => {
                while self.bindings.last().is_some_and(|b| b.depth >= self.depth) {
                    self.bindings.pop();
                }
                self.depth = self.depth.saturating_sub(1);
                self.open.pop();
                Ok((Ns::None, None, event))
            }
            _ => Ok((Ns::None, None, event)),
        }
    }

    /// Records the namespace declarations of `tag` at the current depth.
    fn declare(&mut self, tag: &BytesStart<'_>) -> Result<()> {
        if !tag.attributes_raw().contains("xmlns") {
            return Ok(());
        }
        for attr in tag.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.malformed(e))?;
            let key: &str = attr.key.0;
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(prefix) => prefix,
                    None => continue,
                },
                None => continue,
            };
            let uri = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.malformed(e))?;
            self.bindings.push(Binding {
                prefix: prefix.to_owned(),
                ns: Ns::from_uri(&uri),
                uri: uri.into_owned(),
                depth: self.depth,
            });
        }
        Ok(())
    }

    /// The namespace of `tag`'s name, from the bindings in scope.
    fn resolve(&self, tag: &BytesStart<'_>) -> Result<(Ns, Option<String>)> {
        let name: &str = tag.name().0;
        if !is_xml_name(name) {
            return Err(self.malformed(format!(
                "{:?} is not an XML element name",
                name.chars().take(100).collect::<String>()
            )));
        }
        let prefix = match name.find(':') {
            Some(i) => &name[..i],
            None => "",
        };
        match self.bindings.iter().rev().find(|b| b.prefix == prefix) {
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
            let (ns, uri, event) = self.event()?;
            match event {
                Event::Start(tag) => {
                    let start = Start {
                        ns,
                        namespace_uri: uri,
                        tag,
                        empty: false,
                    };
                    return Ok(start);
                }
                Event::Empty(tag) => {
                    return Ok(Start {
                        ns,
                        namespace_uri: uri,
                        tag,
                        empty: true,
                    });
                }
                Event::DocType(_) => return Err(Error::DtdNotAllowed),
                Event::Text(t) if t.trim().is_empty() => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(self.malformed("text before the root element"));
                }
                Event::Eof => {
                    return Err(Error::Truncated {
                        element: String::new(),
                    });
                }
                Event::End(_) => return Err(self.malformed("end tag before the root element")),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
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
            let (ns, uri, event) = self.event()?;
            match event {
                Event::Start(tag) => {
                    let start = Start {
                        ns,
                        namespace_uri: uri,
                        tag,
                        empty: false,
                    };
                    return Ok(Some(start));
                }
                Event::Empty(tag) => {
                    return Ok(Some(Start {
                        ns,
                        namespace_uri: uri,
                        tag,
                        empty: true,
                    }));
                }
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.truncated()),
                Event::DocType(_) => return Err(Error::DtdNotAllowed),
                Event::GeneralRef(r) => {
                    // Mixed content between elements is not part of EWS; still validate the reference.
                    resolve_reference(&r)?;
                }
                Event::Text(_)
                | Event::CData(_)
                | Event::Comment(_)
                | Event::PI(_)
                | Event::Decl(_) => {}
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
        let (_, _, first) = self.event()?;
        let (text, pending) = match first {
            Event::End(_) => return Ok(Cow::Borrowed("")),
            Event::Text(t) => {
                let run = t.xml10_content();
                self.check_text_size(start, run.len())?;
                let (_, _, next) = self.event()?;
                if let Event::End(_) = next {
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

    /// Accumulates text runs, references and CDATA sections, starting with `pending`, up to the end tag.
    fn read_text_slow(
        &mut self,
        start: &Start<'a>,
        mut text: String,
        mut pending: Event<'a>,
    ) -> Result<String> {
        loop {
            match pending {
                Event::Text(t) => {
                    let run = t.xml10_content();
                    self.check_text_size(start, text.len() + run.len())?;
                    text.push_str(&run);
                }
                Event::CData(c) => {
                    self.check_text_size(start, text.len() + c.len())?;
                    text.push_str(&c);
                }
                Event::GeneralRef(r) => text.push_str(&resolve_reference(&r)?),
                Event::End(_) => return Ok(text),
                Event::Start(tag) => {
                    let child = Start {
                        ns: Ns::Other,
                        namespace_uri: None,
                        tag,
                        empty: false,
                    };
                    self.skip(&child)?;
                }
                Event::Empty(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::DocType(_) => return Err(Error::DtdNotAllowed),
                Event::Eof => return Err(self.truncated()),
            }
            self.check_text_size(start, text.len())?;
            pending = self.event()?.2;
        }
    }

    /// Skips the whole content of `start`, checking well-formedness and limits on the way.
    pub fn skip(&mut self, start: &Start<'a>) -> Result<()> {
        if start.empty {
            return Ok(());
        }
        let target = self.depth - 1;
        while self.depth > target {
            let (_, _, event) = self.event()?;
            match event {
                Event::Start(_) | Event::End(_) => {}
                Event::Text(t) if t.len() > self.limits.max_text_bytes => {
                    return Err(Error::TextTooLarge {
                        element: self.open_element(),
                        limit: self.limits.max_text_bytes,
                    });
                }
                Event::GeneralRef(r) => {
                    resolve_reference(&r)?;
                }
                Event::DocType(_) => return Err(Error::DtdNotAllowed),
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
            let (_, _, event) = self.event()?;
            match event {
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.truncated()),
                other => check_trailing(other, after)?,
            }
        }
    }

    /// Consumes the input after the root element `after`: only whitespace, comments and processing
    /// instructions may follow it.
    pub(crate) fn expect_eof(&mut self, after: &str) -> Result<()> {
        loop {
            let (_, _, event) = self.event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::End(_) => return Err(self.malformed("an end tag after the root element")),
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
/// instructions); anything else is [`Error::TrailingContent`] (or the DTD error).
fn check_trailing(event: Event<'_>, after: &str) -> Result<()> {
    let found = match event {
        Event::Text(t) if t.trim().is_empty() => return Ok(()),
        Event::Comment(_) | Event::PI(_) => return Ok(()),
        Event::DocType(_) => return Err(Error::DtdNotAllowed),
        Event::Start(tag) | Event::Empty(tag) => {
            let name: &str = tag.name().0;
            format!("element <{name}>")
        }
        Event::Text(t) => {
            format!("text {:?}", t.trim().chars().take(40).collect::<String>())
        }
        Event::CData(_) => "CDATA".to_owned(),
        Event::GeneralRef(r) => {
            let name: &str = &r;
            format!("text &{name};")
        }
        Event::Decl(_) => "an XML declaration".to_owned(),
        Event::End(_) | Event::Eof => return Ok(()),
    };
    Err(Error::TrailingContent {
        after: after.to_owned(),
        found,
    })
}

/// Whether `name` is an XML name (`NameStartChar NameChar*`). quick-xml ends a tag name at whitespace,
/// `/` or `>` and checks nothing else, so `<t:Odd"=x>` would otherwise yield the name `t:Odd"=x`, which
/// the model keeps for unknown kinds and would write back as broken or injected markup. ASCII is checked
/// exactly; non-ASCII characters are accepted (the XML ranges exclude only a few rare code points).
fn is_xml_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    let Some(first) = bytes.next() else {
        return false;
    };
    let start_ok = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80;
    start_ok(first) && bytes.all(|b| start_ok(b) || b.is_ascii_digit() || b == b'-' || b == b'.')
}

fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Result<Cow<'static, str>> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(Cow::Owned(c.to_string())),
            _ => Err(Error::UnknownEntity(r.to_string())),
        };
    }
    let name: &str = r;
    Ok(Cow::Borrowed(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => return Err(Error::UnknownEntity(other.chars().take(100).collect())),
    }))
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
