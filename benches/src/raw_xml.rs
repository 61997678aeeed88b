//! What plain quick-xml costs on the same bytes: the floors the EWS figures are measured against.
//!
//! * [`event_count`]: read every event and decode nothing (the floor of any parser on quick-xml);
//! * [`decode_all`]: resolve every namespace and decode every text node, attribute value and entity
//!   with quick-xml's `NsReader`, building nothing (what a typed model cannot go below);
//! * [`write_create_item`]: write a CreateItem envelope for calendar items with quick-xml's raw
//!   `Writer`, element by element, producing exactly the bytes `ews-types` writes.
//!
//! ```
//! use benches::ews_fixtures::{create_item_calendar, get_item_100};
//! use benches::raw_xml::{decode_all, event_count, meetings_of, write_create_item};
//! use ews_types::soap::{request_envelope, ExchangeVersion, RequestHeader};
//!
//! let bytes = get_item_100();
//! assert!(decode_all(&bytes).unwrap() >= event_count(&bytes).unwrap() / 2);
//!
//! let request = create_item_calendar(3);
//! let meetings = meetings_of(&request);
//! let header = RequestHeader::new(ExchangeVersion::Exchange2013);
//! assert_eq!(write_create_item(&meetings), request_envelope(&header, &request));
//! ```

use ews_types::items::{Attendee, CalendarItem, Item};
use ews_types::operations::CreateItem;
use ews_types::types::ExtendedProperty;
use ews_types::xml::format_date_time;
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::ResolveResult;

/// Counts the XML events of `bytes` with a plain quick-xml reader, decoding nothing.
pub fn event_count(bytes: &[u8]) -> Result<usize, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event()? {
            Event::Eof => return Ok(events),
            _ => events += 1,
        }
    }
}

/// Resolves the namespace of every element and decodes every text node, attribute value and entity
/// reference of `bytes` with `NsReader`, keeping nothing; returns the number of decoded pieces.
pub fn decode_all(bytes: &[u8]) -> Result<usize, quick_xml::Error> {
    let mut reader = quick_xml::NsReader::from_reader(bytes);
    let mut pieces = 0;
    loop {
        let (namespace, event) = reader.read_resolved_event()?;
        if let ResolveResult::Bound(ns) = namespace {
            std::hint::black_box(ns);
        }
        match event {
            Event::Start(start) | Event::Empty(start) => {
                for attribute in start.attributes() {
                    let attribute = attribute.map_err(quick_xml::Error::from)?;
                    std::hint::black_box(
                        attribute.normalized_value(quick_xml::XmlVersion::Implicit1_0)?,
                    );
                    pieces += 1;
                }
            }
            Event::Text(text) => {
                std::hint::black_box(text.xml10_content());
                pieces += 1;
            }
            Event::CData(data) => {
                std::hint::black_box(data.xml10_content());
                pieces += 1;
            }
            Event::GeneralRef(reference) => {
                std::hint::black_box(reference.resolve_char_ref()?);
                pieces += 1;
            }
            Event::Eof => return Ok(pieces),
            _ => {}
        }
    }
}

/// The calendar items of `request`, as [`write_create_item`] takes them.
pub fn meetings_of(request: &CreateItem) -> Vec<CalendarItem> {
    request
        .items
        .iter()
        .filter_map(|item| match item {
            Item::CalendarItem(meeting) => Some(meeting.as_ref().clone()),
            _ => None,
        })
        .collect()
}

/// The CreateItem envelope for `meetings`, saved in the calendar without invitations, written with
/// quick-xml's `Writer`: the same bytes as `ews-types`' `request_envelope` with an `Exchange2013`
/// header. Writes the fields a client sets on a new meeting (those of
/// [`create_item_calendar`](crate::ews_fixtures::create_item_calendar)).
pub fn write_create_item(meetings: &[CalendarItem]) -> Vec<u8> {
    let mut w = Writer::new(Vec::with_capacity(meetings.len() * 2_048));
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
    start(
        &mut w,
        BytesStart::new("s:Envelope").with_attributes([
            ("xmlns:s", "http://schemas.xmlsoap.org/soap/envelope/"),
            (
                "xmlns:m",
                "http://schemas.microsoft.com/exchange/services/2006/messages",
            ),
            (
                "xmlns:t",
                "http://schemas.microsoft.com/exchange/services/2006/types",
            ),
        ]),
    );
    start(&mut w, BytesStart::new("s:Header"));
    empty(
        &mut w,
        BytesStart::new("t:RequestServerVersion").with_attributes([("Version", "Exchange2013")]),
    );
    end(&mut w, "s:Header");
    start(&mut w, BytesStart::new("s:Body"));
    start(
        &mut w,
        BytesStart::new("m:CreateItem").with_attributes([("SendMeetingInvitations", "SendToNone")]),
    );
    start(&mut w, BytesStart::new("m:SavedItemFolderId"));
    empty(
        &mut w,
        BytesStart::new("t:DistinguishedFolderId").with_attributes([("Id", "calendar")]),
    );
    end(&mut w, "m:SavedItemFolderId");
    start(&mut w, BytesStart::new("m:Items"));
    for meeting in meetings {
        write_meeting(&mut w, meeting);
    }
    end(&mut w, "m:Items");
    end(&mut w, "m:CreateItem");
    end(&mut w, "s:Body");
    end(&mut w, "s:Envelope");
    w.into_inner()
}

fn write_meeting(w: &mut Writer<Vec<u8>>, meeting: &CalendarItem) {
    let item = &meeting.item;
    start(w, BytesStart::new("t:CalendarItem"));
    text_opt(w, "t:Subject", item.subject.as_deref());
    text_opt(
        w,
        "t:Sensitivity",
        item.sensitivity.as_ref().map(|s| s.as_str()),
    );
    if let Some(body) = &item.body {
        start(
            w,
            BytesStart::new("t:Body").with_attributes([("BodyType", body.body_type.as_str())]),
        );
        text(w, &body.content);
        end(w, "t:Body");
    }
    if let Some(categories) = &item.categories {
        start(w, BytesStart::new("t:Categories"));
        for category in categories {
            text_element(w, "t:String", category);
        }
        end(w, "t:Categories");
    }
    text_opt(
        w,
        "t:Importance",
        item.importance.as_ref().map(|i| i.as_str()),
    );
    text_opt(w, "t:ReminderIsSet", item.reminder_is_set.map(bool_text));
    if let Some(minutes) = item.reminder_minutes_before_start {
        text_element(w, "t:ReminderMinutesBeforeStart", &minutes.to_string());
    }
    for property in &item.extended_properties {
        write_extended_property(w, property);
    }
    for (name, at) in [("t:Start", &meeting.start), ("t:End", &meeting.end)] {
        if let Some(at) = at {
            text_element(w, name, &format_date_time(at));
        }
    }
    text_opt(
        w,
        "t:IsAllDayEvent",
        meeting.is_all_day_event.map(bool_text),
    );
    text_opt(
        w,
        "t:LegacyFreeBusyStatus",
        meeting.legacy_free_busy_status.as_ref().map(|s| s.as_str()),
    );
    text_opt(w, "t:Location", meeting.location.as_deref());
    for (name, attendees) in [
        ("t:RequiredAttendees", &meeting.required_attendees),
        ("t:OptionalAttendees", &meeting.optional_attendees),
    ] {
        if let Some(attendees) = attendees {
            start(w, BytesStart::new(name));
            attendees.iter().for_each(|a| write_attendee(w, a));
            end(w, name);
        }
    }
    end(w, "t:CalendarItem");
}

fn write_extended_property(w: &mut Writer<Vec<u8>>, property: &ExtendedProperty) {
    start(w, BytesStart::new("t:ExtendedProperty"));
    if let Some(uri) = &property.field_uri {
        let mut tag = BytesStart::new("t:ExtendedFieldURI");
        if let Some(set) = &uri.property_set_id {
            tag.push_attribute(("PropertySetId", set.as_str()));
        }
        if let Some(property_tag) = &uri.property_tag {
            tag.push_attribute(("PropertyTag", property_tag.as_str()));
        }
        if let Some(name) = &uri.property_name {
            tag.push_attribute(("PropertyName", name.as_str()));
        }
        tag.push_attribute(("PropertyType", uri.property_type.as_str()));
        empty(w, tag);
    }
    text_opt(w, "t:Value", property.value.as_deref());
    end(w, "t:ExtendedProperty");
}

fn write_attendee(w: &mut Writer<Vec<u8>>, attendee: &Attendee) {
    start(w, BytesStart::new("t:Attendee"));
    if let Some(mailbox) = &attendee.mailbox {
        start(w, BytesStart::new("t:Mailbox"));
        text_opt(w, "t:Name", mailbox.name.as_deref());
        text_opt(w, "t:EmailAddress", mailbox.email_address.as_deref());
        text_opt(w, "t:RoutingType", mailbox.routing_type.as_deref());
        end(w, "t:Mailbox");
    }
    end(w, "t:Attendee");
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

// Writing into a Vec cannot fail, so the results below are dropped.
fn start(w: &mut Writer<Vec<u8>>, tag: BytesStart<'_>) {
    let _ = w.write_event(Event::Start(tag));
}

fn empty(w: &mut Writer<Vec<u8>>, tag: BytesStart<'_>) {
    let _ = w.write_event(Event::Empty(tag));
}

fn end(w: &mut Writer<Vec<u8>>, name: &str) {
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

fn text(w: &mut Writer<Vec<u8>>, value: &str) {
    let _ = w.write_event(Event::Text(BytesText::from_escaped(partial_escape(value))));
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, value: &str) {
    start(w, BytesStart::new(name));
    text(w, value);
    end(w, name);
}

fn text_opt(w: &mut Writer<Vec<u8>>, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        text_element(w, name, value);
    }
}
