//! Scans that arrive as a PDF: what a scanner writes is one raster image per
//! page, and that image is the scan. Each page's image is taken out as an
//! image file — a JPEG (`DCTDecode`) as it is, a Flate-compressed grey or RGB
//! raster as a PNG — with the resolution the page's size gives it, so it goes
//! through the scan profile and recognition like any uploaded page. Nothing
//! else in the file is kept or run: text, forms, scripts and annotations are
//! never looked at, and a page that is not a single raster is refused with
//! the reason (a born-digital PDF is not a scan).
//!
//! Bounds: the caller limits the file's size and the page count is checked
//! before any image is touched; a Flate stream is inflated to at most the
//! size its declared dimensions need (a decompression bomb stops there).
use std::io::Read;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// The most pixels a page's image may declare (the scan profile then applies its own, lower limit).
const MAX_PIXELS: u64 = 100_000_000;

/// One page's scan taken out of a PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    /// A JPEG or PNG file.
    pub image: Vec<u8>,
    /// Pixels per inch along each axis, from the page's size.
    pub dpi: (f32, f32),
}

/// Why a PDF cannot be taken as scans; `page` counts from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfScanError {
    #[error("the PDF cannot be read")]
    Damaged,
    #[error("the PDF is encrypted")]
    Encrypted,
    #[error("the PDF has no pages")]
    NoPages,
    #[error("the PDF has {0} pages, more than allowed")]
    TooManyPages(usize),
    /// Not one raster image filling the page, or one in a form we do not take out.
    #[error("page {page} is not a scanned image ({why})")]
    NotAScan { page: usize, why: &'static str },
}

/// The pages of `bytes` as scans, refusing the file if it has more than `max_pages`.
pub fn pages(bytes: &[u8], max_pages: usize) -> Result<Vec<PdfPage>, PdfScanError> {
    let doc = Document::load_mem(bytes).map_err(|_| PdfScanError::Damaged)?;
    // lopdf opens a file whose user password is empty; it was encrypted all the same, and an
    // archive must not keep what its author locked.
    if doc.was_encrypted() || doc.is_encrypted() {
        return Err(PdfScanError::Encrypted);
    }
    let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    if ids.is_empty() {
        return Err(PdfScanError::NoPages);
    }
    if ids.len() > max_pages {
        return Err(PdfScanError::TooManyPages(ids.len()));
    }
    ids.iter().enumerate().map(|(i, id)| page(&doc, *id, i + 1)).collect()
}

fn page(doc: &Document, id: ObjectId, n: usize) -> Result<PdfPage, PdfScanError> {
    let not = |why| PdfScanError::NotAScan { page: n, why };
    let images = doc.get_page_images(id).map_err(|_| not("its images cannot be read"))?;
    let [image] = images.as_slice() else {
        return Err(not(if images.is_empty() { "no image" } else { "more than one image" }));
    };
    let (w, h) = (u32::try_from(image.width).ok(), u32::try_from(image.height).ok());
    let (Some(w), Some(h)) = (w.filter(|w| *w > 0), h.filter(|h| *h > 0)) else {
        return Err(not("an image without a size"));
    };
    // Far beyond any scan the profile accepts (40 M pixels): refused before any arithmetic on
    // its size can overflow or any byte is inflated.
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(not("an image too large to be a scanned page"));
    }
    let (page_w, page_h) = media_box(doc, id).ok_or_else(|| not("no page size"))?;
    let dpi = (w as f32 * 72.0 / page_w, h as f32 * 72.0 / page_h);
    let filters: Vec<&str> = image.filters.iter().flatten().map(String::as_str).collect();
    let image = match filters.as_slice() {
        ["DCTDecode"] => image.content.to_vec(),
        ["FlateDecode"] => {
            let bpc = image.bits_per_component.unwrap_or(8);
            let channels = match image.color_space.as_deref() {
                Some("DeviceGray") => 1,
                Some("DeviceRGB") => 3,
                _ => return Err(not("a colour space other than grey or RGB")),
            };
            if bpc != 8 && !(bpc == 1 && channels == 1) {
                return Err(not("a bit depth other than 8, or 1 for black and white"));
            }
            let params = image.origin_dict.get(b"DecodeParms").and_then(Object::as_dict).ok();
            let param = |key: &[u8], default: i64| {
                params.and_then(|p| p.get(key).and_then(Object::as_i64).ok()).unwrap_or(default)
            };
            match param(b"Predictor", 1) {
                // No predictor: the rows as they are, inflated (bounded) and written as a PNG.
                1 => {
                    let row = (w as usize * channels * bpc as usize).div_ceil(8);
                    let raw = inflate(image.content, row * h as usize).ok_or_else(|| not("damaged image data"))?;
                    png_file(PngData::Raw(&raw), w, h, channels, bpc as u8, dpi)
                }
                // PNG predictors: the stream is a PNG's image data as it stands (what img2pdf
                // and many scanners write), so it becomes a PNG without being inflated here.
                10..=15
                    if param(b"Colors", 1) == channels as i64
                        && param(b"BitsPerComponent", 8) == bpc
                        && param(b"Columns", 1) == i64::from(w) =>
                {
                    png_file(PngData::Compressed(image.content), w, h, channels, bpc as u8, dpi)
                }
                _ => return Err(not("a predictor other than PNG's")),
            }
            .ok_or_else(|| not("damaged image data"))?
        }
        _ => return Err(not("an image compression other than JPEG or Flate")),
    };
    Ok(PdfPage { image, dpi })
}

/// The page's `/MediaBox` (its own or inherited), as width and height in points.
fn media_box(doc: &Document, mut id: ObjectId) -> Option<(f32, f32)> {
    // A page tree is shallow; the bound stops a loop of /Parent references.
    for _ in 0..32 {
        let dict: &Dictionary = doc.get_dictionary(id).ok()?;
        if let Ok(b) = dict.get(b"MediaBox").and_then(|o| doc.dereference(o)).and_then(|(_, o)| o.as_array()) {
            let n: Vec<f32> = b.iter().filter_map(number).collect();
            if let [x1, y1, x2, y2] = n.as_slice() {
                let (w, h) = ((x2 - x1).abs(), (y2 - y1).abs());
                return (w >= 1.0 && h >= 1.0).then_some((w, h));
            }
            return None;
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// Inflates a zlib stream to exactly `expected` bytes; more data than the
/// image needs, or less, is damage (and a bomb stops at `expected` + 1).
fn inflate(data: &[u8], expected: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(expected.min(256 * 1024 * 1024));
    flate2::read::ZlibDecoder::new(data).take(expected as u64 + 1).read_to_end(&mut out).ok()?;
    (out.len() == expected).then_some(out)
}

/// A page's pixels for a PNG: raw rows, or a zlib stream of PNG-filtered rows (an IDAT's content).
enum PngData<'a> {
    Raw(&'a [u8]),
    Compressed(&'a [u8]),
}

/// A PNG (grey or RGB, 8 bits, or 1-bit grey) with its resolution.
fn png_file(data: PngData, w: u32, h: u32, channels: usize, bpc: u8, dpi: (f32, f32)) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(if channels == 1 { png::ColorType::Grayscale } else { png::ColorType::Rgb });
    encoder.set_depth(if bpc == 1 { png::BitDepth::One } else { png::BitDepth::Eight });
    // Fast compression: the page is stored once and read by the recogniser, not sent anywhere.
    encoder.set_compression(png::Compression::Fast);
    let per_metre = |d: f32| (d / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre(dpi.0),
        yppu: per_metre(dpi.1),
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().ok()?;
    match data {
        PngData::Raw(raw) => writer.write_image_data(raw).ok()?,
        PngData::Compressed(idat) => writer.write_chunk(png::chunk::IDAT, idat).ok()?,
    }
    writer.finish().ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inflated_stream_must_be_exactly_the_image_s_size() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&[7u8; 1000]).unwrap();
        let data = z.finish().unwrap();
        assert_eq!(inflate(&data, 1000).map(|v| v.len()), Some(1000));
        assert_eq!(inflate(&data, 999), None, "more than the image needs");
        assert_eq!(inflate(&data, 1001), None, "less than the image needs");
        assert_eq!(inflate(b"not zlib", 10), None);
    }

    #[test]
    fn bytes_that_are_not_a_pdf_are_damaged_not_a_panic() {
        for bytes in [&b""[..], b"%PDF-1.7", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"] {
            assert!(pages(bytes, 50).is_err());
        }
    }
}
