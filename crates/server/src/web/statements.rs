//! Statements: the citizen takes one from the account at once (a signed PDF)
//! — of the pension paid, of the insurance record, of the individual account;
//! anyone holding the paper checks it at `/verify` by its code or its QR —
//! the facts and the signed original. The code travels in the URL here on
//! purpose: it is printed on the paper to be shared, and look-ups are limited.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use dossier_app::{App, AppError, statements};
use dossier_domain::Lang;
use dossier_http::ReqLang;
use serde::Deserialize;

use super::account::{SignedCitizen, checked_form, refused};
use super::status::no_store;
use super::view::{Ctx, date, html};
use crate::api::ClientAddr;
use crate::error::status_of;

fn pdf(bytes: Vec<u8>, file_name: &str) -> Response {
    let mut resp = (StatusCode::OK, [(header::CONTENT_TYPE, "application/pdf")], bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    no_store(resp)
}

#[derive(Deserialize)]
pub struct StatementForm {
    pub csrf: String,
    #[serde(rename = "for", default)]
    pub acting_for: String,
    /// `pension`, `insurance_record` or `individual_account` (blank: the last).
    #[serde(default)]
    pub kind: String,
}

/// `POST /account/statement` — a statement, at once.
pub async fn issue(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, lang): SignedCitizen,
    Form(f): Form<StatementForm>,
) -> Response {
    let acting_for = match checked_form(&citizen, &f.csrf, &f.acting_for) {
        Ok(a) => a,
        Err(e) => return refused(&e),
    };
    let kind = match statements::Kind::parse(&f.kind) {
        Ok(k) => k,
        Err(e) => return refused(&AppError::from(e)),
    };
    match statements::issue(&app, &citizen, acting_for, kind, lang).await {
        Ok(issued) => pdf(issued.pdf, &issued.file_name),
        Err(e) => refused(&e),
    }
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    pub code: String,
}

pub struct Checked {
    pub kind: String,
    pub holder: String,
    pub issued: String,
    pub code: String,
}

#[derive(Template)]
#[template(path = "statement_check.html")]
struct CheckPage {
    t: Ctx,
    code: String,
    error: Option<String>,
    checked: Option<Checked>,
}

/// `GET /verify[?code=…]` — the form, or what the code names.
pub async fn page(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Query(q): Query<CodeQuery>,
) -> Response {
    let t = Ctx::anonymous(lang, "/verify");
    if q.code.trim().is_empty() {
        return no_store(html(StatusCode::OK, &CheckPage { t, code: String::new(), error: None, checked: None }));
    }
    match statements::verify(&app, &client, &q.code, Utc::now()).await {
        Ok(v) => {
            let checked = Checked {
                kind: dossier_domain::i18n::text(&format!("ui.statements.kind_{}", v.kind), lang).to_owned(),
                holder: v.holder,
                issued: date(dossier_domain::time::kyiv_time(v.issued_at).date_naive()),
                code: q.code.trim().to_owned(),
            };
            no_store(html(StatusCode::OK, &CheckPage { t, code: String::new(), error: None, checked: Some(checked) }))
        }
        Err(e) => {
            let page = CheckPage { t, code: q.code.trim().to_owned(), error: Some(message(&e, lang)), checked: None };
            no_store(html(status_of(e.kind), &page))
        }
    }
}

fn message(e: &AppError, lang: Lang) -> String {
    e.fields.first().map_or_else(|| e.message.render(lang), |f| f.message.render(lang))
}

/// `GET /verify/document?code=…` — the signed original.
pub async fn document(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    Query(q): Query<CodeQuery>,
) -> Response {
    match statements::verify(&app, &client, &q.code, Utc::now()).await {
        Ok(v) => pdf(v.pdf, "statement.pdf"),
        Err(e) => refused(&e),
    }
}
