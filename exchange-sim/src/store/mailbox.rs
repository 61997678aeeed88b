//! One mailbox: its folder tree, its items and the change logs that sync reads.

use std::collections::{BTreeSet, HashMap};

use ews_types::folders::FolderKind;
use ews_types::items::Item;
use ews_types::operations::UserConfigurationContent;
use ews_types::types::{DistinguishedFolderName, FolderId, ItemId};
use jiff::Timestamp;

use super::changes::{ChangeLog, Gone, Touch};
use super::error::StoreError;
use super::events::{Event, EventKind, Journal, Subject};
use crate::ids::{self, FolderAddress, ItemAddress, ParsedItemId};

/// The key of a folder's change log entries: an item in one of its generations (a move makes a new
/// generation, so an item that leaves and comes back is a delete and a create, as its id changed).
pub(crate) type EntryKey = (u64, u32);

/// A folder of a mailbox.
#[derive(Debug)]
pub(crate) struct Folder {
    pub(crate) key: u32,
    pub(crate) parent: Option<u32>,
    pub(crate) kind: FolderKind,
    pub(crate) class: String,
    pub(crate) display_name: String,
    pub(crate) distinguished: Option<DistinguishedFolderName>,
    /// The sequence number of the folder's latest change (its change key).
    pub(crate) version: u64,
    pub(crate) deleted: bool,
    /// Live items, by key (creation order).
    pub(crate) items: BTreeSet<u64>,
    pub(crate) log: ChangeLog<EntryKey>,
    /// What entries that left looked like when they left (a sync page may still report them as they
    /// were at its position).
    pub(crate) tombstones: HashMap<EntryKey, Item>,
}

/// An item as stored: its content without ids, and where it lives.
#[derive(Debug, Clone)]
pub(crate) struct StoredItem {
    pub(crate) key: u64,
    pub(crate) folder: u32,
    pub(crate) generation: u32,
    /// The sequence number of the latest write (the change key).
    pub(crate) version: u64,
    pub(crate) created: Timestamp,
    pub(crate) modified: Timestamp,
    /// The content, without `ItemId`, `ParentFolderId` and the timestamps kept above.
    pub(crate) item: Item,
}

/// How an item is removed from its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Removal {
    /// Gone for good.
    Delete,
    /// Moved to Deleted Items (deleted for good when already there).
    ToDeletedItems,
}

/// A mailbox.
#[derive(Debug)]
pub(crate) struct Mailbox {
    pub(crate) no: u32,
    pub(crate) address: String,
    pub(crate) display_name: String,
    pub(crate) folders: Vec<Folder>,
    pub(crate) items: HashMap<u64, StoredItem>,
    next_item: u64,
    /// The newest sequence number handed out.
    pub(crate) seq: u64,
    pub(crate) hierarchy: ChangeLog<u32>,
    /// User configuration objects by folder and name.
    pub(crate) configurations: HashMap<(u32, String), UserConfigurationContent>,
    /// What EWS notifications report.
    pub(crate) journal: Journal,
    /// The content of modified occurrences (exceptions) by series and occurrence index.
    pub(crate) exceptions: HashMap<(u64, u32), Item>,
    /// The automatic replies (out of office), once set.
    pub(crate) oof: Option<ews_types::availability::UserOofSettings>,
}

/// The well-known folders every mailbox starts with: name, parent (an index into this list), kind and
/// display name. Index 0 is the root, 1 the visible root.
const WELL_KNOWN: &[(DistinguishedFolderName, Option<usize>, &str, &str)] = &[
    (DistinguishedFolderName::Root, None, "Folder", ""),
    (
        DistinguishedFolderName::MsgFolderRoot,
        Some(0),
        "Folder",
        "Top of Information Store",
    ),
    (DistinguishedFolderName::Inbox, Some(1), "Folder", "Inbox"),
    (DistinguishedFolderName::Drafts, Some(1), "Folder", "Drafts"),
    (
        DistinguishedFolderName::SentItems,
        Some(1),
        "Folder",
        "Sent Items",
    ),
    (
        DistinguishedFolderName::DeletedItems,
        Some(1),
        "Folder",
        "Deleted Items",
    ),
    (DistinguishedFolderName::Outbox, Some(1), "Folder", "Outbox"),
    (
        DistinguishedFolderName::JunkEmail,
        Some(1),
        "Folder",
        "Junk Email",
    ),
    (
        DistinguishedFolderName::Calendar,
        Some(1),
        "CalendarFolder",
        "Calendar",
    ),
    (
        DistinguishedFolderName::Contacts,
        Some(1),
        "ContactsFolder",
        "Contacts",
    ),
    (
        DistinguishedFolderName::Tasks,
        Some(1),
        "TasksFolder",
        "Tasks",
    ),
    (DistinguishedFolderName::Notes, Some(1), "Folder", "Notes"),
    (
        DistinguishedFolderName::Journal,
        Some(1),
        "Folder",
        "Journal",
    ),
];

/// The folder class of a folder kind.
pub(crate) fn class_of(kind: &FolderKind) -> &'static str {
    match kind {
        FolderKind::CalendarFolder => "IPF.Appointment",
        FolderKind::ContactsFolder => "IPF.Contact",
        FolderKind::TasksFolder => "IPF.Task",
        _ => "IPF.Note",
    }
}

fn kind_from(name: &str) -> FolderKind {
    match name {
        "CalendarFolder" => FolderKind::CalendarFolder,
        "ContactsFolder" => FolderKind::ContactsFolder,
        "TasksFolder" => FolderKind::TasksFolder,
        _ => FolderKind::Folder,
    }
}

impl Mailbox {
    /// A mailbox with the well-known folders.
    pub(crate) fn new(no: u32, address: String, display_name: String) -> Self {
        let mut mailbox = Mailbox {
            no,
            address,
            display_name,
            folders: Vec::new(),
            items: HashMap::new(),
            next_item: 1,
            seq: 0,
            hierarchy: ChangeLog::default(),
            configurations: HashMap::new(),
            journal: Journal::default(),
            exceptions: HashMap::new(),
            oof: None,
        };
        for (name, parent, kind, display) in WELL_KNOWN {
            let parent = parent.and_then(|p| u32::try_from(p).ok());
            let key = mailbox.add_folder(parent, kind_from(kind), display);
            if let Some(folder) = mailbox.folders.get_mut(key as usize) {
                folder.distinguished = Some(name.clone());
            }
        }
        mailbox
    }

    /// How many unread messages a folder holds.
    pub(crate) fn unread_count(&self, folder: &Folder) -> usize {
        folder
            .items
            .iter()
            .filter_map(|k| self.items.get(k))
            .filter(|i| matches!(&i.item, Item::Message(m) if m.is_read == Some(false)))
            .count()
    }

    /// How many live child folders a folder has.
    pub(crate) fn child_count(&self, folder: &Folder) -> usize {
        self.folders
            .iter()
            .filter(|f| !f.deleted && f.parent == Some(folder.key))
            .count()
    }

    /// Hands out the next sequence number.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Adds a folder (no name check; see [`Mailbox::create_folder`]).
    pub(crate) fn add_folder(&mut self, parent: Option<u32>, kind: FolderKind, name: &str) -> u32 {
        let key = u32::try_from(self.folders.len()).unwrap_or(u32::MAX);
        let seq = self.next_seq();
        self.folders.push(Folder {
            key,
            parent,
            class: class_of(&kind).to_owned(),
            kind,
            display_name: name.to_owned(),
            distinguished: None,
            version: seq,
            deleted: false,
            items: BTreeSet::new(),
            log: ChangeLog::default(),
            tombstones: HashMap::new(),
        });
        self.hierarchy.touch(key, seq, Touch::Enter);
        self.record(
            EventKind::Created,
            Subject::Folder(key),
            parent.unwrap_or(key),
            None,
        );
        key
    }

    /// Creates a folder under `parent`, refusing a duplicate name there.
    pub(crate) fn create_folder(
        &mut self,
        parent: u32,
        kind: FolderKind,
        name: &str,
        class: Option<&str>,
    ) -> Result<u32, StoreError> {
        self.folder(parent)?;
        let taken = self.folders.iter().any(|f| {
            !f.deleted && f.parent == Some(parent) && f.display_name.eq_ignore_ascii_case(name)
        });
        if taken {
            return Err(StoreError::FolderExists(name.to_owned()));
        }
        let key = self.add_folder(Some(parent), kind, name);
        if let (Some(class), Some(folder)) = (class, self.folders.get_mut(key as usize)) {
            folder.class = class.to_owned();
        }
        Ok(key)
    }

    /// A live folder.
    pub(crate) fn folder(&self, key: u32) -> Result<&Folder, StoreError> {
        self.folders
            .get(key as usize)
            .filter(|f| !f.deleted)
            .ok_or(StoreError::FolderNotFound)
    }

    pub(crate) fn folder_mut(&mut self, key: u32) -> Result<&mut Folder, StoreError> {
        self.folders
            .get_mut(key as usize)
            .filter(|f| !f.deleted)
            .ok_or(StoreError::FolderNotFound)
    }

    /// The key of a well-known folder.
    pub(crate) fn distinguished(&self, name: &DistinguishedFolderName) -> Result<u32, StoreError> {
        self.folders
            .iter()
            .find(|f| f.distinguished.as_ref() == Some(name))
            .map(|f| f.key)
            .ok_or(StoreError::FolderNotFound)
    }

    /// The key of the folder an id names, checking that it is in this mailbox.
    pub(crate) fn folder_by_id(&self, id: &str) -> Result<u32, StoreError> {
        let address = ids::parse_folder_id(id).ok_or_else(|| StoreError::MalformedId(id.into()))?;
        if address.mailbox != self.no {
            return Err(StoreError::AccessDenied);
        }
        self.folder(address.folder).map(|f| f.key)
    }

    /// The EWS id of a folder, with its change key.
    pub(crate) fn folder_id(&self, key: u32) -> FolderId {
        let version = self.folders.get(key as usize).map_or(0, |f| f.version);
        FolderId::with_change_key(
            ids::ews_folder_id(FolderAddress {
                mailbox: self.no,
                folder: key,
            }),
            ids::change_key(version),
        )
    }

    /// The key of the item an id (EWS, REST or immutable) names, checking mailbox and generation.
    pub(crate) fn item_by_id(&self, id: &str) -> Result<u64, StoreError> {
        let parsed = ids::parse_item_id(id).ok_or_else(|| StoreError::MalformedId(id.into()))?;
        let (mailbox, key, generation) = match parsed {
            ParsedItemId::Moving(a) => (a.mailbox, a.item, Some(a.generation)),
            ParsedItemId::Immutable { mailbox, item } => (mailbox, item, None),
            ParsedItemId::Occurrence(..) => return Err(StoreError::OccurrenceNotAllowed),
        };
        if mailbox != self.no {
            return Err(StoreError::AccessDenied);
        }
        let stored = self.items.get(&key).ok_or(StoreError::ItemNotFound)?;
        if generation.is_some_and(|g| g != stored.generation) {
            return Err(StoreError::ItemNotFound);
        }
        Ok(key)
    }

    /// The address of an item in its current generation.
    pub(crate) fn address(&self, key: u64, generation: u32) -> ItemAddress {
        ItemAddress {
            mailbox: self.no,
            item: key,
            generation,
        }
    }

    /// The EWS id and change key of a stored item.
    pub(crate) fn item_id(&self, stored: &StoredItem) -> ItemId {
        ItemId::with_change_key(
            ids::ews_item_id(self.address(stored.key, stored.generation)),
            ids::change_key(stored.version),
        )
    }

    /// The stored item.
    pub(crate) fn item(&self, key: u64) -> Result<&StoredItem, StoreError> {
        self.items.get(&key).ok_or(StoreError::ItemNotFound)
    }

    /// Checks a change key against the item's current one.
    pub(crate) fn check_change_key(&self, key: u64, change_key: &str) -> Result<(), StoreError> {
        let seen = ids::parse_change_key(change_key)
            .ok_or_else(|| StoreError::InvalidChangeKey(change_key.into()))?;
        if self.item(key)?.version != seen {
            return Err(StoreError::Conflict);
        }
        Ok(())
    }

    /// Stores a new item in `folder`; ids and server-kept timestamps in `item` are ignored.
    pub(crate) fn create_item(&mut self, folder: u32, item: Item) -> Result<u64, StoreError> {
        self.store_item(folder, item, None)
    }

    /// Stores a new item, created or (with `origin`) copied from another.
    fn store_item(
        &mut self,
        folder: u32,
        mut item: Item,
        origin: Option<(Subject, u32)>,
    ) -> Result<u64, StoreError> {
        self.folder(folder)?;
        let now = Timestamp::now();
        strip_server_fields(&mut item);
        if item.fields().date_time_received.is_none() && item.kind() == "Message" {
            item.fields_mut().date_time_received = Some(now);
        }
        let key = self.next_item;
        self.next_item += 1;
        let seq = self.next_seq();
        self.items.insert(
            key,
            StoredItem {
                key,
                folder,
                generation: 0,
                version: seq,
                created: now,
                modified: now,
                item,
            },
        );
        if let Ok(f) = self.folder_mut(folder) {
            f.items.insert(key);
            f.log.touch((key, 0), seq, Touch::Enter);
        }
        self.record_arrival(key, folder, origin);
        Ok(key)
    }

    /// Changes an item with `change`. A change of the read flag alone is logged as such (sync reports
    /// it as `ReadFlagChange`).
    pub(crate) fn update_item(
        &mut self,
        key: u64,
        change: impl FnOnce(&mut Item) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.write_item(key, change, false)
    }

    /// Changes an item with `change`; with `always`, the write counts (a new change key, a change in
    /// the log) even when the stored content did not change (an occurrence's exception did).
    pub(crate) fn write_item(
        &mut self,
        key: u64,
        change: impl FnOnce(&mut Item) -> Result<(), StoreError>,
        always: bool,
    ) -> Result<(), StoreError> {
        let stored = self.items.get(&key).ok_or(StoreError::ItemNotFound)?;
        let mut item = stored.item.clone();
        change(&mut item)?;
        strip_server_fields(&mut item);
        let read_flag_only = same_but_read_flag(&stored.item, &item);
        if item == stored.item && !always {
            return Ok(());
        }
        let read_flag_changed = read_flag_only || is_read(&stored.item) != is_read(&item);
        let free_busy_changed = always || changes_free_busy(Some(&stored.item), Some(&item));
        let seq = self.next_seq();
        let Some(stored) = self.items.get_mut(&key) else {
            return Err(StoreError::ItemNotFound);
        };
        stored.item = item;
        stored.version = seq;
        stored.modified = Timestamp::now();
        let (folder, generation) = (stored.folder, stored.generation);
        let touch = if read_flag_only {
            Touch::ReadFlag
        } else {
            Touch::Content
        };
        if let Ok(f) = self.folder_mut(folder) {
            f.log.touch((key, generation), seq, touch);
        }
        let subject = self.subject(key);
        self.record(EventKind::Modified, subject, folder, None);
        if free_busy_changed {
            self.record(EventKind::FreeBusyChanged, subject, folder, None);
        }
        if read_flag_changed {
            self.record_folder_change(folder);
        }
        Ok(())
    }

    /// Moves an item to `to`: it gets a new id (a new generation); its change key stays.
    pub(crate) fn move_item(&mut self, key: u64, to: u32) -> Result<(), StoreError> {
        self.folder(to)?;
        let stored = self.items.get(&key).ok_or(StoreError::ItemNotFound)?;
        let (from, old) = (stored.folder, stored.generation);
        if from == to {
            return Ok(());
        }
        let before = self.subject(key);
        let last_seen = self.render_full(stored);
        let seq_out = self.next_seq();
        let seq_in = self.next_seq();
        if let Ok(f) = self.folder_mut(from) {
            f.items.remove(&key);
            f.log
                .touch((key, old), seq_out, Touch::Leave(Gone::MovedOut));
            f.tombstones.insert((key, old), last_seen);
        }
        let generation = old.wrapping_add(1);
        if let Some(stored) = self.items.get_mut(&key) {
            stored.folder = to;
            stored.generation = generation;
        }
        if let Ok(f) = self.folder_mut(to) {
            f.items.insert(key);
            f.log.touch((key, generation), seq_in, Touch::Enter);
        }
        let after = self.subject(key);
        self.record(EventKind::Moved, after, to, Some((before, from)));
        if matches!(self.items.get(&key), Some(s) if matches!(s.item, Item::CalendarItem(_))) {
            self.record(EventKind::FreeBusyChanged, after, to, None);
        }
        self.record_folder_change(from);
        self.record_folder_change(to);
        Ok(())
    }

    /// Copies an item to `to`; the copy is a new item.
    pub(crate) fn copy_item(&mut self, key: u64, to: u32) -> Result<u64, StoreError> {
        let original = self.item(key)?;
        let (item, from) = (original.item.clone(), original.folder);
        let origin = (self.subject(key), from);
        self.store_item(to, item, Some(origin))
    }

    /// Removes an item.
    pub(crate) fn remove_item(&mut self, key: u64, how: Removal) -> Result<(), StoreError> {
        let folder = self.item(key)?.folder;
        if how == Removal::ToDeletedItems {
            let deleted_items = self.distinguished(&DistinguishedFolderName::DeletedItems)?;
            if folder != deleted_items {
                return self.move_item(key, deleted_items);
            }
        }
        let Some(stored) = self.items.remove(&key) else {
            return Err(StoreError::ItemNotFound);
        };
        let last_seen = self.render_full(&stored);
        let seq = self.next_seq();
        if let Ok(f) = self.folder_mut(folder) {
            f.items.remove(&key);
            f.log
                .touch((key, stored.generation), seq, Touch::Leave(Gone::Deleted));
            f.tombstones.insert((key, stored.generation), last_seen);
        }
        let subject = Subject::Item {
            key,
            generation: stored.generation,
            version: stored.version,
        };
        self.record(EventKind::Deleted, subject, folder, None);
        if changes_free_busy(Some(&stored.item), None) {
            self.record(EventKind::FreeBusyChanged, subject, folder, None);
        }
        self.record_folder_change(folder);
        Ok(())
    }

    /// What an event about item `key` names: the item as it is now.
    fn subject(&self, key: u64) -> Subject {
        let (generation, version) = self
            .items
            .get(&key)
            .map_or((0, 0), |s| (s.generation, s.version));
        Subject::Item {
            key,
            generation,
            version,
        }
    }

    /// Appends an event to the journal.
    fn record(
        &mut self,
        kind: EventKind,
        subject: Subject,
        folder: u32,
        origin: Option<(Subject, u32)>,
    ) {
        self.journal.push(Event {
            kind,
            at: Timestamp::now(),
            subject,
            folder,
            origin,
        });
    }

    /// A folder's content changed: a `Modified` event for the folder itself.
    fn record_folder_change(&mut self, folder: u32) {
        let parent = self
            .folders
            .get(folder as usize)
            .and_then(|f| f.parent)
            .unwrap_or(folder);
        self.record(EventKind::Modified, Subject::Folder(folder), parent, None);
    }

    /// The events of a new item in `folder`: created (or copied from `origin`), new mail when a message
    /// arrives in the Inbox, free/busy changed for a calendar item, and the folder modified.
    fn record_arrival(&mut self, key: u64, folder: u32, origin: Option<(Subject, u32)>) {
        let subject = self.subject(key);
        let kind = if origin.is_some() {
            EventKind::Copied
        } else {
            EventKind::Created
        };
        self.record(kind, subject, folder, origin);
        let item = self.items.get(&key).map(|s| &s.item);
        let in_inbox = self
            .folders
            .get(folder as usize)
            .is_some_and(|f| f.distinguished == Some(DistinguishedFolderName::Inbox));
        let new_mail = in_inbox && origin.is_none() && item.is_some_and(is_mail);
        let free_busy = changes_free_busy(None, item);
        if new_mail {
            self.record(EventKind::NewMail, subject, folder, None);
        }
        if free_busy {
            self.record(EventKind::FreeBusyChanged, subject, folder, None);
        }
        self.record_folder_change(folder);
    }

    /// The full item as a response shows it: content plus ids, parent folder and timestamps.
    pub(crate) fn render_full(&self, stored: &StoredItem) -> Item {
        let mut item = stored.item.clone();
        let fields = item.fields_mut();
        fields.item_id = Some(self.item_id(stored));
        fields.parent_folder_id = Some(self.folder_id(stored.folder));
        fields.date_time_created = Some(stored.created);
        fields.last_modified_time = Some(stored.modified);
        item
    }

    /// An entry of a folder's log as it is now, or as it was when it left the folder.
    pub(crate) fn entry(&self, folder: &Folder, (key, generation): EntryKey) -> Option<Item> {
        match self.items.get(&key) {
            Some(stored) if stored.generation == generation && stored.folder == folder.key => {
                Some(self.render_full(stored))
            }
            _ => folder.tombstones.get(&(key, generation)).cloned(),
        }
    }

    /// The item reduced to its id, of the same kind (the `IdOnly` shape).
    pub(crate) fn render_id_only(&self, stored: &StoredItem) -> Item {
        id_only(&stored.item, self.item_id(stored))
    }
}

/// An item of the same kind as `like`, holding only `id`.
pub(crate) fn id_only(like: &Item, id: ItemId) -> Item {
    use ews_types::items::{CalendarItem, Contact, ItemFields, Message, Task};
    let fields = ItemFields {
        item_id: Some(id),
        ..ItemFields::default()
    };
    match like {
        Item::Message(_) => Item::from(Message {
            item: fields,
            ..Message::default()
        }),
        Item::CalendarItem(_) => Item::from(CalendarItem {
            item: fields,
            ..CalendarItem::default()
        }),
        Item::Contact(_) => Item::from(Contact {
            item: fields,
            ..Contact::default()
        }),
        Item::Task(_) => Item::from(Task {
            item: fields,
            ..Task::default()
        }),
        other => Item::Other {
            kind: other.kind().to_owned(),
            fields: Box::new(fields),
        },
    }
}

/// Clears what the server keeps itself.
pub(crate) fn strip_server_fields(item: &mut Item) {
    let fields = item.fields_mut();
    fields.item_id = None;
    fields.parent_folder_id = None;
    fields.date_time_created = None;
    fields.last_modified_time = None;
}

/// Whether an item arriving in the Inbox is mail (a message or a meeting message).
fn is_mail(item: &Item) -> bool {
    matches!(
        item,
        Item::Message(_)
            | Item::MeetingMessage(_)
            | Item::MeetingRequest(_)
            | Item::MeetingResponse(_)
            | Item::MeetingCancellation(_)
    )
}

/// The read flag of a message (`None` for other kinds).
fn is_read(item: &Item) -> Option<bool> {
    match item {
        Item::Message(m) => m.is_read,
        _ => None,
    }
}

/// Whether a calendar item's change (from `before` to `after`, `None` when absent) changes free/busy:
/// it appears or goes, or its times, recurrence, status or cancellation change.
fn changes_free_busy(before: Option<&Item>, after: Option<&Item>) -> bool {
    let busy_facts = |item: Option<&Item>| match item {
        Some(Item::CalendarItem(c)) => Some((
            c.start,
            c.end,
            c.recurrence.clone(),
            c.legacy_free_busy_status.clone(),
            c.is_cancelled,
            c.is_all_day_event,
        )),
        _ => None,
    };
    let (before, after) = (busy_facts(before), busy_facts(after));
    (before.is_some() || after.is_some()) && before != after
}

fn same_but_read_flag(before: &Item, after: &Item) -> bool {
    match (before, after) {
        (Item::Message(a), Item::Message(b)) if a.is_read != b.is_read => {
            let mut a = a.clone();
            a.is_read = b.is_read;
            *a == **b
        }
        _ => false,
    }
}
