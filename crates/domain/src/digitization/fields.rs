//! Field extraction: which fields each document type carries, where on a
//! recognised page they are, what their values must look like, and when a
//! person has to look.
//!
//! A field is found by its printed label (matched after folding, allowing
//! one misread character in labels of four or more) and its value is what
//! stands to the right of the label on the same row of the page, or else on
//! the row just below — by the words' boxes, not by Tesseract's reading
//! order, which reads a two-column form column by column.
//!
//! The rule that matters (issue 20): **no wrong value is accepted without a
//! person**. So a value goes to review unless it was found, passed its
//! validator without any character guessed, agrees with the other fields
//! (an RNOKPP with the date of birth and sex, a UNZR with the date of birth,
//! a citizen ID with the year and sex), and was read with at least its
//! type's confidence — higher for free text such as names, which no check
//! digit guards.
use chrono::NaiveDate;
use serde::Serialize;

use super::ocr::{BBox, PageText, Word};
use crate::i18n::Message;
use crate::ident::{IdCardNo, Rnokpp, Unzr, VnCitizenId, VnInsuranceCode};
use crate::person::Sex;
use crate::text::search_form;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    UaIdCard,
    UaTaxpayerCard,
    UaBirthCertificate,
    VnCitizenIdCard,
    VnInsuranceBook,
    VnRegistrationForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Surname,
    GivenName,
    Patronymic,
    FullName,
    Sex,
    BirthDate,
    DocumentNumber,
    ExpiryDate,
    Unzr,
    Rnokpp,
    CitizenId,
    InsuranceCode,
    Address,
}

/// How a value is checked and written in its normal form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    UkrainianName,
    VietnameseName,
    Sex,
    Date,
    IdCardNo,
    BirthCertificateNo,
    Unzr,
    Rnokpp,
    VnCitizenId,
    VnInsuranceCode,
    Text,
}

impl Check {
    /// Free text no check digit guards must be read more surely.
    fn min_confidence(self) -> f32 {
        match self {
            Check::UkrainianName | Check::VietnameseName | Check::Text => 93.0,
            Check::Date | Check::Sex | Check::IdCardNo | Check::BirthCertificateNo | Check::VnCitizenId => 90.0,
            Check::VnInsuranceCode => 93.0,
            // A check digit catches a misread digit.
            Check::Unzr | Check::Rnokpp => 80.0,
        }
    }

    fn digits(self) -> bool {
        matches!(
            self,
            Check::Date | Check::IdCardNo | Check::Unzr | Check::Rnokpp | Check::VnCitizenId | Check::VnInsuranceCode
        )
    }
}

struct FieldSpec {
    kind: FieldKind,
    /// Printed labels, in [`search_form`].
    labels: &'static [&'static str],
    check: Check,
}

const fn spec(kind: FieldKind, labels: &'static [&'static str], check: Check) -> FieldSpec {
    FieldSpec { kind, labels, check }
}

use Check as C;
use FieldKind as F;

const UA_SURNAME: FieldSpec = spec(F::Surname, &["прізвище", "surname"], C::UkrainianName);
const UA_GIVEN: FieldSpec = spec(F::GivenName, &["імя", "given names", "given name"], C::UkrainianName);
const UA_PATRONYMIC: FieldSpec = spec(F::Patronymic, &["по батькові", "patronymic"], C::UkrainianName);
const UA_BIRTH: FieldSpec = spec(F::BirthDate, &["дата народження", "date of birth"], C::Date);
const UA_RNOKPP: FieldSpec = spec(F::Rnokpp, &["рнокпп", "реєстраційний номер облікової картки"], C::Rnokpp);
const VN_NAME: FieldSpec = spec(F::FullName, &["ho va ten", "ho ten", "full name"], C::VietnameseName);
const VN_BIRTH: FieldSpec = spec(F::BirthDate, &["ngay sinh", "ngay, thang, nam sinh", "date of birth"], C::Date);
const VN_SEX: FieldSpec = spec(F::Sex, &["gioi tinh", "sex"], C::Sex);
const VN_INSURANCE: FieldSpec = spec(F::InsuranceCode, &["ma so bhxh", "ma so bao hiem xa hoi"], C::VnInsuranceCode);
const VN_CITIZEN: FieldSpec = spec(
    F::CitizenId,
    &["so dinh danh ca nhan", "so cccd", "so can cuoc cong dan", "personal identification number"],
    C::VnCitizenId,
);

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::UaIdCard,
        DocumentKind::UaTaxpayerCard,
        DocumentKind::UaBirthCertificate,
        DocumentKind::VnCitizenIdCard,
        DocumentKind::VnInsuranceBook,
        DocumentKind::VnRegistrationForm,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::UaIdCard => "ua-id-card",
            DocumentKind::UaTaxpayerCard => "ua-taxpayer-card",
            DocumentKind::UaBirthCertificate => "ua-birth-certificate",
            DocumentKind::VnCitizenIdCard => "vn-citizen-id-card",
            DocumentKind::VnInsuranceBook => "vn-insurance-book",
            DocumentKind::VnRegistrationForm => "vn-registration-form",
        }
    }

    pub fn parse(code: &str) -> Result<DocumentKind, Message> {
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| Message::new("common.unknown_value").with("value", code))
    }

    /// Its name in the catalogue (`digitization.kind.<code with _>`).
    pub fn label_key(self) -> &'static str {
        match self {
            DocumentKind::UaIdCard => "digitization.kind.ua_id_card",
            DocumentKind::UaTaxpayerCard => "digitization.kind.ua_taxpayer_card",
            DocumentKind::UaBirthCertificate => "digitization.kind.ua_birth_certificate",
            DocumentKind::VnCitizenIdCard => "digitization.kind.vn_citizen_id_card",
            DocumentKind::VnInsuranceBook => "digitization.kind.vn_insurance_book",
            DocumentKind::VnRegistrationForm => "digitization.kind.vn_registration_form",
        }
    }

    /// The Tesseract models its pages are read with.
    pub fn languages(self) -> &'static str {
        match self {
            DocumentKind::UaIdCard | DocumentKind::UaTaxpayerCard | DocumentKind::UaBirthCertificate => "ukr+eng",
            _ => "vie+eng",
        }
    }

    fn fields(self) -> &'static [FieldSpec] {
        const UA_ID: &[FieldSpec] = &[
            UA_SURNAME,
            UA_GIVEN,
            UA_PATRONYMIC,
            spec(F::Sex, &["стать", "sex"], C::Sex),
            UA_BIRTH,
            spec(F::DocumentNumber, &["номер документа", "document no"], C::IdCardNo),
            spec(F::ExpiryDate, &["дійсний до", "date of expiry"], C::Date),
            spec(F::Unzr, &["запис №", "унзр", "record no"], C::Unzr),
            UA_RNOKPP,
        ];
        const UA_TAXPAYER: &[FieldSpec] = &[UA_SURNAME, UA_GIVEN, UA_PATRONYMIC, UA_BIRTH, UA_RNOKPP];
        const UA_BIRTH_CERT: &[FieldSpec] = &[
            UA_SURNAME,
            UA_GIVEN,
            UA_PATRONYMIC,
            UA_BIRTH,
            spec(F::DocumentNumber, &["серія та номер", "серія і номер"], C::BirthCertificateNo),
        ];
        const VN_CCCD: &[FieldSpec] = &[
            VN_CITIZEN,
            VN_NAME,
            VN_BIRTH,
            VN_SEX,
            spec(F::Address, &["noi thuong tru", "place of residence"], C::Text),
            spec(F::ExpiryDate, &["co gia tri den", "date of expiry"], C::Date),
        ];
        const VN_BOOK: &[FieldSpec] = &[VN_INSURANCE, VN_NAME, VN_BIRTH, VN_SEX, VN_CITIZEN];
        const VN_FORM: &[FieldSpec] = &[
            VN_NAME,
            VN_BIRTH,
            VN_SEX,
            VN_INSURANCE,
            VN_CITIZEN,
            spec(F::Address, &["dia chi", "dia chi lien he"], C::Text),
        ];
        match self {
            DocumentKind::UaIdCard => UA_ID,
            DocumentKind::UaTaxpayerCard => UA_TAXPAYER,
            DocumentKind::UaBirthCertificate => UA_BIRTH_CERT,
            DocumentKind::VnCitizenIdCard => VN_CCCD,
            DocumentKind::VnInsuranceBook => VN_BOOK,
            DocumentKind::VnRegistrationForm => VN_FORM,
        }
    }

    /// The fields this document type carries, in order.
    pub fn field_kinds(self) -> Vec<FieldKind> {
        self.fields().iter().map(|f| f.kind).collect()
    }
}

impl FieldKind {
    pub const ALL: [FieldKind; 13] = [
        F::Surname,
        F::GivenName,
        F::Patronymic,
        F::FullName,
        F::Sex,
        F::BirthDate,
        F::DocumentNumber,
        F::ExpiryDate,
        F::Unzr,
        F::Rnokpp,
        F::CitizenId,
        F::InsuranceCode,
        F::Address,
    ];

    pub fn parse(code: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Checks a value a person typed for this field of `kind` and writes it
    /// in its normal form — the same validator extraction applies.
    pub fn check_value(self, kind: DocumentKind, value: &str) -> Result<String, Message> {
        let spec = kind.fields().iter().find(|s| s.kind == self).ok_or_else(|| Message::new("common.not_found"))?;
        match check(spec.check, value) {
            (Ok(v), false) => Ok(v),
            (Ok(_), true) => Err(Message::new("digitization.guessed_characters")),
            (Err(m), _) => Err(m),
        }
    }

    /// Its name in the catalogue (`digitization.field.<code>`).
    pub fn label_key(self) -> &'static str {
        match self {
            F::Surname => "digitization.field.surname",
            F::GivenName => "digitization.field.given_name",
            F::Patronymic => "digitization.field.patronymic",
            F::FullName => "digitization.field.full_name",
            F::Sex => "digitization.field.sex",
            F::BirthDate => "digitization.field.birth_date",
            F::DocumentNumber => "digitization.field.document_number",
            F::ExpiryDate => "digitization.field.expiry_date",
            F::Unzr => "digitization.field.unzr",
            F::Rnokpp => "digitization.field.rnokpp",
            F::CitizenId => "digitization.field.citizen_id",
            F::InsuranceCode => "digitization.field.insurance_code",
            F::Address => "digitization.field.address",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            F::Surname => "surname",
            F::GivenName => "given_name",
            F::Patronymic => "patronymic",
            F::FullName => "full_name",
            F::Sex => "sex",
            F::BirthDate => "birth_date",
            F::DocumentNumber => "document_number",
            F::ExpiryDate => "expiry_date",
            F::Unzr => "unzr",
            F::Rnokpp => "rnokpp",
            F::CitizenId => "citizen_id",
            F::InsuranceCode => "insurance_code",
            F::Address => "address",
        }
    }

    /// The field of a person's record (as `PersonInput` names it) that this
    /// field of a `kind` paper fills, when registering the person from it: the
    /// number and expiry of an ID card are the record's ID card; a Vietnamese
    /// card's numbers have no place in the fund's Ukrainian record.
    pub fn person_field(self, kind: DocumentKind) -> Option<&'static str> {
        match self {
            F::Surname => Some("surname"),
            F::GivenName => Some("given_name"),
            F::Patronymic => Some("patronymic"),
            F::Sex => Some("sex"),
            F::BirthDate => Some("birth_date"),
            F::Rnokpp => Some("rnokpp"),
            F::Unzr => Some("unzr"),
            F::DocumentNumber if kind == DocumentKind::UaIdCard => Some("id_card"),
            F::ExpiryDate if kind == DocumentKind::UaIdCard => Some("id_card_expires"),
            F::DocumentNumber | F::ExpiryDate | F::FullName | F::CitizenId | F::InsuranceCode | F::Address => None,
        }
    }
}

/// Where on which page a value was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Place {
    /// From 1.
    pub page: u32,
    pub bbox: BBox,
}

/// One field as extraction left it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extracted {
    pub field: FieldKind,
    /// The value in its normal form (dates as YYYY-MM-DD, sex as male/female), when it checked.
    pub value: Option<String>,
    /// The words as recognised.
    pub read: String,
    /// The least sure of its words, 0–100.
    pub confidence: f32,
    pub place: Option<Place>,
    /// Why a person must look (empty: accepted as read).
    pub problems: Vec<Message>,
}

impl Extracted {
    pub fn needs_review(&self) -> bool {
        self.value.is_none() || !self.problems.is_empty()
    }
}

/// Characters recognisers put for a digit. A value that needed one of them is
/// never accepted without a person, even if it then passes its check.
fn as_digit(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => c,
        'O' | 'o' | 'О' | 'о' | 'D' => '0',
        'l' | 'I' | '|' | 'і' | 'І' | '!' => '1',
        'З' | 'з' => '3',
        'Б' | 'б' => '6',
        'S' | 's' => '5',
        'B' => '8',
        _ => return None,
    })
}

/// Digits of `s` (separators kept), and whether any character was guessed.
fn digits_of(s: &str) -> (String, bool) {
    let mut guessed = false;
    let out = s
        .chars()
        .map(|c| match as_digit(c) {
            Some(d) if d != c => {
                guessed = true;
                d
            }
            Some(d) => d,
            None => c,
        })
        .collect();
    (out, guessed)
}

fn parse_sex(s: &str) -> Result<Sex, Message> {
    let f = search_form(s);
    let first = f.split(['/', ' ']).next().unwrap_or_default();
    match first {
        "ч" | "чол" | "чоловіча" | "m" | "male" | "nam" => Ok(Sex::Male),
        "ж" | "жін" | "жіноча" | "f" | "female" | "nu" => Ok(Sex::Female),
        _ => Err(Message::new("common.unknown_value").with("value", s)),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, Message> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let normal = compact.replace(['/', '-'], ".");
    NaiveDate::parse_from_str(&normal, "%d.%m.%Y").map_err(|_| Message::new("common.invalid_date"))
}

/// A birth certificate's series and number: a Roman numeral, a hyphen, two
/// Ukrainian capitals, six digits (`І-БК 123456`).
fn parse_birth_certificate_no(s: &str) -> Result<String, Message> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace() && *c != '№').collect();
    let (series, number) = compact.split_at(compact.find(|c: char| c.is_ascii_digit()).unwrap_or(compact.len()));
    let (roman, letters) = series.split_once('-').unwrap_or(("", series));
    let ok = !roman.is_empty()
        && roman.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'І'))
        && letters.chars().count() == 2
        && letters.chars().all(|c| c.is_uppercase())
        && number.len() == 6
        && number.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(format!("{}-{letters} {number}", roman.replace('I', "І")))
    } else {
        Err(Message::new("digitization.birth_certificate_no"))
    }
}

fn check(check: Check, read: &str) -> (Result<String, Message>, bool) {
    let (digits, guessed) = if check.digits() { digits_of(read) } else { (read.to_owned(), false) };
    let compact: String = digits.chars().filter(|c| !c.is_whitespace()).collect();
    let result = match check {
        Check::UkrainianName => crate::name::NamePart::parse(&title_case(read)).map(|n| n.as_str().to_owned()),
        Check::VietnameseName => {
            let ok = !read.trim().is_empty() && read.chars().all(|c| c.is_alphabetic() || c == ' ');
            if ok { Ok(title_case(read)) } else { Err(Message::new("digitization.name_letters")) }
        }
        Check::Sex => parse_sex(read).map(|s| s.as_str().to_owned()),
        Check::Date => parse_date(&digits).map(|d| d.to_string()),
        Check::IdCardNo => IdCardNo::parse(&compact).map(|n| n.to_string()),
        Check::BirthCertificateNo => parse_birth_certificate_no(read),
        Check::Unzr => Unzr::parse(&digits.replace(' ', "")).map(|n| n.to_string()),
        Check::Rnokpp => Rnokpp::parse(&compact).map(|n| n.to_string()),
        Check::VnCitizenId => VnCitizenId::parse(&compact).map(|n| n.to_string()),
        Check::VnInsuranceCode => VnInsuranceCode::parse(&compact).map(|n| n.to_string()),
        Check::Text => {
            if read.trim().is_empty() {
                Err(Message::new("common.required"))
            } else {
                Ok(read.trim().to_owned())
            }
        }
    };
    (result, guessed)
}

/// "ШЕВЧУК" → "Шевчук", "NGUYỄN VĂN AN" → "Nguyễn Văn An"; mixed case is kept.
fn title_case(s: &str) -> String {
    let s = s.trim();
    if s.chars().any(|c| c.is_lowercase()) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.push(c)
        } else {
            out.extend(c.to_lowercase())
        }
        start = matches!(c, ' ' | '-' | '\'' | '’' | 'ʼ');
    }
    out
}

/// A word with the page it is on.
#[derive(Clone, Copy)]
struct At<'a> {
    page: u32,
    word: &'a Word,
}

fn centre_y(b: BBox) -> i64 {
    i64::from(b.top) + i64::from(b.height) / 2
}

fn same_row(a: BBox, b: BBox) -> bool {
    (centre_y(a) - centre_y(b)).abs() * 2 < i64::from(a.height.max(b.height))
}

/// Edit distance, stopping early once it exceeds `max`.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()] <= 1
}

/// Labels are compared in [`search_form`] with the Ukrainian letters
/// recognisers confuse made one (SPEC §6: Ґ is read as Г; ї and є lose their
/// dots and tail in small print).
fn label_form(s: &str) -> String {
    search_form(s).replace('ї', "і").replace('є', "е").replace('ґ', "г")
}

/// Where a label starts at word `i` of a page's words: how many words it takes.
fn label_at(words: &[At<'_>], i: usize, label: &str) -> Option<usize> {
    let want = label.split(' ').count();
    if i + want > words.len() {
        return None;
    }
    let read: Vec<String> =
        words[i..i + want].iter().map(|w| label_form(w.word.text.trim_end_matches([':', '/', '.']))).collect();
    // A label's words stand on one row.
    if !words[i..i + want].iter().all(|w| w.page == words[i].page && same_row(w.word.bbox, words[i].word.bbox)) {
        return None;
    }
    let (read, label) = (read.join(" "), label_form(label));
    let fits = read == label || (label.chars().count() >= 5 && within_one_edit(&read, &label));
    fits.then_some(want)
}

/// Extracts `kind`'s fields from its recognised pages (in order, from page 1).
pub fn extract(kind: DocumentKind, pages: &[PageText]) -> Vec<Extracted> {
    let words: Vec<At<'_>> = pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| page.words().map(move |word| At { page: p as u32 + 1, word }))
        .collect();
    let specs = kind.fields();
    // Every label occurrence, so a value stops where the next label begins.
    let mut labels: Vec<(usize, usize, usize)> = vec![]; // (word index, words, spec index)
    for i in 0..words.len() {
        for (s, spec) in specs.iter().enumerate() {
            if let Some(n) = spec.labels.iter().find_map(|l| label_at(&words, i, l)) {
                labels.push((i, n, s));
                break;
            }
        }
    }
    let is_label_word = |i: usize| labels.iter().any(|&(start, n, _)| (start..start + n).contains(&i));
    let mut out: Vec<Extracted> = specs.iter().map(|s| not_found(s.kind)).collect();
    for (s, spec) in specs.iter().enumerate() {
        let Some(&(start, n, _)) = labels.iter().find(|l| l.2 == s) else { continue };
        let label = words[start + n - 1];
        let row_of = |w: &At<'_>| w.page == label.page && same_row(w.word.bbox, label.word.bbox);
        // To the right on the label's row, up to the next label…
        let mut value: Vec<(usize, At<'_>)> = words
            .iter()
            .enumerate()
            .filter(|(_, w)| row_of(w) && w.word.bbox.left > label.word.bbox.left)
            .map(|(i, w)| (i, *w))
            .collect();
        value.sort_by_key(|(_, w)| w.word.bbox.left);
        if let Some(stop) = value.iter().position(|(i, _)| is_label_word(*i)) {
            value.truncate(stop);
        }
        // …or else the row just below, starting under the label.
        if value.is_empty() {
            let h = i64::from(label.word.bbox.height);
            let below = words
                .iter()
                .enumerate()
                .filter(|(i, w)| {
                    let dy = centre_y(w.word.bbox) - centre_y(label.word.bbox);
                    w.page == label.page && dy > h / 2 && dy < h * 5 / 2 && !is_label_word(*i)
                })
                .min_by_key(|(_, w)| centre_y(w.word.bbox));
            if let Some((_, first)) = below {
                value = words
                    .iter()
                    .enumerate()
                    .filter(|(i, w)| {
                        w.page == first.page && same_row(w.word.bbox, first.word.bbox) && !is_label_word(*i)
                    })
                    .map(|(i, w)| (i, *w))
                    .collect();
                value.sort_by_key(|(_, w)| w.word.bbox.left);
            }
        }
        if value.is_empty() {
            continue;
        }
        let read = value.iter().map(|(_, w)| w.word.text.as_str()).collect::<Vec<_>>().join(" ");
        let read = read.trim_start_matches([':', '/', ' ']).to_owned();
        let confidence = value.iter().map(|(_, w)| w.word.confidence).fold(100.0f32, f32::min);
        let bbox = value.iter().map(|(_, w)| w.word.bbox).reduce(BBox::union).unwrap_or(label.word.bbox);
        let (checked, guessed) = check(spec.check, &read);
        let mut problems = vec![];
        if guessed {
            problems.push(Message::new("digitization.guessed_characters"));
        }
        if confidence < spec.check.min_confidence() {
            problems.push(Message::new("digitization.low_confidence").with("confidence", confidence.round()));
        }
        let value = match checked {
            Ok(v) => Some(v),
            Err(m) => {
                problems.push(m);
                None
            }
        };
        out[s] = Extracted {
            field: spec.kind,
            value,
            read,
            confidence,
            place: Some(Place { page: label.page, bbox }),
            problems,
        };
    }
    cross_check(&mut out);
    out
}

fn not_found(field: FieldKind) -> Extracted {
    Extracted {
        field,
        value: None,
        read: String::new(),
        confidence: 0.0,
        place: None,
        problems: vec![Message::new("digitization.not_found")],
    }
}

/// Fields that must agree with each other: when they do not, both go to a person.
fn cross_check(fields: &mut [Extracted]) {
    let value = |fields: &[Extracted], k: FieldKind| fields.iter().find(|f| f.field == k).and_then(|f| f.value.clone());
    let birth = value(fields, F::BirthDate).and_then(|d| d.parse::<NaiveDate>().ok());
    let sex = value(fields, F::Sex).and_then(|s| Sex::parse(&s).ok());
    let flag = |fields: &mut [Extracted], k: FieldKind, m: Message| {
        for f in fields.iter_mut().filter(|f| f.field == k || f.field == F::BirthDate) {
            f.problems.push(m.clone());
        }
    };
    if let (Some(r), Some(birth)) = (value(fields, F::Rnokpp).and_then(|r| Rnokpp::parse(&r).ok()), birth) {
        let agrees = match sex {
            Some(sex) => r.agrees_with(birth, sex),
            None if r.birth_date() == Some(birth) => Ok(()),
            None => Err(Message::new("rnokpp.birth_mismatch")),
        };
        if let Err(m) = agrees {
            flag(fields, F::Rnokpp, m);
        }
    }
    if let (Some(u), Some(birth)) = (value(fields, F::Unzr).and_then(|u| Unzr::parse(&u).ok()), birth)
        && u.birth_date() != Some(birth)
    {
        flag(fields, F::Unzr, Message::new("digitization.unzr_birth_mismatch"));
    }
    if let (Some(id), Some(birth)) = (value(fields, F::CitizenId).and_then(|c| VnCitizenId::parse(&c).ok()), birth)
        && let Err(m) = id.agrees_with(birth, sex)
    {
        flag(fields, F::CitizenId, m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digitization::ocr::Line;

    /// A page from (text, left, top) words at confidence 96, 40 px high.
    fn page(words: &[(&str, u32, u32)]) -> PageText {
        page_at(words, 96.0)
    }

    fn page_at(words: &[(&str, u32, u32)], confidence: f32) -> PageText {
        let w = |(t, l, top): &(&str, u32, u32)| Word {
            text: (*t).into(),
            confidence,
            bbox: BBox { left: *l, top: *top, width: 30 * t.chars().count() as u32, height: 40 },
        };
        PageText { lines: words.iter().map(|x| Line { words: vec![w(x)] }).collect() }
    }

    fn get(fields: &[Extracted], k: FieldKind) -> &Extracted {
        fields.iter().find(|f| f.field == k).expect("listed")
    }

    fn taxpayer(rnokpp: &str, birth: &str) -> PageText {
        // Labels in one column, values in another — as Tesseract reads a form column by column.
        page(&[
            ("Прізвище", 100, 200),
            ("Ім'я", 100, 300),
            ("По", 100, 400),
            ("батькові", 170, 400),
            ("Дата", 100, 500),
            ("народження", 240, 500),
            ("РНОКПП", 100, 600),
            ("ШЕВЧУК", 900, 205),
            ("Олена", 900, 298),
            ("Петрівна", 900, 402),
            (birth, 900, 500),
            (rnokpp, 900, 600),
        ])
    }

    #[test]
    fn values_are_read_to_the_right_of_their_labels_whatever_the_reading_order() {
        let fields = extract(DocumentKind::UaTaxpayerCard, &[taxpayer("1759013776", "28.02.1948")]);
        let values: Vec<(FieldKind, Option<&str>)> = fields.iter().map(|f| (f.field, f.value.as_deref())).collect();
        assert_eq!(
            values,
            [
                (F::Surname, Some("Шевчук")),
                (F::GivenName, Some("Олена")),
                (F::Patronymic, Some("Петрівна")),
                (F::BirthDate, Some("1948-02-28")),
                (F::Rnokpp, Some("1759013776")),
            ]
        );
        assert!(fields.iter().all(|f| !f.needs_review()), "{fields:#?}");
        assert_eq!(get(&fields, F::Rnokpp).place.map(|p| p.page), Some(1));
    }

    #[test]
    fn a_value_may_stand_below_its_label() {
        let p = page(&[
            ("Họ", 100, 200),
            ("và", 160, 200),
            ("tên", 220, 200),
            ("NGUYỄN", 100, 260),
            ("THỊ", 400, 262),
            ("HƯƠNG", 560, 258),
        ]);
        let fields = extract(DocumentKind::VnCitizenIdCard, &[p]);
        let name = get(&fields, F::FullName);
        assert_eq!((name.value.as_deref(), name.read.as_str()), (Some("Nguyễn Thị Hương"), "NGUYỄN THỊ HƯƠNG"));
    }

    #[test]
    fn a_wrong_check_digit_goes_to_a_person() {
        let fields = extract(DocumentKind::UaTaxpayerCard, &[taxpayer("1759013770", "28.02.1948")]);
        let r = get(&fields, F::Rnokpp);
        assert!(r.needs_review() && r.value.is_none());
        assert_eq!(r.problems[0].key, "rnokpp.checksum");
    }

    #[test]
    fn fields_that_disagree_both_go_to_a_person() {
        // A valid RNOKPP of someone born on another day: one of the two was misread.
        let fields = extract(DocumentKind::UaTaxpayerCard, &[taxpayer("1759013776", "28.02.1949")]);
        assert!(get(&fields, F::Rnokpp).needs_review());
        assert!(get(&fields, F::BirthDate).needs_review());
        assert!(!get(&fields, F::Surname).needs_review());
    }

    #[test]
    fn a_guessed_digit_is_never_accepted_alone() {
        // "O" for "0": it then passes its check digit, and still goes to a person.
        let fields = extract(DocumentKind::UaTaxpayerCard, &[taxpayer("1759O13776", "28.02.1948")]);
        let r = get(&fields, F::Rnokpp);
        assert_eq!(r.value.as_deref(), Some("1759013776"));
        assert!(r.needs_review());
        assert_eq!(r.problems[0].key, "digitization.guessed_characters");
    }

    #[test]
    fn unsure_free_text_goes_to_a_person_where_a_check_digit_would_not() {
        let p = page_at(
            &[("Прізвище", 100, 200), ("Шевчук", 900, 200), ("РНОКПП", 100, 300), ("1759013776", 900, 300)],
            88.0,
        );
        let fields = extract(DocumentKind::UaTaxpayerCard, &[p]);
        assert!(get(&fields, F::Surname).needs_review(), "88 is below a name's 93");
        assert!(!get(&fields, F::Rnokpp).needs_review(), "the check digit guards the number");
    }

    #[test]
    fn missing_fields_are_listed_for_a_person() {
        let fields = extract(DocumentKind::UaIdCard, &[page(&[("Прізвище", 100, 200), ("Шевчук", 900, 200)])]);
        assert_eq!(fields.len(), DocumentKind::UaIdCard.field_kinds().len());
        let unzr = get(&fields, F::Unzr);
        assert_eq!((unzr.value.as_ref(), unzr.problems[0].key), (None, "digitization.not_found"));
    }

    #[test]
    fn a_misread_label_letter_is_still_the_label() {
        // Tesseract read "Ім'я" as "їм'я" on a rendered page.
        let p = page(&[("їм'я", 100, 200), ("Олена", 900, 200)]);
        let fields = extract(DocumentKind::UaTaxpayerCard, &[p]);
        assert_eq!(get(&fields, F::GivenName).value.as_deref(), Some("Олена"));
    }

    #[test]
    fn vietnamese_ids_are_checked_against_the_birth_year_and_sex() {
        let p = page(&[
            ("Số", 100, 100),
            ("định", 170, 100),
            ("danh", 300, 100),
            ("cá", 430, 100),
            ("nhân:", 500, 100),
            ("001195012345", 900, 100),
            ("Ngày", 100, 200),
            ("sinh:", 230, 200),
            ("01/07/1996", 900, 200),
            ("Giới", 100, 300),
            ("tính:", 230, 300),
            ("Nữ", 900, 300),
        ]);
        let fields = extract(DocumentKind::VnCitizenIdCard, &[p]);
        let id = get(&fields, F::CitizenId);
        assert_eq!(id.value.as_deref(), Some("001195012345"));
        assert!(id.problems.iter().any(|m| m.key == "vn_citizen_id.birth_mismatch"), "{id:?}");
        assert_eq!(get(&fields, F::Sex).value.as_deref(), Some("female"));
    }

    #[test]
    fn every_problem_is_worded_in_the_catalogue() {
        let runs = [
            extract(DocumentKind::UaTaxpayerCard, &[taxpayer("1759O13776", "28.02.1949")]),
            extract(DocumentKind::UaIdCard, &[page_at(&[("Прізвище", 100, 200), ("Шевчук1", 900, 200)], 50.0)]),
            extract(DocumentKind::VnCitizenIdCard, &[page(&[("Họ", 100, 200), ("tên", 160, 200), ("An2", 900, 200)])]),
            extract(
                DocumentKind::UaBirthCertificate,
                &[page(&[("Серія", 100, 200), ("та", 300, 200), ("номер", 400, 200), ("X", 900, 200)])],
            ),
        ];
        let keys: Vec<&str> = runs.iter().flatten().flat_map(|f| f.problems.iter().map(|m| m.key)).collect();
        for key in [
            "digitization.guessed_characters",
            "digitization.low_confidence",
            "digitization.not_found",
            "digitization.name_letters",
            "digitization.birth_certificate_no",
        ] {
            assert!(keys.contains(&key), "{key} not produced: {keys:?}");
        }
        for key in keys.iter().chain(&["digitization.unzr_birth_mismatch"]) {
            assert!(crate::i18n::has(key), "{key} is not in the catalogue");
        }
    }

    #[test]
    fn every_type_and_field_is_named_in_the_catalogue() {
        for k in DocumentKind::ALL {
            assert!(crate::i18n::has(k.label_key()), "{k:?}");
            assert_eq!(DocumentKind::parse(k.code()), Ok(k));
        }
        for f in FieldKind::ALL {
            assert!(crate::i18n::has(f.label_key()), "{f:?}");
            assert_eq!(FieldKind::parse(f.code()), Some(f));
        }
    }

    #[test]
    fn birth_certificate_numbers_have_a_roman_series() {
        assert_eq!(parse_birth_certificate_no("I-БК 123456").as_deref(), Ok("І-БК 123456"));
        assert_eq!(parse_birth_certificate_no("ІІ-КВ №654321").as_deref(), Ok("ІІ-КВ 654321"));
        for bad in ["БК 123456", "I-Б 123456", "I-БК 12345", "I-БК 1234567", "A-БК 123456"] {
            assert!(parse_birth_certificate_no(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_id_card_s_number_fills_the_record_s_id_card_and_a_birth_certificate_s_does_not() {
        assert_eq!(F::DocumentNumber.person_field(DocumentKind::UaIdCard), Some("id_card"));
        assert_eq!(F::ExpiryDate.person_field(DocumentKind::UaIdCard), Some("id_card_expires"));
        assert_eq!(F::DocumentNumber.person_field(DocumentKind::UaBirthCertificate), None);
        assert_eq!(F::Rnokpp.person_field(DocumentKind::UaTaxpayerCard), Some("rnokpp"));
        assert_eq!(F::CitizenId.person_field(DocumentKind::VnCitizenIdCard), None);
    }
}
