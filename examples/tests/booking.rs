//! The booking walk-through against the simulator: the attendees receive the invitation with the join
//! URL, the update with the new time and the cancellation, and every request it sends validates
//! against the EWS schema.

mod support;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ews_client::{Transport, TransportError};
use ews_types::operations::AnyRequest;
use examples::demos::booking::{self, Booking, Slot};
use jiff::civil::date;

/// Keeps a copy of every request body on its way to the real transport.
#[derive(Clone)]
struct Recording<T> {
    inner: T,
    bodies: Arc<Mutex<Vec<Bytes>>>,
}

impl<T: Transport> Transport for Recording<T> {
    type Connection = T::Connection;

    async fn connect(&self, endpoint: &http::Uri) -> Result<T::Connection, TransportError> {
        self.inner.connect(endpoint).await
    }

    async fn send(
        &self,
        connection: &mut T::Connection,
        request: http::Request<Bytes>,
        max_response_bytes: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        self.bodies.lock().unwrap().push(request.body().clone());
        self.inner
            .send(connection, request, max_response_bytes)
            .await
    }

    fn is_reusable(&self, connection: &T::Connection) -> bool {
        self.inner.is_reusable(connection)
    }
}

fn slot(from: (i8, i8), to: (i8, i8)) -> Slot {
    let day = date(2027, 6, 8);
    Slot {
        start: day.at(from.0, from.1, 0, 0),
        end: day.at(to.0, to.1, 0, 0),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attendees_receive_the_invitation_the_update_and_the_cancellation() {
    let plan = Booking::example();
    let sim = booking::start_simulator(&plan).await.unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let transport = Recording {
        inner: booking::simulator_transport(&sim).unwrap(),
        bodies: bodies.clone(),
    };
    let client = booking::service_client(&sim, transport).unwrap();
    booking::seed_calendars(&client, &plan).await.unwrap();
    let report = booking::run(&client, &plan).await.unwrap();

    // Free/busy saw the seeded appointments, and the two common free hours were chosen.
    let bob = &report.schedules[2];
    assert_eq!(bob.mailbox, "bob@contoso.example");
    assert_eq!(
        bob.busy,
        [
            (slot((10, 0), (11, 0)), "Busy".to_owned()),
            (slot((13, 0), (14, 30)), "Busy".to_owned())
        ]
    );
    assert_eq!(report.booked, slot((12, 0), (13, 0)));
    assert_eq!(report.moved_to, slot((14, 30), (15, 30)));

    let [booked, moved, cancelled] = &report.steps[..] else {
        panic!("three steps expected: {report}");
    };
    for (n, attendee) in plan.attendees.iter().enumerate() {
        let invitation = &booked.deliveries[n];
        assert_eq!(&invitation.mailbox, attendee);
        assert_eq!(invitation.received.len(), 1, "{report}");
        assert_eq!(invitation.received[0].kind, "MeetingRequest");
        assert_eq!(invitation.received[0].subject, "Renewal kickoff");
        assert!(invitation.received[0].has_join_url, "{report}");
        let copy = invitation
            .calendar
            .as_ref()
            .expect("the meeting is in the calendar");
        assert_eq!(copy.slot, report.booked);
        assert_eq!(copy.location, plan.join_url);
        assert!(!copy.cancelled);

        let update = &moved.deliveries[n];
        assert_eq!(update.received.len(), 1, "{report}");
        assert_eq!(update.received[0].kind, "MeetingRequest");
        let copy = update.calendar.as_ref().expect("still in the calendar");
        assert_eq!(copy.slot, report.moved_to, "the attendee's copy moved");
        assert!(!copy.cancelled);

        let cancellation = &cancelled.deliveries[n];
        assert_eq!(cancellation.received.len(), 1, "{report}");
        assert_eq!(cancellation.received[0].kind, "MeetingCancellation");
        assert_eq!(
            cancellation.received[0].subject,
            "Canceled: Renewal kickoff"
        );
        let copy = cancellation
            .calendar
            .as_ref()
            .expect("kept, marked cancelled");
        assert!(copy.cancelled);
    }

    let printed = report.to_string();
    for line in [
        "bob@contoso.example     10:00-11:00 Busy, 13:00-14:30 Busy",
        "First 60-minute slot free for all 3: 12:00-13:00",
        "alice@contoso.example  MeetingRequest \"Renewal kickoff\" (with join URL)  12:00-13:00 online",
        "2. Rescheduled to 14:30-15:30, updates sent to all",
        "bob@contoso.example    MeetingCancellation \"Canceled: Renewal kickoff\" (with join URL)  14:30-15:30 online, CANCELLED",
    ] {
        assert!(printed.contains(line), "missing {line:?} in\n{printed}");
    }

    // The organizer's copy went to Deleted Items; nobody else was written to.
    let organizer_writes: Vec<String> = sim
        .requests()
        .iter()
        .filter(|e| {
            matches!(
                e.operation.as_str(),
                "CreateItem" | "UpdateItem" | "DeleteItem"
            )
        })
        .filter_map(|e| e.mailbox.clone())
        .collect();
    assert_eq!(
        organizer_writes
            .iter()
            .filter(|m| *m == "olivia@contoso.example")
            .count(),
        4,
        "one seeded appointment, then create, update and delete: {organizer_writes:?}"
    );

    let Some(schema) = support::messages_xsd() else {
        return;
    };
    let documents: Vec<(String, Vec<u8>)> = bodies
        .lock()
        .unwrap()
        .iter()
        .map(|body| {
            let (_, request) =
                AnyRequest::parse(body).expect("the client sent a parseable request");
            (request.name().to_owned(), request.to_body())
        })
        .collect();
    let names: Vec<&str> = documents.iter().map(|(n, _)| n.as_str()).collect();
    for operation in [
        "GetUserAvailabilityRequest",
        "CreateItem",
        "UpdateItem",
        "DeleteItem",
        "FindItem",
        "GetItem",
    ] {
        assert!(
            names.contains(&operation),
            "{operation} not sent: {names:?}"
        );
    }
    support::assert_valid(&schema, &documents);
}
