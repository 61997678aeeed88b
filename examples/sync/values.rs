//! The canonical field values every side agrees on: the EWS and Graph mappings and the CRM all build
//! sync-core [`Value`]s through these functions, so the same content hashes the same on each side.
//!
//! | field | value |
//! |---|---|
//! | names, subject, body, location, company, job title | [`Value::text`], or [`Value::Null`] when empty |
//! | email addresses, attendees, recipients | a set of lower-case addresses |
//! | phones | a set of `business:…`, `home:…`, `mobile:…` entries |
//! | postal address | five lines: street, city, state, postal code, country (or `Null`) |
//! | start, end, due, sent | an instant in UTC with zone `UTC` (or `Null`) |
//! | task status | [`TaskState`] as an integer |
//! | priority | 0 low, 1 normal, 2 high |

use sync_core::{Timestamp, Value};

/// Text, or `Null` when absent or blank.
pub fn text(value: Option<&str>) -> Value {
    match value.map(str::trim) {
        Some(t) if !t.is_empty() => Value::text(t),
        _ => Value::Null,
    }
}

/// The text of a value (`None` for `Null` and non-text values).
pub fn as_text(value: Option<&Value>) -> Option<&str> {
    match value {
        Some(Value::Text(t)) => Some(t),
        _ => None,
    }
}

/// A set of e-mail addresses, trimmed and lower-cased (addresses compare case-insensitively).
pub fn addresses<I, S>(items: I) -> Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    Value::set(
        items
            .into_iter()
            .map(|a| a.as_ref().trim().to_ascii_lowercase())
            .filter(|a| !a.is_empty()),
    )
}

/// The members of a set value (empty for anything else).
pub fn as_set(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::Set(items)) => items.iter().map(|s| &**s).collect(),
        _ => Vec::new(),
    }
}

/// The kinds of phone number that are synced, with the prefix they carry in the phone set.
pub const PHONE_KINDS: [PhoneKind; 3] = [PhoneKind::Business, PhoneKind::Home, PhoneKind::Mobile];

/// A kind of phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// Business phone.
    Business,
    /// Home phone.
    Home,
    /// Mobile phone.
    Mobile,
}

impl PhoneKind {
    /// The prefix in the phone set (`business`, `home`, `mobile`).
    pub fn prefix(self) -> &'static str {
        match self {
            PhoneKind::Business => "business",
            PhoneKind::Home => "home",
            PhoneKind::Mobile => "mobile",
        }
    }
}

/// The phone set from (kind, number) pairs; blank numbers are left out.
pub fn phones<'a>(numbers: impl IntoIterator<Item = (PhoneKind, &'a str)>) -> Value {
    Value::set(
        numbers
            .into_iter()
            .filter(|(_, n)| !n.trim().is_empty())
            .map(|(k, n)| format!("{}:{}", k.prefix(), n.trim())),
    )
}

/// The numbers of one kind in a phone set.
pub fn phones_of(value: Option<&Value>, kind: PhoneKind) -> Vec<&str> {
    as_set(value)
        .into_iter()
        .filter_map(|entry| entry.split_once(':'))
        .filter(|(prefix, _)| *prefix == kind.prefix())
        .map(|(_, number)| number)
        .collect()
}

/// A postal address: street, city, state, postal code, country.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Postal {
    /// Street.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or province.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country or region.
    pub country: Option<String>,
}

impl Postal {
    /// The canonical value: five lines, or `Null` when every part is empty.
    pub fn to_value(&self) -> Value {
        let parts = [
            &self.street,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.country,
        ];
        let lines: Vec<&str> = parts
            .iter()
            .map(|p| p.as_deref().map(str::trim).unwrap_or_default())
            .collect();
        if lines.iter().all(|l| l.is_empty()) {
            return Value::Null;
        }
        // Empty lines would be lost to trailing-whitespace canonicalisation; a dash keeps the place.
        let lines: Vec<&str> = lines
            .into_iter()
            .map(|l| if l.is_empty() { "-" } else { l })
            .collect();
        Value::text(&lines.join("\n"))
    }

    /// The parts of a canonical postal value (all empty for `Null`).
    pub fn from_value(value: Option<&Value>) -> Postal {
        let Some(text) = as_text(value) else {
            return Postal::default();
        };
        let mut lines = text.split('\n').map(|l| {
            let l = l.trim();
            (!l.is_empty() && l != "-").then(|| l.to_owned())
        });
        Postal {
            street: lines.next().flatten(),
            city: lines.next().flatten(),
            state: lines.next().flatten(),
            postal_code: lines.next().flatten(),
            country: lines.next().flatten(),
        }
    }
}

/// An instant (UTC), or `Null`.
pub fn instant(at: Option<jiff::Timestamp>) -> Value {
    match at {
        Some(t) => Value::instant(Timestamp(t.as_millisecond()), "UTC"),
        None => Value::Null,
    }
}

/// The instant of a value.
pub fn as_instant(value: Option<&Value>) -> Option<jiff::Timestamp> {
    match value {
        Some(Value::Instant { utc_millis, .. }) => {
            jiff::Timestamp::from_millisecond(*utc_millis).ok()
        }
        _ => None,
    }
}

/// A flag value (absent reads as false).
pub fn as_bool(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Bool(true)))
}

/// A task's progress, shared by EWS `Status`, Graph `status` and the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// Not started.
    NotStarted,
    /// In progress.
    InProgress,
    /// Completed.
    Completed,
    /// Waiting on someone else.
    WaitingOnOthers,
    /// Deferred.
    Deferred,
}

impl TaskState {
    /// The canonical value.
    pub fn to_value(self) -> Value {
        Value::Int(match self {
            TaskState::NotStarted => 0,
            TaskState::InProgress => 1,
            TaskState::Completed => 2,
            TaskState::WaitingOnOthers => 3,
            TaskState::Deferred => 4,
        })
    }

    /// The state of a canonical value (anything unknown reads as not started).
    pub fn from_value(value: Option<&Value>) -> TaskState {
        match value {
            Some(Value::Int(1)) => TaskState::InProgress,
            Some(Value::Int(2)) => TaskState::Completed,
            Some(Value::Int(3)) => TaskState::WaitingOnOthers,
            Some(Value::Int(4)) => TaskState::Deferred,
            _ => TaskState::NotStarted,
        }
    }
}

/// Priority: 0 low, 1 normal, 2 high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// Low.
    Low,
    /// Normal.
    Normal,
    /// High.
    High,
}

impl Priority {
    /// The canonical value.
    pub fn to_value(self) -> Value {
        Value::Int(match self {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
        })
    }

    /// The priority of a canonical value (anything unknown reads as normal).
    pub fn from_value(value: Option<&Value>) -> Priority {
        match value {
            Some(Value::Int(0)) => Priority::Low,
            Some(Value::Int(2)) => Priority::High,
            _ => Priority::Normal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_addresses_survive_the_round_trip_even_with_gaps() {
        let p = Postal {
            street: Some("1 Main St".into()),
            city: None,
            state: Some("WA".into()),
            postal_code: None,
            country: Some("USA".into()),
        };
        assert_eq!(Postal::from_value(Some(&p.to_value())), p);
        assert_eq!(Postal::default().to_value(), Value::Null);
    }

    #[test]
    fn phones_keep_their_kind() {
        let v = phones([
            (PhoneKind::Business, "+1 555 0100"),
            (PhoneKind::Mobile, " "),
        ]);
        assert_eq!(phones_of(Some(&v), PhoneKind::Business), ["+1 555 0100"]);
        assert!(phones_of(Some(&v), PhoneKind::Mobile).is_empty());
    }

    #[test]
    fn addresses_compare_without_case() {
        assert_eq!(addresses(["Ann@X.example"]), addresses([" ann@x.example"]));
        assert_eq!(text(Some("  ")), Value::Null);
    }
}
