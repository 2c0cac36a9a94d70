//! Labels and texts of the staff web interface.
use super::Row;

pub(crate) static ROWS: &[Row] = &[
    ("ui.app_name", "Досьє", "Dossier"),
    ("unit.central_fund", "Пенсійний фонд України (центральний апарат)", "Pension Fund (central office)"),
    ("unit.regional_office", "Головне управління", "Regional main office"),
    ("unit.district_office", "Управління в районі", "District office"),
    ("unit.service_centre", "Сервісний центр", "Service centre"),
    ("unit.bank", "Банк", "Bank"),
    ("unit.bank_branch", "Відділення банку", "Bank branch"),
    ("unit.personalizer", "Персоналізатор", "Personalizer"),
    ("unit.certification_centre", "Центр сертифікації ключів", "Certification centre"),
    ("role.specialist", "Спеціаліст сервісного центру", "Service-centre specialist"),
    ("role.district_officer", "Працівник управління в районі", "District officer"),
    ("role.regional_officer", "Працівник головного управління", "Regional officer"),
    ("role.central_production_officer", "Працівник виготовлення (центральний апарат)", "Central production officer"),
    ("role.transfer_responsible", "Відповідальна особа з приймання-передавання", "Responsible person for acceptance/transfer"),
    ("role.commission_member", "Член комісії зі знищення", "Destruction commission member"),
    ("role.bank_operator", "Оператор банку", "Bank operator"),
    ("role.personalizer_operator", "Оператор персоналізатора", "Personalizer operator"),
    ("role.ca_operator", "Оператор ЦСК", "CA operator"),
    ("role.auditor", "Аудитор", "Auditor"),
    ("role.administrator", "Адміністратор", "Administrator"),
];
