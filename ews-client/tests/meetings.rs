//! Over loopback HTTP: the meeting helpers send the attributes Exchange requires (invitations,
//! cancellations, `NeverOverwrite`, `SendAndSaveCopy`) and surface per-item conflicts.

mod support;

use ews_client::{Error, Mailbox, ManualClock, MeetingAnswer};
use ews_types::items::CalendarItem;
use ews_types::operations::{SendMeetingNotices, SendMeetingUpdates};
use ews_types::response::ResponseCode;
use ews_types::types::{Body, ItemId};
use support::{Server, basic_client, xml};

/// A one-message response of `operation` carrying `inner` (an `Items` element or an error header).
fn answer(operation: &str, class: &str, inner: &str) -> http::Response<bytes::Bytes> {
    xml(
        200,
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:{operation}Response xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages><m:{operation}ResponseMessage ResponseClass="{class}">{inner}</m:{operation}ResponseMessage></m:ResponseMessages></m:{operation}Response></s:Body></s:Envelope>"#
        ),
    )
}

fn calendar_item(change_key: &str) -> String {
    format!(
        r#"<m:ResponseCode>NoError</m:ResponseCode><m:Items><t:CalendarItem><t:ItemId Id="AAMkMeeting" ChangeKey="{change_key}"/></t:CalendarItem></m:Items>"#
    )
}

fn organizer_calendar(exchange: &support::Exchange) -> http::Response<bytes::Bytes> {
    let body = &exchange.body;
    if body.contains("<m:UpdateItem ") {
        if body.contains(r#"ChangeKey="stale""#) {
            return answer(
                "UpdateItem",
                "Error",
                "<m:MessageText>The change key is out of date.</m:MessageText><m:ResponseCode>ErrorIrresolvableConflict</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>",
            );
        }
        return answer("UpdateItem", "Success", &calendar_item("CK2"));
    }
    if body.contains("SendMeetingInvitations=") {
        return answer("CreateItem", "Success", &calendar_item("CK1"));
    }
    answer(
        "CreateItem",
        "Success",
        "<m:ResponseCode>NoError</m:ResponseCode>",
    )
}

fn at(text: &str) -> jiff::Timestamp {
    text.parse().unwrap()
}

#[tokio::test]
async fn the_organizer_creates_reschedules_and_cancels_with_notices() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), organizer_calendar).await;
    let client = basic_client(&server, &clock);
    let alice = client.mailbox(Mailbox::smtp("alice@contoso.com"));

    let meeting = CalendarItem::new(
        "Quarterly review",
        at("2026-03-02T09:00:00Z"),
        at("2026-03-02T10:00:00Z"),
    );
    let created = alice
        .create_meeting(meeting, SendMeetingNotices::SendToAllAndSaveCopy)
        .await
        .unwrap();
    assert_eq!(created, ItemId::with_change_key("AAMkMeeting", "CK1"));

    let moved = alice
        .reschedule_meeting(
            created,
            at("2026-03-03T09:00:00Z"),
            at("2026-03-03T10:00:00Z"),
            SendMeetingUpdates::SendToChangedAndSaveCopy,
        )
        .await
        .unwrap();
    assert_eq!(moved.change_key.as_deref(), Some("CK2"));

    alice
        .cancel_meeting(moved, Body::text("Moved to next quarter."))
        .await
        .unwrap();

    let log = server.log();
    assert!(
        log[0]
            .body
            .contains(r#"SendMeetingInvitations="SendToAllAndSaveCopy""#),
        "{}",
        log[0].body
    );
    assert!(
        log[0]
            .body
            .contains("<t:Subject>Quarterly review</t:Subject>")
    );
    assert!(
        log[1]
            .body
            .contains(r#"ConflictResolution="NeverOverwrite""#)
    );
    assert!(
        log[1]
            .body
            .contains(r#"SendMeetingInvitationsOrCancellations="SendToChangedAndSaveCopy""#)
    );
    assert!(
        log[1]
            .body
            .contains(r#"<t:ItemId Id="AAMkMeeting" ChangeKey="CK1"/>"#)
    );
    assert!(
        log[1]
            .body
            .contains(r#"<t:FieldURI FieldURI="calendar:Start"/>"#)
    );
    assert!(log[1].body.contains("2026-03-03T09:00:00Z"));
    assert!(
        log[2]
            .body
            .contains(r#"MessageDisposition="SendAndSaveCopy""#)
    );
    assert!(log[2].body.contains("<t:CancelCalendarItem>"));
    assert!(
        log[2]
            .body
            .contains(r#"<t:ReferenceItemId Id="AAMkMeeting" ChangeKey="CK2"/>"#)
    );
    assert!(
        log.iter()
            .all(|e| e.header("x-anchormailbox") == Some("alice@contoso.com"))
    );
}

#[tokio::test]
async fn a_stale_change_key_is_a_conflict_not_an_overwrite() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), organizer_calendar).await;
    let client = basic_client(&server, &clock);
    let error = client
        .account()
        .reschedule_meeting(
            ItemId::with_change_key("AAMkMeeting", "stale"),
            at("2026-03-03T09:00:00Z"),
            at("2026-03-03T10:00:00Z"),
            SendMeetingUpdates::SendToAllAndSaveCopy,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Message(_)), "{error}");
    assert_eq!(
        error.response_code(),
        Some(ResponseCode::ErrorIrresolvableConflict)
    );
}

#[tokio::test]
async fn an_attendee_accepts_tentatively_accepts_and_declines() {
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), organizer_calendar).await;
    let client = basic_client(&server, &clock);
    let bob = client.mailbox(Mailbox::smtp("bob@contoso.com"));
    let invitation = ItemId::with_change_key("AAMkRequest", "CK9");
    for answer in [
        MeetingAnswer::Accept,
        MeetingAnswer::TentativelyAccept,
        MeetingAnswer::Decline,
    ] {
        bob.answer_meeting(invitation.clone(), answer, Some("Thanks".into()))
            .await
            .unwrap();
    }
    let log = server.log();
    for (exchange, element) in log.iter().zip([
        "<t:AcceptItem>",
        "<t:TentativelyAcceptItem>",
        "<t:DeclineItem>",
    ]) {
        assert!(exchange.body.contains(element), "{}", exchange.body);
        assert!(
            exchange
                .body
                .contains(r#"MessageDisposition="SendAndSaveCopy""#)
        );
        assert!(
            exchange
                .body
                .contains(r#"<t:ReferenceItemId Id="AAMkRequest" ChangeKey="CK9"/>"#)
        );
        assert!(exchange.body.contains("Thanks"));
    }
}
