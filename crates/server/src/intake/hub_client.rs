//! The hub's acquirer API, as the fund calls it (SPEC §2.1): document
//! request, status, identification, and branch registration. Every answer is
//! mapped to a [`HubError`] the counter can explain with a catalogue message;
//! a hub that cannot be reached is [`HubError::Unreachable`], which the
//! caller keeps and retries rather than losing the request.
use std::time::Duration;

use dossier_domain::Message;
use dossier_domain::sharing::{CodeRefusal, DocumentType};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};

use crate::sharing::wire::{ACQUIRER_API, AcquirerAnswer, DocumentIdentification, DocumentRequest, StatusAnswer};

/// Connect + whole-request timeouts: the counter waits for the answer, so a
/// slow hub must turn into "kept, retried" quickly.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the hub did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubError {
    /// A rule of the code (unknown, expired, used, type…).
    Refused(CodeRefusal),
    /// The hub asks the fund to slow down.
    RateLimited { retry_after_secs: u64 },
    /// Any other refusal (`bad_request`, `unauthorized`, `duplicate_request`…).
    Rejected { code: String },
    /// No answer, a timeout, or a 5xx: nothing is known about the request.
    Unreachable,
}

impl HubError {
    /// Stable machine code, as the counter's API returns it.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::Refused(r) => refusal_code(*r),
            HubError::RateLimited { .. } => "rate_limited",
            HubError::Rejected { code } if code == "unauthorized" => "hub_unauthorized",
            HubError::Rejected { code } if code == "duplicate_request" => "duplicate_request",
            HubError::Rejected { .. } => "hub_refused",
            HubError::Unreachable => "hub_unreachable",
        }
    }

    /// What the specialist reads; `expected` names the type in type errors.
    pub fn message(&self, expected: DocumentType) -> Message {
        match self {
            HubError::Refused(r) => r.message(Some(expected)),
            HubError::RateLimited { retry_after_secs } => {
                Message::new("sharing.rate_limited").with("seconds", retry_after_secs)
            }
            HubError::Rejected { code } => match code.as_str() {
                "unauthorized" => Message::new("intake.hub.unauthorized"),
                "duplicate_request" => Message::new("intake.hub.duplicate"),
                _ => Message::new("intake.hub.bad_request"),
            },
            HubError::Unreachable => Message::new("sharing.hub_unreachable"),
        }
    }
}

/// The public refusal names (`CodeRefusal`'s serde names).
pub fn refusal_code(r: CodeRefusal) -> &'static str {
    match r {
        CodeRefusal::Unknown => "unknown",
        CodeRefusal::Expired => "expired",
        CodeRefusal::AlreadyUsed => "already_used",
        CodeRefusal::TypeNotAllowed => "type_not_allowed",
        CodeRefusal::TypeMismatch => "type_mismatch",
    }
}

/// `POST /api/v1/acquirers/branch` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchRegistration {
    pub name: String,
    pub address: String,
    pub scopes: Vec<DocumentType>,
    /// The branch's acquirer encryption certificate, PEM.
    pub encryption_certificate: String,
}

#[derive(Debug, Clone, Deserialize)]
struct BranchCreated {
    #[serde(rename = "_id")]
    id: String,
}

/// A client of one hub with this fund's acquirer token.
#[derive(Clone)]
pub struct HubClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a credential: never in debug output or logs.
        f.debug_struct("HubClient").field("base", &self.base).finish_non_exhaustive()
    }
}

impl HubClient {
    pub fn new(base: &str, token: &str) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(HubClient { base: base.trim_end_matches('/').to_owned(), token: token.to_owned(), http })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{ACQUIRER_API}{path}", self.base)
    }

    /// `POST …/document-request`: asks the hub to forward the request to the wallet.
    pub async fn document_request(&self, req: &DocumentRequest) -> Result<(), HubError> {
        let resp = self.http.post(self.url("/document-request")).bearer_auth(&self.token).json(req).send().await;
        answer(resp).await.map(|_| ())
    }

    /// `POST …/document-identification`: checks a code without sharing anything.
    pub async fn identify(&self, req: &DocumentIdentification) -> Result<Option<DocumentType>, HubError> {
        let resp = self.http.post(self.url("/document-identification")).bearer_auth(&self.token).json(req).send().await;
        answer(resp).await.map(|a| a.document_type)
    }

    /// `GET …/document-request/status?barcode=&requestId=`.
    pub async fn status(&self, barcode: &str, request_id: &str) -> Result<StatusAnswer, HubError> {
        let resp = self
            .http
            .get(self.url("/document-request/status"))
            .bearer_auth(&self.token)
            .query(&[("barcode", barcode), ("requestId", request_id)])
            .send()
            .await
            .map_err(|_| HubError::Unreachable)?;
        let status = resp.status();
        if status.is_success() {
            return resp.json::<StatusAnswer>().await.map_err(|_| HubError::Unreachable);
        }
        Err(refusal(status, resp).await)
    }

    /// `POST …/branch`: registers a branch; returns the hub's branch id.
    pub async fn register_branch(&self, reg: &BranchRegistration) -> Result<String, HubError> {
        let resp = self
            .http
            .post(self.url("/branch"))
            .bearer_auth(&self.token)
            .json(reg)
            .send()
            .await
            .map_err(|_| HubError::Unreachable)?;
        let status = resp.status();
        if status.is_success() {
            return resp.json::<BranchCreated>().await.map(|b| b.id).map_err(|_| HubError::Unreachable);
        }
        Err(refusal(status, resp).await)
    }
}

async fn answer(resp: Result<reqwest::Response, reqwest::Error>) -> Result<AcquirerAnswer, HubError> {
    let resp = resp.map_err(|_| HubError::Unreachable)?;
    let status = resp.status();
    if status.is_success() {
        let a: AcquirerAnswer = resp.json().await.map_err(|_| HubError::Unreachable)?;
        if a.success {
            return Ok(a);
        }
        return Err(a.error.map(classify).unwrap_or(HubError::Rejected { code: "bad_request".into() }));
    }
    Err(refusal(status, resp).await)
}

async fn refusal(status: StatusCode, resp: reqwest::Response) -> HubError {
    if status.is_server_error() {
        return HubError::Unreachable;
    }
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body: Option<AcquirerAnswer> = resp.json().await.ok();
    match (status, body.and_then(|b| b.error)) {
        (StatusCode::TOO_MANY_REQUESTS, _) => HubError::RateLimited { retry_after_secs: retry_after.unwrap_or(60) },
        (_, Some(e)) => classify(e),
        (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, None) => HubError::Rejected { code: "unauthorized".into() },
        _ => HubError::Rejected { code: "bad_request".into() },
    }
}

fn classify(e: crate::sharing::wire::AcquirerError) -> HubError {
    match e.refusal() {
        Some(r) => HubError::Refused(r),
        None if e.code == "rate_limited" => HubError::RateLimited { retry_after_secs: 60 },
        None => HubError::Rejected { code: e.code },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, retry_after: Option<&str>, body: &'static str) -> reqwest::Response {
        let mut b = axum::http::Response::builder().status(status);
        if let Some(r) = retry_after {
            b = b.header("retry-after", r);
        }
        reqwest::Response::from(b.body(body).unwrap())
    }

    #[tokio::test]
    async fn hub_answers_map_to_refusals_rate_limits_and_unreachable() {
        let r = response(429, Some("42"), "{}");
        assert_eq!(refusal(r.status(), r).await, HubError::RateLimited { retry_after_secs: 42 });
        let r = response(503, None, "");
        assert_eq!(refusal(r.status(), r).await, HubError::Unreachable);
        let body = r#"{"success":false,"error":{"code":"expired","message":"м","messageEn":"m"}}"#;
        let r = response(410, None, body);
        assert_eq!(refusal(r.status(), r).await, HubError::Refused(CodeRefusal::Expired));
        let r = response(401, None, "not json");
        assert_eq!(refusal(r.status(), r).await, HubError::Rejected { code: "unauthorized".into() });
    }

    #[test]
    fn every_hub_error_has_a_catalogue_message_in_both_languages() {
        let all = [
            HubError::Refused(CodeRefusal::Unknown),
            HubError::Refused(CodeRefusal::Expired),
            HubError::Refused(CodeRefusal::AlreadyUsed),
            HubError::Refused(CodeRefusal::TypeNotAllowed),
            HubError::Refused(CodeRefusal::TypeMismatch),
            HubError::RateLimited { retry_after_secs: 5 },
            HubError::Rejected { code: "unauthorized".into() },
            HubError::Rejected { code: "duplicate_request".into() },
            HubError::Rejected { code: "bad_request".into() },
            HubError::Unreachable,
        ];
        for e in all {
            let m = e.message(DocumentType::TaxpayerCard);
            assert!(dossier_domain::i18n::has(m.key), "{e:?}");
            let (uk, en) = (m.render(dossier_domain::Lang::Uk), m.render(dossier_domain::Lang::En));
            assert!(!uk.contains('{') && !en.contains('{') && uk != en, "{e:?}: {uk} / {en}");
        }
    }
}
