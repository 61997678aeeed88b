//! The user configuration model shared by GetUserConfiguration and UpdateUserConfiguration.

use crate::error::{Error, Result};
use crate::types::{FolderRef, ItemId};
use crate::xml::XmlChoice;
use crate::xml::{Start, XmlElement, XmlReader, XmlSequence, XmlWriter, xml_sequence};

/// The name and folder of a user configuration object (`UserConfigurationName`).
#[derive(Debug, Clone, PartialEq)]
pub struct UserConfigurationName {
    /// The configuration's name, such as `CategoryList`.
    pub name: String,
    /// The folder that holds it (the master category list lives in the default calendar).
    pub folder: FolderRef,
}

impl UserConfigurationName {
    /// The master category list: `CategoryList` in the default calendar folder.
    pub fn category_list() -> Self {
        UserConfigurationName {
            name: "CategoryList".to_owned(),
            folder: crate::types::DistinguishedFolderName::Calendar.into(),
        }
    }
}

impl XmlElement for UserConfigurationName {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr("Name", &self.name).close();
        self.folder.write_choice(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let name = start.required_attr("Name")?;
        let folder = FolderRef::read_element(r, start)?;
        Ok(UserConfigurationName { name, folder })
    }
}

xml_sequence! {
    element
    /// A typed value of a configuration dictionary (`DictionaryKey` or `DictionaryValue`).
    pub struct DictionaryObject in Types "t:" {
        /// The value type, such as `String`, `Integer32` or `Boolean`.
        opt object_type: String = "Type";
        /// The value(s), as text.
        vec values: String = "Value";
    }
}

impl DictionaryObject {
    /// A string value.
    pub fn string(value: impl Into<String>) -> Self {
        DictionaryObject {
            object_type: Some("String".to_owned()),
            values: vec![value.into()],
        }
    }
}

xml_sequence! {
    element
    /// One entry of a configuration dictionary.
    pub struct DictionaryEntry in Types "t:" {
        /// The key.
        opt key: DictionaryObject = "DictionaryKey";
        /// The value (absent for a null value).
        opt value: DictionaryObject = "DictionaryValue";
    }
}

xml_sequence! {
    children
    /// The content of a configuration object.
    pub struct UserConfigurationContent in Types "t:" {
        /// The item that stores it.
        opt item_id: ItemId = "ItemId";
        /// Its dictionary.
        list dictionary: DictionaryEntry = "Dictionary" / "DictionaryEntry";
        /// Its XML data, base64-encoded (the category list lives here).
        opt xml_data: String = "XmlData";
        /// Its binary data, base64-encoded.
        opt binary_data: String = "BinaryData";
    }
}

/// A user configuration object (`UserConfiguration`).
#[derive(Debug, Clone, PartialEq)]
pub struct UserConfiguration {
    /// Its name and folder.
    pub name: UserConfigurationName,
    /// Its content.
    pub content: UserConfigurationContent,
}

impl XmlElement for UserConfiguration {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).close();
        self.name.write_element(w, "t:UserConfigurationName");
        self.content.write_children(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let mut name = None;
        let mut content = UserConfigurationContent::default();
        r.children(start, |r, child| {
            if child.local_name() == "UserConfigurationName" {
                name = Some(UserConfigurationName::read_element(r, child)?);
                return Ok(true);
            }
            content.read_child(r, child)
        })?;
        let name =
            name.ok_or_else(|| Error::missing("UserConfigurationName", start.local_name()))?;
        Ok(UserConfiguration { name, content })
    }
}
