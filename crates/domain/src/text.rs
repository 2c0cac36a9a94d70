//! Free text that goes on printed documents (the application form, the issue
//! journal, the acts): Dossier prints Ukrainian and Latin script, digits and
//! the usual punctuation, and refuses at the door any character its documents
//! cannot print — a control character or a CJK name stored today would make
//! every later print of that journal or act fail.
use crate::i18n::Message;

/// The characters documents print, as regular-expression ranges: Basic Latin,
/// Latin-1 and Latin Extended-A, the modifier apostrophe ʼ, Cyrillic, general
/// punctuation (dashes, quotes, ellipsis, ‰…), €, ₴ and №. (A test in the PDF
/// crate checks that its font has a glyph for each.)
pub const PRINTABLE: &str =
    r" -~\u00A0-\u00AC\u00AE-\u017F\u02BC\u0400-\u04FF\u2010-\u2027\u2030-\u205E\u20AC\u20B4\u2116";

/// [`PRINTABLE`] without its spaces (U+0020, U+00A0).
pub const PRINTABLE_NOT_SPACE: &str =
    r"!-~\u00A1-\u00AC\u00AE-\u017F\u02BC\u0400-\u04FF\u2010-\u2027\u2030-\u205E\u20AC\u20B4\u2116";

/// Whether documents can print `c`.
pub fn is_printable(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{A0}'..='\u{AC}'
        | '\u{AE}'..='\u{17F}'
        | '\u{2BC}'
        | '\u{400}'..='\u{4FF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{20AC}'
        | '\u{20B4}'
        | '\u{2116}')
}

/// Text a document can print; the first character it cannot is named.
pub fn printable(s: &str) -> Result<(), Message> {
    match s.chars().find(|c| !is_printable(*c)) {
        None => Ok(()),
        Some(c) => Err(Message::new("common.unprintable").with("char", format!("U+{:04X}", u32::from(c)))),
    }
}

/// Text of several lines (a note, a decision's reasons) a document can print.
pub fn printable_multiline(s: &str) -> Result<(), Message> {
    s.lines().try_for_each(printable)
}

/// The form text is compared and searched in: lower case; Latin letters
/// without their diacritics (`Nguyễn` → `nguyen`, `đ` → `d`), so a Vietnamese
/// search typed without them finds the text; every apostrophe variant
/// removed (`Мар’яна`, `Мар'яна` → `маряна`); runs of white space one space.
/// Cyrillic keeps its letters (`й`, `ї` stay themselves).
pub fn search_form(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(s.len());
    let mut base_is_latin = false;
    let mut space = false;
    for c in s.trim().nfd() {
        if is_combining_mark(c) {
            if !base_is_latin {
                out.push(c);
            }
            continue;
        }
        if crate::name::is_apostrophe(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        base_is_latin = c.is_ascii_alphabetic() || matches!(c, 'đ' | 'Đ');
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_form_drops_latin_diacritics_and_apostrophes_but_keeps_cyrillic_letters() {
        assert_eq!(search_form("  NGUYỄN   Thị Hương "), "nguyen thi huong");
        assert_eq!(search_form("Đặng Văn Đức"), "dang van duc");
        assert_eq!(search_form("Мар’яна"), search_form("МАР'ЯНА"));
        assert_eq!(search_form("Мар’яна"), "маряна");
        assert_eq!(search_form("Андрій Їжакевич"), "андрій їжакевич");
        assert_eq!(search_form("Ґудзь"), "ґудзь");
    }

    #[test]
    fn ukrainian_and_latin_text_prints_control_and_cjk_characters_do_not() {
        assert_eq!(printable("Паспорт КВ 123456, виданий 12.03.2001 — «Оболонський РВ» № 7, ʼ’"), Ok(()));
        assert_eq!(printable("José Müller-Łukasz"), Ok(()));
        let m = printable("паспорт\u{8D}").err();
        assert_eq!(m, Some(Message::new("common.unprintable").with("char", "U+008D")));
        assert!(printable("李").is_err());
        assert!(printable("a\u{200B}b").is_err(), "zero-width space");
        assert!(printable("line\nbreak").is_err());
    }

    #[test]
    fn the_pattern_and_the_predicate_agree() {
        // Every range boundary of PRINTABLE is printable, and its neighbours outside are not.
        for (inside, outside) in [
            (' ', '\u{1F}'),
            ('~', '\u{7F}'),
            ('\u{A0}', '\u{9F}'),
            ('\u{17F}', '\u{180}'),
            ('\u{400}', '\u{3FF}'),
            ('\u{4FF}', '\u{500}'),
            ('\u{2010}', '\u{200F}'),
            ('\u{2027}', '\u{2028}'),
            ('\u{205E}', '\u{205F}'),
        ] {
            assert!(is_printable(inside), "{inside:?}");
            assert!(!is_printable(outside), "{outside:?}");
        }
        assert!(!is_printable('\u{AD}'), "soft hyphen");
    }
}
