//! Properties over arbitrary input: parsers never panic, unknown enum values are kept, `Field` keeps
//! absent, null and value apart through a round trip, and failed delta responses never move a cursor.

use bytes::Bytes;
use graph_client::delta::{CursorState, DeltaCursor, DeltaOutcome};
use graph_client::model::{Event, EventType, Message};
use graph_client::throttle::RetryAfter;
use graph_client::{Field, inspect::inspect};
use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-zA-Z@.]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let keys = prop_oneof![
            Just("id".to_owned()),
            Just("value".to_owned()),
            Just("@removed".to_owned()),
            Just("@odata.deltaLink".to_owned()),
            Just("@odata.nextLink".to_owned()),
            Just("@odata.context".to_owned()),
            Just("@odata.type".to_owned()),
            Just("subject".to_owned()),
            Just("start".to_owned()),
            Just("error".to_owned()),
            Just("responses".to_owned()),
            Just("type".to_owned()),
            "[a-z]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn inspect_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = inspect(&bytes);
    }

    #[test]
    fn inspect_never_panics_on_json(value in json_value()) {
        let _ = inspect(value.to_string().as_bytes());
    }

    #[test]
    fn retry_after_never_panics(text in "\\PC{0,40}") {
        let _ = RetryAfter::parse(&text);
    }

    #[test]
    fn failed_delta_responses_never_move_the_cursor(
        status in prop::sample::select(vec![400u16, 401, 403, 404, 429, 500, 502, 503]),
        body in json_value(),
    ) {
        let mut cursor = DeltaCursor::<Message>::mail_folder_messages("inbox", Default::default());
        let response = http::Response::builder()
            .status(status)
            .body(Bytes::from(body.to_string()))
            .unwrap();
        match cursor.handle_response(&response) {
            Ok(DeltaOutcome::ResyncRequired { .. }) => {
                prop_assert!(cursor.is_resync_required());
            }
            Ok(DeltaOutcome::Page(_)) => prop_assert!(false, "an error status gave a page"),
            Err(_) => prop_assert_eq!(cursor.state(), &CursorState::Initial),
        }
    }

    #[test]
    fn unknown_event_types_are_kept(kind in "[a-zA-Z]{1,16}") {
        let event: Event = serde_json::from_value(serde_json::json!({"id": "E", "type": kind.clone()})).unwrap();
        let Field::Value(parsed) = &event.event_type else { panic!("type is present") };
        prop_assert!(parsed.as_str().eq_ignore_ascii_case(&kind));
        if let EventType::Unknown(raw) = parsed {
            prop_assert_eq!(raw, &kind);
        }
    }

    #[test]
    fn field_round_trips_absent_null_and_value(choice in 0u8..3, number in any::<i32>()) {
        let json = match choice {
            0 => serde_json::json!({"id": "E"}),
            1 => serde_json::json!({"id": "E", "reminderMinutesBeforeStart": null}),
            _ => serde_json::json!({"id": "E", "reminderMinutesBeforeStart": number}),
        };
        let event: Event = serde_json::from_value(json.clone()).unwrap();
        let expected = match choice {
            0 => Field::Absent,
            1 => Field::Null,
            _ => Field::Value(number),
        };
        prop_assert_eq!(&event.reminder_minutes_before_start, &expected);
        prop_assert_eq!(serde_json::to_value(&event).unwrap(), json);
    }
}
