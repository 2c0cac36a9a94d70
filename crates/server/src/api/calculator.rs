//! The pension calculators: public, no sign-in, nothing stored. The figures
//! travel in a POST body so a citizen's earnings never end up in a URL or an
//! access log; the answer is not kept by caches either.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use chrono::Utc;
use dossier_app::App;
use dossier_app::calculator;
use dossier_domain::calculator::{russia, ukraine};
use dossier_domain::{Lang, Message};
use dossier_http::ReqLang;
use schemars::JsonSchema;
use serde::Serialize;

use super::ApiJson;
use super::tracking::NoStore;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/calculator/russia",
            post_with(russia, |o| {
                o.summary(
                    "Estimate Russia's insurance old-age pension (400-FZ) from points and record, with what-if \
                     earnings and a later claim (public; nothing stored)",
                )
            }),
        )
        .api_route(
            "/api/v1/calculator/ukraine",
            post_with(ukraine, |o| {
                o.summary(
                    "Estimate Ukraine's old-age pension (Law 1058-IV) from the record and the wage coefficient, \
                     with a what-if wage and a later claim (public; nothing stored)",
                )
            }),
        )
}

/// An estimate, and why it gives no pension when it does not.
#[derive(Serialize, JsonSchema)]
pub struct EstimateView<E> {
    #[serde(flatten)]
    pub estimate: E,
    /// In the reader's language.
    pub problems: Vec<String>,
}

impl<E> EstimateView<E> {
    pub fn of(estimate: E, problems: &[Message], lang: Lang) -> Self {
        EstimateView { estimate, problems: problems.iter().map(|m| m.render(lang)).collect() }
    }
}

async fn russia(
    ReqLang(lang): ReqLang,
    ApiJson(input): ApiJson<russia::Input>,
) -> ApiResult<NoStore<EstimateView<russia::Estimate>>> {
    let e = calculator::russia(&input, Utc::now().date_naive())?;
    let problems = e.problems.clone();
    Ok(NoStore(Json(EstimateView::of(e, &problems, lang))))
}

async fn ukraine(
    ReqLang(lang): ReqLang,
    ApiJson(input): ApiJson<ukraine::Input>,
) -> ApiResult<NoStore<EstimateView<ukraine::Estimate>>> {
    let e = calculator::ukraine(&input, Utc::now().date_naive())?;
    let problems = e.problems.clone();
    Ok(NoStore(Json(EstimateView::of(e, &problems, lang))))
}
