//! Per-pair decisions: the rules of the sync reference, applied to one pair's observations.

use crate::merge::base_of;
use crate::model::{Fields, Side};
use crate::observe::Snapshot;
use crate::ops::{Action, LinkId};
use crate::plan::{Seen, Stage};
use crate::state::{
    BOTH_GONE, Base, COMPLETED, LOCKED, Link, LinkState, NEEDS_READ_CRM, NEEDS_READ_EXCHANGE,
    ORGANIZER, PendingEffect, QUARANTINED, SURVIVOR_LEFT, needs_read_flag,
};

const BOTH_READS: u8 = NEEDS_READ_CRM | NEEDS_READ_EXCHANGE;

impl Stage<'_> {
    /// Decides one known pair.
    pub(crate) fn decide_link(&mut self, i: u32, obs: [Option<Seen<'_>>; 2]) {
        let Some(mut link) = self.link(i).cloned() else {
            return;
        };
        let mut obs = obs;
        // Replays of older versions are ignored (server time only). A scope exit with a time
        // moves the clock too, so an older replay cannot re-track the item.
        for side in Side::BOTH {
            let at = match obs[side.index()] {
                Some(Seen::Present(s, _)) => Some(s.modified_at.0),
                Some(Seen::Left(_, t)) => t.map(|t| t.0),
                _ => None,
            };
            if let Some(at) = at {
                if at < link.modified[side.index()] {
                    obs[side.index()] = None;
                } else {
                    link.modified[side.index()] = at;
                }
            }
        }
        let mut candidates: Vec<(Side, Box<str>)> = self
            .st
            .data
            .candidates
            .get(&LinkId(i))
            .cloned()
            .unwrap_or_default();
        for c in self.fresh_candidates.get(&i).into_iter().flatten() {
            if !candidates.contains(c) {
                candidates.push(c.clone());
            }
        }
        if matches!(link.state, LinkState::Tombstoned { .. }) && !candidates.is_empty() {
            // A tombstone is never moved onto another item: items carrying its key are copies.
            self.candidate_updates.push((LinkId(i), Vec::new()));
            self.ignored.append(&mut candidates);
        }
        for cside in Side::BOTH {
            let mine: Vec<Box<str>> = candidates
                .iter()
                .filter(|(s, _)| *s == cside)
                .map(|(_, id)| id.clone())
                .collect();
            let Some(first) = mine.first().cloned() else {
                continue;
            };
            match obs[cside.index()] {
                Some(Seen::Gone) => {
                    // The pair's item is gone and an item with its key appeared: it moved. Other
                    // candidates stay, in case this one is gone too.
                    candidates.retain(|(s, id)| !(*s == cside && *id == first));
                    self.candidate_updates.push((LinkId(i), candidates));
                    link.ids[cside.index()] = Some(first);
                    link.tokens[cside.index()] = None;
                    link.modified[cside.index()] = i64::MIN;
                    link.flags |= BOTH_READS;
                    self.put(i, link);
                    return;
                }
                Some(Seen::Present(..) | Seen::Left(..)) => {
                    // The pair's item still exists: the others are copies.
                    candidates.retain(|(s, _)| *s != cside);
                    self.candidate_updates.push((LinkId(i), candidates.clone()));
                    self.ignored.extend(mine.into_iter().map(|id| (cside, id)));
                }
                _ => {}
            }
        }
        if link.has(QUARANTINED) {
            let changed = Side::BOTH.iter().any(|s| match obs[s.index()] {
                Some(Seen::Present(snap, _)) => link.token(*s) != Some(snap.token.as_str()),
                Some(_) => true,
                None => false,
            });
            if !changed {
                return;
            }
            link.flags &= !QUARANTINED;
            link.failures = 0;
            self.quarantine_clear.push(LinkId(i));
        }
        for side in Side::BOTH {
            if let Some(Seen::Present(s, _)) = obs[side.index()] {
                absorb_facts(&mut link, side, s);
            }
        }
        match link.state {
            LinkState::Linked => self.linked(i, link, obs),
            LinkState::PendingCreate { target } => self.pending_create(i, link, target, obs),
            LinkState::Unlinked { side, .. } => self.unlinked(i, link, side, obs),
            LinkState::Tombstoned { deleted, .. } => self.tombstoned(i, link, deleted, obs),
        }
    }

    fn linked(&mut self, i: u32, mut link: Link, obs: [Option<Seen<'_>>; 2]) {
        let [c, e] = obs;
        // A side marked for re-reading must be observed before anything is decided: its stored
        // token and content are not trustworthy (failed write, crash, hint).
        let awaiting = Side::BOTH.iter().any(|s| {
            link.has(needs_read_flag(*s)) && obs[s.index()].is_none() && link.id(*s).is_some()
        });
        if awaiting || matches!(c, Some(Seen::Hint(_))) || matches!(e, Some(Seen::Hint(_))) {
            link.flags |= BOTH_READS;
            self.put(i, link);
            return;
        }
        let gone = [matches!(c, Some(Seen::Gone)), matches!(e, Some(Seen::Gone))];
        if Side::BOTH
            .iter()
            .any(|s| gone[s.index()] && self.enumerating[s.index()])
        {
            // Nothing counts as deleted until the re-enumeration is complete.
            link.flags |= BOTH_READS;
            self.put(i, link);
            return;
        }
        if gone[0] && gone[1] {
            link.flags |= BOTH_GONE;
            link.state = LinkState::Tombstoned {
                deleted: Side::Crm,
                at: self.now,
            };
            link.flags &= !BOTH_READS;
            self.put(i, link);
            return;
        }
        for deleted in Side::BOTH {
            if gone[deleted.index()] {
                let survivor = obs[deleted.other().index()];
                return self.deleted_one_side(i, link, deleted, survivor);
            }
        }
        for side in Side::BOTH {
            if let Some(Seen::Left(reason, _)) = obs[side.index()] {
                // Scope exit is not deletion: nothing is written on either side.
                link.state = LinkState::Unlinked { reason, side };
                link.flags &= !BOTH_READS;
                self.destructive += 1;
                self.put(i, link);
                return;
            }
        }
        let snaps = [present(c), present(e)];
        self.reconcile(i, link, snaps);
    }

    /// Field-level reconciliation of a live pair with whatever snapshots are at hand.
    pub(crate) fn reconcile(&mut self, i: u32, mut link: Link, snaps: [Option<&Snapshot>; 2]) {
        let merge = self.merge(i, &link, snaps);
        if merge.defer {
            link.flags |= BOTH_READS;
            self.put(i, link);
            return;
        }
        self.conflicts.extend(merge.conflicts);
        let mut stamp = [false; 2];
        for side in Side::BOTH {
            if let Some(s) = snaps[side.index()] {
                stamp[side.index()] =
                    s.correlation_key != Some(link.key) && s.fields.is_complete_for(link.kind);
                link.flags &= !needs_read_flag(side);
            }
        }
        let writes_needed: Vec<Side> = Side::BOTH
            .into_iter()
            .filter(|s| !merge.writes[s.index()].is_empty() || stamp[s.index()])
            .collect();
        if writes_needed.is_empty() {
            link.base = merge.new_base;
            for side in Side::BOTH {
                if let Some(s) = snaps[side.index()] {
                    link.tokens[side.index()] = Some(s.token.as_str().into());
                    link.modified[side.index()] = s.modified_at.0;
                }
            }
            self.put(i, link);
            return;
        }
        let mut effect = PendingEffect {
            remaining: 0,
            failed: false,
            new_base: merge.new_base,
            adopt: [None, None],
            written: [None, None],
            final_state: LinkState::Linked,
            recovery: false,
            counts: [0; 3],
        };
        for side in Side::BOTH {
            if let Some(s) = snaps[side.index()] {
                effect.adopt[side.index()] = Some((s.token.as_str().into(), s.modified_at.0));
            }
        }
        let [crm_fields, exch_fields] = merge.writes;
        for (side, fields) in [(Side::Crm, crm_fields), (Side::Exchange, exch_fields)] {
            if !writes_needed.contains(&side) {
                continue;
            }
            let Some(item) = link.id(side).map(str::to_string) else {
                link.flags |= BOTH_READS;
                self.put(i, link);
                return;
            };
            let token = snaps[side.index()]
                .map(|s| s.token.clone())
                .or_else(|| link.token(side).map(str::to_string))
                .unwrap_or_default();
            let stamp_key = stamp[side.index()].then_some(link.key);
            self.op(
                i,
                side,
                Action::Update {
                    item,
                    token,
                    fields,
                    stamp_key,
                },
                true,
            );
            effect.remaining += 1;
        }
        self.put(i, link);
        self.effects.push((LinkId(i), effect));
    }

    /// Re-creates the deleted side from the survivor (EditWinsRecreate, or an explicit re-track
    /// of a tombstoned pair).
    pub(crate) fn recreate(
        &mut self,
        i: u32,
        mut link: Link,
        target: Side,
        source: Option<&Snapshot>,
    ) {
        let source_side = target.other();
        let Some(s) = source.filter(|s| s.fields.is_complete_for(link.kind)) else {
            link.flags |= needs_read_flag(source_side);
            self.put(i, link);
            return;
        };
        link.ids[target.index()] = None;
        link.tokens[target.index()] = None;
        link.state = LinkState::PendingCreate { target };
        link.base = base_of(link.kind, &s.fields);
        link.flags &= !(BOTH_READS | SURVIVOR_LEFT);
        self.emit_create(i, link, target, s, false);
    }

    /// Emits a create (write-ahead: the pending record is staged with it) plus a key stamp on the
    /// source when it lacks the key.
    pub(crate) fn emit_create(
        &mut self,
        i: u32,
        link: Link,
        target: Side,
        source: &Snapshot,
        recovery: bool,
    ) {
        let source_side = target.other();
        let fields: Fields = link
            .kind
            .fields()
            .iter()
            .filter_map(|f| source.fields.get(*f).map(|v| (*f, v.clone())))
            .collect();
        let key = link.key;
        let base = link.base.clone();
        let occurrence = self
            .staged_occurrence
            .as_ref()
            .filter(|(l, _)| l.0 == i)
            .map(|(_, o)| o)
            .or_else(|| self.st.data.occurrences.get(&LinkId(i)))
            .and_then(|o| o[target.index()].clone());
        let stamp = source.correlation_key != Some(key);
        let source_item = link.id(source_side).map(str::to_string);
        self.put(i, link);
        self.op(
            i,
            target,
            Action::Create {
                key,
                fields,
                occurrence,
                recovery,
            },
            true,
        );
        let mut effect = PendingEffect {
            remaining: 1,
            failed: false,
            new_base: base,
            adopt: [None, None],
            written: [None, None],
            final_state: LinkState::Linked,
            recovery,
            counts: [0; 3],
        };
        effect.adopt[source_side.index()] =
            Some((source.token.as_str().into(), source.modified_at.0));
        if let (true, Some(item)) = (stamp, source_item) {
            self.op(
                i,
                source_side,
                Action::Update {
                    item,
                    token: source.token.clone(),
                    fields: Fields::new(),
                    stamp_key: Some(key),
                },
                true,
            );
            effect.remaining += 1;
        }
        self.effects.push((LinkId(i), effect));
    }

    fn pending_create(&mut self, i: u32, mut link: Link, target: Side, obs: [Option<Seen<'_>>; 2]) {
        let source = target.other();
        if link.id(target).is_some() {
            // The create is done (its outcome was recorded) but the rest of the round was lost:
            // the pair exists. The created item holds the base we wrote, so the base stays and an
            // edit made since is a one-sided change; only a create found by key in recovery (whose
            // content we did not write) is merged from scratch.
            link.state = LinkState::Linked;
            let recovered = self
                .st
                .data
                .effects
                .get(&crate::ops::LinkId(i))
                .is_some_and(|e| e.recovery);
            if recovered {
                link.base = Base::empty(link.kind);
            }
            link.tokens = [None, None];
            link.flags |= BOTH_READS;
            return self.linked(i, link, obs);
        }
        match obs[target.index()] {
            Some(Seen::Left(reason, _)) if link.id(target).is_some() => {
                // Our created item exists but the user took it out of scope.
                link.state = LinkState::Unlinked {
                    reason,
                    side: target,
                };
                link.flags &= !BOTH_READS;
                return self.put(i, link);
            }
            Some(Seen::Gone) if link.id(target).is_some() => {
                link.tokens[target.index()] = None;
                link.state = LinkState::Tombstoned {
                    deleted: target,
                    at: self.now,
                };
                link.flags &= !BOTH_READS;
                return self.put(i, link);
            }
            _ => {}
        }
        if let Some(Seen::Present(_, id)) = obs[target.index()] {
            // The created item came back under its key: attach it and reconcile.
            if link.id(target).is_none() {
                link.ids[target.index()] = Some(id.into());
            }
            link.state = LinkState::Linked;
            let snaps = [Side::Crm, Side::Exchange].map(|s| present(obs[s.index()]));
            return self.reconcile(i, link, snaps);
        }
        match obs[source.index()] {
            Some(Seen::Gone) => {
                link.state = LinkState::Tombstoned {
                    deleted: source,
                    at: self.now,
                };
                link.flags &= !BOTH_READS;
                self.put(i, link);
            }
            Some(Seen::Left(reason, _)) => {
                link.state = LinkState::Unlinked {
                    reason,
                    side: source,
                };
                link.flags &= !BOTH_READS;
                self.put(i, link);
            }
            Some(Seen::Present(s, _)) if s.fields.is_complete_for(link.kind) => {
                link.base = base_of(link.kind, &s.fields);
                link.flags &= !BOTH_READS;
                self.emit_create(i, link, target, s, true);
            }
            _ => {
                link.flags |= needs_read_flag(source);
                self.put(i, link);
            }
        }
    }

    fn unlinked(&mut self, i: u32, mut link: Link, left: Side, obs: [Option<Seen<'_>>; 2]) {
        for side in Side::BOTH {
            match obs[side.index()] {
                Some(Seen::Hint(_)) => link.flags |= needs_read_flag(side),
                Some(_) => link.flags &= !needs_read_flag(side),
                None => {}
            }
        }
        for side in Side::BOTH {
            if let Some(Seen::Gone) = obs[side.index()] {
                link.state = LinkState::Tombstoned {
                    deleted: side,
                    at: self.now,
                };
                return self.put(i, link);
            }
        }
        let back_in_scope = match obs[left.index()] {
            Some(Seen::Present(s, _)) => left == Side::Crm || s.categories.is_some(),
            _ => false,
        };
        if back_in_scope {
            // Re-tracking re-links the same pair; both sides are re-read and merged next round.
            // A pair whose counterpart was never created goes back to creating it (by key, so
            // an earlier attempt is found).
            link.state = match Side::BOTH.into_iter().find(|s| link.id(*s).is_none()) {
                Some(target) => LinkState::PendingCreate { target },
                None => LinkState::Linked,
            };
            link.flags |= BOTH_READS;
        }
        self.put(i, link);
    }

    fn tombstoned(&mut self, i: u32, mut link: Link, deleted: Side, obs: [Option<Seen<'_>>; 2]) {
        let surv = deleted.other();
        for side in Side::BOTH {
            if obs[side.index()].is_some() {
                link.flags &= !needs_read_flag(side);
            }
        }
        if link.has(BOTH_GONE) {
            // Late sightings of items that are gone change nothing.
            link.flags &= !BOTH_READS;
            return self.put(i, link);
        }
        match obs[surv.index()] {
            Some(Seen::Left(..)) => {
                link.flags |= SURVIVOR_LEFT;
                self.put(i, link);
            }
            Some(Seen::Gone) => {
                link.flags |= BOTH_GONE;
                self.put(i, link);
            }
            Some(Seen::Hint(_)) => {
                link.flags |= needs_read_flag(surv);
                self.put(i, link);
            }
            Some(Seen::Present(s, _))
                if link.has(SURVIVOR_LEFT) && (surv == Side::Crm || s.categories.is_some()) =>
            {
                // An explicit re-track after an accepted delete: the user asked for it again.
                self.recreate(i, link, deleted, Some(s));
            }
            _ => self.put(i, link),
        }
    }
}

fn present<'a>(s: Option<Seen<'a>>) -> Option<&'a Snapshot> {
    match s {
        Some(Seen::Present(x, _)) => Some(x),
        _ => None,
    }
}

pub(crate) fn absorb_facts(link: &mut Link, side: Side, s: &Snapshot) {
    if let Some(t) = s.facts.start {
        link.start = t.0;
    }
    let set = |link: &mut Link, flag: u8, on: bool| {
        if on {
            link.flags |= flag;
        } else {
            link.flags &= !flag;
        }
    };
    match side {
        Side::Exchange => {
            set(link, ORGANIZER, s.facts.user_is_organizer);
            set(link, COMPLETED, s.facts.completed);
        }
        Side::Crm => set(link, LOCKED, s.facts.locked),
    }
}
