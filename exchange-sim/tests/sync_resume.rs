//! Sync states and deltaLinks resume correctly: 10,000 random writes (creates, edits, read flags, moves
//! out and back, deletes) interleaved with SyncFolderItems calls, or Graph delta rounds, of random page
//! sizes, resuming from states saved as strings, with now and then a lost state; at the end the
//! client's mirror equals the folder exactly.

mod support;

use std::collections::HashMap;

use ews_types::items::{Item, Message};
use ews_types::operations::{ItemChange, SyncFolderItems};
use ews_types::types::{
    BaseShape, DistinguishedFolderName, FolderId, ItemId, ItemShape, PropertyPath,
};
use exchange_sim::{Fault, FaultScope, Simulator};
use support::{basic, header, typed};

const ALICE: &str = "alice@contoso.example";

/// splitmix64, so the run is the same every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What the client knows of one item.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    change_key: Option<String>,
    subject: Option<String>,
    is_read: Option<bool>,
}

fn seen(item: &Item) -> Seen {
    let Item::Message(m) = item else {
        panic!("only messages here")
    };
    Seen {
        change_key: m.item.item_id.as_ref().and_then(|i| i.change_key.clone()),
        subject: m.item.subject.clone(),
        is_read: m.is_read,
    }
}

struct Client {
    state: Option<String>,
    mirror: HashMap<String, Seen>,
    calls: usize,
    restarts: usize,
}

impl Client {
    /// One SyncFolderItems page; `false` when the folder has more changes.
    async fn page(&mut self, sim: &Simulator, max: i32) -> bool {
        let mut op = SyncFolderItems::new(DistinguishedFolderName::Inbox, self.state.clone(), max);
        op.item_shape = ItemShape::new(BaseShape::IdOnly).with_properties([
            PropertyPath::field("item:Subject"),
            PropertyPath::field("message:IsRead"),
        ]);
        self.calls += 1;
        let r = typed(&sim.ews_url(), &header(), &op, &basic(ALICE, "pw")).await;
        let message = match r.into_results().remove(0) {
            Ok(message) => message,
            Err(error) => {
                assert_eq!(error.code.unwrap().as_str(), "ErrorInvalidSyncStateData");
                // What a sync engine does: forget the state and reconcile everything again.
                self.state = None;
                self.mirror.clear();
                self.restarts += 1;
                return false;
            }
        };
        for change in message.changes.unwrap_or_default() {
            match change {
                ItemChange::Create(item) => {
                    let id = item.id().unwrap().id.clone();
                    assert!(
                        self.mirror.insert(id, seen(&item)).is_none(),
                        "a create of an item already known"
                    );
                }
                ItemChange::Update(item) => {
                    let id = item.id().unwrap().id.clone();
                    assert!(
                        self.mirror.insert(id, seen(&item)).is_some(),
                        "an update of an unknown item"
                    );
                }
                ItemChange::ReadFlagChange { item_id, is_read } => {
                    let entry = self
                        .mirror
                        .get_mut(&item_id.id)
                        .expect("read flag of an unknown item");
                    entry.is_read = Some(is_read);
                    entry.change_key = item_id.change_key;
                }
                ItemChange::Delete(id) => {
                    assert!(
                        self.mirror.remove(&id.id).is_some(),
                        "a delete of an unknown item"
                    );
                }
                other => panic!("unexpected change {other:?}"),
            }
        }
        self.state = message.sync_state;
        message.includes_last_item_in_range == Some(true)
    }
}

fn pick(ids: &[ItemId], rng: &mut Rng) -> Option<ItemId> {
    (!ids.is_empty()).then(|| ids[rng.below(ids.len())].clone())
}

/// Another client writing to the inbox through the store: creates, edits, read flags, moves out to
/// another folder and back, deletes.
struct Writer {
    inbox: FolderId,
    archive: FolderId,
    in_inbox: Vec<ItemId>,
    in_archive: Vec<ItemId>,
}

impl Writer {
    fn new(sim: &Simulator) -> Self {
        let store = sim.store();
        Writer {
            inbox: store
                .folder_id(ALICE, DistinguishedFolderName::Inbox)
                .unwrap(),
            archive: store
                .folder_id(ALICE, DistinguishedFolderName::Notes)
                .unwrap(),
            in_inbox: Vec::new(),
            in_archive: Vec::new(),
        }
    }

    fn write(&mut self, sim: &Simulator, rng: &mut Rng, write: usize) {
        let (inbox, archive) = (&self.inbox, &self.archive);
        let (in_inbox, in_archive) = (&mut self.in_inbox, &mut self.in_archive);
        let mut store = sim.store();
        {
            match rng.below(100) {
                0..=34 => {
                    let mut m = Message::default();
                    m.item.subject = Some(format!("created {write}"));
                    m.is_read = Some(false);
                    in_inbox.push(store.create_item(ALICE, inbox, Item::from(m)).unwrap());
                }
                35..=54 => {
                    if let Some(id) = pick(in_inbox, rng) {
                        store
                            .update_item(ALICE, &id, |i| {
                                i.fields_mut().subject = Some(format!("edited {write}"))
                            })
                            .unwrap();
                    }
                }
                55..=69 => {
                    if let Some(id) = pick(in_inbox, rng) {
                        store
                            .update_item(ALICE, &id, |i| {
                                if let Item::Message(m) = i {
                                    m.is_read = Some(!m.is_read.unwrap_or(false));
                                }
                            })
                            .unwrap();
                    }
                }
                70..=79 => {
                    if let Some(id) = pick(in_inbox, rng) {
                        in_inbox.retain(|i| i.id != id.id);
                        in_archive.push(store.move_item(ALICE, &id, archive).unwrap());
                    }
                }
                80..=87 => {
                    if let Some(id) = pick(in_archive, rng) {
                        in_archive.retain(|i| i.id != id.id);
                        in_inbox.push(store.move_item(ALICE, &id, inbox).unwrap());
                    }
                }
                _ => {
                    if let Some(id) = pick(in_inbox, rng) {
                        in_inbox.retain(|i| i.id != id.id);
                        store.delete_item(ALICE, &id).unwrap();
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn sync_states_resume_after_10000_random_writes() {
    let sim = Simulator::builder()
        .user(ALICE, "pw")
        .seed(7)
        .start()
        .await
        .unwrap();
    let inbox = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::Inbox)
        .unwrap();
    let mut rng = Rng(20261121);
    let mut client = Client {
        state: None,
        mirror: HashMap::new(),
        calls: 0,
        restarts: 0,
    };
    let mut writer = Writer::new(&sim);
    for write in 0..10_000 {
        writer.write(&sim, &mut rng, write);
        if rng.below(100) == 0 {
            // Now and then the server has lost the state.
            if rng.below(20) == 0 {
                sim.inject(Fault::InvalidSyncState.on(FaultScope::operation("SyncFolderItems")));
            }
            let pages = 1 + rng.below(3);
            for _ in 0..pages {
                let max = 1 + rng.below(512) as i32;
                if client.page(&sim, max).await {
                    break;
                }
            }
        }
    }
    while !client.page(&sim, 512).await {}
    let expected: HashMap<String, Seen> = sim
        .store()
        .items(ALICE, &inbox)
        .unwrap()
        .iter()
        .map(|item| (item.id().unwrap().id.clone(), seen(item)))
        .collect();
    assert_eq!(client.mirror.len(), expected.len());
    assert_eq!(client.mirror, expected);
    assert!(
        expected.len() > 500,
        "the run should leave a full folder, has {}",
        expected.len()
    );
    assert_eq!(
        sim.count_requests(|e| e.operation == "SyncFolderItems"),
        client.calls
    );
    println!(
        "{} items in the end, {} sync calls, {} restarts after an invalid state",
        expected.len(),
        client.calls,
        client.restarts
    );
}

/// What a Graph client knows of one message: the properties delta reported, merged.
#[derive(Debug, Default, Clone, PartialEq)]
struct Known {
    change_key: Option<String>,
    subject: Option<String>,
    is_read: Option<bool>,
}

#[tokio::test]
async fn delta_links_resume_after_10000_random_writes() {
    use graph_client::client::{DeltaRound, GraphClient};
    use graph_client::delta::{DeltaCursor, DeltaEntry, MessageDeltaOptions};
    use graph_client::{Graph, Preferences, Secret};

    let sim = Simulator::builder()
        .user(ALICE, "pw")
        .seed(8)
        .start()
        .await
        .unwrap();
    let token = sim.issue_token(ALICE).unwrap();
    let mut rng = Rng(4711);
    let mut writer = Writer::new(&sim);
    let mut saved = serde_json::to_string(&DeltaCursor::mail_folder_messages(
        "inbox",
        MessageDeltaOptions::default(),
    ))
    .unwrap();
    let mut mirror: HashMap<String, Known> = HashMap::new();
    let mut restarts = 0;
    let apply = |entries: Vec<DeltaEntry<graph_client::model::Message>>,
                 mirror: &mut HashMap<String, Known>| {
        for entry in entries {
            match entry {
                DeltaEntry::Changed(m) => {
                    let known = mirror.entry(m.id.clone().unwrap()).or_default();
                    if let Some(v) = m.change_key.value() {
                        known.change_key = Some(v.clone());
                    }
                    if let Some(v) = m.subject.value() {
                        known.subject = Some(v.clone());
                    }
                    if let Some(v) = m.is_read.value() {
                        known.is_read = Some(*v);
                    }
                }
                DeltaEntry::Removed { id, .. } => {
                    mirror.remove(&id);
                }
                other => panic!("unexpected entry {other:?}"),
            }
        }
    };
    let round = |sim: &Simulator, page: u32| {
        let graph = Graph::user(ALICE)
            .with_base_url(&sim.graph_url())
            .unwrap()
            .with_preferences(Preferences {
                max_page_size: Some(page),
                ..Preferences::default()
            });
        let client = GraphClient::new(Loopback, graph);
        client.set_access_token(Secret::new(token.clone()));
        client
    };
    for write in 0..10_000 {
        writer.write(&sim, &mut rng, write);
        if rng.below(100) == 0 {
            if rng.below(20) == 0 {
                sim.inject(Fault::DeltaGone.on(FaultScope::Graph));
            }
            let client = round(&sim, 1 + rng.below(300) as u32);
            let mut cursor: DeltaCursor<graph_client::model::Message> =
                serde_json::from_str(&saved).unwrap();
            match client.delta_round(&mut cursor).await.unwrap() {
                DeltaRound::Complete { entries, .. } => apply(entries, &mut mirror),
                DeltaRound::ResyncRequired { .. } => {
                    cursor.restart();
                    mirror.clear();
                    restarts += 1;
                }
                other => panic!("{other:?}"),
            }
            saved = serde_json::to_string(&cursor).unwrap();
        }
    }
    let client = round(&sim, 1000);
    let mut cursor: DeltaCursor<graph_client::model::Message> =
        serde_json::from_str(&saved).unwrap();
    let DeltaRound::Complete { entries, .. } = client.delta_round(&mut cursor).await.unwrap()
    else {
        panic!("resync at the end")
    };
    apply(entries, &mut mirror);
    let inbox = sim
        .store()
        .folder_id(ALICE, DistinguishedFolderName::Inbox)
        .unwrap();
    let mut expected: Vec<(Option<String>, Option<String>, Option<bool>)> = sim
        .store()
        .items(ALICE, &inbox)
        .unwrap()
        .iter()
        .map(|item| {
            let s = seen(item);
            (s.change_key, s.subject, Some(s.is_read.unwrap_or(false)))
        })
        .collect();
    let mut got: Vec<(Option<String>, Option<String>, Option<bool>)> = mirror
        .into_values()
        .map(|k| (k.change_key, k.subject, k.is_read))
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got.len(), expected.len());
    assert_eq!(got, expected);
    println!(
        "{} messages in the end, {restarts} resyncs after 410",
        expected.len()
    );
}

/// HTTP/1.1 to the simulator for graph-client.
struct Loopback;

impl graph_client::client::Transport for Loopback {
    async fn send(
        &self,
        request: http::Request<bytes::Bytes>,
    ) -> Result<http::Response<bytes::Bytes>, graph_client::TransportError> {
        support::send(request, None)
            .await
            .map_err(|e| graph_client::TransportError::with_source("loopback", e))
    }
}
