//! 200 mailbox requests through one client: when the server starts throttling, the shared back-off gate
//! holds every request until it opens, as the server's log shows.

mod support;

use std::sync::Arc;
use std::time::Duration;

use ews_client::{Credentials, HyperTransport, Mailbox, ManualClock};
use ews_types::operations::GetFolder;
use ews_types::types::DistinguishedFolderName;
use support::{Server, builder, busy_fault, drive, get_folder_ok, xml};

const MAILBOXES: usize = 200;
const IN_FLIGHT: usize = 8;
const THROTTLE_AT: usize = 60;
const BACK_OFF: Duration = Duration::from_millis(2_000);

#[tokio::test]
async fn no_request_is_sent_before_the_gate_opens() {
    let clock = ManualClock::new();
    // The server answers normally until request THROTTLE_AT, then says "busy, 2 s" to everything that
    // arrives before those 2 s have passed.
    let throttled_until = Arc::new(std::sync::Mutex::new(None::<Duration>));
    let window = throttled_until.clone();
    let server = Server::start(clock.clone(), move |exchange| {
        let mut window = window.lock().unwrap();
        if exchange.index == THROTTLE_AT {
            *window = Some(exchange.at + BACK_OFF);
        }
        match *window {
            Some(until) if exchange.at < until => {
                let remaining = (until - exchange.at).as_millis() as u64;
                xml(500, busy_fault(remaining))
            }
            _ => xml(200, get_folder_ok()),
        }
    })
    .await;
    let client = Arc::new(
        builder(
            &server,
            Credentials::basic("svc-crm@contoso.com", "Pa55w0rd"),
        )
        .max_concurrent_requests(IN_FLIGHT)
        .build(HyperTransport::plain_http(), clock.clone())
        .unwrap(),
    );

    let tasks = (0..MAILBOXES)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let mailbox = Mailbox::smtp(format!("user{i:03}@contoso.com"));
                client
                    .execute_as(
                        &mailbox,
                        &GetFolder::distinguished(DistinguishedFolderName::Inbox),
                    )
                    .await
            })
        })
        .collect();
    let results = drive(&clock, tasks).await;

    assert!(
        results.iter().all(Result::is_ok),
        "every mailbox got its answer"
    );
    let log = server.log();
    let onset = log[THROTTLE_AT].at;
    let opens = onset + BACK_OFF;
    let inside_window: Vec<_> = log[THROTTLE_AT..].iter().filter(|e| e.at < opens).collect();
    // Only requests already on the wire when the first "busy" went out can arrive inside the window, and
    // they arrive at its very start: nobody sent anything while the gate was closed.
    assert!(!inside_window.is_empty());
    assert!(
        inside_window.len() <= IN_FLIGHT,
        "{} requests inside the window",
        inside_window.len()
    );
    assert!(inside_window.iter().all(|e| e.at == onset));
    let after: Vec<_> = log
        .iter()
        .filter(|e| e.index > inside_window.last().unwrap().index)
        .collect();
    assert!(
        after.iter().all(|e| e.at >= opens),
        "a request arrived before the gate opened"
    );
    // Every mailbox was answered exactly once with success, plus the throttled ones again.
    assert_eq!(log.len(), MAILBOXES + inside_window.len());
    // The anchor always matches the impersonated mailbox.
    for exchange in &log {
        let anchor = exchange.header("x-anchormailbox").unwrap();
        assert!(exchange.body.contains(&format!(
            "<t:PrimarySmtpAddress>{anchor}</t:PrimarySmtpAddress>"
        )));
    }
}
