//! Every EWS request the sync sends validates against the EWS schema (`messages.xsd`, with xmllint):
//! the requests of a real sync are recorded on the wire — SyncFolderItems, GetItem, CreateItem for
//! each kind, UpdateItem with plain, indexed and extended properties, DeleteItem, the untag, and the
//! FindItem restriction on the correlation key that recovers a create after a crash.

mod support;
mod sync_support;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ews_client::{ClientBuilder, Credentials, HyperTransport, Transport, TransportError};
use examples::sync::crm::Crm;
use examples::sync::ews_adapter::EwsMailbox;
use examples::sync::round::{Checkpoint, Checkpoints};
use examples::sync::{SavedState, SyncError, TRACKING_CATEGORY, default_config, sync_mailbox};
use sync_core::{Field, RecordKind, Side, Value};
use sync_support::*;

/// A transport that keeps a copy of every request body.
#[derive(Clone)]
struct Recording {
    inner: HyperTransport,
    bodies: Arc<Mutex<Vec<Bytes>>>,
}

impl Transport for Recording {
    type Connection = <HyperTransport as Transport>::Connection;

    async fn connect(&self, endpoint: &http::Uri) -> Result<Self::Connection, TransportError> {
        self.inner.connect(endpoint).await
    }

    async fn send(
        &self,
        connection: &mut Self::Connection,
        request: http::Request<Bytes>,
        max_response_bytes: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        self.bodies.lock().unwrap().push(request.body().clone());
        self.inner
            .send(connection, request, max_response_bytes)
            .await
    }
}

/// Stops the first run right after the first Exchange create, so the next run recovers it by key.
struct AfterFirstCreate(bool);

impl Checkpoints for AfterFirstCreate {
    fn reached(&mut self, point: &Checkpoint) -> Result<(), SyncError> {
        let create = matches!(
            point,
            Checkpoint::Executed {
                side: Side::Exchange,
                action: "Create"
            }
        );
        if create && !self.0 {
            self.0 = true;
            return Err(SyncError::Interrupted("after the first create".into()));
        }
        Ok(())
    }
}

#[tokio::test]
async fn every_request_of_a_sync_validates_against_messages_xsd() {
    let Some(schema) = support::messages_xsd() else {
        return;
    };
    let sim = simulator().await;
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let transport = Recording {
        inner: HyperTransport::plain_http(),
        bodies: bodies.clone(),
    };
    let client = Arc::new(
        ClientBuilder::new(sim.ews_url(), Credentials::basic(SERVICE, SERVICE_PASSWORD))
            .allow_insecure_loopback_http(true)
            .build(transport, NoWaitClock::default())
            .unwrap(),
    );
    let mailbox = EwsMailbox::impersonating(client, ALICE, TRACKING_CATEGORY);
    let config = default_config(ALICE);
    let crm = Mutex::new(Crm::new(now()));
    let (contact_id, task_id, meeting_id) = {
        let mut c = crm.lock().unwrap();
        (
            c.create(ALICE, RecordKind::Contact, crm_contact()),
            c.create(ALICE, RecordKind::Task, crm_task()),
            c.create(
                ALICE,
                RecordKind::Meeting,
                crm_meeting(&["dan@fabrikam.example"]),
            ),
        )
    };
    let outlook = seed(
        &sim,
        ALICE,
        contact("Bea", "Kim", "bea@fabrikam.example"),
        true,
    );
    seed(&sim, ALICE, email("Quote request"), true);
    let mut saved = SavedState::default();
    let mut stop = AfterFirstCreate(false);
    let first = sync_mailbox(&crm, &mailbox, &mut saved, &config, now(), &mut stop).await;
    assert!(matches!(first, Err(SyncError::Interrupted(_))));
    sync_once(&crm, &mailbox, &mut saved).await;
    {
        let mut c = crm.lock().unwrap();
        c.edit(
            &contact_id,
            Field::EmailAddresses,
            examples::sync::values::addresses(["ann@contoso.example", "ann.lee@contoso.example"]),
        );
        c.edit(&contact_id, Field::PostalAddress, Value::Null);
        c.edit(&contact_id, Field::JobTitle, Value::Null);
        c.edit(&meeting_id, Field::Location, Value::text("Room 7"));
        c.delete(&task_id);
    }
    sim.store()
        .update_item(ALICE, &outlook, |i| i.fields_mut().categories = None)
        .unwrap();
    sync_once(&crm, &mailbox, &mut saved).await;
    crm.lock().unwrap().delete(&meeting_id);
    sync_once(&crm, &mailbox, &mut saved).await;

    let recorded = bodies.lock().unwrap().clone();
    let mut documents = Vec::new();
    let mut operations = std::collections::BTreeSet::new();
    for (n, body) in recorded.iter().enumerate() {
        let text = String::from_utf8_lossy(body);
        // The schema describes the operation element inside the SOAP body: take it out as the
        // parser reads it, after checking that parse → build gives back exactly what was sent.
        let (header, request) = ews_types::operations::AnyRequest::parse(body)
            .unwrap_or_else(|e| panic!("request {n} does not parse: {e}\n{text}"));
        assert_eq!(
            String::from_utf8_lossy(&request.to_envelope(&header)),
            text,
            "request {n}: parse → build is not the request sent"
        );
        operations.insert(request.name().to_owned());
        documents.push((request.name().to_owned(), request.to_body()));
    }
    let wanted = [
        "CreateItem",
        "DeleteItem",
        "FindItem",
        "GetItem",
        "SyncFolderItems",
        "UpdateItem",
    ];
    for op in wanted {
        assert!(operations.contains(op), "no {op} was sent: {operations:?}");
    }
    support::assert_valid(&schema, &documents);
    sim.shutdown().await;
}
