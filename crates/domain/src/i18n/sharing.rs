//! Messages about document sharing by code and consent (SPEC §2.1): what the
//! specialist at the counter and the citizen in the wallet are told.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    ("sharing.code.format", "Код має складатися з 13 цифр.", "The code must be 13 digits."),
    (
        "sharing.code.checksum",
        "Неправильна контрольна цифра коду — перепитайте код у відвідувача.",
        "Wrong check digit — please ask the visitor to read the code again.",
    ),
    (
        "sharing.code.unknown",
        "Немає запису з таким кодом. Попросіть відвідувача оновити код у застосунку.",
        "There is no record with this code. Ask the visitor to refresh the code in the app.",
    ),
    (
        "sharing.code.expired",
        "Строк дії коду минув (3 хвилини). Попросіть новий код.",
        "The code has expired (3 minutes). Ask for a new code.",
    ),
    (
        "sharing.code.used",
        "Цей код уже використано. Кожен код діє лише один раз.",
        "This code has already been used. Each code works only once.",
    ),
    (
        "sharing.type_not_allowed",
        "Це відділення не має права запитувати документ «{type}».",
        "This branch may not request the document “{type}”.",
    ),
    (
        "sharing.type_mismatch",
        "Тип документа має бути «{type}»: код створено для іншого документа.",
        "The document type must be “{type}”: the code was made for another document.",
    ),
    ("sharing.document_type.unknown", "Невідомий тип документа: {type}.", "Unknown document type: {type}."),
    (
        "sharing.request.not_allowed",
        "Запит у стані «{status}» вже не можна змінити.",
        "A request that is “{status}” can no longer be changed.",
    ),
    (
        "sharing.request.unknown",
        "Запит не знайдено. Спочатку надішліть запит на документ.",
        "Request not found. Request the document before sharing.",
    ),
    ("sharing.declined", "Громадянин відмовився передавати документ.", "The citizen declined to share the document."),
    (
        "sharing.hub_unreachable",
        "Сервіс обміну документами недоступний. Запит збережено і буде повторено автоматично.",
        "The document-sharing service is unreachable. The request is kept and will be retried automatically.",
    ),
    (
        "sharing.rate_limited",
        "Забагато невдалих спроб введення коду. Зачекайте {seconds} с і спробуйте знову.",
        "Too many wrong codes. Wait {seconds} s and try again.",
    ),
    (
        "sharing.doc.internal-passport",
        "Паспорт громадянина України (ID-картка)",
        "Passport of a citizen of Ukraine (ID card)",
    ),
    ("sharing.doc.taxpayer-card", "Картка платника податків (РНОКПП)", "Taxpayer card (RNOKPP)"),
    ("sharing.doc.birth-certificate", "Свідоцтво про народження", "Birth certificate"),
    ("sharing.status.waiting_consent", "Очікує згоди громадянина", "Waiting for the citizen’s consent"),
    ("sharing.status.approved", "Згоду надано, документ надсилається", "Consent given, the document is on its way"),
    ("sharing.status.declined", "Громадянин відмовив", "Declined by the citizen"),
    ("sharing.status.expired", "Строк очікування минув", "Expired"),
    ("sharing.status.delivered", "Документ отримано", "Document received"),
    ("sharing.status.failed", "Не вдалося доставити документ", "The document could not be delivered"),
];
