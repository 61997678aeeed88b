//! A pull reader over a byte slice that resolves namespaces, enforces limits and never panics.

use std::borrow::Cow;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

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

    /// The unescaped value of an unqualified attribute, by local name.
    pub fn attr(&self, name: &str) -> Result<Option<Cow<'_, str>>> {
        for attr in self.tag.attributes().with_checks(false) {
            let attr = attr.map_err(|e| Error::Malformed {
                position: 0,
                message: format!("bad attribute in <{}>: {e}", self.local_name()),
            })?;
            let key: &str = attr.key.0;
            let local = key.rsplit(':').next().unwrap_or(key);
            if local == name && !key.starts_with("xmlns") {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| Error::Malformed {
                        position: 0,
                        message: format!("bad value of @{name} in <{}>: {e}", self.local_name()),
                    })?;
                return Ok(Some(value.into_owned().into()));
            }
        }
        Ok(None)
    }

    /// The local names of the element's attributes (namespace declarations excluded), in document order.
    pub fn attribute_names(&self) -> Result<Vec<String>> {
        let mut names = Vec::new();
        for attr in self.tag.attributes().with_checks(false) {
            let attr = attr.map_err(|e| Error::Malformed {
                position: 0,
                message: format!("bad attribute in <{}>: {e}", self.local_name()),
            })?;
            let key: &str = attr.key.0;
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            names.push(key.rsplit(':').next().unwrap_or(key).to_owned());
        }
        Ok(names)
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

/// A namespace-aware pull reader over one XML document held in memory.
///
/// Use [`XmlReader::root`] once, then, for each element, either read its children with
/// [`XmlReader::next_child`] until it returns `None`, read its text with [`XmlReader::read_text`], or skip
/// it with [`XmlReader::skip`].
pub struct XmlReader<'a> {
    inner: NsReader<&'a [u8]>,
    depth: usize,
    open: Vec<String>,
    limits: ParseLimits,
}

impl<'a> XmlReader<'a> {
    /// A reader over `input` with the given limits.
    pub fn new(input: &'a [u8], limits: ParseLimits) -> Self {
        let mut inner = NsReader::from_reader(input);
        let config = inner.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        XmlReader {
            inner,
            depth: 0,
            open: Vec::new(),
            limits,
        }
    }

    fn malformed(&self, err: impl std::fmt::Display) -> Error {
        Error::Malformed {
            position: self.inner.buffer_position(),
            message: err.to_string(),
        }
    }

    fn truncated(&self) -> Error {
        Error::Truncated {
            element: self.open.last().cloned().unwrap_or_default(),
        }
    }

    fn event(&mut self) -> Result<(Ns, Option<String>, Event<'a>)> {
        let (resolved, event) = match self.inner.read_resolved_event() {
            Ok(pair) => pair,
            Err(quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(
                _,
            ))) => {
                return Err(self.truncated());
            }
            Err(e) => return Err(self.malformed(e)),
        };
        let (ns, uri) = match resolved {
            ResolveResult::Bound(namespace) => {
                let uri: &str = namespace.0;
                match Ns::from_uri(uri) {
                    Ns::Other => (Ns::Other, Some(uri.to_owned())),
                    known => (known, None),
                }
            }
            ResolveResult::Unbound => (Ns::None, None),
            ResolveResult::Unknown(prefix) => {
                return Err(self.malformed(format!("undeclared namespace prefix {prefix:?}")));
            }
        };
        Ok((ns, uri, event))
    }

    fn enter(&mut self, start: &Start<'a>) -> Result<()> {
        if start.empty {
            return Ok(());
        }
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(Error::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        self.open.push(start.local_name().to_owned());
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.open.pop();
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
                    self.enter(&start)?;
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
                    self.enter(&start)?;
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
                Event::End(_) => {
                    self.leave();
                    return Ok(None);
                }
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

    /// The text content of `start` (entities resolved, CDATA included). Child elements, which EWS never
    /// puts in text-only elements, are skipped.
    pub fn read_text(&mut self, start: &Start<'a>) -> Result<String> {
        if start.empty {
            return Ok(String::new());
        }
        let mut text = String::new();
        loop {
            let (_, _, event) = self.event()?;
            let incoming = match &event {
                Event::Text(t) => t.len(),
                Event::CData(c) => c.len(),
                _ => 0,
            };
            if text.len() + incoming > self.limits.max_text_bytes {
                return Err(Error::TextTooLarge {
                    element: start.local_name().to_owned(),
                    limit: self.limits.max_text_bytes,
                });
            }
            match event {
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(c) => text.push_str(&c),
                Event::GeneralRef(r) => text.push_str(&resolve_reference(&r)?),
                Event::End(_) => {
                    self.leave();
                    return Ok(text);
                }
                Event::Start(tag) => {
                    let child = Start {
                        ns: Ns::Other,
                        namespace_uri: None,
                        tag,
                        empty: false,
                    };
                    self.enter(&child)?;
                    self.skip(&child)?;
                }
                Event::Empty(_) | Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::DocType(_) => return Err(Error::DtdNotAllowed),
                Event::Eof => return Err(self.truncated()),
            }
            if text.len() > self.limits.max_text_bytes {
                return Err(Error::TextTooLarge {
                    element: start.local_name().to_owned(),
                    limit: self.limits.max_text_bytes,
                });
            }
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
                Event::Start(tag) => {
                    let child = Start {
                        ns: Ns::Other,
                        namespace_uri: None,
                        tag,
                        empty: false,
                    };
                    self.enter(&child)?;
                }
                Event::End(_) => self.leave(),
                Event::Text(t) if t.len() > self.limits.max_text_bytes => {
                    return Err(Error::TextTooLarge {
                        element: self.open.last().cloned().unwrap_or_default(),
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
                Event::End(_) => {
                    self.leave();
                    return Ok(());
                }
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
