//! Graph operations beyond CRUD: moving and sending messages, meeting responses and cancellation,
//! free/busy, the master category list, and the EWS id bridge.

use bytes::Bytes;
use ews_types::category_list::Category;
use ews_types::items::{Item, LegacyFreeBusyStatus, ResponseType};
use ews_types::types::{DistinguishedFolderName, SingleRecipient};
use graph_client::Field;
use graph_client::model::{
    CategoryColor, DateTimeTimeZone, FreeBusyStatus, OutlookCategory, ScheduleInformation,
    ScheduleItem,
};
use serde_json::{Value, json};

use super::convert::instant;
use super::resources::item_json;
use super::{Call, Refused, error, folder_key, ok_json, store_error};
use crate::ids::{self, ParsedItemId};
use crate::server::{lock, respond};
use crate::store::{Removal, StoreError};

fn body(call: &Call<'_>) -> Result<Value, Refused> {
    if call.body.is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(&call.body)
        .map_err(|_| Box::new(error(400, "BadRequest", "The body is not JSON.")))
}

pub(crate) fn move_message(call: &mut Call<'_>, id: &str) -> http::Response<Bytes> {
    let request = match body(call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let Some(destination) = request.get("destinationId").and_then(Value::as_str) else {
        return error(400, "ErrorInvalidParameter", "destinationId is required.");
    };
    let mut store = lock(&call.shared.store);
    let Some(mailbox) = store.mailbox_mut(call.mailbox) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let moved = mailbox
        .item_by_id(id)
        .and_then(|key| Ok((key, folder_key(mailbox, destination)?)))
        .and_then(|(key, to)| mailbox.move_item(key, to).map(|()| key));
    match moved.and_then(|key| mailbox.item(key)) {
        Ok(stored) => ok_json(201, &item_json(call, mailbox, stored)),
        Err(e) => store_error(&e),
    }
}

/// The key and content of the item an id names in mailbox `no`.
fn stored_item(store: &crate::store::Store, no: u32, id: &str) -> Result<(u64, Item), StoreError> {
    let mailbox = store.mailbox(no).ok_or(StoreError::ItemNotFound)?;
    let key = mailbox.item_by_id(id)?;
    Ok((key, mailbox.item(key)?.item.clone()))
}

pub(crate) fn send_message(call: &mut Call<'_>, id: &str) -> http::Response<Bytes> {
    let mut store = lock(&call.shared.store);
    let no = call.mailbox;
    let found = stored_item(&store, no, id);
    let (key, Item::Message(mut message)) = (match found {
        Ok(f) => f,
        Err(e) => return store_error(&e),
    }) else {
        return error(
            400,
            "ErrorInvalidItemForOperationSendItem",
            "Only messages can be sent.",
        );
    };
    message.from = crate::ews::sender_address(&store, no).map(SingleRecipient::from);
    message.item.is_draft = Some(false);
    crate::ews::deliver(&mut store, no, &message);
    let Some(mailbox) = store.mailbox_mut(no) else {
        return store_error(&StoreError::ItemNotFound);
    };
    let sent = mailbox.distinguished(&DistinguishedFolderName::SentItems);
    let result = mailbox
        .update_item(key, |item| {
            if let Item::Message(m) = item {
                m.from = message.from.clone();
                m.item.is_draft = Some(false);
                m.is_read = Some(true);
            }
            Ok(())
        })
        .and_then(|()| mailbox.move_item(key, sent?));
    match result {
        Ok(()) => respond(202, "application/json", Bytes::new()),
        Err(e) => store_error(&e),
    }
}

pub(crate) fn event_action(call: &mut Call<'_>, id: &str, action: &str) -> http::Response<Bytes> {
    let request = match body(call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let mut store = lock(&call.shared.store);
    let no = call.mailbox;
    let found = stored_item(&store, no, id);
    let (key, Item::CalendarItem(event)) = (match found {
        Ok(f) => f,
        Err(e) => return store_error(&e),
    }) else {
        return store_error(&StoreError::ItemNotFound);
    };
    let response = match action {
        "accept" => ResponseType::Accept,
        "tentativelyAccept" => ResponseType::Tentative,
        "decline" => ResponseType::Decline,
        "cancel" => {
            if event.my_response_type != Some(ResponseType::Organizer) {
                return error(
                    400,
                    "ErrorInvalidRequest",
                    "Only the organizer can cancel a meeting.",
                );
            }
            crate::ews::cancel(&mut store, no, &event);
            return match store
                .mailbox_mut(no)
                .map(|m| m.remove_item(key, Removal::ToDeletedItems))
            {
                Some(Ok(())) => respond(202, "application/json", Bytes::new()),
                Some(Err(e)) => store_error(&e),
                None => store_error(&StoreError::ItemNotFound),
            };
        }
        _ => {
            return error(
                400,
                "BadRequest",
                &format!("Unknown event action {action:?}."),
            );
        }
    };
    if event.my_response_type == Some(ResponseType::Organizer) {
        return error(
            400,
            "ErrorInvalidRequest",
            "The organizer cannot respond to their own meeting.",
        );
    }
    let send = request
        .get("sendResponse")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let me = store
        .mailbox(no)
        .map(|m| m.address.clone())
        .unwrap_or_default();
    let status = match response {
        ResponseType::Decline => LegacyFreeBusyStatus::Free,
        ResponseType::Tentative => LegacyFreeBusyStatus::Tentative,
        _ => LegacyFreeBusyStatus::Busy,
    };
    if let Some(mailbox) = store.mailbox_mut(no) {
        let _ = mailbox.update_item(key, |item| {
            if let Item::CalendarItem(c) = item {
                c.my_response_type = Some(response.clone());
                c.legacy_free_busy_status = Some(status);
            }
            Ok(())
        });
        if response == ResponseType::Decline {
            let _ = mailbox.remove_item(key, Removal::ToDeletedItems);
        }
    }
    // The organizer's copy records the attendee's answer.
    let organizer = event
        .organizer
        .as_ref()
        .and_then(|o| o.mailbox.as_ref())
        .and_then(|m| m.email_address.as_deref())
        .and_then(|a| store.lookup(a));
    if let (true, Some(organizer), Some(uid)) = (send, organizer, event.uid.as_deref()) {
        crate::ews::record_response(&mut store, organizer, uid, &me, response);
    }
    respond(202, "application/json", Bytes::new())
}

fn free_busy(status: &LegacyFreeBusyStatus) -> FreeBusyStatus {
    match status {
        LegacyFreeBusyStatus::Free => FreeBusyStatus::Free,
        LegacyFreeBusyStatus::Tentative => FreeBusyStatus::Tentative,
        LegacyFreeBusyStatus::Oof => FreeBusyStatus::Oof,
        LegacyFreeBusyStatus::WorkingElsewhere => FreeBusyStatus::WorkingElsewhere,
        _ => FreeBusyStatus::Busy,
    }
}

fn status_digit(status: &FreeBusyStatus) -> char {
    match status {
        FreeBusyStatus::Free => '0',
        FreeBusyStatus::Tentative => '1',
        FreeBusyStatus::Oof => '3',
        FreeBusyStatus::WorkingElsewhere => '4',
        _ => '2',
    }
}

pub(crate) fn get_schedule(call: &mut Call<'_>) -> http::Response<Bytes> {
    let request = match body(call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let parse = |name: &str| {
        request
            .get(name)
            .and_then(|v| serde_json::from_value::<DateTimeTimeZone>(v.clone()).ok())
            .and_then(|d| instant(&d))
    };
    let (Some(start), Some(end)) = (parse("startTime"), parse("endTime")) else {
        return error(
            400,
            "ErrorInvalidParameter",
            "startTime and endTime are required.",
        );
    };
    let interval = request
        .get("availabilityViewInterval")
        .and_then(Value::as_u64)
        .unwrap_or(30)
        .clamp(5, 1440);
    let schedules: Vec<String> = super::strings(&request, "schedules");
    if schedules.is_empty() || schedules.len() > 20 || end <= start {
        return error(
            400,
            "ErrorInvalidParameter",
            "1 to 20 schedules and a period that ends after it starts are required.",
        );
    }
    let store = lock(&call.shared.store);
    let value: Vec<Value> = schedules
        .iter()
        .map(|address| {
            let busy = store
                .lookup(address)
                .and_then(|no| store.mailbox(no))
                .map(|mailbox| crate::store::calendar::busy_periods(mailbox, start, end));
            let info = match busy {
                None => ScheduleInformation {
                    schedule_id: Some(address.clone()),
                    error: Some(graph_client::model::FreeBusyError {
                        message: Some("The mailbox was not found.".into()),
                        response_code: Some("ErrorMailRecipientNotFound".into()),
                        extra: Default::default(),
                    }),
                    ..ScheduleInformation::default()
                },
                Some(periods) => {
                    let step =
                        jiff::SignedDuration::from_mins(i64::try_from(interval).unwrap_or(30));
                    let mut view = String::new();
                    let mut at = start;
                    while at < end {
                        let next = at.checked_add(step).unwrap_or(end);
                        let digit = periods
                            .iter()
                            .filter(|p| p.start < next && p.end > at)
                            .map(|p| status_digit(&free_busy(&p.status)))
                            .max()
                            .unwrap_or('0');
                        view.push(digit);
                        at = next;
                    }
                    ScheduleInformation {
                        schedule_id: Some(address.clone()),
                        availability_view: Some(view),
                        schedule_items: Some(
                            periods
                                .iter()
                                .map(|p| ScheduleItem {
                                    is_private: Some(false),
                                    status: Some(free_busy(&p.status)),
                                    subject: p.subject.clone(),
                                    location: p.location.clone(),
                                    start: Some(DateTimeTimeZone::utc(p.start)),
                                    end: Some(DateTimeTimeZone::utc(p.end)),
                                    extra: Default::default(),
                                })
                                .collect(),
                        ),
                        ..ScheduleInformation::default()
                    }
                }
            };
            serde_json::to_value(info).unwrap_or(Value::Null)
        })
        .collect();
    ok_json(200, &json!({"value": value}))
}

fn color_name(color: i32) -> CategoryColor {
    if (0..=24).contains(&color) {
        CategoryColor::from(format!("preset{color}").as_str())
    } else {
        CategoryColor::from("none")
    }
}

fn color_number(color: &CategoryColor) -> i32 {
    color
        .as_str()
        .strip_prefix("preset")
        .and_then(|n| n.parse().ok())
        .unwrap_or(-1)
}

fn category_json(category: &Category) -> Value {
    serde_json::to_value(OutlookCategory {
        id: Some(
            category
                .guid
                .trim_matches(|c| c == '{' || c == '}')
                .to_ascii_lowercase(),
        ),
        display_name: Field::Value(category.name.clone()),
        color: Field::Value(color_name(category.color)),
        ..OutlookCategory::default()
    })
    .unwrap_or(Value::Null)
}

/// `/outlook/masterCategories` and `/outlook/masterCategories/{id}`: the same list EWS reads as the
/// `CategoryList` user configuration.
pub(crate) fn categories(call: &mut Call<'_>, id: Option<&str>) -> http::Response<Bytes> {
    let mut store = lock(&call.shared.store);
    let Some(address) = store.mailbox(call.mailbox).map(|m| m.address.clone()) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let mut list = match store.categories(&address) {
        Ok(l) => l,
        Err(e) => return store_error(&e),
    };
    let matches = |c: &Category, id: &str| {
        c.guid
            .trim_matches(|c| c == '{' || c == '}')
            .eq_ignore_ascii_case(id)
    };
    let response = match (call.method.clone(), id) {
        (http::Method::GET, None) => {
            let value: Vec<Value> = list.categories.iter().map(category_json).collect();
            return ok_json(200, &json!({"value": value}));
        }
        (http::Method::GET, Some(id)) => {
            return match list.categories.iter().find(|c| matches(c, id)) {
                Some(c) => ok_json(200, &category_json(c)),
                None => store_error(&StoreError::ItemNotFound),
            };
        }
        (http::Method::POST, None) => {
            let patch: OutlookCategory = match serde_json::from_slice(&call.body) {
                Ok(p) => p,
                Err(e) => return error(400, "BadRequest", &e.to_string()),
            };
            let Some(name) = patch.display_name.value().cloned() else {
                return error(400, "ErrorInvalidProperty", "displayName is required.");
            };
            if list.find(&name).is_some() {
                return error(
                    409,
                    "ErrorDuplicateCategoryName",
                    "A category with this name already exists.",
                );
            }
            let guid = {
                let mut tokens = lock(&call.shared.tokens);
                let (a, b) = (tokens.random(), tokens.random());
                let hex: String = a
                    .iter()
                    .chain(b.iter())
                    .map(|x| format!("{x:02x}"))
                    .collect();
                format!(
                    "{{{}-{}-{}-{}-{}}}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..32]
                )
            };
            let color = patch.color.value().map_or(-1, color_number);
            let category = Category::new(name, color, guid);
            let json = category_json(&category);
            list.add(category);
            (ok_json(201, &json), true)
        }
        (http::Method::PATCH, Some(id)) => {
            let patch: OutlookCategory = match serde_json::from_slice(&call.body) {
                Ok(p) => p,
                Err(e) => return error(400, "BadRequest", &e.to_string()),
            };
            let Some(category) = list.categories.iter_mut().find(|c| matches(c, id)) else {
                return store_error(&StoreError::ItemNotFound);
            };
            if patch
                .display_name
                .value()
                .is_some_and(|n| *n != category.name)
            {
                return error(
                    400,
                    "ErrorInvalidProperty",
                    "A category's displayName cannot change.",
                );
            }
            if let Some(color) = patch.color.value() {
                category.color = color_number(color);
            }
            (ok_json(200, &category_json(category)), true)
        }
        (http::Method::DELETE, Some(id)) => {
            let before = list.categories.len();
            list.categories.retain(|c| !matches(c, id));
            if list.categories.len() == before {
                return store_error(&StoreError::ItemNotFound);
            }
            (respond(204, "application/json", Bytes::new()), true)
        }
        _ => return error(405, "BadRequest", "The method is not allowed here."),
    };
    let (answer, changed) = response;
    if changed {
        if let Err(e) = store.set_categories(&address, &list) {
            return store_error(&e);
        }
    }
    answer
}

/// `translateExchangeIds` between EWS ids, REST ids and immutable ids.
pub(crate) fn translate_ids(call: &mut Call<'_>) -> http::Response<Bytes> {
    let request = match body(call) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let ids_in: Vec<String> = super::strings(&request, "inputIds");
    let target = request
        .get("targetIdType")
        .and_then(Value::as_str)
        .unwrap_or("restId")
        .to_owned();
    if ids_in.is_empty() || ids_in.len() > 1000 {
        return error(
            400,
            "ErrorInvalidParameter",
            "inputIds must hold 1 to 1000 ids.",
        );
    }
    let store = lock(&call.shared.store);
    let Some(mailbox) = store.mailbox(call.mailbox) else {
        return store_error(&StoreError::NoSuchMailbox(String::new()));
    };
    let value: Vec<Value> = ids_in
        .iter()
        .map(|source| {
            let translated = mailbox.item_by_id(source).ok().and_then(|key| {
                let stored = mailbox.items.get(&key)?;
                let address = mailbox.address(key, stored.generation);
                match target.as_str() {
                    "ewsId" => Some(ids::ews_item_id(address)),
                    "restId" => Some(ids::rest_item_id(address)),
                    "restImmutableEntryId" => Some(ids::immutable_item_id(mailbox.no, key)),
                    _ => None,
                }
            });
            let known = matches!(
                ids::parse_item_id(source),
                Some(ParsedItemId::Moving(_) | ParsedItemId::Immutable { .. })
            );
            match translated {
                Some(target_id) => json!({"sourceId": source, "targetId": target_id}),
                None => json!({"sourceId": source, "errorDetails": {
                    "code": if known { "ErrorItemNotFound" } else { "ErrorInvalidIdMalformed" },
                    "message": format!("The id cannot be translated to {target}."),
                }}),
            }
        })
        .collect();
    ok_json(200, &json!({"value": value}))
}
