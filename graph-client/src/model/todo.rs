//! [`TodoTaskList`] and [`TodoTask`]: Microsoft To Do.

use super::{DateTimeTimeZone, Importance, ItemBody, PatternedRecurrence};

open_enum! {
    /// Which built-in list a task list is.
    pub enum WellknownListName {
        /// A list the user made.
        None = "none",
        /// The default "Tasks" list.
        DefaultList = "defaultList",
        /// Flagged emails.
        FlaggedEmails = "flaggedEmails",
        /// Graph's evolvable-enum sentinel.
        UnknownFutureValue = "unknownFutureValue",
    }
}

open_enum! {
    /// Progress of a task.
    pub enum TaskStatus {
        /// Not started.
        NotStarted = "notStarted",
        /// In progress.
        InProgress = "inProgress",
        /// Completed.
        Completed = "completed",
        /// Waiting on others.
        WaitingOnOthers = "waitingOnOthers",
        /// Deferred.
        Deferred = "deferred",
    }
}

graph_object! {
    entity
    /// A To Do task list ([todoTaskList resource](https://learn.microsoft.com/graph/api/resources/todotasklist)).
    pub struct TodoTaskList {
        /// Name.
        display_name: String,
        /// Whether the user owns it.
        is_owner: bool,
        /// Whether it is shared.
        is_shared: bool,
        /// Built-in list kind.
        wellknown_list_name: WellknownListName,
    }
}

graph_object! {
    entity
    /// A To Do task ([todoTask resource](https://learn.microsoft.com/graph/api/resources/todotask)). Its id
    /// **changes when the task moves to another list**; immutable ids are not offered for tasks.
    pub struct TodoTask {
        /// Title.
        title: String,
        /// Progress.
        status: TaskStatus,
        /// Importance.
        importance: Importance,
        /// The body.
        body: ItemBody,
        /// Category names (present in newer API versions).
        categories: Vec<String>,
        /// Reminder set.
        is_reminder_on: bool,
        /// When the reminder fires.
        reminder_date_time: DateTimeTimeZone,
        /// Due.
        due_date_time: DateTimeTimeZone,
        /// Start.
        start_date_time: DateTimeTimeZone,
        /// Completed.
        completed_date_time: DateTimeTimeZone,
        /// Recurrence.
        recurrence: PatternedRecurrence,
        /// Created, UTC ISO 8601.
        created_date_time: String,
        /// Last modified, UTC ISO 8601.
        last_modified_date_time: String,
        /// Body last modified, UTC ISO 8601.
        body_last_modified_date_time: String,
        /// Whether it has attachments.
        has_attachments: bool,
        /// Links to the item the task came from (kept as Graph sends them).
        linked_resources: Vec<serde_json::Value>,
    }
}
