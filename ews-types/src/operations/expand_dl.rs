//! ExpandDL: list the members of a distribution list (a public one in the directory, or a private one
//! in a contacts folder, by its item id). Nested lists come back as members of type `PublicDL` or
//! `PrivateDL`, not expanded: expand them with another call.
//!
//! ```
//! use ews_types::operations::{ExpandDL, ExpandDLResponse};
//! use ews_types::soap::parse_response;
//!
//! let request = ExpandDL::smtp("sales@contoso.example");
//! let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
//! assert!(xml.contains("<m:Mailbox><t:EmailAddress>sales@contoso.example</t:EmailAddress>"));
//!
//! let answer = br#"<m:ExpandDLResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
//!     xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
//!   <m:ResponseMessages><m:ExpandDLResponseMessage ResponseClass="Success">
//!     <m:ResponseCode>NoError</m:ResponseCode>
//!     <m:DLExpansion TotalItemsInView="2" IncludesLastItemInRange="true">
//!       <t:Mailbox><t:Name>Dana</t:Name><t:EmailAddress>dana@contoso.example</t:EmailAddress>
//!         <t:MailboxType>Mailbox</t:MailboxType></t:Mailbox>
//!       <t:Mailbox><t:Name>Support</t:Name><t:EmailAddress>support@contoso.example</t:EmailAddress>
//!         <t:MailboxType>PublicDL</t:MailboxType></t:Mailbox>
//!     </m:DLExpansion>
//!   </m:ExpandDLResponseMessage></m:ResponseMessages>
//! </m:ExpandDLResponse>"#;
//! let response = parse_response::<ExpandDLResponse>(answer).unwrap().body;
//! let expansion = response.into_results().remove(0).unwrap().dl_expansion.unwrap();
//! assert_eq!(expansion.mailboxes.len(), 2);
//! assert_eq!(expansion.paging.includes_last_item_in_range, Some(true));
//! ```

use crate::error::{Error, Result};
use crate::response::{ResponseBody, ResponseMessages, WriteOpt};
use crate::types::EmailAddress;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter};

use super::Operation;
use super::paging::{PagingInfo, read_paged_entries, write_paged_entries};

/// ExpandDL request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpandDL {
    /// The list: its address, or the `ItemId` of a private list.
    pub mailbox: EmailAddress,
}

impl ExpandDL {
    /// Expands the list with this SMTP address.
    pub fn smtp(address: impl Into<String>) -> Self {
        ExpandDL {
            mailbox: EmailAddress::smtp(address),
        }
    }
}

impl XmlElement for ExpandDL {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.mailbox.write_element(w, "m:Mailbox");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut request = ExpandDL::default();
        r.children(start, |r, child| {
            // The schema puts `Mailbox` in the messages namespace; some documentation samples use the
            // types namespace, which is read the same way.
            if matches!(child.ns(), Ns::Messages | Ns::Types) && child.local_name() == "Mailbox" {
                request.mailbox = EmailAddress::read_element(r, child)?;
                return Ok(true);
            }
            Ok(false)
        })?;
        Ok(request)
    }
}

impl Operation for ExpandDL {
    const NAME: &'static str = "ExpandDL";
    type Response = ExpandDLResponse;

    fn validate(&self) -> Result<()> {
        let address = self.mailbox.email_address.as_deref().unwrap_or("").trim();
        if address.is_empty() && self.mailbox.item_id.is_none() {
            return Err(Error::InvalidRequest(
                "ExpandDL needs the list's EmailAddress or the ItemId of a private list".into(),
            ));
        }
        Ok(())
    }
}

/// The members of the list, with the paging attributes of the expansion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DLExpansion {
    /// `TotalItemsInView` and `IncludesLastItemInRange`: a list larger than the server's limit (100 by
    /// default) comes back cut, with `includes_last_item_in_range` false.
    pub paging: PagingInfo,
    /// The members.
    pub mailboxes: Vec<EmailAddress>,
}

impl XmlElement for DLExpansion {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        write_paged_entries(w, name, &self.paging, &self.mailboxes, "t:Mailbox");
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let (paging, mailboxes) = read_paged_entries(r, start, "Mailbox")?;
        Ok(DLExpansion { paging, mailboxes })
    }
}

/// The body of the ExpandDL response message.
///
/// The schema also allows the paging attributes on the message element itself; servers put them on
/// `DLExpansion`, which is where they are read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpandDLMessage {
    /// The members (on Success).
    pub dl_expansion: Option<DLExpansion>,
}

impl XmlSequence for ExpandDLMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        self.dl_expansion.write_opt(w, "m:DLExpansion");
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Messages || child.local_name() != "DLExpansion" {
            return Ok(false);
        }
        self.dl_expansion = Some(DLExpansion::read_element(r, child)?);
        Ok(true)
    }
}

impl ResponseBody for ExpandDLMessage {
    const MESSAGE: &'static str = "ExpandDLResponseMessage";
    const RESPONSE: &'static str = "ExpandDLResponse";
}

/// The ExpandDL response: one message.
pub type ExpandDLResponse = ResponseMessages<ExpandDLMessage>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ItemId;

    #[test]
    fn a_list_needs_an_address_or_an_item_id() {
        assert!(ExpandDL::smtp("sales@contoso.example").validate().is_ok());
        assert!(ExpandDL::default().validate().is_err());
        let private = ExpandDL {
            mailbox: EmailAddress {
                item_id: Some(ItemId::new("AAMkADBlY")),
                ..EmailAddress::default()
            },
        };
        assert!(private.validate().is_ok());
    }
}
