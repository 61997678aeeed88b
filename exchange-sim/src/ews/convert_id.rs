//! ConvertId: an item, occurrence or folder id from one format to another (`EwsId`, `EwsLegacyId`,
//! `EntryId`, `HexEntryId`, `StoreId`, `OwaId`).
//!
//! The simulator's other formats carry the same bytes as its EWS ids behind a marker, so every format
//! converts to every other and back. The id must belong to the mailbox the `AlternateId` names, and the
//! caller must be able to reach that mailbox. Public folder ids are refused (`ErrorInvalidRequest`):
//! the simulator has no public folders.

use ews_types::operations::{AlternateId, ConvertId, ConvertIdMessage, ConvertIdResponse};
use ews_types::response::ResponseCode;

use super::{Ews, Refusal, per_input};
use crate::ids;
use crate::store::StoreError;

pub(crate) fn run(ews: &Ews<'_>, op: &ConvertId) -> ConvertIdResponse {
    per_input(&op.source_ids, |source| {
        let AlternateId::Mailbox {
            format,
            id,
            mailbox,
            is_archive,
        } = source
        else {
            return Err(Refusal::Code(
                ResponseCode::ErrorInvalidRequest,
                "The simulator has no public folders.",
            ));
        };
        let no = ews
            .store
            .lookup(mailbox)
            .ok_or_else(|| StoreError::NoSuchMailbox(mailbox.clone()))?;
        ews.reach(no)?;
        let malformed = || StoreError::MalformedId(id.clone());
        let ews_id = ids::from_alternate(id, format).ok_or_else(malformed)?;
        if ids::mailbox_of(&ews_id) != Some(no) {
            return Err(Refusal::Code(
                ResponseCode::ErrorInvalidIdMalformed,
                "The id does not belong to the mailbox named with it.",
            ));
        }
        let converted = ids::to_alternate(&ews_id, &op.destination_format).ok_or(Refusal::Code(
            ResponseCode::ErrorInvalidRequest,
            "The simulator cannot write ids in the destination format.",
        ))?;
        Ok(ConvertIdMessage {
            alternate_id: Some(AlternateId::Mailbox {
                format: op.destination_format.clone(),
                id: converted,
                mailbox: mailbox.clone(),
                is_archive: *is_archive,
            }),
        })
    })
}
