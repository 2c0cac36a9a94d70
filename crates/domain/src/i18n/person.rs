//! Messages about people and representatives.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    (
        "name.letters",
        "Недопустимий символ «{char}»: лише українські літери, апостроф і дефіс.",
        "Character “{char}” is not allowed: only letters, apostrophe and hyphen.",
    ),
    (
        "name.separator",
        "Апостроф, дефіс чи пробіл не можуть стояти на початку, в кінці чи підряд.",
        "An apostrophe, hyphen or space cannot start, end or repeat.",
    ),
    ("person.birth_too_early", "Дата народження раніше 1900 року.", "The date of birth is before 1900."),
    (
        "person.rnokpp_required",
        "Вкажіть РНОКПП або позначте відмову від нього з релігійних переконань.",
        "Enter the RNOKPP or mark that the person refused it for religious reasons.",
    ),
    (
        "person.rnokpp_with_refusal",
        "Особа відмовилася від РНОКПП — номер не зберігається.",
        "The person refused the RNOKPP — no number may be stored.",
    ),
    (
        "person.passport_required_for_refusal",
        "Для особи, що відмовилася від РНОКПП, потрібні серія та номер паспорта.",
        "A person who refused the RNOKPP must be identified by passport series and number.",
    ),
    (
        "person.unzr_birth_mismatch",
        "Дата в УНЗР не збігається з датою народження.",
        "The date in the UNZR disagrees with the date of birth.",
    ),
    (
        "person.id_card_expiry_without_card",
        "Строк дії вказано, а номера ID-картки немає.",
        "An expiry date is given but no ID-card number.",
    ),
    (
        "person.duplicate",
        "Особа з таким РНОКПП або паспортом уже є в реєстрі.",
        "A person with this RNOKPP or passport is already in the registry.",
    ),
    ("person.photo_not_image", "Фото має бути зображенням JPEG або PNG.", "The photo must be a JPEG or PNG image."),
    ("person.photo_too_large", "Фото завелике: щонайбільше {max} КБ.", "The photo is too large: at most {max} KB."),
    (
        "person.photo_too_small",
        "Фото замале: щонайменше {w}×{h} пікселів.",
        "The photo is too small: at least {w}×{h} pixels.",
    ),
    (
        "person.signature_not_image",
        "Зразок підпису має бути зображенням JPEG або PNG.",
        "The signature specimen must be a JPEG or PNG image.",
    ),
    (
        "person.signature_too_large",
        "Зразок підпису завеликий: щонайбільше {max} КБ.",
        "The signature specimen is too large: at most {max} KB.",
    ),
    (
        "person.signature_too_small",
        "Зразок підпису замалий: щонайменше {w}×{h} пікселів.",
        "The signature specimen is too small: at least {w}×{h} pixels.",
    ),
    ("sex.male", "чоловіча", "male"),
    ("sex.female", "жіноча", "female"),
    ("capacity.full", "повна дієздатність", "full capacity"),
    ("capacity.limited", "обмежена дієздатність", "limited capacity"),
    ("capacity.incapacitated", "недієздатна особа", "incapacitated"),
    ("rep.parent", "батько/мати", "parent"),
    ("rep.adoptive_parent", "усиновлювач", "adoptive parent"),
    ("rep.parent_educator", "батько-вихователь / мати-вихователька", "parent-educator (family-type home)"),
    ("rep.foster_parent", "прийомний батько / прийомна мати", "foster parent"),
    ("rep.patronage_educator", "патронатний вихователь", "patronage educator"),
    ("rep.guardian", "опікун", "guardian"),
    ("rep.custodian", "піклувальник", "custodian"),
    ("rep.institution", "заклад (орган опіки і піклування)", "institution (guardianship body)"),
    (
        "rep.proof_required",
        "Вкажіть документ, що підтверджує статус представника.",
        "Enter the document proving the representative’s status.",
    ),
    (
        "rep.resident_needs_rnokpp",
        "Представник-резидент пред’являє документ про реєстрацію платника податків — вкажіть РНОКПП.",
        "A resident representative shows tax registration — enter the RNOKPP.",
    ),
    (
        "person.unit_not_district",
        "Особа перебуває на обліку в управлінні в районі — оберіть управління.",
        "A person is registered at a district office — choose one.",
    ),
    (
        "import.missing_column",
        "У заголовку CSV немає стовпця «{column}».",
        "The CSV header lacks the column “{column}”.",
    ),
    (
        "import.malformed_row",
        "Рядок CSV не вдається прочитати (лапки чи роздільники).",
        "The CSV row cannot be read (quotes or separators).",
    ),
    ("import.empty", "У файлі немає жодного рядка з даними.", "The file has no data rows."),
];
