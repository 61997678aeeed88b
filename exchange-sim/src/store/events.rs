//! A mailbox's event journal: what EWS notifications report (created, modified, deleted, moved,
//! copied, new mail, free/busy changed), one record per event at a position that watermarks name.
//!
//! Every write of the mailbox appends its events here, in the order they happened. A pull
//! subscription's watermark and a streaming subscription's cursor are positions in the journal, so a
//! GetEvents call is one range read. The journal keeps the newest [`JOURNAL_CAPACITY`] events; a
//! watermark older than that is refused (`ErrorInvalidWatermark`), as Exchange refuses one whose events
//! have left its queue.

use std::collections::VecDeque;

use jiff::Timestamp;

/// How many events a mailbox's journal keeps.
pub(crate) const JOURNAL_CAPACITY: usize = 100_000;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    /// An item or folder was created.
    Created,
    /// An item or folder changed (for a folder: its content or unread count).
    Modified,
    /// An item was deleted for good.
    Deleted,
    /// An item moved to another folder (it has a new id).
    Moved,
    /// An item was copied; the event names the copy and the original.
    Copied,
    /// A message arrived in the Inbox.
    NewMail,
    /// A calendar item changed in a way that changes free/busy.
    FreeBusyChanged,
}

/// What an event is about, as it was when the event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// An item in one generation (its id then), with its version (its change key then).
    Item {
        /// The item's key.
        key: u64,
        /// Its generation (moves make new ones).
        generation: u32,
        /// Its version.
        version: u64,
    },
    /// A folder.
    Folder(u32),
}

/// One event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) kind: EventKind,
    pub(crate) at: Timestamp,
    pub(crate) subject: Subject,
    /// The folder holding the subject (for a folder: its parent, or itself for the root).
    pub(crate) folder: u32,
    /// For moves and copies: the subject before and the folder it came from.
    pub(crate) origin: Option<(Subject, u32)>,
}

impl Event {
    /// Every folder this event touches: where the subject is, where it came from, and a folder that is
    /// itself the subject. A subscription on any of them sees the event.
    pub(crate) fn folders(&self) -> impl Iterator<Item = u32> {
        let own = match self.subject {
            Subject::Folder(key) => Some(key),
            Subject::Item { .. } => None,
        };
        [Some(self.folder), self.origin.map(|(_, f)| f), own]
            .into_iter()
            .flatten()
    }
}

/// A watermark is older than the oldest event the journal still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expired;

/// The journal of one mailbox.
#[derive(Debug)]
pub(crate) struct Journal {
    /// The position of `events[0]` (positions start at 1; 0 is "before everything").
    first: u64,
    events: VecDeque<Event>,
    capacity: usize,
}

impl Default for Journal {
    fn default() -> Self {
        Journal::with_capacity(JOURNAL_CAPACITY)
    }
}

impl Journal {
    /// A journal keeping at most `capacity` events (at least one).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Journal {
            first: 1,
            events: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Appends an event, dropping the oldest one when full.
    pub(crate) fn push(&mut self, event: Event) {
        if self.events.len() >= self.capacity {
            self.events.pop_front();
            self.first += 1;
        }
        self.events.push_back(event);
    }

    /// The position of the newest event (0 when nothing happened yet).
    pub(crate) fn head(&self) -> u64 {
        self.first + self.events.len() as u64 - 1
    }

    /// The events after `position`, oldest first, with their positions. A position beyond the head is
    /// treated as the head; one whose next events were dropped is [`Expired`].
    pub(crate) fn since(
        &self,
        position: u64,
    ) -> Result<impl Iterator<Item = (u64, &Event)>, Expired> {
        if position.saturating_add(1) < self.first {
            return Err(Expired);
        }
        let skip = usize::try_from(position.saturating_add(1) - self.first).unwrap_or(usize::MAX);
        let first = self.first;
        Ok(self
            .events
            .iter()
            .enumerate()
            .skip(skip)
            .map(move |(i, e)| (first + i as u64, e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(folder: u32) -> Event {
        Event {
            kind: EventKind::Created,
            at: Timestamp::UNIX_EPOCH,
            subject: Subject::Folder(folder),
            folder: 0,
            origin: None,
        }
    }

    #[test]
    fn positions_resume_and_dropped_events_expire_old_watermarks() {
        let mut journal = Journal::with_capacity(3);
        assert_eq!(journal.head(), 0);
        for folder in 1..=5 {
            journal.push(event(folder));
        }
        assert_eq!(journal.head(), 5);
        // Events 1 and 2 were dropped: a watermark at 0 or 1 missed them.
        assert_eq!(journal.since(0).err(), Some(Expired));
        assert_eq!(journal.since(1).err(), Some(Expired));
        let after_two: Vec<u64> = journal.since(2).unwrap().map(|(p, _)| p).collect();
        assert_eq!(after_two, vec![3, 4, 5]);
        let after_four: Vec<u32> = journal
            .since(4)
            .unwrap()
            .map(|(_, e)| match e.subject {
                Subject::Folder(f) => f,
                Subject::Item { .. } => 0,
            })
            .collect();
        assert_eq!(after_four, vec![5]);
        assert_eq!(journal.since(5).unwrap().count(), 0);
        assert_eq!(journal.since(99).unwrap().count(), 0);
    }
}
