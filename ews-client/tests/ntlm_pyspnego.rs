//! NTLM interop with an implementation nobody here wrote: the client's NTLMv2 handshake against
//! pyspnego's NTLM acceptor (tests/ntlm_server.py) on loopback, with `LM_COMPAT_LEVEL=5` so that only
//! NTLMv2 is accepted.
//!
//! Without python3 and pyspnego the tests print `skipped:` and pass, except when `CI` is set: there they
//! fail, so CI cannot skip them silently (`.ci/run` installs pyspnego).

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use ews_client::{ClientBuilder, Credentials, Error, HyperTransport, ManualClock};
use ews_types::operations::GetFolder;
use ews_types::types::DistinguishedFolderName;

const USERS: &str = "CONTOSO:alice:Pa55w0rd-2026\n:bob@contoso.com:An0ther-Secret\n";

/// The pyspnego server, killed when dropped.
struct NtlmServer {
    child: Child,
    port: u16,
    _files: tempfile::TempDir,
}

impl Drop for NtlmServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pyspnego_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import spnego"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but python3 with pyspnego is missing: `python3 -m pip install pyspnego`"
        );
        println!("skipped: python3 with pyspnego not found (python3 -m pip install pyspnego)");
    }
    found
}

fn start() -> NtlmServer {
    let files = tempfile::tempdir().unwrap();
    let users = files.path().join("users");
    std::fs::write(&users, USERS).unwrap();
    let response = files.path().join("response.xml");
    let body = support::get_folder_ok().replace(
        "<t:DisplayName>Inbox</t:DisplayName>",
        "<t:DisplayName>{USER}</t:DisplayName><t:TotalCount>{REQUEST}</t:TotalCount>",
    );
    std::fs::write(&response, body).unwrap();
    let mut child = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ntlm_server.py"))
        .arg(&response)
        .env("NTLM_USER_FILE", &users)
        .env("LM_COMPAT_LEVEL", "5")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().strip_prefix("PORT ").unwrap().parse().unwrap();
    NtlmServer {
        child,
        port,
        _files: files,
    }
}

async fn read_inbox(
    server: &NtlmServer,
    user: &str,
    password: &str,
) -> Result<(String, u32), Error> {
    let client = ClientBuilder::new(
        format!("http://127.0.0.1:{}/EWS/Exchange.asmx", server.port),
        Credentials::ntlm(user, password),
    )
    .allow_insecure_loopback_http(true)
    .build(HyperTransport::plain_http(), ManualClock::new())?;
    let request = GetFolder::distinguished(DistinguishedFolderName::Inbox);
    let mut seen = Vec::new();
    // Twice: the second request rides the connection the handshake authenticated.
    for _ in 0..2 {
        let response = client.execute(&request).await?;
        let folder = response
            .messages
            .into_iter()
            .next()
            .unwrap()
            .into_result()
            .unwrap();
        let folder = folder.folders.unwrap().into_iter().next().unwrap();
        seen.push((
            folder.fields.display_name.unwrap_or_default(),
            folder.fields.total_count.unwrap_or_default() as u32,
        ));
    }
    assert_eq!(seen[0].0, seen[1].0);
    Ok(seen.pop().unwrap())
}

#[tokio::test]
async fn a_down_level_logon_name_is_accepted_by_pyspnego() {
    if !pyspnego_available() {
        return;
    }
    let server = start();
    let (user, request_on_connection) = read_inbox(&server, "CONTOSO\\alice", "Pa55w0rd-2026")
        .await
        .unwrap();
    assert_eq!(user, "CONTOSO\\alice");
    // negotiate, authenticate, then the second request on the same connection without a new handshake.
    assert_eq!(request_on_connection, 3);
}

#[tokio::test]
async fn a_upn_is_accepted_by_pyspnego() {
    if !pyspnego_available() {
        return;
    }
    let server = start();
    let (user, _) = read_inbox(&server, "bob@contoso.com", "An0ther-Secret")
        .await
        .unwrap();
    assert_eq!(user, "bob@contoso.com");
}

#[tokio::test]
async fn a_wrong_password_is_unauthorized() {
    if !pyspnego_available() {
        return;
    }
    let server = start();
    let error = read_inbox(&server, "CONTOSO\\alice", "wrong-password")
        .await
        .unwrap_err();
    let Error::Unauthorized {
        status,
        offered_schemes,
        ..
    } = &error
    else {
        panic!("expected Unauthorized, got {error}");
    };
    assert_eq!(*status, 401);
    assert_eq!(offered_schemes, &["NTLM"]);
}
