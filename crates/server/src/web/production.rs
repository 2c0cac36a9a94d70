//! Staff pages for certificate production (regulation 26-1, §§ III–V): the
//! dashboard with what is due today and what is late by office, this week's
//! batches, acceptance-transfer acts, the issue journal, and each party's card
//! queue. Every write goes through the same store calls (and the same card
//! service) as the API; pages only shape them.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use dossier_app::cards::{self, Report, Step};
use dossier_app::production::{self, Period};
use dossier_app::{App, AppError};
use dossier_domain::card::Identification;
use dossier_domain::lifecycle::{Event, Stage};
use dossier_domain::org::Permission;
use dossier_domain::production::{BatchLevel, ExpiryFlag, IssueInput, Recipient};
use dossier_domain::{Lang, Message};
use dossier_store::{ActAcceptance, Page, TransferAct};
use serde::Deserialize;
use uuid::Uuid;

use super::view::{Ctx, PageResult, Staff, check_csrf, datetime, html, on_the_form, parse_uuid, see_other, unit_name};

fn stage_label(stage: &str, lang: Lang) -> String {
    Stage::parse(stage).map_or_else(|| stage.to_owned(), |s| s.message().render(lang))
}

fn office(app: &App, id: i64, lang: Lang) -> String {
    app.unit(id).map(|u| unit_name(&u, lang).to_owned()).unwrap_or_default()
}

/// A refusal shown on the page it came from.
fn refusal(e: &AppError, lang: Lang) -> String {
    let mut text = e.message.render(lang);
    for f in &e.fields {
        // The form's own label for the field where the catalogue has one.
        let label = ["ui.cards.", "ui.production."]
            .iter()
            .map(|p| format!("{p}{}", f.field))
            .find(|k| dossier_domain::i18n::has(k))
            .map_or_else(|| f.field.clone(), |k| dossier_domain::i18n::text(&k, lang).to_owned());
        text.push_str(&format!(" · {label}: {}", f.message.render(lang)));
    }
    text
}

// ---- the dashboard ----

fn level_label(level: BatchLevel, lang: Lang) -> String {
    Message::new(match level {
        BatchLevel::District => "ui.production.level.district",
        BatchLevel::Region => "ui.production.level.region",
        BatchLevel::Central => "ui.production.level.central",
    })
    .render(lang)
}

pub struct Count {
    pub label: String,
    pub count: i64,
}

pub struct DueRow {
    pub id: Uuid,
    pub number: String,
    pub stage: String,
    pub office: String,
    pub due: String,
    pub late: bool,
}

/// A certificate flagged before (or after) the end of its validity.
pub struct ExpiringRow {
    pub id: Uuid,
    pub number: String,
    pub form: String,
    pub office: String,
    pub valid_until: String,
    pub flag: String,
    pub expired: bool,
}

pub struct BatchRow {
    pub level: &'static str,
    pub level_label: String,
    /// The week the batch is (or would be) of, as the form submits it.
    pub week: String,
    pub unit_id: i64,
    pub office: String,
    pub pending: i64,
    /// District level: accepted applications held back for want of the photo.
    pub without_photo: i64,
    pub submitted: Option<String>,
    /// Submitted after its cut-off, or not submitted and its cut-off has passed.
    pub late: bool,
}

#[derive(Template)]
#[template(path = "production.html")]
struct Dashboard {
    t: Ctx,
    week: String,
    by_stage: Vec<Count>,
    late_by_office: Vec<Count>,
    median: Vec<(String, String)>,
    regions_waiting: Vec<String>,
    due: Vec<DueRow>,
    expiring: Vec<ExpiringRow>,
    batches: Vec<BatchRow>,
    /// Batches submitted in recent weeks, the newest first, late ones flagged.
    submitted: Vec<BatchRow>,
    can_submit: bool,
    message: Option<String>,
}

async fn dashboard(app: &App, staff: &Staff, message: Option<String>, status: StatusCode) -> PageResult {
    let (caller, lang) = (&staff.caller, staff.lang);
    let d = production::dashboard(app, caller).await?;
    let now = Utc::now();
    let due = d
        .due
        .into_iter()
        .map(|c| DueRow {
            id: c.id,
            number: c.certificate_no.clone().unwrap_or_else(|| c.number.clone()),
            stage: c.stage.message().render(lang),
            office: office(app, c.unit_id, lang),
            due: c.due_at.map(datetime).unwrap_or_default(),
            late: c.due_at.is_some_and(|d| d < now),
        })
        .collect();
    let expiring = d
        .expiring
        .into_iter()
        .map(|e| {
            let c = e.certificate;
            let expired = matches!(e.flag, Some(ExpiryFlag::Expired));
            ExpiringRow {
                id: c.id,
                number: c.certificate_no.clone().unwrap_or_else(|| c.number.clone()),
                form: c.data.form.message().render(lang),
                office: office(app, c.unit_id, lang),
                valid_until: c.valid_until.map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default(),
                flag: match e.flag {
                    Some(ExpiryFlag::Expiring { days_left }) => {
                        Message::new("ui.production.days_left").with("days", days_left).render(lang)
                    }
                    // The list holds only certificates within the warning, so every one has a flag.
                    Some(ExpiryFlag::Expired) | None => {
                        dossier_domain::i18n::text("ui.production.expired", lang).to_owned()
                    }
                },
                expired,
            }
        })
        .collect();
    let late_by_office = d
        .overview
        .late
        .iter()
        .map(|l| Count {
            label: format!("{} — {}", office(app, l.unit_id, lang), stage_label(&l.stage, lang)),
            count: l.count,
        })
        .collect();
    let batches = d
        .candidates
        .into_iter()
        .map(|(level, week, c)| BatchRow {
            level: level.as_str(),
            level_label: format!("{week} · {}", level_label(level, lang)),
            week: week.to_string(),
            unit_id: c.unit_id,
            office: if lang == Lang::UK { c.name_uk } else { c.name_en },
            pending: c.pending,
            without_photo: c.without_photo,
            late: c.submitted.as_ref().map_or(level.cutoff(week) <= now, |b| b.late),
            submitted: c.submitted.map(|b| datetime(b.submitted_at)),
        })
        .collect();
    let submitted = d
        .recent
        .into_iter()
        .map(|b| BatchRow {
            level: b.level.as_str(),
            level_label: format!("{} · {}", b.week, level_label(b.level, lang)),
            week: b.week.clone(),
            unit_id: b.unit_id,
            office: office(app, b.unit_id, lang),
            pending: b.items,
            without_photo: 0,
            submitted: Some(datetime(b.submitted_at)),
            late: b.late,
        })
        .collect();
    let overview = &d.overview;
    let page = Dashboard {
        t: staff.ctx("/production"),
        submitted,
        week: d.week.to_string(),
        by_stage: overview.by_stage.iter().map(|(s, n)| Count { label: stage_label(s, lang), count: *n }).collect(),
        late_by_office,
        median: overview.median_hours.iter().map(|(s, h)| (stage_label(s, lang), format!("{h:.1}"))).collect(),
        regions_waiting: overview.regions_waiting.iter().map(|id| office(app, *id, lang)).collect(),
        due,
        expiring,
        batches,
        can_submit: caller.may(Permission::SubmitBatch),
        message,
    };
    Ok(html(status, &page))
}

/// `GET /production`.
pub async fn overview(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    dashboard(&app, &staff, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct SubmitForm {
    pub csrf: String,
    pub level: String,
    pub unit_id: i64,
    /// The week the dashboard showed; without it, the week the office owes.
    #[serde(default)]
    pub week: Option<String>,
}

/// `POST /production/batches` — submit an office's batch of the week it owes.
pub async fn submit(State(app): State<Arc<App>>, staff: Staff, Form(form): Form<SubmitForm>) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let level = BatchLevel::parse(&form.level).ok_or_else(AppError::not_found)?;
    let week = production::week_of(form.week.as_deref())?;
    match production::submit_batch(&app, &staff.caller, week, level, form.unit_id).await {
        Ok(_) => Ok(see_other("/production")),
        Err(e) if on_the_form(&e) => dashboard(&app, &staff, Some(refusal(&e, staff.lang)), StatusCode::CONFLICT).await,
        Err(e) => Err(e.into()),
    }
}

// ---- acceptance-transfer acts ----

pub struct ActRow {
    pub id: Uuid,
    pub number: String,
    pub from: String,
    pub to: String,
    pub sent_at: String,
    pub accepted: bool,
    pub items: usize,
}

#[derive(Template)]
#[template(path = "production_acts.html")]
struct ActsPage {
    t: Ctx,
    rows: Vec<ActRow>,
}

/// `GET /production/acts`.
pub async fn acts(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    let lang = staff.lang;
    let rows = production::acts(&app, &staff.caller, Page::new(0, 200))
        .await?
        .into_iter()
        .map(|a| ActRow {
            id: a.id,
            number: a.number,
            from: office(&app, a.from_unit_id, lang),
            to: office(&app, a.to_unit_id, lang),
            sent_at: datetime(a.sent_at),
            accepted: a.status == dossier_store::ActStatus::Accepted,
            items: a.items.len(),
        })
        .collect();
    super::view::ok(&ActsPage { t: staff.ctx("/production/acts"), rows })
}

#[derive(Template)]
#[template(path = "production_act.html")]
struct ActPage {
    t: Ctx,
    act: TransferAct,
    from: String,
    to: String,
    sent_at: String,
    accepted_at: Option<String>,
    can_accept: bool,
    message: Option<String>,
}

async fn act_page(app: &App, staff: &Staff, id: Uuid, message: Option<String>, status: StatusCode) -> PageResult {
    let lang = staff.lang;
    let act = production::act(app, &staff.caller, id).await?;
    let page = ActPage {
        t: staff.ctx(&format!("/production/acts/{id}")),
        from: office(app, act.from_unit_id, lang),
        to: office(app, act.to_unit_id, lang),
        sent_at: datetime(act.sent_at),
        accepted_at: act.accepted_at.map(datetime),
        can_accept: production::may_accept(app, &staff.caller, &act),
        message,
        act,
    };
    Ok(html(status, &page))
}

/// `GET /production/acts/{id}`.
pub async fn act(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    act_page(&app, &staff, parse_uuid(&id)?, None, StatusCode::OK).await
}

/// `POST /production/acts/{id}/accept` — the form lists each certificate as
/// `received` (checked by default) and `damaged` checkboxes.
pub async fn accept(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    check_csrf(&staff.caller, csrf)?;
    let act_id = parse_uuid(&id)?;
    let values = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let acceptance = ActAcceptance { received: Some(values("received")), damaged: values("damaged") };
    match production::accept_act(&app, &staff.caller, act_id, &acceptance).await {
        Ok(_) => Ok(see_other(&format!("/production/acts/{act_id}"))),
        Err(e) if on_the_form(&e) => {
            act_page(&app, &staff, act_id, Some(refusal(&e, staff.lang)), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the issue journal (form 6) ----

pub struct JournalRow {
    pub line: i64,
    pub certificate_id: Uuid,
    pub certificate_no: String,
    pub act: String,
    pub holder: String,
    pub issued: Option<String>,
}

#[derive(Template)]
#[template(path = "production_journal.html")]
struct JournalPage {
    t: Ctx,
    unit_id: i64,
    office: String,
    rows: Vec<JournalRow>,
    can_issue: bool,
    pdf: String,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JournalQuery {
    pub unit_id: Option<i64>,
}

async fn journal_page(
    app: &App,
    staff: &Staff,
    unit_id: Option<i64>,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    // The last two months of lines; the printed journal takes any period.
    let today = dossier_domain::time::kyiv_time(Utc::now()).date_naive();
    let period = Period { from: Some(today - Duration::days(62)), to: Some(today) };
    let (unit, lines) = production::journal(app, &staff.caller, unit_id, period).await?;
    let rows = lines
        .into_iter()
        .map(|l| JournalRow {
            line: l.line,
            certificate_id: l.certificate_id,
            certificate_no: l.certificate_no,
            act: format!("{} · {}", l.act_number, l.act_date.format("%d.%m.%Y")),
            holder: l.holder_name,
            issued: l.issued_at.map(|at| format!("{} · {}", datetime(at), l.recipient_name.unwrap_or_default())),
        })
        .collect();
    let page = JournalPage {
        t: staff.ctx("/production/journal"),
        unit_id: unit.id,
        office: unit_name(&unit, staff.lang).to_owned(),
        rows,
        can_issue: staff.caller.may(Permission::HandOverCertificate),
        pdf: format!("/api/v1/production/journal.pdf?unit_id={}", unit.id),
        message,
    };
    Ok(html(status, &page))
}

/// `GET /production/journal?unit_id=`.
pub async fn journal(State(app): State<Arc<App>>, staff: Staff, Query(q): Query<JournalQuery>) -> PageResult {
    journal_page(&app, &staff, q.unit_id, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IssueForm {
    pub csrf: String,
    pub unit_id: i64,
    pub recipient_name: String,
    /// `owner` or `representative`.
    pub kind: String,
    pub identity_document: String,
    pub status_document: String,
    pub tax_registration: String,
    /// A resident representative also shows the tax registration (§V).
    pub resident: Option<String>,
    /// The recipient signed: confirmed by the specialist with a tick.
    pub signed: Option<String>,
}

/// `POST /production/journal/{certificate_id}/issue` — hand over at the counter.
pub async fn issue(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<IssueForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let id = parse_uuid(&id)?;
    let identity_document = form.identity_document.trim().to_owned();
    let recipient = if form.kind == "representative" {
        Recipient::Representative {
            identity_document,
            status_document: form.status_document.trim().to_owned(),
            resident: form.resident.is_some(),
            tax_registration: Some(form.tax_registration.trim().to_owned()).filter(|s| !s.is_empty()),
        }
    } else {
        Recipient::Owner { identity_document }
    };
    let input = IssueInput {
        recipient_name: form.recipient_name.clone(),
        recipient,
        // Without the tick the issue is refused: the journal needs a signature.
        signature: if form.signed.is_some() { "tick".into() } else { String::new() },
    };
    match production::issue(&app, &staff.caller, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/production/journal?unit_id={}", form.unit_id))),
        Err(e) if on_the_form(&e) => {
            let msg = Some(refusal(&e, staff.lang));
            journal_page(&app, &staff, Some(form.unit_id), msg, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- card queues (§IV) ----

pub struct CardRow {
    pub view: cards::CardView,
    pub stage: String,
    pub due: String,
}

#[derive(Template)]
#[template(path = "cards.html")]
struct CardsPage {
    t: Ctx,
    party: String,
    rows: Vec<CardRow>,
    stages: Vec<(&'static str, String, bool)>,
    can_dispatch: bool,
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CardsQuery {
    pub stage: String,
}

async fn cards_page(app: &App, staff: &Staff, stage: &str, message: Option<String>, status: StatusCode) -> PageResult {
    let lang = staff.lang;
    let chosen = Stage::parse(stage);
    let queue = match cards::queue(app, &staff.caller, chosen, Page::new(0, 200), lang).await {
        // A stage of another party's list shows the whole queue.
        Err(e) if e.fields.iter().any(|f| f.field == "stage") => {
            cards::queue(app, &staff.caller, None, Page::new(0, 200), lang).await?
        }
        other => other?,
    };
    let party = queue.desk.party;
    let rows = queue
        .cards
        .into_iter()
        .map(|view| CardRow {
            stage: view.stage.message().render(lang),
            due: view.due_at.map(datetime).unwrap_or_default(),
            view,
        })
        .collect();
    let page = CardsPage {
        t: staff.ctx("/cards"),
        party: party.message().render(lang),
        rows,
        stages: party.stages().iter().map(|s| (s.as_str(), s.message().render(lang), s.as_str() == stage)).collect(),
        can_dispatch: queue.desk.dispatches(),
        message,
    };
    Ok(html(status, &page))
}

/// `GET /cards?stage=` — the caller's party queue.
pub async fn card_queue(State(app): State<Arc<App>>, staff: Staff, Query(q): Query<CardsQuery>) -> PageResult {
    cards_page(&app, &staff, &q.stage, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    pub csrf: String,
}

/// `POST /cards/dispatch` — the fund sends every ready card on.
pub async fn dispatch(State(app): State<Arc<App>>, staff: Staff, Form(form): Form<CsrfOnly>) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let d = cards::dispatch(&app, &staff.caller).await?;
    let msg = Message::new("ui.cards.dispatched")
        .with("bank", d.sent_to_bank)
        .with("personalizer", d.sent_to_personalizer)
        .render(staff.lang);
    cards_page(&app, &staff, "", Some(msg), StatusCode::OK).await
}

pub struct MessageRow {
    pub event: String,
    pub route: String,
    pub at: String,
    pub sealed: bool,
    pub payload: String,
}

#[derive(Template)]
#[template(path = "card.html")]
struct CardPage {
    t: Ctx,
    card: cards::CardView,
    stage: String,
    messages: Vec<MessageRow>,
    /// Steps that need no data: one button each.
    simple_steps: Vec<(&'static str, String)>,
    open_account: bool,
    /// The bank's issue at the branch: the holder's identification and the instruction.
    issue: bool,
    generate_keys: bool,
    personalize: bool,
    /// The card's back (form 5) as PDF, for those who may read it.
    back_pdf: bool,
    message: Option<String>,
}

async fn card_page(app: &App, staff: &Staff, id: Uuid, message: Option<String>, status: StatusCode) -> PageResult {
    let (caller, lang) = (&staff.caller, staff.lang);
    let (desk, detail) = cards::card(app, caller, id, lang).await?;
    let view = detail.card;
    let messages = detail
        .messages
        .into_iter()
        .map(|m| MessageRow {
            event: Event::parse(&m.message.event).map_or(m.message.event.clone(), |e| e.message().render(lang)),
            route: format!(
                "{} → {}",
                m.message.sender.message().render(lang),
                m.message.recipient.message().render(lang)
            ),
            at: datetime(m.message.at),
            sealed: m.seal.is_some(),
            payload: m.message.payload,
        })
        .collect();
    let steps: Vec<&'static str> = if desk.reports { view.next_steps.clone() } else { vec![] };
    let with_data =
        [Event::OpenAccount.as_str(), Event::Issue.as_str(), Event::GenerateKeys.as_str(), Event::Personalize.as_str()];
    let page = CardPage {
        t: staff.ctx(&format!("/cards/{id}")),
        stage: view.stage.message().render(lang),
        simple_steps: steps
            .iter()
            .filter(|s| !with_data.contains(s))
            .map(|s| (*s, Event::parse(s).map_or((*s).to_owned(), |e| e.message().render(lang))))
            .collect(),
        open_account: steps.contains(&Event::OpenAccount.as_str()),
        issue: steps.contains(&Event::Issue.as_str()),
        generate_keys: steps.contains(&Event::GenerateKeys.as_str()),
        personalize: steps.contains(&Event::Personalize.as_str()),
        back_pdf: desk.may_read_back(caller),
        card: view,
        messages,
        message,
    };
    Ok(html(status, &page))
}

/// `GET /cards/{id}`.
pub async fn card(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    card_page(&app, &staff, parse_uuid(&id)?, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    pub csrf: String,
    pub event: String,
    pub note: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub birth_date: String,
    pub tax_id: String,
    pub account: String,
    /// The chip's requests, PEM blocks one after another.
    pub requests: String,
    /// `personalize`: the card's unique identifier.
    pub card_number: String,
    /// `issue`: the instruction checkbox (`on` when ticked).
    pub instruction_handed: String,
}

/// `POST /cards/{id}/steps` — a party reports a step from the card page.
pub async fn step(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let card_id = parse_uuid(&id)?;
    let identifies = [Event::OpenAccount.as_str(), Event::Issue.as_str()].contains(&form.event.as_str());
    let identification = identifies.then(|| Identification {
        surname: form.surname.clone(),
        given_name: form.given_name.clone(),
        patronymic: Some(form.patronymic.clone()).filter(|p| !p.trim().is_empty()),
        birth_date: dossier_domain::person::parse_date(&form.birth_date).unwrap_or_default(),
        tax_id: form.tax_id.clone(),
    });
    let requests = form
        .requests
        .split_inclusive("-----END CERTIFICATE REQUEST-----")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let report = Report {
        event: form.event.clone(),
        note: Some(form.note.clone()),
        identification,
        account: Some(form.account.clone()),
        requests,
        card_number: Some(form.card_number.clone()),
        instruction_handed: !form.instruction_handed.is_empty(),
        partner_signature: None,
    };
    let step = Step { report, statement: None, signature: None };
    match cards::step(&app, &staff.caller, card_id, step, staff.lang).await {
        Ok(_) => Ok(see_other(&format!("/cards/{card_id}"))),
        Err(e) if on_the_form(&e) || e.kind == dossier_app::ErrorKind::Unavailable => {
            let msg = Some(refusal(&e, staff.lang));
            card_page(&app, &staff, card_id, msg, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
