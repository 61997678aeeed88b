//! Every fault kind, scripted and random, as a client sees it on the wire.

mod support;

use std::time::{Duration, Instant};

use ews_types::items::{Item, Message};
use ews_types::operations::*;
use ews_types::types::*;
use exchange_sim::{Fault, FaultScope, RandomFaults, Simulator};
use support::{Answer, basic, call, ews_request, header, typed};

const ALICE: &str = "alice@contoso.example";

async fn sim() -> Simulator {
    Simulator::builder()
        .user(ALICE, "pw")
        .start()
        .await
        .unwrap()
}

fn auth() -> String {
    basic(ALICE, "pw")
}

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

#[tokio::test]
async fn server_busy_is_a_fault_with_back_off() {
    let sim = sim().await;
    sim.inject(
        Fault::ServerBusy {
            back_off: Duration::from_millis(2500),
        }
        .on(FaultScope::operation("SyncFolderItems")),
    );
    // Other operations are not hit.
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), &auth()).await,
        Answer::Response(_)
    ));
    let sync = SyncFolderItems::new(DistinguishedFolderName::Inbox, None, 512);
    let Answer::Fault(fault) = call(&sim.ews_url(), &header(), &sync, &auth()).await else {
        panic!("expected a fault")
    };
    assert_eq!(fault.code().as_str(), "ErrorServerBusy");
    assert_eq!(fault.back_off(), Some(Duration::from_millis(2500)));
    assert!(matches!(
        call(&sim.ews_url(), &header(), &sync, &auth()).await,
        Answer::Response(_)
    ));
    assert_eq!(sim.requests()[1].fault.as_deref(), Some("ServerBusy"));
    assert_eq!(sim.requests()[1].status, 500);
}

#[tokio::test]
async fn http_503_and_429_with_retry_after() {
    let sim = sim().await;
    sim.inject(Fault::ServiceUnavailable.on(FaultScope::Ews));
    sim.inject(
        Fault::Throttled {
            retry_after: Duration::from_secs(3),
        }
        .on(FaultScope::Any),
    );
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), &auth()).await,
        Answer::Http(503, _)
    ));
    let response = support::send(
        ews_request(&sim.ews_url(), &header(), &inbox(), &auth()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "3");
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), &auth()).await,
        Answer::Response(_)
    ));
}

#[tokio::test]
async fn dropped_connections_and_slow_answers() {
    let sim = sim().await;
    sim.inject(Fault::DropConnection.on(FaultScope::Ews));
    sim.inject(Fault::Slow(Duration::from_millis(200)).on(FaultScope::Ews));
    let dropped = support::send(
        ews_request(&sim.ews_url(), &header(), &inbox(), &auth()),
        None,
    )
    .await;
    assert!(dropped.is_err(), "{dropped:?}");
    let started = Instant::now();
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), &auth()).await,
        Answer::Response(_)
    ));
    assert!(started.elapsed() >= Duration::from_millis(200));
    let log = sim.requests();
    assert_eq!(log[0].status, 0);
    assert!(log[1].elapsed >= Duration::from_millis(200));
}

#[tokio::test]
async fn invalid_sync_state_and_conflicts() {
    let sim = sim().await;
    let mut m = Message::default();
    m.item.subject = Some("x".into());
    let r = typed(
        &sim.ews_url(),
        &header(),
        &CreateItem::save(DistinguishedFolderName::Inbox, vec![Item::from(m.clone())]),
        &auth(),
    )
    .await;
    let id = first_id!(r);
    sim.inject(Fault::InvalidSyncState.on(FaultScope::Ews));
    sim.inject(Fault::Conflict.on(FaultScope::Ews));
    let sync = SyncFolderItems::new(DistinguishedFolderName::Inbox, None, 10);
    let r = typed(&sim.ews_url(), &header(), &sync, &auth()).await;
    assert_eq!(
        r.messages[0].code.as_ref().unwrap().as_str(),
        "ErrorInvalidSyncStateData"
    );
    let update = UpdateItem::never_overwrite(vec![ItemUpdate {
        item: ItemRef::Id(id),
        updates: vec![FieldUpdate::Set {
            path: PropertyPath::field("item:Subject"),
            item: Item::from(m),
        }],
    }]);
    let r = typed(&sim.ews_url(), &header(), &update, &auth()).await;
    assert_eq!(
        r.messages[0].code.as_ref().unwrap().as_str(),
        "ErrorIrresolvableConflict"
    );
    let r = typed(&sim.ews_url(), &header(), &update, &auth()).await;
    assert_eq!(r.messages[0].code.as_ref().unwrap().as_str(), "NoError");
}

async fn random_run(seed: u64) -> Vec<Option<String>> {
    let sim = Simulator::builder()
        .user(ALICE, "pw")
        .random_faults(RandomFaults {
            seed,
            rate: 0.5,
            kinds: vec![
                Fault::ServiceUnavailable,
                Fault::ServerBusy {
                    back_off: Duration::from_millis(1),
                },
                Fault::DropConnection,
            ],
        })
        .start()
        .await
        .unwrap();
    for _ in 0..30 {
        let _ = support::send(
            ews_request(&sim.ews_url(), &header(), &inbox(), &auth()),
            None,
        )
        .await;
    }
    sim.requests().into_iter().map(|e| e.fault).collect()
}

#[tokio::test]
async fn random_faults_repeat_with_their_seed() {
    let a = random_run(11).await;
    assert_eq!(a, random_run(11).await);
    assert_ne!(a, random_run(12).await);
    let hits = a.iter().filter(|f| f.is_some()).count();
    assert!((5..=25).contains(&hits), "{hits} of 30");
    assert!(a.iter().flatten().any(|f| f == "DropConnection"));
}
