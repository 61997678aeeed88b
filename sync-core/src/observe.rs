//! Observations: what the EWS (`SyncFolderItems`) and Graph (delta) adapters, and the CRM adapter,
//! map their change feeds and direct reads into.

use serde::{Deserialize, Serialize};

use crate::model::{CorrelationKey, Fields, ItemFacts, Occurrence, RecordKind, Timestamp};

/// One change-feed entry or direct-read result for one item on one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The item id on its side (prefer the Graph immutable id; an EWS ItemId otherwise).
    pub id: String,
    /// What the feed or read says about the item.
    pub change: Change,
}

/// What happened to an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// The item exists with this content (created or updated, or a full enumeration entry).
    Upsert(Snapshot),
    /// The feed reported a removal (EWS `Delete`, Graph `@removed`). This is only a hint: the
    /// planner asks for a direct read (§5.4) before acting.
    RemovedHint,
    /// A direct read confirmed the item is gone (not found). Delete policy applies.
    Deleted,
    /// The item still exists but left the sync scope (§5.1). Never a delete.
    LeftScope(ScopeExit),
}

/// Why an item left the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeExit {
    /// The CRM tracking category was removed from the Exchange item.
    CategoryRemoved,
    /// The item moved out of the tracked folders.
    MovedOut,
    /// The event left the calendar window.
    OutOfWindow,
    /// The CRM record left the sync filter, or was logically deleted (Canceled/Inactive).
    FilterExit,
    /// The syncing user lost access.
    AccessLost,
}

/// The content of an item as observed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The record kind.
    pub kind: RecordKind,
    /// The version token: Exchange `ChangeKey` / `@odata.etag`, CRM row version.
    pub token: String,
    /// Server last-modified time (never a client clock). Used to ignore replayed older entries and
    /// by the newest-wins rule.
    pub modified_at: Timestamp,
    /// Mapped field values. Fields absent from a partial payload count as unchanged.
    pub fields: Fields,
    /// Exchange categories, when the payload carries them (`None`: not reported, scope unchanged).
    /// Ignored for CRM observations (a CRM record reported as `Upsert` is in scope).
    pub categories: Option<Vec<String>>,
    /// The correlation key K found on the item, if any.
    pub correlation_key: Option<CorrelationKey>,
    /// Parent folder (EWS ParentFolderId / Graph parentFolderId), informational.
    pub folder: Option<String>,
    /// Set when the item is one occurrence of a series.
    pub occurrence: Option<Occurrence>,
    /// Facts for delete and lock rules.
    pub facts: ItemFacts,
}

impl Snapshot {
    /// A snapshot with the given kind, token, time and fields, and nothing else.
    #[must_use]
    pub fn new(
        kind: RecordKind,
        token: impl Into<String>,
        modified_at: Timestamp,
        fields: Fields,
    ) -> Self {
        Snapshot {
            kind,
            token: token.into(),
            modified_at,
            fields,
            categories: None,
            correlation_key: None,
            folder: None,
            occurrence: None,
            facts: ItemFacts::default(),
        }
    }

    /// Builder: sets the categories.
    #[must_use]
    pub fn with_categories<I: IntoIterator<Item = S>, S: Into<String>>(mut self, c: I) -> Self {
        self.categories = Some(c.into_iter().map(Into::into).collect());
        self
    }

    /// Builder: sets the correlation key.
    #[must_use]
    pub fn with_key(mut self, key: CorrelationKey) -> Self {
        self.correlation_key = Some(key);
        self
    }

    /// Builder: sets the facts.
    #[must_use]
    pub fn with_facts(mut self, facts: ItemFacts) -> Self {
        self.facts = facts;
        self
    }

    /// Builder: marks the snapshot as an occurrence of a series.
    #[must_use]
    pub fn with_occurrence(mut self, occurrence: Occurrence) -> Self {
        self.occurrence = Some(occurrence);
        self
    }
}

/// How complete one side's observations are this round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Coverage {
    /// Change feed pages (delta): absent items are unchanged.
    #[default]
    Delta,
    /// A full re-enumeration (after an invalid sync state) that has not finished: absent items say
    /// nothing.
    PartialEnumeration,
    /// A finished full re-enumeration of every tracked scope: absent linked items are confirmed by
    /// direct reads (never deleted on absence alone). The side's observations must then be that
    /// enumeration, not mixed with replayed older feed pages or direct-read results obtained
    /// before it (deliver those in the next round).
    CompleteEnumeration,
}

/// A cursor to commit once the effects of the pages it follows are recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CursorAdvance {
    /// The scope: e.g. `exchange:folder:<id>` for an EWS SyncState, `exchange:delta:events`.
    pub scope: String,
    /// The opaque cursor value (EWS `SyncState`, Graph `deltaLink`).
    pub value: String,
}

/// Everything one planning round consumes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoundInput {
    /// CRM observations, in any order; duplicates and replays are fine.
    pub crm: Vec<Observation>,
    /// Exchange observations, in any order; duplicates and replays are fine.
    pub exchange: Vec<Observation>,
    /// Coverage of the CRM observations.
    pub crm_coverage: Coverage,
    /// Coverage of the Exchange observations.
    pub exchange_coverage: Coverage,
    /// Cursors reached by the pages above.
    pub cursors: Vec<CursorAdvance>,
    /// Lets this round pass the mass-delete guard (an operator confirmed it).
    pub force: bool,
}
