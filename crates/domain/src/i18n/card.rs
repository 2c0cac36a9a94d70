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
        "Відкриваючи рахунок, банк передає ідентифікаційні дані власника.",
        "When opening the account the bank sends the holder's identification data.",
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
        "card.seal_missing",
        "Печатка фонду не налаштована: обмін із банком і персоналізатором неможливий.",
        "The fund's seal is not configured: the exchange with the bank and the personalizer is not possible.",
    ),
];
