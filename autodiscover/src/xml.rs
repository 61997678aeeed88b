//! A small, bounded, namespace-aware element tree over quick-xml.
//!
//! Autodiscover answers are tiny documents, so the parsers build a tree and query it. The tree keeps
//! each element's namespace URI (resolved, never the prefix) and local name. Input is bounded in size,
//! depth and element count, so hostile bytes cannot exhaust memory, and no input panics.

use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

/// Largest document accepted (1 MiB); real Autodiscover answers are a few KiB.
pub(crate) const MAX_DOCUMENT_BYTES: usize = 1 << 20;
const MAX_DEPTH: usize = 48;
const MAX_ELEMENTS: usize = 20_000;

/// Autodiscover POX request namespace.
pub(crate) const NS_POX_REQUEST: &str =
    "schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
/// POX response envelope (and error) namespace.
pub(crate) const NS_POX_RESPONSE: &str =
    "schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
/// POX "outlook" response namespace, the one requested as `AcceptableResponseSchema`.
pub(crate) const NS_POX_OUTLOOK_RESPONSE: &str =
    "schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
/// SOAP Autodiscover (GetUserSettings) namespace.
pub(crate) const NS_SOAP_AUTODISCOVER: &str = "schemas.microsoft.com/exchange/2010/Autodiscover";
/// SOAP 1.1 envelope namespace.
pub(crate) const NS_SOAP11: &str = "schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace.
pub(crate) const NS_SOAP12: &str = "www.w3.org/2003/05/soap-envelope";

/// Compares a resolved namespace URI with one of the constants above, ignoring whether the document
/// spelled it `http://` or `https://` (Microsoft's samples contain the `https://schemas…` typo) and a
/// trailing slash.
pub(crate) fn namespace_is(uri: &str, expected: &str) -> bool {
    let strip = |s: &str| -> String {
        let s = s.trim();
        let s = s
            .strip_prefix("http://")
            .or_else(|| s.strip_prefix("https://"))
            .unwrap_or(s);
        s.trim_end_matches('/').to_ascii_lowercase()
    };
    strip(uri) == strip(expected)
}

/// One element: resolved namespace URI, local name, text and children. Attributes are checked for
/// well-formedness but not kept: no Autodiscover decision depends on one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// Whether this element has local name `name` in namespace `namespace`.
    pub(crate) fn is(&self, namespace: &str, name: &str) -> bool {
        self.name == name && namespace_is(&self.namespace, namespace)
    }

    /// First child with the given namespace and local name.
    pub(crate) fn child(&self, namespace: &str, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(namespace, name))
    }

    /// All children with the given namespace and local name.
    pub(crate) fn children_named<'a>(
        &'a self,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.is(namespace, name))
    }

    /// Trimmed text of the first matching child, `None` when absent or empty.
    pub(crate) fn child_text(&self, namespace: &str, name: &str) -> Option<String> {
        self.child(namespace, name)
            .map(|c| c.text.trim().to_owned())
            .filter(|t| !t.is_empty())
    }
}

/// Why a document could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError(pub(crate) String);

/// Parses `bytes` into an element tree.
///
/// Tolerance: a document whose only defect is a broken end of the root element (for example a
/// truncated `</s:Envelope`, as in one Microsoft sample) is accepted, because everything inside the
/// root was read completely. Any other defect is an error.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(XmlError(format!(
            "document of {} bytes exceeds the {MAX_DOCUMENT_BYTES}-byte limit",
            bytes.len()
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|e| XmlError(format!("document is not UTF-8: {e}")))?;
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let event = reader.read_resolved_event();
        let (namespace, event) = match event {
            Ok((ns, ev)) => (namespace_string(&ns), ev),
            Err(e) => {
                // Accept a damaged root end tag once everything inside the root is complete.
                if stack.len() == 1 && root.is_none() {
                    return stack.pop().ok_or_else(|| XmlError(e.to_string()));
                }
                return Err(XmlError(e.to_string()));
            }
        };
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let _ = start;
                return Err(XmlError("content after the root element".into()));
            }
            Event::Start(start) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(XmlError("document too large or too deeply nested".into()));
                }
                stack.push(element_from(namespace, &start)?);
            }
            Event::Empty(start) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(XmlError("document too large or too deeply nested".into()));
                }
                let element = element_from(namespace, &start)?;
                attach(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| XmlError("unbalanced end tag".into()))?;
                attach(&mut stack, &mut root, element);
            }
            Event::Text(t) => append_text(&mut stack, &t.xml10_content()),
            Event::CData(c) => {
                append_text(&mut stack, &c.xml10_content());
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(ch)) => ch.to_string(),
                    Ok(None) => resolve_predefined_entity(&r.xml10_content())
                        .map(str::to_owned)
                        .ok_or_else(|| XmlError(format!("unknown entity &{};", &*r)))?,
                    Err(e) => return Err(XmlError(e.to_string())),
                };
                append_text(&mut stack, &resolved);
            }
            Event::Eof => {
                if !stack.is_empty() {
                    if stack.len() == 1 && root.is_none() {
                        return stack.pop().ok_or_else(|| XmlError("empty document".into()));
                    }
                    return Err(XmlError("document ends inside an element".into()));
                }
                return root.ok_or_else(|| XmlError("document has no root element".into()));
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn namespace_string(ns: &ResolveResult<'_>) -> String {
    match ns {
        ResolveResult::Bound(ns) => ns.as_ref().to_owned(),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => String::new(),
    }
}

fn element_from(namespace: String, start: &BytesStart<'_>) -> Result<Element, XmlError> {
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| XmlError(e.to_string()))?;
        attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| XmlError(e.to_string()))?;
    }
    Ok(Element {
        namespace,
        name: start.local_name().as_ref().to_owned(),
        text: String::new(),
        children: Vec::new(),
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn append_text(stack: &mut [Element], text: &str) {
    if let Some(current) = stack.last_mut() {
        current.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_namespaces_not_prefixes() {
        let doc = br#"<x:A xmlns:x="http://schemas.microsoft.com/exchange/2010/Autodiscover"><y:B xmlns:y="https://schemas.microsoft.com/exchange/2010/Autodiscover">t &amp; u</y:B></x:A>"#;
        let root = parse(doc).unwrap();
        assert!(root.is(NS_SOAP_AUTODISCOVER, "A"));
        assert_eq!(
            root.child_text(NS_SOAP_AUTODISCOVER, "B").as_deref(),
            Some("t & u")
        );
        let wrong = br#"<x:A xmlns:x="urn:other"/>"#;
        assert!(!parse(wrong).unwrap().is(NS_SOAP_AUTODISCOVER, "A"));
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for doc in [
            &b""[..],
            b"<",
            b"<a><b></a>",
            b"\xff\xfe<a/>",
            b"<a/><b/>",
            b"<a>&bogus;</a>",
        ] {
            assert!(parse(doc).is_err(), "{doc:?}");
        }
    }

    #[test]
    fn bounds_depth() {
        let doc = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(doc.as_bytes()).is_err());
    }
}
