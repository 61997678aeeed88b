//! Policy per record kind, scope and safety valves.

use serde::{Deserialize, Serialize};

use crate::model::{Field, RecordKind, Side};

/// Which way a field flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// Changes flow both ways; two-sided differences are conflicts.
    TwoWay,
    /// CRM is the source; Exchange edits are reverted to the CRM value.
    CrmToExchange,
    /// Exchange is the source; CRM edits are reverted to the Exchange value.
    ExchangeToCrm,
    /// Not synced.
    None,
}

impl Direction {
    pub(crate) fn source(self) -> Option<Side> {
        match self {
            Direction::CrmToExchange => Some(Side::Crm),
            Direction::ExchangeToCrm => Some(Side::Exchange),
            Direction::TwoWay | Direction::None => None,
        }
    }
}

/// How a field changed on both sides to different values is resolved. One-sided field changes
/// always merge (never overwritten), whatever the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictRule {
    /// The CRM value is kept.
    CrmWins,
    /// The Exchange value is kept.
    ExchangeWins,
    /// The side with the larger server timestamp wins; ties go to the CRM.
    NewestWins,
    /// Per-field tie-break: listed fields go to the listed side, the rest to `default`.
    FieldMerge {
        /// Side for fields not listed.
        default: Side,
        /// Per-field overrides.
        fields: Vec<(Field, Side)>,
    },
}

/// What a confirmed delete on one side does to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeleteRule {
    /// Delete the counterpart.
    Propagate,
    /// Leave the counterpart, unlink and untrack it (remove the category / CRM tracking mark).
    Unlink,
    /// Leave the counterpart exactly as it is and stop syncing the pair.
    Ignore,
    /// Meetings: delete (with cancellation) only when the meeting is in the future, the syncing
    /// user organises it and the CRM record is not locked; otherwise unlink.
    FutureOrganizedMeetingsOnly,
    /// Tasks: propagate unless the Exchange task is completed, then unlink.
    PropagateUnlessCompleted,
}

/// A delete on one side while the other side edited the same pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeleteVsEdit {
    /// The edit wins; the pair is unlinked and the edited item kept.
    EditWinsUnlink,
    /// The edit wins; the deleted side is re-created from the edited item.
    EditWinsRecreate,
    /// The delete wins (when the delete rule propagates).
    DeleteWins,
}

/// Policy for one record kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindPolicy {
    /// Per-field directions; unlisted fields are two-way.
    pub directions: Vec<(Field, Direction)>,
    /// Conflict rule.
    pub conflict: ConflictRule,
    /// What a CRM delete does to Exchange.
    pub on_crm_delete: DeleteRule,
    /// What an Exchange delete does to the CRM.
    pub on_exchange_delete: DeleteRule,
    /// Delete against a concurrent edit.
    pub delete_vs_edit: DeleteVsEdit,
}

impl KindPolicy {
    /// The documented default for a kind (§6 of the sync reference): emails never propagate
    /// deletes, meetings only as cancellations of future meetings the user organises, contacts
    /// unlink, tasks propagate (CRM deletes only while the Exchange task is not completed).
    #[must_use]
    pub fn default_for(kind: RecordKind) -> Self {
        let (on_crm_delete, on_exchange_delete) = match kind {
            RecordKind::Email => (DeleteRule::Unlink, DeleteRule::Unlink),
            RecordKind::Meeting => (
                DeleteRule::FutureOrganizedMeetingsOnly,
                DeleteRule::FutureOrganizedMeetingsOnly,
            ),
            RecordKind::Contact => (DeleteRule::Unlink, DeleteRule::Unlink),
            RecordKind::Task => (DeleteRule::PropagateUnlessCompleted, DeleteRule::Propagate),
        };
        KindPolicy {
            directions: Vec::new(),
            conflict: ConflictRule::CrmWins,
            on_crm_delete,
            on_exchange_delete,
            delete_vs_edit: DeleteVsEdit::EditWinsUnlink,
        }
    }

    /// The direction of a field.
    #[must_use]
    pub fn direction(&self, field: Field) -> Direction {
        self.directions
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(Direction::TwoWay, |(_, d)| *d)
    }

    /// The delete rule for a delete on `deleted_side`.
    #[must_use]
    pub fn delete_rule(&self, deleted_side: Side) -> DeleteRule {
        match deleted_side {
            Side::Crm => self.on_crm_delete,
            Side::Exchange => self.on_exchange_delete,
        }
    }
}

/// The mass-delete guard (§10): a plan whose deletes and unlinks exceed BOTH `max_share` of the
/// linked pairs and `min_count` is refused unless forced, and so is a complete enumeration that
/// finds a side empty while links exist. The same thresholds guard mass creates while pairs
/// exist (an initial sync, with no pairs yet, is not limited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MassDeleteGuard {
    /// Share of linked pairs, in per mille (200 = 20 %).
    pub max_share_per_mille: u32,
    /// Absolute count below which the guard never trips.
    pub min_count: u32,
}

impl Default for MassDeleteGuard {
    fn default() -> Self {
        MassDeleteGuard {
            max_share_per_mille: 200,
            min_count: 10,
        }
    }
}

/// Configuration of one mailbox's sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The Exchange category that puts an item in scope, compared case-insensitively.
    pub category: String,
    /// Seed for correlation keys; use a value unique to the mailbox (e.g. its immutable id).
    pub key_seed: String,
    /// Policies for email, contact, task, meeting (in [`RecordKind::ALL`] order).
    pub policies: [KindPolicy; 4],
    /// Mass-delete guard.
    pub mass_delete: MassDeleteGuard,
    /// Permanent failures (or repeated 412s) after which a pair is quarantined.
    pub quarantine_after: u8,
}

impl Config {
    /// The defaults with the given tracking category and key seed.
    #[must_use]
    pub fn new(category: impl Into<String>, key_seed: impl Into<String>) -> Self {
        Config {
            category: category.into(),
            key_seed: key_seed.into(),
            policies: RecordKind::ALL.map(KindPolicy::default_for),
            mass_delete: MassDeleteGuard::default(),
            quarantine_after: 5,
        }
    }

    /// The policy of a kind.
    #[must_use]
    pub fn policy(&self, kind: RecordKind) -> &KindPolicy {
        &self.policies[kind.index()]
    }

    /// Mutable policy of a kind.
    pub fn policy_mut(&mut self, kind: RecordKind) -> &mut KindPolicy {
        &mut self.policies[kind.index()]
    }

    /// True when `categories` holds the tracking category (case-insensitive, as Outlook compares).
    #[must_use]
    pub fn in_scope(&self, categories: &[String]) -> bool {
        let want = self.category.to_lowercase();
        categories.iter().any(|c| c.to_lowercase() == want)
    }

    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h = crate::hash::StableHasher::new();
        h.str(&format!("{self:?}"));
        h.finish()
    }
}
