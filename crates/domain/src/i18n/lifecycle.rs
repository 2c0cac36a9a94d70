//! Messages of the certificate life cycle (regulation 26-1, §§ III–V):
//! certificate forms, stage names, event names (button labels) and refusals.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    // Forms of a certificate.
    ("certificate_form.paper", "Паперове посвідчення", "Paper certificate"),
    ("certificate_form.card", "Електронне посвідчення (платіжна картка)", "Electronic certificate (payment card)"),
    // Stages.
    ("stage.accepted", "Заяву прийнято", "Application accepted"),
    (
        "stage.submitted_to_region",
        "Відомості подано до головного управління Фонду",
        "Data submitted to the regional main office",
    ),
    (
        "stage.submitted_to_central",
        "Відомості подано до Пенсійного фонду України",
        "Data submitted to the Pension Fund of Ukraine",
    ),
    (
        "stage.duplicate_hold",
        "Виготовлення призупинено: можливе дублювання посвідчення",
        "Production on hold: possible duplicate certificate",
    ),
    ("stage.in_production", "Посвідчення виготовляється", "Certificate in production"),
    ("stage.produced", "Посвідчення виготовлено", "Certificate produced"),
    (
        "stage.at_region",
        "Посвідчення передано до головного управління Фонду",
        "Certificate transferred to the regional main office",
    ),
    (
        "stage.at_district",
        "Посвідчення надійшло до органу Фонду і готове до видачі",
        "Certificate at the district office, ready for issue",
    ),
    ("stage.sent_to_bank", "Заяву передано до банку", "Application sent to the bank"),
    ("stage.account_opened", "Банк відкрив рахунок", "Bank account opened"),
    ("stage.at_personalizer", "Відомості передано персоналізатору", "Data sent to the personalizer"),
    (
        "stage.keys_generated",
        "Ключі згенеровано, запити на сертифікацію подано",
        "Keys generated, certification requests submitted",
    ),
    ("stage.keys_certified", "Сертифікати ключів сформовано", "Key certificates issued"),
    ("stage.personalized", "Посвідчення персоналізовано", "Card personalized"),
    (
        "stage.at_branch",
        "Посвідчення надійшло до відділення банку і готове до видачі",
        "Card at the bank branch, ready for issue",
    ),
    ("stage.issued", "Посвідчення видано", "Certificate issued"),
    ("stage.active", "Посвідчення активовано", "Card activated"),
    ("stage.blocked", "Посвідчення заблоковано", "Card blocked"),
    ("stage.returned", "Посвідчення повернуто для знищення", "Certificate returned for destruction"),
    ("stage.lost", "Заявлено про втрату посвідчення", "Certificate declared lost"),
    ("stage.withdrawn_by_bank", "Посвідчення вилучено банком", "Card withdrawn by the bank"),
    ("stage.destroyed", "Посвідчення знищено", "Certificate destroyed"),
    ("stage.withdrawn", "Заяву відкликано", "Application withdrawn"),
    ("stage.refused", "У виготовленні посвідчення відмовлено", "Production refused"),
    // Events, worded as the actions a person records.
    (
        "event.submit_to_region",
        "Подати відомості до головного управління Фонду",
        "Submit the data to the regional main office",
    ),
    (
        "event.submit_to_central",
        "Подати відомості до Пенсійного фонду України",
        "Submit the data to the Pension Fund of Ukraine",
    ),
    (
        "event.pass_duplicate_check",
        "Підтвердити відсутність раніше виготовлених посвідчень",
        "Confirm that no earlier certificate exists",
    ),
    (
        "event.hold_as_duplicate",
        "Призупинити виготовлення: можливе дублювання",
        "Put production on hold as a possible duplicate",
    ),
    ("event.release_hold", "Відновити виготовлення", "Release the hold"),
    ("event.produce", "Зареєструвати виготовлення", "Record production"),
    (
        "event.transfer_to_region",
        "Передати до головного управління за актом",
        "Transfer to the regional main office by act",
    ),
    ("event.transfer_to_district", "Передати до органу Фонду за актом", "Transfer to the district office by act"),
    ("event.send_to_bank", "Передати заяву до банку", "Send the application to the bank"),
    ("event.open_account", "Зареєструвати відкриття рахунку", "Record the account opening"),
    ("event.send_to_personalizer", "Передати відомості персоналізатору", "Send the data to the personalizer"),
    ("event.generate_keys", "Зареєструвати генерацію ключів", "Record key generation"),
    ("event.certify_keys", "Зареєструвати формування сертифікатів ключів", "Record key certification"),
    ("event.personalize", "Зареєструвати персоналізацію", "Record personalization"),
    ("event.deliver_to_branch", "Зареєструвати доставку до відділення банку", "Record delivery to the bank branch"),
    ("event.issue", "Видати посвідчення", "Issue the certificate"),
    ("event.activate", "Зареєструвати активацію", "Record activation"),
    ("event.block", "Заблокувати", "Block"),
    ("event.unblock", "Розблокувати", "Unblock"),
    ("event.withdraw", "Відкликати заяву", "Withdraw the application"),
    ("event.refuse", "Відмовити у виготовленні", "Refuse production"),
    ("event.return_for_destruction", "Прийняти посвідчення для знищення", "Take the certificate back for destruction"),
    ("event.declare_lost", "Зареєструвати втрату", "Record the loss"),
    ("event.withdraw_by_bank", "Зареєструвати вилучення банком", "Record withdrawal by the bank"),
    ("event.destroy", "Зареєструвати знищення", "Record destruction"),
    // Refusals of `lifecycle::next`; {stage}, {event} and {form} are snake_case names.
    (
        "lifecycle.not_allowed",
        "Дія «{event}» недоступна на етапі «{stage}».",
        "Action “{event}” is not available at stage “{stage}”.",
    ),
    (
        "lifecycle.wrong_form",
        "Дія «{event}» не застосовується до посвідчення у формі «{form}».",
        "Action “{event}” does not apply to a certificate in form “{form}”.",
    ),
    (
        "lifecycle.stage_not_in_form",
        "Етап «{stage}» не передбачений для посвідчення у формі «{form}»; перевірте дані.",
        "Stage “{stage}” does not exist for a certificate in form “{form}”; please check the data.",
    ),
    (
        "lifecycle.already_final",
        "Справу завершено на етапі «{stage}»; подальші дії неможливі.",
        "The case is closed at stage “{stage}”; no further action is possible.",
    ),
    (
        "lifecycle.too_late_to_withdraw",
        "Заяву вже не можна відкликати: відомості передано на виготовлення.",
        "The application can no longer be withdrawn: it has already been handed over for production.",
    ),
];
