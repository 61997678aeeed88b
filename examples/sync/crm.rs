//! An in-memory CRM: records of the four kinds, each owned by one user, with row versions, a change
//! feed and idempotent creates. It stands in for your CRM's API; the shape is what the sync needs
//! from any CRM:
//!
//! * a **change feed** with a cursor ([`Crm::changes_since`]): every record of the owner that changed
//!   after the cursor, as it is now (in the sync filter, out of it, or deleted);
//! * a **direct read** ([`Crm::read`]);
//! * **conditional writes** ([`Crm::execute`]): an update or delete names the row version it was planned
//!   from and fails with a conflict when the record moved on; a create carries the correlation key and
//!   returns the existing record when one already holds the key (so a retried create never duplicates).
//!
//! Users of the CRM change it through [`Crm::create`], [`Crm::edit`], [`Crm::delete`] and
//! [`Crm::set_tracked`].

use std::collections::{BTreeMap, HashMap};

use sync_core::{
    Action, Change, CorrelationKey, Failure, Field, Fields, ItemFacts, Observation, Operation,
    Outcome, RecordKind, ScopeExit, Snapshot, Timestamp, Value,
};

/// One CRM record.
#[derive(Debug, Clone, PartialEq)]
pub struct CrmRecord {
    /// The record id.
    pub id: String,
    /// The user whose mailbox the record syncs with.
    pub owner: String,
    /// The kind of record.
    pub kind: RecordKind,
    /// The mapped fields, canonical (see [`super::values`]).
    pub fields: Fields,
    /// The row version; every write increments it.
    pub version: u64,
    /// Server time of the last write.
    pub modified: Timestamp,
    /// The correlation key the sync stamped (idempotency key of creates).
    pub key: Option<CorrelationKey>,
    /// Inside the sync filter (a user can stop tracking a record).
    pub tracked: bool,
    /// Deleted (kept as a tombstone so the feed can report it).
    pub deleted: bool,
    /// Completed or canceled: takes no inbound change.
    pub locked: bool,
}

impl CrmRecord {
    /// The row version as the version token the sync stores.
    pub fn token(&self) -> String {
        format!("rv{}", self.version)
    }

    /// A short human label: subject, or the contact's name.
    pub fn label(&self) -> String {
        let text = |f| match self.fields.get(f) {
            Some(Value::Text(t)) => t.to_string(),
            _ => String::new(),
        };
        match self.kind {
            RecordKind::Contact => format!("{} {}", text(Field::GivenName), text(Field::Surname))
                .trim()
                .to_owned(),
            _ => text(Field::Subject),
        }
    }

    fn snapshot(&self) -> Snapshot {
        let start = match self.kind {
            RecordKind::Meeting => super::values::as_instant(self.fields.get(Field::Start)),
            RecordKind::Task => super::values::as_instant(self.fields.get(Field::DueAt)),
            _ => None,
        };
        Snapshot {
            kind: self.kind,
            token: self.token(),
            modified_at: self.modified,
            fields: self.fields.clone(),
            categories: None,
            correlation_key: self.key,
            folder: None,
            occurrence: None,
            facts: ItemFacts {
                start: start.map(|t| Timestamp(t.as_millisecond())),
                locked: self.locked,
                ..ItemFacts::default()
            },
        }
    }

    fn observation(&self) -> Observation {
        let change = if self.deleted {
            Change::Deleted
        } else if !self.tracked {
            Change::LeftScope(ScopeExit::FilterExit)
        } else {
            Change::Upsert(self.snapshot())
        };
        Observation {
            id: self.id.clone(),
            change,
        }
    }
}

/// The in-memory CRM. Share it between mailboxes behind a mutex; never hold the lock across an
/// `.await`.
#[derive(Debug, Clone, Default)]
pub struct Crm {
    records: BTreeMap<String, CrmRecord>,
    /// Change log: sequence number → record id; each record appears once, at its latest change.
    log: BTreeMap<u64, String>,
    latest: HashMap<String, u64>,
    seq: u64,
    clock: i64,
    next_id: u64,
}

impl Crm {
    /// An empty CRM whose server clock starts at `now`.
    pub fn new(now: Timestamp) -> Self {
        Crm {
            clock: now.0,
            ..Crm::default()
        }
    }

    fn touch(&mut self, id: &str) -> (u64, Timestamp) {
        self.seq += 1;
        self.clock += 1;
        if let Some(old) = self.latest.insert(id.to_owned(), self.seq) {
            self.log.remove(&old);
        }
        self.log.insert(self.seq, id.to_owned());
        (self.seq, Timestamp(self.clock))
    }

    fn bump(&mut self, id: &str) {
        let (_, at) = self.touch(id);
        if let Some(r) = self.records.get_mut(id) {
            r.version += 1;
            r.modified = at;
        }
    }

    fn insert(
        &mut self,
        owner: &str,
        kind: RecordKind,
        fields: Fields,
        key: Option<CorrelationKey>,
    ) -> String {
        self.next_id += 1;
        let prefix = match kind {
            RecordKind::Email => "email",
            RecordKind::Contact => "contact",
            RecordKind::Task => "task",
            RecordKind::Meeting => "meeting",
        };
        let id = format!("{prefix}-{}", self.next_id);
        let (_, at) = self.touch(&id);
        self.records.insert(
            id.clone(),
            CrmRecord {
                id: id.clone(),
                owner: owner.to_owned(),
                kind,
                fields,
                version: 1,
                modified: at,
                key,
                tracked: true,
                deleted: false,
                locked: false,
            },
        );
        id
    }

    /// A user creates a record (in the sync filter) for `owner`'s mailbox; returns its id.
    pub fn create(&mut self, owner: &str, kind: RecordKind, fields: Fields) -> String {
        self.insert(owner, kind, fields, None)
    }

    /// A user edits a field. `false` when there is no such live record.
    pub fn edit(&mut self, id: &str, field: Field, value: Value) -> bool {
        match self.records.get_mut(id) {
            Some(r) if !r.deleted => {
                r.fields.set(field, value);
                self.bump(id);
                true
            }
            _ => false,
        }
    }

    /// A user deletes a record. `false` when there is no such live record.
    pub fn delete(&mut self, id: &str) -> bool {
        match self.records.get_mut(id) {
            Some(r) if !r.deleted => {
                r.deleted = true;
                self.bump(id);
                true
            }
            _ => false,
        }
    }

    /// A user moves a record into or out of the sync filter.
    pub fn set_tracked(&mut self, id: &str, tracked: bool) -> bool {
        match self.records.get_mut(id) {
            Some(r) if !r.deleted && r.tracked != tracked => {
                r.tracked = tracked;
                self.bump(id);
                true
            }
            _ => false,
        }
    }

    /// A record, live or deleted.
    pub fn record(&self, id: &str) -> Option<&CrmRecord> {
        self.records.get(id)
    }

    /// The live records of `owner` (deleted ones left out), in id order.
    pub fn records_of(&self, owner: &str) -> Vec<&CrmRecord> {
        self.records
            .values()
            .filter(|r| !r.deleted && r.owner.eq_ignore_ascii_case(owner))
            .collect()
    }

    /// Every record, in id order.
    pub fn all(&self) -> impl Iterator<Item = &CrmRecord> {
        self.records.values()
    }

    /// The changes of `owner`'s records after `cursor` (`None`: from the beginning), each as it is
    /// now, and the cursor to store once they are applied.
    pub fn changes_since(&self, owner: &str, cursor: Option<&str>) -> (Vec<Observation>, String) {
        let from = cursor.and_then(|c| c.parse::<u64>().ok()).unwrap_or(0);
        let observations = self
            .log
            .range(from + 1..)
            .filter_map(|(_, id)| self.records.get(id))
            .filter(|r| r.owner.eq_ignore_ascii_case(owner))
            .map(CrmRecord::observation)
            .collect();
        (observations, self.seq.to_string())
    }

    /// Reads one record directly (`Deleted` when it does not exist).
    pub fn read(&self, id: &str) -> Observation {
        match self.records.get(id) {
            Some(r) => r.observation(),
            None => Observation {
                id: id.to_owned(),
                change: Change::Deleted,
            },
        }
    }

    /// Executes a sync operation on the CRM side for `owner`'s mailbox.
    pub fn execute(&mut self, owner: &str, op: &Operation) -> Outcome {
        match &op.action {
            Action::Create { key, fields, .. } => {
                // Idempotent: a record already holding the key is the result of an earlier attempt.
                let existing = self
                    .records
                    .values()
                    .find(|r| !r.deleted && r.key == Some(*key))
                    .map(|r| (r.id.clone(), r.token(), r.modified));
                let (id, token, modified_at) = match existing {
                    Some(found) => found,
                    None => {
                        let id = self.insert(owner, op.kind, fields.clone(), Some(*key));
                        match self.records.get(&id) {
                            Some(r) => (id, r.token(), r.modified),
                            None => return Outcome::Failed(Failure::Transient("lost".into())),
                        }
                    }
                };
                Outcome::Created {
                    id,
                    token,
                    modified_at,
                }
            }
            Action::Update {
                item,
                token,
                fields,
                stamp_key,
            } => match self.checked(item, token) {
                Err(failure) => Outcome::Failed(failure),
                Ok(()) => {
                    if let Some(r) = self.records.get_mut(item) {
                        for (f, v) in fields.iter() {
                            r.fields.set(f, v.clone());
                        }
                        if stamp_key.is_some() {
                            r.key = *stamp_key;
                        }
                    }
                    self.bump(item);
                    match self.records.get(item) {
                        Some(r) => Outcome::Updated {
                            token: r.token(),
                            modified_at: r.modified,
                        },
                        None => Outcome::Failed(Failure::NotFound),
                    }
                }
            },
            Action::Delete { item, token, .. } => match self.checked(item, token) {
                Err(Failure::NotFound) => Outcome::Deleted,
                Err(failure) => Outcome::Failed(failure),
                Ok(()) => {
                    self.delete(item);
                    Outcome::Deleted
                }
            },
            Action::Untrack { item, .. } => match self.records.get(item) {
                Some(r) if !r.deleted => {
                    self.set_tracked(item, false);
                    Outcome::Untracked
                }
                _ => Outcome::Untracked,
            },
            Action::Read { .. } => Outcome::Failed(Failure::Permanent(
                "a read is not executed as a write".into(),
            )),
        }
    }

    fn checked(&self, id: &str, token: &str) -> Result<(), Failure> {
        match self.records.get(id) {
            Some(r) if !r.deleted => {
                if r.token() == token {
                    Ok(())
                } else {
                    Err(Failure::Conflict)
                }
            }
            _ => Err(Failure::NotFound),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_core::{CorrelationKey, OpId, Side};

    fn op(action: Action) -> Operation {
        Operation {
            id: OpId(1),
            link: None,
            side: Side::Crm,
            kind: RecordKind::Task,
            action,
        }
    }

    #[test]
    fn a_retried_create_returns_the_first_record() {
        let mut crm = Crm::new(Timestamp(0));
        let create = op(Action::Create {
            key: CorrelationKey([3; 16]),
            fields: Fields::new().with(Field::Subject, Value::text("x")),
            occurrence: None,
            recovery: false,
        });
        let a = crm.execute("u", &create);
        let b = crm.execute("u", &create);
        assert_eq!(a, b);
        assert_eq!(crm.records_of("u").len(), 1);
    }

    #[test]
    fn a_stale_update_fails_and_changes_nothing() {
        let mut crm = Crm::new(Timestamp(0));
        let id = crm.create("u", RecordKind::Task, Fields::new());
        crm.edit(&id, Field::Subject, Value::text("user edit"));
        let outcome = crm.execute(
            "u",
            &op(Action::Update {
                item: id.clone(),
                token: "rv1".into(),
                fields: Fields::new().with(Field::Subject, Value::text("sync")),
                stamp_key: None,
            }),
        );
        assert_eq!(outcome, Outcome::Failed(Failure::Conflict));
        assert_eq!(
            crm.record(&id).unwrap().fields.get(Field::Subject),
            Some(&Value::text("user edit"))
        );
    }

    #[test]
    fn the_feed_reports_each_record_once_as_it_is_now() {
        let mut crm = Crm::new(Timestamp(0));
        let a = crm.create("u", RecordKind::Task, Fields::new());
        let (first, cursor) = crm.changes_since("u", None);
        assert_eq!(first.len(), 1);
        crm.edit(&a, Field::Subject, Value::text("1"));
        crm.edit(&a, Field::Subject, Value::text("2"));
        crm.create("someone-else", RecordKind::Task, Fields::new());
        let (next, _) = crm.changes_since("u", Some(&cursor));
        assert_eq!(next.len(), 1);
        crm.delete(&a);
        let (after_delete, _) = crm.changes_since("u", Some(&cursor));
        assert_eq!(after_delete[0].change, Change::Deleted);
    }
}
