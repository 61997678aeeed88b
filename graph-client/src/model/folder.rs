//! [`MailFolder`] and [`ContactFolder`].

graph_object! {
    entity
    /// A mail folder ([mailFolder resource](https://learn.microsoft.com/graph/api/resources/mailfolder)).
    /// Well-known names (`inbox`, `sentitems`, `drafts`, ...) may stand for the id in paths.
    pub struct MailFolder {
        /// Display name.
        display_name: String,
        /// The parent folder.
        parent_folder_id: String,
        /// Number of child folders.
        child_folder_count: i32,
        /// Number of unread items.
        unread_item_count: i32,
        /// Number of items.
        total_item_count: i32,
        /// Whether the folder is hidden.
        is_hidden: bool,
    }
}

graph_object! {
    entity
    /// A contact folder ([contactFolder resource](https://learn.microsoft.com/graph/api/resources/contactfolder)).
    pub struct ContactFolder {
        /// Display name.
        display_name: String,
        /// The parent folder.
        parent_folder_id: String,
    }
}
