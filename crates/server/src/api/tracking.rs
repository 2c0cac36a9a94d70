//! The public status look-up: no sign-in, two facts (the application number
//! and the holder's date of birth) in a POST body, so neither ends up in a URL
//! or an access log.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_app::App;
use dossier_app::tracking::{self, CaseKind, CaseStatus, StatusQuery};
use dossier_domain::Lang;
use dossier_http::ReqLang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ClientAddr};
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/status/code",
            post_with(by_code, |o| {
                o.summary(
                    "Where a pension certificate or a shared document is, by the token of its status link (the QR \
                     code on an application's receipt or on the counter's screen; public; a token that is not \
                     genuine counts as a failed look-up)",
                )
            }),
        )
        .api_route(
            "/api/v1/status",
            post_with(status, |o| {
                o.summary(
                    "Where a pension certificate is, by its application number and the holder's date of birth \
                 (public; a wrong date and an unknown number answer alike; failures are limited per client and \
                 per number, then 429 with Retry-After)",
                )
            }),
        )
}

/// JSON about one person's document: never kept by a cache.
pub struct NoStore<T>(pub Json<T>);

impl<T: Serialize> axum::response::IntoResponse for NoStore<T> {
    fn into_response(self) -> axum::response::Response {
        let mut r = self.0.into_response();
        r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
        r
    }
}

impl<T: JsonSchema> aide::OperationOutput for NoStore<T> {
    type Inner = T;

    fn operation_response(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Option<aide::openapi::Response> {
        Json::<T>::operation_response(ctx, operation)
    }

    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Vec<(Option<u16>, aide::openapi::Response)> {
        Json::<T>::inferred_responses(ctx, operation)
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The application number on the receipt, e.g. `З-2026-0000042` (spaces, a Latin Z or a 3 are read too).
    #[schemars(length(min = 1, max = 40), pattern(r"^[ \t\-–]*[ЗзZz3]([ \t\-–]*[0-9]){11}[ \t\-–]*$"))]
    pub number: String,
    /// The holder's date of birth.
    pub birth_date: NaiveDate,
}

/// Where a document stands, in the reader's language.
#[derive(Serialize, JsonSchema)]
pub struct StatusView {
    /// The application number (a certificate) or the id (a shared document's request, an e-application).
    pub number: String,
    /// `certificate`, `shared_document` or `e_application`.
    pub kind: &'static str,
    /// A certificate's form: `paper` or `card`.
    pub form: Option<&'static str>,
    /// A shared document's type, e.g. `taxpayer-card`.
    pub document_type: Option<&'static str>,
    /// An e-application's kind, e.g. `pension_assignment`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_kind: Option<&'static str>,
    /// Stable name of the milestone reached, e.g. `in_production`, `ready`.
    pub milestone: &'static str,
    pub text: String,
    pub ready: bool,
    /// The milestones of its path with when each was reached.
    pub path: Vec<PathStep>,
    pub estimate: Option<EstimateView>,
    /// The office that hands it over.
    pub office: OfficeView,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, JsonSchema)]
pub struct PathStep {
    pub milestone: &'static str,
    pub text: String,
    pub reached_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, JsonSchema)]
pub struct EstimateView {
    pub ready_by: NaiveDate,
    /// A deadline was missed and the date counted again.
    pub revised: bool,
    pub text: String,
}

#[derive(Serialize, JsonSchema)]
pub struct OfficeView {
    pub name: String,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
}

impl StatusView {
    pub fn of(s: &CaseStatus, lang: Lang) -> Self {
        let (kind, form, document_type, application_kind) = match s.kind {
            CaseKind::Certificate(form) => ("certificate", Some(form.as_str()), None, None),
            CaseKind::SharedDocument(t) => ("shared_document", None, Some(t.code()), None),
            CaseKind::EApplication(k) => ("e_application", None, None, Some(k.as_str())),
        };
        StatusView {
            number: s.number.clone(),
            kind,
            form,
            document_type,
            application_kind,
            milestone: s.milestone.as_str(),
            text: s.milestone.message().render(lang),
            ready: s.ready(),
            path: s
                .path
                .iter()
                .map(|(m, at)| PathStep { milestone: m.as_str(), text: m.message().render(lang), reached_at: *at })
                .collect(),
            estimate: s.estimate.map(|e| EstimateView {
                ready_by: e.ready_by,
                revised: e.revised,
                text: e.message().render(lang),
            }),
            office: OfficeView {
                name: s.office.name(lang).to_owned(),
                address: s.office.address.clone(),
                opening_hours: s.office.opening_hours.clone(),
            },
            updated_at: s.updated_at,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The `t` of the receipt's status link.
    #[schemars(length(min = 1, max = 64))]
    pub token: String,
}

async fn by_code(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<CodeRequest>,
) -> ApiResult<NoStore<StatusView>> {
    let found = tracking::look_up_by_token(&app, &client, &body.token, Utc::now()).await?;
    Ok(NoStore(Json(StatusView::of(&found, lang))))
}

async fn status(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<StatusRequest>,
) -> ApiResult<NoStore<StatusView>> {
    let q = StatusQuery { number: body.number, birth_date: body.birth_date };
    let found = tracking::look_up(&app, &client, &q, Utc::now()).await?;
    Ok(NoStore(Json(StatusView::of(&found, lang))))
}
