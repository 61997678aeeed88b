//! Items: messages, contacts, tasks, calendar items, and any other kind as a generic item.

mod calendar;
mod calendar_details;
mod contact;
mod item;
mod meeting;
mod message;
mod response_objects;
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
pub use meeting::{
    MeetingCancellation, MeetingMessage, MeetingRequest, MeetingRequestKind, MeetingResponse,
};
pub use message::Message;
pub(crate) use response_objects::check_response_object;
pub use response_objects::{CancelCalendarItem, MeetingReply, RemoveItem, ReplyAddressing};
pub use task::{Task, TaskDelegationState, TaskStatus};

use crate::error::Result;
use crate::types::ItemId;
use crate::xml::XmlChoice;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter};

/// An item of any kind (the schema's item choice).
///
/// Kinds this crate does not model in full (`PostItem`, `DistributionList`...) are read as
/// [`Item::Other`] with their element name kept and their common item fields filled: an unknown kind
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
    /// A meeting message that is neither request, response nor cancellation.
    MeetingMessage(Box<MeetingMessage>),
    /// A meeting request.
    MeetingRequest(Box<MeetingRequest>),
    /// An attendee's response.
    MeetingResponse(Box<MeetingResponse>),
    /// A meeting cancellation.
    MeetingCancellation(Box<MeetingCancellation>),
    /// Accepts a meeting (a response object, for CreateItem).
    AcceptItem(Box<MeetingReply>),
    /// Tentatively accepts a meeting (a response object, for CreateItem).
    TentativelyAcceptItem(Box<MeetingReply>),
    /// Declines a meeting (a response object, for CreateItem).
    DeclineItem(Box<MeetingReply>),
    /// Cancels a meeting as its organizer (a response object, for CreateItem).
    CancelCalendarItem(Box<CancelCalendarItem>),
    /// Removes a cancelled meeting from the calendar (a response object, for CreateItem).
    RemoveItem(Box<RemoveItem>),
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
            Item::MeetingMessage(_) => "MeetingMessage",
            Item::MeetingRequest(_) => "MeetingRequest",
            Item::MeetingResponse(_) => "MeetingResponse",
            Item::MeetingCancellation(_) => "MeetingCancellation",
            Item::AcceptItem(_) => "AcceptItem",
            Item::TentativelyAcceptItem(_) => "TentativelyAcceptItem",
            Item::DeclineItem(_) => "DeclineItem",
            Item::CancelCalendarItem(_) => "CancelCalendarItem",
            Item::RemoveItem(_) => "RemoveItem",
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
            Item::MeetingMessage(m) => &m.message.item,
            Item::MeetingRequest(m) => &m.meeting.message.item,
            Item::MeetingResponse(m) => &m.meeting.message.item,
            Item::MeetingCancellation(m) => &m.meeting.message.item,
            Item::AcceptItem(r) | Item::TentativelyAcceptItem(r) | Item::DeclineItem(r) => &r.item,
            Item::CancelCalendarItem(c) => &c.item,
            Item::RemoveItem(r) => &r.message.item,
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
            Item::MeetingMessage(m) => &mut m.message.item,
            Item::MeetingRequest(m) => &mut m.meeting.message.item,
            Item::MeetingResponse(m) => &mut m.meeting.message.item,
            Item::MeetingCancellation(m) => &mut m.meeting.message.item,
            Item::AcceptItem(r) | Item::TentativelyAcceptItem(r) | Item::DeclineItem(r) => {
                &mut r.item
            }
            Item::CancelCalendarItem(c) => &mut c.item,
            Item::RemoveItem(r) => &mut r.message.item,
            Item::Other { fields, .. } => fields,
        }
    }

    /// Whether this is a response object (accept, tentatively accept, decline, cancel, remove), which
    /// CreateItem sends rather than stores.
    pub fn is_response_object(&self) -> bool {
        matches!(
            self,
            Item::AcceptItem(_)
                | Item::TentativelyAcceptItem(_)
                | Item::DeclineItem(_)
                | Item::CancelCalendarItem(_)
                | Item::RemoveItem(_)
        )
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
            Item::MeetingMessage(m) => m.write_element(w, "t:MeetingMessage"),
            Item::MeetingRequest(m) => m.write_element(w, "t:MeetingRequest"),
            Item::MeetingResponse(m) => m.write_element(w, "t:MeetingResponse"),
            Item::MeetingCancellation(m) => m.write_element(w, "t:MeetingCancellation"),
            Item::AcceptItem(r) => r.write_element(w, "t:AcceptItem"),
            Item::TentativelyAcceptItem(r) => r.write_element(w, "t:TentativelyAcceptItem"),
            Item::DeclineItem(r) => r.write_element(w, "t:DeclineItem"),
            Item::CancelCalendarItem(c) => c.write_element(w, "t:CancelCalendarItem"),
            Item::RemoveItem(r) => r.write_element(w, "t:RemoveItem"),
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
            "Message" => Item::Message(Message::read_boxed(r, start)?),
            "CalendarItem" => Item::CalendarItem(CalendarItem::read_boxed(r, start)?),
            "Contact" => Item::Contact(Contact::read_boxed(r, start)?),
            "Task" => Item::Task(Task::read_boxed(r, start)?),
            "MeetingMessage" => Item::MeetingMessage(MeetingMessage::read_boxed(r, start)?),
            "MeetingRequest" => Item::MeetingRequest(MeetingRequest::read_boxed(r, start)?),
            "MeetingResponse" => Item::MeetingResponse(MeetingResponse::read_boxed(r, start)?),
            "MeetingCancellation" => {
                Item::MeetingCancellation(MeetingCancellation::read_boxed(r, start)?)
            }
            "AcceptItem" => Item::AcceptItem(MeetingReply::read_boxed(r, start)?),
            "TentativelyAcceptItem" => {
                Item::TentativelyAcceptItem(MeetingReply::read_boxed(r, start)?)
            }
            "DeclineItem" => Item::DeclineItem(MeetingReply::read_boxed(r, start)?),
            "CancelCalendarItem" => {
                Item::CancelCalendarItem(CancelCalendarItem::read_boxed(r, start)?)
            }
            "RemoveItem" => Item::RemoveItem(RemoveItem::read_boxed(r, start)?),
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
impl From<MeetingRequest> for Item {
    fn from(m: MeetingRequest) -> Self {
        Item::MeetingRequest(Box::new(m))
    }
}
impl From<CancelCalendarItem> for Item {
    fn from(c: CancelCalendarItem) -> Self {
        Item::CancelCalendarItem(Box::new(c))
    }
}
impl From<RemoveItem> for Item {
    fn from(r: RemoveItem) -> Self {
        Item::RemoveItem(Box::new(r))
    }
}
