//! FindItem: list the items of folders, with paging, filters and sorting. Results never hold bodies.

use crate::error::{Error, Result};
use crate::items::Item;
use crate::response::{ResponseBody, ResponseMessages, WriteOpt};
use crate::restriction::SearchExpression;
use crate::types::{FieldOrder, FolderRef, IndexedPageView, ItemShape};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter};

use super::Operation;
use super::paging::{CalendarView, ItemView, PagingInfo, Traversal};

/// FindItem request.
#[derive(Debug, Clone, PartialEq)]
pub struct FindItem {
    /// How deep to search.
    pub traversal: Traversal,
    /// Which properties to return.
    pub item_shape: ItemShape,
    /// Paging; without one the server returns everything up to its limit (1,000 by default).
    pub view: Option<ItemView>,
    /// A filter.
    pub restriction: Option<SearchExpression>,
    /// Sort keys, most significant first.
    pub sort_order: Option<Vec<FieldOrder>>,
    /// The folders to search.
    pub parent_folder_ids: Vec<FolderRef>,
    /// An AQS query string (Exchange 2013 and later).
    pub query_string: Option<String>,
}

impl FindItem {
    /// The first `page_size` items of `folder`, ids only.
    pub fn new(folder: impl Into<FolderRef>, page_size: i32) -> Self {
        FindItem {
            traversal: Traversal::Shallow,
            item_shape: ItemShape::id_only(),
            view: Some(ItemView::Indexed(IndexedPageView::new(page_size, 0))),
            restriction: None,
            sort_order: None,
            parent_folder_ids: vec![folder.into()],
            query_string: None,
        }
    }
}

impl FindItem {
    /// The occurrences, exceptions and single appointments of `folder` that overlap `[start, end)`,
    /// at most `max_entries` of them: a `CalendarView`, which expands series (and has no paging; the
    /// window may span at most two years).
    ///
    /// ```
    /// use ews_types::operations::{FindItem, Operation};
    /// use ews_types::types::DistinguishedFolderName;
    ///
    /// let march = FindItem::calendar_view(
    ///     DistinguishedFolderName::Calendar,
    ///     "2026-03-01T00:00:00Z".parse().unwrap(),
    ///     "2026-04-01T00:00:00Z".parse().unwrap(),
    ///     500,
    /// );
    /// assert!(march.validate().is_ok());
    /// ```
    pub fn calendar_view(
        folder: impl Into<FolderRef>,
        start: jiff::Timestamp,
        end: jiff::Timestamp,
        max_entries: i32,
    ) -> Self {
        FindItem {
            view: Some(ItemView::Calendar(CalendarView {
                max_entries_returned: Some(max_entries),
                start,
                end,
            })),
            ..FindItem::new(folder, max_entries)
        }
    }
}

impl XmlElement for FindItem {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("Traversal", self.traversal.as_str())
            .close();
        self.item_shape.write_element(w, "m:ItemShape");
        if let Some(view) = &self.view {
            view.write(w);
        }
        self.restriction.write_opt(w, "m:Restriction");
        if let Some(orders) = &self.sort_order {
            w.open("m:SortOrder").close();
            for order in orders {
                order.write_element(w, "t:FieldOrder");
            }
            w.end("m:SortOrder");
        }
        self.parent_folder_ids.write_element(w, "m:ParentFolderIds");
        self.query_string.write_opt(w, "m:QueryString");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let traversal = Traversal::from_wire(&start.attr("Traversal")?.unwrap_or_default());
        let mut find = FindItem {
            traversal,
            item_shape: ItemShape::default(),
            view: None,
            restriction: None,
            sort_order: None,
            parent_folder_ids: Vec::new(),
            query_string: None,
        };
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages {
                return Ok(false);
            }
            match child.local_name() {
                "ItemShape" => find.item_shape = ItemShape::read_element(r, child)?,
                "Restriction" => find.restriction = Some(SearchExpression::read_element(r, child)?),
                "SortOrder" => {
                    let mut orders = Vec::new();
                    r.children(child, |r, order| {
                        if order.local_name() == "FieldOrder" {
                            orders.push(FieldOrder::read_element(r, order)?);
                            return Ok(true);
                        }
                        Ok(false)
                    })?;
                    find.sort_order = Some(orders);
                }
                "ParentFolderIds" => find.parent_folder_ids = Vec::read_element(r, child)?,
                "QueryString" => find.query_string = Some(r.read_text(child)?),
                _ => match ItemView::read(r, child)? {
                    Some(view) => find.view = Some(view),
                    None => return Ok(false),
                },
            }
            Ok(true)
        })?;
        if find.parent_folder_ids.is_empty() {
            return Err(Error::missing("ParentFolderIds", "FindItem"));
        }
        Ok(find)
    }
}

impl Operation for FindItem {
    const NAME: &'static str = "FindItem";
    type Response = FindItemResponse;

    fn validate(&self) -> Result<()> {
        if let Some(ItemView::Calendar(view)) = &self.view {
            view.validate()?;
        }
        Ok(())
    }
}

/// The `RootFolder` of a FindItem response: one page of items and where the view stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindItemRootFolder {
    /// Paging attributes.
    pub paging: PagingInfo,
    /// The items of this page.
    pub items: Vec<Item>,
}

impl XmlElement for FindItemRootFolder {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        self.paging.write_attributes(w);
        w.close();
        self.items.write_element(w, "t:Items");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let paging = PagingInfo::from_attributes(start)?;
        let mut items = Vec::new();
        r.children(start, |r, child| {
            if child.ns() == Ns::Types && child.local_name() == "Items" {
                items = Vec::read_element(r, child)?;
                return Ok(true);
            }
            Ok(false)
        })?;
        Ok(FindItemRootFolder { paging, items })
    }
}

/// The body of a FindItem response message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindItemMessage {
    /// The page of results.
    pub root_folder: Option<FindItemRootFolder>,
}

impl XmlSequence for FindItemMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        self.root_folder.write_opt(w, "m:RootFolder");
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() == Ns::Messages && child.local_name() == "RootFolder" {
            self.root_folder = Some(FindItemRootFolder::read_element(r, child)?);
            return Ok(true);
        }
        Ok(false)
    }
}

impl ResponseBody for FindItemMessage {
    const MESSAGE: &'static str = "FindItemResponseMessage";
    const RESPONSE: &'static str = "FindItemResponse";

    fn item_count(&self) -> usize {
        self.root_folder.as_ref().map_or(0, |f| f.items.len())
    }
}

/// The FindItem response: one message per parent folder.
pub type FindItemResponse = ResponseMessages<FindItemMessage>;
