//! People: search, the new-person form, the dossier with its representatives,
//! documents, photo, applications and history.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use dossier_app::digitization::reuse::{self, PersonDraft};
use dossier_app::dossier;
use dossier_app::people::{self, SearchQuery};
use dossier_app::pictures::{self, PictureKind};
use dossier_app::{App, AppError};
use dossier_domain::i18n::text;
use dossier_domain::org::Permission;
use dossier_domain::person::{Capacity, PersonInput, RepresentativeInput, RepresentativeKind, Sex, TaxId};
use dossier_domain::{FieldError, Lang, Message};
use dossier_store::{Page, PersonRecord, Unit};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{Field, Opt, Section, SummaryItem, apply_errors, top};
use super::notify::SubRow;
use super::view::{
    Ctx, PageError, PageResult, Pager, Staff, check_csrf, date, datetime, html, label_or_code, num, ok, on_the_form,
    opt, parse_uuid, pct, pension_lines, see_other, unit_name,
};
use crate::error::status_of;

// ---------------------------------------------------------------- search ----

/// What the one search box searches by.
pub const SEARCH_BY: [(&str, &str); 5] = [
    ("rnokpp", "ui.search.by_rnokpp"),
    ("okzo", "ui.search.by_okzo"),
    ("account_no", "ui.search.by_account"),
    ("document_no", "ui.search.by_document"),
    ("name", "ui.search.by_name"),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchParams {
    pub by: String,
    pub q: String,
    pub offset: String,
    pub limit: String,
}

impl SearchParams {
    /// The API's search fields with the box's text in the chosen one.
    pub fn to_query(&self) -> SearchQuery {
        let q = opt(&self.q);
        let mut sq = SearchQuery::default();
        match self.by.as_str() {
            "okzo" => sq.okzo = q,
            "account_no" => sq.account_no = q,
            "document_no" => sq.document_no = q,
            "name" => sq.name = q,
            _ => sq.rnokpp = q,
        }
        sq
    }
}

pub struct PersonRow {
    pub href: String,
    pub name: String,
    pub birth: String,
    pub tax: String,
    pub okzo: String,
    pub district: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    t: Ctx,
    sections: Vec<Section>,
    summary: Vec<SummaryItem>,
    searched: bool,
    rows: Vec<PersonRow>,
    pager: Pager,
    can_create: bool,
}

/// The person's tax identifier as shown: the RNOKPP, or the refusal with the passport.
fn tax_label(p: &PersonRecord, lang: Lang) -> String {
    match &p.data.tax_id {
        TaxId::Rnokpp { rnokpp } => rnokpp.to_string(),
        TaxId::ReligiousRefusal { passport } => {
            Message::new("ui.person.refused_passport").with("passport", passport).render(lang)
        }
    }
}

fn person_row(app: &App, p: &PersonRecord, lang: Lang) -> PersonRow {
    PersonRow {
        href: format!("/persons/{}", p.id),
        name: p.data.name.display(),
        birth: date(p.data.birth_date),
        tax: tax_label(p, lang),
        okzo: p.data.okzo.as_ref().map(|o| o.to_string()).unwrap_or_default(),
        district: app.unit(p.unit_id).map(|u| unit_name(&u, lang).to_owned()).unwrap_or_default(),
    }
}

pub async fn search(State(app): State<Arc<App>>, staff: Staff, Query(params): Query<SearchParams>) -> PageResult {
    let (caller, lang) = (&staff.caller, staff.lang);
    if !caller.may(Permission::ReadPerson) {
        // Each role lands where its work is: applications, or a card queue.
        if caller.may(Permission::ReadApplication) {
            return Ok(see_other("/applications"));
        }
        if caller.may(Permission::ExchangeCards) {
            return Ok(see_other("/cards"));
        }
        if caller.may(Permission::ManageOrg) {
            return Ok(see_other("/offices/manage"));
        }
    }
    people::may_search(caller)?;
    let t = staff.ctx(&staff.here);
    let by = if SEARCH_BY.iter().any(|(k, _)| *k == params.by) { params.by.as_str() } else { "rnokpp" };
    let by_options = SEARCH_BY.iter().map(|(k, label)| Opt::new(*k, t.t(label), by)).collect();
    let mut sections = vec![Section::new(
        "f-search",
        t.t("ui.search.title"),
        vec![
            Field::select("f-", "by", t.t("ui.search.by"), by_options),
            Field::new("f-", "q", t.t("ui.search.q"), "search", params.q.trim())
                .autofocus()
                .autocomplete("off")
                .hint(t.t("ui.search.hint")),
        ],
    )];
    let offset = num(&params.offset, 0);
    let limit = num(&params.limit, 25);
    let page = Page::new(offset, limit);
    let mut summary = vec![];
    let mut rows = vec![];
    let searched = opt(&params.q).is_some();
    let mut status = StatusCode::OK;
    if searched {
        match people::search(&app, caller, &params.to_query(), page).await {
            Err(e) if on_the_form(&e) => {
                // The box holds whichever identifier was chosen: its error belongs to `q`.
                let errs: Vec<FieldError> =
                    e.fields.into_iter().map(|e| FieldError { field: "q".into(), message: e.message }).collect();
                summary = apply_errors(&mut sections, &errs, lang);
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Err(e.into()),
            Ok(found) => rows = found.iter().map(|p| person_row(&app, p, lang)).collect(),
        }
    }
    let base = format!("/?by={}&q={}&", pct(by), pct(params.q.trim()));
    let pager = Pager::new(&base, page.offset, page.limit, rows.len());
    let can_create = caller.may(Permission::WritePerson);
    Ok(html(status, &SearchPage { t, sections, summary, searched, rows, pager, can_create }))
}

// ------------------------------------------------------------ new person ----

#[derive(Deserialize, Default, Debug, PartialEq)]
#[serde(default)]
pub struct PersonForm {
    pub csrf: String,
    pub unit_id: String,
    pub rnokpp: String,
    pub religious_refusal: String,
    pub passport: String,
    pub id_card: String,
    pub id_card_expires: String,
    pub unzr: String,
    pub account_no: String,
    pub okzo: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub sex: String,
    pub capacity: String,
    pub idp: String,
}

impl PersonForm {
    /// Form fields → the domain's raw input: empty text is "not given",
    /// a checkbox is on when sent at all.
    pub fn to_input(&self) -> PersonInput {
        PersonInput {
            rnokpp: opt(&self.rnokpp),
            religious_refusal: !self.religious_refusal.is_empty(),
            passport: opt(&self.passport),
            id_card: opt(&self.id_card),
            id_card_expires: opt(&self.id_card_expires),
            unzr: opt(&self.unzr),
            account_no: opt(&self.account_no),
            okzo: opt(&self.okzo),
            surname: self.surname.trim().to_owned(),
            given_name: self.given_name.trim().to_owned(),
            patronymic: opt(&self.patronymic),
            birth_date: self.birth_date.trim().to_owned(),
            sex: self.sex.trim().to_owned(),
            capacity: opt(&self.capacity),
            idp: !self.idp.is_empty(),
        }
    }

    pub fn unit_id(&self) -> Option<i64> {
        self.unit_id.trim().parse().ok()
    }

    /// The form showing `input` (to start from a paper's values).
    fn of(input: &PersonInput) -> PersonForm {
        let given = |v: &Option<String>| v.clone().unwrap_or_default();
        PersonForm {
            rnokpp: given(&input.rnokpp),
            id_card: given(&input.id_card),
            id_card_expires: given(&input.id_card_expires),
            unzr: given(&input.unzr),
            surname: input.surname.clone(),
            given_name: input.given_name.clone(),
            patronymic: given(&input.patronymic),
            birth_date: input.birth_date.clone(),
            sex: input.sex.clone(),
            ..PersonForm::default()
        }
    }
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub t: Ctx,
    pub title: String,
    pub intro: String,
    pub action: String,
    pub submit: String,
    pub cancel: String,
    pub summary: Vec<SummaryItem>,
    /// Where prefilled values come from (a digitized paper), listed above the form.
    pub source: Option<Source>,
    pub sections: Vec<Section>,
}

/// The paper a form was filled from, and each value's origin in words.
pub struct Source {
    pub heading: String,
    pub items: Vec<String>,
}

fn person_sections(districts: &[Unit], t: &Ctx, f: &PersonForm) -> Vec<Section> {
    let p = "f-";
    let districts: Vec<Opt> =
        districts.iter().map(|u| Opt::new(u.id.to_string(), unit_name(u, t.lang), f.unit_id.trim())).collect();
    let mut district = Field::select(p, "unit_id", t.t("ui.person.unit"), districts).required();
    if district.options.len() > 1 {
        district = district.empty(t.t("ui.choose"));
    }
    let sex = Field::radio(
        p,
        "sex",
        t.t("ui.person.sex"),
        [Sex::Male, Sex::Female]
            .iter()
            .map(|s| Opt::new(s.as_str(), s.message().render(t.lang), f.sex.trim()))
            .collect(),
    )
    .required();
    let current_capacity = if f.capacity.trim().is_empty() { "full" } else { f.capacity.trim() };
    let capacity = Field::select(
        p,
        "capacity",
        t.t("ui.person.capacity"),
        Capacity::ALL
            .iter()
            .map(|c| {
                Opt::new(
                    c.as_str(),
                    label_or_code(&format!("capacity.{}", c.as_str()), c.as_str(), t.lang),
                    current_capacity,
                )
            })
            .collect(),
    );
    vec![
        Section::new(
            "f-name",
            t.t("ui.person.section_name"),
            vec![
                Field::text(p, "surname", t.t("ui.person.surname"), &f.surname)
                    .required()
                    .autofocus()
                    .autocomplete("off")
                    .maxlength(100),
                Field::text(p, "given_name", t.t("ui.person.given_name"), &f.given_name)
                    .required()
                    .autocomplete("off")
                    .maxlength(100),
                Field::text(p, "patronymic", t.t("ui.person.patronymic"), &f.patronymic)
                    .autocomplete("off")
                    .maxlength(100),
                Field::date(p, "birth_date", t.t("ui.person.birth_date"), &f.birth_date).required(),
                sex,
            ],
        ),
        Section::new(
            "f-ids",
            t.t("ui.person.section_ids"),
            vec![
                Field::text(p, "rnokpp", t.t("ui.person.rnokpp"), &f.rnokpp)
                    .inputmode("numeric")
                    .maxlength(10)
                    .autocomplete("off")
                    .hint(t.t("ui.person.rnokpp_hint")),
                Field::checkbox(
                    p,
                    "religious_refusal",
                    t.t("ui.person.religious_refusal"),
                    !f.religious_refusal.is_empty(),
                ),
                Field::text(p, "passport", t.t("ui.person.passport"), &f.passport)
                    .autocomplete("off")
                    .maxlength(8)
                    .hint(t.t("ui.person.passport_hint")),
                Field::text(p, "id_card", t.t("ui.person.id_card"), &f.id_card)
                    .inputmode("numeric")
                    .autocomplete("off")
                    .maxlength(9),
                Field::date(p, "id_card_expires", t.t("ui.person.id_card_expires"), &f.id_card_expires),
                Field::text(p, "unzr", t.t("ui.person.unzr"), &f.unzr)
                    .autocomplete("off")
                    .maxlength(14)
                    .hint(t.t("ui.person.unzr_hint")),
            ],
        ),
        Section::new(
            "f-registration",
            t.t("ui.person.section_registration"),
            vec![
                district,
                Field::text(p, "okzo", t.t("ui.person.okzo"), &f.okzo)
                    .inputmode("numeric")
                    .autocomplete("off")
                    .maxlength(10),
                Field::text(p, "account_no", t.t("ui.person.account_no"), &f.account_no)
                    .inputmode("numeric")
                    .autocomplete("off")
                    .maxlength(20),
                capacity,
                Field::checkbox(p, "idp", t.t("ui.person.idp"), !f.idp.is_empty()),
            ],
        ),
    ]
}

fn person_form_page(
    districts: &[Unit],
    staff: &Staff,
    form: &PersonForm,
    errors: &[FieldError],
    tops: Vec<SummaryItem>,
    draft: Option<&PersonDraft>,
) -> FormPage {
    let t = staff.ctx("/persons/new");
    let mut sections = person_sections(districts, &t, form);
    let mut summary = tops;
    summary.extend(apply_errors(&mut sections, errors, t.lang));
    let action = match draft {
        Some(d) => format!("/persons/new?from={}", d.document.id),
        None => "/persons/new".into(),
    };
    FormPage {
        title: t.t("ui.person.new_title").to_owned(),
        intro: t.t("ui.form.required_note").to_owned(),
        action,
        submit: t.t("ui.person.create").to_owned(),
        cancel: "/".into(),
        summary,
        source: draft.map(|d| source(d, t.lang)),
        sections,
        t,
    }
}

/// Each value a paper gave the form, in words: "RNOKPP — page 1, corrected by clerk, 04.12.2026 10:40".
fn source(draft: &PersonDraft, lang: Lang) -> Source {
    let kind = text(draft.document.kind.label_key(), lang);
    let items = draft
        .taken
        .iter()
        .map(|t| {
            let mut s = text(t.from.label_key(), lang).to_owned();
            if let Some(p) = t.page {
                s.push_str(&format!(" — {}", Message::new("ui.person.from_page").with("page", p).render(lang)));
            }
            s.push_str(&format!(", {}", text(&format!("ui.digitization.field_{}", t.status.as_str()), lang)));
            if let (Some(by), Some(at)) = (&t.decided_by, t.decided_at) {
                s.push_str(&format!(" ({by}, {})", datetime(at)));
            }
            s
        })
        .collect();
    let heading = Message::new("ui.person.from_paper")
        .with("paper", kind)
        .with("code", draft.document.result_code.as_str())
        .render(lang);
    Source { heading, items }
}

#[derive(Deserialize, Default)]
pub struct FromPaper {
    /// A digitized paper to take the data from.
    pub from: Option<String>,
}

impl FromPaper {
    async fn draft(&self, app: &App, staff: &Staff) -> Result<Option<PersonDraft>, PageError> {
        let Some(id) = self.from.as_deref().filter(|s| !s.is_empty()) else { return Ok(None) };
        let id = parse_uuid(id)?;
        Ok(Some(reuse::person_draft(app, &staff.caller, id).await?))
    }
}

/// `GET /persons/new`, or `?from=<digitized paper>` to start from its settled fields.
pub async fn new_page(State(app): State<Arc<App>>, staff: Staff, Query(q): Query<FromPaper>) -> PageResult {
    let r = people::registration_form(&app, &staff.caller)?;
    let draft = q.draft(&app, &staff).await?;
    let mut form = draft.as_ref().map(|d| PersonForm::of(&d.input())).unwrap_or_default();
    // Preselect the caller's own district office when that is where they work.
    if let Some(id) = r.own {
        form.unit_id = id.to_string();
    }
    ok(&person_form_page(&r.districts, &staff, &form, &[], vec![], draft.as_ref()))
}

/// A refusal that the form shows inline — invalid fields, or a message at the
/// top (a conflict) — with its status; anything else is the error page.
pub fn form_problem(e: AppError) -> Result<(StatusCode, Vec<FieldError>, Option<Message>), PageError> {
    if !on_the_form(&e) {
        return Err(e.into());
    }
    let status = status_of(e.kind);
    match e.fields.is_empty() {
        false => Ok((status, e.fields, None)),
        true => Ok((status, vec![], Some(e.message))),
    }
}

pub async fn create(
    State(app): State<Arc<App>>,
    staff: Staff,
    Query(q): Query<FromPaper>,
    Form(form): Form<PersonForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let draft = q.draft(&app, &staff).await?;
    let input = form.to_input();
    let created = match &draft {
        Some(d) => reuse::register_person(&app, &staff.caller, form.unit_id(), &input, d.document.id).await,
        None => people::create(&app, &staff.caller, form.unit_id(), &input).await,
    };
    match created {
        Ok(rec) => Ok(see_other(&format!("/persons/{}", rec.id))),
        Err(e) => {
            let (status, fields, msg) = form_problem(e)?;
            let tops = msg.iter().map(|m| top(m, staff.lang)).collect();
            let r = people::registration_form(&app, &staff.caller)?;
            Ok(html(status, &person_form_page(&r.districts, &staff, &form, &fields, tops, draft.as_ref())))
        }
    }
}

// --------------------------------------------------------------- dossier ----

pub struct Row {
    pub label: String,
    pub value: String,
}

pub struct RepRow {
    pub kind: String,
    pub name: String,
    pub rnokpp: String,
    pub resident: bool,
    pub proof: String,
    pub active: bool,
}

pub struct DocRow {
    pub href: String,
    pub kind: String,
    pub content_type: String,
    pub size_kb: i64,
    pub created: String,
}

pub struct AppRow {
    pub href: String,
    pub number: String,
    pub certificate_no: String,
    pub pension_kind: String,
    pub form: String,
    pub stage: String,
}

pub struct HistRow {
    pub at: String,
    pub actor: String,
    pub action: String,
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct DossierPage {
    t: Ctx,
    id: String,
    name: String,
    rows: Vec<Row>,
    pictures: Vec<PictureBlock>,
    reps: Vec<RepRow>,
    docs: Vec<DocRow>,
    apps: Option<Vec<AppRow>>,
    /// Papers digitized for the person; `None` for roles that do not digitize.
    digitized: Option<Vec<super::digitization::DocRow>>,
    subscriptions: Vec<SubRow>,
    messages: Vec<MessageRow>,
    history: Vec<HistRow>,
    can_write: bool,
    can_apply: bool,
    rep_summary: Vec<SummaryItem>,
    rep_sections: Vec<Section>,
}

/// A message sent (or being sent) to the person, with its delivery receipt.
struct MessageRow {
    created: String,
    channel: &'static str,
    case_ref: String,
    event: &'static str,
    status: &'static str,
    attempts: i64,
    receipt: String,
}

/// One of the person's pictures (photo, specimen signature): what is shown and its upload form.
struct PictureBlock {
    name: &'static str,
    src: Option<String>,
    alt: String,
    none: String,
    submit: String,
    summary: Vec<SummaryItem>,
    sections: Vec<Section>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct RepForm {
    pub csrf: String,
    pub kind: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub institution_name: String,
    pub rnokpp: String,
    pub resident: String,
    pub proof_document: String,
}

impl RepForm {
    pub fn to_input(&self) -> RepresentativeInput {
        RepresentativeInput {
            kind: self.kind.trim().to_owned(),
            surname: self.surname.trim().to_owned(),
            given_name: self.given_name.trim().to_owned(),
            patronymic: opt(&self.patronymic),
            institution_name: opt(&self.institution_name),
            rnokpp: opt(&self.rnokpp),
            resident: !self.resident.is_empty(),
            proof_document: self.proof_document.trim().to_owned(),
        }
    }
}

fn rep_sections(t: &Ctx, f: &RepForm) -> Vec<Section> {
    let p = "rep-";
    let kinds = RepresentativeKind::ALL
        .iter()
        .map(|k| Opt::new(k.as_str(), k.message().render(t.lang), f.kind.trim()))
        .collect();
    vec![Section::new(
        "rep-new",
        t.t("ui.rep.add_title"),
        vec![
            Field::select(p, "kind", t.t("ui.rep.kind"), kinds).empty(t.t("ui.choose")).required(),
            Field::text(p, "surname", t.t("ui.person.surname"), &f.surname).required().autocomplete("off"),
            Field::text(p, "given_name", t.t("ui.person.given_name"), &f.given_name).required().autocomplete("off"),
            Field::text(p, "patronymic", t.t("ui.person.patronymic"), &f.patronymic).autocomplete("off"),
            Field::text(p, "institution_name", t.t("ui.rep.institution_name"), &f.institution_name)
                .hint(t.t("ui.rep.institution_hint")),
            Field::text(p, "proof_document", t.t("ui.rep.proof_document"), &f.proof_document)
                .required()
                .maxlength(200)
                .hint(t.t("ui.rep.proof_hint")),
            Field::checkbox(p, "resident", t.t("ui.rep.resident"), !f.resident.is_empty()),
            Field::text(p, "rnokpp", t.t("ui.person.rnokpp"), &f.rnokpp)
                .inputmode("numeric")
                .maxlength(10)
                .autocomplete("off"),
        ],
    )]
}

/// The catalogue's texts of a picture's block: title, file, hint, alt, none, submit.
fn picture_texts(kind: PictureKind) -> [&'static str; 6] {
    match kind {
        PictureKind::Photo => [
            "ui.photo.upload_title",
            "ui.photo.file",
            "ui.photo.hint",
            "ui.photo.alt",
            "ui.photo.none",
            "ui.photo.submit",
        ],
        PictureKind::Signature => [
            "ui.signature.upload_title",
            "ui.signature.file",
            "ui.signature.hint",
            "ui.signature.alt",
            "ui.signature.none",
            "ui.signature.submit",
        ],
    }
}

fn picture_block(
    t: &Ctx,
    person: &PersonRecord,
    kind: PictureKind,
    on_file: bool,
    errors: &[FieldError],
) -> PictureBlock {
    let [title, file, hint, alt, none, submit] = picture_texts(kind);
    let name = kind.name();
    let prefix = if kind == PictureKind::Photo { "photo-" } else { "signature-" };
    let mut sections = vec![Section::new(
        &format!("{name}-upload"),
        t.t(title),
        vec![Field::new(prefix, name, t.t(file), "file", "").required().hint(t.t(hint))],
    )];
    let summary = apply_errors(&mut sections, errors, t.lang);
    PictureBlock {
        name,
        src: on_file.then(|| format!("/api/v1/persons/{}/{name}", person.id)),
        alt: t.t(alt).into(),
        none: t.t(none).into(),
        submit: t.t(submit).into(),
        summary,
        sections,
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    dossier_domain::i18n::text(if b { "ui.yes" } else { "ui.no" }, lang).to_owned()
}

/// Renders the dossier, with the representative or a picture form's errors if any.
async fn render_dossier(
    app: &App,
    staff: &Staff,
    id: Uuid,
    rep: Option<(&RepForm, &[FieldError])>,
    picture_errors: Option<(PictureKind, &[FieldError])>,
    status: StatusCode,
) -> PageResult {
    let (caller, lang) = (&staff.caller, staff.lang);
    let dossier = dossier::dossier(app, caller, id).await?;
    let person = &dossier.person;
    let t = staff.ctx(&format!("/persons/{id}"));
    let d = &person.data;
    let none = t.t("ui.none").to_owned();
    let or_none = |v: Option<String>| v.unwrap_or_else(|| none.clone());
    let mut rows = vec![Row { label: t.t("ui.person.full_name").into(), value: d.name.display() }];
    rows.push(Row { label: t.t("ui.person.rnokpp").into(), value: tax_label(person, lang) });
    rows.push(Row { label: t.t("ui.person.birth_date").into(), value: date(d.birth_date) });
    rows.push(Row { label: t.t("ui.person.sex").into(), value: d.sex.message().render(lang) });
    rows.push(Row {
        label: t.t("ui.person.passport").into(),
        value: or_none(d.passport.as_ref().map(|v| v.to_string())),
    });
    rows.push(Row {
        label: t.t("ui.person.id_card").into(),
        value: or_none(d.id_card.as_ref().map(|v| v.to_string())),
    });
    if let Some(expires) = d.id_card_expires {
        rows.push(Row { label: t.t("ui.person.id_card_expires").into(), value: date(expires) });
    }
    rows.push(Row { label: t.t("ui.person.unzr").into(), value: or_none(d.unzr.as_ref().map(|v| v.to_string())) });
    rows.push(Row { label: t.t("ui.person.okzo").into(), value: or_none(d.okzo.as_ref().map(|v| v.to_string())) });
    rows.push(Row {
        label: t.t("ui.person.account_no").into(),
        value: or_none(d.account_no.as_ref().map(|v| v.to_string())),
    });
    rows.push(Row {
        label: t.t("ui.person.capacity").into(),
        value: label_or_code(&format!("capacity.{}", d.capacity.as_str()), d.capacity.as_str(), lang),
    });
    rows.push(Row { label: t.t("ui.person.idp").into(), value: yes_no(d.idp, lang) });
    rows.push(Row {
        label: t.t("ui.person.unit").into(),
        value: app.unit(person.unit_id).map(|u| unit_name(&u, lang).to_owned()).unwrap_or_default(),
    });
    if let Some(paid) = &dossier.pension {
        let lines = pension_lines(paid, lang);
        rows.extend(lines.into_iter().map(|(label, value)| Row { label, value }));
    }
    rows.push(Row { label: t.t("ui.person.updated_at").into(), value: datetime(person.updated_at) });

    let reps = dossier
        .representatives
        .iter()
        .map(|r| RepRow {
            kind: r.data.kind.message().render(lang),
            name: match &r.data.institution_name {
                Some(inst) => format!("{inst} ({})", r.data.name.display()),
                None => r.data.name.display(),
            },
            rnokpp: r.data.rnokpp.as_ref().map(|x| x.to_string()).unwrap_or_default(),
            resident: r.data.resident,
            proof: r.data.proof_document.clone(),
            active: r.active,
        })
        .collect();
    let docs = dossier
        .documents
        .iter()
        .map(|m| DocRow {
            href: format!("/api/v1/documents/{}/content", m.id),
            kind: label_or_code(&format!("ui.doc.{}", m.kind), &m.kind, lang),
            content_type: m.content_type.clone(),
            size_kb: (m.size + 1023) / 1024,
            created: datetime(m.created_at),
        })
        .collect();
    let subscriptions = dossier.subscriptions.iter().map(SubRow::of).collect();
    let messages = dossier
        .notifications
        .iter()
        .map(|n| MessageRow {
            created: datetime(n.created_at),
            channel: n.channel.as_str(),
            case_ref: n.case_ref.clone(),
            event: n.topic.as_str(),
            status: n.status.as_str(),
            attempts: n.attempts,
            receipt: n.receipt.clone().or_else(|| n.last_error.clone()).unwrap_or_default(),
        })
        .collect();
    let apps = dossier.applications.as_ref().map(|list| {
        list.iter()
            .map(|c| AppRow {
                href: format!("/applications/{}", c.id),
                number: c.number.clone(),
                certificate_no: c.certificate_no.clone().unwrap_or_default(),
                pension_kind: c.data.pension_kind.message().render(lang),
                form: c.data.form.message().render(lang),
                stage: c.stage.message().render(lang),
            })
            .collect()
    });
    let digitized =
        dossier.digitized.as_ref().map(|list| list.iter().map(|d| super::digitization::doc_row(d, lang)).collect());
    let history = dossier
        .history
        .iter()
        .map(|e| HistRow {
            at: datetime(e.at),
            actor: e.actor.clone(),
            action: label_or_code(&format!("audit.{}", e.action), &e.action, lang),
        })
        .collect();

    let empty = RepForm::default();
    let (rep_form, rep_errors) = rep.unwrap_or((&empty, &[]));
    let mut rep_sections = rep_sections(&t, rep_form);
    let rep_summary = apply_errors(&mut rep_sections, rep_errors, lang);
    let pictures = [(PictureKind::Photo, dossier.has_photo), (PictureKind::Signature, dossier.has_signature)]
        .into_iter()
        .map(|(kind, on_file)| {
            let errors = picture_errors.filter(|(k, _)| *k == kind).map(|(_, e)| e).unwrap_or_default();
            picture_block(&t, person, kind, on_file, errors)
        })
        .collect();
    let page = DossierPage {
        subscriptions,
        messages,
        id: id.to_string(),
        name: d.name.display(),
        rows,
        pictures,
        reps,
        docs,
        apps,
        digitized,
        history,
        can_write: caller.may(Permission::WritePerson),
        can_apply: caller.may(Permission::WriteApplication),
        rep_summary,
        rep_sections,
        t,
    };
    Ok(html(status, &page))
}

pub async fn dossier(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let id = parse_uuid(&id)?;
    render_dossier(&app, &staff, id, None, None, StatusCode::OK).await
}

pub async fn add_representative(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<RepForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let id = parse_uuid(&id)?;
    match people::add_representative(&app, &staff.caller, id, &form.to_input()).await {
        Ok(_) => Ok(see_other(&format!("/persons/{id}#representatives"))),
        Err(e) if on_the_form(&e) => {
            let (status, fields, _) = form_problem(e)?;
            render_dossier(&app, &staff, id, Some((&form, &fields)), None, status).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /persons/{id}/photo` (multipart: `csrf`, `photo`).
pub async fn upload_photo(app: State<Arc<App>>, staff: Staff, id: Path<String>, multipart: Multipart) -> PageResult {
    upload_picture(app, staff, id, multipart, PictureKind::Photo).await
}

/// `POST /persons/{id}/signature` (multipart: `csrf`, `signature`).
pub async fn upload_signature(
    app: State<Arc<App>>,
    staff: Staff,
    id: Path<String>,
    multipart: Multipart,
) -> PageResult {
    upload_picture(app, staff, id, multipart, PictureKind::Signature).await
}

async fn upload_picture(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    mut multipart: Multipart,
    kind: PictureKind,
) -> PageResult {
    let mut csrf = String::new();
    let mut bytes = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                let m = Message::new("common.malformed_request").with("detail", "multipart");
                return Err(PageError::new(StatusCode::BAD_REQUEST, m));
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let data = field
            .bytes()
            .await
            .map_err(|_| PageError::new(StatusCode::PAYLOAD_TOO_LARGE, "common.payload_too_large"))?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
            n if n == kind.name() => bytes = Some(data),
            _ => {}
        }
    }
    check_csrf(&staff.caller, &csrf)?;
    let id = parse_uuid(&id)?;
    let bytes = bytes.unwrap_or_default();
    match pictures::set_picture(&app, &staff.caller, id, kind, &bytes).await {
        Ok(_) => Ok(see_other(&format!("/persons/{id}#{}", kind.name()))),
        Err(e) => {
            let (status, fields, _) = form_problem(e)?;
            render_dossier(&app, &staff, id, None, Some((kind, &fields)), status).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_person_fields_are_not_given() {
        let f = PersonForm {
            rnokpp: "  ".into(),
            patronymic: "".into(),
            surname: " Шевчук ".into(),
            idp: "1".into(),
            ..Default::default()
        };
        let i = f.to_input();
        assert_eq!(i.rnokpp, None);
        assert_eq!(i.patronymic, None);
        assert_eq!(i.capacity, None);
        assert_eq!(i.surname, "Шевчук");
        assert!(i.idp);
        assert!(!i.religious_refusal);
        assert_eq!(f.unit_id(), None);
    }

    #[test]
    fn search_box_fills_the_chosen_field() {
        let p = SearchParams { by: "okzo".into(), q: " 4521 ".into(), ..Default::default() };
        let q = p.to_query();
        assert_eq!(q.okzo.as_deref(), Some("4521"));
        assert!(q.rnokpp.is_none());
        let p = SearchParams { by: "whatever".into(), q: "1".into(), ..Default::default() };
        assert_eq!(p.to_query().rnokpp.as_deref(), Some("1"));
    }

    #[test]
    fn representative_form_maps_checkbox_and_empties() {
        let f = RepForm { kind: "guardian".into(), resident: "1".into(), rnokpp: "".into(), ..Default::default() };
        let i = f.to_input();
        assert!(i.resident);
        assert_eq!(i.rnokpp, None);
        assert_eq!(i.institution_name, None);
    }
}
