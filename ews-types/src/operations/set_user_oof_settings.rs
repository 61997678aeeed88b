//! SetUserOofSettings: turn a mailbox's automatic replies on, off or on for a scheduled window.
//!
//! ```
//! use ews_types::availability::UserOofSettings;
//! use ews_types::operations::SetUserOofSettings;
//!
//! let away = UserOofSettings::scheduled(
//!     "2026-12-21T17:00:00Z".parse().unwrap(),
//!     "2027-01-04T08:00:00Z".parse().unwrap(),
//!     "I am away until 4 January.",
//! );
//! let request = SetUserOofSettings::new("dana@contoso.example", away);
//! let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
//! assert!(xml.contains("<t:StartTime>2026-12-21T17:00:00Z</t:StartTime>"));
//! ```

use crate::availability::{MailboxAddress, OofState, UserOofSettings};
use crate::error::{Error, Result};
use crate::response::ResponseClass;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, xml_sequence};

use super::get_user_oof_settings::require_address;
use super::single_message::SingleResponseMessage;
use super::{Operation, OperationResponse};

xml_sequence! {
    element
    /// SetUserOofSettings request.
    pub struct SetUserOofSettings in Types "t:" {
        /// The mailbox whose settings to write.
        req mailbox: MailboxAddress = "Mailbox";
        /// The new settings (they replace the old ones as a whole).
        req user_oof_settings: UserOofSettings = "UserOofSettings";
    }
}

impl SetUserOofSettings {
    /// Writes `settings` to the mailbox with this SMTP address.
    pub fn new(address: impl Into<String>, settings: UserOofSettings) -> Self {
        SetUserOofSettings {
            mailbox: MailboxAddress::new(address),
            user_oof_settings: settings,
        }
    }
}

impl Operation for SetUserOofSettings {
    const NAME: &'static str = "SetUserOofSettingsRequest";
    type Response = SetUserOofSettingsResponse;

    fn validate(&self) -> Result<()> {
        require_address(&self.mailbox, Self::NAME)?;
        let settings = &self.user_oof_settings;
        match (&settings.oof_state, &settings.duration) {
            (OofState::Scheduled, None) => Err(Error::InvalidRequest(
                "SetUserOofSettings: a Scheduled state needs a Duration".into(),
            )),
            (_, Some(window)) if window.start_time >= window.end_time => {
                Err(Error::InvalidRequest(format!(
                    "SetUserOofSettings: the Duration must end after it starts ({} to {})",
                    window.start_time, window.end_time
                )))
            }
            _ => Ok(()),
        }
    }
}

/// The SetUserOofSettings response: one message, directly (not in a `ResponseMessages` list).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetUserOofSettingsResponse {
    /// Success, or why the settings were refused (for example `ErrorInvalidUserOofSettings`).
    pub response_message: Option<SingleResponseMessage>,
}

impl XmlElement for SetUserOofSettingsResponse {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        if let Some(message) = &self.response_message {
            message.write(w);
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut response = SetUserOofSettingsResponse::default();
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages || child.local_name() != "ResponseMessage" {
                return Ok(false);
            }
            response.response_message = Some(SingleResponseMessage::read(r, child)?);
            Ok(true)
        })?;
        Ok(response)
    }
}

impl OperationResponse for SetUserOofSettingsResponse {
    const NAME: &'static str = "SetUserOofSettingsResponse";

    fn classes(&self) -> Vec<ResponseClass> {
        self.response_message
            .iter()
            .map(SingleResponseMessage::class)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::availability::OofDuration;

    #[test]
    fn a_schedule_needs_a_window_that_ends_after_it_starts() {
        let start = "2026-12-21T17:00:00Z".parse().unwrap();
        let end = "2027-01-04T08:00:00Z".parse().unwrap();
        let away = UserOofSettings::scheduled(start, end, "Away");
        assert!(
            SetUserOofSettings::new("dana@contoso.example", away.clone())
                .validate()
                .is_ok()
        );
        let no_window = UserOofSettings {
            duration: None,
            ..away.clone()
        };
        assert!(
            SetUserOofSettings::new("dana@contoso.example", no_window)
                .validate()
                .is_err()
        );
        let reversed = UserOofSettings {
            duration: Some(OofDuration::new(end, start)),
            ..away.clone()
        };
        assert!(
            SetUserOofSettings::new("dana@contoso.example", reversed)
                .validate()
                .is_err()
        );
        assert!(SetUserOofSettings::new(" ", away).validate().is_err());
    }
}
