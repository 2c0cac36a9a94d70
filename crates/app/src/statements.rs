//! Statements on demand (issue 21 §5): the statement of the individual
//! account — the person, the insurance record and the earnings and
//! contributions by year — rendered as PDF/A at once and signed with the
//! fund's document seal for the long term (PAdES B-LTA when a TSA is
//! configured: the validation data inside, under a document time-stamp),
//! with a verification code and its QR. Anyone holding the paper checks it on
//! the public page: the code (50 random bits, kept as its hash, wrong codes
//! limited like every public code) gives the facts and the signed original.
use chrono::{DateTime, Utc};
use dossier_crypto::secrets::{random_bytes, token_hash};
use dossier_domain::i18n::text;
use dossier_domain::ident::CitizenCode;
use dossier_domain::record::money_text;
use dossier_domain::time::kyiv_time;
use dossier_domain::{Invalid, Lang, Message};
use dossier_pdf::{DossierReceipt, Field};
use dossier_store::StatementRecord;
use uuid::Uuid;

use crate::App;
use crate::account::Citizen;
use crate::documents::render_long_term;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::qr;

/// The PAdES signature's reason.
const REASON: &str = "Statement of the individual account";
pub const INDIVIDUAL_ACCOUNT: &str = "individual_account";

/// A statement just issued: the signed PDF, its file name and its verification code.
pub struct Issued {
    pub pdf: Vec<u8>,
    pub file_name: String,
    pub code: CitizenCode,
}

/// Issues the statement of the individual account of the citizen (or of a
/// person they represent), at once.
pub async fn issue(app: &App, citizen: &Citizen, acting_for: Option<Uuid>, lang: Lang) -> AppResult<Issued> {
    let whom = crate::account::whom(app, citizen, acting_for).await?;
    let person = whom.shown.ok_or_else(AppError::not_found)?;
    let record = crate::record::view_of(app, person.id).await?;
    let code = CitizenCode::from_random(random_bytes().map_err(|_| AppError::internal())?);
    let t = |key: &str| text(key, lang).to_owned();
    let now = Utc::now();
    let issued = kyiv_time(now);
    let verify_url = format!("{}/verify", app.config().public_url.as_deref().unwrap_or("").trim_end_matches('/'));
    let qr = qr::matrix(&format!("{verify_url}?code={}", code.as_str())).ok_or_else(AppError::internal)?;
    let length = Message::new("record.length")
        .with("years", i64::from(record.length.years))
        .with("months", i64::from(record.length.months))
        .with("days", i64::from(record.length.days))
        .render(lang);
    let fields = vec![
        Field::new(t("statement.person"), person.data.name.display()),
        Field::new(t("statement.tax_id"), person.data.tax_id.number()),
        Field::new(t("statement.birth"), person.data.birth_date.format("%d.%m.%Y").to_string()),
        Field::new(t("statement.record_length"), length),
        Field::new(t("statement.issued"), issued.format("%d.%m.%Y %H:%M").to_string()),
    ];
    let rows = record
        .record
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                format!("{} ₴", money_text(y.wage)),
                format!("{} ₴", money_text(y.contribution)),
                y.months.to_string(),
            ]
        })
        .collect();
    let statement = DossierReceipt {
        language: lang.code().to_owned(),
        office: t("statement.fund"),
        title: t("statement.title"),
        fields,
        documents_heading: t("statement.years"),
        columns: ["col_year", "col_wage", "col_contribution", "col_months"]
            .iter()
            .map(|c| t(&format!("statement.{c}")))
            .collect(),
        documents: rows,
        mark_heading: t("statement.mark"),
        mark: vec![
            Field::new(t("statement.code"), code.display()),
            Field::new(t("statement.verify"), verify_url),
            Field::new(t("statement.qr"), t("statement.scan")),
        ],
        code: qr,
    };
    let pdf = render_long_term(app, REASON, move |_| dossier_pdf::render_receipt(&statement, issued)).await?;
    let blob = app.blobs.put(&pdf).await?;
    app.store
        .save_statement(&StatementRecord {
            id: Uuid::now_v7(),
            person_id: person.id,
            kind: INDIVIDUAL_ACCOUNT.into(),
            code_hash: token_hash(code.as_str()),
            blob_sha256: blob.sha256,
            issued_at: now,
            issued_to: format!("citizen:{}", citizen.session.subject),
        })
        .await?;
    Ok(Issued { pdf, file_name: format!("statement-{}.pdf", code.as_str()), code })
}

/// What the verification page tells about a statement.
pub struct Verified {
    pub kind: &'static str,
    pub issued_at: DateTime<Utc>,
    /// The holder as initials after the surname ("Бойко Г. О."): enough to match the paper.
    pub holder: String,
    pub pdf: Vec<u8>,
}

/// The statement a verification code names; wrong codes count against the client.
pub async fn verify(app: &App, client: &str, typed: &str, now: DateTime<Utc>) -> AppResult<Verified> {
    let code =
        CitizenCode::parse(typed).ok_or_else(|| AppError::from(Invalid::one("code", "statement.code_format")))?;
    let budget = crate::tracking::ClientBudget::check(app, client, now).await?;
    let Some(s) = app.store.statement_by_code(&token_hash(code.as_str())).await? else {
        budget.spend(app).await?;
        return Err(AppError::new(ErrorKind::NotFound, "not_found", "statement.code_invalid"));
    };
    let person = app.store.person(s.person_id).await?.ok_or_else(AppError::not_found)?;
    let n = &person.data.name;
    let initial = |p: &str| p.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
    let holder = format!(
        "{}{}{}",
        n.surname.as_str(),
        initial(n.given.as_str()),
        n.patronymic.as_ref().map(|p| initial(p.as_str())).unwrap_or_default()
    );
    let pdf = app.blobs.get(&s.blob_sha256).await?;
    Ok(Verified { kind: INDIVIDUAL_ACCOUNT, issued_at: s.issued_at, holder, pdf })
}
