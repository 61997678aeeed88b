//! UpdateUserConfiguration: replace a configuration object's content, such as the master category list.
//!
//! The update replaces what it names; re-read the object just before writing, since Outlook writes the
//! category list too.

use crate::error::Result;
use crate::response::ResponseMessages;
use crate::xml::xml_sequence;

use super::Operation;
use super::user_configuration::UserConfiguration;

xml_sequence! {
    element
    /// UpdateUserConfiguration request.
    pub struct UpdateUserConfiguration in Messages "m:" {
        /// The object with its new content.
        opt user_configuration: UserConfiguration = "UserConfiguration";
    }
}

impl UpdateUserConfiguration {
    /// Writes `configuration`.
    pub fn new(configuration: UserConfiguration) -> Self {
        UpdateUserConfiguration {
            user_configuration: Some(configuration),
        }
    }
}

impl Operation for UpdateUserConfiguration {
    const NAME: &'static str = "UpdateUserConfiguration";
    type Response = UpdateUserConfigurationResponse;

    fn validate(&self) -> Result<()> {
        if self.user_configuration.is_none() {
            return Err(crate::Error::InvalidRequest(
                "UpdateUserConfiguration needs a UserConfiguration".into(),
            ));
        }
        Ok(())
    }
}

super::empty_body!(
    UpdateUserConfigurationMessage,
    "UpdateUserConfigurationResponseMessage",
    "UpdateUserConfigurationResponse"
);

/// The UpdateUserConfiguration response (one message).
pub type UpdateUserConfigurationResponse = ResponseMessages<UpdateUserConfigurationMessage>;
