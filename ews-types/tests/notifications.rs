//! Subscriptions and their events: what a pull, push or streaming client relies on.

use ews_types::Error;
use ews_types::operations::{
    AnyResponse, ChangedObject, ConnectionStatus, EventType, FolderScope, GetEvents,
    GetEventsResponse, GetStreamingEvents, GetStreamingEventsResponse, NotificationEvent,
    Operation, Subscribe, SubscribeResponse, Unsubscribe,
};
use ews_types::soap::{http_request, parse_response, response_envelope};
use ews_types::types::{DistinguishedFolderName, FolderId, ItemId};

const NS: &str = r#"xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types""#;

fn get_events_response(notification: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
        <m:GetEventsResponse {NS}><m:ResponseMessages>
        <m:GetEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
        <m:Notification>{notification}</m:Notification>
        </m:GetEventsResponseMessage></m:ResponseMessages></m:GetEventsResponse></s:Body></s:Envelope>"#
    )
}

/// One event of every kind, plus one of a kind no schema has yet, in a deliberate order.
const EVERY_KIND: &str = r#"
  <t:SubscriptionId>sub-1</t:SubscriptionId>
  <t:PreviousWatermark>W0</t:PreviousWatermark>
  <t:MoreEvents>true</t:MoreEvents>
  <t:CopiedEvent><t:Watermark>W1</t:Watermark><t:TimeStamp>2026-11-02T10:00:00Z</t:TimeStamp>
    <t:ItemId Id="copy" ChangeKey="CK1"/><t:ParentFolderId Id="crm"/>
    <t:OldItemId Id="original"/><t:OldParentFolderId Id="inbox"/></t:CopiedEvent>
  <t:CreatedEvent><t:Watermark>W2</t:Watermark><t:TimeStamp>2026-11-02T10:00:01Z</t:TimeStamp>
    <t:FolderId Id="new-folder"/><t:ParentFolderId Id="root"/></t:CreatedEvent>
  <t:DeletedEvent><t:Watermark>W3</t:Watermark><t:TimeStamp>2026-11-02T10:00:02Z</t:TimeStamp>
    <t:ItemId Id="gone"/><t:ParentFolderId Id="inbox"/></t:DeletedEvent>
  <t:ModifiedEvent><t:Watermark>W4</t:Watermark><t:TimeStamp>2026-11-02T10:00:03Z</t:TimeStamp>
    <t:FolderId Id="inbox"/><t:ParentFolderId Id="root"/><t:UnreadCount>7</t:UnreadCount></t:ModifiedEvent>
  <t:MovedEvent><t:Watermark>W5</t:Watermark><t:TimeStamp>2026-11-02T10:00:04Z</t:TimeStamp>
    <t:FolderId Id="moved"/><t:ParentFolderId Id="archive"/>
    <t:OldFolderId Id="moved"/><t:OldParentFolderId Id="root"/></t:MovedEvent>
  <t:NewMailEvent><t:Watermark>W6</t:Watermark><t:TimeStamp>2026-11-02T10:00:05Z</t:TimeStamp>
    <t:ItemId Id="mail"/><t:ParentFolderId Id="inbox"/></t:NewMailEvent>
  <t:FreeBusyChangedEvent><t:Watermark>W7</t:Watermark><t:TimeStamp>2026-11-02T10:00:06Z</t:TimeStamp>
    <t:ItemId Id="meeting"/><t:ParentFolderId Id="calendar"/></t:FreeBusyChangedEvent>
  <t:TeleportedEvent><t:Watermark>W8</t:Watermark><t:TimeStamp>2026-11-02T10:00:07Z</t:TimeStamp>
    <t:ItemId Id="beamed"/><t:ParentFolderId Id="elsewhere"/><t:Unheard>x</t:Unheard></t:TeleportedEvent>
  <t:StatusEvent><t:Watermark>W9</t:Watermark></t:StatusEvent>
"#;

fn parse_events(notification: &str) -> Result<GetEventsResponse, Error> {
    parse_response::<GetEventsResponse>(get_events_response(notification).as_bytes())
        .map(|e| e.body)
}

#[test]
fn every_event_kind_parses_in_document_order_and_an_unknown_kind_is_kept() {
    let response = parse_events(EVERY_KIND).unwrap();
    let message = response.messages[0].clone().into_result().unwrap();
    let notification = message.notification.unwrap();
    assert_eq!(notification.subscription_id.as_str(), "sub-1");
    assert_eq!(
        notification.previous_watermark.as_ref().unwrap().as_str(),
        "W0"
    );
    let names: Vec<&str> = notification.events.iter().map(|e| e.name()).collect();
    assert_eq!(
        names,
        [
            "CopiedEvent",
            "CreatedEvent",
            "DeletedEvent",
            "ModifiedEvent",
            "MovedEvent",
            "NewMailEvent",
            "FreeBusyChangedEvent",
            "TeleportedEvent",
            "StatusEvent"
        ]
    );
    let events = &notification.events;
    match &events[0] {
        NotificationEvent::Copied(copy) => {
            assert_eq!(
                copy.change.object,
                ChangedObject::Item(ItemId::with_change_key("copy", "CK1"))
            );
            assert_eq!(
                copy.old_object,
                ChangedObject::Item(ItemId::new("original"))
            );
            assert_eq!(copy.old_parent_folder_id, FolderId::new("inbox"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&events[1], NotificationEvent::Created(e)
        if e.object == ChangedObject::Folder(FolderId::new("new-folder"))));
    assert!(matches!(&events[2], NotificationEvent::Deleted(_)));
    assert!(matches!(&events[3], NotificationEvent::Modified(e) if e.unread_count == Some(7)));
    assert!(matches!(&events[4], NotificationEvent::Moved(e)
        if e.old_parent_folder_id == FolderId::new("root")
            && e.change.parent_folder_id == FolderId::new("archive")));
    assert!(matches!(&events[5], NotificationEvent::NewMail(_)));
    assert_eq!(events[6].event_type(), Some(EventType::FreeBusyChanged));
    match &events[7] {
        NotificationEvent::Other { name, fields } => {
            assert_eq!(name, "TeleportedEvent");
            assert_eq!(fields.watermark.as_ref().unwrap().as_str(), "W8");
            assert_eq!(
                fields.object,
                Some(ChangedObject::Item(ItemId::new("beamed")))
            );
            assert_eq!(fields.parent_folder_id, Some(FolderId::new("elsewhere")));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        events[7].event_type(),
        Some(EventType::Unknown("TeleportedEvent".into()))
    );
    assert_eq!(events[8].event_type(), None);
    assert_eq!(
        events[5].time_stamp(),
        Some("2026-11-02T10:00:05Z".parse().unwrap())
    );
    // Resume from the last event's watermark (the status event's), and call again at once.
    assert_eq!(notification.resume_watermark().unwrap().as_str(), "W9");
    assert!(notification.has_more_events());
}

#[test]
fn every_event_kind_survives_a_build_and_parse_round_trip() {
    let response = parse_events(EVERY_KIND).unwrap();
    let rebuilt = response_envelope(None, &response);
    let again = parse_response::<GetEventsResponse>(&rebuilt).unwrap().body;
    assert_eq!(again, response);
    let text = String::from_utf8(rebuilt).unwrap();
    // Schema order inside a moved event: base parts, then the old identity.
    let moved = &text[text.find("<t:MovedEvent>").unwrap()..];
    let order: Vec<usize> = [
        "<t:Watermark>",
        "<t:TimeStamp>",
        "<t:FolderId",
        "<t:ParentFolderId",
        "<t:OldFolderId",
        "<t:OldParentFolderId",
    ]
    .iter()
    .map(|tag| moved.find(tag).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{moved}");
}

#[test]
fn the_summary_counts_item_and_folder_events() {
    let (_, response) = AnyResponse::parse(get_events_response(EVERY_KIND).as_bytes()).unwrap();
    let summary = response.summary();
    assert_eq!(summary.operation, "GetEvents");
    // Items: copy, gone, mail, meeting, beamed; folders: new-folder, inbox, moved.
    assert_eq!((summary.items, summary.folders), (5, 3));
}

#[test]
fn without_event_watermarks_the_previous_watermark_is_where_to_resume() {
    let response = parse_events(
        "<t:SubscriptionId>s</t:SubscriptionId><t:PreviousWatermark>W0</t:PreviousWatermark>",
    )
    .unwrap();
    let notification = response.messages[0].body.notification.clone().unwrap();
    assert_eq!(notification.resume_watermark().unwrap().as_str(), "W0");
    assert!(!notification.has_more_events());
}

#[test]
fn a_known_event_without_its_required_parts_is_a_typed_error() {
    let missing_time = "<t:SubscriptionId>s</t:SubscriptionId><t:NewMailEvent>\
        <t:ItemId Id=\"i\"/><t:ParentFolderId Id=\"p\"/></t:NewMailEvent>";
    let error = parse_events(missing_time).unwrap_err();
    assert!(
        matches!(&error, Error::Missing { what, parent } if what == "TimeStamp" && parent == "NewMailEvent"),
        "{error:?}"
    );
    let missing_old = "<t:SubscriptionId>s</t:SubscriptionId><t:MovedEvent>\
        <t:TimeStamp>2026-11-02T10:00:00Z</t:TimeStamp><t:ItemId Id=\"i\"/><t:ParentFolderId Id=\"p\"/>\
        </t:MovedEvent>";
    assert!(matches!(
        parse_events(missing_old),
        Err(Error::Missing { what, .. }) if what == "OldItemId or OldFolderId"
    ));
}

#[test]
fn an_event_outside_the_ews_namespaces_is_refused_rather_than_dropped() {
    let foreign = "<t:SubscriptionId>s</t:SubscriptionId>\
        <x:NewMailEvent xmlns:x=\"urn:elsewhere\"/>";
    assert!(matches!(
        parse_events(foreign),
        Err(Error::UnexpectedElement { found, .. }) if found == "NewMailEvent"
    ));
}

#[test]
fn subscribe_response_carries_the_subscription_id_and_watermark() {
    let answer = format!(
        r#"<m:SubscribeResponse {NS}><m:ResponseMessages>
        <m:SubscribeResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
        <m:SubscriptionId>sub-9</m:SubscriptionId><m:Watermark>AQAAAA==</m:Watermark>
        </m:SubscribeResponseMessage></m:ResponseMessages></m:SubscribeResponse>"#
    );
    let response = parse_response::<SubscribeResponse>(answer.as_bytes())
        .unwrap()
        .body;
    let body = response.messages[0].clone().into_result().unwrap();
    assert_eq!(body.subscription_id.unwrap().as_str(), "sub-9");
    assert_eq!(body.watermark.unwrap().as_str(), "AQAAAA==");
}

#[test]
fn streaming_messages_carry_notifications_failed_ids_and_the_connection_status() {
    // Exchange writes Notification in the messages namespace although the schema says types; both read.
    let answer = format!(
        r#"<m:GetStreamingEventsResponse {NS}><m:ResponseMessages>
        <m:GetStreamingEventsResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
        <m:Notifications>
          <m:Notification><t:SubscriptionId>a</t:SubscriptionId><t:NewMailEvent>
            <t:TimeStamp>2026-11-02T10:00:00Z</t:TimeStamp><t:ItemId Id="i"/><t:ParentFolderId Id="p"/>
          </t:NewMailEvent></m:Notification>
          <t:Notification><t:SubscriptionId>b</t:SubscriptionId><t:StatusEvent/></t:Notification>
        </m:Notifications>
        <m:ErrorSubscriptionIds><t:SubscriptionId>c</t:SubscriptionId></m:ErrorSubscriptionIds>
        <m:ConnectionStatus>Closed</m:ConnectionStatus>
        </m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse>"#
    );
    let response = parse_response::<GetStreamingEventsResponse>(answer.as_bytes())
        .unwrap()
        .body;
    let message = response.messages[0].clone().into_result().unwrap();
    let notifications = message.notifications.clone().unwrap();
    assert_eq!(notifications.len(), 2);
    assert_eq!(notifications[1].subscription_id.as_str(), "b");
    assert_eq!(
        message.error_subscription_ids.as_deref().unwrap()[0].as_str(),
        "c"
    );
    assert_eq!(message.connection_status, Some(ConnectionStatus::Closed));
    assert!(message.is_closed());
    let rebuilt = response_envelope(None, &response);
    assert_eq!(
        parse_response::<GetStreamingEventsResponse>(&rebuilt)
            .unwrap()
            .body,
        response
    );
}

fn invalid(operation: &impl Operation) -> String {
    match operation.validate() {
        Err(Error::InvalidRequest(why)) => why,
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[test]
fn subscription_lifetimes_are_checked_at_both_ends() {
    let inbox = || FolderScope::folders([DistinguishedFolderName::Inbox]);
    for minutes in [1, 1440] {
        assert!(
            Subscribe::pull(inbox(), EventType::all(), minutes)
                .validate()
                .is_ok()
        );
        let push = Subscribe::push(
            inbox(),
            EventType::all(),
            "https://crm.example/ews",
            minutes,
        );
        assert!(push.validate().is_ok());
    }
    for minutes in [0, -5, 1441] {
        let why = invalid(&Subscribe::pull(inbox(), EventType::all(), minutes));
        assert!(why.contains("Timeout"), "{why}");
        let push = Subscribe::push(
            inbox(),
            EventType::all(),
            "https://crm.example/ews",
            minutes,
        );
        assert!(invalid(&push).contains("StatusFrequency"));
    }
    for minutes in [1, 30] {
        assert!(GetStreamingEvents::new(["s"], minutes).validate().is_ok());
    }
    for minutes in [0, 31] {
        assert!(invalid(&GetStreamingEvents::new(["s"], minutes)).contains("ConnectionTimeout"));
    }
}

#[test]
fn subscriptions_need_folders_and_event_types() {
    let inbox = FolderScope::folders([DistinguishedFolderName::Inbox]);
    assert!(invalid(&Subscribe::streaming(inbox.clone(), vec![])).contains("event type"));
    assert!(
        invalid(&Subscribe::streaming(
            FolderScope::Folders(vec![]),
            EventType::all()
        ))
        .contains("FolderIds")
    );
    assert!(
        Subscribe::streaming(FolderScope::AllFolders, EventType::all())
            .validate()
            .is_ok()
    );
    let mut no_scope = Subscribe::streaming(inbox.clone(), EventType::all());
    if let Subscribe::Streaming(request) = &mut no_scope {
        request.folder_ids = None;
    }
    assert!(invalid(&no_scope).contains("SubscribeToAllFolders"));
    assert!(invalid(&Subscribe::push(inbox, EventType::all(), " ", 5)).contains("URL"));
    assert!(invalid(&GetStreamingEvents::new(Vec::<String>::new(), 30)).contains("subscription"));
    assert!(invalid(&GetEvents::new("", "W")).contains("subscription id"));
    assert!(invalid(&Unsubscribe::new("")).contains("subscription id"));
}

#[test]
fn an_invalid_subscription_is_refused_before_it_is_sent() {
    let request = Subscribe::pull(FolderScope::AllFolders, EventType::all(), 0);
    let error = http_request(
        "https://mail.contoso.example/EWS/Exchange.asmx",
        &Default::default(),
        &request,
    )
    .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error}");
}

#[test]
fn all_folders_is_the_attribute_and_no_folder_list() {
    let request = Subscribe::streaming(FolderScope::AllFolders, vec![EventType::NewMail]);
    let xml = String::from_utf8(ews_types::soap::request_body(&request)).unwrap();
    assert!(
        xml.contains(r#"<m:StreamingSubscriptionRequest SubscribeToAllFolders="true"><t:EventTypes><t:EventType>NewMailEvent</t:EventType></t:EventTypes>"#),
        "{xml}"
    );
    assert!(!xml.contains("FolderIds"));
}

#[test]
fn a_notification_without_its_subscription_id_is_a_typed_error() {
    let error =
        parse_events("<t:StatusEvent><t:Watermark>W</t:Watermark></t:StatusEvent>").unwrap_err();
    assert!(
        matches!(&error, Error::Missing { what, parent } if what == "SubscriptionId" && parent == "Notification"),
        "{error:?}"
    );
}
