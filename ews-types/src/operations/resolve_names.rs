//! ResolveNames: turn a partial name or address into mailboxes and contacts (the address book's "check
//! names").
//!
//! It is the only operation that answers with `Warning`: when a name matches several entries, the message
//! is a Warning with `ErrorNameResolutionMultipleResults` and still carries the candidates, so
//! [`ResponseMessage::into_result`](crate::response::ResponseMessage::into_result) yields them. No match at
//! all is an Error with `ErrorNameResolutionNoResults`.
//!
//! ```
//! use ews_types::operations::{ResolveNames, ResolveNamesResponse, ResolveNamesSearchScope};
//! use ews_types::soap::parse_response;
//!
//! let request = ResolveNames::new("sadie").searching(ResolveNamesSearchScope::ActiveDirectory);
//! let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
//! assert!(xml.contains(r#"ReturnFullContactData="false" SearchScope="ActiveDirectory""#));
//!
//! let answer = br#"<m:ResolveNamesResponse
//!     xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
//!     xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
//!   <m:ResponseMessages><m:ResolveNamesResponseMessage ResponseClass="Warning">
//!     <m:MessageText>Multiple results were found.</m:MessageText>
//!     <m:ResponseCode>ErrorNameResolutionMultipleResults</m:ResponseCode>
//!     <m:ResolutionSet TotalItemsInView="2" IncludesLastItemInRange="true">
//!       <t:Resolution><t:Mailbox><t:Name>Sadie Daniels</t:Name>
//!         <t:EmailAddress>sadie@contoso.com</t:EmailAddress></t:Mailbox></t:Resolution>
//!       <t:Resolution><t:Mailbox><t:Name>Sadie Kim</t:Name>
//!         <t:EmailAddress>skim@contoso.com</t:EmailAddress></t:Mailbox></t:Resolution>
//!     </m:ResolutionSet>
//!   </m:ResolveNamesResponseMessage></m:ResponseMessages>
//! </m:ResolveNamesResponse>"#;
//! let response = parse_response::<ResolveNamesResponse>(answer).unwrap().body;
//! let message = response.messages.into_iter().next().unwrap();
//! let set = message.into_result().unwrap().resolution_set.unwrap();
//! let addresses: Vec<_> = set.resolutions.iter().filter_map(|r| r.mailbox.email_address.as_deref()).collect();
//! assert_eq!(addresses, ["sadie@contoso.com", "skim@contoso.com"]);
//! ```

use crate::error::{Error, Result};
use crate::items::Contact;
use crate::response::{ResponseBody, ResponseMessages, WriteOpt};
use crate::types::{BaseShape, EmailAddress, FolderRef};
use crate::xml::{Ns, Start, XmlAttr, XmlElement, XmlReader, XmlSequence, XmlWriter, open_enum};

use super::Operation;
use super::paging::{PagingInfo, read_paged_entries, write_paged_entries};

open_enum! {
    /// Where ResolveNames looks, and in which order.
    pub enum ResolveNamesSearchScope {
        /// The directory only.
        ActiveDirectory = "ActiveDirectory",
        /// The directory first, then the contacts folders (the server's default).
        ActiveDirectoryContacts = "ActiveDirectoryContacts",
        /// The contacts folders only.
        Contacts = "Contacts",
        /// The contacts folders first, then the directory.
        ContactsActiveDirectory = "ContactsActiveDirectory",
    }
}

/// ResolveNames request.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveNames {
    /// Whether each resolution carries the full contact data (`Contact`), not only the mailbox.
    pub return_full_contact_data: bool,
    /// Where to look; `None` leaves the server's default (`ActiveDirectoryContacts`).
    pub search_scope: Option<ResolveNamesSearchScope>,
    /// Which contact properties to return (Exchange 2010 SP2 and later); `None` is the server's default set.
    pub contact_data_shape: Option<BaseShape>,
    /// The contacts folders to search; `None` means the caller's default Contacts folder.
    pub parent_folder_ids: Option<Vec<FolderRef>>,
    /// The name, alias or address to resolve (must not be empty). A leading `SMTP:` restricts the search
    /// to addresses.
    pub unresolved_entry: String,
}

impl ResolveNames {
    /// Resolves `entry` in the server's default scope, without full contact data.
    pub fn new(entry: impl Into<String>) -> Self {
        ResolveNames {
            return_full_contact_data: false,
            search_scope: None,
            contact_data_shape: None,
            parent_folder_ids: None,
            unresolved_entry: entry.into(),
        }
    }

    /// The same request with full contact data in the given shape.
    pub fn with_contact_data(mut self, shape: BaseShape) -> Self {
        self.return_full_contact_data = true;
        self.contact_data_shape = Some(shape);
        self
    }

    /// The same request searching `scope`.
    pub fn searching(mut self, scope: ResolveNamesSearchScope) -> Self {
        self.search_scope = Some(scope);
        self
    }
}

impl XmlElement for ResolveNames {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr(
                "ReturnFullContactData",
                &self.return_full_contact_data.to_attr(),
            )
            .attr_opt(
                "SearchScope",
                self.search_scope
                    .as_ref()
                    .map(ResolveNamesSearchScope::as_str),
            )
            .attr_opt(
                "ContactDataShape",
                self.contact_data_shape.as_ref().map(BaseShape::as_str),
            )
            .close();
        self.parent_folder_ids.write_opt(w, "m:ParentFolderIds");
        self.unresolved_entry.write_element(w, "m:UnresolvedEntry");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let full = start.required_attr("ReturnFullContactData")?;
        let mut request = ResolveNames {
            return_full_contact_data: bool::from_attr("ReturnFullContactData", &full)?,
            search_scope: start
                .attr("SearchScope")?
                .map(|v| ResolveNamesSearchScope::from_wire(v.trim())),
            contact_data_shape: start
                .attr("ContactDataShape")?
                .map(|v| BaseShape::from_wire(v.trim())),
            parent_folder_ids: None,
            unresolved_entry: String::new(),
        };
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages {
                return Ok(false);
            }
            match child.local_name() {
                "ParentFolderIds" => request.parent_folder_ids = Some(Vec::read_element(r, child)?),
                "UnresolvedEntry" => request.unresolved_entry = r.read_text(child)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(request)
    }
}

impl Operation for ResolveNames {
    const NAME: &'static str = "ResolveNames";
    type Response = ResolveNamesResponse;

    fn validate(&self) -> Result<()> {
        if self.unresolved_entry.trim().is_empty() {
            return Err(Error::InvalidRequest(
                "ResolveNames needs a non-empty UnresolvedEntry".into(),
            ));
        }
        if matches!(&self.parent_folder_ids, Some(folders) if folders.is_empty()) {
            return Err(Error::InvalidRequest(
                "ResolveNames ParentFolderIds, when given, must name at least one folder".into(),
            ));
        }
        Ok(())
    }
}

/// One match: the mailbox and, when full contact data was asked for, the contact behind it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolution {
    /// The matching address (its `MailboxType` says whether it is a mailbox, a list, a contact...).
    pub mailbox: EmailAddress,
    /// The directory or store contact, when the request set `ReturnFullContactData`.
    pub contact: Option<Contact>,
}

impl XmlElement for Resolution {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.mailbox.write_element(w, "t:Mailbox");
        self.contact.write_opt(w, "t:Contact");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut resolution = Resolution::default();
        r.children(start, |r, child| {
            if child.ns() != Ns::Types {
                return Ok(false);
            }
            match child.local_name() {
                "Mailbox" => resolution.mailbox = EmailAddress::read_element(r, child)?,
                "Contact" => resolution.contact = Some(Contact::read_element(r, child)?),
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(resolution)
    }
}

/// The matches of one ResolveNames call (at most 100) with the paging attributes of the set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResolutionSet {
    /// `TotalItemsInView`, `IncludesLastItemInRange` and the offsets. When more than 100 entries match,
    /// `includes_last_item_in_range` is `false` and the name should be narrowed: ResolveNames has no paging
    /// input.
    pub paging: PagingInfo,
    /// The matches, best first.
    pub resolutions: Vec<Resolution>,
}

impl XmlElement for ResolutionSet {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        write_paged_entries(w, name, &self.paging, &self.resolutions, "t:Resolution");
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let (paging, resolutions) = read_paged_entries(r, start, "Resolution")?;
        Ok(ResolutionSet {
            paging,
            resolutions,
        })
    }
}

/// The body of the ResolveNames response message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResolveNamesMessage {
    /// The matches (present on Success and on the Warning for ambiguous names).
    pub resolution_set: Option<ResolutionSet>,
}

impl XmlSequence for ResolveNamesMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        self.resolution_set.write_opt(w, "m:ResolutionSet");
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Messages || child.local_name() != "ResolutionSet" {
            return Ok(false);
        }
        self.resolution_set = Some(ResolutionSet::read_element(r, child)?);
        Ok(true)
    }
}

impl ResponseBody for ResolveNamesMessage {
    const MESSAGE: &'static str = "ResolveNamesResponseMessage";
    const RESPONSE: &'static str = "ResolveNamesResponse";
}

/// The ResolveNames response: one message.
pub type ResolveNamesResponse = ResponseMessages<ResolveNamesMessage>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{ResponseClass, ResponseCode};
    use crate::soap::parse_response;

    #[test]
    fn no_match_is_an_error_message_with_its_code_and_no_resolutions() {
        let answer = br#"<ResolveNamesResponse
            xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
          <ResponseMessages><ResolveNamesResponseMessage ResponseClass="Error">
            <MessageText>No results were found.</MessageText>
            <ResponseCode>ErrorNameResolutionNoResults</ResponseCode>
            <DescriptiveLinkKey>0</DescriptiveLinkKey>
          </ResolveNamesResponseMessage></ResponseMessages></ResolveNamesResponse>"#;
        let response = parse_response::<ResolveNamesResponse>(answer).unwrap().body;
        assert_eq!(response.messages.len(), 1);
        let error = response.into_results().remove(0).unwrap_err();
        assert_eq!(error.class, ResponseClass::Error);
        assert_eq!(error.code, Some(ResponseCode::ErrorNameResolutionNoResults));
    }

    #[test]
    fn an_empty_name_is_refused_before_sending() {
        let error = ResolveNames::new("  ").validate().unwrap_err();
        assert!(error.to_string().contains("UnresolvedEntry"), "{error}");
        let no_folders = ResolveNames {
            parent_folder_ids: Some(Vec::new()),
            ..ResolveNames::new("dana")
        };
        assert!(no_folders.validate().is_err());
        assert!(ResolveNames::new("dana").validate().is_ok());
    }
}
