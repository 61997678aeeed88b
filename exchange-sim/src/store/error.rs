//! What a store operation can refuse, with the EWS response code each one is reported as.

use ews_types::response::ResponseCode;

use super::props::PropertyError;

/// Why the store refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No mailbox has this address.
    #[error("no mailbox has the address {0:?}")]
    NoSuchMailbox(String),
    /// The id is not one this simulator issued.
    #[error("the id {0:?} is malformed")]
    MalformedId(String),
    /// The folder does not exist (or was deleted).
    #[error("the folder was not found")]
    FolderNotFound,
    /// The item does not exist, was deleted, or moved (a move gives it a new id).
    #[error("the item was not found (it may have been deleted or moved)")]
    ItemNotFound,
    /// The id names another mailbox than the one the request acts on.
    #[error("the id belongs to another mailbox")]
    AccessDenied,
    /// The change key cannot be read.
    #[error("the change key {0:?} is malformed")]
    InvalidChangeKey(String),
    /// The change key is not the item's current one.
    #[error(
        "the change key passed in the request does not match the current change key for the item"
    )]
    Conflict,
    /// A write needs a change key and none was given.
    #[error("a change key is required for this write")]
    ChangeKeyRequired,
    /// The item kind has no such property.
    #[error("the property {0} is not valid for this item kind")]
    InvalidProperty(String),
    /// The change carried no value for the property.
    #[error("the change for {0} carries no value")]
    MissingValue(String),
    /// The property cannot be appended to.
    #[error("the property {0} cannot be appended to")]
    CannotAppend(String),
    /// A folder name already exists under the parent.
    #[error("a folder named {0:?} already exists there")]
    FolderExists(String),
    /// The user configuration object does not exist.
    #[error("the user configuration {0:?} was not found")]
    ConfigurationNotFound(String),
    /// An occurrence of a series was named where only a whole item is allowed (a move, a copy).
    #[error("an occurrence of a recurring series cannot be used here")]
    OccurrenceNotAllowed,
    /// An occurrence was asked of an item that is not a recurring series.
    #[error("the item is not a recurring series, so it has no occurrences")]
    NotRecurring,
    /// The series has no occurrence with this index.
    #[error("the series has no occurrence {0}")]
    OccurrenceOutOfRange(u32),
    /// The occurrence was deleted from the series.
    #[error("occurrence {0} was deleted from the series")]
    OccurrenceDeleted(u32),
}

impl StoreError {
    /// The EWS response code this error is reported as.
    pub fn response_code(&self) -> ResponseCode {
        match self {
            StoreError::NoSuchMailbox(_) => ResponseCode::ErrorNonExistentMailbox,
            StoreError::MalformedId(_) => ResponseCode::ErrorInvalidIdMalformed,
            StoreError::FolderNotFound => ResponseCode::ErrorFolderNotFound,
            StoreError::ItemNotFound => ResponseCode::ErrorItemNotFound,
            StoreError::AccessDenied => ResponseCode::ErrorAccessDenied,
            StoreError::InvalidChangeKey(_) => ResponseCode::ErrorInvalidChangeKey,
            StoreError::Conflict => ResponseCode::ErrorIrresolvableConflict,
            StoreError::ChangeKeyRequired => ResponseCode::ErrorChangeKeyRequiredForWriteOperations,
            StoreError::InvalidProperty(_) => ResponseCode::ErrorInvalidPropertySet,
            StoreError::MissingValue(_) => ResponseCode::ErrorIncorrectUpdatePropertyCount,
            StoreError::CannotAppend(_) => ResponseCode::ErrorInvalidPropertyAppend,
            StoreError::FolderExists(_) => ResponseCode::ErrorFolderExists,
            StoreError::ConfigurationNotFound(_) => ResponseCode::ErrorItemNotFound,
            StoreError::OccurrenceNotAllowed => {
                ResponseCode::ErrorCalendarCannotMoveOrCopyOccurrence
            }
            StoreError::NotRecurring => ResponseCode::ErrorCalendarCannotUseIdForOccurrenceId,
            StoreError::OccurrenceOutOfRange(_) => {
                ResponseCode::ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange
            }
            StoreError::OccurrenceDeleted(_) => {
                ResponseCode::ErrorCalendarOccurrenceIsDeletedFromRecurrence
            }
        }
    }
}

impl From<PropertyError> for StoreError {
    fn from(error: PropertyError) -> Self {
        match error {
            PropertyError::NotOnThisKind(p) => StoreError::InvalidProperty(p),
            PropertyError::NoValue(p) => StoreError::MissingValue(p),
            PropertyError::CannotAppend(p) => StoreError::CannotAppend(p),
        }
    }
}
