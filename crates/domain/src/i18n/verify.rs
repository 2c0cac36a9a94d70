//! Messages of signature validation reports (ETSI EN 319 102-1 indications
//! and the checks behind them), worded for a specialist who is not a
//! cryptographer: what was checked and what it means.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    ("verify.title", "Перевірка підписів документа", "Document signature check"),
    ("verify.document", "Документ", "Document"),
    ("verify.no_signatures", "У документі немає електронних підписів.", "The document has no electronic signatures."),
    ("verify.signature_n", "Підпис {n}", "Signature {n}"),
    ("verify.doc_timestamp_n", "Позначка часу документа {n}", "Document time-stamp {n}"),
    ("verify.signer", "Підписувач", "Signer"),
    ("verify.issuer", "Видавець сертифіката", "Certificate issuer"),
    ("verify.claimed_time", "Час підписання (за словами підписувача)", "Signing time (as the signer states)"),
    ("verify.proven_time", "Час підписання (підтверджено позначкою часу)", "Signing time (proven by a time-stamp)"),
    ("verify.certificate_valid", "Сертифікат чинний", "Certificate valid"),
    (
        "verify.later_revisions",
        "Після підписання документ змінювали {n} раз(и)",
        "The document was changed {n} time(s) after signing",
    ),
    ("verify.covers_whole", "Підпис охоплює весь документ", "The signature covers the whole document"),
    ("verify.level", "Рівень підпису", "Signature level"),
    ("verify.technical", "Технічні подробиці", "Technical details"),
    ("verify.upload", "Перевірити PDF", "Check a PDF"),
    ("verify.upload_hint", "Виберіть підписаний PDF-файл (до 20 МБ).", "Choose a signed PDF file (up to 20 MB)."),
    ("verify.download_json", "Звіт у форматі JSON", "Report as JSON"),
    // Verdicts.
    ("verify.indication.TOTAL-PASSED", "Підпис дійсний", "Signature valid"),
    ("verify.indication.TOTAL-FAILED", "Підпис недійсний", "Signature NOT valid"),
    ("verify.indication.INDETERMINATE", "Не вдалося підтвердити підпис", "Signature could not be confirmed"),
    ("verify.overall.TOTAL-PASSED", "Усі підписи дійсні", "All signatures are valid"),
    ("verify.overall.TOTAL-FAILED", "Документ має недійсний підпис", "The document has an invalid signature"),
    ("verify.overall.INDETERMINATE", "Не всі підписи вдалося підтвердити", "Not every signature could be confirmed"),
    // Why (sub-indications).
    (
        "verify.sub.FORMAT_FAILURE",
        "Підпис пошкоджений або має неправильний формат.",
        "The signature is damaged or malformed.",
    ),
    ("verify.sub.HASH_FAILURE", "Документ змінено після підписання.", "The document was changed after it was signed."),
    (
        "verify.sub.SIG_CRYPTO_FAILURE",
        "Значення підпису не відповідає ключу підписувача.",
        "The signature value does not match the signer's key.",
    ),
    (
        "verify.sub.REVOKED",
        "Сертифікат підписувача скасовано до підписання.",
        "The signer's certificate was revoked before signing.",
    ),
    (
        "verify.sub.EXPIRED",
        "Сертифікат підписувача закінчився до підписання.",
        "The signer's certificate had expired before signing.",
    ),
    (
        "verify.sub.NOT_YET_VALID",
        "Сертифікат ще не діяв на час підписання.",
        "The certificate was not yet valid at signing time.",
    ),
    (
        "verify.sub.SIG_CONSTRAINTS_FAILURE",
        "Підпис не відповідає вимогам політики.",
        "The signature does not meet the policy's requirements.",
    ),
    (
        "verify.sub.CHAIN_CONSTRAINTS_FAILURE",
        "Сертифікат не призначений для такого підпису.",
        "The certificate is not meant for this kind of signature.",
    ),
    (
        "verify.sub.CRYPTO_CONSTRAINTS_FAILURE",
        "Алгоритм підпису не підтримується або застарів.",
        "The signature algorithm is not accepted.",
    ),
    (
        "verify.sub.REVOKED_NO_POE",
        "Сертифікат скасовано, а позначки часу, що доводить ранніше підписання, немає.",
        "The certificate is revoked and no time-stamp proves an earlier signature.",
    ),
    (
        "verify.sub.OUT_OF_BOUNDS_NO_POE",
        "Сертифікат уже не чинний, а позначки часу, що доводить час підписання, немає.",
        "The certificate is no longer valid and no time-stamp proves when it was signed.",
    ),
    (
        "verify.sub.NO_SIGNING_CERTIFICATE_FOUND",
        "Сертифікат підписувача не знайдено.",
        "The signer's certificate was not found.",
    ),
    (
        "verify.sub.NO_CERTIFICATE_CHAIN_FOUND",
        "Сертифікат видано не довіреним центром сертифікації.",
        "The certificate was not issued by a trusted certification centre.",
    ),
    (
        "verify.sub.TRY_LATER",
        "Немає актуального списку відкликаних сертифікатів; спробуйте пізніше.",
        "No current revocation list is available; try later.",
    ),
    ("verify.sub.SIGNED_DATA_NOT_FOUND", "Підписаних даних не знайдено.", "The signed data was not found."),
    // Checks.
    ("verify.check.format", "Формат підпису", "Signature format"),
    ("verify.check.byte_range", "Охоплення документа підписом", "Document coverage"),
    ("verify.check.content_type", "Тип підписаних даних", "Signed content type"),
    ("verify.check.message_digest", "Цілісність документа", "Document integrity"),
    ("verify.check.signature", "Значення підпису", "Signature value"),
    ("verify.check.signing_certificate", "Прив'язка сертифіката до підпису", "Certificate bound to the signature"),
    ("verify.check.chain", "Ланцюжок до довіреного центру", "Chain to a trusted centre"),
    ("verify.check.validity", "Строк дії сертифікатів", "Certificate validity"),
    ("verify.check.chain_constraints", "Повноваження центрів сертифікації", "Certification centres' authority"),
    ("verify.check.key_usage", "Призначення ключа", "Key usage"),
    ("verify.check.revocation", "Статус відкликання", "Revocation status"),
    ("verify.check.timestamp", "Позначка часу", "Time-stamp"),
    ("verify.check.timestamp_format", "Формат позначки часу", "Time-stamp format"),
    (
        "verify.check.timestamp_imprint",
        "Позначка часу стосується цього підпису",
        "Time-stamp belongs to this signature",
    ),
    ("verify.check.later_revisions", "Зміни після підписання", "Changes after signing"),
    ("verify.status.passed", "так", "passed"),
    ("verify.status.failed", "ні", "failed"),
    ("verify.status.warning", "попередження", "warning"),
    ("verify.status.skipped", "не перевірялося", "not checked"),
    // Errors of the trust-service commands and endpoints.
    ("verify.error.not_pdf", "Файл не є документом PDF.", "The file is not a PDF document."),
    ("verify.error.too_large", "Файл завеликий.", "The file is too large."),
];
