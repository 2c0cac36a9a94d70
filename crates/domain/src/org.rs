//! The fund's organisation, its partners, staff roles and access scope.
//!
//! Org units form one tree: the central fund → regional main offices → district
//! offices → service centres; partner organisations (banks with their branches,
//! the card personalizer, the certification centre) hang off the root as
//! separate subtrees so that a bank operator's scope is the bank.
//!
//! A unit's position is its *path* — the ids of its ancestors and itself,
//! `/1/4/17/` — so "is X inside Y's subtree" is a prefix test the database can
//! answer with an index.
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    CentralFund,
    RegionalOffice,
    DistrictOffice,
    ServiceCentre,
    Bank,
    BankBranch,
    Personalizer,
    CertificationCentre,
}

impl UnitKind {
    pub const ALL: [UnitKind; 8] = [
        UnitKind::CentralFund,
        UnitKind::RegionalOffice,
        UnitKind::DistrictOffice,
        UnitKind::ServiceCentre,
        UnitKind::Bank,
        UnitKind::BankBranch,
        UnitKind::Personalizer,
        UnitKind::CertificationCentre,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::CentralFund => "central_fund",
            UnitKind::RegionalOffice => "regional_office",
            UnitKind::DistrictOffice => "district_office",
            UnitKind::ServiceCentre => "service_centre",
            UnitKind::Bank => "bank",
            UnitKind::BankBranch => "bank_branch",
            UnitKind::Personalizer => "personalizer",
            UnitKind::CertificationCentre => "certification_centre",
        }
    }
    pub fn parse(s: &str) -> Option<UnitKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Which kinds may be the parent of this kind.
    pub fn allowed_parents(self) -> &'static [UnitKind] {
        match self {
            UnitKind::CentralFund => &[],
            UnitKind::RegionalOffice => &[UnitKind::CentralFund],
            UnitKind::DistrictOffice => &[UnitKind::RegionalOffice],
            UnitKind::ServiceCentre => &[UnitKind::DistrictOffice],
            UnitKind::Bank | UnitKind::Personalizer | UnitKind::CertificationCentre => &[UnitKind::CentralFund],
            UnitKind::BankBranch => &[UnitKind::Bank],
        }
    }
    /// A fund office where paper certificates are issued (§V.2).
    pub fn issues_paper(self) -> bool {
        matches!(self, UnitKind::DistrictOffice | UnitKind::ServiceCentre)
    }
    /// Part of the fund itself (not a partner).
    pub fn is_fund(self) -> bool {
        matches!(
            self,
            UnitKind::CentralFund | UnitKind::RegionalOffice | UnitKind::DistrictOffice | UnitKind::ServiceCentre
        )
    }
    pub fn message(self) -> Message {
        Message::new(match self {
            UnitKind::CentralFund => "unit.central_fund",
            UnitKind::RegionalOffice => "unit.regional_office",
            UnitKind::DistrictOffice => "unit.district_office",
            UnitKind::ServiceCentre => "unit.service_centre",
            UnitKind::Bank => "unit.bank",
            UnitKind::BankBranch => "unit.bank_branch",
            UnitKind::Personalizer => "unit.personalizer",
            UnitKind::CertificationCentre => "unit.certification_centre",
        })
    }
}

/// The materialised path of an org unit: `/1/4/17/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct UnitPath(String);

impl UnitPath {
    pub fn root(id: i64) -> Self {
        UnitPath(format!("/{id}/"))
    }
    pub fn child(&self, id: i64) -> Self {
        UnitPath(format!("{}{id}/", self.0))
    }
    /// Accepts only the canonical shape `/n/…/n/` with positive ids.
    pub fn parse(s: &str) -> Option<Self> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        let ok = !inner.is_empty()
            && inner.split('/').all(|p| !p.is_empty() && !p.starts_with('0') && p.bytes().all(|b| b.is_ascii_digit()));
        ok.then(|| UnitPath(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Ids from the root down to this unit.
    pub fn ids(&self) -> Vec<i64> {
        self.0.split('/').filter_map(|p| p.parse().ok()).collect()
    }
    /// Whether `other` is this unit or lies below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        self.contains_stored(&other.0)
    }
    /// The same for a path as the database stores it, unparsed: bulk reads
    /// judge thousands of rows by it and need not build a `UnitPath` for each.
    /// Every stored path was built by [`UnitPath::child`], so it is canonical.
    pub fn contains_stored(&self, path: &str) -> bool {
        path.starts_with(&self.0)
    }
}

/// Staff roles (issue "Foundation", SPEC §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Specialist,
    DistrictOfficer,
    RegionalOfficer,
    CentralProductionOfficer,
    TransferResponsible,
    CommissionMember,
    BankOperator,
    PersonalizerOperator,
    CaOperator,
    /// Post-office staff assigned to digitize papers for the fund (SPEC §2.5):
    /// scans and codes in their office, never a person's dossier.
    PostalDigitizer,
    Auditor,
    Administrator,
}

/// What a role may do; checked together with the scope on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ReadPerson,
    WritePerson,
    ImportPersons,
    ReadApplication,
    WriteApplication,
    ReadAudit,
    ManageStaff,
    ReadOrg,
    /// Keep offices' reference data (address, opening hours) citizens are told.
    ManageOrg,
    /// Run the notifications: the outbox, retrying dead messages, systems' webhooks.
    ManageNotifications,
    /// Certify a key: issue an X.509 certificate from a request (CA operators).
    IssueCertificate,
    /// Revoke an issued certificate (CA operators).
    RevokeCertificate,
    /// See issued certificates and their status.
    ReadCertificate,
    /// See batches, acts, the issue journal and the production dashboard in scope.
    ReadProduction,
    /// Submit an office's weekly batch (district, region, the central run).
    SubmitBatch,
    /// Central fund: produce certificates, decide duplicate holds.
    ProduceCertificates,
    /// Sign acceptance-transfer acts (with an appointment by order).
    SignTransferAct,
    /// Hand a certificate over at the counter and sign the journal.
    HandOverCertificate,
    /// Draft and sign destruction acts (as a commission member).
    DestroyCertificates,
    /// Report a step of the card exchange as the role's party (fund, bank,
    /// personalizer, certification centre; §IV).
    ExchangeCards,
    /// Receive papers for digitization: open dossiers, upload scans.
    Digitize,
    /// Confirm or correct what recognition read (the review queue).
    ReviewDigitization,
    /// Register employers and load their reports into people's pension records.
    ImportReports,
}

/// How far a role's authority reaches from the unit the account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRule {
    /// The district office the unit belongs to (a service centre serves its district).
    OwnDistrict,
    /// The account's unit and everything below it.
    Subtree,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Specialist,
        Role::DistrictOfficer,
        Role::RegionalOfficer,
        Role::CentralProductionOfficer,
        Role::TransferResponsible,
        Role::CommissionMember,
        Role::BankOperator,
        Role::PersonalizerOperator,
        Role::CaOperator,
        Role::PostalDigitizer,
        Role::Auditor,
        Role::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Specialist => "specialist",
            Role::DistrictOfficer => "district_officer",
            Role::RegionalOfficer => "regional_officer",
            Role::CentralProductionOfficer => "central_production_officer",
            Role::TransferResponsible => "transfer_responsible",
            Role::CommissionMember => "commission_member",
            Role::BankOperator => "bank_operator",
            Role::PersonalizerOperator => "personalizer_operator",
            Role::CaOperator => "ca_operator",
            Role::PostalDigitizer => "postal_digitizer",
            Role::Auditor => "auditor",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Role::Specialist => "role.specialist",
            Role::DistrictOfficer => "role.district_officer",
            Role::RegionalOfficer => "role.regional_officer",
            Role::CentralProductionOfficer => "role.central_production_officer",
            Role::TransferResponsible => "role.transfer_responsible",
            Role::CommissionMember => "role.commission_member",
            Role::BankOperator => "role.bank_operator",
            Role::PersonalizerOperator => "role.personalizer_operator",
            Role::CaOperator => "role.ca_operator",
            Role::PostalDigitizer => "role.postal_digitizer",
            Role::Auditor => "role.auditor",
            Role::Administrator => "role.administrator",
        })
    }

    /// Least privilege: each role gets only what its work needs.
    pub fn permits(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Specialist => matches!(
                p,
                ReadPerson
                    | WritePerson
                    | ReadApplication
                    | WriteApplication
                    | ReadOrg
                    | ReadProduction
                    | HandOverCertificate
                    | Digitize
                    | ReviewDigitization
            ),
            Role::DistrictOfficer => matches!(
                p,
                ReadPerson
                    | WritePerson
                    | ReadApplication
                    | WriteApplication
                    | ReadOrg
                    | ReadProduction
                    | SubmitBatch
                    | HandOverCertificate
                    | DestroyCertificates
                    | Digitize
                    | ReviewDigitization
            ),
            Role::RegionalOfficer => matches!(
                p,
                ReadPerson
                    | ReadApplication
                    | ImportPersons
                    | ImportReports
                    | ReadOrg
                    | ReadProduction
                    | SubmitBatch
                    | DestroyCertificates
            ),
            Role::CentralProductionOfficer => matches!(
                p,
                ReadPerson
                    | ReadApplication
                    | ReadOrg
                    | ReadProduction
                    | SubmitBatch
                    | ProduceCertificates
                    | DestroyCertificates
                    | ExchangeCards
            ),
            Role::TransferResponsible => matches!(p, ReadApplication | ReadOrg | ReadProduction | SignTransferAct),
            Role::CommissionMember => matches!(p, ReadApplication | ReadOrg | ReadProduction | DestroyCertificates),
            // Partners see only their queue of cards (`card::Party::stages`)
            // and the messages addressed to them, never a dossier.
            Role::BankOperator | Role::PersonalizerOperator => matches!(p, ReadOrg | ExchangeCards),
            // The certification centre certifies and revokes; it sees registry
            // facts only through the certification checks, never a dossier.
            Role::CaOperator => {
                matches!(p, ReadOrg | IssueCertificate | RevokeCertificate | ReadCertificate | ExchangeCards)
            }
            // Scans and the codes they get, in the post office's own unit; what
            // was read is confirmed by the fund's staff, who can see the person.
            Role::PostalDigitizer => matches!(p, ReadOrg | Digitize),
            Role::Auditor => {
                matches!(p, ReadPerson | ReadApplication | ReadAudit | ReadOrg | ReadCertificate | ReadProduction)
            }
            Role::Administrator => {
                matches!(
                    p,
                    ManageStaff | ManageOrg | ManageNotifications | ImportPersons | ImportReports | ReadOrg | ReadAudit
                )
            }
        }
    }

    pub fn scope_rule(self) -> ScopeRule {
        match self {
            Role::Specialist => ScopeRule::OwnDistrict,
            _ => ScopeRule::Subtree,
        }
    }

    /// The root of this role's scope, given the kinds along the account's unit
    /// path (root first). For `OwnDistrict` that is the nearest district office
    /// on the path; if there is none, the unit itself.
    pub fn scope_root(self, path: &UnitPath, kinds: &[UnitKind]) -> UnitPath {
        let ids = path.ids();
        match self.scope_rule() {
            ScopeRule::Subtree => path.clone(),
            ScopeRule::OwnDistrict => {
                let cut = kinds.iter().rposition(|k| *k == UnitKind::DistrictOffice);
                match cut {
                    Some(i) if i < ids.len() => {
                        let mut p = UnitPath::root(ids[0]);
                        for id in &ids[1..=i] {
                            p = p.child(*id);
                        }
                        p
                    }
                    _ => path.clone(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_by_prefix_only_at_boundaries() {
        let region = UnitPath::root(1).child(4);
        let district = region.child(17);
        assert!(region.contains(&district));
        assert!(!district.contains(&region));
        // `/1/4/` must not contain `/1/41/`.
        assert!(!region.contains(&UnitPath::root(1).child(41)));
        // A stored path is judged the same way, unparsed.
        assert!(region.contains_stored("/1/4/17/") && region.contains_stored("/1/4/"));
        assert!(!region.contains_stored("/1/41/") && !district.contains_stored("/1/4/"));
        assert_eq!(UnitPath::parse("/1/4/17/"), Some(district.clone()));
        assert_eq!(UnitPath::parse("/1//"), None);
        assert_eq!(UnitPath::parse("1/4"), None);
    }

    #[test]
    fn specialist_at_service_centre_sees_its_district() {
        let path = UnitPath::root(1).child(2).child(3).child(9);
        let kinds =
            [UnitKind::CentralFund, UnitKind::RegionalOffice, UnitKind::DistrictOffice, UnitKind::ServiceCentre];
        assert_eq!(Role::Specialist.scope_root(&path, &kinds), UnitPath::root(1).child(2).child(3));
        assert_eq!(Role::RegionalOfficer.scope_root(&path, &kinds), path);
    }

    #[test]
    fn least_privilege() {
        assert!(!Role::Auditor.permits(Permission::WritePerson));
        assert!(!Role::BankOperator.permits(Permission::ReadPerson));
        assert!(!Role::Administrator.permits(Permission::ReadPerson));
        assert!(Role::Specialist.permits(Permission::WriteApplication));
        // Only the certification centre certifies keys.
        for r in Role::ALL {
            assert_eq!(r.permits(Permission::IssueCertificate), r == Role::CaOperator, "{r:?}");
            assert_eq!(r.permits(Permission::RevokeCertificate), r == Role::CaOperator, "{r:?}");
        }
        assert!(!Role::CaOperator.permits(Permission::ReadPerson));
        // SPEC §2.5: postal staff digitize, and see no dossier and confirm nothing.
        assert!(Role::PostalDigitizer.permits(Permission::Digitize));
        for p in [Permission::ReadPerson, Permission::ReviewDigitization, Permission::ReadApplication] {
            assert!(!Role::PostalDigitizer.permits(p), "{p:?}");
        }
    }

    #[test]
    fn every_role_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert!(crate::i18n::has(r.message().key));
        }
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(k));
            assert!(crate::i18n::has(k.message().key));
        }
    }
}
