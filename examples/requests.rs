//! One representative request per supported EWS operation.

use ews_types::availability::{
    DayOfWeek, ExternalAudience, FreeBusyViewType, MailboxAddress, MailboxData,
    MeetingAttendeeType, ReplyBody, SerializableTimeZone, SerializableTimeZoneTime,
    SuggestionQuality, SuggestionsViewOptions, TimeWindow, UserOofSettings,
};
use ews_types::category_list::{Category, CategoryList};
use ews_types::folders::{Folder, FolderKind};
use ews_types::items::{
    Attendee, CalendarItem, Contact, DictionaryEntry as PhoneEntry, EmailAddressEntry, Item,
    ItemFields, LegacyFreeBusyStatus, Message, MimeContent, PhysicalAddressEntry, PostalAddress,
    Task, TaskStatus,
};
use ews_types::operations::*;
use ews_types::restriction::{ContainmentComparison, ContainmentMode, Operand, SearchExpression};
use ews_types::soap::request_body;
use ews_types::types::{
    BasePoint, BaseShape, Body, BodyTypeResponse, DistinguishedFolderId, DistinguishedFolderName,
    EmailAddress, ExtendedFieldUri, ExtendedProperty, FieldOrder, FolderId, FolderRef, FolderShape,
    FractionalPageView, Importance, IndexedPageView, ItemId, ItemRef, ItemShape, MailboxType,
    MapiPropertyType, PropertyPath, PropertySet, Sensitivity, SortDirection,
};

fn ts(text: &str) -> jiff::Timestamp {
    text.parse().expect("a valid timestamp literal")
}

const CRM_PROPERTY_SET: &str = "{3D7B2F9C-1E4A-4B8D-9C6E-2A5F0B1D7E3C}";

fn correlation_property() -> ExtendedFieldUri {
    ExtendedFieldUri::named(
        CRM_PROPERTY_SET,
        "CrmCorrelationKey",
        MapiPropertyType::String,
    )
}

fn full_item_fields(subject: &str) -> ItemFields {
    ItemFields {
        mime_content: None,
        item_class: Some("IPM.Note".into()),
        subject: Some(subject.into()),
        sensitivity: Some(Sensitivity::Normal),
        body: Some(Body::html("<p>Hello &amp; welcome</p>")),
        categories: Some(vec!["CRM".into(), "Key account".into()]),
        importance: Some(Importance::High),
        reminder_due_by: Some(ts("2026-12-01T08:45:00Z")),
        reminder_is_set: Some(true),
        reminder_minutes_before_start: Some(15),
        extended_properties: vec![
            ExtendedProperty::new(correlation_property(), "crm-7f3a9"),
            ExtendedProperty {
                field_uri: Some(ExtendedFieldUri::in_set(
                    PropertySet::Common,
                    0x8539,
                    MapiPropertyType::StringArray,
                )),
                value: None,
                values: Some(vec!["a".into(), "b".into()]),
            },
        ],
        culture: Some("en-US".into()),
        ..ItemFields::default()
    }
}

fn message() -> Message {
    Message {
        item: full_item_fields("Quote for 40 seats"),
        to_recipients: Some(vec![EmailAddress::named(
            "Dana Whitfield",
            "dana@fabrikam.example",
        )]),
        cc_recipients: Some(vec![EmailAddress::smtp("sales@contoso.example")]),
        bcc_recipients: Some(vec![EmailAddress {
            mailbox_type: Some(MailboxType::Mailbox),
            ..EmailAddress::smtp("archive@contoso.example")
        }]),
        is_read_receipt_requested: Some(false),
        is_delivery_receipt_requested: Some(true),
        from: Some(EmailAddress::named("Alice Jones", "alice@contoso.example").into()),
        internet_message_id: Some("<crm-7f3a9@contoso.example>".into()),
        is_read: Some(false),
        references: Some("<earlier@contoso.example>".into()),
        reply_to: Some(vec![EmailAddress::smtp("replies@contoso.example")]),
        ..Message::default()
    }
}

fn contact() -> Contact {
    Contact {
        item: ItemFields {
            categories: Some(vec!["CRM".into()]),
            ..ItemFields::default()
        },
        file_as: Some("Whitfield, Dana".into()),
        display_name: Some("Dana Whitfield".into()),
        given_name: Some("Dana".into()),
        middle_name: Some("R.".into()),
        nickname: Some("Dee".into()),
        company_name: Some("Fabrikam".into()),
        email_addresses: Some(vec![EmailAddressEntry {
            key: "EmailAddress1".into(),
            name: Some("Dana Whitfield".into()),
            routing_type: Some("SMTP".into()),
            mailbox_type: Some(MailboxType::Contact),
            address: "dana@fabrikam.example".into(),
        }]),
        physical_addresses: Some(vec![PhysicalAddressEntry {
            key: "Business".into(),
            address: PostalAddress {
                street: Some("1 Harbour Way".into()),
                city: Some("Bristol".into()),
                state: Some("Avon".into()),
                country_or_region: Some("United Kingdom".into()),
                postal_code: Some("BS1 5TY".into()),
            },
        }]),
        phone_numbers: Some(vec![PhoneEntry::new("BusinessPhone", "+44 117 496 0000")]),
        birthday: Some(ts("1984-03-02T00:00:00Z")),
        business_home_page: Some("https://fabrikam.example".into()),
        children: Some(vec!["Sam".into()]),
        companies: Some(vec!["Fabrikam".into()]),
        department: Some("Purchasing".into()),
        generation: Some("Jr.".into()),
        im_addresses: Some(vec![PhoneEntry::new(
            "ImAddress1",
            "dana@im.fabrikam.example",
        )]),
        job_title: Some("Buyer".into()),
        manager: Some("Lee".into()),
        mileage: Some("12".into()),
        office_location: Some("Floor 3".into()),
        profession: Some("Procurement".into()),
        spouse_name: Some("Kim".into()),
        surname: Some("Whitfield".into()),
        wedding_anniversary: Some(ts("2010-06-12T00:00:00Z")),
        ..Contact::default()
    }
}

fn task() -> Task {
    Task {
        item: ItemFields {
            subject: Some("Send contract".into()),
            ..ItemFields::default()
        },
        actual_work: Some(30),
        billing_information: Some("Project 12".into()),
        companies: Some(vec!["Fabrikam".into()]),
        contacts: Some(vec!["Dana Whitfield".into()]),
        due_date: Some(ts("2026-12-04T17:00:00Z")),
        mileage: Some("0".into()),
        percent_complete: Some(50.0),
        start_date: Some(ts("2026-11-30T09:00:00Z")),
        status: Some(TaskStatus::InProgress),
        total_work: Some(60),
        ..Task::default()
    }
}

fn meeting() -> CalendarItem {
    CalendarItem {
        item: ItemFields {
            subject: Some("Renewal call".into()),
            categories: Some(vec!["CRM".into()]),
            ..ItemFields::default()
        },
        start: Some(ts("2026-12-02T09:00:00Z")),
        end: Some(ts("2026-12-02T09:30:00Z")),
        is_all_day_event: Some(false),
        legacy_free_busy_status: Some(LegacyFreeBusyStatus::Busy),
        location: Some("Teams".into()),
        is_response_requested: Some(true),
        required_attendees: Some(vec![Attendee::from(EmailAddress::smtp(
            "dana@fabrikam.example",
        ))]),
        optional_attendees: Some(vec![Attendee::from(EmailAddress::smtp(
            "lee@fabrikam.example",
        ))]),
        resources: Some(vec![Attendee::from(EmailAddress::smtp(
            "room-3@contoso.example",
        ))]),
        allow_new_time_proposal: Some(true),
        is_online_meeting: Some(false),
        meeting_workspace_url: Some("https://contoso.example/ws".into()),
        net_show_url: Some("https://contoso.example/live".into()),
        ..CalendarItem::default()
    }
}

fn item_id(n: u32) -> ItemId {
    ItemId::with_change_key(format!("AAMkAGI2TG93AAA={n}"), "CQAAABYAAAD")
}

fn full_item_shape() -> ItemShape {
    ItemShape {
        base_shape: BaseShape::Default,
        include_mime_content: Some(false),
        body_type: Some(BodyTypeResponse::Text),
        unique_body_type: Some(BodyTypeResponse::Html),
        normalized_body_type: Some(BodyTypeResponse::Best),
        filter_html_content: Some(true),
        convert_html_code_page_to_utf8: Some(true),
        inline_image_url_template: Some("cid:{0}".into()),
        block_external_images: Some(true),
        add_blank_target_to_links: Some(true),
        maximum_body_size: Some(65536),
        additional_properties: Some(vec![
            PropertyPath::field("item:Categories"),
            PropertyPath::Indexed {
                field_uri: "contacts:EmailAddress".into(),
                field_index: "EmailAddress1".into(),
            },
            PropertyPath::Extended(correlation_property()),
            PropertyPath::Extended(ExtendedFieldUri::tagged(
                "0x0E08",
                MapiPropertyType::Integer,
            )),
        ]),
    }
}

/// The name of each supported operation with its request element (the SOAP Body's child), standalone
/// with its namespace declarations.
pub fn representative() -> Vec<(&'static str, Vec<u8>)> {
    let crm_folder = FolderRef::Id(FolderId::with_change_key(
        "AQMkADAwATM0MDAAMS1iNTcwLWNiZDYtMDACLTAwCgAuAAAD",
        "AQAAABYA",
    ));
    let delegate_calendar = FolderRef::Distinguished(DistinguishedFolderId::in_mailbox(
        DistinguishedFolderName::Calendar,
        "bob@contoso.example",
    ));
    let category_list = CategoryList {
        attributes: vec![("default".into(), "Red category".into())],
        categories: vec![Category::new(
            "CRM",
            7,
            "{6B1C3A52-4F3D-4D4C-9E1A-0A0B0C0D0E0F}",
        )],
    };
    let restriction = SearchExpression::And(vec![
        SearchExpression::is_equal_to(PropertyPath::field("item:Categories"), "CRM"),
        SearchExpression::Contains {
            path: PropertyPath::field("item:Subject"),
            value: "quote".into(),
            mode: Some(ContainmentMode::Substring),
            comparison: Some(ContainmentComparison::IgnoreCase),
        },
        SearchExpression::Not(Box::new(SearchExpression::Exists(PropertyPath::Extended(
            correlation_property(),
        )))),
        SearchExpression::Or(vec![
            SearchExpression::Compare {
                comparison: ews_types::restriction::Comparison::IsGreaterThanOrEqualTo,
                path: PropertyPath::field("item:DateTimeReceived"),
                operand: Operand::Constant("2026-11-01T00:00:00Z".into()),
            },
            SearchExpression::Excludes {
                path: PropertyPath::field("item:Sensitivity"),
                value: "0x2".into(),
            },
        ]),
    ]);
    vec![
        (
            "GetFolder",
            request_body(&GetFolder {
                folder_shape: FolderShape {
                    base_shape: BaseShape::AllProperties,
                    additional_properties: Some(vec![PropertyPath::field("folder:DisplayName")]),
                },
                folder_ids: vec![
                    DistinguishedFolderName::Inbox.into(),
                    crm_folder.clone(),
                    delegate_calendar.clone(),
                ],
            }),
        ),
        (
            "FindFolder",
            request_body(&FindFolder {
                traversal: Traversal::Deep,
                folder_shape: FolderShape::new(BaseShape::Default),
                view: Some(FolderView::Indexed(IndexedPageView {
                    max_entries_returned: Some(100),
                    offset: 0,
                    base_point: BasePoint::Beginning,
                })),
                restriction: Some(SearchExpression::contains(
                    PropertyPath::field("folder:DisplayName"),
                    "CRM",
                )),
                parent_folder_ids: vec![DistinguishedFolderName::MsgFolderRoot.into()],
            }),
        ),
        (
            "SyncFolderHierarchy",
            request_body(&SyncFolderHierarchy {
                folder_shape: FolderShape::new(BaseShape::IdOnly),
                sync_folder_id: Some(DistinguishedFolderName::MsgFolderRoot.into()),
                sync_state: Some("H4sIAAAAAAAEAO29".into()),
            }),
        ),
        (
            "SyncFolderItems",
            request_body(&SyncFolderItems {
                item_shape: ItemShape::id_only(),
                sync_folder_id: Some(DistinguishedFolderName::Contacts.into()),
                sync_state: Some("H4sIAAAAAAAEAO29B2AcSZYlJi9".into()),
                ignore: Some(vec![ItemRef::Id(item_id(1))]),
                max_changes_returned: 512,
                sync_scope: Some(SyncScope::NormalItems),
            }),
        ),
        (
            "FindItem",
            request_body(&FindItem {
                traversal: Traversal::Shallow,
                item_shape: full_item_shape(),
                view: Some(ItemView::Fractional(FractionalPageView {
                    max_entries_returned: Some(50),
                    numerator: 1,
                    denominator: 4,
                })),
                restriction: Some(restriction),
                sort_order: Some(vec![FieldOrder {
                    order: SortDirection::Descending,
                    path: PropertyPath::field("item:DateTimeReceived"),
                }]),
                parent_folder_ids: vec![DistinguishedFolderName::Inbox.into()],
                query_string: Some("subject:quote".into()),
            }),
        ),
        (
            "FindItem-calendar",
            request_body(&FindItem {
                view: Some(ItemView::Calendar(CalendarView {
                    max_entries_returned: Some(1000),
                    start: ts("2026-12-01T00:00:00Z"),
                    end: ts("2027-01-01T00:00:00Z"),
                })),
                ..FindItem::new(delegate_calendar.clone(), 100)
            }),
        ),
        (
            "FindItem-contacts",
            request_body(&FindItem {
                view: Some(ItemView::Contacts(ContactsView {
                    max_entries_returned: Some(100),
                    initial_name: Some("A".into()),
                    final_name: Some("M".into()),
                })),
                ..FindItem::new(DistinguishedFolderName::Contacts, 100)
            }),
        ),
        (
            "GetItem",
            request_body(&GetItem {
                item_shape: full_item_shape(),
                item_ids: vec![
                    ItemRef::Id(item_id(2)),
                    ItemRef::Occurrence {
                        recurring_master_id: "AAMkAGI2TG93AAB=".into(),
                        change_key: Some("DwAAAB".into()),
                        instance_index: 3,
                    },
                    ItemRef::RecurringMaster {
                        occurrence_id: "AAMkAGI2TG93AAC=".into(),
                        change_key: None,
                    },
                ],
            }),
        ),
        (
            "CreateItem",
            request_body(&CreateItem {
                message_disposition: Some(MessageDisposition::SaveOnly),
                send_meeting_invitations: Some(SendMeetingNotices::SendToAllAndSaveCopy),
                saved_item_folder_id: Some(crm_folder.clone()),
                items: vec![
                    message().into(),
                    contact().into(),
                    task().into(),
                    meeting().into(),
                    Item::Other {
                        kind: "Item".into(),
                        fields: Box::new(ItemFields {
                            mime_content: Some(MimeContent {
                                character_set: Some("UTF-8".into()),
                                base64: "U3ViamVjdDogaGk=".into(),
                            }),
                            ..ItemFields::default()
                        }),
                    },
                ],
            }),
        ),
        (
            "UpdateItem",
            request_body(&UpdateItem {
                conflict_resolution: ConflictResolution::NeverOverwrite,
                message_disposition: Some(MessageDisposition::SaveOnly),
                send_meeting_invitations_or_cancellations: Some(
                    SendMeetingUpdates::SendToChangedAndSaveCopy,
                ),
                suppress_read_receipts: Some(true),
                saved_item_folder_id: Some(DistinguishedFolderName::Drafts.into()),
                item_changes: vec![
                    ItemUpdate {
                        item: ItemRef::Id(item_id(3)),
                        updates: vec![
                            FieldUpdate::Set {
                                path: PropertyPath::field("item:Categories"),
                                item: Message {
                                    item: ItemFields {
                                        categories: Some(vec!["CRM".into()]),
                                        ..ItemFields::default()
                                    },
                                    ..Message::default()
                                }
                                .into(),
                            },
                            FieldUpdate::Append {
                                path: PropertyPath::field("item:Body"),
                                item: Message {
                                    item: ItemFields {
                                        body: Some(Body::text("-- added")),
                                        ..ItemFields::default()
                                    },
                                    ..Message::default()
                                }
                                .into(),
                            },
                            FieldUpdate::Delete(PropertyPath::Extended(correlation_property())),
                        ],
                    },
                    ItemUpdate {
                        item: ItemRef::Occurrence {
                            recurring_master_id: "AAMkAGI2TG93AAB=".into(),
                            change_key: None,
                            instance_index: 2,
                        },
                        updates: vec![FieldUpdate::Set {
                            path: PropertyPath::field("calendar:Start"),
                            item: CalendarItem {
                                start: Some(ts("2026-12-09T10:00:00Z")),
                                calendar_item_type: None,
                                ..CalendarItem::default()
                            }
                            .into(),
                        }],
                    },
                    ItemUpdate {
                        item: ItemRef::Id(item_id(4)),
                        updates: vec![FieldUpdate::Set {
                            path: PropertyPath::Indexed {
                                field_uri: "contacts:PhoneNumber".into(),
                                field_index: "BusinessPhone".into(),
                            },
                            item: Contact {
                                phone_numbers: Some(vec![PhoneEntry::new(
                                    "BusinessPhone",
                                    "+1 555 0100",
                                )]),
                                complete_name: None,
                                ..Contact::default()
                            }
                            .into(),
                        }],
                    },
                ],
            }),
        ),
        (
            "DeleteItem",
            request_body(&DeleteItem {
                delete_type: Some(DeleteType::MoveToDeletedItems),
                send_meeting_cancellations: Some(SendMeetingNotices::SendOnlyToAll),
                affected_task_occurrences: Some(AffectedTaskOccurrences::SpecifiedOccurrenceOnly),
                suppress_read_receipts: Some(true),
                item_ids: vec![ItemRef::Id(item_id(5))],
            }),
        ),
        (
            "MoveItem",
            request_body(&MoveItem::new(
                DistinguishedFolderName::DeletedItems,
                [item_id(6)],
            )),
        ),
        (
            "CopyItem",
            request_body(&CopyItem::new(crm_folder.clone(), [item_id(7)])),
        ),
        (
            "SendItem",
            request_body(&SendItem {
                save_item_to_folder: Some(true),
                item_ids: vec![ItemRef::Id(item_id(8))],
                saved_item_folder_id: Some(DistinguishedFolderName::SentItems.into()),
            }),
        ),
        (
            "CreateFolder",
            request_body(&CreateFolder {
                parent_folder_id: Some(DistinguishedFolderName::MsgFolderRoot.into()),
                folders: vec![
                    Folder::new(FolderKind::Folder, "CRM mail"),
                    Folder::new(FolderKind::ContactsFolder, "CRM contacts"),
                    Folder::new(FolderKind::TasksFolder, "CRM tasks"),
                    Folder::new(FolderKind::CalendarFolder, "CRM meetings"),
                ],
            }),
        ),
        (
            "GetUserConfiguration",
            request_body(&GetUserConfiguration::category_list()),
        ),
        (
            "GetUserConfiguration-all",
            request_body(&GetUserConfiguration {
                user_configuration_name: Some(UserConfigurationName {
                    name: "OWA.UserOptions".into(),
                    folder: DistinguishedFolderName::Root.into(),
                }),
                user_configuration_properties: UserConfigurationProperties::all(),
            }),
        ),
        (
            "UpdateUserConfiguration",
            request_body(&UpdateUserConfiguration::new(UserConfiguration {
                name: UserConfigurationName::category_list(),
                content: UserConfigurationContent {
                    item_id: None,
                    dictionary: Some(vec![DictionaryEntry {
                        key: Some(DictionaryObject::string("CrmSyncVersion")),
                        value: Some(DictionaryObject::string("2")),
                    }]),
                    xml_data: Some(category_list.to_xml_data()),
                    binary_data: Some("AAEC".into()),
                },
            })),
        ),
        (
            "ResolveNames",
            request_body(&ResolveNames::new("Dana Whitfield")),
        ),
        (
            "ResolveNames-contacts",
            request_body(&ResolveNames {
                parent_folder_ids: Some(vec![
                    DistinguishedFolderId::in_mailbox(
                        DistinguishedFolderName::Contacts,
                        "bob@contoso.example",
                    )
                    .into(),
                ]),
                ..ResolveNames::new("SMTP:dana@fabrikam.example")
                    .with_contact_data(BaseShape::AllProperties)
                    .searching(ResolveNamesSearchScope::ContactsActiveDirectory)
            }),
        ),
        (
            "GetUserAvailabilityRequest",
            request_body(&availability_request()),
        ),
        (
            "GetUserAvailabilityRequest-suggestions",
            request_body(
                &GetUserAvailability {
                    time_zone: Some(SerializableTimeZone::utc()),
                    free_busy_view_options: None,
                    ..availability_request()
                }
                .with_suggestions(SuggestionsViewOptions {
                    good_threshold: Some(25),
                    maximum_results_by_day: Some(4),
                    maximum_non_work_hour_results_by_day: Some(0),
                    meeting_duration_in_minutes: Some(30),
                    minimum_suggestion_quality: Some(SuggestionQuality::Good),
                    detailed_suggestions_window: TimeWindow::new(
                        civil("2026-12-02T00:00:00"),
                        civil("2026-12-05T00:00:00"),
                    ),
                    current_meeting_time: Some(civil("2026-12-02T09:00:00").into()),
                    global_object_id: Some("BAAAAIIA4AB0xbcQGoLgCAAAAAA=".into()),
                }),
            ),
        ),
        (
            "ExpandDL",
            request_body(&ExpandDL::smtp("sales@contoso.example")),
        ),
        (
            "ExpandDL-private",
            request_body(&ExpandDL {
                mailbox: EmailAddress {
                    mailbox_type: Some(MailboxType::PrivateDL),
                    item_id: Some(item_id(9)),
                    ..EmailAddress::default()
                },
            }),
        ),
        (
            "ConvertId",
            request_body(&ConvertId::new(
                IdFormat::HexEntryId,
                [
                    AlternateId::Mailbox {
                        format: IdFormat::EwsId,
                        id: item_id(10).id,
                        mailbox: "alice@contoso.example".into(),
                        is_archive: Some(false),
                    },
                    AlternateId::PublicFolder {
                        format: IdFormat::EntryId,
                        folder_id: "AAEAAB8ZFrs=".into(),
                    },
                    AlternateId::PublicFolderItem {
                        format: IdFormat::StoreId,
                        folder_id: "AAEAAB8ZFrs=".into(),
                        item_id: "AAEAAB8ZFrt=".into(),
                    },
                ],
            )),
        ),
        (
            "GetUserOofSettingsRequest",
            request_body(&GetUserOofSettings::new("alice@contoso.example")),
        ),
        (
            "SetUserOofSettingsRequest",
            request_body(&SetUserOofSettings {
                mailbox: MailboxAddress {
                    name: Some("Alice Jones".into()),
                    address: "alice@contoso.example".into(),
                    routing_type: Some("SMTP".into()),
                },
                user_oof_settings: UserOofSettings {
                    external_audience: ExternalAudience::Known,
                    decline_meeting_reply: Some(ReplyBody {
                        lang: Some("en-GB".into()),
                        message: Some("I am away; please ask Lee.".into()),
                    }),
                    decline_events_for_scheduled_oof: Some(true),
                    decline_all_events_for_scheduled_oof: Some(false),
                    create_oof_event: Some(true),
                    oof_event_subject: Some("Away".into()),
                    auto_decline_future_requests_when_oof: Some(false),
                    oof_event_id: Some("AAMkAGI2TG93AAD=".into()),
                    events_to_delete_ids: Some(vec!["AAMkAGI2TG93AAE=".into()]),
                    ..UserOofSettings::scheduled(
                        ts("2026-12-21T17:00:00Z"),
                        ts("2027-01-04T08:00:00Z"),
                        "I am away until 4 January.",
                    )
                },
            }),
        ),
        (
            "SetUserOofSettingsRequest-disabled",
            request_body(&SetUserOofSettings::new(
                "alice@contoso.example",
                UserOofSettings::disabled(),
            )),
        ),
        ("Subscribe-pull", request_body(&pull_subscription())),
        ("Subscribe-push", request_body(&push_subscription())),
        (
            "Subscribe-streaming",
            request_body(&streaming_subscription()),
        ),
        (
            "GetEvents",
            request_body(&GetEvents::new(SUBSCRIPTION_ID, "AAAAAGUhAAAAAAAAAQ==")),
        ),
        (
            "GetStreamingEvents",
            request_body(&GetStreamingEvents::new(
                [SUBSCRIPTION_ID, "JgBibjFwcjAzbWIyMDIubmFtcHJk"],
                MAX_CONNECTION_MINUTES,
            )),
        ),
        (
            "Unsubscribe",
            request_body(&Unsubscribe::new(SUBSCRIPTION_ID)),
        ),
        ("CreateItem-recurring-daily", recurring_meeting_request(0)),
        ("CreateItem-recurring-weekly", recurring_meeting_request(1)),
        (
            "CreateItem-recurring-absolute-monthly",
            recurring_meeting_request(2),
        ),
        (
            "CreateItem-recurring-relative-monthly",
            recurring_meeting_request(3),
        ),
        (
            "CreateItem-recurring-absolute-yearly",
            recurring_meeting_request(4),
        ),
        (
            "CreateItem-recurring-relative-yearly",
            recurring_meeting_request(5),
        ),
        ("CreateItem-all-day", all_day_event_request()),
        ("CreateItem-meeting-full", full_meeting_request()),
        ("CreateItem-recurring-task", recurring_task_request()),
        ("CreateItem-accept", meeting_response_request(0)),
        ("CreateItem-tentatively-accept", meeting_response_request(1)),
        ("CreateItem-decline", meeting_response_request(2)),
        ("CreateItem-cancel-meeting", meeting_response_request(3)),
        ("CreateItem-remove-cancelled", meeting_response_request(4)),
        (
            "GetServerTimeZones",
            request_body(&GetServerTimeZones::full([
                "GMT Standard Time",
                "Pacific Standard Time",
            ])),
        ),
        (
            "GetServerTimeZones-names",
            request_body(&GetServerTimeZones::names()),
        ),
    ]
}

fn civil(text: &str) -> jiff::civil::DateTime {
    text.parse().expect("a valid civil date-time literal")
}

/// A free/busy query for the organizer, an attendee and a room, in New York time (2026 rules).
fn availability_request() -> GetUserAvailability {
    let new_york = SerializableTimeZone {
        bias: 300,
        standard_time: SerializableTimeZoneTime {
            bias: 0,
            time: "02:00:00".into(),
            day_order: 1,
            month: 11,
            day_of_week: DayOfWeek::Sunday,
            year: Some("2026".into()),
        },
        daylight_time: SerializableTimeZoneTime {
            bias: -60,
            time: "02:00:00".into(),
            day_order: 2,
            month: 3,
            day_of_week: DayOfWeek::Sunday,
            year: Some("2026".into()),
        },
    };
    GetUserAvailability::free_busy(
        new_york,
        [
            MailboxData::new("alice@contoso.example", MeetingAttendeeType::Organizer),
            MailboxData {
                email: MailboxAddress {
                    name: Some("Dana Whitfield".into()),
                    address: "dana@fabrikam.example".into(),
                    routing_type: Some("SMTP".into()),
                },
                attendee_type: MeetingAttendeeType::Required,
                exclude_conflicts: Some(false),
            },
            MailboxData::new("room-3@contoso.example", MeetingAttendeeType::Room),
        ],
        TimeWindow::new(civil("2026-12-02T00:00:00"), civil("2026-12-03T00:00:00")),
        FreeBusyViewType::DetailedMerged,
    )
}

const SUBSCRIPTION_ID: &str = "d581ab79-a2ec-4653-9c8e-564d7cfc1d8c";

/// A pull subscription to every kind of event in two folders, resumed from a watermark.
fn pull_subscription() -> Subscribe {
    Subscribe::Pull(PullSubscriptionRequest {
        subscribe_to_all_folders: Some(false),
        folder_ids: Some(vec![
            DistinguishedFolderName::Inbox.into(),
            FolderRef::Id(FolderId::new(
                "AQMkADAwATM0MDAAMS1iNTcwLWNiZDYtMDACLTAwCgAuAAAD",
            )),
        ]),
        event_types: EventType::all(),
        watermark: Some("AAAAAHgGAAAAAAAAAQ==".into()),
        timeout: MAX_SUBSCRIPTION_MINUTES,
    })
}

/// A push subscription to every folder, with data Exchange echoes back.
fn push_subscription() -> Subscribe {
    Subscribe::Push(PushSubscriptionRequest {
        subscribe_to_all_folders: Some(true),
        folder_ids: None,
        event_types: vec![EventType::NewMail, EventType::Moved, EventType::Deleted],
        watermark: Some("AQAAAOpvG0LURVdOhQkPOWZLPcI8EgAAAAAAAAE=".into()),
        status_frequency: 1,
        url: "https://crm.contoso.example/ews/notify".into(),
        caller_data: Some("crm-tenant-7".into()),
    })
}

/// A streaming subscription to the calendar and contacts of a delegate mailbox.
fn streaming_subscription() -> Subscribe {
    Subscribe::streaming(
        FolderScope::folders([
            DistinguishedFolderId::in_mailbox(
                DistinguishedFolderName::Calendar,
                "bob@contoso.example",
            ),
            DistinguishedFolderId::new(DistinguishedFolderName::Contacts),
        ]),
        vec![
            EventType::Created,
            EventType::Modified,
            EventType::FreeBusyChanged,
            EventType::Copied,
        ],
    )
}

/// A recurring meeting of each pattern kind (`kind` 0 to 5), cycling through the three range kinds.
fn recurring_meeting_request(kind: usize) -> Vec<u8> {
    use ews_types::recurrence::{
        DayOfWeek, DayOfWeekIndex, Month, Recurrence, RecurrencePattern, RecurrenceRange,
    };
    let start_date = jiff::civil::date(2026, 3, 2);
    let pattern = match kind {
        0 => RecurrencePattern::Daily { interval: 2 },
        1 => RecurrencePattern::Weekly {
            interval: 1,
            days_of_week: vec![DayOfWeek::Monday, DayOfWeek::Thursday],
            first_day_of_week: Some(DayOfWeek::Monday),
        },
        2 => RecurrencePattern::AbsoluteMonthly {
            interval: 1,
            day_of_month: 31,
        },
        3 => RecurrencePattern::RelativeMonthly {
            interval: 2,
            days_of_week: DayOfWeek::Weekday,
            day_of_week_index: DayOfWeekIndex::Last,
        },
        4 => RecurrencePattern::AbsoluteYearly {
            day_of_month: 29,
            month: Month::February,
        },
        _ => RecurrencePattern::RelativeYearly {
            days_of_week: DayOfWeek::Thursday,
            day_of_week_index: DayOfWeekIndex::Fourth,
            month: Month::November,
        },
    };
    let range = match kind % 3 {
        0 => RecurrenceRange::NoEnd { start_date },
        1 => RecurrenceRange::EndDate {
            start_date,
            end_date: jiff::civil::date(2027, 3, 1),
        },
        _ => RecurrenceRange::Numbered {
            start_date,
            number_of_occurrences: 10,
        },
    };
    let meeting = CalendarItem {
        recurrence: Some(Recurrence { pattern, range }),
        required_attendees: Some(vec![Attendee::from(EmailAddress::smtp(
            "dana@fabrikam.example",
        ))]),
        ..CalendarItem::new(
            "Account review",
            ts("2026-03-02T09:00:00Z"),
            ts("2026-03-02T09:30:00Z"),
        )
        .in_time_zone("GMT Standard Time")
    };
    request_body(&CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![meeting.into()],
        SendMeetingNotices::SendToAllAndSaveCopy,
    ))
}

/// An all-day event on 3 July 2026 in New York, anchored to local midnight.
fn all_day_event_request() -> Vec<u8> {
    let utc_minus_4 = jiff::tz::TimeZone::fixed(jiff::tz::offset(-4));
    let holiday = CalendarItem::all_day(
        "Office closed",
        jiff::civil::date(2026, 7, 3),
        1,
        "Eastern Standard Time",
        &utc_minus_4,
    )
    .expect("a representable date");
    request_body(&CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![holiday.into()],
        SendMeetingNotices::SendToNone,
    ))
}

/// The GMT Standard Time definition in the form Exchange sends it (periods, one group of yearly
/// transitions, and every transition kind).
pub fn gmt_standard_time() -> ews_types::time_zone::TimeZoneDefinition {
    use ews_types::recurrence::DayOfWeek;
    use ews_types::time_zone::{
        Period, TimeZoneDefinition, Transition, TransitionTarget, Transitions,
    };
    let hours = jiff::SignedDuration::from_hours;
    TimeZoneDefinition {
        id: Some("GMT Standard Time".into()),
        name: Some("(UTC+00:00) Dublin, Edinburgh, Lisbon, London".into()),
        periods: Some(vec![
            Period {
                bias: Some(hours(0)),
                name: Some("Standard".into()),
                id: Some("Std".into()),
            },
            Period {
                bias: Some(-hours(1)),
                name: Some("Daylight".into()),
                id: Some("Dlt/1".into()),
            },
        ]),
        transitions_groups: Some(vec![Transitions {
            id: Some("0".into()),
            transitions: vec![
                Transition::RecurringDay {
                    to: TransitionTarget::period("Dlt/1"),
                    time_offset: hours(1),
                    month: 3,
                    day_of_week: DayOfWeek::Sunday,
                    occurrence: -1,
                },
                Transition::RecurringDay {
                    to: TransitionTarget::period("Std"),
                    time_offset: hours(2),
                    month: 10,
                    day_of_week: DayOfWeek::Sunday,
                    occurrence: -1,
                },
            ],
        }]),
        transitions: Some(Transitions {
            id: None,
            transitions: vec![Transition::Initial {
                to: TransitionTarget::group("0"),
            }],
        }),
    }
}

/// A meeting with every calendar element this crate models, including full time-zone definitions.
fn full_meeting_request() -> Vec<u8> {
    use ews_types::items::{
        CalendarActivityData, CalendarItemKind, EmailReminderChange, EmailReminderSendOption,
        EnhancedLocation, InboxReminder, LobbyBypass, LocationSource, OnlineMeetingAccessLevel,
        OnlineMeetingSettings, PersonaPostalAddress, Presenters, ResponseType,
    };
    use ews_types::recurrence::{
        DayOfWeek, DayOfWeekIndex, DeletedOccurrence, Month, OccurrenceInfo, Recurrence,
        RecurrencePattern, RecurrenceRange,
    };
    use ews_types::time_zone::{
        MeetingTimeZone, TimeChange, TimeChangePattern, Transition, TransitionTarget,
    };
    let hours = jiff::SignedDuration::from_hours;
    let mut end_zone = gmt_standard_time();
    if let Some(transitions) = end_zone.transitions.as_mut() {
        transitions.transitions.push(Transition::AbsoluteDate {
            to: TransitionTarget::group("0"),
            date_time: jiff::civil::date(2007, 1, 1).at(0, 0, 0, 0),
        });
    }
    if let Some(groups) = end_zone.transitions_groups.as_mut() {
        groups[0].transitions.push(Transition::RecurringDate {
            to: TransitionTarget::period("Std"),
            time_offset: hours(2),
            month: 12,
            day: 31,
        });
    }
    let occurrence = |n: u32, start: &str, end: &str| OccurrenceInfo {
        item_id: Some(item_id(20 + n)),
        start: Some(ts(start)),
        end: Some(ts(end)),
        original_start: Some(ts(start)),
    };
    let meeting = CalendarItem {
        uid: Some("040000008200E00074C5B7101A82E008".into()),
        recurrence_id: Some(ts("2026-03-02T09:00:00Z")),
        date_time_stamp: Some(ts("2026-02-20T12:00:00Z")),
        original_start: Some(ts("2026-03-02T09:00:00Z")),
        is_all_day_event: Some(false),
        legacy_free_busy_status: Some(LegacyFreeBusyStatus::Tentative),
        location: Some("Room 3".into()),
        when: Some("Mondays 09:00".into()),
        is_meeting: Some(true),
        is_cancelled: Some(false),
        is_recurring: Some(true),
        meeting_request_was_sent: Some(false),
        is_response_requested: Some(true),
        calendar_item_type: Some(CalendarItemKind::RecurringMaster),
        my_response_type: Some(ResponseType::Organizer),
        organizer: Some(EmailAddress::named("Alice Jones", "alice@contoso.example").into()),
        required_attendees: Some(vec![Attendee {
            mailbox: Some(EmailAddress::smtp("dana@fabrikam.example")),
            response_type: Some(ResponseType::Accept),
            last_response_time: Some(ts("2026-02-21T08:00:00Z")),
            proposed_start: Some(ts("2026-03-02T10:00:00Z")),
            proposed_end: Some(ts("2026-03-02T10:30:00Z")),
        }]),
        inbox_reminders: Some(vec![InboxReminder {
            id: Some("6b1c3a52-4f3d-4d4c-9e1a-0a0b0c0d0e0f".into()),
            reminder_offset: Some(60),
            message: Some("Prepare the figures".into()),
            is_organizer_reminder: Some(true),
            occurrence_change: Some(EmailReminderChange::None),
            send_option: Some(EmailReminderSendOption::AllAttendees),
        }]),
        conflicting_meeting_count: Some(1),
        adjacent_meeting_count: Some(0),
        conflicting_meetings: Some(vec![
            CalendarItem::new(
                "Clash",
                ts("2026-03-02T09:15:00Z"),
                ts("2026-03-02T09:45:00Z"),
            )
            .into(),
        ]),
        duration: Some("PT30M".into()),
        time_zone: Some("(UTC+00:00) Dublin, Edinburgh, Lisbon, London".into()),
        appointment_reply_time: Some(ts("2026-02-21T08:00:00Z")),
        appointment_sequence_number: Some(2),
        appointment_state: Some(1),
        recurrence: Some(Recurrence {
            pattern: RecurrencePattern::weekly(1, [DayOfWeek::Monday]),
            range: RecurrenceRange::NoEnd {
                start_date: jiff::civil::date(2026, 3, 2),
            },
        }),
        first_occurrence: Some(occurrence(
            1,
            "2026-03-02T09:00:00Z",
            "2026-03-02T09:30:00Z",
        )),
        last_occurrence: Some(occurrence(
            2,
            "2026-12-28T09:00:00Z",
            "2026-12-28T09:30:00Z",
        )),
        modified_occurrences: Some(vec![OccurrenceInfo {
            start: Some(ts("2026-03-10T09:00:00Z")),
            end: Some(ts("2026-03-10T09:30:00Z")),
            original_start: Some(ts("2026-03-09T09:00:00Z")),
            ..occurrence(3, "2026-03-10T09:00:00Z", "2026-03-10T09:30:00Z")
        }]),
        deleted_occurrences: Some(vec![DeletedOccurrence {
            start: Some(ts("2026-03-16T09:00:00Z")),
        }]),
        meeting_time_zone: Some(MeetingTimeZone {
            time_zone_name: Some("GMT Standard Time".into()),
            base_offset: Some(hours(0)),
            standard: Some(TimeChange {
                time_zone_name: Some("GMT".into()),
                offset: hours(0),
                pattern: Some(TimeChangePattern::RelativeYearly {
                    days_of_week: DayOfWeek::Sunday,
                    day_of_week_index: DayOfWeekIndex::Last,
                    month: Month::October,
                }),
                time: jiff::civil::time(2, 0, 0, 0),
            }),
            daylight: Some(TimeChange {
                time_zone_name: Some("BST".into()),
                offset: -hours(1),
                pattern: Some(TimeChangePattern::AbsoluteDate(jiff::civil::date(
                    2026, 3, 29,
                ))),
                time: jiff::civil::time(1, 0, 0, 0),
            }),
        }),
        start_time_zone: Some(gmt_standard_time()),
        end_time_zone: Some(end_zone),
        conference_type: Some(0),
        allow_new_time_proposal: Some(true),
        is_online_meeting: Some(true),
        meeting_workspace_url: Some("https://contoso.example/ws".into()),
        net_show_url: Some("https://contoso.example/live".into()),
        enhanced_location: Some(EnhancedLocation {
            display_name: Some("Room 3".into()),
            annotation: Some("Second floor".into()),
            postal_address: Some(PersonaPostalAddress {
                street: Some("1 Harbour Way".into()),
                city: Some("Bristol".into()),
                country: Some("United Kingdom".into()),
                latitude: Some(51.45),
                longitude: Some(-2.59),
                location_source: Some(LocationSource::Resource),
                ..PersonaPostalAddress::default()
            }),
        }),
        start_wall_clock: Some(ts("2026-03-02T09:00:00Z")),
        end_wall_clock: Some(ts("2026-03-02T09:30:00Z")),
        start_time_zone_id: Some("GMT Standard Time".into()),
        end_time_zone_id: Some("GMT Standard Time".into()),
        intended_free_busy_status: Some(LegacyFreeBusyStatus::Busy),
        join_online_meeting_url: Some("https://meet.contoso.example/alice/42".into()),
        online_meeting_settings: Some(OnlineMeetingSettings {
            lobby_bypass: Some(LobbyBypass::Disabled),
            access_level: Some(OnlineMeetingAccessLevel::Invited),
            presenters: Some(Presenters::Internal),
        }),
        is_organizer: Some(true),
        calendar_activity_data: Some(CalendarActivityData {
            activity_action: Some("Create".into()),
            client_id: Some("crm-sync".into()),
            cas_request_id: Some("0f0e0d0c-0b0a-0908-0706-050403020100".into()),
            index_selected: Some(0),
        }),
        do_not_forward_meeting: Some(false),
        ..meeting()
    };
    request_body(&CreateItem::calendar(
        DistinguishedFolderName::Calendar,
        vec![meeting.into()],
        SendMeetingNotices::SendOnlyToAll,
    ))
}

/// A task that regenerates a week after each completion, ten times.
fn recurring_task_request() -> Vec<u8> {
    use ews_types::recurrence::{Recurrence, RecurrencePattern, RecurrenceRange};
    let weekly_check = Task {
        recurrence: Some(Recurrence {
            pattern: RecurrencePattern::WeeklyRegeneration { interval: 1 },
            range: RecurrenceRange::Numbered {
                start_date: jiff::civil::date(2026, 3, 2),
                number_of_occurrences: 10,
            },
        }),
        ..task()
    };
    request_body(&CreateItem::save(
        DistinguishedFolderName::Tasks,
        vec![weekly_check.into()],
    ))
}

/// Answers to a meeting (`kind` 0 to 4): accept, tentatively accept with a proposed time, decline,
/// cancel as organizer, remove a cancelled meeting.
fn meeting_response_request(kind: usize) -> Vec<u8> {
    use ews_types::items::{CancelCalendarItem, MeetingReply, RemoveItem, ReplyAddressing};
    let request_id = item_id(30);
    let reply = MeetingReply {
        item: ItemFields {
            item_class: Some("IPM.Schedule.Meeting.Resp.Pos".into()),
            sensitivity: Some(Sensitivity::Normal),
            body: Some(Body::text("See you there")),
            ..ItemFields::default()
        },
        addressing: ReplyAddressing {
            sender: Some(EmailAddress::smtp("bob@contoso.example").into()),
            to_recipients: Some(vec![EmailAddress::smtp("alice@contoso.example")]),
            cc_recipients: Some(vec![EmailAddress::smtp("team@contoso.example")]),
            bcc_recipients: Some(vec![EmailAddress::smtp("archive@contoso.example")]),
            is_read_receipt_requested: Some(false),
            is_delivery_receipt_requested: Some(false),
            from: Some(EmailAddress::smtp("bob@contoso.example").into()),
        },
        ..MeetingReply::for_meeting(request_id.clone())
    };
    let item = match kind {
        0 => reply.accept(),
        1 => MeetingReply::for_meeting(request_id)
            .with_text("Could we meet an hour later?")
            .proposing(ts("2026-03-02T10:00:00Z"), ts("2026-03-02T10:30:00Z"))
            .tentatively_accept(),
        2 => MeetingReply::for_meeting(request_id).decline(),
        3 => CancelCalendarItem {
            item: ItemFields {
                subject: Some("Cancelled: Account review".into()),
                ..ItemFields::default()
            },
            addressing: ReplyAddressing {
                to_recipients: Some(vec![EmailAddress::smtp("dana@fabrikam.example")]),
                ..ReplyAddressing::default()
            },
            ..CancelCalendarItem::for_meeting(request_id, Body::html("<p>Moved to next week.</p>"))
        }
        .into(),
        _ => RemoveItem::for_cancellation(request_id).into(),
    };
    request_body(&CreateItem::respond(
        vec![item],
        MessageDisposition::SendAndSaveCopy,
    ))
}
