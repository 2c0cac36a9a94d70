//! Reading a page as the OCR workers do: put upright first ([`upright`]) —
//! its skew turned back past [`upright::MIN_CORRECTED_SKEW`], and, when it
//! then reads poorly, the quarter turn Tesseract's orientation detection asks
//! for (kept only if the page reads better) — then recognised.
use dossier_domain::digitization::PageText;

use crate::{OcrError, Raster, Segmentation, Tesseract, upright};

/// A page read: its words and, when it was turned first, the upright page
/// they were read on (the words' places are on it, not on the scan as given).
#[derive(Debug, Clone)]
pub struct PageRead {
    pub text: PageText,
    pub upright: Option<UprightPage>,
}

/// A page turned upright, as PNG at the scan's resolution.
#[derive(Debug, Clone)]
pub struct UprightPage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// What was done: "turned 180°, deskewed -4.2°".
    pub correction: String,
}

/// A page that reads this badly may be sideways or upside down: orientation
/// detection is asked then (it costs about a quarter of a recognition).
fn poorly_read(text: &PageText) -> bool {
    text.words().count() < 5 || text.confidence() < 50.0
}

/// How much a reading holds: its words weighted by their confidence.
fn weight(text: &PageText) -> f32 {
    text.confidence() * text.words().count() as f32
}

/// What was done to a page, for its record.
fn describe(turn: u16, skew: f32) -> String {
    let mut done = vec![];
    if turn != 0 {
        done.push(format!("turned {turn}°"));
    }
    if skew != 0.0 {
        done.push(format!("deskewed {skew:.1}°"));
    }
    done.join(", ")
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, OcrError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| OcrError::Failed(e.to_string()))
}

impl Tesseract {
    /// Puts the page (PNG, JPEG or TIFF, declared at `dpi`) upright and
    /// recognises it in `languages`. A page that cannot be decoded here goes
    /// to Tesseract as it is.
    pub async fn read_upright(&self, image: Vec<u8>, languages: &str, dpi: f32) -> Result<PageRead, OcrError> {
        let tess_dpi = dpi.round().clamp(70.0, 2400.0) as u32;
        let straightened = blocking(move || -> (Vec<u8>, Option<(Raster, f32)>) {
            let Ok(raster) = upright::decode(&image) else { return (image, None) };
            let skew = upright::skew_degrees(&raster);
            if skew.abs() < upright::MIN_CORRECTED_SKEW {
                return (image, Some((raster, 0.0)));
            }
            let raster = upright::rotate(&raster, -skew);
            (upright::encode_png(&raster, dpi), Some((raster, skew)))
        })
        .await?;
        let (mut bytes, decoded) = straightened;
        let mut text = self.recognise(&bytes, languages, Segmentation::Auto, tess_dpi).await?;
        let Some((mut raster, skew)) = decoded else { return Ok(PageRead { text, upright: None }) };
        let mut turn = 0;
        if poorly_read(&text)
            && let Ok(Some(quarter)) = self.orientation(&bytes, tess_dpi).await
        {
            let source = raster.clone();
            let (turned, png) = blocking(move || {
                let turned = upright::turn_clockwise(&source, quarter);
                let png = upright::encode_png(&turned, dpi);
                (turned, png)
            })
            .await?;
            if let Ok(again) = self.recognise(&png, languages, Segmentation::Auto, tess_dpi).await
                && weight(&again) > weight(&text)
            {
                (text, bytes, raster, turn) = (again, png, turned, quarter);
            }
        }
        let upright = (turn != 0 || skew != 0.0).then(|| UprightPage {
            png: bytes,
            width: raster.width,
            height: raster.height,
            correction: describe(turn, skew),
        });
        Ok(PageRead { text, upright })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_is_described_in_words() {
        assert_eq!(describe(180, -4.23), "turned 180°, deskewed -4.2°");
        assert_eq!(describe(0, 2.0), "deskewed 2.0°");
        assert_eq!(describe(90, 0.0), "turned 90°");
    }
}
