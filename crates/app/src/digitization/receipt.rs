//! The receipt the counter hands the person (SPEC §2.5): the dossier, its
//! papers with their digitization-result codes, and a QR code carrying the
//! dossier code, procedure, applicant, papers, issuing system and time — in
//! the office's language, signed with the fund's document seal when one is
//! configured, like the fund's other printed documents.
use chrono::Utc;
use dossier_domain::digitization::ReceiptCode;
use dossier_domain::i18n::text;
use dossier_domain::org::Permission;
use dossier_pdf::{DossierReceipt, Field};
use uuid::Uuid;

use super::{dossier_in_scope, result::seal_time, settings};
use crate::documents::{render_signed, signer_name};
use crate::error::{AppError, AppResult};
use crate::qr;
use crate::{App, Caller};

/// The PAdES signature's reason on a signed receipt.
const REASON: &str = "Receipt of a digitization dossier";

/// The dossier's receipt as a PDF/A and its file name, if the caller's scope
/// holds the dossier's office. Audited: it names the applicant.
pub async fn receipt_pdf(app: &App, caller: &Caller, dossier_id: Uuid) -> AppResult<(Vec<u8>, String)> {
    let s = settings(app)?;
    let d = dossier_in_scope(app, caller, dossier_id, Permission::Digitize).await?;
    let documents = app.store.dossier_documents(dossier_id).await?;
    let lang = s.language;
    let t = |key: &str| text(key, lang).to_owned();
    let office = app.unit(d.unit_id).map(|u| u.name(lang).to_owned()).unwrap_or_default();
    let issued = s.clock.local(Utc::now());
    let names: Vec<String> = documents.iter().map(|x| t(x.kind.label_key())).collect();
    let system = format!("Dossier — {office}");
    let code = ReceiptCode {
        dossier: &d.code,
        procedure: &d.procedure,
        applicant: d.applicant.as_ref(),
        documents: &names,
        system: &system,
        issued,
    };
    let code = qr::matrix(&code.text()).ok_or_else(AppError::internal)?;
    let received = seal_time(lang, s.clock.local(d.created_at));
    let mut fields = vec![
        Field::new(t("digitization.receipt.code"), d.code.to_string()),
        Field::new(t("digitization.receipt.procedure"), d.procedure.clone()),
    ];
    if let Some(a) = &d.applicant {
        fields.push(Field::new(t("digitization.receipt.applicant"), a.as_str()));
    }
    fields.push(Field::new(t("digitization.receipt.received"), received));
    let rows = documents
        .iter()
        .zip(&names)
        .map(|(x, name)| vec![x.ordinal.to_string(), x.result_code.clone(), name.clone(), x.pages.to_string()])
        .collect();
    let receipt = DossierReceipt {
        language: lang.code().to_owned(),
        office,
        title: t("digitization.receipt.title"),
        fields,
        documents_heading: t("digitization.receipt.documents"),
        columns: ["col_no", "col_code", "col_paper", "col_pages"]
            .iter()
            .map(|c| t(&format!("digitization.receipt.{c}")))
            .collect(),
        column_shares: dossier_pdf::PAPER_COLUMN_SHARES.to_vec(),
        documents: rows,
        mark_heading: t("digitization.receipt.mark"),
        mark: vec![
            Field::new(t("digitization.receipt.officer"), signer_name(app, &d.created_by).await),
            Field::new(t("digitization.receipt.signature"), "____________________"),
            Field::new(t("digitization.receipt.qr"), t("digitization.receipt.scan")),
        ],
        code,
    };
    let pdf = render_signed(app, REASON, move |_| dossier_pdf::render_receipt(&receipt, issued)).await?;
    let subject = format!("digitization_dossier:{dossier_id}");
    app.store.audit(&caller.actor(), "digitization.receipt.print", &subject, serde_json::json!({})).await?;
    Ok((pdf, format!("{}.pdf", d.code)))
}
