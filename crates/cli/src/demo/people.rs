//! Generated people with realistic Ukrainian names and valid identifiers, for
//! the demo and for benchmarks. Deterministic for a given seed.
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use dossier_domain::ident::{Rnokpp, Unzr};
use dossier_domain::person::{PersonInput, Sex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Surnames that are the same for men and women.
const SURNAMES: &[&str] = &[
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Бойко",
    "Ткачук",
    "Мельник",
    "Савченко",
    "Руденко",
    "Мороз",
    "Лисенко",
    "Марченко",
    "Гончаренко",
    "Клименко",
    "Павленко",
    "Кузьменко",
    "Дем’яненко",
    "Сем’янович",
    "Мар’яненко",
    "Гнатюк",
    "Кушнір",
    "Левченко",
    "Харченко",
    "Яковенко",
    "Остапчук",
    "Їжакевич",
    "Ґудзь",
    "Єременко",
    "Іваненко",
    "Петренко",
    "Литвиненко",
    "Зінченко",
    "Пономаренко",
    "Костенко",
    "Приходько",
    "Коваль",
    "Федоренко",
    "Василенко",
    "Білоус",
    "Захарченко",
    "Шаповал",
    "Карпенко",
    "Гуменюк",
    "Онищенко",
    "Нестеренко",
    "Дорошенко",
];
/// Surnames with a masculine and a feminine form.
const GENDERED: &[(&str, &str)] = &[
    ("Ковальський", "Ковальська"),
    ("Білий", "Біла"),
    ("Вишневський", "Вишневська"),
    ("Козловський", "Козловська"),
    ("Гордієнко-Старий", "Гордієнко-Стара"),
    ("Заболотний", "Заболотна"),
    ("Яворський", "Яворська"),
    ("Лозовий", "Лозова"),
];
const MALE: &[&str] = &[
    "Олександр",
    "Іван",
    "Петро",
    "Михайло",
    "Андрій",
    "Сергій",
    "Володимир",
    "Микола",
    "Василь",
    "Юрій",
    "Дмитро",
    "Богдан",
    "Тарас",
    "Олег",
    "Віктор",
    "Григорій",
    "Степан",
    "Ярослав",
    "Остап",
    "Євген",
    "Ігор",
    "Роман",
    "Анатолій",
    "Леонід",
    "Валентин",
    "Павло",
    "Федір",
    "Максим",
    "Назар",
    "Ілля",
];
const FEMALE: &[&str] = &[
    "Олена",
    "Ганна",
    "Марія",
    "Оксана",
    "Наталія",
    "Тетяна",
    "Ірина",
    "Людмила",
    "Світлана",
    "Галина",
    "Валентина",
    "Ольга",
    "Катерина",
    "Надія",
    "Любов",
    "Софія",
    "Мар’яна",
    "Юлія",
    "Зоряна",
    "Христина",
    "Ївга",
    "Єлизавета",
    "Лідія",
    "Віра",
    "Раїса",
    "Ніна",
    "Уляна",
    "Дарина",
    "Соломія",
    "Леся",
];

/// Patronymic from the father's given name (the common Ukrainian endings).
pub fn patronymic(father: &str, sex: Sex) -> String {
    let (stem, male_end, female_end) = match father {
        "Ілля" => ("Ілл", "іч", "івна"),
        "Микола" => ("Микол", "айович", "аївна"),
        "Григорій" | "Юрій" | "Анатолій" | "Євген" if father.ends_with('й') => {
            (&father[..father.len() - 2], "йович", "ївна")
        }
        f if f.ends_with('о') => (&f[..f.len() - 2], "ович", "івна"),
        f => (f, "ович", "івна"),
    };
    match sex {
        Sex::Male => format!("{stem}{male_end}"),
        Sex::Female => format!("{stem}{female_end}"),
    }
}

/// One generated person. `serial` keeps RNOKPP unique across a run.
pub fn person(rng: &mut StdRng, serial: u64, today: NaiveDate, min_age: u32, max_age: u32) -> PersonInput {
    let sex = if rng.gen_bool(0.55) { Sex::Female } else { Sex::Male };
    let age_days = rng.gen_range(i64::from(min_age) * 366..i64::from(max_age) * 365);
    let birth = today - Duration::days(age_days);
    let surname = if rng.gen_bool(0.15) {
        let (m, f) = GENDERED[rng.gen_range(0..GENDERED.len())];
        if sex == Sex::Male { m } else { f }
    } else {
        SURNAMES[rng.gen_range(0..SURNAMES.len())]
    };
    let given = match sex {
        Sex::Male => MALE[rng.gen_range(0..MALE.len())],
        Sex::Female => FEMALE[rng.gen_range(0..FEMALE.len())],
    };
    let father = MALE[rng.gen_range(0..MALE.len())];
    let rnokpp = Rnokpp::compose(birth, (serial % 1000) as u16, sex).map(|r| r.to_string());
    let unzr = Unzr::compose(birth, (serial % 9999 + 1) as u16).map(|u| u.to_string());
    PersonInput {
        rnokpp,
        religious_refusal: false,
        passport: None,
        id_card: Some(format!("{:09}", 100_000_000 + serial % 899_999_999)),
        // Cards run 10 years; about one in ten on record has expired.
        id_card_expires: Some(
            (today + Duration::days((serial * 37 % 3650) as i64 - 365)).format("%Y-%m-%d").to_string(),
        ),
        unzr,
        account_no: Some(format!("{}", 100_000 + serial)),
        okzo: Some(format!("{}", 1_000 + serial * 7 % 9_999_999)),
        surname: surname.to_owned(),
        given_name: given.to_owned(),
        patronymic: if rng.gen_bool(0.97) { Some(patronymic(father, sex)) } else { None },
        birth_date: birth.format("%Y-%m-%d").to_string(),
        sex: sex.as_str().to_owned(),
        capacity: None,
        idp: rng.gen_bool(0.03),
    }
}

/// RNOKPP digits 6–8 are a serial per birth date; a run keeps them unique by
/// spreading people over birth dates. Returns a person whose number is unique
/// for `serial` within `count` generated rows.
pub fn nth(seed: u64, serial: u64, today: NaiveDate) -> PersonInput {
    let mut rng = StdRng::seed_from_u64(seed ^ serial.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut p = person(&mut rng, serial, today, 18, 95);
    // Deterministic, collision-free birth date + serial: day index and serial
    // from the row number, so a million rows never repeat an RNOKPP.
    let day = (serial / 1000) as i64;
    let sex = if p.sex == "male" { Sex::Male } else { Sex::Female };
    let birth = NaiveDate::from_ymd_opt(1930, 1, 1).expect("constant date") + Duration::days(day % 27_000);
    p.birth_date = birth.format("%Y-%m-%d").to_string();
    p.rnokpp = Rnokpp::compose(birth, (serial % 1000) as u16, sex).map(|r| r.to_string());
    p.unzr = Unzr::compose(birth, (serial % 9999 + 1) as u16).map(|u| u.to_string());
    p
}

pub const CSV_HEADER: &str = "rnokpp,religious_refusal,passport,id_card,unzr,account_no,okzo,surname,given_name,patronymic,birth_date,sex,capacity,idp";

fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

pub fn csv_line(p: &PersonInput) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        opt(&p.rnokpp),
        p.religious_refusal,
        opt(&p.passport),
        opt(&p.id_card),
        opt(&p.unzr),
        opt(&p.account_no),
        opt(&p.okzo),
        p.surname,
        p.given_name,
        opt(&p.patronymic),
        p.birth_date,
        p.sex,
        opt(&p.capacity),
        p.idp
    )
}

/// Writes `count` valid people as CSV (at most 27 million distinct RNOKPPs).
pub fn write_csv(path: &Path, count: usize, seed: u64) -> Result<()> {
    let today = chrono::Utc::now().date_naive();
    let f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    writeln!(w, "{CSV_HEADER}")?;
    for i in 0..count as u64 {
        writeln!(w, "{}", csv_line(&nth(seed, i, today)))?;
    }
    w.flush()?;
    Ok(())
}

/// Makes the first citizen the demo hub gives a wallet (`hub::pick_adults`)
/// the guardian of a minor in the registry, so that their personal account
/// shows a ward beside their own record.
pub async fn link_ward(
    store: &dyn dossier_store::Store,
    actor: &dossier_store::Actor,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let Some(guardian) = crate::hub::pick_adults(store).await.into_iter().next() else { return Ok(()) };
    let Some(rnokpp) = guardian.tax_id.rnokpp() else { return Ok(()) };
    let units = store.units().await?;
    let Some(root) = units.iter().find(|u| u.parent_id.is_none()) else { return Ok(()) };
    for prefix in ["а", "б", "в", "г", "д", "к", "л", "м", "п", "с", "т"] {
        let q = dossier_store::PersonQuery { name_prefix: Some(prefix.into()), ..Default::default() };
        let found = store.search_persons(&root.path, &q, dossier_store::Page { offset: 0, limit: 100 }).await?;
        if let Some(ward) = found.into_iter().find(|p| p.data.age_on(today) < 18) {
            let rep = dossier_domain::person::RepresentativeInput {
                kind: "guardian".into(),
                surname: guardian.name.surname.to_string(),
                given_name: guardian.name.given.to_string(),
                patronymic: guardian.name.patronymic.as_ref().map(ToString::to_string),
                resident: true,
                rnokpp: Some(rnokpp.to_string()),
                proof_document: "Рішення органу опіки та піклування № 214 від 12.03.2024".into(),
                ..Default::default()
            }
            .validate()
            .map_err(|e| anyhow::anyhow!("demo guardian: {e}"))?;
            store.add_representative(actor, ward.id, &rep).await?;
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_people_are_valid_and_unique() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..5000 {
            let p = nth(7, i, today);
            let v = p.validate(today).unwrap_or_else(|e| panic!("row {i}: {e}"));
            assert!(seen.insert(v.tax_id.rnokpp().unwrap().to_string()));
        }
    }

    #[test]
    fn patronymics() {
        assert_eq!(patronymic("Петро", Sex::Male), "Петрович");
        assert_eq!(patronymic("Петро", Sex::Female), "Петрівна");
        assert_eq!(patronymic("Іван", Sex::Female), "Іванівна");
        assert_eq!(patronymic("Юрій", Sex::Male), "Юрійович");
        assert_eq!(patronymic("Микола", Sex::Female), "Миколаївна");
    }
}
