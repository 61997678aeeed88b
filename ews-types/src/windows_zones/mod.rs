//! Windows time zone ids (what Exchange names zones by: `W. Europe Standard Time`) to IANA ids (what
//! jiff and most other software use: `Europe/Berlin`) and back, from the Unicode CLDR
//! `windowsZones.xml` table.
//!
//! Lookups never guess: an id the table does not know is [`Error::UnknownTimeZone`], never a silent UTC.
//! Servers do send ids no table knows ("Customized Time Zone", localized names); resolve those from the
//! zone's own definition instead.
//!
//! ```
//! use ews_types::windows_zones::{iana_to_windows, windows_to_iana};
//!
//! assert_eq!(windows_to_iana("W. Europe Standard Time", None).unwrap(), "Europe/Berlin");
//! assert_eq!(windows_to_iana("W. Europe Standard Time", Some("CH")).unwrap(), "Europe/Zurich");
//! assert_eq!(iana_to_windows("Europe/Zurich").unwrap(), "W. Europe Standard Time");
//! assert_eq!(iana_to_windows("Asia/Kolkata").unwrap(), "India Standard Time");
//! assert!(windows_to_iana("Customized Time Zone", None).is_err());
//! ```

mod table;

use crate::error::{Error, Result};

/// Where the table comes from (CLDR version and commit, and the tzdata release of the aliases).
pub const SOURCE: &str = table::SOURCE;

/// The territory whose IANA id is the preferred one for a Windows zone ("the world").
pub const DEFAULT_TERRITORY: &str = "001";

/// Every Windows zone id the table knows, ordered by UTC offset as CLDR lists them.
pub fn windows_ids() -> impl Iterator<Item = &'static str> {
    table::WINDOWS_IDS.iter().copied()
}

fn unknown(id: &str) -> Error {
    Error::UnknownTimeZone {
        id: id.chars().take(100).collect(),
    }
}

/// The territories CLDR has rows for under `windows_id` (`001` first), each once.
pub fn territories(windows_id: &str) -> impl Iterator<Item = &'static str> {
    let windows_id = windows_id.trim().to_owned();
    table::MAP_ZONES
        .iter()
        .filter(move |(windows, _, _)| windows.eq_ignore_ascii_case(&windows_id))
        .map(|(_, territory, _)| *territory)
}

/// The IANA ids CLDR lists for `windows_id` in `territory` (an ISO 3166 region such as `CH`, or `001`
/// for the preferred one), the preferred one first. Empty when the pair is not in the table.
pub fn iana_ids(windows_id: &str, territory: &str) -> impl Iterator<Item = &'static str> {
    let windows_id = windows_id.trim();
    let territory = territory.trim();
    table::MAP_ZONES
        .iter()
        .filter(move |(windows, region, _)| {
            windows.eq_ignore_ascii_case(windows_id) && region.eq_ignore_ascii_case(territory)
        })
        .flat_map(|(_, _, ids)| ids.split(' '))
}

/// The IANA id of the Windows zone `windows_id`: the one CLDR lists for `territory`, or the preferred one
/// (territory `001`) when `territory` is `None` or has no entry of its own for this zone.
///
/// Windows ids compare without regard to ASCII case. An id the table does not know is
/// [`Error::UnknownTimeZone`].
pub fn windows_to_iana(windows_id: &str, territory: Option<&str>) -> Result<&'static str> {
    if let Some(territory) = territory
        && let Some(iana) = iana_ids(windows_id, territory).next()
    {
        return Ok(iana);
    }
    iana_ids(windows_id, DEFAULT_TERRITORY)
        .next()
        .ok_or_else(|| unknown(windows_id))
}

/// Finds `key` in a table sorted by its first column: exactly first, then without regard to ASCII case
/// (IANA ids are case-insensitive).
fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    match table.binary_search_by(|(id, _)| (*id).cmp(key)) {
        Ok(at) => table.get(at).map(|(_, value)| *value),
        Err(_) => table
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(key))
            .map(|(_, value)| *value),
    }
}

/// The Windows zone of the IANA zone `iana_id`.
///
/// Every IANA id CLDR lists maps (including each id of its multi-id rows, such as `Etc/GMT` beside
/// `Etc/UTC`), and so do the tzdb aliases of those zones (`Asia/Kolkata` for CLDR's `Asia/Calcutta`,
/// `Europe/Kyiv`, `US/Eastern`, `UTC`). An id the table does not know is [`Error::UnknownTimeZone`].
pub fn iana_to_windows(iana_id: &str) -> Result<&'static str> {
    let key = iana_id.trim();
    if let Some(windows) = lookup(&table::IANA_TO_WINDOWS, key) {
        return Ok(windows);
    }
    lookup(&table::IANA_ALIASES, key)
        .and_then(|canonical| lookup(&table::IANA_TO_WINDOWS, canonical))
        .ok_or_else(|| unknown(iana_id))
}

/// The Windows zone of a jiff time zone, by its IANA name. A zone without one (a fixed offset, a POSIX
/// rule) is [`Error::UnknownTimeZone`].
pub fn windows_id_of(zone: &jiff::tz::TimeZone) -> Result<&'static str> {
    match zone.iana_name() {
        Some(name) => iana_to_windows(name),
        None => Err(unknown(&format!("{zone:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reverse_tables_are_sorted_for_binary_search() {
        assert!(
            table::IANA_TO_WINDOWS
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0)
        );
        assert!(
            table::IANA_ALIASES
                .windows(2)
                .all(|pair| pair[0].0 < pair[1].0)
        );
    }

    /// Each alias is a zone jiff knows, with the offsets of the CLDR zone it stands for.
    #[test]
    fn every_alias_maps_to_the_windows_zone_of_an_equivalent_zone() {
        let probes: [jiff::Timestamp; 2] = [
            "2026-01-15T12:00:00Z".parse().unwrap(),
            "2026-07-15T12:00:00Z".parse().unwrap(),
        ];
        for (alias, canonical) in table::IANA_ALIASES {
            let windows = iana_to_windows(alias).unwrap();
            assert_eq!(iana_to_windows(canonical).unwrap(), windows);
            let (a, c) = (
                jiff::tz::TimeZone::get(alias).unwrap(),
                jiff::tz::TimeZone::get(canonical).unwrap(),
            );
            for at in probes {
                assert_eq!(a.to_offset(at), c.to_offset(at), "{alias} vs {canonical}");
            }
        }
    }

    #[test]
    fn lookups_ignore_ascii_case_and_surrounding_space() {
        assert_eq!(
            iana_to_windows("europe/london").unwrap(),
            "GMT Standard Time"
        );
        assert_eq!(
            windows_to_iana(" tokyo standard time ", None).unwrap(),
            "Asia/Tokyo"
        );
    }
}
