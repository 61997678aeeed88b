//! GetUserConfiguration: read a configuration object, such as the master category list.

use crate::error::Result;
use crate::response::{ResponseBody, ResponseMessages};
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, xml_sequence};

use super::Operation;
use super::user_configuration::{UserConfiguration, UserConfigurationName};

/// Which parts of a configuration object to return (`UserConfigurationProperties`, a list).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserConfigurationProperties {
    /// `Id`.
    pub id: bool,
    /// `Dictionary`.
    pub dictionary: bool,
    /// `XmlData`.
    pub xml_data: bool,
    /// `BinaryData`.
    pub binary_data: bool,
}

impl UserConfigurationProperties {
    /// Every part (`All`).
    pub fn all() -> Self {
        UserConfigurationProperties {
            id: true,
            dictionary: true,
            xml_data: true,
            binary_data: true,
        }
    }
}

impl XmlElement for UserConfigurationProperties {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        let text = if *self == UserConfigurationProperties::all() {
            "All".to_owned()
        } else {
            let parts = [
                (self.id, "Id"),
                (self.dictionary, "Dictionary"),
                (self.xml_data, "XmlData"),
                (self.binary_data, "BinaryData"),
            ];
            parts
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, n)| *n)
                .collect::<Vec<_>>()
                .join(" ")
        };
        w.text_element(name, &text);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut properties = UserConfigurationProperties::default();
        for part in r.read_text(start)?.split_whitespace() {
            match part {
                "All" => properties = UserConfigurationProperties::all(),
                "Id" => properties.id = true,
                "Dictionary" => properties.dictionary = true,
                "XmlData" => properties.xml_data = true,
                "BinaryData" => properties.binary_data = true,
                _ => {}
            }
        }
        Ok(properties)
    }
}

xml_sequence! {
    element
    /// GetUserConfiguration request.
    pub struct GetUserConfiguration in Messages "m:" {
        /// Which object.
        opt user_configuration_name: UserConfigurationName = "UserConfigurationName";
        /// Which parts of it.
        req user_configuration_properties: UserConfigurationProperties = "UserConfigurationProperties";
    }
}

impl GetUserConfiguration {
    /// Reads the master category list's XML data.
    pub fn category_list() -> Self {
        GetUserConfiguration {
            user_configuration_name: Some(UserConfigurationName::category_list()),
            user_configuration_properties: UserConfigurationProperties {
                xml_data: true,
                ..UserConfigurationProperties::default()
            },
        }
    }
}

impl Operation for GetUserConfiguration {
    const NAME: &'static str = "GetUserConfiguration";
    type Response = GetUserConfigurationResponse;

    fn validate(&self) -> Result<()> {
        if self.user_configuration_name.is_none() {
            return Err(crate::Error::InvalidRequest(
                "GetUserConfiguration needs a UserConfigurationName".into(),
            ));
        }
        Ok(())
    }
}

xml_sequence! {
    children
    /// The body of a GetUserConfiguration response message.
    pub struct GetUserConfigurationMessage in Messages "m:" {
        /// The object.
        opt user_configuration: UserConfiguration = "UserConfiguration";
    }
}

impl ResponseBody for GetUserConfigurationMessage {
    const MESSAGE: &'static str = "GetUserConfigurationResponseMessage";
    const RESPONSE: &'static str = "GetUserConfigurationResponse";
}

/// The GetUserConfiguration response (one message).
pub type GetUserConfigurationResponse = ResponseMessages<GetUserConfigurationMessage>;
