//! A folder's change log: every write is a record at its sequence number, and a sync state is a
//! position in it.
//!
//! A client at position `p` knows the folder as it was at `p`. A page scans the records after `p` until
//! it has seen `max` distinct entries, stops at the last record it scanned (`P`), and reports, per
//! entry, how the folder at `P` differs from the folder at `p`: created, updated (or only its read flag),
//! or deleted; an entry that came and went between `p` and `P` is not reported. Records never move, so
//! a position says exactly what the client has seen, however pages and writes interleave, and a page
//! is one range scan whatever the folder's size.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

/// Why an entry left a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gone {
    /// Deleted.
    Deleted,
    /// Moved to another folder (it may still exist).
    MovedOut,
}

/// What happened to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Touch {
    /// It entered the folder (created, moved or copied in).
    Enter,
    /// Its content changed.
    Content,
    /// Only its read flag changed.
    ReadFlag,
    /// It left the folder.
    Leave(Gone),
}

/// How an entry differs between two positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// New.
    Create,
    /// Changed.
    Update,
    /// Only its read flag changed.
    ReadFlag,
    /// Gone.
    Delete(Gone),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    entered: u64,
    /// The latest content change (entering counts).
    content: u64,
    left: Option<(u64, Gone)>,
}

impl Entry {
    fn present_at(&self, position: u64) -> bool {
        self.entered <= position && self.left.is_none_or(|(at, _)| at > position)
    }
}

/// One page of changes.
#[derive(Debug)]
pub(crate) struct Page<K> {
    /// The changes, in the order their first record in the page was written.
    pub(crate) changes: Vec<(K, Change)>,
    /// Where the next page starts.
    pub(crate) position: u64,
    /// Whether this page reaches the newest change.
    pub(crate) complete: bool,
}

/// The change log of one folder (items) or of a mailbox's folder tree (folders).
#[derive(Debug)]
pub(crate) struct ChangeLog<K> {
    records: BTreeMap<u64, K>,
    entries: HashMap<K, Entry>,
}

impl<K> Default for ChangeLog<K> {
    fn default() -> Self {
        ChangeLog {
            records: BTreeMap::new(),
            entries: HashMap::new(),
        }
    }
}

impl<K: Copy + Eq + Hash> ChangeLog<K> {
    /// Records `touch` of `key` at sequence number `seq` (which must grow from call to call). An entry
    /// enters once and leaves at most once; a thing that comes back is a new entry.
    pub(crate) fn touch(&mut self, key: K, seq: u64, touch: Touch) {
        self.records.insert(seq, key);
        let entry = self.entries.entry(key).or_insert(Entry {
            entered: seq,
            content: seq,
            left: None,
        });
        match touch {
            Touch::Enter => {
                entry.entered = seq;
                entry.content = seq;
                entry.left = None;
            }
            Touch::Content => entry.content = seq,
            Touch::ReadFlag => {}
            Touch::Leave(gone) => entry.left = Some((seq, gone)),
        }
    }

    /// The changes after `position`, for at most `max` entries. `keep` filters entries out (EWS
    /// `Ignore`); they still count towards `max`. `head` is the newest sequence number of the mailbox,
    /// where a complete page leaves the position.
    pub(crate) fn page(
        &self,
        position: u64,
        max: usize,
        head: u64,
        mut keep: impl FnMut(&K) -> bool,
    ) -> Page<K> {
        let mut keys = Vec::new();
        let mut seen = HashSet::new();
        let mut end = position;
        let mut complete = true;
        for (&seq, key) in self.records.range(position.saturating_add(1)..) {
            if !seen.contains(key) {
                if keys.len() >= max.max(1) {
                    complete = false;
                    break;
                }
                seen.insert(*key);
                keys.push(*key);
            }
            end = seq;
        }
        let end = if complete { head.max(end) } else { end };
        let changes = keys
            .into_iter()
            .filter(|key| keep(key))
            .filter_map(|key| {
                let entry = self.entries.get(&key)?;
                let change = match (entry.present_at(position), entry.present_at(end)) {
                    (false, true) => Change::Create,
                    (true, false) => Change::Delete(entry.left.map_or(Gone::Deleted, |(_, g)| g)),
                    (true, true) if entry.content > position => Change::Update,
                    (true, true) => Change::ReadFlag,
                    (false, false) => return None,
                };
                Some((key, change))
            })
            .collect();
        Page {
            changes,
            position: end,
            complete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_coalesce_and_resume() {
        let mut log = ChangeLog::default();
        log.touch(1u32, 1, Touch::Enter);
        log.touch(2, 2, Touch::Enter);
        log.touch(1, 3, Touch::Content);
        let first = log.page(0, 10, 3, |_| true);
        assert_eq!(
            first.changes,
            vec![(1, Change::Create), (2, Change::Create)]
        );
        assert!(first.complete);
        log.touch(2, 4, Touch::ReadFlag);
        log.touch(3, 5, Touch::Enter);
        log.touch(3, 6, Touch::Leave(Gone::Deleted));
        log.touch(1, 7, Touch::Leave(Gone::MovedOut));
        let second = log.page(first.position, 1, 7, |_| true);
        assert_eq!(second.changes, vec![(2, Change::ReadFlag)]);
        assert!(!second.complete);
        let third = log.page(second.position, 10, 7, |_| true);
        assert_eq!(third.changes, vec![(1, Change::Delete(Gone::MovedOut))]);
        assert!(third.complete);
        assert_eq!(third.position, 7);
    }

    /// An entry created before a page boundary but changed after it is still reported as created to
    /// a client that had not reached it.
    #[test]
    fn a_page_boundary_never_hides_a_create() {
        let mut log = ChangeLog::default();
        log.touch(1u32, 1, Touch::Enter);
        log.touch(2, 2, Touch::Enter);
        let first = log.page(0, 1, 2, |_| true);
        assert_eq!(first.changes, vec![(1, Change::Create)]);
        assert_eq!(first.position, 1);
        log.touch(2, 3, Touch::Content);
        log.touch(2, 4, Touch::Leave(Gone::Deleted));
        // Entry 2 is at position 2 (present) and at 4 (gone); the client at 1 never saw it.
        let second = log.page(first.position, 1, 4, |_| true);
        assert_eq!(second.position, 4);
        assert!(second.changes.is_empty(), "{:?}", second.changes);
    }
}
