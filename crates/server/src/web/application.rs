//! Pension-certificate applications (form 1): new, amend, view, withdraw, list.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dossier_app::applications::{self, Details, FormChoices};
use dossier_app::{App, AppError};
use dossier_domain::application::{
    ApplicationData, ApplicationInput, DisabilityInput, ReplacementInput, ReplacementReason,
};
use dossier_domain::lifecycle::{CertificateForm, Stage};
use dossier_domain::org::Permission;
use dossier_domain::pension::{
    DisabilityCause, DisabilityGroup, DisabilitySubgroup, Impairment, PaymentSystem, PensionKind, ServiceBody,
};
use dossier_domain::{FieldError, Lang, Message};
use dossier_store::{Page, Unit};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{Field, Opt, OptGroup, Section, SummaryItem, apply_errors, top};
use super::person::{FormPage, Row, form_problem};
use super::view::{
    Ctx, PageResult, Pager, Staff, check_csrf, date, datetime, html, label_or_code, num, ok, opt, parse_uuid, pct,
    see_other, unit_name,
};

/// Form 1 as the web form sends it: flat fields, named like the rule errors
/// (`disability.cause`, `replacement.previous_disposition`) so that each
/// message lands next to its field.
#[derive(Deserialize, Default, Debug, Clone, PartialEq)]
#[serde(default)]
pub struct AppForm {
    pub csrf: String,
    pub pension_kind: String,
    pub form: String,
    pub issue_unit_id: String,
    #[serde(rename = "disability.group")]
    pub disability_group: String,
    #[serde(rename = "disability.subgroup")]
    pub disability_subgroup: String,
    #[serde(rename = "disability.cause")]
    pub disability_cause: String,
    #[serde(rename = "disability.impairment")]
    pub disability_impairment: String,
    #[serde(rename = "disability.until")]
    pub disability_until: String,
    pub service_body: String,
    pub pension_until: String,
    pub payment_system: String,
    pub representative_id: String,
    #[serde(rename = "replacement.reason")]
    pub replacement_reason: String,
    #[serde(rename = "replacement.previous_certificate_id")]
    pub replacement_previous: String,
    #[serde(rename = "replacement.previous_disposition")]
    pub replacement_disposition: String,
}

impl AppForm {
    fn has_disability(&self) -> bool {
        [
            &self.disability_group,
            &self.disability_subgroup,
            &self.disability_cause,
            &self.disability_impairment,
            &self.disability_until,
        ]
        .iter()
        .any(|s| !s.trim().is_empty())
    }

    fn has_replacement(&self) -> bool {
        [&self.replacement_reason, &self.replacement_previous, &self.replacement_disposition]
            .iter()
            .any(|s| !s.trim().is_empty())
    }

    /// Form fields → the domain's raw input. Empty text is "not given"; a
    /// block with no field filled in is absent. An unparseable id is passed as
    /// absent, which the rules report as "required".
    pub fn to_input(&self) -> ApplicationInput {
        ApplicationInput {
            pension_kind: self.pension_kind.trim().to_owned(),
            form: self.form.trim().to_owned(),
            issue_unit_id: self.issue_unit_id.trim().parse().ok(),
            disability: self.has_disability().then(|| DisabilityInput {
                group: self.disability_group.trim().to_owned(),
                subgroup: opt(&self.disability_subgroup),
                cause: self.disability_cause.trim().to_owned(),
                impairment: opt(&self.disability_impairment),
                until: opt(&self.disability_until),
            }),
            service_body: opt(&self.service_body),
            pension_until: opt(&self.pension_until),
            payment_system: opt(&self.payment_system),
            representative_id: Uuid::parse_str(self.representative_id.trim()).ok(),
            replacement: self.has_replacement().then(|| ReplacementInput {
                reason: self.replacement_reason.trim().to_owned(),
                previous_certificate_id: Uuid::parse_str(self.replacement_previous.trim()).ok(),
                previous_disposition: self.replacement_disposition.trim().to_owned(),
            }),
        }
    }

    /// A stored application as the form shows it for amending.
    pub fn from_data(d: &ApplicationData) -> AppForm {
        let dis = d.disability.as_ref();
        let rep = d.replacement.as_ref();
        AppForm {
            csrf: String::new(),
            pension_kind: d.pension_kind.as_str().into(),
            form: d.form.as_str().into(),
            issue_unit_id: d.issue_unit_id.to_string(),
            disability_group: dis.map(|x| x.group.as_str().to_owned()).unwrap_or_default(),
            disability_subgroup: dis.and_then(|x| x.subgroup).map(|s| s.as_str().to_owned()).unwrap_or_default(),
            disability_cause: dis.map(|x| x.cause.as_str().to_owned()).unwrap_or_default(),
            disability_impairment: dis.and_then(|x| x.impairment).map(|s| s.as_str().to_owned()).unwrap_or_default(),
            disability_until: dis.and_then(|x| x.until).map(|u| u.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            service_body: d.service_body.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            pension_until: d.pension_until.map(|u| u.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            payment_system: d.payment_system.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            representative_id: d.representative_id.map(|u| u.to_string()).unwrap_or_default(),
            replacement_reason: rep.map(|r| r.reason.as_str().to_owned()).unwrap_or_default(),
            replacement_previous: rep.map(|r| r.previous_certificate_id.to_string()).unwrap_or_default(),
            replacement_disposition: rep.map(|r| r.previous_disposition.as_str().to_owned()).unwrap_or_default(),
        }
    }
}

/// What the form's selects offer: the person's representatives and other
/// certificates (the offices and bank branches come from the org tree).
struct Choices<'a> {
    name: String,
    reps: Vec<Opt>,
    previous: Vec<Opt>,
    offices: &'a [Unit],
    banks: &'a [(Unit, Vec<Unit>)],
}

fn choices<'a>(c: &'a FormChoices, form: &AppForm, lang: Lang) -> Choices<'a> {
    let reps = c
        .representatives
        .iter()
        .map(|r| {
            Opt::new(
                r.id.to_string(),
                format!("{} — {}", r.data.name.display(), r.data.kind.message().render(lang)),
                form.representative_id.trim(),
            )
        })
        .collect();
    let previous = c
        .certificates
        .iter()
        .map(|c| {
            let label = format!(
                "{}{} — {} — {}",
                c.number,
                c.certificate_no.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
                c.data.pension_kind.message().render(lang),
                c.stage.message().render(lang)
            );
            Opt::new(c.id.to_string(), label, form.replacement_previous.trim())
        })
        .collect();
    Choices { name: c.person.data.name.display(), reps, previous, offices: &c.offices, banks: &c.banks }
}

fn coded<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    msg: fn(T) -> Message,
    current: &str,
    lang: Lang,
) -> Vec<Opt> {
    all.iter().map(|v| Opt::new(code(*v), msg(*v).render(lang), current.trim())).collect()
}

fn app_sections(t: &Ctx, f: &AppForm, c: &Choices) -> Vec<Section> {
    let p = "f-";
    let lang = t.lang;
    let unit = f.issue_unit_id.trim();
    let option = |u: &Unit| Opt::new(u.id.to_string(), unit_name(u, lang), unit);
    let offices = c.offices.iter().map(option).collect();
    let mut groups = vec![OptGroup { label: t.t("ui.app.offices_group").to_owned(), form: "paper", options: offices }];
    for (bank, branches) in c.banks {
        groups.push(OptGroup {
            label: format!("{} — {}", unit_name(bank, lang), t.t("ui.app.branches_group")),
            form: "card",
            options: branches.iter().map(option).collect(),
        });
    }
    let forms =
        CertificateForm::ALL.iter().map(|x| Opt::new(x.as_str(), x.message().render(lang), f.form.trim())).collect();
    let dispositions =
        [("returned", "ui.app.disposition_returned"), ("declared_lost", "ui.app.disposition_declared_lost")]
            .iter()
            .map(|(v, k)| Opt::new(*v, t.t(k), f.replacement_disposition.trim()))
            .collect();
    let disability_open = f.pension_kind.trim() == PensionKind::Disability.as_str() || f.has_disability();
    vec![
        Section::new(
            "f-main",
            t.t("ui.app.section_main"),
            vec![
                Field::select(
                    p,
                    "pension_kind",
                    t.t("ui.app.pension_kind"),
                    coded(PensionKind::ALL, PensionKind::as_str, PensionKind::message, &f.pension_kind, lang),
                )
                .empty(t.t("ui.choose"))
                .required()
                .autofocus(),
                Field::radio(p, "form", t.t("ui.app.form"), forms).required(),
                Field::select(p, "issue_unit_id", t.t("ui.app.issue_unit"), vec![])
                    .groups(groups)
                    .empty(t.t("ui.choose"))
                    .required()
                    .hint(t.t("ui.app.issue_unit_hint")),
                Field::select(
                    p,
                    "payment_system",
                    t.t("ui.app.payment_system"),
                    coded(PaymentSystem::ALL, PaymentSystem::as_str, PaymentSystem::message, &f.payment_system, lang),
                )
                .empty(t.t("ui.none_option"))
                .hint(t.t("ui.app.payment_system_hint")),
                Field::select(
                    p,
                    "service_body",
                    t.t("ui.app.service_body"),
                    coded(ServiceBody::ALL, ServiceBody::as_str, ServiceBody::message, &f.service_body, lang),
                )
                .empty(t.t("ui.none_option"))
                .hint(t.t("ui.app.service_body_hint")),
                Field::date(p, "pension_until", t.t("ui.app.pension_until"), f.pension_until.trim())
                    .hint(t.t("ui.app.pension_until_hint")),
                Field::select(
                    p,
                    "representative_id",
                    t.t("ui.app.representative"),
                    c.reps
                        .iter()
                        .map(|o| Opt::new(o.value.clone(), o.label.clone(), f.representative_id.trim()))
                        .collect(),
                )
                .empty(t.t("ui.none_option"))
                .hint(t.t("ui.app.representative_hint")),
            ],
        ),
        Section::new(
            "f-disability",
            t.t("ui.app.section_disability"),
            vec![
                Field::select(
                    p,
                    "disability.group",
                    t.t("ui.app.disability_group"),
                    coded(
                        DisabilityGroup::ALL,
                        DisabilityGroup::as_str,
                        DisabilityGroup::message,
                        &f.disability_group,
                        lang,
                    ),
                )
                .empty(t.t("ui.choose")),
                Field::select(
                    p,
                    "disability.subgroup",
                    t.t("ui.app.disability_subgroup"),
                    coded(
                        DisabilitySubgroup::ALL,
                        DisabilitySubgroup::as_str,
                        DisabilitySubgroup::message,
                        &f.disability_subgroup,
                        lang,
                    ),
                )
                .empty(t.t("ui.none_option")),
                Field::select(
                    p,
                    "disability.cause",
                    t.t("ui.app.disability_cause"),
                    coded(
                        DisabilityCause::ALL,
                        DisabilityCause::as_str,
                        DisabilityCause::message,
                        &f.disability_cause,
                        lang,
                    ),
                )
                .empty(t.t("ui.choose")),
                Field::select(
                    p,
                    "disability.impairment",
                    t.t("ui.app.disability_impairment"),
                    coded(Impairment::ALL, Impairment::as_str, Impairment::message, &f.disability_impairment, lang),
                )
                .empty(t.t("ui.none_option")),
                Field::date(p, "disability.until", t.t("ui.app.disability_until"), f.disability_until.trim())
                    .hint(t.t("ui.app.disability_until_hint")),
            ],
        )
        .collapsible(disability_open),
        Section::new(
            "f-replacement",
            t.t("ui.app.section_replacement"),
            vec![
                Field::select(
                    p,
                    "replacement.reason",
                    t.t("ui.app.replacement_reason"),
                    coded(
                        &ReplacementReason::ALL,
                        ReplacementReason::as_str,
                        ReplacementReason::message,
                        &f.replacement_reason,
                        lang,
                    ),
                )
                .empty(t.t("ui.choose")),
                Field::select(
                    p,
                    "replacement.previous_certificate_id",
                    t.t("ui.app.replacement_previous"),
                    c.previous
                        .iter()
                        .map(|o| Opt::new(o.value.clone(), o.label.clone(), f.replacement_previous.trim()))
                        .collect(),
                )
                .empty(t.t("ui.choose")),
                Field::radio(
                    p,
                    "replacement.previous_disposition",
                    t.t("ui.app.replacement_disposition"),
                    dispositions,
                ),
            ],
        )
        .collapsible(f.has_replacement()),
    ]
}

/// What the form page is for: a new application of a person, or amending one.
enum Mode {
    New,
    Amend { id: Uuid, number: String },
}

fn form_page(
    staff: &Staff,
    mode: &Mode,
    c: &FormChoices,
    form: &AppForm,
    errors: &[FieldError],
    tops: Vec<SummaryItem>,
) -> FormPage {
    let person_id = c.person.id;
    let action = match mode {
        Mode::New => format!("/persons/{person_id}/applications/new"),
        Mode::Amend { id, .. } => format!("/applications/{id}/edit"),
    };
    let t = staff.ctx(&action);
    let c = choices(c, form, t.lang);
    let mut sections = app_sections(&t, form, &c);
    let mut summary = tops;
    summary.extend(apply_errors(&mut sections, errors, t.lang));
    let name = c.name;
    let (title, submit, cancel) = match mode {
        Mode::New => (
            Message::new("ui.app.new_title").with("name", &name).render(t.lang),
            t.t("ui.app.create").to_owned(),
            format!("/persons/{person_id}"),
        ),
        Mode::Amend { id, number } => (
            Message::new("ui.app.edit_title").with("number", number).with("name", &name).render(t.lang),
            t.t("ui.app.save").to_owned(),
            format!("/applications/{id}"),
        ),
    };
    FormPage {
        title,
        intro: t.t("ui.form.required_note").to_owned(),
        action,
        submit,
        cancel,
        summary,
        source: None,
        sections,
        t,
    }
}

pub async fn new_page(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let c = applications::new_form(&app, &staff.caller, parse_uuid(&id)?).await?;
    let person = &c.person;
    let mut form = AppForm { form: if person.data.idp { "card".into() } else { "paper".into() }, ..Default::default() };
    if staff.caller.unit.kind.issues_paper() && !person.data.idp {
        form.issue_unit_id = staff.caller.unit.id.to_string();
    }
    ok(&form_page(&staff, &Mode::New, &c, &form, &[], vec![]))
}

/// Shows a refusal on the form: inline (fields) or at the top (a conflict).
fn refused(staff: &Staff, mode: &Mode, c: &FormChoices, form: &AppForm, e: AppError) -> PageResult {
    let (status, fields, msg) = form_problem(e)?;
    let tops = msg.iter().map(|m| top(m, staff.lang)).collect();
    Ok(html(status, &form_page(staff, mode, c, form, &fields, tops)))
}

pub async fn create(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<AppForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let person_id = parse_uuid(&id)?;
    match applications::file(&app, &staff.caller, person_id, &form.to_input()).await {
        Ok(rec) => Ok(see_other(&format!("/applications/{}", rec.id))),
        Err(e) => {
            let c = applications::new_form(&app, &staff.caller, person_id).await?;
            refused(&staff, &Mode::New, &c, &form, e)
        }
    }
}

pub async fn edit_page(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let (cur, c) = applications::amend_form(&app, &staff.caller, parse_uuid(&id)?).await?;
    let form = AppForm::from_data(&cur.data);
    let mode = Mode::Amend { id: cur.id, number: cur.number.clone() };
    ok(&form_page(&staff, &mode, &c, &form, &[], vec![]))
}

pub async fn amend(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<AppForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let (cur, c) = applications::amend_form(&app, &staff.caller, parse_uuid(&id)?).await?;
    let mode = Mode::Amend { id: cur.id, number: cur.number.clone() };
    match applications::amend(&app, &staff.caller, cur.id, &form.to_input()).await {
        Ok(rec) => Ok(see_other(&format!("/applications/{}", rec.id))),
        Err(e) => refused(&staff, &mode, &c, &form, e),
    }
}

// ------------------------------------------------------------------ view ----

pub struct EventRow {
    pub at: String,
    pub event: String,
    pub from: String,
    pub to: String,
    pub actor: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    t: Ctx,
    id: String,
    title: String,
    person_href: Option<String>,
    person_name: String,
    stage: String,
    rows: Vec<Row>,
    events: Vec<EventRow>,
    can_amend: bool,
    can_withdraw: bool,
    /// An accepted paper application whose person has no photo: no batch takes it (§III).
    waits_for_photo: bool,
    summary: Vec<SummaryItem>,
    withdraw_sections: Vec<Section>,
    /// Channels the citizen may choose at the counter, `(value, label)`; empty: no form.
    channels: Vec<(&'static str, String)>,
    /// After a chat was chosen: the deep link to give the citizen (to scan or open).
    deep_link: Option<String>,
}

fn stage_label(s: &str, lang: Lang) -> String {
    Stage::parse(s).map(|st| st.message().render(lang)).unwrap_or_else(|| s.to_owned())
}

fn event_label(e: &str, lang: Lang) -> String {
    let key = format!("event.{e}");
    if dossier_domain::i18n::has(&key) {
        dossier_domain::i18n::text(&key, lang).to_owned()
    } else {
        label_or_code(&format!("ui.event.{e}"), e, lang)
    }
}

async fn render_application(
    app: &App,
    staff: &Staff,
    id: Uuid,
    tops: Vec<SummaryItem>,
    status: StatusCode,
) -> PageResult {
    render_application_with(app, staff, id, tops, status, None).await
}

async fn render_application_with(
    app: &App,
    staff: &Staff,
    id: Uuid,
    tops: Vec<SummaryItem>,
    status: StatusCode,
    deep_link: Option<String>,
) -> PageResult {
    let (caller, lang) = (&staff.caller, staff.lang);
    let Details { view, person, representative, replaces } = applications::details(app, caller, id).await?;
    let (r, events, amendable) = (view.record, view.events, view.amendable);
    let t = staff.ctx(&format!("/applications/{id}"));
    let d = &r.data;
    let none = t.t("ui.none").to_owned();
    let unit = |uid: i64| app.unit(uid).map(|u| unit_name(&u, lang).to_owned()).unwrap_or_else(|| uid.to_string());
    let mut rows = vec![
        Row { label: t.t("ui.app.number").into(), value: r.number.clone() },
        Row {
            label: t.t("ui.app.certificate_no").into(),
            value: r.certificate_no.clone().unwrap_or_else(|| none.clone()),
        },
        Row { label: t.t("ui.app.pension_kind").into(), value: d.pension_kind.message().render(lang) },
        Row { label: t.t("ui.app.form").into(), value: d.form.message().render(lang) },
        Row { label: t.t("ui.app.issue_unit").into(), value: unit(d.issue_unit_id) },
        Row { label: t.t("ui.app.filed_at").into(), value: unit(r.unit_id) },
    ];
    if let Some(dis) = &d.disability {
        let mut v = dis.certificate_entry(lang);
        if let Some(u) = dis.until {
            v = format!("{v}, {} {}", dossier_domain::i18n::text("application.until", lang), date(u));
        }
        rows.push(Row { label: t.t("ui.app.section_disability").into(), value: v });
    }
    if let Some(b) = d.service_body {
        rows.push(Row { label: t.t("ui.app.service_body").into(), value: b.message().render(lang) });
    }
    if let Some(ps) = d.payment_system {
        rows.push(Row { label: t.t("ui.app.payment_system").into(), value: ps.message().render(lang) });
    }
    if let Some(u) = d.pension_until {
        rows.push(Row { label: t.t("ui.app.pension_until").into(), value: date(u) });
    }
    if let Some(rep_id) = d.representative_id {
        let name = representative
            .as_ref()
            .map(|x| format!("{} — {}", x.data.name.display(), x.data.kind.message().render(lang)));
        rows.push(Row {
            label: t.t("ui.app.representative").into(),
            value: name.unwrap_or_else(|| rep_id.to_string()),
        });
    }
    if let Some(rep) = &d.replacement {
        let prev = replaces.clone().unwrap_or_default();
        let disp = t.t(match rep.previous_disposition.as_str() {
            "returned" => "ui.app.disposition_returned",
            _ => "ui.app.disposition_declared_lost",
        });
        rows.push(Row {
            label: t.t("ui.app.section_replacement").into(),
            value: format!("{} — {prev} ({disp})", rep.reason.message().render(lang)),
        });
    }
    rows.push(Row {
        label: t.t("ui.app.created").into(),
        value: format!("{}, {}", datetime(r.created_at), r.created_by),
    });

    let events = events
        .iter()
        .map(|e| EventRow {
            at: datetime(e.at),
            event: event_label(&e.event, lang),
            from: e.from_stage.as_deref().map(|s| stage_label(s, lang)).unwrap_or_default(),
            to: stage_label(&e.to_stage, lang),
            actor: e.actor.clone(),
            note: e.note.clone().unwrap_or_default(),
        })
        .collect();
    let may_write = caller.may(Permission::WriteApplication);
    let withdraw_sections = vec![Section::new(
        "withdraw",
        t.t("ui.app.withdraw_title"),
        vec![Field::new("w-", "note", t.t("ui.app.withdraw_note"), "textarea", "").maxlength(500)],
    )];
    let page = ApplicationPage {
        id: id.to_string(),
        title: Message::new("ui.app.view_title").with("number", &r.number).render(lang),
        person_href: person.as_ref().map(|p| format!("/persons/{}", p.id)),
        person_name: person.as_ref().map(|p| p.data.name.display()).unwrap_or_default(),
        stage: r.stage.message().render(lang),
        rows,
        events,
        can_amend: may_write && amendable,
        can_withdraw: may_write && r.stage.is_withdrawable(),
        waits_for_photo: d.form == CertificateForm::Paper
            && r.stage == Stage::Accepted
            && person.as_ref().is_some_and(|p| p.photo_id.is_none()),
        summary: tops,
        withdraw_sections,
        channels: counter_channels(
            app,
            may_write && !dossier_domain::tracking::Milestone::of(d.form, r.stage).is_done(),
            lang,
        ),
        deep_link,
        t,
    };
    Ok(html(status, &page))
}

/// The channels offered at the counter, to staff who may record the choice.
fn counter_channels(app: &App, may: bool, lang: Lang) -> Vec<(&'static str, String)> {
    if may { super::notify::citizen_channels(app, lang) } else { vec![] }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SubscribeForm {
    csrf: String,
    channel: String,
    address: String,
    lang: String,
}

/// `POST /applications/{id}/subscribe` — the citizen's choice of channel, at the counter.
pub async fn subscribe(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<SubscribeForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let id = parse_uuid(&id)?;
    let channel = dossier_domain::notify::Channel::parse(&form.channel).ok_or_else(AppError::not_found)?;
    let lang = Lang::from_tag(&form.lang).unwrap_or(Lang::UK);
    let req = dossier_app::notify::subscribe::Request {
        channel,
        address: Some(form.address).filter(|a| !a.trim().is_empty()),
        lang,
    };
    match dossier_app::notify::subscribe::at_counter(&app, &staff.caller, id, &req, chrono::Utc::now()).await {
        Ok(s) => render_application_with(&app, &staff, id, vec![], StatusCode::OK, s.deep_link).await,
        Err(e) => {
            let (status, fields, msg) = form_problem(e)?;
            let mut tops: Vec<SummaryItem> = msg.iter().map(|m| top(m, staff.lang)).collect();
            tops.extend(fields.iter().map(|f| top(&f.message, staff.lang)));
            render_application(&app, &staff, id, tops, status).await
        }
    }
}

pub async fn view(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    render_application(&app, &staff, parse_uuid(&id)?, vec![], StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    csrf: String,
    note: String,
}

pub async fn withdraw(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let id = parse_uuid(&id)?;
    match applications::withdraw(&app, &staff.caller, id, &form.note).await {
        Ok(_) => Ok(see_other(&format!("/applications/{id}"))),
        Err(e) => {
            let (status, fields, msg) = form_problem(e)?;
            let mut tops: Vec<SummaryItem> = msg.iter().map(|m| top(m, staff.lang)).collect();
            tops.extend(fields.iter().map(|f| top(&f.message, staff.lang)));
            render_application(&app, &staff, id, tops, status).await
        }
    }
}

// ------------------------------------------------------------------ list ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListParams {
    stage: String,
    offset: String,
    limit: String,
}

pub struct ListRow {
    pub href: String,
    pub number: String,
    pub pension_kind: String,
    pub form: String,
    pub stage: String,
    pub created: String,
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ListPage {
    t: Ctx,
    sections: Vec<Section>,
    rows: Vec<ListRow>,
    pager: Pager,
}

pub async fn list(State(app): State<Arc<App>>, staff: Staff, Query(q): Query<ListParams>) -> PageResult {
    let lang = staff.lang;
    let stage = Stage::parse(q.stage.trim());
    let page = Page::new(num(&q.offset, 0), num(&q.limit, 50));
    let items = applications::list(&app, &staff.caller, stage.map(|s| s.as_str()), page).await?;
    let t = staff.ctx(&staff.here);
    let current = stage.map(|s| s.as_str()).unwrap_or("");
    let options = Stage::ALL.iter().map(|s| Opt::new(s.as_str(), s.message().render(lang), current)).collect();
    let sections = vec![Section::new(
        "f-filter",
        t.t("ui.apps.filter"),
        vec![Field::select("f-", "stage", t.t("ui.apps.stage"), options).empty(t.t("ui.apps.all_stages"))],
    )];
    let rows: Vec<ListRow> = items
        .iter()
        .map(|c| ListRow {
            href: format!("/applications/{}", c.id),
            number: c.number.clone(),
            pension_kind: c.data.pension_kind.message().render(lang),
            form: c.data.form.message().render(lang),
            stage: c.stage.message().render(lang),
            created: date(c.created_at.date_naive()),
        })
        .collect();
    let pager = Pager::new(&format!("/applications?stage={}&", pct(current)), page.offset, page.limit, rows.len());
    ok(&ListPage { t, sections, rows, pager })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_blocks_are_absent() {
        let f = AppForm {
            pension_kind: "old_age".into(),
            form: "paper".into(),
            issue_unit_id: "7".into(),
            ..Default::default()
        };
        let i = f.to_input();
        assert_eq!(i.issue_unit_id, Some(7));
        assert!(i.disability.is_none());
        assert!(i.replacement.is_none());
        assert!(i.service_body.is_none());
        assert!(i.representative_id.is_none());
    }

    #[test]
    fn filled_blocks_are_present() {
        let f = AppForm {
            disability_group: "1".into(),
            disability_cause: "general_disease".into(),
            replacement_reason: "lost".into(),
            replacement_previous: "not-a-uuid".into(),
            issue_unit_id: "x".into(),
            ..Default::default()
        };
        let i = f.to_input();
        let d = i.disability.unwrap();
        assert_eq!(d.group, "1");
        assert_eq!(d.subgroup, None);
        let r = i.replacement.unwrap();
        assert_eq!(r.previous_certificate_id, None);
        assert_eq!(i.issue_unit_id, None);
    }

    #[test]
    fn form_names_match_rule_fields() {
        let parsed: AppForm =
            serde_urlencoded_like("disability.cause=war&replacement.previous_disposition=returned&csrf=x");
        assert_eq!(parsed.disability_cause, "war");
        assert_eq!(parsed.replacement_disposition, "returned");
        assert_eq!(parsed.csrf, "x");
    }

    fn serde_urlencoded_like(s: &str) -> AppForm {
        let uri: axum::http::Uri = format!("/?{s}").parse().unwrap();
        axum::extract::Query::<AppForm>::try_from_uri(&uri).unwrap().0
    }
}
