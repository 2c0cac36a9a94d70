//! The citizen's personal account: login through an OpenID provider, end to
//! end across real processes — `dossier hub` as the provider and `dossier
//! serve` as the relying party — and against a forging provider the test
//! plays itself, whose every bad ID token must be refused.
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};

use crate::support::*;

/// A browser that follows nothing by itself: each step is looked at.
pub(crate) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// `name=value` of the cookie `name` an answer sets.
pub(crate) fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
}

pub(crate) fn location(resp: &reqwest::Response) -> String {
    resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

/// HTML character references back to text (askama writes `&#38;` and the like).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').unwrap_or(0);
        let entity = &tail[1..end.max(1)];
        let ch = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()).and_then(char::from_u32),
        };
        match ch {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The hidden fields of a page's forms, as `(name, value)`.
pub(crate) fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|rest| {
            let attr = |a: &str| rest.split(&format!("{a}=\"")).nth(1).and_then(|v| v.split('"').next()).map(unescape);
            Some((attr("name")?, attr("value")?))
        })
        .collect()
}

pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Signs in at the hub's wallet (when asked) and allows the fund: the URL the
/// hub sends the browser back to the fund with.
pub(crate) async fn through_the_hub(http: &reqwest::Client, hub: &str, authorize: &str, login: &str) -> String {
    let page = http.get(authorize).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let next = hidden_fields(&html).into_iter().find(|(k, _)| k == "next").expect("the login form returns here").1;
    assert!(next.starts_with("/wallet/authorize?"), "{next}");
    let form = [("login", login), ("password", "demo-wallet-2026"), ("next", next.as_str())];
    let signed = http.post(format!("{hub}/wallet/login")).form(&form).send().await.unwrap();
    assert!(signed.status().is_redirection(), "{}", signed.status());
    assert_eq!(location(&signed), next);
    let session = set_cookie(&signed, "hub_session").expect("a wallet session");
    let consent = http.get(format!("{hub}{next}")).header(COOKIE, &session).send().await.unwrap();
    assert_eq!(consent.status(), StatusCode::OK);
    let html = consent.text().await.unwrap();
    assert!(html.contains("Пенсійний фонд України"), "the consent page names the fund");
    // The consent form's own fields (the header's sign-out form has a CSRF field too).
    let form = html.split("action=\"/wallet/authorize\"").nth(1).expect("the consent form");
    let mut fields = hidden_fields(form.split("</form>").next().unwrap_or(""));
    fields.push(("decision".into(), "allow".into()));
    let allowed =
        http.post(format!("{hub}/wallet/authorize")).header(COOKIE, &session).form(&fields).send().await.unwrap();
    assert!(allowed.status().is_redirection(), "{}", allowed.status());
    location(&allowed)
}

/// Starts a login at the fund: the login cookie and the provider's authorize URL.
pub(crate) async fn start_login(http: &reqwest::Client, fund: &str) -> (String, String) {
    let resp = http.get(format!("{fund}/account/login")).send().await.unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let cookie = set_cookie(&resp, "__Host-dossier-login").expect("a login cookie");
    (cookie, location(&resp))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_logs_in_through_the_hub_and_sees_only_their_own_and_their_wards_data() {
    let dir = tempfile::tempdir().unwrap();
    // A points jurisdiction: the record shows each year's points beside its earnings.
    let both = FundWithHub::start(dir.path(), "record_points = \"russia\"");
    let (fund, hub, citizen) = (both.fund.clone(), both.hub.clone(), both.citizens[0].clone());
    let callback = format!("{fund}/account/callback");
    let secret = both.token.split_once('.').unwrap().1.to_owned();
    let http = browser();

    // Signed out, the account offers the login.
    let page = http.get(format!("{fund}/account")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("/account/login"));

    // The whole dance: fund → hub (sign in, allow) → fund.
    let (login_cookie, authorize) = start_login(&http, &fund).await;
    assert!(authorize.starts_with(&format!("{hub}/wallet/authorize?")), "{authorize}");
    for p in ["state", "nonce", "code_challenge"] {
        assert!(query_param(&authorize, p).is_some_and(|v| v.len() >= 22), "{p} in {authorize}");
    }
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"));
    let back = through_the_hub(&http, &hub, &authorize, &citizen).await;
    assert!(back.starts_with(&callback), "{back}");
    let resp = http.get(&back).header(COOKIE, &login_cookie).send().await.unwrap();
    assert_eq!(location(&resp), "/account", "{}", resp.status());
    let session = set_cookie(&resp, "__Host-dossier-citizen").expect("a citizen session");
    let set = resp.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert!(
        set.iter().all(|c| c.contains("HttpOnly") && c.contains("Secure") && c.contains("SameSite=Lax")),
        "{set:?}"
    );
    let account = http.get(format!("{fund}/account")).header(COOKIE, &session).send().await.unwrap();
    assert_eq!(account.status(), StatusCode::OK);
    let html = account.text().await.unwrap();
    assert!(html.contains(&citizen), "the citizen's own record, by the RNOKPP the hub vouched for");
    // An employer reports June 2025 at a twelfth of that year's maximum base: 10 ÷ 12 points.
    let regional = login_at(&fund, "regional").await;
    let report = format!("rnokpp,month,wage,contribution\n{citizen},2025-06,229916.67,50581.67\n");
    let resp = regional
        .req(reqwest::Method::POST, "/api/v1/employers/31456789/reports")
        .header("content-type", "text/csv")
        .body(report)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    let html = http.get(format!("{fund}/account")).header(COOKIE, &session).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Пенсійні бали (ІПК)") && html.contains("0.833"), "the points of 2025");

    // The same callback again (a replay, or a second tab): nothing; no session.
    let replay = http.get(&back).header(COOKIE, &login_cookie).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&replay, "__Host-dossier-citizen").is_none());
    // The code alone, redeemed at the hub by someone holding the fund's secret but not the verifier;
    // and with a wrong client secret, whatever the code.
    let code = query_param(&back, "code").unwrap();
    let redeem = |secret: String| {
        let form = [
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.clone()),
            ("redirect_uri", callback.clone()),
            ("code_verifier", "v".repeat(43)),
        ];
        http.post(format!("{hub}/oidc/token")).basic_auth("pfu", Some(secret)).form(&form).send()
    };
    let stolen = redeem(secret.clone()).await.unwrap();
    assert_eq!(stolen.status(), StatusCode::BAD_REQUEST);
    assert_eq!(stolen.json::<Value>().await.unwrap()["error"], "invalid_grant");
    assert_eq!(redeem("not-the-secret".into()).await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // A callback whose state is not the one sent: refused, and that login is spent.
    let (cookie2, authorize2) = start_login(&http, &fund).await;
    let back2 = through_the_hub(&http, &hub, &authorize2, &citizen).await;
    let state = query_param(&back2, "state").unwrap();
    let forged = back2.replace(&format!("state={state}"), "state=forged-state-value");
    let resp = http.get(&forged).header(COOKIE, &cookie2).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = http.get(&back2).header(COOKIE, &cookie2).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "a refused login cannot be finished after all");
    // A callback without the browser's login cookie (another browser): refused.
    let (_, authorize3) = start_login(&http, &fund).await;
    let back3 = through_the_hub(&http, &hub, &authorize3, &citizen).await;
    assert_eq!(http.get(&back3).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);

    // The hub refuses to send a login anywhere but the registered callback.
    let elsewhere = authorize.replace(&urlencode(&callback), &urlencode("http://evil.example/cb"));
    let resp = http.get(&elsewhere).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.headers().get(LOCATION).is_none());

    // Wards: a staff member records the citizen as a minor's guardian.
    let staff = login_at(&fund, "specialist").await;
    let district = unit_id(&units(&staff).await, "26101");
    let minor_id = ward_of(&staff, district, &citizen, chrono::NaiveDate::from_ymd_opt(2015, 3, 4).unwrap(), 321).await;
    let html = http.get(format!("{fund}/account")).header(COOKIE, &session).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("/account?for={minor_id}")), "the ward is offered");
    let ward = http.get(format!("{fund}/account?for={minor_id}")).header(COOKIE, &session).send().await.unwrap();
    assert_eq!(ward.status(), StatusCode::OK);
    assert!(ward.text().await.unwrap().contains("Ткаченко"));

    // Anyone else's id — a person in the registry, a made-up id, garbage — is not found.
    // The auditor reads the whole registry: the citizen's own record and everyone's.
    let admin = login_at(&fund, "auditor").await;
    let (_, own) = admin.get(&format!("/api/v1/persons?rnokpp={citizen}")).await;
    let own_id = own["items"][0]["id"].as_str().unwrap_or_else(|| panic!("{own}")).to_owned();
    let own_page = http.get(format!("{fund}/account?for={own_id}")).header(COOKIE, &session).send().await.unwrap();
    assert_eq!(own_page.status(), StatusCode::OK, "one's own record by its id");
    let mut others: Vec<String> = Vec::new();
    for prefix in ["к", "ш", "п", "с", "м", "б", "л"] {
        let (_, found) = admin.get(&format!("/api/v1/persons?name={}&limit=20", urlencode(prefix))).await;
        let ids = found["items"].as_array().into_iter().flatten().filter_map(|p| p["id"].as_str());
        others.extend(ids.map(str::to_owned));
    }
    assert!(others.len() > 5, "{others:?}");
    // The wards the account offers (the test's minor, the demo's ward) are exactly the people
    // whose representative carries the citizen's RNOKPP; everyone else is not found.
    let mut wards: Vec<String> =
        html.split("/account?for=").skip(1).filter_map(|rest| rest.split('"').next().map(str::to_owned)).collect();
    wards.dedup();
    assert!(wards.contains(&minor_id), "{wards:?}");
    for ward in &wards {
        let (_, reps) = admin.get(&format!("/api/v1/persons/{ward}/representatives")).await;
        let reps = reps.as_array().cloned().unwrap_or_default();
        assert!(reps.iter().any(|r| r["rnokpp"] == citizen.as_str() && r["active"] == true), "{ward}: {reps:?}");
    }
    let mut leaks = 0;
    for id in
        others.iter().map(String::as_str).chain(["00000000-0000-0000-0000-000000000000", "not-a-uuid", "../persons"])
    {
        if id == own_id || wards.iter().any(|w| w == id) {
            continue;
        }
        let resp = http.get(format!("{fund}/account?for={id}")).header(COOKIE, &session).send().await.unwrap();
        if resp.status() != StatusCode::NOT_FOUND {
            leaks += 1;
        }
    }
    assert_eq!(leaks, 0, "another person's data through the account");

    // Signing out ends the session; the cookie then opens nothing.
    let csrf = hidden_fields(&html).into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let bad = http
        .post(format!("{fund}/account/logout"))
        .header(COOKIE, &session)
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::FORBIDDEN);
    let out = http
        .post(format!("{fund}/account/logout"))
        .header(COOKIE, &session)
        .form(&[("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    assert!(out.status().is_redirection());
    let after =
        http.get(format!("{fund}/account")).header(COOKIE, &session).send().await.unwrap().text().await.unwrap();
    assert!(after.contains("/account/login") && !after.contains(&citizen));
}

/// OpenID Connect Core §10.1.1: a provider rotates its signing key and
/// relying parties, meeting an unfamiliar `kid`, fetch its key set again.
/// Neither the running hub nor the fund is restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hub_rotates_its_login_key_and_both_take_the_new_one_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let both = FundWithHub::start(dir.path(), "");
    let (fund, hub, data, citizen) = (both.fund.clone(), both.hub.clone(), both.data.clone(), both.citizens[0].clone());
    let http = browser();
    let signs_in = || async {
        let (cookie, authorize) = start_login(&http, &fund).await;
        let back = through_the_hub(&http, &hub, &authorize, &citizen).await;
        let resp = http.get(&back).header(COOKIE, &cookie).send().await.unwrap();
        set_cookie(&resp, "__Host-dossier-citizen").is_some()
    };
    let kids = || async {
        let set: Value = http.get(format!("{hub}/oidc/jwks")).send().await.unwrap().json().await.unwrap();
        set["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    let first = kids().await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(signs_in().await, "the fund now holds the first key set");

    // A wrong PIN rotates nothing.
    let rotate = |pin: &str| {
        let env = [("DOSSIER_DATA_DIR", data.clone()), ("DOSSIER_HUB_PIN", pin.to_owned())];
        std::process::Command::new(bin()).args(["hub", "rotate-login-key"]).envs(env).output().unwrap()
    };
    let refused = rotate("0000");
    assert!(!refused.status.success(), "{}", out_text(&refused));
    assert!(!dir.path().join("hub/keys/login-retired.json").exists());

    let rotated = rotate("2026");
    assert!(rotated.status.success(), "{}", out_text(&rotated));
    let new_kid = String::from_utf8_lossy(&rotated.stdout).trim().to_owned();
    let hub_db = sqlx::SqlitePool::connect(&format!("sqlite://{data}/hub/hub.db")).await.unwrap();
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT details FROM audit_log WHERE action = 'hub.login_key.rotated'")
            .fetch_all(&hub_db)
            .await
            .unwrap();
    assert!(audited.len() == 1 && audited[0].contains(&new_kid), "{audited:?}");
    // The running hub looks at its key files every few seconds: no restart.
    let expected = [new_kid.clone(), first[0].clone()];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while kids().await != expected {
        assert!(std::time::Instant::now() < deadline, "the hub still publishes {:?}", kids().await);
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    // The fund's cached set lacks the new key: the token's kid sends it for the new set.
    assert!(signs_in().await, "a login signed by the new key");
    assert!(signs_in().await, "and the next");
}

fn urlencode(s: &str) -> String {
    let mut url = reqwest::Url::parse("http://x/").unwrap();
    url.query_pairs_mut().append_pair("v", s);
    url.query().unwrap().trim_start_matches("v=").to_owned()
}

/// What the forging provider signs next.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Forgery {
    /// A correct token: the control that shows the others fail for their fault alone.
    None,
    /// Signed by a key the provider does not publish.
    OtherKey,
    /// `alg: none`, no signature.
    Unsigned,
    /// For another client.
    OtherAudience,
    /// From another issuer.
    OtherIssuer,
    /// Another login's nonce (a replayed token).
    OtherNonce,
    /// Expired an hour ago.
    Expired,
    /// Signature bytes of a different token.
    SwappedPayload,
    /// No RNOKPP, or a malformed one.
    NoRnokpp,
}

struct FakeProvider {
    issuer: String,
    key: dossier_crypto::software::SoftwareKey,
    other_key: dossier_crypto::software::SoftwareKey,
    /// The forgery of the next token, and the nonce the fund sent.
    next: std::sync::Mutex<(Forgery, String)>,
}

impl FakeProvider {
    fn id_token(&self) -> String {
        use dossier_crypto::jws::{Jwk, base64url, sign_jwt};
        let (forgery, nonce) = self.next.lock().unwrap().clone();
        let now = chrono::Utc::now().timestamp();
        let mut claims = json!({
            "iss": self.issuer, "sub": "citizen-1", "aud": "fund", "iat": now, "exp": now + 300,
            "nonce": nonce, "name": "Шевченко Тарас", "rnokpp": "2245134075",
        });
        match forgery {
            Forgery::OtherAudience => claims["aud"] = json!("another-fund"),
            Forgery::OtherIssuer => claims["iss"] = json!("https://evil.example"),
            Forgery::OtherNonce => claims["nonce"] = json!("a-nonce-of-another-login"),
            Forgery::Expired => {
                claims["iat"] = json!(now - 7200);
                claims["exp"] = json!(now - 3600);
            }
            Forgery::NoRnokpp => claims["rnokpp"] = json!("12345"),
            _ => {}
        }
        let kid = Jwk::of(&self.key).unwrap().kid;
        match forgery {
            Forgery::OtherKey => sign_jwt(&self.other_key, &kid, &claims).unwrap(),
            Forgery::Unsigned => {
                let header = base64url(br#"{"alg":"none","typ":"JWT"}"#);
                format!("{header}.{}.", base64url(claims.to_string().as_bytes()))
            }
            Forgery::SwappedPayload => {
                let signed = sign_jwt(&self.key, &kid, &claims).unwrap();
                claims["rnokpp"] = json!("3048506078");
                let (head, rest) = signed.split_once('.').unwrap();
                let signature = rest.split_once('.').unwrap().1;
                format!("{head}.{}.{signature}", base64url(claims.to_string().as_bytes()))
            }
            _ => sign_jwt(&self.key, &kid, &claims).unwrap(),
        }
    }
}

/// A provider that answers like a real one but signs what the test tells it to.
async fn fake_provider() -> std::sync::Arc<FakeProvider> {
    use axum::routing::{get, post};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}", listener.local_addr().unwrap());
    let generate = || dossier_crypto::software::SoftwareKey::generate(dossier_crypto::Algorithm::EcP256).unwrap();
    let provider = std::sync::Arc::new(FakeProvider {
        issuer: issuer.clone(),
        key: generate(),
        other_key: generate(),
        next: std::sync::Mutex::new((Forgery::None, String::new())),
    });
    let (p1, p2, p3) = (provider.clone(), provider.clone(), provider.clone());
    let router = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            get(move || async move {
                let i = &p1.issuer;
                axum::Json(json!({
                    "issuer": i, "authorization_endpoint": format!("{i}/authorize"), "token_endpoint": format!("{i}/token"),
                    "jwks_uri": format!("{i}/jwks"), "response_types_supported": ["code"],
                    "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["ES256"],
                }))
            }),
        )
        .route(
            "/jwks",
            get(move || async move {
                axum::Json(json!({ "keys": [dossier_crypto::jws::Jwk::of(&p2.key).unwrap()] }))
            }),
        )
        .route(
            "/token",
            post(move || async move {
                axum::Json(json!({ "access_token": "x", "token_type": "Bearer", "expires_in": 300, "id_token": p3.id_token() }))
            }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await });
    provider
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_replayed_or_misaddressed_id_tokens_are_refused() {
    let provider = fake_provider().await;
    let toml = format!("[citizen_login]\nissuer = \"{}\"\nclient_id = \"fund\"\n", provider.issuer);
    let server = Server::start_env(&toml, &[("DOSSIER_CITIZEN_LOGIN_SECRET", "fund-secret".to_owned())]);
    let http = browser();
    let mut signed_in = Vec::new();
    for forgery in [
        Forgery::OtherKey,
        Forgery::Unsigned,
        Forgery::OtherAudience,
        Forgery::OtherIssuer,
        Forgery::OtherNonce,
        Forgery::Expired,
        Forgery::SwappedPayload,
        Forgery::NoRnokpp,
        Forgery::None,
    ] {
        let (cookie, authorize) = start_login(&http, &server.base).await;
        assert!(authorize.starts_with(&format!("{}/authorize?", provider.issuer)), "{authorize}");
        let nonce = query_param(&authorize, "nonce").unwrap();
        *provider.next.lock().unwrap() = (forgery, nonce);
        let state = query_param(&authorize, "state").unwrap();
        let back = format!("{}/account/callback?code=any-code&state={}", server.base, urlencode(&state));
        let resp = http.get(&back).header(COOKIE, &cookie).send().await.unwrap();
        if set_cookie(&resp, "__Host-dossier-citizen").is_some() {
            signed_in.push(forgery);
        } else {
            assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{forgery:?}");
        }
    }
    assert_eq!(signed_in, vec![Forgery::None], "only the correct token signs a citizen in");

    // An anonymous loop starting logins is stopped (each would be a row until it expires).
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(http.get(format!("{}/account/login", server.base)).send().await.unwrap().status());
    }
    let limited = statuses.iter().position(|s| *s == StatusCode::TOO_MANY_REQUESTS).expect("a limit");
    let again = http.get(format!("{}/account/login", server.base)).send().await.unwrap();
    assert!(again.headers().get("retry-after").is_some(), "told when to come back");
    assert!(statuses[..limited].iter().all(|s| s.is_redirection()), "{statuses:?}");
    assert!(statuses[limited..].iter().all(|s| *s == StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}
