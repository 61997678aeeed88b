//! CreateFolder: create folders under a parent.

use crate::folders::Folder;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::FolderRef;
use crate::xml::xml_sequence;

use super::Operation;

xml_sequence! {
    element
    /// CreateFolder request.
    pub struct CreateFolder in Messages "m:" {
        /// Where to create them.
        opt parent_folder_id: FolderRef = "ParentFolderId";
        /// The folders to create (kind, display name, class).
        req folders: Vec<Folder> = "Folders";
    }
}

impl CreateFolder {
    /// Creates `folder` under `parent`.
    pub fn new(parent: impl Into<FolderRef>, folder: Folder) -> Self {
        CreateFolder {
            parent_folder_id: Some(parent.into()),
            folders: vec![folder],
        }
    }
}

impl Operation for CreateFolder {
    const NAME: &'static str = "CreateFolder";
    type Response = CreateFolderResponse;
}

xml_sequence! {
    children
    /// The body of a CreateFolder response message: the new folder's id.
    pub struct CreateFolderMessage in Messages "m:" {
        /// The folder created.
        opt folders: Vec<Folder> = "Folders";
    }
}

impl ResponseBody for CreateFolderMessage {
    const MESSAGE: &'static str = "CreateFolderResponseMessage";
    const RESPONSE: &'static str = "CreateFolderResponse";

    fn folder_count(&self) -> usize {
        self.folders.as_ref().map_or(0, Vec::len)
    }
}

/// The CreateFolder response: one message per folder.
pub type CreateFolderResponse = ResponseMessages<CreateFolderMessage>;
