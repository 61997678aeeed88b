//! The autodiscover crate's driver against the simulator's POX endpoint over HTTPS: discovery succeeds
//! at `https://D/...` with a bearer token, follows a configured `redirectAddr`, and the JSON variant
//! answers as the crate's parser expects.

mod support;

use std::future::Future;

use autodiscover::driver::{self, DeclineAll, HttpTransport, NoSrv};
use autodiscover::json::JsonResponse;
use autodiscover::{
    AuthScheme, Autodiscover, Config, CredentialGrant, Method, PublicSuffix, TransportErrorKind,
};
use bytes::Bytes;
use exchange_sim::{AutodiscoverRedirect, Simulator};

const ALICE: &str = "alice@contoso.example";

/// Every host goes to the simulator's port; TLS trusts only its certificate; the bearer token goes
/// only where the machine's grant permits.
#[derive(Clone)]
struct ToSimulator {
    address: String,
    certificate: Vec<u8>,
    token: String,
}

impl HttpTransport for ToSimulator {
    fn send(
        &self,
        mut request: http::Request<Bytes>,
        credentials: Option<&CredentialGrant>,
    ) -> impl Future<Output = Result<http::Response<Bytes>, TransportErrorKind>> + Send {
        let permitted = credentials
            .is_some_and(|g| g.permits(request.uri()) && g.schemes().contains(&AuthScheme::Bearer));
        if permitted {
            if let Ok(value) = format!("Bearer {}", self.token).parse() {
                request.headers_mut().insert("authorization", value);
            }
        }
        let this = self.clone();
        async move {
            let url = request.uri().to_string();
            let mut connection = support::connect_via(&this.address, &url, Some(&this.certificate))
                .await
                .map_err(|_| TransportErrorKind::Tls)?;
            connection
                .send(request)
                .await
                .map_err(|_| TransportErrorKind::Other)
        }
    }
}

async fn sim() -> Simulator {
    Simulator::builder()
        .user(ALICE, "pw")
        .user("mara@contoso.example", "pw")
        .https()
        .tls_name("contoso.example")
        .tls_name("autodiscover.contoso.example")
        .autodiscover_redirect(
            "mara@contoso.example",
            AutodiscoverRedirect::Address(ALICE.into()),
        )
        .start()
        .await
        .unwrap()
}

fn transport(sim: &Simulator, user: &str) -> ToSimulator {
    ToSimulator {
        address: sim.base_url().trim_start_matches("https://").to_owned(),
        certificate: sim.certificate_der().unwrap().to_vec(),
        token: sim.issue_token(user).unwrap(),
    }
}

fn machine(email: &str) -> Autodiscover {
    let config = Config::new(email, PublicSuffix::mozilla())
        .unwrap()
        .with_method(Method::Pox)
        .with_auth(vec![AuthScheme::Bearer])
        .with_http_probe(false)
        .with_srv(false);
    Autodiscover::new(config)
}

#[tokio::test]
async fn pox_discovery_finds_the_ews_url() {
    let sim = sim().await;
    let success = driver::run(machine(ALICE), transport(&sim, ALICE), NoSrv, DeclineAll)
        .await
        .unwrap();
    assert_eq!(success.ews_url.as_str(), sim.ews_url());
    let log = sim.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].operation, "autodiscover.xml");
    assert_eq!(log[0].principal.as_deref(), Some(ALICE));
}

#[tokio::test]
async fn a_redirect_address_restarts_discovery_for_the_new_address() {
    let sim = sim().await;
    let success = driver::run(
        machine("mara@contoso.example"),
        transport(&sim, "mara@contoso.example"),
        NoSrv,
        DeclineAll,
    )
    .await
    .unwrap();
    assert_eq!(success.smtp_address.to_string(), ALICE);
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test]
async fn unknown_addresses_and_missing_credentials_fail() {
    let sim = sim().await;
    let error = driver::run(
        machine("nobody@contoso.example"),
        transport(&sim, ALICE),
        NoSrv,
        DeclineAll,
    )
    .await
    .unwrap_err();
    assert!(
        error.to_string().to_lowercase().contains("mailbox"),
        "{error}"
    );
    let mut anonymous = transport(&sim, ALICE);
    anonymous.token = "wrong".into();
    assert!(
        driver::run(machine(ALICE), anonymous, NoSrv, DeclineAll)
            .await
            .is_err()
    );
    assert!(sim.requests().iter().any(|e| e.status == 401));
}

#[tokio::test]
async fn the_json_variant_answers_with_the_ews_url() {
    let sim = sim().await;
    let der = sim.certificate_der().unwrap().to_vec();
    let get = |url: String| http::Request::get(url).body(Bytes::new()).unwrap();
    let answer = support::send(get(sim.autodiscover_json_url(ALICE)), Some(&der))
        .await
        .unwrap();
    assert_eq!(
        JsonResponse::parse(answer.body()),
        Ok(JsonResponse::Ews(sim.ews_url()))
    );
    let wrong = sim
        .autodiscover_json_url(ALICE)
        .replace("Protocol=EWS", "Protocol=Pop3");
    let answer = support::send(get(wrong), Some(&der)).await.unwrap();
    assert_eq!(answer.status(), 400);
    assert!(matches!(
        JsonResponse::parse(answer.body()),
        Ok(JsonResponse::Error { .. })
    ));
}
