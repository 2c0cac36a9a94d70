//! Applications for pension certificates (form 1).
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use dossier_app::App;
use dossier_app::applications::{self, ApplicationView};
use dossier_domain::application::ApplicationInput;
use dossier_domain::lifecycle::Stage;
use dossier_http::openapi::{Binary, Created, Pdf};
use dossier_store::CertificateRecord;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ApiJson, ApiPath, ApiQuery, Id, OptionalJson, Paged, page};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/persons/{id}/applications",
            get_with(of_person, |o| o.summary("The person's applications and certificates"))
                .post_with(create, |o| o.summary("File an application for a pension certificate (form 1)")),
        )
        .api_route(
            "/api/v1/applications",
            get_with(list, |o| o.summary("Applications in scope, optionally at one stage")),
        )
        .api_route(
            "/api/v1/applications/{id}",
            get_with(get, |o| o.summary("An application with its history and the events it may take next"))
                .put_with(amend, |o| o.summary("Amend an application not yet sent to production")),
        )
        .api_route(
            "/api/v1/applications/{id}/form.pdf",
            get_with(form_pdf, |o| o.summary("The filed application as a signed PDF (form 1)")),
        )
        .api_route(
            "/api/v1/applications/{id}/withdraw",
            post_with(withdraw, |o| o.summary("Withdraw an application not yet sent to production")),
        )
}

async fn create(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<Created<CertificateRecord>> {
    Ok(Created(applications::file(&app, &caller, id, &body).await?))
}

async fn of_person(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<Vec<CertificateRecord>>> {
    Ok(Json(applications::of_person(&app, &caller, id).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct ListQuery {
    /// Only applications at this stage.
    pub stage: Option<Stage>,
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

async fn list(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Paged<CertificateRecord>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(applications::list(&app, &caller, q.stage.map(Stage::as_str), page).await?, page)))
}

async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(applications::get(&app, &caller, id).await?))
}

async fn form_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    Ok(Binary::new(applications::form_pdf(&app, &caller, id).await?).inline("application.pdf"))
}

async fn amend(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<Json<CertificateRecord>> {
    Ok(Json(applications::amend(&app, &caller, id, &body).await?))
}

/// Why the application is withdrawn (the body may also be empty).
#[derive(Deserialize, Default, JsonSchema)]
pub struct WithdrawBody {
    /// The applicant's or the specialist's note, kept with the event.
    #[serde(default)]
    pub note: String,
}

async fn withdraw(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    OptionalJson(body): OptionalJson<WithdrawBody>,
) -> ApiResult<Json<CertificateRecord>> {
    Ok(Json(applications::withdraw(&app, &caller, id, &body.note).await?))
}
