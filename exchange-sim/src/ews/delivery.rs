//! What sending does between mailboxes: messages land in recipients' inboxes, meeting invitations and
//! cancellations land in attendees' calendars and inboxes.

use ews_types::items::{CalendarItem, Item, ItemFields, Message, ResponseType};
use ews_types::types::{DistinguishedFolderName, EmailAddress, SingleRecipient};

use crate::store::Store;

/// The local mailboxes among `addresses`, without duplicates.
fn local_mailboxes<'a>(
    store: &Store,
    addresses: impl Iterator<Item = &'a EmailAddress>,
) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for address in addresses {
        if let Some(no) = address
            .email_address
            .as_deref()
            .and_then(|a| store.lookup(a))
        {
            if !out.contains(&no) {
                out.push(no);
            }
        }
    }
    out
}

/// The address of a mailbox as a recipient.
pub(crate) fn sender_address(store: &Store, no: u32) -> Option<EmailAddress> {
    let mailbox = store.mailbox(no)?;
    Some(EmailAddress::named(
        mailbox.display_name.clone(),
        mailbox.address.clone(),
    ))
}

/// Delivers `message`, sent by mailbox `sender`, to the inboxes of its local recipients.
pub(crate) fn deliver(store: &mut Store, sender: u32, message: &Message) {
    let recipients: Vec<&EmailAddress> = [
        &message.to_recipients,
        &message.cc_recipients,
        &message.bcc_recipients,
    ]
    .into_iter()
    .flatten()
    .flatten()
    .collect();
    let from = sender_address(store, sender);
    let now = jiff::Timestamp::now();
    for no in local_mailboxes(store, recipients.into_iter()) {
        let mut copy = message.clone();
        copy.bcc_recipients = None;
        copy.is_read = Some(false);
        copy.item.is_draft = Some(false);
        copy.item.date_time_sent = Some(now);
        copy.item.date_time_received = Some(now);
        copy.from = from.clone().map(SingleRecipient::from);
        if let Some(mailbox) = store.mailbox_mut(no) {
            if let Ok(inbox) = mailbox.distinguished(&DistinguishedFolderName::Inbox) {
                let _ = mailbox.create_item(inbox, Item::from(copy));
            }
        }
    }
}

/// Every attendee address of a meeting.
fn attendees(item: &CalendarItem) -> impl Iterator<Item = &EmailAddress> {
    [
        &item.required_attendees,
        &item.optional_attendees,
        &item.resources,
    ]
    .into_iter()
    .flatten()
    .flatten()
    .filter_map(|a| a.mailbox.as_ref())
}

/// The key of the calendar item with `uid` in mailbox `no`'s calendar.
fn find_by_uid(store: &Store, no: u32, uid: &str) -> Option<(u32, u64)> {
    let mailbox = store.mailbox(no)?;
    let calendar = mailbox
        .distinguished(&DistinguishedFolderName::Calendar)
        .ok()?;
    let folder = mailbox.folder(calendar).ok()?;
    folder.items.iter().find_map(|key| {
        let stored = mailbox.items.get(key)?;
        match &stored.item {
            Item::CalendarItem(c) if c.uid.as_deref() == Some(uid) => Some((calendar, *key)),
            _ => None,
        }
    })
}

/// The local attendees of `item` other than the organizer, each with their copy of the meeting (found
/// by UID) if they have one.
fn attendee_copies(store: &Store, organizer: u32, item: &CalendarItem) -> Vec<(u32, Option<u64>)> {
    let Some(uid) = item.uid.as_deref() else {
        return Vec::new();
    };
    local_mailboxes(store, attendees(item))
        .into_iter()
        .filter(|no| *no != organizer)
        .map(|no| (no, find_by_uid(store, no, uid).map(|(_, key)| key)))
        .collect()
}

/// A notice in an inbox (`MeetingRequest` or `MeetingCancellation`).
fn notice(kind: &str, item: &CalendarItem) -> Item {
    let subject = item.item.subject.clone().unwrap_or_default();
    let subject = if kind == "MeetingCancellation" {
        format!("Canceled: {subject}")
    } else {
        subject
    };
    let class = if kind == "MeetingCancellation" {
        "IPM.Schedule.Meeting.Canceled"
    } else {
        "IPM.Schedule.Meeting.Request"
    };
    Item::Other {
        kind: kind.to_owned(),
        fields: Box::new(ItemFields {
            item_class: Some(class.to_owned()),
            subject: Some(subject),
            body: item.item.body.clone(),
            ..ItemFields::default()
        }),
    }
}

/// Sends invitations (or updates) for `item`, organized by mailbox `organizer`: each local attendee
/// gets the meeting in their calendar (or their copy updated) and a meeting request in their inbox.
pub(crate) fn invite(store: &mut Store, organizer: u32, item: &CalendarItem) {
    let organizer_address = sender_address(store, organizer);
    for (no, existing) in attendee_copies(store, organizer, item) {
        let Some(mailbox) = store.mailbox_mut(no) else {
            continue;
        };
        match existing {
            Some(key) => {
                let _ = mailbox.update_item(key, |stored| {
                    if let Item::CalendarItem(copy) = stored {
                        copy.item.subject = item.item.subject.clone();
                        copy.item.body = item.item.body.clone();
                        copy.start = item.start;
                        copy.end = item.end;
                        copy.location = item.location.clone();
                        copy.is_all_day_event = item.is_all_day_event;
                        copy.required_attendees = item.required_attendees.clone();
                        copy.optional_attendees = item.optional_attendees.clone();
                        copy.is_cancelled = None;
                        copy.appointment_sequence_number =
                            Some(copy.appointment_sequence_number.unwrap_or(0) + 1);
                    }
                    Ok(())
                });
            }
            None => {
                let mut copy = item.clone();
                copy.my_response_type = Some(ResponseType::NoResponseReceived);
                copy.is_meeting = Some(true);
                copy.organizer = organizer_address.clone().map(SingleRecipient::from);
                copy.legacy_free_busy_status =
                    Some(ews_types::items::LegacyFreeBusyStatus::Tentative);
                copy.meeting_request_was_sent = None;
                if let Ok(calendar) = mailbox.distinguished(&DistinguishedFolderName::Calendar) {
                    let _ = mailbox.create_item(calendar, Item::from(copy));
                }
            }
        }
        if let Ok(inbox) = mailbox.distinguished(&DistinguishedFolderName::Inbox) {
            let _ = mailbox.create_item(inbox, notice("MeetingRequest", item));
        }
    }
}

/// Sends cancellations for `item`: each local attendee's copy is marked cancelled and a cancellation
/// lands in their inbox.
pub(crate) fn cancel(store: &mut Store, organizer: u32, item: &CalendarItem) {
    for (no, existing) in attendee_copies(store, organizer, item) {
        let Some(mailbox) = store.mailbox_mut(no) else {
            continue;
        };
        if let Some(key) = existing {
            let _ = mailbox.update_item(key, |stored| {
                if let Item::CalendarItem(copy) = stored {
                    copy.is_cancelled = Some(true);
                    copy.legacy_free_busy_status =
                        Some(ews_types::items::LegacyFreeBusyStatus::Free);
                }
                Ok(())
            });
        }
        if let Ok(inbox) = mailbox.distinguished(&DistinguishedFolderName::Inbox) {
            let _ = mailbox.create_item(inbox, notice("MeetingCancellation", item));
        }
    }
}

/// Whether a calendar item has attendees (is a meeting).
pub(crate) fn has_attendees(item: &CalendarItem) -> bool {
    attendees(item).next().is_some()
}

/// Gives a new calendar item a UID (what attendees' copies are found by) and returns it when it is a
/// meeting, so invitations can go out.
pub(crate) fn ensure_uid(mailbox: &mut crate::store::Mailbox, key: u64) -> Option<CalendarItem> {
    let no = mailbox.no;
    let uid = format!("sim-{no:08x}-{key:016x}");
    let _ = mailbox.update_item(key, |stored| {
        if let Item::CalendarItem(c) = stored {
            if c.uid.is_none() {
                c.uid = Some(uid);
            }
        }
        Ok(())
    });
    match &mailbox.item(key).ok()?.item {
        Item::CalendarItem(c) if has_attendees(c) => Some((**c).clone()),
        _ => None,
    }
}

/// Records an attendee's answer on the organizer's copy of the meeting with `uid`.
pub(crate) fn record_response(
    store: &mut Store,
    organizer: u32,
    uid: &str,
    attendee: &str,
    response: ResponseType,
) {
    let Some((_, key)) = find_by_uid(store, organizer, uid) else {
        return;
    };
    let Some(mailbox) = store.mailbox_mut(organizer) else {
        return;
    };
    let _ = mailbox.update_item(key, |item| {
        if let Item::CalendarItem(c) = item {
            for list in [
                &mut c.required_attendees,
                &mut c.optional_attendees,
                &mut c.resources,
            ] {
                for a in list.iter_mut().flatten() {
                    let this = a
                        .mailbox
                        .as_ref()
                        .and_then(|m| m.email_address.as_deref())
                        .is_some_and(|e| e.eq_ignore_ascii_case(attendee));
                    if this {
                        a.response_type = Some(response.clone());
                        a.last_response_time = Some(jiff::Timestamp::now());
                    }
                }
            }
        }
        Ok(())
    });
}
