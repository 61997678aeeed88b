//! Items no pair knows yet: new items, our own creates coming back, copies, and items that
//! carry a key after a lost state or a cursor reset.

use std::collections::{BTreeMap, BTreeSet};

use crate::merge::base_of;
use crate::model::{CorrelationKey, Occurrence, Side};
use crate::observe::Snapshot;
use crate::ops::LinkId;
use crate::plan::{Seen, Stage};
use crate::state::{Base, Link, LinkState, needs_read_flag};

impl Stage<'_> {
    /// Decides every unknown item, in (side, id) order so keys are generated deterministically.
    pub(crate) fn decide_unknown(
        &mut self,
        unknown: &BTreeMap<(Side, &str), Seen<'_>>,
        outside: &crate::plan::KeyedOutside<'_>,
    ) {
        for ((side, id), k) in outside {
            if let Some(j) = self.st.index.find_key(&self.st.data.links, k) {
                self.key_of_known_pair(j, *side, id);
            }
        }
        // Both sides hold an item with the same key and no pair knows it: match them (§4 initial
        // matching, and recovery after a lost state).
        let mut by_key: BTreeMap<CorrelationKey, [Option<(&str, &Snapshot)>; 2]> = BTreeMap::new();
        for ((side, id), seen) in unknown {
            if let Seen::Present(s, _) = seen {
                if let Some(k) = s.correlation_key {
                    if self.st.index.find_key(&self.st.data.links, &k).is_none() {
                        let slot = &mut by_key.entry(k).or_insert([None, None])[side.index()];
                        if slot.is_none() {
                            *slot = Some((id, s));
                        }
                    }
                }
            }
        }
        let mut keys_used: BTreeSet<CorrelationKey> = BTreeSet::new();
        for ((side, id), seen) in unknown {
            let (side, id) = (*side, *id);
            let pending_key = (side, Box::<str>::from(id));
            let s = match seen {
                Seen::Present(s, _) => s,
                Seen::Hint(Some(kind)) => {
                    // Disagreeing entries for a new item: read it.
                    self.reads_add.push((pending_key, *kind));
                    continue;
                }
                _ => continue,
            };
            if self.st.data.ignored_copies.contains(&pending_key) {
                continue;
            }
            if side == Side::Exchange && s.categories.is_none() {
                // Scope unknown (partial payload): read it in full.
                self.reads_add.push((pending_key, s.kind));
                continue;
            }
            if let Some(k) = s.correlation_key {
                if let Some(j) = self.st.index.find_key(&self.st.data.links, &k) {
                    self.key_of_known_pair(j, side, id);
                    continue;
                }
                if !keys_used.insert(k) {
                    // A second item with the same key in one round: a copy.
                    self.ignored.push(pending_key);
                    continue;
                }
                if let Some([Some((cid, c)), Some((eid, e))]) = by_key.get(&k).copied() {
                    self.match_pair(k, cid, c, eid, e);
                    continue;
                }
            }
            if !s.fields.is_complete_for(s.kind) {
                self.reads_add.push((pending_key, s.kind));
                continue;
            }
            self.new_item(side, id, s);
        }
    }

    /// An unknown id carries the key of a known pair: a user copy, or the same item under a new id
    /// (moved). Read the pair's current item: if it still exists the new one is a copy and is
    /// ignored; if it is gone the pair follows the new id.
    fn key_of_known_pair(&mut self, j: u32, side: Side, id: &str) {
        let Some(mut l) = self.link(j).cloned() else {
            return;
        };
        match (l.state, l.id(side)) {
            (LinkState::Tombstoned { deleted, .. }, None)
            | (LinkState::Unlinked { side: deleted, .. }, None)
                if deleted != side =>
            {
                // The item we created for this pair, whose create outcome was lost: it is the
                // pair's item on this side (kept, never synced while the pair is not linked).
                l.ids[side.index()] = Some(id.into());
                self.put(j, l);
            }
            (LinkState::Tombstoned { .. }, _) => {
                // A copy or restore of a tombstoned pair's item: never resurrect.
                self.ignored.push((side, id.into()));
            }
            (_, Some(current)) if current != id => {
                self.candidates.push((LinkId(j), side, id.into()));
                l.flags |= needs_read_flag(side);
                self.put(j, l);
            }
            _ => {}
        }
    }

    fn match_pair(
        &mut self,
        key: CorrelationKey,
        cid: &str,
        c: &Snapshot,
        eid: &str,
        e: &Snapshot,
    ) {
        if c.kind != e.kind {
            return;
        }
        let link = Link {
            kind: c.kind,
            state: LinkState::Linked,
            key,
            ids: [Some(cid.into()), Some(eid.into())],
            tokens: [None, None],
            modified: [i64::MIN, i64::MIN],
            base: Base::empty(c.kind),
            start: i64::MIN,
            flags: 0,
            failures: 0,
        };
        let i = self.add_link(link.clone());
        let mut link = link;
        for (side, s) in [(Side::Crm, c), (Side::Exchange, e)] {
            crate::decide::absorb_facts(&mut link, side, s);
        }
        self.reconcile(i, link, [Some(c), Some(e)]);
    }

    /// A new item in scope: a pending pair (write-ahead) and a create on the other side.
    fn new_item(&mut self, side: Side, id: &str, s: &Snapshot) {
        let target = side.other();
        // An occurrence is created as an exception of its series' counterpart, never alone.
        let mut occurrences: [Option<Occurrence>; 2] = [None, None];
        if let Some(occ) = &s.occurrence {
            let master = self
                .st
                .index
                .find_id(&self.st.data.links, side, &occ.master)
                .and_then(|m| self.link(m))
                .and_then(|m| m.id(target).map(str::to_string));
            let Some(master) = master else { return };
            occurrences[side.index()] = Some(occ.clone());
            occurrences[target.index()] = Some(Occurrence {
                master,
                original_start: occ.original_start,
            });
        }
        // A key without a pair (lost state, item from an earlier link): recover by key so an
        // existing counterpart is found instead of duplicated.
        let (key, recovery) = match s.correlation_key {
            Some(k) => (k, true),
            None => (self.fresh_key(), false),
        };
        let mut link = Link {
            kind: s.kind,
            state: LinkState::PendingCreate { target },
            key,
            ids: [None, None],
            tokens: [None, None],
            modified: [i64::MIN, i64::MIN],
            base: base_of(s.kind, &s.fields),
            start: i64::MIN,
            flags: 0,
            failures: 0,
        };
        link.ids[side.index()] = Some(id.into());
        crate::decide::absorb_facts(&mut link, side, s);
        let i = self.add_link(link.clone());
        self.creates += 1;
        if occurrences.iter().any(Option::is_some) {
            self.occurrences.push((LinkId(i), occurrences.clone()));
            self.staged_occurrence = Some((LinkId(i), occurrences));
        }
        self.emit_create(i, link, target, s, recovery);
        self.staged_occurrence = None;
    }
}
