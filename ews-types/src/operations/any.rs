//! A response of any supported operation, chosen by the element in the SOAP Body.
//!
//! Supporting a new operation takes one line in the `any_response!` list at the bottom of this file.

use crate::error::{Error, Result};
use crate::response::ResponseClass;
use crate::soap::{
    ResponseEnvelope, ServerVersionInfo, body_element_name, parse_response, response_envelope,
};

use super::*;

/// What a response holds, in numbers: what `parse_response` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseSummary {
    /// The operation, such as `GetItem`.
    pub operation: &'static str,
    /// The class of each response message, in order.
    pub classes: Vec<ResponseClass>,
    /// The items the response holds (a sync change counts its item).
    pub items: usize,
    /// The folders the response holds (a sync change counts its folder).
    pub folders: usize,
}

fn parse_as<R: OperationResponse>(
    bytes: &[u8],
    wrap: fn(R) -> AnyResponse,
) -> Result<(Option<ServerVersionInfo>, AnyResponse)> {
    let ResponseEnvelope {
        server_version,
        body,
    } = parse_response::<R>(bytes)?;
    Ok((server_version, wrap(body)))
}

fn summarize<R: OperationResponse>(operation: &'static str, response: &R) -> ResponseSummary {
    ResponseSummary {
        operation,
        classes: response.classes(),
        items: response.item_count(),
        folders: response.folder_count(),
    }
}

/// Declares [`AnyResponse`] from one `Operation(ResponseType)` line per supported operation.
macro_rules! any_response {
    ($($operation:ident($response:ty)),+ $(,)?) => {
        /// A parsed response of any operation this crate supports.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum AnyResponse {
            $(
                #[doc = concat!("The response of ", stringify!($operation), ".")]
                $operation($response),
            )+
        }

        impl AnyResponse {
            /// The response element names this type understands.
            pub const SUPPORTED: &'static [&'static str] =
                &[$(<$response as OperationResponse>::NAME),+];

            /// Parses a response envelope of any supported operation. A SOAP fault is
            /// [`Error::SoapFault`]; an operation this crate does not support is
            /// [`Error::UnexpectedElement`].
            pub fn parse(bytes: &[u8]) -> Result<(Option<ServerVersionInfo>, AnyResponse)> {
                let name = body_element_name(bytes)?;
                $(
                    if name == <$response as OperationResponse>::NAME {
                        return parse_as(bytes, AnyResponse::$operation);
                    }
                )+
                Err(Error::UnexpectedElement {
                    found: name,
                    namespace: Some(crate::xml::MESSAGES_NS.to_owned()),
                    expected: "the response of a supported operation".to_owned(),
                })
            }

            /// The response as a SOAP envelope (for servers, test doubles and round-trip checks).
            pub fn to_envelope(&self, server_version: Option<&ServerVersionInfo>) -> Vec<u8> {
                match self {
                    $(AnyResponse::$operation(r) => response_envelope(server_version, r),)+
                }
            }

            /// The operation, the classes of its messages and the items and folders it holds.
            pub fn summary(&self) -> ResponseSummary {
                match self {
                    $(AnyResponse::$operation(r) => summarize(stringify!($operation), r),)+
                }
            }
        }
    };
}

any_response! {
    GetFolder(GetFolderResponse),
    FindFolder(FindFolderResponse),
    SyncFolderHierarchy(SyncFolderHierarchyResponse),
    SyncFolderItems(SyncFolderItemsResponse),
    FindItem(FindItemResponse),
    GetItem(GetItemResponse),
    CreateItem(CreateItemResponse),
    UpdateItem(UpdateItemResponse),
    DeleteItem(DeleteItemResponse),
    MoveItem(MoveItemResponse),
    CopyItem(CopyItemResponse),
    SendItem(SendItemResponse),
    CreateFolder(CreateFolderResponse),
    GetUserConfiguration(GetUserConfigurationResponse),
    UpdateUserConfiguration(UpdateUserConfigurationResponse),
}
