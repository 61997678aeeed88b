//! FindFolder: the subfolders (Shallow) or all descendants (Deep) of each parent, filtered and paged.

use ews_types::folders::Folder;
use ews_types::operations::{
    FindFolder, FindFolderMessage, FindFolderResponse, FindFolderRootFolder, FolderView, Traversal,
};
use ews_types::types::PropertyPath;

use super::{Ews, folder_view, per_input, restriction, shape};
use crate::store::Mailbox;

fn descendants(mailbox: &Mailbox, parent: u32, deep: bool, out: &mut Vec<u32>) {
    for folder in mailbox
        .folders
        .iter()
        .filter(|f| !f.deleted && f.parent == Some(parent))
    {
        out.push(folder.key);
        if deep {
            descendants(mailbox, folder.key, deep, out);
        }
    }
}

/// The text values of a folder property, for restrictions.
fn folder_values(folder: &Folder, path: &PropertyPath) -> Vec<String> {
    let PropertyPath::Field(uri) = path else {
        return Vec::new();
    };
    let f = &folder.fields;
    let value = match uri.as_str() {
        "folder:DisplayName" => f.display_name.clone(),
        "folder:FolderClass" => f.folder_class.clone(),
        "folder:TotalCount" => f.total_count.map(|c| c.to_string()),
        "folder:ChildFolderCount" => f.child_folder_count.map(|c| c.to_string()),
        "folder:UnreadCount" => folder.unread_count.map(|c| c.to_string()),
        "folder:FolderId" => f.folder_id.as_ref().map(|i| i.id.clone()),
        _ => None,
    };
    value.into_iter().collect()
}

pub(crate) fn run(ews: &Ews<'_>, op: &FindFolder) -> FindFolderResponse {
    per_input(&op.parent_folder_ids, |parent| {
        let (no, key) = ews.folder(parent)?;
        let mailbox = ews.reach(no)?;
        let mut keys = Vec::new();
        descendants(mailbox, key, op.traversal == Traversal::Deep, &mut keys);
        let full = ews_types::types::FolderShape::new(ews_types::types::BaseShape::AllProperties);
        let mut found: Vec<(Folder, u32)> = Vec::new();
        for k in keys {
            let stored = mailbox.folder(k)?;
            let rendered = shape::folder(mailbox, stored, &full);
            let keep = op
                .restriction
                .as_ref()
                .is_none_or(|r| restriction::matches(r, &|p| folder_values(&rendered, p)));
            if keep {
                found.push((rendered, k));
            }
        }
        let (range, paging) = match &op.view {
            Some(FolderView::Indexed(v)) => folder_view::indexed(v, found.len()),
            Some(FolderView::Fractional(v)) => folder_view::fractional(v, found.len()),
            _ => folder_view::all(found.len()),
        };
        let folders = found
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|(_, k)| mailbox.folder(*k).ok())
            .map(|f| shape::folder(mailbox, f, &op.folder_shape))
            .collect();
        Ok(FindFolderMessage {
            root_folder: Some(FindFolderRootFolder { paging, folders }),
        })
    })
}
