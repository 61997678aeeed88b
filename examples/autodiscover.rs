//! Autodiscover against a simulated Exchange started in-process: each attempt of each run, a
//! cross-domain redirect that needs (and gets) the user's confirmation, one that is declined, what
//! `DOMAIN/user` and `DOMAIN\user` logon names are, and what a bad EWS URL produces.
//!
//! ```sh
//! cargo run --example autodiscover
//! ```
//!
//! The logic is `examples::demos::autodiscover_tour`; the transport and confirmation policy a caller
//! supplies to `autodiscover::driver::run` are in `examples::demos::discovery`.

use std::process::ExitCode;

use examples::demos::autodiscover_tour;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let run = async {
        let sim = autodiscover_tour::start_simulator().await?;
        let report = autodiscover_tour::run(&sim).await;
        sim.shutdown().await;
        report
    };
    examples::demos::finish("autodiscover tour", run.await)
}
