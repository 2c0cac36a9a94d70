//! Drawn pictures for the demo's people: a portrait in the card's 25 × 30 proportions (the face
//! about three quarters of its height, as form 5 asks) and a signature scribble, so dossiers and
//! card backs show real images without shipping a photograph of anyone. Each is drawn from the
//! person's serial, so a demo looks the same every time.
use anyhow::{Context, Result};
use dossier_store::blobs::BlobStore;
use dossier_store::{Actor, NewDocument, Store};
use uuid::Uuid;

const PHOTO: (u32, u32) = (250, 300);
const SIGNATURE: (u32, u32) = (400, 64);

/// A small deterministic generator (SplitMix64): pictures must not depend on the demo's RNG
/// sequence, which seeds the people themselves.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn encode(width: u32, height: u32, colour: png::ColorType, pixels: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("PNG header")?;
    writer.write_image_data(pixels).context("PNG data")?;
    writer.finish().context("PNG end")?;
    Ok(out)
}

/// Inside the ellipse centred at `(cx, cy)` with radii `(rx, ry)`.
fn inside(x: f32, y: f32, (cx, cy): (f32, f32), (rx, ry): (f32, f32)) -> bool {
    let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
    dx * dx + dy * dy <= 1.0
}

/// A head-and-shoulders silhouette on a plain light background (RGB PNG, 250 × 300).
pub fn portrait(seed: u64) -> Result<Vec<u8>> {
    let r = mix(seed);
    let pick = |shift: u32, palette: &[[u8; 3]]| palette[((r >> shift) as usize) % palette.len()];
    let skin = pick(0, &[[236, 200, 170], [224, 182, 150], [198, 150, 115], [242, 212, 186]]);
    let hair = pick(8, &[[60, 45, 35], [120, 90, 60], [180, 180, 180], [30, 30, 30], [200, 170, 120]]);
    let cloth = pick(16, &[[40, 60, 110], [90, 40, 50], [50, 90, 70], [70, 70, 80]]);
    let background = [226, 232, 238];
    let (w, h) = PHOTO;
    let head = ((w / 2) as f32, 118.0);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            let colour = if inside(fx, fy, head, (74.0, 96.0)) {
                // Hair over the top of the head, the face below.
                if fy < head.1 - 52.0 || inside(fx, fy, (head.0, head.1 - 70.0), (80.0, 40.0)) { hair } else { skin }
            } else if inside(fx, fy, (head.0, 330.0), (125.0, 110.0)) {
                cloth
            } else if inside(fx, fy, (head.0, 230.0), (30.0, 40.0)) {
                skin // the neck
            } else {
                background
            };
            pixels.extend_from_slice(&colour);
        }
    }
    encode(w, h, png::ColorType::Rgb, &pixels)
}

/// A handwritten-looking stroke, dark on white (greyscale PNG, 400 × 64).
pub fn signature(seed: u64) -> Result<Vec<u8>> {
    let r = mix(seed ^ 0x5157);
    let (w, h) = SIGNATURE;
    let mut pixels = vec![255u8; (w * h) as usize];
    let loops = 3.0 + (r % 4) as f32;
    let phase = ((r >> 8) % 628) as f32 / 100.0;
    let slant = 0.25 + ((r >> 16) % 30) as f32 / 100.0;
    let steps = 4000;
    for i in 0..steps {
        let t = i as f32 / steps as f32;
        // Loops riding on a rising baseline, fading out at the end of the stroke.
        let envelope = (1.0 - t).powf(0.6);
        let y0 = 40.0 - 10.0 * t + 16.0 * envelope * (t * loops * std::f32::consts::TAU + phase).sin();
        let x0 = 20.0 + 350.0 * t + 10.0 * (t * loops * std::f32::consts::TAU + phase).cos() + slant * (40.0 - y0);
        // A pen about 2.5 px wide.
        for dy in -1i32..=1 {
            for dx in -1i32..=1 {
                let (x, y) = (x0.round() as i32 + dx, y0.round() as i32 + dy);
                if (0..w as i32).contains(&x) && (0..h as i32).contains(&y) {
                    pixels[(y as u32 * w + x as u32) as usize] = 25;
                }
            }
        }
    }
    encode(w, h, png::ColorType::Grayscale, &pixels)
}

/// Gives a demo person a photo and a specimen signature, as an office would on the dossier.
pub async fn attach(store: &dyn Store, blobs: &BlobStore, actor: &Actor, person_id: Uuid, seed: u64) -> Result<()> {
    for (kind, bytes) in [("photo", portrait(seed)?), ("signature", signature(seed)?)] {
        let blob = blobs.put(&bytes).await?;
        let doc = NewDocument {
            person_id: Some(person_id),
            kind: kind.into(),
            content_type: "image/png".into(),
            sha256: blob.sha256,
            size: blob.size,
            source: "demo".into(),
        };
        store.add_document(actor, doc, kind == "photo").await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_pictures_pass_the_checks_an_upload_passes() {
        use dossier_app::pictures::{PictureKind, check_picture};
        for seed in 0..5 {
            assert_eq!(check_picture(PictureKind::Photo, &portrait(seed).unwrap(), 1 << 21), Ok("image/png"));
            assert_eq!(check_picture(PictureKind::Signature, &signature(seed).unwrap(), 1 << 21), Ok("image/png"));
        }
        assert_ne!(signature(1).unwrap(), signature(2).unwrap(), "each person signs differently");
    }
}
