//! The pension-certificate life cycle (regulation 26-1, §§ I, III–V; SPEC §2.4)
//! as a pure state machine. [`next`] is the only way a certificate moves, and it
//! answers from one transition table, so the order the regulation prescribes is
//! enforced in one place and every caller (API, staff UI, importers) agrees.
//!
//! Paper certificate (§III, §V):
//! ```text
//! accepted ─submit_to_region→ submitted_to_region ─submit_to_central→ submitted_to_central
//!   ├─pass_duplicate_check→ in_production
//!   └─hold_as_duplicate→ duplicate_hold ─release_hold→ in_production
//!                                       └─refuse→ refused
//! in_production ─produce→ produced ─transfer_to_region→ at_region ─transfer_to_district→ at_district
//!   ─issue→ issued ─return_for_destruction→ returned
//!                  └─declare_lost→ lost
//! produced | at_region | at_district | returned | issued ─destroy→ destroyed
//! ```
//! Card certificate (§IV, §V):
//! ```text
//! accepted ─hold_as_duplicate→ duplicate_hold ─send_to_bank (hold released)→ sent_to_bank
//!                                             └─refuse→ refused
//! accepted ─send_to_bank→ sent_to_bank ─open_account→ account_opened ─send_to_personalizer→
//!   at_personalizer ─generate_keys→ keys_generated ─certify_keys→ keys_certified ─personalize→
//!   personalized ─deliver_to_branch→ at_branch ─issue→ issued ─activate→ active ⇄ blocked
//! accepted … keys_certified ─refuse→ refused
//! at_branch | issued | active | blocked ─withdraw_by_bank | declare_lost | destroy→
//!   withdrawn_by_bank | lost | destroyed
//! ```
//! Both forms: `accepted ─withdraw→ withdrawn`.
//!
//! Design choices:
//! - Concepts common to both forms (accepted, issued, lost, destroyed, withdrawn,
//!   refused) are one [`Stage`] value each, so "all issued certificates" is one
//!   query whatever the form; the form is an argument of [`next`] because the
//!   same event (e.g. `issue`) has different predecessors per form.
//! - There is no `replace` event. A replacement (§I.3) is a *new* application
//!   that runs the whole production procedure from [`initial`]; the *old*
//!   certificate leaves the live set on its own: a paper one is handed back
//!   (`return_for_destruction`, then `destroy` by commission act), a card goes
//!   back to the bank, which reports `withdraw_by_bank` or `destroy`; a lost one
//!   is `declare_lost`. `returned` therefore plays the role of "replaced": it is
//!   not live, so the new application passes the duplicate check.
//! - `release_hold` leads straight to `in_production`: releasing a hold *is* the
//!   outcome of the (manual) duplicate check; a further `pass_duplicate_check`
//!   would record the same decision twice.
//! - A paper application is refused only after a duplicate hold: the duplicate
//!   check (§III.4) is the only point where the central fund stops it. A card may
//!   be refused by the bank or the key-certification centre (e.g. identification
//!   data mismatch) at any point up to certified keys, i.e. before personalization.
//! - A card passes the same duplicate check before it goes to the bank (a person
//!   holds one form of certificate, §I.2, so another registry record's paper
//!   certificate must stop a card as it stops paper). Releasing a card's hold *is*
//!   sending it to the bank: the fund's sealed message to the bank is that step.
//! - The machine knows order only. Deadlines (Monday/Tuesday 12:00, two weeks,
//!   30 working days), the reason for destruction (§I.4), the commission of at
//!   least three (§III.8) and identification at issue (§V.1) are checked and
//!   recorded by the caller together with the event.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::Message;

/// The form a certificate is made in (§I.2): paper (form 2) or a payment card
/// that is also the certificate (form 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateForm {
    Paper,
    Card,
}

const BOTH: &[CertificateForm] = &[CertificateForm::Paper, CertificateForm::Card];
const PAPER: &[CertificateForm] = &[CertificateForm::Paper];
const CARD: &[CertificateForm] = &[CertificateForm::Card];

impl CertificateForm {
    pub const ALL: &'static [CertificateForm] = BOTH;

    /// Stable snake_case name (as serialised and stored).
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateForm::Paper => "paper",
            CertificateForm::Card => "card",
        }
    }

    pub fn parse(s: &str) -> Option<CertificateForm> {
        Self::ALL.iter().copied().find(|f| f.as_str() == s)
    }

    /// Catalogue key `certificate_form.<as_str>`.
    pub fn message(self) -> Message {
        Message::new(match self {
            CertificateForm::Paper => "certificate_form.paper",
            CertificateForm::Card => "certificate_form.card",
        })
    }
}

/// Where a certificate (or its application) is: one list for both forms, each
/// stage saying which form it belongs to.
// Keep `Stage::ALL` in declaration order (a test checks it); `Stage::forms` says
// which form a stage belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Application (form 1) filed at the territorial body (§I.2). Both forms.
    Accepted,
    /// Paper: in the weekly batch sent to the regional main office (§III.1).
    SubmittedToRegion,
    /// Paper: in the consolidated data sent to the central fund (§III.2).
    SubmittedToCentral,
    /// The duplicate check (§III.4; for a card, before it goes to the bank)
    /// found an earlier pension or certificate; production waits for a decision.
    DuplicateHold,
    /// Paper: passed the duplicate check, being produced (§III.4).
    InProduction,
    /// Paper: produced, number assigned, at the central fund.
    Produced,
    /// Paper: handed to the regional main office by acceptance-transfer act (§III.6).
    AtRegion,
    /// Paper: handed to the district office by act; ready for issue (§III.6).
    AtDistrict,
    /// Card: application sent to the bank that holds the pension account (§IV.1).
    SentToBank,
    /// Card: the bank opened the account.
    AccountOpened,
    /// Card: data handed to the personalizer (§IV.5).
    AtPersonalizer,
    /// Card: at least two key pairs generated, self-signed requests submitted (§IV.4, §IV.6).
    KeysGenerated,
    /// Card: the certification centre issued the certificates after the bank's
    /// identification data matched (§IV.6).
    KeysCertified,
    /// Card: graphic and electronic data written to the card (§I.5, §IV.8).
    Personalized,
    /// Card: delivered to and stored at the bank branch named in the application (§IV.8).
    AtBranch,
    /// Handed to the holder or the legal representative (§V). Both forms.
    Issued,
    /// Card: the holder activated it by entering the PIN (§V.4).
    Active,
    /// Card: blocked by the bank; may be unblocked.
    Blocked,
    /// Paper: handed back to the fund for destruction (e.g. on replacement, §I.3).
    Returned,
    /// Declared lost. Both forms; final.
    Lost,
    /// Card: withdrawn from circulation by the bank, which notified the fund (§IV.10). Final.
    WithdrawnByBank,
    /// Destroyed (§I.4; by commission act for paper, §III.8). Both forms; final.
    Destroyed,
    /// The person withdrew the application before production. Both forms; final.
    Withdrawn,
    /// Production refused (duplicate; bank or certification centre refusal). Both forms; final.
    Refused,
}

impl Stage {
    pub const ALL: &'static [Stage] = &[
        Stage::Accepted,
        Stage::SubmittedToRegion,
        Stage::SubmittedToCentral,
        Stage::DuplicateHold,
        Stage::InProduction,
        Stage::Produced,
        Stage::AtRegion,
        Stage::AtDistrict,
        Stage::SentToBank,
        Stage::AccountOpened,
        Stage::AtPersonalizer,
        Stage::KeysGenerated,
        Stage::KeysCertified,
        Stage::Personalized,
        Stage::AtBranch,
        Stage::Issued,
        Stage::Active,
        Stage::Blocked,
        Stage::Returned,
        Stage::Lost,
        Stage::WithdrawnByBank,
        Stage::Destroyed,
        Stage::Withdrawn,
        Stage::Refused,
    ];

    /// The stored name and the catalogue key side by side, so they cannot drift
    /// apart (`&'static` keys cannot be built with `format!`).
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Stage::Accepted => ("accepted", "stage.accepted"),
            Stage::SubmittedToRegion => ("submitted_to_region", "stage.submitted_to_region"),
            Stage::SubmittedToCentral => ("submitted_to_central", "stage.submitted_to_central"),
            Stage::DuplicateHold => ("duplicate_hold", "stage.duplicate_hold"),
            Stage::InProduction => ("in_production", "stage.in_production"),
            Stage::Produced => ("produced", "stage.produced"),
            Stage::AtRegion => ("at_region", "stage.at_region"),
            Stage::AtDistrict => ("at_district", "stage.at_district"),
            Stage::SentToBank => ("sent_to_bank", "stage.sent_to_bank"),
            Stage::AccountOpened => ("account_opened", "stage.account_opened"),
            Stage::AtPersonalizer => ("at_personalizer", "stage.at_personalizer"),
            Stage::KeysGenerated => ("keys_generated", "stage.keys_generated"),
            Stage::KeysCertified => ("keys_certified", "stage.keys_certified"),
            Stage::Personalized => ("personalized", "stage.personalized"),
            Stage::AtBranch => ("at_branch", "stage.at_branch"),
            Stage::Issued => ("issued", "stage.issued"),
            Stage::Active => ("active", "stage.active"),
            Stage::Blocked => ("blocked", "stage.blocked"),
            Stage::Returned => ("returned", "stage.returned"),
            Stage::Lost => ("lost", "stage.lost"),
            Stage::WithdrawnByBank => ("withdrawn_by_bank", "stage.withdrawn_by_bank"),
            Stage::Destroyed => ("destroyed", "stage.destroyed"),
            Stage::Withdrawn => ("withdrawn", "stage.withdrawn"),
            Stage::Refused => ("refused", "stage.refused"),
        }
    }

    /// Stable snake_case name, equal to the serde name; stored in the database,
    /// so never rename one.
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// Inverse of [`Stage::as_str`]; exact match only.
    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.iter().copied().find(|st| st.as_str() == s)
    }

    /// Catalogue key `stage.<as_str>`.
    pub fn message(self) -> Message {
        Message::new(self.names().1)
    }

    /// Application data may still be changed: the application has not left the
    /// district office (paper) or gone to the bank (card).
    pub fn is_amendable(self) -> bool {
        matches!(self, Stage::Accepted)
    }

    /// The person may withdraw the application: the same window as amending,
    /// since afterwards others (the central fund, the bank) act on the data.
    pub fn is_withdrawable(self) -> bool {
        self.is_amendable()
    }

    /// Counts for the duplicate check: a pending application or a certificate
    /// that exists and is valid. A returned certificate is on its way to
    /// destruction because it was replaced, so it must not block the new one.
    pub fn is_live(self) -> bool {
        !matches!(
            self,
            Stage::Withdrawn
                | Stage::Refused
                | Stage::Destroyed
                | Stage::Lost
                | Stage::WithdrawnByBank
                | Stage::Returned
        )
    }

    /// No event leads out of this stage.
    pub fn is_final(self) -> bool {
        matches!(self, Stage::Lost | Stage::WithdrawnByBank | Stage::Destroyed | Stage::Withdrawn | Stage::Refused)
    }

    /// Handed over for production and not yet at the place of issue: the span
    /// the production deadlines run over (two weeks at the central fund, §III.4;
    /// 30 working days until the card is ready for issue, §IV.9). Ends at
    /// `at_district` / `at_branch`, where the certificate waits for its holder.
    pub fn in_production(self) -> bool {
        matches!(
            self,
            Stage::SubmittedToRegion
                | Stage::SubmittedToCentral
                | Stage::DuplicateHold
                | Stage::InProduction
                | Stage::Produced
                | Stage::AtRegion
                | Stage::SentToBank
                | Stage::AccountOpened
                | Stage::AtPersonalizer
                | Stage::KeysGenerated
                | Stage::KeysCertified
                | Stage::Personalized
        )
    }

    /// The forms whose life cycle contains this stage.
    pub fn forms(self) -> &'static [CertificateForm] {
        match self {
            Stage::Accepted
            | Stage::DuplicateHold
            | Stage::Issued
            | Stage::Lost
            | Stage::Destroyed
            | Stage::Withdrawn
            | Stage::Refused => BOTH,
            Stage::SubmittedToRegion
            | Stage::SubmittedToCentral
            | Stage::InProduction
            | Stage::Produced
            | Stage::AtRegion
            | Stage::AtDistrict
            | Stage::Returned => PAPER,
            Stage::SentToBank
            | Stage::AccountOpened
            | Stage::AtPersonalizer
            | Stage::KeysGenerated
            | Stage::KeysCertified
            | Stage::Personalized
            | Stage::AtBranch
            | Stage::Active
            | Stage::Blocked
            | Stage::WithdrawnByBank => CARD,
        }
    }
}

/// Something that happens to a certificate, recorded by the fund, the bank,
/// the personalizer or the certification centre.
// Keep `Event::ALL` in declaration order (a test checks it): it is also the
// order of `allowed_events`, forward steps first, destructive ones last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Paper: district → regional main office, by Monday 12:00 (§III.1).
    SubmitToRegion,
    /// Paper: regional main office → central fund, by Tuesday 12:00 (§III.2).
    SubmitToCentral,
    /// Paper: no earlier pension or certificate found (§III.4).
    PassDuplicateCheck,
    /// A possible duplicate found (paper at the central fund; a card before it goes to the bank).
    HoldAsDuplicate,
    /// Paper: the hold was examined and lifted; production goes ahead.
    ReleaseHold,
    /// Paper: the certificate was produced and numbered.
    Produce,
    /// Paper: acceptance-transfer act central fund → regional main office (§III.6).
    TransferToRegion,
    /// Paper: act regional main office → district office, within 2 days (§III.6).
    TransferToDistrict,
    /// Card: the application goes to the bank (§IV.1).
    SendToBank,
    /// Card: the bank opened the account.
    OpenAccount,
    /// Card: data go to the personalizer (§IV.5).
    SendToPersonalizer,
    /// Card: key pairs generated, certification requests submitted (§IV.4, §IV.6).
    GenerateKeys,
    /// Card: the certification centre certified the keys (§IV.6).
    CertifyKeys,
    /// Card: the card was personalized.
    Personalize,
    /// Card: the card arrived at the bank branch (§IV.8).
    DeliverToBranch,
    /// Handed to the holder or the representative after identification (§V). Both forms.
    Issue,
    /// Card: the holder entered the PIN (§V.4).
    Activate,
    /// Card: the bank blocked the card.
    Block,
    /// Card: the bank unblocked the card.
    Unblock,
    /// The person withdrew the application. Both forms.
    Withdraw,
    /// Production refused. Both forms.
    Refuse,
    /// Paper: the holder handed the certificate back (e.g. on replacement, §I.3).
    ReturnForDestruction,
    /// The certificate was declared lost. Both forms.
    DeclareLost,
    /// Card: the bank withdrew the card and notified the fund (§IV.10).
    WithdrawByBank,
    /// The certificate was destroyed (§I.4, §III.8). Both forms.
    Destroy,
}

impl Event {
    pub const ALL: &'static [Event] = &[
        Event::SubmitToRegion,
        Event::SubmitToCentral,
        Event::PassDuplicateCheck,
        Event::HoldAsDuplicate,
        Event::ReleaseHold,
        Event::Produce,
        Event::TransferToRegion,
        Event::TransferToDistrict,
        Event::SendToBank,
        Event::OpenAccount,
        Event::SendToPersonalizer,
        Event::GenerateKeys,
        Event::CertifyKeys,
        Event::Personalize,
        Event::DeliverToBranch,
        Event::Issue,
        Event::Activate,
        Event::Block,
        Event::Unblock,
        Event::Withdraw,
        Event::Refuse,
        Event::ReturnForDestruction,
        Event::DeclareLost,
        Event::WithdrawByBank,
        Event::Destroy,
    ];

    /// The stored name and the catalogue key side by side.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Event::SubmitToRegion => ("submit_to_region", "event.submit_to_region"),
            Event::SubmitToCentral => ("submit_to_central", "event.submit_to_central"),
            Event::PassDuplicateCheck => ("pass_duplicate_check", "event.pass_duplicate_check"),
            Event::HoldAsDuplicate => ("hold_as_duplicate", "event.hold_as_duplicate"),
            Event::ReleaseHold => ("release_hold", "event.release_hold"),
            Event::Produce => ("produce", "event.produce"),
            Event::TransferToRegion => ("transfer_to_region", "event.transfer_to_region"),
            Event::TransferToDistrict => ("transfer_to_district", "event.transfer_to_district"),
            Event::SendToBank => ("send_to_bank", "event.send_to_bank"),
            Event::OpenAccount => ("open_account", "event.open_account"),
            Event::SendToPersonalizer => ("send_to_personalizer", "event.send_to_personalizer"),
            Event::GenerateKeys => ("generate_keys", "event.generate_keys"),
            Event::CertifyKeys => ("certify_keys", "event.certify_keys"),
            Event::Personalize => ("personalize", "event.personalize"),
            Event::DeliverToBranch => ("deliver_to_branch", "event.deliver_to_branch"),
            Event::Issue => ("issue", "event.issue"),
            Event::Activate => ("activate", "event.activate"),
            Event::Block => ("block", "event.block"),
            Event::Unblock => ("unblock", "event.unblock"),
            Event::Withdraw => ("withdraw", "event.withdraw"),
            Event::Refuse => ("refuse", "event.refuse"),
            Event::ReturnForDestruction => ("return_for_destruction", "event.return_for_destruction"),
            Event::DeclareLost => ("declare_lost", "event.declare_lost"),
            Event::WithdrawByBank => ("withdraw_by_bank", "event.withdraw_by_bank"),
            Event::Destroy => ("destroy", "event.destroy"),
        }
    }

    /// Stable snake_case name, equal to the serde name; stored in the database.
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// Inverse of [`Event::as_str`]; exact match only.
    pub fn parse(s: &str) -> Option<Event> {
        Self::ALL.iter().copied().find(|e| e.as_str() == s)
    }

    /// Catalogue key `event.<as_str>`.
    pub fn message(self) -> Message {
        Message::new(self.names().1)
    }

    /// Happens to a paper certificate only by an act: acceptance of an
    /// acceptance-transfer act (§III.6) or the last signature of a
    /// destruction act (§III.8). Nothing else may move a certificate an open
    /// act lists.
    pub fn is_by_act(self) -> bool {
        matches!(self, Event::TransferToRegion | Event::TransferToDistrict | Event::Destroy)
    }

    /// The forms whose life cycle knows this event; any other form gets
    /// `lifecycle.wrong_form` from [`next`].
    pub fn forms(self) -> &'static [CertificateForm] {
        match self {
            Event::Issue
            | Event::Withdraw
            | Event::Refuse
            | Event::DeclareLost
            | Event::Destroy
            | Event::HoldAsDuplicate => BOTH,
            Event::SubmitToRegion
            | Event::SubmitToCentral
            | Event::PassDuplicateCheck
            | Event::ReleaseHold
            | Event::Produce
            | Event::TransferToRegion
            | Event::TransferToDistrict
            | Event::ReturnForDestruction => PAPER,
            Event::SendToBank
            | Event::OpenAccount
            | Event::SendToPersonalizer
            | Event::GenerateKeys
            | Event::CertifyKeys
            | Event::Personalize
            | Event::DeliverToBranch
            | Event::Activate
            | Event::Block
            | Event::Unblock
            | Event::WithdrawByBank => CARD,
        }
    }
}

/// Where every certificate starts: its application has been accepted. The form
/// is taken so that callers stay correct should the forms ever start apart.
pub fn initial(_form: CertificateForm) -> Stage {
    Stage::Accepted
}

/// The regular path from acceptance to issue (§III, §IV, §V) — what the
/// production offices do when nothing goes wrong. Demo data and tests walk it.
pub const fn path_to_issue(form: CertificateForm) -> &'static [Event] {
    match form {
        CertificateForm::Paper => &[
            Event::SubmitToRegion,
            Event::SubmitToCentral,
            Event::PassDuplicateCheck,
            Event::Produce,
            Event::TransferToRegion,
            Event::TransferToDistrict,
            Event::Issue,
        ],
        CertificateForm::Card => &[
            Event::SendToBank,
            Event::OpenAccount,
            Event::SendToPersonalizer,
            Event::GenerateKeys,
            Event::CertifyKeys,
            Event::Personalize,
            Event::DeliverToBranch,
            Event::Issue,
        ],
    }
}

/// The one transition table. `None` means "not allowed"; [`next`] turns that
/// into a message. Both `from` and `event` are known to belong to `form`.
fn step(form: CertificateForm, from: Stage, event: Event) -> Option<Stage> {
    use CertificateForm::{Card, Paper};
    use Event as E;
    use Stage as S;

    let to = match (form, from, event) {
        // Either form: only while the data are amendable (nobody else acts on them yet).
        (_, S::Accepted, E::Withdraw) => S::Withdrawn,

        // Paper, §III.1–2: district → regional main office → central fund.
        (Paper, S::Accepted, E::SubmitToRegion) => S::SubmittedToRegion,
        (Paper, S::SubmittedToRegion, E::SubmitToCentral) => S::SubmittedToCentral,
        // §III.4: earlier pensions / certificates are checked before production.
        (Paper, S::SubmittedToCentral, E::PassDuplicateCheck) => S::InProduction,
        (Paper, S::SubmittedToCentral, E::HoldAsDuplicate) => S::DuplicateHold,
        (Paper, S::DuplicateHold, E::ReleaseHold) => S::InProduction,
        (Paper, S::DuplicateHold, E::Refuse) => S::Refused,
        (Paper, S::InProduction, E::Produce) => S::Produced,
        // §III.6: acceptance-transfer acts, central → region → district.
        (Paper, S::Produced, E::TransferToRegion) => S::AtRegion,
        (Paper, S::AtRegion, E::TransferToDistrict) => S::AtDistrict,
        // §V.2–3: issued by the body named in the application, against signature.
        (Paper, S::AtDistrict, E::Issue) => S::Issued,
        (Paper, S::Issued, E::DeclareLost) => S::Lost,
        // §I.3: on replacement the old certificate comes back to be destroyed.
        (Paper, S::Issued, E::ReturnForDestruction) => S::Returned,
        // §I.4, §III.8: any certificate that physically exists may be destroyed.
        (Paper, S::Produced | S::AtRegion | S::AtDistrict | S::Returned | S::Issued, E::Destroy) => S::Destroyed,

        // Card, §IV: bank → personalizer → certification centre → personalization,
        // after the duplicate check the fund runs before sending (§I.2, §III.4).
        (Card, S::Accepted, E::HoldAsDuplicate) => S::DuplicateHold,
        (Card, S::Accepted | S::DuplicateHold, E::SendToBank) => S::SentToBank,
        (Card, S::SentToBank, E::OpenAccount) => S::AccountOpened,
        (Card, S::AccountOpened, E::SendToPersonalizer) => S::AtPersonalizer,
        (Card, S::AtPersonalizer, E::GenerateKeys) => S::KeysGenerated,
        // §IV.6: only a self-signed request whose identification data match is certified.
        (Card, S::KeysGenerated, E::CertifyKeys) => S::KeysCertified,
        // The keys are written to the chip, so personalization needs them certified.
        (Card, S::KeysCertified, E::Personalize) => S::Personalized,
        (Card, S::Personalized, E::DeliverToBranch) => S::AtBranch,
        // §V.2, §V.4: issued at the branch named in the application, then activated by the holder.
        (Card, S::AtBranch, E::Issue) => S::Issued,
        (Card, S::Issued, E::Activate) => S::Active,
        (Card, S::Active, E::Block) => S::Blocked,
        (Card, S::Blocked, E::Unblock) => S::Active,
        // The bank or the certification centre may refuse until the card is personalized.
        (
            Card,
            S::Accepted
            | S::DuplicateHold
            | S::SentToBank
            | S::AccountOpened
            | S::AtPersonalizer
            | S::KeysGenerated
            | S::KeysCertified,
            E::Refuse,
        ) => S::Refused,
        // §IV.5, §IV.10: the bank reports withdrawal, loss and destruction of a made card.
        (Card, S::AtBranch | S::Issued | S::Active | S::Blocked, E::WithdrawByBank) => S::WithdrawnByBank,
        (Card, S::AtBranch | S::Issued | S::Active | S::Blocked, E::DeclareLost) => S::Lost,
        (Card, S::AtBranch | S::Issued | S::Active | S::Blocked, E::Destroy) => S::Destroyed,

        _ => return None,
    };
    Some(to)
}

/// Moves a certificate of `form` from `from` by `event`.
///
/// On refusal the message names `{stage}`, `{event}` and `{form}` by their
/// catalogue terms, so the reader sees them in their language:
/// - `lifecycle.wrong_form`: the event does not exist for this form (e.g. `activate` on paper);
/// - `lifecycle.stage_not_in_form`: the stored stage is not one of this form (inconsistent data);
/// - `lifecycle.already_final`: nothing can happen any more;
/// - `lifecycle.too_late_to_withdraw`: the application has already left the office;
/// - `lifecycle.not_allowed`: any other event out of order.
pub fn next(form: CertificateForm, from: Stage, event: Event) -> Result<Stage, Message> {
    let refusal = |key: &'static str| {
        Message::new(key)
            .with_term("stage", from.message().key)
            .with_term("event", event.message().key)
            .with_term("form", form.message().key)
    };
    if !event.forms().contains(&form) {
        return Err(refusal("lifecycle.wrong_form"));
    }
    if !from.forms().contains(&form) {
        return Err(refusal("lifecycle.stage_not_in_form"));
    }
    step(form, from, event).ok_or_else(|| {
        // Only the wording is chosen here; whether a move is allowed is the table's alone.
        refusal(if from.is_final() {
            "lifecycle.already_final"
        } else if event == Event::Withdraw {
            "lifecycle.too_late_to_withdraw"
        } else {
            "lifecycle.not_allowed"
        })
    })
}

/// Events allowed now (which buttons to show), in the order of [`Event::ALL`].
pub fn allowed_events(form: CertificateForm, from: Stage) -> Vec<Event> {
    Event::ALL.iter().copied().filter(|&event| next(form, from, event).is_ok()).collect()
}

#[cfg(test)]
mod tests;
