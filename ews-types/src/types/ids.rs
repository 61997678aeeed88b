//! Item and folder identities.
//!
//! Item ids are opaque, case-sensitive and may change when an item moves; every change makes a new change
//! key. Keep both: sync writes send the last seen change key to detect conflicts.

use crate::error::{Error, Result};
use crate::types::EmailAddress;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, open_enum};
use crate::xml::{XmlChoice, read_one_choice};

fn write_id(w: &mut XmlWriter, name: &str, id: &str, change_key: Option<&str>) {
    w.open(name)
        .attr("Id", id)
        .attr_opt("ChangeKey", change_key)
        .close_empty();
}

fn read_id<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<(String, Option<String>)> {
    let id = start.required_attr("Id")?;
    let change_key = start.attr("ChangeKey")?.map(|c| c.into_owned());
    r.skip(start)?;
    Ok((id, change_key))
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            /// The opaque id.
            pub id: String,
            /// The change key of the version this id was read from, if known.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub change_key: Option<String>,
        }

        impl $name {
            /// An id without a change key.
            pub fn new(id: impl Into<String>) -> Self {
                $name { id: id.into(), change_key: None }
            }

            /// An id with its change key.
            pub fn with_change_key(id: impl Into<String>, change_key: impl Into<String>) -> Self {
                $name { id: id.into(), change_key: Some(change_key.into()) }
            }
        }

        impl XmlElement for $name {
            fn write_element(&self, w: &mut XmlWriter, name: &str) {
                write_id(w, name, &self.id, self.change_key.as_deref());
            }
            fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
                let (id, change_key) = read_id(r, start)?;
                Ok($name { id, change_key })
            }
        }
    };
}

id_type!(
    /// An item's id (`ItemId`) and change key.
    ItemId
);
id_type!(
    /// A folder's id (`FolderId`) and change key. Folder ids are stable across moves.
    FolderId
);

open_enum! {
    /// The well-known folders of a mailbox (`DistinguishedFolderId/@Id`).
    pub enum DistinguishedFolderName {
        /// The calendar.
        Calendar = "calendar",
        /// Contacts.
        Contacts = "contacts",
        /// Deleted Items.
        DeletedItems = "deleteditems",
        /// Drafts.
        Drafts = "drafts",
        /// Inbox.
        Inbox = "inbox",
        /// Journal.
        Journal = "journal",
        /// Notes.
        Notes = "notes",
        /// Outbox.
        Outbox = "outbox",
        /// Sent Items.
        SentItems = "sentitems",
        /// Tasks.
        Tasks = "tasks",
        /// The root of the visible folder tree ("Top of Information Store").
        MsgFolderRoot = "msgfolderroot",
        /// The root of the public folder tree.
        PublicFoldersRoot = "publicfoldersroot",
        /// The mailbox root.
        Root = "root",
        /// Junk Email.
        JunkEmail = "junkemail",
        /// Search folders.
        SearchFolders = "searchfolders",
        /// Voice mail.
        VoiceMail = "voicemail",
        /// The root of the recoverable items.
        RecoverableItemsRoot = "recoverableitemsroot",
        /// Recoverable items: deletions.
        RecoverableItemsDeletions = "recoverableitemsdeletions",
        /// Recoverable items: versions.
        RecoverableItemsVersions = "recoverableitemsversions",
        /// Recoverable items: purges.
        RecoverableItemsPurges = "recoverableitemspurges",
        /// The archive mailbox root.
        ArchiveRoot = "archiveroot",
        /// The archive's visible folder root.
        ArchiveMsgFolderRoot = "archivemsgfolderroot",
        /// The archive's Deleted Items.
        ArchiveDeletedItems = "archivedeleteditems",
        /// Sync Issues.
        SyncIssues = "syncissues",
        /// Conflicts.
        Conflicts = "conflicts",
        /// Local failures.
        LocalFailures = "localfailures",
        /// Server failures.
        ServerFailures = "serverfailures",
        /// Conversation history.
        ConversationHistory = "conversationhistory",
        /// To-do search folder.
        ToDoSearch = "todosearch",
        /// Quick contacts.
        QuickContacts = "quickcontacts",
        /// Recipient cache.
        RecipientCache = "recipientcache",
    }
}

/// A well-known folder, optionally in another mailbox (delegate access or impersonation by folder).
#[derive(Debug, Clone, PartialEq)]
pub struct DistinguishedFolderId {
    /// Which folder.
    pub name: DistinguishedFolderName,
    /// Its change key, if known.
    pub change_key: Option<String>,
    /// The mailbox that holds it; `None` for the caller's own (or impersonated) mailbox.
    pub mailbox: Option<EmailAddress>,
}

impl DistinguishedFolderId {
    /// The folder in the caller's own mailbox.
    pub fn new(name: DistinguishedFolderName) -> Self {
        DistinguishedFolderId {
            name,
            change_key: None,
            mailbox: None,
        }
    }

    /// The folder in the mailbox with this SMTP address.
    pub fn in_mailbox(name: DistinguishedFolderName, smtp_address: impl Into<String>) -> Self {
        DistinguishedFolderId {
            name,
            change_key: None,
            mailbox: Some(EmailAddress::smtp(smtp_address)),
        }
    }
}

impl XmlElement for DistinguishedFolderId {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("Id", self.name.as_str())
            .attr_opt("ChangeKey", self.change_key.as_deref());
        match &self.mailbox {
            None => w.close_empty(),
            Some(mailbox) => {
                w.close();
                mailbox.write_element(w, "t:Mailbox");
                w.end(name);
            }
        }
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let name = DistinguishedFolderName::from_wire(&start.required_attr("Id")?);
        let change_key = start.attr("ChangeKey")?.map(|c| c.into_owned());
        let mut mailbox = None;
        r.children(start, |r, child| {
            if child.ns() == Ns::Types && child.local_name() == "Mailbox" {
                mailbox = Some(EmailAddress::read_element(r, child)?);
                return Ok(true);
            }
            Ok(false)
        })?;
        Ok(DistinguishedFolderId {
            name,
            change_key,
            mailbox,
        })
    }
}

/// A folder reference: a folder id or a well-known folder (the schema's `BaseFolderIdType` choice).
///
/// As an [`XmlElement`] it is the wrapper element holding the choice (`TargetFolderIdType`, e.g.
/// `SyncFolderId`, `SavedItemFolderId`, `ToFolderId`).
#[derive(Debug, Clone, PartialEq)]
pub enum FolderRef {
    /// A folder by id.
    Id(FolderId),
    /// A well-known folder.
    Distinguished(DistinguishedFolderId),
}

impl From<FolderId> for FolderRef {
    fn from(id: FolderId) -> Self {
        FolderRef::Id(id)
    }
}

impl From<DistinguishedFolderName> for FolderRef {
    fn from(name: DistinguishedFolderName) -> Self {
        FolderRef::Distinguished(DistinguishedFolderId::new(name))
    }
}

impl From<DistinguishedFolderId> for FolderRef {
    fn from(id: DistinguishedFolderId) -> Self {
        FolderRef::Distinguished(id)
    }
}

impl XmlChoice for FolderRef {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            FolderRef::Id(id) => id.write_element(w, "t:FolderId"),
            FolderRef::Distinguished(id) => id.write_element(w, "t:DistinguishedFolderId"),
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        Ok(Some(match start.local_name() {
            "FolderId" => FolderRef::Id(FolderId::read_element(r, start)?),
            "DistinguishedFolderId" => {
                FolderRef::Distinguished(DistinguishedFolderId::read_element(r, start)?)
            }
            _ => return Ok(None),
        }))
    }
}

impl XmlElement for FolderRef {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.write_choice(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_one_choice(r, start, "FolderId or DistinguishedFolderId")
    }
}

/// An item reference: an item, one occurrence of a series, or the series of an occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemRef {
    /// An item by id.
    Id(ItemId),
    /// Occurrence number `instance_index` (1-based) of the series `recurring_master_id`.
    Occurrence {
        /// The recurring master's id.
        recurring_master_id: String,
        /// The master's change key, if known.
        change_key: Option<String>,
        /// The 1-based index of the occurrence.
        instance_index: u32,
    },
    /// The recurring master of the occurrence or exception `occurrence_id`.
    RecurringMaster {
        /// The occurrence's id.
        occurrence_id: String,
        /// The occurrence's change key, if known.
        change_key: Option<String>,
    },
}

impl ItemRef {
    /// Whether the reference can only name a calendar item (an occurrence or a series).
    pub fn is_calendar_only(&self) -> bool {
        matches!(
            self,
            ItemRef::Occurrence { .. } | ItemRef::RecurringMaster { .. }
        )
    }
}

impl From<ItemId> for ItemRef {
    fn from(id: ItemId) -> Self {
        ItemRef::Id(id)
    }
}

impl XmlChoice for ItemRef {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            ItemRef::Id(id) => id.write_element(w, "t:ItemId"),
            ItemRef::Occurrence {
                recurring_master_id,
                change_key,
                instance_index,
            } => {
                w.open("t:OccurrenceItemId")
                    .attr("RecurringMasterId", recurring_master_id)
                    .attr_opt("ChangeKey", change_key.as_deref())
                    .attr("InstanceIndex", &instance_index.to_string())
                    .close_empty();
            }
            ItemRef::RecurringMaster {
                occurrence_id,
                change_key,
            } => {
                w.open("t:RecurringMasterItemId")
                    .attr("OccurrenceId", occurrence_id)
                    .attr_opt("ChangeKey", change_key.as_deref())
                    .close_empty();
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let item = match start.local_name() {
            "ItemId" => return Ok(Some(ItemRef::Id(ItemId::read_element(r, start)?))),
            "OccurrenceItemId" => {
                let index = start.required_attr("InstanceIndex")?;
                ItemRef::Occurrence {
                    recurring_master_id: start.required_attr("RecurringMasterId")?,
                    change_key: start.attr("ChangeKey")?.map(|c| c.into_owned()),
                    instance_index: index.trim().parse().map_err(|_| {
                        Error::invalid_value("@InstanceIndex", &index, "a positive integer")
                    })?,
                }
            }
            "RecurringMasterItemId" => ItemRef::RecurringMaster {
                occurrence_id: start.required_attr("OccurrenceId")?,
                change_key: start.attr("ChangeKey")?.map(|c| c.into_owned()),
            },
            _ => return Ok(None),
        };
        r.skip(start)?;
        Ok(Some(item))
    }
}
