//! E-applications: the citizen's form in the account (`/account/apply`),
//! the trip to the wallet to sign and back (`…/signed`), the application's
//! page with its decision; and the offices' inbox (`/inbox`) where staff read
//! the signed text and the files and decide.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use dossier_app::e_applications::{self, Filing, Upload};
use dossier_app::tracking::{CaseRef, status_link};
use dossier_app::{App, AppError, ErrorKind};
use dossier_domain::e_application::{DecisionForm, EApplicationInput, Kind, Status};
use dossier_domain::lifecycle::CertificateForm;
use dossier_domain::payment::AwardForm;
use dossier_domain::pension::{PaymentSystem, PensionKind};
use dossier_domain::time::kyiv_time;
use dossier_domain::{Lang, Message};
use dossier_store::EApplicationFile;
use serde::Deserialize;
use uuid::Uuid;

use super::account::{AccountQuery, CitizenRow, SignedCitizen, checked_form, citizen_row, refused};
use super::status::no_store;
use super::view::{
    Ctx, PageResult, Staff, check_csrf, date, datetime, html, parse_uuid, pension_lines, see_other, unit_name,
};
use crate::error::status_of;

/// A choice of a select or a radio group.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    chosen: &str,
) -> Vec<Choice> {
    all.iter().map(|x| Choice { value: code(*x).into(), label: label(*x), selected: code(*x) == chosen }).collect()
}

/// A dossier document the citizen may attach.
pub struct DocumentChoice {
    pub id: Uuid,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "account_apply.html")]
struct ApplyPage {
    t: Ctx,
    csrf: String,
    acting_for: String,
    person: String,
    kinds: Vec<Choice>,
    pension_kinds: Vec<Choice>,
    deliveries: Vec<Choice>,
    forms: Vec<Choice>,
    offices: Vec<Choice>,
    branches: Vec<Choice>,
    payment_systems: Vec<Choice>,
    documents: Vec<DocumentChoice>,
    input: EApplicationInput,
    errors: Vec<ErrorLine>,
}

/// One problem of the form, linked to its field.
pub struct ErrorLine {
    pub field: String,
    pub href: String,
    pub text: String,
}

impl ApplyPage {
    /// Whether `field` has a problem (its input is marked invalid).
    fn bad(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The id of the element a field's error links to (a radio group: its first choice).
fn field_anchor(field: &str) -> String {
    match field {
        "kind" => "kind-pension_assignment".into(),
        "delivery" => "delivery-bank".into(),
        "certificate_form" => "form-paper".into(),
        "documents" | "files" => "files".into(),
        other => other.into(),
    }
}

fn error_lines(e: &AppError, lang: Lang) -> Vec<ErrorLine> {
    let mut lines: Vec<ErrorLine> = e
        .fields
        .iter()
        .map(|f| ErrorLine {
            field: f.field.clone(),
            href: format!("#{}", field_anchor(&f.field)),
            text: f.message.render(lang),
        })
        .collect();
    if lines.is_empty() {
        lines.push(ErrorLine {
            field: String::new(),
            href: "#kind-pension_assignment".into(),
            text: e.message.render(lang),
        });
    }
    lines
}

fn apply_page(
    lang: Lang,
    citizen: &dossier_app::account::Citizen,
    c: &e_applications::FormChoices,
    acting_for: Option<Uuid>,
    input: EApplicationInput,
    attached: &[Uuid],
    errors: Vec<ErrorLine>,
) -> ApplyPage {
    let t = |k: &str| dossier_domain::i18n::text(k, lang).to_owned();
    let unit = |u: &dossier_store::Unit| Choice {
        value: u.id.to_string(),
        label: unit_name(u, lang).to_owned(),
        selected: input.issue_unit_id == Some(u.id),
    };
    ApplyPage {
        t: Ctx::anonymous(lang, "/account/apply"),
        csrf: citizen.csrf().to_owned(),
        acting_for: acting_for.map(|id| id.to_string()).unwrap_or_default(),
        person: c.person.data.name.display(),
        kinds: choices(
            &dossier_domain::e_application::Kind::ALL,
            |k| k.as_str(),
            |k| k.message().render(lang),
            &input.kind,
        ),
        pension_kinds: choices(PensionKind::ALL, |k| k.as_str(), |k| k.message().render(lang), &input.pension_kind),
        deliveries: ["bank", "post"]
            .iter()
            .map(|d| Choice {
                value: (*d).into(),
                label: t(&format!("ui.eapp.delivery_{d}")),
                selected: input.delivery == *d,
            })
            .collect(),
        forms: choices(
            CertificateForm::ALL,
            |f| f.as_str(),
            |f| t(&format!("ui.eapp.form_{}", f.as_str())),
            &input.certificate_form,
        ),
        offices: c.offices.iter().map(unit).collect(),
        branches: c.branches.iter().map(unit).collect(),
        payment_systems: choices(
            PaymentSystem::ALL,
            |p| p.as_str(),
            |p| p.message().render(lang),
            &input.payment_system,
        ),
        documents: c
            .documents
            .iter()
            .map(|d| DocumentChoice {
                id: d.id,
                label: format!(
                    "{} · {} · {}",
                    super::view::label_or_code(&format!("ui.doc.{}", d.kind), &d.kind, lang),
                    date(d.created_at.date_naive()),
                    d.content_type
                ),
                checked: attached.contains(&d.id),
            })
            .collect(),
        input,
        errors,
    }
}

fn acting_for_of(q: &AccountQuery) -> Result<Option<Uuid>, AppError> {
    match q.acting_for.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(id) => id.parse().map(Some).map_err(|_| AppError::not_found()),
    }
}

/// `GET /account/apply[?for=]` — the application form.
pub async fn form(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, lang): SignedCitizen,
    Query(q): Query<AccountQuery>,
) -> Response {
    let acting_for = match acting_for_of(&q) {
        Ok(a) => a,
        Err(e) => return refused(&e),
    };
    match e_applications::form(&app, &citizen, acting_for).await {
        Ok(c) => no_store(html(
            StatusCode::OK,
            &apply_page(lang, &citizen, &c, acting_for, EApplicationInput::default(), &[], vec![]),
        )),
        Err(e) => refused(&e),
    }
}

/// The form's multipart body: the fields, the dossier documents ticked, the files.
pub struct ApplyForm {
    csrf: String,
    acting_for: String,
    input: EApplicationInput,
    attach: Vec<String>,
    uploads: Vec<Upload>,
}

impl<S: Send + Sync> FromRequest<S> for ApplyForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad =
            || refused(&AppError::bad_request(Message::new("common.malformed_request").with("detail", "multipart")));
        let mut multipart = Multipart::from_request(req, state).await.map_err(|_| bad())?;
        let mut f = ApplyForm {
            csrf: String::new(),
            acting_for: String::new(),
            input: EApplicationInput::default(),
            attach: vec![],
            uploads: vec![],
        };
        while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = field.bytes().await.map_err(|_| bad())?;
            if name == "files" {
                if !bytes.is_empty() {
                    f.uploads.push(Upload { name: file_name.unwrap_or_default(), bytes: bytes.to_vec() });
                }
                continue;
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let i = &mut f.input;
            match name.as_str() {
                "csrf" => f.csrf = text,
                "for" => f.acting_for = text,
                "attach" => f.attach.push(text),
                "kind" => i.kind = text,
                "pension_kind" => i.pension_kind = text,
                "delivery" => i.delivery = text,
                "iban" => i.iban = text,
                "postcode" => i.postcode = text,
                "address" => i.address = text,
                "certificate_form" => i.certificate_form = text,
                "issue_unit_id" => i.issue_unit_id = text.trim().parse().ok(),
                "payment_system" => i.payment_system = text,
                "note" => i.note = text,
                "email" => i.email = text,
                _ => {}
            }
        }
        Ok(f)
    }
}

/// `POST /account/apply` — files the application and sends the citizen to the wallet to sign.
pub async fn apply(State(app): State<Arc<App>>, SignedCitizen(citizen, lang): SignedCitizen, f: ApplyForm) -> Response {
    let acting_for = match checked_form(&citizen, &f.csrf, &f.acting_for) {
        Ok(a) => a,
        Err(e) => return refused(&e),
    };
    let attach: Result<Vec<Uuid>, _> = f.attach.iter().map(|a| a.trim().parse::<Uuid>()).collect();
    let Ok(attach) = attach else { return refused(&AppError::not_found()) };
    let filing = Filing { acting_for, input: f.input.clone(), attach: attach.clone(), uploads: f.uploads };
    let filed = e_applications::file(&app, &citizen, filing, lang, Utc::now()).await;
    match filed {
        Ok(started) => no_store(Redirect::to(&started.sign_url).into_response()),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::TooLarge) => {
            let errors = error_lines(&e, lang);
            match e_applications::form(&app, &citizen, acting_for).await {
                Ok(c) => no_store(html(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &apply_page(lang, &citizen, &c, acting_for, f.input, &attach, errors),
                )),
                Err(e) => refused(&e),
            }
        }
        Err(e) => refused(&e),
    }
}

/// `GET /account/applications/{id}/signed` — back from the wallet: the fund
/// checks the signature and shows the application.
pub async fn signed(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, _): SignedCitizen,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else { return refused(&AppError::not_found()) };
    match e_applications::returned(&app, &citizen, id, Utc::now()).await {
        Ok(_) => no_store(Redirect::to(&format!("/account/applications/{id}")).into_response()),
        Err(e) => refused(&e),
    }
}

#[derive(Template)]
#[template(path = "account_e_application.html")]
struct CitizenPage {
    t: Ctx,
    row: CitizenRow,
    statement: String,
    reasons: Option<String>,
    status_link: Option<String>,
}

/// `GET /account/applications/{id}` — the application, its status and decision.
pub async fn page(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, lang): SignedCitizen,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else { return refused(&AppError::not_found()) };
    match e_applications::view(&app, &citizen, id).await {
        Ok(r) => no_store(html(
            StatusCode::OK,
            &CitizenPage {
                t: Ctx::anonymous(lang, "/account"),
                row: citizen_row(&r, lang),
                statement: r.statement.clone(),
                reasons: r.reasons.clone(),
                status_link: status_link(&app, CaseRef::EApplication(r.id)),
            },
        )),
        Err(e) => refused(&e),
    }
}

fn attachment(bytes: Vec<u8>, content_type: &str, file_name: &str) -> Response {
    let mut resp = (StatusCode::OK, [(header::CONTENT_TYPE, content_type.to_owned())], bytes).into_response();
    let safe: String =
        file_name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    no_store(resp)
}

/// `GET /account/applications/{id}/decision.pdf`.
pub async fn citizen_decision(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, _): SignedCitizen,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else { return refused(&AppError::not_found()) };
    match e_applications::decision_for_citizen(&app, &citizen, id).await {
        Ok(pdf) => attachment(pdf, "application/pdf", &format!("decision-{id}.pdf")),
        Err(e) => refused(&e),
    }
}

// ---- The offices' inbox ----

pub struct InboxRow {
    pub id: Uuid,
    pub kind: String,
    pub status: String,
    pub submitted: String,
    pub due: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    t: Ctx,
    rows: Vec<InboxRow>,
    statuses: Vec<Choice>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    status: String,
}

/// `GET /inbox[?status=]` — submitted applications, the earliest due first.
pub async fn inbox(State(app): State<Arc<App>>, staff: Staff, Query(q): Query<InboxQuery>) -> PageResult {
    let lang = staff.lang;
    let status = match q.status.trim() {
        "" => Some(Status::Submitted),
        "all" => None,
        s => Some(Status::parse(s).ok_or_else(super::view::PageError::not_found)?),
    };
    let today = dossier_domain::time::kyiv_time(Utc::now()).date_naive();
    let rows = e_applications::inbox(&app, &staff.caller, status)
        .await?
        .into_iter()
        .map(|r| InboxRow {
            id: r.id,
            kind: r.kind.message().render(lang),
            status: r.status.message().render(lang),
            submitted: r.submitted_at.map(datetime).unwrap_or_default(),
            due: r.due_on.map(date).unwrap_or_default(),
            overdue: r.status == Status::Submitted && r.due_on.is_some_and(|d| d < today),
        })
        .collect();
    let chosen = status.map_or("all", Status::as_str);
    let mut statuses = choices(&Status::ALL[1..], Status::as_str, |s| s.message().render(lang), chosen);
    statuses.push(Choice {
        value: "all".into(),
        label: dossier_domain::i18n::text("ui.eapp.all", lang).into(),
        selected: chosen == "all",
    });
    Ok(html(StatusCode::OK, &InboxPage { t: staff.ctx("/inbox"), rows, statuses }))
}

pub struct FileRow {
    pub href: String,
    pub name: String,
    pub meta: String,
}

fn file_row(id: Uuid, f: &EApplicationFile) -> FileRow {
    FileRow {
        href: format!("/inbox/{id}/files/{}", f.position),
        name: f.name.clone(),
        meta: format!("{}, {} KB, {}", f.content_type, (f.size + 1023) / 1024, f.source),
    }
}

#[derive(Template)]
#[template(path = "inbox_item.html")]
struct ItemPage {
    t: Ctx,
    id: Uuid,
    person_id: Uuid,
    person: String,
    kind: String,
    status: String,
    statement: String,
    signer: Option<String>,
    submitted: Option<String>,
    due: Option<String>,
    files: Vec<FileRow>,
    decidable: bool,
    /// A pension assignment: the decision form asks for the amount and the first day.
    asks_award: bool,
    /// The pension the fund pays the person now, as label–value lines (none: empty).
    pension: Vec<(String, String)>,
    /// A delivery change for a person paid no pension: it can only be refused.
    nothing_to_move: bool,
    decided: Option<String>,
    reasons: Option<String>,
    certificate_id: Option<Uuid>,
    has_decision: bool,
    error: Option<String>,
    /// What the clerk typed, shown again beside the error.
    typed: DecisionForm,
}

async fn item_page(
    app: &App,
    staff: &Staff,
    id: Uuid,
    failed: Option<(String, DecisionForm)>,
    status: StatusCode,
) -> PageResult {
    let lang = staff.lang;
    let d = e_applications::get(app, &staff.caller, id).await?;
    let r = &d.record;
    let decidable = r.status == Status::Submitted;
    let applied_on = r.submitted_at.map(|at| kyiv_time(at).date_naive().format("%Y-%m-%d").to_string());
    let (error, typed) = match failed {
        Some((error, typed)) => (Some(error), typed),
        None => (
            None,
            DecisionForm {
                award: AwardForm { since: applied_on.unwrap_or_default(), ..Default::default() },
                ..Default::default()
            },
        ),
    };
    let page = ItemPage {
        t: staff.ctx("/inbox"),
        id,
        person_id: r.person_id,
        person: d.person.data.name.display(),
        kind: r.kind.message().render(lang),
        status: r.status.message().render(lang),
        statement: r.statement.clone(),
        signer: r.signer.clone(),
        submitted: r.submitted_at.map(datetime),
        due: r.due_on.map(date),
        files: d.files.iter().map(|f| file_row(id, f)).collect(),
        decidable,
        asks_award: r.kind == Kind::PensionAssignment,
        nothing_to_move: decidable && r.kind == Kind::DeliveryChange && d.pension.is_none(),
        pension: d.pension.as_ref().map(|p| pension_lines(p, lang)).unwrap_or_default(),
        decided: r.decided_at.map(datetime),
        reasons: r.reasons.clone(),
        certificate_id: r.certificate_id,
        has_decision: r.decision_sha256.is_some(),
        error,
        typed,
    };
    Ok(html(status, &page))
}

/// `GET /inbox/{id}`.
pub async fn item(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let id = parse_uuid(&id)?;
    item_page(&app, &staff, id, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct DecisionPost {
    csrf: String,
    #[serde(flatten)]
    form: DecisionForm,
}

/// `POST /inbox/{id}/decision`.
pub async fn decide(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(f): Form<DecisionPost>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    let id = parse_uuid(&id)?;
    match e_applications::decide(&app, &staff.caller, id, &f.form, Utc::now()).await {
        Ok(_) => Ok(see_other(&format!("/inbox/{id}"))),
        Err(e) if matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict) => {
            let mut msgs: Vec<String> = e.fields.iter().map(|x| x.message.render(staff.lang)).collect();
            if msgs.is_empty() {
                msgs.push(e.message.render(staff.lang));
            }
            item_page(&app, &staff, id, Some((msgs.join(" "), f.form)), status_of(e.kind)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /inbox/{id}/files/{position}`.
pub async fn file(State(app): State<Arc<App>>, staff: Staff, Path((id, position)): Path<(String, i64)>) -> PageResult {
    let id = parse_uuid(&id)?;
    let (f, bytes) = e_applications::attachment(&app, &staff.caller, id, position).await?;
    Ok(attachment(bytes, &f.content_type, &f.name))
}

/// `GET /inbox/{id}/signature.p7s` — the citizen's signature, for any tool to check.
pub async fn signature(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let id = parse_uuid(&id)?;
    let cms = e_applications::signature(&app, &staff.caller, id).await?;
    Ok(attachment(cms, "application/pkcs7-signature", &format!("application-{id}.p7s")))
}

/// `GET /inbox/{id}/decision.pdf`.
pub async fn decision(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let id = parse_uuid(&id)?;
    let pdf = e_applications::decision_document(&app, &staff.caller, id).await?;
    Ok(attachment(pdf, "application/pdf", &format!("decision-{id}.pdf")))
}
