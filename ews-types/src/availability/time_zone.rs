//! The availability service's time zone (`SerializableTimeZone`): a base bias and one yearly rule into
//! standard time and one into daylight time, as Windows' `TIME_ZONE_INFORMATION` has them.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

use crate::error::{Error, Result};
use crate::xml::xml_sequence;

use super::DayOfWeek;

xml_sequence! {
    element
    /// One yearly transition rule: "at `time` on the `day_order`th `day_of_week` of `month`, the bias
    /// becomes the zone's bias plus `bias`". `day_order` 5 means the last such day of the month; `month`
    /// 0 means the zone has no daylight time.
    pub struct SerializableTimeZoneTime in Types "t:" {
        /// Minutes added to the zone's bias while this period is in effect (0 for standard time, usually
        /// -60 for daylight time).
        req bias: i32 = "Bias";
        /// The local wall-clock time of the transition, `hh:mm:ss` (in the period being left).
        req time: String = "Time";
        /// Which occurrence of `day_of_week` in the month: 1 to 4, or 5 for the last.
        req day_order: i32 = "DayOrder";
        /// The month, 1 to 12; 0 when the zone has no daylight time.
        req month: i32 = "Month";
        /// The weekday of the transition.
        req day_of_week: DayOfWeek = "DayOfWeek";
        /// The year the rule was taken from, when the zone's rules change from year to year (`YYYY`).
        opt year: String = "Year";
    }
}

xml_sequence! {
    element
    /// A time zone as the availability service describes it (the request's `TimeZone` and the
    /// `TimeZone` of [`WorkingHours`](super::WorkingHours)).
    ///
    /// `bias` is in minutes and has the Windows sign: UTC = local time + bias, so UTC-8 is 480 and
    /// UTC+1 is -60. The rules are yearly: [`from_time_zone`](Self::from_time_zone) captures one year of
    /// an IANA zone, which is exact for queries within that year.
    pub struct SerializableTimeZone in Types "t:" {
        /// Minutes to add to local standard time to get UTC.
        req bias: i32 = "Bias";
        /// When daylight time ends, and the standard bias (normally 0).
        req standard_time: SerializableTimeZoneTime = "StandardTime";
        /// When daylight time starts, and its bias (normally -60).
        req daylight_time: SerializableTimeZoneTime = "DaylightTime";
    }
}

impl SerializableTimeZoneTime {
    /// The rule of a zone without daylight time: month 0, no transition.
    fn never() -> Self {
        SerializableTimeZoneTime {
            bias: 0,
            time: "00:00:00".to_owned(),
            day_order: 0,
            month: 0,
            day_of_week: DayOfWeek::Sunday,
            year: None,
        }
    }

    /// The rule of a transition whose wall-clock time (in the period being left) is `local`.
    fn at(local: DateTime, bias: i32) -> Self {
        let date = local.date();
        let is_last = i32::from(date.day()) + 7 > i32::from(date.days_in_month());
        SerializableTimeZoneTime {
            bias,
            time: local.time().strftime("%H:%M:%S").to_string(),
            day_order: if is_last {
                5
            } else {
                (i32::from(date.day()) - 1) / 7 + 1
            },
            month: i32::from(date.month()),
            day_of_week: date.weekday().into(),
            year: None,
        }
    }

    /// The wall-clock time of this transition in `year`.
    fn in_year(&self, year: i16) -> Result<DateTime> {
        let month = i8::try_from(self.month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| invalid("Month", &self.month.to_string(), "a month from 1 to 12"))?;
        let weekday = self.day_of_week.weekday().ok_or_else(|| {
            invalid(
                "DayOfWeek",
                self.day_of_week.as_str(),
                "a single day of the week",
            )
        })?;
        let nth: i8 = match self.day_order {
            order @ 1..=4 => order as i8,
            5 => -1,
            other => {
                return Err(invalid(
                    "DayOrder",
                    &other.to_string(),
                    "an occurrence from 1 to 5",
                ));
            }
        };
        let time: Time = self
            .time
            .trim()
            .parse()
            .map_err(|_| invalid("Time", &self.time, "a time of day, hh:mm:ss"))?;
        let first = Date::new(year, month, 1)
            .map_err(|_| invalid("Year", &year.to_string(), "a year jiff supports"))?;
        let day = first
            .nth_weekday_of_month(nth, weekday)
            .map_err(|_| invalid("DayOrder", &self.day_order.to_string(), "an existing day"))?;
        Ok(day.to_datetime(time))
    }
}

fn invalid(element: &str, value: &str, expected: &'static str) -> Error {
    Error::invalid_value(element, value, expected)
}

/// The UTC offset of a Windows bias sum (UTC = local + bias), checked against overflow and range.
fn offset_of(bias: i32, extra: i32) -> Result<Offset> {
    let total = i64::from(bias) + i64::from(extra);
    i32::try_from(-total * 60)
        .ok()
        .and_then(|seconds| Offset::from_seconds(seconds).ok())
        .ok_or_else(|| invalid("Bias", &total.to_string(), "a bias within ±25 hours"))
}

/// The Windows bias (minutes, UTC = local + bias) of an offset; offsets with seconds have none.
fn bias_of(offset: Offset, zone: &str) -> Result<i32> {
    let seconds = offset.seconds();
    if seconds % 60 != 0 {
        return Err(Error::InvalidRequest(format!(
            "{zone} has the offset {offset}, which is not a whole number of minutes"
        )));
    }
    Ok(-seconds / 60)
}

impl SerializableTimeZone {
    /// UTC: bias 0 and no daylight time.
    pub fn utc() -> Self {
        SerializableTimeZone {
            bias: 0,
            standard_time: SerializableTimeZoneTime::never(),
            daylight_time: SerializableTimeZoneTime::never(),
        }
    }

    /// The rules `zone` follows in `year`: its standard offset, and its transitions into and out of
    /// daylight time that year (the wall-clock time, month, weekday and occurrence of each).
    ///
    /// A zone without daylight time that year gets month 0 rules. A year in which the zone changes more
    /// than that (a new standard offset, two daylight periods, daylight time starting without ending)
    /// cannot be expressed by this element and is [`Error::InvalidRequest`]; ask per period instead.
    pub fn from_time_zone(zone: &TimeZone, year: i16) -> Result<Self> {
        let name = zone.iana_name().unwrap_or("the time zone").to_owned();
        let unrepresentable = |why: &str| {
            Error::InvalidRequest(format!(
                "{name} cannot be written as an availability TimeZone for {year}: {why}"
            ))
        };
        let first = Date::new(year, 1, 1)
            .map_err(|_| invalid("Year", &year.to_string(), "a year jiff supports"))?;
        let year_start = zone
            .to_timestamp(first.to_datetime(Time::midnight()))
            .map_err(|e| unrepresentable(&e.to_string()))?;
        let mut into_daylight = Vec::new();
        let mut into_standard = Vec::new();
        for transition in zone.following(year_start) {
            let before = transition
                .timestamp()
                .checked_sub(jiff::SignedDuration::from_secs(1))
                .map_err(|e| unrepresentable(&e.to_string()))?;
            let old = zone.to_offset_info(before);
            let local = transition
                .timestamp()
                .to_zoned(TimeZone::fixed(old.offset()));
            if local.year() != year {
                break;
            }
            let (was_dst, is_dst) = (old.dst().is_dst(), transition.dst().is_dst());
            match (was_dst, is_dst) {
                (false, true) => into_daylight.push((local.datetime(), transition.offset())),
                (true, false) => into_standard.push((local.datetime(), transition.offset())),
                _ if old.offset() == transition.offset() => {}
                _ => {
                    return Err(unrepresentable(
                        "its standard offset changes during the year",
                    ));
                }
            }
        }
        match (into_daylight.as_slice(), into_standard.as_slice()) {
            ([], []) => {
                let info = zone.to_offset_info(year_start);
                if info.dst().is_dst() {
                    return Err(unrepresentable("it stays in daylight time all year"));
                }
                Ok(SerializableTimeZone {
                    bias: bias_of(info.offset(), &name)?,
                    ..SerializableTimeZone::utc()
                })
            }
            ([(daylight_at, daylight)], [(standard_at, standard)]) => {
                let bias = bias_of(*standard, &name)?;
                let daylight_bias = bias_of(*daylight, &name)? - bias;
                Ok(SerializableTimeZone {
                    bias,
                    standard_time: SerializableTimeZoneTime::at(*standard_at, 0),
                    daylight_time: SerializableTimeZoneTime::at(*daylight_at, daylight_bias),
                })
            }
            (daylight, standard) => Err(unrepresentable(&format!(
                "it enters daylight time {} times and leaves it {} times",
                daylight.len(),
                standard.len()
            ))),
        }
    }

    /// Whether the zone has daylight time (both rules name a month and the biases differ).
    pub fn observes_daylight_time(&self) -> bool {
        self.standard_time.month != 0
            && self.daylight_time.month != 0
            && self.standard_time.bias != self.daylight_time.bias
    }

    /// The UTC offset during standard time.
    pub fn standard_offset(&self) -> Result<Offset> {
        offset_of(self.bias, self.standard_time.bias)
    }

    /// The UTC offset during daylight time (the standard offset for a zone without daylight time).
    pub fn daylight_offset(&self) -> Result<Offset> {
        if !self.observes_daylight_time() {
            return self.standard_offset();
        }
        offset_of(self.bias, self.daylight_time.bias)
    }

    /// The UTC offset of the wall-clock time `local`.
    ///
    /// A time skipped when clocks go forward takes the offset from before the change, and a time that
    /// occurs twice when clocks go back takes the earlier one (daylight time), as jiff's default
    /// ("compatible") disambiguation does.
    pub fn offset_for_local(&self, local: DateTime) -> Result<Offset> {
        let standard = self.standard_offset()?;
        if !self.observes_daylight_time() {
            return Ok(standard);
        }
        let daylight = self.daylight_offset()?;
        let year = local.year();
        let daylight_starts = self.daylight_time.in_year(year)?;
        let standard_starts = self.standard_time.in_year(year)?;
        // Clocks going forward skip the wall-clock times [change, change + jump); those keep the old
        // offset. Clocks going back repeat [change - jump, change); the first pass (old offset) wins.
        // Either way the new offset applies from `change + max(jump, 0)`.
        let jump = i64::from(daylight.seconds() - standard.seconds());
        let shifted = |at: DateTime, seconds: i64| {
            at.checked_add(jiff::SignedDuration::from_secs(seconds.max(0)))
                .map_err(|_| invalid("dateTime", &at.to_string(), "a time in range"))
        };
        let daylight_from = shifted(daylight_starts, jump)?;
        let standard_from = shifted(standard_starts, -jump)?;
        let in_daylight = if daylight_starts < standard_starts {
            local >= daylight_from && local < standard_from
        } else {
            !(local >= standard_from && local < daylight_from)
        };
        Ok(if in_daylight { daylight } else { standard })
    }

    /// The instant of the wall-clock time `local` in this zone (see
    /// [`offset_for_local`](Self::offset_for_local) for skipped and repeated times).
    pub fn to_timestamp(&self, local: DateTime) -> Result<Timestamp> {
        let offset = self.offset_for_local(local)?;
        offset
            .to_timestamp(local)
            .map_err(|_| invalid("dateTime", &local.to_string(), "a time in range"))
    }

    /// The wall-clock time of the instant `instant` in this zone.
    pub fn to_local(&self, instant: Timestamp) -> Result<DateTime> {
        let standard = self.standard_offset()?;
        let as_standard = standard.to_datetime(instant);
        if !self.observes_daylight_time() {
            return Ok(as_standard);
        }
        let daylight = self.daylight_offset()?;
        let year = as_standard.year();
        let out_of_range = |_| invalid("dateTime", &instant.to_string(), "a time in range");
        let daylight_starts = standard
            .to_timestamp(self.daylight_time.in_year(year)?)
            .map_err(out_of_range)?;
        let standard_starts = daylight
            .to_timestamp(self.standard_time.in_year(year)?)
            .map_err(out_of_range)?;
        let in_daylight = if daylight_starts < standard_starts {
            instant >= daylight_starts && instant < standard_starts
        } else {
            !(instant >= standard_starts && instant < daylight_starts)
        };
        Ok(if in_daylight {
            daylight.to_datetime(instant)
        } else {
            as_standard
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn zone(name: &str, year: i16) -> (TimeZone, SerializableTimeZone) {
        let tz = TimeZone::get(name).unwrap();
        let sz = SerializableTimeZone::from_time_zone(&tz, year)
            .unwrap_or_else(|e| panic!("{name} {year}: {e}"));
        (tz, sz)
    }

    #[test]
    fn london_and_new_york_match_the_windows_definitions() {
        let (_, london) = zone("Europe/London", 2026);
        assert_eq!(london.bias, 0);
        assert_eq!(
            london.daylight_time,
            SerializableTimeZoneTime {
                bias: -60,
                time: "01:00:00".into(),
                day_order: 5,
                month: 3,
                day_of_week: DayOfWeek::Sunday,
                year: None,
            }
        );
        assert_eq!(london.standard_time.time, "02:00:00");
        assert_eq!(
            (london.standard_time.month, london.standard_time.day_order),
            (10, 5)
        );

        let (_, new_york) = zone("America/New_York", 2026);
        assert_eq!(new_york.bias, 300);
        assert_eq!(
            (
                new_york.daylight_time.month,
                new_york.daylight_time.day_order
            ),
            (3, 2)
        );
        assert_eq!(
            (
                new_york.standard_time.month,
                new_york.standard_time.day_order
            ),
            (11, 1)
        );
        assert_eq!(new_york.daylight_time.time, "02:00:00");
    }

    /// Every 20 minutes of the year, including the skipped and repeated ones, converts like jiff.
    #[test]
    fn conversions_agree_with_the_iana_zone_all_year() {
        let zones = [
            ("Europe/London", 2026),
            ("America/New_York", 2025),
            ("Australia/Sydney", 2026),
            ("America/Santiago", 2026),
            ("Asia/Tokyo", 2026),
            ("Asia/Kolkata", 2026),
            ("Australia/Lord_Howe", 2026),
            ("America/Sao_Paulo", 2018),
            ("Europe/Dublin", 2026),
            ("Etc/UTC", 2026),
        ];
        for (name, year) in zones {
            let (tz, sz) = zone(name, year);
            let mut local = date(year, 1, 1).at(0, 0, 0, 0);
            let end = date(year, 12, 31).at(23, 45, 0, 0);
            while local <= end {
                let expected = tz.to_timestamp(local).unwrap();
                assert_eq!(sz.to_timestamp(local).unwrap(), expected, "{name} {local}");
                assert_eq!(
                    sz.to_local(expected).unwrap(),
                    tz.to_datetime(expected),
                    "{name} {expected}"
                );
                local = local.checked_add(jiff::Span::new().minutes(20)).unwrap();
            }
        }
    }

    #[test]
    fn a_zone_without_daylight_time_has_month_zero_rules() {
        let (_, tokyo) = zone("Asia/Tokyo", 2026);
        assert_eq!(tokyo.bias, -540);
        assert!(!tokyo.observes_daylight_time());
        assert_eq!(tokyo.daylight_time.month, 0);
        assert_eq!(
            SerializableTimeZone::utc().standard_offset().unwrap(),
            Offset::UTC
        );
    }

    #[test]
    fn broken_rules_are_typed_errors_not_panics() {
        let mut broken = zone("Europe/London", 2026).1;
        broken.daylight_time.month = 13;
        assert!(
            broken
                .to_timestamp(date(2026, 7, 1).at(9, 0, 0, 0))
                .is_err()
        );
        let mut broken = zone("Europe/London", 2026).1;
        broken.standard_time.time = "two o'clock".into();
        assert!(broken.to_local(Timestamp::UNIX_EPOCH).is_err());
        let mut broken = zone("Europe/London", 2026).1;
        broken.daylight_time.day_of_week = DayOfWeek::Weekday;
        assert!(
            broken
                .offset_for_local(date(2026, 7, 1).at(9, 0, 0, 0))
                .is_err()
        );
        let huge = SerializableTimeZone {
            bias: i32::MAX,
            ..SerializableTimeZone::utc()
        };
        assert!(huge.to_timestamp(date(2026, 7, 1).at(9, 0, 0, 0)).is_err());
    }
}
