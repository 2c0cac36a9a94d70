//! People: search, the record, registering and correcting, pictures,
//! representatives, documents, history, the CSV upload.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use dossier_app::digitization::reuse;
use dossier_app::people::{self, SearchQuery};
use dossier_app::pictures::{self, PictureKind};
use dossier_app::{App, Caller};
use dossier_domain::ident::Rnokpp;
use dossier_domain::person::{PersonInput, RepresentativeInput};
use dossier_domain::schema::OrBlank;
use dossier_http::openapi::{Binary, Created, Csv, Image, Upload};
use dossier_store::audit::AuditEntry;
use dossier_store::{DocumentMeta, PersonRecord, RepresentativeRecord};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiPath, ApiQuery, Id, Paged, Stored, page, stored};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/persons",
            get_with(search, |o| {
                o.summary("Find people in scope by RNOKPP, OKZO, account, document number or the start of the name")
            })
            .post_with(create, |o| o.summary("Register a person")),
        )
        .api_route(
            "/api/v1/persons/import",
            post_with(import, |o| {
                o.summary("Register people from CSV: every row is checked first; one bad row refuses the upload")
            }),
        )
        .api_route(
            "/api/v1/persons/{id}",
            get_with(get, |o| o.summary("A person's record"))
                .put_with(update, |o| o.summary("Correct a person's record")),
        )
        .api_route(
            "/api/v1/persons/{id}/photo",
            get_with(photo, |o| o.summary("The person's photo"))
                .put_with(set_photo, |o| o.summary("Store the person's photo (JPEG or PNG)")),
        )
        .api_route(
            "/api/v1/persons/{id}/signature",
            get_with(signature, |o| o.summary("The person's specimen signature (card zone 6)"))
                .put_with(set_signature, |o| {
                    o.summary("Store the person's specimen signature (JPEG or PNG, at least 200×40 pixels)")
                }),
        )
        .api_route(
            "/api/v1/persons/{id}/representatives",
            get_with(representatives, |o| o.summary("The person's legal representatives"))
                .post_with(add_representative, |o| o.summary("Add a legal representative")),
        )
        .api_route("/api/v1/persons/{id}/documents", get_with(documents, |o| o.summary("The documents in the dossier")))
        .api_route("/api/v1/persons/{id}/history", get_with(history, |o| o.summary("The dossier's audit history")))
        .api_route(
            "/api/v1/documents/{id}/content",
            get_with(document_content, |o| o.summary("A stored document's content")),
        )
}

/// What to look a person up by (the first identifier given counts), and the page.
#[derive(Deserialize, Default, JsonSchema)]
pub struct SearchParams {
    #[schemars(with = "Option<OrBlank<Rnokpp>>")]
    pub rnokpp: Option<String>,
    /// Personal file number (OKZO), with or without the leading zeros; checked when it is the key.
    pub okzo: Option<String>,
    /// Pension account number.
    pub account_no: Option<String>,
    /// A passport's or ID card's number.
    pub document_no: Option<String>,
    /// The start of the full name ("Шевчук Пет"), any case.
    pub name: Option<String>,
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

async fn search(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<Paged<PersonRecord>>> {
    let page = page(q.offset, q.limit);
    let query = SearchQuery {
        rnokpp: q.rnokpp,
        okzo: q.okzo,
        account_no: q.account_no,
        document_no: q.document_no,
        name: q.name,
    };
    Ok(Json(Paged::of(people::search(&app, &caller, &query, page).await?, page)))
}

async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<PersonRecord>> {
    Ok(Json(people::get(&app, &caller, id).await?))
}

#[derive(Deserialize, JsonSchema)]
pub struct NewPersonBody {
    /// District office where the person is registered; defaults to the caller's district.
    pub unit_id: Option<i64>,
    /// A digitized paper (ready) the data was taken from (see its `person-draft`): the person's
    /// history records which fields kept the paper's value, from which page, settled by whom.
    pub from_document: Option<uuid::Uuid>,
    #[serde(flatten)]
    pub person: PersonInput,
}

async fn create(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewPersonBody>,
) -> ApiResult<Created<PersonRecord>> {
    let person = match body.from_document {
        Some(document) => reuse::register_person(&app, &caller, body.unit_id, &body.person, document).await?,
        None => people::create(&app, &caller, body.unit_id, &body.person).await?,
    };
    Ok(Created(person))
}

async fn update(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<PersonInput>,
) -> ApiResult<Json<PersonRecord>> {
    Ok(Json(people::update(&app, &caller, id, &body).await?))
}

async fn put_picture(
    app: &App,
    caller: &Caller,
    id: uuid::Uuid,
    kind: PictureKind,
    body: &[u8],
) -> ApiResult<Created<DocumentMeta>> {
    Ok(Created(pictures::set_picture(app, caller, id, kind, body).await?))
}

async fn get_picture(app: &App, caller: &Caller, id: uuid::Uuid, kind: PictureKind) -> ApiResult<Binary<Image>> {
    Ok(stored(pictures::picture(app, caller, id, kind).await?))
}

async fn set_photo(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    body: Upload<Image>,
) -> ApiResult<Created<DocumentMeta>> {
    put_picture(&app, &caller, id, PictureKind::Photo, &body.bytes).await
}

async fn photo(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Image>> {
    get_picture(&app, &caller, id, PictureKind::Photo).await
}

async fn set_signature(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    body: Upload<Image>,
) -> ApiResult<Created<DocumentMeta>> {
    put_picture(&app, &caller, id, PictureKind::Signature, &body.bytes).await
}

async fn signature(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Image>> {
    get_picture(&app, &caller, id, PictureKind::Signature).await
}

async fn document_content(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Stored>> {
    Ok(stored(pictures::document_content(&app, &caller, id).await?))
}

async fn representatives(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<Vec<RepresentativeRecord>>> {
    Ok(Json(people::representatives(&app, &caller, id).await?))
}

async fn add_representative(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<RepresentativeInput>,
) -> ApiResult<Created<RepresentativeRecord>> {
    Ok(Created(people::add_representative(&app, &caller, id, &body).await?))
}

async fn documents(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<Vec<DocumentMeta>>> {
    Ok(Json(people::documents(&app, &caller, id).await?))
}

async fn history(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    Ok(Json(people::history(&app, &caller, id).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct ImportQuery {
    /// District office the people are registered at (defaults to the caller's).
    pub unit_id: Option<i64>,
}

/// People registered from one upload.
#[derive(Serialize, JsonSchema)]
pub struct Imported {
    /// How many rows were registered.
    pub imported: i64,
    /// The district office they are registered at.
    pub unit_id: i64,
}

/// `POST /api/v1/persons/import` with a `text/csv` body: all or nothing.
async fn import(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Upload<Csv>,
) -> ApiResult<Created<Imported>> {
    let (unit_id, imported) = people::import_csv(&app, &caller, q.unit_id, &body.bytes).await?;
    Ok(Created(Imported { imported, unit_id }))
}
