//! The documents of a dossier as bytes: the person's pictures — the face
//! photo (certificates, the card's zone 3) and the specimen signature (the
//! card's zone 6, captured on a pad or scanned from form 1) — and any stored
//! document's content. Bytes live encrypted in the blob store, named by
//! their SHA-256; every read is audited.
use dossier_domain::org::Permission;
use dossier_domain::{Invalid, Message};
use dossier_store::{DocumentMeta, NewDocument, PersonRecord};
use schemars::JsonSchema;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::people::{for_write, load};
use crate::{App, Caller};

/// A person's picture; each is a document of its kind, the latest one is the person's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PictureKind {
    Photo,
    Signature,
}

impl PictureKind {
    pub fn parse(s: &str) -> Option<PictureKind> {
        match s {
            "photo" => Some(PictureKind::Photo),
            "signature" => Some(PictureKind::Signature),
            _ => None,
        }
    }

    /// The form field, the document kind and the message-key stem.
    pub fn name(self) -> &'static str {
        match self {
            PictureKind::Photo => "photo",
            PictureKind::Signature => "signature",
        }
    }

    /// Smallest width and height we accept, in pixels: a face must be recognisable, a signature
    /// legible when printed 26.6 mm wide.
    fn min_pixels(self) -> (usize, usize) {
        match self {
            PictureKind::Photo => (100, 100),
            PictureKind::Signature => (200, 40),
        }
    }

    /// Message keys: not an image, too large, too small.
    fn messages(self) -> [&'static str; 3] {
        match self {
            PictureKind::Photo => ["person.photo_not_image", "person.photo_too_large", "person.photo_too_small"],
            PictureKind::Signature => {
                ["person.signature_not_image", "person.signature_too_large", "person.signature_too_small"]
            }
        }
    }

    /// The audit action of reading it.
    fn read_action(self) -> &'static str {
        match self {
            PictureKind::Photo => "person.photo.read",
            PictureKind::Signature => "person.signature.read",
        }
    }
}

/// Checks picture bytes: JPEG or PNG by content (not by the declared type), size and
/// dimensions within limits. Returns the content type.
pub fn check_picture(kind: PictureKind, bytes: &[u8], max: usize) -> Result<&'static str, Invalid> {
    let field = kind.name();
    let [not_image, too_large, too_small] = kind.messages();
    if bytes.is_empty() {
        return Err(Invalid::one(field, "common.required"));
    }
    if bytes.len() > max {
        return Err(Invalid::one(field, Message::new(too_large).with("max", max / 1024)));
    }
    let content_type = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Png) => "image/png",
        _ => return Err(Invalid::one(field, not_image)),
    };
    let (min_w, min_h) = kind.min_pixels();
    match imagesize::blob_size(bytes) {
        Ok(size) if size.width >= min_w && size.height >= min_h => Ok(content_type),
        Ok(_) => Err(Invalid::one(field, Message::new(too_small).with("w", min_w).with("h", min_h))),
        Err(_) => Err(Invalid::one(field, not_image)),
    }
}

/// Stores a checked picture of the person: blob first (content-addressed, so a retry is
/// harmless), then its metadata (and, for the photo, the person's link) in one transaction.
pub async fn set_picture(
    app: &App,
    caller: &Caller,
    person_id: Uuid,
    kind: PictureKind,
    bytes: &[u8],
) -> AppResult<DocumentMeta> {
    for_write(app, caller, person_id).await?;
    let content_type = check_picture(kind, bytes, app.config.max_photo_bytes)?;
    let blob = app.blobs.put(bytes).await?;
    let doc = NewDocument {
        person_id: Some(person_id),
        kind: kind.name().into(),
        content_type: content_type.into(),
        sha256: blob.sha256,
        size: blob.size,
        source: "upload".into(),
    };
    Ok(app.store.add_document(&caller.actor(), doc, kind == PictureKind::Photo).await?)
}

/// The person's current picture of `kind`, if any: the photo by the person's link, the
/// signature as the latest signature document.
pub(crate) async fn picture_id(app: &App, person: &PersonRecord, kind: PictureKind) -> AppResult<Option<Uuid>> {
    Ok(match kind {
        PictureKind::Photo => person.photo_id,
        // Newest first.
        PictureKind::Signature => {
            app.store.documents(person.id).await?.into_iter().find(|d| d.kind == kind.name()).map(|d| d.id)
        }
    })
}

/// A document's bytes with their type.
pub struct Content {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The stored bytes of a document (already authorized), checked against their SHA-256.
pub(crate) async fn content_of(app: &App, doc_id: Uuid) -> AppResult<Content> {
    let meta = app.store.document(doc_id).await?.ok_or_else(AppError::not_found)?;
    let bytes = app.blobs.get(&meta.sha256).await?;
    Ok(Content { content_type: meta.content_type, bytes })
}

/// The person's picture of `kind`.
pub async fn picture(app: &App, caller: &Caller, person_id: Uuid, kind: PictureKind) -> AppResult<Content> {
    let person = load(app, caller, person_id, Permission::ReadPerson, kind.read_action()).await?;
    let doc_id = picture_id(app, &person, kind).await?.ok_or_else(AppError::not_found)?;
    content_of(app, doc_id).await
}

/// A document of a dossier (the read is the person's, audited).
pub async fn document_content(app: &App, caller: &Caller, doc_id: Uuid) -> AppResult<Content> {
    let meta = app.store.document(doc_id).await?.ok_or_else(AppError::not_found)?;
    let person_id = meta.person_id.ok_or_else(AppError::not_found)?;
    load(app, caller, person_id, Permission::ReadPerson, "document.read").await?;
    content_of(app, doc_id).await
}
