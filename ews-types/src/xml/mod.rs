//! The XML layer: a namespace-aware reader, a writer, and the two traits every model type implements.
//!
//! Every type of the model implements [`XmlElement`]: it writes itself as one element under a name the
//! caller chooses, and reads itself back from that element. Types whose content is an XSD `sequence` of
//! child elements also implement [`XmlSequence`], which writes the children in schema order and reads them
//! in any order, so that derived schema types (a `Message` extends an `Item`) can reuse their base.

mod calendar_values;
mod lexer;
mod reader;
mod writer;

pub use reader::{ParseLimits, Start, XmlReader};
pub use writer::XmlWriter;

use crate::error::{Error, Result};

/// The EWS `messages` namespace.
pub const MESSAGES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/messages";
/// The EWS `types` namespace.
pub const TYPES_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/types";
/// The EWS `errors` namespace used in SOAP fault details.
pub const ERRORS_NS: &str = "http://schemas.microsoft.com/exchange/services/2006/errors";
/// The SOAP 1.1 envelope namespace.
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.2 envelope namespace.
pub const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
/// The `https://` spelling of the SOAP 1.1 namespace found in many of Microsoft's documentation samples.
pub const SOAP11_HTTPS_NS: &str = "https://schemas.xmlsoap.org/soap/envelope/";

/// The namespaces this crate distinguishes, matched by URI whatever prefix a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ns {
    /// The EWS `messages` namespace.
    Messages,
    /// The EWS `types` namespace.
    Types,
    /// The EWS `errors` namespace.
    Errors,
    /// A SOAP envelope namespace (1.1, 1.2, or the `https://` variant of 1.1).
    Soap,
    /// No namespace.
    None,
    /// Any other namespace.
    Other,
}

impl Ns {
    pub(crate) fn from_uri(uri: &str) -> Ns {
        match uri {
            MESSAGES_NS => Ns::Messages,
            TYPES_NS => Ns::Types,
            ERRORS_NS => Ns::Errors,
            SOAP11_NS | SOAP12_NS | SOAP11_HTTPS_NS => Ns::Soap,
            "" => Ns::None,
            _ => Ns::Other,
        }
    }

    pub(crate) fn uri(self) -> &'static str {
        match self {
            Ns::Messages => MESSAGES_NS,
            Ns::Types => TYPES_NS,
            Ns::Errors => ERRORS_NS,
            Ns::Soap => SOAP11_NS,
            Ns::None | Ns::Other => "",
        }
    }
}

/// A type that is written as one XML element and read back from one.
pub trait XmlElement: Sized {
    /// Writes the whole element, start tag to end tag, under `name` (with its prefix, e.g. `t:Subject`).
    fn write_element(&self, w: &mut XmlWriter, name: &str);
    /// Reads the element whose start tag is `start`, consuming it through its end tag.
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self>;
    /// Like [`read_element`](Self::read_element), into a box. Large sequences (a calendar item is
    /// over 3 KB) override it to fill the box in place rather than move the value into it.
    fn read_boxed<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Box<Self>> {
        Self::read_element(r, start).map(Box::new)
    }
}

/// A type whose content is an XSD `sequence` of child elements.
pub trait XmlSequence {
    /// Writes the child elements, in the order the schema requires.
    fn write_children(&self, w: &mut XmlWriter);
    /// Reads one child element if this type knows it; returns `false` (without consuming it) otherwise.
    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool>;
}

/// A type written as one of several elements (a schema `choice`): the element's name says which variant
/// it is (`t:Message` or `t:Contact`, `t:FolderId` or `t:DistinguishedFolderId`...).
pub trait XmlChoice: Sized {
    /// Writes the element of this variant.
    fn write_choice(&self, w: &mut XmlWriter);
    /// Reads `start` if it is one of this type's elements; `Ok(None)`, with nothing consumed, otherwise.
    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>>;
}

/// A wrapper element holding any number of choice elements (`Items`, `Folders`, `ItemIds`, `Changes`,
/// `AdditionalProperties`...). Children that are none of them are skipped.
impl<T: XmlChoice> XmlElement for Vec<T> {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        for value in self {
            value.write_choice(w);
        }
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut values = Vec::new();
        r.children(start, |r, child| {
            Ok(match T::read_choice(r, child)? {
                Some(value) => {
                    values.push(value);
                    true
                }
                None => false,
            })
        })?;
        Ok(values)
    }
}

/// Reads the first choice element among `start`'s children (skipping the rest); `what` names the
/// expected elements in the error when there is none.
pub(crate) fn read_one_choice<'a, T: XmlChoice>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    what: &str,
) -> Result<T> {
    let mut found = None;
    r.children(start, |r, child| {
        if found.is_some() {
            return Ok(false);
        }
        found = T::read_choice(r, child)?;
        Ok(found.is_some())
    })?;
    found.ok_or_else(|| Error::missing(what, start.local_name()))
}

/// Reads a text-only element and converts its text with `convert`.
pub(crate) fn read_parsed<'a, T>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    expected: &'static str,
    convert: impl FnOnce(&str) -> Option<T>,
) -> Result<T> {
    let text = r.read_str(start)?;
    convert(lexer::trim_xml_space(&text))
        .ok_or_else(|| Error::invalid_value(start.local_name(), &text, expected))
}

impl XmlElement for String {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, self);
    }
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        r.read_text(start)
    }
}

/// Parses an `xs:boolean` (`true`, `false`, `1`, `0`).
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

impl XmlElement for bool {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, if *self { "true" } else { "false" });
    }
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_parsed(r, start, "a boolean", parse_bool)
    }
}

macro_rules! number_element {
    ($($ty:ty => $what:literal),*) => {$(
        impl XmlElement for $ty {
            fn write_element(&self, w: &mut XmlWriter, name: &str) {
                w.text_element(name, &self.to_string());
            }
            fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
                read_parsed(r, start, $what, |t| t.parse().ok())
            }
        }
    )*};
}
number_element!(i32 => "an integer", i64 => "an integer", u32 => "a non-negative integer", f64 => "a number");

/// Parses an `xs:dateTime`. Values with `Z` or an offset are exact; a value without an offset (which
/// servers never send, but documentation samples do) is read as UTC, as Exchange itself does without a
/// `TimeZoneContext`.
pub fn parse_date_time(text: &str) -> Option<jiff::Timestamp> {
    if let Some(ts) = parse_utc_seconds(text) {
        return Some(ts);
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts);
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    civil
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// The shape servers send almost every time, `YYYY-MM-DDTHH:MM:SSZ`, read without a general parser;
/// `None` for anything else (fractions, offsets, leap seconds, years before 1), which
/// [`parse_date_time`] then hands to jiff.
fn parse_utc_seconds(text: &str) -> Option<jiff::Timestamp> {
    let b: &[u8; 20] = text.as_bytes().try_into().ok()?;
    if b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<i64> {
        b[from..to].iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?);
    let (hour, minute, second) = (digits(11, 13)?, digits(14, 16)?, digits(17, 19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year < 1 || day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    // Days from 1970-01-01 to the date in the proleptic Gregorian calendar, counting in 400-year
    // eras that start on 1 March (so the leap day ends a year).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    jiff::Timestamp::from_second(days * 86_400 + hour * 3_600 + minute * 60 + second).ok()
}

/// Formats a timestamp as an `xs:dateTime` in UTC with a `Z`: never a naive value.
pub fn format_date_time(ts: &jiff::Timestamp) -> String {
    ts.to_string()
}

impl XmlElement for jiff::Timestamp {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, &format_date_time(self));
    }
    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        read_parsed(r, start, "an xs:dateTime", parse_date_time)
    }
}

/// Declares an open enumeration of schema string values: `#[non_exhaustive]`, with an `Unknown(String)`
/// variant that keeps any value this crate does not know, so a new server value never fails a response.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept exactly as the server sent it.
            Unknown(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Unknown(text) => text,
                }
            }

            /// The variant for a wire value; unknown values are kept in `Unknown`.
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $( $text => $name::$variant, )*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::from_wire(text)
            }
        }

        impl $crate::xml::XmlAttr for $name {
            fn to_attr(&self) -> std::borrow::Cow<'_, str> {
                self.as_str().into()
            }
            fn from_attr(_: &str, text: &str) -> $crate::error::Result<Self> {
                Ok(Self::from_wire(text.trim()))
            }
        }

        impl $crate::xml::XmlElement for $name {
            fn write_element(&self, w: &mut $crate::xml::XmlWriter, name: &str) {
                w.text_element(name, self.as_str());
            }
            fn read_element<'a>(
                r: &mut $crate::xml::XmlReader<'a>,
                start: &$crate::xml::Start<'a>,
            ) -> $crate::error::Result<Self> {
                Ok(Self::from_wire(r.read_str(start)?.trim()))
            }
        }
    };
}
pub(crate) use open_enum;

/// The Rust type of a field declared in [`xml_sequence!`]: `req` is `T` (a required element, always
/// written; left at its default when a document lacks it), `opt` is `Option<T>`, `vec` a repeated element
/// (`Vec<T>`), `list` a wrapper element holding repeated children (`Option<Vec<T>>`).
macro_rules! field_type {
    (req $ty:ty) => { $ty };
    (opt $ty:ty) => { Option<$ty> };
    (vec $ty:ty) => { Vec<$ty> };
    (list $ty:ty) => { Option<Vec<$ty>> };
}
pub(crate) use field_type;

macro_rules! write_field {
    (req, $w:expr, $value:expr, $name:expr) => {
        $crate::xml::XmlElement::write_element($value, $w, $name);
    };
    (opt, $w:expr, $value:expr, $name:expr) => {
        if let Some(value) = $value {
            $crate::xml::XmlElement::write_element(value, $w, $name);
        }
    };
    (vec, $w:expr, $value:expr, $name:expr) => {
        for value in $value {
            $crate::xml::XmlElement::write_element(value, $w, $name);
        }
    };
    (list, $w:expr, $value:expr, $name:expr, $child:expr) => {
        if let Some(values) = $value {
            $w.open($name).close();
            for value in values {
                $crate::xml::XmlElement::write_element(value, $w, $child);
            }
            $w.end($name);
        }
    };
}
pub(crate) use write_field;

macro_rules! read_field {
    (req, $r:expr, $start:expr, $slot:expr) => {
        $slot = $crate::xml::XmlElement::read_element($r, $start)?
    };
    (opt, $r:expr, $start:expr, $slot:expr) => {
        $slot = Some($crate::xml::XmlElement::read_element($r, $start)?)
    };
    (vec, $r:expr, $start:expr, $slot:expr) => {
        $slot.push($crate::xml::XmlElement::read_element($r, $start)?)
    };
    (list, $r:expr, $start:expr, $slot:expr, $child:literal) => {{
        let mut values = Vec::new();
        $r.children($start, |r, c| {
            if c.local_name() == $child {
                values.push($crate::xml::XmlElement::read_element(r, c)?);
                Ok(true)
            } else {
                Ok(false)
            }
        })?;
        $slot = Some(values);
    }};
}
pub(crate) use read_field;

/// A value written as an attribute.
pub trait XmlAttr: Sized {
    /// The attribute text.
    fn to_attr(&self) -> std::borrow::Cow<'_, str>;
    /// Parses the attribute text of `@name`.
    fn from_attr(name: &str, text: &str) -> Result<Self>;
}

impl XmlAttr for String {
    fn to_attr(&self) -> std::borrow::Cow<'_, str> {
        self.as_str().into()
    }
    fn from_attr(_: &str, text: &str) -> Result<Self> {
        Ok(text.to_owned())
    }
}

impl XmlAttr for bool {
    fn to_attr(&self) -> std::borrow::Cow<'_, str> {
        if *self { "true" } else { "false" }.into()
    }
    fn from_attr(name: &str, text: &str) -> Result<Self> {
        parse_bool(text.trim())
            .ok_or_else(|| Error::invalid_value(&format!("@{name}"), text, "a boolean"))
    }
}

impl XmlAttr for i32 {
    fn to_attr(&self) -> std::borrow::Cow<'_, str> {
        self.to_string().into()
    }
    fn from_attr(name: &str, text: &str) -> Result<Self> {
        text.trim()
            .parse()
            .map_err(|_| Error::invalid_value(&format!("@{name}"), text, "an integer"))
    }
}

/// Declares a struct for an XSD `sequence`: its fields in schema order, each with its element name.
///
/// `element` also implements [`XmlElement`], with the attributes listed in an optional leading
/// `@attrs { field: Type = "Name"; }` block (each an `Option`); `children` implements only
/// [`XmlSequence`], for types that are written by hand. An optional `..base: Type;` field comes first:
/// its children are written before the struct's own, as XSD extension requires.
macro_rules! xml_sequence {
    (
        element
        $(#[$meta:meta])*
        pub struct $name:ident in $ns:ident $prefix:literal {
            @attrs { $( $(#[$ameta:meta])* $afield:ident : $aty:ty = $axml:literal ; )* }
            $($body:tt)*
        }
    ) => {
        $crate::xml::xml_sequence! {
            children $(#[$meta])* pub struct $name in $ns $prefix {
                @attrs { $( $(#[$ameta])* $afield : $aty = $axml ; )* }
                $($body)*
            }
        }

        impl $crate::xml::XmlElement for $name {
            fn write_element(&self, w: &mut $crate::xml::XmlWriter, name: &str) {
                w.open(name);
                $(
                    if let Some(value) = &self.$afield {
                        w.attr($axml, &$crate::xml::XmlAttr::to_attr(value));
                    }
                )*
                w.close();
                $crate::xml::XmlSequence::write_children(self, w);
                w.end(name);
            }
            fn read_element<'a>(
                r: &mut $crate::xml::XmlReader<'a>,
                start: &$crate::xml::Start<'a>,
            ) -> $crate::error::Result<Self> {
                let mut value = Self::default();
                Self::read_into(&mut value, r, start)?;
                Ok(value)
            }
            fn read_boxed<'a>(
                r: &mut $crate::xml::XmlReader<'a>,
                start: &$crate::xml::Start<'a>,
            ) -> $crate::error::Result<Box<Self>> {
                let mut value = Box::<Self>::default();
                Self::read_into(&mut value, r, start)?;
                Ok(value)
            }
        }

        impl $name {
            /// Reads the attributes and children of `start` into `value`.
            fn read_into<'a>(
                value: &mut Self,
                r: &mut $crate::xml::XmlReader<'a>,
                start: &$crate::xml::Start<'a>,
            ) -> $crate::error::Result<()> {
                const ATTRIBUTES: &[&str] = &[$($axml),*];
                if !ATTRIBUTES.is_empty() {
                    for attr in start.attributes() {
                        #[allow(unused_variables)]
                        let (name, text) = attr?;
                        match name {
                            $(
                                $axml => {
                                    value.$afield =
                                        Some($crate::xml::XmlAttr::from_attr($axml, &text)?);
                                }
                            )*
                            _ => {}
                        }
                    }
                }
                r.children(start, |r, c| $crate::xml::XmlSequence::read_child(value, r, c))
            }
        }
    };
    (
        element
        $(#[$meta:meta])*
        pub struct $name:ident in $ns:ident $prefix:literal { $($body:tt)* }
    ) => {
        $crate::xml::xml_sequence! {
            element $(#[$meta])* pub struct $name in $ns $prefix { @attrs {} $($body)* }
        }
    };
    (
        children
        $(#[$meta:meta])*
        pub struct $name:ident in $ns:ident $prefix:literal {
            $( @attrs { $( $(#[$ameta:meta])* $afield:ident : $aty:ty = $axml:literal ; )* } )?
            $( .. $base:ident : $base_ty:ty ; )?
            $( $(#[$fmeta:meta])* $kind:ident $field:ident : $fty:ty = $xml:literal $(/ $child:literal)? ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $($( $(#[$ameta])* pub $afield: Option<$aty>, )*)?
            $( /// The fields inherited from the base schema type.
               pub $base: $base_ty, )?
            $( $(#[$fmeta])* pub $field: $crate::xml::field_type!($kind $fty), )*
        }

        impl $crate::xml::XmlSequence for $name {
            fn write_children(&self, w: &mut $crate::xml::XmlWriter) {
                $( $crate::xml::XmlSequence::write_children(&self.$base, w); )?
                $(
                    $crate::xml::write_field!(
                        $kind, w, &self.$field, concat!($prefix, $xml) $(, concat!($prefix, $child))?
                    );
                )*
            }

            #[allow(unused_variables)]
            fn read_child<'a>(
                &mut self,
                r: &mut $crate::xml::XmlReader<'a>,
                child: &$crate::xml::Start<'a>,
            ) -> $crate::error::Result<bool> {
                $(
                    if $crate::xml::XmlSequence::read_child(&mut self.$base, r, child)? {
                        return Ok(true);
                    }
                )?
                if child.ns() != $crate::xml::Ns::$ns {
                    return Ok(false);
                }
                match child.local_name() {
                    $( $xml => { $crate::xml::read_field!($kind, r, child, self.$field $(, $child)?); } )*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        }
    };
}
pub(crate) use xml_sequence;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_utc_reading_agrees_with_jiff_on_every_day_and_refuses_what_jiff_refuses() {
        let mut date = jiff::civil::date(1899, 12, 25);
        let last = jiff::civil::date(2101, 1, 5);
        let mut checked = 0;
        while date <= last {
            let text = format!(
                "{date}T{:02}:{:02}:{:02}Z",
                checked % 24,
                checked % 60,
                (checked * 7) % 60
            );
            let expected: jiff::Timestamp = text.parse().unwrap();
            assert_eq!(parse_utc_seconds(&text), Some(expected), "{text}");
            date = date.tomorrow().unwrap();
            checked += 1;
        }
        assert!(checked > 73_000);
        for text in [
            "0001-01-01T00:00:00Z",
            "1600-02-29T12:00:00Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_utc_seconds(text), text.parse().ok(), "{text}");
        }
        for text in [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T23:60:00Z",
            "2026-01-01T23:59:60Z",
            "2026-01-01T+1:00:00Z",
            "0000-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_utc_seconds(text), None, "{text}");
        }
        // Other shapes go to jiff.
        assert_eq!(parse_utc_seconds("2026-01-01T10:00:00.5Z"), None);
        assert_eq!(
            parse_date_time("2026-01-01T12:00:00+02:00"),
            parse_date_time("2026-01-01T10:00:00Z")
        );
    }
}
