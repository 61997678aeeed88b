//! SyncFolderHierarchy: the changes to a mailbox's folder tree since a sync state.
//!
//! Keep hierarchy states apart from item states, and keep the root folder choice stable between calls.

use crate::error::{Error, Result};
use crate::folders::Folder;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::{FolderId, FolderRef, FolderShape};
use crate::xml::XmlChoice;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, xml_sequence};

use super::Operation;

xml_sequence! {
    element
    /// SyncFolderHierarchy request.
    pub struct SyncFolderHierarchy in Messages "m:" {
        /// Which properties to return.
        req folder_shape: FolderShape = "FolderShape";
        /// The root of the tree to synchronize (the whole mailbox when absent).
        opt sync_folder_id: FolderRef = "SyncFolderId";
        /// The state from the previous call; none on the first call.
        opt sync_state: String = "SyncState";
    }
}

impl Operation for SyncFolderHierarchy {
    const NAME: &'static str = "SyncFolderHierarchy";
    type Response = SyncFolderHierarchyResponse;
}

/// One change in a SyncFolderHierarchy response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FolderChange {
    /// A new folder.
    Create(Folder),
    /// A changed folder.
    Update(Folder),
    /// A deleted folder.
    Delete(FolderId),
}

impl XmlChoice for FolderChange {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            FolderChange::Create(folder) => {
                w.open("t:Create").close();
                folder.write_choice(w);
                w.end("t:Create");
            }
            FolderChange::Update(folder) => {
                w.open("t:Update").close();
                folder.write_choice(w);
                w.end("t:Update");
            }
            FolderChange::Delete(id) => {
                w.open("t:Delete").close();
                id.write_element(w, "t:FolderId");
                w.end("t:Delete");
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        start.reject_foreign("a change in the EWS types namespace")?;
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let kind = start.local_name().to_owned();
        let mut folder = None;
        let mut folder_id = None;
        r.children(start, |r, child| {
            if kind == "Delete" && child.local_name() == "FolderId" {
                folder_id = Some(FolderId::read_element(r, child)?);
                return Ok(true);
            }
            if folder.is_none() {
                folder = Folder::read_choice(r, child)?;
                return Ok(folder.is_some());
            }
            Ok(false)
        })?;
        Ok(Some(match kind.as_str() {
            "Create" => {
                FolderChange::Create(folder.ok_or_else(|| Error::missing("folder", "Create"))?)
            }
            "Update" => {
                FolderChange::Update(folder.ok_or_else(|| Error::missing("folder", "Update"))?)
            }
            "Delete" => {
                FolderChange::Delete(folder_id.ok_or_else(|| Error::missing("FolderId", "Delete"))?)
            }
            _ => return Ok(None),
        }))
    }
}

xml_sequence! {
    children
    /// The body of a SyncFolderHierarchy response message.
    pub struct SyncFolderHierarchyMessage in Messages "m:" {
        /// The state to send next time.
        opt sync_state: String = "SyncState";
        /// Whether this page holds the last change.
        opt includes_last_folder_in_range: bool = "IncludesLastFolderInRange";
        /// The changes.
        opt changes: Vec<FolderChange> = "Changes";
    }
}

impl ResponseBody for SyncFolderHierarchyMessage {
    const MESSAGE: &'static str = "SyncFolderHierarchyResponseMessage";
    const RESPONSE: &'static str = "SyncFolderHierarchyResponse";

    fn folder_count(&self) -> usize {
        self.changes.as_ref().map_or(0, Vec::len)
    }
}

/// The SyncFolderHierarchy response (one message).
pub type SyncFolderHierarchyResponse = ResponseMessages<SyncFolderHierarchyMessage>;
