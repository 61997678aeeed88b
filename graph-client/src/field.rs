//! [`Field`]: a property that may be absent, explicitly null, or set.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A resource property as Graph reports it: absent (not reported), explicitly `null` (cleared), or a
/// value.
///
/// Delta updates carry the id plus *at least* the changed properties, so an absent property must never
/// be read as "cleared". On serialization an absent field is left out and a null one is written as
/// `null`, which makes the same type a precise PATCH body.
///
/// ```
/// use graph_client::{Field, model::Event};
/// let update: Event = serde_json::from_str(r#"{"id":"AAMk=","subject":null}"#).unwrap();
/// assert!(update.subject.is_null());
/// assert!(update.location.is_absent());
/// assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"id":"AAMk=","subject":null}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Field<T> {
    /// Not reported: the server said nothing about this property.
    #[default]
    Absent,
    /// Explicitly `null`: the property is cleared.
    Null,
    /// The property's value.
    Value(T),
}

impl<T> Field<T> {
    /// Whether the property was not reported.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the property was explicitly `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if one was given.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if one was given, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Applies this field to a stored value: absent keeps `current`, null clears it, a value replaces it.
    pub fn apply_to(self, current: &mut Option<T>) {
        match self {
            Self::Absent => {}
            Self::Null => *current = None,
            Self::Value(value) => *current = Some(value),
        }
    }
}

impl<T> From<T> for Field<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl From<&str> for Field<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}
