//! Extended (MAPI) properties: how to address them and their values.
//!
//! Use named properties in a property set of your own (a GUID) for data such as a CRM correlation key:
//! custom tags in 0x8000–0xFFFE differ per database.

use crate::error::{Error, Result};
use crate::xml::{Start, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};

open_enum! {
    /// Well-known MAPI property sets (`DistinguishedPropertySetId`).
    pub enum PropertySet {
        /// PSETID_Meeting.
        Meeting = "Meeting",
        /// PSETID_Appointment.
        Appointment = "Appointment",
        /// PSETID_Common.
        Common = "Common",
        /// PS_PUBLIC_STRINGS.
        PublicStrings = "PublicStrings",
        /// PSETID_Address.
        Address = "Address",
        /// PS_INTERNET_HEADERS.
        InternetHeaders = "InternetHeaders",
        /// PSETID_CalendarAssistant.
        CalendarAssistant = "CalendarAssistant",
        /// PSETID_UnifiedMessaging.
        UnifiedMessaging = "UnifiedMessaging",
        /// PSETID_Task.
        Task = "Task",
        /// PSETID_Sharing.
        Sharing = "Sharing",
    }
}

open_enum! {
    /// The MAPI type of an extended property (`PropertyType`, always required).
    pub enum MapiPropertyType {
        /// PT_APPTIME.
        ApplicationTime = "ApplicationTime",
        /// Array of PT_APPTIME.
        ApplicationTimeArray = "ApplicationTimeArray",
        /// PT_BINARY (base64 in values).
        Binary = "Binary",
        /// Array of PT_BINARY.
        BinaryArray = "BinaryArray",
        /// PT_BOOLEAN.
        Boolean = "Boolean",
        /// PT_CLSID.
        Clsid = "CLSID",
        /// Array of PT_CLSID.
        ClsidArray = "CLSIDArray",
        /// PT_CURRENCY.
        Currency = "Currency",
        /// Array of PT_CURRENCY.
        CurrencyArray = "CurrencyArray",
        /// PT_DOUBLE.
        Double = "Double",
        /// Array of PT_DOUBLE.
        DoubleArray = "DoubleArray",
        /// PT_ERROR.
        Error = "Error",
        /// PT_FLOAT.
        Float = "Float",
        /// Array of PT_FLOAT.
        FloatArray = "FloatArray",
        /// PT_LONG.
        Integer = "Integer",
        /// Array of PT_LONG.
        IntegerArray = "IntegerArray",
        /// PT_I8.
        Long = "Long",
        /// Array of PT_I8.
        LongArray = "LongArray",
        /// PT_NULL.
        Null = "Null",
        /// PT_OBJECT.
        Object = "Object",
        /// Array of PT_OBJECT.
        ObjectArray = "ObjectArray",
        /// PT_SHORT.
        Short = "Short",
        /// Array of PT_SHORT.
        ShortArray = "ShortArray",
        /// PT_SYSTIME.
        SystemTime = "SystemTime",
        /// Array of PT_SYSTIME.
        SystemTimeArray = "SystemTimeArray",
        /// PT_UNICODE.
        String = "String",
        /// Array of PT_UNICODE.
        StringArray = "StringArray",
    }
}

/// The address of an extended property (`ExtendedFieldURI`).
///
/// Either a property set (well-known or a GUID) with a name or numeric id, or a property tag alone; the
/// type is always required.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExtendedFieldUri {
    /// A well-known property set.
    pub distinguished_property_set: Option<PropertySet>,
    /// A property set GUID.
    pub property_set_id: Option<String>,
    /// A property tag such as `0x1000`.
    pub property_tag: Option<String>,
    /// A property name within the set.
    pub property_name: Option<String>,
    /// A numeric property id within the set.
    pub property_id: Option<i32>,
    /// The MAPI type.
    pub property_type: MapiPropertyType,
}

impl ExtendedFieldUri {
    /// A named property in the property set `guid` (braces around the GUID are removed: the schema
    /// wants the bare form).
    pub fn named(
        guid: impl Into<String>,
        name: impl Into<String>,
        property_type: MapiPropertyType,
    ) -> Self {
        let guid: String = guid.into();
        let bare = guid.trim().trim_start_matches('{').trim_end_matches('}');
        ExtendedFieldUri {
            distinguished_property_set: None,
            property_set_id: Some(bare.to_owned()),
            property_tag: None,
            property_name: Some(name.into()),
            property_id: None,
            property_type,
        }
    }

    /// A property by tag, such as `0x0E08` (PR_MESSAGE_SIZE).
    pub fn tagged(tag: impl Into<String>, property_type: MapiPropertyType) -> Self {
        ExtendedFieldUri {
            distinguished_property_set: None,
            property_set_id: None,
            property_tag: Some(tag.into()),
            property_name: None,
            property_id: None,
            property_type,
        }
    }

    /// A numbered property in a well-known property set.
    pub fn in_set(set: PropertySet, id: i32, property_type: MapiPropertyType) -> Self {
        ExtendedFieldUri {
            distinguished_property_set: Some(set),
            property_set_id: None,
            property_tag: None,
            property_name: None,
            property_id: Some(id),
            property_type,
        }
    }

    pub(crate) fn write_attributes(&self, w: &mut XmlWriter) {
        w.attr_opt(
            "DistinguishedPropertySetId",
            self.distinguished_property_set.as_ref().map(|s| s.as_str()),
        )
        .attr_opt("PropertySetId", self.property_set_id.as_deref())
        .attr_opt("PropertyTag", self.property_tag.as_deref())
        .attr_opt("PropertyName", self.property_name.as_deref());
        if let Some(id) = self.property_id {
            w.attr("PropertyId", &id.to_string());
        }
        w.attr("PropertyType", self.property_type.as_str());
    }

    pub(crate) fn from_attributes(start: &Start<'_>) -> Result<Self> {
        let (mut set, mut set_id, mut tag, mut name, mut id, mut kind) =
            (None, None, None, None, None, None);
        for attr in start.attributes() {
            let (attribute, value) = attr?;
            match attribute {
                "DistinguishedPropertySetId" => set = Some(PropertySet::from_wire(&value)),
                "PropertySetId" => set_id = Some(value.into_owned()),
                "PropertyTag" => tag = Some(value.into_owned()),
                "PropertyName" => name = Some(value.into_owned()),
                "PropertyId" => {
                    id =
                        Some(value.trim().parse().map_err(|_| {
                            Error::invalid_value("@PropertyId", &value, "an integer")
                        })?);
                }
                "PropertyType" => kind = Some(MapiPropertyType::from_wire(&value)),
                _ => {}
            }
        }
        Ok(ExtendedFieldUri {
            distinguished_property_set: set,
            property_set_id: set_id,
            property_tag: tag,
            property_name: name,
            property_id: id,
            property_type: kind
                .ok_or_else(|| Error::missing("@PropertyType", start.local_name()))?,
        })
    }
}

impl XmlElement for ExtendedFieldUri {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        self.write_attributes(w);
        w.close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let uri = ExtendedFieldUri::from_attributes(start)?;
        r.skip(start)?;
        Ok(uri)
    }
}

xml_sequence! {
    element
    /// An extended property with its value (`Value`) or values (`Values`, for array types).
    pub struct ExtendedProperty in Types "t:" {
        /// The property's address.
        opt field_uri: ExtendedFieldUri = "ExtendedFieldURI";
        /// The value of a single-valued property, as text (base64 for binary).
        opt value: String = "Value";
        /// The values of a multi-valued property.
        list values: String = "Values" / "Value";
    }
}

impl ExtendedProperty {
    /// A single-valued property.
    pub fn new(field_uri: ExtendedFieldUri, value: impl Into<String>) -> Self {
        ExtendedProperty {
            field_uri: Some(field_uri),
            value: Some(value.into()),
            values: None,
        }
    }
}
