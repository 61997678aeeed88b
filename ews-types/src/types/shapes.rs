//! Response shapes (which properties to return), property paths, paging views and sort orders.

use crate::error::{Error, Result};
use crate::types::ExtendedFieldUri;
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlWriter, open_enum, xml_sequence};
use crate::xml::{XmlChoice, read_one_choice};

open_enum! {
    /// The base set of properties to return.
    pub enum BaseShape {
        /// Ids only (the cheapest; use it for sync, then GetItem).
        IdOnly = "IdOnly",
        /// A default set chosen by the server.
        Default = "Default",
        /// All properties the server defines for the shape (not all properties of the item).
        AllProperties = "AllProperties",
        /// Properties for the `Persona` shape.
        PcxPeopleSearch = "PcxPeopleSearch",
    }
}

// The enum comes from a macro, so `#[derive(Default)]` cannot mark a variant.
#[allow(clippy::derivable_impls)]
impl Default for BaseShape {
    fn default() -> Self {
        BaseShape::IdOnly
    }
}

open_enum! {
    /// The body format to return.
    pub enum BodyTypeResponse {
        /// The best format the server has.
        Best = "Best",
        /// HTML.
        Html = "HTML",
        /// Plain text.
        Text = "Text",
    }
}

/// The path of a property: a schema field (`item:Subject`), an indexed field (`contacts:EmailAddress`
/// with index `EmailAddress1`), or an extended MAPI property.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PropertyPath {
    /// `FieldURI`, such as `item:Subject` or `calendar:Start`.
    Field(String),
    /// `IndexedFieldURI`: a dictionary entry such as a contact's `EmailAddress1`.
    Indexed {
        /// The dictionary field, such as `contacts:EmailAddress`.
        field_uri: String,
        /// The entry key, such as `EmailAddress1`.
        field_index: String,
    },
    /// `ExtendedFieldURI`.
    Extended(ExtendedFieldUri),
}

impl PropertyPath {
    /// A schema field path such as `item:Categories`.
    pub fn field(uri: impl Into<String>) -> Self {
        PropertyPath::Field(uri.into())
    }
}

impl XmlChoice for PropertyPath {
    fn write_choice(&self, w: &mut XmlWriter) {
        match self {
            PropertyPath::Field(uri) => {
                w.open("t:FieldURI").attr("FieldURI", uri).close_empty();
            }
            PropertyPath::Indexed {
                field_uri,
                field_index,
            } => {
                w.open("t:IndexedFieldURI")
                    .attr("FieldURI", field_uri)
                    .attr("FieldIndex", field_index)
                    .close_empty();
            }
            PropertyPath::Extended(uri) => uri.write_element(w, "t:ExtendedFieldURI"),
        }
    }

    fn read_choice<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        if start.ns() != Ns::Types {
            return Ok(None);
        }
        let path = match start.local_name() {
            "FieldURI" => PropertyPath::Field(start.required_attr("FieldURI")?),
            "IndexedFieldURI" => PropertyPath::Indexed {
                field_uri: start.required_attr("FieldURI")?,
                field_index: start.required_attr("FieldIndex")?,
            },
            "ExtendedFieldURI" => PropertyPath::Extended(ExtendedFieldUri::from_attributes(start)?),
            _ => return Ok(None),
        };
        r.skip(start)?;
        Ok(Some(path))
    }
}

xml_sequence! {
    element
    /// Which item properties a response holds (`ItemShape`).
    pub struct ItemShape in Types "t:" {
        /// The base set.
        req base_shape: BaseShape = "BaseShape";
        /// Include the MIME content.
        opt include_mime_content: bool = "IncludeMimeContent";
        /// The body format.
        opt body_type: BodyTypeResponse = "BodyType";
        /// The unique-body format.
        opt unique_body_type: BodyTypeResponse = "UniqueBodyType";
        /// The normalized-body format.
        opt normalized_body_type: BodyTypeResponse = "NormalizedBodyType";
        /// Remove unsafe HTML.
        opt filter_html_content: bool = "FilterHtmlContent";
        /// Convert the HTML code page to UTF-8.
        opt convert_html_code_page_to_utf8: bool = "ConvertHtmlCodePageToUTF8";
        /// URL template for inline images.
        opt inline_image_url_template: String = "InlineImageUrlTemplate";
        /// Block external images.
        opt block_external_images: bool = "BlockExternalImages";
        /// Add `target="_blank"` to links.
        opt add_blank_target_to_links: bool = "AddBlankTargetToLinks";
        /// Cut bodies after this many bytes.
        opt maximum_body_size: i32 = "MaximumBodySize";
        /// Properties beyond the base set.
        opt additional_properties: Vec<PropertyPath> = "AdditionalProperties";
    }
}

impl ItemShape {
    /// A shape with `base` and nothing else.
    pub fn new(base: BaseShape) -> Self {
        ItemShape {
            base_shape: base,
            ..ItemShape::default()
        }
    }

    /// Ids only.
    pub fn id_only() -> Self {
        ItemShape::new(BaseShape::IdOnly)
    }

    /// The same shape with `paths` added to `AdditionalProperties`.
    pub fn with_properties(mut self, paths: impl IntoIterator<Item = PropertyPath>) -> Self {
        self.additional_properties
            .get_or_insert_with(Vec::new)
            .extend(paths);
        self
    }
}

xml_sequence! {
    element
    /// Which folder properties a response holds (`FolderShape`).
    pub struct FolderShape in Types "t:" {
        /// The base set.
        req base_shape: BaseShape = "BaseShape";
        /// Properties beyond the base set.
        opt additional_properties: Vec<PropertyPath> = "AdditionalProperties";
    }
}

impl FolderShape {
    /// A shape with `base` and nothing else.
    pub fn new(base: BaseShape) -> Self {
        FolderShape {
            base_shape: base,
            additional_properties: None,
        }
    }
}

open_enum! {
    /// Where an indexed page's offset counts from.
    pub enum BasePoint {
        /// From the first entry.
        Beginning = "Beginning",
        /// From the last entry.
        End = "End",
    }
}

fn read_int_attr(start: &Start<'_>, name: &str) -> Result<Option<i32>> {
    match start.attr(name)? {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Error::invalid_value(&format!("@{name}"), &v, "an integer")),
    }
}

/// Indexed paging (`IndexedPageItemView` / `IndexedPageFolderView`): page size ≤ 1,000.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPageView {
    /// The page size.
    pub max_entries_returned: Option<i32>,
    /// The offset of the first entry.
    pub offset: i32,
    /// Where the offset counts from.
    pub base_point: BasePoint,
}

impl IndexedPageView {
    /// The page of `size` entries starting at `offset` from the beginning.
    pub fn new(size: i32, offset: i32) -> Self {
        IndexedPageView {
            max_entries_returned: Some(size),
            offset,
            base_point: BasePoint::Beginning,
        }
    }
}

impl XmlElement for IndexedPageView {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        if let Some(max) = self.max_entries_returned {
            w.attr("MaxEntriesReturned", &max.to_string());
        }
        w.attr("Offset", &self.offset.to_string())
            .attr("BasePoint", self.base_point.as_str())
            .close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let view = IndexedPageView {
            max_entries_returned: read_int_attr(start, "MaxEntriesReturned")?,
            offset: read_int_attr(start, "Offset")?.unwrap_or(0),
            base_point: start
                .attr("BasePoint")?
                .map(|b| BasePoint::from_wire(&b))
                .unwrap_or(BasePoint::Beginning),
        };
        r.skip(start)?;
        Ok(view)
    }
}

/// Fractional paging (`FractionalPageItemView` / `FractionalPageFolderView`): start at
/// `numerator / denominator` of the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FractionalPageView {
    /// The page size.
    pub max_entries_returned: Option<i32>,
    /// The numerator of the start position.
    pub numerator: i32,
    /// The denominator of the start position.
    pub denominator: i32,
}

impl XmlElement for FractionalPageView {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        if let Some(max) = self.max_entries_returned {
            w.attr("MaxEntriesReturned", &max.to_string());
        }
        w.attr("Numerator", &self.numerator.to_string())
            .attr("Denominator", &self.denominator.to_string())
            .close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let view = FractionalPageView {
            max_entries_returned: read_int_attr(start, "MaxEntriesReturned")?,
            numerator: read_int_attr(start, "Numerator")?.unwrap_or(0),
            denominator: read_int_attr(start, "Denominator")?.unwrap_or(1),
        };
        r.skip(start)?;
        Ok(view)
    }
}

open_enum! {
    /// A sort direction.
    pub enum SortDirection {
        /// Ascending.
        Ascending = "Ascending",
        /// Descending.
        Descending = "Descending",
    }
}

/// One sort key (`FieldOrder`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOrder {
    /// The direction.
    pub order: SortDirection,
    /// The property to sort by.
    pub path: PropertyPath,
}

impl XmlElement for FieldOrder {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name).attr("Order", self.order.as_str()).close();
        self.path.write_choice(w);
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let order = SortDirection::from_wire(&start.required_attr("Order")?);
        let path = read_one_choice(r, start, "FieldURI, IndexedFieldURI or ExtendedFieldURI")?;
        Ok(FieldOrder { order, path })
    }
}
