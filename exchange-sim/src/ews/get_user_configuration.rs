//! GetUserConfiguration: a configuration object (such as the master category list), with the parts
//! asked for.

use ews_types::operations::{
    GetUserConfiguration, GetUserConfigurationMessage, GetUserConfigurationResponse,
    UserConfiguration, UserConfigurationContent,
};

use super::{Ews, Refusal, single};
use crate::store::StoreError;

pub(crate) fn run(ews: &Ews<'_>, op: &GetUserConfiguration) -> GetUserConfigurationResponse {
    single(read(ews, op))
}

fn read(ews: &Ews<'_>, op: &GetUserConfiguration) -> Result<GetUserConfigurationMessage, Refusal> {
    let name = op
        .user_configuration_name
        .as_ref()
        .ok_or(StoreError::ConfigurationNotFound(String::new()))?;
    let (no, folder) = ews.folder(&name.folder)?;
    let stored = ews
        .reach(no)?
        .configurations
        .get(&(folder, name.name.clone()))
        .ok_or_else(|| StoreError::ConfigurationNotFound(name.name.clone()))?;
    let want = &op.user_configuration_properties;
    Ok(GetUserConfigurationMessage {
        user_configuration: Some(UserConfiguration {
            name: name.clone(),
            content: UserConfigurationContent {
                item_id: if want.id {
                    stored.item_id.clone()
                } else {
                    None
                },
                dictionary: if want.dictionary {
                    stored.dictionary.clone()
                } else {
                    None
                },
                xml_data: if want.xml_data {
                    stored.xml_data.clone()
                } else {
                    None
                },
                binary_data: if want.binary_data {
                    stored.binary_data.clone()
                } else {
                    None
                },
            },
        }),
    })
}
