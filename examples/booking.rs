//! Books a meeting through EWS the way a CRM does, against a simulated Exchange started in-process:
//! free/busy of three mailboxes, the meeting booked in the first common free slot with an online
//! meeting URL, rescheduled, then cancelled with notices; after each step, what each attendee's
//! mailbox received.
//!
//! ```sh
//! cargo run --example booking
//! ```
//!
//! A service account impersonates the organizer and the attendees (ApplicationImpersonation), over
//! HTTPS to the simulator's own certificate. The logic is `examples::demos::booking`.

use std::process::ExitCode;

use examples::demos::booking::{self, Booking};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let booking = Booking::example();
    let run = async {
        let sim = booking::start_simulator(&booking).await?;
        let client = booking::service_client(&sim, booking::simulator_transport(&sim)?)?;
        println!("Simulated Exchange at {}\n", sim.ews_url());
        booking::seed_calendars(&client, &booking).await?;
        let report = booking::run(&client, &booking).await;
        sim.shutdown().await;
        report
    };
    examples::demos::finish("booking", run.await)
}
