//! Folders (`FolderType`, `CalendarFolderType`, `ContactsFolderType`, `SearchFolderType`,
//! `TasksFolderType`).

use crate::error::Result;
use crate::types::{DistinguishedFolderName, ExtendedProperty, FolderId};
use crate::xml::XmlChoice;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter, xml_sequence};

xml_sequence! {
    children
    /// The properties every folder has (`BaseFolderType`), in schema order.
    pub struct FolderFields in Types "t:" {
        /// Id and change key.
        opt folder_id: FolderId = "FolderId";
        /// The parent folder.
        opt parent_folder_id: FolderId = "ParentFolderId";
        /// The folder class, such as `IPF.Note`, `IPF.Contact`, `IPF.Task` or `IPF.Appointment`.
        opt folder_class: String = "FolderClass";
        /// Display name.
        opt display_name: String = "DisplayName";
        /// Number of items.
        opt total_count: i32 = "TotalCount";
        /// Number of child folders.
        opt child_folder_count: i32 = "ChildFolderCount";
        /// Extended properties.
        vec extended_properties: ExtendedProperty = "ExtendedProperty";
        /// Which well-known folder this is, when it is one (Exchange 2013 and later).
        opt distinguished_folder_id: DistinguishedFolderName = "DistinguishedFolderId";
    }
}

/// The kind of a folder, by its element name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FolderKind {
    /// A mail (or generic) folder.
    Folder,
    /// A calendar.
    CalendarFolder,
    /// A contacts folder.
    ContactsFolder,
    /// A search folder.
    SearchFolder,
    /// A tasks folder.
    TasksFolder,
    /// Another kind, by element name.
    Unknown(String),
}

impl FolderKind {
    /// The element name.
    pub fn as_str(&self) -> &str {
        match self {
            FolderKind::Folder => "Folder",
            FolderKind::CalendarFolder => "CalendarFolder",
            FolderKind::ContactsFolder => "ContactsFolder",
            FolderKind::SearchFolder => "SearchFolder",
            FolderKind::TasksFolder => "TasksFolder",
            FolderKind::Unknown(kind) => kind,
        }
    }

    fn from_element(name: &str) -> Self {
        match name {
            "Folder" => FolderKind::Folder,
            "CalendarFolder" => FolderKind::CalendarFolder,
            "ContactsFolder" => FolderKind::ContactsFolder,
            "SearchFolder" => FolderKind::SearchFolder,
            "TasksFolder" => FolderKind::TasksFolder,
            other => FolderKind::Unknown(other.to_owned()),
        }
    }

    /// Whether the schema type extends `FolderType` and so has `UnreadCount`.
    fn has_unread_count(&self) -> bool {
        matches!(
            self,
            FolderKind::Folder | FolderKind::SearchFolder | FolderKind::TasksFolder
        )
    }
}

/// A folder of any kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Folder {
    /// Its kind.
    pub kind: FolderKind,
    /// The properties every folder has.
    pub fields: FolderFields,
    /// Number of unread items (mail, search and tasks folders).
    pub unread_count: Option<i32>,
}

impl Folder {
    /// A new folder of `kind` named `display_name` (for CreateFolder).
    pub fn new(kind: FolderKind, display_name: impl Into<String>) -> Self {
        let folder_class = match kind {
            FolderKind::CalendarFolder => Some("IPF.Appointment"),
            FolderKind::ContactsFolder => Some("IPF.Contact"),
            FolderKind::TasksFolder => Some("IPF.Task"),
            FolderKind::Folder => Some("IPF.Note"),
            FolderKind::SearchFolder | FolderKind::Unknown(_) => None,
        };
        Folder {
            kind,
            fields: FolderFields {
                folder_class: folder_class.map(str::to_owned),
                display_name: Some(display_name.into()),
                ..FolderFields::default()
            },
            unread_count: None,
        }
    }
}

impl XmlChoice for Folder {
    fn write_choice(&self, w: &mut XmlWriter) {
        let tag = format!("t:{}", self.kind.as_str());
        w.open(&tag).close();
        self.fields.write_children(w);
        if self.kind.has_unread_count() {
            if let Some(count) = self.unread_count {
                count.write_element(w, "t:UnreadCount");
            }
        }
        w.end(&tag);
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        start.reject_foreign("a folder in the EWS types namespace")?;
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let mut folder = Folder {
            kind: FolderKind::from_element(start.local_name()),
            fields: FolderFields::default(),
            unread_count: None,
        };
        r.children(start, |r, child| {
            if folder.fields.read_child(r, child)? {
                return Ok(true);
            }
            if child.ns() == Ns::Types && child.local_name() == "UnreadCount" {
                folder.unread_count = Some(i32::read_element(r, child)?);
                return Ok(true);
            }
            Ok(false)
        })?;
        Ok(Some(folder))
    }
}
