//! The wallet's pictures of a sharing code: the EAN-13 barcode (our own
//! encoder over the standard's public L/G/R patterns and parity table,
//! ISO/IEC 15420) and the QR deeplink (the `qrcode` crate), both as inline SVG.
use dossier_domain::sharing::SharingCode;

/// Left-hand odd parity (set A) patterns for digits 0–9; set C (right) is the
/// complement and set B (left, even parity) is set C reversed.
const L: [&str; 10] =
    ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"];
/// Parity of the six left digits, chosen by the first (implicit) digit.
const PARITY: [&str; 10] =
    ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"];

fn r_code(d: usize) -> String {
    L[d].chars().map(|c| if c == '0' { '1' } else { '0' }).collect()
}

fn g_code(d: usize) -> String {
    r_code(d).chars().rev().collect()
}

/// The 95 modules of the code, `1` = bar: guard, six left digits, centre
/// guard, six right digits, guard.
pub fn ean13_modules(code: &SharingCode) -> String {
    let digits: Vec<usize> = code.as_str().bytes().map(|b| usize::from(b - b'0')).collect();
    let mut out = String::with_capacity(95);
    out.push_str("101");
    for (i, p) in PARITY[digits[0]].chars().enumerate() {
        let d = digits[1 + i];
        if p == 'L' {
            out.push_str(L[d]);
        } else {
            out.push_str(&g_code(d));
        }
    }
    out.push_str("01010");
    for d in &digits[7..13] {
        out.push_str(&r_code(*d));
    }
    out.push_str("101");
    out
}

/// The barcode as an SVG: quiet zones of 11 modules, guard bars longer, the
/// digits printed beneath in the usual 1 + 6 + 6 grouping.
pub fn ean13_svg(code: &SharingCode) -> String {
    let modules = ean13_modules(code);
    let (quiet, bar_h, guard_h) = (11usize, 60usize, 66usize);
    let width = modules.len() + 2 * quiet;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} 76\" class=\"ean13\" role=\"img\" \
         aria-label=\"EAN-13 {code}\"><rect width=\"{width}\" height=\"76\" fill=\"#fff\"/>",
        code = code.as_str()
    );
    for (i, m) in modules.bytes().enumerate() {
        if m == b'1' {
            let guard = i < 3 || (45..50).contains(&i) || i >= 92;
            let h = if guard { guard_h } else { bar_h };
            svg.push_str(&format!("<rect x=\"{}\" y=\"2\" width=\"1\" height=\"{h}\" fill=\"#000\"/>", i + quiet));
        }
    }
    let s = code.as_str();
    let text = |x: usize, t: &str| {
        format!("<text x=\"{x}\" y=\"75\" font-family=\"monospace\" font-size=\"10\" text-anchor=\"middle\">{t}</text>")
    };
    svg.push_str(&text(5, &s[..1]));
    svg.push_str(&text(quiet + 3 + 21, &s[1..7]));
    svg.push_str(&text(quiet + 50 + 21, &s[7..]));
    svg.push_str("</svg>");
    svg
}

/// A QR code of `text` as an SVG (dark modules on white).
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ean13_bars_of_the_spec_example_code() {
        // 1213187292345: first digit 1 → parity LLGLGG over 2 1 3 1 8 7,
        // then R patterns of 2 9 2 3 4 5 (ISO/IEC 15420 tables).
        let code = SharingCode::parse("1213187292345").unwrap();
        let expected = [
            "101", "0010011", // 2 L
            "0011001", // 1 L
            "0100001", // 3 G
            "0011001", // 1 L
            "0001001", // 8 G
            "0010001", // 7 G
            "01010", "1101100", // 2 R
            "1110100", // 9 R
            "1101100", // 2 R
            "1000010", // 3 R
            "1011100", // 4 R
            "1001110", // 5 R
            "101",
        ]
        .concat();
        assert_eq!(ean13_modules(&code), expected);
        assert_eq!(expected.len(), 95);
    }

    #[test]
    fn a_code_starting_with_zero_is_all_odd_parity_like_upc_a() {
        let code = SharingCode::from_digits([0, 3, 6, 0, 0, 0, 2, 9, 1, 4, 5, 2]).unwrap();
        let m = ean13_modules(&code);
        assert_eq!(&m[3..10], L[3]);
        assert_eq!(&m[10..17], L[6]);
    }

    proptest::proptest! {
        /// Any code: 95 modules, guards in place, and each digit's pattern
        /// decodes back (L/G left by the parity table, R right).
        #[test]
        fn every_code_encodes_and_decodes(digits in proptest::array::uniform12(0u8..10)) {
            let code = SharingCode::from_digits(digits).unwrap();
            let m = ean13_modules(&code);
            proptest::prop_assert_eq!(m.len(), 95);
            proptest::prop_assert!(m.starts_with("101") && m.ends_with("101") && &m[45..50] == "01010");
            let d: Vec<usize> = code.as_str().bytes().map(|b| usize::from(b - b'0')).collect();
            let mut parity = String::new();
            for i in 0..6 {
                let chunk = &m[3 + 7 * i..10 + 7 * i];
                let (digit, p) = (0..10)
                    .find_map(|n| if chunk == L[n] { Some((n, 'L')) } else if chunk == g_code(n) { Some((n, 'G')) } else { None })
                    .unwrap();
                proptest::prop_assert_eq!(digit, d[1 + i]);
                parity.push(p);
            }
            proptest::prop_assert_eq!(parity.as_str(), PARITY[d[0]]);
            for i in 0..6 {
                let r = r_code(d[7 + i]);
                proptest::prop_assert_eq!(&m[50 + 7 * i..57 + 7 * i], r.as_str());
            }
        }
    }

    #[test]
    fn svgs_render() {
        let code = SharingCode::parse("1213187292345").unwrap();
        let svg = ean13_svg(&code);
        assert!(svg.starts_with("<svg") && svg.contains("213187"));
        assert!(qr_svg("http://127.0.0.1:8090/wallet/c/1213187292345").unwrap().contains("<svg"));
    }
}
