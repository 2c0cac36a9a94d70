//! Greedy line breaking for a column of a given width.
//!
//! Greedy (fill each line as far as it goes) is what a reader expects of a form and is linear in
//! the text; optimal-fit paragraphs would buy nothing for one-line values. A word wider than the
//! column (a long identifier, an e-mail address) is cut between characters rather than allowed
//! to run into the next column or off the page.

/// Whitespace at which a line may break. No-break spaces are excluded: they are there to keep
/// things like "№ 123" or "21 листопада" together.
pub(crate) fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}')
}

/// Breaks `text` into lines no wider than `max_width` (in the unit `advance` returns).
///
/// `'\n'` ends a line; runs of other breaking whitespace become one space; leading and trailing
/// whitespace is dropped. Always returns at least one (possibly empty) line, so an empty value
/// still takes a row. Only a single character wider than the column can exceed `max_width`.
pub(crate) fn wrap(text: &str, max_width: f32, advance: impl Fn(char) -> f32) -> Vec<String> {
    let width = |s: &str| s.chars().map(&advance).sum::<f32>();
    let space = advance(' ');
    let mut lines = Vec::new();
    for paragraph in text.trim_matches(is_break_space).split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0;
        for word in paragraph.split(is_break_space).filter(|w| !w.is_empty()) {
            let word_width = width(word);
            if !line.is_empty() {
                if line_width + space + word_width <= max_width {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + word_width;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= max_width {
                line.push_str(word);
                line_width = word_width;
            } else {
                let mut pieces = split_word(word, max_width, &advance);
                // The last piece stays open so the next word can join it.
                let (last, last_width) = pieces.pop().unwrap_or_default();
                lines.extend(pieces.into_iter().map(|(piece, _)| piece));
                line = last;
                line_width = last_width;
            }
        }
        lines.push(line);
    }
    lines
}

/// Cuts a word into pieces that each fit `max_width`, never separating a zero-width character
/// (a combining accent) from the letter before it.
fn split_word(word: &str, max_width: f32, advance: &impl Fn(char) -> f32) -> Vec<(String, f32)> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_width = 0.0;
    for c in word.chars() {
        let w = advance(c);
        if !piece.is_empty() && w > 0.0 && piece_width + w > max_width {
            pieces.push((std::mem::take(&mut piece), piece_width));
            piece_width = 0.0;
        }
        piece.push(c);
        piece_width += w;
    }
    pieces.push((piece, piece_width));
    pieces
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A stand-in font: narrow "i", wide "Ж", zero-width combining acute.
    fn adv(c: char) -> f32 {
        match c {
            'i' | 'і' | 'ї' | '.' | '’' => 3.0,
            'Ж' | 'Щ' | 'W' => 10.0,
            '\u{301}' => 0.0,
            ' ' => 3.5,
            _ => 6.0,
        }
    }

    fn width(s: &str) -> f32 {
        s.chars().map(adv).sum()
    }

    fn words(s: &str) -> String {
        s.chars().filter(|&c| !is_break_space(c)).collect()
    }

    #[test]
    fn fills_lines_greedily() {
        // "aaa bb" = 18 + 3.5 + 12 = 33.5 fits 34; "cc" does not join it.
        assert_eq!(wrap("aaa bb cc", 34.0, adv), ["aaa bb", "cc"]);
        assert_eq!(wrap("aaa bb cc", 1000.0, adv), ["aaa bb cc"]);
    }

    #[test]
    fn newlines_break_and_spaces_collapse() {
        assert_eq!(wrap("  a \t b\r\n\nc  ", 1000.0, adv), ["a b", "", "c"]);
        assert_eq!(wrap("", 10.0, adv), [""]);
        assert_eq!(wrap(" \n ", 10.0, adv), [""]);
    }

    #[test]
    fn no_break_space_keeps_words_together() {
        assert_eq!(wrap("№\u{a0}123 45", 30.0, adv), ["№\u{a0}123", "45"]);
    }

    #[test]
    fn overlong_word_is_cut_and_the_rest_continues_the_line() {
        // 8 × 6 = 48 in a 22-wide column: pieces of 3 letters (18), then "aa" + " b" (21.5).
        assert_eq!(wrap("aaaaaaaa b", 22.0, adv), ["aaa", "aaa", "aa b"]);
    }

    #[test]
    fn combining_accent_stays_with_its_letter() {
        let lines = wrap("aaa\u{301}a", 18.0, adv);
        assert_eq!(lines, ["aaa\u{301}", "a"]);
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                4 => Just('a'), 2 => Just('Ж'), 2 => Just('і'), 1 => Just('’'),
                1 => Just('\u{301}'), 3 => Just(' '), 1 => Just('\n'), 1 => Just('\t'), 1 => Just('\u{a0}'),
            ],
            0..200,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn no_line_exceeds_the_width_and_no_word_is_lost(text in text(), max_width in 10.0f32..300.0) {
            let lines = wrap(&text, max_width, adv);
            prop_assert!(!lines.is_empty());
            for line in &lines {
                prop_assert!(width(line) <= max_width + 1e-3, "{line:?} is {} wide, column {max_width}", width(line));
                prop_assert_eq!(line.trim_matches(is_break_space), line.as_str());
            }
            // Every non-space character survives, in order.
            prop_assert_eq!(words(&lines.concat()), words(&text));
            // Hard line breaks are kept (each '\n' inside the trimmed text starts a line).
            let breaks = text.trim_matches(is_break_space).matches('\n').count();
            prop_assert!(lines.len() > breaks);
        }

        #[test]
        fn a_line_is_only_broken_when_the_next_word_does_not_fit(
            words_in in prop::collection::vec("[aЖі]{1,6}", 1..30), max_width in 40.0f32..200.0,
        ) {
            // A word wider than the column is cut between characters; that case has its own test.
            prop_assume!(words_in.iter().all(|w| width(w) <= max_width));
            let text = words_in.join(" ");
            let lines = wrap(&text, max_width, adv);
            for pair in lines.windows(2) {
                let next_word = pair[1].split(' ').next().unwrap_or("");
                // f32 sums: allow for rounding at the exact boundary.
                prop_assert!(width(&pair[0]) + adv(' ') + width(next_word) > max_width - 1e-3);
            }
        }
    }
}
