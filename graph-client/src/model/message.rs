//! [`Message`]: an Outlook message.

use super::{Importance, ItemBody, Recipient, SingleValueExtendedProperty};

open_enum! {
    /// Whether a message is in the Focused or Other inbox.
    pub enum InferenceClassification {
        /// Focused.
        Focused = "focused",
        /// Other.
        Other = "other",
    }
}

graph_object! {
    entity
    /// A message in a mail folder ([message resource](https://learn.microsoft.com/graph/api/resources/message)).
    pub struct Message {
        /// Changes on every change of the item.
        change_key: String,
        /// Category names (matching `outlookCategory.displayName`).
        categories: Vec<String>,
        /// Created, UTC ISO 8601.
        created_date_time: String,
        /// Last modified, UTC ISO 8601.
        last_modified_date_time: String,
        /// Received, UTC ISO 8601.
        received_date_time: String,
        /// Sent, UTC ISO 8601.
        sent_date_time: String,
        /// The RFC 5322 `Message-ID`.
        internet_message_id: String,
        /// Subject.
        subject: String,
        /// The first 255 characters of the body, as text.
        body_preview: String,
        /// The body.
        body: ItemBody,
        /// Importance.
        importance: Importance,
        /// The folder that holds the message.
        parent_folder_id: String,
        /// The conversation.
        conversation_id: String,
        /// Whether it has file attachments.
        has_attachments: bool,
        /// Read.
        is_read: bool,
        /// A draft not yet sent.
        is_draft: bool,
        /// Delivery receipt requested.
        is_delivery_receipt_requested: bool,
        /// Read receipt requested.
        is_read_receipt_requested: bool,
        /// Focused or Other.
        inference_classification: InferenceClassification,
        /// Outlook on the web link.
        web_link: String,
        /// The mailbox owner the message was sent on behalf of.
        sender: Recipient,
        /// The author.
        from: Recipient,
        /// To.
        to_recipients: Vec<Recipient>,
        /// Cc.
        cc_recipients: Vec<Recipient>,
        /// Bcc.
        bcc_recipients: Vec<Recipient>,
        /// Reply-To.
        reply_to: Vec<Recipient>,
        /// MAPI properties requested with `$expand=singleValueExtendedProperties(...)`.
        single_value_extended_properties: Vec<SingleValueExtendedProperty>,
    }
}
