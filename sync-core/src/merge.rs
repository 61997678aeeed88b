//! Three-way merge of one pair's fields against the merge base (hashes per field), honouring
//! field direction, CRM locks and the kind's conflict rule.

use crate::config::{ConflictRule, Direction};
use crate::model::{Field, Fields, RecordKind, Side, Timestamp, Value};
use crate::observe::Snapshot;
use crate::ops::{ConflictRecord, DecidedBy, LinkId};
use crate::plan::Stage;
use crate::state::{Base, LOCKED, Link};

/// Result of merging one pair's fields.
pub(crate) struct Merge {
    pub(crate) writes: [Fields; 2],
    pub(crate) new_base: Base,
    pub(crate) conflicts: Vec<ConflictRecord>,
    /// A value needed for a write is not at hand: read both sides and decide next round.
    pub(crate) defer: bool,
    /// Content changes seen per side (for delete-vs-edit).
    pub(crate) edited: [bool; 2],
}
impl Stage<'_> {
    /// Three-way merge per field against the base (hashes), honouring direction, locks and the
    /// conflict rule.
    pub(crate) fn merge(&self, i: u32, link: &Link, snaps: [Option<&Snapshot>; 2]) -> Merge {
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
