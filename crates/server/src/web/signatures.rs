//! "Check a signed PDF": upload a file, read a report a non-expert
//! understands — valid or not, who signed, when, and why not.
use std::sync::Arc;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use base64::Engine as _;
use dossier_app::App;
use dossier_app::signatures::{
    change_text, check_pdf, check_text, indication_text, may_check, overall_text, pdf_signature_title, reason_text,
    status_text,
};
use dossier_crypto::validation::{CheckStatus, Indication};
use dossier_domain::Message;
use dossier_domain::i18n::text;

use super::view::{Ctx, PageError, PageResult, Staff, check_csrf, ok};

pub struct CheckRow {
    pub name: String,
    pub status: String,
    pub class: &'static str,
    pub detail: String,
}

pub struct SignatureCard {
    pub title: String,
    pub verdict: String,
    pub class: &'static str,
    pub reason: Option<String>,
    pub signer: String,
    pub issuer: String,
    pub claimed_time: Option<String>,
    pub proven_time: Option<String>,
    pub later: Option<String>,
    /// Each change after the signature in words, and whether it is permitted.
    pub changes: Vec<(String, &'static str)>,
    /// The signed revision as a `data:` URL to download, when later revisions follow it.
    pub signed_revision: Option<String>,
    pub signed_revision_label: String,
    pub download_name: String,
    pub code: String,
    pub checks: Vec<CheckRow>,
}

pub struct ReportView {
    pub file_name: String,
    pub verdict: String,
    pub class: &'static str,
    pub sha256: String,
    pub cards: Vec<SignatureCard>,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    t: Ctx,
    report: Option<ReportView>,
}

fn class_of(i: Indication) -> &'static str {
    match i {
        Indication::TotalPassed => "valid",
        Indication::TotalFailed => "invalid",
        Indication::Indeterminate => "unknown",
    }
}

pub async fn page(staff: Staff) -> PageResult {
    may_check(&staff.caller)?;
    ok(&VerifyPage { t: staff.ctx("/signatures/verify"), report: None })
}

/// Files up to this size are checked on the page.
const MAX_PDF: usize = 20 << 20;

pub async fn check(State(app): State<Arc<App>>, staff: Staff, mut multipart: Multipart) -> PageResult {
    let (caller, lang) = (&staff.caller, staff.lang);
    // Refused before the upload is read.
    may_check(caller)?;
    let mut csrf = String::new();
    let mut file = None;
    let mut file_name = String::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            file_name = field.file_name().unwrap_or("document.pdf").chars().take(120).collect();
        }
        let data =
            field.bytes().await.map_err(|_| PageError::new(StatusCode::PAYLOAD_TOO_LARGE, "verify.error.too_large"))?;
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
            "file" => file = Some(data),
            _ => {}
        }
    }
    check_csrf(caller, &csrf)?;
    let data = file
        .filter(|d| !d.is_empty())
        .ok_or_else(|| PageError::new(StatusCode::BAD_REQUEST, "verify.error.not_pdf"))?;
    if data.len() > MAX_PDF {
        return Err(PageError::new(StatusCode::PAYLOAD_TOO_LARGE, "verify.error.too_large"));
    }
    let report = check_pdf(&app, caller, data.to_vec()).await?;
    let cards = report
        .signatures
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let r = &s.report;
            SignatureCard {
                title: pdf_signature_title(i, s, lang),
                verdict: indication_text(r.indication, lang),
                class: class_of(r.indication),
                reason: reason_text(r, lang),
                signer: r
                    .signer
                    .as_ref()
                    .map(|c| c.common_name.clone().unwrap_or_else(|| c.subject.clone()))
                    .unwrap_or_default(),
                issuer: r.signer.as_ref().map(|c| c.issuer.clone()).unwrap_or_default(),
                claimed_time: r.claimed_signing_time.clone(),
                proven_time: r.proven_signing_time.clone(),
                later: (s.later_revisions > 0)
                    .then(|| Message::new("verify.later_revisions").with("n", s.later_revisions).render(lang)),
                changes: s
                    .modifications
                    .changes
                    .iter()
                    .map(|c| (change_text(c, lang), if c.allowed { "valid" } else { "invalid" }))
                    .collect(),
                signed_revision: s.signed_revision(&data).map(|bytes| {
                    format!("data:application/pdf;base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes))
                }),
                signed_revision_label: Message::new("verify.signed_revision").with("n", i + 1).render(lang),
                download_name: format!("signed-revision-{}.pdf", i + 1),
                code: format!(
                    "{}{}",
                    r.indication.as_str(),
                    r.sub_indication.map(|x| format!(" / {}", x.as_str())).unwrap_or_default()
                ),
                checks: r
                    .checks
                    .iter()
                    .map(|c| CheckRow {
                        name: check_text(c.code, lang),
                        status: status_text(c.status, lang).to_owned(),
                        class: match c.status {
                            CheckStatus::Passed => "valid",
                            CheckStatus::Failed => "invalid",
                            _ => "unknown",
                        },
                        detail: c.detail.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let view = ReportView {
        file_name,
        verdict: if report.signatures.is_empty() {
            text("verify.no_signatures", lang).to_owned()
        } else {
            overall_text(report.indication, lang)
        },
        class: class_of(report.indication),
        sha256: report.file_sha256.clone(),
        cards,
    };
    ok(&VerifyPage { t: staff.ctx("/signatures/verify"), report: Some(view) })
}
