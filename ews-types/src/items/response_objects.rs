//! Response objects: what CreateItem sends to answer a meeting (accept, tentatively accept, decline),
//! to cancel one as its organizer, or to remove a cancelled one from the calendar.
//!
//! Each refers to the meeting request or calendar item through `ReferenceItemId`. Send them with
//! [`CreateItem::respond`](crate::operations::CreateItem::respond), which sets the `MessageDisposition`
//! Exchange requires (`SendAndSaveCopy` to send the reply, `SaveOnly` to keep it as a draft).
//!
//! ```
//! use ews_types::items::MeetingReply;
//! use ews_types::operations::{CreateItem, MessageDisposition, Operation};
//! use ews_types::types::ItemId;
//!
//! let accept = MeetingReply::for_meeting(ItemId::with_change_key("AAMkAD", "CwAAAB"))
//!     .with_text("See you there")
//!     .accept();
//! let request = CreateItem::respond(vec![accept], MessageDisposition::SendAndSaveCopy);
//! assert!(request.validate().is_ok());
//! ```

use jiff::Timestamp;

use crate::error::{Error, Result};
use crate::types::{Body, EmailAddress, ItemId, SingleRecipient};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter, xml_sequence};

use super::{Item, ItemFields, Message};

/// Reads a `list` wrapper of `Mailbox` children.
fn read_mailboxes<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Vec<EmailAddress>> {
    let mut mailboxes = Vec::new();
    r.children(start, |r, child| {
        if child.local_name() == "Mailbox" {
            mailboxes.push(EmailAddress::read_element(r, child)?);
            return Ok(true);
        }
        Ok(false)
    })?;
    Ok(mailboxes)
}

fn write_mailboxes(w: &mut XmlWriter, name: &str, mailboxes: &Option<Vec<EmailAddress>>) {
    if let Some(mailboxes) = mailboxes {
        w.open(name).close();
        for mailbox in mailboxes {
            mailbox.write_element(w, "t:Mailbox");
        }
        w.end(name);
    }
}

fn write_opt<T: XmlElement>(w: &mut XmlWriter, name: &str, value: &Option<T>) {
    if let Some(value) = value {
        value.write_element(w, name);
    }
}

/// The addressing of a response object (the part of `MessageType` the schema keeps in replies).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReplyAddressing {
    /// The sender, when replying on behalf of someone.
    pub sender: Option<SingleRecipient>,
    /// To recipients (the organizer when absent).
    pub to_recipients: Option<Vec<EmailAddress>>,
    /// Cc recipients.
    pub cc_recipients: Option<Vec<EmailAddress>>,
    /// Bcc recipients.
    pub bcc_recipients: Option<Vec<EmailAddress>>,
    /// Whether a read receipt is requested.
    pub is_read_receipt_requested: Option<bool>,
    /// Whether a delivery receipt is requested.
    pub is_delivery_receipt_requested: Option<bool>,
    /// The From address.
    pub from: Option<SingleRecipient>,
}

impl ReplyAddressing {
    /// Writes the recipients, from `ToRecipients` through `From` (`Sender` is written separately, as
    /// its place differs between reply kinds).
    fn write_recipients(&self, w: &mut XmlWriter) {
        write_mailboxes(w, "t:ToRecipients", &self.to_recipients);
        write_mailboxes(w, "t:CcRecipients", &self.cc_recipients);
        write_mailboxes(w, "t:BccRecipients", &self.bcc_recipients);
        write_opt(
            w,
            "t:IsReadReceiptRequested",
            &self.is_read_receipt_requested,
        );
        write_opt(
            w,
            "t:IsDeliveryReceiptRequested",
            &self.is_delivery_receipt_requested,
        );
        write_opt(w, "t:From", &self.from);
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        match child.local_name() {
            "Sender" => self.sender = Some(SingleRecipient::read_element(r, child)?),
            "ToRecipients" => self.to_recipients = Some(read_mailboxes(r, child)?),
            "CcRecipients" => self.cc_recipients = Some(read_mailboxes(r, child)?),
            "BccRecipients" => self.bcc_recipients = Some(read_mailboxes(r, child)?),
            "IsReadReceiptRequested" => {
                self.is_read_receipt_requested = Some(bool::read_element(r, child)?)
            }
            "IsDeliveryReceiptRequested" => {
                self.is_delivery_receipt_requested = Some(bool::read_element(r, child)?)
            }
            "From" => self.from = Some(SingleRecipient::read_element(r, child)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// An answer to a meeting request (`AcceptItem`, `TentativelyAcceptItem`, `DeclineItem`: the schema's
/// `MeetingRegistrationResponseObjectType`), optionally proposing another time.
///
/// Of the item fields only `ItemClass`, `Sensitivity` and `Body` belong to a reply; CreateItem's
/// `validate` refuses a reply that sets others rather than drop them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeetingReply {
    /// `ItemClass`, `Sensitivity` and `Body`.
    pub item: ItemFields,
    /// Who it goes to.
    pub addressing: ReplyAddressing,
    /// The meeting request or calendar item answered.
    pub reference_item_id: Option<ItemId>,
    /// A start proposed instead (Exchange 2013 and later).
    pub proposed_start: Option<Timestamp>,
    /// An end proposed instead.
    pub proposed_end: Option<Timestamp>,
}

impl MeetingReply {
    /// A reply to the meeting request or calendar item `meeting`.
    pub fn for_meeting(meeting: ItemId) -> Self {
        MeetingReply {
            reference_item_id: Some(meeting),
            ..MeetingReply::default()
        }
    }

    /// Adds a plain-text message to the organizer.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.item.body = Some(Body::text(text));
        self
    }

    /// Proposes another time (with a tentative acceptance or a decline, as Outlook does).
    pub fn proposing(mut self, start: Timestamp, end: Timestamp) -> Self {
        self.proposed_start = Some(start);
        self.proposed_end = Some(end);
        self
    }

    /// The reply as an `AcceptItem`.
    pub fn accept(self) -> Item {
        Item::AcceptItem(Box::new(self))
    }

    /// The reply as a `TentativelyAcceptItem`.
    pub fn tentatively_accept(self) -> Item {
        Item::TentativelyAcceptItem(Box::new(self))
    }

    /// The reply as a `DeclineItem`.
    pub fn decline(self) -> Item {
        Item::DeclineItem(Box::new(self))
    }

    /// Item fields set beyond the three a reply may carry.
    pub(crate) fn extra_item_fields(&self) -> bool {
        let allowed = ItemFields {
            item_class: self.item.item_class.clone(),
            sensitivity: self.item.sensitivity.clone(),
            body: self.item.body.clone(),
            ..ItemFields::default()
        };
        allowed != self.item
    }
}

impl XmlSequence for MeetingReply {
    fn write_children(&self, w: &mut XmlWriter) {
        write_opt(w, "t:ItemClass", &self.item.item_class);
        write_opt(w, "t:Sensitivity", &self.item.sensitivity);
        write_opt(w, "t:Body", &self.item.body);
        write_opt(w, "t:Sender", &self.addressing.sender);
        self.addressing.write_recipients(w);
        write_opt(w, "t:ReferenceItemId", &self.reference_item_id);
        write_opt(w, "t:ProposedStart", &self.proposed_start);
        write_opt(w, "t:ProposedEnd", &self.proposed_end);
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Types {
            return Ok(false);
        }
        match child.local_name() {
            "ItemClass" | "Sensitivity" | "Body" => return self.item.read_child(r, child),
            "ReferenceItemId" => self.reference_item_id = Some(ItemId::read_element(r, child)?),
            "ProposedStart" => self.proposed_start = Some(Timestamp::read_element(r, child)?),
            "ProposedEnd" => self.proposed_end = Some(Timestamp::read_element(r, child)?),
            _ => return self.addressing.read_child(r, child),
        }
        Ok(true)
    }
}

/// The organizer's cancellation of a meeting (`CancelCalendarItem`), sent to its attendees; it also
/// deletes the meeting from the organizer's calendar.
///
/// Of the item fields only `Subject` and `Body` belong to a cancellation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CancelCalendarItem {
    /// `Subject` and `Body`.
    pub item: ItemFields,
    /// Who it goes to (the attendees when absent).
    pub addressing: ReplyAddressing,
    /// The calendar item cancelled.
    pub reference_item_id: Option<ItemId>,
    /// The message to the attendees.
    pub new_body_content: Option<Body>,
}

impl CancelCalendarItem {
    /// Cancels the meeting `meeting` with a message to its attendees.
    pub fn for_meeting(meeting: ItemId, message: Body) -> Self {
        CancelCalendarItem {
            reference_item_id: Some(meeting),
            new_body_content: Some(message),
            ..CancelCalendarItem::default()
        }
    }

    pub(crate) fn extra_item_fields(&self) -> bool {
        let allowed = ItemFields {
            subject: self.item.subject.clone(),
            body: self.item.body.clone(),
            ..ItemFields::default()
        };
        allowed != self.item || self.addressing.sender.is_some()
    }
}

impl XmlSequence for CancelCalendarItem {
    fn write_children(&self, w: &mut XmlWriter) {
        write_opt(w, "t:Subject", &self.item.subject);
        write_opt(w, "t:Body", &self.item.body);
        self.addressing.write_recipients(w);
        write_opt(w, "t:ReferenceItemId", &self.reference_item_id);
        write_opt(w, "t:NewBodyContent", &self.new_body_content);
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Types {
            return Ok(false);
        }
        match child.local_name() {
            "Subject" | "Body" => return self.item.read_child(r, child),
            "ReferenceItemId" => self.reference_item_id = Some(ItemId::read_element(r, child)?),
            "NewBodyContent" => self.new_body_content = Some(Body::read_element(r, child)?),
            "Sender" => return Ok(false),
            _ => return self.addressing.read_child(r, child),
        }
        Ok(true)
    }
}

xml_sequence! {
    element
    /// Removes a cancelled meeting from an attendee's calendar (`RemoveItem`), given the cancellation.
    pub struct RemoveItem in Types "t:" {
        ..message: Message;
        /// The meeting cancellation received.
        opt reference_item_id: ItemId = "ReferenceItemId";
    }
}

impl RemoveItem {
    /// Removes the meeting that the cancellation `cancellation` cancelled.
    pub fn for_cancellation(cancellation: ItemId) -> Self {
        RemoveItem {
            reference_item_id: Some(cancellation),
            ..RemoveItem::default()
        }
    }
}

/// Implements [`XmlElement`] for a type whose [`XmlSequence`] holds all its content.
macro_rules! element_of_sequence {
    ($($ty:ty),*) => {$(
        impl XmlElement for $ty {
            fn write_element(&self, w: &mut XmlWriter, name: &str) {
                w.open(name).close();
                self.write_children(w);
                w.end(name);
            }

            fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
                let mut value = Self::default();
                r.children(start, |r, child| value.read_child(r, child))?;
                Ok(value)
            }
        }
    )*};
}
element_of_sequence!(MeetingReply, CancelCalendarItem);

/// Checks a response object before it is sent: it must name what it answers and carry only the fields
/// the schema allows it.
pub(crate) fn check_response_object(item: &Item) -> Result<()> {
    let (reference, extra) = match item {
        Item::AcceptItem(r) | Item::TentativelyAcceptItem(r) | Item::DeclineItem(r) => {
            (r.reference_item_id.is_some(), r.extra_item_fields())
        }
        Item::CancelCalendarItem(c) => (c.reference_item_id.is_some(), c.extra_item_fields()),
        Item::RemoveItem(r) => (r.reference_item_id.is_some(), false),
        _ => return Ok(()),
    };
    if !reference {
        return Err(Error::InvalidRequest(format!(
            "{} needs a ReferenceItemId (the meeting it answers)",
            item.kind()
        )));
    }
    if extra {
        return Err(Error::InvalidRequest(format!(
            "{} carries item fields the schema does not allow in it (a reply keeps ItemClass, \
             Sensitivity and Body; a cancellation Subject and Body); they would not be sent",
            item.kind()
        )));
    }
    Ok(())
}
