//! GetUserOofSettings: a mailbox's automatic replies (disabled until set), for its owner or the
//! service account impersonating the owner; anyone else gets `ErrorAccessDenied`.

use ews_types::availability::ExternalAudience;
use ews_types::operations::{
    GetUserOofSettings, GetUserOofSettingsResponse, SingleResponseMessage,
};

use super::Ews;
use crate::store::StoreError;

pub(crate) fn run(ews: &Ews<'_>, op: &GetUserOofSettings) -> GetUserOofSettingsResponse {
    let found = ews
        .store
        .lookup(&op.mailbox.address)
        .ok_or_else(|| StoreError::NoSuchMailbox(op.mailbox.address.clone()))
        .and_then(|no| ews.reach(no));
    match found {
        Ok(mailbox) => GetUserOofSettingsResponse {
            response_message: SingleResponseMessage::success(Default::default()),
            oof_settings: Some(Box::new(mailbox.oof.clone().unwrap_or_default())),
            allow_external_oof: Some(ExternalAudience::All),
        },
        Err(error) => GetUserOofSettingsResponse {
            response_message: SingleResponseMessage::error(
                error.response_code(),
                error.to_string(),
            ),
            oof_settings: None,
            allow_external_oof: None,
        },
    }
}
