//! Time zones as EWS describes them, and conversion between civil times and instants through them.
//!
//! * [`TimeZoneDefinition`] (`TimeZoneDefinitionType`, Exchange 2010 and later): the `StartTimeZone` and
//!   `EndTimeZone` of calendar items, the `TimeZoneContext` header and what `GetServerTimeZones`
//!   returns. Periods each carry a bias (UTC = local + bias); transitions switch between periods, either
//!   once (at an absolute date) or every year (on the n-th weekday of a month, or on a fixed date), and
//!   groups of yearly transitions can be switched in and out at absolute dates as rules change.
//! * [`MeetingTimeZone`] (`TimeZoneType`, the Exchange 2007 form): a base offset with a standard and a
//!   daylight change.
//!
//! Both compile into [`ZoneRules`], which gives the UTC offset at an instant and the instant of a civil
//! time, with skipped and repeated civil times reported explicitly ([`LocalTime`]). A definition that
//! cannot be used (a period it references is missing, a bias is absent, or only an id was sent) is a
//! [`Error::BrokenTimeZone`](crate::Error::BrokenTimeZone), never a silent UTC.
//!
//! Send a server-known `Id` when creating items; Exchange rejects definitions built from other sources
//! ("A referenced period is missing").
//!
//! ```
//! use ews_types::time_zone::TimeZoneDefinition;
//!
//! let xml = br#"<t:StartTimeZone xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"
//!     Id="GMT Standard Time" Name="(UTC+00:00) Dublin, Edinburgh, Lisbon, London">
//!   <t:Periods>
//!     <t:Period Bias="P0DT0H0M0.0S" Name="Standard" Id="Std"/>
//!     <t:Period Bias="-P0DT1H0M0.0S" Name="Daylight" Id="Dlt/1"/>
//!   </t:Periods>
//!   <t:TransitionsGroups><t:TransitionsGroup Id="0">
//!     <t:RecurringDayTransition><t:To Kind="Period">Dlt/1</t:To><t:TimeOffset>P0DT1H0M0.0S</t:TimeOffset>
//!       <t:Month>3</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
//!     <t:RecurringDayTransition><t:To Kind="Period">Std</t:To><t:TimeOffset>P0DT2H0M0.0S</t:TimeOffset>
//!       <t:Month>10</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>-1</t:Occurrence></t:RecurringDayTransition>
//!   </t:TransitionsGroup></t:TransitionsGroups>
//!   <t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions>
//! </t:StartTimeZone>"#;
//! let london = TimeZoneDefinition::from_xml(xml).unwrap().rules().unwrap();
//! let july = "2026-07-01T08:00:00Z".parse().unwrap();
//! assert_eq!(london.civil_at(july).to_string(), "2026-07-01T09:00:00");
//! ```

mod legacy;
mod rules;

pub use legacy::{MeetingTimeZone, TimeChange, TimeChangePattern};
pub use rules::{LocalTime, ZoneRules};

use jiff::SignedDuration;
use jiff::civil::DateTime;

use crate::error::{Error, Result};
use crate::recurrence::DayOfWeek;
use crate::xml::{
    Ns, ParseLimits, Start, XmlAttr, XmlChoice, XmlElement, XmlReader, XmlWriter, open_enum,
    xml_sequence,
};

/// A period of a zone (`PeriodType`): standard or daylight time, with its bias.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Period {
    /// The duration to add to local time to get UTC: `PT8H` for UTC-8, `-PT1H` for UTC+1.
    pub bias: Option<SignedDuration>,
    /// The period's name, such as `Standard` or `Daylight`.
    pub name: Option<String>,
    /// The id transitions refer to, such as `Std` or `Dlt/2007`.
    pub id: Option<String>,
}

impl XmlElement for Period {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        if let Some(bias) = &self.bias {
            w.attr("Bias", &bias.to_attr());
        }
        w.attr_opt("Name", self.name.as_deref())
            .attr_opt("Id", self.id.as_deref())
            .close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let period = Period {
            bias: start
                .attr("Bias")?
                .map(|b| SignedDuration::from_attr("Bias", &b))
                .transpose()?,
            name: start.attr("Name")?.map(|v| v.into_owned()),
            id: start.attr("Id")?.map(|v| v.into_owned()),
        };
        r.skip(start)?;
        Ok(period)
    }
}

open_enum! {
    /// What a transition switches to (`TransitionTargetKindType`).
    pub enum TransitionTargetKind {
        /// A period, by id.
        Period = "Period",
        /// A group of yearly transitions, by id.
        Group = "Group",
    }
}

/// The target of a transition (`To`): a period or a transitions group, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionTarget {
    /// Period or group.
    pub kind: TransitionTargetKind,
    /// The id of the period or group.
    pub id: String,
}

impl TransitionTarget {
    /// A target naming a period.
    pub fn period(id: impl Into<String>) -> Self {
        TransitionTarget {
            kind: TransitionTargetKind::Period,
            id: id.into(),
        }
    }

    /// A target naming a transitions group.
    pub fn group(id: impl Into<String>) -> Self {
        TransitionTarget {
            kind: TransitionTargetKind::Group,
            id: id.into(),
        }
    }
}

impl XmlElement for TransitionTarget {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr("Kind", self.kind.as_str()).close();
        w.text(&self.id);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let kind = TransitionTargetKind::from_wire(start.required_attr("Kind")?.trim());
        Ok(TransitionTarget {
            kind,
            id: r.read_text(start)?.trim().to_owned(),
        })
    }
}

/// One transition (the `Transition` substitution group).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Transition {
    /// `Transition`: the target applies from the beginning (the first entry of a list).
    Initial {
        /// What applies.
        to: TransitionTarget,
    },
    /// `AbsoluteDateTransition`: the target applies from a civil date and time.
    AbsoluteDate {
        /// What applies from then.
        to: TransitionTarget,
        /// The civil date and time (an offset or `Z` on the wire is dropped).
        date_time: DateTime,
    },
    /// `RecurringDayTransition`: every year on the n-th weekday of a month, at a civil time.
    RecurringDay {
        /// What applies from then.
        to: TransitionTarget,
        /// The time of day, as a duration after midnight, in the civil time in force before it.
        time_offset: SignedDuration,
        /// The month, 1 to 12.
        month: i32,
        /// The weekday.
        day_of_week: DayOfWeek,
        /// Which one in the month: 1 to 4, or -1 (also 5) for the last.
        occurrence: i32,
    },
    /// `RecurringDateTransition`: every year on a fixed date, at a civil time.
    RecurringDate {
        /// What applies from then.
        to: TransitionTarget,
        /// The time of day, as a duration after midnight, in the civil time in force before it.
        time_offset: SignedDuration,
        /// The month, 1 to 12.
        month: i32,
        /// The day of the month.
        day: i32,
    },
}

impl Transition {
    /// What the transition switches to.
    pub fn target(&self) -> &TransitionTarget {
        match self {
            Transition::Initial { to }
            | Transition::AbsoluteDate { to, .. }
            | Transition::RecurringDay { to, .. }
            | Transition::RecurringDate { to, .. } => to,
        }
    }
}

/// The children of transition elements, read before the kind is chosen.
#[allow(unreachable_pub)]
mod wire {
    use jiff::SignedDuration;

    use super::TransitionTarget;
    use crate::recurrence::DayOfWeek;
    use crate::xml::xml_sequence;

    xml_sequence! {
        element
        /// Every child any transition element may hold, read before the kind is chosen.
        pub struct TransitionFields in Types "t:" {
            /// `To`.
            opt to: TransitionTarget = "To";
            /// `DateTime`.
            opt date_time: String = "DateTime";
            /// `TimeOffset`.
            opt time_offset: SignedDuration = "TimeOffset";
            /// `Month`.
            opt month: i32 = "Month";
            /// `DayOfWeek`.
            opt day_of_week: DayOfWeek = "DayOfWeek";
            /// `Occurrence`.
            opt occurrence: i32 = "Occurrence";
            /// `Day`.
            opt day: i32 = "Day";
        }
    }
}

use wire::TransitionFields;

/// Parses a transition's `DateTime` as a civil time, dropping an offset or `Z`.
fn parse_civil(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if let Ok(civil) = text.parse::<DateTime>() {
        return Some(civil);
    }
    let zoned: jiff::fmt::temporal::DateTimeParser = jiff::fmt::temporal::DateTimeParser::new();
    zoned.parse_pieces(text).ok().map(|pieces| {
        pieces
            .date()
            .to_datetime(pieces.time().unwrap_or(jiff::civil::Time::midnight()))
    })
}

impl XmlChoice for Transition {
    fn write_choice(&self, w: &mut XmlWriter) {
        let name = match self {
            Transition::Initial { .. } => "t:Transition",
            Transition::AbsoluteDate { .. } => "t:AbsoluteDateTransition",
            Transition::RecurringDay { .. } => "t:RecurringDayTransition",
            Transition::RecurringDate { .. } => "t:RecurringDateTransition",
        };
        w.open(name).close();
        self.target().write_element(w, "t:To");
        match self {
            Transition::Initial { .. } => {}
            Transition::AbsoluteDate { date_time, .. } => {
                w.text_element("t:DateTime", &date_time.to_string());
            }
            Transition::RecurringDay {
                time_offset,
                month,
                day_of_week,
                occurrence,
                ..
            } => {
                time_offset.write_element(w, "t:TimeOffset");
                month.write_element(w, "t:Month");
                day_of_week.write_element(w, "t:DayOfWeek");
                occurrence.write_element(w, "t:Occurrence");
            }
            Transition::RecurringDate {
                time_offset,
                month,
                day,
                ..
            } => {
                time_offset.write_element(w, "t:TimeOffset");
                month.write_element(w, "t:Month");
                day.write_element(w, "t:Day");
            }
        }
        w.end(name);
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        let kind = start.local_name().to_owned();
        if start.ns() != Ns::Types
            || !matches!(
                kind.as_str(),
                "Transition"
                    | "AbsoluteDateTransition"
                    | "RecurringDayTransition"
                    | "RecurringDateTransition"
            )
        {
            return Ok(None);
        }
        let fields = TransitionFields::read_element(r, start)?;
        let missing = |what: &str| Error::missing(what, &kind);
        let to = fields.to.ok_or_else(|| missing("To"))?;
        let time_offset = || fields.time_offset.ok_or_else(|| missing("TimeOffset"));
        let month = || fields.month.ok_or_else(|| missing("Month"));
        Ok(Some(match kind.as_str() {
            "Transition" => Transition::Initial { to },
            "AbsoluteDateTransition" => {
                let text = fields
                    .date_time
                    .clone()
                    .ok_or_else(|| missing("DateTime"))?;
                Transition::AbsoluteDate {
                    to,
                    date_time: parse_civil(&text)
                        .ok_or_else(|| Error::invalid_value("DateTime", &text, "an xs:dateTime"))?,
                }
            }
            "RecurringDayTransition" => Transition::RecurringDay {
                time_offset: time_offset()?,
                month: month()?,
                day_of_week: fields
                    .day_of_week
                    .clone()
                    .ok_or_else(|| missing("DayOfWeek"))?,
                occurrence: fields.occurrence.ok_or_else(|| missing("Occurrence"))?,
                to,
            },
            _ => Transition::RecurringDate {
                time_offset: time_offset()?,
                month: month()?,
                day: fields.day.ok_or_else(|| missing("Day"))?,
                to,
            },
        }))
    }
}

/// A list of transitions with an optional id (`ArrayOfTransitionsType`): a `TransitionsGroup`, or the
/// definition's `Transitions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Transitions {
    /// The group's id, which `To Kind="Group"` refers to.
    pub id: Option<String>,
    /// The transitions, in order.
    pub transitions: Vec<Transition>,
}

impl XmlElement for Transitions {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr_opt("Id", self.id.as_deref()).close();
        for transition in &self.transitions {
            transition.write_choice(w);
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let id = start.attr("Id")?.map(|v| v.into_owned());
        Ok(Transitions {
            id,
            transitions: Vec::read_element(r, start)?,
        })
    }
}

xml_sequence! {
    element
    /// A time zone (`TimeZoneDefinitionType`): periods, groups of yearly transitions, and the transitions
    /// that say which applies when. A definition sent to Exchange usually carries only its `Id`.
    pub struct TimeZoneDefinition in Types "t:" {
        @attrs {
            /// The Windows zone id, such as `GMT Standard Time`.
            id: String = "Id";
            /// The display name, such as `(UTC+00:00) Dublin, Edinburgh, Lisbon, London`.
            name: String = "Name";
        }
        /// The periods.
        list periods: Period = "Periods" / "Period";
        /// Groups of yearly transitions.
        list transitions_groups: Transitions = "TransitionsGroups" / "TransitionsGroup";
        /// Which period or group applies when.
        opt transitions: Transitions = "Transitions";
    }
}

impl TimeZoneDefinition {
    /// A definition that names a server-known zone by id only: what requests should send.
    pub fn with_id(id: impl Into<String>) -> Self {
        TimeZoneDefinition {
            id: Some(id.into()),
            ..TimeZoneDefinition::default()
        }
    }

    /// Reads a definition from a standalone element (any name, such as `t:TimeZoneDefinition` or
    /// `t:StartTimeZone`), with the default parse limits.
    pub fn from_xml(bytes: &[u8]) -> Result<Self> {
        let mut r = XmlReader::new(bytes, ParseLimits::default());
        let root = r.root()?;
        Self::read_element(&mut r, &root)
    }

    /// Compiles the definition for conversions (see [`ZoneRules`]).
    pub fn rules(&self) -> Result<ZoneRules> {
        ZoneRules::from_definition(self)
    }
}
