//! Item and folder shapes: which properties a response carries.

use ews_types::folders::{Folder, FolderFields};
use ews_types::items::Item;
use ews_types::types::{BaseShape, ExtendedFieldUri, FolderShape, ItemShape, PropertyPath};

use crate::store::props::{element_name, project};
use crate::store::{Folder as StoredFolder, Mailbox, StoredItem};

/// Where items are shown: FindItem never returns bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// GetItem and sync: everything the shape asks for.
    Full,
    /// FindItem: no bodies.
    Find,
}

/// The element holding an indexed property (`contacts:EmailAddress` entries live in `EmailAddresses`).
fn indexed_element(field_uri: &str) -> &'static str {
    match element_name(field_uri) {
        "EmailAddress" => "EmailAddresses",
        "PhoneNumber" => "PhoneNumbers",
        "ImAddress" => "ImAddresses",
        _ => "PhysicalAddresses",
    }
}

/// Whether the shape asks for the id alone (the cheap case, which needs no rendering).
pub(crate) fn is_id_only(shape: &ItemShape) -> bool {
    shape.base_shape == BaseShape::IdOnly
        && shape
            .additional_properties
            .as_deref()
            .unwrap_or_default()
            .is_empty()
}

/// An item as `shape` shows it.
pub(crate) fn item(
    mailbox: &Mailbox,
    stored: &StoredItem,
    shape: &ItemShape,
    listing: Listing,
) -> Item {
    if is_id_only(shape) {
        return mailbox.render_id_only(stored);
    }
    of_full(&mailbox.render_full(stored), shape, listing)
}

/// A fully rendered item (with its ids) as `shape` shows it.
pub(crate) fn of_full(full: &Item, shape: &ItemShape, listing: Listing) -> Item {
    let additional = shape.additional_properties.as_deref().unwrap_or_default();
    if is_id_only(shape) {
        if let Some(id) = full.id() {
            return crate::store::id_only(full, id.clone());
        }
    }
    let mut names: Vec<&str> = vec!["ItemId"];
    let mut extended: Vec<ExtendedFieldUri> = Vec::new();
    for path in additional {
        match path {
            PropertyPath::Field(uri) => names.push(element_name(uri)),
            PropertyPath::Indexed { field_uri, .. } => names.push(indexed_element(field_uri)),
            PropertyPath::Extended(uri) => extended.push(uri.clone()),
            _ => {}
        }
    }
    let base_all = !matches!(shape.base_shape, BaseShape::IdOnly);
    let mime = shape.include_mime_content == Some(true);
    let keep = |name: &str| {
        if names.contains(&name) {
            return !(listing == Listing::Find && matches!(name, "Body" | "UniqueBody"));
        }
        if !base_all {
            return false;
        }
        match name {
            "MimeContent" => mime,
            "Body" | "UniqueBody" => listing == Listing::Full,
            _ => true,
        }
    };
    project(full, keep, &extended)
}

/// A folder as `shape` shows it.
pub(crate) fn folder(mailbox: &Mailbox, stored: &StoredFolder, shape: &FolderShape) -> Folder {
    let id = mailbox.folder_id(stored.key);
    if shape.base_shape == BaseShape::IdOnly && shape.additional_properties.is_none() {
        return Folder {
            kind: stored.kind.clone(),
            fields: FolderFields {
                folder_id: Some(id),
                ..FolderFields::default()
            },
            unread_count: None,
        };
    }
    let unread = mailbox.unread_count(stored);
    let children = mailbox.child_count(stored);
    Folder {
        kind: stored.kind.clone(),
        fields: FolderFields {
            folder_id: Some(id),
            parent_folder_id: stored.parent.map(|p| mailbox.folder_id(p)),
            folder_class: Some(stored.class.clone()),
            display_name: Some(stored.display_name.clone()),
            total_count: i32::try_from(stored.items.len()).ok(),
            child_folder_count: i32::try_from(children).ok(),
            extended_properties: Vec::new(),
            distinguished_folder_id: stored.distinguished.clone(),
        },
        unread_count: i32::try_from(unread).ok(),
    }
}
