//! Pages put upright before recognition (issue 20: "orientation and skew
//! corrected"). Tesseract reads lines tilted by a degree or two, but not by
//! five, and reads nothing on a page fed in sideways or upside down. The skew
//! is found here, in pure Rust, from the page itself: the angle at which the
//! dark pixels fall into the sharpest rows (text lines) — a projection
//! profile over a reduced copy, cheap beside recognition. Quarter turns are
//! Tesseract's orientation detection's job (see `Tesseract::orientation`);
//! turning the pixels is done here.
use std::io::Cursor;

use crate::{Format, HeaderError, Raster, decode_tiff};

/// The steepest tilt looked for: a scanner's feeder or a hand on a flatbed
/// does not tilt a sheet more.
const MAX_SKEW: f32 = 15.0;
/// Tilts smaller than this are left to Tesseract (turning costs a re-encoded page).
pub const MIN_CORRECTED_SKEW: f32 = 1.0;
/// The reduced copy's width: lines of 10-point text at 300 dpi stay a few pixels high.
const SAMPLE_WIDTH: u32 = 900;

/// Decodes a page (PNG, JPEG or TIFF) to 8-bit grey or RGB pixels. The
/// header has passed the scan profile, so the size is bounded already.
pub fn decode(bytes: &[u8]) -> Result<Raster, HeaderError> {
    match Format::sniff(bytes) {
        Some(Format::Png) => decode_png(bytes),
        Some(Format::Jpeg) => decode_jpeg(bytes),
        Some(Format::Tiff) => decode_tiff(bytes),
        _ => Err(HeaderError::Damaged("not a PNG, JPEG or TIFF image".to_owned())),
    }
}

fn decode_png(bytes: &[u8]) -> Result<Raster, HeaderError> {
    let damaged = |e: png::DecodingError| HeaderError::Damaged(e.to_string());
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(damaged)?;
    let size = reader.output_buffer_size().ok_or_else(|| HeaderError::Damaged("too large".to_owned()))?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(damaged)?;
    buf.truncate(info.buffer_size());
    let (channels, keep) = match info.color_type {
        png::ColorType::Grayscale => (1, 1),
        png::ColorType::GrayscaleAlpha => (2, 1),
        png::ColorType::Rgb => (3, 3),
        png::ColorType::Rgba => (4, 3),
        png::ColorType::Indexed => return Err(HeaderError::Damaged("an unexpanded palette".to_owned())),
    };
    let pixels = if channels == keep {
        buf
    } else {
        buf.chunks_exact(channels).flat_map(|p| p[..keep].iter().copied()).collect()
    };
    Ok(Raster { width: info.width, height: info.height, grey: keep == 1, pixels })
}

fn decode_jpeg(bytes: &[u8]) -> Result<Raster, HeaderError> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let damaged = |e: zune_jpeg::errors::DecodeErrors| HeaderError::Damaged(e.to_string());
    let options = DecoderOptions::default().set_max_width(20_000).set_max_height(20_000);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(damaged)?;
    let grey = decoder.input_colorspace() == Some(ColorSpace::Luma);
    let out = if grey { ColorSpace::Luma } else { ColorSpace::RGB };
    decoder.set_options(options.jpeg_set_out_colorspace(out));
    let pixels = decoder.decode().map_err(damaged)?;
    let (w, h) = decoder.dimensions().ok_or_else(|| HeaderError::Damaged("no size".to_owned()))?;
    let (width, height) = (u32::try_from(w), u32::try_from(h));
    let (Ok(width), Ok(height)) = (width, height) else { return Err(HeaderError::Damaged("too large".to_owned())) };
    Ok(Raster { width, height, grey, pixels })
}

/// A page as PNG (fast compression: it is stored once and read by Tesseract),
/// declaring its resolution so the scan profile and the result see the same dpi.
pub fn encode_png(r: &Raster, dpi: f32) -> Vec<u8> {
    let mut out = Vec::with_capacity(r.pixels.len() / 4);
    let mut e = png::Encoder::new(&mut out, r.width, r.height);
    e.set_color(if r.grey { png::ColorType::Grayscale } else { png::ColorType::Rgb });
    e.set_compression(png::Compression::Fast);
    let per_metre = (dpi / 0.0254).round() as u32;
    e.set_pixel_dims(Some(png::PixelDimensions { xppu: per_metre, yppu: per_metre, unit: png::Unit::Meter }));
    // Writing to memory fails only on a size the header would not hold; the raster's is valid.
    if let Ok(mut w) = e.write_header() {
        let _ = w.write_image_data(&r.pixels);
    }
    out
}

fn luma(r: &Raster, x: u32, y: u32) -> u8 {
    let i = y as usize * r.width as usize + x as usize;
    if r.grey {
        r.pixels[i]
    } else {
        let p = &r.pixels[i * 3..i * 3 + 3];
        ((u32::from(p[0]) * 299 + u32::from(p[1]) * 587 + u32::from(p[2]) * 114) / 1000) as u8
    }
}

/// Otsu's threshold of a histogram: the grey level that best splits ink from paper.
fn otsu(histogram: &[u32; 256]) -> u8 {
    let total: f64 = histogram.iter().map(|&c| f64::from(c)).sum();
    let sum: f64 = histogram.iter().enumerate().map(|(i, &c)| i as f64 * f64::from(c)).sum();
    let (mut weight_b, mut sum_b, mut best, mut threshold) = (0.0, 0.0, -1.0, 127u8);
    for (i, &c) in histogram.iter().enumerate() {
        weight_b += f64::from(c);
        let weight_f = total - weight_b;
        if weight_b == 0.0 || weight_f == 0.0 {
            continue;
        }
        sum_b += i as f64 * f64::from(c);
        let (mean_b, mean_f) = (sum_b / weight_b, (sum - sum_b) / weight_f);
        let between = weight_b * weight_f * (mean_b - mean_f).powi(2);
        if between > best {
            best = between;
            threshold = i as u8;
        }
    }
    threshold
}

/// How far the page's lines are tilted, in degrees, counter-clockwise as one
/// looks at the page (positive: the lines climb to the right); 0 for a page
/// without lines to go by.
pub fn skew_degrees(r: &Raster) -> f32 {
    if r.width == 0 || r.height == 0 {
        return 0.0;
    }
    let step = (r.width / SAMPLE_WIDTH).max(1);
    let mut histogram = [0u32; 256];
    for y in (0..r.height).step_by(step as usize) {
        for x in (0..r.width).step_by(step as usize) {
            histogram[luma(r, x, y) as usize] += 1;
        }
    }
    let threshold = otsu(&histogram);
    let mut ink: Vec<(f32, f32)> = vec![];
    for y in (0..r.height).step_by(step as usize) {
        for x in (0..r.width).step_by(step as usize) {
            if luma(r, x, y) <= threshold {
                ink.push(((x / step) as f32, (y / step) as f32));
            }
        }
    }
    // A blank page, or one that is mostly ink (a photo, a black border): nothing to go by.
    let sampled = histogram.iter().sum::<u32>() as usize;
    if ink.len() < 50 || ink.len() * 2 > sampled {
        return 0.0;
    }
    let rows = (r.height / step) as f32;
    let cols = (r.width / step) as f32;
    let span = (rows + cols) as usize + 2;
    let mut bins = vec![0u32; span * 2];
    let last = bins.len() - 1;
    let mut sharpness = |degrees: f32| -> f64 {
        let (sin, cos) = degrees.to_radians().sin_cos();
        bins.iter_mut().for_each(|b| *b = 0);
        for &(x, y) in &ink {
            // The row a point falls in once the page is turned back by `degrees`.
            let row = y * cos + x * sin + cols;
            bins[(row.max(0.0) as usize).min(last)] += 1;
        }
        bins.iter().map(|&b| f64::from(b) * f64::from(b)).sum()
    };
    let best = |from: f32, to: f32, by: f32, sharpness: &mut dyn FnMut(f32) -> f64| {
        let steps = ((to - from) / by).round() as i32;
        (0..=steps)
            .map(|i| from + i as f32 * by)
            .map(|a| (a, sharpness(a)))
            .fold((0.0f32, f64::MIN), |acc, (a, s)| if s > acc.1 { (a, s) } else { acc })
            .0
    };
    let coarse = best(-MAX_SKEW, MAX_SKEW, 0.5, &mut sharpness);
    best(coarse - 0.5, coarse + 0.5, 0.1, &mut sharpness)
}

/// The colour of the page's paper: each channel's median over a grid of
/// samples (paper covers most of a page).
fn paper(r: &Raster) -> [u8; 3] {
    let channels = if r.grey { 1 } else { 3 };
    let step = (r.width as usize * r.height as usize / 40_000).max(1);
    let mut out = [255u8; 3];
    for (c, colour) in out.iter_mut().enumerate().take(channels) {
        let mut samples: Vec<u8> = r.pixels.iter().skip(c).step_by(channels * step).copied().collect();
        if samples.is_empty() {
            continue;
        }
        let middle = samples.len() / 2;
        *colour = *samples.select_nth_unstable(middle).1;
    }
    out
}

/// The page turned counter-clockwise by `degrees` about its centre, on a
/// canvas of the same size; the corners that come in are the page's own
/// paper colour — white wedges round a grey page make Tesseract take the
/// page for a picture and read nothing on it. Bilinear, so thin strokes survive.
pub fn rotate(r: &Raster, degrees: f32) -> Raster {
    let channels = if r.grey { 1 } else { 3 };
    let (w, h) = (r.width as usize, r.height as usize);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let fill = paper(r);
    let mut out: Vec<u8> = (0..w * h).flat_map(|_| fill[..channels].iter().copied()).collect();
    for v in 0..h {
        let dy = v as f32 + 0.5 - cy;
        for u in 0..w {
            let dx = u as f32 + 0.5 - cx;
            // Where this output pixel was before the turn.
            let sx = dx * cos - dy * sin + cx - 0.5;
            let sy = dx * sin + dy * cos + cy - 0.5;
            if sx < 0.0 || sy < 0.0 || sx >= (w - 1) as f32 || sy >= (h - 1) as f32 {
                continue;
            }
            let (x0, y0) = (sx as usize, sy as usize);
            let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
            for c in 0..channels {
                let at = |x: usize, y: usize| f32::from(r.pixels[(y * w + x) * channels + c]);
                let top = at(x0, y0) * (1.0 - fx) + at(x0 + 1, y0) * fx;
                let bottom = at(x0, y0 + 1) * (1.0 - fx) + at(x0 + 1, y0 + 1) * fx;
                out[(v * w + u) * channels + c] = (top * (1.0 - fy) + bottom * fy).round() as u8;
            }
        }
    }
    Raster { width: r.width, height: r.height, grey: r.grey, pixels: out }
}

/// The page turned clockwise by a quarter turn, a half or three quarters
/// (`degrees` 90, 180 or 270; anything else leaves it as it is).
pub fn turn_clockwise(r: &Raster, degrees: u16) -> Raster {
    let channels = if r.grey { 1 } else { 3 };
    let (w, h) = (r.width as usize, r.height as usize);
    let (nw, nh) = match degrees {
        90 | 270 => (h, w),
        180 => (w, h),
        _ => return r.clone(),
    };
    let mut out = vec![0u8; w * h * channels];
    for y in 0..h {
        for x in 0..w {
            let (nx, ny) = match degrees {
                90 => (h - 1 - y, x),
                180 => (w - 1 - x, h - 1 - y),
                _ => (y, w - 1 - x),
            };
            let from = (y * w + x) * channels;
            let to = (ny * nw + nx) * channels;
            out[to..to + channels].copy_from_slice(&r.pixels[from..from + channels]);
        }
    }
    Raster { width: nw as u32, height: nh as u32, grey: r.grey, pixels: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with dark "lines of text": dashed bars, as words on lines.
    fn page() -> Raster {
        let (w, h) = (1200u32, 1600u32);
        let mut pixels = vec![250u8; (w * h) as usize];
        for line in 0..20u32 {
            let top = 150 + line * 60;
            for y in top..top + 18 {
                for x in 150..1050u32 {
                    if (x / 40) % 4 != 3 {
                        pixels[(y * w + x) as usize] = 20;
                    }
                }
            }
        }
        Raster { width: w, height: h, grey: true, pixels }
    }

    #[test]
    fn an_upright_page_has_no_skew() {
        assert!(skew_degrees(&page()).abs() < 0.2);
    }

    #[test]
    fn a_tilted_page_s_skew_is_found_and_turning_it_back_straightens_it() {
        for tilt in [-7.0f32, -2.5, 4.0, 12.0] {
            let tilted = rotate(&page(), tilt);
            let found = skew_degrees(&tilted);
            assert!((found - tilt).abs() <= 0.3, "tilted {tilt}°, found {found}°");
            let straight = rotate(&tilted, -found);
            assert!(skew_degrees(&straight).abs() <= 0.3, "after turning back {tilt}°");
        }
    }

    #[test]
    fn the_corners_a_turn_brings_in_are_the_page_s_paper() {
        let grey = Raster { width: 400, height: 300, grey: false, pixels: [200u8, 190, 180].repeat(400 * 300) };
        let turned = rotate(&grey, 5.0);
        assert_eq!(&turned.pixels[..3], &[200, 190, 180], "the top left corner");
    }

    #[test]
    fn a_blank_page_and_a_black_page_have_nothing_to_go_by() {
        let blank = Raster { width: 300, height: 400, grey: true, pixels: vec![255; 300 * 400] };
        assert_eq!(skew_degrees(&blank), 0.0);
        let black = Raster { width: 300, height: 400, grey: true, pixels: vec![0; 300 * 400] };
        assert_eq!(skew_degrees(&black), 0.0);
    }

    #[test]
    fn quarter_turns_move_each_pixel_and_four_return_the_page() {
        // 3 × 2, RGB: each pixel's red is its index.
        let r = Raster { width: 3, height: 2, grey: false, pixels: (0..6).flat_map(|i| [i, 0, 0]).collect() };
        let q = turn_clockwise(&r, 90);
        assert_eq!((q.width, q.height), (2, 3));
        // Clockwise: the bottom-left pixel (3) comes to the top left.
        assert_eq!(q.pixels[0], 3);
        let half = turn_clockwise(&r, 180);
        assert_eq!(half.pixels[0], 5);
        let back = turn_clockwise(&turn_clockwise(&half, 90), 90);
        assert_eq!(back, r);
        assert_eq!(turn_clockwise(&r, 45), r);
    }

    #[test]
    fn pages_survive_encoding_and_decoding() {
        let r = page();
        let png = encode_png(&r, 300.0);
        let back = decode(&png).expect("decodes");
        assert_eq!(back, r);
        let header = crate::header::read(&png).expect("header");
        let (dpi, _) = header.dpi.expect("declared");
        assert!((dpi - 300.0).abs() < 0.5, "{header:?}");
        assert!(decode(b"not an image").is_err());
    }
}
