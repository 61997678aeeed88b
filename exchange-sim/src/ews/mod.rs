//! The EWS endpoint (`/EWS/Exchange.asmx`): parses the request with `ews-types`, decides which mailbox
//! it acts on (impersonation is checked against the service account), runs the operation on the store
//! and writes the response with `ews-types`. One module per operation.

mod convert_id;
mod copy_item;
mod create_folder;
mod create_item;
mod delete_item;
mod delivery;
mod expand_dl;
mod find_folder;
mod find_item;
mod folder_view;
mod get_events;
mod get_folder;
mod get_item;
mod get_server_time_zones;
mod get_streaming_events;
mod get_user_availability;
mod get_user_configuration;
mod get_user_oof_settings;
mod move_item;
mod notification;
mod resolve_names;
mod restriction;
mod send_item;
mod set_user_oof_settings;
mod shape;
mod streaming;
mod subscribe;
mod sync_folder_hierarchy;
mod sync_folder_items;
mod unsubscribe;
mod update_item;
mod update_user_configuration;

pub(crate) use get_streaming_events::StreamPlan;
pub(crate) use streaming::stream;

pub(crate) use delivery::{cancel, deliver, ensure_uid, invite, record_response, sender_address};

use bytes::Bytes;
use ews_types::operations::AnyRequest;
use ews_types::response::{
    MessageXml, MessageXmlEntry, ResponseCode, ResponseMessage, ResponseMessages,
};
use ews_types::soap::{
    ExchangeVersion, Impersonation, ServerVersionInfo, SoapFault, fault_envelope,
};
use ews_types::types::{FolderRef, ItemRef};

use crate::faults::Fault;
use crate::server::{Exchange, Principal, lock, respond};
use crate::store::{Mailbox, Store, StoreError};

/// What an operation works with: the store, the mailbox the request acts on, and whether the caller
/// may reach other mailboxes (the service account impersonating, or an app-only token).
pub(crate) struct Ews<'a> {
    pub(crate) store: &'a mut Store,
    /// Who exists (users, distribution lists).
    pub(crate) config: &'a crate::config::Config,
    pub(crate) acting: u32,
    pub(crate) privileged: bool,
    pub(crate) fault: Option<Fault>,
}

impl Ews<'_> {
    /// The acting mailbox.
    pub(crate) fn mailbox(&self) -> Result<&Mailbox, StoreError> {
        self.store
            .mailbox(self.acting)
            .ok_or_else(|| StoreError::NoSuchMailbox(String::new()))
    }

    /// A mailbox the caller may reach.
    pub(crate) fn reach(&self, no: u32) -> Result<&Mailbox, StoreError> {
        if no != self.acting && !self.privileged {
            return Err(StoreError::AccessDenied);
        }
        self.store
            .mailbox(no)
            .ok_or_else(|| StoreError::NoSuchMailbox(String::new()))
    }

    pub(crate) fn reach_mut(&mut self, no: u32) -> Result<&mut Mailbox, StoreError> {
        if no != self.acting && !self.privileged {
            return Err(StoreError::AccessDenied);
        }
        self.store
            .mailbox_mut(no)
            .ok_or_else(|| StoreError::NoSuchMailbox(String::new()))
    }

    /// The mailbox and key of the folder a reference names.
    pub(crate) fn folder(&self, folder: &FolderRef) -> Result<(u32, u32), StoreError> {
        match folder {
            FolderRef::Id(id) => {
                let address = crate::ids::parse_folder_id(&id.id)
                    .ok_or_else(|| StoreError::MalformedId(id.id.clone()))?;
                let mailbox = self.reach(address.mailbox)?;
                Ok((address.mailbox, mailbox.folder(address.folder)?.key))
            }
            FolderRef::Distinguished(d) => {
                let no = match d.mailbox.as_ref().and_then(|m| m.email_address.as_deref()) {
                    Some(address) => self
                        .store
                        .lookup(address)
                        .ok_or_else(|| StoreError::NoSuchMailbox(address.to_owned()))?,
                    None => self.acting,
                };
                let mailbox = self.reach(no)?;
                Ok((no, mailbox.distinguished(&d.name)?))
            }
        }
    }

    /// The mailbox and key of the whole item a reference names; an occurrence of a series is refused
    /// (`ErrorCalendarCannotMoveOrCopyOccurrence`).
    pub(crate) fn item(&self, item: &ItemRef) -> Result<(u32, u64), StoreError> {
        match self.resolve(item)? {
            (no, Target::Item(key)) => Ok((no, key)),
            (_, Target::Occurrence(..)) => Err(StoreError::OccurrenceNotAllowed),
        }
    }

    /// The mailbox of what a reference names, and the item or occurrence: an id (of an item or of an
    /// occurrence), an `OccurrenceItemId` (series and index) or a `RecurringMasterItemId` (the series
    /// of an occurrence).
    pub(crate) fn resolve(&self, item: &ItemRef) -> Result<(u32, Target), StoreError> {
        use crate::ids::ParsedItemId as P;
        let id = match item {
            ItemRef::Id(id) => &id.id,
            ItemRef::Occurrence {
                recurring_master_id,
                ..
            } => recurring_master_id,
            ItemRef::RecurringMaster { occurrence_id, .. } => occurrence_id,
            _ => return Err(StoreError::ItemNotFound),
        };
        let parsed =
            crate::ids::parse_item_id(id).ok_or_else(|| StoreError::MalformedId(id.clone()))?;
        let no = match parsed {
            P::Moving(a) | P::Occurrence(a, _) => a.mailbox,
            P::Immutable { mailbox, .. } => mailbox,
        };
        let mailbox = self.reach(no)?;
        let target = match (item, parsed) {
            (ItemRef::Id(_), P::Occurrence(..)) => {
                let (key, index) = mailbox.occurrence_by_id(id)?;
                Target::Occurrence(key, index)
            }
            (ItemRef::RecurringMaster { .. }, P::Occurrence(..)) => {
                Target::Item(mailbox.occurrence_by_id(id)?.0)
            }
            (ItemRef::Occurrence { .. }, P::Occurrence(..)) => {
                return Err(StoreError::NotRecurring);
            }
            (ItemRef::Occurrence { instance_index, .. }, _) => {
                Target::Occurrence(mailbox.item_by_id(id)?, *instance_index)
            }
            _ => Target::Item(mailbox.item_by_id(id)?),
        };
        Ok((no, target))
    }

    /// The mailbox and key of an item to move or copy into `target` (a folder resolved once per
    /// request), refusing a move between mailboxes.
    pub(crate) fn transfer(
        &self,
        target: &Result<(u32, u32), StoreError>,
        item: &ItemRef,
    ) -> Result<(u32, u64, u32), Refusal> {
        let (to_mailbox, to) = target.clone()?;
        let (no, key) = self.item(item)?;
        if no != to_mailbox {
            return Err(Refusal::Code(
                ResponseCode::ErrorMoveCopyFailed,
                "Moving or copying items between mailboxes is not supported.",
            ));
        }
        Ok((no, key, to))
    }

    /// The folder a move or copy goes to.
    pub(crate) fn target(&self, to: Option<&FolderRef>) -> Result<(u32, u32), StoreError> {
        to.map_or(Err(StoreError::FolderNotFound), |f| self.folder(f))
    }

    /// Takes the conflict fault, if one was injected for this request.
    pub(crate) fn take_conflict(&mut self) -> bool {
        if self.fault == Some(Fault::Conflict) {
            self.fault = None;
            return true;
        }
        false
    }
}

/// What an item reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A whole item (a series is its master).
    Item(u64),
    /// Occurrence `index` of the series `key`.
    Occurrence(u64, u32),
}

/// An error response message from a store error.
pub(crate) fn error_message<B: Default>(error: &StoreError) -> ResponseMessage<B> {
    ResponseMessage::error(error.response_code(), error.to_string())
}

/// An error response message with a code and text.
pub(crate) fn error_with<B: Default>(code: ResponseCode, text: &str) -> ResponseMessage<B> {
    ResponseMessage::error(code, text)
}

/// Why one input of a request failed: a store error, or a protocol rule with its code.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The store refused.
    Store(StoreError),
    /// A rule of the protocol.
    Code(ResponseCode, &'static str),
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Self {
        Refusal::Store(error)
    }
}

impl Refusal {
    /// The error message for this refusal.
    pub(crate) fn message<B: Default>(&self) -> ResponseMessage<B> {
        match self {
            Refusal::Store(error) => error_message(error),
            Refusal::Code(code, text) => error_with(code.clone(), text),
        }
    }
}

/// The one message of an operation that answers with a single message (Subscribe, GetEvents...).
pub(crate) fn single<B: Default>(result: Result<B, Refusal>) -> ResponseMessages<B> {
    ResponseMessages::new(vec![match result {
        Ok(body) => ResponseMessage::success(body),
        Err(refusal) => refusal.message(),
    }])
}

/// One message per input, from a function that may fail per input.
pub(crate) fn per_input<T, B: Default>(
    inputs: &[T],
    mut each: impl FnMut(&T) -> Result<B, Refusal>,
) -> ResponseMessages<B> {
    ResponseMessages::new(
        inputs
            .iter()
            .map(|input| match each(input) {
                Ok(body) => ResponseMessage::success(body),
                Err(refusal) => refusal.message(),
            })
            .collect(),
    )
}

fn server_version(requested: Option<&ExchangeVersion>) -> ServerVersionInfo {
    ServerVersionInfo {
        major_version: Some(15),
        minor_version: Some(1),
        major_build_number: Some(2507),
        minor_build_number: Some(6),
        version: Some(requested.cloned().unwrap_or(ExchangeVersion::Exchange2016)),
    }
}

/// A SOAP fault response (HTTP 500).
pub(crate) fn fault(
    code: ResponseCode,
    text: &str,
    xml: Option<MessageXml>,
) -> http::Response<Bytes> {
    let fault = SoapFault {
        fault_code: format!("a:{}", code.as_str()),
        fault_string: text.to_owned(),
        fault_actor: None,
        response_code: Some(code),
        message: Some(text.to_owned()),
        message_xml: xml,
    };
    respond(500, "text/xml; charset=utf-8", fault_envelope(&fault))
}

/// `ErrorServerBusy` with `BackOffMilliseconds`, as Exchange's throttling sends it.
fn server_busy(back_off: std::time::Duration) -> http::Response<Bytes> {
    let xml = MessageXml {
        entries: vec![MessageXmlEntry {
            name: "Value".to_owned(),
            attributes: vec![("Name".to_owned(), "BackOffMilliseconds".to_owned())],
            text: back_off.as_millis().to_string(),
        }],
    };
    fault(
        ResponseCode::ErrorServerBusy,
        "The server cannot service this request right now. Try again later.",
        Some(xml),
    )
}

/// `ErrorNonExistentMailbox`.
fn no_mailbox() -> http::Response<Bytes> {
    fault(
        ResponseCode::ErrorNonExistentMailbox,
        "The SMTP address has no mailbox associated with it.",
        None,
    )
}

/// The mailbox an impersonation header names.
fn impersonated(store: &Store, impersonation: &Impersonation) -> Option<u32> {
    match impersonation {
        Impersonation::PrimarySmtpAddress(a)
        | Impersonation::SmtpAddress(a)
        | Impersonation::PrincipalName(a) => store.lookup(a.trim()),
        _ => None,
    }
}

/// Answers an EWS request.
pub(crate) fn handle(
    exchange: &mut Exchange<'_>,
    request: &http::Request<Bytes>,
) -> http::Response<Bytes> {
    let (header, operation) = match AnyRequest::parse(request.body()) {
        Ok(parsed) => parsed,
        Err(ews_types::Error::UnexpectedElement { found, .. }) => {
            return fault(
                ResponseCode::ErrorInvalidRequest,
                &format!("The request is invalid: the operation {found} is not supported."),
                None,
            );
        }
        Err(error) => {
            return fault(
                ResponseCode::ErrorSchemaValidation,
                &format!("The request failed schema validation: {error}"),
                None,
            );
        }
    };
    if let Some(Fault::ServerBusy { back_off }) = &exchange.fault {
        return server_busy(*back_off);
    }
    let Some(principal) = exchange.principal.clone() else {
        return respond(401, "text/plain", "401 Unauthorized");
    };
    let shared = exchange.shared;
    let mut store = lock(&shared.store);
    let privileged = match &principal {
        Principal::App(_) => true,
        Principal::User(address) => shared.config.is_service_account(address),
    };
    let acting = match (&header.impersonation, &principal) {
        (Some(_), Principal::User(_)) if !privileged => {
            return fault(
                ResponseCode::ErrorImpersonateUserDenied,
                "The account does not have permission to impersonate the requested user.",
                None,
            );
        }
        (Some(target), _) => match impersonated(&store, target) {
            Some(no) => no,
            None => {
                return no_mailbox();
            }
        },
        (None, Principal::App(_)) => {
            return fault(
                ResponseCode::ErrorInvalidExchangeImpersonationHeaderData,
                "ExchangeImpersonation SOAP header must be present for this type of OAuth token.",
                None,
            );
        }
        (None, Principal::User(address)) => match store.lookup(address) {
            Some(no) => no,
            None => {
                return no_mailbox();
            }
        },
    };
    exchange.mailbox = store.mailbox(acting).map(|m| m.address.clone());
    let mut ews = Ews {
        store: &mut store,
        config: &shared.config,
        acting,
        privileged,
        fault: exchange.fault.take(),
    };
    use ews_types::operations::AnyResponse as R;
    let response = match &operation {
        AnyRequest::GetFolder(op) => R::GetFolder(get_folder::run(&ews, op)),
        AnyRequest::FindFolder(op) => R::FindFolder(find_folder::run(&ews, op)),
        AnyRequest::CreateFolder(op) => R::CreateFolder(create_folder::run(&mut ews, op)),
        AnyRequest::SyncFolderHierarchy(op) => {
            R::SyncFolderHierarchy(sync_folder_hierarchy::run(&mut ews, op))
        }
        AnyRequest::SyncFolderItems(op) => R::SyncFolderItems(sync_folder_items::run(&mut ews, op)),
        AnyRequest::FindItem(op) => R::FindItem(find_item::run(&ews, op)),
        AnyRequest::GetItem(op) => R::GetItem(get_item::run(&ews, op)),
        AnyRequest::CreateItem(op) => R::CreateItem(create_item::run(&mut ews, op)),
        AnyRequest::UpdateItem(op) => R::UpdateItem(update_item::run(&mut ews, op)),
        AnyRequest::DeleteItem(op) => R::DeleteItem(delete_item::run(&mut ews, op)),
        AnyRequest::MoveItem(op) => R::MoveItem(move_item::run(&mut ews, op)),
        AnyRequest::CopyItem(op) => R::CopyItem(copy_item::run(&mut ews, op)),
        AnyRequest::SendItem(op) => R::SendItem(send_item::run(&mut ews, op)),
        AnyRequest::GetUserConfiguration(op) => {
            R::GetUserConfiguration(get_user_configuration::run(&ews, op))
        }
        AnyRequest::UpdateUserConfiguration(op) => {
            R::UpdateUserConfiguration(update_user_configuration::run(&mut ews, op))
        }
        AnyRequest::ResolveNames(op) => R::ResolveNames(resolve_names::run(&ews, op)),
        AnyRequest::GetUserAvailability(op) => {
            R::GetUserAvailability(get_user_availability::run(&ews, op))
        }
        AnyRequest::ConvertId(op) => R::ConvertId(convert_id::run(&ews, op)),
        AnyRequest::GetServerTimeZones(op) => R::GetServerTimeZones(get_server_time_zones::run(op)),
        AnyRequest::ExpandDL(op) => R::ExpandDL(expand_dl::run(&ews, op)),
        AnyRequest::GetUserOofSettings(op) => {
            R::GetUserOofSettings(get_user_oof_settings::run(&ews, op))
        }
        AnyRequest::SetUserOofSettings(op) => {
            R::SetUserOofSettings(set_user_oof_settings::run(&mut ews, op))
        }
        AnyRequest::Subscribe(op) => R::Subscribe(subscribe::run(&mut ews, op)),
        AnyRequest::GetEvents(op) => R::GetEvents(get_events::run(&mut ews, op)),
        AnyRequest::Unsubscribe(op) => R::Unsubscribe(unsubscribe::run(&mut ews, op)),
        AnyRequest::GetStreamingEvents(op) => {
            let version = server_version(header.version.as_ref());
            match get_streaming_events::run(&mut ews, op, version) {
                Ok(plan) => {
                    exchange.stream = Some(plan);
                    return respond(200, "text/xml; charset=utf-8", Bytes::new());
                }
                Err(refused) => R::GetStreamingEvents(refused),
            }
        }
        other => {
            return fault(
                ResponseCode::ErrorInvalidRequest,
                &format!(
                    "The operation {} is not supported by the simulator.",
                    other.name()
                ),
                None,
            );
        }
    };
    let version = server_version(header.version.as_ref());
    respond(
        200,
        "text/xml; charset=utf-8",
        response.to_envelope(Some(&version)),
    )
}
