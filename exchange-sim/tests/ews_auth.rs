//! Authentication and impersonation on the EWS endpoint: Basic, NTLMv2 on one kept-alive connection,
//! bearer tokens, HTTPS with the certificate made at start, and the service account's impersonation.

mod support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ews_types::operations::GetFolder;
use ews_types::types::DistinguishedFolderName;
use exchange_sim::Simulator;
use support::{
    Answer, basic, call, connect, ews_request, header, impersonating, ntlm, read, typed,
};

const ALICE: &str = "alice@contoso.example";
const BOB: &str = "bob@contoso.example";

async fn sim() -> Simulator {
    Simulator::builder()
        .user(ALICE, "alice-pw")
        .user(BOB, "bob-pw")
        .service_account("svc@contoso.example", "svc-pw")
        .app("app-1", "app-secret")
        .start()
        .await
        .unwrap()
}

fn inbox() -> GetFolder {
    GetFolder::distinguished(DistinguishedFolderName::Inbox)
}

#[tokio::test]
async fn wrong_or_missing_credentials_get_401_with_the_offered_schemes() {
    let sim = sim().await;
    let mut request = ews_request(&sim.ews_url(), &header(), &inbox(), &basic(ALICE, "nope"));
    request.headers_mut().remove("authorization");
    let response = support::send(request, None).await.unwrap();
    assert_eq!(response.status(), 401);
    let schemes: Vec<&str> = response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        schemes.contains(&"NTLM") && schemes.iter().any(|s| s.starts_with("Basic")),
        "{schemes:?}"
    );
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), &basic(ALICE, "nope")).await,
        Answer::Http(401, _)
    ));
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), "Bearer made-up").await,
        Answer::Http(401, _)
    ));
    assert!(matches!(
        call(
            &sim.ews_url(),
            &header(),
            &inbox(),
            &basic("CONTOSO\\alice", "alice-pw")
        )
        .await,
        Answer::Response(_)
    ));
}

async fn ntlm_handshake(sim: &Simulator, user: &str, password: &str) -> (u16, u16) {
    let mut connection = connect(&sim.ews_url(), None).await.unwrap();
    let negotiate = format!("NTLM {}", STANDARD.encode(ntlm::negotiate()));
    let first = connection
        .send(ews_request(&sim.ews_url(), &header(), &inbox(), &negotiate))
        .await
        .unwrap();
    assert_eq!(first.status(), 401);
    let challenge = first.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .strip_prefix("NTLM ")
        .unwrap()
        .to_owned();
    let (server_challenge, target_info) =
        ntlm::read_challenge(&STANDARD.decode(challenge).unwrap());
    let authenticate =
        ntlm::authenticate(user, "CONTOSO", password, server_challenge, &target_info);
    let answer = connection
        .send(ews_request(
            &sim.ews_url(),
            &header(),
            &inbox(),
            &format!("NTLM {}", STANDARD.encode(authenticate)),
        ))
        .await
        .unwrap();
    let status = answer.status().as_u16();
    // The connection stays authenticated, as with IIS: the next request needs no header.
    let mut next = ews_request(&sim.ews_url(), &header(), &inbox(), "x");
    next.headers_mut().remove("authorization");
    let again = match connection.send(next).await {
        Ok(r) => r.status().as_u16(),
        Err(_) => 0,
    };
    (status, again)
}

#[tokio::test]
async fn ntlmv2_authenticates_the_connection() {
    let sim = sim().await;
    assert_eq!(ntlm_handshake(&sim, "alice", "alice-pw").await, (200, 200));
    assert_eq!(ntlm_handshake(&sim, "alice", "wrong").await, (401, 401));
    let log = sim.requests();
    assert_eq!(log[1].principal.as_deref(), Some(ALICE));
    assert_eq!(log[2].mailbox.as_deref(), Some(ALICE));
}

#[tokio::test]
async fn only_the_service_account_may_impersonate() {
    let sim = sim().await;
    let svc = basic("svc@contoso.example", "svc-pw");
    let _ = typed(&sim.ews_url(), &impersonating(BOB), &inbox(), &svc).await;
    assert_eq!(sim.requests()[0].mailbox.as_deref(), Some(BOB));

    let denied = call(
        &sim.ews_url(),
        &impersonating(BOB),
        &inbox(),
        &basic(ALICE, "alice-pw"),
    )
    .await;
    assert_eq!(
        denied.fault_code().as_deref(),
        Some("ErrorImpersonateUserDenied")
    );
    let nobody = call(
        &sim.ews_url(),
        &impersonating("nobody@contoso.example"),
        &inbox(),
        &svc,
    )
    .await;
    assert_eq!(
        nobody.fault_code().as_deref(),
        Some("ErrorNonExistentMailbox")
    );
    // The service account has no mailbox of its own.
    let own = call(&sim.ews_url(), &header(), &inbox(), &svc).await;
    assert_eq!(own.fault_code().as_deref(), Some("ErrorNonExistentMailbox"));
    // Delegate access by folder mailbox is refused to a plain user.
    let other = GetFolder {
        folder_shape: ews_types::types::FolderShape::new(ews_types::types::BaseShape::IdOnly),
        folder_ids: vec![
            ews_types::types::DistinguishedFolderId::in_mailbox(
                DistinguishedFolderName::Inbox,
                BOB,
            )
            .into(),
        ],
    };
    let r = typed(&sim.ews_url(), &header(), &other, &basic(ALICE, "alice-pw")).await;
    assert_eq!(
        r.messages[0].code.as_ref().map(|c| c.as_str()),
        Some("ErrorAccessDenied")
    );
}

#[tokio::test]
async fn app_only_tokens_need_the_impersonation_header() {
    let sim = sim().await;
    let token = format!("Bearer {}", sim.issue_app_token("app-1").unwrap());
    let without = call(&sim.ews_url(), &header(), &inbox(), &token).await;
    assert_eq!(
        without.fault_code().as_deref(),
        Some("ErrorInvalidExchangeImpersonationHeaderData")
    );
    assert!(matches!(
        call(&sim.ews_url(), &impersonating(ALICE), &inbox(), &token).await,
        Answer::Response(_)
    ));
    let delegated = format!("Bearer {}", sim.issue_token(BOB).unwrap());
    assert!(matches!(
        call(&sim.ews_url(), &header(), &inbox(), &delegated).await,
        Answer::Response(_)
    ));
    assert_eq!(sim.requests()[2].mailbox.as_deref(), Some(BOB));
}

#[tokio::test]
async fn https_serves_with_a_certificate_the_client_can_trust() {
    let sim = Simulator::builder()
        .user(ALICE, "alice-pw")
        .https()
        .start()
        .await
        .unwrap();
    assert!(sim.ews_url().starts_with("https://127.0.0.1:"));
    let der = sim.certificate_der().unwrap().to_vec();
    assert!(sim.certificate_pem().unwrap().contains("BEGIN CERTIFICATE"));
    let request = ews_request(
        &sim.ews_url(),
        &header(),
        &inbox(),
        &basic(ALICE, "alice-pw"),
    );
    let response = support::send(request, Some(&der)).await.unwrap();
    assert!(matches!(read(&response), Answer::Response(_)));
    // A client that does not trust the certificate cannot talk to it.
    let request = ews_request(
        &sim.ews_url(),
        &header(),
        &inbox(),
        &basic(ALICE, "alice-pw"),
    );
    assert!(support::send(request, None).await.is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let sim = sim().await;
    let url = sim.ews_url();
    assert!(matches!(
        call(&url, &header(), &inbox(), &basic(ALICE, "alice-pw")).await,
        Answer::Response(_)
    ));
    sim.shutdown().await;
    let request = ews_request(&url, &header(), &inbox(), &basic(ALICE, "alice-pw"));
    assert!(support::send(request, None).await.is_err());
}
