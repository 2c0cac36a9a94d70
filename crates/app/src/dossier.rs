//! A person's dossier: everything the dossier page shows of a person — the
//! record, representatives, documents, applications, the pension paid, notifications, history, pictures — in
//! one read, composed from the people and pictures use cases.
use dossier_domain::org::Permission;
use dossier_store::audit::AuditEntry;
use dossier_store::{
    CertificateRecord, DigitizedDocument, DocumentMeta, Notification, PensionInPayment, PersonRecord,
    RepresentativeRecord, SubscriptionRecord,
};
use uuid::Uuid;

use crate::error::AppResult;
use crate::people::get;
use crate::pictures::{PictureKind, picture_id};
use crate::{App, Caller};

/// Everything the dossier page shows of a person, in one read.
pub struct Dossier {
    pub person: PersonRecord,
    pub representatives: Vec<RepresentativeRecord>,
    pub documents: Vec<DocumentMeta>,
    /// Only for roles that may read applications.
    pub applications: Option<Vec<CertificateRecord>>,
    /// The pension the fund pays the person, if any.
    pub pension: Option<PensionInPayment>,
    /// The papers digitized in dossiers opened for the person, newest first;
    /// only for roles that digitize.
    pub digitized: Option<Vec<DigitizedDocument>>,
    pub history: Vec<AuditEntry>,
    /// The person's subscriptions and the messages sent to them, newest first.
    pub subscriptions: Vec<SubscriptionRecord>,
    pub notifications: Vec<Notification>,
    /// Whether the person has a photo and a specimen signature on file.
    pub has_photo: bool,
    pub has_signature: bool,
}

pub async fn dossier(app: &App, caller: &Caller, id: Uuid) -> AppResult<Dossier> {
    let person = get(app, caller, id).await?;
    let applications = match caller.may(Permission::ReadApplication) {
        true => Some(app.store.certificates_of(id).await?),
        false => None,
    };
    let digitized = match caller.may(Permission::Digitize) {
        true => Some(app.store.digitized_documents_of_person(id).await?),
        false => None,
    };
    let has_photo = picture_id(app, &person, PictureKind::Photo).await?.is_some();
    let has_signature = picture_id(app, &person, PictureKind::Signature).await?.is_some();
    Ok(Dossier {
        representatives: app.store.representatives(id).await?,
        documents: app.store.documents(id).await?,
        applications,
        pension: app.store.pension(id).await?,
        digitized,
        history: app.store.audit_of(&format!("person:{id}"), 200).await?,
        subscriptions: app.store.subscriptions_of(dossier_store::Subscribers::Person(id)).await?,
        notifications: app.store.notifications_of(id, 100).await?,
        has_photo,
        has_signature,
        person,
    })
}
