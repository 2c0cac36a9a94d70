//! The protocol over HTTP, both directions: the fund calls the hub's acquirer
//! API ([`AcquirerClient`]: document request, status, identification, branch
//! registration, signature requests) and the hub posts a sealed package to the acquirer's endpoint
//! ([`deliver`]). Every answer is mapped to a [`HubError`]; a hub that cannot
//! be reached is [`HubError::Unreachable`], which the caller keeps and retries
//! rather than losing the request.
use std::time::Duration;

use base64::Engine as _;
use dossier_domain::sharing::{CodeRefusal, DocumentType};
use reqwest::StatusCode;

use crate::package::Package;
use crate::refusal::Refusal;
use crate::wire::{
    ACQUIRER_API, Ack, AcquirerAnswer, AcquirerError, BranchCreated, BranchRegistration, DocumentIdentification,
    DocumentRequest, PART_FILE, PART_FILE_NAME, PART_METADATA, SignatureOutcome, SignatureRequest,
    SignatureRequestCreated, StatusAnswer, TRACE_HEADER,
};

/// Connect + whole-request timeouts: the counter waits for the answer, so a
/// slow hub must turn into "kept, retried" quickly.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the hub did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    /// A rule of the code (unknown, expired, used, type…).
    #[error("the code is refused: {}", Refusal::Code(*.0).as_str())]
    Refused(CodeRefusal),
    /// The hub asks the fund to slow down.
    #[error("rate limited: retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Any other refusal (`bad_request`, `unauthorized`, `duplicate_request`…);
    /// a code this side does not know reads as `bad_request`.
    #[error("refused: {}", .0.as_str())]
    Rejected(Refusal),
    /// No answer, a timeout, or a 5xx: nothing is known about the request.
    #[error("unreachable")]
    Unreachable,
}

/// A client of one hub with this fund's acquirer token.
#[derive(Clone)]
pub struct AcquirerClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for AcquirerClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a credential: never in debug output or logs.
        f.debug_struct("AcquirerClient").field("base", &self.base).finish_non_exhaustive()
    }
}

impl AcquirerClient {
    pub fn new(base: &str, token: &str) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(AcquirerClient { base: base.trim_end_matches('/').to_owned(), token: token.to_owned(), http })
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

    /// `POST …/signature-requests`: asks the citizen named by `req.rnokpp` to
    /// sign `req.document` in their wallet; the fund sends the browser to the
    /// answer's `sign_url`.
    pub async fn request_signature(&self, req: &SignatureRequest) -> Result<SignatureRequestCreated, HubError> {
        let resp = self.http.post(self.url("/signature-requests")).bearer_auth(&self.token).json(req).send().await;
        json_answer(resp).await
    }

    /// `GET …/signature-requests/{id}`: where one of this fund's signature
    /// requests stands, with the signature once signed. Another fund's or an
    /// unknown id is `Rejected(UnknownRequest)`.
    pub async fn signature_outcome(&self, id: &str) -> Result<SignatureOutcome, HubError> {
        let mut url = reqwest::Url::parse(&self.url("/signature-requests")).map_err(|_| HubError::Unreachable)?;
        // One path segment, escaped: an id can never reach another route.
        url.path_segments_mut().map_err(|_| HubError::Unreachable)?.push(id);
        let resp = self.http.get(url).bearer_auth(&self.token).send().await;
        json_answer(resp).await
    }
}

/// A 2xx answer's JSON body, or the refusal.
async fn json_answer<T: serde::de::DeserializeOwned>(
    resp: Result<reqwest::Response, reqwest::Error>,
) -> Result<T, HubError> {
    let resp = resp.map_err(|_| HubError::Unreachable)?;
    let status = resp.status();
    if status.is_success() {
        return resp.json::<T>().await.map_err(|_| HubError::Unreachable);
    }
    Err(refusal(status, resp).await)
}

async fn answer(resp: Result<reqwest::Response, reqwest::Error>) -> Result<AcquirerAnswer, HubError> {
    let resp = resp.map_err(|_| HubError::Unreachable)?;
    let status = resp.status();
    if status.is_success() {
        let a: AcquirerAnswer = resp.json().await.map_err(|_| HubError::Unreachable)?;
        if a.success {
            return Ok(a);
        }
        return Err(a.error.map(classify).unwrap_or(HubError::Rejected(Refusal::BadRequest)));
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
        (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, None) => HubError::Rejected(Refusal::Unauthorized),
        _ => HubError::Rejected(Refusal::BadRequest),
    }
}

fn classify(e: AcquirerError) -> HubError {
    match e.refusal().unwrap_or(Refusal::BadRequest) {
        Refusal::Code(r) => HubError::Refused(r),
        Refusal::RateLimited => HubError::RateLimited { retry_after_secs: 60 },
        other => HubError::Rejected(other),
    }
}

/// The hub's side: posts a sealed package to the acquirer's endpoint as the
/// public API has it (multipart `encryptedFile`, `encryptedFileName`,
/// `encodeData`; header `X-Document-Request-Trace-Id`). `Ok` only when the
/// acquirer acknowledged with `{"success": true}`; the error names what went
/// wrong, never the content.
pub async fn deliver(
    http: &reqwest::Client,
    endpoint: &str,
    request_id: &str,
    package: Package,
    timeout: Duration,
) -> Result<(), String> {
    let metadata = base64::engine::general_purpose::STANDARD.encode(&package.metadata);
    let file = reqwest::multipart::Part::bytes(package.file)
        .file_name(package.file_name.clone())
        .mime_str("application/pkcs7-mime")
        .map_err(|e| e.to_string())?;
    let form = reqwest::multipart::Form::new()
        .part(PART_FILE, file)
        .text(PART_FILE_NAME, package.file_name)
        .text(PART_METADATA, metadata);
    let resp = http
        .post(endpoint)
        .header(TRACE_HEADER, request_id)
        .multipart(form)
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| format!("unreachable: {}", e.without_url()))?;
    let status = resp.status();
    let ack: Option<Ack> = resp.json().await.ok();
    match ack {
        Some(Ack { success: true }) if status.is_success() => Ok(()),
        _ => Err(format!("not acknowledged (HTTP {})", status.as_u16())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, retry_after: Option<&str>, body: &'static str) -> reqwest::Response {
        let mut b = http::Response::builder().status(status);
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
        assert_eq!(refusal(r.status(), r).await, HubError::Rejected(Refusal::Unauthorized));
        let body = r#"{"success":false,"error":{"code":"from_a_newer_hub","message":"м","messageEn":"m"}}"#;
        let r = response(400, None, body);
        assert_eq!(refusal(r.status(), r).await, HubError::Rejected(Refusal::BadRequest));
    }
}
