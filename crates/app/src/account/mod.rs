//! The citizen's personal account (issue 21): who is signed in, whose data
//! they may see — their own and that of the people they legally represent,
//! nobody else's — and what the account shows. Every citizen action is
//! audited under the citizen's provider subject.
//!
//! * [`login`] — the fund as an OpenID Connect relying party.
pub mod login;

use chrono::Utc;
use dossier_crypto::secrets::token_hash;
use dossier_store::{
    Actor, CertificateRecord, CitizenSession, Correction, EApplicationRecord, NewCorrection, PensionInPayment,
    PersonRecord,
};
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::record::RecordView;

/// A signed-in citizen.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub session: CitizenSession,
}

impl Citizen {
    /// The CSRF token the account's forms carry.
    pub fn csrf(&self) -> &str {
        &self.session.csrf
    }

    pub fn name(&self) -> &str {
        &self.session.name
    }
}

/// Audits a citizen's action (the actor names the provider's subject, never the RNOKPP).
pub(crate) async fn audit(
    app: &App,
    s: &CitizenSession,
    action: &str,
    subject: &str,
    details: serde_json::Value,
) -> AppResult<()> {
    let actor = Actor { label: format!("citizen:{}", s.subject), account_id: None };
    Ok(app.store.audit(&actor, action, subject, details).await?)
}

/// The citizen behind a session cookie's token, if the session is live.
pub async fn by_session(app: &App, token: &str) -> AppResult<Option<Citizen>> {
    Ok(app.store.citizen_session(&token_hash(token), Utc::now()).await?.map(|session| Citizen { session }))
}

pub async fn sign_out(app: &App, citizen: &Citizen) -> AppResult<()> {
    app.store.delete_citizen_session(&citizen.session.token_hash).await?;
    audit(
        app,
        &citizen.session,
        "citizen.logout",
        &format!("citizen:{}", citizen.session.subject),
        serde_json::json!({}),
    )
    .await
}

/// What the account page shows for one person: the citizen or someone they represent.
#[derive(Debug, Clone)]
pub struct AccountView {
    /// The citizen's own record, when the fund's registry knows them.
    pub own: Option<PersonRecord>,
    /// The people the citizen currently represents.
    pub represented: Vec<PersonRecord>,
    /// Whose data is shown: the citizen's own record or a represented person's.
    pub shown: Option<PersonRecord>,
    /// The shown person's pension-certificate applications and certificates.
    pub certificates: Vec<CertificateRecord>,
    /// The shown person's pension record, and the mistakes reported in it.
    pub record: Option<RecordView>,
    pub corrections: Vec<Correction>,
    /// The shown person's e-applications, newest first.
    pub e_applications: Vec<EApplicationRecord>,
    /// The pension the fund pays the shown person, if any.
    pub pension: Option<PensionInPayment>,
}

/// Whom the citizen may look at, and who is shown: `acting_for` must be the
/// citizen or a person they represent; anyone else is "not found" — as if
/// they did not exist — and the attempt is audited.
pub(crate) struct Whom {
    pub(crate) own: Option<PersonRecord>,
    pub(crate) represented: Vec<PersonRecord>,
    pub(crate) shown: Option<PersonRecord>,
}

pub(crate) async fn whom(app: &App, citizen: &Citizen, acting_for: Option<Uuid>) -> AppResult<Whom> {
    let s = &citizen.session;
    let own = app.store.person_by_rnokpp(&s.rnokpp).await?;
    let represented = app.store.represented_by(&s.rnokpp).await?;
    let shown = match acting_for {
        None => own.clone(),
        Some(id) if own.as_ref().is_some_and(|p| p.id == id) => own.clone(),
        Some(id) => match represented.iter().find(|p| p.id == id) {
            Some(p) => Some(p.clone()),
            None => {
                audit(app, s, "citizen.account.refused", &format!("person:{id}"), serde_json::json!({})).await?;
                return Err(AppError::not_found());
            }
        },
    };
    Ok(Whom { own, represented, shown })
}

/// The account of the signed-in citizen, for themself or (`acting_for`) for
/// a person they represent.
pub async fn view(app: &App, citizen: &Citizen, acting_for: Option<Uuid>) -> AppResult<AccountView> {
    let s = &citizen.session;
    let Whom { own, represented, shown } = whom(app, citizen, acting_for).await?;
    let (certificates, record, corrections, e_applications, pension) = match &shown {
        Some(p) => (
            app.store.certificates_of(p.id).await?,
            Some(crate::record::view_of(app, p.id).await?),
            app.store.record_corrections_of(p.id).await?,
            app.store.e_applications_of(p.id).await?,
            app.store.pension(p.id).await?,
        ),
        None => (Vec::new(), None, Vec::new(), Vec::new(), None),
    };
    let subject = shown.as_ref().map_or_else(|| format!("citizen:{}", s.subject), |p| format!("person:{}", p.id));
    audit(app, s, "citizen.account.view", &subject, serde_json::json!({})).await?;
    Ok(AccountView { own, represented, shown, certificates, record, corrections, e_applications, pension })
}

/// The citizen reports a mistake in their record (or a ward's): a case for
/// the staff of the person's office, answered in the account.
pub async fn report_mistake(
    app: &App,
    citizen: &Citizen,
    acting_for: Option<Uuid>,
    year: Option<i32>,
    text: &str,
) -> AppResult<Correction> {
    let Whom { shown, .. } = whom(app, citizen, acting_for).await?;
    let person = shown.ok_or_else(AppError::not_found)?;
    let text = crate::record::checked_text("text", text)?;
    let this_year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    if year.is_some_and(|y| !(1950..=this_year).contains(&y)) {
        return Err(AppError::field("year", "record.year"));
    }
    let case = app
        .store
        .report_record_mistake(&NewCorrection {
            person_id: person.id,
            reported_by: format!("citizen:{}", citizen.session.subject),
            year,
            text: text.to_owned(),
        })
        .await?;
    Ok(case)
}
