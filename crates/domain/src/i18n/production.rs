//! Refusals of the production rules (regulation 26-1, §§ I.4, III, V).
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    (
        "production.commission.too_few",
        "Комісія зі знищення має складатися щонайменше з {min} осіб.",
        "A destruction commission needs at least {min} members.",
    ),
    (
        "production.commission.chair",
        "Комісію очолює керівник територіального органу.",
        "The commission is chaired by the head of the territorial body.",
    ),
    (
        "production.commission.not_appointed",
        "Член комісії не призначений наказом на цю дату.",
        "A commission member is not appointed by order on this date.",
    ),
    (
        "production.act.unsigned",
        "Акт ще не підписали всі члени комісії (бракує підписів: {count}).",
        "Not every commission member has signed the act yet ({count} signatures missing).",
    ),
    (
        "production.issue.identity_document",
        "Зазначте документ, що посвідчує особу отримувача.",
        "Record the recipient's identity document.",
    ),
    (
        "production.issue.status_document",
        "Законний представник пред'являє документ, що підтверджує його повноваження.",
        "A legal representative shows the document proving the status.",
    ),
    (
        "production.issue.tax_registration",
        "Представник-резидент пред'являє документ про реєстрацію у ДРФО (РНОКПП).",
        "A resident representative shows the tax-registration document (RNOKPP).",
    ),
];
