//! CreateFolder: new folders under a parent.

use ews_types::operations::{CreateFolder, CreateFolderMessage, CreateFolderResponse};
use ews_types::types::{BaseShape, FolderShape};

use super::{Ews, per_input, shape};
use crate::store::StoreError;

pub(crate) fn run(ews: &mut Ews<'_>, op: &CreateFolder) -> CreateFolderResponse {
    let parent = match &op.parent_folder_id {
        Some(parent) => ews.folder(parent),
        None => Err(StoreError::FolderNotFound),
    };
    per_input(&op.folders, |folder| {
        let (no, parent) = parent.clone()?;
        let name = folder
            .fields
            .display_name
            .as_deref()
            .ok_or_else(|| StoreError::MissingValue("folder:DisplayName".into()))?;
        let mailbox = ews.reach_mut(no)?;
        let key = mailbox.create_folder(
            parent,
            folder.kind.clone(),
            name,
            folder.fields.folder_class.as_deref(),
        )?;
        let stored = mailbox.folder(key)?;
        Ok(CreateFolderMessage {
            folders: Some(vec![shape::folder(
                mailbox,
                stored,
                &FolderShape::new(BaseShape::IdOnly),
            )]),
        })
    })
}
