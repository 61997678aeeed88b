//! Meeting messages read as typed items, and response objects refused before sending when Exchange
//! would refuse them.

use ews_types::Error;
use ews_types::items::{
    CancelCalendarItem, Item, ItemFields, MeetingReply, MeetingRequestKind, RemoveItem,
};
use ews_types::operations::{AnyResponse, CreateItem, MessageDisposition, Operation};
use ews_types::types::{Body, ItemId};

const MEETING_REQUEST: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
<s:Body><m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
    xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
  <m:ResponseMessages><m:GetItemResponseMessage ResponseClass="Success">
    <m:ResponseCode>NoError</m:ResponseCode>
    <m:Items>
      <t:MeetingRequest>
        <t:ItemId Id="AAMkRequest" ChangeKey="CwAAAB"/>
        <t:Subject>Account review</t:Subject>
        <t:From><t:Mailbox><t:Name>Alice</t:Name><t:EmailAddress>alice@contoso.example</t:EmailAddress></t:Mailbox></t:From>
        <t:IsRead>false</t:IsRead>
        <t:AssociatedCalendarItemId Id="AAMkCalendar" ChangeKey="DwAAAB"/>
        <t:IsOutOfDate>false</t:IsOutOfDate>
        <t:ResponseType>NoResponseReceived</t:ResponseType>
        <t:UID>040000008200E00074C5B7101A82E008</t:UID>
        <t:MeetingRequestType>NewMeetingRequest</t:MeetingRequestType>
        <t:IntendedFreeBusyStatus>Busy</t:IntendedFreeBusyStatus>
        <t:Start>2026-03-02T09:00:00Z</t:Start>
        <t:End>2026-03-02T09:30:00Z</t:End>
        <t:Location>Room 3</t:Location>
        <t:Recurrence>
          <t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence>
          <t:NumberedRecurrence><t:StartDate>2026-03-02Z</t:StartDate><t:NumberOfOccurrences>6</t:NumberOfOccurrences></t:NumberedRecurrence>
        </t:Recurrence>
        <t:StartTimeZone Id="GMT Standard Time"/>
      </t:MeetingRequest>
      <t:MeetingCancellation><t:ItemId Id="AAMkCancel"/><t:Subject>Canceled: x</t:Subject><t:Start>2026-03-09T09:00:00Z</t:Start></t:MeetingCancellation>
      <t:MeetingResponse><t:ItemId Id="AAMkResponse"/><t:ResponseType>Decline</t:ResponseType><t:ProposedStart>2026-03-02T10:00:00Z</t:ProposedStart></t:MeetingResponse>
    </m:Items>
  </m:GetItemResponseMessage></m:ResponseMessages>
</m:GetItemResponse></s:Body></s:Envelope>"#;

#[test]
fn meeting_messages_are_typed_items_with_their_meeting_fields() {
    let (_, response) = AnyResponse::parse(MEETING_REQUEST.as_bytes()).unwrap();
    let AnyResponse::GetItem(response) = &response else {
        panic!("{response:?}")
    };
    let items = response.messages[0].body.items.as_ref().unwrap();
    let Item::MeetingRequest(request) = &items[0] else {
        panic!("{:?}", items[0])
    };
    assert_eq!(items[0].fields().subject.as_deref(), Some("Account review"));
    assert_eq!(request.meeting.message.is_read, Some(false));
    assert_eq!(
        request
            .meeting
            .associated_calendar_item_id
            .as_ref()
            .map(|id| id.id.as_str()),
        Some("AAMkCalendar")
    );
    assert_eq!(
        request.meeting_request_type,
        Some(MeetingRequestKind::NewMeetingRequest)
    );
    assert_eq!(request.location.as_deref(), Some("Room 3"));
    let series = request.recurrence.as_ref().unwrap();
    assert_eq!(series.dates(100).unwrap().len(), 6);
    assert_eq!(items[1].kind(), "MeetingCancellation");
    let Item::MeetingResponse(reply) = &items[2] else {
        panic!("{:?}", items[2])
    };
    assert_eq!(
        reply.proposed_start.unwrap().to_string(),
        "2026-03-02T10:00:00Z"
    );
    // And the whole response survives build -> parse.
    let rebuilt = AnyResponse::GetItem(response.clone()).to_envelope(None);
    let (_, again) = AnyResponse::parse(&rebuilt).unwrap();
    assert_eq!(again, AnyResponse::GetItem(response.clone()));
}

fn meeting_id() -> ItemId {
    ItemId::with_change_key("AAMkRequest", "CwAAAB")
}

#[test]
fn responses_need_a_message_disposition_and_a_reference() {
    let accept = MeetingReply::for_meeting(meeting_id()).accept();
    let ok = CreateItem::respond(vec![accept.clone()], MessageDisposition::SendAndSaveCopy);
    assert!(ok.validate().is_ok());

    let mut without_disposition = ok.clone();
    without_disposition.message_disposition = None;
    let error = without_disposition.validate().unwrap_err();
    assert!(error.to_string().contains("MessageDisposition"), "{error}");

    let unanchored = CreateItem::respond(
        vec![MeetingReply::default().decline()],
        MessageDisposition::SendOnly,
    );
    let error = unanchored.validate().unwrap_err();
    assert!(error.to_string().contains("ReferenceItemId"), "{error}");

    // RemoveItem sends nothing, so it needs no disposition.
    let mut remove = CreateItem::respond(
        vec![RemoveItem::for_cancellation(meeting_id()).into()],
        MessageDisposition::SaveOnly,
    );
    remove.message_disposition = None;
    assert!(remove.validate().is_ok());
}

#[test]
fn fields_a_response_object_cannot_carry_are_refused_rather_than_dropped() {
    let mut reply = MeetingReply::for_meeting(meeting_id()).with_text("ok");
    reply.item.subject = Some("Accepted".into());
    let error = CreateItem::respond(vec![reply.accept()], MessageDisposition::SendOnly)
        .validate()
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error}");

    let mut cancel = CancelCalendarItem::for_meeting(meeting_id(), Body::text("Off"));
    cancel.item = ItemFields {
        subject: Some("Cancelled".into()),
        body: Some(Body::text("Sorry")),
        ..ItemFields::default()
    };
    let ok = CreateItem::respond(vec![cancel.clone().into()], MessageDisposition::SendOnly);
    assert!(ok.validate().is_ok());
    cancel.item.categories = Some(vec!["CRM".into()]);
    assert!(
        CreateItem::respond(vec![cancel.into()], MessageDisposition::SendOnly)
            .validate()
            .is_err()
    );
}

#[test]
fn calendar_updates_and_deletes_without_meeting_notices_are_refused() {
    use ews_types::operations::{
        DeleteItem, DeleteType, FieldUpdate, ItemUpdate, SendMeetingNotices, SendMeetingUpdates,
        UpdateItem,
    };
    use ews_types::types::{ItemRef, PropertyPath};
    let occurrence = ItemRef::Occurrence {
        recurring_master_id: "AAMkMaster".into(),
        change_key: Some("DwAAAB".into()),
        instance_index: 2,
    };
    // Any change to an occurrence is a calendar write, even one that only touches an item field.
    let change = ItemUpdate {
        item: occurrence.clone(),
        updates: vec![FieldUpdate::Delete(PropertyPath::field("item:Categories"))],
    };
    let update = UpdateItem::calendar(vec![change.clone()], SendMeetingUpdates::SendToNone);
    assert!(update.validate().is_ok());
    let unannounced = UpdateItem::never_overwrite(vec![change]);
    let error = unannounced.validate().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("SendMeetingInvitationsOrCancellations"),
        "{error}"
    );

    let delete = DeleteItem::meeting(
        DeleteType::HardDelete,
        [occurrence.clone()],
        SendMeetingNotices::SendOnlyToAll,
    );
    assert!(delete.validate().is_ok());
    let mut silent = delete;
    silent.send_meeting_cancellations = None;
    let error = silent.validate().unwrap_err();
    assert!(
        error.to_string().contains("SendMeetingCancellations"),
        "{error}"
    );
}

#[test]
fn calendar_views_must_be_a_forward_window_of_at_most_two_years() {
    use ews_types::operations::FindItem;
    use ews_types::types::DistinguishedFolderName;
    let at = |text: &str| text.parse::<jiff::Timestamp>().unwrap();
    let view = |start: &str, end: &str, max: i32| {
        FindItem::calendar_view(DistinguishedFolderName::Calendar, at(start), at(end), max)
    };
    assert!(
        view("2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z", 10)
            .validate()
            .is_ok()
    );
    for refused in [
        view("2026-01-01T00:00:00Z", "2028-01-01T00:00:01Z", 10),
        view("2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 10),
        view("2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z", 10),
        view("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", 0),
    ] {
        assert!(refused.validate().is_err(), "{refused:?}");
    }
}
