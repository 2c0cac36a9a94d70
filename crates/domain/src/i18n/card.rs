//! The card exchange with the bank, the personalizer and the certification
//! centre (regulation 26-1, §IV).
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    ("card.party.fund", "Пенсійний фонд", "Pension fund"),
    ("card.party.bank", "Банк", "Bank"),
    ("card.party.personalizer", "Персоналізатор", "Personalizer"),
    ("card.party.certification_centre", "Центр сертифікації ключів", "Key certification centre"),
    (
        "card.not_found",
        "Картку не знайдено серед карток, з якими працює ваша організація.",
        "No such card among the cards your organisation works on.",
    ),
    (
        "card.not_your_step",
        "Цей етап ({event}) повідомляє інша сторона, не {party}.",
        "This step ({event}) is reported by another party, not by the {party}.",
    ),
    (
        "card.not_a_card_step",
        "Етап {event} не є етапом обміну щодо картки.",
        "{event} is not a step of the card exchange.",
    ),
    (
        "card.identification.mismatch",
        "Не збігається з даними Пенсійного фонду.",
        "Does not match the pension fund's record.",
    ),
    (
        "card.identification.required",
        "Відкриваючи рахунок і видаючи картку, банк передає ідентифікаційні дані власника.",
        "When opening the account and when issuing the card the bank sends the holder's identification data.",
    ),
    (
        "card.issue.instruction_required",
        "Разом із карткою власникові видають інструкцію щодо її використання.",
        "The instruction on using the card is handed to the holder with it.",
    ),
    (
        "card.identification.unmatched",
        "Ключі сертифікуються лише після збігу ідентифікаційних даних банку з даними фонду.",
        "Keys are certified only after the bank's identification data matched the fund's record.",
    ),
    (
        "card.keys.too_few",
        "На чип записується щонайменше {min} пари ключів.",
        "At least {min} key pairs are written to the chip.",
    ),
    ("card.keys.too_many", "Не більше {max} запитів для однієї картки.", "At most {max} requests for one card."),
    ("card.keys.repeated", "Цей ключ уже є в запиті.", "This key is already in the request."),
    (
        "card.keys.invalid_request",
        "Запит не є самопідписаним запитом на сертифікат з доказом володіння ключем.",
        "Not a self-signed certification request proving possession of the key.",
    ),
    (
        "card.keys.missing",
        "Персоналізатор ще не подав запити на сертифікацію ключів цієї картки.",
        "The personalizer has not submitted this card's key requests yet.",
    ),
    (
        "card.number.invalid",
        "Номер картки — цифри групами через один пробіл або дефіс, від 4 до 19 знаків.",
        "The card number is digits in groups separated by one space or hyphen, 4 to 19 characters.",
    ),
    (
        "card.number.differs",
        "Картку вже персоналізовано з іншим номером: зворотний бік друкується з записаним номером.",
        "The card was personalized with another number: its back prints the recorded number.",
    ),
    (
        "card.face.okzo_missing",
        "Для картки потрібен номер облікової картки застрахованої особи (ОКЗО): додайте його в реєстрі.",
        "The card needs the insured person's record-card number (OKZO): add it to the registry.",
    ),
    (
        "card.face.photo_missing",
        "Для картки потрібне фото особи (зона 3): завантажте його в досьє.",
        "The card needs the person's photo (zone 3): upload it on the dossier.",
    ),
    (
        "card.face.signature_missing",
        "Для картки потрібен зразок підпису особи (зона 6): завантажте його в досьє.",
        "The card needs the person's signature specimen (zone 6): upload it on the dossier.",
    ),
    (
        "card.face.unreadable",
        "Дані персоналізації цієї картки записано в старому форматі; надішліть їх персоналізатору знову.",
        "This card's personalization data were recorded in an old format; send them to the personalizer again.",
    ),
    (
        "card.statement.invalid",
        "Заява про крок має бути JSON-об’єктом звіту (event та дані кроку).",
        "The statement must be the report as a JSON object (event and the step's data).",
    ),
    (
        "card.statement.other_card",
        "Підписана заява стосується іншої картки.",
        "The signed statement is about another card.",
    ),
    (
        "card.partner_signature.invalid",
        "Підпис не перевірено: він не відповідає заяві або сертифікат недійсний чи відкликаний.",
        "The signature does not verify: it does not match the statement, or the certificate is invalid or revoked.",
    ),
    (
        "card.partner_signature.not_yours",
        "Заяву підписано сертифікатом, який центр не видавав вашій організації для підписання документів.",
        "The statement is signed with a certificate the centre did not issue to your organisation for signing documents.",
    ),
    (
        "card.partner_signature.required",
        "Звіт партнера має бути підписаний власним підписом організації (statement і signature).",
        "A partner's report must carry the organisation's own signature (statement and signature).",
    ),
    (
        "card.seal_missing",
        "Печатка фонду не налаштована: обмін із банком і персоналізатором неможливий.",
        "The fund's seal is not configured: the exchange with the bank and the personalizer is not possible.",
    ),
];
