//! Typed Graph resources. Each keeps the properties it does not model in `extra`, so nothing the server
//! sent is lost and a read-modify-write round trip writes unknown properties back.
//!
//! Resources (`entity` types: [`Message`], [`Event`], [`Contact`], [`TodoTaskList`], [`TodoTask`],
//! [`OutlookCategory`], [`MailFolder`], [`ContactFolder`]) use [`Field`](crate::Field) for every property,
//! so a partial delta payload never reads an absent property as null, and the same type is the create
//! and PATCH body. Values inside them ([`DateTimeTimeZone`], [`Attendee`], ...) use `Option`.

mod category;
mod common;
mod contact;
mod event;
mod folder;
mod mailbox_settings;
mod message;
mod schedule;
mod todo;

pub use category::{CategoryColor, OutlookCategory};
pub use common::{
    BodyType, DateTimeTimeZone, DayOfWeek, EmailAddress, Importance, ItemBody, Location,
    PatternedRecurrence, PhysicalAddress, Recipient, RecurrencePattern, RecurrencePatternType,
    RecurrenceRange, RecurrenceRangeType, SingleValueExtendedProperty,
};
pub use contact::Contact;
pub use event::{
    Attendee, AttendeeType, Event, EventType, FreeBusyStatus, OnlineMeetingInfo,
    OnlineMeetingProvider, ResponseStatus, ResponseType, Sensitivity,
};
pub use folder::{ContactFolder, MailFolder};
pub use mailbox_settings::{
    AutomaticRepliesSetting, AutomaticRepliesStatus, ExternalAudience, LocaleInfo, MailboxSettings,
    TimeZoneBase, WorkingHours,
};
pub use message::{InferenceClassification, Message};
pub use schedule::{
    Availability, FreeBusyError, ScheduleInformation, ScheduleItem, parse_availability_view,
};
pub use todo::{TaskStatus, TodoTask, TodoTaskList, WellknownListName};

/// A Graph resource type that has its own typed model.
pub trait Resource: serde::Serialize + serde::de::DeserializeOwned {
    /// The resource kind as Graph names it (`message`, `event`, `todoTask`, ...).
    const KIND: &'static str;
    /// The resource's id, when it has one.
    fn id(&self) -> Option<&str>;
    /// Checks that `self` may be sent as a PATCH body (e.g. a category's name cannot change).
    fn check_patch(&self) -> Result<(), String> {
        Ok(())
    }
}

/// A resource addressable directly under the mailbox root by its id (`/me/messages/{id}`).
pub trait TopLevelResource: Resource {
    /// Path segments of the collection below the mailbox root, e.g. `["outlook", "masterCategories"]`.
    const COLLECTION: &'static [&'static str];
}

macro_rules! impl_resource {
    ($($ty:ty => $kind:literal $(, [$($segment:literal),+])?;)+) => {
        $(
            impl Resource for $ty {
                const KIND: &'static str = $kind;
                fn id(&self) -> Option<&str> {
                    self.id.as_deref()
                }
            }
            $(impl TopLevelResource for $ty {
                const COLLECTION: &'static [&'static str] = &[$($segment),+];
            })?
        )+
    };
}

impl_resource! {
    Message => "message", ["messages"];
    Event => "event", ["events"];
    Contact => "contact", ["contacts"];
    MailFolder => "mailFolder", ["mailFolders"];
    ContactFolder => "contactFolder", ["contactFolders"];
    TodoTaskList => "todoTaskList", ["todo", "lists"];
    TodoTask => "todoTask";
}

impl Resource for OutlookCategory {
    const KIND: &'static str = "outlookCategory";
    fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    fn check_patch(&self) -> Result<(), String> {
        if self.display_name.is_absent() {
            Ok(())
        } else {
            Err("a category's displayName cannot change after creation; only its color can".into())
        }
    }
}

impl TopLevelResource for OutlookCategory {
    const COLLECTION: &'static [&'static str] = &["outlook", "masterCategories"];
}
