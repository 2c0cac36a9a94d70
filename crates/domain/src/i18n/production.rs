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
    (
        "production.batch.wrong_unit",
        "Цей підрозділ не подає пакети на цьому рівні.",
        "This office does not submit batches at this level.",
    ),
    (
        "production.appointment.period",
        "Кінець призначення не може передувати його початку.",
        "An appointment cannot end before it starts.",
    ),
    (
        "production.appointment.fund_only",
        "Наказом призначають працівників органів Пенсійного фонду.",
        "Appointments by order are made in the fund's own offices.",
    ),
    ("production.act.empty", "Акт має містити хоча б одне посвідчення.", "An act lists at least one certificate."),
    (
        "production.act.wrong_direction",
        "Акти приймання-передачі складаються від центрального апарату до головного управління в області і від нього до підпорядкованого району.",
        "Acceptance-transfer acts go from the central fund to a regional main office, and from it to one of its district offices.",
    ),
    (
        "production.act.not_responsible",
        "Акт підписує відповідальна особа підрозділу, призначена наказом.",
        "An act is signed by the office's responsible person appointed by order.",
    ),
    (
        "production.act.other_unit",
        "Посвідчення {certificate} належить іншому підрозділу.",
        "Certificate {certificate} belongs to another office.",
    ),
    (
        "production.act.wrong_stage",
        "Посвідчення {certificate} зараз не може бути внесене до цього акта.",
        "Certificate {certificate} cannot be listed in this act at its current stage.",
    ),
    (
        "production.act.already_listed",
        "Посвідчення {certificate} уже внесене до акта {act}.",
        "Certificate {certificate} is already listed in act {act}.",
    ),
    ("production.act.not_open", "Акт уже закрито.", "The act is already closed."),
    ("production.act.not_member", "Акт підписують лише члени комісії.", "Only commission members sign the act."),
    (
        "production.issue.not_received",
        "Посвідчення ще не прийняте за актом до журналу видачі.",
        "The certificate has not been received by act into the issue journal yet.",
    ),
    (
        "production.issue.signature",
        "Потрібен підпис отримувача: позначка з обліковими даними фахівця або зображення підпису.",
        "The recipient's signature is needed: a tick with the specialist's credentials or a signature image.",
    ),
    (
        "production.hold.none",
        "Посвідчення не затримане перевіркою на дублікати.",
        "The certificate is not held by the duplicate check.",
    ),
];
