//! UpdateItem: set, append to or delete properties of items, with optimistic concurrency.
//!
//! Sync writes use [`ConflictResolution::NeverOverwrite`] with the last seen change key; on
//! `ErrorIrresolvableConflict` they re-read and re-plan.

use crate::error::{Error, Result};
use crate::items::Item;
use crate::response::{ResponseBody, ResponseMessages, WriteOpt};
use crate::types::{FolderRef, ItemRef, PropertyPath};
use crate::xml::XmlChoice;
use crate::xml::{Ns, Start, XmlAttr, XmlElement, XmlReader, XmlSequence, XmlWriter};

use super::Operation;
use super::dispositions::{ConflictResolution, MessageDisposition, SendMeetingUpdates};

/// One change to one property.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldUpdate {
    /// `SetItemField`: set `path` to its value in `item` (an item of the right kind holding only that
    /// property).
    Set {
        /// The property.
        path: PropertyPath,
        /// An item carrying the new value.
        item: Item,
    },
    /// `AppendToItemField`: append the value in `item` (bodies, recipient lists).
    Append {
        /// The property.
        path: PropertyPath,
        /// An item carrying the value to append.
        item: Item,
    },
    /// `DeleteItemField`: clear `path`.
    Delete(PropertyPath),
}

impl XmlChoice for FieldUpdate {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            FieldUpdate::Set { path, item } | FieldUpdate::Append { path, item } => {
                let tag = if matches!(self, FieldUpdate::Set { .. }) {
                    "t:SetItemField"
                } else {
                    "t:AppendToItemField"
                };
                w.open(tag).close();
                path.write_choice(w);
                item.write_choice(w);
                w.end(tag);
            }
            FieldUpdate::Delete(path) => {
                w.open("t:DeleteItemField").close();
                path.write_choice(w);
                w.end("t:DeleteItemField");
            }
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        let kind = start.local_name().to_owned();
        if start.ns() != Ns::Types
            || !matches!(
                kind.as_str(),
                "SetItemField" | "AppendToItemField" | "DeleteItemField"
            )
        {
            return Ok(None);
        }
        let mut path = None;
        let mut item = None;
        r.children(start, |r, child| {
            if path.is_none() {
                if let Some(found) = PropertyPath::read_choice(r, child)? {
                    path = Some(found);
                    return Ok(true);
                }
            }
            if item.is_none() {
                item = Item::read_choice(r, child)?;
                return Ok(item.is_some());
            }
            Ok(false)
        })?;
        let path = path.ok_or_else(|| Error::missing("FieldURI", &kind))?;
        Ok(Some(match kind.as_str() {
            "DeleteItemField" => FieldUpdate::Delete(path),
            "SetItemField" => FieldUpdate::Set {
                path,
                item: item.ok_or_else(|| Error::missing("item", &kind))?,
            },
            _ => FieldUpdate::Append {
                path,
                item: item.ok_or_else(|| Error::missing("item", &kind))?,
            },
        }))
    }
}

/// The changes to one item (`ItemChange`).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemUpdate {
    /// The item, with the change key last seen.
    pub item: ItemRef,
    /// Its property changes, applied in order.
    pub updates: Vec<FieldUpdate>,
}

impl XmlElement for ItemUpdate {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.item.write_choice(w);
        self.updates.write_element(w, "t:Updates");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut item = None;
        let mut updates: Vec<FieldUpdate> = Vec::new();
        r.children(start, |r, child| {
            if child.ns() == Ns::Types && child.local_name() == "Updates" {
                updates = Vec::read_element(r, child)?;
                return Ok(true);
            }
            if item.is_none() {
                item = ItemRef::read_choice(r, child)?;
                return Ok(item.is_some());
            }
            Ok(false)
        })?;
        Ok(ItemUpdate {
            item: item.ok_or_else(|| Error::missing("ItemId", "ItemChange"))?,
            updates,
        })
    }
}

/// UpdateItem request.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateItem {
    /// How to resolve conflicts (required).
    pub conflict_resolution: ConflictResolution,
    /// What to do with messages (required when updating messages).
    pub message_disposition: Option<MessageDisposition>,
    /// Whether to notify attendees (required when updating calendar items).
    pub send_meeting_invitations_or_cancellations: Option<SendMeetingUpdates>,
    /// Suppress read receipts (Exchange 2013 SP1 and later).
    pub suppress_read_receipts: Option<bool>,
    /// The folder to save updated drafts into.
    pub saved_item_folder_id: Option<FolderRef>,
    /// The changes, one per item.
    pub item_changes: Vec<ItemUpdate>,
}

impl UpdateItem {
    /// An update that fails on conflict (`NeverOverwrite`) and saves messages.
    pub fn never_overwrite(changes: Vec<ItemUpdate>) -> Self {
        UpdateItem {
            conflict_resolution: ConflictResolution::NeverOverwrite,
            message_disposition: Some(MessageDisposition::SaveOnly),
            send_meeting_invitations_or_cancellations: None,
            suppress_read_receipts: None,
            saved_item_folder_id: None,
            item_changes: changes,
        }
    }
}

impl UpdateItem {
    /// An update of calendar items that fails on conflict (`NeverOverwrite`) and notifies attendees as
    /// `notices` says (`SendMeetingInvitationsOrCancellations`, which Exchange requires for them).
    ///
    /// ```
    /// use ews_types::items::CalendarItem;
    /// use ews_types::operations::{FieldUpdate, ItemUpdate, Operation, SendMeetingUpdates, UpdateItem};
    /// use ews_types::types::{ItemRef, PropertyPath};
    ///
    /// let moved = CalendarItem { location: Some("Room 4".into()), ..CalendarItem::default() };
    /// let update = UpdateItem::calendar(
    ///     vec![ItemUpdate {
    ///         item: ItemRef::Occurrence {
    ///             recurring_master_id: "AAMkMaster".into(),
    ///             change_key: None,
    ///             instance_index: 3,
    ///         },
    ///         updates: vec![FieldUpdate::Set {
    ///             path: PropertyPath::field("calendar:Location"),
    ///             item: moved.into(),
    ///         }],
    ///     }],
    ///     SendMeetingUpdates::SendToChangedAndSaveCopy,
    /// );
    /// assert!(update.validate().is_ok());
    /// ```
    pub fn calendar(changes: Vec<ItemUpdate>, notices: SendMeetingUpdates) -> Self {
        UpdateItem {
            conflict_resolution: ConflictResolution::NeverOverwrite,
            message_disposition: None,
            send_meeting_invitations_or_cancellations: Some(notices),
            suppress_read_receipts: None,
            saved_item_folder_id: None,
            item_changes: changes,
        }
    }
}

impl XmlElement for UpdateItem {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("ConflictResolution", self.conflict_resolution.as_str())
            .attr_opt(
                "MessageDisposition",
                self.message_disposition
                    .as_ref()
                    .map(MessageDisposition::as_str),
            )
            .attr_opt(
                "SendMeetingInvitationsOrCancellations",
                self.send_meeting_invitations_or_cancellations
                    .as_ref()
                    .map(SendMeetingUpdates::as_str),
            )
            .attr_opt(
                "SuppressReadReceipts",
                self.suppress_read_receipts
                    .map(|b| if b { "true" } else { "false" }),
            )
            .close();
        self.saved_item_folder_id
            .write_opt(w, "m:SavedItemFolderId");
        w.open("m:ItemChanges").close();
        for change in &self.item_changes {
            change.write_element(w, "t:ItemChange");
        }
        w.end("m:ItemChanges");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut update = UpdateItem {
            conflict_resolution: ConflictResolution::from_wire(
                &start
                    .attr("ConflictResolution")?
                    .unwrap_or(std::borrow::Cow::Borrowed("AutoResolve")),
            ),
            message_disposition: start
                .attr("MessageDisposition")?
                .map(|v| MessageDisposition::from_wire(&v)),
            send_meeting_invitations_or_cancellations: start
                .attr("SendMeetingInvitationsOrCancellations")?
                .map(|v| SendMeetingUpdates::from_wire(&v)),
            suppress_read_receipts: start
                .attr("SuppressReadReceipts")?
                .map(|v| bool::from_attr("SuppressReadReceipts", &v))
                .transpose()?,
            saved_item_folder_id: None,
            item_changes: Vec::new(),
        };
        r.children(start, |r, child| {
            match child.local_name() {
                "SavedItemFolderId" => {
                    update.saved_item_folder_id = Some(FolderRef::read_element(r, child)?)
                }
                "ItemChanges" => r.children(child, |r, change| {
                    if change.local_name() == "ItemChange" {
                        update
                            .item_changes
                            .push(ItemUpdate::read_element(r, change)?);
                        return Ok(true);
                    }
                    Ok(false)
                })?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(update)
    }
}

impl Operation for UpdateItem {
    const NAME: &'static str = "UpdateItem";
    type Response = UpdateItemResponse;

    fn validate(&self) -> Result<()> {
        if self.item_changes.is_empty() {
            return Err(Error::InvalidRequest(
                "UpdateItem needs at least one item change".into(),
            ));
        }
        let names_calendar = self.item_changes.iter().any(|c| c.item.is_calendar_only());
        let touches_calendar = names_calendar
            || self
                .item_changes
                .iter()
                .flat_map(|c| &c.updates)
                .any(|u| match u {
                    FieldUpdate::Set { item, .. } | FieldUpdate::Append { item, .. } => {
                        item.kind() == "CalendarItem"
                    }
                    FieldUpdate::Delete(PropertyPath::Field(uri)) => uri.starts_with("calendar:"),
                    FieldUpdate::Delete(_) => false,
                });
        if touches_calendar && self.send_meeting_invitations_or_cancellations.is_none() {
            return Err(Error::InvalidRequest(
                "UpdateItem of calendar items needs SendMeetingInvitationsOrCancellations \
                 (ErrorSendMeetingInvitationsOrCancellationsRequired otherwise)"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// The body of an UpdateItem response message: the item's new id and change key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateItemMessage {
    /// The updated item (id and new change key).
    pub items: Option<Vec<Item>>,
    /// How many conflicts AutoResolve settled.
    pub conflict_count: Option<i32>,
}

impl XmlSequence for UpdateItemMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        self.items.write_opt(w, "m:Items");
        if let Some(count) = self.conflict_count {
            w.open("m:ConflictResults").close();
            count.write_element(w, "t:Count");
            w.end("m:ConflictResults");
        }
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Messages {
            return Ok(false);
        }
        match child.local_name() {
            "Items" => self.items = Some(Vec::read_element(r, child)?),
            "ConflictResults" => r.children(child, |r, count| {
                if count.local_name() == "Count" {
                    self.conflict_count = Some(i32::read_element(r, count)?);
                    return Ok(true);
                }
                Ok(false)
            })?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl ResponseBody for UpdateItemMessage {
    const MESSAGE: &'static str = "UpdateItemResponseMessage";
    const RESPONSE: &'static str = "UpdateItemResponse";

    fn item_count(&self) -> usize {
        self.items.as_ref().map_or(0, Vec::len)
    }
}

/// The UpdateItem response: one message per item change.
pub type UpdateItemResponse = ResponseMessages<UpdateItemMessage>;
