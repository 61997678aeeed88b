//! Paging through FindItem and FindFolder results ([`Pages`]).
//!
//! Indexed paging asks for `MaxEntriesReturned` entries from `Offset`; each answer's `RootFolder` says
//! where the next page starts and whether this one was the last. Servers sometimes contradict
//! themselves, so the pager follows exchangelib's rules: a missing `IncludesLastItemInRange` or an
//! empty view ends paging, a missing offset continues after the entries received, an offset that does not
//! move forward ends paging (never an endless loop), and an offset other than the expected one (the
//! folder changed while paging) is followed with a warning. Items deleted while paging can be skipped;
//! use SyncFolderItems when every change matters.

use ews_types::folders::Folder;
use ews_types::items::Item;
use ews_types::operations::{FindFolder, FindItem, FolderView, ItemView, Operation, PagingInfo};
use ews_types::types::{BasePoint, IndexedPageView};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::mailbox_client::{MailboxClient, single_message};
use crate::transport::Transport;

/// A find request that can be paged.
pub trait PagedRequest: Operation + Clone + Send + Sync {
    /// What a page holds (items or folders).
    type Entry;

    /// The indexed view to move along, if the request has one that counts from the beginning.
    fn indexed_view(&mut self) -> Option<&mut IndexedPageView>;

    /// How many folders the request searches (paging needs exactly one).
    fn parent_count(&self) -> usize;

    /// The paging attributes and entries of the response, or the error of its failed message.
    fn into_page(response: Self::Response) -> Result<(PagingInfo, Vec<Self::Entry>)>;
}

fn beginning(view: &mut IndexedPageView) -> Option<&mut IndexedPageView> {
    matches!(view.base_point, BasePoint::Beginning).then_some(view)
}

fn single_page<E, F>(
    messages: Vec<ews_types::response::ResponseMessage<F>>,
    operation: &str,
    split: impl FnOnce(F) -> Option<(PagingInfo, Vec<E>)>,
) -> Result<(PagingInfo, Vec<E>)> {
    let body = single_message(messages, operation)?;
    Ok(split(body).unwrap_or_default())
}

impl PagedRequest for FindItem {
    type Entry = Item;

    fn indexed_view(&mut self) -> Option<&mut IndexedPageView> {
        match &mut self.view {
            Some(ItemView::Indexed(view)) => beginning(view),
            _ => None,
        }
    }

    fn parent_count(&self) -> usize {
        self.parent_folder_ids.len()
    }

    fn into_page(response: Self::Response) -> Result<(PagingInfo, Vec<Item>)> {
        single_page(response.messages, Self::NAME, |body| {
            body.root_folder.map(|root| (root.paging, root.items))
        })
    }
}

impl PagedRequest for FindFolder {
    type Entry = Folder;

    fn indexed_view(&mut self) -> Option<&mut IndexedPageView> {
        match &mut self.view {
            Some(FolderView::Indexed(view)) => beginning(view),
            _ => None,
        }
    }

    fn parent_count(&self) -> usize {
        self.parent_folder_ids.len()
    }

    fn into_page(response: Self::Response) -> Result<(PagingInfo, Vec<Folder>)> {
        single_page(response.messages, Self::NAME, |body| {
            body.root_folder.map(|root| (root.paging, root.folders))
        })
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<E> {
    /// The entries of this page.
    pub entries: Vec<E>,
    /// The offset this page was asked for.
    pub offset: i32,
    /// The number of entries in the whole view, when the server said.
    pub total_in_view: Option<i32>,
}

/// Where a paged search stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    /// The next page starts here.
    At(i32),
    /// A view without offsets: one page only, not fetched yet.
    Single,
    /// No more pages.
    Done,
}

/// The next position after a page at `offset` with `received` entries, by the rules in the module
/// documentation.
fn next_position(offset: i32, received: usize, paging: &PagingInfo, operation: &str) -> Position {
    let last = paging.includes_last_item_in_range.unwrap_or(true);
    if last || received == 0 || paging.total_items_in_view == Some(0) {
        return Position::Done;
    }
    let expected = offset.saturating_add(i32::try_from(received).unwrap_or(i32::MAX));
    let next = paging.indexed_paging_offset.unwrap_or(expected);
    if next <= offset {
        tracing::warn!(
            operation,
            offset,
            next,
            "the paging offset does not move forward; stopping"
        );
        return Position::Done;
    }
    if next != expected {
        tracing::warn!(
            operation,
            expected,
            next,
            "unexpected paging offset (the folder changed while paging?); following the server"
        );
    }
    Position::At(next)
}

/// A paged FindItem ([`ItemPages`]) or FindFolder ([`FolderPages`]): call
/// [`next_page`](Pages::next_page) until it returns `None`.
#[derive(Debug)]
pub struct Pages<'a, T: Transport, C, R> {
    client: MailboxClient<'a, T, C>,
    request: R,
    position: Position,
}

/// Pages of FindItem results.
pub type ItemPages<'a, T, C> = Pages<'a, T, C, FindItem>;

/// Pages of FindFolder results.
pub type FolderPages<'a, T, C> = Pages<'a, T, C, FindFolder>;

impl<'a, T: Transport, C: Clock, R: PagedRequest> Pages<'a, T, C, R> {
    pub(crate) fn new(client: MailboxClient<'a, T, C>, mut request: R) -> Self {
        let position = match request.indexed_view() {
            Some(view) => Position::At(view.offset),
            None => Position::Single,
        };
        Self {
            client,
            request,
            position,
        }
    }

    /// Fetches the next page, or `None` after the last one. A page whose message failed is
    /// [`Error::Message`]; calling again after an error retries the same page.
    pub async fn next_page(&mut self) -> Result<Option<Page<R::Entry>>> {
        if self.request.parent_count() != 1 && self.position != Position::Single {
            return Err(Error::InvalidRequest(ews_types::Error::InvalidRequest(
                "indexed paging follows one parent folder; page each folder separately".into(),
            )));
        }
        let offset = match self.position {
            Position::Done => return Ok(None),
            Position::Single => 0,
            Position::At(offset) => {
                if let Some(view) = self.request.indexed_view() {
                    view.offset = offset;
                }
                offset
            }
        };
        let response = self.client.execute(&self.request).await?;
        let (paging, entries) = R::into_page(response)?;
        self.position = match self.position {
            Position::At(_) => next_position(offset, entries.len(), &paging, R::NAME),
            Position::Single | Position::Done => Position::Done,
        };
        Ok(Some(Page {
            entries,
            offset,
            total_in_view: paging.total_items_in_view,
        }))
    }

    /// Fetches every remaining page and returns all entries.
    pub async fn collect_all(mut self) -> Result<Vec<R::Entry>> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page.entries);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(offset: Option<i32>, last: Option<bool>, total: Option<i32>) -> PagingInfo {
        PagingInfo {
            indexed_paging_offset: offset,
            includes_last_item_in_range: last,
            total_items_in_view: total,
            ..PagingInfo::default()
        }
    }

    #[test]
    fn paging_follows_the_offset_until_the_last_page() {
        let next = |paging| next_position(0, 10, &paging, "FindItem");
        assert_eq!(
            next(info(Some(10), Some(false), Some(25))),
            Position::At(10)
        );
        assert_eq!(next(info(Some(10), Some(true), Some(10))), Position::Done);
    }

    #[test]
    fn contradictory_answers_never_loop() {
        let next = |paging| next_position(20, 10, &paging, "FindItem");
        // A missing offset continues after what arrived.
        assert_eq!(next(info(None, Some(false), Some(50))), Position::At(30));
        // An empty view, a missing last flag, an offset that does not move: done.
        assert_eq!(next(info(Some(30), Some(false), Some(0))), Position::Done);
        assert_eq!(next(info(Some(30), None, Some(50))), Position::Done);
        assert_eq!(next(info(Some(0), Some(false), Some(50))), Position::Done);
        assert_eq!(next(info(Some(20), Some(false), Some(50))), Position::Done);
        // An unexpected but forward offset is followed.
        assert_eq!(
            next(info(Some(35), Some(false), Some(50))),
            Position::At(35)
        );
        // No entries and "not last": done rather than asking for the same page forever.
        assert_eq!(
            next_position(20, 0, &info(Some(20), Some(false), Some(50)), "FindItem"),
            Position::Done
        );
    }
}
