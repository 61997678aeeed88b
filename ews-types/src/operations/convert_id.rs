//! ConvertId: translate item and folder ids between formats (EWS ids, legacy ids, MAPI entry ids, OWA
//! ids). Change keys are never returned. Cheap enough to serve as an authentication and version probe.
//!
//! ```
//! use ews_types::operations::{AlternateId, ConvertId, ConvertIdResponse, IdFormat};
//! use ews_types::soap::parse_response;
//!
//! let request = ConvertId::new(
//!     IdFormat::HexEntryId,
//!     [AlternateId::mailbox(IdFormat::EwsId, "AAMkAGZhN2IxYTA0", "dana@contoso.example")],
//! );
//! let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
//! assert!(xml.contains(r#"<t:AlternateId Format="EwsId" Id="AAMkAGZhN2IxYTA0" Mailbox="dana@contoso.example"/>"#));
//!
//! let answer = br#"<ConvertIdResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"
//!     xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"
//!     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
//!   <ResponseMessages><ConvertIdResponseMessage ResponseClass="Success">
//!     <ResponseCode>NoError</ResponseCode>
//!     <AlternateId xsi:type="t:AlternateIdType" Format="HexEntryId" Id="00000000D2A5" Mailbox="dana@contoso.example"/>
//!   </ConvertIdResponseMessage></ResponseMessages>
//! </ConvertIdResponse>"#;
//! let response = parse_response::<ConvertIdResponse>(answer).unwrap().body;
//! let converted = response.into_results().remove(0).unwrap().alternate_id.unwrap();
//! assert_eq!(converted.format(), &IdFormat::HexEntryId);
//! assert!(matches!(converted, AlternateId::Mailbox { ref id, .. } if id == "00000000D2A5"));
//! ```

use crate::error::{Error, Result};
use crate::response::{ResponseBody, ResponseMessages};
use crate::xml::{
    Ns, Start, XmlAttr, XmlChoice, XmlElement, XmlReader, XmlSequence, XmlWriter, open_enum,
};

use super::Operation;

/// The namespace of `xsi:type`, which says which kind of id a response's `AlternateId` is.
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

open_enum! {
    /// An id format.
    pub enum IdFormat {
        /// The id format of Exchange 2007 RTM.
        EwsLegacyId = "EwsLegacyId",
        /// The current EWS id.
        EwsId = "EwsId",
        /// A MAPI entry id, base64.
        EntryId = "EntryId",
        /// A MAPI entry id, hexadecimal (as Outlook's object model shows it).
        HexEntryId = "HexEntryId",
        /// A store id.
        StoreId = "StoreId",
        /// An Outlook Web App id.
        OwaId = "OwaId",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for IdFormat {
    fn default() -> Self {
        IdFormat::EwsId
    }
}

/// An id in some format, without a change key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlternateId {
    /// An item or folder of a mailbox (`AlternateId`).
    Mailbox {
        /// The id's format.
        format: IdFormat,
        /// The id.
        id: String,
        /// The SMTP address of the mailbox holding it.
        mailbox: String,
        /// Whether the id is in the mailbox's archive.
        is_archive: Option<bool>,
    },
    /// A public folder (`AlternatePublicFolderId`).
    PublicFolder {
        /// The id's format.
        format: IdFormat,
        /// The folder id.
        folder_id: String,
    },
    /// An item of a public folder (`AlternatePublicFolderItemId`).
    PublicFolderItem {
        /// The ids' format.
        format: IdFormat,
        /// The folder id.
        folder_id: String,
        /// The item id.
        item_id: String,
    },
}

impl AlternateId {
    /// An id of an item or folder in `mailbox` (its SMTP address).
    pub fn mailbox(format: IdFormat, id: impl Into<String>, mailbox: impl Into<String>) -> Self {
        AlternateId::Mailbox {
            format,
            id: id.into(),
            mailbox: mailbox.into(),
            is_archive: None,
        }
    }

    /// The id's format.
    pub fn format(&self) -> &IdFormat {
        match self {
            AlternateId::Mailbox { format, .. }
            | AlternateId::PublicFolder { format, .. }
            | AlternateId::PublicFolderItem { format, .. } => format,
        }
    }

    /// The schema type of this kind of id (what `xsi:type` names in a response).
    fn type_name(&self) -> &'static str {
        match self {
            AlternateId::Mailbox { .. } => "AlternateIdType",
            AlternateId::PublicFolder { .. } => "AlternatePublicFolderIdType",
            AlternateId::PublicFolderItem { .. } => "AlternatePublicFolderItemIdType",
        }
    }

    fn write_attributes(&self, w: &mut XmlWriter) {
        w.attr("Format", self.format().as_str());
        match self {
            AlternateId::Mailbox {
                id,
                mailbox,
                is_archive,
                ..
            } => {
                w.attr("Id", id).attr("Mailbox", mailbox);
                if let Some(archive) = is_archive {
                    w.attr("IsArchive", &archive.to_attr());
                }
            }
            AlternateId::PublicFolder { folder_id, .. } => {
                w.attr("FolderId", folder_id);
            }
            AlternateId::PublicFolderItem {
                folder_id, item_id, ..
            } => {
                w.attr("FolderId", folder_id).attr("ItemId", item_id);
            }
        }
    }

    /// Reads the attributes of the kind named by `type_name` (a schema type name, without prefix).
    fn read_attributes(start: &Start<'_>, type_name: &str) -> Result<Option<Self>> {
        let format = IdFormat::from_wire(start.required_attr("Format")?.trim());
        Ok(Some(match type_name {
            "AlternateIdType" => AlternateId::Mailbox {
                format,
                id: start.required_attr("Id")?,
                mailbox: start.required_attr("Mailbox")?,
                is_archive: start
                    .attr("IsArchive")?
                    .map(|v| bool::from_attr("IsArchive", &v))
                    .transpose()?,
            },
            "AlternatePublicFolderIdType" => AlternateId::PublicFolder {
                format,
                folder_id: start.required_attr("FolderId")?,
            },
            "AlternatePublicFolderItemIdType" => AlternateId::PublicFolderItem {
                format,
                folder_id: start.required_attr("FolderId")?,
                item_id: start.required_attr("ItemId")?,
            },
            _ => return Ok(None),
        }))
    }
}

/// In a request's `SourceIds`, the element name says which kind of id it is.
impl XmlChoice for AlternateId {
    fn write_choice(&self, w: &mut XmlWriter) {
        let name = format!("t:{}", self.type_name().trim_end_matches("Type"));
        w.open(&name);
        self.write_attributes(w);
        w.close_empty();
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let type_name = format!("{}Type", start.local_name());
        let id = AlternateId::read_attributes(start, &type_name)?;
        if id.is_some() {
            r.skip(start)?;
        }
        Ok(id)
    }
}

/// In a response, the element is always `AlternateId` and `xsi:type` says which kind it is (when a
/// server leaves `xsi:type` out, the attributes present decide).
impl XmlElement for AlternateId {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("xmlns:xsi", XSI_NS)
            .attr("xsi:type", &format!("t:{}", self.type_name()));
        self.write_attributes(w);
        w.close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let declared = start.attr("type")?.map(|t| {
            let t = t.trim();
            t.rsplit(':').next().unwrap_or(t).to_owned()
        });
        if let Some(id) = declared
            .as_deref()
            .map(|name| AlternateId::read_attributes(start, name))
            .transpose()?
            .flatten()
        {
            r.skip(start)?;
            return Ok(id);
        }
        // No `xsi:type`, or one this crate does not know: the attributes present decide.
        let inferred = if start.attr("ItemId")?.is_some() {
            "AlternatePublicFolderItemIdType"
        } else if start.attr("FolderId")?.is_some() {
            "AlternatePublicFolderIdType"
        } else {
            "AlternateIdType"
        };
        let id = AlternateId::read_attributes(start, inferred)?
            .ok_or_else(|| Error::invalid_value("@xsi:type", inferred, "an AlternateIdBaseType"))?;
        r.skip(start)?;
        Ok(id)
    }
}

/// ConvertId request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConvertId {
    /// The format to convert to.
    pub destination_format: IdFormat,
    /// The ids to convert (at least one); each gets one response message, in this order.
    pub source_ids: Vec<AlternateId>,
}

impl ConvertId {
    /// Converts `ids` to `format`.
    pub fn new(format: IdFormat, ids: impl IntoIterator<Item = AlternateId>) -> Self {
        ConvertId {
            destination_format: format,
            source_ids: ids.into_iter().collect(),
        }
    }
}

impl XmlElement for ConvertId {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("DestinationFormat", self.destination_format.as_str())
            .close();
        self.source_ids.write_element(w, "m:SourceIds");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut request = ConvertId {
            destination_format: IdFormat::from_wire(
                start.required_attr("DestinationFormat")?.trim(),
            ),
            source_ids: Vec::new(),
        };
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages || child.local_name() != "SourceIds" {
                return Ok(false);
            }
            request.source_ids = Vec::read_element(r, child)?;
            Ok(true)
        })?;
        Ok(request)
    }
}

impl Operation for ConvertId {
    const NAME: &'static str = "ConvertId";
    type Response = ConvertIdResponse;

    fn validate(&self) -> Result<()> {
        if self.source_ids.is_empty() {
            return Err(Error::InvalidRequest(
                "ConvertId needs at least one source id".into(),
            ));
        }
        Ok(())
    }
}

/// The body of one ConvertId response message: the converted id (absent on errors).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConvertIdMessage {
    /// The id in the destination format.
    pub alternate_id: Option<AlternateId>,
}

impl XmlSequence for ConvertIdMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        if let Some(id) = &self.alternate_id {
            id.write_element(w, "m:AlternateId");
        }
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Messages || child.local_name() != "AlternateId" {
            return Ok(false);
        }
        self.alternate_id = Some(AlternateId::read_element(r, child)?);
        Ok(true)
    }
}

impl ResponseBody for ConvertIdMessage {
    const MESSAGE: &'static str = "ConvertIdResponseMessage";
    const RESPONSE: &'static str = "ConvertIdResponse";
}

/// The ConvertId response: one message per source id, in request order.
pub type ConvertIdResponse = ResponseMessages<ConvertIdMessage>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::ResponseMessage;
    use crate::soap::{parse_response, response_envelope};

    #[test]
    fn every_kind_of_id_survives_a_response_round_trip() {
        let ids = [
            AlternateId::Mailbox {
                format: IdFormat::EntryId,
                id: "AAAAAB".into(),
                mailbox: "dana@contoso.example".into(),
                is_archive: Some(true),
            },
            AlternateId::PublicFolder {
                format: IdFormat::HexEntryId,
                folder_id: "00000001".into(),
            },
            AlternateId::PublicFolderItem {
                format: IdFormat::Unknown("FutureId".into()),
                folder_id: "00000001".into(),
                item_id: "00000002".into(),
            },
        ];
        let response = ConvertIdResponse::new(
            ids.iter()
                .map(|id| {
                    ResponseMessage::success(ConvertIdMessage {
                        alternate_id: Some(id.clone()),
                    })
                })
                .collect(),
        );
        let bytes = response_envelope(None, &response);
        let parsed = parse_response::<ConvertIdResponse>(&bytes).unwrap().body;
        assert_eq!(parsed, response);
    }

    #[test]
    fn without_xsi_type_the_attributes_decide_the_kind() {
        let answer = br#"<ConvertIdResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
          <ResponseMessages><ConvertIdResponseMessage ResponseClass="Success">
            <AlternateId Format="EwsId" FolderId="F" ItemId="I"/>
          </ConvertIdResponseMessage></ResponseMessages></ConvertIdResponse>"#;
        let parsed = parse_response::<ConvertIdResponse>(answer).unwrap().body;
        let id = parsed.messages[0].body.alternate_id.clone().unwrap();
        assert!(matches!(id, AlternateId::PublicFolderItem { .. }), "{id:?}");
        assert!(ConvertId::new(IdFormat::EwsId, []).validate().is_err());
    }
}
