//! Every well-formed response sample of the Graph docs corpus for the resources in scope parses into
//! the typed model, recognised as the right kind.

mod support;

use graph_client::inspect::inspect;
use support::corpus_dir;

/// Response samples left out, with the reason. Everything else of kind `response` whose type is in
/// scope must parse.
const EXCLUDED: &[(&str, &str)] = &[
    // Samples with "xxx-value" placeholders parse (strings stay strings, unknown enum values are kept),
    // except this one, which has nothing that identifies a contact without the request.
    (
        "user-post-contacts__2.json",
        "only id, timestamps and displayName: the kind cannot be recognised from the body",
    ),
    // Not valid JSON.
    ("user-post-events__6.json", "invalid JSON: trailing comma"),
    (
        "outlook-calendar-meeting-proposals__4.json",
        "invalid JSON: missing comma",
    ),
    // Doc typos that real Graph does not produce.
    (
        "delta-query-messages__4.json",
        "isRead is the string \"true\", not a boolean",
    ),
    (
        "todotasklist-get__1.json",
        "value is an object and isOwner/isShared are strings (\"true\")",
    ),
];

/// The kind a sample must be recognised as, from SOURCES.tsv's `@odata.type` and HTTP line; `None`
/// for resources outside this crate's scope.
fn expected_kind(file: &str, odata_type: &str, http_line: &str) -> Option<&'static str> {
    if !http_line.contains(" 2") && !http_line.is_empty() {
        return Some("error");
    }
    let name = odata_type
        .trim_start_matches("collection(")
        .trim_end_matches(')')
        .trim_start_matches("microsoft.graph.")
        .to_ascii_lowercase();
    Some(match name.as_str() {
        "message" => "message",
        n if n.starts_with("eventmessage") => "message",
        "event" => "event",
        "contact" => "contact",
        "contactfolder" => "contactFolder",
        "mailfolder" | "mailsearchfolder" => "mailFolder",
        "todotask" => "todoTask",
        "todotasklist" => "todoTaskList",
        "outlookcategory" => "outlookCategory",
        "mailboxsettings" => "mailboxSettings",
        "automaticrepliessetting" => "automaticRepliesSetting",
        "workinghours" => "workingHours",
        "scheduleinformation" => "scheduleInformation",
        "" if file.starts_with("todotask-delta") => "todoTask",
        "" if file.starts_with("todotasklist-delta") => "todoTaskList",
        "" if file.starts_with("json-batching") => "batchResponse",
        _ => return None,
    })
}

#[test]
fn every_in_scope_response_sample_parses() {
    let Some(dir) = corpus_dir() else { return };
    let sources = std::fs::read_to_string(dir.join("graph-docs/SOURCES.tsv")).unwrap();
    let mut header = None;
    let (mut parsed, mut excluded, mut out_of_scope) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in sources.lines() {
        let columns: Vec<&str> = line.split('\t').collect();
        let Some(names) = &header else {
            header = Some(columns.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            continue;
        };
        let column = |name: &str| {
            let index = names.iter().position(|n| n == name).unwrap();
            columns.get(index).copied().unwrap_or_default()
        };
        let file = column("file");
        if column("kind") != "response" {
            continue;
        }
        let Some(expected) = expected_kind(file, column("odata_type"), column("http_first_line"))
        else {
            out_of_scope += 1;
            continue;
        };
        if EXCLUDED.iter().any(|(name, _)| *name == file) {
            excluded += 1;
            continue;
        }
        let body = std::fs::read(dir.join("graph-docs").join(file)).unwrap();
        match inspect(&body) {
            Ok(found) => {
                let inner = found
                    .kind
                    .split_once('<')
                    .map_or(found.kind.as_str(), |(_, rest)| rest.trim_end_matches('>'));
                if inner == expected {
                    parsed += 1;
                    if !found.round_trips {
                        failures.push(format!(
                            "{file}: the typed model does not serialize back to the same JSON"
                        ));
                    }
                } else {
                    failures.push(format!(
                        "{file}: expected {expected}, recognised {}",
                        found.kind
                    ));
                }
            }
            Err(error) => failures.push(format!("{file}: {error}")),
        }
    }
    println!("parsed {parsed}, excluded {excluded}, out of scope {out_of_scope}");
    assert!(
        failures.is_empty(),
        "{} samples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(parsed >= 100, "only {parsed} samples parsed");
    assert_eq!(
        excluded,
        EXCLUDED.len(),
        "an excluded sample is no longer in the corpus"
    );
}

#[test]
fn delta_samples_are_recognised_as_delta_pages_with_removed_entries() {
    let Some(dir) = corpus_dir() else { return };
    let read = |name: &str| std::fs::read(dir.join("graph-docs").join(name)).unwrap();
    let events = inspect(&read("delta-query-events__4.json")).unwrap();
    assert_eq!(events.kind, "deltaPage<event>");
    let tasks = inspect(&read("todotask-delta__1.json")).unwrap();
    assert_eq!(tasks.kind, "deltaPage<todoTask>");
    let (page, _) = graph_client::delta::parse_delta_page::<graph_client::model::Event>(&read(
        "delta-query-events__4.json",
    ))
    .unwrap();
    assert!(page.round_complete);
    assert!(
        page.entries
            .iter()
            .any(|entry| matches!(entry, graph_client::delta::DeltaEntry::Removed { .. }))
    );
}
