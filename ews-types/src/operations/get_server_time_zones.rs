//! GetServerTimeZones (Exchange 2010 and later): the zones a server knows, by Windows id, with their
//! full definitions when asked.
//!
//! Use it to resolve a zone id that has no IANA mapping ("Customized Time Zone", localized names) into
//! periods and transitions ([`TimeZoneDefinition::rules`]), and to learn which ids a server accepts in
//! `StartTimeZone`.
//!
//! ```
//! use ews_types::operations::GetServerTimeZones;
//!
//! let request = GetServerTimeZones::full(["GMT Standard Time", "Pacific Standard Time"]);
//! assert_eq!(request.return_full_time_zone_data, Some(true));
//! ```

use crate::error::Result;
use crate::response::{ResponseBody, ResponseMessages};
use crate::time_zone::TimeZoneDefinition;
use crate::xml::{Ns, Start, XmlAttr, XmlElement, XmlReader, XmlSequence, XmlWriter};

use super::Operation;

/// GetServerTimeZones request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GetServerTimeZones {
    /// Whether to return periods and transitions (`true`) or ids and names only.
    pub return_full_time_zone_data: Option<bool>,
    /// The zones wanted, by Windows id; every zone the server knows when absent.
    pub ids: Option<Vec<String>>,
}

impl GetServerTimeZones {
    /// The full definitions of the zones `ids`.
    pub fn full<S: Into<String>>(ids: impl IntoIterator<Item = S>) -> Self {
        GetServerTimeZones {
            return_full_time_zone_data: Some(true),
            ids: Some(ids.into_iter().map(Into::into).collect()),
        }
    }

    /// The ids and display names of every zone the server knows.
    pub fn names() -> Self {
        GetServerTimeZones {
            return_full_time_zone_data: Some(false),
            ids: None,
        }
    }
}

impl XmlElement for GetServerTimeZones {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        if let Some(full) = &self.return_full_time_zone_data {
            w.attr("ReturnFullTimeZoneData", &full.to_attr());
        }
        w.close();
        if let Some(ids) = &self.ids {
            w.open("m:Ids").close();
            for id in ids {
                w.text_element("t:Id", id);
            }
            w.end("m:Ids");
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut request = GetServerTimeZones {
            return_full_time_zone_data: start
                .attr("ReturnFullTimeZoneData")?
                .map(|v| bool::from_attr("ReturnFullTimeZoneData", &v))
                .transpose()?,
            ids: None,
        };
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages || child.local_name() != "Ids" {
                return Ok(false);
            }
            let mut ids = Vec::new();
            r.children(child, |r, id| {
                if id.ns() == Ns::Types && id.local_name() == "Id" {
                    ids.push(r.read_text(id)?);
                    return Ok(true);
                }
                Ok(false)
            })?;
            request.ids = Some(ids);
            Ok(true)
        })?;
        Ok(request)
    }
}

impl Operation for GetServerTimeZones {
    const NAME: &'static str = "GetServerTimeZones";
    type Response = GetServerTimeZonesResponse;
}

/// The body of a GetServerTimeZones response message: the definitions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetServerTimeZonesMessage {
    /// The zones (ids and names only unless full data was asked for).
    pub time_zone_definitions: Option<Vec<TimeZoneDefinition>>,
}

impl XmlSequence for GetServerTimeZonesMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        if let Some(definitions) = &self.time_zone_definitions {
            w.open("m:TimeZoneDefinitions").close();
            for definition in definitions {
                definition.write_element(w, "t:TimeZoneDefinition");
            }
            w.end("m:TimeZoneDefinitions");
        }
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() != Ns::Messages || child.local_name() != "TimeZoneDefinitions" {
            return Ok(false);
        }
        let mut definitions = Vec::new();
        r.children(child, |r, definition| {
            definition.reject_foreign("a TimeZoneDefinition in the EWS types namespace")?;
            if definition.ns() == Ns::Types && definition.local_name() == "TimeZoneDefinition" {
                definitions.push(TimeZoneDefinition::read_element(r, definition)?);
                return Ok(true);
            }
            Ok(false)
        })?;
        self.time_zone_definitions = Some(definitions);
        Ok(true)
    }
}

impl ResponseBody for GetServerTimeZonesMessage {
    const MESSAGE: &'static str = "GetServerTimeZonesResponseMessage";
    const RESPONSE: &'static str = "GetServerTimeZonesResponse";
}

/// The GetServerTimeZones response: one message holding the definitions.
pub type GetServerTimeZonesResponse = ResponseMessages<GetServerTimeZonesMessage>;
