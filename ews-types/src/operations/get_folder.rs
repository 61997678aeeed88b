//! GetFolder: read folders by id or well-known name.

use crate::folders::Folder;
use crate::response::{ResponseBody, ResponseMessages};
use crate::types::{DistinguishedFolderName, FolderRef, FolderShape};
use crate::xml::xml_sequence;

use super::Operation;

xml_sequence! {
    element
    /// GetFolder request: the shape and the folders to read.
    pub struct GetFolder in Messages "m:" {
        /// Which properties to return.
        req folder_shape: FolderShape = "FolderShape";
        /// The folders.
        req folder_ids: Vec<FolderRef> = "FolderIds";
    }
}

impl GetFolder {
    /// Reads one well-known folder with the default shape.
    pub fn distinguished(name: DistinguishedFolderName) -> Self {
        GetFolder {
            folder_shape: FolderShape::new(crate::types::BaseShape::Default),
            folder_ids: vec![name.into()],
        }
    }
}

impl Operation for GetFolder {
    const NAME: &'static str = "GetFolder";
    type Response = GetFolderResponse;
}

xml_sequence! {
    children
    /// The body of one GetFolder response message.
    pub struct GetFolderMessage in Messages "m:" {
        /// The folder read (one per message).
        opt folders: Vec<Folder> = "Folders";
    }
}

impl ResponseBody for GetFolderMessage {
    const MESSAGE: &'static str = "GetFolderResponseMessage";
    const RESPONSE: &'static str = "GetFolderResponse";

    fn folder_count(&self) -> usize {
        self.folders.as_ref().map_or(0, Vec::len)
    }
}

/// The GetFolder response: one message per requested folder.
pub type GetFolderResponse = ResponseMessages<GetFolderMessage>;
