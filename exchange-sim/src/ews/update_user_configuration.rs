//! UpdateUserConfiguration: replaces the parts of a configuration object the request carries.

use ews_types::operations::{
    UpdateUserConfiguration, UpdateUserConfigurationMessage, UpdateUserConfigurationResponse,
};

use super::{Ews, Refusal, single};
use crate::store::StoreError;

pub(crate) fn run(
    ews: &mut Ews<'_>,
    op: &UpdateUserConfiguration,
) -> UpdateUserConfigurationResponse {
    single(write(ews, op).map(|()| UpdateUserConfigurationMessage))
}

fn write(ews: &mut Ews<'_>, op: &UpdateUserConfiguration) -> Result<(), Refusal> {
    let configuration = op
        .user_configuration
        .as_ref()
        .ok_or(StoreError::ConfigurationNotFound(String::new()))?;
    let name = &configuration.name;
    let (no, folder) = ews.folder(&name.folder)?;
    let stored = ews
        .reach_mut(no)?
        .configurations
        .get_mut(&(folder, name.name.clone()))
        .ok_or_else(|| StoreError::ConfigurationNotFound(name.name.clone()))?;
    let new = &configuration.content;
    if new.dictionary.is_some() {
        stored.dictionary = new.dictionary.clone();
    }
    if new.xml_data.is_some() {
        stored.xml_data = new.xml_data.clone();
    }
    if new.binary_data.is_some() {
        stored.binary_data = new.binary_data.clone();
    }
    Ok(())
}
