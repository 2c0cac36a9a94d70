//! Digitization of paper: dossiers opened at the counter, documents of
//! scanned pages (multipart), their recognised fields and a person's decisions.
use std::sync::Arc;

use aide::OperationInput;
use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use aide::generate::GenContext;
use aide::openapi::{Operation, RequestBody};
use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use chrono::Utc;
use dossier_app::digitization::reuse::PersonDraft;
use dossier_app::digitization::{self, OpenDossier};
use dossier_app::{App, AppError};
use dossier_http::openapi::{Binary, Created, Pdf, Scan, content};
use dossier_store::{DigitizationDossier, DigitizedDocument, FieldRecord};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, Id, Paged, page};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/digitization/dossiers",
            post_with(open, |o| {
                o.summary("Open a dossier for the papers a person brings: it gets the day's next dossier code")
            }),
        )
        .api_route(
            "/api/v1/digitization/dossiers/{id}",
            get_with(dossier, |o| o.summary("A dossier with its documents in order")),
        )
        .api_route(
            "/api/v1/digitization/dossiers/{id}/receipt",
            get_with(receipt, |o| {
                o.summary(
                    "The person's receipt (PDF/A, signed by the fund's document seal when one is configured): the \
                     dossier, its papers with their result codes, and a QR code (ISO/IEC 18004) carrying the dossier \
                     code, procedure, applicant, papers, issuing system and time (audited)",
                )
            }),
        )
        .api_route(
            "/api/v1/digitization/dossiers/{id}/documents",
            post_with(add, |o| {
                o.summary(
                    "Add a paper as scanned pages (PNG, JPEG or TIFF images, or a scanner's PDF, in order); each page must meet the scan \
                     profile (≥ 200 dpi, colour or greyscale) or nothing is stored",
                )
            }),
        )
        .api_route(
            "/api/v1/digitization/documents/{id}",
            get_with(document, |o| {
                o.summary("A digitized document: its result code, state and fields as read or decided")
            }),
        )
        .api_route(
            "/api/v1/digitization/search",
            get_with(search, |o| {
                o.summary(
                    "Documents whose recognised text holds every word of q (diacritics and apostrophes ignored), \
                     in the caller's scope, newest first",
                )
            }),
        )
        .api_route(
            "/api/v1/digitization/review",
            get_with(review, |o| {
                o.summary("Documents with fields waiting for a person, in the caller's scope, oldest first")
            }),
        )
        .api_route(
            "/api/v1/digitization/documents/{id}/pages/{page}",
            get_with(page_image, |o| o.summary("A page's scan, to compare a field with (audited)")),
        )
        .api_route(
            "/api/v1/digitization/documents/{id}/result",
            get_with(result, |o| {
                o.summary(
                    "The signed result: the scans as a searchable PDF/A with the office's seal mark, signed \
                     (PAdES) by the fund's document seal; made on first request if the worker has not (audited)",
                )
            }),
        )
        .api_route(
            "/api/v1/digitization/documents/{id}/person-draft",
            get_with(person_draft, |o| {
                o.summary(
                    "What a ready document offers a new person's record: each settled field with the page it was \
                     read on and who decided it; register with `from_document` to keep that provenance",
                )
            }),
        )
        .api_route(
            "/api/v1/digitization/documents/{id}/fields/{field}",
            post_with(decide, |o| {
                o.summary("Decide a field in review: confirm it as read (no value) or type its value (checked)")
            }),
        )
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDossier {
    /// The national procedure's code the papers came for, e.g. `1.001234`.
    #[schemars(length(min = 1, max = 64), pattern(r"^[A-Za-z0-9._-]{1,64}$"))]
    pub procedure: String,
    /// The person, when already registered.
    pub person_id: Option<Uuid>,
    /// The number on the applicant's identity paper (4–20 letters and digits; spaces and hyphens
    /// dropped), printed on the receipt and in its QR code; the person's RNOKPP when omitted.
    #[schemars(pattern(r"^[ -]*([0-9A-Za-zА-яЁёЄєІіЇїҐґ][ -]*){4,20}$"))]
    pub applicant: Option<String>,
}

async fn open(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewDossier>,
) -> ApiResult<Created<DigitizationDossier>> {
    let req = OpenDossier { procedure: body.procedure, person_id: body.person_id, applicant: body.applicant };
    Ok(Created(digitization::open_dossier(&app, &caller, &req).await?))
}

#[derive(Serialize, JsonSchema)]
pub struct DossierView {
    pub dossier: DigitizationDossier,
    pub documents: Vec<DigitizedDocument>,
}

async fn dossier(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<DossierView>> {
    let (dossier, documents) = digitization::dossier(&app, &caller, id).await?;
    Ok(NoStore(Json(DossierView { dossier, documents })))
}

async fn receipt(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    let (bytes, name) = digitization::receipt_pdf(&app, &caller, id).await?;
    Ok(Binary::new(bytes).inline(&name).header(axum::http::header::CACHE_CONTROL, "private, no-store"))
}

/// `multipart/form-data`: `kind` (the document type's code), then one `page` part per page, in order.
pub struct Pages {
    kind: String,
    pages: Vec<Vec<u8>>,
}

impl<S: Send + Sync> FromRequest<S> for Pages {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let malformed = || {
            ApiError(AppError::bad_request(
                dossier_domain::Message::new("common.malformed_request").with("detail", "multipart"),
            ))
        };
        let mut multipart = Multipart::from_request(req, state).await.map_err(|_| malformed())?;
        let (mut kind, mut pages) = (None, vec![]);
        while let Some(field) = multipart.next_field().await.map_err(|_| malformed())? {
            let name = field.name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| malformed())?;
            match name.as_str() {
                "kind" => kind = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
                "page" => pages.push(bytes.to_vec()),
                _ => return Err(malformed()),
            }
        }
        let kind = kind.ok_or_else(|| ApiError(AppError::field("kind", "common.required")))?;
        Ok(Pages { kind, pages })
    }
}

impl OperationInput for Pages {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let form = schemars::json_schema!({
            "type": "object",
            "additionalProperties": false,
            "required": ["kind", "page"],
            "properties": {
                "kind": {
                    "type": "string",
                    "enum": dossier_domain::digitization::DocumentKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(),
                    "description": "The document type"
                },
                "page": {
                    "type": "array",
                    "items": { "type": "string", "format": "binary" },
                    "description": "The scanned pages in order (PNG, JPEG or TIFF images, or PDFs whose pages are scanned images)"
                }
            }
        });
        let body = RequestBody {
            description: Some("A paper's scanned pages".into()),
            content: content("multipart/form-data", form),
            required: true,
            extensions: Default::default(),
        };
        aide::operation::set_body(ctx, operation, body);
    }
}

async fn add(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    pages: Pages,
) -> ApiResult<Created<DigitizedDocument>> {
    Ok(Created(digitization::add_document(&app, &caller, id, &pages.kind, &pages.pages, Utc::now()).await?))
}

#[derive(Serialize, JsonSchema)]
pub struct DocumentView {
    pub document: DigitizedDocument,
    pub fields: Vec<FieldRecord>,
}

async fn document(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<DocumentView>> {
    let (document, fields) = digitization::document(&app, &caller, id).await?;
    Ok(NoStore(Json(DocumentView { document, fields })))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct QueueQuery {
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

async fn review(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<NoStore<Paged<DigitizedDocument>>> {
    let page = page(q.offset, q.limit);
    Ok(NoStore(Json(Paged::of(digitization::review_queue(&app, &caller, page).await?, page))))
}

#[derive(Deserialize, JsonSchema)]
pub struct SearchQuery {
    /// Words to find, e.g. `nguyen huong`.
    #[schemars(length(min = 1, max = 200))]
    pub q: String,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

async fn search(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<NoStore<Paged<DigitizedDocument>>> {
    let page = page(q.offset, q.limit);
    Ok(NoStore(Json(Paged::of(digitization::search(&app, &caller, &q.q, page).await?, page))))
}

#[derive(Deserialize, JsonSchema)]
pub struct DocumentPage {
    pub id: Uuid,
    /// From 1.
    pub page: u32,
}

async fn page_image(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(DocumentPage { id, page }): ApiPath<DocumentPage>,
) -> ApiResult<Binary<Scan>> {
    let (bytes, media_type) = digitization::page_image(&app, &caller, id, page).await?;
    Ok(Binary::typed(bytes, &media_type).header(axum::http::header::CACHE_CONTROL, "private, no-store"))
}

async fn result(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    let (bytes, name) = digitization::result_pdf(&app, &caller, id).await?;
    Ok(Binary::new(bytes).inline(&name).header(axum::http::header::CACHE_CONTROL, "private, no-store"))
}

async fn person_draft(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<PersonDraft>> {
    Ok(NoStore(Json(digitization::reuse::person_draft(&app, &caller, id).await?)))
}

#[derive(Deserialize, JsonSchema)]
pub struct DocumentField {
    pub id: Uuid,
    /// The field's code, e.g. `rnokpp`.
    pub field: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The value typed by the person; absent to confirm the value as read.
    pub value: Option<String>,
}

async fn decide(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(DocumentField { id, field }): ApiPath<DocumentField>,
    ApiJson(body): ApiJson<Decision>,
) -> ApiResult<Json<FieldRecord>> {
    Ok(Json(digitization::decide(&app, &caller, id, &field, body.value.as_deref(), Utc::now()).await?))
}
