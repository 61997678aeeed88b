//! The events inside a notification: one element per event, named after its kind (`t:NewMailEvent`,
//! `t:MovedEvent`...), in the order they happened.
//!
//! Known kinds become typed variants whose required parts are not optional; an element this crate does
//! not know becomes [`NotificationEvent::Other`] with its name and every common part it carries, so a
//! new kind of event from a newer server never fails a response.

use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::types::{FolderId, ItemId};
use crate::xml::{Ns, Start, XmlChoice, XmlElement, XmlReader, XmlWriter};

use super::notification::{EventType, Watermark};

/// What an event is about: an item or a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangedObject {
    /// An item (a message, a contact, an appointment...).
    Item(ItemId),
    /// A folder.
    Folder(FolderId),
}

impl ChangedObject {
    fn write(&self, w: &mut XmlWriter, item_name: &str, folder_name: &str) {
        match self {
            ChangedObject::Item(id) => id.write_element(w, item_name),
            ChangedObject::Folder(id) => id.write_element(w, folder_name),
        }
    }
}

/// An event about one item or folder (`BaseObjectChangedEventType`): created, deleted, new mail,
/// free/busy changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectEvent {
    /// The event's bookmark (pull and push subscriptions; streaming events have none).
    pub watermark: Option<Watermark>,
    /// When the event happened.
    pub time_stamp: Timestamp,
    /// The item or folder.
    pub object: ChangedObject,
    /// The folder that holds it.
    pub parent_folder_id: FolderId,
}

/// A modification (`ModifiedEventType`); for a folder, its new unread count.
#[derive(Debug, Clone, PartialEq)]
pub struct ModifiedEvent {
    /// What changed, when and where.
    pub change: ObjectEvent,
    /// The folder's unread count after the change (folder events only).
    pub unread_count: Option<i32>,
}

/// A move or copy (`MovedCopiedEventType`): the new identity and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveEvent {
    /// The item or folder at its new place (a moved item usually has a new id).
    pub change: ObjectEvent,
    /// Its id before the move or copy.
    pub old_object: ChangedObject,
    /// The folder it came from.
    pub old_parent_folder_id: FolderId,
}

/// A status event: the server saying the subscription is alive (pull and push), with a watermark.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusEvent {
    /// The watermark to resume from.
    pub watermark: Option<Watermark>,
}

/// Every part an event element may carry, each optional: the content of an event of a kind this
/// crate does not know.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventFields {
    /// `Watermark`.
    pub watermark: Option<Watermark>,
    /// `TimeStamp`.
    pub time_stamp: Option<Timestamp>,
    /// `ItemId` or `FolderId`.
    pub object: Option<ChangedObject>,
    /// `ParentFolderId`.
    pub parent_folder_id: Option<FolderId>,
    /// `OldItemId` or `OldFolderId`.
    pub old_object: Option<ChangedObject>,
    /// `OldParentFolderId`.
    pub old_parent_folder_id: Option<FolderId>,
    /// `UnreadCount`.
    pub unread_count: Option<i32>,
}

impl EventFields {
    fn read<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut fields = EventFields::default();
        r.children(start, |r, child| {
            if child.ns() != Ns::Types {
                return Ok(false);
            }
            match child.local_name() {
                "Watermark" => fields.watermark = Some(Watermark::read_element(r, child)?),
                "TimeStamp" => fields.time_stamp = Some(Timestamp::read_element(r, child)?),
                "ItemId" => {
                    fields.object = Some(ChangedObject::Item(ItemId::read_element(r, child)?))
                }
                "FolderId" => {
                    fields.object = Some(ChangedObject::Folder(FolderId::read_element(r, child)?))
                }
                "ParentFolderId" => {
                    fields.parent_folder_id = Some(FolderId::read_element(r, child)?)
                }
                "OldItemId" => {
                    fields.old_object = Some(ChangedObject::Item(ItemId::read_element(r, child)?))
                }
                "OldFolderId" => {
                    fields.old_object =
                        Some(ChangedObject::Folder(FolderId::read_element(r, child)?))
                }
                "OldParentFolderId" => {
                    fields.old_parent_folder_id = Some(FolderId::read_element(r, child)?)
                }
                "UnreadCount" => fields.unread_count = Some(i32::read_element(r, child)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(fields)
    }

    /// Writes the parts in schema order: the base event, then the moved/copied parts, then the
    /// modified part (no schema event has both).
    fn write(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        if let Some(watermark) = &self.watermark {
            watermark.write_element(w, "t:Watermark");
        }
        if let Some(time_stamp) = &self.time_stamp {
            time_stamp.write_element(w, "t:TimeStamp");
        }
        if let Some(object) = &self.object {
            object.write(w, "t:ItemId", "t:FolderId");
        }
        if let Some(parent) = &self.parent_folder_id {
            parent.write_element(w, "t:ParentFolderId");
        }
        if let Some(old) = &self.old_object {
            old.write(w, "t:OldItemId", "t:OldFolderId");
        }
        if let Some(old_parent) = &self.old_parent_folder_id {
            old_parent.write_element(w, "t:OldParentFolderId");
        }
        if let Some(count) = &self.unread_count {
            count.write_element(w, "t:UnreadCount");
        }
        w.end(name);
    }

    fn into_object_event(self, name: &str) -> Result<ObjectEvent> {
        let missing = |what: &str| Error::missing(what, name);
        Ok(ObjectEvent {
            watermark: self.watermark,
            time_stamp: self.time_stamp.ok_or_else(|| missing("TimeStamp"))?,
            object: self.object.ok_or_else(|| missing("ItemId or FolderId"))?,
            parent_folder_id: self
                .parent_folder_id
                .ok_or_else(|| missing("ParentFolderId"))?,
        })
    }

    fn into_move_event(mut self, name: &str) -> Result<MoveEvent> {
        let missing = |what: &str| Error::missing(what, name);
        let old_object = self
            .old_object
            .take()
            .ok_or_else(|| missing("OldItemId or OldFolderId"))?;
        let old_parent_folder_id = self
            .old_parent_folder_id
            .take()
            .ok_or_else(|| missing("OldParentFolderId"))?;
        Ok(MoveEvent {
            change: self.into_object_event(name)?,
            old_object,
            old_parent_folder_id,
        })
    }
}

impl From<&ObjectEvent> for EventFields {
    fn from(event: &ObjectEvent) -> Self {
        EventFields {
            watermark: event.watermark.clone(),
            time_stamp: Some(event.time_stamp),
            object: Some(event.object.clone()),
            parent_folder_id: Some(event.parent_folder_id.clone()),
            ..EventFields::default()
        }
    }
}

/// One event of a notification (the schema's choice of event elements), open to new kinds.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NotificationEvent {
    /// `CopiedEvent`.
    Copied(MoveEvent),
    /// `CreatedEvent`.
    Created(ObjectEvent),
    /// `DeletedEvent`.
    Deleted(ObjectEvent),
    /// `ModifiedEvent`.
    Modified(ModifiedEvent),
    /// `MovedEvent`.
    Moved(MoveEvent),
    /// `NewMailEvent`.
    NewMail(ObjectEvent),
    /// `StatusEvent`: nothing happened, the subscription is alive.
    Status(StatusEvent),
    /// `FreeBusyChangedEvent`.
    FreeBusyChanged(ObjectEvent),
    /// An event element this crate does not know, with everything it carried that this crate reads.
    Other {
        /// The element's local name.
        name: String,
        /// Its parts.
        fields: EventFields,
    },
}

impl NotificationEvent {
    /// The element's name, such as `NewMailEvent`.
    pub fn name(&self) -> &str {
        match self {
            NotificationEvent::Copied(_) => "CopiedEvent",
            NotificationEvent::Created(_) => "CreatedEvent",
            NotificationEvent::Deleted(_) => "DeletedEvent",
            NotificationEvent::Modified(_) => "ModifiedEvent",
            NotificationEvent::Moved(_) => "MovedEvent",
            NotificationEvent::NewMail(_) => "NewMailEvent",
            NotificationEvent::Status(_) => "StatusEvent",
            NotificationEvent::FreeBusyChanged(_) => "FreeBusyChangedEvent",
            NotificationEvent::Other { name, .. } => name,
        }
    }

    /// The kind of subscription event this is; `None` for status events, which one cannot ask for.
    pub fn event_type(&self) -> Option<EventType> {
        match self {
            NotificationEvent::Status(_) => None,
            other => Some(EventType::from_wire(other.name())),
        }
    }

    /// The base part of an event about an item or folder.
    fn change(&self) -> Option<&ObjectEvent> {
        match self {
            NotificationEvent::Created(e)
            | NotificationEvent::Deleted(e)
            | NotificationEvent::NewMail(e)
            | NotificationEvent::FreeBusyChanged(e) => Some(e),
            NotificationEvent::Modified(e) => Some(&e.change),
            NotificationEvent::Copied(e) | NotificationEvent::Moved(e) => Some(&e.change),
            NotificationEvent::Status(_) | NotificationEvent::Other { .. } => None,
        }
    }

    /// The event's watermark, if it carries one.
    pub fn watermark(&self) -> Option<&Watermark> {
        match self {
            NotificationEvent::Status(e) => e.watermark.as_ref(),
            NotificationEvent::Other { fields, .. } => fields.watermark.as_ref(),
            other => other.change().and_then(|e| e.watermark.as_ref()),
        }
    }

    /// When the event happened (status events have no time).
    pub fn time_stamp(&self) -> Option<Timestamp> {
        match self {
            NotificationEvent::Other { fields, .. } => fields.time_stamp,
            other => other.change().map(|e| e.time_stamp),
        }
    }

    /// The item or folder the event is about.
    pub fn object(&self) -> Option<&ChangedObject> {
        match self {
            NotificationEvent::Other { fields, .. } => fields.object.as_ref(),
            other => other.change().map(|e| &e.object),
        }
    }

    /// The folder that holds the item or folder (after a move, the new one).
    pub fn parent_folder_id(&self) -> Option<&FolderId> {
        match self {
            NotificationEvent::Other { fields, .. } => fields.parent_folder_id.as_ref(),
            other => other.change().map(|e| &e.parent_folder_id),
        }
    }

    /// All parts of the event, for writing.
    fn fields(&self) -> EventFields {
        match self {
            NotificationEvent::Created(e)
            | NotificationEvent::Deleted(e)
            | NotificationEvent::NewMail(e)
            | NotificationEvent::FreeBusyChanged(e) => e.into(),
            NotificationEvent::Modified(e) => EventFields {
                unread_count: e.unread_count,
                ..(&e.change).into()
            },
            NotificationEvent::Copied(e) | NotificationEvent::Moved(e) => EventFields {
                old_object: Some(e.old_object.clone()),
                old_parent_folder_id: Some(e.old_parent_folder_id.clone()),
                ..(&e.change).into()
            },
            NotificationEvent::Status(e) => EventFields {
                watermark: e.watermark.clone(),
                ..EventFields::default()
            },
            NotificationEvent::Other { fields, .. } => fields.clone(),
        }
    }

    /// The typed event for the element `name` with `fields`.
    fn from_fields(name: &str, fields: EventFields) -> Result<Self> {
        Ok(match name {
            "CopiedEvent" => NotificationEvent::Copied(fields.into_move_event(name)?),
            "CreatedEvent" => NotificationEvent::Created(fields.into_object_event(name)?),
            "DeletedEvent" => NotificationEvent::Deleted(fields.into_object_event(name)?),
            "ModifiedEvent" => {
                let unread_count = fields.unread_count;
                NotificationEvent::Modified(ModifiedEvent {
                    change: fields.into_object_event(name)?,
                    unread_count,
                })
            }
            "MovedEvent" => NotificationEvent::Moved(fields.into_move_event(name)?),
            "NewMailEvent" => NotificationEvent::NewMail(fields.into_object_event(name)?),
            "StatusEvent" => NotificationEvent::Status(StatusEvent {
                watermark: fields.watermark,
            }),
            "FreeBusyChangedEvent" => {
                NotificationEvent::FreeBusyChanged(fields.into_object_event(name)?)
            }
            other => NotificationEvent::Other {
                name: other.to_owned(),
                fields,
            },
        })
    }
}

impl XmlChoice for NotificationEvent {
    fn write_choice(&self, w: &mut XmlWriter) {
        self.fields().write(w, &format!("t:{}", self.name()));
    }

    /// Every element in the types namespace is an event (the notification's own header elements are
    /// read before this is asked); an element outside the EWS namespaces is an error.
    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        start.reject_foreign("an event in the EWS types namespace")?;
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let fields = EventFields::read(r, start)?;
        NotificationEvent::from_fields(start.local_name(), fields).map(Some)
    }
}
