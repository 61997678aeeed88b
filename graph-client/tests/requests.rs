//! Request builders: paths for app-only and delegated access, `Prefer` headers, `If-Match`, cancel
//! versus delete, PATCH bodies that carry only what changed, and the documented limits.

use bytes::Bytes;
use graph_client::api::{EventReply, ExchangeIdFormat, ScheduleQuery, TranslateExchangeIds};
use graph_client::delta::{ChangeType, DeltaCursor, MessageDeltaOptions, ReceivedSince};
use graph_client::model::{
    BodyType, CategoryColor, DateTimeTimeZone, Event, Message, OutlookCategory, TodoTask,
};
use graph_client::{Collection, Field, Graph, Item, Preferences, Query};

fn header<'a>(request: &'a http::Request<Bytes>, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap())
}

#[test]
fn one_builder_serves_app_only_and_delegated_access() {
    let item = Item::<TodoTask>::in_list("AAMkList", "AAMkTask");
    let app_only = Graph::user("adele@contoso.com").get(&item).unwrap();
    let delegated = Graph::me().get(&item).unwrap();
    assert_eq!(
        app_only.http().uri(),
        "https://graph.microsoft.com/v1.0/users/adele@contoso.com/todo/lists/AAMkList/tasks/AAMkTask"
    );
    assert_eq!(
        delegated.http().uri(),
        "https://graph.microsoft.com/v1.0/me/todo/lists/AAMkList/tasks/AAMkTask"
    );
    let categories = Graph::me()
        .list(&Collection::<OutlookCategory>::all(), &Query::default())
        .unwrap();
    assert_eq!(
        categories.http().uri().path(),
        "/v1.0/me/outlook/masterCategories"
    );
    // Ids with reserved characters stay one path segment.
    let odd = Graph::me().get(&Item::<Message>::new("AA/MK+1=")).unwrap();
    assert_eq!(odd.http().uri().path(), "/v1.0/me/messages/AA%2FMK+1=");
}

#[test]
fn immutable_ids_are_requested_on_every_request_by_default() {
    let graph = Graph::me();
    let event = Item::<Event>::new("AAMk1");
    let requests = vec![
        graph.get(&event).unwrap().into_http(),
        graph
            .create(&Collection::<Event>::all(), &Event::default())
            .unwrap()
            .into_http(),
        graph
            .update(&event, &Event::default(), None)
            .unwrap()
            .into_http(),
        graph.delete(&event, None).unwrap().into_http(),
        graph.cancel_event(&event, "x").unwrap().into_http(),
        graph
            .delta(&DeltaCursor::<Message>::mail_folder_messages(
                "inbox",
                Default::default(),
            ))
            .unwrap(),
        graph.get_mailbox_settings().unwrap().into_http(),
    ];
    for request in &requests {
        assert_eq!(
            header(request, "prefer"),
            Some(r#"IdType="ImmutableId""#),
            "{}",
            request.uri()
        );
    }
    let plain = Graph::me().with_preferences(Preferences {
        immutable_ids: false,
        body_content_type: Some(BodyType::Text),
        time_zone: Some("Pacific Standard Time".into()),
        max_page_size: Some(50),
    });
    let request = plain.get(&event).unwrap().into_http();
    let prefer: Vec<&str> = request
        .headers()
        .get_all("prefer")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(
        prefer,
        [
            r#"outlook.body-content-type="text""#,
            r#"outlook.timezone="Pacific Standard Time""#,
            "odata.maxpagesize=50"
        ]
    );
}

#[test]
fn updates_carry_only_what_changed_and_if_match() {
    let patch = Event {
        subject: Field::from("Moved"),
        location: Field::Null,
        categories: Field::Value(vec!["Red category".into()]),
        ..Event::default()
    };
    let request = Graph::me()
        .update(
            &Item::<Event>::new("AAMk1"),
            &patch,
            Some(r#"W/"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==""#),
        )
        .unwrap()
        .into_http();
    assert_eq!(request.method(), "PATCH");
    assert_eq!(
        header(&request, "if-match"),
        Some(r#"W/"ZlnW4RIAV06KYYwlrfNZvQAAKGWwbw==""#)
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"subject": "Moved", "location": null, "categories": ["Red category"]})
    );
    let delete = Graph::me()
        .delete(&Item::<Event>::new("AAMk1"), Some(r#"W/"x""#))
        .unwrap()
        .into_http();
    assert_eq!(header(&delete, "if-match"), Some(r#"W/"x""#));
    assert!(
        Graph::me()
            .delete(&Item::<Event>::new("AAMk1"), Some("bad\nvalue"))
            .is_err()
    );
}

#[test]
fn a_category_name_cannot_be_patched() {
    let item = Item::<OutlookCategory>::new("bac262b7-485d-4739-b436-e31467d64fac");
    let recolor = OutlookCategory {
        color: Field::Value(CategoryColor::Preset3),
        ..OutlookCategory::default()
    };
    let request = Graph::me()
        .update(&item, &recolor, None)
        .unwrap()
        .into_http();
    assert_eq!(&request.body()[..], br#"{"color":"preset3"}"#);
    let rename = OutlookCategory {
        display_name: Field::from("Renamed"),
        ..recolor
    };
    assert!(Graph::me().update(&item, &rename, None).is_err());
}

#[test]
fn cancel_notifies_attendees_and_delete_does_not() {
    let event = Item::<Event>::new("AAMk1");
    let cancel = Graph::me()
        .cancel_event(&event, "Cancelling for this week.")
        .unwrap()
        .into_http();
    assert_eq!(cancel.method(), "POST");
    assert_eq!(cancel.uri().path(), "/v1.0/me/events/AAMk1/cancel");
    assert_eq!(
        &cancel.body()[..],
        br#"{"Comment":"Cancelling for this week."}"#
    );
    let delete = Graph::me().delete(&event, None).unwrap().into_http();
    assert_eq!(delete.method(), "DELETE");
    assert_eq!(delete.uri().path(), "/v1.0/me/events/AAMk1");
    assert!(delete.body().is_empty());

    let reply = EventReply {
        comment: Some("See you there".into()),
        send_response: Some(true),
        proposed_new_time: None,
    };
    let accept = Graph::me()
        .accept_event(&event, &reply)
        .unwrap()
        .into_http();
    assert_eq!(accept.uri().path(), "/v1.0/me/events/AAMk1/accept");
    assert_eq!(
        &accept.body()[..],
        br#"{"comment":"See you there","sendResponse":true}"#
    );
    let decline = Graph::me()
        .decline_event(&event, &EventReply::default())
        .unwrap()
        .into_http();
    assert_eq!(decline.uri().path(), "/v1.0/me/events/AAMk1/decline");
    assert_eq!(&decline.body()[..], b"{}");
    let tentative = Graph::me()
        .tentatively_accept_event(&event, &reply)
        .unwrap()
        .into_http();
    assert_eq!(
        tentative.uri().path(),
        "/v1.0/me/events/AAMk1/tentativelyAccept"
    );
}

#[test]
fn a_stale_change_key_is_a_conflict() {
    let request = Graph::me()
        .update(
            &Item::<Event>::new("AAMk1"),
            &Event::default(),
            Some("W/\"old\""),
        )
        .unwrap();
    let response = http::Response::builder()
        .status(412)
        .body(Bytes::from_static(
            br#"{"error": {"code": "ErrorIrresolvableConflict", "message": "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item."}}"#,
        ))
        .unwrap();
    let error = request.parse(&response).unwrap_err();
    assert!(error.is_conflict());
    assert_eq!(error.api().unwrap().code, "ErrorIrresolvableConflict");
}

#[test]
fn message_delta_options_and_query_encoding() {
    let options = MessageDeltaOptions {
        select: vec!["subject".into(), "categories".into()],
        received_since: Some(ReceivedSince {
            at: "2026-01-01T00:00:00Z".parse().unwrap(),
            inclusive: true,
        }),
        newest_first: true,
        top: None,
        expand: vec![],
        change_type: Some(ChangeType::Created),
    };
    let request = Graph::me()
        .delta(&DeltaCursor::<Message>::mail_folder_messages(
            "inbox", options,
        ))
        .unwrap();
    assert_eq!(
        request.uri().to_string(),
        "https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/delta?$select=subject,categories&$filter=receivedDateTime%20ge%202026-01-01T00:00:00Z&$orderby=receivedDateTime%20desc&changeType=created"
    );
    let start = "2026-01-01T00:00:00Z".parse().unwrap();
    assert!(
        DeltaCursor::<Event>::calendar_view(start, start).is_err(),
        "empty window"
    );
}

#[test]
fn get_schedule_limits_are_checked_and_configurable() {
    let at = |date: &str| DateTimeTimeZone::new(date.parse().unwrap(), "Pacific Standard Time");
    let people: Vec<String> = (0..20).map(|n| format!("user{n}@contoso.com")).collect();
    let mut query = ScheduleQuery::new(
        people.clone(),
        at("2026-03-15T09:00:00"),
        at("2026-03-15T18:00:00"),
    );
    query.availability_view_interval = Some(60);
    let request = Graph::user("adele@contoso.com")
        .get_schedule(&query)
        .unwrap()
        .into_http();
    assert_eq!(
        request.uri().path(),
        "/v1.0/users/adele@contoso.com/calendar/getSchedule"
    );
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body["startTime"]["dateTime"], "2026-03-15T09:00:00.0000000");
    assert_eq!(body["availabilityViewInterval"], 60);
    assert_eq!(body["schedules"].as_array().unwrap().len(), 20);

    let mut too_many = query.clone();
    too_many.schedules.push("one-more@contoso.com".into());
    assert!(Graph::me().get_schedule(&too_many).is_err());
    let mut bad_interval = query.clone();
    bad_interval.availability_view_interval = Some(4);
    assert!(Graph::me().get_schedule(&bad_interval).is_err());
    let mut long = query.clone();
    long.end = at("2026-05-10T09:00:00"); // 56 days
    assert!(Graph::me().get_schedule(&long).is_err());
    long.max_period_days = 62;
    assert!(Graph::me().get_schedule(&long).is_ok());
}

#[test]
fn translate_exchange_ids_is_bounded() {
    let body = |count: usize| TranslateExchangeIds {
        input_ids: (0..count).map(|n| format!("id{n}")).collect(),
        source_id_type: ExchangeIdFormat::EwsId,
        target_id_type: ExchangeIdFormat::RestImmutableEntryId,
    };
    let request = Graph::me()
        .translate_exchange_ids(&body(1000))
        .unwrap()
        .into_http();
    let json: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(json["sourceIdType"], "ewsId");
    assert_eq!(json["targetIdType"], "restImmutableEntryId");
    assert!(Graph::me().translate_exchange_ids(&body(1001)).is_err());
    assert!(Graph::me().translate_exchange_ids(&body(0)).is_err());
}

#[test]
fn credentials_only_go_to_https_or_loopback() {
    assert!(
        Graph::me()
            .with_base_url("http://graph.example.com/v1.0")
            .is_err()
    );
    assert!(
        Graph::me()
            .with_base_url("http://127.0.0.1:8080/v1.0")
            .is_ok()
    );
    assert!(
        Graph::me()
            .with_base_url("https://graph.microsoft.us/v1.0")
            .is_ok()
    );
    let graph = Graph::me();
    assert!(
        graph
            .check_link("https://graph.microsoft.com/v1.0/me/messages?$skip=10")
            .is_ok()
    );
    assert!(
        graph
            .check_link("https://graph.microsoft.com.evil.example/v1.0/me")
            .is_err()
    );
    assert!(
        graph
            .check_link("https://graph.microsoft.com/beta/me/messages")
            .is_err()
    );
}

#[test]
fn unknown_properties_and_values_survive_a_round_trip() {
    let json = r##"{"id":"C1","displayName":"Important","color":"preset42","newProperty":{"a":1},"@odata.type":"#microsoft.graph.outlookCategory"}"##;
    let category: OutlookCategory = serde_json::from_str(json).unwrap();
    assert_eq!(
        category.color,
        Field::Value(CategoryColor::Unknown("preset42".into()))
    );
    assert_eq!(category.extra["newProperty"], serde_json::json!({"a": 1}));
    let back: serde_json::Value = serde_json::to_value(&category).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );
}

#[test]
fn empty_and_unexpected_bodies_both_parse_as_no_content() {
    let request = Graph::me()
        .delete(&Item::<Message>::new("AAMk1"), None)
        .unwrap();
    let empty = http::Response::builder()
        .status(204)
        .body(Bytes::new())
        .unwrap();
    assert_eq!(request.parse(&empty).unwrap(), graph_client::NoContent);
    let with_body = http::Response::builder()
        .status(202)
        .body(Bytes::from_static(br#"{"unexpected": true}"#))
        .unwrap();
    assert_eq!(request.parse(&with_body).unwrap(), graph_client::NoContent);
    let missing = http::Response::builder()
        .status(404)
        .header("request-id", "7e6c4a2f")
        .body(Bytes::from_static(
            br#"{"error": {"code": "ErrorItemNotFound", "message": "Not found."}}"#,
        ))
        .unwrap();
    let error = request.parse(&missing).unwrap_err();
    assert!(error.is_not_found());
    assert_eq!(error.api().unwrap().request_id.as_deref(), Some("7e6c4a2f"));
}

#[test]
fn persisted_cursor_format_is_stable_and_versioned() {
    let options = MessageDeltaOptions {
        select: vec!["subject".into()],
        ..MessageDeltaOptions::default()
    };
    let cursor = DeltaCursor::<Message>::mail_folder_messages("inbox", options);
    let saved = serde_json::to_value(&cursor).unwrap();
    assert_eq!(
        saved,
        serde_json::json!({
            "version": 1,
            "scope": {"kind": "mailFolderMessages", "folderId": "inbox", "options": {
                "select": ["subject"], "receivedSince": null, "newestFirst": false, "top": null,
                "expand": [], "changeType": null
            }},
            "state": {"state": "initial"}
        })
    );
    let mut future = saved.clone();
    future["version"] = 2.into();
    let future: DeltaCursor<Message> = serde_json::from_value(future).unwrap();
    assert!(
        Graph::me().delta(&future).is_err(),
        "an unknown cursor version must not be used"
    );
}
