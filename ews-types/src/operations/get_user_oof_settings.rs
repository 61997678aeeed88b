//! GetUserOofSettings: read a mailbox's out-of-office settings.
//!
//! The response carries one `ResponseMessage` directly (not a `ResponseMessages` list), then the
//! settings and the organization's `AllowExternalOof` policy.
//!
//! ```
//! use ews_types::availability::OofState;
//! use ews_types::operations::{GetUserOofSettings, GetUserOofSettingsResponse};
//! use ews_types::soap::parse_response;
//!
//! let request = GetUserOofSettings::new("dana@contoso.example");
//! let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
//! assert!(xml.contains("<t:Mailbox><t:Address>dana@contoso.example</t:Address></t:Mailbox>"));
//!
//! let answer = br#"<GetUserOofSettingsResponse xmlns="http://schemas.microsoft.com/exchange/services/2006/messages">
//!   <ResponseMessage ResponseClass="Success"><ResponseCode>NoError</ResponseCode></ResponseMessage>
//!   <OofSettings xmlns="http://schemas.microsoft.com/exchange/services/2006/types">
//!     <OofState>Scheduled</OofState><ExternalAudience>Known</ExternalAudience>
//!     <Duration><StartTime>2026-12-21T17:00:00Z</StartTime><EndTime>2027-01-04T08:00:00Z</EndTime></Duration>
//!   </OofSettings>
//!   <AllowExternalOof>All</AllowExternalOof>
//! </GetUserOofSettingsResponse>"#;
//! let response = parse_response::<GetUserOofSettingsResponse>(answer).unwrap().body;
//! let settings = response.into_result().unwrap().unwrap();
//! assert_eq!(settings.oof_state, OofState::Scheduled);
//! assert!(settings.is_active_at("2026-12-25T12:00:00Z".parse().unwrap()));
//! ```

use crate::availability::{ExternalAudience, MailboxAddress, UserOofSettings};
use crate::error::Result;
use crate::response::{ResponseClass, ResponseError, WriteOpt};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, xml_sequence};

use super::single_message::SingleResponseMessage;
use super::{Operation, OperationResponse};

xml_sequence! {
    element
    /// GetUserOofSettings request.
    pub struct GetUserOofSettings in Types "t:" {
        /// The mailbox whose settings to read.
        req mailbox: MailboxAddress = "Mailbox";
    }
}

impl GetUserOofSettings {
    /// Reads the settings of the mailbox with this SMTP address.
    pub fn new(address: impl Into<String>) -> Self {
        GetUserOofSettings {
            mailbox: MailboxAddress::new(address),
        }
    }
}

impl Operation for GetUserOofSettings {
    const NAME: &'static str = "GetUserOofSettingsRequest";
    type Response = GetUserOofSettingsResponse;

    fn validate(&self) -> Result<()> {
        require_address(&self.mailbox, Self::NAME)
    }
}

/// Refuses a request whose `Mailbox` has no address.
pub(crate) fn require_address(mailbox: &MailboxAddress, operation: &str) -> Result<()> {
    if mailbox.address.trim().is_empty() {
        return Err(crate::Error::InvalidRequest(format!(
            "{operation} needs the mailbox's Address"
        )));
    }
    Ok(())
}

/// The GetUserOofSettings response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetUserOofSettingsResponse {
    /// Success, or why the settings could not be read.
    pub response_message: SingleResponseMessage,
    /// The settings (on success); boxed, as they are large.
    pub oof_settings: Option<Box<UserOofSettings>>,
    /// Which external senders the organization lets out-of-office replies go to.
    pub allow_external_oof: Option<ExternalAudience>,
}

impl GetUserOofSettingsResponse {
    /// The settings on success (`None` if the server sent none), the message's error otherwise.
    pub fn into_result(self) -> std::result::Result<Option<UserOofSettings>, ResponseError> {
        match self.response_message.error_value() {
            Some(error) => Err(error),
            None => Ok(self.oof_settings.map(|settings| *settings)),
        }
    }
}

impl XmlElement for GetUserOofSettingsResponse {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.response_message.write(w);
        if let Some(settings) = &self.oof_settings {
            settings.write_element(w, "t:OofSettings");
        }
        self.allow_external_oof.write_opt(w, "m:AllowExternalOof");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut response = GetUserOofSettingsResponse::default();
        r.children(start, |r, child| {
            match (child.ns(), child.local_name()) {
                (Ns::Messages, "ResponseMessage") => {
                    response.response_message = SingleResponseMessage::read(r, child)?;
                }
                (Ns::Types, "OofSettings") => {
                    response.oof_settings =
                        Some(Box::new(UserOofSettings::read_element(r, child)?));
                }
                (Ns::Messages, "AllowExternalOof") => {
                    response.allow_external_oof = Some(ExternalAudience::read_element(r, child)?);
                }
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(response)
    }
}

impl OperationResponse for GetUserOofSettingsResponse {
    const NAME: &'static str = "GetUserOofSettingsResponse";

    fn classes(&self) -> Vec<ResponseClass> {
        vec![self.response_message.class()]
    }
}
