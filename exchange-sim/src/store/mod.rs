//! The mailbox store: many users' folders, messages, contacts, tasks and calendar items, with the
//! change logs that EWS sync states and Graph delta tokens are positions in.
//!
//! Every write bumps the item's change key; a move gives the item a new EWS id (its Graph immutable id
//! stays). Tests reach the store through [`Simulator::store`](crate::Simulator::store) to seed items and
//! inspect mailboxes:
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use ews_types::items::{Item, Message};
//! use ews_types::types::DistinguishedFolderName;
//! use exchange_sim::Simulator;
//!
//! let sim = Simulator::builder().user("alice@contoso.example", "pw").start().await.unwrap();
//! let mut store = sim.store();
//! let inbox = store.folder_id("alice@contoso.example", DistinguishedFolderName::Inbox).unwrap();
//! let mut message = Message::default();
//! message.item.subject = Some("Seeded".into());
//! let id = store.create_item("alice@contoso.example", &inbox, Item::from(message)).unwrap();
//! let read = store.item("alice@contoso.example", &id).unwrap();
//! assert_eq!(read.fields().subject.as_deref(), Some("Seeded"));
//! # });
//! ```

pub(crate) mod calendar;
mod changes;
mod error;
pub(crate) mod events;
mod mailbox;
pub(crate) mod occurrences;
pub(crate) mod props;
pub(crate) mod subscriptions;

pub(crate) use changes::{Change, Gone};
pub use error::StoreError;
pub(crate) use mailbox::{Folder, Mailbox, Removal, StoredItem, id_only};

use std::collections::HashMap;

use ews_types::category_list::{Category, CategoryList};
use ews_types::folders::FolderKind;
use ews_types::items::Item;
use ews_types::operations::UserConfigurationContent;
use ews_types::types::{DistinguishedFolderName, FolderId, ItemId};

use crate::ids::StateKey;

/// The name of the master category list's configuration object.
pub(crate) const CATEGORY_LIST: &str = "CategoryList";

/// All mailboxes of the simulated organization.
#[derive(Debug)]
pub struct Store {
    mailboxes: Vec<Mailbox>,
    by_address: HashMap<String, u32>,
    pub(crate) keys: StateKey,
    /// EWS notification subscriptions.
    pub(crate) subscriptions: subscriptions::Subscriptions,
}

/// Outlook's default categories, as a new mailbox has them.
fn default_categories() -> CategoryList {
    let defaults = [
        ("Red category", 0, "{0E9D5B4A-0000-4000-8000-000000000001}"),
        (
            "Orange category",
            1,
            "{0E9D5B4A-0000-4000-8000-000000000002}",
        ),
        (
            "Yellow category",
            3,
            "{0E9D5B4A-0000-4000-8000-000000000003}",
        ),
        (
            "Green category",
            4,
            "{0E9D5B4A-0000-4000-8000-000000000004}",
        ),
        ("Blue category", 7, "{0E9D5B4A-0000-4000-8000-000000000005}"),
        (
            "Purple category",
            8,
            "{0E9D5B4A-0000-4000-8000-000000000006}",
        ),
    ];
    let mut list = CategoryList::default();
    for (name, color, guid) in defaults {
        list.add(Category::new(name, color, guid));
    }
    list
}

impl Store {
    pub(crate) fn new(keys: StateKey) -> Self {
        Store {
            mailboxes: Vec::new(),
            by_address: HashMap::new(),
            keys,
            subscriptions: subscriptions::Subscriptions::default(),
        }
    }

    /// Adds a mailbox (with the well-known folders and the default category list); adding an address
    /// twice keeps the first.
    pub(crate) fn add_mailbox(&mut self, address: &str, display_name: &str) -> u32 {
        let lower = address.to_ascii_lowercase();
        if let Some(&no) = self.by_address.get(&lower) {
            return no;
        }
        let no = u32::try_from(self.mailboxes.len()).unwrap_or(u32::MAX);
        let mut mailbox = Mailbox::new(no, address.to_owned(), display_name.to_owned());
        if let Ok(calendar) = mailbox.distinguished(&DistinguishedFolderName::Calendar) {
            mailbox.configurations.insert(
                (calendar, CATEGORY_LIST.to_owned()),
                UserConfigurationContent {
                    xml_data: Some(default_categories().to_xml_data()),
                    ..UserConfigurationContent::default()
                },
            );
        }
        self.mailboxes.push(mailbox);
        self.by_address.insert(lower, no);
        no
    }

    /// The number of the mailbox with this address (case-insensitive).
    pub(crate) fn lookup(&self, address: &str) -> Option<u32> {
        self.by_address.get(&address.to_ascii_lowercase()).copied()
    }

    pub(crate) fn mailbox(&self, no: u32) -> Option<&Mailbox> {
        self.mailboxes.get(no as usize)
    }

    pub(crate) fn mailbox_mut(&mut self, no: u32) -> Option<&mut Mailbox> {
        self.mailboxes.get_mut(no as usize)
    }

    fn by_address(&self, address: &str) -> Result<&Mailbox, StoreError> {
        self.lookup(address)
            .and_then(|no| self.mailbox(no))
            .ok_or_else(|| StoreError::NoSuchMailbox(address.to_owned()))
    }

    fn by_address_mut(&mut self, address: &str) -> Result<&mut Mailbox, StoreError> {
        let no = self
            .lookup(address)
            .ok_or_else(|| StoreError::NoSuchMailbox(address.to_owned()))?;
        self.mailbox_mut(no)
            .ok_or_else(|| StoreError::NoSuchMailbox(address.to_owned()))
    }

    /// The addresses of all mailboxes, in the order they were configured.
    pub fn mailboxes(&self) -> Vec<String> {
        self.mailboxes.iter().map(|m| m.address.clone()).collect()
    }

    /// The id of a well-known folder.
    pub fn folder_id(
        &self,
        mailbox: &str,
        folder: DistinguishedFolderName,
    ) -> Result<FolderId, StoreError> {
        let m = self.by_address(mailbox)?;
        Ok(m.folder_id(m.distinguished(&folder)?))
    }

    /// Creates a folder under `parent`.
    pub fn create_folder(
        &mut self,
        mailbox: &str,
        parent: &FolderId,
        name: &str,
        kind: FolderKind,
    ) -> Result<FolderId, StoreError> {
        let m = self.by_address_mut(mailbox)?;
        let parent = m.folder_by_id(&parent.id)?;
        let key = m.create_folder(parent, kind, name, None)?;
        Ok(m.folder_id(key))
    }

    /// Stores `item` in `folder` (ids and server-kept timestamps in it are ignored) and returns its id.
    pub fn create_item(
        &mut self,
        mailbox: &str,
        folder: &FolderId,
        item: Item,
    ) -> Result<ItemId, StoreError> {
        let m = self.by_address_mut(mailbox)?;
        let folder = m.folder_by_id(&folder.id)?;
        let key = m.create_item(folder, item)?;
        Ok(m.item_id(m.item(key)?))
    }

    /// The item with all its properties, ids and timestamps.
    pub fn item(&self, mailbox: &str, id: &ItemId) -> Result<Item, StoreError> {
        let m = self.by_address(mailbox)?;
        let key = m.item_by_id(&id.id)?;
        Ok(m.render_full(m.item(key)?))
    }

    /// The items of a folder, oldest first.
    pub fn items(&self, mailbox: &str, folder: &FolderId) -> Result<Vec<Item>, StoreError> {
        let m = self.by_address(mailbox)?;
        let folder = m.folder(m.folder_by_id(&folder.id)?)?;
        Ok(folder
            .items
            .iter()
            .filter_map(|key| m.items.get(key))
            .map(|stored| m.render_full(stored))
            .collect())
    }

    /// How many items a folder holds.
    pub fn item_count(&self, mailbox: &str, folder: &FolderId) -> Result<usize, StoreError> {
        let m = self.by_address(mailbox)?;
        Ok(m.folder(m.folder_by_id(&folder.id)?)?.items.len())
    }

    /// Changes an item as another client would (the change key changes; ids are kept) and returns its
    /// id with the new change key.
    pub fn update_item(
        &mut self,
        mailbox: &str,
        id: &ItemId,
        change: impl FnOnce(&mut Item),
    ) -> Result<ItemId, StoreError> {
        let m = self.by_address_mut(mailbox)?;
        let key = m.item_by_id(&id.id)?;
        m.update_item(key, |item| {
            change(item);
            Ok(())
        })?;
        Ok(m.item_id(m.item(key)?))
    }

    /// Moves an item to another folder and returns its new id.
    pub fn move_item(
        &mut self,
        mailbox: &str,
        id: &ItemId,
        to: &FolderId,
    ) -> Result<ItemId, StoreError> {
        let m = self.by_address_mut(mailbox)?;
        let key = m.item_by_id(&id.id)?;
        let to = m.folder_by_id(&to.id)?;
        m.move_item(key, to)?;
        Ok(m.item_id(m.item(key)?))
    }

    /// Deletes an item for good.
    pub fn delete_item(&mut self, mailbox: &str, id: &ItemId) -> Result<(), StoreError> {
        let m = self.by_address_mut(mailbox)?;
        let key = m.item_by_id(&id.id)?;
        m.remove_item(key, Removal::Delete)
    }

    /// The master category list.
    pub fn categories(&self, mailbox: &str) -> Result<CategoryList, StoreError> {
        let m = self.by_address(mailbox)?;
        let calendar = m.distinguished(&DistinguishedFolderName::Calendar)?;
        Ok(m.configurations
            .get(&(calendar, CATEGORY_LIST.to_owned()))
            .and_then(|c| c.xml_data.as_deref())
            .and_then(|data| CategoryList::from_xml_data(data).ok())
            .unwrap_or_default())
    }

    /// Replaces the master category list.
    pub fn set_categories(&mut self, mailbox: &str, list: &CategoryList) -> Result<(), StoreError> {
        let m = self.by_address_mut(mailbox)?;
        let calendar = m.distinguished(&DistinguishedFolderName::Calendar)?;
        let entry = m
            .configurations
            .entry((calendar, CATEGORY_LIST.to_owned()))
            .or_default();
        entry.xml_data = Some(list.to_xml_data());
        Ok(())
    }
}
