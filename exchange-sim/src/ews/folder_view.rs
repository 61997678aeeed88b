//! Paging a list of entries the way indexed and fractional views do, with the paging attributes of a
//! find response's `RootFolder`.

use ews_types::operations::PagingInfo;
use ews_types::types::{BasePoint, FractionalPageView, IndexedPageView};

/// The page of `total` entries a view selects: the index range and the paging attributes.
pub(crate) fn indexed(
    view: &IndexedPageView,
    total: usize,
) -> (std::ops::Range<usize>, PagingInfo) {
    let max = max_entries(view.max_entries_returned, total);
    let offset = usize::try_from(view.offset).unwrap_or(0).min(total);
    let range = match view.base_point {
        BasePoint::End => {
            let end = total - offset;
            end.saturating_sub(max)..end
        }
        _ => offset..offset.saturating_add(max).min(total),
    };
    let last = match view.base_point {
        BasePoint::End => range.start == 0,
        _ => range.end >= total,
    };
    let next = match view.base_point {
        BasePoint::End => total - range.start,
        _ => range.end,
    };
    let info = PagingInfo {
        indexed_paging_offset: i32::try_from(next).ok(),
        includes_last_item_in_range: Some(last),
        total_items_in_view: i32::try_from(total).ok(),
        ..PagingInfo::default()
    };
    (range, info)
}

/// The page a fractional view selects.
pub(crate) fn fractional(
    view: &FractionalPageView,
    total: usize,
) -> (std::ops::Range<usize>, PagingInfo) {
    let max = max_entries(view.max_entries_returned, total);
    let denominator = usize::try_from(view.denominator).unwrap_or(1).max(1);
    let numerator = usize::try_from(view.numerator)
        .unwrap_or(0)
        .min(denominator);
    let start = (total * numerator / denominator).min(total);
    let end = start.saturating_add(max).min(total);
    let info = PagingInfo {
        numerator_offset: i32::try_from(end).ok(),
        absolute_denominator: i32::try_from(total).ok(),
        includes_last_item_in_range: Some(end >= total),
        total_items_in_view: i32::try_from(total).ok(),
        ..PagingInfo::default()
    };
    (start..end, info)
}

/// The page size a view asks for (everything when it names none).
pub(crate) fn max_entries(max: Option<i32>, total: usize) -> usize {
    max.and_then(|m| usize::try_from(m).ok()).unwrap_or(total)
}

/// No view: everything.
pub(crate) fn all(total: usize) -> (std::ops::Range<usize>, PagingInfo) {
    (
        0..total,
        PagingInfo {
            indexed_paging_offset: i32::try_from(total).ok(),
            includes_last_item_in_range: Some(true),
            total_items_in_view: i32::try_from(total).ok(),
            ..PagingInfo::default()
        },
    )
}
