//! The persisted sync state: one link record per pair, cursors, in-flight effects and status.

use std::collections::{BTreeMap, BTreeSet};

use hashbrown::HashTable;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;
use crate::hash::hash_id;
use crate::model::{CorrelationKey, Occurrence, RecordKind, Side, Timestamp};
use crate::observe::CursorAdvance;
use crate::observe::ScopeExit;
use crate::ops::{LinkId, OpId};
use crate::status::MailboxStatus;

/// The state format version written by this crate.
pub const STATE_VERSION: u32 = 1;

pub(crate) const NEEDS_READ_CRM: u8 = 1;
pub(crate) const NEEDS_READ_EXCHANGE: u8 = 2;
pub(crate) const ORGANIZER: u8 = 4;
pub(crate) const COMPLETED: u8 = 8;
pub(crate) const LOCKED: u8 = 16;
pub(crate) const QUARANTINED: u8 = 32;
/// Tombstoned pairs: the surviving item was seen outside the scope (so coming back is a re-track).
pub(crate) const SURVIVOR_LEFT: u8 = 64;
/// Tombstoned pairs: both items are gone; nothing about the pair can change any more.
pub(crate) const BOTH_GONE: u8 = 128;

pub(crate) fn needs_read_flag(side: Side) -> u8 {
    match side {
        Side::Crm => NEEDS_READ_CRM,
        Side::Exchange => NEEDS_READ_EXCHANGE,
    }
}

/// Items under other ids that carry a pair's key (copies, or the pair's item after a move).
pub(crate) type Candidates = Vec<(Side, Box<str>)>;

/// Where a pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// The counterpart on `target` is being created (write-ahead: persisted before the create).
    PendingCreate {
        /// The side being written.
        target: Side,
    },
    /// Both items exist and are kept in step.
    Linked,
    /// One item left the scope (§5): both still exist, nothing is synced, re-tracking re-links.
    Unlinked {
        /// Why.
        reason: ScopeExit,
        /// The side that left.
        side: Side,
    },
    /// An accepted delete (or a delete-unlink). Blocks re-creation until an explicit re-track.
    /// The ids stay recorded, so late or replayed sightings of a deleted item map here and are
    /// ignored instead of looking new.
    Tombstoned {
        /// The side whose item was deleted.
        deleted: Side,
        /// When the planner accepted it.
        at: Timestamp,
    },
}

/// The merge base: one stable 64-bit hash per mapped field of the kind (0 = no base).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Base(pub(crate) Box<[u64]>);

impl Base {
    pub(crate) fn empty(kind: RecordKind) -> Self {
        Base(vec![0; kind.fields().len()].into_boxed_slice())
    }
}

impl Serialize for Base {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut bytes = Vec::with_capacity(self.0.len() * 8);
        for h in self.0.iter() {
            bytes.extend_from_slice(&h.to_le_bytes());
        }
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Base {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bytes: Vec<u8> = serde::Deserialize::deserialize(d)?;
        if bytes.len() % 8 != 0 {
            return Err(serde::de::Error::custom(
                "merge base: length not a multiple of 8",
            ));
        }
        Ok(Base(
            bytes
                .chunks_exact(8)
                .map(|c| {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(c);
                    u64::from_le_bytes(a)
                })
                .collect(),
        ))
    }
}

/// One pair's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Link {
    pub(crate) kind: RecordKind,
    pub(crate) state: LinkState,
    pub(crate) key: CorrelationKey,
    /// Item ids, CRM then Exchange.
    pub(crate) ids: [Option<Box<str>>; 2],
    /// Last adopted version tokens; a token is adopted only when that side's content is in base.
    pub(crate) tokens: [Option<Box<str>>; 2],
    /// Server last-modified per side (ms); older observations are replays and are ignored.
    pub(crate) modified: [i64; 2],
    pub(crate) base: Base,
    /// Meeting start / task due (ms), `i64::MIN` when unknown.
    pub(crate) start: i64,
    pub(crate) flags: u8,
    /// Permanent failures and optimistic-write conflicts since the last success.
    pub(crate) failures: u8,
}

impl Link {
    pub(crate) fn id(&self, side: Side) -> Option<&str> {
        self.ids[side.index()].as_deref()
    }
    pub(crate) fn token(&self, side: Side) -> Option<&str> {
        self.tokens[side.index()].as_deref()
    }
    pub(crate) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// What happens to a pair when all of its in-flight operations succeed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PendingEffect {
    pub(crate) remaining: u8,
    pub(crate) failed: bool,
    pub(crate) new_base: Base,
    /// Observed tokens (and modified times) to adopt on success.
    pub(crate) adopt: [Option<(Box<str>, i64)>; 2],
    /// Tokens returned by our writes.
    pub(crate) written: [Option<(Box<str>, i64)>; 2],
    pub(crate) final_state: LinkState,
    /// The effect includes a create in recovery mode: its result is merged from scratch.
    pub(crate) recovery: bool,
    /// Counts for the status: (kind, created, updated, deleted).
    pub(crate) counts: [u32; 3],
}

/// The in-flight record of one tracked operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct InFlight {
    pub(crate) link: LinkId,
    pub(crate) side: Side,
    pub(crate) is_create: bool,
}

/// Everything persisted (the index is rebuilt on load).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StateData {
    pub(crate) version: u32,
    pub(crate) links: Vec<Link>,
    pub(crate) next_op: u64,
    pub(crate) next_key: u64,
    pub(crate) cursors: BTreeMap<String, String>,
    pub(crate) pending_cursors: Vec<CursorAdvance>,
    pub(crate) in_flight: BTreeMap<OpId, InFlight>,
    pub(crate) effects: BTreeMap<LinkId, PendingEffect>,
    /// A new id carrying a linked key: a copy, or the same item under a new id after a move.
    pub(crate) candidates: BTreeMap<LinkId, Candidates>,
    /// Copies detected and ignored.
    pub(crate) ignored_copies: BTreeSet<(Side, Box<str>)>,
    /// Unknown items seen only partially: read them in full.
    pub(crate) pending_reads: BTreeMap<(Side, Box<str>), RecordKind>,
    pub(crate) quarantine: BTreeMap<LinkId, String>,
    pub(crate) occurrences: BTreeMap<LinkId, [Option<Occurrence>; 2]>,
    pub(crate) config_fingerprint: u64,
    /// `Config::quarantine_after` of the last plan (outcomes are counted against it).
    pub(crate) quarantine_after: u8,
    /// Mixed into correlation keys so a lost-and-recreated state never reuses keys.
    pub(crate) key_salt: u64,
    pub(crate) status: MailboxStatus,
}

/// Indexes over the links: by CRM id, by Exchange id and by correlation key.
#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    by_id: [HashTable<u32>; 2],
    by_key: HashTable<u32>,
}

fn key_hash(k: &CorrelationKey) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&k.0[..8]);
    u64::from_le_bytes(a) ^ u64::from(k.0[8])
}

impl Index {
    pub(crate) fn build(links: &[Link]) -> Self {
        let mut ix = Index::default();
        for (i, l) in links.iter().enumerate() {
            ix.insert_link(links, i as u32, l);
        }
        ix
    }

    pub(crate) fn insert_new(&mut self, links: &[Link], i: u32) {
        if let Some(l) = links.get(i as usize) {
            self.insert_link(links, i, l);
        }
    }

    fn insert_link(&mut self, links: &[Link], i: u32, l: &Link) {
        for side in Side::BOTH {
            if let Some(id) = l.id(side) {
                self.insert_id(links, side, id, i);
            }
        }
        self.by_key.insert_unique(key_hash(&l.key), i, |&j| {
            links.get(j as usize).map_or(0, |l| key_hash(&l.key))
        });
    }

    pub(crate) fn insert_id(&mut self, links: &[Link], side: Side, id: &str, i: u32) {
        self.by_id[side.index()].insert_unique(hash_id(id), i, |&j| {
            links
                .get(j as usize)
                .and_then(|l| l.id(side))
                .map_or(0, hash_id)
        });
    }

    pub(crate) fn remove_id(&mut self, links: &[Link], side: Side, id: &str) {
        if let Ok(e) = self.by_id[side.index()].find_entry(hash_id(id), |&j| {
            links.get(j as usize).and_then(|l| l.id(side)) == Some(id)
        }) {
            e.remove();
        }
    }

    pub(crate) fn find_id(&self, links: &[Link], side: Side, id: &str) -> Option<u32> {
        self.by_id[side.index()]
            .find(hash_id(id), |&j| {
                links.get(j as usize).and_then(|l| l.id(side)) == Some(id)
            })
            .copied()
    }

    pub(crate) fn find_key(&self, links: &[Link], key: &CorrelationKey) -> Option<u32> {
        self.by_key
            .find(key_hash(key), |&j| {
                links.get(j as usize).map(|l| &l.key) == Some(key)
            })
            .copied()
    }
}

/// The sync state of one mailbox: persist it after every [`SyncState::plan`] and every
/// [`SyncState::apply_outcome`] (or batch of them), with [`SyncState::to_compact_bytes`] or any
/// serde format.
#[derive(Debug, Clone)]
pub struct SyncState {
    pub(crate) data: StateData,
    pub(crate) index: Index,
}

impl PartialEq for SyncState {
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

impl Default for SyncState {
    fn default() -> Self {
        SyncState::new()
    }
}

impl Serialize for SyncState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SyncState {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = StateData::deserialize(d)?;
        SyncState::from_data(data).map_err(serde::de::Error::custom)
    }
}

impl SyncState {
    /// An empty state: no links, no cursors, sync enabled.
    #[must_use]
    pub fn new() -> Self {
        SyncState {
            data: StateData {
                version: STATE_VERSION,
                links: Vec::new(),
                next_op: 1,
                next_key: 1,
                cursors: BTreeMap::new(),
                pending_cursors: Vec::new(),
                in_flight: BTreeMap::new(),
                effects: BTreeMap::new(),
                candidates: BTreeMap::new(),
                ignored_copies: BTreeSet::new(),
                pending_reads: BTreeMap::new(),
                key_salt: 0,
                quarantine_after: 5,
                quarantine: BTreeMap::new(),
                occurrences: BTreeMap::new(),
                config_fingerprint: 0,
                status: MailboxStatus::default(),
            },
            index: Index::default(),
        }
    }

    fn from_data(data: StateData) -> Result<Self, Error> {
        if data.version != STATE_VERSION {
            return Err(Error::UnsupportedVersion {
                found: data.version,
                supported: STATE_VERSION,
            });
        }
        for l in &data.links {
            if l.base.0.len() != l.kind.fields().len() {
                return Err(Error::Corrupt(
                    "merge base length does not match its kind".into(),
                ));
            }
        }
        let index = Index::build(&data.links);
        Ok(SyncState { data, index })
    }

    /// Encodes the state compactly (postcard: varints, raw hash bytes, no field names).
    #[must_use]
    pub fn to_compact_bytes(&self) -> Vec<u8> {
        // Serialising plain data into a Vec cannot fail.
        postcard::to_allocvec(&self.data).unwrap_or_default()
    }

    /// Decodes a state written by [`SyncState::to_compact_bytes`].
    ///
    /// # Errors
    /// [`Error::Decode`] for malformed bytes, [`Error::UnsupportedVersion`] for another version.
    pub fn from_compact_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let data: StateData =
            postcard::from_bytes(bytes).map_err(|e| Error::Decode(e.to_string()))?;
        SyncState::from_data(data)
    }

    /// The committed cursor of a scope (EWS `SyncState`, Graph `deltaLink`). Fetch from here.
    #[must_use]
    pub fn cursor(&self, scope: &str) -> Option<&str> {
        self.data.cursors.get(scope).map(String::as_str)
    }

    /// Forgets a scope's cursor after `ErrorInvalidSyncStateData`, HTTP 410 or
    /// `syncStateNotFound`: the caller then re-enumerates the scope fully and reports it with
    /// [`crate::Coverage::PartialEnumeration`] / [`crate::Coverage::CompleteEnumeration`].
    pub fn reset_cursor(&mut self, scope: &str) {
        self.data.cursors.remove(scope);
        self.data.pending_cursors.retain(|c| c.scope != scope);
    }

    /// Operations planned but without a reported outcome.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.data.in_flight.len()
    }

    /// The per-mailbox status for operators.
    #[must_use]
    pub fn status(&self) -> &MailboxStatus {
        &self.data.status
    }

    /// Mutable status (enable/disable, activity log).
    pub fn status_mut(&mut self) -> &mut MailboxStatus {
        &mut self.data.status
    }

    /// Number of link records (all states, tombstones included).
    #[must_use]
    pub fn len(&self) -> usize {
        self.data.links.len()
    }

    /// True when there are no link records.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.data.links.is_empty()
    }

    /// Lists the pairs (for UIs and tests).
    pub fn links(&self) -> impl Iterator<Item = LinkView<'_>> {
        self.data.links.iter().enumerate().map(|(i, l)| LinkView {
            id: LinkId(i as u32),
            link: l,
            quarantine: self
                .data
                .quarantine
                .get(&LinkId(i as u32))
                .map(String::as_str),
        })
    }

    /// An estimate of the memory the pairs and their indexes occupy, in bytes: link records,
    /// their heap parts (ids, tokens, merge bases, each rounded up to the allocator's 8-byte
    /// granularity plus 8 bytes of bookkeeping) and the three index tables. Side tables that
    /// only hold rare entries (quarantine, candidates) are not counted.
    #[must_use]
    pub fn approx_memory_bytes(&self) -> usize {
        let heap = |len: usize| if len == 0 { 0 } else { len.div_ceil(8) * 8 + 8 };
        let links: usize = self
            .data
            .links
            .iter()
            .map(|l| {
                let strings: usize = l
                    .ids
                    .iter()
                    .chain(l.tokens.iter())
                    .flatten()
                    .map(|s| heap(s.len()))
                    .sum();
                strings + heap(l.base.0.len() * 8)
            })
            .sum();
        let records = self.data.links.capacity() * std::mem::size_of::<Link>();
        let ix = &self.index;
        records
            + links
            + ix.by_id[0].allocation_size()
            + ix.by_id[1].allocation_size()
            + ix.by_key.allocation_size()
    }

    /// Looks a pair up by an item id.
    #[must_use]
    pub fn link_by_item(&self, side: Side, id: &str) -> Option<LinkView<'_>> {
        let i = self.index.find_id(&self.data.links, side, id)?;
        self.links().nth(i as usize)
    }

    /// Releases a quarantined pair (an admin acted); it is re-read and re-planned next round.
    pub fn release_quarantine(&mut self, link: LinkId) -> bool {
        let Some(l) = self.data.links.get_mut(link.0 as usize) else {
            return false;
        };
        let was = l.has(QUARANTINED);
        l.flags &= !QUARANTINED;
        l.flags |= NEEDS_READ_CRM | NEEDS_READ_EXCHANGE;
        l.failures = 0;
        self.data.quarantine.remove(&link);
        was
    }
}

/// A read-only view of one pair.
#[derive(Debug, Clone, Copy)]
pub struct LinkView<'a> {
    id: LinkId,
    link: &'a Link,
    quarantine: Option<&'a str>,
}

impl LinkView<'_> {
    /// The pair's id.
    #[must_use]
    pub fn id(&self) -> LinkId {
        self.id
    }
    /// The record kind.
    #[must_use]
    pub fn kind(&self) -> RecordKind {
        self.link.kind
    }
    /// The pair's state.
    #[must_use]
    pub fn state(&self) -> LinkState {
        self.link.state
    }
    /// The correlation key.
    #[must_use]
    pub fn key(&self) -> CorrelationKey {
        self.link.key
    }
    /// The item id on a side, if known.
    #[must_use]
    pub fn item(&self, side: Side) -> Option<&str> {
        self.link.id(side)
    }
    /// The quarantine marker (last error), if quarantined.
    #[must_use]
    pub fn quarantined(&self) -> Option<&str> {
        if self.link.has(QUARANTINED) {
            Some(self.quarantine.unwrap_or("quarantined"))
        } else {
            None
        }
    }
}
