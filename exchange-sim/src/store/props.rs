//! Item properties addressed by path: projecting an item onto a response shape, and the three kinds of
//! UpdateItem change (set, append, delete).
//!
//! A plain property is one child element of the item (`item:Subject` is `<t:Subject>`), so these work on
//! the item's serialized children through `ews-types`' own writer and reader: every property the model
//! knows is covered, in schema order, without a table per field. Dictionary entries of contacts
//! (`IndexedFieldURI`) and extended properties are handled on the typed model.

use std::ops::Range;

use ews_types::items::{Contact, Item};
use ews_types::types::{ExtendedFieldUri, ExtendedProperty, PropertyPath};
use ews_types::xml::{ParseLimits, TYPES_NS, XmlChoice, XmlReader, XmlWriter};
use quick_xml::events::Event;

/// Why a property change cannot be applied (each maps to an EWS response code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PropertyError {
    /// The item kind has no such property (`ErrorInvalidPropertySet`).
    NotOnThisKind(String),
    /// The change carried no value for the property (`ErrorIncorrectUpdatePropertyCount`).
    NoValue(String),
    /// The property cannot be appended to (`ErrorInvalidPropertyAppend`).
    CannotAppend(String),
}

/// The element name of a schema property path (`item:Subject` is `Subject`).
pub(crate) fn element_name(uri: &str) -> &str {
    uri.rsplit(':').next().unwrap_or(uri)
}

struct Split {
    /// The item's kind tag, e.g. `t:Message`.
    tag: String,
    bytes: Vec<u8>,
    /// Local name and byte range of each child element.
    children: Vec<(String, Range<usize>)>,
}

fn split(item: &Item) -> Split {
    let mut w = XmlWriter::new();
    item.write_choice(&mut w);
    let bytes = w.into_bytes();
    let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
    let mut depth = 0usize;
    let mut tag = String::new();
    let mut children = Vec::new();
    let mut open: Option<(String, usize)> = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(start) => {
                let name = start.name().into_inner().to_owned();
                if depth == 0 {
                    tag = name;
                } else if depth == 1 {
                    open = Some((local(&name).to_owned(), before));
                }
                depth += 1;
            }
            Event::Empty(start) => {
                let name = start.name().into_inner().to_owned();
                if depth == 0 {
                    tag = name;
                } else if depth == 1 {
                    children.push((local(&name).to_owned(), before..after));
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some((name, start)) = open.take() {
                        children.push((name, start..after));
                    }
                }
            }
            _ => {}
        }
    }
    Split {
        tag,
        bytes,
        children,
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Builds an item of kind `tag` from serialized children, through the `ews-types` reader.
fn assemble<'a>(tag: &str, parts: impl IntoIterator<Item = &'a [u8]>) -> Option<Item> {
    let mut xml = format!("<{tag} xmlns:t=\"{TYPES_NS}\">").into_bytes();
    for part in parts {
        xml.extend_from_slice(part);
    }
    xml.extend_from_slice(format!("</{tag}>").as_bytes());
    let mut reader = XmlReader::new(&xml, ParseLimits::default());
    let root = reader.root().ok()?;
    Item::read_choice(&mut reader, &root).ok().flatten()
}

/// The names of `item`'s properties that hold a value (child elements), in schema order.
pub(crate) fn present_properties(item: &Item) -> Vec<String> {
    split(item).children.into_iter().map(|(n, _)| n).collect()
}

/// `item` with only the properties `keep` accepts (by element name). Extended properties are kept only
/// when `extended` lists them.
pub(crate) fn project(
    item: &Item,
    keep: impl Fn(&str) -> bool,
    extended: &[ExtendedFieldUri],
) -> Item {
    let parts = split(item);
    let kept = parts
        .children
        .iter()
        .filter(|(name, _)| name != "ExtendedProperty" && keep(name))
        .filter_map(|(_, range)| parts.bytes.get(range.clone()));
    let mut out = assemble(&parts.tag, kept).unwrap_or_else(|| item.clone());
    out.fields_mut().extended_properties = item
        .fields()
        .extended_properties
        .iter()
        .filter(|p| {
            p.field_uri
                .as_ref()
                .is_some_and(|uri| extended.iter().any(|want| same_property(want, uri)))
        })
        .cloned()
        .collect();
    out
}

/// Whether two addresses name the same extended property (the type is not part of the identity).
pub(crate) fn same_property(a: &ExtendedFieldUri, b: &ExtendedFieldUri) -> bool {
    let guid = |s: &Option<String>| s.as_ref().map(|g| g.to_ascii_lowercase());
    let tag = |s: &Option<String>| {
        s.as_ref().and_then(|t| {
            let t = t.trim();
            let hex = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"));
            match hex {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => t.parse().ok(),
            }
        })
    };
    a.distinguished_property_set == b.distinguished_property_set
        && guid(&a.property_set_id) == guid(&b.property_set_id)
        && tag(&a.property_tag) == tag(&b.property_tag)
        && a.property_name == b.property_name
        && a.property_id == b.property_id
}

/// The values of a property as text, for restrictions and sorting: every text node of its element
/// (a list such as `Categories` has several), or the `Id` of an id element.
pub(crate) fn values(item: &Item, path: &PropertyPath) -> Vec<String> {
    match path {
        PropertyPath::Extended(uri) => item
            .fields()
            .extended_properties
            .iter()
            .filter(|p| p.field_uri.as_ref().is_some_and(|u| same_property(u, uri)))
            .flat_map(|p| p.value.iter().chain(p.values.iter().flatten()).cloned())
            .collect(),
        PropertyPath::Field(uri) => {
            let name = element_name(uri);
            let parts = split(item);
            parts
                .children
                .iter()
                .filter(|(n, _)| n == name)
                .filter_map(|(_, r)| parts.bytes.get(r.clone()))
                .flat_map(texts)
                .collect()
        }
        PropertyPath::Indexed {
            field_uri,
            field_index,
        } => {
            let Item::Contact(c) = item else {
                return Vec::new();
            };
            let found = match element_name(field_uri) {
                "EmailAddress" => {
                    find_key(&c.email_addresses, field_index, |e| &e.key).map(|e| e.address)
                }
                "PhoneNumber" => {
                    find_key(&c.phone_numbers, field_index, |e| &e.key).map(|e| e.value)
                }
                "ImAddress" => find_key(&c.im_addresses, field_index, |e| &e.key).map(|e| e.value),
                _ => None,
            };
            found.into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// The text nodes of an element, or its `Id` attribute when it has no text (ids).
fn texts(element: &[u8]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_reader(element);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut id = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Text(t) => current.push_str(&t.xml10_content()),
            Event::CData(c) => current.push_str(&c),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let resolved = match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                current.extend(resolved);
            }
            Event::Start(e) | Event::Empty(e) => {
                flush(&mut current, &mut out);
                if id.is_none() {
                    id = e
                        .try_get_attribute("Id")
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned());
                }
            }
            Event::End(_) => flush(&mut current, &mut out),
            _ => {}
        }
    }
    if out.is_empty() {
        out.extend(id);
    }
    out
}

fn flush(current: &mut String, out: &mut Vec<String>) {
    if !current.trim().is_empty() {
        out.push(std::mem::take(current));
    }
    current.clear();
}

/// Applies `SetItemField`: the value of `path` in `patch` replaces the one in `stored`.
pub(crate) fn set(
    stored: &mut Item,
    path: &PropertyPath,
    patch: &Item,
) -> Result<(), PropertyError> {
    match path {
        PropertyPath::Extended(uri) => {
            let value = patch
                .fields()
                .extended_properties
                .iter()
                .find(|p| p.field_uri.as_ref().is_some_and(|u| same_property(u, uri)))
                .cloned()
                .ok_or_else(|| PropertyError::NoValue(describe(path)))?;
            let props = &mut stored.fields_mut().extended_properties;
            props.retain(|p| !p.field_uri.as_ref().is_some_and(|u| same_property(u, uri)));
            props.push(value);
            Ok(())
        }
        PropertyPath::Indexed {
            field_uri,
            field_index,
        } => set_indexed(stored, field_uri, field_index, patch),
        PropertyPath::Field(uri) => {
            let name = element_name(uri);
            let source = split(patch);
            let value = source
                .children
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, r)| source.bytes.get(r.clone()))
                .ok_or_else(|| PropertyError::NoValue(uri.clone()))?;
            replace_element(stored, name, Some(value), uri)
        }
        _ => Err(PropertyError::NotOnThisKind(describe(path))),
    }
}

/// Applies `DeleteItemField`.
pub(crate) fn delete(stored: &mut Item, path: &PropertyPath) -> Result<(), PropertyError> {
    match path {
        PropertyPath::Extended(uri) => {
            stored
                .fields_mut()
                .extended_properties
                .retain(|p| !p.field_uri.as_ref().is_some_and(|u| same_property(u, uri)));
            Ok(())
        }
        PropertyPath::Indexed {
            field_uri,
            field_index,
        } => {
            let Item::Contact(contact) = stored else {
                return Err(PropertyError::NotOnThisKind(field_uri.clone()));
            };
            remove_indexed(contact, field_uri, field_index)
        }
        PropertyPath::Field(uri) => {
            let name = element_name(uri);
            if !present_properties(stored).iter().any(|n| n == name) {
                // Deleting an unset property is not an error; check that the kind has it at all by
                // writing a probe value would need a value per type, so accept it.
                return Ok(());
            }
            replace_element(stored, name, None, uri)
        }
        _ => Err(PropertyError::NotOnThisKind(describe(path))),
    }
}

/// Applies `AppendToItemField`: recipients and attendees are added to the list, text to the body.
pub(crate) fn append(
    stored: &mut Item,
    path: &PropertyPath,
    patch: &Item,
) -> Result<(), PropertyError> {
    let PropertyPath::Field(uri) = path else {
        return Err(PropertyError::CannotAppend(describe(path)));
    };
    let name = element_name(uri);
    if name == "Body" {
        let Some(extra) = patch.fields().body.clone() else {
            return Err(PropertyError::NoValue(uri.clone()));
        };
        let body = &mut stored.fields_mut().body;
        match body {
            Some(existing) => existing.content.push_str(&extra.content),
            None => *body = Some(extra),
        }
        return Ok(());
    }
    const LISTS: [&str; 7] = [
        "ToRecipients",
        "CcRecipients",
        "BccRecipients",
        "ReplyTo",
        "RequiredAttendees",
        "OptionalAttendees",
        "Resources",
    ];
    if !LISTS.contains(&name) {
        return Err(PropertyError::CannotAppend(uri.clone()));
    }
    let source = split(patch);
    let added = source
        .children
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, r)| source.bytes.get(r.clone()))
        .ok_or_else(|| PropertyError::NoValue(uri.clone()))?;
    let target = split(stored);
    let existing = target
        .children
        .iter()
        .find(|(n, _)| n == name)
        .and_then(|(_, r)| target.bytes.get(r.clone()));
    let merged = match existing {
        None => added.to_vec(),
        Some(existing) => {
            // `<t:X>a</t:X>` + `<t:X>b</t:X>` is `<t:X>ab</t:X>`.
            let close = format!("</t:{name}>");
            let open_end = added.iter().position(|&b| b == b'>').map_or(0, |p| p + 1);
            let inner_added = added
                .get(open_end..added.len().saturating_sub(close.len()))
                .unwrap_or_default();
            let mut merged = existing
                .get(..existing.len().saturating_sub(close.len()))
                .unwrap_or_default()
                .to_vec();
            merged.extend_from_slice(inner_added);
            merged.extend_from_slice(close.as_bytes());
            merged
        }
    };
    replace_element(stored, name, Some(&merged), uri)
}

/// Replaces (or with `None` removes) the child element `name` of `stored`.
fn replace_element(
    stored: &mut Item,
    name: &str,
    value: Option<&[u8]>,
    uri: &str,
) -> Result<(), PropertyError> {
    let target = split(stored);
    let mut parts: Vec<&[u8]> = target
        .children
        .iter()
        .filter(|(n, _)| n != name)
        .filter_map(|(_, r)| target.bytes.get(r.clone()))
        .collect();
    if let Some(value) = value {
        parts.push(value);
    }
    let rebuilt =
        assemble(&target.tag, parts).ok_or_else(|| PropertyError::NotOnThisKind(uri.to_owned()))?;
    if value.is_some() && !present_properties(&rebuilt).iter().any(|n| n == name) {
        // The reader of this item kind does not know the element: the kind has no such property.
        return Err(PropertyError::NotOnThisKind(uri.to_owned()));
    }
    // The extended properties went through the XML too, but keep the typed ones to be safe.
    let extended: Vec<ExtendedProperty> = stored.fields().extended_properties.clone();
    *stored = rebuilt;
    stored.fields_mut().extended_properties = extended;
    Ok(())
}

fn describe(path: &PropertyPath) -> String {
    match path {
        PropertyPath::Field(uri) => uri.clone(),
        PropertyPath::Indexed {
            field_uri,
            field_index,
        } => format!("{field_uri}[{field_index}]"),
        PropertyPath::Extended(uri) => format!(
            "extended property {}",
            uri.property_name
                .clone()
                .or_else(|| uri.property_tag.clone())
                .or_else(|| uri.property_id.map(|i| i.to_string()))
                .unwrap_or_default()
        ),
        _ => "an unknown property path".to_owned(),
    }
}

fn set_indexed(
    stored: &mut Item,
    field_uri: &str,
    index: &str,
    patch: &Item,
) -> Result<(), PropertyError> {
    let (Item::Contact(contact), Item::Contact(source)) = (stored, patch) else {
        return Err(PropertyError::NotOnThisKind(field_uri.to_owned()));
    };
    let missing = || PropertyError::NoValue(format!("{field_uri}[{index}]"));
    match element_name(field_uri) {
        "EmailAddress" => {
            let entry = find_key(&source.email_addresses, index, |e| &e.key).ok_or_else(missing)?;
            upsert(&mut contact.email_addresses, entry, |e| &e.key);
        }
        "PhoneNumber" => {
            let entry = find_key(&source.phone_numbers, index, |e| &e.key).ok_or_else(missing)?;
            upsert(&mut contact.phone_numbers, entry, |e| &e.key);
        }
        "ImAddress" => {
            let entry = find_key(&source.im_addresses, index, |e| &e.key).ok_or_else(missing)?;
            upsert(&mut contact.im_addresses, entry, |e| &e.key);
        }
        part => {
            // contacts:PhysicalAddress:Street and friends: one part of one postal address.
            let entry =
                find_key(&source.physical_addresses, index, |e| &e.key).ok_or_else(missing)?;
            let list = contact.physical_addresses.get_or_insert_with(Vec::new);
            let target = match list.iter_mut().position(|e| e.key == index) {
                Some(at) => &mut list[at],
                None => {
                    list.push(ews_types::items::PhysicalAddressEntry {
                        key: index.to_owned(),
                        address: Default::default(),
                    });
                    let last = list.len() - 1;
                    &mut list[last]
                }
            };
            let (to, from) = (&mut target.address, &entry.address);
            match part {
                "Street" => to.street = from.street.clone(),
                "City" => to.city = from.city.clone(),
                "State" => to.state = from.state.clone(),
                "CountryOrRegion" => to.country_or_region = from.country_or_region.clone(),
                "PostalCode" => to.postal_code = from.postal_code.clone(),
                _ => return Err(PropertyError::NotOnThisKind(field_uri.to_owned())),
            }
        }
    }
    Ok(())
}

fn remove_indexed(
    contact: &mut Contact,
    field_uri: &str,
    index: &str,
) -> Result<(), PropertyError> {
    match element_name(field_uri) {
        "EmailAddress" => remove_key(&mut contact.email_addresses, index, |e| &e.key),
        "PhoneNumber" => remove_key(&mut contact.phone_numbers, index, |e| &e.key),
        "ImAddress" => remove_key(&mut contact.im_addresses, index, |e| &e.key),
        "Street" | "City" | "State" | "CountryOrRegion" | "PostalCode" => {
            if let Some(entry) = contact
                .physical_addresses
                .as_mut()
                .and_then(|l| l.iter_mut().find(|e| e.key == index))
            {
                let a = &mut entry.address;
                match element_name(field_uri) {
                    "Street" => a.street = None,
                    "City" => a.city = None,
                    "State" => a.state = None,
                    "CountryOrRegion" => a.country_or_region = None,
                    _ => a.postal_code = None,
                }
            }
        }
        _ => return Err(PropertyError::NotOnThisKind(field_uri.to_owned())),
    }
    Ok(())
}

fn find_key<T: Clone>(list: &Option<Vec<T>>, key: &str, k: impl Fn(&T) -> &String) -> Option<T> {
    list.as_ref()?.iter().find(|e| k(e) == key).cloned()
}

fn upsert<T>(list: &mut Option<Vec<T>>, entry: T, k: impl Fn(&T) -> &String) {
    let list = list.get_or_insert_with(Vec::new);
    match list.iter().position(|e| k(e) == k(&entry)) {
        Some(at) => list[at] = entry,
        None => list.push(entry),
    }
}

fn remove_key<T>(list: &mut Option<Vec<T>>, key: &str, k: impl Fn(&T) -> &String) {
    if let Some(l) = list {
        l.retain(|e| k(e) != key);
        if l.is_empty() {
            *list = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ews_types::items::Message;
    use ews_types::types::{EmailAddress, MapiPropertyType};

    fn message(subject: &str) -> Item {
        let mut m = Message::default();
        m.item.subject = Some(subject.to_owned());
        m.item.categories = Some(vec!["Red".into()]);
        m.to_recipients = Some(vec![EmailAddress::smtp("a@x.example")]);
        m.is_read = Some(false);
        Item::from(m)
    }

    #[test]
    fn set_delete_and_append_work_on_any_plain_property() {
        let mut item = message("old");
        set(
            &mut item,
            &PropertyPath::field("item:Subject"),
            &message("new"),
        )
        .unwrap();
        assert_eq!(item.fields().subject.as_deref(), Some("new"));
        delete(&mut item, &PropertyPath::field("item:Categories")).unwrap();
        assert_eq!(item.fields().categories, None);
        let more = Message {
            to_recipients: Some(vec![EmailAddress::smtp("b@x.example")]),
            ..Message::default()
        };
        append(
            &mut item,
            &PropertyPath::field("message:ToRecipients"),
            &Item::from(more),
        )
        .unwrap();
        let Item::Message(m) = &item else { panic!() };
        assert_eq!(m.to_recipients.as_ref().map(Vec::len), Some(2));
        assert_eq!(m.is_read, Some(false));
        assert_eq!(
            set(
                &mut item,
                &PropertyPath::field("calendar:Start"),
                &message("x")
            ),
            Err(PropertyError::NoValue("calendar:Start".into()))
        );
    }

    #[test]
    fn projection_keeps_what_is_asked_and_extended_only_on_request() {
        let mut item = message("s");
        let uri = ExtendedFieldUri::named(
            "c11ff724-aa03-4555-9952-8fa248a11c3e",
            "CrmId",
            MapiPropertyType::String,
        );
        item.fields_mut()
            .extended_properties
            .push(ExtendedProperty::new(uri.clone(), "42"));
        let bare = project(&item, |n| n == "Subject", &[]);
        assert_eq!(bare.fields().subject.as_deref(), Some("s"));
        assert_eq!(bare.fields().categories, None);
        assert!(bare.fields().extended_properties.is_empty());
        let with = project(&item, |_| false, std::slice::from_ref(&uri));
        assert_eq!(with.fields().extended_properties.len(), 1);
        assert_eq!(with.kind(), "Message");
    }
}
