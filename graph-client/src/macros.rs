//! The two macros every model type is made with: open string enums and Graph object structs.

/// Declares a string enum a server fills in: `#[non_exhaustive]`, with an `Unknown(String)` variant that
/// keeps any value this crate does not know, so one new value never fails a whole response. Known values
/// match case-insensitively and serialize in the spelling given here.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know, kept verbatim.
            Unknown(String),
        }

        impl $name {
            /// The value as Graph spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $( if value.eq_ignore_ascii_case($wire) { return Self::$variant; } )+
                Self::Unknown(value.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    };
}

/// Declares a Graph object. Every listed field is optional; fields are camelCase on the wire unless a
/// `#[serde(rename)]` says otherwise, and every property this crate does not model (including `@odata.*`
/// annotations) is kept in `extra` and written back on serialization.
///
/// `entity` structs (resources with an id) use [`crate::Field`] so that an absent property (not reported,
/// as in a delta update) stays distinct from an explicit `null` (cleared); the same struct then serves
/// as a create or PATCH body that carries only the properties that are set. `complex` structs (values
/// inside a resource, replaced as a whole) use `Option`.
macro_rules! graph_object {
    (
        entity
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// The id Graph assigned. Absent in create bodies.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub id: Option<String>,
            /// The `@odata.etag` version marker (`W/"..."`), for `If-Match`.
            #[serde(rename = "@odata.etag", default, skip_serializing_if = "Option::is_none")]
            pub etag: Option<String>,
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "crate::Field::is_absent")]
                pub $field: crate::Field<$ty>,
            )*
            /// Every property not modelled above, verbatim (including `@odata.*` annotations).
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
    (
        complex
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Every property not modelled above, verbatim.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}
