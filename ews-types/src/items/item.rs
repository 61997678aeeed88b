//! The fields every item kind shares (`ItemType`), in schema order.

use jiff::Timestamp;

use crate::error::Result;
use crate::types::{Body, ExtendedProperty, FolderId, Importance, ItemId, Sensitivity};
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, xml_sequence};

/// The MIME content of an item (base64 text) with its character set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MimeContent {
    /// The character set, such as `UTF-8`.
    pub character_set: Option<String>,
    /// The MIME message, base64-encoded.
    pub base64: String,
}

impl XmlElement for MimeContent {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr_opt("CharacterSet", self.character_set.as_deref())
            .close();
        w.text(&self.base64);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let character_set = start.attr("CharacterSet")?.map(|c| c.into_owned());
        Ok(MimeContent {
            character_set,
            base64: r.read_text(start)?,
        })
    }
}

xml_sequence! {
    children
    /// The properties of every item (`ItemType`), in schema order. Properties not listed here are
    /// skipped when reading.
    pub struct ItemFields in Types "t:" {
        /// MIME content (when requested with `IncludeMimeContent`).
        opt mime_content: MimeContent = "MimeContent";
        /// Id and change key.
        opt item_id: ItemId = "ItemId";
        /// The folder holding the item.
        opt parent_folder_id: FolderId = "ParentFolderId";
        /// The message class, such as `IPM.Note`.
        opt item_class: String = "ItemClass";
        /// Subject.
        opt subject: String = "Subject";
        /// Sensitivity.
        opt sensitivity: Sensitivity = "Sensitivity";
        /// Body.
        opt body: Body = "Body";
        /// When the item was received.
        opt date_time_received: Timestamp = "DateTimeReceived";
        /// Size in bytes.
        opt size: i32 = "Size";
        /// Categories (plain names; compare case-insensitively, as Outlook does).
        list categories: String = "Categories" / "String";
        /// Importance.
        opt importance: Importance = "Importance";
        /// The id of the item this replies to.
        opt in_reply_to: String = "InReplyTo";
        /// Whether it has been submitted to the Outbox.
        opt is_submitted: bool = "IsSubmitted";
        /// Whether it is a draft.
        opt is_draft: bool = "IsDraft";
        /// Whether the mailbox owner sent it.
        opt is_from_me: bool = "IsFromMe";
        /// Whether it was resent.
        opt is_resend: bool = "IsResend";
        /// Whether it is unmodified.
        opt is_unmodified: bool = "IsUnmodified";
        /// When it was sent.
        opt date_time_sent: Timestamp = "DateTimeSent";
        /// When it was created.
        opt date_time_created: Timestamp = "DateTimeCreated";
        /// When the reminder is due.
        opt reminder_due_by: Timestamp = "ReminderDueBy";
        /// Whether a reminder is set.
        opt reminder_is_set: bool = "ReminderIsSet";
        /// The next reminder time.
        opt reminder_next_time: Timestamp = "ReminderNextTime";
        /// Minutes before the start that the reminder fires.
        opt reminder_minutes_before_start: i32 = "ReminderMinutesBeforeStart";
        /// The Cc line as displayed.
        opt display_cc: String = "DisplayCc";
        /// The To line as displayed.
        opt display_to: String = "DisplayTo";
        /// The Bcc line as displayed.
        opt display_bcc: String = "DisplayBcc";
        /// Whether it has attachments.
        opt has_attachments: bool = "HasAttachments";
        /// Extended (MAPI) properties that were requested or are being set.
        vec extended_properties: ExtendedProperty = "ExtendedProperty";
        /// The item's culture, such as `en-US`.
        opt culture: String = "Culture";
        /// Who last modified it.
        opt last_modified_name: String = "LastModifiedName";
        /// When it was last modified.
        opt last_modified_time: Timestamp = "LastModifiedTime";
        /// Whether it is an associated (hidden) item.
        opt is_associated: bool = "IsAssociated";
        /// The Outlook Web App read link query string.
        opt web_client_read_form_query_string: String = "WebClientReadFormQueryString";
        /// The Outlook Web App edit link query string.
        opt web_client_edit_form_query_string: String = "WebClientEditFormQueryString";
        /// The conversation the item belongs to.
        opt conversation_id: ItemId = "ConversationId";
        /// The part of the body not quoted from earlier messages.
        opt unique_body: Body = "UniqueBody";
        /// The MAPI store entry id (base64).
        opt store_entry_id: String = "StoreEntryId";
        /// The instance key (base64).
        opt instance_key: String = "InstanceKey";
        /// A short preview of the body (Exchange 2013 and later).
        opt preview: String = "Preview";
    }
}
