//! The backend-neutral vocabulary: sides, record kinds, mapped fields and their canonical values.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::hash::StableHasher;

/// One of the two systems kept in step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Side {
    /// The CRM.
    Crm,
    /// The Exchange mailbox (EWS or Graph).
    Exchange,
}

impl Side {
    /// The other side.
    #[must_use]
    pub fn other(self) -> Side {
        match self {
            Side::Crm => Side::Exchange,
            Side::Exchange => Side::Crm,
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Side::Crm => 0,
            Side::Exchange => 1,
        }
    }

    pub(crate) const BOTH: [Side; 2] = [Side::Crm, Side::Exchange];
}

/// The kind of record a linked pair holds; each kind has its own mapped fields and policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    /// A tracked email (CRM email activity).
    Email,
    /// A contact.
    Contact,
    /// A task.
    Task,
    /// A meeting (appointment). Occurrences of a series are their own records, see [`Occurrence`].
    Meeting,
}

impl RecordKind {
    /// All kinds, in a fixed order.
    pub const ALL: [RecordKind; 4] = [
        RecordKind::Email,
        RecordKind::Contact,
        RecordKind::Task,
        RecordKind::Meeting,
    ];

    /// The mapped fields of this kind, in the order the merge base stores their hashes.
    #[must_use]
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            RecordKind::Email => &[Subject, Body, From, To, Cc, SentAt],
            RecordKind::Contact => &[
                GivenName,
                Surname,
                Company,
                JobTitle,
                EmailAddresses,
                Phones,
                PostalAddress,
            ],
            RecordKind::Task => &[Subject, Body, DueAt, Status, Priority],
            RecordKind::Meeting => &[
                Subject, Body, Location, Start, End, AllDay, Attendees, Recurrence,
            ],
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            RecordKind::Email => 0,
            RecordKind::Contact => 1,
            RecordKind::Task => 2,
            RecordKind::Meeting => 3,
        }
    }
}

/// A mapped field. Which fields a kind has is given by [`RecordKind::fields`]; values of fields a
/// kind does not have are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[allow(missing_docs)] // the names are the documentation
pub enum Field {
    Subject,
    Body,
    From,
    To,
    Cc,
    SentAt,
    GivenName,
    Surname,
    Company,
    JobTitle,
    EmailAddresses,
    Phones,
    PostalAddress,
    DueAt,
    Status,
    Priority,
    Location,
    Start,
    End,
    AllDay,
    Attendees,
    Recurrence,
}

/// A server timestamp or a planning instant, in milliseconds since the Unix epoch, UTC.
///
/// The planner never reads a clock: `now` is an argument and item timestamps come from the servers.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// A timestamp from milliseconds since the Unix epoch.
    #[must_use]
    pub const fn from_unix_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    /// Milliseconds since the Unix epoch.
    #[must_use]
    pub const fn unix_millis(self) -> i64 {
        self.0
    }
}

/// A canonical field value. The constructors canonicalise (§2.3 of the sync reference), so two
/// renderings of the same content compare and hash equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Value {
    /// Explicitly empty (cleared). Distinct from a field that is absent from a partial payload.
    Null,
    /// Text with line endings normalised to `\n` and trailing whitespace removed.
    Text(Box<str>),
    /// An integer (priority, status codes).
    Int(i64),
    /// A flag.
    Bool(bool),
    /// An instant in UTC plus the time zone id it was entered in (wall-clock intent survives DST).
    Instant {
        /// Milliseconds since the Unix epoch, UTC.
        utc_millis: i64,
        /// IANA or Windows zone id, as given.
        zone: Box<str>,
    },
    /// A calendar date (all-day values), days since 1970-01-01.
    Date(i32),
    /// A set of strings (attendees, categories, addresses): sorted, deduplicated.
    Set(Box<[Box<str>]>),
}

impl Value {
    /// Canonical text: CRLF and CR become LF, trailing whitespace of each line and of the whole
    /// text is removed. Servers that re-serialise bodies therefore do not look like editors.
    #[must_use]
    pub fn text(s: &str) -> Value {
        let unified = s.replace("\r\n", "\n").replace('\r', "\n");
        let mut out = String::with_capacity(unified.len());
        for (i, line) in unified.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(line.trim_end());
        }
        let trimmed = out.trim_end();
        Value::Text(trimmed.into())
    }

    /// A canonical set: sorted and deduplicated (element comparison is exact; lower-case email
    /// addresses in the mapping if they should compare case-insensitively).
    #[must_use]
    pub fn set<I, S>(items: I) -> Value
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut v: Vec<Box<str>> = items.into_iter().map(|s| s.as_ref().into()).collect();
        v.sort_unstable();
        v.dedup();
        Value::Set(v.into_boxed_slice())
    }

    /// An instant with its zone id.
    #[must_use]
    pub fn instant(utc: Timestamp, zone: &str) -> Value {
        Value::Instant {
            utc_millis: utc.0,
            zone: zone.into(),
        }
    }

    /// The stable 64-bit hash the merge base stores for this value (XXH3-based, fixed across
    /// runs, platforms and builds; never 0). Text is hashed in canonical form.
    #[must_use]
    pub fn stable_hash(&self) -> u64 {
        let mut h = StableHasher::new();
        match self {
            Value::Null => h.tag(0),
            Value::Text(s) => {
                // Hash the canonical form even when an adapter built the variant directly.
                h.tag(1);
                if is_canonical_text(s) {
                    h.str(s);
                } else if let Value::Text(c) = Value::text(s) {
                    h.str(&c);
                }
            }
            Value::Int(i) => {
                h.tag(2);
                h.u64(*i as u64);
            }
            Value::Bool(b) => {
                h.tag(3);
                h.u64(u64::from(*b));
            }
            Value::Instant { utc_millis, zone } => {
                h.tag(4);
                h.u64(*utc_millis as u64);
                h.str(zone);
            }
            Value::Date(d) => {
                h.tag(5);
                h.u64(*d as u32 as u64);
            }
            Value::Set(items) => {
                h.tag(6);
                h.u64(items.len() as u64);
                for i in items.iter() {
                    h.str(i);
                }
            }
        }
        // 0 is reserved for "no base" in the merge base.
        h.finish().max(1)
    }
}

/// True when `s` is already in the form [`Value::text`] produces (no CR, no trailing blanks).
fn is_canonical_text(s: &str) -> bool {
    !s.contains('\r')
        && s.len() == s.trim_end().len()
        && s.split('\n').all(|l| l.len() == l.trim_end().len())
}

/// A set of mapped field values, sorted by field. A partial payload (Graph delta) simply leaves
/// fields out: an absent field means "unchanged", never "empty".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Fields(Vec<(Field, Value)>);

impl Fields {
    /// No fields.
    #[must_use]
    pub fn new() -> Self {
        Fields(Vec::new())
    }

    /// Sets a field (replacing an earlier value), builder style.
    #[must_use]
    pub fn with(mut self, field: Field, value: Value) -> Self {
        self.set(field, value);
        self
    }

    /// Sets a field, replacing an earlier value.
    pub fn set(&mut self, field: Field, value: Value) {
        match self.0.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (field, value)),
        }
    }

    /// The value of a field, if present.
    #[must_use]
    pub fn get(&self, field: Field) -> Option<&Value> {
        self.0
            .binary_search_by_key(&field, |(f, _)| *f)
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Iterates over present fields in field order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &Value)> {
        self.0.iter().map(|(f, v)| (*f, v))
    }

    /// Number of present fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no field is present.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when every mapped field of `kind` is present.
    #[must_use]
    pub fn is_complete_for(&self, kind: RecordKind) -> bool {
        kind.fields().iter().all(|f| self.get(*f).is_some())
    }
}

impl FromIterator<(Field, Value)> for Fields {
    fn from_iter<T: IntoIterator<Item = (Field, Value)>>(iter: T) -> Self {
        let mut f = Fields::new();
        for (k, v) in iter {
            f.set(k, v);
        }
        f
    }
}

/// The correlation key K stamped on every item we create or link (a named extended property on
/// Exchange, an idempotency key on the CRM), so a retried create finds the first attempt.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CorrelationKey(pub [u8; 16]);

impl CorrelationKey {
    /// Parses the 32-hex-digit form (hyphens allowed, as in a UUID).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let mut out = [0u8; 16];
        let mut n = 0usize;
        let mut hi: Option<u8> = None;
        for c in s.chars() {
            if c == '-' {
                continue;
            }
            let d = c.to_digit(16)? as u8;
            match hi.take() {
                None => hi = Some(d),
                Some(h) => {
                    *out.get_mut(n)? = (h << 4) | d;
                    n += 1;
                }
            }
        }
        (n == 16 && hi.is_none()).then_some(CorrelationKey(out))
    }
}

impl fmt::Display for CorrelationKey {
    /// UUID layout, lower-case hex: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for CorrelationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CorrelationKey({self})")
    }
}

/// Identifies one occurrence of a recurring series: the master's id and the original start.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Occurrence {
    /// The series master's item id on this side.
    pub master: String,
    /// The occurrence's original start (before any reschedule).
    pub original_start: Timestamp,
}

/// Facts the delete and lock rules need, reported with an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ItemFacts {
    /// Meeting start (or task due) instant, when known.
    pub start: Option<Timestamp>,
    /// Exchange: the syncing user organises this meeting.
    pub user_is_organizer: bool,
    /// Exchange: the task is completed.
    pub completed: bool,
    /// CRM: the record is Completed/Canceled and takes no inbound change.
    pub locked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_ignores_line_ending_and_trailing_space() {
        assert_eq!(Value::text("a \r\nb\r\n\r\n"), Value::text("a\nb"));
        let raw = Value::Text("a \r\nb\r\n".into());
        assert_eq!(raw.stable_hash(), Value::text("a\nb").stable_hash());
        assert_ne!(Value::text("a b"), Value::text("ab"));
    }

    #[test]
    fn sets_ignore_order_and_duplicates() {
        assert_eq!(Value::set(["b", "a", "b"]), Value::set(["a", "b"]));
        assert_eq!(
            Value::set(["b", "a"]).stable_hash(),
            Value::set(["a", "b"]).stable_hash()
        );
    }

    #[test]
    fn correlation_key_round_trips_through_text() {
        let k = CorrelationKey([0xab; 16]);
        let s = k.to_string();
        assert_eq!(s.len(), 36);
        assert_eq!(CorrelationKey::parse(&s), Some(k));
        assert_eq!(CorrelationKey::parse("xyz"), None);
        assert_eq!(CorrelationKey::parse(&s[..34]), None);
    }

    #[test]
    fn partial_fields_know_whether_they_are_complete() {
        let f = Fields::new().with(Field::Subject, Value::text("x"));
        assert!(!f.is_complete_for(RecordKind::Task));
        let full: Fields = RecordKind::Task
            .fields()
            .iter()
            .map(|f| (*f, Value::Null))
            .collect();
        assert!(full.is_complete_for(RecordKind::Task));
    }
}
