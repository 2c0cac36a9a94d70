//! The scan profile a page must meet before it is recognised (SPEC §2.5, §9:
//! at least 200 dpi, colour or greyscale as the office configures, readable),
//! and the limits that keep a hostile file from exhausting a worker.
use crate::i18n::Message;

/// What a decoder learned about one page image, before decoding its pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    /// Horizontal and vertical resolution as the file declares it; `None` when it declares none.
    pub dpi: Option<(f32, f32)>,
    pub colour: ColourMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColourMode {
    /// One bit per pixel: a fax-like scan that loses stamps and signatures.
    Bilevel,
    Greyscale,
    Colour,
}

/// Which pages an office accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColourPolicy {
    /// Colour only (Decision 1333's practice: seals and signatures keep their colour).
    Colour,
    /// Colour or greyscale.
    ColourOrGreyscale,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanProfile {
    pub min_dpi: f32,
    pub colour: ColourPolicy,
    /// The largest page accepted, in pixels (width × height): A4 at 600 dpi is ≈ 35 M.
    pub max_pixels: u64,
    /// The longest side accepted, in pixels.
    pub max_side: u32,
    /// The fewest pixels on the shorter side: anything smaller holds no readable text.
    pub min_side: u32,
}

impl Default for ScanProfile {
    fn default() -> Self {
        ScanProfile {
            min_dpi: 200.0,
            colour: ColourPolicy::ColourOrGreyscale,
            max_pixels: 40_000_000,
            max_side: 10_000,
            min_side: 400,
        }
    }
}

/// Tolerance for resolutions written as rounded metric values (a PNG stores
/// pixels per metre: 200 dpi is 7 874 px/m, which reads back as 199.99 dpi).
const DPI_TOLERANCE: f32 = 0.5;

impl ScanProfile {
    /// Whether the page may be decoded at all: checked from its header, before
    /// any pixel is allocated, so an image bomb costs nothing.
    pub fn admit(&self, page: &PageImage) -> Result<(), Message> {
        let (w, h) = (page.width, page.height);
        if u64::from(w) * u64::from(h) > self.max_pixels || w.max(h) > self.max_side {
            return Err(Message::new("scan.too_large").with("max", self.max_side));
        }
        if w.min(h) < self.min_side {
            return Err(Message::new("scan.too_small"));
        }
        Ok(())
    }

    /// Whether the page meets the profile: resolution and colour.
    pub fn check(&self, page: &PageImage) -> Result<(), Message> {
        self.admit(page)?;
        match page.dpi {
            None => return Err(Message::new("scan.no_resolution").with("min", self.min_dpi)),
            Some((x, y)) if x.min(y) + DPI_TOLERANCE < self.min_dpi => {
                return Err(Message::new("scan.low_resolution")
                    .with("dpi", x.min(y).round())
                    .with("min", self.min_dpi));
            }
            Some(_) => {}
        }
        let refused = matches!(
            (self.colour, page.colour),
            (_, ColourMode::Bilevel) | (ColourPolicy::Colour, ColourMode::Greyscale)
        );
        if refused {
            let key = match self.colour {
                ColourPolicy::Colour => "scan.needs_colour",
                ColourPolicy::ColourOrGreyscale => "scan.needs_grey",
            };
            return Err(Message::new(key));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a4(dpi: f32, colour: ColourMode) -> PageImage {
        let (w, h) = ((8.27 * dpi) as u32, (11.69 * dpi) as u32);
        PageImage { width: w, height: h, dpi: Some((dpi, dpi)), colour }
    }

    #[test]
    fn spec_2_5_scans_are_at_least_200_dpi() {
        let p = ScanProfile::default();
        assert_eq!(p.check(&a4(300.0, ColourMode::Colour)), Ok(()));
        assert_eq!(p.check(&a4(200.0, ColourMode::Greyscale)), Ok(()));
        assert_eq!(p.check(&a4(199.99, ColourMode::Colour)), Ok(()), "200 dpi stored as pixels per metre");
        assert_eq!(p.check(&a4(150.0, ColourMode::Colour)).unwrap_err().key, "scan.low_resolution");
        let undeclared = PageImage { dpi: None, ..a4(300.0, ColourMode::Colour) };
        assert_eq!(p.check(&undeclared).unwrap_err().key, "scan.no_resolution");
        let anisotropic = PageImage { dpi: Some((300.0, 150.0)), ..a4(300.0, ColourMode::Colour) };
        assert_eq!(p.check(&anisotropic).unwrap_err().key, "scan.low_resolution");
    }

    #[test]
    fn spec_2_5_colour_or_greyscale_as_the_office_configures() {
        let grey_ok = ScanProfile::default();
        assert_eq!(grey_ok.check(&a4(300.0, ColourMode::Bilevel)).unwrap_err().key, "scan.needs_grey");
        let colour_only = ScanProfile { colour: ColourPolicy::Colour, ..ScanProfile::default() };
        assert_eq!(colour_only.check(&a4(300.0, ColourMode::Greyscale)).unwrap_err().key, "scan.needs_colour");
        assert_eq!(colour_only.check(&a4(300.0, ColourMode::Colour)), Ok(()));
    }

    #[test]
    fn huge_and_tiny_pages_are_refused_from_their_header() {
        let p = ScanProfile::default();
        let bomb = PageImage { width: 10_000, height: 10_000, dpi: Some((300.0, 300.0)), colour: ColourMode::Colour };
        assert_eq!(p.admit(&bomb).unwrap_err().key, "scan.too_large");
        let long = PageImage { width: 20_000, height: 1_000, ..bomb };
        assert_eq!(p.admit(&long).unwrap_err().key, "scan.too_large");
        let stamp = PageImage { width: 120, height: 90, ..bomb };
        assert_eq!(p.admit(&stamp).unwrap_err().key, "scan.too_small");
        assert_eq!(p.admit(&a4(600.0, ColourMode::Colour)), Ok(()), "A4 at 600 dpi fits");
    }
}
