//! Occurrences of recurring series, as Exchange shows them: a series is stored once (its master), and
//! its occurrences are made on read, each with its own id (`OccurrenceItemId` index and an occurrence
//! id), its own start and end, and `CalendarItemType` `Occurrence` or `Exception`.
//!
//! Changing an occurrence makes it an exception: its content is kept beside the master and the master
//! lists it in `ModifiedOccurrences` (with its new times); deleting one adds it to the master's
//! `DeletedOccurrences`. Either is a write of the master (a new change key).

use ews_types::items::{CalendarItem, CalendarItemKind, Item};
use ews_types::recurrence::{DeletedOccurrence, Occurrence, OccurrenceInfo};
use ews_types::types::ItemId;
use jiff::Timestamp;

use super::error::StoreError;
use super::mailbox::{Mailbox, StoredItem, strip_server_fields};
use crate::ids;

/// The most occurrences one series contributes to a calendar view.
pub(crate) const MAX_OCCURRENCES_PER_VIEW: usize = 1000;

/// The occurrences of a series in its start zone, within `from..until` when given, at most `max`.
///
/// The zone is the full definition the item carries, else the server-known zone its id names (as a
/// request sends it: `StartTimeZone Id="W. Europe Standard Time"`, or `StartTimeZoneId`), mapped to the
/// IANA database; UTC when it names none.
pub(crate) fn expand(
    series: &CalendarItem,
    from: Option<Timestamp>,
    until: Option<Timestamp>,
    max: usize,
) -> Result<Vec<Occurrence>, ews_types::Error> {
    let defined = series
        .start_time_zone
        .as_ref()
        .is_some_and(|z| z.periods.is_some())
        || series.meeting_time_zone.is_some();
    if defined {
        if let Ok(Some(rules)) = series.start_zone_rules() {
            return series.occurrences(&rules, from, until, max);
        }
    }
    let named = series
        .start_time_zone
        .as_ref()
        .and_then(|z| z.id.as_deref())
        .or(series.start_time_zone_id.as_deref())
        .and_then(|id| ews_types::windows_zones::windows_to_iana(id, None).ok())
        .and_then(|iana| jiff::tz::TimeZone::get(iana).ok());
    let zone = named.unwrap_or(jiff::tz::TimeZone::UTC);
    series.occurrences(&zone, from, until, max)
}

impl Mailbox {
    /// What a calendar view over `from..until` shows of a stored item: the item itself when it is not a
    /// series (and overlaps the window), else each occurrence that overlaps it. Full items with ids.
    pub(crate) fn instances(
        &self,
        stored: &StoredItem,
        from: Timestamp,
        until: Timestamp,
    ) -> Vec<Item> {
        let Item::CalendarItem(series) = &stored.item else {
            return Vec::new();
        };
        if series.recurrence.is_some() {
            if let Ok(list) = expand(series, Some(from), Some(until), MAX_OCCURRENCES_PER_VIEW) {
                return list
                    .iter()
                    .map(|o| self.occurrence_item(stored, series, o))
                    .collect();
            }
        }
        match (series.start, series.end.or(series.start)) {
            (Some(start), Some(end)) if start < until && end > from => {
                vec![self.render_full(stored)]
            }
            _ => Vec::new(),
        }
    }

    /// Occurrence `index` (1-based) of the series `key`, as an item with its own id.
    pub(crate) fn occurrence(&self, key: u64, index: u32) -> Result<Item, StoreError> {
        let stored = self.item(key)?;
        let (series, occurrence) = find(stored, index)?;
        Ok(self.occurrence_item(stored, series, &occurrence))
    }

    /// The series and index an occurrence id names, checking mailbox and generation.
    pub(crate) fn occurrence_by_id(&self, id: &str) -> Result<(u64, u32), StoreError> {
        match ids::parse_item_id(id) {
            Some(ids::ParsedItemId::Occurrence(master, index)) => {
                if master.mailbox != self.no {
                    return Err(StoreError::AccessDenied);
                }
                let stored = self.item(master.item)?;
                if stored.generation != master.generation {
                    return Err(StoreError::ItemNotFound);
                }
                Ok((master.item, index))
            }
            Some(_) => Err(StoreError::NotRecurring),
            None => Err(StoreError::MalformedId(id.to_owned())),
        }
    }

    /// Changes occurrence `index` of series `key` with `change`, making it an exception.
    pub(crate) fn update_occurrence(
        &mut self,
        key: u64,
        index: u32,
        change: impl FnOnce(&mut Item) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let stored = self.item(key)?;
        let (series, occurrence) = find(stored, index)?;
        let mut changed = self.occurrence_item(stored, series, &occurrence);
        change(&mut changed)?;
        let Item::CalendarItem(exception) = &changed else {
            return Err(StoreError::InvalidProperty("the occurrence's kind".into()));
        };
        let info = OccurrenceInfo {
            item_id: exception.item.item_id.clone().map(|id| ItemId::new(id.id)),
            start: exception.start.or(Some(occurrence.start)),
            end: exception.end.or(Some(occurrence.end)),
            original_start: Some(occurrence.original_start),
        };
        strip_server_fields(&mut changed);
        self.exceptions.insert((key, index), changed);
        let original = occurrence.original_start;
        self.write_item(
            key,
            |item| {
                if let Item::CalendarItem(series) = item {
                    let list = series.modified_occurrences.get_or_insert_with(Vec::new);
                    list.retain(|m| m.original_start != Some(original));
                    list.push(info);
                    list.sort_by_key(|m| m.original_start);
                }
                Ok(())
            },
            true,
        )
    }

    /// Deletes occurrence `index` of series `key`.
    pub(crate) fn delete_occurrence(&mut self, key: u64, index: u32) -> Result<(), StoreError> {
        let stored = self.item(key)?;
        let (_, occurrence) = find(stored, index)?;
        let original = occurrence.original_start;
        self.exceptions.remove(&(key, index));
        self.write_item(
            key,
            |item| {
                if let Item::CalendarItem(series) = item {
                    if let Some(list) = series.modified_occurrences.as_mut() {
                        list.retain(|m| m.original_start != Some(original));
                    }
                    if series
                        .modified_occurrences
                        .as_ref()
                        .is_some_and(Vec::is_empty)
                    {
                        series.modified_occurrences = None;
                    }
                    series
                        .deleted_occurrences
                        .get_or_insert_with(Vec::new)
                        .push(DeletedOccurrence {
                            start: Some(original),
                        });
                }
                Ok(())
            },
            true,
        )
    }

    /// An occurrence as an item: the exception's content if it has one, else the series', with the
    /// occurrence's times and ids.
    fn occurrence_item(&self, stored: &StoredItem, series: &CalendarItem, o: &Occurrence) -> Item {
        let exception = match self.exceptions.get(&(stored.key, o.instance_index)) {
            Some(Item::CalendarItem(exception)) => Some(exception),
            _ => None,
        };
        let mut c = exception.map_or_else(|| series.clone(), |e| (**e).clone());
        c.recurrence = None;
        c.modified_occurrences = None;
        c.deleted_occurrences = None;
        c.first_occurrence = None;
        c.last_occurrence = None;
        c.start = Some(o.start);
        c.end = Some(o.end);
        c.original_start = Some(o.original_start);
        c.recurrence_id = Some(o.original_start);
        c.is_recurring = Some(true);
        c.calendar_item_type = Some(if o.is_modified || exception.is_some() {
            CalendarItemKind::Exception
        } else {
            CalendarItemKind::Occurrence
        });
        let master = self.address(stored.key, stored.generation);
        c.item.item_id = Some(ItemId::with_change_key(
            ids::ews_occurrence_id(master, o.instance_index),
            ids::change_key(stored.version),
        ));
        c.item.parent_folder_id = Some(self.folder_id(stored.folder));
        c.item.date_time_created = Some(stored.created);
        c.item.last_modified_time = Some(stored.modified);
        Item::from(c)
    }
}

/// Occurrence `index` of a stored series.
fn find(stored: &StoredItem, index: u32) -> Result<(&CalendarItem, Occurrence), StoreError> {
    let Item::CalendarItem(series) = &stored.item else {
        return Err(StoreError::NotRecurring);
    };
    let Some(recurrence) = &series.recurrence else {
        return Err(StoreError::NotRecurring);
    };
    if index == 0 {
        return Err(StoreError::OccurrenceOutOfRange(index));
    }
    let deleted = series.deleted_occurrences.as_ref().map_or(0, Vec::len);
    let max = (index as usize).saturating_add(deleted).saturating_add(1);
    let list = expand(series, None, None, max).map_err(|_| StoreError::NotRecurring)?;
    if let Some(occurrence) = list.into_iter().find(|o| o.instance_index == index) {
        return Ok((series, occurrence));
    }
    // Not listed: deleted if the pattern reaches that far, else beyond the series.
    let dates = recurrence.dates(index as usize).unwrap_or_default();
    if dates.len() >= index as usize {
        Err(StoreError::OccurrenceDeleted(index))
    } else {
        Err(StoreError::OccurrenceOutOfRange(index))
    }
}
