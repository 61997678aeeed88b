//! Values shared by several resources.

open_enum! {
    /// The format of an [`ItemBody`].
    pub enum BodyType {
        /// Plain text.
        Text = "text",
        /// HTML.
        Html = "html",
    }
}

open_enum! {
    /// Importance of a message, event or task.
    pub enum Importance {
        /// Low.
        Low = "low",
        /// Normal.
        Normal = "normal",
        /// High.
        High = "high",
    }
}

open_enum! {
    /// A day of the week.
    pub enum DayOfWeek {
        /// Sunday.
        Sunday = "sunday",
        /// Monday.
        Monday = "monday",
        /// Tuesday.
        Tuesday = "tuesday",
        /// Wednesday.
        Wednesday = "wednesday",
        /// Thursday.
        Thursday = "thursday",
        /// Friday.
        Friday = "friday",
        /// Saturday.
        Saturday = "saturday",
    }
}

graph_object! {
    complex
    /// A wall-clock time in a named time zone (`dateTimeTimeZone`). Graph returns UTC unless the request
    /// carried `Prefer: outlook.timezone`; `tzone://Microsoft/Custom` names a legacy custom zone.
    pub struct DateTimeTimeZone {
        /// The local date and time, e.g. `2017-04-21T10:00:00.0000000`.
        date_time: String,
        /// A Windows or IANA zone name, e.g. `Pacific Standard Time` or `UTC`.
        time_zone: String,
    }
}

impl DateTimeTimeZone {
    /// A time in the given zone.
    pub fn new(date_time: jiff::civil::DateTime, time_zone: impl Into<String>) -> Self {
        Self {
            date_time: Some(date_time.strftime("%Y-%m-%dT%H:%M:%S%.7f").to_string()),
            time_zone: Some(time_zone.into()),
            extra: Default::default(),
        }
    }

    /// A UTC time.
    pub fn utc(timestamp: jiff::Timestamp) -> Self {
        Self::new(
            timestamp.to_zoned(jiff::tz::TimeZone::UTC).datetime(),
            "UTC",
        )
    }

    /// The local date and time, parsed (Graph's seven fractional digits are accepted).
    pub fn civil(&self) -> Option<jiff::civil::DateTime> {
        self.date_time.as_deref()?.parse().ok()
    }
}

graph_object! {
    complex
    /// A name and SMTP address.
    pub struct EmailAddress {
        /// Display name.
        name: String,
        /// SMTP address.
        address: String,
    }
}

graph_object! {
    complex
    /// A recipient of a message or an event organizer.
    pub struct Recipient {
        /// Name and address.
        email_address: EmailAddress,
    }
}

impl Recipient {
    /// A recipient with only an address.
    pub fn address(address: impl Into<String>) -> Self {
        Self {
            email_address: Some(EmailAddress {
                address: Some(address.into()),
                ..Default::default()
            }),
            extra: Default::default(),
        }
    }
}

graph_object! {
    complex
    /// The body of a message, event or task.
    pub struct ItemBody {
        /// `text` or `html`.
        content_type: BodyType,
        /// The content.
        content: String,
    }
}

graph_object! {
    complex
    /// A MAPI property reached through `singleValueExtendedProperties`; `id` is e.g.
    /// `String {00020329-0000-0000-C000-000000000046} Name MyProp`.
    pub struct SingleValueExtendedProperty {
        /// The property id.
        id: String,
        /// The value as a string.
        value: String,
    }
}

graph_object! {
    complex
    /// A postal address.
    pub struct PhysicalAddress {
        /// Street.
        street: String,
        /// City.
        city: String,
        /// State or province.
        state: String,
        /// Country or region.
        country_or_region: String,
        /// Postal code.
        postal_code: String,
    }
}

graph_object! {
    complex
    /// Where an event takes place.
    pub struct Location {
        /// Display name.
        display_name: String,
        /// Kind of location (`default`, `conferenceRoom`, ...), kept as Graph sends it.
        location_type: String,
        /// A URI for the location.
        location_uri: String,
        /// An id for the location.
        unique_id: String,
        /// How `unique_id` was made (`private`, `directory`, ...).
        unique_id_type: String,
        /// Street address.
        address: PhysicalAddress,
    }
}

open_enum! {
    /// How often a recurrence repeats.
    pub enum RecurrencePatternType {
        /// Every `interval` days.
        Daily = "daily",
        /// On `days_of_week` every `interval` weeks.
        Weekly = "weekly",
        /// On `day_of_month` every `interval` months.
        AbsoluteMonthly = "absoluteMonthly",
        /// On the `index` `days_of_week` every `interval` months.
        RelativeMonthly = "relativeMonthly",
        /// On `day_of_month` of `month` every `interval` years.
        AbsoluteYearly = "absoluteYearly",
        /// On the `index` `days_of_week` of `month` every `interval` years.
        RelativeYearly = "relativeYearly",
    }
}

open_enum! {
    /// How a recurrence ends.
    pub enum RecurrenceRangeType {
        /// On `end_date`.
        EndDate = "endDate",
        /// Never.
        NoEnd = "noEnd",
        /// After `number_of_occurrences`.
        Numbered = "numbered",
    }
}

graph_object! {
    complex
    /// The repeat rule of a recurrence.
    pub struct RecurrencePattern {
        /// The kind of pattern.
        #[serde(rename = "type")]
        pattern_type: RecurrencePatternType,
        /// Units between occurrences.
        interval: i32,
        /// Month (1-12) for yearly patterns.
        month: i32,
        /// Day of the month for absolute patterns.
        day_of_month: i32,
        /// Days of the week.
        days_of_week: Vec<DayOfWeek>,
        /// First day of the week for weekly patterns.
        first_day_of_week: DayOfWeek,
        /// `first`, `second`, ..., `last` for relative patterns.
        index: String,
    }
}

graph_object! {
    complex
    /// The range over which a recurrence repeats.
    pub struct RecurrenceRange {
        /// The kind of range.
        #[serde(rename = "type")]
        range_type: RecurrenceRangeType,
        /// First date (`YYYY-MM-DD`).
        start_date: String,
        /// Last date for `endDate` ranges; Graph sends `0001-01-01` otherwise.
        end_date: String,
        /// The zone of the dates.
        recurrence_time_zone: String,
        /// Count for `numbered` ranges.
        number_of_occurrences: i32,
    }
}

graph_object! {
    complex
    /// A recurrence: pattern plus range.
    pub struct PatternedRecurrence {
        /// How often.
        pattern: RecurrencePattern,
        /// Over which dates.
        range: RecurrenceRange,
    }
}
