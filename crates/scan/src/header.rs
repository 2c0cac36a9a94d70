//! What a page image's header says — format, size, declared resolution,
//! colour — read without decoding a pixel, so the scan profile can refuse an
//! oversized or low-resolution page (or an image bomb) before any memory is
//! spent on it. PNG through the `png` crate (it stops before the first
//! image data), TIFF through the `tiff` crate's directory reader, JPEG by
//! walking its markers to the frame header.
use std::io::Cursor;

use dossier_domain::digitization::{ColourMode, PageImage};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Tiff,
    Pdf,
}

impl Format {
    /// The format a file's first bytes announce, whatever its name says.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            Some(Format::Tiff)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Format::Pdf)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Tiff => "image/tiff",
            Format::Pdf => "application/pdf",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error("not a PNG, JPEG or TIFF image")]
    Unknown,
    #[error("the image's header is damaged: {0}")]
    Damaged(String),
}

/// The header of a single-page image (a TIFF's first page).
pub fn read(bytes: &[u8]) -> Result<PageImage, HeaderError> {
    match Format::sniff(bytes) {
        Some(Format::Png) => png_header(bytes),
        Some(Format::Jpeg) => jpeg_header(bytes),
        Some(Format::Tiff) => tiff_header(bytes),
        Some(Format::Pdf) | None => Err(HeaderError::Unknown),
    }
}

fn damaged(e: impl std::fmt::Display) -> HeaderError {
    HeaderError::Damaged(e.to_string())
}

const INCH_PER_METRE: f32 = 0.0254;
const CM_PER_INCH: f32 = 2.54;

fn png_header(bytes: &[u8]) -> Result<PageImage, HeaderError> {
    let reader = png::Decoder::new(Cursor::new(bytes)).read_info().map_err(damaged)?;
    let info = reader.info();
    let colour = match info.color_type {
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha if info.bit_depth == png::BitDepth::One => {
            ColourMode::Bilevel
        }
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => ColourMode::Greyscale,
        png::ColorType::Rgb | png::ColorType::Rgba | png::ColorType::Indexed => ColourMode::Colour,
    };
    let dpi = info.pixel_dims.and_then(|d| match d.unit {
        png::Unit::Meter => Some((d.xppu as f32 * INCH_PER_METRE, d.yppu as f32 * INCH_PER_METRE)),
        png::Unit::Unspecified => None,
    });
    Ok(PageImage { width: info.width, height: info.height, dpi, colour })
}

fn tiff_header(bytes: &[u8]) -> Result<PageImage, HeaderError> {
    use tiff::tags::Tag;
    let mut d = tiff::decoder::Decoder::new(Cursor::new(bytes)).map_err(damaged)?;
    let (width, height) = d.dimensions().map_err(damaged)?;
    let colour = match d.colortype().map_err(damaged)? {
        tiff::ColorType::Gray(1) => ColourMode::Bilevel,
        tiff::ColorType::Gray(_) | tiff::ColorType::GrayA(_) => ColourMode::Greyscale,
        _ => ColourMode::Colour,
    };
    let rational = |d: &mut tiff::decoder::Decoder<Cursor<&[u8]>>, tag| -> Option<f32> {
        match d.find_tag(tag).ok()?? {
            tiff::decoder::ifd::Value::Rational(n, den) if den != 0 => Some(n as f32 / den as f32),
            _ => None,
        }
    };
    let (x, y) = (rational(&mut d, Tag::XResolution), rational(&mut d, Tag::YResolution));
    // ResolutionUnit: 1 none, 2 inch (the default), 3 centimetre.
    let unit = d.find_tag(Tag::ResolutionUnit).ok().flatten().and_then(|v| v.into_u16().ok()).unwrap_or(2);
    let dpi = match (x, y, unit) {
        (Some(x), Some(y), 2) => Some((x, y)),
        (Some(x), Some(y), 3) => Some((x * CM_PER_INCH, y * CM_PER_INCH)),
        _ => None,
    };
    Ok(PageImage { width, height, dpi, colour })
}

/// Walks a JPEG's markers to its frame header (SOFn), noting the JFIF
/// density on the way. Every length is checked against the buffer.
fn jpeg_header(bytes: &[u8]) -> Result<PageImage, HeaderError> {
    let u16_at = |i: usize| -> Option<u16> { Some(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?])) };
    let mut dpi = None;
    let mut pos = 2;
    loop {
        // Markers are 0xFF, any number of fill bytes 0xFF, then the code.
        if bytes.get(pos) != Some(&0xFF) {
            return Err(damaged("no marker where one must be"));
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let code = *bytes.get(pos).ok_or_else(|| damaged("ends before its frame header"))?;
        pos += 1;
        if matches!(code, 0x01 | 0xD0..=0xD7) {
            continue; // markers without a segment
        }
        if matches!(code, 0xD9 | 0xDA) {
            return Err(damaged("no frame header before the image data"));
        }
        let len = usize::from(u16_at(pos).ok_or_else(|| damaged("a segment's length is cut off"))?);
        if len < 2 {
            return Err(damaged("a segment shorter than its length field"));
        }
        let segment = bytes.get(pos + 2..pos + len).ok_or_else(|| damaged("a segment runs past the end"))?;
        match code {
            0xE0 if segment.starts_with(b"JFIF\0") && segment.len() >= 12 => {
                let x = f32::from(u16::from_be_bytes([segment[8], segment[9]]));
                let y = f32::from(u16::from_be_bytes([segment[10], segment[11]]));
                dpi = match segment[7] {
                    1 => Some((x, y)),
                    2 => Some((x * CM_PER_INCH, y * CM_PER_INCH)),
                    _ => None, // an aspect ratio only
                };
            }
            // Frame headers; C4 (Huffman tables), C8 (reserved) and CC (arithmetic conditioning) are not.
            0xC0..=0xCF if !matches!(code, 0xC4 | 0xC8 | 0xCC) => {
                if segment.len() < 6 {
                    return Err(damaged("a short frame header"));
                }
                let height = u32::from(u16::from_be_bytes([segment[1], segment[2]]));
                let width = u32::from(u16::from_be_bytes([segment[3], segment[4]]));
                let colour = match segment[5] {
                    1 => ColourMode::Greyscale,
                    _ => ColourMode::Colour,
                };
                return Ok(PageImage { width, height, dpi, colour });
            }
            _ => {}
        }
        pos += len;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A PNG of `w`×`h` grey pixels declaring `dpi`.
    pub(crate) fn png(w: u32, h: u32, dpi: Option<f32>, colour: png::ColorType) -> Vec<u8> {
        let mut out = vec![];
        {
            let mut e = png::Encoder::new(&mut out, w, h);
            e.set_color(colour);
            e.set_depth(png::BitDepth::Eight);
            if let Some(dpi) = dpi {
                let ppm = (dpi / INCH_PER_METRE).round() as u32;
                e.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
            }
            let mut w_ = e.write_header().expect("header");
            let samples = match colour {
                png::ColorType::Rgb => 3,
                _ => 1,
            };
            w_.write_image_data(&vec![255u8; (w * h) as usize * samples]).expect("pixels");
        }
        out
    }

    /// A minimal JPEG header: SOI, JFIF APP0 with `density` in `units`, SOF0 for `w`×`h`, EOI.
    fn jpeg(w: u16, h: u16, units: u8, density: u16, components: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend([0xFF, 0xE0, 0, 16]);
        b.extend(b"JFIF\0");
        b.extend([1, 2, units]);
        b.extend(density.to_be_bytes());
        b.extend(density.to_be_bytes());
        b.extend([0, 0]);
        b.extend([0xFF, 0xC0, 0, 8 + 3 * components, 8]);
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.push(components);
        for i in 0..components {
            b.extend([i + 1, 0x11, 0]);
        }
        b.extend([0xFF, 0xD9]);
        b
    }

    #[test]
    fn png_resolution_and_colour_come_from_its_chunks() {
        let page = read(&png(2480, 3508, Some(300.0), png::ColorType::Rgb)).expect("a PNG");
        assert_eq!((page.width, page.height, page.colour), (2480, 3508, ColourMode::Colour));
        let (x, y) = page.dpi.expect("declared");
        assert!((x - 300.0).abs() < 0.1 && (y - 300.0).abs() < 0.1, "{x} {y}");
        let grey = read(&png(800, 600, None, png::ColorType::Grayscale)).expect("a PNG");
        assert_eq!((grey.colour, grey.dpi), (ColourMode::Greyscale, None));
    }

    #[test]
    fn jpeg_resolution_comes_from_jfif_in_inches_or_centimetres() {
        let page = read(&jpeg(2480, 3508, 1, 300, 3)).expect("a JPEG");
        assert_eq!(
            (page.width, page.height, page.colour, page.dpi),
            (2480, 3508, ColourMode::Colour, Some((300.0, 300.0)))
        );
        let metric = read(&jpeg(1000, 1000, 2, 118, 1)).expect("a JPEG");
        assert_eq!(metric.colour, ColourMode::Greyscale);
        let (x, _) = metric.dpi.expect("declared");
        assert!((x - 299.7).abs() < 0.1, "{x}");
        assert_eq!(read(&jpeg(1000, 1000, 0, 1, 3)).expect("a JPEG").dpi, None, "an aspect ratio is no resolution");
    }

    fn tiff_grey(w: u32, h: u32, unit: tiff::tags::ResolutionUnit, per_unit: u32) -> Vec<u8> {
        use tiff::encoder::{Rational, TiffEncoder, colortype};
        let mut out = Cursor::new(vec![]);
        let mut e = TiffEncoder::new(&mut out).expect("an encoder");
        let mut image = e.new_image::<colortype::Gray8>(w, h).expect("an image");
        image.resolution(unit, Rational { n: per_unit, d: 1 });
        image.write_data(&vec![255u8; (w * h) as usize]).expect("pixels");
        out.into_inner()
    }

    #[test]
    fn tiff_resolution_comes_from_its_tags_in_inches_or_centimetres() {
        let page = read(&tiff_grey(600, 800, tiff::tags::ResolutionUnit::Inch, 300)).expect("a TIFF");
        assert_eq!(
            (page.width, page.height, page.colour, page.dpi),
            (600, 800, ColourMode::Greyscale, Some((300.0, 300.0)))
        );
        let metric = read(&tiff_grey(600, 800, tiff::tags::ResolutionUnit::Centimeter, 118)).expect("a TIFF");
        let (x, _) = metric.dpi.expect("declared");
        assert!((x - 299.7).abs() < 0.1, "{x}");
        let none = read(&tiff_grey(600, 800, tiff::tags::ResolutionUnit::None, 1)).expect("a TIFF");
        assert_eq!(none.dpi, None);
    }

    #[test]
    fn other_files_and_damaged_headers_are_refused() {
        assert_eq!(read(b"GIF89a...."), Err(HeaderError::Unknown));
        assert_eq!(read(b"%PDF-1.7\n"), Err(HeaderError::Unknown));
        let mut cut = jpeg(100, 100, 1, 300, 3);
        cut.truncate(20);
        assert!(matches!(read(&cut), Err(HeaderError::Damaged(_))));
        assert!(matches!(read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(HeaderError::Damaged(_))));
        assert!(matches!(read(b"II*\0\x08\0\0\0\xff\xff"), Err(HeaderError::Damaged(_))));
    }

    proptest! {
        #[test]
        fn no_bytes_panic_the_header_readers(tail in proptest::collection::vec(any::<u8>(), 0..200), kind in 0u8..3) {
            let mut bytes = match kind {
                0 => b"\x89PNG\r\n\x1a\n".to_vec(),
                1 => vec![0xFF, 0xD8, 0xFF],
                _ => b"II*\0".to_vec(),
            };
            bytes.extend(tail);
            let _ = read(&bytes);
        }
    }
}
