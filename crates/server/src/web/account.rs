//! The citizen's personal account: sign in through the identity provider
//! (`/account/login` → the provider → `/account/callback`), see one's own
//! record and applications and those of the people one represents, sign out.
//! Citizens' cookies are their own (`__Host-dossier-citizen`), apart from
//! the staff's, and `SameSite=Lax`: the browser comes back from the
//! provider's site, a cross-site navigation a strict cookie would miss.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dossier_app::account::login::{self, Callback};
use dossier_app::account::{self, AccountView, Citizen};
use dossier_app::record::RecordView;
use dossier_app::{App, AppError};
use dossier_crypto::secrets::constant_time_eq;
use dossier_domain::Lang;
use dossier_domain::Message;
use dossier_domain::e_application::Status as EStatus;
use dossier_domain::record::money_text;
use dossier_http::ReqLang;
use dossier_http::cookies::cookie;
use dossier_store::{CertificateRecord, Correction, EApplicationRecord, PersonRecord};
use serde::Deserialize;

use super::status::no_store;
use super::view::{Ctx, date, html, pension_lines};
use crate::api::ClientAddr;
use crate::error::status_of;

/// The fund's callback path, registered with the identity provider.
pub const CALLBACK: &str = "/account/callback";
const SESSION: &str = "__Host-dossier-citizen";
const LOGIN: &str = "__Host-dossier-login";

fn set_cookie(resp: &mut Response, name: &str, value: &str, max_age: i64) {
    let c = format!("{name}={value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}");
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[derive(Template)]
#[template(path = "account_login.html")]
struct LoginPage {
    t: Ctx,
    error: Option<String>,
    available: bool,
}

fn login_page(app: &App, lang: Lang, status: StatusCode, error: Option<&AppError>) -> Response {
    let page = LoginPage {
        t: Ctx::anonymous(lang, "/account"),
        error: error.map(|e| e.message.render(lang)),
        available: app.citizen_login().is_some(),
    };
    let mut resp = no_store(html(status, &page));
    // A limited client is told when to come back, as the API tells it.
    if let Some(wait) = error.and_then(|e| e.retry_after)
        && let Ok(v) = HeaderValue::from_str(&wait.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// `GET /account/login` — off to the identity provider.
pub async fn start(State(app): State<Arc<App>>, ClientAddr(client): ClientAddr, ReqLang(lang): ReqLang) -> Response {
    match login::start(&app, &client).await {
        Ok(started) => {
            let mut resp = Redirect::to(&started.redirect).into_response();
            set_cookie(&mut resp, LOGIN, &started.cookie, login::LOGIN_TTL.num_seconds());
            // The account greets the citizen back in the language they left in.
            let lang_cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", crate::LANG.cookie, lang.code());
            if let Ok(v) = HeaderValue::from_str(&lang_cookie) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            no_store(resp)
        }
        Err(e) => login_page(&app, lang, status_of(e.kind), Some(&e)),
    }
}

/// `GET /account/callback` — back from the provider: a session, or why not.
pub async fn callback(
    State(app): State<Arc<App>>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(back): Query<Callback>,
) -> Response {
    let result = login::finish(&app, cookie(&headers, LOGIN), back).await;
    let mut resp = match result {
        Ok(signed_in) => {
            let mut resp = Redirect::to("/account").into_response();
            set_cookie(&mut resp, SESSION, &signed_in.token, app_session_secs(&app));
            resp
        }
        Err(e) => login_page(&app, lang, status_of(e.kind), Some(&e)),
    };
    // The login in flight is spent either way.
    set_cookie(&mut resp, LOGIN, "", 0);
    no_store(resp)
}

fn app_session_secs(app: &App) -> i64 {
    app.config().session_ttl.num_seconds()
}

/// The signed-in citizen of a page; without one, the sign-in page.
pub struct SignedCitizen(pub Citizen, pub Lang);

impl axum::extract::FromRequestParts<Arc<App>> for SignedCitizen {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let ReqLang(lang) = ReqLang::from_request_parts(parts, app).await.unwrap_or(ReqLang(Lang::default()));
        let citizen = match cookie(&parts.headers, SESSION) {
            Some(token) => account::by_session(app, token).await,
            None => Ok(None),
        };
        match citizen {
            Ok(Some(c)) => Ok(SignedCitizen(c, lang)),
            Ok(None) => Err(login_page(app, lang, StatusCode::OK, None)),
            Err(e) => Err(login_page(app, lang, status_of(e.kind), Some(&e))),
        }
    }
}

/// One person the citizen may look at, as a tab.
pub struct PersonTab {
    pub href: String,
    pub name: String,
    pub current: bool,
}

/// One application or certificate as the citizen sees it.
pub struct CertificateRow {
    pub number: String,
    pub stage: String,
    pub certificate_no: Option<String>,
    pub filed: String,
    pub valid_until: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: Ctx,
    name: String,
    csrf: String,
    tabs: Vec<PersonTab>,
    shown: Option<ShownPerson>,
    acting_for_other: bool,
    certificates: Vec<CertificateRow>,
    e_applications: Vec<CitizenRow>,
    /// The pension paid, as label–value lines (empty: none).
    pension: Vec<(String, String)>,
    record: Option<RecordBlock>,
    /// The `for` the mistake form carries back (empty: the citizen's own record).
    acting_for: String,
    /// Set after a mistake was reported, or when the report was refused.
    notice: Option<String>,
    mistake_error: Option<String>,
}

/// The pension record as the account shows it.
pub struct RecordBlock {
    pub length: String,
    /// A points jurisdiction's sum of the points the years earned.
    pub points_total: Option<String>,
    pub periods: Vec<PeriodRow>,
    /// The latest years, shown; the earlier ones fold away on a phone.
    pub years: Vec<YearRow>,
    pub earlier_years: Vec<YearRow>,
    pub corrections: Vec<CorrectionRow>,
}

pub struct PeriodRow {
    pub employer: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub reported: String,
}

pub struct YearRow {
    pub year: i32,
    pub months: u32,
    pub wage: String,
    pub contribution: String,
    pub employers: String,
    /// The points the year earned, in a jurisdiction that counts them.
    pub points: Option<String>,
}

pub struct CorrectionRow {
    pub text: String,
    pub year: Option<i32>,
    pub filed: String,
    pub answer: Option<String>,
}

pub struct ShownPerson {
    pub name: String,
    pub birth_date: String,
    pub tax_id: String,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(rename = "for")]
    pub acting_for: Option<String>,
}

/// `GET /account[?for=<person>]` — the account, for oneself or a ward.
pub async fn page(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, lang): SignedCitizen,
    Query(q): Query<AccountQuery>,
) -> Response {
    let acting_for = match q.acting_for.as_deref().map(str::parse::<uuid::Uuid>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return refused(&AppError::not_found()),
    };
    match account::view(&app, &citizen, acting_for).await {
        Ok(view) => no_store(html(StatusCode::OK, &account_page(&citizen, lang, &view, acting_for))),
        Err(e) => refused(&e),
    }
}

#[derive(Deserialize)]
pub struct MistakeForm {
    pub csrf: String,
    #[serde(rename = "for", default)]
    pub acting_for: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub text: String,
}

/// `POST /account/record/mistake` — the citizen reports a mistake in the record shown.
pub async fn report_mistake(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, lang): SignedCitizen,
    Form(f): Form<MistakeForm>,
) -> Response {
    let acting_for = match checked_form(&citizen, &f.csrf, &f.acting_for) {
        Ok(a) => a,
        Err(e) => return refused(&e),
    };
    let year = match f.year.trim() {
        "" => Ok(None),
        y => y.parse::<i32>().map(Some).map_err(|_| AppError::field("year", "record.year")),
    };
    let reported = match year {
        Ok(year) => account::report_mistake(&app, &citizen, acting_for, year, &f.text).await,
        Err(e) => Err(e),
    };
    let (status, notice, error) = match reported {
        Ok(_) => (StatusCode::OK, Some(dossier_domain::i18n::text("ui.account.mistake_sent", lang).to_owned()), None),
        Err(e) if e.kind == dossier_app::ErrorKind::Invalid => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(e.fields.iter().map(|f| f.message.render(lang)).collect::<Vec<_>>().join(" ")),
        ),
        Err(e) => return refused(&e),
    };
    match account::view(&app, &citizen, acting_for).await {
        Ok(view) => {
            let mut page = account_page(&citizen, lang, &view, acting_for);
            page.notice = notice;
            page.mistake_error = error;
            no_store(html(status, &page))
        }
        Err(e) => refused(&e),
    }
}

/// A citizen's form post: its CSRF token must be the session's, and its `for`
/// blank (the citizen) or a person's id (which the use case then checks).
pub(super) fn checked_form(citizen: &Citizen, csrf: &str, acting_for: &str) -> Result<Option<uuid::Uuid>, AppError> {
    if !constant_time_eq(csrf, citizen.csrf()) {
        return Err(AppError::new(dossier_app::ErrorKind::Forbidden, "csrf", "common.csrf"));
    }
    match acting_for.trim() {
        "" => Ok(None),
        id => id.parse::<uuid::Uuid>().map(Some).map_err(|_| AppError::not_found()),
    }
}

/// A refusal on the account's pages (never the staff's login page).
pub(super) fn refused(e: &AppError) -> Response {
    super::view::PageError::new(status_of(e.kind), e.message.clone()).into_response()
}

fn account_page(citizen: &Citizen, lang: Lang, v: &AccountView, acting_for: Option<uuid::Uuid>) -> AccountPage {
    let shown_id = v.shown.as_ref().map(|p| p.id);
    let tab = |p: &PersonRecord, own: bool| PersonTab {
        href: if own { "/account".into() } else { format!("/account?for={}", p.id) },
        name: p.data.name.display(),
        current: Some(p.id) == shown_id,
    };
    let mut tabs: Vec<PersonTab> = v.own.iter().map(|p| tab(p, true)).collect();
    tabs.extend(v.represented.iter().map(|p| tab(p, false)));
    if tabs.len() < 2 {
        tabs.clear();
    }
    let certificates = v.certificates.iter().map(|c| certificate_row(c, lang)).collect();
    AccountPage {
        t: Ctx::anonymous(lang, "/account"),
        name: citizen.name().to_owned(),
        csrf: citizen.csrf().to_owned(),
        tabs,
        acting_for_other: v.shown.as_ref().is_some_and(|p| v.own.as_ref().is_none_or(|o| o.id != p.id)),
        shown: v.shown.as_ref().map(|p| ShownPerson {
            name: p.data.name.display(),
            birth_date: date(p.data.birth_date),
            tax_id: p.data.tax_id.number().to_owned(),
        }),
        certificates,
        e_applications: v.e_applications.iter().map(|r| citizen_row(r, lang)).collect(),
        pension: v.pension.as_ref().map(|p| pension_lines(p, lang)).unwrap_or_default(),
        record: v.record.as_ref().map(|r| record_block(r, &v.corrections, lang)),
        acting_for: acting_for.map(|id| id.to_string()).unwrap_or_default(),
        notice: None,
        mistake_error: None,
    }
}

/// Years of the record shown before the rest fold away.
const RECENT_YEARS: usize = 5;

fn record_block(r: &RecordView, corrections: &[Correction], lang: Lang) -> RecordBlock {
    let money = |k: i64| format!("{} ₴", money_text(k));
    let mut block = RecordBlock {
        length: Message::new("record.length")
            .with("years", i64::from(r.length.years))
            .with("months", i64::from(r.length.months))
            .with("days", i64::from(r.length.days))
            .render(lang),
        periods: r
            .record
            .periods
            .iter()
            .map(|p| PeriodRow {
                employer: p.employer_name.clone(),
                kind: p.kind.message().render(lang),
                from: date(p.from),
                to: p
                    .to
                    .map(date)
                    .unwrap_or_else(|| dossier_domain::i18n::text("ui.account.until_now", lang).to_owned()),
                reported: date(p.reported_at.date_naive()),
            })
            .collect(),
        years: r
            .record
            .years
            .iter()
            .rev()
            .map(|y| YearRow {
                year: y.year,
                months: y.months,
                wage: money(y.wage),
                contribution: money(y.contribution),
                employers: y.employers.join(", "),
                points: r
                    .points
                    .as_ref()
                    .and_then(|p| p.by_year.iter().find(|x| x.year == y.year))
                    .map(|x| x.points.clone()),
            })
            .collect(),
        corrections: corrections
            .iter()
            .map(|c| CorrectionRow {
                text: c.text.clone(),
                year: c.year,
                filed: date(c.created_at.date_naive()),
                answer: c.answer.clone(),
            })
            .collect(),
        earlier_years: Vec::new(),
        points_total: r.points.as_ref().map(|p| p.total.clone()),
    };
    if block.years.len() > RECENT_YEARS {
        block.earlier_years = block.years.split_off(RECENT_YEARS);
    }
    block
}

fn certificate_row(c: &CertificateRecord, lang: Lang) -> CertificateRow {
    CertificateRow {
        number: c.number.clone(),
        stage: c.stage.message().render(lang),
        certificate_no: c.certificate_no.clone(),
        filed: date(c.created_at.date_naive()),
        valid_until: c.valid_until.map(date),
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    pub csrf: String,
}

/// `POST /account/logout`.
pub async fn logout(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, _): SignedCitizen,
    Form(f): Form<LogoutForm>,
) -> Response {
    if let Err(e) = checked_form(&citizen, &f.csrf, "") {
        return refused(&e);
    }
    if let Err(e) = account::sign_out(&app, &citizen).await {
        return refused(&e);
    }
    let mut resp = Redirect::to("/account").into_response();
    set_cookie(&mut resp, SESSION, "", 0);
    resp
}

/// An e-application as its applicant sees it (the account's list and the application's page).
pub struct CitizenRow {
    pub id: uuid::Uuid,
    pub kind: String,
    pub status: String,
    pub filed: String,
    pub due: Option<String>,
    pub decided: Option<String>,
    pub has_decision: bool,
    pub signing: bool,
}

/// A time as citizens read it: on Kyiv's clock.
fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    dossier_domain::time::kyiv_time(t).format("%d.%m.%Y %H:%M").to_string()
}

pub fn citizen_row(r: &EApplicationRecord, lang: Lang) -> CitizenRow {
    CitizenRow {
        id: r.id,
        kind: r.kind.message().render(lang),
        status: r.status.message().render(lang),
        filed: local_time(r.created_at),
        due: r.due_on.filter(|_| r.status == EStatus::Submitted).map(date),
        decided: r.decided_at.map(local_time),
        has_decision: r.decision_sha256.is_some(),
        signing: r.status == EStatus::Signing,
    }
}
