//! The EWS endpoint over loopback HTTP, driven with `ews-types` requests: every operation it serves,
//! with the semantics a sync engine relies on.

mod support;

use ews_types::category_list::{Category, CategoryList};
use ews_types::folders::{Folder, FolderKind};
use ews_types::items::{Attendee, CalendarItem, Contact, Item, Message, ResponseType};
use ews_types::operations::*;
use ews_types::response::{ResponseClass, ResponseCode};
use ews_types::restriction::SearchExpression;
use ews_types::types::*;
use exchange_sim::Simulator;
use jiff::Timestamp;
use support::{Answer, basic, call, header, typed};

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";

async fn sim() -> Simulator {
    Simulator::builder()
        .user(ALICE, "alice-pw")
        .user(BOB, "bob-pw")
        .service_account("svc@contoso.example", "svc-pw")
        .start()
        .await
        .unwrap()
}

fn alice() -> String {
    basic(ALICE, "alice-pw")
}

fn message(subject: &str) -> Item {
    let mut m = Message::default();
    m.item.subject = Some(subject.to_owned());
    Item::from(m)
}

fn code<B>(messages: &ews_types::response::ResponseMessages<B>) -> Vec<String> {
    messages
        .messages
        .iter()
        .map(|m| m.code.as_ref().map_or("", |c| c.as_str()).to_owned())
        .collect()
}

async fn create(sim: &Simulator, folder: DistinguishedFolderName, items: Vec<Item>) -> Vec<ItemId> {
    let op = CreateItem::save(folder, items);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    r.into_results()
        .into_iter()
        .map(|m| m.unwrap().items.unwrap().remove(0).id().unwrap().clone())
        .collect()
}

async fn get(
    sim: &Simulator,
    id: &ItemId,
    shape: ItemShape,
) -> Result<Item, ews_types::response::ResponseError> {
    let op = GetItem::new(shape, [id.clone()]);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    r.into_results()
        .remove(0)
        .map(|m| m.items.unwrap().remove(0))
}

#[tokio::test]
async fn folders_are_read_listed_created_and_synced() {
    let sim = sim().await;
    let url = sim.ews_url();
    let r = typed(
        &url,
        &header(),
        &GetFolder::distinguished(DistinguishedFolderName::Inbox),
        &alice(),
    )
    .await;
    let inbox = r
        .into_results()
        .remove(0)
        .unwrap()
        .folders
        .unwrap()
        .remove(0);
    assert_eq!(inbox.fields.display_name.as_deref(), Some("Inbox"));
    assert_eq!(inbox.unread_count, Some(0));

    let create = CreateFolder::new(
        DistinguishedFolderName::Inbox,
        Folder::new(FolderKind::Folder, "Customers"),
    );
    let r = typed(&url, &header(), &create, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let again = typed(&url, &header(), &create, &alice()).await;
    assert_eq!(code(&again), ["ErrorFolderExists"]);

    let r = typed(
        &url,
        &header(),
        &FindFolder::deep(DistinguishedFolderName::MsgFolderRoot),
        &alice(),
    )
    .await;
    let names: Vec<String> = r
        .into_results()
        .remove(0)
        .unwrap()
        .root_folder
        .unwrap()
        .folders
        .iter()
        .filter_map(|f| f.fields.display_name.clone())
        .collect();
    assert!(
        names.contains(&"Customers".to_owned()) && names.contains(&"Calendar".to_owned()),
        "{names:?}"
    );

    let sync = SyncFolderHierarchy {
        folder_shape: FolderShape::new(BaseShape::IdOnly),
        sync_folder_id: None,
        sync_state: None,
    };
    let r = typed(&url, &header(), &sync, &alice()).await;
    let first = r.into_results().remove(0).unwrap();
    assert!(first.changes.as_ref().unwrap().len() >= 12);
    let resume = SyncFolderHierarchy {
        sync_state: first.sync_state.clone(),
        ..sync.clone()
    };
    let r = typed(&url, &header(), &resume, &alice()).await;
    assert!(
        r.into_results()
            .remove(0)
            .unwrap()
            .changes
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn change_keys_move_on_every_write_and_stale_ones_conflict() {
    let sim = sim().await;
    let id = create(&sim, DistinguishedFolderName::Inbox, vec![message("v1")])
        .await
        .remove(0);
    let set_subject = |id: &ItemId, subject: &str| {
        UpdateItem::never_overwrite(vec![ItemUpdate {
            item: ItemRef::Id(id.clone()),
            updates: vec![FieldUpdate::Set {
                path: PropertyPath::field("item:Subject"),
                item: message(subject),
            }],
        }])
    };
    let r = typed(&sim.ews_url(), &header(), &set_subject(&id, "v2"), &alice()).await;
    let updated = first_id!(r);
    assert_eq!(updated.id, id.id, "an update keeps the id");
    assert_ne!(
        updated.change_key, id.change_key,
        "an update changes the change key"
    );

    // The old change key is stale now.
    let r = typed(&sim.ews_url(), &header(), &set_subject(&id, "v3"), &alice()).await;
    assert_eq!(code(&r), ["ErrorIrresolvableConflict"]);
    let read = get(&sim, &updated, ItemShape::new(BaseShape::AllProperties))
        .await
        .unwrap();
    assert_eq!(read.fields().subject.as_deref(), Some("v2"));

    // AlwaysOverwrite applies it anyway; a missing change key is refused.
    let mut overwrite = set_subject(&id, "v3");
    overwrite.conflict_resolution = ConflictResolution::AlwaysOverwrite;
    let r = typed(&sim.ews_url(), &header(), &overwrite, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let r = typed(
        &sim.ews_url(),
        &header(),
        &set_subject(&ItemId::new(id.id.clone()), "v4"),
        &alice(),
    )
    .await;
    assert_eq!(code(&r), ["ErrorChangeKeyRequiredForWriteOperations"]);
}

#[tokio::test]
async fn update_sets_appends_and_deletes_properties_including_extended_ones() {
    let sim = sim().await;
    let crm = ExtendedFieldUri::named(
        "c11ff724-aa03-4555-9952-8fa248a11c3e",
        "CrmId",
        MapiPropertyType::String,
    );
    let mut contact = Contact {
        display_name: Some("Ann Example".into()),
        ..Contact::default()
    };
    contact.item.categories = Some(vec!["CRM".into()]);
    let id = create(
        &sim,
        DistinguishedFolderName::Contacts,
        vec![Item::from(contact)],
    )
    .await
    .remove(0);
    let mut with_key = Contact::default();
    with_key
        .item
        .extended_properties
        .push(ExtendedProperty::new(crm.clone(), "4711"));
    with_key.company_name = Some("Fabrikam".into());
    let op = UpdateItem::never_overwrite(vec![ItemUpdate {
        item: ItemRef::Id(id.clone()),
        updates: vec![
            FieldUpdate::Set {
                path: PropertyPath::Extended(crm.clone()),
                item: Item::from(with_key.clone()),
            },
            FieldUpdate::Set {
                path: PropertyPath::field("contacts:CompanyName"),
                item: Item::from(with_key),
            },
            FieldUpdate::Delete(PropertyPath::field("item:Categories")),
        ],
    }]);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    let new_id = first_id!(r);
    let shape = ItemShape::new(BaseShape::AllProperties)
        .with_properties([PropertyPath::Extended(crm.clone())]);
    let Item::Contact(read) = get(&sim, &new_id, shape).await.unwrap() else {
        panic!()
    };
    assert_eq!(read.company_name.as_deref(), Some("Fabrikam"));
    assert_eq!(read.item.categories, None);
    assert_eq!(
        read.item.extended_properties[0].value.as_deref(),
        Some("4711")
    );
    // Extended properties come back only when asked for.
    let Item::Contact(plain) = get(&sim, &new_id, ItemShape::new(BaseShape::AllProperties))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert!(plain.item.extended_properties.is_empty());
    // A property the kind does not have is refused, and nothing of the change is applied.
    let bad = UpdateItem::never_overwrite(vec![ItemUpdate {
        item: ItemRef::Id(new_id.clone()),
        updates: vec![
            FieldUpdate::Delete(PropertyPath::field("contacts:CompanyName")),
            FieldUpdate::Set {
                path: PropertyPath::field("calendar:Location"),
                item: message("x"),
            },
        ],
    }]);
    let r = typed(&sim.ews_url(), &header(), &bad, &alice()).await;
    assert_eq!(r.messages[0].class(), ResponseClass::Error);
    let Item::Contact(read) = get(&sim, &new_id, ItemShape::new(BaseShape::AllProperties))
        .await
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(read.company_name.as_deref(), Some("Fabrikam"));
}

#[tokio::test]
async fn a_move_changes_the_id_and_the_old_id_is_gone() {
    let sim = sim().await;
    let id = create(
        &sim,
        DistinguishedFolderName::Inbox,
        vec![message("moving")],
    )
    .await
    .remove(0);
    let op = MoveItem::new(DistinguishedFolderName::DeletedItems, [id.clone()]);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    let moved = first_id!(r);
    assert_ne!(moved.id, id.id);
    assert_eq!(
        moved.change_key, id.change_key,
        "a move alone is not a change of the item"
    );
    let gone = get(&sim, &id, ItemShape::id_only()).await.unwrap_err();
    assert_eq!(gone.code, Some(ResponseCode::ErrorItemNotFound));
    let read = get(&sim, &moved, ItemShape::new(BaseShape::Default))
        .await
        .unwrap();
    assert_eq!(read.fields().subject.as_deref(), Some("moving"));
    let deleted_items = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::DeletedItems)
        .unwrap();
    assert_eq!(
        read.fields().parent_folder_id.as_ref().map(|f| &f.id),
        Some(&deleted_items.id)
    );

    let copy = CopyItem::new(DistinguishedFolderName::Inbox, [moved.clone()]);
    let r = typed(&sim.ews_url(), &header(), &copy, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let inbox = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::Inbox)
        .unwrap();
    assert_eq!(sim.store().item_count(ALICE, &inbox).unwrap(), 1);
}

#[tokio::test]
async fn find_item_pages_filters_and_sorts() {
    let sim = sim().await;
    let items = (0..25)
        .map(|i| message(&format!("report {i:02}")))
        .collect();
    create(&sim, DistinguishedFolderName::Drafts, items).await;
    let mut op = FindItem::new(DistinguishedFolderName::Drafts, 10);
    let mut seen = Vec::new();
    loop {
        let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
        let root = r.into_results().remove(0).unwrap().root_folder.unwrap();
        assert_eq!(root.paging.total_items_in_view, Some(25));
        seen.extend(root.items.iter().map(|i| i.id().unwrap().id.clone()));
        if root.paging.includes_last_item_in_range == Some(true) {
            break;
        }
        op.view = Some(ItemView::Indexed(IndexedPageView::new(
            10,
            root.paging.indexed_paging_offset.unwrap(),
        )));
    }
    assert_eq!(seen.len(), 25);
    seen.dedup();
    assert_eq!(seen.len(), 25);

    op.view = None;
    op.item_shape = ItemShape::new(BaseShape::Default);
    op.restriction = Some(SearchExpression::contains(
        PropertyPath::field("item:Subject"),
        "REPORT 1",
    ));
    op.sort_order = Some(vec![FieldOrder {
        order: SortDirection::Ascending,
        path: PropertyPath::field("item:Subject"),
    }]);
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    let subjects: Vec<String> = r
        .into_results()
        .remove(0)
        .unwrap()
        .root_folder
        .unwrap()
        .items
        .iter()
        .map(|i| i.fields().subject.clone().unwrap())
        .collect();
    assert_eq!(
        subjects,
        (10..20).map(|i| format!("report {i}")).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn sync_reports_creates_updates_read_flags_and_deletes_once() {
    let sim = sim().await;
    let ids = create(
        &sim,
        DistinguishedFolderName::Inbox,
        (0..5).map(|i| message(&format!("m{i}"))).collect(),
    )
    .await;
    let sync =
        |state: Option<String>| SyncFolderItems::new(DistinguishedFolderName::Inbox, state, 3);
    let run = |op: SyncFolderItems| {
        let url = sim.ews_url();
        async move {
            let r = typed(&url, &header(), &op, &alice()).await;
            r.into_results().remove(0)
        }
    };
    let first = run(sync(None)).await.unwrap();
    assert_eq!(first.changes.as_ref().unwrap().len(), 3);
    assert_eq!(first.includes_last_item_in_range, Some(false));
    let second = run(sync(first.sync_state.clone())).await.unwrap();
    assert_eq!(second.changes.as_ref().unwrap().len(), 2);
    assert_eq!(second.includes_last_item_in_range, Some(true));
    assert!(
        second
            .changes
            .unwrap()
            .iter()
            .all(|c| matches!(c, ItemChange::Create(_)))
    );

    let read = Message {
        is_read: Some(true),
        ..Message::default()
    };
    let mark_read = UpdateItem::never_overwrite(vec![ItemUpdate {
        item: ItemRef::Id(ids[0].clone()),
        updates: vec![FieldUpdate::Set {
            path: PropertyPath::field("message:IsRead"),
            item: Item::from(read),
        }],
    }]);
    call(&sim.ews_url(), &header(), &mark_read, &alice())
        .await
        .response();
    let delete = DeleteItem::new(DeleteType::HardDelete, [ids[1].clone()]);
    call(&sim.ews_url(), &header(), &delete, &alice())
        .await
        .response();
    sim.store()
        .update_item(ALICE, &ids[2], |item| {
            item.fields_mut().subject = Some("edited".into())
        })
        .unwrap();
    let third = run(sync(second.sync_state.clone())).await.unwrap();
    let changes = third.changes.unwrap();
    assert_eq!(changes.len(), 3);
    assert!(
        matches!(&changes[0], ItemChange::ReadFlagChange { is_read: true, item_id } if item_id.id == ids[0].id)
    );
    assert!(matches!(&changes[1], ItemChange::Delete(id) if id.id == ids[1].id));
    assert!(matches!(&changes[2], ItemChange::Update(item) if item.id().unwrap().id == ids[2].id));

    // A garbled state is refused, not read as another position.
    let state = third.sync_state.clone().unwrap();
    let flipped = if &state[12..13] == "Q" { "R" } else { "Q" };
    let garbled = format!("{}{flipped}{}", &state[..12], &state[13..]);
    let refused = run(sync(Some(garbled))).await.unwrap_err();
    assert_eq!(refused.code, Some(ResponseCode::ErrorInvalidSyncStateData));
    let truncated = third.sync_state.unwrap()[..10].to_owned();
    assert_eq!(
        run(sync(Some(truncated))).await.unwrap_err().code,
        Some(ResponseCode::ErrorInvalidSyncStateData)
    );
    // A state of another folder is refused too.
    let other = SyncFolderItems::new(DistinguishedFolderName::Drafts, first.sync_state, 3);
    assert_eq!(
        run(other).await.unwrap_err().code,
        Some(ResponseCode::ErrorInvalidSyncStateData)
    );
}

#[tokio::test]
async fn sent_messages_and_meeting_invitations_land_in_other_mailboxes() {
    let sim = sim().await;
    let mut mail = Message::default();
    mail.item.subject = Some("Hello Bob".into());
    mail.to_recipients = Some(vec![EmailAddress::smtp(BOB)]);
    let op = CreateItem {
        message_disposition: Some(MessageDisposition::SendAndSaveCopy),
        send_meeting_invitations: None,
        saved_item_folder_id: None,
        items: vec![Item::from(mail)],
    };
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let bob_inbox = sim
        .store()
        .folder_id(BOB, DistinguishedFolderName::Inbox)
        .unwrap();
    let delivered = sim.store().items(BOB, &bob_inbox).unwrap();
    assert_eq!(delivered[0].fields().subject.as_deref(), Some("Hello Bob"));
    let sent = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::SentItems)
        .unwrap();
    assert_eq!(sim.store().item_count(ALICE, &sent).unwrap(), 1);

    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let mut meeting = CalendarItem::default();
    meeting.item.subject = Some("Planning".into());
    meeting.start = Some(start);
    meeting.end = Some(start + jiff::SignedDuration::from_hours(1));
    meeting.required_attendees = Some(vec![Attendee::from(EmailAddress::smtp(BOB))]);
    let invite = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![Item::from(meeting.clone())],
        SendMeetingNotices::SendToAllAndSaveCopy,
    );
    let r = typed(&sim.ews_url(), &header(), &invite, &alice()).await;
    let meeting_id = first_id!(r);
    let bob_calendar = sim
        .store()
        .folder_id(BOB, DistinguishedFolderName::Calendar)
        .unwrap();
    let copies = sim.store().items(BOB, &bob_calendar).unwrap();
    let Item::CalendarItem(copy) = &copies[0] else {
        panic!()
    };
    assert_eq!(copy.item.subject.as_deref(), Some("Planning"));
    assert_eq!(
        copy.my_response_type,
        Some(ResponseType::NoResponseReceived)
    );
    let kinds: Vec<String> = sim
        .store()
        .items(BOB, &bob_inbox)
        .unwrap()
        .iter()
        .map(|i| i.kind().to_owned())
        .collect();
    assert!(kinds.contains(&"MeetingRequest".to_owned()), "{kinds:?}");

    // Without SendMeetingInvitations the request is refused, as Exchange does.
    let mut no_notices = invite.clone();
    no_notices.send_meeting_invitations = None;
    let r = typed(&sim.ews_url(), &header(), &no_notices, &alice()).await;
    assert_eq!(code(&r), ["ErrorSendMeetingInvitationsRequired"]);

    let mut cancel = DeleteItem::new(DeleteType::MoveToDeletedItems, [meeting_id]);
    cancel.send_meeting_cancellations = Some(SendMeetingNotices::SendToAllAndSaveCopy);
    let r = typed(&sim.ews_url(), &header(), &cancel, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let Item::CalendarItem(copy) = &sim.store().items(BOB, &bob_calendar).unwrap()[0] else {
        panic!()
    };
    assert_eq!(copy.is_cancelled, Some(true));
}

#[tokio::test]
async fn drafts_are_sent_with_send_item() {
    let sim = sim().await;
    let mut draft = Message::default();
    draft.item.subject = Some("Draft".into());
    draft.to_recipients = Some(vec![EmailAddress::smtp(BOB)]);
    let id = create(
        &sim,
        DistinguishedFolderName::Drafts,
        vec![Item::from(draft)],
    )
    .await
    .remove(0);
    let r = typed(&sim.ews_url(), &header(), &SendItem::new([id]), &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let drafts = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::Drafts)
        .unwrap();
    let sent = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::SentItems)
        .unwrap();
    let bob_inbox = sim
        .store()
        .folder_id(BOB, DistinguishedFolderName::Inbox)
        .unwrap();
    assert_eq!(sim.store().item_count(ALICE, &drafts).unwrap(), 0);
    assert_eq!(sim.store().item_count(ALICE, &sent).unwrap(), 1);
    assert_eq!(sim.store().item_count(BOB, &bob_inbox).unwrap(), 1);
}

#[tokio::test]
async fn the_master_category_list_is_read_and_written() {
    let sim = sim().await;
    let r = typed(
        &sim.ews_url(),
        &header(),
        &GetUserConfiguration::category_list(),
        &alice(),
    )
    .await;
    let configuration = r
        .into_results()
        .remove(0)
        .unwrap()
        .user_configuration
        .unwrap();
    let mut list =
        CategoryList::from_xml_data(configuration.content.xml_data.as_deref().unwrap()).unwrap();
    assert!(list.find("red category").is_some());
    list.add(Category::new(
        "CRM",
        7,
        "{6B1C3A52-4F3D-4D4C-9E1A-0A0B0C0D0E0F}",
    ));
    let update = UpdateUserConfiguration::new(UserConfiguration {
        name: UserConfigurationName::category_list(),
        content: UserConfigurationContent {
            xml_data: Some(list.to_xml_data()),
            ..Default::default()
        },
    });
    let r = typed(&sim.ews_url(), &header(), &update, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    assert_eq!(
        sim.store()
            .categories(ALICE)
            .unwrap()
            .find("crm")
            .unwrap()
            .color,
        7
    );
    assert!(sim.store().categories(BOB).unwrap().find("crm").is_none());
}

#[tokio::test]
async fn deletes_need_their_meeting_and_task_attributes() {
    let sim = sim().await;
    let mut meeting = CalendarItem::default();
    meeting.item.subject = Some("Solo".into());
    let op = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![Item::from(meeting)],
        SendMeetingNotices::SendToNone,
    );
    let r = typed(&sim.ews_url(), &header(), &op, &alice()).await;
    let id = first_id!(r);
    let mut delete = DeleteItem::new(DeleteType::HardDelete, [id.clone()]);
    delete.send_meeting_cancellations = None;
    let r = typed(&sim.ews_url(), &header(), &delete, &alice()).await;
    assert_eq!(code(&r), ["ErrorSendMeetingCancellationsRequired"]);
    let delete = DeleteItem::new(DeleteType::HardDelete, [id.clone()]);
    let r = typed(&sim.ews_url(), &header(), &delete, &alice()).await;
    assert_eq!(code(&r), ["NoError"]);
    let r = typed(&sim.ews_url(), &header(), &delete, &alice()).await;
    assert_eq!(code(&r), ["ErrorItemNotFound"]);
}

#[tokio::test]
async fn the_request_log_counts_round_trips() {
    let sim = sim().await;
    create(&sim, DistinguishedFolderName::Inbox, vec![message("a")]).await;
    let _ = call(
        &sim.ews_url(),
        &header(),
        &GetFolder::distinguished(DistinguishedFolderName::Inbox),
        &basic(ALICE, "wrong"),
    )
    .await;
    let log = sim.requests();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].operation, "CreateItem");
    assert_eq!(log[0].mailbox.as_deref(), Some(ALICE));
    assert_eq!(log[0].status, 200);
    assert_eq!(log[1].status, 401);
    assert_eq!(sim.count_requests(|e| e.operation == "GetFolder"), 1);
    assert!(matches!(
        call(
            &sim.ews_url(),
            &header(),
            &GetFolder::distinguished(DistinguishedFolderName::Inbox),
            &basic(ALICE, "wrong")
        )
        .await,
        Answer::Http(401, _)
    ));
}

#[tokio::test]
async fn resolve_names_finds_mailboxes_and_contacts() {
    let sim = Simulator::builder()
        .user(ALICE, "alice-pw")
        .user_named("albert@contoso.example", "Albert Example", "pw")
        .start()
        .await
        .unwrap();
    let mut contact = Contact {
        display_name: Some("Zelda Customer".into()),
        ..Contact::default()
    };
    contact.email_addresses = Some(vec![ews_types::items::EmailAddressEntry {
        key: "EmailAddress1".into(),
        address: "zelda@fabrikam.example".into(),
        ..Default::default()
    }]);
    create(
        &sim,
        DistinguishedFolderName::Contacts,
        vec![Item::from(contact)],
    )
    .await;
    let one = typed(
        &sim.ews_url(),
        &header(),
        &ResolveNames::new("ali"),
        &alice(),
    )
    .await;
    let set = one.messages[0]
        .clone()
        .into_result()
        .unwrap()
        .resolution_set
        .unwrap();
    assert_eq!(
        set.resolutions[0].mailbox.email_address.as_deref(),
        Some(ALICE)
    );
    assert_eq!(one.messages[0].class(), ResponseClass::Success);

    let many = typed(
        &sim.ews_url(),
        &header(),
        &ResolveNames::new("al"),
        &alice(),
    )
    .await;
    assert_eq!(
        many.messages[0].class(),
        ResponseClass::Warning,
        "{:?}",
        many.messages[0]
    );
    assert_eq!(code(&many), ["ErrorNameResolutionMultipleResults"]);
    assert_eq!(
        many.messages[0]
            .clone()
            .into_result()
            .unwrap()
            .resolution_set
            .unwrap()
            .resolutions
            .len(),
        2
    );

    let contact = typed(
        &sim.ews_url(),
        &header(),
        &ResolveNames::new("zelda"),
        &alice(),
    )
    .await;
    let set = contact.messages[0]
        .clone()
        .into_result()
        .unwrap()
        .resolution_set
        .unwrap();
    assert_eq!(
        set.resolutions[0].mailbox.mailbox_type,
        Some(MailboxType::Contact)
    );

    let none = typed(
        &sim.ews_url(),
        &header(),
        &ResolveNames::new("nobody"),
        &alice(),
    )
    .await;
    assert_eq!(code(&none), ["ErrorNameResolutionNoResults"]);
}

#[tokio::test]
async fn availability_is_computed_from_the_calendars() {
    use ews_types::availability::{
        FreeBusyViewType, MailboxData, SerializableTimeZone, TimeWindow,
    };
    let sim = sim().await;
    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let mut meeting = CalendarItem::default();
    meeting.item.subject = Some("Planning".into());
    meeting.start = Some(start);
    meeting.end = Some(start + jiff::SignedDuration::from_hours(1));
    meeting.required_attendees = Some(vec![Attendee::from(EmailAddress::smtp(BOB))]);
    let invite = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![Item::from(meeting)],
        SendMeetingNotices::SendToAllAndSaveCopy,
    );
    typed(&sim.ews_url(), &header(), &invite, &alice()).await;
    let window = TimeWindow::new(
        "2026-03-02T08:00:00".parse().unwrap(),
        "2026-03-02T11:00:00".parse().unwrap(),
    );
    let request = GetUserAvailability::free_busy(
        SerializableTimeZone::utc(),
        [
            MailboxData::required(ALICE),
            MailboxData::required(BOB),
            MailboxData::required("nobody@contoso.example"),
        ],
        window,
        FreeBusyViewType::DetailedMerged,
    );
    let r = typed(&sim.ews_url(), &header(), &request, &alice()).await;
    let answers = r.free_busy_responses.unwrap();
    let alice_view = answers[0].free_busy_view.as_ref().unwrap();
    assert_eq!(alice_view.merged_free_busy.as_deref(), Some("002200"));
    let event = &alice_view.calendar_events.as_ref().unwrap()[0];
    assert_eq!(
        event
            .calendar_event_details
            .as_ref()
            .unwrap()
            .subject
            .as_deref(),
        Some("Planning")
    );
    // Bob has the meeting as tentative until he answers.
    assert_eq!(
        answers[1]
            .free_busy_view
            .as_ref()
            .unwrap()
            .merged_free_busy
            .as_deref(),
        Some("001100")
    );
    assert_eq!(answers[2].class(), ResponseClass::Error);
}

#[tokio::test]
async fn free_busy_expands_recurring_series() {
    use ews_types::availability::{
        FreeBusyViewType, MailboxData, SerializableTimeZone, TimeWindow,
    };
    use ews_types::recurrence::{DayOfWeek, Recurrence, RecurrencePattern, RecurrenceRange};
    let sim = sim().await;
    let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
    let mut weekly = CalendarItem::default();
    weekly.item.subject = Some("Weekly".into());
    weekly.start = Some(start);
    weekly.end = Some(start + jiff::SignedDuration::from_hours(1));
    weekly.recurrence = Some(Recurrence {
        pattern: RecurrencePattern::weekly(1, [DayOfWeek::Monday]),
        range: RecurrenceRange::Numbered {
            start_date: "2026-03-02".parse().unwrap(),
            number_of_occurrences: 3,
        },
    });
    let op = CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![Item::from(weekly)],
        SendMeetingNotices::SendToNone,
    );
    assert_eq!(
        code(&typed(&sim.ews_url(), &header(), &op, &alice()).await),
        ["NoError"]
    );
    let mut request = GetUserAvailability::free_busy(
        SerializableTimeZone::utc(),
        [MailboxData::required(ALICE)],
        TimeWindow::new(
            "2026-03-02T00:00:00".parse().unwrap(),
            "2026-03-30T00:00:00".parse().unwrap(),
        ),
        FreeBusyViewType::FreeBusyMerged,
    );
    if let Some(options) = request.free_busy_view_options.as_mut() {
        options.merged_free_busy_interval_in_minutes = Some(1440);
    }
    let r = typed(&sim.ews_url(), &header(), &request, &alice()).await;
    let view = r
        .free_busy_responses
        .unwrap()
        .remove(0)
        .free_busy_view
        .unwrap();
    // Three Mondays busy, the fourth free: the series has three occurrences.
    assert_eq!(
        view.merged_free_busy.as_deref(),
        Some("2000000200000020000000000000")
    );
    assert_eq!(view.calendar_events.unwrap().len(), 3);
}
