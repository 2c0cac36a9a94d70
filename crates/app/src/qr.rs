//! QR codes of the links Dossier prints and shows: a status link on a
//! receipt, a statement's verification code, a ticket's page. Medium error
//! correction everywhere: a paper gets folded and creased, a screen glares.

/// A QR code of `text` as the PDF draws it.
pub(crate) fn matrix(text: &str) -> Option<dossier_pdf::Matrix> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some(dossier_pdf::Matrix { width: code.width(), dark })
}

/// A QR code of `text` as an SVG for a screen (a phone held up to it).
pub(crate) fn svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(176, 176).quiet_zone(true).build())
}
