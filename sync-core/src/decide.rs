//! Per-pair decisions: the rules of the sync reference, applied to one pair's observations.

use crate::config::{ConflictRule, DeleteRule, DeleteVsEdit, Direction};
use crate::model::{Field, Fields, RecordKind, Side, Timestamp, Value};
use crate::observe::Snapshot;
use crate::ops::{Action, ConflictRecord, DecidedBy, LinkId};
use crate::plan::{Seen, Stage};
use crate::state::{
    Base, COMPLETED, LOCKED, Link, LinkState, NEEDS_READ_CRM, NEEDS_READ_EXCHANGE, ORGANIZER,
    PendingEffect, QUARANTINED, SURVIVOR_LEFT, needs_read_flag,
};

const BOTH_READS: u8 = NEEDS_READ_CRM | NEEDS_READ_EXCHANGE;

/// A delete rule resolved against the pair's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeleteEffect {
    Propagate { cancellation: bool },
    Unlink,
    Ignore,
}

/// Result of merging one pair's fields.
struct Merge {
    writes: [Fields; 2],
    new_base: Base,
    conflicts: Vec<ConflictRecord>,
    /// A value needed for a write is not at hand: read both sides and decide next round.
    defer: bool,
    /// Content changes seen per side (for delete-vs-edit).
    edited: [bool; 2],
}

impl Stage<'_> {
    /// Decides one known pair.
    pub(crate) fn decide_link(&mut self, i: u32, obs: [Option<Seen<'_>>; 2]) {
        let Some(mut link) = self.link(i).cloned() else {
            return;
        };
        let mut obs = obs;
        // Replays of older versions are ignored (server time only).
        for side in Side::BOTH {
            if let Some(Seen::Present(s, _)) = obs[side.index()] {
                if s.modified_at.0 < link.modified[side.index()] {
                    obs[side.index()] = None;
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
                Some(Seen::Present(..) | Seen::Left(_)) => {
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
            link.ids = [None, None];
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
            if let Some(Seen::Left(reason)) = obs[side.index()] {
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

    /// Three-way merge per field against the base (hashes), honouring direction, locks and the
    /// conflict rule.
    fn merge(&self, i: u32, link: &Link, snaps: [Option<&Snapshot>; 2]) -> Merge {
        let kind = link.kind;
        let policy = self.config.policy(kind);
        let mut m = Merge {
            writes: [Fields::new(), Fields::new()],
            new_base: link.base.clone(),
            conflicts: Vec::new(),
            defer: false,
            edited: [false, false],
        };
        let token_changed = [Side::Crm, Side::Exchange].map(|side| {
            snaps[side.index()].is_some_and(|s| link.token(side) != Some(s.token.as_str()))
        });
        let locked = link.has(LOCKED);
        for (p, field) in kind.fields().iter().enumerate() {
            let dir = policy.direction(*field);
            if dir == Direction::None {
                continue;
            }
            let base = link.base.0.get(p).copied().unwrap_or(0);
            let vals = [Side::Crm, Side::Exchange]
                .map(|s| snaps[s.index()].and_then(|x| x.fields.get(*field)));
            let hashes = vals.map(|v| v.map(Value::stable_hash));
            let changed = [0, 1].map(|s| token_changed[s] && hashes[s].is_some_and(|h| h != base));
            m.edited[0] |= changed[0];
            m.edited[1] |= changed[1];
            let winner: Option<(Side, Option<DecidedBy>)> = match (changed[0], changed[1]) {
                (false, false) => None,
                (true, true) if hashes[0] == hashes[1] => {
                    // Both changed to the same value: adopt, no conflict.
                    if let (Some(h), Some(slot)) = (hashes[0], m.new_base.0.get_mut(p)) {
                        *slot = h;
                    }
                    None
                }
                (true, true) => Some(match dir.source() {
                    Some(src) => (src, None),
                    None if locked => (Side::Crm, Some(DecidedBy::Locked)),
                    None => {
                        let (w, by) = resolve(&policy.conflict, *field, snaps);
                        (
                            w,
                            Some(if base == 0 {
                                DecidedBy::InitialMatch
                            } else {
                                by
                            }),
                        )
                    }
                }),
                (crm_changed, _) => {
                    let changer = if crm_changed {
                        Side::Crm
                    } else {
                        Side::Exchange
                    };
                    Some(match dir.source() {
                        Some(src) if src != changer => (src, Some(DecidedBy::Direction)),
                        _ if locked && changer == Side::Exchange => {
                            (Side::Crm, Some(DecidedBy::Locked))
                        }
                        _ => (changer, None),
                    })
                }
            };
            let Some((w, decided_by)) = winner else {
                continue;
            };
            let Some(value) = vals[w.index()] else {
                m.defer = true;
                continue;
            };
            let loser = w.other();
            if let Some(by) = decided_by {
                m.conflicts.push(ConflictRecord {
                    link: LinkId(i),
                    field: Some(*field),
                    base_hash: base,
                    crm_value: vals[0].cloned(),
                    exchange_value: vals[1].cloned(),
                    winner: w,
                    decided_by: by,
                    at: self.now,
                });
            }
            if hashes[loser.index()] != hashes[w.index()] || vals[loser.index()].is_none() {
                m.writes[loser.index()].set(*field, value.clone());
            }
            if let Some(slot) = m.new_base.0.get_mut(p) {
                *slot = value.stable_hash();
            }
        }
        m
    }

    fn deleted_one_side(
        &mut self,
        i: u32,
        mut link: Link,
        deleted: Side,
        survivor: Option<Seen<'_>>,
    ) {
        let surv = deleted.other();
        let snaps = match survivor {
            Some(Seen::Present(s, _)) => [Some(s), None],
            Some(Seen::Hint(_)) => {
                link.flags |= BOTH_READS;
                self.put(i, link);
                return;
            }
            _ => [None, None],
        };
        let survivor_snap = snaps[0];
        let edited = survivor_snap.is_some_and(|s| {
            let mut two = [None, None];
            two[surv.index()] = Some(s);
            self.merge(i, &link, two).edited[surv.index()]
        });
        let mut effect = self.delete_effect(&link, deleted);
        if let (DeleteEffect::Propagate { .. }, true) = (effect, edited) {
            let policy = self.config.policy(link.kind);
            let (winner, next) = match policy.delete_vs_edit {
                DeleteVsEdit::DeleteWins => (deleted, effect),
                DeleteVsEdit::EditWinsUnlink => (surv, DeleteEffect::Unlink),
                DeleteVsEdit::EditWinsRecreate => (surv, DeleteEffect::Ignore),
            };
            self.conflicts.push(ConflictRecord {
                link: LinkId(i),
                field: None,
                base_hash: 0,
                crm_value: None,
                exchange_value: None,
                winner,
                decided_by: DecidedBy::DeleteVsEdit,
                at: self.now,
            });
            if policy.delete_vs_edit == DeleteVsEdit::EditWinsRecreate {
                return self.recreate(i, link, deleted, survivor_snap);
            }
            effect = next;
        }
        if let Some(Seen::Left(_)) = survivor {
            // The survivor left the scope: it is not ours to delete or untrack.
            link.flags |= SURVIVOR_LEFT;
            effect = DeleteEffect::Ignore;
        }
        link.flags &= !BOTH_READS;
        let tomb = LinkState::Tombstoned {
            deleted,
            at: self.now,
        };
        self.destructive += 1;
        let survivor_item = link.id(surv).map(str::to_string);
        let survivor_token = survivor_snap
            .map(|s| s.token.clone())
            .or_else(|| link.token(surv).map(str::to_string))
            .unwrap_or_default();
        match (effect, survivor_item) {
            (DeleteEffect::Propagate { cancellation }, Some(item)) => {
                // The pair stays linked until the delete is confirmed (a crash replays it).
                let occurrence = self
                    .st
                    .data
                    .occurrences
                    .get(&LinkId(i))
                    .and_then(|o| o[surv.index()].clone());
                let base = link.base.clone();
                self.put(i, link);
                self.op(
                    i,
                    surv,
                    Action::Delete {
                        item,
                        token: survivor_token,
                        send_cancellation: cancellation,
                        occurrence,
                    },
                    true,
                );
                self.effects.push((
                    LinkId(i),
                    PendingEffect {
                        remaining: 1,
                        failed: false,
                        new_base: base,
                        adopt: [None, None],
                        written: [None, None],
                        final_state: tomb,
                        recovery: false,
                        counts: [0; 3],
                    },
                ));
            }
            (DeleteEffect::Unlink, Some(item)) if !matches!(survivor, Some(Seen::Left(_))) => {
                link.ids[deleted.index()] = None;
                link.tokens[deleted.index()] = None;
                link.state = tomb;
                self.put(i, link);
                let token = survivor_token;
                self.op(i, surv, Action::Untrack { item, token }, true);
            }
            _ => {
                link.ids[deleted.index()] = None;
                link.tokens[deleted.index()] = None;
                link.state = tomb;
                self.put(i, link);
            }
        }
    }

    /// Re-creates the deleted side from the survivor (EditWinsRecreate, or an explicit re-track
    /// of a tombstoned pair).
    fn recreate(&mut self, i: u32, mut link: Link, target: Side, source: Option<&Snapshot>) {
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
            // the pair exists; merge it from scratch.
            link.state = LinkState::Linked;
            link.base = Base::empty(link.kind);
            link.tokens = [None, None];
            link.flags |= BOTH_READS;
            return self.linked(i, link, obs);
        }
        match obs[target.index()] {
            Some(Seen::Left(reason)) if link.id(target).is_some() => {
                // Our created item exists but the user took it out of scope.
                link.state = LinkState::Unlinked {
                    reason,
                    side: target,
                };
                link.flags &= !BOTH_READS;
                return self.put(i, link);
            }
            Some(Seen::Gone) if link.id(target).is_some() => {
                link.ids[target.index()] = None;
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
                link.ids[source.index()] = None;
                link.state = LinkState::Tombstoned {
                    deleted: source,
                    at: self.now,
                };
                link.flags &= !BOTH_READS;
                self.put(i, link);
            }
            Some(Seen::Left(reason)) => {
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
                link.ids[side.index()] = None;
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
            link.state = LinkState::Linked;
            link.flags |= BOTH_READS;
        }
        self.put(i, link);
    }

    fn tombstoned(&mut self, i: u32, mut link: Link, deleted: Side, obs: [Option<Seen<'_>>; 2]) {
        let surv = deleted.other();
        if obs[surv.index()].is_some() {
            link.flags &= !BOTH_READS;
        }
        match obs[surv.index()] {
            Some(Seen::Left(_)) => {
                link.flags |= SURVIVOR_LEFT;
                self.put(i, link);
            }
            Some(Seen::Gone) => {
                link.ids[surv.index()] = None;
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

    fn delete_effect(&self, link: &Link, deleted: Side) -> DeleteEffect {
        if link.kind == RecordKind::Email {
            return DeleteEffect::Unlink;
        }
        let rule = self.config.policy(link.kind).delete_rule(deleted);
        let future = link.start != i64::MIN && link.start > self.now.0;
        match rule {
            DeleteRule::Propagate => DeleteEffect::Propagate {
                cancellation: link.kind == RecordKind::Meeting && link.has(ORGANIZER),
            },
            DeleteRule::Unlink => DeleteEffect::Unlink,
            DeleteRule::Ignore => DeleteEffect::Ignore,
            DeleteRule::FutureOrganizedMeetingsOnly => {
                let crm_ok = deleted == Side::Crm || !link.has(LOCKED);
                if link.kind == RecordKind::Meeting && future && link.has(ORGANIZER) && crm_ok {
                    DeleteEffect::Propagate {
                        cancellation: deleted == Side::Crm,
                    }
                } else {
                    DeleteEffect::Unlink
                }
            }
            DeleteRule::PropagateUnlessCompleted => {
                if link.has(COMPLETED) {
                    DeleteEffect::Unlink
                } else {
                    DeleteEffect::Propagate {
                        cancellation: false,
                    }
                }
            }
        }
    }
}

fn present<'a>(s: Option<Seen<'a>>) -> Option<&'a Snapshot> {
    match s {
        Some(Seen::Present(x, _)) => Some(x),
        _ => None,
    }
}

/// The side that wins a two-sided difference of `field` under `rule`.
fn resolve(rule: &ConflictRule, field: Field, snaps: [Option<&Snapshot>; 2]) -> (Side, DecidedBy) {
    match rule {
        ConflictRule::CrmWins => (Side::Crm, DecidedBy::CrmWins),
        ConflictRule::ExchangeWins => (Side::Exchange, DecidedBy::ExchangeWins),
        ConflictRule::NewestWins => {
            let t = |s: Side| snaps[s.index()].map_or(Timestamp(i64::MIN), |x| x.modified_at);
            if t(Side::Exchange) > t(Side::Crm) {
                (Side::Exchange, DecidedBy::NewestWins)
            } else {
                (Side::Crm, DecidedBy::NewestWins)
            }
        }
        ConflictRule::FieldMerge { default, fields } => (
            fields
                .iter()
                .find(|(f, _)| *f == field)
                .map_or(*default, |(_, s)| *s),
            DecidedBy::FieldMerge,
        ),
    }
}

/// The merge base of complete content.
pub(crate) fn base_of(kind: RecordKind, fields: &Fields) -> Base {
    Base(
        kind.fields()
            .iter()
            .map(|f| fields.get(*f).map_or(0, Value::stable_hash))
            .collect(),
    )
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
