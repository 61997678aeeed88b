//! A request or response of any supported operation, chosen by the element in the SOAP Body.
//!
//! Supporting a new operation takes one line in the `any_operation!` list at the bottom of this file:
//! the request type must carry the operation's name and implement [`Operation`].

use crate::error::{Error, Result};
use crate::response::ResponseClass;
use crate::soap::{
    RequestHeader, ResponseEnvelope, ServerVersionInfo, body_element_name, parse_request,
    parse_response, request_envelope, response_envelope,
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

fn parse_request_as<O: Operation>(
    bytes: &[u8],
    wrap: fn(O) -> AnyRequest,
) -> Result<(RequestHeader, AnyRequest)> {
    let (header, operation) = parse_request::<O>(bytes)?;
    Ok((header, wrap(operation)))
}

fn unsupported(found: String, expected: &str) -> Error {
    Error::UnexpectedElement {
        found,
        namespace: Some(crate::xml::MESSAGES_NS.to_owned()),
        expected: expected.to_owned(),
    }
}

/// Declares [`AnyRequest`] and [`AnyResponse`] from the names of the supported operations.
macro_rules! any_operation {
    ($($operation:ident),+ $(,)?) => {
        /// A parsed request of any operation this crate supports: what a server (or a test double)
        /// receives.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum AnyRequest {
            $(
                #[doc = concat!("A ", stringify!($operation), " request.")]
                $operation($operation),
            )+
        }

        impl AnyRequest {
            /// The operation element names this type understands.
            pub const SUPPORTED: &'static [&'static str] = &[$(<$operation as Operation>::NAME),+];

            /// Parses a request envelope of any supported operation, with its SOAP header. An
            /// operation this crate does not support is [`Error::UnexpectedElement`].
            pub fn parse(bytes: &[u8]) -> Result<(RequestHeader, AnyRequest)> {
                let name = body_element_name(bytes)?;
                $(
                    if name == <$operation as Operation>::NAME {
                        return parse_request_as(bytes, AnyRequest::$operation);
                    }
                )+
                Err(unsupported(name, "a supported operation"))
            }

            /// The operation's name, such as `GetItem`.
            pub fn name(&self) -> &'static str {
                match self {
                    $(AnyRequest::$operation(_) => <$operation as Operation>::NAME,)+
                }
            }

            /// Checks the rules the schema cannot express (see [`Operation::validate`]).
            pub fn validate(&self) -> Result<()> {
                match self {
                    $(AnyRequest::$operation(o) => o.validate(),)+
                }
            }

            /// The request element alone, with its namespace declarations (see
            /// [`request_body`](crate::soap::request_body)).
            pub fn to_body(&self) -> Vec<u8> {
                match self {
                    $(AnyRequest::$operation(o) => crate::soap::request_body(o),)+
                }
            }

            /// The request as a SOAP envelope with `header`.
            pub fn to_envelope(&self, header: &RequestHeader) -> Vec<u8> {
                match self {
                    $(AnyRequest::$operation(o) => request_envelope(header, o),)+
                }
            }
        }

        /// A parsed response of any operation this crate supports.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum AnyResponse {
            $(
                #[doc = concat!("The response of ", stringify!($operation), ".")]
                $operation(<$operation as Operation>::Response),
            )+
        }

        impl AnyResponse {
            /// The response element names this type understands.
            pub const SUPPORTED: &'static [&'static str] =
                &[$(<<$operation as Operation>::Response as OperationResponse>::NAME),+];

            /// Parses a response envelope of any supported operation. A SOAP fault is
            /// [`Error::SoapFault`]; an operation this crate does not support is
            /// [`Error::UnexpectedElement`].
            pub fn parse(bytes: &[u8]) -> Result<(Option<ServerVersionInfo>, AnyResponse)> {
                let name = body_element_name(bytes)?;
                $(
                    if name == <<$operation as Operation>::Response as OperationResponse>::NAME {
                        return parse_as(bytes, AnyResponse::$operation);
                    }
                )+
                Err(unsupported(name, "the response of a supported operation"))
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

any_operation! {
    GetFolder,
    FindFolder,
    SyncFolderHierarchy,
    SyncFolderItems,
    FindItem,
    GetItem,
    CreateItem,
    UpdateItem,
    DeleteItem,
    MoveItem,
    CopyItem,
    SendItem,
    CreateFolder,
    GetUserConfiguration,
    UpdateUserConfiguration,
    ResolveNames,
    GetUserAvailability,
    ExpandDL,
    ConvertId,
    GetUserOofSettings,
    SetUserOofSettings,
    Subscribe,
    GetEvents,
    GetStreamingEvents,
    Unsubscribe,
    GetServerTimeZones,
}
