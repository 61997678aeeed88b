//! The persisted state format is pinned: bytes written by an earlier build must load, and the
//! same state must encode to the same bytes, whatever the in-memory representation.

use sync_core::*;

/// A state with one pair mid-round (the CRM create in flight: no CRM id, no tokens) and, after
/// the outcomes, the same pair linked with both ids and tokens.
fn states() -> (SyncState, SyncState) {
    let config = Config::new("Tracked to CRM", "mailbox-42");
    let mut state = SyncState::new();
    let fields = Fields::new()
        .with(Field::Subject, Value::text("Quote for Contoso"))
        .with(Field::Body, Value::text("Hello"))
        .with(Field::From, Value::text("ann@contoso.com"))
        .with(Field::To, Value::set(["bob@fabrikam.com"]))
        .with(Field::Cc, Value::set::<[&str; 0], &str>([]))
        .with(
            Field::SentAt,
            Value::instant(Timestamp(1_700_000_000_000), "UTC"),
        );
    let email = Snapshot::new(
        RecordKind::Email,
        "CQAAABYA",
        Timestamp(1_700_000_000_500),
        fields,
    )
    .with_categories(["tracked to crm"]);
    let input = RoundInput {
        exchange: vec![Observation {
            id: "AAMkAD1".into(),
            change: Change::Upsert(email),
        }],
        cursors: vec![CursorAdvance {
            scope: "exchange:inbox".into(),
            value: "sync-state-1".into(),
        }],
        ..RoundInput::default()
    };
    let plan = state
        .plan(&input, &config, Timestamp(1_700_000_001_000))
        .expect("plans");
    let mid_round = state.clone();
    state
        .apply_outcome(
            plan.operations[0].id,
            Outcome::Created {
                id: "activity-7".into(),
                token: "rv1".into(),
                modified_at: Timestamp(1_700_000_001_100),
            },
        )
        .expect("create outcome");
    state
        .apply_outcome(
            plan.operations[1].id,
            Outcome::Updated {
                token: "CQAAABYB".into(),
                modified_at: Timestamp(1_700_000_001_200),
            },
        )
        .expect("stamp outcome");
    (mid_round, state)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// `to_compact_bytes` of the mid-round state, as written by the build that introduced this test.
const MID_ROUND: &[&str] = &[
    "0101000000ad2bb3b40f97c0575f7331c0179e728d00010741414d6b4144310000ffffffffffffffffff01ffffffffff",
    "ffffffff013020bfdc566d5c4e4a36e6e26ac3ae620c34a9a5c6d8f5f074dae3adea4211c29c421cc6886790d94488ea",
    "5fc84634a4cbffffffffffffffffff010000030200010e65786368616e67653a696e626f780c73796e632d7374617465",
    "2d31020100000102000100010002003020bfdc566d5c4e4a36e6e26ac3ae620c34a9a5c6d8f5f074dae3adea4211c29c",
    "421cc6886790d94488ea5fc84634a4cb0001084351414141425941e8a7abfef962000001000000000000000000aadb8a",
    "b3e090feb6a90105a8c68cdd91c7ae97ee010101d0afabfef962000000000000000000000000000000",
];

/// `to_compact_bytes` of the settled state, as written by the build that introduced this test.
const SETTLED: &[&str] = &[
    "01010001ad2bb3b40f97c0575f7331c0179e728d010a61637469766974792d37010741414d6b41443101037276310108",
    "435141414142594298b1abfef962e0b2abfef9623020bfdc566d5c4e4a36e6e26ac3ae620c34a9a5c6d8f5f074dae3ad",
    "ea4211c29c421cc6886790d94488ea5fc84634a4cbffffffffffffffffff0100000302010e65786368616e67653a696e",
    "626f780c73796e632d73746174652d310000000000000000aadb8ab3e090feb6a90105a8c68cdd91c7ae97ee010101d0",
    "afabfef96201000101000000000000000000000000",
];

#[test]
fn states_encode_to_the_pinned_bytes_and_the_pinned_bytes_load() {
    let (mid_round, settled) = states();
    for (name, state, pinned) in [
        ("mid-round", &mid_round, MID_ROUND),
        ("settled", &settled, SETTLED),
    ] {
        let pinned = unhex(&pinned.concat());
        assert_eq!(hex(&state.to_compact_bytes()), hex(&pinned), "{name}");
        let loaded = SyncState::from_compact_bytes(&pinned).expect("pinned bytes load");
        assert_eq!(&loaded, state, "{name}");
        // What loads plans like the original: the pair is found by either id.
        assert_eq!(
            loaded
                .link_by_item(Side::Exchange, "AAMkAD1")
                .map(|l| l.id()),
            state
                .link_by_item(Side::Exchange, "AAMkAD1")
                .map(|l| l.id()),
            "{name}"
        );
    }
}

#[test]
fn ids_and_tokens_keep_their_json_shape() {
    let (mid_round, settled) = states();
    let json = serde_json::to_value(&settled).expect("json");
    let link = &json["links"][0];
    assert_eq!(link["ids"], serde_json::json!(["activity-7", "AAMkAD1"]));
    assert_eq!(link["tokens"], serde_json::json!(["rv1", "CQAAABYB"]));
    let json = serde_json::to_value(&mid_round).expect("json");
    let link = &json["links"][0];
    assert_eq!(link["ids"], serde_json::json!([null, "AAMkAD1"]));
    assert_eq!(link["tokens"], serde_json::json!([null, null]));
    let back: SyncState = serde_json::from_value(json).expect("loads");
    assert_eq!(back, mid_round);
}
