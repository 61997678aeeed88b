//! The Windows <-> IANA time zone table: every Windows zone maps to a zone jiff resolves and back to
//! itself, every IANA id and alias in the table maps to a Windows zone whose offsets agree, hand-checked
//! pairs hold, and unknown ids are a typed error, never UTC.

use ews_types::Error;
use ews_types::windows_zones::{iana_ids, iana_to_windows, windows_ids, windows_to_iana};
use jiff::Timestamp;
use jiff::tz::TimeZone;

#[test]
fn every_windows_zone_maps_to_a_zone_jiff_resolves_and_back_to_itself() {
    let mut count = 0;
    for windows in windows_ids() {
        let iana = windows_to_iana(windows, None).unwrap();
        let zone = TimeZone::get(iana)
            .unwrap_or_else(|e| panic!("{windows} -> {iana}, which jiff cannot resolve: {e}"));
        assert_eq!(
            iana_to_windows(iana).unwrap(),
            windows,
            "{windows} -> {iana}"
        );
        assert_eq!(
            ews_types::windows_zones::windows_id_of(&zone).unwrap(),
            windows
        );
        count += 1;
    }
    assert!(count >= 130, "only {count} Windows zones");
    println!("{count} Windows zones map to IANA and back");
}

#[test]
fn every_territory_id_resolves_and_maps_back_to_its_windows_zone() {
    let mut checked = 0;
    for windows in windows_ids() {
        for territory in ews_types::windows_zones::territories(windows) {
            for iana in iana_ids(windows, territory) {
                assert!(
                    TimeZone::get(iana).is_ok(),
                    "{iana} ({windows}, {territory})"
                );
                assert_eq!(iana_to_windows(iana).unwrap(), windows, "{iana}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 445, "{checked}");
    println!("{checked} (Windows zone, territory, IANA id) entries resolve and map back");
}

#[test]
fn hand_checked_pairs() {
    let pairs = [
        ("GMT Standard Time", "Europe/London"),
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Eastern Standard Time", "America/New_York"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("UTC", "Etc/UTC"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("India Standard Time", "Asia/Calcutta"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
    ];
    for (windows, iana) in pairs {
        assert_eq!(windows_to_iana(windows, None).unwrap(), iana);
        assert_eq!(iana_to_windows(iana).unwrap(), windows);
    }
    // Territory rows and the multi-id lists.
    assert_eq!(
        windows_to_iana("Eastern Standard Time", Some("CA")).unwrap(),
        "America/Toronto"
    );
    assert_eq!(
        windows_to_iana("GMT Standard Time", Some("IE")).unwrap(),
        "Europe/Dublin"
    );
    // A territory without a row of its own falls back to the preferred zone.
    assert_eq!(
        windows_to_iana("Tokyo Standard Time", Some("FR")).unwrap(),
        "Asia/Tokyo"
    );
    assert_eq!(iana_to_windows("Etc/GMT").unwrap(), "UTC");
    assert_eq!(
        iana_to_windows("America/Detroit").unwrap(),
        "Eastern Standard Time"
    );
    // Current tzdb names of zones CLDR spells the old way, and common aliases.
    assert_eq!(
        iana_to_windows("Asia/Kolkata").unwrap(),
        "India Standard Time"
    );
    assert_eq!(iana_to_windows("Europe/Kyiv").unwrap(), "FLE Standard Time");
    assert_eq!(iana_to_windows("UTC").unwrap(), "UTC");
    assert_eq!(
        iana_to_windows("US/Eastern").unwrap(),
        "Eastern Standard Time"
    );
}

#[test]
fn unknown_ids_are_typed_errors_never_utc() {
    for windows in [
        "Customized Time Zone",
        "Mitteleuropäische Zeit",
        "",
        "Europe/London",
    ] {
        match windows_to_iana(windows, None) {
            Err(Error::UnknownTimeZone { id }) => assert_eq!(id, windows),
            other => panic!("{windows:?}: {other:?}"),
        }
    }
    for iana in ["Mars/Olympus_Mons", "GMT Standard Time", "", "Etc/GMT+99"] {
        assert!(
            matches!(iana_to_windows(iana), Err(Error::UnknownTimeZone { .. })),
            "{iana:?}"
        );
    }
    let error = windows_to_iana("Customized Time Zone", None).unwrap_err();
    assert!(
        error.to_string().contains("Customized Time Zone"),
        "{error}"
    );
    let fixed = TimeZone::fixed(jiff::tz::offset(5));
    assert!(ews_types::windows_zones::windows_id_of(&fixed).is_err());
}

/// Every IANA id listed for a Windows zone, in any territory, has the offsets of the zone's preferred id
/// in January and July 2026, except where a region changed its rules after the CLDR release the table
/// comes from (listed here; such ids still map, as CLDR says).
#[test]
fn ids_sharing_a_windows_zone_share_its_offsets_in_2026() {
    const CHANGED_SINCE_CLDR: &[&str] = &[
        // -02 with EU-style daylight time since 2024 (tzdata 2024b); CLDR 2021a still groups it with the Azores.
        "America/Scoresbysund",
        // +05 since December 2023 (tzdata 2023d); CLDR 2021a still says +06.
        "Antarctica/Vostok",
        // +08 since 2023 (tzdata 2023d); CLDR 2021a still groups it with +11 zones.
        "Antarctica/Casey",
    ];
    let probes: [Timestamp; 2] = [
        "2026-01-15T12:00:00Z".parse().unwrap(),
        "2026-07-15T12:00:00Z".parse().unwrap(),
    ];
    let mut mismatches = Vec::new();
    for windows in windows_ids() {
        let preferred = TimeZone::get(windows_to_iana(windows, None).unwrap()).unwrap();
        let territories = ews_types::windows_zones::territories(windows);
        for iana in territories.flat_map(|territory| iana_ids(windows, territory)) {
            let zone = TimeZone::get(iana).unwrap();
            let differs = probes
                .iter()
                .any(|&at| zone.to_offset(at) != preferred.to_offset(at));
            if differs && !CHANGED_SINCE_CLDR.contains(&iana) {
                mismatches.push(format!("{windows}: {iana}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:?}");
}
