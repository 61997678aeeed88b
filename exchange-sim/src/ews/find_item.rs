//! FindItem: the items of each folder, filtered, sorted and paged (indexed, fractional, calendar and
//! contacts views). Results never hold bodies.

use ews_types::items::Item;
use ews_types::operations::{
    FindItem, FindItemMessage, FindItemResponse, FindItemRootFolder, ItemView, Traversal,
};
use ews_types::response::ResponseCode;
use ews_types::types::{ItemShape, SortDirection};
use jiff::{SignedDuration, Timestamp};

use super::{Ews, error_with, folder_view, per_input, restriction, shape};
use crate::store::props::values;

/// The longest calendar view Exchange allows: two years.
const MAX_CALENDAR_VIEW: SignedDuration = SignedDuration::from_hours(24 * 731);

fn calendar_window(item: &Item) -> Option<(Timestamp, Timestamp)> {
    match item {
        Item::CalendarItem(c) => Some((c.start?, c.end.or(c.start)?)),
        _ => None,
    }
}

pub(crate) fn run(ews: &Ews<'_>, op: &FindItem) -> FindItemResponse {
    if let Some(ItemView::Calendar(view)) = &op.view {
        if view.end.duration_since(view.start) > MAX_CALENDAR_VIEW {
            return ews_types::response::ResponseMessages::new(
                op.parent_folder_ids
                    .iter()
                    .map(|_| {
                        error_with(
                            ResponseCode::ErrorCalendarViewRangeTooBig,
                            "The calendar view range exceeds two years.",
                        )
                    })
                    .collect(),
            );
        }
    }
    per_input(&op.parent_folder_ids, |parent| {
        let (no, key) = ews.folder(parent)?;
        let mailbox = ews.reach(no)?;
        let folder = mailbox.folder(key)?;
        if op.traversal == Traversal::Associated || op.traversal == Traversal::SoftDeleted {
            let (_, paging) = folder_view::all(0);
            return Ok(FindItemMessage {
                root_folder: Some(FindItemRootFolder {
                    paging,
                    items: Vec::new(),
                }),
            });
        }
        // Newest first, as a folder's default view lists them.
        // The full item is rendered only when a filter, sort or window needs its properties.
        let mut found: Vec<(Option<Item>, u64)> = Vec::new();
        let needs_full = op.restriction.is_some()
            || op.sort_order.is_some()
            || matches!(
                op.view,
                Some(ItemView::Calendar(_)) | Some(ItemView::Contacts(_))
            );
        for item_key in folder.items.iter().rev() {
            let Some(stored) = mailbox.items.get(item_key) else {
                continue;
            };
            if !needs_full {
                found.push((None, *item_key));
                continue;
            }
            // A calendar view lists each occurrence of a series instead of the series.
            let instances = match &op.view {
                Some(ItemView::Calendar(view)) => mailbox.instances(stored, view.start, view.end),
                _ => vec![mailbox.render_full(stored)],
            };
            for full in instances {
                if let Some(r) = &op.restriction {
                    if !restriction::matches(r, &|p| values(&full, p)) {
                        continue;
                    }
                }
                if admitted(&op.view, &full) {
                    found.push((Some(full), *item_key));
                }
            }
        }
        if let Some(orders) = &op.sort_order {
            found.sort_by(|(a, _), (b, _)| {
                for order in orders {
                    let key = |item: &Option<Item>| {
                        item.as_ref()
                            .and_then(|i| values(i, &order.path).into_iter().next())
                            .unwrap_or_default()
                    };
                    let ordering = restriction::compare(&key(a), &key(b));
                    let ordering = if order.order == SortDirection::Descending {
                        ordering.reverse()
                    } else {
                        ordering
                    };
                    if ordering.is_ne() {
                        return ordering;
                    }
                }
                std::cmp::Ordering::Equal
            });
        } else if matches!(op.view, Some(ItemView::Calendar(_))) {
            found.sort_by_key(|(item, _)| item.as_ref().and_then(calendar_window).map(|w| w.0));
        }
        let total = found.len();
        let (range, paging) = match &op.view {
            Some(ItemView::Indexed(v)) => folder_view::indexed(v, total),
            Some(ItemView::Fractional(v)) => folder_view::fractional(v, total),
            Some(ItemView::Calendar(v)) => capped(v.max_entries_returned, total),
            Some(ItemView::Contacts(v)) => capped(v.max_entries_returned, total),
            _ => folder_view::all(total),
        };
        let shape: &ItemShape = &op.item_shape;
        let items = found
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|(full, k)| match full {
                Some(full) => Some(shape::of_full(full, shape, shape::Listing::Find)),
                None => mailbox
                    .items
                    .get(k)
                    .map(|stored| shape::item(mailbox, stored, shape, shape::Listing::Find)),
            })
            .collect();
        Ok(FindItemMessage {
            root_folder: Some(FindItemRootFolder { paging, items }),
        })
    })
}

/// A view without offsets that returns at most `max` entries.
fn capped(
    max: Option<i32>,
    total: usize,
) -> (std::ops::Range<usize>, ews_types::operations::PagingInfo) {
    let (_, mut paging) = folder_view::all(total);
    let end = folder_view::max_entries(max, total).min(total);
    paging.includes_last_item_in_range = Some(end >= total);
    paging.indexed_paging_offset = None;
    (0..end, paging)
}

/// Whether a contacts view admits `full` (other views admit everything they were given).
fn admitted(view: &Option<ItemView>, full: &Item) -> bool {
    let Some(ItemView::Contacts(view)) = view else {
        return true;
    };
    let Item::Contact(c) = full else {
        return false;
    };
    let name = c
        .file_as
        .clone()
        .or_else(|| c.display_name.clone())
        .unwrap_or_default()
        .to_lowercase();
    let after = view
        .initial_name
        .as_ref()
        .is_none_or(|i| name >= i.to_lowercase());
    let before = view
        .final_name
        .as_ref()
        .is_none_or(|f| name <= f.to_lowercase());
    after && before
}
