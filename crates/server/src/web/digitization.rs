//! Digitization pages: the counter (open a dossier, add scanned papers), the
//! review queue, and a document's fields beside the part of the scan each was
//! read from — keyboard first: the first field to check has the focus, Enter
//! saves it.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use chrono::Utc;
use dossier_app::digitization::{self, OpenDossier};
use dossier_app::{App, AppError};
use dossier_domain::Lang;
use dossier_domain::digitization::DocumentKind;
use dossier_domain::i18n::text;
use dossier_domain::org::Permission;
use dossier_store::{DigitizedDocument, DigitizedStatus, FieldStatus, Page};
use serde::Deserialize;
use uuid::Uuid;

use super::view::{Ctx, PageError, PageResult, Staff, check_csrf, html, ok, on_the_form, parse_uuid, see_other};
use crate::error::status_of;

fn status_text(s: DigitizedStatus, lang: Lang) -> String {
    text(&format!("ui.digitization.status_{}", s.as_str()), lang).to_owned()
}

fn field_status_text(s: FieldStatus, lang: Lang) -> String {
    text(&format!("ui.digitization.field_{}", s.as_str()), lang).to_owned()
}

/// A document as the lists show it.
pub struct DocRow {
    pub id: Uuid,
    pub code: String,
    pub kind: String,
    pub pages: u32,
    pub status: String,
}

pub(super) fn doc_row(d: &DigitizedDocument, lang: Lang) -> DocRow {
    DocRow {
        id: d.id,
        code: d.result_code.clone(),
        kind: text(d.kind.label_key(), lang).to_owned(),
        pages: d.pages,
        status: status_text(d.status, lang),
    }
}

#[derive(Template)]
#[template(path = "digitization_counter.html")]
struct CounterPage {
    t: Ctx,
    procedure: String,
    applicant: String,
    /// The person the dossier is opened for, when the counter came from their record.
    person: Option<(Uuid, String)>,
    error: Option<String>,
    /// The field the error is about.
    invalid: String,
    can_review: bool,
}

#[derive(Deserialize)]
pub struct CounterQuery {
    /// Open the dossier for this registered person (the link on their record).
    pub person: Option<String>,
}

/// The person a dossier is opened for, by id, if the caller may see them.
async fn person_for(app: &App, staff: &Staff, id: Option<&str>) -> Result<Option<(Uuid, String)>, PageError> {
    let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let id = parse_uuid(id)?;
    let p = dossier_app::people::get(app, &staff.caller, id).await?;
    Ok(Some((p.id, p.data.name.display())))
}

/// `GET /digitization`, or `?person=<id>` to open a dossier for a registered person.
pub async fn counter(State(app): State<Arc<App>>, staff: Staff, Query(q): Query<CounterQuery>) -> PageResult {
    staff.caller.require(Permission::Digitize)?;
    let person = person_for(&app, &staff, q.person.as_deref()).await?;
    let page = CounterPage {
        t: staff.ctx("/digitization"),
        procedure: String::new(),
        applicant: String::new(),
        person,
        error: None,
        invalid: String::new(),
        can_review: staff.caller.may(Permission::ReviewDigitization),
    };
    ok(&page)
}

#[derive(Deserialize)]
pub struct OpenForm {
    pub csrf: String,
    pub procedure: String,
    #[serde(default)]
    pub applicant: String,
    #[serde(default)]
    pub person: String,
}

/// `POST /digitization/dossiers`.
pub async fn open(State(app): State<Arc<App>>, staff: Staff, Form(form): Form<OpenForm>) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let person = person_for(&app, &staff, Some(&form.person)).await?;
    let req = OpenDossier {
        procedure: form.procedure.clone(),
        person_id: person.as_ref().map(|p| p.0),
        applicant: Some(form.applicant.clone()),
    };
    match digitization::open_dossier(&app, &staff.caller, &req).await {
        Ok(d) => Ok(see_other(&format!("/digitization/dossiers/{}", d.id))),
        Err(e) if on_the_form(&e) => {
            let page = CounterPage {
                t: staff.ctx("/digitization"),
                procedure: form.procedure,
                applicant: form.applicant,
                person,
                error: Some(refusal(&e, staff.lang)),
                invalid: e.fields.first().map(|f| f.field.clone()).unwrap_or_default(),
                can_review: staff.caller.may(Permission::ReviewDigitization),
            };
            Ok(html(status_of(e.kind), &page))
        }
        Err(e) => Err(e.into()),
    }
}

fn refusal(e: &AppError, lang: Lang) -> String {
    e.fields.first().map(|f| f.message.render(lang)).unwrap_or_else(|| e.message.render(lang))
}

#[derive(Template)]
#[template(path = "digitization_dossier.html")]
struct DossierPage {
    t: Ctx,
    id: Uuid,
    code: String,
    procedure: String,
    received: String,
    applicant: Option<String>,
    /// The registered person's record: (link, name).
    person: Option<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    documents: Vec<DocRow>,
    error: Option<String>,
}

async fn dossier_page(app: &App, staff: &Staff, id: Uuid, error: Option<String>, status: StatusCode) -> PageResult {
    let lang = staff.lang;
    let (d, documents) = digitization::dossier(app, &staff.caller, id).await?;
    let page = DossierPage {
        t: staff.ctx(&format!("/digitization/dossiers/{id}")),
        id,
        code: d.code.to_string(),
        procedure: d.procedure.clone(),
        received: d.code.received().format("%d.%m.%Y").to_string(),
        applicant: d.applicant.as_ref().map(|a| a.to_string()),
        person: match d.person_id {
            Some(p) => {
                person_for(app, staff, Some(&p.to_string())).await?.map(|(id, name)| (format!("/persons/{id}"), name))
            }
            None => None,
        },
        kinds: DocumentKind::ALL.iter().map(|k| (k.code(), text(k.label_key(), lang).to_owned())).collect(),
        documents: documents.iter().map(|x| doc_row(x, lang)).collect(),
        error,
    };
    Ok(html(status, &page))
}

/// `GET /digitization/dossiers/{id}`.
pub async fn dossier(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let id = parse_uuid(&id)?;
    dossier_page(&app, &staff, id, None, StatusCode::OK).await
}

/// The upload form: `csrf`, `kind`, then `page` files.
pub struct Upload {
    csrf: String,
    kind: String,
    pages: Vec<Vec<u8>>,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = super::view::PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = || {
            let m = dossier_domain::Message::new("common.malformed_request").with("detail", "multipart");
            super::view::PageError::from(AppError::bad_request(m))
        };
        let mut multipart = Multipart::from_request(req, state).await.map_err(|_| bad())?;
        let mut up = Upload { csrf: String::new(), kind: String::new(), pages: vec![] };
        while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
            let name = field.name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| bad())?;
            match name.as_str() {
                "csrf" => up.csrf = String::from_utf8_lossy(&bytes).into_owned(),
                "kind" => up.kind = String::from_utf8_lossy(&bytes).trim().to_owned(),
                // A file input left empty still sends one empty part.
                "page" if !bytes.is_empty() => up.pages.push(bytes.to_vec()),
                _ => {}
            }
        }
        Ok(up)
    }
}

/// `POST /digitization/dossiers/{id}/documents`.
pub async fn upload(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>, up: Upload) -> PageResult {
    check_csrf(&staff.caller, &up.csrf)?;
    let id = parse_uuid(&id)?;
    match digitization::add_document(&app, &staff.caller, id, &up.kind, &up.pages, Utc::now()).await {
        Ok(doc) => Ok(see_other(&format!("/digitization/documents/{}", doc.id))),
        Err(e) if on_the_form(&e) => {
            let msg = refusal(&e, staff.lang);
            dossier_page(&app, &staff, id, Some(msg), status_of(e.kind)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "digitization_review.html")]
struct ReviewPage {
    t: Ctx,
    documents: Vec<DocRow>,
    /// The words searched for; `None`: the review queue.
    q: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchForm {
    q: String,
}

/// `GET /digitization/review` — the queue, or with `?q=` the documents whose text holds the words.
pub async fn review(
    State(app): State<Arc<App>>,
    staff: Staff,
    axum::extract::Query(f): axum::extract::Query<SearchForm>,
) -> PageResult {
    let q = f.q.trim();
    let docs = if q.is_empty() {
        digitization::review_queue(&app, &staff.caller, Page::new(0, 200)).await?
    } else {
        digitization::search(&app, &staff.caller, q, Page::new(0, 200)).await?
    };
    let documents = docs.iter().map(|d| doc_row(d, staff.lang)).collect();
    let q = (!q.is_empty()).then(|| q.to_owned());
    ok(&ReviewPage { t: staff.ctx("/digitization/review"), documents, q })
}

/// Where a field was read: the part of its page to show, with a margin.
pub struct Crop {
    pub page: u32,
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
    pub page_w: u32,
    pub page_h: u32,
}

pub struct FieldView {
    pub code: &'static str,
    pub label: String,
    pub status: String,
    pub value: String,
    pub read: String,
    pub confidence: String,
    pub problems: Vec<String>,
    pub crop: Option<Crop>,
    pub in_review: bool,
    pub can_confirm: bool,
    /// The first field to check: it has the focus.
    pub first: bool,
}

#[derive(Template)]
#[template(path = "digitization_document.html")]
struct DocumentPage {
    t: Ctx,
    id: Uuid,
    dossier_id: Uuid,
    code: String,
    kind: String,
    status: String,
    recognising: bool,
    /// The signed result's SHA-256, once made.
    result_sha256: Option<String>,
    /// Ready, and the caller registers people: the record can take its fields.
    can_register: bool,
    fields: Vec<FieldView>,
    error: Option<String>,
}

async fn document_page(app: &App, staff: &Staff, id: Uuid, error: Option<String>, status: StatusCode) -> PageResult {
    let lang = staff.lang;
    let (doc, fields, sizes) = digitization::document_with_pages(app, &staff.caller, id).await?;
    let may_review = staff.caller.may(Permission::ReviewDigitization);
    let mut first = true;
    let fields = fields
        .iter()
        .map(|f| {
            let crop = f.place.and_then(|p| {
                let (page_w, page_h) = *sizes.get(p.page.checked_sub(1)? as usize)?;
                let margin = p.bbox.height.max(8);
                let x = p.bbox.left.saturating_sub(margin);
                let y = p.bbox.top.saturating_sub(margin);
                let w = (p.bbox.width + 2 * margin).min(page_w.saturating_sub(x));
                let h = (p.bbox.height + 2 * margin).min(page_h.saturating_sub(y));
                Some(Crop { page: p.page, x, y, w, h, page_w, page_h })
            });
            let in_review = f.status == FieldStatus::Review && may_review;
            let view = FieldView {
                code: f.field.code(),
                label: text(f.field.label_key(), lang).to_owned(),
                status: field_status_text(f.status, lang),
                value: f.value.clone().unwrap_or_default(),
                read: f.read.clone(),
                confidence: format!("{:.0}", f.confidence),
                problems: f.problems.iter().map(|m| m.render(lang)).collect(),
                crop,
                in_review,
                can_confirm: in_review && f.value.is_some(),
                first: in_review && first,
            };
            if in_review {
                first = false;
            }
            view
        })
        .collect();
    let page = DocumentPage {
        t: staff.ctx(&format!("/digitization/documents/{id}")),
        id,
        dossier_id: doc.dossier_id,
        code: doc.result_code.clone(),
        kind: text(doc.kind.label_key(), lang).to_owned(),
        status: status_text(doc.status, lang),
        recognising: doc.status == DigitizedStatus::Recognising,
        result_sha256: doc.result.as_ref().map(|r| r.sha256.clone()),
        can_register: doc.status == DigitizedStatus::Ready && staff.caller.may(Permission::WritePerson),
        fields,
        error,
    };
    Ok(html(status, &page))
}

/// `GET /digitization/documents/{id}`.
pub async fn document(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let id = parse_uuid(&id)?;
    document_page(&app, &staff, id, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    pub csrf: String,
    #[serde(default)]
    pub value: String,
    /// Present when the "confirm as read" button was pressed.
    pub confirm: Option<String>,
}

/// `POST /digitization/documents/{id}/fields/{field}`: the typed value, or a
/// confirmation (also when the value was left as read).
pub async fn decide(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path((id, field)): Path<(String, String)>,
    Form(form): Form<DecideForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let id = parse_uuid(&id)?;
    let (_, fields) = digitization::document(&app, &staff.caller, id).await?;
    let as_read = fields.iter().find(|f| f.field.code() == field).and_then(|f| f.value.clone());
    let typed = form.value.trim();
    let value = if form.confirm.is_some() || as_read.as_deref() == Some(typed) { None } else { Some(typed) };
    match digitization::decide(&app, &staff.caller, id, &field, value, Utc::now()).await {
        Ok(_) => Ok(see_other(&format!("/digitization/documents/{id}"))),
        Err(e) if on_the_form(&e) || e.kind == dossier_app::ErrorKind::Conflict => {
            let msg = refusal(&e, staff.lang);
            document_page(&app, &staff, id, Some(msg), status_of(e.kind)).await
        }
        Err(e) => Err(e.into()),
    }
}
