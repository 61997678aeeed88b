//! A response of any supported operation, chosen by the element in the SOAP Body.

use crate::error::{Error, Result};
use crate::response::{ResponseBody, ResponseClass, ResponseMessages};
use crate::soap::{
    ResponseEnvelope, ServerVersionInfo, body_element_name, parse_response, response_envelope,
};

use super::*;

/// A parsed response of any operation this crate supports.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AnyResponse {
    /// GetFolder.
    GetFolder(GetFolderResponse),
    /// FindFolder.
    FindFolder(FindFolderResponse),
    /// SyncFolderHierarchy.
    SyncFolderHierarchy(SyncFolderHierarchyResponse),
    /// SyncFolderItems.
    SyncFolderItems(SyncFolderItemsResponse),
    /// FindItem.
    FindItem(FindItemResponse),
    /// GetItem.
    GetItem(GetItemResponse),
    /// CreateItem.
    CreateItem(CreateItemResponse),
    /// UpdateItem.
    UpdateItem(UpdateItemResponse),
    /// DeleteItem.
    DeleteItem(DeleteItemResponse),
    /// MoveItem.
    MoveItem(MoveItemResponse),
    /// CopyItem.
    CopyItem(CopyItemResponse),
    /// SendItem.
    SendItem(SendItemResponse),
    /// CreateFolder.
    CreateFolder(CreateFolderResponse),
    /// GetUserConfiguration.
    GetUserConfiguration(GetUserConfigurationResponse),
    /// UpdateUserConfiguration.
    UpdateUserConfiguration(UpdateUserConfigurationResponse),
}

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

fn classes<B>(response: &ResponseMessages<B>) -> Vec<ResponseClass> {
    response.messages.iter().map(|m| m.class()).collect()
}

fn count<B>(response: &ResponseMessages<B>, per_message: impl Fn(&B) -> usize) -> usize {
    response.messages.iter().map(|m| per_message(&m.body)).sum()
}

fn parse_as<B: ResponseBody>(
    bytes: &[u8],
    wrap: fn(ResponseMessages<B>) -> AnyResponse,
) -> Result<(Option<ServerVersionInfo>, AnyResponse)> {
    let ResponseEnvelope {
        server_version,
        body,
    } = parse_response::<ResponseMessages<B>>(bytes)?;
    Ok((server_version, wrap(body)))
}

impl AnyResponse {
    /// The response element names this type understands.
    pub const SUPPORTED: [&'static str; 15] = [
        "GetFolderResponse",
        "FindFolderResponse",
        "SyncFolderHierarchyResponse",
        "SyncFolderItemsResponse",
        "FindItemResponse",
        "GetItemResponse",
        "CreateItemResponse",
        "UpdateItemResponse",
        "DeleteItemResponse",
        "MoveItemResponse",
        "CopyItemResponse",
        "SendItemResponse",
        "CreateFolderResponse",
        "GetUserConfigurationResponse",
        "UpdateUserConfigurationResponse",
    ];

    /// Parses a response envelope of any supported operation. A SOAP fault is [`Error::SoapFault`]; an
    /// operation this crate does not support is [`Error::UnexpectedElement`].
    pub fn parse(bytes: &[u8]) -> Result<(Option<ServerVersionInfo>, AnyResponse)> {
        let name = body_element_name(bytes)?;
        match name.as_str() {
            "GetFolderResponse" => parse_as(bytes, AnyResponse::GetFolder),
            "FindFolderResponse" => parse_as(bytes, AnyResponse::FindFolder),
            "SyncFolderHierarchyResponse" => parse_as(bytes, AnyResponse::SyncFolderHierarchy),
            "SyncFolderItemsResponse" => parse_as(bytes, AnyResponse::SyncFolderItems),
            "FindItemResponse" => parse_as(bytes, AnyResponse::FindItem),
            "GetItemResponse" => parse_as(bytes, AnyResponse::GetItem),
            "CreateItemResponse" => parse_as(bytes, AnyResponse::CreateItem),
            "UpdateItemResponse" => parse_as(bytes, AnyResponse::UpdateItem),
            "DeleteItemResponse" => parse_as(bytes, AnyResponse::DeleteItem),
            "MoveItemResponse" => parse_as(bytes, AnyResponse::MoveItem),
            "CopyItemResponse" => parse_as(bytes, AnyResponse::CopyItem),
            "SendItemResponse" => parse_as(bytes, AnyResponse::SendItem),
            "CreateFolderResponse" => parse_as(bytes, AnyResponse::CreateFolder),
            "GetUserConfigurationResponse" => parse_as(bytes, AnyResponse::GetUserConfiguration),
            "UpdateUserConfigurationResponse" => {
                parse_as(bytes, AnyResponse::UpdateUserConfiguration)
            }
            other => Err(Error::UnexpectedElement {
                found: other.to_owned(),
                namespace: Some(crate::xml::MESSAGES_NS.to_owned()),
                expected: "the response of a supported operation".to_owned(),
            }),
        }
    }

    /// The response as a SOAP envelope (for servers, test doubles and round-trip checks).
    pub fn to_envelope(&self, server_version: Option<&ServerVersionInfo>) -> Vec<u8> {
        match self {
            AnyResponse::GetFolder(r) => response_envelope(server_version, r),
            AnyResponse::FindFolder(r) => response_envelope(server_version, r),
            AnyResponse::SyncFolderHierarchy(r) => response_envelope(server_version, r),
            AnyResponse::SyncFolderItems(r) => response_envelope(server_version, r),
            AnyResponse::FindItem(r) => response_envelope(server_version, r),
            AnyResponse::GetItem(r) => response_envelope(server_version, r),
            AnyResponse::CreateItem(r) => response_envelope(server_version, r),
            AnyResponse::UpdateItem(r) => response_envelope(server_version, r),
            AnyResponse::DeleteItem(r) => response_envelope(server_version, r),
            AnyResponse::MoveItem(r) => response_envelope(server_version, r),
            AnyResponse::CopyItem(r) => response_envelope(server_version, r),
            AnyResponse::SendItem(r) => response_envelope(server_version, r),
            AnyResponse::CreateFolder(r) => response_envelope(server_version, r),
            AnyResponse::GetUserConfiguration(r) => response_envelope(server_version, r),
            AnyResponse::UpdateUserConfiguration(r) => response_envelope(server_version, r),
        }
    }

    /// The operation, the classes of its messages and the items and folders it holds.
    pub fn summary(&self) -> ResponseSummary {
        let items_of = |items: &Option<Vec<crate::items::Item>>| items.as_ref().map_or(0, Vec::len);
        let folders_of =
            |folders: &Option<Vec<crate::folders::Folder>>| folders.as_ref().map_or(0, Vec::len);
        let (operation, classes, items, folders) = match self {
            AnyResponse::GetFolder(r) => (
                "GetFolder",
                classes(r),
                0,
                count(r, |b| folders_of(&b.folders)),
            ),
            AnyResponse::FindFolder(r) => (
                "FindFolder",
                classes(r),
                0,
                count(r, |b| b.root_folder.as_ref().map_or(0, |f| f.folders.len())),
            ),
            AnyResponse::SyncFolderHierarchy(r) => (
                "SyncFolderHierarchy",
                classes(r),
                0,
                count(r, |b| b.changes.as_ref().map_or(0, Vec::len)),
            ),
            AnyResponse::SyncFolderItems(r) => (
                "SyncFolderItems",
                classes(r),
                count(r, |b| b.changes.as_ref().map_or(0, Vec::len)),
                0,
            ),
            AnyResponse::FindItem(r) => (
                "FindItem",
                classes(r),
                count(r, |b| b.root_folder.as_ref().map_or(0, |f| f.items.len())),
                0,
            ),
            AnyResponse::GetItem(r) => ("GetItem", classes(r), count(r, |b| items_of(&b.items)), 0),
            AnyResponse::CreateItem(r) => (
                "CreateItem",
                classes(r),
                count(r, |b| items_of(&b.items)),
                0,
            ),
            AnyResponse::UpdateItem(r) => (
                "UpdateItem",
                classes(r),
                count(r, |b| items_of(&b.items)),
                0,
            ),
            AnyResponse::DeleteItem(r) => ("DeleteItem", classes(r), 0, 0),
            AnyResponse::MoveItem(r) => {
                ("MoveItem", classes(r), count(r, |b| items_of(&b.items)), 0)
            }
            AnyResponse::CopyItem(r) => {
                ("CopyItem", classes(r), count(r, |b| items_of(&b.items)), 0)
            }
            AnyResponse::SendItem(r) => ("SendItem", classes(r), 0, 0),
            AnyResponse::CreateFolder(r) => (
                "CreateFolder",
                classes(r),
                0,
                count(r, |b| folders_of(&b.folders)),
            ),
            AnyResponse::GetUserConfiguration(r) => ("GetUserConfiguration", classes(r), 0, 0),
            AnyResponse::UpdateUserConfiguration(r) => {
                ("UpdateUserConfiguration", classes(r), 0, 0)
            }
        };
        ResponseSummary {
            operation,
            classes,
            items,
            folders,
        }
    }
}
