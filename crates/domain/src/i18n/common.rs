//! Messages shared by every part of the system.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    ("common.required", "Обов’язкове поле.", "This field is required."),
    ("common.too_long", "Задовго: щонайбільше {max} символів.", "Too long: at most {max} characters."),
    ("common.invalid_date", "Дата має бути у форматі РРРР-ММ-ДД.", "The date must be in the form YYYY-MM-DD."),
    ("common.date_in_future", "Дата не може бути в майбутньому.", "The date cannot be in the future."),
    ("common.unknown_value", "Невідоме значення «{value}».", "Unknown value “{value}”."),
    ("common.out_of_range", "Має бути від {min} до {max}.", "Must be from {min} to {max}."),
    ("common.not_found", "Не знайдено.", "Not found."),
    ("common.forbidden", "Недостатньо прав для цієї дії.", "You are not allowed to do this."),
    ("common.unauthenticated", "Потрібно увійти в систему.", "Please sign in."),
    ("common.malformed_json", "Некоректний JSON: {detail}", "Malformed JSON: {detail}"),
    ("common.malformed_request", "Некоректний запит: {detail}", "Malformed request: {detail}"),
    ("common.payload_too_large", "Завеликий запит.", "The request is too large."),
    ("common.validation_failed", "Дані не пройшли перевірку.", "The data did not pass validation."),
    ("common.conflict", "Конфлікт із наявними даними.", "Conflict with existing data."),
    (
        "common.internal",
        "Внутрішня помилка. Спробуйте пізніше; подію записано.",
        "Internal error. Please try again later; the event has been logged.",
    ),
    ("common.rate_limited", "Забагато спроб. Спробуйте пізніше.", "Too many attempts. Please try again later."),
    (
        "common.csrf",
        "Форма застаріла або підроблена. Оновіть сторінку й спробуйте ще раз.",
        "The form is stale or forged. Reload the page and try again.",
    ),
    ("common.unsupported_media", "Непідтримуваний тип даних: {detail}", "Unsupported media type: {detail}"),
    ("common.bad_encoding", "Рядок не в кодуванні UTF-8.", "The row is not valid UTF-8."),
    ("auth.bad_credentials", "Неправильний логін або пароль.", "Wrong login or password."),
    (
        "auth.locked",
        "Обліковий запис тимчасово заблоковано після кількох невдалих спроб. Спробуйте пізніше.",
        "The account is temporarily locked after several failed attempts. Try again later.",
    ),
    (
        "org.bad_parent",
        "Такий підрозділ не може бути підпорядкований обраному.",
        "A unit of this kind cannot be placed under the chosen parent.",
    ),
    ("org.code_taken", "Підрозділ із таким кодом уже є.", "A unit with this code already exists."),
    ("staff.login_taken", "Такий логін уже зайнято.", "This login is already taken."),
    (
        "tsa.not_configured",
        "Службу позначок часу на цьому сервері не налаштовано.",
        "No time-stamping unit is configured on this server.",
    ),
];
