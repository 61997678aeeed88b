//! OAuth builders produce the identity platform's documented form parameters, responses are typed, and
//! no secret shows in any `Debug` output.

use std::collections::BTreeMap;
use std::time::Duration;

use bytes::Bytes;
use graph_client::Secret;
use graph_client::oauth::{
    Authority, AuthorizationCallback, AuthorizationCodeRequest, AuthorizeRequest, ClientAuth,
    ClientCredentialsRequest, DeviceCodeRequest, DeviceCodeResponse, DevicePoll,
    DeviceTokenRequest, GRAPH_DEFAULT_SCOPE, OAuthErrorCode, OAuthRequest, PkceVerifier,
    RefreshTokenRequest, TokenResponse,
};

const CLIENT_SECRET: &str = "qWgdYAmab0YSkuL1qKv5bPX";
const ASSERTION: &str = "eyJhbGciOiJSUzI1NiIsIng1dCI6Imd4OExOYkY";
const CODE: &str = "OAAABAAAAiL9Kn2Z27UubvWFPbm0gLWQJVzCTE9UkP3pSx1aXxUjq3n8b2JRLk4OxVXr";
const REFRESH: &str = "OAAABAAAAiL9Kn2Z27UubvWFPbm0gLWQJVzCTE9UkP3pSx1aXxUjq3n8b2JRLk4OxVXrefresh";
const DEVICE_CODE: &str = "GMMhmHCXhWEzkobqIHGG_EnNYYsRkc3tN8QjBjcBCfeGn";
const ACCESS: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik5HVEZ2ZEstZnl0aEV1Q";

fn authority() -> Authority {
    Authority::tenant("contoso.onmicrosoft.com")
}

fn form(request: &OAuthRequest) -> BTreeMap<String, String> {
    let http = request.http();
    assert_eq!(http.method(), "POST");
    assert_eq!(
        http.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    url::form_urlencoded::parse(http.body())
        .into_owned()
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn verifier() -> PkceVerifier {
    PkceVerifier::from_random_bytes(&[7u8; 32]).unwrap()
}

#[test]
fn client_credentials_with_secret_and_with_certificate() {
    let with_secret = ClientCredentialsRequest {
        client_id: "535fb089-9ff3-47b6-9bfb-4f1264799865".into(),
        auth: ClientAuth::Secret(Secret::new(CLIENT_SECRET)),
        scope: GRAPH_DEFAULT_SCOPE.into(),
    }
    .to_request(&authority())
    .unwrap();
    assert_eq!(
        with_secret.http().uri(),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    assert_eq!(
        form(&with_secret),
        map(&[
            ("client_id", "535fb089-9ff3-47b6-9bfb-4f1264799865"),
            ("scope", "https://graph.microsoft.com/.default"),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
        ])
    );
    let with_certificate = ClientCredentialsRequest {
        client_id: "97e0a5b7-d745-40b6-94fe-5f77d35c6e05".into(),
        auth: ClientAuth::CertificateAssertion(Secret::new(ASSERTION)),
        scope: GRAPH_DEFAULT_SCOPE.into(),
    }
    .to_request(&authority())
    .unwrap();
    assert_eq!(
        form(&with_certificate),
        map(&[
            ("client_id", "97e0a5b7-d745-40b6-94fe-5f77d35c6e05"),
            ("scope", "https://graph.microsoft.com/.default"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            ),
            ("client_assertion", ASSERTION),
            ("grant_type", "client_credentials"),
        ])
    );
    let public = ClientCredentialsRequest {
        client_id: "x".into(),
        auth: ClientAuth::Public,
        scope: GRAPH_DEFAULT_SCOPE.into(),
    };
    assert!(public.to_request(&authority()).is_err());
}

#[test]
fn authorization_code_with_pkce() {
    // RFC 7636 appendix B: this verifier has this S256 challenge.
    let rfc_bytes = [
        116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37,
        77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
    ];
    let rfc = PkceVerifier::from_random_bytes(&rfc_bytes).unwrap();
    assert_eq!(
        rfc.secret().expose(),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    assert_eq!(
        rfc.challenge(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );

    let authorize = AuthorizeRequest {
        client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
        redirect_uri: "http://localhost/myapp/".into(),
        scopes: vec![
            "offline_access".into(),
            "https://graph.microsoft.com/Mail.ReadWrite".into(),
        ],
        state: "12345".into(),
        prompt: None,
        login_hint: None,
    };
    let url = authorize.url(&authority(), &rfc);
    assert_eq!(url.path(), "/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        map(&[
            ("client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"),
            ("response_type", "code"),
            ("redirect_uri", "http://localhost/myapp/"),
            ("response_mode", "query"),
            (
                "scope",
                "offline_access https://graph.microsoft.com/Mail.ReadWrite"
            ),
            ("state", "12345"),
            (
                "code_challenge",
                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
            ),
            ("code_challenge_method", "S256"),
        ])
    );

    let callback =
        url::Url::parse(&format!("http://localhost/myapp/?code={CODE}&state=12345")).unwrap();
    let code = AuthorizationCallback::parse(&callback, "12345")
        .unwrap()
        .code;
    assert!(
        AuthorizationCallback::parse(&callback, "other").is_err(),
        "state must be checked"
    );
    let denied = url::Url::parse(
        "http://localhost/myapp/?error=access_denied&error_description=the+user+canceled&state=12345",
    )
    .unwrap();
    let error = AuthorizationCallback::parse(&denied, "12345").unwrap_err();
    assert!(
        matches!(error, graph_client::Error::OAuth(e) if e.error == OAuthErrorCode::AccessDenied)
    );

    let redeem = AuthorizationCodeRequest {
        client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
        code,
        redirect_uri: "http://localhost/myapp/".into(),
        code_verifier: rfc,
        scopes: vec!["https://graph.microsoft.com/Mail.ReadWrite".into()],
        auth: ClientAuth::Secret(Secret::new(CLIENT_SECRET)),
    }
    .to_request(&authority())
    .unwrap();
    assert_eq!(
        form(&redeem),
        map(&[
            ("client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"),
            ("scope", "https://graph.microsoft.com/Mail.ReadWrite"),
            ("code", CODE),
            ("redirect_uri", "http://localhost/myapp/"),
            ("grant_type", "authorization_code"),
            (
                "code_verifier",
                "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            ),
            ("client_secret", CLIENT_SECRET),
        ])
    );
    assert!(
        PkceVerifier::from_random_bytes(&[1u8; 16]).is_err(),
        "too little randomness"
    );
}

#[test]
fn admin_consent_url() {
    let url = graph_client::oauth::AdminConsentRequest {
        client_id: "00001111-aaaa-2222-bbbb-3333cccc4444".into(),
        redirect_uri: "http://localhost/myapp/permissions".into(),
        scopes: vec![GRAPH_DEFAULT_SCOPE.into()],
        state: "12345".into(),
    }
    .url(&Authority::tenant("organizations"));
    assert_eq!(url.path(), "/organizations/v2.0/adminconsent");
    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query,
        map(&[
            ("client_id", "00001111-aaaa-2222-bbbb-3333cccc4444"),
            ("scope", "https://graph.microsoft.com/.default"),
            ("redirect_uri", "http://localhost/myapp/permissions"),
            ("state", "12345"),
        ])
    );
}

#[test]
fn refresh_token_and_the_new_refresh_token_in_the_response() {
    let refresh = RefreshTokenRequest {
        client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
        refresh_token: Secret::new(REFRESH),
        scopes: vec!["https://graph.microsoft.com/Mail.Read".into()],
        auth: ClientAuth::Public,
    }
    .to_request(&authority())
    .unwrap();
    assert_eq!(
        form(&refresh),
        map(&[
            ("client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"),
            ("scope", "https://graph.microsoft.com/Mail.Read"),
            ("refresh_token", REFRESH),
            ("grant_type", "refresh_token"),
        ])
    );
    let response = http::Response::new(Bytes::from(format!(
        r#"{{"access_token": "{ACCESS}", "token_type": "Bearer", "expires_in": 3599,
            "scope": "https://graph.microsoft.com/Mail.Read", "refresh_token": "new-{REFRESH}"}}"#
    )));
    let token = TokenResponse::parse(&response).unwrap();
    assert_eq!(token.access_token.expose(), ACCESS);
    assert_eq!(
        token.refresh_token.unwrap().expose(),
        format!("new-{REFRESH}")
    );
    assert_eq!(token.expires_in, 3599);
}

#[test]
fn token_errors_are_typed() {
    let error_response = |status: u16, code: &str| {
        http::Response::builder()
            .status(status)
            .body(Bytes::from(format!(
                r#"{{"error": "{code}", "error_description": "AADSTS70008: The provided authorization code or refresh token has expired.\r\nTrace ID: 1",
                     "error_codes": [70008], "timestamp": "2016-01-09 02:02:12Z",
                     "trace_id": "0000aaaa-11bb-cccc-dd22-eeeeee333333",
                     "correlation_id": "aaaa0000-bb11-2222-33cc-444444dddddd"}}"#
            )))
            .unwrap()
    };
    let graph_client::Error::OAuth(error) =
        TokenResponse::parse(&error_response(400, "invalid_grant")).unwrap_err()
    else {
        panic!("expected an OAuth error");
    };
    assert_eq!(error.error, OAuthErrorCode::InvalidGrant);
    assert_eq!(error.error_codes, [70008]);
    assert_eq!(error.status, Some(http::StatusCode::BAD_REQUEST));
    assert!(error.to_string().contains("AADSTS70008"));
    let graph_client::Error::OAuth(error) =
        TokenResponse::parse(&error_response(400, "interaction_required")).unwrap_err()
    else {
        panic!("expected an OAuth error");
    };
    assert_eq!(error.error, OAuthErrorCode::InteractionRequired);
    let graph_client::Error::OAuth(error) =
        TokenResponse::parse(&error_response(400, "some_new_code")).unwrap_err()
    else {
        panic!("expected an OAuth error");
    };
    assert_eq!(error.error, OAuthErrorCode::Unknown("some_new_code".into()));
}

#[test]
fn device_code_flow_requests_and_polling() {
    let start = DeviceCodeRequest {
        client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
        scopes: vec!["user.read".into(), "openid".into(), "profile".into()],
    }
    .to_request(&authority())
    .unwrap();
    assert_eq!(
        start.http().uri(),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode"
    );
    assert_eq!(
        form(&start),
        map(&[
            ("client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"),
            ("scope", "user.read openid profile"),
        ])
    );
    let response = http::Response::new(Bytes::from(format!(
        r#"{{"user_code": "FQK5HW3UF", "device_code": "{DEVICE_CODE}",
            "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 5,
            "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FQK5HW3UF to authenticate."}}"#
    )));
    let device = DeviceCodeResponse::parse(&response).unwrap();
    assert_eq!(device.user_code, "FQK5HW3UF");
    let poll = DeviceTokenRequest {
        client_id: "6731de76-14a6-49ae-97bc-6eba6914391e".into(),
        device_code: device.device_code.clone(),
    }
    .to_request(&authority())
    .unwrap();
    assert_eq!(
        form(&poll),
        map(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", "6731de76-14a6-49ae-97bc-6eba6914391e"),
            ("device_code", DEVICE_CODE),
        ])
    );
    let interval = Duration::from_secs(device.interval);
    let answer = |code: &str| {
        http::Response::builder()
            .status(400)
            .body(Bytes::from(format!(
                r#"{{"error": "{code}", "error_description": "x"}}"#
            )))
            .unwrap()
    };
    assert_eq!(
        DevicePoll::parse(&answer("authorization_pending"), interval).unwrap(),
        DevicePoll::Pending(interval)
    );
    assert_eq!(
        DevicePoll::parse(&answer("slow_down"), interval).unwrap(),
        DevicePoll::SlowDown(Duration::from_secs(10))
    );
    for terminal in [
        "expired_token",
        "authorization_declined",
        "access_denied",
        "bad_verification_code",
    ] {
        assert!(matches!(
            DevicePoll::parse(&answer(terminal), interval).unwrap(),
            DevicePoll::Failed(_)
        ));
    }
    let done = http::Response::new(Bytes::from(format!(
        r#"{{"token_type": "Bearer", "scope": "User.Read profile openid email", "expires_in": 3599,
            "access_token": "{ACCESS}", "refresh_token": "{REFRESH}", "id_token": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1"}}"#
    )));
    assert!(matches!(
        DevicePoll::parse(&done, interval).unwrap(),
        DevicePoll::Token(_)
    ));
}

#[test]
fn no_secret_appears_in_any_debug_output() {
    let secrets = [CLIENT_SECRET, ASSERTION, CODE, REFRESH, DEVICE_CODE, ACCESS];
    let mut outputs: Vec<String> = Vec::new();
    let secret_auth = ClientAuth::Secret(Secret::new(CLIENT_SECRET));
    let certificate_auth = ClientAuth::CertificateAssertion(Secret::new(ASSERTION));
    outputs.push(format!("{secret_auth:?} {certificate_auth:?}"));
    let credentials = ClientCredentialsRequest {
        client_id: "c".into(),
        auth: certificate_auth.clone(),
        scope: GRAPH_DEFAULT_SCOPE.into(),
    };
    outputs.push(format!(
        "{credentials:?} {:?}",
        credentials.to_request(&authority()).unwrap()
    ));
    let redeem = AuthorizationCodeRequest {
        client_id: "c".into(),
        code: Secret::new(CODE),
        redirect_uri: "http://localhost/".into(),
        code_verifier: verifier(),
        scopes: vec![],
        auth: secret_auth.clone(),
    };
    outputs.push(format!(
        "{redeem:?} {:?} {:?}",
        redeem.to_request(&authority()).unwrap(),
        verifier()
    ));
    let callback = url::Url::parse(&format!("http://localhost/?code={CODE}&state=s")).unwrap();
    outputs.push(format!(
        "{:?}",
        AuthorizationCallback::parse(&callback, "s").unwrap()
    ));
    let refresh = RefreshTokenRequest {
        client_id: "c".into(),
        refresh_token: Secret::new(REFRESH),
        scopes: vec![],
        auth: secret_auth,
    };
    outputs.push(format!(
        "{refresh:?} {:?}",
        refresh.to_request(&authority()).unwrap()
    ));
    let poll = DeviceTokenRequest {
        client_id: "c".into(),
        device_code: Secret::new(DEVICE_CODE),
    };
    outputs.push(format!(
        "{poll:?} {:?}",
        poll.to_request(&authority()).unwrap()
    ));
    let device = DeviceCodeResponse::parse(&http::Response::new(Bytes::from(format!(
        r#"{{"user_code": "U", "device_code": "{DEVICE_CODE}", "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900}}"#
    ))))
    .unwrap();
    outputs.push(format!("{device:?}"));
    let token = TokenResponse::parse(&http::Response::new(Bytes::from(format!(
        r#"{{"token_type": "Bearer", "expires_in": 1, "access_token": "{ACCESS}", "refresh_token": "{REFRESH}", "id_token": "{ASSERTION}"}}"#
    ))))
    .unwrap();
    outputs.push(format!("{token:?} {:?}", DevicePoll::Token(token.clone())));

    // The client's token, and the Authorization header it adds (marked sensitive).
    let client =
        graph_client::client::GraphClient::new(Capture::default(), graph_client::Graph::me());
    client.set_access_token(Secret::new(ACCESS));
    outputs.push(format!("{client:?}"));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime
        .block_on(client.send(client.graph().get_mailbox_settings().unwrap().into_http()))
        .unwrap();
    let sent = client_capture(&client);
    assert!(
        sent.contains("authorization"),
        "the header is there: {sent}"
    );
    outputs.push(sent);

    for output in &outputs {
        for secret in secrets {
            assert!(!output.contains(secret), "secret leaked in {output}");
        }
    }
}

#[derive(Default)]
struct Capture(std::sync::Mutex<String>);

impl graph_client::client::Transport for Capture {
    async fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Result<http::Response<Bytes>, graph_client::TransportError> {
        assert_eq!(
            request.headers()["authorization"].to_str().unwrap(),
            format!("Bearer {ACCESS}")
        );
        *self.0.lock().unwrap() = format!("{request:?}");
        Ok(http::Response::new(Bytes::from_static(b"{}")))
    }
}

fn client_capture(client: &graph_client::client::GraphClient<Capture>) -> String {
    client.transport().0.lock().unwrap().clone()
}
