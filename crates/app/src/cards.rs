//! The card exchange on the fund's portal (regulation 26-1, §IV). Every step
//! of an electronic certificate is a message from one party to another: the
//! fund → the bank (what opening the account needs), the bank → the fund
//! (account opened with the holder's identification; delivery, issue,
//! activation, blocking, withdrawal, loss, destruction), the fund → the
//! personalizer (the card's graphic and chip data), the personalizer → the
//! certification centre (at least two self-signed key requests), the centre →
//! the personalizer (the certificates), the personalizer → the bank (the card
//! is made). Each message is canonical JSON sealed by the fund (CAdES,
//! detached) the moment it passes the portal and stored with the stage change
//! it reports, so the exchange can be proven to any party later.
//!
//! Partners authenticate as their own accounts (role and organisation); the
//! queue and the messages each sees are only those its work needs. A partner
//! may also sign its report itself: the statement (its report's JSON, naming
//! the card) with a detached CMS signature by a document-signing certificate
//! the fund's centre issued to its organisation. The fund verifies it, keeps
//! statement and signature in the message it seals, and can be configured to
//! refuse unsigned partner reports (`require_partner_signatures`).
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::card::{self, CardNumber, Identification, Party};
use dossier_domain::certification::Profile;
use dossier_domain::lifecycle::{CertificateForm, Event, Stage};
use dossier_domain::org::Permission;
use dossier_domain::{Invalid, Lang, Message};
use dossier_pdf::{CardBack, CardSex, Picture};
use dossier_store::{
    Actor, CardFilter, CardMessage, CertSubject, CertificateRecord, NewCardMessage, Page, PersonRecord,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::certification::{IssueRequest, SubjectRef};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::pictures::{Content, PictureKind, picture_id};
use crate::{App, Caller, documents, trust};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The caller's place in the exchange: its party, and whether it reports
/// steps — partners and the central production officer do; the fund's other
/// production staff read the cards in their scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Desk {
    pub party: Party,
    pub reports: bool,
}

impl Desk {
    pub fn of(caller: &Caller) -> AppResult<Desk> {
        let role = caller.role();
        match Party::of_role(role) {
            Some(party) if role.permits(Permission::ExchangeCards) => Ok(Desk { party, reports: true }),
            _ if role.permits(Permission::ReadProduction) => Ok(Desk { party: Party::Fund, reports: false }),
            _ => Err(AppError::forbidden()),
        }
    }

    /// Who may see a card's back (form 5, the holder's photo and signature): the personalizer
    /// who prints it, and the fund's staff who report card steps or may read dossiers.
    pub fn may_read_back(&self, caller: &Caller) -> bool {
        match self.party {
            Party::Personalizer => true,
            Party::Fund => self.reports || caller.may(Permission::ReadPerson),
            Party::Bank | Party::CertificationCentre => false,
        }
    }

    /// The fund's own desk, which sends ready cards on.
    pub fn dispatches(&self) -> bool {
        self.party == Party::Fund && self.reports
    }

    /// The caller's queue: a bank sees the cards to be issued at its branches, the
    /// personalizer and the centre every card at their stages, the fund's staff
    /// the cards applied for within their scope.
    fn filter(&self, caller: &Caller, stages: &'static [Stage]) -> CardFilter {
        let scope = Some(caller.scope.clone());
        match self.party {
            Party::Bank => CardFilter { issue_scope: scope, owner_scope: None, stages },
            Party::Personalizer | Party::CertificationCentre => {
                CardFilter { issue_scope: None, owner_scope: None, stages }
            }
            Party::Fund => CardFilter { issue_scope: None, owner_scope: scope, stages },
        }
    }
}

/// A card the caller's party works on; an unknown card, a paper certificate
/// and another bank's card look the same (404).
async fn load(app: &App, caller: &Caller, party: Party, id: Uuid) -> AppResult<CertificateRecord> {
    match app.store.certificate(id).await? {
        Some(c) if visible(app, caller, party, &c).await? => Ok(c),
        _ => Err(AppError::new(ErrorKind::NotFound, "not_found", "card.not_found")),
    }
}

/// Whether the caller's party works on `card` at all.
async fn visible(app: &App, caller: &Caller, party: Party, card: &CertificateRecord) -> AppResult<bool> {
    if card.data.form != CertificateForm::Card {
        return Ok(false);
    }
    Ok(match party {
        Party::Fund => caller.in_scope(&card.unit_path),
        Party::Bank => app.unit(card.data.issue_unit_id).is_some_and(|u| caller.in_scope(&u.path)),
        // The personalizer and the centre know a card once the fund sent its data.
        Party::Personalizer | Party::CertificationCentre => {
            app.store.card_messages(card.id).await?.iter().any(|m| m.event == Event::SendToPersonalizer.as_str())
        }
    })
}

/// A card as its parties see it: no registry data beyond what the step needs.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CardView {
    pub id: Uuid,
    /// The application's number.
    pub number: String,
    pub stage: Stage,
    pub stage_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub late: bool,
    pub issue_unit_id: i64,
    pub issue_unit: String,
    /// The card's last day, fixed when its face was sealed for the personalizer (§IV.4).
    pub expires_on: Option<NaiveDate>,
    /// The holder's name: for the fund and the bank (who hands the card over).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// What the party may do next.
    pub next_steps: Vec<&'static str>,
}

async fn view(
    app: &App,
    party: Party,
    card: &CertificateRecord,
    now: DateTime<Utc>,
    lang: Lang,
) -> AppResult<CardView> {
    let holder = match party {
        Party::Fund | Party::Bank => app.store.person(card.person_id).await?.map(|p| p.data.name.display()),
        _ => None,
    };
    let next_steps = dossier_domain::lifecycle::Event::ALL
        .iter()
        .filter(|e| card::check_reporter(party, **e).is_ok())
        .filter(|e| dossier_domain::lifecycle::next(CertificateForm::Card, card.stage, **e).is_ok())
        .map(|e| e.as_str())
        .collect();
    Ok(CardView {
        id: card.id,
        number: card.number.clone(),
        stage: card.stage,
        stage_at: card.stage_at,
        due_at: card.due_at,
        late: card.due_at.is_some_and(|d| d < now),
        issue_unit_id: card.data.issue_unit_id,
        issue_unit: app.unit(card.data.issue_unit_id).map(|u| u.name(lang).to_owned()).unwrap_or_default(),
        expires_on: card.card_expires_on,
        holder,
        next_steps,
    })
}

/// A recorded message with its seal, for a party that sent or received it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MessageView {
    #[serde(flatten)]
    pub message: CardMessage,
    /// The fund's CAdES seal (DER, base64) over the exact bytes of `payload`.
    pub seal: Option<String>,
}

fn message_view(m: CardMessage) -> MessageView {
    let seal = m.seal.as_ref().map(|s| B64.encode(s));
    MessageView { message: m, seal }
}

/// The messages the caller's party sent or received (the fund sees all of
/// them). Fund staff who may not read dossiers see each step without its
/// payload: the payloads carry the holder's identification.
fn messages_for(caller: &Caller, party: Party, all: Vec<CardMessage>) -> Vec<MessageView> {
    let payloads = party != Party::Fund || caller.may(Permission::ReadPerson) || caller.may(Permission::ExchangeCards);
    all.into_iter()
        .filter(|m| party == Party::Fund || m.sender == party || m.recipient == party)
        .map(|mut m| {
            if !payloads {
                m.payload.clear();
                m.seal = None;
            }
            message_view(m)
        })
        .collect()
}

/// A party's report of one step.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Report {
    /// The step: one of the card's events the caller's party reports.
    #[schemars(with = "dossier_domain::lifecycle::Event")]
    pub event: String,
    /// A remark kept with the step.
    pub note: Option<String>,
    /// `open_account`, `issue`: the bank's identification of the holder.
    pub identification: Option<Identification>,
    /// `issue`: the instruction leaflet was handed over with the card (§V.4).
    #[serde(default)]
    pub instruction_handed: bool,
    /// `open_account`: the pension account (IBAN) the card is issued to.
    pub account: Option<String>,
    /// `generate_keys`: the chip's self-signed certification requests (PEM).
    pub requests: Vec<String>,
    /// `personalize`: the personalized card's unique identifier (printed under the photo).
    #[schemars(with = "Option<dossier_domain::card::CardNumber>")]
    pub card_number: Option<String>,
    /// The partner's verified signature on this report (see [`verify_statement`]), kept in the
    /// sealed message.
    #[serde(skip)]
    pub partner_signature: Option<Value>,
}

fn invalid(field: &str, key: &'static str) -> AppError {
    AppError::field(field, key)
}

fn conflict(m: Message) -> AppError {
    AppError::conflict(m)
}

/// Takes one step of `card` for `party` (already known to see it): checks
/// what the step carries, builds and seals the message, records it. Sending an
/// accepted card to the bank runs the duplicate check first (§I.2, §III.4): a
/// card it stops is held for the central fund's decision and sends nothing.
async fn take_step(
    app: &App,
    actor: &Actor,
    party: Party,
    unit_id: i64,
    card: &CertificateRecord,
    mut report: Report,
) -> AppResult<(CertificateRecord, Option<CardMessage>)> {
    let event = Event::parse(&report.event).ok_or_else(|| {
        AppError::invalid(Invalid::one("event", Message::new("common.unknown_value").with("value", &report.event)))
    })?;
    let recipient = card::check_reporter(party, event).map_err(conflict)?;
    // Out of order is refused before any work (the store checks again under lock).
    dossier_domain::lifecycle::next(CertificateForm::Card, card.stage, event).map_err(conflict)?;
    if event == Event::SendToBank && card.stage == Stage::Accepted {
        let found = app.store.duplicate_findings(card.id).await?;
        if !found.is_empty() {
            let note = serde_json::to_string(&found).map_err(|_| AppError::internal())?;
            let held = app.store.advance_certificate(actor, card.id, Event::HoldAsDuplicate, Some(&note)).await?;
            return Ok((held, None));
        }
    }
    let now = Utc::now();
    let today = dossier_domain::time::kyiv_time(now).date_naive();
    let mut data = json!({});
    if let Some(n) = report.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        data["note"] = json!(n);
    }
    match event {
        Event::SendToBank | Event::SendToPersonalizer => data = fund_payload(app, card, event, today).await?,
        Event::OpenAccount => {
            identify(app, card, &report).await?;
            let account = report.account.as_deref().map(str::trim).filter(|a| !a.is_empty());
            data["identification_matched"] = json!(true);
            data["account"] = json!(account.ok_or_else(|| invalid("account", "common.required"))?);
        }
        // §V.4: the card is handed to the holder at the branch after identification, with the
        // instruction; the holder then activates it and enters the PINs personally.
        Event::Issue => {
            identify(app, card, &report).await?;
            if !report.instruction_handed {
                return Err(invalid("instruction_handed", "card.issue.instruction_required"));
            }
            data["identification_matched"] = json!(true);
            data["instruction_handed"] = json!(true);
        }
        Event::GenerateKeys => data["requests"] = json!(check_requests(&report.requests)?),
        Event::Personalize => {
            let number = report.card_number.as_deref().ok_or_else(|| invalid("card_number", "common.required"))?;
            data["card_number"] = json!(CardNumber::parse(number).map_err(AppError::invalid)?);
        }
        Event::CertifyKeys => data["certificates"] = certify(app, actor, card).await?,
        _ => {}
    }
    if let Some(evidence) = report.partner_signature.take() {
        data["partner_signature"] = evidence;
    }
    let mut message = seal(app, card.id, event, (party, recipient), unit_id, actor, now, data)?;
    if event == Event::SendToPersonalizer {
        // The validity just sealed into the face: the card's last day on record.
        message.card_expires_on = Some(dossier_domain::production::card_expires_on(today));
    }
    let (card, message) = app.store.card_step(actor, card.id, &message, now).await?;
    Ok((card, Some(message)))
}

/// The central fund lifts a card's duplicate hold: the card goes to its bank
/// now, with the fund's sealed message (releasing a card's hold *is* sending it).
pub(crate) async fn release_hold(app: &App, caller: &Caller, card: &CertificateRecord) -> AppResult<CertificateRecord> {
    let report = Report { event: Event::SendToBank.as_str().into(), ..Report::default() };
    let (card, _) = take_step(app, &caller.actor(), Party::Fund, caller.unit.id, card, report).await?;
    Ok(card)
}

/// The bank's identification of the holder must match the fund's record (the fields that
/// differ are named, never the record's values).
async fn identify(app: &App, card: &CertificateRecord, report: &Report) -> AppResult<()> {
    let id = report.identification.as_ref().ok_or_else(|| invalid("identification", "card.identification.required"))?;
    let person = app.store.person(card.person_id).await?.ok_or_else(AppError::not_found)?;
    card::check_identification(id, &person.data).map_err(AppError::invalid)
}

/// The fund's own messages: what the bank needs to open the account, what
/// the personalizer needs to make the card (form 5's fields).
async fn fund_payload(app: &App, card: &CertificateRecord, event: Event, today: NaiveDate) -> AppResult<Value> {
    let person = app.store.person(card.person_id).await?.ok_or_else(AppError::not_found)?;
    let p = &person.data;
    let branch = app.unit(card.data.issue_unit_id);
    Ok(match event {
        Event::SendToBank => json!({
            "application": card.number,
            "payment_system": card.data.payment_system.map(|s| s.as_str()),
            "holder": Identification::of(p),
            "branch": branch.as_ref().map(|b| json!({"code": b.code, "name": b.name_uk})),
        }),
        _ => json!(card_face(app, card, &person, today).await?),
    })
}

/// A picture the card prints, named by its content: the fund's sealed message binds the exact
/// image the personalizer must print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureRef {
    pub sha256: String,
    pub content_type: String,
}

/// Form 5's fields as the fund sends them to the personalizer, exactly as they are printed on
/// the card's back (OKZO with its leading zeros, dates `dd.mm.yyyy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardFace {
    pub card_id: Uuid,
    pub okzo: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub sex: String,
    pub birth_date: String,
    pub pension_kind: String,
    pub valid_until: String,
    pub photo: PictureRef,
    pub signature: PictureRef,
}

/// Composes form 5 for `card` from the registry as of `today` (the card made today lasts
/// three years from it). A card is not made without every zone: the OKZO (zone 2), the photo
/// (zone 3) and the signature specimen (zone 6) are required, each missing one named.
pub async fn card_face(
    app: &App,
    card: &CertificateRecord,
    person: &PersonRecord,
    today: NaiveDate,
) -> AppResult<CardFace> {
    let p = &person.data;
    let photo = picture_ref(app, person, PictureKind::Photo).await?;
    let signature = picture_ref(app, person, PictureKind::Signature).await?;
    let mut missing = Invalid::default();
    if photo.is_none() {
        missing.push("photo", "card.face.photo_missing");
    }
    if signature.is_none() {
        missing.push("signature", "card.face.signature_missing");
    }
    if p.okzo.is_none() {
        missing.push("okzo", "card.face.okzo_missing");
    }
    missing.into_result().map_err(AppError::invalid)?;
    let (Some(okzo), Some(photo), Some(signature)) = (p.okzo.as_ref(), photo, signature) else {
        return Err(AppError::internal());
    };
    let valid_until = dossier_domain::production::card_expires_on(today);
    let text = dossier_domain::application::CertificateText::compose(p, &card.data, None, today, Lang::UK);
    let pension_kind = match text.disability {
        Some(d) => format!("{}, {d}", text.pension_kind),
        None => text.pension_kind,
    };
    Ok(CardFace {
        card_id: card.id,
        okzo: format!("{:0>10}", okzo.as_str()),
        surname: p.name.surname.as_str().to_owned(),
        given_name: p.name.given.as_str().to_owned(),
        patronymic: p.name.patronymic.as_ref().map(|n| n.as_str().to_owned()).unwrap_or_default(),
        sex: text.sex,
        birth_date: p.birth_date.format("%d.%m.%Y").to_string(),
        pension_kind,
        valid_until: valid_until.format("%d.%m.%Y").to_string(),
        photo,
        signature,
    })
}

async fn picture_ref(app: &App, person: &PersonRecord, kind: PictureKind) -> AppResult<Option<PictureRef>> {
    let doc = match picture_id(app, person, kind).await? {
        Some(id) => app.store.document(id).await?,
        None => None,
    };
    Ok(doc.map(|d| PictureRef { sha256: d.sha256, content_type: d.content_type }))
}

/// What the card's back prints, from its messages: form 5 as sealed to the personalizer (or,
/// before that, composed now as a proof), and the card number once the personalizer reported it.
async fn printed_face(app: &App, card: &CertificateRecord) -> AppResult<(CardFace, Option<String>)> {
    let messages = app.store.card_messages(card.id).await?;
    let data = |event: Event| {
        messages
            .iter()
            .rev()
            .find(|m| m.event == event.as_str())
            .and_then(|m| serde_json::from_str::<Value>(&m.payload).ok())
            .map(|p| p["data"].clone())
    };
    let face = match data(Event::SendToPersonalizer) {
        Some(d) => serde_json::from_value(d).map_err(|_| conflict(Message::new("card.face.unreadable")))?,
        None => {
            let person = app.store.person(card.person_id).await?.ok_or_else(AppError::not_found)?;
            card_face(app, card, &person, dossier_domain::time::kyiv_time(Utc::now()).date_naive()).await?
        }
    };
    let number = data(Event::Personalize).and_then(|d| d["card_number"].as_str().map(str::to_owned));
    Ok((face, number))
}

/// Form 5, the card's back, from the fields sealed to the personalizer and the pictures they
/// name by content (so the file shows exactly the images the message binds).
async fn render_back(app: &App, face: &CardFace, card_number: &str) -> AppResult<Vec<u8>> {
    let unreadable = || conflict(Message::new("card.face.unreadable"));
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y").map_err(|_| unreadable());
    let mut pictures = Vec::with_capacity(2);
    for (place, picture) in [("photo", &face.photo), ("signature", &face.signature)] {
        let bytes = app.blobs.get(&picture.sha256).await?;
        pictures.push(Picture::new(bytes, place).map_err(|e| {
            tracing::error!(error = %e, "a card picture cannot be placed");
            unreadable()
        })?);
    }
    let signature = pictures.pop();
    let photo = pictures.pop();
    let card = CardBack {
        okzo: face.okzo.parse().map_err(|_| unreadable())?,
        card_id: card_number.to_owned(),
        surname: face.surname.clone(),
        given_name: face.given_name.clone(),
        patronymic: face.patronymic.clone(),
        sex: if face.sex == "жіноча" { CardSex::Female } else { CardSex::Male },
        birth_date: date(&face.birth_date)?,
        pension_kind: face.pension_kind.clone(),
        valid_until: date(&face.valid_until)?,
        photo,
        signature,
    };
    documents::render_signed(
        app,
        "Зворотний бік електронного пенсійного посвідчення (форма 5)",
        move |at| dossier_pdf::render_card_backs(std::slice::from_ref(&card), at),
    )
    .await
}

/// The signature policy for a report arriving from outside (the API, the pages): with
/// `require_partner_signatures` a partner's report must carry its own verified signature; the
/// fund's steps are sealed by the fund, and the command line (the demo, the benchmarks) acts
/// for the partners inside the fund's process.
fn check_signature_policy(app: &App, caller: &Caller, party: Party, report: &Report) -> AppResult<()> {
    let from_outside = !matches!(caller.via, crate::Via::Console);
    if from_outside
        && party != Party::Fund
        && app.config.require_partner_signatures
        && report.partner_signature.is_none()
    {
        return Err(invalid("signature", "card.partner_signature.required"));
    }
    Ok(())
}

/// Verifies a partner's own signature on its report and returns the report it states, with the
/// evidence the sealed message keeps: `signature` (a detached CMS, DER in base64) must verify
/// over the exact bytes of `statement` against the fund's trust anchors (chain, validity,
/// revocation), by a document-signing certificate the fund's centre issued to the caller's
/// organisation (its unit or a unit above it), and the statement must name this card.
async fn verify_statement(
    app: &App,
    caller: &Caller,
    card_id: Uuid,
    statement: &str,
    signature: &str,
) -> AppResult<Report> {
    let bad_statement = |key: &'static str| AppError::invalid(Invalid::one("statement", key));
    let bad_signature = |key: &'static str| AppError::invalid(Invalid::one("signature", key));
    let stated: Value = serde_json::from_str(statement).map_err(|_| bad_statement("card.statement.invalid"))?;
    if stated["card"].as_str() != Some(card_id.to_string().as_str()) {
        return Err(bad_statement("card.statement.other_card"));
    }
    let mut report: Report = serde_json::from_value(stated).map_err(|_| bad_statement("card.statement.invalid"))?;
    let der = B64.decode(signature.trim()).map_err(|_| bad_signature("card.partner_signature.invalid"))?;
    let ctx = trust::current(app).await;
    let verified = dossier_crypto::signed::verify(
        &dossier_crypto::software::SoftwareProvider,
        &der,
        &dossier_crypto::signed::VerifyInput::detached(&[statement.as_bytes()]),
        &ctx,
    );
    let signer = match (verified.report.is_passed(), verified.report.signer) {
        (true, Some(signer)) => signer,
        _ => return Err(bad_signature("card.partner_signature.invalid")),
    };
    // The signer's certificate must be one the centre issued to the caller's organisation.
    let mut unit = app.unit(caller.unit.id);
    let mut found = None;
    while let Some(u) = unit {
        let held = app.store.issued_certificates_of(CertSubject::Unit(u.id)).await?;
        let signing = held.into_iter().find(|c| {
            c.profile == Profile::DocumentSigning
                && c.revoked_at.is_none()
                && fingerprint(&c.der).as_deref() == Some(signer.fingerprint.as_str())
        });
        if let Some(c) = signing {
            found = Some((c, u.code.clone()));
            break;
        }
        unit = u.parent_id.and_then(|p| app.unit(p));
    }
    let Some((cert, unit_code)) = found else {
        return Err(bad_signature("card.partner_signature.not_yours"));
    };
    report.partner_signature = Some(json!({
        "statement": statement,
        "signature": signature.trim(),
        "signer": {"serial": cert.serial, "subject": cert.subject_name, "unit": unit_code},
    }));
    Ok(report)
}

/// SHA-256 (hex) of a stored certificate's DER, as validation reports name the signer's.
fn fingerprint(stored: &[u8]) -> Option<String> {
    use sha2::Digest;
    use x509_cert::der::Encode;
    let der = dossier_crypto::ca::certificate_from_pem(stored).ok()?.to_der().ok()?;
    Some(base16ct::lower::encode_string(&sha2::Sha256::digest(der)))
}

/// The personalizer's requests: each a valid self-signed request (proof of
/// possession), at least two, all different keys. Returned as base64 DER.
fn check_requests(pems: &[String]) -> AppResult<Vec<String>> {
    let provider = dossier_crypto::software::SoftwareProvider;
    let mut keys = Vec::with_capacity(pems.len());
    let mut ders = Vec::with_capacity(pems.len());
    for (i, pem) in pems.iter().enumerate() {
        let bad = || AppError::invalid(Invalid::one(format!("requests[{i}]"), "card.keys.invalid_request"));
        let (_, der) = x509_cert::der::pem::decode_vec(pem.trim().as_bytes()).map_err(|_| bad())?;
        let checked = dossier_crypto::x509::verify_request(&provider, &der).map_err(|_| bad())?;
        keys.push(checked.public_key_der);
        ders.push(B64.encode(der));
    }
    let refs: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
    card::check_key_requests(&refs).map_err(AppError::invalid)?;
    Ok(ders)
}

/// The centre certifies the chip's keys: only after the bank's identification
/// matched (§IV.6), from the requests the personalizer sent. A request
/// certified before (a repeated call after a crash) is not certified again.
async fn certify(app: &App, actor: &Actor, card: &CertificateRecord) -> AppResult<Value> {
    let ca = app.ca.as_ref().ok_or_else(AppError::not_found)?;
    let messages = app.store.card_messages(card.id).await?;
    let payload = |event: Event| {
        messages
            .iter()
            .rev()
            .find(|m| m.event == event.as_str())
            .and_then(|m| serde_json::from_str::<Value>(&m.payload).ok())
    };
    let matched = payload(Event::OpenAccount).is_some_and(|p| p["data"]["identification_matched"] == json!(true));
    if !matched {
        return Err(conflict(Message::new("card.identification.unmatched")));
    }
    let requests: Vec<String> = payload(Event::GenerateKeys)
        .and_then(|p| serde_json::from_value(p["data"]["requests"].clone()).ok())
        .ok_or_else(|| conflict(Message::new("card.keys.missing")))?;
    let held = app.store.issued_certificates_of(CertSubject::Person(card.person_id)).await?;
    let mut out = vec![];
    for r in requests {
        let der = B64.decode(&r).map_err(|_| AppError::internal())?;
        let spki = dossier_crypto::x509::verify_request(&dossier_crypto::software::SoftwareProvider, &der)
            .map_err(|_| AppError::internal())?
            .public_key_der;
        let before = held.iter().find(|c| {
            c.card_application_id == Some(card.id)
                && c.revoked_at.is_none()
                && public_key_of(&c.der).is_some_and(|k| k == spki)
        });
        let serial = match before {
            Some(c) => c.serial.clone(),
            None => {
                let req = IssueRequest {
                    csr: der,
                    profile: Profile::CardKey,
                    subject: SubjectRef::Person(card.person_id.to_string()),
                    card_application_id: Some(card.id),
                    validity_days: None,
                };
                ca.issue(app.store.as_ref(), actor, req).await?.record.serial
            }
        };
        out.push(serial);
    }
    Ok(json!(out))
}

/// The DER of a recorded certificate's public key.
fn public_key_of(cert: &[u8]) -> Option<Vec<u8>> {
    use x509_cert::der::Encode;
    let c = dossier_crypto::ca::certificate_from_pem(cert).ok()?;
    c.tbs_certificate().subject_public_key_info().to_der().ok()
}

/// Builds the message: canonical JSON (keys sorted, no spaces) naming the
/// card, the step, both parties, the sender's unit and account and the time,
/// sealed by the fund (refused when the fund has no seal configured).
#[allow(clippy::too_many_arguments)]
fn seal(
    app: &App,
    card_id: Uuid,
    event: Event,
    (sender, recipient): (Party, Party),
    unit_id: i64,
    actor: &Actor,
    at: DateTime<Utc>,
    data: Value,
) -> AppResult<NewCardMessage> {
    let unit = app.unit(unit_id).map(|u| u.code).unwrap_or_default();
    let payload = json!({
        "card": card_id,
        "event": event.as_str(),
        "from": sender.as_str(),
        "to": recipient.as_str(),
        "unit": unit,
        "actor": actor.label,
        "at": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": data,
    })
    .to_string();
    // Every exchange is a signed message: without the fund's seal there is no exchange.
    let seal =
        app.trust.seal().ok_or_else(|| AppError::new(ErrorKind::Unavailable, "seal_missing", "card.seal_missing"))?;
    let seal = seal.seal_detached(payload.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "sealing a card message failed");
        AppError::internal()
    })?;
    Ok(NewCardMessage { event, sender, unit_id, payload, seal: Some(seal), card_expires_on: None })
}

/// What `dispatch` did.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct Dispatched {
    pub sent_to_bank: usize,
    /// Held by the duplicate check instead of going to the bank.
    pub held: usize,
    pub sent_to_personalizer: usize,
    pub failed: usize,
}

/// The fund's side of the exchange in one call: every accepted card
/// application in the caller's scope goes to its bank, every card whose
/// account is open goes to the personalizer. A card that fails is counted and
/// left for the next call.
async fn dispatch_ready(app: &App, caller: &Caller) -> AppResult<Dispatched> {
    let actor = caller.actor();
    let fund = Desk { party: Party::Fund, reports: true };
    let mut out = Dispatched::default();
    const READY: [(&[Stage], Event); 2] =
        [(&[Stage::Accepted], Event::SendToBank), (&[Stage::AccountOpened], Event::SendToPersonalizer)];
    for (stages, event) in READY {
        // A card that fails stays in its stage; it is counted once and skipped.
        let mut failed = std::collections::HashSet::new();
        loop {
            let cards = app.store.cards(&fund.filter(caller, stages), Page::new(0, 200)).await?;
            let (mut moved, mut held) = (0, 0);
            let todo: Vec<&CertificateRecord> = cards.iter().filter(|c| !failed.contains(&c.id)).collect();
            for c in todo {
                let r = Report { event: event.as_str().into(), ..Report::default() };
                match take_step(app, &actor, Party::Fund, caller.unit.id, c, r).await {
                    Ok((_, Some(_))) => moved += 1,
                    // Held: it leaves the queue of accepted cards all the same.
                    Ok((_, None)) => {
                        out.held += 1;
                        held += 1;
                    }
                    Err(e) => {
                        tracing::warn!(card = %c.id, error = %e, "card dispatch failed");
                        failed.insert(c.id);
                        out.failed += 1;
                    }
                }
            }
            match event {
                Event::SendToBank => out.sent_to_bank += moved,
                _ => out.sent_to_personalizer += moved,
            }
            if moved + held == 0 {
                break;
            }
        }
    }
    Ok(out)
}

// ---- use cases ----

/// A desk's queue: its cards, those nearest their deadline first.
pub struct Queue {
    pub desk: Desk,
    pub cards: Vec<CardView>,
}

/// The caller's queue, optionally at one stage of its party's. A partner's
/// read of registry facts (names for the bank) is audited.
pub async fn queue(app: &App, caller: &Caller, stage: Option<Stage>, page: Page, lang: Lang) -> AppResult<Queue> {
    let desk = Desk::of(caller)?;
    let all = desk.party.stages();
    let stages: &'static [Stage] = match stage {
        None => all,
        Some(s) => match all.iter().position(|x| *x == s) {
            // A one-stage slice of the party's own list.
            Some(i) => &all[i..=i],
            None => {
                let m = Message::new("common.unknown_value").with("value", s.as_str());
                return Err(AppError::field("stage", m));
            }
        },
    };
    let now = Utc::now();
    let mut cards = vec![];
    for c in app.store.cards(&desk.filter(caller, stages), page).await? {
        cards.push(view(app, desk.party, &c, now, lang).await?);
    }
    if desk.party != Party::Fund && !cards.is_empty() {
        let ids: Vec<_> = cards.iter().map(|c| c.id).collect();
        let subject = format!("party:{}", desk.party.as_str());
        app.store.audit(&caller.actor(), "card.queue", &subject, json!({"cards": ids})).await?;
    }
    Ok(Queue { desk, cards })
}

/// A card with the messages the caller's party sent or received (each with the
/// fund's seal over its exact bytes); the read is audited.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CardDetail {
    pub card: CardView,
    pub messages: Vec<MessageView>,
}

pub async fn card(app: &App, caller: &Caller, id: Uuid, lang: Lang) -> AppResult<(Desk, CardDetail)> {
    let desk = Desk::of(caller)?;
    let c = load(app, caller, desk.party, id).await?;
    let messages = messages_for(caller, desk.party, app.store.card_messages(c.id).await?);
    let subject = format!("certificate:{}", c.id);
    app.store.audit(&caller.actor(), "card.read", &subject, json!({"party": desk.party})).await?;
    Ok((desk, CardDetail { card: view(app, desk.party, &c, Utc::now(), lang).await?, messages }))
}

/// A step as a party reports it: the report's fields, or a partner's signed
/// statement of them.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Step {
    #[serde(flatten)]
    pub report: Report,
    /// The report's JSON exactly as the partner signed it, naming the card (`"card": id`).
    pub statement: Option<String>,
    /// The partner's detached CMS signature over `statement` (DER, base64).
    pub signature: Option<String>,
}

/// What a step did: the card as it is now and the sealed message recorded.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Stepped {
    pub card: CardView,
    /// Absent when sending to the bank held the card as a possible duplicate
    /// (stage `duplicate_hold`): nothing was sent.
    pub message: Option<MessageView>,
}

/// A party reports one step of a card: a signed statement is verified first,
/// the signature policy applies to partners, then the step is checked, sealed
/// and recorded.
pub async fn step(app: &App, caller: &Caller, id: Uuid, step: Step, lang: Lang) -> AppResult<Stepped> {
    let desk = Desk::of(caller)?;
    if !desk.reports {
        return Err(AppError::forbidden());
    }
    let c = load(app, caller, desk.party, id).await?;
    let report = match (step.statement.as_deref(), step.signature.as_deref()) {
        (None, None) => step.report,
        (Some(statement), Some(signature)) => verify_statement(app, caller, c.id, statement, signature).await?,
        (None, Some(_)) => return Err(AppError::field("statement", "common.required")),
        (Some(_), None) => return Err(AppError::field("signature", "common.required")),
    };
    check_signature_policy(app, caller, desk.party, &report)?;
    // A held card moves by the central fund's decision on the hold (`production::decide_hold`).
    if c.stage == Stage::DuplicateHold {
        return Err(conflict(Message::new("card.held").with("application", &c.number)));
    }
    let (c, m) = take_step(app, &caller.actor(), desk.party, caller.unit.id, &c, report).await?;
    Ok(Stepped { card: view(app, desk.party, &c, Utc::now(), lang).await?, message: m.map(message_view) })
}

/// A card whose back the caller may see, with what the back prints and the card number
/// recorded for it.
async fn printable(
    app: &App,
    caller: &Caller,
    id: Uuid,
) -> AppResult<(Desk, CertificateRecord, CardFace, Option<String>)> {
    let desk = Desk::of(caller)?;
    if !desk.may_read_back(caller) {
        return Err(AppError::forbidden());
    }
    let c = load(app, caller, desk.party, id).await?;
    let (face, number) = printed_face(app, &c).await?;
    Ok((desk, c, face, number))
}

/// Form 5 as the card prints it: the fields and pictures sealed to the personalizer (a proof
/// composed now before that), with the card number the personalizer reported — or gives in
/// `card_number` to print before reporting — as signed PDF/A. For the personalizer and the
/// fund's staff who may read the holder's data; the read is audited.
pub async fn back_pdf(app: &App, caller: &Caller, id: Uuid, card_number: Option<&str>) -> AppResult<Vec<u8>> {
    let (desk, c, face, recorded) = printable(app, caller, id).await?;
    let asked = match card_number.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(CardNumber::parse(n)?),
        None => None,
    };
    let number = match (recorded, asked) {
        (Some(r), Some(a)) if r != a.as_str() => return Err(conflict(Message::new("card.number.differs"))),
        (Some(r), _) => r,
        (None, Some(a)) => a.as_str().to_owned(),
        (None, None) => String::new(),
    };
    let subject = format!("certificate:{}", c.id);
    app.store.audit(&caller.actor(), "card.back.read", &subject, json!({"party": desk.party})).await?;
    render_back(app, &face, &number).await
}

/// The exact image the fund's message to the personalizer names (its SHA-256 is in the
/// sealed payload), for the personalizer to print; the read is audited.
pub async fn picture(app: &App, caller: &Caller, id: Uuid, kind: PictureKind) -> AppResult<Content> {
    let (desk, c, face, _) = printable(app, caller, id).await?;
    let picture = match kind {
        PictureKind::Photo => face.photo,
        PictureKind::Signature => face.signature,
    };
    let subject = format!("certificate:{}", c.id);
    let details = json!({"party": desk.party, "kind": kind.name()});
    app.store.audit(&caller.actor(), "card.picture.read", &subject, details).await?;
    let bytes = app.blobs.get(&picture.sha256).await?;
    Ok(Content { content_type: picture.content_type, bytes })
}

/// The fund sends every ready card in its scope on: accepted applications to
/// their banks, opened accounts to the personalizer.
pub async fn dispatch(app: &App, caller: &Caller) -> AppResult<Dispatched> {
    if !Desk::of(caller)?.dispatches() {
        return Err(AppError::forbidden());
    }
    dispatch_ready(app, caller).await
}
