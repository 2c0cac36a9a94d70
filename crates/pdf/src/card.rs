//! The back of the electronic pension certificate (regulation 26-1, appendix 5, form 5): an
//! ID-1 card (85.60 × 53.98 mm) laid out zone by zone as the regulation prescribes.
//!
//! ```text
//! ┌──────────────────────────────────────────────────────────┐
//! │ 1 Контакт-центр Пенсійного фонду України: 0 800 503 753  │  above the magnetic stripe
//! │████████████████████ magnetic stripe ██████████████████████│
//! │ 2 Пенсійне посвідчення № 0001234567                       │
//! │ ┌─────────┐  4 Прізвище      (1 or 2 lines, pushes down)  │
//! │ │ 3 photo │    Ім'я / По батькові / Стать / Дата народж.  │
//! │ │ 25 × 30 │    Вид пенсії    (3 lines; 2 after a 2-line   │
//! │ │   mm    │                   surname)                    │
//! │ └─────────┘  5 Термін дії dd.mm.yyyy                      │
//! │   card id      Підпис власника ┌ 6 signature 26.6×5.5 ┐   │
//! └──────────────────────────────────────────────────────────┘
//! ```
//! Margins ≥ 2 mm left and right; 3.5 mm between the photo and the text; 2 mm between the
//! signature label and the signature field. The photo and signature fields are framed at their
//! prescribed sizes and hold the holder's pictures, fitted with their proportions kept (a photo
//! of the prescribed 25 × 30 proportions fills its field); without a picture the frame stays
//! empty, as on a proof.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::PdfError;
use crate::font::{Fonts, fonts};
use crate::layout::{FontKind, Item, Page, PageGeometry, TextStyle};
use crate::picture::{Picture, fit};
use crate::render::{DocInfo, render as render_pdf};
use crate::wrap::wrap;

const MM: f32 = 72.0 / 25.4;

/// ID-1 (ISO/IEC 7810) with the regulation's 2 mm side margins.
pub(crate) const CARD: PageGeometry = PageGeometry {
    width: 85.60 * MM,
    height: 53.98 * MM,
    top: 1.2 * MM,
    right: 2.0 * MM,
    bottom: 1.2 * MM,
    left: 2.0 * MM,
};

/// The magnetic stripe of ISO/IEC 7811-6: from 5.54 mm to 15.82 mm below the top edge.
pub(crate) const STRIPE_TOP: f32 = 5.54 * MM;
pub(crate) const STRIPE_BOTTOM: f32 = 15.82 * MM;
/// Zone 3: the photo, 25 mm wide and 30 mm high.
pub(crate) const PHOTO_W: f32 = 25.0 * MM;
pub(crate) const PHOTO_H: f32 = 30.0 * MM;
/// Zone 6: the signature field, 26.6 mm wide and 5.5 mm high, in the bottom right corner.
pub(crate) const SIGNATURE_W: f32 = 26.6 * MM;
pub(crate) const SIGNATURE_H: f32 = 5.5 * MM;
/// Between the photo's right edge and the text of zones 4 and 5.
pub(crate) const PHOTO_GAP: f32 = 3.5 * MM;
/// Between the signature label (zone 5) and the signature field (zone 6).
pub(crate) const SIGNATURE_GAP: f32 = 2.0 * MM;
/// Zone 4 always takes eight lines: surname 1 + … + pension kind 3, or surname 2 + … + kind 2.
const ZONE4_LINES: usize = 8;

const HEADER: TextStyle = TextStyle { font: FontKind::Regular, size: 5.6, gray: 0 };
const NUMBER: TextStyle = TextStyle { font: FontKind::Bold, size: 7.0, gray: 0 };
const LABEL: TextStyle = TextStyle { font: FontKind::Regular, size: 5.0, gray: 0 };
const VALUE: TextStyle = TextStyle { font: FontKind::Bold, size: 6.2, gray: 0 };
const CARD_ID: TextStyle = TextStyle { font: FontKind::Regular, size: 5.0, gray: 0 };
/// Zone 4 line pitch: eight lines between the top of the photo and zone 5.
const PITCH: f32 = 2.65 * MM;

/// Sex as printed: "жіноча" or "чоловіча".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSex {
    Female,
    Male,
}

impl CardSex {
    fn text(self) -> &'static str {
        match self {
            CardSex::Female => "жіноча",
            CardSex::Male => "чоловіча",
        }
    }
}

/// What form 5 prints on the back of one card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardBack {
    /// The insured person's record-card number (OKZO); printed as 10 characters with leading zeros.
    pub okzo: u64,
    /// The personalised card's unique identifier (under the photo).
    pub card_id: String,
    pub surname: String,
    pub given_name: String,
    /// Empty when the person has no patronymic (the line stays, empty).
    pub patronymic: String,
    pub sex: CardSex,
    pub birth_date: NaiveDate,
    /// The pension kind as composed for the certificate (may need up to three lines).
    pub pension_kind: String,
    pub valid_until: NaiveDate,
    /// Zone 3: the holder's colour photo.
    pub photo: Option<Picture>,
    /// Zone 6: the holder's signature.
    pub signature: Option<Picture>,
}

/// Renders one card back per page (a personalizer's batch) as a PDF/A-2b file.
pub(crate) fn render(cards: &[CardBack], created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let pages = cards.iter().map(|c| compose(c, fonts)).collect::<Result<Vec<_>, _>>()?;
    render_pdf(&pages, &CARD, fonts, &DocInfo { title: "Електронне пенсійне посвідчення", language: "uk", created })
}

fn text(x: f32, baseline: f32, style: TextStyle, s: impl Into<String>) -> Item {
    Item::Text { x, baseline, style, text: s.into() }
}

/// Lays out one card back. Refuses what the card cannot hold (a surname needing three lines,
/// a pension kind longer than its lines, a name wider than its line, an OKZO over 10 digits)
/// instead of shrinking or cutting it.
pub(crate) fn compose(card: &CardBack, fonts: &Fonts) -> Result<Page, PdfError> {
    check_printable(card, fonts)?;
    let okzo = format!("{:010}", card.okzo);
    if okzo.len() > 10 {
        return Err(PdfError::DoesNotFit { field: "okzo", lines: 1 });
    }
    let face = |s: &TextStyle| match s.font {
        FontKind::Regular => &fonts.regular,
        FontKind::Bold => &fonts.bold,
    };
    let width = |s: &str, st: &TextStyle| face(st).width(s, st.size);
    let mut items = Vec::new();
    let left = CARD.left;
    let right = CARD.width - CARD.right;

    // Zone 1: one line above the stripe.
    items.push(text(left, STRIPE_TOP - 1.3 * MM, HEADER, "Контакт-центр Пенсійного фонду України: 0 800 503 753"));
    // Zone 2: one line below the stripe.
    let z2 = STRIPE_BOTTOM + 3.0 * MM;
    let caption = "Пенсійне посвідчення №";
    items.push(text(left, z2, HEADER, caption));
    items.push(text(left + width(caption, &HEADER) + 1.2 * MM, z2, NUMBER, okzo));

    // Zone 3: the photo frame and the card id under it.
    let photo_top = z2 + 1.6 * MM;
    place(&mut items, card.photo.as_ref(), (left, photo_top, PHOTO_W, PHOTO_H));
    items.push(Item::Frame { x: left, y: photo_top, w: PHOTO_W, h: PHOTO_H, width: 0.5, gray: 0 });
    items.push(text(left, photo_top + PHOTO_H + 2.0 * MM, CARD_ID, card.card_id.clone()));

    // Zone 4: label and value on each line, values in one column.
    let x4 = left + PHOTO_W + PHOTO_GAP;
    let labels = ["Прізвище", "Ім’я", "По батькові", "Стать", "Дата народження", "Вид пенсії"];
    let value_x = x4 + labels.iter().map(|l| width(l, &LABEL)).fold(0.0, f32::max) + 1.5 * MM;
    let value_width = right - value_x;
    let wrap_value = |s: &str| wrap(s, value_width, |c| face(&VALUE).advance(c) * VALUE.size);
    let surname = wrap_value(&card.surname);
    if surname.len() > 2 {
        return Err(PdfError::DoesNotFit { field: "surname", lines: 2 });
    }
    let kind_lines = ZONE4_LINES - 4 - surname.len();
    let kind = wrap_value(&card.pension_kind);
    if kind.len() > kind_lines {
        return Err(PdfError::DoesNotFit { field: "pension kind", lines: kind_lines });
    }
    // One-line fields are refused, not cut, when wider than their place.
    for (field, value, style, room) in [
        ("given name", &card.given_name, &VALUE, value_width),
        ("patronymic", &card.patronymic, &VALUE, value_width),
        ("card id", &card.card_id, &CARD_ID, PHOTO_W),
    ] {
        if width(value, style) > room {
            return Err(PdfError::DoesNotFit { field, lines: 1 });
        }
    }
    let birth = card.birth_date.format("%d.%m.%Y").to_string();
    let fields: [(&str, Vec<String>); 6] = [
        (labels[0], surname),
        (labels[1], vec![card.given_name.clone()]),
        (labels[2], vec![card.patronymic.clone()]),
        (labels[3], vec![card.sex.text().to_owned()]),
        (labels[4], vec![birth]),
        (labels[5], kind),
    ];
    let mut baseline = photo_top + 1.9 * MM;
    for (label, lines) in fields {
        items.push(text(x4, baseline, LABEL, label));
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            items.push(text(value_x, baseline + PITCH * i as f32, VALUE, line.clone()));
        }
        // An empty value (no patronymic) still takes its line.
        baseline += PITCH * lines.len().max(1) as f32;
    }

    // Zone 6: the signature field in the bottom right corner; zone 5 beside and above it.
    let sig_x = right - SIGNATURE_W;
    let sig_y = CARD.height - CARD.bottom - SIGNATURE_H;
    place(&mut items, card.signature.as_ref(), (sig_x, sig_y, SIGNATURE_W, SIGNATURE_H));
    items.push(Item::Frame { x: sig_x, y: sig_y, w: SIGNATURE_W, h: SIGNATURE_H, width: 0.5, gray: 0 });
    let valid_baseline = sig_y - 1.2 * MM;
    items.push(text(x4, valid_baseline, LABEL, "Термін дії"));
    items.push(text(value_x, valid_baseline, VALUE, card.valid_until.format("%d.%m.%Y").to_string()));
    let signature_label = "Підпис власника";
    let label_x = sig_x - SIGNATURE_GAP - width(signature_label, &LABEL);
    items.push(text(label_x.max(x4), sig_y + SIGNATURE_H - 1.5 * MM, LABEL, signature_label));
    if baseline - PITCH > valid_baseline - LABEL.line_height() {
        return Err(PdfError::DoesNotFit { field: "zone 4", lines: ZONE4_LINES });
    }
    Ok(Page { items })
}

/// Puts `picture`, if any, in the field: drawn before the field's frame so the frame stays on top.
fn place(items: &mut Vec<Item>, picture: Option<&Picture>, field: (f32, f32, f32, f32)) {
    if let Some(picture) = picture {
        let (x, y, w, h) = fit(field, picture.pixels());
        items.push(Item::Image { x, y, w, h, picture: picture.clone() });
    }
}

/// Refuses a character DejaVu Sans cannot print, naming the field, not its value.
fn check_printable(card: &CardBack, fonts: &Fonts) -> Result<(), PdfError> {
    crate::check_texts(&fonts.regular, &[("card id".to_owned(), card.card_id.as_str())])?;
    let values = [
        ("surname".to_owned(), card.surname.as_str()),
        ("given name".to_owned(), card.given_name.as_str()),
        ("patronymic".to_owned(), card.patronymic.as_str()),
        ("pension kind".to_owned(), card.pension_kind.as_str()),
    ];
    crate::check_texts(&fonts.bold, &values)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> CardBack {
        CardBack {
            okzo: 1_234_567,
            card_id: "5168 7420 0000 0042".into(),
            surname: "Шевченко".into(),
            given_name: "Тарас".into(),
            patronymic: "Григорович".into(),
            sex: CardSex::Male,
            birth_date: NaiveDate::from_ymd_opt(1948, 2, 28).unwrap(),
            pension_kind: "за віком".into(),
            valid_until: NaiveDate::from_ymd_opt(2029, 11, 21).unwrap(),
            photo: None,
            signature: None,
        }
    }

    /// A blank PNG of `w` × `h` pixels.
    fn png(w: u32, h: u32) -> Picture {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&vec![200; (w * h) as usize]).unwrap();
        writer.finish().unwrap();
        Picture::new(out, "test").unwrap()
    }

    fn images(page: &Page) -> Vec<(f32, f32, f32, f32)> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Image { x, y, w, h, .. } => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect()
    }

    fn frames(page: &Page) -> Vec<(f32, f32, f32, f32)> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Frame { x, y, w, h, .. } => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn photo_and_signature_fields_have_their_prescribed_sizes_and_places() {
        let page = compose(&sample(), fonts().unwrap()).unwrap();
        let f = frames(&page);
        let close = |a: f32, b: f32| (a - b).abs() < 0.01;
        let (px, py, pw, ph) = f[0];
        assert!(close(pw / MM, 25.0) && close(ph / MM, 30.0), "photo {pw}×{ph}");
        assert!(close(px / MM, 2.0), "photo at the left margin");
        assert!(py > STRIPE_BOTTOM, "photo below zone 2");
        assert!(py + ph <= CARD.height, "photo on the card");
        let (sx, sy, sw, sh) = f[1];
        assert!(close(sw / MM, 26.6) && close(sh / MM, 5.5), "signature {sw}×{sh}");
        assert!(close((CARD.width - sx - sw) / MM, 2.0), "signature field at the right margin");
        assert!(close((CARD.height - sy - sh) / MM, 1.2), "signature field at the bottom");
    }

    #[test]
    fn the_photo_fills_its_field_and_the_signature_sits_centred_in_its_own() {
        let card = CardBack { photo: Some(png(250, 300)), signature: Some(png(400, 50)), ..sample() };
        let page = compose(&card, fonts().unwrap()).unwrap();
        let (f, i) = (frames(&page), images(&page));
        assert_eq!(i.len(), 2);
        assert_eq!(i[0], f[0], "a 25:30 photo fills the photo field exactly");
        let ((fx, fy, fw, fh), (x, y, w, h)) = (f[1], i[1]);
        let close = |a: f32, b: f32| (a - b).abs() < 0.01;
        assert!(close(w, fw) && h < fh, "a wide signature takes the field's width");
        assert!(close(x, fx) && close(y - fy, fy + fh - (y + h)), "and is centred vertically");
        let frame_index = |want| page.items.iter().position(|it| matches!(it, Item::Frame { x, .. } if *x == want));
        let image_index = page.items.iter().position(|it| matches!(it, Item::Image { .. }));
        assert!(image_index < frame_index(f[0].0), "the frame is drawn over the photo");
    }

    #[test]
    fn without_pictures_the_fields_stay_empty_frames() {
        let page = compose(&sample(), fonts().unwrap()).unwrap();
        assert!(images(&page).is_empty());
        assert_eq!(frames(&page).len(), 2);
    }

    #[test]
    fn zone_4_starts_three_and_a_half_mm_right_of_the_photo() {
        let page = compose(&sample(), fonts().unwrap()).unwrap();
        let photo_right = frames(&page)[0].0 + PHOTO_W;
        let first_label = page.items.iter().find_map(|i| match i {
            Item::Text { x, text, .. } if text == "Прізвище" => Some(*x),
            _ => None,
        });
        assert_eq!(first_label, Some(photo_right + PHOTO_GAP));
    }

    #[test]
    fn what_does_not_fit_its_lines_is_refused_not_cut() {
        let mut c = sample();
        c.surname = "Дуже-довге-прізвище ".repeat(6);
        assert!(matches!(compose(&c, fonts().unwrap()), Err(PdfError::DoesNotFit { field: "surname", .. })));
        let mut c = sample();
        c.pension_kind = "по інвалідності ".repeat(20);
        assert!(matches!(compose(&c, fonts().unwrap()), Err(PdfError::DoesNotFit { field: "pension kind", .. })));
        let mut c = sample();
        c.given_name = "Олександра-Анастасія-Маргарита".into();
        assert!(matches!(compose(&c, fonts().unwrap()), Err(PdfError::DoesNotFit { field: "given name", .. })));
    }
}
