//! Confirmed deletes: the per-kind delete rule, delete against a concurrent edit, and the
//! tombstone that stops resurrection.

use crate::config::{DeleteRule, DeleteVsEdit};
use crate::model::{RecordKind, Side};
use crate::ops::{Action, ConflictRecord, DecidedBy, LinkId};
use crate::plan::{Seen, Stage};
use crate::state::{
    COMPLETED, LOCKED, Link, LinkState, NEEDS_READ_CRM, NEEDS_READ_EXCHANGE, ORGANIZER,
    PendingEffect, SURVIVOR_LEFT,
};

const BOTH_READS: u8 = NEEDS_READ_CRM | NEEDS_READ_EXCHANGE;

/// A delete rule resolved against the pair's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeleteEffect {
    Propagate { cancellation: bool },
    Unlink,
    Ignore,
}

impl Stage<'_> {
    pub(crate) fn deleted_one_side(
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
        if let Some(Seen::Left(..)) = survivor {
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
            (DeleteEffect::Unlink, Some(item)) if !matches!(survivor, Some(Seen::Left(..))) => {
                link.tokens[deleted.index()] = None;
                link.state = tomb;
                self.put(i, link);
                let token = survivor_token;
                self.op(i, surv, Action::Untrack { item, token }, true);
            }
            _ => {
                link.tokens[deleted.index()] = None;
                link.state = tomb;
                self.put(i, link);
            }
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
