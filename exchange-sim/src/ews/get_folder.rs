//! GetFolder: each requested folder, as the shape shows it.

use ews_types::operations::{GetFolder, GetFolderMessage, GetFolderResponse};

use super::{Ews, per_input, shape};

pub(crate) fn run(ews: &Ews<'_>, op: &GetFolder) -> GetFolderResponse {
    per_input(&op.folder_ids, |folder| {
        let (no, key) = ews.folder(folder)?;
        let mailbox = ews.reach(no)?;
        Ok(GetFolderMessage {
            folders: Some(vec![shape::folder(
                mailbox,
                mailbox.folder(key)?,
                &op.folder_shape,
            )]),
        })
    })
}
