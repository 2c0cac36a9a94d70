//! Messages about identifiers (SPEC §3).
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    ("rnokpp.format", "РНОКПП має складатися з {len} цифр.", "The RNOKPP must be {len} digits."),
    (
        "rnokpp.checksum",
        "Неправильна контрольна цифра РНОКПП — перевірте номер.",
        "Wrong RNOKPP check digit — please re-check the number.",
    ),
    (
        "rnokpp.birth_mismatch",
        "Дата народження не збігається з РНОКПП (за номером — {date}).",
        "The date of birth disagrees with the RNOKPP (the number says {date}).",
    ),
    ("rnokpp.sex_mismatch", "Стать не збігається з РНОКПП.", "The sex disagrees with the RNOKPP."),
    ("unzr.format", "УНЗР має вигляд РРРРММДД-ННННК.", "The UNZR must look like YYYYMMDD-NNNNC."),
    ("unzr.date", "УНЗР містить неіснуючу дату.", "The UNZR contains a date that does not exist."),
    ("unzr.checksum", "Неправильна контрольна цифра УНЗР.", "Wrong UNZR check digit."),
    (
        "passport.format",
        "Паспорт: дві українські великі літери та шість цифр (напр. КВ123456).",
        "Passport: two Ukrainian capital letters and six digits (e.g. КВ123456).",
    ),
    ("id_card.format", "Номер ID-картки — {len} цифр.", "An ID-card number is {len} digits."),
    (
        "okzo.format",
        "Номер ОКЗО — до 10 цифр (доповнюється ведучими нулями).",
        "The OKZO number is up to 10 digits (padded with leading zeros).",
    ),
    (
        "account.format",
        "Номер особового рахунку — від 1 до {max} цифр.",
        "The personal account number is 1 to {max} digits.",
    ),
];
