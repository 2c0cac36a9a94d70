//! TIFF pages decoded to 8-bit pixels, for the digitized document's PDF:
//! a PDF cannot embed a TIFF as it is (PNG and JPEG go in as they are).
//! The page's header has already passed the scan profile, so its size is
//! bounded before any pixel is decoded here.
use std::io::Cursor;

use tiff::ColorType;
use tiff::decoder::{Decoder, DecodingResult, Limits};

use crate::HeaderError;

/// A decoded page: 8 bits per sample, rows top to bottom, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// One sample per pixel (grey) or three (RGB).
    pub grey: bool,
    pub pixels: Vec<u8>,
}

/// Decodes the first image of a TIFF file: bilevel, grey or RGB at 1, 8 or
/// 16 bits (16-bit samples keep their high byte; alpha is dropped).
pub fn decode_tiff(bytes: &[u8]) -> Result<Raster, HeaderError> {
    let damaged = |e: tiff::TiffError| HeaderError::Damaged(e.to_string());
    let mut decoder = Decoder::new(Cursor::new(bytes)).map_err(damaged)?;
    // 40 M pixels × 3 samples × 2 bytes is the most a page the profile lets through can take.
    let mut limits = Limits::default();
    limits.decoding_buffer_size = 256 * 1024 * 1024;
    decoder = decoder.with_limits(limits);
    let (width, height) = decoder.dimensions().map_err(damaged)?;
    let colour = decoder.colortype().map_err(damaged)?;
    let image = decoder.read_image().map_err(damaged)?;
    let (grey, channels, keep) = match colour {
        ColorType::Gray(_) => (true, 1, 1),
        ColorType::GrayA(_) => (true, 2, 1),
        ColorType::RGB(_) => (false, 3, 3),
        ColorType::RGBA(_) => (false, 4, 3),
        other => return Err(HeaderError::Damaged(format!("unsupported colour type {other:?}"))),
    };
    let samples: Vec<u8> = match (image, colour) {
        (DecodingResult::U8(bits), ColorType::Gray(1)) => unpack_bits(&bits, width, height),
        (DecodingResult::U8(v), _) => v,
        (DecodingResult::U16(v), _) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        _ => return Err(HeaderError::Damaged("unsupported sample format".to_owned())),
    };
    let count = width as usize * height as usize;
    if samples.len() < count * channels {
        return Err(HeaderError::Damaged("fewer pixels than the header declares".to_owned()));
    }
    let pixels = if channels == keep {
        samples[..count * channels].to_vec()
    } else {
        samples.chunks_exact(channels).take(count).flat_map(|p| p[..keep].iter().copied()).collect()
    };
    Ok(Raster { width, height, grey, pixels })
}

/// One bit per pixel, rows padded to whole bytes, 1 = white (the decoder has
/// already turned WhiteIsZero round) → one byte per pixel.
fn unpack_bits(bits: &[u8], width: u32, height: u32) -> Vec<u8> {
    let row_bytes = (width as usize).div_ceil(8);
    let mut out = Vec::with_capacity(width as usize * height as usize);
    for row in bits.chunks(row_bytes).take(height as usize) {
        out.extend((0..width as usize).map(|x| {
            let bit = row.get(x / 8).is_some_and(|b| b & (0x80 >> (x % 8)) != 0);
            if bit { 255 } else { 0 }
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilevel_rows_unpack_to_one_byte_a_pixel_ignoring_the_padding() {
        // 10 pixels a row: two bytes, the last 6 bits padding.
        let bits = [0b1010_0000, 0b1100_0000, 0xFF, 0xFF];
        let out = unpack_bits(&bits, 10, 2);
        assert_eq!(&out[..10], &[255, 0, 255, 0, 0, 0, 0, 0, 255, 255]);
        assert_eq!(&out[10..], &[255; 10]);
    }

    #[test]
    fn bytes_that_are_not_a_tiff_are_damaged_not_a_panic() {
        for bytes in [&b"II*\0"[..], b"MM\0*\0\0\0\x08", b"II*\0\x08\0\0\0\x01\0"] {
            assert!(decode_tiff(bytes).is_err());
        }
    }
}
