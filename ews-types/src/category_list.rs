//! The master category list (the `CategoryList` user configuration in the default calendar folder).
//!
//! Its `XmlData` is base64 of an XML document `<categories xmlns="CategoryList.xsd">` with one
//! `<category name=".." color=".." keyboardShortcut=".." guid="{..}"/>` per category. Attributes this
//! crate does not model (usage counts, timestamps Outlook writes) are kept and written back unchanged.
//!
//! ```
//! use ews_types::category_list::{Category, CategoryList};
//!
//! let mut list = CategoryList::default();
//! list.add(Category::new("CRM", 7, "{6B1C3A52-4F3D-4D4C-9E1A-0A0B0C0D0E0F}"));
//! let xml_data = list.to_xml_data();
//! let again = CategoryList::from_xml_data(&xml_data).unwrap();
//! assert_eq!(again.find("crm").unwrap().color, 7);
//! ```

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Error, Result};
use crate::xml::{ParseLimits, XmlReader, XmlWriter};

const CATEGORY_LIST_NS: &str = "CategoryList.xsd";

/// One category of the master list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The name (compared case-insensitively by Outlook).
    pub name: String,
    /// The preset colour: -1 for none, 0 to 24 for Outlook's presets.
    pub color: i32,
    /// The keyboard shortcut (0 for none, 1 to 11 for Ctrl+F2 to Ctrl+F12).
    pub keyboard_shortcut: Option<i32>,
    /// The category's GUID, in braces.
    pub guid: String,
    /// Other attributes, kept as they were.
    pub other_attributes: Vec<(String, String)>,
}

impl Category {
    /// A category with a colour and GUID (generate the GUID yourself; this crate does no IO and draws no
    /// random numbers).
    pub fn new(name: impl Into<String>, color: i32, guid: impl Into<String>) -> Self {
        Category {
            name: name.into(),
            color,
            keyboard_shortcut: Some(0),
            guid: guid.into(),
            other_attributes: Vec::new(),
        }
    }
}

/// The master category list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CategoryList {
    /// Attributes of the `categories` element (`default`, `lastSavedSession`...), kept as they were.
    pub attributes: Vec<(String, String)>,
    /// The categories, in document order.
    pub categories: Vec<Category>,
}

impl CategoryList {
    /// The category named `name`, compared case-insensitively as Outlook does.
    pub fn find(&self, name: &str) -> Option<&Category> {
        let name = name.to_lowercase();
        self.categories
            .iter()
            .find(|c| c.name.to_lowercase() == name)
    }

    /// Adds `category`, or updates the colour of the one with the same name. Returns whether the list
    /// changed.
    pub fn add(&mut self, category: Category) -> bool {
        let name = category.name.to_lowercase();
        match self
            .categories
            .iter_mut()
            .find(|c| c.name.to_lowercase() == name)
        {
            Some(existing) if existing.color == category.color => false,
            Some(existing) => {
                existing.color = category.color;
                true
            }
            None => {
                self.categories.push(category);
                true
            }
        }
    }

    /// Parses the list from the XML document.
    pub fn from_xml(xml: &[u8]) -> Result<Self> {
        let mut r = XmlReader::new(xml, ParseLimits::default());
        let root = r.root()?;
        if root.local_name() != "categories" {
            return Err(root.unexpected("<categories>"));
        }
        let mut list = CategoryList {
            attributes: attributes_of(&root)?,
            categories: Vec::new(),
        };
        r.children(&root, |r, child| {
            if child.local_name() != "category" {
                return Ok(false);
            }
            let mut category = Category::new(String::new(), -1, String::new());
            category.keyboard_shortcut = None;
            let mut name = None;
            for (key, value) in attributes_of(child)? {
                match key.as_str() {
                    "name" => name = Some(value),
                    "color" => {
                        category.color = value
                            .trim()
                            .parse()
                            .map_err(|_| Error::invalid_value("@color", &value, "an integer"))?
                    }
                    "keyboardShortcut" => category.keyboard_shortcut = value.trim().parse().ok(),
                    "guid" => category.guid = value,
                    _ => category.other_attributes.push((key, value)),
                }
            }
            category.name = name.ok_or_else(|| Error::missing("@name", "category"))?;
            list.categories.push(category);
            r.skip(child)?;
            Ok(true)
        })?;
        Ok(list)
    }

    /// Parses the list from a configuration's base64 `XmlData`.
    pub fn from_xml_data(base64: &str) -> Result<Self> {
        let cleaned: String = base64.chars().filter(|c| !c.is_whitespace()).collect();
        let xml = STANDARD
            .decode(cleaned.as_bytes())
            .map_err(|_| Error::invalid_value("XmlData", base64, "base64"))?;
        CategoryList::from_xml(&xml)
    }

    /// The XML document.
    pub fn to_xml(&self) -> Vec<u8> {
        let mut w = XmlWriter::new();
        w.raw("<?xml version=\"1.0\"?>");
        w.open("categories");
        for (k, v) in &self.attributes {
            w.attr(k, v);
        }
        w.attr("xmlns", CATEGORY_LIST_NS).close();
        for category in &self.categories {
            w.open("category")
                .attr("name", &category.name)
                .attr("color", &category.color.to_string());
            if let Some(shortcut) = category.keyboard_shortcut {
                w.attr("keyboardShortcut", &shortcut.to_string());
            }
            for (k, v) in &category.other_attributes {
                w.attr(k, v);
            }
            w.attr("guid", &category.guid).close_empty();
        }
        w.end("categories");
        w.into_bytes()
    }

    /// The base64 `XmlData` for UpdateUserConfiguration.
    pub fn to_xml_data(&self) -> String {
        STANDARD.encode(self.to_xml())
    }
}

fn attributes_of(start: &crate::xml::Start<'_>) -> Result<Vec<(String, String)>> {
    start.unprefixed_attributes()
}
