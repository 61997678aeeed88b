//! Wall-clock times of the availability service, and the time windows made of them.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};

use crate::error::{Error, Result};
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, read_parsed, xml_sequence};

use super::SerializableTimeZone;

/// A wall-clock date and time in the availability request's time zone, as Exchange writes them: usually
/// without an offset (`2026-12-02T09:00:00`), sometimes with one (`2006-10-16T06:00:00-07:00`, Exchange
/// 2007). The offset is kept when present so nothing is lost, and writing repeats exactly what was read.
///
/// ```
/// use ews_types::availability::LocalDateTime;
/// use jiff::civil::date;
///
/// let nine = LocalDateTime::from(date(2026, 12, 2).at(9, 0, 0, 0));
/// assert_eq!(nine.to_string(), "2026-12-02T09:00:00");
/// let with_offset: LocalDateTime = "2006-10-16T06:00:00-07:00".parse().unwrap();
/// assert_eq!(with_offset.civil, date(2006, 10, 16).at(6, 0, 0, 0));
/// assert_eq!(with_offset.timestamp().unwrap().to_string(), "2006-10-16T13:00:00Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LocalDateTime {
    /// The wall-clock date and time.
    pub civil: DateTime,
    /// The offset the server appended, if any (`Z` reads as UTC).
    pub offset: Option<Offset>,
}

impl LocalDateTime {
    /// The instant this time denotes when it carries an offset; `None` for a plain wall-clock time,
    /// which needs its zone ([`to_timestamp`](Self::to_timestamp)).
    pub fn timestamp(&self) -> Option<Timestamp> {
        let offset = self.offset?;
        TimeZone::fixed(offset).to_timestamp(self.civil).ok()
    }

    /// The instant this time denotes in `zone` (the request's `TimeZone`); an offset the server wrote
    /// takes precedence over the zone's rules.
    pub fn to_timestamp(&self, zone: &SerializableTimeZone) -> Result<Timestamp> {
        match self.offset {
            Some(_) => self.timestamp().ok_or_else(|| {
                Error::invalid_value("dateTime", &self.to_string(), "a time in range")
            }),
            None => zone.to_timestamp(self.civil),
        }
    }

    /// This time `minutes` later (or earlier, when negative), keeping the offset.
    pub fn plus_minutes(&self, minutes: i64) -> Result<LocalDateTime> {
        let out_of_range =
            |_| Error::invalid_value("dateTime", &self.to_string(), "a time in range");
        let span = jiff::Span::new()
            .try_minutes(minutes)
            .map_err(out_of_range)?;
        let civil = self.civil.checked_add(span).map_err(out_of_range)?;
        Ok(LocalDateTime {
            civil,
            offset: self.offset,
        })
    }
}

impl From<DateTime> for LocalDateTime {
    fn from(civil: DateTime) -> Self {
        LocalDateTime {
            civil,
            offset: None,
        }
    }
}

impl std::fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.civil)?;
        let Some(offset) = self.offset else {
            return Ok(());
        };
        let seconds = offset.seconds();
        if seconds == 0 {
            return f.write_str("Z");
        }
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        write!(f, "{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    }
}

impl std::str::FromStr for LocalDateTime {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        parse_local(text.trim())
            .ok_or_else(|| Error::invalid_value("dateTime", text, "an xs:dateTime"))
    }
}

/// Splits an `xs:dateTime` into its civil part and its optional `Z` or `±hh:mm` suffix.
fn parse_local(text: &str) -> Option<LocalDateTime> {
    if let Some(civil) = text.strip_suffix(['Z', 'z']) {
        return Some(LocalDateTime {
            civil: civil.parse().ok()?,
            offset: Some(Offset::UTC),
        });
    }
    let split = text.len().checked_sub(6)?;
    let (civil, suffix) = (text.get(..split), text.get(split..));
    if let (Some(civil), Some(suffix)) = (civil, suffix)
        && civil.contains('T')
        && let Some(offset) = parse_offset(suffix)
    {
        return Some(LocalDateTime {
            civil: civil.parse().ok()?,
            offset: Some(offset),
        });
    }
    Some(LocalDateTime::from(text.parse::<DateTime>().ok()?))
}

/// Parses `+hh:mm` or `-hh:mm`.
fn parse_offset(text: &str) -> Option<Offset> {
    let bytes = text.as_bytes();
    let sign = match bytes.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if bytes.get(3) != Some(&b':') {
        return None;
    }
    let hours: i32 = text.get(1..3)?.parse().ok()?;
    let minutes: i32 = text.get(4..6)?.parse().ok()?;
    if !(0..60).contains(&minutes) {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

impl XmlElement for LocalDateTime {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, &self.to_string());
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_parsed(r, start, "an xs:dateTime", parse_local)
    }
}

xml_sequence! {
    element
    /// A span of wall-clock time (the schema's `Duration` with local times): the `TimeWindow` of a
    /// free/busy query and the `DetailedSuggestionsWindow` of a suggestions query.
    pub struct TimeWindow in Types "t:" {
        /// The start, inclusive.
        req start_time: LocalDateTime = "StartTime";
        /// The end, exclusive.
        req end_time: LocalDateTime = "EndTime";
    }
}

impl TimeWindow {
    /// The window from `start` to `end`, written without offsets.
    pub fn new(start: DateTime, end: DateTime) -> Self {
        TimeWindow {
            start_time: start.into(),
            end_time: end.into(),
        }
    }

    /// The wall-clock window in `zone` that covers the instants from `start` to `end`.
    pub fn from_instants(
        start: Timestamp,
        end: Timestamp,
        zone: &SerializableTimeZone,
    ) -> Result<Self> {
        Ok(TimeWindow::new(zone.to_local(start)?, zone.to_local(end)?))
    }

    /// Refuses an empty or reversed window, naming the element it belongs to.
    pub(crate) fn check(&self, element: &str) -> Result<()> {
        if self.start_time.civil >= self.end_time.civil {
            return Err(Error::InvalidRequest(format!(
                "{element} must end after it starts ({} to {})",
                self.start_time, self.end_time
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn offsets_are_kept_and_written_back_exactly() {
        for text in [
            "2014-02-13T08:00:00",
            "2006-10-16T06:00:00-07:00",
            "2006-10-16T06:00:00+05:30",
            "2006-10-16T06:00:00Z",
            "2006-10-16T06:00:00.5",
        ] {
            let parsed: LocalDateTime = text.parse().unwrap();
            assert_eq!(parsed.to_string(), text);
        }
        let plain: LocalDateTime = "2014-02-13T08:00:00".parse().unwrap();
        assert_eq!(plain.offset, None);
        assert_eq!(plain.timestamp(), None);
    }

    #[test]
    fn malformed_values_are_errors_not_panics() {
        for text in [
            "",
            "Z",
            "-07:00",
            "2006-02-30T00:00:00",
            "2006-10-16T06:00:00+7:00",
            "é€€€€€€",
            "2006-10-16T06:00:00+99:99",
        ] {
            assert!(text.parse::<LocalDateTime>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn a_window_must_end_after_it_starts() {
        let day = date(2026, 12, 2);
        assert!(
            TimeWindow::new(day.at(9, 0, 0, 0), day.at(17, 0, 0, 0))
                .check("TimeWindow")
                .is_ok()
        );
        let reversed = TimeWindow::new(day.at(17, 0, 0, 0), day.at(9, 0, 0, 0));
        assert!(reversed.check("TimeWindow").is_err());
    }
}
