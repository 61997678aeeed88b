//! SetUserOofSettings: replaces a mailbox's automatic replies, for its owner or the service account
//! impersonating the owner. A `Scheduled` state needs a `Duration` that ends after it starts
//! (`ErrorInvalidScheduledOofDuration`).

use ews_types::availability::OofState;
use ews_types::operations::{
    SetUserOofSettings, SetUserOofSettingsResponse, SingleResponseMessage,
};
use ews_types::response::ResponseCode;

use super::Ews;
use crate::store::StoreError;

pub(crate) fn run(ews: &mut Ews<'_>, op: &SetUserOofSettings) -> SetUserOofSettingsResponse {
    let message = match set(ews, op) {
        Ok(()) => SingleResponseMessage::success(Default::default()),
        Err((code, text)) => SingleResponseMessage::error(code, text),
    };
    SetUserOofSettingsResponse {
        response_message: Some(message),
    }
}

fn set(ews: &mut Ews<'_>, op: &SetUserOofSettings) -> Result<(), (ResponseCode, String)> {
    let settings = &op.user_oof_settings;
    let window_ok = match (&settings.oof_state, &settings.duration) {
        (OofState::Scheduled, None) => false,
        (_, Some(window)) => window.start_time < window.end_time,
        _ => true,
    };
    if !window_ok {
        return Err((
            ResponseCode::ErrorInvalidScheduledOofDuration,
            "A scheduled reply needs a Duration that ends after it starts.".to_owned(),
        ));
    }
    let refused = |error: StoreError| (error.response_code(), error.to_string());
    let no = ews
        .store
        .lookup(&op.mailbox.address)
        .ok_or_else(|| refused(StoreError::NoSuchMailbox(op.mailbox.address.clone())))?;
    ews.reach_mut(no).map_err(refused)?.oof = Some(settings.clone());
    Ok(())
}
