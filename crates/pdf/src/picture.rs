//! Raster pictures placed on forms: the holder's photo and signature on the card back (form 5).
//!
//! A picture is checked when it is made (PNG or JPEG by content, a readable header with its
//! size), so a layout never meets bytes it cannot place. Pixels are decoded by krilla only when
//! the file is written, once per distinct picture however many pages show it.

use krilla::Data;
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};

use crate::PdfError;

/// A PNG or JPEG image, cheap to clone (shared bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    image: Image,
}

impl Picture {
    /// Reads `bytes` as PNG or JPEG (by content, not by a declared type). `place` names the field
    /// in the error ("photo", "signature"), never the content.
    pub fn new(bytes: Vec<u8>, place: &'static str) -> Result<Picture, PdfError> {
        let bad = || PdfError::BadPicture { place };
        let data = Data::from(bytes);
        // No /Interpolate: PDF/A forbids it (the viewer's scaling must not change the archive's look).
        let image = if data.as_ref().starts_with(b"\x89PNG\r\n\x1a\n") {
            Image::from_png(data, false).map_err(|_| bad())?
        } else if data.as_ref().starts_with(&[0xFF, 0xD8, 0xFF]) {
            Image::from_jpeg(data, false).map_err(|_| bad())?
        } else {
            return Err(bad());
        };
        let (w, h) = image.size();
        if w == 0 || h == 0 {
            return Err(bad());
        }
        Ok(Picture { image })
    }

    /// An image from decoded 8-bit pixels (rows top to bottom, one sample per pixel for
    /// `grey`, else three, RGB): for formats a PDF cannot hold as they are (TIFF pages).
    pub fn from_raster(
        width: u32,
        height: u32,
        grey: bool,
        pixels: Vec<u8>,
        place: &'static str,
    ) -> Result<Picture, PdfError> {
        let channels = if grey { 1 } else { 3 };
        // krilla panics on a length that disagrees with the size: refuse it here instead.
        if width == 0 || height == 0 || pixels.len() != width as usize * height as usize * channels {
            return Err(PdfError::BadPicture { place });
        }
        let raster = Raster { width, height, grey, pixels: std::sync::Arc::new(pixels) };
        let image = Image::from_custom(raster, false).map_err(|_| PdfError::BadPicture { place })?;
        Ok(Picture { image })
    }

    /// Width and height in pixels.
    pub fn pixels(&self) -> (u32, u32) {
        self.image.size()
    }

    pub(crate) fn image(&self) -> &Image {
        &self.image
    }
}

/// Decoded pixels as krilla takes them (shared, so cloning the picture copies no pixel).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Raster {
    width: u32,
    height: u32,
    grey: bool,
    pixels: std::sync::Arc<Vec<u8>>,
}

impl CustomImage for Raster {
    fn color_channel(&self) -> &[u8] {
        &self.pixels
    }

    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }

    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }

    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }

    fn color_space(&self) -> ImageColorspace {
        if self.grey { ImageColorspace::Luma } else { ImageColorspace::Rgb }
    }
}

/// The box a picture of `pixels` takes inside the field `(x, y, w, h)`: as large as fits with its
/// proportions kept, centred. A photo of the prescribed 25 × 30 proportions fills the field; any
/// other is neither stretched nor cut.
pub(crate) fn fit((x, y, w, h): (f32, f32, f32, f32), (pw, ph): (u32, u32)) -> (f32, f32, f32, f32) {
    let scale = (w / pw as f32).min(h / ph as f32);
    let (fw, fh) = (pw as f32 * scale, ph as f32 * scale);
    (x + (w - fw) / 2.0, y + (h - fh) / 2.0, fw, fh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_of_the_field_s_proportions_fills_it() {
        assert_eq!(fit((10.0, 20.0, 50.0, 60.0), (250, 300)), (10.0, 20.0, 50.0, 60.0));
    }

    #[test]
    fn a_wider_picture_is_centred_vertically_and_a_taller_one_horizontally() {
        let (x, y, w, h) = fit((0.0, 0.0, 100.0, 20.0), (400, 40));
        assert_eq!((x, w), (0.0, 100.0));
        assert!((h - 10.0).abs() < 1e-4 && (y - 5.0).abs() < 1e-4);
        let (x, y, w, h) = fit((0.0, 0.0, 100.0, 20.0), (10, 20));
        assert_eq!((y, h), (0.0, 20.0));
        assert!((w - 10.0).abs() < 1e-4 && (x - 45.0).abs() < 1e-4);
    }

    #[test]
    fn decoded_pixels_of_the_wrong_length_are_refused_not_a_panic() {
        assert!(Picture::from_raster(4, 2, true, vec![0; 8], "page").is_ok());
        assert!(Picture::from_raster(4, 2, false, vec![0; 8], "page").is_err());
        assert!(Picture::from_raster(0, 2, true, vec![], "page").is_err());
    }

    #[test]
    fn bytes_that_are_not_png_or_jpeg_are_refused_naming_the_field() {
        for bytes in [b"GIF89a....".to_vec(), vec![], b"\x89PNG\r\n\x1a\nbroken".to_vec()] {
            assert!(matches!(Picture::new(bytes, "photo"), Err(PdfError::BadPicture { place: "photo" })));
        }
    }
}
