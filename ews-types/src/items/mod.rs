//! Items: messages, contacts, tasks, calendar items, and any other kind as a generic item.

mod calendar;
mod calendar_details;
mod contact;
mod item;
mod message;
mod task;

pub use calendar::{Attendee, CalendarItem, CalendarItemKind, LegacyFreeBusyStatus, ResponseType};
pub use calendar_details::{
    CalendarActivityData, ChangeHighlights, EmailReminderChange, EmailReminderSendOption,
    EnhancedLocation, InboxReminder, LobbyBypass, LocationSource, OnlineMeetingAccessLevel,
    OnlineMeetingSettings, PersonaPostalAddress, Presenters,
};
pub use contact::{
    CompleteName, Contact, DictionaryEntry, EmailAddressEntry, PhysicalAddressEntry, PostalAddress,
};
pub use item::{ItemFields, MimeContent};
pub use message::Message;
pub use task::{Task, TaskDelegationState, TaskStatus};

use crate::error::Result;
use crate::types::ItemId;
use crate::xml::XmlChoice;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter};

/// An item of any kind (the schema's item choice).
///
/// Kinds this crate does not model in full (`MeetingRequest`, `PostItem`, `DistributionList`...) are read
/// as [`Item::Other`] with their element name kept and their common item fields filled: an unknown kind
/// never fails a response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Item {
    /// An e-mail message.
    Message(Box<Message>),
    /// An appointment or meeting.
    CalendarItem(Box<CalendarItem>),
    /// A contact.
    Contact(Box<Contact>),
    /// A task.
    Task(Box<Task>),
    /// Any other kind, with its element name (`Item`, `MeetingRequest`, `PostItem`...).
    Other {
        /// The element name of the kind.
        kind: String,
        /// The fields every item has.
        fields: Box<ItemFields>,
    },
}

impl Item {
    /// The element name of this item's kind (`Message`, `Contact`...).
    pub fn kind(&self) -> &str {
        match self {
            Item::Message(_) => "Message",
            Item::CalendarItem(_) => "CalendarItem",
            Item::Contact(_) => "Contact",
            Item::Task(_) => "Task",
            Item::Other { kind, .. } => kind,
        }
    }

    /// The fields every item has.
    pub fn fields(&self) -> &ItemFields {
        match self {
            Item::Message(m) => &m.item,
            Item::CalendarItem(c) => &c.item,
            Item::Contact(c) => &c.item,
            Item::Task(t) => &t.item,
            Item::Other { fields, .. } => fields,
        }
    }

    /// The fields every item has, mutably.
    pub fn fields_mut(&mut self) -> &mut ItemFields {
        match self {
            Item::Message(m) => &mut m.item,
            Item::CalendarItem(c) => &mut c.item,
            Item::Contact(c) => &mut c.item,
            Item::Task(t) => &mut t.item,
            Item::Other { fields, .. } => fields,
        }
    }

    /// The item's id, if the response holds one.
    pub fn id(&self) -> Option<&ItemId> {
        self.fields().item_id.as_ref()
    }
}

impl XmlChoice for Item {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            Item::Message(m) => m.write_element(w, "t:Message"),
            Item::CalendarItem(c) => c.write_element(w, "t:CalendarItem"),
            Item::Contact(c) => c.write_element(w, "t:Contact"),
            Item::Task(t) => t.write_element(w, "t:Task"),
            Item::Other { kind, fields } => {
                let tag = format!("t:{kind}");
                w.open(&tag).close();
                fields.write_children(w);
                w.end(&tag);
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        start.reject_foreign("an item in the EWS types namespace")?;
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        Ok(Some(match start.local_name() {
            "Message" => Item::Message(Box::new(Message::read_element(r, start)?)),
            "CalendarItem" => Item::CalendarItem(Box::new(CalendarItem::read_element(r, start)?)),
            "Contact" => Item::Contact(Box::new(Contact::read_element(r, start)?)),
            "Task" => Item::Task(Box::new(Task::read_element(r, start)?)),
            other => {
                let kind = other.to_owned();
                let mut fields = ItemFields::default();
                r.children(start, |r, c| fields.read_child(r, c))?;
                Item::Other {
                    kind,
                    fields: Box::new(fields),
                }
            }
        }))
    }
}

impl From<Message> for Item {
    fn from(m: Message) -> Self {
        Item::Message(Box::new(m))
    }
}
impl From<CalendarItem> for Item {
    fn from(c: CalendarItem) -> Self {
        Item::CalendarItem(Box::new(c))
    }
}
impl From<Contact> for Item {
    fn from(c: Contact) -> Self {
        Item::Contact(Box::new(c))
    }
}
impl From<Task> for Item {
    fn from(t: Task) -> Self {
        Item::Task(Box::new(t))
    }
}
