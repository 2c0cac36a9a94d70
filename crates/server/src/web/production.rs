//! Staff pages for certificate production (regulation 26-1, §§ III–V): the
//! dashboard with what is due today and what is late by office, this week's
//! batches, acceptance-transfer acts, the issue journal, and each party's card
//! queue. Every write goes through the same store calls (and the same card
//! service) as the API; pages only shape them.
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::{Duration, NaiveTime, Utc};
use dossier_domain::card::{Identification, Party};
use dossier_domain::lifecycle::{Event, Stage};
use dossier_domain::org::Permission;
use dossier_domain::production::{BatchLevel, BatchWeek, ExpiryFlag, IssueInput, Recipient};
use dossier_domain::time::{kyiv_instant, kyiv_time};
use dossier_domain::{Lang, Message};
use dossier_store::*;
use serde::Deserialize;
use uuid::Uuid;

use super::view::{Ctx, PageError, PageResult, Staff, check_csrf, datetime, html, parse_uuid, see_other, unit_name};
use crate::AppState;
use crate::access::Caller;
use crate::cards;

fn stage_label(stage: &str, lang: Lang) -> String {
    Stage::parse(stage).map_or_else(|| stage.to_owned(), |s| s.message().render(lang))
}

fn office(state: &AppState, id: i64, lang: Lang) -> String {
    state.unit(id).map(|u| unit_name(&u, lang).to_owned()).unwrap_or_default()
}

/// A refusal shown on the page it came from.
fn refusal(e: impl Into<crate::error::ApiError>, lang: Lang) -> String {
    let e: crate::error::ApiError = e.into();
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
    pub unit_id: i64,
    pub office: String,
    pub pending: i64,
    /// District level: accepted applications held back for want of the photo.
    pub without_photo: i64,
    pub submitted: Option<String>,
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

async fn dashboard(state: &AppState, caller: &Caller, message: Option<String>, status: StatusCode) -> PageResult {
    caller.require(Permission::ReadProduction)?;
    let lang = caller.lang;
    let now = Utc::now();
    let overview = state.store.production_overview(&caller.scope, now).await?;
    // What is due by the end of today (Kyiv), the late ones first.
    let today = kyiv_time(now).date_naive();
    let tomorrow = today + Duration::days(1);
    let end_of_day = kyiv_instant(tomorrow.and_time(NaiveTime::MIN));
    let due = state
        .store
        .late_certificates(&caller.scope, end_of_day, Page::new(0, 50))
        .await?
        .into_iter()
        .map(|c| DueRow {
            id: c.id,
            number: c.certificate_no.clone().unwrap_or_else(|| c.number.clone()),
            stage: c.stage.message().render(lang),
            office: office(state, c.unit_id, lang),
            due: c.due_at.map(datetime).unwrap_or_default(),
            late: c.due_at.is_some_and(|d| d < now),
        })
        .collect();
    let expiring = crate::api::production::expiring_in(
        state,
        &caller.scope,
        today,
        dossier_domain::production::EXPIRY_WARNING.num_days(),
        Page::new(0, 50),
    )
    .await?
    .into_iter()
    .map(|e| {
        let c = e.certificate;
        let expired = matches!(e.flag, Some(ExpiryFlag::Expired));
        ExpiringRow {
            id: c.id,
            number: c.certificate_no.clone().unwrap_or_else(|| c.number.clone()),
            form: c.data.form.message().render(lang),
            office: office(state, c.unit_id, lang),
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
    let mut late_by_office: Vec<Count> = vec![];
    for l in &overview.late {
        let label = format!("{} — {}", office(state, l.unit_id, lang), stage_label(&l.stage, lang));
        late_by_office.push(Count { label, count: l.count });
    }
    let week = BatchWeek::of_acceptance(now);
    let mut batches = vec![];
    for level in BatchLevel::ALL {
        for c in state.store.batch_candidates(week, level).await? {
            if !state.unit(c.unit_id).is_some_and(|u| caller.in_scope(&u.path)) {
                continue;
            }
            batches.push(BatchRow {
                level: level.as_str(),
                level_label: level_label(level, lang),
                unit_id: c.unit_id,
                office: if lang == Lang::Uk { c.name_uk } else { c.name_en },
                pending: c.pending,
                without_photo: c.without_photo,
                late: c.submitted.as_ref().is_some_and(|b| b.late),
                submitted: c.submitted.map(|b| datetime(b.submitted_at)),
            });
        }
    }
    let mut recent = state.store.batches(&caller.scope, None).await?;
    recent.sort_by(|a, b| b.submitted_at.cmp(&a.submitted_at));
    let submitted = recent
        .into_iter()
        .take(30)
        .map(|b| BatchRow {
            level: b.level.as_str(),
            level_label: format!("{} · {}", b.week, level_label(b.level, lang)),
            unit_id: b.unit_id,
            office: office(state, b.unit_id, lang),
            pending: b.items,
            without_photo: 0,
            submitted: Some(datetime(b.submitted_at)),
            late: b.late,
        })
        .collect();
    let page = Dashboard {
        t: Ctx::new(state, caller, "/production"),
        submitted,
        week: week.to_string(),
        by_stage: overview.by_stage.iter().map(|(s, n)| Count { label: stage_label(s, lang), count: *n }).collect(),
        late_by_office,
        median: overview.median_hours.iter().map(|(s, h)| (stage_label(s, lang), format!("{h:.1}"))).collect(),
        regions_waiting: overview.regions_waiting.iter().map(|id| office(state, *id, lang)).collect(),
        due,
        expiring,
        batches,
        can_submit: caller.role().permits(Permission::SubmitBatch),
        message,
    };
    Ok(html(status, &page))
}

/// `GET /production`.
pub async fn overview(State(state): State<AppState>, Staff { caller, .. }: Staff) -> PageResult {
    dashboard(&state, &caller, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct SubmitForm {
    pub csrf: String,
    pub level: String,
    pub unit_id: i64,
}

/// `POST /production/batches` — submit an office's batch of this week.
pub async fn submit(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Form(form): Form<SubmitForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    caller.require(Permission::SubmitBatch)?;
    let lang = caller.lang;
    let unit = state.unit(form.unit_id).filter(|u| caller.in_scope(&u.path)).ok_or(PageError::not_found(lang))?;
    let level = BatchLevel::parse(&form.level).ok_or(PageError::not_found(lang))?;
    let week = BatchWeek::of_acceptance(Utc::now());
    match state.store.submit_batch(&caller.actor(), week, level, unit.id, Utc::now()).await {
        Ok(_) => Ok(see_other("/production")),
        Err(e) => dashboard(&state, &caller, Some(refusal(e, lang)), StatusCode::CONFLICT).await,
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
pub async fn acts(State(state): State<AppState>, Staff { caller, .. }: Staff) -> PageResult {
    caller.require(Permission::ReadProduction)?;
    let lang = caller.lang;
    let rows = state
        .store
        .transfer_acts(&caller.scope, Page::new(0, 200))
        .await?
        .into_iter()
        .map(|a| ActRow {
            id: a.id,
            number: a.number,
            from: office(&state, a.from_unit_id, lang),
            to: office(&state, a.to_unit_id, lang),
            sent_at: datetime(a.sent_at),
            accepted: a.status == ActStatus::Accepted,
            items: a.items.len(),
        })
        .collect();
    super::view::ok(&ActsPage { t: Ctx::new(&state, &caller, "/production/acts"), rows })
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

async fn act_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    caller.require(Permission::ReadProduction)?;
    let lang = caller.lang;
    let id = parse_uuid(id, lang)?;
    let act = state.store.transfer_act(id).await?.ok_or(PageError::not_found(lang))?;
    let sees = |u: i64| state.unit(u).is_some_and(|u| caller.in_scope(&u.path));
    if !sees(act.from_unit_id) && !sees(act.to_unit_id) {
        return Err(PageError::not_found(lang));
    }
    let can_accept =
        act.status == ActStatus::Sent && caller.role().permits(Permission::SignTransferAct) && sees(act.to_unit_id);
    let page = ActPage {
        t: Ctx::new(state, caller, &format!("/production/acts/{id}")),
        from: office(state, act.from_unit_id, lang),
        to: office(state, act.to_unit_id, lang),
        sent_at: datetime(act.sent_at),
        accepted_at: act.accepted_at.map(datetime),
        can_accept,
        message,
        act,
    };
    Ok(html(status, &page))
}

/// `GET /production/acts/{id}`.
pub async fn act(State(state): State<AppState>, Staff { caller, .. }: Staff, Path(id): Path<String>) -> PageResult {
    act_page(&state, &caller, &id, None, StatusCode::OK).await
}

/// `POST /production/acts/{id}/accept` — the form lists each certificate as
/// `received` (checked by default) and `damaged` checkboxes.
pub async fn accept(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let csrf = fields.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    check_csrf(&caller, csrf)?;
    caller.require(Permission::SignTransferAct)?;
    let lang = caller.lang;
    let act_id = parse_uuid(&id, lang)?;
    let act = state.store.transfer_act(act_id).await?.ok_or(PageError::not_found(lang))?;
    if !state.unit(act.to_unit_id).is_some_and(|u| caller.in_scope(&u.path)) {
        return Err(PageError::not_found(lang));
    }
    let values = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let acceptance = ActAcceptance { received: Some(values("received")), damaged: values("damaged") };
    match state.store.accept_transfer_act(&caller.actor(), act_id, &acceptance, Utc::now()).await {
        Ok(_) => Ok(see_other(&format!("/production/acts/{act_id}"))),
        Err(e) => act_page(&state, &caller, &id, Some(refusal(e, lang)), StatusCode::CONFLICT).await,
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
    state: &AppState,
    caller: &Caller,
    unit_id: Option<i64>,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    caller.require(Permission::ReadProduction)?;
    let lang = caller.lang;
    let unit = state
        .unit(unit_id.unwrap_or(caller.unit.id))
        .filter(|u| caller.in_scope(&u.path))
        .ok_or(PageError::not_found(lang))?;
    // The last two months of lines; the printed journal takes any period.
    let now = Utc::now();
    let rows = state
        .store
        .journal(unit.id, now - Duration::days(62), now + Duration::days(1))
        .await?
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
        t: Ctx::new(state, caller, "/production/journal"),
        unit_id: unit.id,
        office: unit_name(&unit, lang).to_owned(),
        rows,
        can_issue: caller.role().permits(Permission::HandOverCertificate),
        pdf: format!("/api/v1/production/journal.pdf?unit_id={}", unit.id),
        message,
    };
    Ok(html(status, &page))
}

/// `GET /production/journal?unit_id=`.
pub async fn journal(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Query(q): Query<JournalQuery>,
) -> PageResult {
    journal_page(&state, &caller, q.unit_id, None, StatusCode::OK).await
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
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Path(id): Path<String>,
    Form(form): Form<IssueForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    let lang = caller.lang;
    let id = parse_uuid(&id, lang)?;
    let c = state.store.certificate(id).await?.ok_or(PageError::not_found(lang))?;
    caller.authorize(&state, Permission::HandOverCertificate, &c.unit_path, &format!("person:{}", c.person_id)).await?;
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
        // Without the tick the store refuses: the journal needs a signature.
        signature: if form.signed.is_some() { "tick".into() } else { String::new() },
    };
    let issued = match input.validate() {
        Ok(issue) => state.store.issue_certificate(&caller.actor(), id, &issue, Utc::now()).await,
        Err(e) => Err(e.into()),
    };
    match issued {
        Ok(_) => Ok(see_other(&format!("/production/journal?unit_id={}", form.unit_id))),
        Err(e) => journal_page(&state, &caller, Some(form.unit_id), Some(refusal(e, lang)), StatusCode::CONFLICT).await,
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

async fn cards_page(
    state: &AppState,
    caller: &Caller,
    stage: &str,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = caller.lang;
    let (party, reports) = cards::caller_party(caller)?;
    let all = party.stages();
    let chosen: &'static [Stage] = match all.iter().position(|s| s.as_str() == stage) {
        Some(i) => &all[i..=i],
        None => all,
    };
    let now = Utc::now();
    let mut rows = vec![];
    for c in state.store.cards(&cards::queue(caller, party, chosen), Page::new(0, 200)).await? {
        let view = cards::view(state, caller, party, &c, now).await?;
        rows.push(CardRow {
            stage: view.stage.message().render(lang),
            due: view.due_at.map(datetime).unwrap_or_default(),
            view,
        });
    }
    let page = CardsPage {
        t: Ctx::new(state, caller, "/cards"),
        party: party.message().render(lang),
        rows,
        stages: all.iter().map(|s| (s.as_str(), s.message().render(lang), s.as_str() == stage)).collect(),
        can_dispatch: party == Party::Fund && reports,
        message,
    };
    Ok(html(status, &page))
}

/// `GET /cards?stage=` — the caller's party queue.
pub async fn card_queue(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Query(q): Query<CardsQuery>,
) -> PageResult {
    cards_page(&state, &caller, &q.stage, None, StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    pub csrf: String,
}

/// `POST /cards/dispatch` — the fund sends every ready card on.
pub async fn dispatch(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Form(form): Form<CsrfOnly>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    let lang = caller.lang;
    match cards::caller_party(&caller)? {
        (Party::Fund, true) => {}
        _ => return Err(crate::error::ApiError::forbidden().in_lang(lang).into()),
    }
    let d = cards::dispatch(&state, &caller.actor(), &caller, caller.unit.id).await?;
    let msg = Message::new("ui.cards.dispatched")
        .with("bank", d.sent_to_bank)
        .with("personalizer", d.sent_to_personalizer)
        .render(lang);
    cards_page(&state, &caller, "", Some(msg), StatusCode::OK).await
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

async fn card_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    message: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = caller.lang;
    let (party, reports) = cards::caller_party(caller)?;
    let id = parse_uuid(id, lang)?;
    let c = cards::load(state, caller, party, id).await?;
    let view = cards::view(state, caller, party, &c, Utc::now()).await?;
    let messages = cards::messages_for(caller, party, state.store.card_messages(c.id).await?)
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
    let steps: Vec<&'static str> = if reports { view.next_steps.clone() } else { vec![] };
    let with_data =
        [Event::OpenAccount.as_str(), Event::Issue.as_str(), Event::GenerateKeys.as_str(), Event::Personalize.as_str()];
    let page = CardPage {
        t: Ctx::new(state, caller, &format!("/cards/{id}")),
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
        back_pdf: cards::may_read_back(caller, party, reports),
        card: view,
        messages,
        message,
    };
    Ok(html(status, &page))
}

/// `GET /cards/{id}`.
pub async fn card(State(state): State<AppState>, Staff { caller, .. }: Staff, Path(id): Path<String>) -> PageResult {
    card_page(&state, &caller, &id, None, StatusCode::OK).await
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
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    let lang = caller.lang;
    let (party, reports) = cards::caller_party(&caller)?;
    if !reports {
        return Err(crate::error::ApiError::forbidden().in_lang(lang).into());
    }
    let card_id = parse_uuid(&id, lang)?;
    let c = cards::load(&state, &caller, party, card_id).await?;
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
    let report = cards::Report {
        event: form.event.clone(),
        note: Some(form.note.clone()),
        identification,
        account: Some(form.account.clone()),
        requests,
        card_number: Some(form.card_number.clone()),
        instruction_handed: !form.instruction_handed.is_empty(),
        partner_signature: None,
    };
    let reported = match cards::check_signature_policy(&state, party, &report) {
        Ok(()) => cards::report(&state, &caller.actor(), party, caller.unit.id, &c, report).await,
        Err(e) => Err(e),
    };
    match reported {
        Ok(_) => Ok(see_other(&format!("/cards/{card_id}"))),
        Err(e) => card_page(&state, &caller, &id, Some(refusal(e, lang)), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}
