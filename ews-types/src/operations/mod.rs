//! EWS operations, one module each. Every request type implements [`Operation`], which ties it to its
//! response type; [`AnyResponse`] parses a response of any supported operation.

mod any;
mod convert_id;
mod copy_item;
mod create_folder;
mod create_item;
mod delete_item;
mod dispositions;
mod expand_dl;
mod find_folder;
mod find_item;
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
mod notification_event;
mod paging;
mod resolve_names;
mod send_item;
mod set_user_oof_settings;
mod single_message;
mod subscribe;
mod sync_folder_hierarchy;
mod sync_folder_items;
mod unsubscribe;
mod update_item;
mod update_user_configuration;
mod user_configuration;

pub use any::{AnyRequest, AnyResponse, ResponseSummary};
pub use convert_id::{AlternateId, ConvertId, ConvertIdMessage, ConvertIdResponse, IdFormat};
pub use copy_item::{CopyItem, CopyItemMessage, CopyItemResponse};
pub use create_folder::{CreateFolder, CreateFolderMessage, CreateFolderResponse};
pub use create_item::{CreateItem, CreateItemMessage, CreateItemResponse};
pub use delete_item::{DeleteItem, DeleteItemMessage, DeleteItemResponse};
pub use dispositions::{
    AffectedTaskOccurrences, ConflictResolution, DeleteType, MessageDisposition,
    SendMeetingNotices, SendMeetingUpdates,
};
pub use expand_dl::{DLExpansion, ExpandDL, ExpandDLMessage, ExpandDLResponse};
pub use find_folder::{
    FindFolder, FindFolderMessage, FindFolderResponse, FindFolderRootFolder, FolderView,
};
pub use find_item::{FindItem, FindItemMessage, FindItemResponse, FindItemRootFolder};
pub use get_events::{GetEvents, GetEventsMessage, GetEventsResponse};
pub use get_folder::{GetFolder, GetFolderMessage, GetFolderResponse};
pub use get_item::{GetItem, GetItemMessage, GetItemResponse};
pub use get_server_time_zones::{
    GetServerTimeZones, GetServerTimeZonesMessage, GetServerTimeZonesResponse,
};
pub use get_streaming_events::{
    ConnectionStatus, GetStreamingEvents, GetStreamingEventsMessage, GetStreamingEventsResponse,
    MAX_CONNECTION_MINUTES,
};
pub use get_user_availability::{
    AttendeeAvailability, AttendeeSchedule, DEFAULT_MERGED_INTERVAL_MINUTES, FreeBusyResponse,
    GetUserAvailability, GetUserAvailabilityResponse, MAX_AVAILABILITY_MAILBOXES,
    SuggestionsResponse,
};
pub use get_user_configuration::{
    GetUserConfiguration, GetUserConfigurationMessage, GetUserConfigurationResponse,
    UserConfigurationProperties,
};
pub use get_user_oof_settings::{GetUserOofSettings, GetUserOofSettingsResponse};
pub use move_item::{MoveItem, MoveItemMessage, MoveItemResponse};
pub use notification::{
    ChangedObject, EventFields, EventType, ModifiedEvent, MoveEvent, Notification,
    NotificationEvent, ObjectEvent, StatusEvent, SubscriptionId, Watermark,
};
pub use paging::{CalendarView, ContactsView, ItemView, PagingInfo, Traversal};
pub use resolve_names::{
    Resolution, ResolutionSet, ResolveNames, ResolveNamesMessage, ResolveNamesResponse,
    ResolveNamesSearchScope,
};
pub use send_item::{SendItem, SendItemMessage, SendItemResponse};
pub use set_user_oof_settings::{SetUserOofSettings, SetUserOofSettingsResponse};
pub use single_message::{NoContent, SingleResponseMessage};
pub use subscribe::{
    FolderScope, MAX_SUBSCRIPTION_MINUTES, PullSubscriptionRequest, PushSubscriptionRequest,
    StreamingSubscriptionRequest, Subscribe, SubscribeMessage, SubscribeResponse,
};
pub use sync_folder_hierarchy::{
    FolderChange, SyncFolderHierarchy, SyncFolderHierarchyMessage, SyncFolderHierarchyResponse,
};
pub use sync_folder_items::{
    ItemChange, MAX_CHANGES_PER_SYNC, SyncFolderItems, SyncFolderItemsMessage,
    SyncFolderItemsResponse, SyncScope,
};
pub use unsubscribe::{Unsubscribe, UnsubscribeMessage, UnsubscribeResponse};
pub use update_item::{FieldUpdate, ItemUpdate, UpdateItem, UpdateItemMessage, UpdateItemResponse};
pub use update_user_configuration::{
    UpdateUserConfiguration, UpdateUserConfigurationMessage, UpdateUserConfigurationResponse,
};
pub use user_configuration::{
    DictionaryEntry, DictionaryObject, UserConfiguration, UserConfigurationContent,
    UserConfigurationName,
};

use crate::error::Result;
use crate::response::{ResponseBody, ResponseClass, ResponseMessages};
use crate::xml::XmlElement;

/// An EWS operation: a request element whose response type is fixed.
pub trait Operation: XmlElement {
    /// The operation element's name, such as `GetItem`.
    const NAME: &'static str;
    /// The response this operation returns.
    type Response: OperationResponse;

    /// Checks the rules the schema cannot express (for example `SendMeetingInvitations` on calendar
    /// items), so the request is refused here rather than by the server.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// The response of an operation.
pub trait OperationResponse: XmlElement {
    /// The response element's name, such as `GetItemResponse`.
    const NAME: &'static str;

    /// The class of each response message, in order (empty for responses without messages).
    fn classes(&self) -> Vec<ResponseClass>;

    /// How many items the response holds (a sync change counts its item).
    fn item_count(&self) -> usize {
        0
    }

    /// How many folders the response holds (a sync change counts its folder).
    fn folder_count(&self) -> usize {
        0
    }
}

impl<B: ResponseBody> OperationResponse for ResponseMessages<B> {
    const NAME: &'static str = B::RESPONSE;

    fn classes(&self) -> Vec<ResponseClass> {
        self.messages.iter().map(|m| m.class()).collect()
    }

    fn item_count(&self) -> usize {
        self.messages.iter().map(|m| m.body.item_count()).sum()
    }

    fn folder_count(&self) -> usize {
        self.messages.iter().map(|m| m.body.folder_count()).sum()
    }
}

/// Declares the body of a response message that carries nothing beyond the common header.
macro_rules! empty_body {
    ($name:ident, $message:literal, $response:literal) => {
        #[doc = concat!("The body of a `", $message, "`: nothing beyond the common header.")]
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name;

        impl $crate::xml::XmlSequence for $name {
            fn write_children(&self, _: &mut $crate::xml::XmlWriter) {}
            fn read_child<'a>(
                &mut self,
                _: &mut $crate::xml::XmlReader<'a>,
                _: &$crate::xml::Start<'a>,
            ) -> $crate::error::Result<bool> {
                Ok(false)
            }
        }

        impl $crate::response::ResponseBody for $name {
            const MESSAGE: &'static str = $message;
            const RESPONSE: &'static str = $response;
        }
    };
}
use empty_body;
