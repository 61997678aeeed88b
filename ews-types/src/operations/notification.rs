//! What subscriptions deliver: the ids and cursors of a subscription, the kinds of events one can ask
//! for, and the notifications that carry events (shared by Subscribe, GetEvents and GetStreamingEvents).
//!
//! A pull subscription is read with GetEvents from a [`Watermark`]: call again from
//! [`Notification::resume_watermark`] while [`Notification::has_more_events`] says so. A streaming
//! subscription pushes notifications over one long GetStreamingEvents response (see
//! [`crate::streaming`]); its events carry no watermarks.

use crate::error::{Error, Result};
use crate::xml::{Ns, Start, XmlChoice, XmlElement, XmlReader, XmlWriter, open_enum};

pub use super::notification_event::{
    ChangedObject, EventFields, ModifiedEvent, MoveEvent, NotificationEvent, ObjectEvent,
    StatusEvent,
};

/// Declares a newtype over an opaque server string, written as a text element.
macro_rules! opaque_string {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The value as the server sent it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl XmlElement for $name {
            fn write_element(&self, w: &mut XmlWriter, name: &str) {
                w.text_element(name, &self.0);
            }
            fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
                Ok($name(r.read_text(start)?.trim().to_owned()))
            }
        }
    };
}

opaque_string!(
    /// The id of a subscription, as Subscribe returned it. Opaque; keep it whole.
    SubscriptionId
);

opaque_string!(
    /// A bookmark in a mailbox's event queue. Opaque: store it whole and send it back to GetEvents (or to
    /// Subscribe, to resume a pull or push subscription where it stopped; Exchange keeps events for
    /// about 30 days). The server's string carries its own format, so a stored watermark needs no
    /// version of ours.
    Watermark
);

/// In arrays (`SubscriptionIds`, `ErrorSubscriptionIds`) each id is a `t:SubscriptionId`.
impl XmlChoice for SubscriptionId {
    fn write_choice(&self, w: &mut XmlWriter) {
        self.write_element(w, "t:SubscriptionId");
    }

    /// Accepts the `messages` namespace too: Microsoft's own GetStreamingEvents sample puts the ids
    /// there, and dropping an id silently would be worse than reading it.
    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.local_name() != "SubscriptionId" {
            return Ok(None);
        }
        start.reject_foreign("a SubscriptionId in an EWS namespace")?;
        Ok(Some(SubscriptionId::read_element(r, start)?))
    }
}

open_enum! {
    /// The kinds of events a subscription asks for (`EventTypes/EventType`).
    ///
    /// The status events that keep a subscription alive are always delivered and cannot be asked for.
    pub enum EventType {
        /// An item or folder was copied.
        Copied = "CopiedEvent",
        /// An item or folder was created.
        Created = "CreatedEvent",
        /// An item or folder was deleted.
        Deleted = "DeletedEvent",
        /// An item or folder was modified.
        Modified = "ModifiedEvent",
        /// An item or folder was moved.
        Moved = "MovedEvent",
        /// A message arrived in a mailbox folder.
        NewMail = "NewMailEvent",
        /// A free/busy change on a calendar item (Exchange 2010 SP1 and later).
        FreeBusyChanged = "FreeBusyChangedEvent",
    }
}

impl EventType {
    /// Every kind of event the schema defines, in its order.
    pub fn all() -> Vec<EventType> {
        vec![
            EventType::Copied,
            EventType::Created,
            EventType::Deleted,
            EventType::Modified,
            EventType::Moved,
            EventType::NewMail,
            EventType::FreeBusyChanged,
        ]
    }
}

/// In `EventTypes` each kind is a `t:EventType`.
impl XmlChoice for EventType {
    fn write_choice(&self, w: &mut XmlWriter) {
        self.write_element(w, "t:EventType");
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types || start.local_name() != "EventType" {
            start.reject_foreign("an EventType in the EWS types namespace")?;
            return Ok(None);
        }
        Ok(Some(EventType::read_element(r, start)?))
    }
}

/// The events of one subscription since a watermark (`NotificationType`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notification {
    /// The subscription the events belong to.
    pub subscription_id: SubscriptionId,
    /// The watermark the events follow (pull and push subscriptions).
    pub previous_watermark: Option<Watermark>,
    /// Whether the server holds more events than it returned: call GetEvents again at once.
    pub more_events: Option<bool>,
    /// The events, in the order they happened (document order).
    pub events: Vec<NotificationEvent>,
}

impl Notification {
    /// The watermark to send with the next GetEvents call: the last event's (status events included),
    /// or the previous watermark when no event carries one. `None` for streaming notifications, whose
    /// events carry no watermarks.
    pub fn resume_watermark(&self) -> Option<&Watermark> {
        self.events
            .iter()
            .rev()
            .find_map(NotificationEvent::watermark)
            .or(self.previous_watermark.as_ref())
    }

    /// Whether to call GetEvents again right away (`MoreEvents` is true).
    pub fn has_more_events(&self) -> bool {
        self.more_events.unwrap_or(false)
    }

    /// How many events are about an item, and how many about a folder.
    pub(crate) fn object_counts(&self) -> (usize, usize) {
        self.events
            .iter()
            .fold((0, 0), |(items, folders), event| match event.object() {
                Some(ChangedObject::Item(_)) => (items + 1, folders),
                Some(ChangedObject::Folder(_)) => (items, folders + 1),
                None => (items, folders),
            })
    }
}

impl XmlElement for Notification {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.subscription_id.write_element(w, "t:SubscriptionId");
        if let Some(watermark) = &self.previous_watermark {
            watermark.write_element(w, "t:PreviousWatermark");
        }
        if let Some(more) = &self.more_events {
            more.write_element(w, "t:MoreEvents");
        }
        for event in &self.events {
            event.write_choice(w);
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut notification = Notification::default();
        let mut has_subscription_id = false;
        r.children(start, |r, child| {
            if child.ns() == Ns::Types {
                match child.local_name() {
                    "SubscriptionId" => {
                        notification.subscription_id = SubscriptionId::read_element(r, child)?;
                        has_subscription_id = true;
                        return Ok(true);
                    }
                    "PreviousWatermark" => {
                        notification.previous_watermark = Some(Watermark::read_element(r, child)?);
                        return Ok(true);
                    }
                    "MoreEvents" => {
                        notification.more_events = Some(bool::read_element(r, child)?);
                        return Ok(true);
                    }
                    _ => {}
                }
            }
            match NotificationEvent::read_choice(r, child)? {
                Some(event) => {
                    notification.events.push(event);
                    Ok(true)
                }
                None => Ok(false),
            }
        })?;
        if !has_subscription_id {
            return Err(Error::missing("SubscriptionId", start.local_name()));
        }
        Ok(notification)
    }
}
