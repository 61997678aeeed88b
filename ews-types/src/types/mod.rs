//! Common value types: ids, addresses, bodies, extended properties, shapes and views.

mod extended;
mod ids;
mod shapes;

pub use extended::{ExtendedFieldUri, ExtendedProperty, MapiPropertyType, PropertySet};
pub use ids::{
    DistinguishedFolderId, DistinguishedFolderName, FolderId, FolderRef, ItemId, ItemRef,
};
pub use shapes::{
    BasePoint, BaseShape, BodyTypeResponse, FieldOrder, FolderShape, FractionalPageView,
    IndexedPageView, ItemShape, PropertyPath, SortDirection,
};

use crate::error::{Error, Result};
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, open_enum, parse_bool, xml_sequence};

open_enum! {
    /// The kind of mailbox an address belongs to.
    pub enum MailboxType {
        /// A mailbox.
        Mailbox = "Mailbox",
        /// A public distribution list.
        PublicDL = "PublicDL",
        /// A private distribution list (in a contacts folder).
        PrivateDL = "PrivateDL",
        /// A contact.
        Contact = "Contact",
        /// A public folder.
        PublicFolder = "PublicFolder",
        /// Unknown to the server.
        UnknownMailboxType = "Unknown",
        /// A one-off address.
        OneOff = "OneOff",
        /// A Microsoft 365 group mailbox.
        GroupMailbox = "GroupMailbox",
    }
}

xml_sequence! {
    element
    /// An address (`EmailAddressType`): a mailbox, contact or list, with its display name.
    pub struct EmailAddress in Types "t:" {
        /// Display name.
        opt name: String = "Name";
        /// The address, usually SMTP.
        opt email_address: String = "EmailAddress";
        /// `SMTP`, `EX` (legacy Exchange DN)...
        opt routing_type: String = "RoutingType";
        /// The kind of mailbox.
        opt mailbox_type: MailboxType = "MailboxType";
        /// The contact or list item behind a private address.
        opt item_id: ItemId = "ItemId";
        /// The display name as originally typed.
        opt original_display_name: String = "OriginalDisplayName";
    }
}

impl EmailAddress {
    /// An SMTP address without a display name.
    pub fn smtp(address: impl Into<String>) -> Self {
        EmailAddress {
            email_address: Some(address.into()),
            routing_type: Some("SMTP".to_owned()),
            ..EmailAddress::default()
        }
    }

    /// An SMTP address with a display name.
    pub fn named(name: impl Into<String>, address: impl Into<String>) -> Self {
        EmailAddress {
            name: Some(name.into()),
            ..EmailAddress::smtp(address)
        }
    }
}

xml_sequence! {
    element
    /// A single recipient (`SingleRecipientType`: `From`, `Sender`, `Organizer`...).
    pub struct SingleRecipient in Types "t:" {
        /// The recipient's address.
        opt mailbox: EmailAddress = "Mailbox";
    }
}

impl From<EmailAddress> for SingleRecipient {
    fn from(mailbox: EmailAddress) -> Self {
        SingleRecipient {
            mailbox: Some(mailbox),
        }
    }
}

open_enum! {
    /// The format of a body.
    pub enum BodyType {
        /// HTML.
        Html = "HTML",
        /// Plain text.
        Text = "Text",
    }
}

/// An item body with its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// HTML or Text.
    pub body_type: BodyType,
    /// Whether the server cut the body (`MaximumBodySize`).
    pub is_truncated: Option<bool>,
    /// The content.
    pub content: String,
}

impl Body {
    /// A plain-text body.
    pub fn text(content: impl Into<String>) -> Self {
        Body {
            body_type: BodyType::Text,
            is_truncated: None,
            content: content.into(),
        }
    }

    /// An HTML body.
    pub fn html(content: impl Into<String>) -> Self {
        Body {
            body_type: BodyType::Html,
            is_truncated: None,
            content: content.into(),
        }
    }
}

impl XmlElement for Body {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr("BodyType", self.body_type.as_str());
        if let Some(truncated) = self.is_truncated {
            w.attr("IsTruncated", if truncated { "true" } else { "false" });
        }
        w.close();
        w.text(&self.content);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        // BodyType is required by the schema; documentation samples and some servers omit it on Text.
        let body_type = start
            .attr("BodyType")?
            .map(|t| BodyType::from_wire(&t))
            .unwrap_or(BodyType::Text);
        let is_truncated = match start.attr("IsTruncated")? {
            None => None,
            Some(v) => Some(
                parse_bool(v.trim())
                    .ok_or_else(|| Error::invalid_value("@IsTruncated", &v, "a boolean"))?,
            ),
        };
        let content = r.read_text(start)?;
        Ok(Body {
            body_type,
            is_truncated,
            content,
        })
    }
}

open_enum! {
    /// An item's importance.
    pub enum Importance {
        /// Low.
        Low = "Low",
        /// Normal.
        Normal = "Normal",
        /// High.
        High = "High",
    }
}

open_enum! {
    /// An item's sensitivity.
    pub enum Sensitivity {
        /// Normal.
        Normal = "Normal",
        /// Personal.
        Personal = "Personal",
        /// Private.
        Private = "Private",
        /// Confidential.
        Confidential = "Confidential",
    }
}
