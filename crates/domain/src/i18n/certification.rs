//! Messages of the certification centre: profiles, the registry checks
//! (SPEC §2.2, §2.4 §IV), requests, revocation.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    // Profiles.
    ("cert_profile.qes_id_card", "Кваліфікований підпис на ID-картці", "Qualified signature on the ID card"),
    ("cert_profile.card_key", "Ключ електронного пенсійного посвідчення", "Electronic pension certificate key"),
    ("cert_profile.agency_encryption", "Шифрування (установа)", "Agency encryption"),
    ("cert_profile.document_signing", "Підписання документів (установа)", "Document signing (agency)"),
    ("cert_profile.time_stamping", "Позначки часу", "Time-stamping"),
    // Registry checks.
    ("certification.refused", "Сертифікат не може бути сформовано.", "The certificate cannot be issued."),
    ("certification.validity_positive", "Строк дії — щонайменше один день.", "The validity must be at least one day."),
    (
        "certification.validity_beyond_profile",
        "Строк дії сертифіката цього виду — не більше {max} днів.",
        "Certificates of this kind are valid for at most {max} days.",
    ),
    (
        "certification.person_profile_for_unit",
        "Ключі кваліфікованого підпису та ключі картки сертифікуються лише для особи, не для підрозділу.",
        "Qualified-signature and card keys are certified for a person only, not for an org unit.",
    ),
    (
        "certification.unit_profile_for_person",
        "Сертифікати шифрування, підписання документів і позначок часу видаються лише підрозділам, не особам.",
        "Encryption, document-signing and time-stamping certificates are issued to org units only, not to people.",
    ),
    (
        "certification.qes_adults_only",
        "Кваліфікований підпис на ID-картці — лише для осіб, яким виповнилося 18 років.",
        "A qualified signature on the ID card is only for persons aged 18 or over.",
    ),
    (
        "certification.qes_no_id_card",
        "У реєстрі немає ID-картки особи.",
        "The registry holds no ID card of this person.",
    ),
    (
        "certification.qes_id_card_expiry_unknown",
        "Не відомо, до якої дати дійсна ID-картка: внесіть строк дії до реєстру.",
        "The ID card's expiry date is unknown: record it in the registry first.",
    ),
    ("certification.qes_id_card_expired", "Строк дії ID-картки закінчився {date}.", "The ID card expired on {date}."),
    (
        "certification.qes_beyond_id_card",
        "Сертифікат не може діяти довше за ID-картку (до {date}, тобто не більше {days} днів).",
        "The certificate cannot outlive the ID card (valid until {date}, i.e. at most {days} days).",
    ),
    (
        "certification.card_application_required",
        "Ключі картки сертифікуються лише за заявою на електронне посвідчення: вкажіть заяву.",
        "Card keys are certified only for an application for an electronic certificate: name the application.",
    ),
    (
        "certification.card_application_other_person",
        "Ця заява належить іншій особі.",
        "This application belongs to another person.",
    ),
    (
        "certification.card_application_not_card",
        "Це заява на паперове посвідчення: ключі сертифікуються лише для картки.",
        "This is an application for a paper certificate: keys are certified only for a card.",
    ),
    (
        "certification.card_application_wrong_stage",
        "Ключі сертифікуються, коли їх згенеровано (етап keys_generated); заява на етапі «{stage}».",
        "Keys are certified once generated (stage keys_generated); the application is at “{stage}”.",
    ),
    (
        "certification.card_key_beyond_card",
        "Ключ не може діяти довше за картку (до {date}, тобто не більше {days} днів).",
        "The key cannot outlive the card (valid until {date}, i.e. at most {days} days).",
    ),
    // Requests and the centre itself.
    (
        "ca.not_configured",
        "Центр сертифікації не налаштовано: виконайте «dossier ca init» і задайте DOSSIER_CA_PIN.",
        "The certification centre is not set up: run “dossier ca init” and set DOSSIER_CA_PIN.",
    ),
    (
        "ca.csr_malformed",
        "Запит на сертифікат пошкоджено або він не у форматі PKCS#10.",
        "The certificate request is damaged or not PKCS#10.",
    ),
    (
        "ca.csr_bad_signature",
        "Підпис запиту не перевіряється: володіння особистим ключем не доведено.",
        "The request's signature does not verify: possession of the private key is not proven.",
    ),
    (
        "ca.csr_unsupported",
        "Алгоритм запиту не підтримується (потрібен ECDSA P-256 або P-384).",
        "The request's algorithm is not supported (ECDSA P-256 or P-384 required).",
    ),
    (
        "ca.subject_required",
        "Вкажіть рівно одного суб’єкта: особу або підрозділ.",
        "Name exactly one subject: a person or an org unit.",
    ),
    ("ca.person_not_found", "Особу не знайдено в реєстрі.", "The person is not in the registry."),
    ("ca.unit_not_found", "Підрозділ не знайдено.", "No such org unit."),
    ("ca.card_application_not_found", "Заяву не знайдено.", "No such application."),
    ("ca.already_revoked", "Сертифікат уже скасовано.", "The certificate is already revoked."),
    ("ca.serial_format", "Серійний номер — шістнадцяткові цифри.", "A serial number is hexadecimal digits."),
    (
        "ca.issue_failed",
        "Центр сертифікації не зміг підписати сертифікат.",
        "The certification centre could not sign the certificate.",
    ),
    // Revocation reasons (RFC 5280 §5.3.1).
    ("revocation.unspecified", "Без зазначення причини", "Unspecified"),
    ("revocation.key_compromise", "Компрометація ключа", "Key compromise"),
    ("revocation.ca_compromise", "Компрометація ключа центру", "CA compromise"),
    ("revocation.affiliation_changed", "Зміна даних власника", "Affiliation changed"),
    ("revocation.superseded", "Замінено новим", "Superseded"),
    ("revocation.cessation_of_operation", "Припинення діяльності", "Cessation of operation"),
    ("revocation.certificate_hold", "Блокування", "Certificate hold"),
    ("revocation.privilege_withdrawn", "Відкликання повноважень", "Privilege withdrawn"),
];
