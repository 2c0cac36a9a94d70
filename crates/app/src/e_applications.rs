//! E-applications (issue 21 §4): a citizen files from the personal account
//! — for themself or for a person they legally represent — and signs in the
//! wallet with their qualified key, as they sign a sharing consent. The fund
//! asks the hub for the signature over the exact statement text, sends the
//! citizen there, and on their return checks the signature itself: valid
//! under the fund's trust anchors, over these very bytes, by the certificate
//! of the citizen who is signed in. Staff of the person's office then decide
//! in the inbox within the kind's term of working days; the decision is a
//! PDF signed by the fund, kept, shown in the account and announced through
//! the outbox, and the case is followed by the status link like any other.
use chrono::{DateTime, Utc};
use dossier_crypto::signed::{self, VerifyInput};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::validation::Indication;
use dossier_domain::e_application::{
    AttachmentLine, Decision, DecisionForm, EApplicationInput, Kind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, Request,
    StatementFacts, Status,
};
use dossier_domain::i18n::text;
use dossier_domain::org::{Permission, UnitKind};
use dossier_domain::payment::{Pension, PensionChange};
use dossier_domain::record::money_text;
use dossier_domain::time::kyiv_time;
use dossier_domain::{Invalid, Lang, Message};
use dossier_pdf::{DossierReceipt, Field};
use dossier_sharing::wire::{SignatureRequest, SignatureStatus};
use dossier_sharing::{HubError, Refusal};
use dossier_store::{
    DocumentMeta, EApplicationFile, EApplicationRecord, NewDecision, NewEApplication, PensionInPayment, PersonRecord,
    SigningOutcome, Unit,
};
use serde_json::json;
use uuid::Uuid;

use crate::account::{Citizen, Whom, audit, whom};
use crate::documents::render_long_term;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::qr;
use crate::tracking::{CaseRef, status_link};
use crate::{App, Caller};

/// Applications of one person that may wait for their signature at once.
pub const WAITING_PER_PERSON: usize = 5;

/// A file the citizen uploads with the form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the citizen files: for whom (`None`: themself), the form, the
/// dossier documents ticked and the files uploaded.
#[derive(Debug, Clone)]
pub struct Filing {
    pub acting_for: Option<Uuid>,
    pub input: EApplicationInput,
    pub attach: Vec<Uuid>,
    pub uploads: Vec<Upload>,
}

/// What the citizen filed and where to sign it.
#[derive(Debug)]
pub struct Started {
    pub application: EApplicationRecord,
    /// The wallet's signing page.
    pub sign_url: String,
}

/// The path the wallet sends the citizen back to (under the fund's public address).
pub fn return_path(id: Uuid) -> String {
    format!("/account/applications/{id}/signed")
}

fn unavailable() -> AppError {
    AppError::new(ErrorKind::Unavailable, "unavailable", "e_application.unavailable")
}

/// What the form offers: the person's dossier documents to attach (copies
/// shared from the wallet, digitized scans), the offices that issue paper
/// certificates and the bank branches that issue cards.
pub struct FormChoices {
    pub person: PersonRecord,
    pub documents: Vec<DocumentMeta>,
    pub offices: Vec<Unit>,
    pub branches: Vec<Unit>,
}

pub async fn form(app: &App, citizen: &Citizen, acting_for: Option<Uuid>) -> AppResult<FormChoices> {
    let person = whom(app, citizen, acting_for).await?.shown.ok_or_else(AppError::not_found)?;
    let documents = app.store.documents(person.id).await?;
    let units = app.all_units();
    let offices = units.iter().filter(|u| u.kind.issues_paper()).cloned().collect();
    let branches = units.into_iter().filter(|u| u.kind == UnitKind::BankBranch).collect();
    Ok(FormChoices { person, documents, offices, branches })
}

/// An uploaded file's type by its content, never by its name: PDF, JPEG or PNG.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Jpeg) => Some("image/jpeg"),
        Ok(imagesize::ImageType::Png) => Some("image/png"),
        _ => None,
    }
}

/// A file name as the statement prints it: no folders, printable, short.
fn file_name(typed: &str, position: usize) -> String {
    let base = typed.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| dossier_domain::text::is_printable(*c)).take(120).collect();
    let clean = clean.trim();
    if clean.is_empty() { format!("file-{position}") } else { clean.to_owned() }
}

/// Files an application and asks the wallet for its signature: the citizen
/// is then sent to `sign_url`. Nothing reaches the inbox before it is signed.
pub async fn file(app: &App, citizen: &Citizen, filing: Filing, lang: Lang, now: DateTime<Utc>) -> AppResult<Started> {
    let intake = app.intake.clone().ok_or_else(unavailable)?;
    let public_url = app.config().public_url.clone().ok_or_else(unavailable)?;
    let Filing { acting_for, input, attach, uploads } = filing;
    let Whom { own, shown, .. } = whom(app, citizen, acting_for).await?;
    let person = shown.ok_or_else(AppError::not_found)?;
    let data = input.validate()?;
    // A signature request waits 15 minutes: a person has only so many waiting at once.
    let since = now - chrono::Duration::minutes(15);
    let waiting = app.store.e_applications_of(person.id).await?;
    if waiting.iter().filter(|a| a.status == Status::Signing && a.created_at > since).count() >= WAITING_PER_PERSON {
        return Err(AppError::new(ErrorKind::RateLimited, "rate_limited", "e_application.too_many_waiting")
            .with_retry_after(900));
    }
    let issue_unit = match &data.request {
        Request::Certificate { form, issue_unit_id, .. } => {
            let unit = app.unit(*issue_unit_id).filter(|u| match form {
                dossier_domain::lifecycle::CertificateForm::Paper => u.kind.issues_paper(),
                dossier_domain::lifecycle::CertificateForm::Card => u.kind == UnitKind::BankBranch,
            });
            Some(unit.ok_or_else(|| AppError::from(Invalid::one("issue_unit_id", "common.not_found")))?)
        }
        _ => None,
    };
    let files = attachments(app, &person, &attach, uploads).await?;
    let office = app.unit(person.unit_id).ok_or_else(AppError::internal)?;
    let by_representative = own.as_ref().is_none_or(|o| o.id != person.id);
    let id = Uuid::now_v7();
    let lines: Vec<AttachmentLine> =
        files.iter().map(|f| AttachmentLine { name: f.name.clone(), sha256: f.sha256.clone() }).collect();
    let rnokpp = person.data.tax_id.number();
    let statement = dossier_domain::e_application::statement(&StatementFacts {
        id: &id.to_string(),
        data: &data,
        office: &office.name_uk,
        issue_unit: issue_unit.as_ref().map(|u| u.name_uk.as_str()),
        applicant_name: &person.data.name.display(),
        applicant_rnokpp: rnokpp,
        applicant_birth: person.data.birth_date,
        representative: by_representative.then(|| citizen.name()),
        attachments: &lines,
        at: now,
    });
    let record = app
        .store
        .create_e_application(&NewEApplication {
            id,
            person_id: person.id,
            unit_id: office.id,
            data,
            statement: statement.clone(),
            filed_by: format!("citizen:{}", citizen.session.subject),
            by_representative,
            lang: lang.code().to_owned(),
            files,
            at: now,
        })
        .await?;
    let request = SignatureRequest {
        rnokpp: citizen.session.rnokpp.clone(),
        title: record.kind.message().render(Lang::UK),
        document: statement,
        return_url: format!("{}{}", public_url.trim_end_matches('/'), return_path(id)),
    };
    let created = match intake.hub.request_signature(&request).await {
        Ok(created) => created,
        Err(e) => {
            // Nothing can be signed: the application ends unsigned rather than wait forever.
            tracing::warn!(error = %e, "the hub did not take a signature request");
            app.store.finish_signing(&citizen_actor(citizen), id, &SigningOutcome::NotSigned { at: now }).await?;
            return Err(AppError::new(ErrorKind::Unavailable, "hub_unavailable", "e_application.hub_unavailable"));
        }
    };
    app.store.set_e_application_signing(id, &created.id).await?;
    Ok(Started { application: record, sign_url: created.sign_url })
}

/// The files of an application: dossier documents of the person, then uploads.
async fn attachments(
    app: &App,
    person: &PersonRecord,
    attach: &[Uuid],
    uploads: Vec<Upload>,
) -> AppResult<Vec<EApplicationFile>> {
    let uploads: Vec<Upload> = uploads.into_iter().filter(|u| !u.bytes.is_empty()).collect();
    if attach.len() + uploads.len() > MAX_ATTACHMENTS {
        return Err(Invalid::one(
            "files",
            Message::new("e_application.too_many_files").with("max", MAX_ATTACHMENTS as i64),
        )
        .into());
    }
    let mut files = Vec::new();
    let dossier = app.store.documents(person.id).await?;
    for id in attach {
        // Only the person's own documents: anything else is as if it did not exist.
        let doc =
            dossier.iter().find(|d| d.id == *id).ok_or_else(|| AppError::field("documents", "common.not_found"))?;
        if files.iter().any(|f: &EApplicationFile| f.source == format!("document:{id}")) {
            continue;
        }
        files.push(EApplicationFile {
            position: files.len() as i64 + 1,
            name: format!("{} ({})", doc.kind, kyiv_time(doc.created_at).format("%d.%m.%Y")),
            content_type: doc.content_type.clone(),
            sha256: doc.sha256.clone(),
            size: doc.size,
            source: format!("document:{id}"),
        });
    }
    for u in uploads {
        if u.bytes.len() > MAX_ATTACHMENT_BYTES {
            let max = (MAX_ATTACHMENT_BYTES / (1024 * 1024)) as i64;
            return Err(AppError::field("files", Message::new("e_application.file_too_large").with("max", max)));
        }
        let content_type = sniff(&u.bytes).ok_or_else(|| AppError::field("files", "e_application.file_type"))?;
        let blob = app.blobs.put(&u.bytes).await?;
        let position = files.len() as i64 + 1;
        files.push(EApplicationFile {
            position,
            name: file_name(&u.name, position as usize),
            content_type: content_type.to_owned(),
            sha256: blob.sha256,
            size: u.bytes.len() as i64,
            source: "upload".into(),
        });
    }
    Ok(files)
}

/// An application of the citizen (or of a person they represent); anyone
/// else's is "not found" and the attempt is audited.
pub async fn for_citizen(app: &App, citizen: &Citizen, id: Uuid) -> AppResult<EApplicationRecord> {
    let record = app.store.e_application(id).await?;
    let s = &citizen.session;
    if let Some(r) = record {
        let Whom { own, represented, .. } = whom(app, citizen, None).await?;
        let mine = own.iter().chain(represented.iter()).any(|p| p.id == r.person_id);
        if mine {
            return Ok(r);
        }
    }
    audit(app, s, "citizen.account.refused", &format!("e_application:{id}"), json!({})).await?;
    Err(AppError::not_found())
}

/// The citizen is back from the wallet: the fund asks the hub what became of
/// the request and, for a signature, checks it before the application counts
/// as submitted.
pub async fn returned(app: &App, citizen: &Citizen, id: Uuid, now: DateTime<Utc>) -> AppResult<EApplicationRecord> {
    let record = for_citizen(app, citizen, id).await?;
    if record.status != Status::Signing {
        return Ok(record);
    }
    let intake = app.intake.clone().ok_or_else(unavailable)?;
    let hub_id = record.hub_request_id.clone().ok_or_else(|| AppError::conflict("e_application.not_now"))?;
    let (status, signature) = match intake.hub.signature_outcome(&hub_id).await {
        Ok(outcome) => (outcome.status, outcome.signature),
        // The hub deletes requests some days after they expire: one it no
        // longer knows was not signed in time.
        Err(HubError::Rejected(Refusal::UnknownRequest)) => (SignatureStatus::Expired, None),
        Err(e) => {
            tracing::warn!(error = %e, "the hub did not answer about a signature");
            return Err(AppError::new(ErrorKind::Unavailable, "hub_unavailable", "e_application.hub_unavailable"));
        }
    };
    let finished = match status {
        SignatureStatus::Waiting => return Ok(record),
        SignatureStatus::Declined | SignatureStatus::Expired => SigningOutcome::NotSigned { at: now },
        SignatureStatus::Signed => {
            let cms = signature
                .as_deref()
                .and_then(|b| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok())
                .ok_or_else(|| refused_signature(&record))?;
            let signer = check_signature(app, &record, &cms, &citizen.session.rnokpp).await?;
            let due_on = app.config().e_application_terms.due(record.kind, now, &app.config().calendar);
            SigningOutcome::Signed { signature: cms, signer, due_on, at: now }
        }
    };
    Ok(app.store.finish_signing(&citizen_actor(citizen), id, &finished).await?)
}

/// The citizen as the audit log names them (the provider's subject, never the RNOKPP).
fn citizen_actor(citizen: &Citizen) -> dossier_store::Actor {
    dossier_store::Actor { label: format!("citizen:{}", citizen.session.subject), account_id: None }
}

/// The values of a certificate subject as the validation report writes it
/// (RFC 4514: `CN=…,SERIALNUMBER=…`), splitting only at unescaped commas, so
/// a name holding `\,SERIALNUMBER=…` cannot pass for another attribute.
fn subject_attributes(subject: &str) -> Vec<(String, String)> {
    let mut parts = vec![String::new()];
    let mut escaped = false;
    for c in subject.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, ',') => parts.push(String::new()),
            (_, c) => {
                escaped = false;
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
        }
    }
    parts
        .into_iter()
        .filter_map(|p| p.split_once('=').map(|(k, v)| (k.trim().to_ascii_uppercase(), v.trim().to_owned())))
        .collect()
}

/// Whether the subject's serial number is the `TINUA-` one of this RNOKPP.
fn names_rnokpp(subject: &str, rnokpp: &str) -> bool {
    let serial = format!("TINUA-{rnokpp}");
    subject_attributes(subject).iter().any(|(k, v)| k == "SERIALNUMBER" && *v == serial)
}

fn refused_signature(record: &EApplicationRecord) -> AppError {
    tracing::warn!(e_application = %record.id, "a wallet signature was refused");
    AppError::new(ErrorKind::Forbidden, "signature_invalid", "e_application.signature_invalid")
}

/// The fund's own check of the wallet's signature: valid under the fund's
/// trust anchors, over exactly the statement, by the certificate of the
/// citizen signed in (their RNOKPP is the certificate's `TINUA-` serial
/// number). Returns the signer's subject.
async fn check_signature(app: &App, record: &EApplicationRecord, cms: &[u8], rnokpp: &str) -> AppResult<String> {
    let trust = crate::trust::current(app).await;
    let verified = signed::verify(&SoftwareProvider, cms, &VerifyInput::attached(), &trust);
    judge(&verified, record.statement.as_bytes(), rnokpp).ok_or_else(|| refused_signature(record))
}

/// The verdict on a verified signature: the signer's subject when it is the
/// one valid signature of `rnokpp`'s certificate over exactly `statement`.
fn judge(verified: &signed::Verified, statement: &[u8], rnokpp: &str) -> Option<String> {
    let signer = verified.report.signer.as_ref()?.subject.clone();
    let ok = verified.report.indication == Indication::TotalPassed
        && verified.other_signers.is_empty()
        && verified.content.as_deref() == Some(statement)
        && names_rnokpp(&signer, rnokpp);
    ok.then_some(signer)
}

/// An application as its applicant (or their representative) reads it; the read is audited.
pub async fn view(app: &App, citizen: &Citizen, id: Uuid) -> AppResult<EApplicationRecord> {
    let r = for_citizen(app, citizen, id).await?;
    let subject = format!("person:{}", r.person_id);
    audit(app, &citizen.session, "citizen.e_application.view", &subject, json!({"e_application": id})).await?;
    Ok(r)
}

/// The signed decision, for the citizen.
pub async fn decision_for_citizen(app: &App, citizen: &Citizen, id: Uuid) -> AppResult<Vec<u8>> {
    let r = for_citizen(app, citizen, id).await?;
    let sha = r.decision_sha256.ok_or_else(AppError::not_found)?;
    audit(
        app,
        &citizen.session,
        "citizen.e_application.decision.read",
        &format!("person:{}", r.person_id),
        json!({"e_application": id}),
    )
    .await?;
    Ok(app.blobs.get(&sha).await?)
}

/// The inbox of the caller's offices: submitted first by due day (the default), or in one status.
pub async fn inbox(app: &App, caller: &Caller, status: Option<Status>) -> AppResult<Vec<EApplicationRecord>> {
    caller.require(Permission::ReadApplication)?;
    Ok(app.store.e_application_inbox(&caller.scope, status).await?)
}

/// An application as staff see it, with the pension it would start or move.
pub struct Details {
    pub record: EApplicationRecord,
    pub person: PersonRecord,
    pub files: Vec<EApplicationFile>,
    /// The pension paid now, read for the kinds a decision changes it by.
    pub pension: Option<PensionInPayment>,
}

/// One application in the caller's scope; the read is audited once (the
/// pension shown beside it is the same person's, in the same scope).
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<Details> {
    let record = authorized(app, caller, id).await?;
    let person = app.store.person(record.person_id).await?.ok_or_else(AppError::not_found)?;
    let files = app.store.e_application_files(id).await?;
    let pension = match record.kind {
        Kind::PensionAssignment | Kind::DeliveryChange => app.store.pension(record.person_id).await?,
        Kind::Certificate => None,
    };
    Ok(Details { record, person, files, pension })
}

/// The application if it is in the caller's scope; the read is audited.
async fn authorized(app: &App, caller: &Caller, id: Uuid) -> AppResult<EApplicationRecord> {
    let record = app.store.e_application(id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{}", record.person_id);
    app.authorize(caller, Permission::ReadApplication, &record.unit_path, &subject).await?;
    app.store.audit(&caller.actor(), "e_application.read", &subject, json!({"e_application": id})).await?;
    Ok(record)
}

/// An attached file's bytes, for staff.
pub async fn attachment(app: &App, caller: &Caller, id: Uuid, position: i64) -> AppResult<(EApplicationFile, Vec<u8>)> {
    authorized(app, caller, id).await?;
    let files = app.store.e_application_files(id).await?;
    let f = files.into_iter().find(|f| f.position == position).ok_or_else(AppError::not_found)?;
    let bytes = app.blobs.get(&f.sha256).await?;
    Ok((f, bytes))
}

/// The citizen's signature (CMS), for staff to check with any tool.
pub async fn signature(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<u8>> {
    authorized(app, caller, id).await?.signature.ok_or_else(AppError::not_found)
}

/// The signed decision, for staff.
pub async fn decision_document(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<u8>> {
    let sha = authorized(app, caller, id).await?.decision_sha256.ok_or_else(AppError::not_found)?;
    Ok(app.blobs.get(&sha).await?)
}

/// Decides a submitted application of an office in scope, once: the
/// decision document is rendered and signed by the fund; a granted pension
/// assignment starts the pension in payment and a granted delivery change
/// moves it; a granted certificate application becomes a form-1 application
/// in production; the citizen is told.
pub async fn decide(
    app: &App,
    caller: &Caller,
    id: Uuid,
    form: &DecisionForm,
    now: DateTime<Utc>,
) -> AppResult<EApplicationRecord> {
    let current = app.store.e_application(id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{}", current.person_id);
    app.authorize(caller, Permission::WriteApplication, &current.unit_path, &subject).await?;
    let applied_on = kyiv_time(current.submitted_at.unwrap_or(current.created_at)).date_naive();
    let checked = form.validate(current.kind, applied_on)?;
    if current.status.after(checked.decision.event()).is_none() {
        return Err(AppError::conflict("e_application.not_now"));
    }
    let pension = match (&current.data.request, checked.decision, checked.award) {
        (Request::PensionAssignment { pension_kind, delivery }, Decision::Granted, Some(award)) => {
            Some(PensionChange::Assign(Pension {
                kind: *pension_kind,
                amount: award.amount,
                since: award.since,
                delivery: delivery.clone(),
                delivery_since: award.since,
            }))
        }
        (Request::DeliveryChange { delivery }, Decision::Granted, _) => {
            // Said before anything is signed; the store refuses it again in the transaction.
            if app.store.pension(current.person_id).await?.is_none() {
                return Err(AppError::conflict("payment.none"));
            }
            Some(PensionChange::Deliver { delivery: delivery.clone(), since: kyiv_time(now).date_naive() })
        }
        _ => None,
    };
    let person = app.store.person(current.person_id).await?.ok_or_else(AppError::not_found)?;
    // The signed decision first: if rendering or storing fails, nothing has been filed yet.
    let outcome =
        Outcome { decision: checked.decision, reasons: checked.reasons.as_deref(), pension: pension.as_ref() };
    let pdf = decision_pdf(app, &current, &person, &outcome, caller, now).await?;
    let blob = app.blobs.put(&pdf).await?;
    // A granted certificate application enters the production life cycle as form 1.
    let certificate_id = match (&current.data.request, checked.decision) {
        (Request::Certificate { pension_kind, form, issue_unit_id, payment_system }, Decision::Granted) => {
            let representative_id =
                if current.by_representative { representative_of(app, &current).await? } else { None };
            let input = dossier_domain::application::ApplicationInput {
                pension_kind: pension_kind.as_str().into(),
                form: form.as_str().into(),
                issue_unit_id: Some(*issue_unit_id),
                representative_id,
                payment_system: payment_system.map(|p| p.as_str().to_owned()),
                ..Default::default()
            };
            Some(app.store.create_application(&caller.actor(), person.id, &input, now).await?.id)
        }
        _ => None,
    };
    let decided = app
        .store
        .decide_e_application(
            &caller.actor(),
            &NewDecision {
                id,
                decision: checked.decision,
                reasons: checked.reasons,
                document_sha256: blob.sha256,
                certificate_id,
                pension,
                at: now,
            },
        )
        .await?;
    Ok(decided)
}

/// The registry's representative of the person who signed (by the signer's RNOKPP in the filing).
async fn representative_of(app: &App, r: &EApplicationRecord) -> AppResult<Option<Uuid>> {
    let reps = app.store.representatives(r.person_id).await?;
    let signer = r.signer.as_deref().unwrap_or_default();
    Ok(reps
        .into_iter()
        .filter(|x| x.active)
        .find(|x| x.data.rnokpp.as_ref().is_some_and(|n| names_rnokpp(signer, n.as_str())))
        .map(|x| x.id))
}

/// What the decision document states.
struct Outcome<'a> {
    decision: Decision,
    reasons: Option<&'a str>,
    pension: Option<&'a PensionChange>,
}

/// The decision as a PDF/A signed by the fund, with the QR of the case's status link.
async fn decision_pdf(
    app: &App,
    r: &EApplicationRecord,
    person: &PersonRecord,
    outcome: &Outcome<'_>,
    caller: &Caller,
    now: DateTime<Utc>,
) -> AppResult<Vec<u8>> {
    let lang = Lang::UK;
    let t = |key: &str| text(key, lang).to_owned();
    let office = app.unit(r.unit_id).map(|u| u.name_uk).unwrap_or_default();
    let link = status_link(app, CaseRef::EApplication(r.id)).unwrap_or_default();
    let qr = qr::matrix(if link.is_empty() { "-" } else { &link }).ok_or_else(AppError::internal)?;
    let day = |at: DateTime<Utc>| kyiv_time(at).format("%d.%m.%Y %H:%M").to_string();
    let status = match outcome.decision {
        Decision::Granted => Status::Granted,
        Decision::Refused => Status::Refused,
    };
    let mut fields = vec![
        Field::new(t("e_application.pdf.application"), r.kind.message().render(lang)),
        Field::new(t("e_application.pdf.id"), r.id.to_string()),
        Field::new(t("e_application.pdf.applicant"), person.data.name.display()),
        Field::new(t("e_application.pdf.submitted"), r.submitted_at.map(day).unwrap_or_default()),
        Field::new(t("e_application.pdf.decision"), status.message().render(lang)),
    ];
    match outcome.pension {
        Some(PensionChange::Assign(p)) => {
            fields.push(Field::new(t("payment.kind"), p.kind.message().render(lang)));
            fields.push(Field::new(t("payment.amount"), format!("{} ₴", money_text(p.amount))));
            fields.push(Field::new(t("payment.since"), p.since.format("%d.%m.%Y").to_string()));
            fields.push(Field::new(t("payment.delivery"), p.delivery.message().render(lang)));
        }
        Some(PensionChange::Deliver { delivery, since }) => {
            fields.push(Field::new(t("payment.delivery"), delivery.message().render(lang)));
            fields.push(Field::new(t("payment.delivery_since"), since.format("%d.%m.%Y").to_string()));
        }
        None => {}
    }
    if let Some(reasons) = outcome.reasons {
        fields.push(Field::new(t("e_application.pdf.reasons"), reasons.to_owned()));
    }
    fields.push(Field::new(t("e_application.pdf.decided"), day(now)));
    fields.push(Field::new(t("e_application.pdf.decided_by"), caller.account.full_name.clone()));
    let receipt = DossierReceipt {
        language: lang.code().to_owned(),
        office,
        title: t("e_application.pdf.title"),
        fields,
        documents_heading: t("e_application.pdf.statement"),
        columns: vec![t("e_application.pdf.text")],
        column_shares: vec![1.0],
        documents: r.statement.lines().filter(|l| !l.trim().is_empty()).map(|l| vec![l.to_owned()]).collect(),
        mark_heading: t("e_application.pdf.mark"),
        mark: vec![Field::new(t("e_application.pdf.status"), link)],
        code: qr,
    };
    let issued = kyiv_time(now);
    render_long_term(app, "Decision on an e-application", move |_| dossier_pdf::render_receipt(&receipt, issued)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_serial_number_attribute_names_the_signer() {
        let real = "CN=Бойко Ганна,SERIALNUMBER=TINUA-1363515426,GN=Ганна,SN=Бойко,C=UA";
        assert!(names_rnokpp(real, "1363515426"));
        assert!(!names_rnokpp(real, "1363515427"));
        // A common name that spells the attribute out is one value, not two.
        let spoof = "CN=Злодій\\,SERIALNUMBER=TINUA-1363515426,SERIALNUMBER=TINUA-2000000000,C=UA";
        assert!(!names_rnokpp(spoof, "1363515426"));
        assert!(names_rnokpp(spoof, "2000000000"));
        assert!(!names_rnokpp("CN=TINUA-1363515426", "1363515426"));
    }

    #[test]
    fn spec_21_4_the_fund_takes_only_the_citizen_s_valid_signature_over_its_own_text() {
        use dossier_crypto::testing::TestPki;
        use dossier_crypto::x509::CertProfile;
        let pki = TestPki::new().unwrap();
        let citizen = pki.party("Олена Коваль,serialNumber=TINUA-3012345678", CertProfile::QesIdCard).unwrap();
        let other = pki.party("Петро Бондар,serialNumber=TINUA-2000000000", CertProfile::QesIdCard).unwrap();
        let chain = pki.chain();
        let sign = |who: &dossier_crypto::testing::Party, text: &[u8]| {
            let id = signed::SigningIdentity { key: &who.key, certificate: &who.certificate, chain: &chain };
            let cms = signed::sign(&id, text, &signed::SignOptions::default()).unwrap();
            signed::verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &pki.trust())
        };
        let text = "ЗАЯВА\nПрошу…\n".as_bytes();
        assert!(judge(&sign(&citizen, text), text, "3012345678").is_some_and(|s| s.contains("TINUA-3012345678")));
        assert!(judge(&sign(&citizen, b"another text"), text, "3012345678").is_none(), "another text");
        assert!(judge(&sign(&other, text), text, "3012345678").is_none(), "another citizen's certificate");
        let stranger_pki = TestPki::new().unwrap();
        let forged = stranger_pki.party("Олена Коваль,serialNumber=TINUA-3012345678", CertProfile::QesIdCard).unwrap();
        let id = signed::SigningIdentity { key: &forged.key, certificate: &forged.certificate, chain: &[] };
        let cms = signed::sign(&id, text, &signed::SignOptions::default()).unwrap();
        let untrusted = signed::verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &pki.trust());
        assert!(judge(&untrusted, text, "3012345678").is_none(), "a certificate from a centre the fund does not trust");
    }

    #[test]
    fn uploads_are_judged_by_their_bytes_and_named_without_folders() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(file_name("C:\\Users\\olena\\скан.pdf", 1), "скан.pdf");
        assert_eq!(file_name("../../etc/passwd", 2), "passwd");
        assert_eq!(file_name("\u{202e}", 3), "file-3");
    }
}
