//! A local server speaking the documented parts of the Telegram Bot API
//! and the Viber REST bot API — `setWebhook`/`sendMessage`, `set_webhook`/
//! `send_message`, their answers and their errors (429 with `retry_after`,
//! 403 for a blocked bot, Viber's status codes) — for contract tests and the
//! delivery benchmark. Neither platform can be reached from the test
//! machines; what is tested is that Dossier keeps to their contracts.
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// What the server was asked and how it should answer.
#[derive(Default)]
pub struct BotState {
    /// `(platform, recipient, text)` of every accepted message, in order.
    pub sent: Vec<(String, String, String)>,
    /// Webhooks registered: `(platform, url, secret_token)`.
    pub webhooks: Vec<(String, String, Option<String>)>,
    /// Chats (Telegram) or users (Viber) that blocked the bot.
    pub blocked: HashSet<String>,
    /// Answer this many next sends with 429 / status 12 first.
    pub throttle_next: u32,
    /// Answer this many next sends with 502 (the platform is down).
    pub fail_next: u32,
    /// The bot token the server accepts.
    pub token: String,
}

#[derive(Clone)]
pub struct BotServer {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<BotState>>,
}

impl BotServer {
    /// Starts on a free loopback port; Telegram at `/`, Viber at `/pa`.
    pub async fn start(token: &str) -> std::io::Result<BotServer> {
        let state = Arc::new(Mutex::new(BotState { token: token.to_owned(), ..BotState::default() }));
        let app = axum::Router::new()
            .route("/{bot}/{method}", post(telegram))
            .route("/pa/{method}", post(viber))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(BotServer { addr, state })
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sent(&self) -> Vec<(String, String, String)> {
        self.state.lock().map(|s| s.sent.clone()).unwrap_or_default()
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut BotState) -> R) -> Option<R> {
        self.state.lock().ok().map(|mut s| f(&mut s))
    }
}

type Shared = Arc<Mutex<BotState>>;

fn error(code: u16, description: &str, extra: Value) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST);
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
        b.extend(e);
    }
    (status, Json(body)).into_response()
}

async fn telegram(
    State(state): State<Shared>,
    Path((bot, method)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let Ok(mut s) = state.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    if bot != format!("bot{}", s.token) {
        return error(401, "Unauthorized", Value::Null);
    }
    match method.as_str() {
        "setWebhook" => {
            let url = body["url"].as_str().unwrap_or_default().to_owned();
            let secret = body["secret_token"].as_str().map(str::to_owned);
            s.webhooks.push(("telegram".into(), url, secret));
            Json(json!({"ok": true, "result": true, "description": "Webhook was set"})).into_response()
        }
        "sendMessage" => {
            let chat = match &body["chat_id"] {
                Value::String(c) => c.clone(),
                Value::Number(n) => n.to_string(),
                _ => return error(400, "Bad Request: chat_id is empty", Value::Null),
            };
            let Some(text) = body["text"].as_str().filter(|t| !t.is_empty()) else {
                return error(400, "Bad Request: message text is empty", Value::Null);
            };
            if s.fail_next > 0 {
                s.fail_next -= 1;
                return StatusCode::BAD_GATEWAY.into_response();
            }
            if s.throttle_next > 0 {
                s.throttle_next -= 1;
                return error(429, "Too Many Requests: retry after 1", json!({"parameters": {"retry_after": 1}}));
            }
            if s.blocked.contains(&chat) {
                return error(403, "Forbidden: bot was blocked by the user", Value::Null);
            }
            s.sent.push(("telegram".into(), chat.clone(), text.to_owned()));
            let id = s.sent.len();
            Json(json!({"ok": true, "result": {"message_id": id, "chat": {"id": chat}, "text": text}})).into_response()
        }
        _ => error(404, "Not Found: method not found", Value::Null),
    }
}

async fn viber(
    State(state): State<Shared>,
    Path(method): Path<String>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let Ok(mut s) = state.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let status = |code: i64, message: &str| Json(json!({"status": code, "status_message": message})).into_response();
    if headers.get("X-Viber-Auth-Token").and_then(|v| v.to_str().ok()) != Some(s.token.as_str()) {
        return status(2, "invalidAuthToken");
    }
    match method.as_str() {
        "set_webhook" => {
            let url = body["url"].as_str().unwrap_or_default().to_owned();
            s.webhooks.push(("viber".into(), url, None));
            Json(json!({"status": 0, "status_message": "ok", "event_types": body["event_types"]})).into_response()
        }
        "send_message" => {
            let (Some(receiver), Some(text)) = (body["receiver"].as_str(), body["text"].as_str()) else {
                return status(4, "missingData");
            };
            if s.fail_next > 0 {
                s.fail_next -= 1;
                return StatusCode::BAD_GATEWAY.into_response();
            }
            if s.throttle_next > 0 {
                s.throttle_next -= 1;
                return status(12, "tooManyRequests");
            }
            if s.blocked.contains(receiver) {
                return status(6, "notSubscribed");
            }
            s.sent.push(("viber".into(), receiver.to_owned(), text.to_owned()));
            let token = 5_000_000_000_i64 + s.sent.len() as i64;
            Json(json!({"status": 0, "status_message": "ok", "message_token": token})).into_response()
        }
        _ => status(1, "invalidUrl"),
    }
}
