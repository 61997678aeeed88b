//! One planning round: collect observations per pair, decide (see `decide`), check the guard,
//! then commit the staged changes to the state.

use std::collections::BTreeMap;

use std::collections::HashMap;

use crate::config::Config;
use crate::error::Error;
use crate::model::{CorrelationKey, Occurrence, Side, Timestamp};
use crate::observe::{Change, Coverage, Observation, RoundInput, Snapshot};
use crate::ops::{Action, ConflictRecord, LinkId, OpId, Operation, Plan};
use crate::state::{
    Candidates, InFlight, Link, LinkState, NEEDS_READ_CRM, NEEDS_READ_EXCHANGE, PendingEffect,
    QUARANTINED, SyncState, needs_read_flag,
};
use crate::status::RunResult;

/// The observation chosen for one item this round (order-insensitive, see [`choose`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seen<'a> {
    /// The item exists (in scope, or scope not reported), with its id.
    Present(&'a Snapshot, &'a str),
    /// The feed says removed, or observations disagree: read it. Carries the kind when an
    /// observation told it.
    Hint(Option<crate::RecordKind>),
    /// Confirmed gone.
    Gone,
    /// Left the scope (with the server time when the payload told it).
    Left(crate::observe::ScopeExit, Option<Timestamp>),
}

/// Staged changes of one round; nothing touches the state until the guard has passed.
pub(crate) struct Stage<'a> {
    pub(crate) st: &'a SyncState,
    pub(crate) config: &'a Config,
    pub(crate) now: Timestamp,
    pub(crate) touched: BTreeMap<u32, Link>,
    pub(crate) new_links: Vec<Link>,
    pub(crate) ops: Vec<Operation>,
    pub(crate) conflicts: Vec<ConflictRecord>,
    pub(crate) effects: Vec<(LinkId, PendingEffect)>,
    pub(crate) in_flight: Vec<(OpId, InFlight)>,
    pub(crate) next_op: u64,
    pub(crate) next_key: u64,
    pub(crate) key_salt: u64,
    pub(crate) candidates: Vec<(LinkId, Side, Box<str>)>,
    pub(crate) ignored: Vec<(Side, Box<str>)>,
    pub(crate) reads_add: Vec<((Side, Box<str>), crate::RecordKind)>,
    pub(crate) reads_done: Vec<(Side, Box<str>)>,
    pub(crate) quarantine_clear: Vec<LinkId>,
    pub(crate) occurrences: Vec<(LinkId, [Option<Occurrence>; 2])>,
    pub(crate) staged_occurrence: Option<(LinkId, [Option<Occurrence>; 2])>,
    /// Replacement candidate lists (empty: none left).
    pub(crate) candidate_updates: Vec<(LinkId, Candidates)>,
    /// Candidates seen in this round's observations (decided before the pairs are).
    pub(crate) fresh_candidates: BTreeMap<u32, Candidates>,
    /// Sides whose observations are an unfinished enumeration: "gone" waits for it to finish.
    pub(crate) enumerating: [bool; 2],
    pub(crate) destructive: u32,
    /// Creates for items seen for the first time (for the guard).
    pub(crate) creates: u32,
}

impl<'a> Stage<'a> {
    pub(crate) fn link(&self, i: u32) -> Option<&Link> {
        if let Some(l) = self.touched.get(&i) {
            return Some(l);
        }
        let n = self.st.data.links.len() as u32;
        if i >= n {
            return self.new_links.get((i - n) as usize);
        }
        self.st.data.links.get(i as usize)
    }

    pub(crate) fn put(&mut self, i: u32, link: Link) {
        let n = self.st.data.links.len() as u32;
        if i >= n {
            if let Some(slot) = self.new_links.get_mut((i - n) as usize) {
                *slot = link;
            }
        } else {
            self.touched.insert(i, link);
        }
    }

    pub(crate) fn add_link(&mut self, link: Link) -> u32 {
        let i = (self.st.data.links.len() + self.new_links.len()) as u32;
        self.new_links.push(link);
        i
    }

    pub(crate) fn fresh_key(&mut self) -> CorrelationKey {
        let mut input = Vec::with_capacity(self.config.key_seed.len() + 16);
        input.extend_from_slice(self.config.key_seed.as_bytes());
        input.extend_from_slice(&self.key_salt.to_le_bytes());
        input.extend_from_slice(&self.next_key.to_le_bytes());
        self.next_key += 1;
        CorrelationKey(xxhash_rust::xxh3::xxh3_128(&input).to_le_bytes())
    }

    /// Adds an operation; tracked ones get an in-flight record.
    pub(crate) fn op(&mut self, link: u32, side: Side, action: Action, tracked: bool) -> OpId {
        let id = OpId(self.next_op);
        self.next_op += 1;
        let kind = self.link(link).map_or(crate::RecordKind::Email, |l| l.kind);
        if tracked {
            self.in_flight.push((
                id,
                InFlight {
                    link: LinkId(link),
                    side,
                    is_create: matches!(action, Action::Create { .. }),
                },
            ));
        }
        self.ops.push(Operation {
            id,
            link: Some(LinkId(link)),
            side,
            kind,
            action,
        });
        id
    }
}

/// Picks one observation per item, independent of order and duplicates: a confirmed delete wins
/// (ids are never reused); disagreeing kinds of entry become a read; among upserts the newest
/// server time wins, ties broken by token and content.
fn choose<'a>(a: Seen<'a>, b: Seen<'a>) -> Seen<'a> {
    match (a, b) {
        (Seen::Gone, _) | (_, Seen::Gone) => Seen::Gone,
        (Seen::Hint(k), other) | (other, Seen::Hint(k)) => Seen::Hint(k.or(kind_of(other))),
        (Seen::Present(x, _), Seen::Present(y, _)) => {
            let kx = (x.modified_at, x.token.as_str());
            let ky = (y.modified_at, y.token.as_str());
            if ky > kx || (ky == kx && format!("{:?}", y.fields) > format!("{:?}", x.fields)) {
                b
            } else {
                a
            }
        }
        (Seen::Present(p, _), Seen::Left(_, Some(t)))
        | (Seen::Left(_, Some(t)), Seen::Present(p, _))
            if t != p.modified_at =>
        {
            // An item seen in and out of scope in one round: the newer server time wins.
            if t > p.modified_at {
                if matches!(a, Seen::Left(..)) { a } else { b }
            } else if matches!(a, Seen::Present(..)) {
                a
            } else {
                b
            }
        }
        (Seen::Left(x, tx), Seen::Left(y, ty)) => {
            Seen::Left(if (y as u8) < (x as u8) { y } else { x }, tx.max(ty))
        }
        (x, y) => Seen::Hint(kind_of(x).or(kind_of(y))),
    }
}

fn kind_of(s: Seen<'_>) -> Option<crate::RecordKind> {
    match s {
        Seen::Present(s, _) => Some(s.kind),
        Seen::Hint(k) => k,
        Seen::Gone | Seen::Left(..) => None,
    }
}

fn classify<'a>(config: &Config, side: Side, o: &'a Observation) -> Seen<'a> {
    match &o.change {
        Change::Upsert(s) => match (&s.categories, side) {
            (Some(c), Side::Exchange) if !config.in_scope(c) => Seen::Left(
                crate::observe::ScopeExit::CategoryRemoved,
                Some(s.modified_at),
            ),
            _ => Seen::Present(s, &o.id),
        },
        Change::RemovedHint => Seen::Hint(None),
        Change::Deleted => Seen::Gone,
        Change::LeftScope(r) => Seen::Left(*r, None),
    }
}

type Groups<'a> = BTreeMap<u32, [Option<Seen<'a>>; 2]>;
type Unknown<'a> = BTreeMap<(Side, &'a str), Seen<'a>>;

/// Unknown items outside the scope that carry a key: maybe a pair's item under a new id.
pub(crate) type KeyedOutside<'a> = BTreeMap<(Side, &'a str), CorrelationKey>;

impl SyncState {
    /// Plans one round: reconciles the observations against the merge bases and returns the
    /// operations to execute. `self` becomes the next state; persist it before executing the
    /// operations (it holds the write-ahead records), then report each outcome with
    /// [`SyncState::apply_outcome`]. Cursors in `input` are committed once every outcome is in.
    ///
    /// Operations of an earlier plan that still lack outcomes are abandoned: their pairs are
    /// re-read and re-planned (a crash between "executed" and "recorded" is safe).
    ///
    /// # Errors
    /// [`Error::MassDelete`] or [`Error::EmptySide`] when the guard refuses (the state is left
    /// unchanged), [`Error::Disabled`] when sync is disabled.
    pub fn plan(
        &mut self,
        input: &RoundInput,
        config: &Config,
        now: Timestamp,
    ) -> Result<Plan, Error> {
        if !self.data.status.enabled {
            return Err(Error::Disabled);
        }
        let key_salt = if self.data.key_salt == 0 {
            crate::hash::hash_id(&format!("{}/{}", config.key_seed, now.0)).max(1)
        } else {
            self.data.key_salt
        };
        let mut stage = Stage {
            st: self,
            config,
            now,
            touched: BTreeMap::new(),
            new_links: Vec::new(),
            ops: Vec::new(),
            conflicts: Vec::new(),
            effects: Vec::new(),
            in_flight: Vec::new(),
            next_op: self.data.next_op,
            next_key: self.data.next_key,
            key_salt,
            candidates: Vec::new(),
            ignored: Vec::new(),
            reads_add: Vec::new(),
            reads_done: Vec::new(),
            quarantine_clear: Vec::new(),
            occurrences: Vec::new(),
            staged_occurrence: None,
            candidate_updates: Vec::new(),
            fresh_candidates: BTreeMap::new(),
            enumerating: [
                input.crm_coverage == Coverage::PartialEnumeration,
                input.exchange_coverage == Coverage::PartialEnumeration,
            ],
            destructive: 0,
            creates: 0,
        };
        // Abandon operations whose outcome never came: re-read their pairs.
        let abandoned: Vec<u32> = self.data.effects.keys().map(|l| l.0).collect();
        for i in abandoned {
            if let Some(mut l) = stage.link(i).cloned() {
                l.flags |= NEEDS_READ_CRM | NEEDS_READ_EXCHANGE;
                stage.put(i, l);
            }
        }

        let (groups, unknown, outside, seen_any) = collect(self, input, config);
        if !self.data.pending_reads.is_empty() {
            // Any observation of an item settles its pending read.
            for (side, list) in [(Side::Crm, &input.crm), (Side::Exchange, &input.exchange)] {
                for o in list {
                    let key = (side, Box::<str>::from(o.id.as_str()));
                    if self.data.pending_reads.contains_key(&key) {
                        stage.reads_done.push(key);
                    }
                }
            }
        }
        // Items under new ids that carry a pair's key: known before the pairs are decided, so
        // "old id gone + new id with the key" in one round is a move, not a delete.
        let keyed = unknown.iter().filter_map(|((side, id), seen)| match seen {
            Seen::Present(s, _) => s.correlation_key.map(|k| ((*side, *id), k)),
            _ => None,
        });
        for ((side, id), k) in keyed.chain(outside.iter().map(|(a, k)| (*a, *k))) {
            if let Some(j) = self.index.find_key(&self.data.links, &k) {
                let differs = self.data.links[j as usize]
                    .id(side)
                    .is_some_and(|cur| cur != id);
                if differs {
                    stage
                        .fresh_candidates
                        .entry(j)
                        .or_default()
                        .push((side, id.into()));
                }
            }
        }
        for (i, obs) in &groups {
            stage.decide_link(*i, *obs);
        }
        stage.decide_unknown(&unknown, &outside);
        for side in Side::BOTH {
            let coverage = match side {
                Side::Crm => input.crm_coverage,
                Side::Exchange => input.exchange_coverage,
            };
            if coverage == Coverage::CompleteEnumeration {
                stage.confirm_missing(side, &seen_any[side.index()]);
            }
        }
        let linked = stage.emit_reads_and_count_linked();

        if !input.force {
            for side in Side::BOTH {
                let complete = match side {
                    Side::Crm => input.crm_coverage,
                    Side::Exchange => input.exchange_coverage,
                } == Coverage::CompleteEnumeration;
                let present = seen_any[side.index()].iter().any(|b| *b)
                    || unknown
                        .iter()
                        .any(|((s, _), v)| *s == side && matches!(v, Seen::Present(..)));
                if complete && !present && linked > 0 {
                    let e = Error::EmptySide { side, linked };
                    self.refused(&e, now);
                    return Err(e);
                }
            }
            let guard = config.mass_delete;
            let d = u64::from(stage.destructive);
            if stage.destructive > guard.min_count
                && d * 1000 > u64::from(guard.max_share_per_mille) * u64::from(linked)
            {
                let e = Error::MassDelete {
                    planned: stage.destructive,
                    linked,
                };
                self.refused(&e, now);
                return Err(e);
            }
        }
        if !input.force && linked > 0 {
            let guard = config.mass_delete;
            if stage.creates > guard.min_count
                && u64::from(stage.creates) * 1000
                    > u64::from(guard.max_share_per_mille) * u64::from(linked)
            {
                let e = Error::MassCreate {
                    planned: stage.creates,
                    linked,
                };
                self.refused(&e, now);
                return Err(e);
            }
        }
        let plan = Plan {
            operations: std::mem::take(&mut stage.ops),
            conflicts: std::mem::take(&mut stage.conflicts),
        };
        let staged = Staged::from(stage);
        self.commit(staged, input, config, now);
        Ok(plan)
    }

    fn refused(&mut self, e: &Error, now: Timestamp) {
        self.data.status.last_sync = Some(now);
        self.data.status.last_result = Some(RunResult::Refused(e.to_string()));
        self.data.status.error(e.to_string());
    }

    fn commit(&mut self, s: Staged, input: &RoundInput, config: &Config, now: Timestamp) {
        let d = &mut self.data;
        d.in_flight.clear();
        d.effects.clear();
        d.pending_cursors.clear();
        for (i, new) in s.touched {
            let Some(old) = d.links.get(i as usize) else {
                continue;
            };
            let old_ids = old.ids.clone();
            for side in Side::BOTH {
                if old_ids[side.index()] != new.ids[side.index()] {
                    if let Some(id) = old_ids[side.index()].as_deref() {
                        self.index.remove_id(&d.links, side, id);
                    }
                }
            }
            d.links[i as usize] = new;
            for side in Side::BOTH {
                if old_ids[side.index()] != d.links[i as usize].ids[side.index()] {
                    if let Some(id) = d.links[i as usize].ids[side.index()].clone() {
                        self.index.insert_id(&d.links, side, &id, i);
                    }
                }
            }
        }
        for l in s.new_links {
            d.links.push(l);
            let i = (d.links.len() - 1) as u32;
            self.index.insert_new(&d.links, i);
        }
        d.next_op = s.next_op;
        d.next_key = s.next_key;
        d.key_salt = s.key_salt;
        d.in_flight.extend(s.in_flight);
        d.effects.extend(s.effects);
        for (l, list) in s.candidate_updates {
            if list.is_empty() {
                d.candidates.remove(&l);
            } else {
                d.candidates.insert(l, list);
            }
        }
        for (l, side, id) in s.candidates {
            let list = d.candidates.entry(l).or_default();
            let current = d.links.get(l.0 as usize).and_then(|x| x.id(side));
            if current != Some(&*id) && !list.iter().any(|(s, i)| *s == side && *i == id) {
                list.push((side, id));
            }
        }
        d.ignored_copies.extend(s.ignored);
        for r in s.reads_done {
            d.pending_reads.remove(&r);
        }
        d.pending_reads.extend(s.reads_add);
        for l in s.quarantine_clear {
            d.quarantine.remove(&l);
        }
        for (l, occ) in s.occurrences {
            d.occurrences.insert(l, occ);
        }
        let fp = config.fingerprint();
        if d.config_fingerprint != fp {
            if d.config_fingerprint != 0 {
                d.status.log(
                    now,
                    "sync-core",
                    format!("configuration changed (fingerprint {fp:016x})"),
                );
            }
            d.config_fingerprint = fp;
        }
        d.quarantine_after = config.quarantine_after.max(1);
        d.status.last_sync = Some(now);
        d.status.last_run = Default::default();
        d.pending_cursors = input.cursors.clone();
        if d.in_flight.is_empty() {
            self.finish_round();
        } else {
            self.data.status.last_result = None;
        }
    }

    /// Commits pending cursors once every outcome of the round is in.
    pub(crate) fn finish_round(&mut self) {
        let d = &mut self.data;
        for c in d.pending_cursors.drain(..) {
            d.cursors.insert(c.scope, c.value);
        }
        if d.status.last_result.is_none() {
            d.status.last_result = Some(RunResult::Success);
        }
    }
}

/// The staged changes without the borrow of the state.
struct Staged {
    touched: BTreeMap<u32, Link>,
    new_links: Vec<Link>,
    effects: Vec<(LinkId, PendingEffect)>,
    in_flight: Vec<(OpId, InFlight)>,
    next_op: u64,
    next_key: u64,
    key_salt: u64,
    candidates: Vec<(LinkId, Side, Box<str>)>,
    candidate_updates: Vec<(LinkId, Candidates)>,
    ignored: Vec<(Side, Box<str>)>,
    reads_add: Vec<((Side, Box<str>), crate::RecordKind)>,
    reads_done: Vec<(Side, Box<str>)>,
    quarantine_clear: Vec<LinkId>,
    occurrences: Vec<(LinkId, [Option<Occurrence>; 2])>,
}

impl From<Stage<'_>> for Staged {
    fn from(s: Stage<'_>) -> Self {
        Staged {
            touched: s.touched,
            new_links: s.new_links,
            effects: s.effects,
            in_flight: s.in_flight,
            next_op: s.next_op,
            next_key: s.next_key,
            key_salt: s.key_salt,
            candidates: s.candidates,
            candidate_updates: s.candidate_updates,
            ignored: s.ignored,
            reads_add: s.reads_add,
            reads_done: s.reads_done,
            quarantine_clear: s.quarantine_clear,
            occurrences: s.occurrences,
        }
    }
}

/// Groups observations by pair (known ids) or by item (unknown ids). Unchanged observations of
/// clean pairs take a fast path and are only marked as seen.
fn collect<'a>(
    st: &SyncState,
    input: &'a RoundInput,
    config: &Config,
) -> (Groups<'a>, Unknown<'a>, KeyedOutside<'a>, [Vec<bool>; 2]) {
    let links = &st.data.links;
    let mut groups: Groups<'a> = BTreeMap::new();
    let mut unknown: HashMap<(Side, &'a str), Seen<'a>> = HashMap::new();
    let mut outside: KeyedOutside<'a> = BTreeMap::new();
    let mut seen: [Vec<bool>; 2] = [Vec::new(), Vec::new()];
    let lists = [
        (Side::Crm, &input.crm, input.crm_coverage),
        (Side::Exchange, &input.exchange, input.exchange_coverage),
    ];
    for (side, list, coverage) in lists {
        let track_seen = coverage == Coverage::CompleteEnumeration;
        if track_seen {
            seen[side.index()] = vec![false; links.len()];
        }
        for o in list.iter() {
            match st.index.find_id(links, side, &o.id) {
                Some(i) => {
                    let l = &links[i as usize];
                    if let (true, Change::Upsert(s)) = (track_seen, &o.change) {
                        // A replayed older entry does not prove the item still exists.
                        if s.modified_at.0 >= l.modified[side.index()] {
                            seen[side.index()][i as usize] = true;
                        }
                    }
                    if let Change::Upsert(s) = &o.change {
                        let clean = l.flags & (NEEDS_READ_CRM | NEEDS_READ_EXCHANGE) == 0
                            && !st.data.effects.contains_key(&LinkId(i));
                        if clean && l.token(side) == Some(s.token.as_str()) {
                            continue;
                        }
                    }
                    let seen_now = classify(config, side, o);
                    let slot = &mut groups.entry(i).or_insert([None, None])[side.index()];
                    *slot = Some(match *slot {
                        None => seen_now,
                        Some(prev) => choose(prev, seen_now),
                    });
                }
                None => {
                    let seen_now = classify(config, side, o);
                    if let (Seen::Left(..), Change::Upsert(s)) = (seen_now, &o.change) {
                        if let Some(k) = s.correlation_key {
                            outside.insert((side, o.id.as_str()), k);
                        }
                    }
                    unknown
                        .entry((side, o.id.as_str()))
                        .and_modify(|prev| *prev = choose(*prev, seen_now))
                        .or_insert(seen_now);
                }
            }
        }
    }
    // Our own creates (and items whose id changed) come back under a new id carrying the key of
    // a pending create: attach them to that pair.
    // In (side, id) order, so which of several items with one key attaches is deterministic.
    let unknown: Unknown<'a> = unknown.into_iter().collect();
    let mut rest: Unknown<'a> = BTreeMap::new();
    for ((side, id), seen_now) in unknown {
        if let Seen::Present(s, _) = seen_now {
            if let Some(k) = &s.correlation_key {
                if let Some(i) = st.index.find_key(links, k) {
                    let l = &links[i as usize];
                    if l.state == (LinkState::PendingCreate { target: side })
                        && l.id(side).is_none()
                    {
                        let slot = &mut groups.entry(i).or_insert([None, None])[side.index()];
                        if slot.is_none() {
                            *slot = Some(seen_now);
                            continue;
                        }
                    }
                }
            }
        }
        rest.insert((side, id), seen_now);
    }
    (groups, rest, outside, seen)
}

impl Stage<'_> {
    /// After a complete enumeration, pairs whose item was not listed are read directly, never
    /// deleted on absence alone.
    fn confirm_missing(&mut self, side: Side, seen: &[bool]) {
        for (i, l) in self.st.data.links.iter().enumerate() {
            let live = matches!(l.state, LinkState::Linked | LinkState::PendingCreate { .. });
            if live && l.id(side).is_some() && !seen.get(i).copied().unwrap_or(false) {
                let i = i as u32;
                if let Some(mut l) = self.link(i).cloned() {
                    l.flags |= needs_read_flag(side);
                    self.put(i, l);
                }
            }
        }
    }

    /// Emits a read for every flagged pair and unknown partial item; returns the number of
    /// linked pairs (for the guard).
    fn emit_reads_and_count_linked(&mut self) -> u32 {
        let mut linked = 0u32;
        let mut reads: Vec<(u32, Side, Box<str>)> = Vec::new();
        // Walk stored links and staged replacements in step (no per-link map lookup), then the
        // new links.
        let mut touched = self.touched.iter().peekable();
        let stored = self.st.data.links.iter().enumerate().map(|(i, stored)| {
            let i = i as u32;
            match touched.peek() {
                Some((t, l)) if **t == i => {
                    let l = *l;
                    touched.next();
                    (i, l)
                }
                _ => (i, stored),
            }
        });
        let base = self.st.data.links.len() as u32;
        let fresh = self
            .new_links
            .iter()
            .enumerate()
            .map(|(k, l)| (base + k as u32, l));
        for (i, l) in stored.chain(fresh) {
            if l.state == LinkState::Linked {
                linked += 1;
            }
            if l.flags & (NEEDS_READ_CRM | NEEDS_READ_EXCHANGE) == 0 || l.has(QUARANTINED) {
                continue;
            }
            for side in Side::BOTH {
                if l.has(needs_read_flag(side)) {
                    if let Some(id) = l.id(side) {
                        reads.push((i, side, id.into()));
                    }
                }
            }
        }
        for (i, side, id) in reads {
            self.op(i, side, Action::Read { item: id.into() }, false);
        }
        let pending: Vec<((Side, Box<str>), crate::RecordKind)> = self
            .st
            .data
            .pending_reads
            .iter()
            .filter(|(r, _)| !self.reads_done.contains(r))
            .map(|(r, k)| (r.clone(), *k))
            .chain(self.reads_add.iter().cloned())
            .collect();
        for ((side, id), kind) in pending {
            self.ops.push(Operation {
                id: OpId(self.next_op),
                link: None,
                side,
                kind,
                action: Action::Read { item: id.into() },
            });
            self.next_op += 1;
        }
        linked
    }
}
