//! The OpenAPI 3.1 description of `/api/v1`, written out here rather than
//! derived: the domain crate stays free of documentation macros, and one
//! table lists every route so a test can check that none is undocumented.
use axum::Json;
use serde_json::{Value, json};

/// `(method, path, summary, tag, request schema, response schema)`.
pub const OPERATIONS: &[(&str, &str, &str, &str, Option<&str>, &str)] = &[
    (
        "post",
        "/api/v1/auth/login",
        "Sign in; sets the session cookie and returns the CSRF token",
        "auth",
        Some("Login"),
        "Session",
    ),
    ("post", "/api/v1/auth/logout", "Sign out", "auth", None, "Empty"),
    ("get", "/api/v1/me", "The signed-in account, its unit and scope", "auth", None, "Me"),
    (
        "post",
        "/api/v1/tokens",
        "Issue an API token for a system account (administrator)",
        "auth",
        Some("TokenRequest"),
        "Token",
    ),
    ("get", "/api/v1/org/units", "Org tree with banks and branches", "org", None, "UnitList"),
    (
        "get",
        "/api/v1/persons",
        "Search persons in scope by RNOKPP, OKZO, account, document number or name prefix",
        "persons",
        None,
        "PersonPage",
    ),
    ("post", "/api/v1/persons", "Register a person", "persons", Some("PersonInput"), "Person"),
    (
        "post",
        "/api/v1/persons/import",
        "Upload people as CSV (text/csv): all rows checked first; any bad row refuses the upload, naming rows[LINE].FIELD",
        "persons",
        Some("Csv"),
        "ImportResult",
    ),
    ("get", "/api/v1/persons/{id}", "A person's record", "persons", None, "Person"),
    ("put", "/api/v1/persons/{id}", "Correct a person's record", "persons", Some("PersonInput"), "Person"),
    ("get", "/api/v1/persons/{id}/photo", "The person's photo", "persons", None, "Binary"),
    ("put", "/api/v1/persons/{id}/photo", "Upload the photo (JPEG or PNG body)", "persons", Some("Binary"), "Document"),
    (
        "get",
        "/api/v1/persons/{id}/signature",
        "The person's specimen signature (card zone 6)",
        "persons",
        None,
        "Binary",
    ),
    (
        "put",
        "/api/v1/persons/{id}/signature",
        "Upload the specimen signature (JPEG or PNG body, at least 200×40 pixels)",
        "persons",
        Some("Binary"),
        "Document",
    ),
    ("get", "/api/v1/persons/{id}/representatives", "Legal representatives", "persons", None, "RepresentativeList"),
    (
        "post",
        "/api/v1/persons/{id}/representatives",
        "Add a legal representative",
        "persons",
        Some("RepresentativeInput"),
        "Representative",
    ),
    ("get", "/api/v1/persons/{id}/documents", "Documents in the dossier", "persons", None, "DocumentList"),
    ("get", "/api/v1/persons/{id}/history", "Audit history of the dossier", "persons", None, "AuditList"),
    (
        "get",
        "/api/v1/persons/{id}/applications",
        "The person's applications and certificates",
        "applications",
        None,
        "ApplicationList",
    ),
    (
        "post",
        "/api/v1/persons/{id}/applications",
        "File an application for a pension certificate (form 1)",
        "applications",
        Some("ApplicationInput"),
        "Application",
    ),
    ("get", "/api/v1/documents/{id}/content", "Decrypted content of a document", "persons", None, "Binary"),
    ("get", "/api/v1/applications", "Applications in scope, newest first", "applications", None, "ApplicationPage"),
    (
        "get",
        "/api/v1/applications/{id}",
        "An application with its stage history",
        "applications",
        None,
        "ApplicationView",
    ),
    (
        "put",
        "/api/v1/applications/{id}",
        "Amend an application not yet in production",
        "applications",
        Some("ApplicationInput"),
        "Application",
    ),
    (
        "get",
        "/api/v1/applications/{id}/form.pdf",
        "The filled application (form 1) as PDF/A, signed by the fund",
        "applications",
        None,
        "Pdf",
    ),
    (
        "post",
        "/api/v1/applications/{id}/withdraw",
        "Withdraw an application not yet in production",
        "applications",
        Some("Withdraw"),
        "Application",
    ),
    (
        "post",
        "/api/v1/signatures/verify-pdf",
        "Validate every signature of an uploaded PDF (ETSI EN 319 102-1 report)",
        "signatures",
        Some("Pdf"),
        "PdfReport",
    ),
    (
        "get",
        "/api/v1/production/batches",
        "Weekly batches submitted in the caller's scope (?week=2026-W47)",
        "production",
        None,
        "List",
    ),
    (
        "post",
        "/api/v1/production/batches",
        "Submit an office's weekly batch (district → region Monday 12:00, region → central Tuesday 12:00, central: duplicate check); 201, or 200 with the batch submitted before",
        "production",
        Some("BatchSubmit"),
        "BatchOutcome",
    ),
    ("get", "/api/v1/production/batches/{id}", "A batch and the certificates it moved", "production", None, "Object"),
    (
        "get",
        "/api/v1/production/candidates",
        "Offices of a level in scope with what their batch would move and, at district level, the applications waiting for the person's photo (?week=&level=district|region|central)",
        "production",
        None,
        "List",
    ),
    (
        "post",
        "/api/v1/production/produce",
        "Produce certificates (by ids or a central batch): number and blank recorded for each",
        "production",
        Some("Produce"),
        "List",
    ),
    (
        "post",
        "/api/v1/production/holds/{id}",
        "Decide a duplicate hold: release (production goes ahead) or refuse",
        "production",
        Some("HoldDecision"),
        "Object",
    ),
    (
        "get",
        "/api/v1/production/appointments",
        "Appointments by order at a unit (?unit_id=)",
        "production",
        None,
        "List",
    ),
    (
        "post",
        "/api/v1/production/appointments",
        "Record an appointment by order: responsible person, commission chair or member, head (administrator)",
        "production",
        Some("Appointment"),
        "Object",
    ),
    (
        "get",
        "/api/v1/production/acts",
        "Acceptance-transfer acts from or to the caller's scope",
        "production",
        None,
        "Page",
    ),
    (
        "post",
        "/api/v1/production/acts",
        "Draw up and sign an acceptance-transfer act (form 3) as the sending side's responsible person",
        "production",
        Some("TransferActInput"),
        "Object",
    ),
    ("get", "/api/v1/production/acts/{id}", "An act with its numbered list", "production", None, "Object"),
    (
        "post",
        "/api/v1/production/acts/{id}/accept",
        "Confirm an act as the receiving side's responsible person, recording missing, extra and damaged certificates",
        "production",
        Some("ActAcceptance"),
        "Object",
    ),
    ("get", "/api/v1/production/acts/{id}/pdf", "The act as PDF/A, signed by the fund", "production", None, "Pdf"),
    (
        "post",
        "/api/v1/production/certificates/{id}/issue",
        "Hand a certificate over after identification; fills the journal line (form 6)",
        "production",
        Some("Issue"),
        "Object",
    ),
    (
        "get",
        "/api/v1/production/journal",
        "Issue journal lines of a district for a period (?unit_id=&from=&to=)",
        "production",
        None,
        "List",
    ),
    (
        "get",
        "/api/v1/production/journal.pdf",
        "The issue journal (form 6) for a period as PDF/A, signed",
        "production",
        None,
        "Pdf",
    ),
    (
        "post",
        "/api/v1/production/destructions",
        "Draft a destruction act for the commission appointed by an order (at least three, chaired by the head)",
        "production",
        Some("DestructionInput"),
        "Object",
    ),
    (
        "get",
        "/api/v1/production/destructions/{id}",
        "A destruction act with the commission's signatures",
        "production",
        None,
        "Object",
    ),
    (
        "post",
        "/api/v1/production/destructions/{id}/sign",
        "Sign as a commission member; the last signature destroys the certificates",
        "production",
        None,
        "Object",
    ),
    (
        "get",
        "/api/v1/production/destructions/{id}/pdf",
        "The destruction act as PDF/A, signed",
        "production",
        None,
        "Pdf",
    ),
    (
        "get",
        "/api/v1/production/overview",
        "Production dashboard: counts by stage, late items by office, median hours per stage, regions waiting for an act",
        "production",
        None,
        "Object",
    ),
    (
        "get",
        "/api/v1/production/late",
        "Certificates past their deadline in scope, most overdue first",
        "production",
        None,
        "Page",
    ),
    (
        "get",
        "/api/v1/production/expiring",
        "Term-limited certificates flagged before expiry (?days=30, at most 366): fixed-term paper, cards nearing their own end or their pension's term; each with its flag (expiring, days_left | expired)",
        "production",
        None,
        "Page",
    ),
    (
        "get",
        "/api/v1/cards",
        "The caller's card queue (bank: cards for its branches; personalizer, centre: cards at their steps; fund: cards in scope), nearest deadline first",
        "cards",
        None,
        "Page",
    ),
    (
        "post",
        "/api/v1/cards/dispatch",
        "Fund: send accepted card applications to their banks and opened accounts to the personalizer",
        "cards",
        None,
        "Object",
    ),
    (
        "get",
        "/api/v1/cards/{id}",
        "A card and the exchange messages the caller's party sent or received, each with the fund's CAdES seal",
        "cards",
        None,
        "Object",
    ),
    (
        "post",
        "/api/v1/cards/{id}/steps",
        "A party reports one step of the card (bank: open_account with identification, deliver_to_branch, issue with identification and instruction_handed, activate, block, …; personalizer: generate_keys with ≥ 2 requests, personalize with card_number; centre: certify_keys)",
        "cards",
        Some("CardReport"),
        "Object",
    ),
    (
        "get",
        "/api/v1/cards/{id}/back.pdf",
        "The card's back (form 5) as signed PDF/A: the fields and the photo and signature sealed to the personalizer, with the card number it reported or gives in ?card_number= (personalizer; fund staff who read the holder's data)",
        "cards",
        None,
        "Binary",
    ),
    (
        "get",
        "/api/v1/cards/{id}/pictures/{kind}",
        "The photo or signature (kind: photo, signature) exactly as the fund's sealed message to the personalizer names it by SHA-256 (personalizer; fund staff who read the holder's data)",
        "cards",
        None,
        "Binary",
    ),
    (
        "post",
        "/api/v1/ca/certificates",
        "Certify the key of a PKCS#10 request after the registry checks (CA operator); 201 with the PEM and serial",
        "ca",
        Some("CertificateRequest"),
        "IssuedCertificate",
    ),
    (
        "get",
        "/api/v1/ca/certificates/{serial}",
        "An issued certificate with its status (good, revoked, expired)",
        "ca",
        None,
        "IssuedCertificate",
    ),
    (
        "post",
        "/api/v1/ca/certificates/{serial}/revoke",
        "Revoke a certificate with an RFC 5280 reason (CA operator); the next CRL lists it",
        "ca",
        Some("Revoke"),
        "IssuedCertificate",
    ),
    (
        "post",
        "/api/v1/sharing/requests",
        "Request a shared document by the visitor's 13-digit code (checked locally first; rate-limited per specialist and branch)",
        "sharing",
        Some("SharingRequestInput"),
        "SharingRequest",
    ),
    (
        "get",
        "/api/v1/sharing/requests/{id}",
        "A document request, with the delivered copy's provenance",
        "sharing",
        None,
        "SharingRequest",
    ),
    (
        "get",
        "/api/v1/sharing/requests/{id}/events",
        "Server-Sent Events (text/event-stream): `status` events with the request, until a final status",
        "sharing",
        None,
        "SharingRequest",
    ),
    (
        "get",
        "/api/v1/sharing/requests/{id}/copy",
        "The delivered PDF copy (PAdES-signed by the hub)",
        "sharing",
        None,
        "Binary",
    ),
    (
        "post",
        "/api/v1/sharing/deliveries",
        "The acquirer endpoint the hub delivers to: multipart encryptedFile, encryptedFileName, encodeData and header X-Document-Request-Trace-Id; answers {\"success\": true}, also for a repeat",
        "sharing",
        Some("Delivery"),
        "Ack",
    ),
    (
        "get",
        "/api/v1/sharing/review",
        "Delivered copies no person matched, in scope",
        "sharing",
        None,
        "SharingCopyPage",
    ),
    (
        "post",
        "/api/v1/sharing/review/{id}/assign",
        "Attach a copy from the review queue to a person",
        "sharing",
        Some("AssignCopy"),
        "SharingCopy",
    ),
    ("get", "/ca/crl", "The issuing CA's current CRL (DER, application/pkix-crl); public", "ca", None, "Crl"),
    ("get", "/ca/root.pem", "The root CA certificate (PEM); public", "ca", None, "Pem"),
    ("get", "/ca/issuing.pem", "The issuing CA certificate (PEM); public", "ca", None, "Pem"),
];

fn schema_ref(name: &str) -> Value {
    match name {
        "Binary" => json!({"type": "string", "contentMediaType": "application/octet-stream"}),
        "Csv" => json!({"type": "string", "contentMediaType": "text/csv"}),
        "Pdf" => json!({"type": "string", "contentMediaType": "application/pdf"}),
        "Empty" => json!({"type": "null"}),
        "Crl" => json!({"type": "string", "contentMediaType": "application/pkix-crl"}),
        "Pem" => json!({"type": "string", "contentMediaType": "application/x-pem-file"}),
        other => json!({"$ref": format!("#/components/schemas/{other}")}),
    }
}

fn params(path: &str, method: &str) -> Vec<Value> {
    let mut out = vec![];
    if path.contains("{id}") {
        out.push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}));
    }
    if path.contains("{serial}") {
        out.push(json!({"name": "serial", "in": "path", "required": true, "description": "Serial number in hex",
                        "schema": {"type": "string", "pattern": "^[0-9a-fA-F:]+$"}}));
    }
    if method == "get" && (path == "/api/v1/persons" || path == "/api/v1/applications") {
        for (name, desc) in [("offset", "Rows to skip"), ("limit", "Rows to return (1–200, default 50)")] {
            out.push(json!({"name": name, "in": "query", "schema": {"type": "integer"}, "description": desc}));
        }
    }
    if method == "get" && path == "/api/v1/persons" {
        for name in ["rnokpp", "okzo", "account_no", "document_no", "name"] {
            out.push(json!({"name": name, "in": "query", "schema": {"type": "string"}}));
        }
    }
    if path == "/api/v1/persons/import" {
        out.push(json!({"name": "unit_id", "in": "query", "schema": {"type": "integer"}, "description": "District office (defaults to the caller's)"}));
    }
    if method == "get" && path == "/api/v1/applications" {
        out.push(json!({"name": "stage", "in": "query", "schema": {"type": "string"}}));
    }
    out
}

fn nullable_string() -> Value {
    json!({"type": ["string", "null"]})
}

fn schemas() -> Value {
    let problem = json!({
        "type": "object",
        "required": ["type", "title", "status", "code", "detail"],
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "code": {"type": "string", "description": "Stable machine code"},
            "detail": {"type": "object", "properties": {"uk": {"type": "string"}, "en": {"type": "string"}}},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string"}, "code": {"type": "string"}, "uk": {"type": "string"}, "en": {"type": "string"}}}}
        }
    });
    let person_input = json!({
        "type": "object", "required": ["surname", "given_name", "birth_date", "sex"],
        "properties": {
            "unit_id": {"type": ["integer", "null"], "description": "District office (defaults to the caller's)"},
            "rnokpp": nullable_string(), "religious_refusal": {"type": "boolean"},
            "passport": nullable_string(), "id_card": nullable_string(),
            "id_card_expires": {"type": ["string", "null"], "format": "date", "description": "Last day the ID card is valid"},
            "unzr": nullable_string(),
            "account_no": nullable_string(), "okzo": nullable_string(),
            "surname": {"type": "string"}, "given_name": {"type": "string"}, "patronymic": nullable_string(),
            "birth_date": {"type": "string", "format": "date"}, "sex": {"type": "string", "enum": ["male", "female"]},
            "capacity": {"type": "string", "enum": ["full", "limited", "incapacitated"]}, "idp": {"type": "boolean"}
        }
    });
    let application_input = json!({
        "type": "object", "required": ["pension_kind", "form", "issue_unit_id"],
        "properties": {
            "pension_kind": {"type": "string", "enum": ["old_age", "disability", "loss_of_breadwinner", "long_service"]},
            "form": {"type": "string", "enum": ["paper", "card"]},
            "issue_unit_id": {"type": "integer", "description": "Fund office (paper) or bank branch (card)"},
            "disability": {"type": ["object", "null"], "properties": {
                "group": {"type": "string", "enum": ["1", "2", "3"]}, "subgroup": {"type": ["string", "null"], "enum": ["a", "b", null]},
                "cause": {"type": "string"}, "impairment": {"type": ["string", "null"]}, "until": {"type": ["string", "null"], "format": "date"}}},
            "service_body": nullable_string(), "pension_until": {"type": ["string", "null"], "format": "date"},
            "payment_system": {"type": ["string", "null"], "enum": ["international", "national", null], "description": "card only, required for a card: the person's choice (§IV.2)"},
            "representative_id": {"type": ["string", "null"], "format": "uuid"},
            "replacement": {"type": ["object", "null"], "properties": {
                "reason": {"type": "string", "enum": ["unusable", "lost", "other_pension_kind", "representative_changed", "term_extended"]},
                "previous_certificate_id": {"type": "string", "format": "uuid"},
                "previous_disposition": {"type": "string", "enum": ["returned", "declared_lost"]}}}
        }
    });
    let object = json!({"type": "object"});
    let list = json!({"type": "array", "items": {"type": "object"}});
    let page = json!({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}, "offset": {"type": "integer"}, "limit": {"type": "integer"}}});
    let text = json!({"type": "object", "properties": {"uk": {"type": "string"}, "en": {"type": "string"}}});
    let mut all = json!({
        "Problem": problem,
        "SharingRequestInput": {"type": "object", "required": ["barcode", "documentType"], "properties": {
            "barcode": {"type": "string", "pattern": "^[0-9 -]{13,17}$", "description": "13 digits, the last an EAN-13 check digit"},
            "documentType": {"type": "string", "enum": ["internal-passport", "taxpayer-card", "birth-certificate"]},
            "unitId": {"type": ["integer", "null"], "description": "Requesting unit (defaults to the caller's)"}}},
        "SharingRequest": {"type": "object", "properties": {
            "id": {"type": "string", "format": "uuid", "description": "The requestId sent to the hub"},
            "status": {"type": "string", "enum": ["submitting", "refused", "waiting_consent", "approved", "declined", "expired", "delivered", "failed"]},
            "statusText": text.clone(), "finalStatus": {"type": "boolean"}, "error": {"type": ["object", "null"]},
            "documentType": {"type": "string"}, "branchId": {"type": "string"},
            "createdAt": {"type": "string", "format": "date-time"}, "updatedAt": {"type": "string", "format": "date-time"},
            "deliveredAt": {"type": ["string", "null"], "format": "date-time"}, "documentId": {"type": ["string", "null"], "format": "uuid"},
            "copy": {"type": ["object", "null"], "description": "Provenance: person, branch, specialist, times, hub certificate, stamp, verification report"}}},
        "SharingCopy": object.clone(),
        "SharingCopyPage": page.clone(),
        "AssignCopy": {"type": "object", "required": ["personId"], "properties": {"personId": {"type": "string", "format": "uuid"}}},
        "Delivery": {"type": "object", "required": ["encryptedFile", "encryptedFileName", "encodeData"], "properties": {
            "encryptedFile": {"type": "string", "format": "binary", "description": "CMS EnvelopedData of the hub-signed PDF"},
            "encryptedFileName": {"type": "string"},
            "encodeData": {"type": "string", "description": "base64 CMS EnvelopedData of the hub-signed metadata JSON"}}},
        "Ack": {"type": "object", "properties": {"success": {"type": "boolean"}}},
        "PdfReport": {"type": "object", "required": ["indication", "signatures"], "properties": {
            "indication": {"type": "string", "enum": ["TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE"]},
            "sub_indication": {"type": "string", "description": "ETSI EN 319 102-1 sub-indication, e.g. HASH_FAILURE"},
            "validation_time": {"type": "string", "format": "date-time"}, "file_sha256": {"type": "string"},
            "revisions": {"type": "integer"},
            "signatures": {"type": "array", "items": {"type": "object", "properties": {
                "field_name": {"type": "string"}, "kind": {"type": "string", "enum": ["signature", "document_timestamp"]},
                "level": {"type": "string"}, "indication": {"type": "string"}, "sub_indication": {"type": "string"},
                "signer": {"type": ["object", "null"]}, "chain": {"type": "array"}, "checks": {"type": "array"},
                "claimed_signing_time": {"type": "string"}, "proven_signing_time": {"type": "string"},
                "covers_whole_file": {"type": "boolean"}, "later_revisions": {"type": "integer"}}}}}},
        "PersonInput": person_input,
        "ApplicationInput": application_input,
        "Login": {"type": "object", "required": ["login", "password"], "properties": {"login": {"type": "string"}, "password": {"type": "string"}}},
        "Session": {"type": "object", "properties": {"csrf": {"type": "string"}, "account": {"type": "object"}}},
        "TokenRequest": {"type": "object", "required": ["login", "name"], "properties": {"login": {"type": "string"}, "name": {"type": "string"}}},
        "Token": {"type": "object", "properties": {"id": {"type": "string"}, "token": {"type": "string"}}},
        "Withdraw": {"type": "object", "properties": {"note": {"type": "string"}}},
        "RepresentativeInput": {"type": "object", "required": ["kind", "surname", "given_name", "proof_document"], "properties": {
            "kind": {"type": "string"}, "surname": {"type": "string"}, "given_name": {"type": "string"}, "patronymic": nullable_string(),
            "institution_name": nullable_string(), "rnokpp": nullable_string(), "resident": {"type": "boolean"}, "proof_document": {"type": "string"}}},
        "CertificateRequest": {"type": "object", "required": ["csr", "profile"], "description": "Name exactly one of person and unit", "properties": {
            "csr": {"type": "string", "description": "PKCS#10 request (PEM), signed by the key to certify"},
            "profile": {"type": "string", "enum": ["qes-id-card", "card-key", "agency-encryption", "document-signing", "time-stamping"]},
            "person": {"type": ["string", "null"], "description": "Person id or RNOKPP (qes-id-card, card-key)"},
            "unit": {"type": ["string", "null"], "description": "Org unit code or id (agency profiles)"},
            "card_application_id": {"type": ["string", "null"], "format": "uuid", "description": "The card application (card-key)"},
            "validity_days": {"type": ["integer", "null"], "description": "Defaults to the profile's maximum, shortened to the ID card or the card"}}},
        "IssuedCertificate": {"type": "object", "properties": {
            "serial": {"type": "string"}, "profile": {"type": "string"}, "status": {"type": "string", "enum": ["good", "revoked", "expired"]},
            "subject": {"type": "object"}, "subject_name": {"type": "string"},
            "not_before": {"type": "string", "format": "date-time"}, "not_after": {"type": "string", "format": "date-time"},
            "revoked_at": {"type": ["string", "null"], "format": "date-time"}, "revocation_reason": nullable_string(),
            "certificate_pem": {"type": "string"}, "issuing_ca_pem": {"type": "string"}}},
        "Revoke": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "enum": [
            "unspecified", "key-compromise", "ca-compromise", "affiliation-changed", "superseded", "cessation-of-operation",
            "certificate-hold", "privilege-withdrawn"]}}},
        "ImportResult": {"type": "object", "properties": {"imported": {"type": "integer"}, "unit_id": {"type": "integer"}}},
        "Me": object.clone(), "Person": object.clone(), "Document": object.clone(), "Representative": object.clone(),
        "Application": object.clone(), "ApplicationView": object,
        "UnitList": list.clone(), "RepresentativeList": list.clone(), "DocumentList": list.clone(), "AuditList": list.clone(), "ApplicationList": list,
        "PersonPage": page.clone(), "ApplicationPage": page,
    });
    if let (Some(all), Value::Object(more)) = (all.as_object_mut(), production_schemas()) {
        all.extend(more);
    }
    all
}

pub fn spec() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, summary, tag, request, response) in OPERATIONS {
        let media = match *response {
            "Crl" => "application/pkix-crl",
            "Pem" => "application/x-pem-file",
            _ => "application/json",
        };
        // Issuing a certificate creates it: 201.
        let created = [
            "/api/v1/ca/certificates",
            "/api/v1/sharing/requests",
            "/api/v1/production/batches",
            "/api/v1/production/appointments",
            "/api/v1/production/acts",
            "/api/v1/production/destructions",
        ];
        let ok = if created.contains(path) && *method == "post" { "201" } else { "200" };
        let mut op = json!({
            "summary": summary,
            "tags": [tag],
            "parameters": params(path, method),
            "responses": {
                ok: {"description": "OK", "content": {media: {"schema": schema_ref(response)}}},
                "default": {"description": "A problem", "content": {"application/problem+json": {"schema": schema_ref("Problem")}}}
            }
        });
        if path.starts_with("/ca/") || *path == "/api/v1/sharing/deliveries" {
            // Relying parties fetch these without credentials.
            op["security"] = json!([]);
        }
        if let Some(req) = request {
            let media = match *req {
                "Binary" => "image/jpeg",
                "Pdf" => "application/pdf",
                "Csv" => "text/csv",
                "Delivery" => "multipart/form-data",
                _ => "application/json",
            };
            op["requestBody"] =
                json!({"required": *req != "Withdraw", "content": {media: {"schema": schema_ref(req)}}});
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Dossier agency API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Document back office of a pension fund. Errors are RFC 9457 problem details with per-field messages in Ukrainian and English."},
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "API token issued by an administrator"},
                "session": {"type": "apiKey", "in": "cookie", "name": "__Host-dossier", "description": "Browser session; unsafe methods need the X-CSRF-Token header"}
            }
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths
    })
}

/// The production API's request shapes (regulation 26-1, §§ III–V).
fn production_schemas() -> Value {
    let object = json!({"type": "object"});
    let list = json!({"type": "array", "items": {"type": "object"}});
    let page = json!({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}, "offset": {"type": "integer"}, "limit": {"type": "integer"}}});
    json!({
        "List": list,
        "Object": object,
        "Page": page,
        "BatchSubmit": {"type": "object", "required": ["level", "unit_id"], "properties": {
            "week": {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$", "description": "ISO week (defaults to the current batch week)"},
            "level": {"type": "string", "enum": ["district", "region", "central"]}, "unit_id": {"type": "integer"}}},
        "BatchOutcome": {"type": "object", "properties": {
            "outcome": {"type": "string", "enum": ["submitted", "already_submitted"]}, "batch": object.clone()}},
        "Produce": {"type": "object", "properties": {
            "certificate_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            "batch_id": {"type": ["string", "null"], "format": "uuid"}}},
        "HoldDecision": {"type": "object", "required": ["decision"], "properties": {
            "decision": {"type": "string", "enum": ["release", "refuse"]}, "note": {"type": "string"}}},
        "Appointment": {"type": "object", "required": ["account_id", "unit_id", "duty", "order_no", "valid_from"], "properties": {
            "account_id": {"type": "string", "format": "uuid"}, "unit_id": {"type": "integer"},
            "duty": {"type": "string", "enum": ["responsible_person", "commission_chair", "commission_member", "head"]},
            "order_no": {"type": "string"}, "valid_from": {"type": "string", "format": "date"},
            "valid_until": {"type": ["string", "null"], "format": "date"}}},
        "TransferActInput": {"type": "object", "required": ["from_unit_id", "to_unit_id", "certificate_ids"], "properties": {
            "from_unit_id": {"type": "integer"}, "to_unit_id": {"type": "integer"},
            "certificate_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}}}},
        "ActAcceptance": {"type": "object", "properties": {
            "received": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Certificate numbers received (default: all listed)"},
            "damaged": {"type": "array", "items": {"type": "string"}}}},
        "Issue": {"type": "object", "required": ["recipient_name", "recipient", "signature"], "properties": {
            "recipient_name": {"type": "string"},
            "recipient": {"type": "object", "required": ["kind", "identity_document"], "properties": {
                "kind": {"type": "string", "enum": ["owner", "representative"]}, "identity_document": {"type": "string"},
                "status_document": {"type": "string"}, "resident": {"type": "boolean"}, "tax_registration": nullable_string()}},
            "signature": {"type": "string", "description": "`tick` (confirmed with the specialist's credentials) or `image:<sha256>`"}}},
        "CardReport": {"type": "object", "description": "Either event with the step's data, or a partner's signed statement of them (statement + signature)", "properties": {
            "event": {"type": "string", "description": "a card step: send_to_bank, open_account, send_to_personalizer, generate_keys, certify_keys, personalize, deliver_to_branch, issue, activate, block, unblock, withdraw_by_bank, declare_lost, destroy, refuse"},
            "note": nullable_string(),
            "account": {"type": ["string", "null"], "description": "open_account: the pension account (IBAN)"},
            "identification": {"type": ["object", "null"], "required": ["surname", "given_name", "birth_date", "tax_id"], "properties": {
                "surname": {"type": "string"}, "given_name": {"type": "string"}, "patronymic": nullable_string(),
                "birth_date": {"type": "string", "format": "date"}, "tax_id": {"type": "string", "description": "RNOKPP, or the passport of a person who refused it"}}},
            "instruction_handed": {"type": "boolean", "description": "issue: the instruction leaflet was handed over with the card (required true; issue also requires identification)"},
            "requests": {"type": "array", "items": {"type": "string"}, "description": "generate_keys: PKCS#10 requests (PEM), at least two"},
            "card_number": {"type": ["string", "null"], "description": "personalize: the card's unique identifier printed under the photo (digit groups, 4–19 characters)"},
            "statement": {"type": ["string", "null"], "description": "instead of the fields above: the report's JSON exactly as the partner signed it, with \"card\": the card's id"},
            "signature": {"type": ["string", "null"], "description": "with statement: detached CMS (CAdES) signature over the statement's bytes, DER in base64, by a document-signing certificate the fund's centre issued to the partner's organisation"}}},
        "DestructionInput": {"type": "object", "required": ["unit_id", "order_no", "items"], "properties": {
            "unit_id": {"type": "integer"}, "order_no": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "required": ["certificate_id", "reason"], "properties": {
                "certificate_id": {"type": "string", "format": "uuid"},
                "reason": {"type": "string", "enum": ["error_in_entries", "decision_cancelled", "false_documents", "unusable", "owner_died", "replaced"]}}}}}},
    })
}

pub async fn document() -> Json<Value> {
    Json(spec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_in_the_document_with_a_problem_response() {
        let s = spec();
        assert_eq!(s["openapi"], "3.1.0");
        for (method, path, ..) in OPERATIONS {
            let op = &s["paths"][*path][*method];
            assert!(op.is_object(), "{method} {path} missing");
            assert!(op["responses"]["default"].is_object());
        }
    }
}
