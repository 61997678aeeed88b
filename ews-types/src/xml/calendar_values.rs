//! The schema's calendar value types that are not `xs:dateTime`: `xs:date`, `xs:time` and `xs:duration`.
//!
//! * `xs:date` is read as a civil date. A zone suffix (`2026-03-01Z`, `2026-03-01-08:00`), which some
//!   servers add to recurrence dates, is accepted and dropped: a recurrence date is a date in the
//!   series' own zone. Dates are written without a suffix.
//! * `xs:time` is read as a civil time of day (`02:00:00`, with optional fraction).
//! * `xs:duration` is read into a [`jiff::SignedDuration`]. Exchange writes biases both as `PT8H` and as
//!   `P0DT8H0M0.0S`, and negative biases (zones east of UTC) as `-PT1H`; years and months, which have no
//!   fixed length, are accepted only when zero. Durations are written in the short form (`PT5H30M`,
//!   `-PT1H`, `PT0S`).

use jiff::SignedDuration;
use jiff::civil::{Date, Time};

use crate::error::{Error, Result};
use crate::xml::{Start, XmlAttr, XmlElement, XmlReader, XmlWriter, read_parsed};

/// Parses an `xs:date`, dropping a zone suffix.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let bare = text.strip_suffix('Z').unwrap_or(text);
    let bare = match bare.len().checked_sub(6) {
        Some(at)
            if bare.is_char_boundary(at)
                && bare.len() > 10
                && matches!(bare.as_bytes().get(at), Some(b'+' | b'-'))
                && bare.as_bytes().get(at + 3) == Some(&b':') =>
        {
            &bare[..at]
        }
        _ => bare,
    };
    bare.parse().ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub(crate) fn format_date(date: Date) -> String {
    date.to_string()
}

impl XmlElement for Date {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, &format_date(*self));
    }
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_parsed(r, start, "an xs:date", parse_date)
    }
}

impl XmlElement for Time {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, &self.to_string());
    }
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_parsed(r, start, "an xs:time", |t| t.parse().ok())
    }
}

/// Parses an `xs:duration` made of days, hours, minutes and (fractional) seconds.
pub(crate) fn parse_duration(text: &str) -> Option<SignedDuration> {
    let text = text.trim();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((date, time)) => {
            if time.is_empty() {
                return None;
            }
            (date, Some(time))
        }
        None => (rest, None),
    };
    if date_part.is_empty() && time_part.is_none() {
        return None;
    }
    let mut seconds: i64 = 0;
    let mut nanos: i32 = 0;
    for (value, unit) in components(date_part)? {
        let whole: i64 = value.parse().ok()?;
        match unit {
            'Y' | 'M' if whole == 0 => {}
            'D' => seconds = seconds.checked_add(whole.checked_mul(86_400)?)?,
            _ => return None,
        }
    }
    if let Some(time_part) = time_part {
        for (value, unit) in components(time_part)? {
            match unit {
                'H' => {
                    seconds = seconds.checked_add(value.parse::<i64>().ok()?.checked_mul(3600)?)?
                }
                'M' => {
                    seconds = seconds.checked_add(value.parse::<i64>().ok()?.checked_mul(60)?)?
                }
                'S' => {
                    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
                    seconds = seconds.checked_add(whole.parse::<i64>().ok()?)?;
                    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    if !fraction.is_empty() {
                        let padded = format!("{fraction:0<9}");
                        nanos = padded.parse().ok()?;
                    }
                }
                _ => return None,
            }
        }
    }
    let duration = SignedDuration::new(seconds, nanos);
    Some(if negative {
        duration.checked_neg()?
    } else {
        duration
    })
}

/// Splits `12H30M` into `[("12", 'H'), ("30", 'M')]`; `None` when a unit has no digits.
fn components(text: &str) -> Option<Vec<(&str, char)>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c.is_ascii_digit() || c == '.' {
            continue;
        }
        let value = text.get(start..at)?;
        if value.is_empty() || value.starts_with('.') || value.ends_with('.') {
            return None;
        }
        out.push((value, c));
        start = at + c.len_utf8();
    }
    if start != text.len() {
        return None;
    }
    Some(out)
}

/// Formats a duration in the short `xs:duration` form.
pub(crate) fn format_duration(duration: SignedDuration) -> String {
    let mut out = String::new();
    if duration.is_negative() {
        out.push('-');
    }
    out.push_str("PT");
    let total = duration.as_secs().unsigned_abs();
    let nanos = duration.subsec_nanos().unsigned_abs();
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if seconds > 0 || nanos > 0 || (hours == 0 && minutes == 0) {
        out.push_str(&seconds.to_string());
        if nanos > 0 {
            let fraction = format!("{nanos:09}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('S');
    }
    out
}

const DURATION: &str = "an xs:duration in days, hours, minutes and seconds";

impl XmlElement for SignedDuration {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, &format_duration(*self));
    }
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_parsed(r, start, DURATION, parse_duration)
    }
}

impl XmlAttr for SignedDuration {
    fn to_attr(&self) -> std::borrow::Cow<'_, str> {
        format_duration(*self).into()
    }
    fn from_attr(name: &str, text: &str) -> Result<Self> {
        parse_duration(text)
            .ok_or_else(|| Error::invalid_value(&format!("@{name}"), text, DURATION))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_both_exchange_spellings_read_the_same() {
        let eight = SignedDuration::from_hours(8);
        assert_eq!(parse_duration("PT8H"), Some(eight));
        assert_eq!(parse_duration("P0DT8H0M0.0S"), Some(eight));
        assert_eq!(
            parse_duration("-PT1H"),
            Some(-SignedDuration::from_hours(1))
        );
        assert_eq!(
            parse_duration("-P0DT5H30M0.0S"),
            Some(-SignedDuration::from_mins(330))
        );
        assert_eq!(parse_duration("P1D"), Some(SignedDuration::from_hours(24)));
        assert_eq!(
            parse_duration("PT1.5S"),
            Some(SignedDuration::from_millis(1500))
        );
        assert_eq!(parse_duration("P0Y0M0DT0H"), Some(SignedDuration::ZERO));
        for bad in [
            "",
            "P",
            "PT",
            "8H",
            "P1M",
            "P1Y",
            "PTH",
            "PT1.S",
            "PT1X",
            "PT99999999999999999999H",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn durations_are_written_short_and_read_back() {
        for (duration, text) in [
            (SignedDuration::from_hours(8), "PT8H"),
            (-SignedDuration::from_hours(1), "-PT1H"),
            (SignedDuration::from_mins(330), "PT5H30M"),
            (SignedDuration::ZERO, "PT0S"),
            (SignedDuration::from_millis(90_250), "PT1M30.25S"),
        ] {
            assert_eq!(format_duration(duration), text);
            assert_eq!(parse_duration(text), Some(duration));
        }
    }

    #[test]
    fn dates_with_a_zone_suffix_keep_their_civil_date() {
        let date = jiff::civil::date(2026, 3, 1);
        for text in [
            "2026-03-01",
            "2026-03-01Z",
            "2026-03-01-08:00",
            "2026-03-01+05:30",
        ] {
            assert_eq!(parse_date(text), Some(date), "{text}");
        }
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-03-01+5"), None);
    }
}
