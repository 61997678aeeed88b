//! Every retry is visible through `tracing`: a `WARN` event named "retrying" with the operation, the
//! attempt, the delay and the error.

mod support;

use std::sync::Arc;

use ews_client::{Mailbox, ManualClock};
use ews_types::operations::GetFolder;
use ews_types::types::DistinguishedFolderName;
use support::{Server, basic_client, busy_fault, execute_driven, get_folder_ok, xml};

/// Records the message and fields of every `tracing` event.
#[derive(Clone, Default)]
struct Events(Arc<std::sync::Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl tracing::Subscriber for Events {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn every_retry_is_a_tracing_event() {
    let events = Events::default();
    // The only test of this binary, so the global subscriber sees exactly its events.
    tracing::subscriber::set_global_default(events.clone()).unwrap();
    let clock = ManualClock::new();
    let server = Server::start(clock.clone(), |exchange| {
        if exchange.index < 2 {
            xml(500, busy_fault(1_500))
        } else {
            xml(200, get_folder_ok())
        }
    })
    .await;
    let client = Arc::new(basic_client(&server, &clock));
    let inbox = GetFolder::distinguished(DistinguishedFolderName::Inbox);
    execute_driven(&clock, &client, Mailbox::account(), inbox)
        .await
        .unwrap();
    assert_eq!(server.log().len(), 3);
    let retries: Vec<_> = events
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.contains("message=retrying"))
        .cloned()
        .collect();
    assert_eq!(retries.len(), 2, "{retries:?}");
    assert!(
        retries[0].starts_with("WARN") && retries[0].contains("attempt=1 "),
        "{}",
        retries[0]
    );
    assert!(retries[1].contains("attempt=2 ") && retries[1].contains("delay_ms=1500 "));
    assert!(
        retries[1].contains("operation=\"GetFolder\"") && retries[1].contains("ErrorServerBusy")
    );
}
