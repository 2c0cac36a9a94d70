//! Shared pieces of every page: the translator and header context, the
//! authenticated-page extractor, the error page, CSRF checks, formatting.
use std::sync::Arc;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use dossier_app::{App, AppError, Caller, ErrorKind};
use dossier_crypto::secrets::constant_time_eq;
use dossier_domain::i18n::text;
use dossier_domain::org::Permission;
use dossier_domain::record::money_text;
use dossier_domain::{Lang, Message};
use dossier_http::{Localize, ReqLang};
use dossier_store::{PensionInPayment, Unit};

use crate::auth::Auth;
use crate::error::status_of;

/// Bumped with the crate version so long-cached assets are refreshed on upgrade.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The signed-in person as the header shows them.
pub struct UserInfo {
    pub name: String,
    pub role: String,
    pub unit: String,
    pub can_search: bool,
    pub can_list_applications: bool,
    /// May request shared documents at the counter.
    pub can_share: bool,
    /// Sees the production dashboard, acts and the journal.
    pub can_production: bool,
    /// Works on a card queue (a partner, or the fund's production staff).
    pub can_cards: bool,
    /// Runs the notifications (the outbox).
    pub can_notifications: bool,
    pub can_manage_offices: bool,
    /// Digitizes paper.
    pub can_digitize: bool,
    /// The electronic queue of the caller's own office, when it receives citizens.
    pub queue: Option<String>,
}

/// A link of the language switcher, named in its own language.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
}

/// Passed to every template as `t`: translations plus the header's data.
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<UserInfo>,
    pub csrf: String,
    /// Links that switch to each other language and come back here.
    pub languages: Vec<LangLink>,
    pub asset_v: &'static str,
}

impl Ctx {
    /// For pages without a signed-in user (login, errors).
    pub fn anonymous(lang: Lang, here: &str) -> Ctx {
        let back = pct(safe_back(Some(here)));
        let languages = Lang::ALL
            .iter()
            .filter(|other| **other != lang)
            .map(|other| LangLink {
                code: other.code(),
                name: other.name(),
                href: format!("/lang/{}?back={back}", other.code()),
            })
            .collect();
        Ctx { lang, user: None, csrf: String::new(), languages, asset_v: ASSET_VERSION }
    }

    pub fn new(caller: &Caller, lang: Lang, here: &str) -> Ctx {
        let mut ctx = Ctx::anonymous(lang, here);
        ctx.csrf = caller.csrf().to_owned();
        ctx.user = Some(UserInfo {
            name: caller.account.full_name.clone(),
            role: caller.role().message().render(lang),
            unit: unit_name(&caller.unit, lang).to_owned(),
            can_search: caller.may(Permission::ReadPerson),
            can_list_applications: caller.may(Permission::ReadApplication),
            can_share: caller.may(Permission::WritePerson),
            can_production: caller.may(Permission::ReadProduction),
            can_cards: caller.may(Permission::ExchangeCards) || caller.may(Permission::ReadProduction),
            can_notifications: caller.may(Permission::ManageNotifications),
            can_manage_offices: caller.may(Permission::ManageOrg),
            can_digitize: caller.may(Permission::Digitize),
            queue: (caller.may(Permission::WritePerson) && dossier_app::org::receives_citizens(&caller.unit))
                .then(|| format!("/offices/{}/queue", caller.unit.id)),
        });
        ctx
    }

    /// The catalogue text of a key in the page's language.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        text(key, self.lang)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
}

pub fn unit_name(u: &Unit, lang: Lang) -> &str {
    u.name(lang)
}

/// `dd.mm.yyyy`, as Ukrainian documents write dates.
pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `dd.mm.yyyy HH:MM UTC` (the server keeps UTC; no time-zone data is bundled).
pub fn datetime(t: DateTime<Utc>) -> String {
    t.format("%d.%m.%Y %H:%M UTC").to_string()
}

/// A catalogue text for a dynamic key, falling back to the raw code.
pub fn label_or_code(key: &str, code: &str, lang: Lang) -> String {
    if dossier_domain::i18n::has(key) { text(key, lang).to_owned() } else { code.to_owned() }
}

/// Percent-encodes a value for a query string (keeps `/` readable).
pub fn pct(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to return to: must start with one `/` (not `//`, which is
/// another host), no backslashes, printable ASCII only; otherwise `/`.
pub fn safe_back(back: Option<&str>) -> &str {
    match back {
        Some(b)
            if b.starts_with('/')
                && !b.starts_with("//")
                && !b.contains('\\')
                && b.bytes().all(|c| c.is_ascii_graphic()) =>
        {
            b
        }
        _ => "/",
    }
}

/// Trimmed text, `None` when empty (form fields are always sent, often empty).
pub fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() { None } else { Some(s.to_owned()) }
}

/// The path and query of the request (used as the "come back here" target).
pub fn here_of(parts: &Parts) -> String {
    parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into())
}

/// A page's failure: a redirect to the login page or a friendly error page,
/// told in the request's language by the language layer.
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    pub message: Message,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<Message>) -> Self {
        PageError { status, message: message.into() }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "common.not_found")
    }
    fn render(&self, lang: Lang) -> Response {
        let page = ErrorPage {
            t: Ctx::anonymous(lang, "/"),
            status: self.status.as_u16(),
            message: self.message.render(lang),
        };
        html(self.status, &page)
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError { status: status_of(e.kind), message: e.message }
    }
}

impl From<crate::error::ApiError> for PageError {
    fn from(e: crate::error::ApiError) -> Self {
        e.0.into()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Ctx,
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::UNAUTHORIZED {
            return Redirect::to("/login").into_response();
        }
        let resp = self.render(Lang::default());
        Localize::attach(resp, move |lang| self.render(lang))
    }
}

pub type PageResult = Result<Response, PageError>;

/// Renders a template as an HTML response (`dossier_http::headers` keeps
/// every page out of caches: pages hold personal data).
pub fn html<T: Template>(status: StatusCode, tpl: &T) -> Response {
    match tpl.render() {
        Ok(body) => (status, axum::response::Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

pub fn ok<T: Template>(tpl: &T) -> PageResult {
    Ok(html(StatusCode::OK, tpl))
}

/// 303 to a local path built by the server (ids, fixed paths).
pub fn see_other(path: &str) -> Response {
    Redirect::to(safe_back(Some(path))).into_response()
}

/// An authenticated staff member on a page, in the request's language: an
/// unauthenticated request is sent to the login page, a refusal becomes the
/// error page.
pub struct Staff {
    pub caller: Caller,
    pub lang: Lang,
    /// Path and query of the request.
    pub here: String,
}

impl Staff {
    /// The header and translations of a page at `here`.
    pub fn ctx(&self, here: &str) -> Ctx {
        Ctx::new(&self.caller, self.lang, here)
    }
}

impl FromRequestParts<Arc<App>> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let here = here_of(parts);
        let Ok(ReqLang(lang)) = ReqLang::from_request_parts(parts, app).await;
        match Auth::from_request_parts(parts, app).await {
            Ok(Auth(caller)) => Ok(Staff { caller, lang, here }),
            Err(e) => Err(PageError::from(e).into_response()),
        }
    }
}

/// Whether a refusal is told on the form it came from — the input or the state
/// of things — rather than as the error page (permission, configuration, our fault).
pub fn on_the_form(e: &AppError) -> bool {
    matches!(e.kind, ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::RateLimited | ErrorKind::Upstream)
}

/// Every form post carries the session's CSRF token in the `csrf` field.
pub fn check_csrf(caller: &Caller, sent: &str) -> Result<(), PageError> {
    if constant_time_eq(sent, caller.csrf()) {
        Ok(())
    } else {
        Err(PageError::new(StatusCode::FORBIDDEN, "common.csrf"))
    }
}

/// A path id that must be a UUID; anything else is "not found".
pub fn parse_uuid(s: &str) -> Result<uuid::Uuid, PageError> {
    uuid::Uuid::parse_str(s).map_err(|_| PageError::not_found())
}

/// Lenient number from a query string (`offset`, `limit`): bad input → default.
pub fn num(s: &str, default: i64) -> i64 {
    s.trim().parse().unwrap_or(default)
}

/// Pagination links of a list.
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub from: i64,
    pub to: i64,
}

impl Pager {
    /// `base` is the list URL with its query, ending in `&` or `?`.
    pub fn new(base: &str, offset: i64, limit: i64, shown: usize) -> Pager {
        let shown = shown as i64;
        Pager {
            prev: (offset > 0).then(|| format!("{base}offset={}&limit={limit}", (offset - limit).max(0))),
            next: (shown >= limit).then(|| format!("{base}offset={}&limit={limit}", offset + limit)),
            from: if shown == 0 { 0 } else { offset + 1 },
            to: offset + shown,
        }
    }
    pub fn any(&self) -> bool {
        self.prev.is_some() || self.next.is_some()
    }
}

/// A pension in payment as label–value lines, for staff's and citizens' pages;
/// one paid before Dossier says so.
pub fn pension_lines(paid: &PensionInPayment, lang: Lang) -> Vec<(String, String)> {
    let t = |key: &str| text(key, lang).to_owned();
    let p = &paid.pension;
    let mut lines = vec![
        (t("payment.kind"), p.kind.message().render(lang)),
        (t("payment.amount"), format!("{} ₴", money_text(p.amount))),
        (t("payment.since"), date(p.since)),
        (t("payment.delivery"), p.delivery.message().render(lang)),
        (t("payment.delivery_since"), date(p.delivery_since)),
    ];
    if paid.e_application_id.is_none() {
        lines.push((t("payment.source"), t("payment.imported")));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_must_be_a_local_path() {
        assert_eq!(safe_back(Some("/persons/1?x=2")), "/persons/1?x=2");
        assert_eq!(safe_back(Some("//evil.example/")), "/");
        assert_eq!(safe_back(Some("https://evil.example/")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(Some("/a b")), "/");
        assert_eq!(safe_back(Some("/a\r\nSet-Cookie:x")), "/");
        assert_eq!(safe_back(Some("")), "/");
        assert_eq!(safe_back(None), "/");
    }

    #[test]
    fn percent_encoding_keeps_paths_readable() {
        assert_eq!(pct("/?by=rnokpp&q=12 3"), "/%3Fby%3Drnokpp%26q%3D12%203");
        assert_eq!(pct("Шевчук"), "%D0%A8%D0%B5%D0%B2%D1%87%D1%83%D0%BA");
    }

    #[test]
    fn empty_strings_become_none() {
        assert_eq!(opt("  "), None);
        assert_eq!(opt(" 12 "), Some("12".into()));
    }

    #[test]
    fn pager_links() {
        let p = Pager::new("/?q=x&", 0, 10, 10);
        assert!(p.prev.is_none());
        assert_eq!(p.next.as_deref(), Some("/?q=x&offset=10&limit=10"));
        let p = Pager::new("/?", 20, 10, 3);
        assert_eq!(p.prev.as_deref(), Some("/?offset=10&limit=10"));
        assert!(p.next.is_none());
        assert_eq!((p.from, p.to), (21, 23));
    }

    #[test]
    fn dates_are_ukrainian_style() {
        let d = NaiveDate::from_ymd_opt(1948, 2, 8).unwrap();
        assert_eq!(date(d), "08.02.1948");
    }
}
