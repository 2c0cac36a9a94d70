//! Checking signed documents people bring (ETSI EN 319 102-1), and the
//! report in words for people: the verdict first, then who signed and when,
//! then what was checked — every text from the catalogue. Used by the API,
//! the staff page and `dossier verify`.
use dossier_crypto::pades::changes::{Change, ChangeKind};
use dossier_crypto::pades::validate::{PdfReport, PdfSignature, verify_pdf};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::validation::{CheckStatus, Indication, SignatureReport};
use dossier_domain::i18n::{Lang, Message, text};
use dossier_domain::org::Permission;

use crate::error::{AppError, AppResult};
use crate::{App, Caller, trust};

/// Whether the caller may check signatures (the page before a file is chosen).
pub fn may_check(caller: &Caller) -> AppResult<()> {
    caller.require(Permission::ReadOrg)
}

/// Validates every signature of a PDF against the fund's trust anchors and
/// today's revocations.
pub async fn check_pdf(app: &App, caller: &Caller, pdf: Vec<u8>) -> AppResult<PdfReport> {
    caller.require(Permission::ReadOrg)?;
    let ctx = trust::current(app).await;
    // Validation is CPU work (hashing megabytes, ECDSA): it runs off the async
    // workers; status it lacks is fetched (OCSP, else CRL) and it runs again.
    let pdf = std::sync::Arc::new(pdf);
    let validate = move |ctx: &dossier_crypto::validation::TrustContext| verify_pdf(&SoftwareProvider, &pdf, ctx);
    let wanted = |r: &Result<PdfReport, _>| r.as_ref().map(PdfReport::revocation_wanted).unwrap_or_default();
    crate::revocation::validate_online(&app.revocation, ctx, validate, wanted)
        .await
        .map_err(|_| AppError::internal())?
        .map_err(|_| AppError::bad_request("verify.error.not_pdf"))
}

pub fn indication_text(i: Indication, lang: Lang) -> String {
    text(&format!("verify.indication.{}", i.as_str()), lang).to_owned()
}

pub fn overall_text(i: Indication, lang: Lang) -> String {
    text(&format!("verify.overall.{}", i.as_str()), lang).to_owned()
}

/// Why a signature is not valid, in words; `None` when it is.
pub fn reason_text(r: &SignatureReport, lang: Lang) -> Option<String> {
    r.sub_indication.map(|s| text(&format!("verify.sub.{}", s.as_str()), lang).to_owned())
}

pub fn check_text(code: &str, lang: Lang) -> String {
    text(&format!("verify.check.{code}"), lang).to_owned()
}

pub fn status_text(s: CheckStatus, lang: Lang) -> &'static str {
    let key = match s {
        CheckStatus::Passed => "verify.status.passed",
        CheckStatus::Failed => "verify.status.failed",
        CheckStatus::Warning => "verify.status.warning",
        CheckStatus::Skipped => "verify.status.skipped",
    };
    text(key, lang)
}

/// One signature as plain text (the CLI's output).
pub fn signature_text(title: &str, r: &SignatureReport, lang: Lang, out: &mut String) {
    use std::fmt::Write;
    let _ = writeln!(
        out,
        "{title}: {} [{}{}]",
        indication_text(r.indication, lang),
        r.indication.as_str(),
        r.sub_indication.map(|s| format!(" / {}", s.as_str())).unwrap_or_default()
    );
    if let Some(why) = reason_text(r, lang) {
        let _ = writeln!(out, "  {why}");
    }
    if let Some(s) = &r.signer {
        let _ = writeln!(out, "  {}: {}", text("verify.signer", lang), s.common_name.as_deref().unwrap_or(&s.subject));
        let _ = writeln!(out, "  {}: {}", text("verify.issuer", lang), s.issuer);
    }
    if let Some(t) = &r.claimed_signing_time {
        let _ = writeln!(out, "  {}: {t}", text("verify.claimed_time", lang));
    }
    if let Some(t) = &r.proven_signing_time {
        let _ = writeln!(out, "  {}: {t}", text("verify.proven_time", lang));
    }
    for c in &r.checks {
        let detail = if c.detail.is_empty() { String::new() } else { format!(" — {}", c.detail) };
        let _ = writeln!(out, "    {:<44} {}{detail}", check_text(c.code, lang), status_text(c.status, lang));
    }
}

/// One change found after a signature, in words, saying when it is not permitted.
pub fn change_text(c: &Change, lang: Lang) -> String {
    let words = Message::new(change_key(c.kind)).with("detail", c.detail.as_str()).render(lang);
    if c.allowed { words } else { format!("{words} — {}", text("verify.change.not_allowed", lang)) }
}

/// The catalogue key that words a change.
fn change_key(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::SignatureAdded => "verify.change.signature_added",
        ChangeKind::DocumentTimestampAdded => "verify.change.document_timestamp_added",
        ChangeKind::ValidationDataAdded => "verify.change.validation_data_added",
        ChangeKind::MetadataUpdated => "verify.change.metadata_updated",
        ChangeKind::FieldFilled => "verify.change.field_filled",
        ChangeKind::AnnotationAdded => "verify.change.annotation_added",
        ChangeKind::AnnotationChanged => "verify.change.annotation_changed",
        ChangeKind::AnnotationRemoved => "verify.change.annotation_removed",
        ChangeKind::PageContentChanged => "verify.change.page_content_changed",
        ChangeKind::PageChanged => "verify.change.page_changed",
        ChangeKind::PageTreeChanged => "verify.change.page_tree_changed",
        ChangeKind::ResourceChanged => "verify.change.resource_changed",
        ChangeKind::CatalogChanged => "verify.change.catalog_changed",
        ChangeKind::ActionAdded => "verify.change.action_added",
        ChangeKind::FieldAdded => "verify.change.field_added",
        ChangeKind::FieldChanged => "verify.change.field_changed",
        ChangeKind::LockedFieldChanged => "verify.change.locked_field_changed",
        ChangeKind::SignatureChanged => "verify.change.signature_changed",
        ChangeKind::ObjectRemoved => "verify.change.object_removed",
        ChangeKind::BytesAfterEnd => "verify.change.bytes_after_end",
        ChangeKind::Unreadable => "verify.change.unreadable",
    }
}

pub fn pdf_signature_title(i: usize, s: &PdfSignature, lang: Lang) -> String {
    let key = if s.kind == "document_timestamp" { "verify.doc_timestamp_n" } else { "verify.signature_n" };
    format!("{} «{}» ({})", Message::new(key).with("n", i + 1).render(lang), s.field_name, s.level)
}

/// A PDF report as plain text.
pub fn pdf_report_text(r: &PdfReport, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&format!("{} [{}]\n", overall_text(r.indication, lang), r.indication.as_str()));
    if r.signatures.is_empty() {
        out.push_str(text("verify.no_signatures", lang));
        out.push('\n');
    }
    for (i, s) in r.signatures.iter().enumerate() {
        signature_text(&pdf_signature_title(i, s, lang), &s.report, lang, &mut out);
        if s.later_revisions > 0 {
            out.push_str(&format!(
                "  {}\n",
                Message::new("verify.later_revisions").with("n", s.later_revisions).render(lang)
            ));
        }
        for c in &s.modifications.changes {
            out.push_str(&format!("    - {}\n", change_text(c, lang)));
        }
    }
    out
}

/// The exit code of `dossier verify`: 0 valid, 1 not valid, 2 could not be confirmed.
pub fn exit_code(i: Indication) -> u8 {
    match i {
        Indication::TotalPassed => 0,
        Indication::TotalFailed => 1,
        Indication::Indeterminate => 2,
    }
}
