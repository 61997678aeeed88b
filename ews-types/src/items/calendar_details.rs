//! The smaller structures of calendar items and meeting requests: e-mail reminders, rich locations,
//! online-meeting settings, activity data and change highlights.

use jiff::Timestamp;

use crate::xml::{open_enum, xml_sequence};

open_enum! {
    /// How an occurrence changes an e-mail reminder of its series (`EmailReminderChangeType`).
    pub enum EmailReminderChange {
        /// No change.
        None = "None",
        /// Added for this occurrence.
        Added = "Added",
        /// Overridden for this occurrence.
        Override = "Override",
        /// Deleted for this occurrence.
        Deleted = "Deleted",
    }
}

open_enum! {
    /// Who an e-mail reminder goes to (`EmailReminderSendOption`).
    pub enum EmailReminderSendOption {
        /// Not set.
        NotSet = "NotSet",
        /// The user.
        User = "User",
        /// All attendees.
        AllAttendees = "AllAttendees",
        /// Staff.
        Staff = "Staff",
        /// Customers.
        Customer = "Customer",
    }
}

xml_sequence! {
    element
    /// An e-mail reminder of a meeting (`InboxReminderType`).
    pub struct InboxReminder in Types "t:" {
        /// The reminder's GUID.
        opt id: String = "Id";
        /// Minutes before the start.
        opt reminder_offset: i32 = "ReminderOffset";
        /// The message.
        opt message: String = "Message";
        /// Whether the organizer set it.
        opt is_organizer_reminder: bool = "IsOrganizerReminder";
        /// How an occurrence changes it.
        opt occurrence_change: EmailReminderChange = "OccurrenceChange";
        /// Who it goes to.
        opt send_option: EmailReminderSendOption = "SendOption";
    }
}

open_enum! {
    /// Where a location came from (`LocationSourceType`).
    pub enum LocationSource {
        /// Typed in.
        None = "None",
        /// A location service.
        LocationServices = "LocationServices",
        /// A phone book service.
        PhonebookServices = "PhonebookServices",
        /// The device.
        Device = "Device",
        /// A contact.
        Contact = "Contact",
        /// A room or equipment mailbox.
        Resource = "Resource",
    }
}

xml_sequence! {
    element
    /// A postal address with coordinates (`PersonaPostalAddressType`).
    pub struct PersonaPostalAddress in Types "t:" {
        /// Street.
        opt street: String = "Street";
        /// City.
        opt city: String = "City";
        /// State.
        opt state: String = "State";
        /// Country.
        opt country: String = "Country";
        /// Postal code.
        opt postal_code: String = "PostalCode";
        /// Post office box.
        opt post_office_box: String = "PostOfficeBox";
        /// The kind of address.
        opt address_type: String = "Type";
        /// Latitude.
        opt latitude: f64 = "Latitude";
        /// Longitude.
        opt longitude: f64 = "Longitude";
        /// Accuracy of the coordinates.
        opt accuracy: f64 = "Accuracy";
        /// Altitude.
        opt altitude: f64 = "Altitude";
        /// Accuracy of the altitude.
        opt altitude_accuracy: f64 = "AltitudeAccuracy";
        /// The address on one line.
        opt formatted_address: String = "FormattedAddress";
        /// A URI for the location.
        opt location_uri: String = "LocationUri";
        /// Where the location came from.
        opt location_source: LocationSource = "LocationSource";
    }
}

xml_sequence! {
    element
    /// A meeting place with a display name and an address (`EnhancedLocationType`, Exchange 2016 and
    /// later).
    pub struct EnhancedLocation in Types "t:" {
        /// The name shown (required by the schema).
        opt display_name: String = "DisplayName";
        /// A note.
        opt annotation: String = "Annotation";
        /// The address.
        opt postal_address: PersonaPostalAddress = "PostalAddress";
    }
}

open_enum! {
    /// Who bypasses an online meeting's lobby (`LobbyBypassType`).
    pub enum LobbyBypass {
        /// Nobody.
        Disabled = "Disabled",
        /// Callers from the phone gateway.
        EnabledForGatewayParticipants = "EnabledForGatewayParticipants",
    }
}

open_enum! {
    /// Who may join an online meeting (`OnlineMeetingAccessLevelType`).
    pub enum OnlineMeetingAccessLevel {
        /// Nobody else.
        Locked = "Locked",
        /// Invitees.
        Invited = "Invited",
        /// People in the organization.
        Internal = "Internal",
        /// Everyone.
        Everyone = "Everyone",
    }
}

open_enum! {
    /// Who presents in an online meeting (`PresentersType`).
    pub enum Presenters {
        /// Only the organizer.
        Disabled = "Disabled",
        /// People in the organization.
        Internal = "Internal",
        /// Everyone.
        Everyone = "Everyone",
    }
}

xml_sequence! {
    element
    /// Skype for Business meeting settings (`OnlineMeetingSettingsType`); all three are required by the
    /// schema when the element is sent.
    pub struct OnlineMeetingSettings in Types "t:" {
        /// Lobby bypass.
        opt lobby_bypass: LobbyBypass = "LobbyBypass";
        /// Who may join.
        opt access_level: OnlineMeetingAccessLevel = "AccessLevel";
        /// Who presents.
        opt presenters: Presenters = "Presenters";
    }
}

xml_sequence! {
    element
    /// Client telemetry attached to a calendar write (`CalendarActivityDataType`).
    pub struct CalendarActivityData in Types "t:" {
        /// The action.
        opt activity_action: String = "ActivityAction";
        /// The client.
        opt client_id: String = "ClientId";
        /// The request's GUID.
        opt cas_request_id: String = "CasRequestId";
        /// The selected index.
        opt index_selected: i32 = "IndexSelected";
    }
}

xml_sequence! {
    element
    /// What an updated meeting request changed (`ChangeHighlightsType`).
    pub struct ChangeHighlights in Types "t:" {
        /// Whether the location changed.
        opt has_location_changed: bool = "HasLocationChanged";
        /// The new location.
        opt location: String = "Location";
        /// Whether the start changed.
        opt has_start_time_changed: bool = "HasStartTimeChanged";
        /// The new start.
        opt start: Timestamp = "Start";
        /// Whether the end changed.
        opt has_end_time_changed: bool = "HasEndTimeChanged";
        /// The new end.
        opt end: Timestamp = "End";
    }
}
