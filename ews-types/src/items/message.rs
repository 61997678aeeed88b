//! E-mail messages (`MessageType`).

use crate::types::{EmailAddress, SingleRecipient};
use crate::xml::xml_sequence;

use super::ItemFields;

xml_sequence! {
    element
    /// An e-mail message: the item fields plus addressing and read state.
    pub struct Message in Types "t:" {
        ..item: ItemFields;
        /// The sender, when sending on behalf of someone.
        opt sender: SingleRecipient = "Sender";
        /// To recipients.
        list to_recipients: EmailAddress = "ToRecipients" / "Mailbox";
        /// Cc recipients.
        list cc_recipients: EmailAddress = "CcRecipients" / "Mailbox";
        /// Bcc recipients.
        list bcc_recipients: EmailAddress = "BccRecipients" / "Mailbox";
        /// Whether a read receipt is requested.
        opt is_read_receipt_requested: bool = "IsReadReceiptRequested";
        /// Whether a delivery receipt is requested.
        opt is_delivery_receipt_requested: bool = "IsDeliveryReceiptRequested";
        /// The conversation index (base64).
        opt conversation_index: String = "ConversationIndex";
        /// The conversation topic.
        opt conversation_topic: String = "ConversationTopic";
        /// The From address.
        opt from: SingleRecipient = "From";
        /// The Internet `Message-ID`.
        opt internet_message_id: String = "InternetMessageId";
        /// Whether it has been read.
        opt is_read: bool = "IsRead";
        /// Whether a response is requested.
        opt is_response_requested: bool = "IsResponseRequested";
        /// The `References` header.
        opt references: String = "References";
        /// Reply-To addresses.
        list reply_to: EmailAddress = "ReplyTo" / "Mailbox";
        /// The mailbox that received it.
        opt received_by: SingleRecipient = "ReceivedBy";
        /// The mailbox it was received on behalf of.
        opt received_representing: SingleRecipient = "ReceivedRepresenting";
    }
}
