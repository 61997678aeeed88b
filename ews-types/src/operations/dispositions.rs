//! The attributes that decide what a write does beyond storing: send, invite, cancel, dispose.

use crate::xml::open_enum;

open_enum! {
    /// What to do with a message that is created or updated (`MessageDisposition`, required for
    /// messages).
    pub enum MessageDisposition {
        /// Save it (as a draft when created in Drafts).
        SaveOnly = "SaveOnly",
        /// Send it without keeping a copy (the response holds no item id).
        SendOnly = "SendOnly",
        /// Send it and keep a copy in Sent Items (the response holds no item id).
        SendAndSaveCopy = "SendAndSaveCopy",
    }
}

open_enum! {
    /// Whether creating or deleting a meeting notifies attendees (`SendMeetingInvitations`,
    /// `SendMeetingCancellations`; required for calendar items).
    pub enum SendMeetingNotices {
        /// Notify nobody.
        SendToNone = "SendToNone",
        /// Notify attendees, keep no copy.
        SendOnlyToAll = "SendOnlyToAll",
        /// Notify attendees and keep a copy in Sent Items.
        SendToAllAndSaveCopy = "SendToAllAndSaveCopy",
    }
}

open_enum! {
    /// Whether updating a meeting notifies attendees (`SendMeetingInvitationsOrCancellations`; required
    /// for calendar items).
    pub enum SendMeetingUpdates {
        /// Notify nobody.
        SendToNone = "SendToNone",
        /// Notify all attendees.
        SendOnlyToAll = "SendOnlyToAll",
        /// Notify only added or removed attendees.
        SendOnlyToChanged = "SendOnlyToChanged",
        /// Notify all and keep a copy.
        SendToAllAndSaveCopy = "SendToAllAndSaveCopy",
        /// Notify the changed ones and keep a copy.
        SendToChangedAndSaveCopy = "SendToChangedAndSaveCopy",
    }
}

open_enum! {
    /// How to resolve a conflicting update (`ConflictResolution`).
    pub enum ConflictResolution {
        /// Fail on a conflict (`ErrorIrresolvableConflict`): what a sync engine wants, with the last
        /// seen change key.
        NeverOverwrite = "NeverOverwrite",
        /// Merge silently (the server default).
        AutoResolve = "AutoResolve",
        /// Overwrite (a change key is still required).
        AlwaysOverwrite = "AlwaysOverwrite",
    }
}

open_enum! {
    /// How to delete (`DeleteType`).
    pub enum DeleteType {
        /// Permanently.
        HardDelete = "HardDelete",
        /// To the recoverable items.
        SoftDelete = "SoftDelete",
        /// To Deleted Items.
        MoveToDeletedItems = "MoveToDeletedItems",
    }
}

open_enum! {
    /// Which occurrences of a recurring task a delete affects (`AffectedTaskOccurrences`, required
    /// when deleting tasks).
    pub enum AffectedTaskOccurrences {
        /// The whole series.
        AllOccurrences = "AllOccurrences",
        /// Only the current occurrence.
        SpecifiedOccurrenceOnly = "SpecifiedOccurrenceOnly",
    }
}
