//! Feeding the results of executed operations back into the state.

use crate::error::Error;
use crate::model::Side;
use crate::ops::{Failure, OpId, Outcome};
use crate::state::{
    BOTH_GONE, Base, LinkState, NEEDS_READ_CRM, NEEDS_READ_EXCHANGE, QUARANTINED, SyncState,
    needs_read_flag,
};
use crate::status::RunResult;

impl SyncState {
    /// Records the outcome of an executed operation. Once every operation of a pair has an
    /// outcome the pair advances (base, tokens, state); once every operation of the round has one,
    /// the round's cursors are committed. Persist the state afterwards.
    ///
    /// A failure rolls back only its own pair: the pair is re-read and re-planned next round
    /// (a 412 never overwrites), and after `Config::quarantine_after` counted failures it is
    /// quarantined.
    ///
    /// # Errors
    /// [`Error::UnknownOperation`] when `op` is not in flight (reads need no outcome),
    /// [`Error::OutcomeMismatch`] when the outcome does not fit, [`Error::DuplicateId`] when a
    /// created id already belongs to another pair. The state stays consistent in every case.
    pub fn apply_outcome(&mut self, op: OpId, outcome: Outcome) -> Result<(), Error> {
        let quarantine_after = self.data.quarantine_after;
        let inf = self
            .data
            .in_flight
            .remove(&op)
            .ok_or(Error::UnknownOperation(op.0))?;
        let result = self.record(op, inf, outcome, quarantine_after);
        if self.data.in_flight.is_empty() {
            self.finish_round();
        }
        result
    }

    fn record(
        &mut self,
        op: OpId,
        inf: crate::state::InFlight,
        outcome: Outcome,
        quarantine_after: u8,
    ) -> Result<(), Error> {
        let li = inf.link.0 as usize;
        let side = inf.side;
        let Some(kind) = self.data.links.get(li).map(|l| l.kind) else {
            return Err(Error::Corrupt(format!(
                "operation {} refers to a missing pair",
                op.0
            )));
        };
        let mut error = None;
        let mut failure: Option<Failure> = None;
        match (&outcome, inf.is_create) {
            (
                Outcome::Created {
                    id,
                    token,
                    modified_at,
                },
                true,
            ) => {
                if let Some(other) = self.index.find_id(&self.data.links, side, id) {
                    if other as usize != li {
                        error = Some(Error::DuplicateId(id.clone()));
                        failure = Some(Failure::Permanent(format!(
                            "created id {id} already linked"
                        )));
                    }
                }
                if error.is_none() {
                    if let Some(old) = self.data.links[li].ids[side.index()].clone() {
                        self.index.remove_id(&self.data.links, side, &old);
                    }
                    self.data.links[li].ids[side.index()] = Some(id.as_str().into());
                    self.index.insert_id(&self.data.links, side, id, inf.link.0);
                    if let Some(e) = self.data.effects.get_mut(&inf.link) {
                        e.written[side.index()] = Some((token.as_str().into(), modified_at.0));
                        e.counts[0] += 1;
                    }
                }
            }
            (Outcome::Updated { token, modified_at }, false) => {
                if let Some(e) = self.data.effects.get_mut(&inf.link) {
                    e.written[side.index()] = Some((token.as_str().into(), modified_at.0));
                    e.counts[1] += 1;
                }
            }
            (Outcome::Deleted, false) => {
                if let Some(e) = self.data.effects.get_mut(&inf.link) {
                    e.counts[2] += 1;
                }
            }
            (Outcome::Untracked, false) => {}
            (Outcome::Failed(f), _) => failure = Some(f.clone()),
            (o, _) => {
                let name = match o {
                    Outcome::Created { .. } => "Created",
                    Outcome::Updated { .. } => "Updated",
                    Outcome::Deleted => "Deleted",
                    Outcome::Untracked => "Untracked",
                    Outcome::Failed(_) => "Failed",
                };
                error = Some(Error::OutcomeMismatch {
                    op: op.0,
                    outcome: name,
                });
                failure = Some(Failure::Transient(format!("outcome {name} does not fit")));
            }
        }
        if let Some(f) = &failure {
            let link = &mut self.data.links[li];
            link.flags |= NEEDS_READ_CRM | NEEDS_READ_EXCHANGE;
            let (counted, message) = match f {
                Failure::Conflict => (true, "optimistic write conflict (412)".to_string()),
                Failure::NotFound => (false, "item not found".to_string()),
                Failure::Transient(m) => (false, format!("transient: {m}")),
                Failure::Permanent(m) => (true, format!("permanent: {m}")),
            };
            if counted {
                link.failures = link.failures.saturating_add(1);
            }
            let quarantine = link.failures >= quarantine_after;
            if quarantine {
                link.flags |= QUARANTINED;
                self.data.quarantine.insert(inf.link, message.clone());
            }
            self.data
                .status
                .error(format!("{kind:?} pair {}: {message}", inf.link.0));
            self.data.status.last_result = Some(RunResult::PartialFailure);
            if let Some(e) = self.data.effects.get_mut(&inf.link) {
                e.failed = true;
            }
        }
        let done = match self.data.effects.get_mut(&inf.link) {
            Some(e) => {
                e.remaining = e.remaining.saturating_sub(1);
                e.remaining == 0
            }
            None => false,
        };
        if done {
            self.finish_pair(inf);
        }
        match error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Applies a pair's pending effect once all of its operations have outcomes.
    fn finish_pair(&mut self, inf: crate::state::InFlight) {
        let Some(effect) = self.data.effects.remove(&inf.link) else {
            return;
        };
        let li = inf.link.0 as usize;
        let kind = self.data.links[li].kind;
        self.data.status.count(kind, effect.counts);
        let created = match self.data.links[li].state {
            LinkState::PendingCreate { target } => self.data.links[li].id(target).is_some(),
            _ => false,
        };
        if !effect.failed && matches!(effect.final_state, LinkState::Tombstoned { .. }) {
            // The delete propagated: both items are gone (their ids stay, for late sightings).
            let link = &mut self.data.links[li];
            link.flags |= BOTH_GONE;
            link.tokens = [None, None];
            link.state = effect.final_state;
            link.failures = 0;
            link.flags &= !(NEEDS_READ_CRM | NEEDS_READ_EXCHANGE);
            return;
        }
        let link = &mut self.data.links[li];
        if !effect.failed && !effect.recovery {
            link.base = effect.new_base;
            for side in Side::BOTH {
                for (t, m) in [&effect.adopt[side.index()], &effect.written[side.index()]]
                    .into_iter()
                    .flatten()
                {
                    link.tokens[side.index()] = Some(t.clone());
                    link.modified[side.index()] = link.modified[side.index()].max(*m);
                }
            }
            link.failures = 0;
            link.state = effect.final_state;
            return;
        }
        // A failure, or a create found by key whose content we did not write: re-read both
        // sides and merge from scratch (no base: equal fields adopt, different ones conflict).
        if created || (effect.recovery && !effect.failed) {
            link.state = LinkState::Linked;
            if effect.recovery {
                // Found by key: its content is not what we wrote.
                link.base = Base::empty(kind);
            }
            link.tokens = [None, None];
        }
        for side in Side::BOTH {
            if link.id(side).is_some() {
                link.flags |= needs_read_flag(side);
            }
        }
    }
}
