//! Tasks (`TaskType`).

use jiff::Timestamp;

use crate::recurrence::Recurrence;
use crate::xml::{open_enum, xml_sequence};

use super::ItemFields;

open_enum! {
    /// A task's status.
    pub enum TaskStatus {
        /// Not started.
        NotStarted = "NotStarted",
        /// In progress.
        InProgress = "InProgress",
        /// Completed.
        Completed = "Completed",
        /// Waiting on others.
        WaitingOnOthers = "WaitingOnOthers",
        /// Deferred.
        Deferred = "Deferred",
    }
}

open_enum! {
    /// A task's delegation state.
    pub enum TaskDelegationState {
        /// Not delegated.
        NoMatch = "NoMatch",
        /// Owned by the mailbox.
        OwnNew = "OwnNew",
        /// Owned.
        Owned = "Owned",
        /// Accepted by the delegate.
        Accepted = "Accepted",
        /// Declined by the delegate.
        Declined = "Declined",
        /// Max.
        Max = "Max",
    }
}

xml_sequence! {
    element
    /// A task: the item fields plus dates, status and progress.
    pub struct Task in Types "t:" {
        ..item: ItemFields;
        /// Actual work in minutes.
        opt actual_work: i32 = "ActualWork";
        /// When it was assigned.
        opt assigned_time: Timestamp = "AssignedTime";
        /// Billing information.
        opt billing_information: String = "BillingInformation";
        /// How often it changed.
        opt change_count: i32 = "ChangeCount";
        /// Companies.
        list companies: String = "Companies" / "String";
        /// When it was completed.
        opt complete_date: Timestamp = "CompleteDate";
        /// Contacts.
        list contacts: String = "Contacts" / "String";
        /// Delegation state.
        opt delegation_state: TaskDelegationState = "DelegationState";
        /// Who delegated it.
        opt delegator: String = "Delegator";
        /// Due date.
        opt due_date: Timestamp = "DueDate";
        /// Whether the assignment can be edited.
        opt is_assignment_editable: i32 = "IsAssignmentEditable";
        /// Whether it is complete.
        opt is_complete: bool = "IsComplete";
        /// Whether it recurs.
        opt is_recurring: bool = "IsRecurring";
        /// Whether it is a team task.
        opt is_team_task: bool = "IsTeamTask";
        /// Mileage.
        opt mileage: String = "Mileage";
        /// Owner.
        opt owner: String = "Owner";
        /// Percent complete (0 to 100).
        opt percent_complete: f64 = "PercentComplete";
        /// The series (tasks may also use the regeneration patterns).
        opt recurrence: Recurrence = "Recurrence";
        /// Start date.
        opt start_date: Timestamp = "StartDate";
        /// Status.
        opt status: TaskStatus = "Status";
        /// Status description.
        opt status_description: String = "StatusDescription";
        /// Total work in minutes.
        opt total_work: i32 = "TotalWork";
    }
}
