//! Tests a real Exchange server: Autodiscover, ResolveNames and the server version, with Basic, NTLM
//! or OAuth app-only credentials from the environment or flags. Prints what works and the exact error
//! otherwise (`Unauthorized`, `ErrorNonExistentMailbox`, `AutoDiscoverFailed`...); without
//! configuration it explains what to set and exits with status 2.
//!
//! ```sh
//! cargo run --example probe -- --help
//! EXCHANGE_PROBE_EMAIL=mara@contoso.com EXCHANGE_PROBE_USER='CONTOSO\mara' \
//!   EXCHANGE_PROBE_PASSWORD=... EXCHANGE_PROBE_AUTH=basic cargo run --example probe
//! EXCHANGE_PROBE_PASSWORD=... cargo run --example probe -- --auth ntlm --user 'CONTOSO\mara' \
//!   --email mara@contoso.com --ews-url https://mail.contoso.com/EWS/Exchange.asmx
//! ```
//!
//! The logic is `examples::demos::probe`.

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let output = examples::demos::probe::cli(&args, &|name| std::env::var(name).ok()).await;
    print!("{}", output.stdout);
    eprint!("{}", output.stderr);
    ExitCode::from(output.code)
}
