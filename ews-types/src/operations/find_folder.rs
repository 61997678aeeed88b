//! FindFolder: list the subfolders of folders.

use crate::error::{Error, Result};
use crate::folders::Folder;
use crate::response::{ResponseBody, ResponseMessages, WriteOpt};
use crate::restriction::SearchExpression;
use crate::types::{FolderRef, FolderShape, FractionalPageView, IndexedPageView};
use crate::xml::{Ns, Start, XmlElement, XmlReader, XmlSequence, XmlWriter};

use super::Operation;
use super::paging::{PagingInfo, Traversal};

/// The paging view of a FindFolder request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FolderView {
    /// `IndexedPageFolderView`.
    Indexed(IndexedPageView),
    /// `FractionalPageFolderView`.
    Fractional(FractionalPageView),
}

/// FindFolder request.
#[derive(Debug, Clone, PartialEq)]
pub struct FindFolder {
    /// Shallow (children) or Deep (all descendants).
    pub traversal: Traversal,
    /// Which properties to return.
    pub folder_shape: FolderShape,
    /// Paging.
    pub view: Option<FolderView>,
    /// A filter.
    pub restriction: Option<SearchExpression>,
    /// The folders whose subfolders to list.
    pub parent_folder_ids: Vec<FolderRef>,
}

impl FindFolder {
    /// All descendants of `parent`, with the default shape.
    pub fn deep(parent: impl Into<FolderRef>) -> Self {
        FindFolder {
            traversal: Traversal::Deep,
            folder_shape: FolderShape::new(crate::types::BaseShape::Default),
            view: None,
            restriction: None,
            parent_folder_ids: vec![parent.into()],
        }
    }
}

impl XmlElement for FindFolder {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name)
            .attr("Traversal", self.traversal.as_str())
            .close();
        self.folder_shape.write_element(w, "m:FolderShape");
        match &self.view {
            Some(FolderView::Indexed(v)) => v.write_element(w, "m:IndexedPageFolderView"),
            Some(FolderView::Fractional(v)) => v.write_element(w, "m:FractionalPageFolderView"),
            None => {}
        }
        self.restriction.write_opt(w, "m:Restriction");
        self.parent_folder_ids.write_element(w, "m:ParentFolderIds");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let traversal = Traversal::from_wire(&start.attr("Traversal")?.unwrap_or_default());
        let mut find = FindFolder {
            traversal,
            folder_shape: FolderShape::default(),
            view: None,
            restriction: None,
            parent_folder_ids: Vec::new(),
        };
        r.children(start, |r, child| {
            if child.ns() != Ns::Messages {
                return Ok(false);
            }
            match child.local_name() {
                "FolderShape" => find.folder_shape = FolderShape::read_element(r, child)?,
                "IndexedPageFolderView" => {
                    find.view = Some(FolderView::Indexed(IndexedPageView::read_element(
                        r, child,
                    )?))
                }
                "FractionalPageFolderView" => {
                    find.view = Some(FolderView::Fractional(FractionalPageView::read_element(
                        r, child,
                    )?))
                }
                "Restriction" => find.restriction = Some(SearchExpression::read_element(r, child)?),
                "ParentFolderIds" => find.parent_folder_ids = Vec::read_element(r, child)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        if find.parent_folder_ids.is_empty() {
            return Err(Error::missing("ParentFolderIds", "FindFolder"));
        }
        Ok(find)
    }
}

impl Operation for FindFolder {
    const NAME: &'static str = "FindFolder";
    type Response = FindFolderResponse;
}

/// The `RootFolder` of a FindFolder response.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindFolderRootFolder {
    /// Paging attributes.
    pub paging: PagingInfo,
    /// The folders of this page.
    pub folders: Vec<Folder>,
}

impl XmlElement for FindFolderRootFolder {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        self.paging.write_attributes(w);
        w.close();
        self.folders.write_element(w, "t:Folders");
        w.end(name);
    }

    fn read_element<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self> {
        let paging = PagingInfo::from_attributes(start)?;
        let mut folders = Vec::new();
        r.children(start, |r, child| {
            if child.ns() == Ns::Types && child.local_name() == "Folders" {
                folders = Vec::read_element(r, child)?;
                return Ok(true);
            }
            Ok(false)
        })?;
        Ok(FindFolderRootFolder { paging, folders })
    }
}

/// The body of a FindFolder response message.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FindFolderMessage {
    /// The page of results.
    pub root_folder: Option<FindFolderRootFolder>,
}

impl XmlSequence for FindFolderMessage {
    fn write_children(&self, w: &mut XmlWriter) {
        self.root_folder.write_opt(w, "m:RootFolder");
    }

    fn read_child<'a>(&mut self, r: &mut XmlReader<'a>, child: &Start<'a>) -> Result<bool> {
        if child.ns() == Ns::Messages && child.local_name() == "RootFolder" {
            self.root_folder = Some(FindFolderRootFolder::read_element(r, child)?);
            return Ok(true);
        }
        Ok(false)
    }
}

impl ResponseBody for FindFolderMessage {
    const MESSAGE: &'static str = "FindFolderResponseMessage";
    const RESPONSE: &'static str = "FindFolderResponse";

    fn folder_count(&self) -> usize {
        self.root_folder.as_ref().map_or(0, |f| f.folders.len())
    }
}

/// The FindFolder response: one message per parent folder.
pub type FindFolderResponse = ResponseMessages<FindFolderMessage>;
