//! What FindItem and FindFolder share: traversal, views and the paging attributes of `RootFolder`.

use jiff::Timestamp;

use crate::error::Result;
use crate::types::{FractionalPageView, IndexedPageView};
use crate::xml::{
    Start, XmlAttr, XmlElement, XmlReader, XmlWriter, format_date_time, open_enum, parse_date_time,
};

open_enum! {
    /// How deep a find goes.
    pub enum Traversal {
        /// Direct children only.
        Shallow = "Shallow",
        /// All descendants (folders only).
        Deep = "Deep",
        /// Soft-deleted entries.
        SoftDeleted = "SoftDeleted",
        /// Associated (hidden) items.
        Associated = "Associated",
    }
}

/// A calendar window (`CalendarView`): expands recurring series into occurrences. No offsets; the range
/// may span at most two years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarView {
    /// At most this many entries.
    pub max_entries_returned: Option<i32>,
    /// Start of the window.
    pub start: Timestamp,
    /// End of the window.
    pub end: Timestamp,
}

impl CalendarView {
    /// Refuses an empty or reversed window, one longer than two years (`ErrorCalendarViewRangeTooBig`)
    /// and a maximum below one.
    pub fn validate(&self) -> Result<()> {
        let refuse = |why: &str| Err(crate::Error::InvalidRequest(format!("CalendarView: {why}")));
        if self.end <= self.start {
            return refuse("EndDate must be after StartDate");
        }
        let two_years = self
            .start
            .to_zoned(jiff::tz::TimeZone::UTC)
            .checked_add(jiff::Span::new().years(2))
            .map(|z| z.timestamp());
        if two_years.is_ok_and(|limit| self.end > limit) {
            return refuse("the window may span at most two years (ErrorCalendarViewRangeTooBig)");
        }
        if self.max_entries_returned.is_some_and(|max| max < 1) {
            return refuse("MaxEntriesReturned must be at least 1");
        }
        Ok(())
    }
}

impl XmlElement for CalendarView {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        if let Some(max) = self.max_entries_returned {
            w.attr("MaxEntriesReturned", &max.to_string());
        }
        w.attr("StartDate", &format_date_time(&self.start))
            .attr("EndDate", &format_date_time(&self.end))
            .close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let date = |name: &str| -> Result<Timestamp> {
            let text = start.required_attr(name)?;
            parse_date_time(text.trim()).ok_or_else(|| {
                crate::Error::invalid_value(&format!("@{name}"), &text, "an xs:dateTime")
            })
        };
        let view = CalendarView {
            max_entries_returned: start
                .attr("MaxEntriesReturned")?
                .map(|m| i32::from_attr("MaxEntriesReturned", &m))
                .transpose()?,
            start: date("StartDate")?,
            end: date("EndDate")?,
        };
        r.skip(start)?;
        Ok(view)
    }
}

/// An alphabetical window over a contacts folder (`ContactsView`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactsView {
    /// At most this many entries.
    pub max_entries_returned: Option<i32>,
    /// The first name in the window.
    pub initial_name: Option<String>,
    /// The last name in the window.
    pub final_name: Option<String>,
}

impl XmlElement for ContactsView {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        if let Some(max) = self.max_entries_returned {
            w.attr("MaxEntriesReturned", &max.to_string());
        }
        w.attr_opt("InitialName", self.initial_name.as_deref())
            .attr_opt("FinalName", self.final_name.as_deref())
            .close_empty();
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let view = ContactsView {
            max_entries_returned: start
                .attr("MaxEntriesReturned")?
                .map(|m| i32::from_attr("MaxEntriesReturned", &m))
                .transpose()?,
            initial_name: start.attr("InitialName")?.map(|v| v.into_owned()),
            final_name: start.attr("FinalName")?.map(|v| v.into_owned()),
        };
        r.skip(start)?;
        Ok(view)
    }
}

/// The paging view of a FindItem request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItemView {
    /// `IndexedPageItemView`.
    Indexed(IndexedPageView),
    /// `FractionalPageItemView`.
    Fractional(FractionalPageView),
    /// `CalendarView`.
    Calendar(CalendarView),
    /// `ContactsView`.
    Contacts(ContactsView),
}

impl ItemView {
    pub(crate) fn write(&self, w: &mut XmlWriter) {
        match self {
            ItemView::Indexed(v) => v.write_element(w, "m:IndexedPageItemView"),
            ItemView::Fractional(v) => v.write_element(w, "m:FractionalPageItemView"),
            ItemView::Calendar(v) => v.write_element(w, "m:CalendarView"),
            ItemView::Contacts(v) => v.write_element(w, "m:ContactsView"),
        }
    }

    pub(crate) fn read<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Option<Self>> {
        Ok(Some(match start.local_name() {
            "IndexedPageItemView" => ItemView::Indexed(IndexedPageView::read_element(r, start)?),
            "FractionalPageItemView" => {
                ItemView::Fractional(FractionalPageView::read_element(r, start)?)
            }
            "CalendarView" => ItemView::Calendar(CalendarView::read_element(r, start)?),
            "ContactsView" => ItemView::Contacts(ContactsView::read_element(r, start)?),
            _ => return Ok(None),
        }))
    }
}

/// The paging attributes of a find response's `RootFolder`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PagingInfo {
    /// The offset to ask for next (indexed paging).
    pub indexed_paging_offset: Option<i32>,
    /// The numerator to ask for next (fractional paging).
    pub numerator_offset: Option<i32>,
    /// The denominator (fractional paging).
    pub absolute_denominator: Option<i32>,
    /// Whether the last entry of the view is in this page.
    pub includes_last_item_in_range: Option<bool>,
    /// The number of entries in the whole view.
    pub total_items_in_view: Option<i32>,
}

impl PagingInfo {
    pub(crate) fn write_attributes(&self, w: &mut XmlWriter) {
        let ints = [
            ("IndexedPagingOffset", self.indexed_paging_offset),
            ("NumeratorOffset", self.numerator_offset),
            ("AbsoluteDenominator", self.absolute_denominator),
        ];
        for (name, value) in ints {
            if let Some(value) = value {
                w.attr(name, &value.to_string());
            }
        }
        if let Some(last) = self.includes_last_item_in_range {
            w.attr("IncludesLastItemInRange", &last.to_attr());
        }
        if let Some(total) = self.total_items_in_view {
            w.attr("TotalItemsInView", &total.to_string());
        }
    }

    pub(crate) fn from_attributes(start: &Start<'_>) -> Result<Self> {
        let int = |name: &str| -> Result<Option<i32>> {
            start
                .attr(name)?
                .map(|v| i32::from_attr(name, &v))
                .transpose()
        };
        Ok(PagingInfo {
            indexed_paging_offset: int("IndexedPagingOffset")?,
            numerator_offset: int("NumeratorOffset")?,
            absolute_denominator: int("AbsoluteDenominator")?,
            includes_last_item_in_range: start
                .attr("IncludesLastItemInRange")?
                .map(|v| bool::from_attr("IncludesLastItemInRange", &v))
                .transpose()?,
            total_items_in_view: int("TotalItemsInView")?,
        })
    }
}

/// Writes an element that carries the paging attributes and repeats `child` once per entry (the
/// `ResolutionSet` of ResolveNames, the `DLExpansion` of ExpandDL).
pub(crate) fn write_paged_entries<T: XmlElement>(
    w: &mut XmlWriter,
    name: &str,
    paging: &PagingInfo,
    entries: &[T],
    child: &str,
) {
    w.open(name);
    paging.write_attributes(w);
    w.close();
    for entry in entries {
        entry.write_element(w, child);
    }
    w.end(name);
}

/// Reads what [`write_paged_entries`] writes: the paging attributes and every `child` in the types
/// namespace (anything else is skipped).
pub(crate) fn read_paged_entries<'a, T: XmlElement>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    child: &str,
) -> Result<(PagingInfo, Vec<T>)> {
    let paging = PagingInfo::from_attributes(start)?;
    let mut entries = Vec::new();
    r.children(start, |r, c| {
        if c.ns() != crate::xml::Ns::Types || c.local_name() != child {
            return Ok(false);
        }
        entries.push(T::read_element(r, c)?);
        Ok(true)
    })?;
    Ok((paging, entries))
}
