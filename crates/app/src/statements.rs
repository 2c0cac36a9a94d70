//! Statements on demand (issue 21 §5) — of the pension paid (its kind,
//! monthly amount and first day), of the insurance record (its length and
//! periods), of the individual account (the earnings and contributions by
//! year) — each rendered as PDF/A at once and signed with the
//! fund's document seal for the long term (PAdES B-LTA when a TSA is
//! configured: the validation data inside, under a document time-stamp),
//! with a verification code and its QR. Anyone holding the paper checks it on
//! the public page: the code (50 random bits, kept as its hash, wrong codes
//! limited like every public code) gives the facts and the signed original.
use chrono::{DateTime, NaiveDate, Utc};
use dossier_crypto::secrets::{random_bytes, token_hash};
use dossier_domain::i18n::text;
use dossier_domain::ident::CitizenCode;
use dossier_domain::record::money_text;
use dossier_domain::time::kyiv_time;
use dossier_domain::{Invalid, Lang, Message};
use dossier_pdf::{DossierReceipt, Field};
use dossier_store::{PeriodRecord, StatementRecord, YearRecord};
use uuid::Uuid;

use crate::App;
use crate::account::Citizen;
use crate::documents::render_long_term;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::qr;

/// What a statement states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The kind and monthly amount of the pension paid, and since when.
    Pension,
    /// The insurance record: its length and the periods it is made of.
    InsuranceRecord,
    /// The individual account: the record's length and the earnings and
    /// contributions of each year.
    IndividualAccount,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Pension, Kind::InsuranceRecord, Kind::IndividualAccount];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Pension => "pension",
            Kind::InsuranceRecord => "insurance_record",
            Kind::IndividualAccount => "individual_account",
        }
    }

    /// A kind by its code; blank is the individual account (the one statement
    /// the account offered first, so old links and forms keep working).
    pub fn parse(s: &str) -> Result<Kind, Invalid> {
        match s.trim() {
            "" => Ok(Kind::IndividualAccount),
            code => Kind::ALL
                .into_iter()
                .find(|k| k.as_str() == code)
                .ok_or_else(|| Invalid::one("kind", Message::new("common.unknown_value").with("value", code))),
        }
    }

    /// The PAdES signature's reason.
    fn reason(self) -> &'static str {
        match self {
            Kind::Pension => "Statement of the pension paid",
            Kind::InsuranceRecord => "Statement of the insurance record",
            Kind::IndividualAccount => "Statement of the individual account",
        }
    }
}

/// A statement just issued: the signed PDF, its file name and its verification code.
pub struct Issued {
    pub pdf: Vec<u8>,
    pub file_name: String,
    pub code: CitizenCode,
}

/// Issues a statement about the citizen (or a person they represent), at
/// once. The pension statement needs a pension in payment.
pub async fn issue(
    app: &App,
    citizen: &Citizen,
    acting_for: Option<Uuid>,
    kind: Kind,
    lang: Lang,
) -> AppResult<Issued> {
    let whom = crate::account::whom(app, citizen, acting_for).await?;
    let person = whom.shown.ok_or_else(AppError::not_found)?;
    let t = |key: &str| text(key, lang).to_owned();
    let mut fields = vec![
        Field::new(t("statement.person"), person.data.name.display()),
        Field::new(t("statement.tax_id"), person.data.tax_id.number()),
        Field::new(t("statement.birth"), person.data.birth_date.format("%d.%m.%Y").to_string()),
    ];
    let table = match kind {
        Kind::Pension => {
            let paid = app.store.pension(person.id).await?.ok_or_else(|| AppError::conflict("payment.none"))?;
            let p = paid.pension;
            fields.push(Field::new(t("payment.kind"), p.kind.message().render(lang)));
            fields.push(Field::new(t("payment.amount"), format!("{} ₴", money_text(p.amount))));
            fields.push(Field::new(t("payment.since"), p.since.format("%d.%m.%Y").to_string()));
            Table::default()
        }
        Kind::InsuranceRecord | Kind::IndividualAccount => {
            let record = crate::record::view_of(app, person.id).await?;
            let length = Message::new("record.length")
                .with("years", i64::from(record.length.years))
                .with("months", i64::from(record.length.months))
                .with("days", i64::from(record.length.days))
                .render(lang);
            fields.push(Field::new(t("statement.record_length"), length));
            if kind == Kind::InsuranceRecord {
                periods_table(&record.record.periods, lang)
            } else {
                years_table(&record.record.years, lang)
            }
        }
    };
    let code = CitizenCode::from_random(random_bytes().map_err(|_| AppError::internal())?);
    let now = Utc::now();
    let issued = kyiv_time(now);
    fields.push(Field::new(t("statement.issued"), issued.format("%d.%m.%Y %H:%M").to_string()));
    let verify_url = format!("{}/verify", app.config().public_url.as_deref().unwrap_or("").trim_end_matches('/'));
    let qr = qr::matrix(&format!("{verify_url}?code={}", code.as_str())).ok_or_else(AppError::internal)?;
    let statement = DossierReceipt {
        language: lang.code().to_owned(),
        office: t("statement.fund"),
        title: t(&format!("statement.title_{}", kind.as_str())),
        fields,
        documents_heading: table.heading,
        columns: table.columns,
        column_shares: table.shares,
        documents: table.rows,
        mark_heading: t("statement.mark"),
        mark: vec![
            Field::new(t("statement.code"), code.display()),
            Field::new(t("statement.verify"), verify_url),
            Field::new(t("statement.qr"), t("statement.scan")),
        ],
        code: qr,
    };
    let pdf = render_long_term(app, kind.reason(), move |_| dossier_pdf::render_receipt(&statement, issued)).await?;
    let blob = app.blobs.put(&pdf).await?;
    app.store
        .save_statement(&StatementRecord {
            id: Uuid::now_v7(),
            person_id: person.id,
            kind: kind.as_str().into(),
            code_hash: token_hash(code.as_str()),
            blob_sha256: blob.sha256,
            issued_at: now,
            issued_to: format!("citizen:{}", citizen.session.subject),
        })
        .await?;
    Ok(Issued { pdf, file_name: format!("statement-{}.pdf", code.as_str()), code })
}

/// A statement's table: its heading, column headings and widths, and rows.
#[derive(Default)]
struct Table {
    heading: String,
    columns: Vec<String>,
    shares: Vec<f32>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(heading: &str, columns: &[(&str, f32)], rows: Vec<Vec<String>>, lang: Lang) -> Table {
        Table {
            heading: text(heading, lang).to_owned(),
            columns: columns.iter().map(|(key, _)| text(key, lang).to_owned()).collect(),
            shares: columns.iter().map(|(_, share)| *share).collect(),
            rows,
        }
    }
}

fn periods_table(periods: &[PeriodRecord], lang: Lang) -> Table {
    let day = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    let rows = periods
        .iter()
        .map(|p| {
            vec![
                p.employer_name.clone(),
                p.kind.message().render(lang),
                day(p.from),
                p.to.map_or_else(|| text("statement.until_now", lang).to_owned(), day),
            ]
        })
        .collect();
    let columns = [
        ("statement.col_employer", 0.42),
        ("statement.col_activity", 0.28),
        ("statement.col_from", 0.15),
        ("statement.col_to", 0.15),
    ];
    Table::new("statement.periods", &columns, rows, lang)
}

fn years_table(years: &[YearRecord], lang: Lang) -> Table {
    let rows = years
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
    let columns = [
        ("statement.col_year", 0.16),
        ("statement.col_wage", 0.34),
        ("statement.col_contribution", 0.34),
        ("statement.col_months", 0.16),
    ];
    Table::new("statement.years", &columns, rows, lang)
}

/// What the verification page tells about a statement.
pub struct Verified {
    /// The kind's code (`pension`, `insurance_record`, `individual_account`).
    pub kind: String,
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
    Ok(Verified { kind: s.kind, issued_at: s.issued_at, holder, pdf })
}
