//! The document security store (`/DSS`, PAdES B-LT): adding validation data
//! in an incremental update, and reading it back.
use super::*;

/// Appends a revision that adds validation data to the document security
/// store (`/DSS` `/Certs`, `/CRLs` and `/OCSPs`, ETSI EN 319 142-1 §5.4.2): what a
/// verifier needs to check the signatures later without fetching anything
/// (PAdES B-LT once the signatures are B-T). Data already in the store is
/// not added twice.
pub fn add_dss(pdf: &[u8], data: &ValidationData) -> Result<Vec<u8>, PdfError> {
    let Update { doc, prev_xref, kind, root_id, next_id } = Update::open(pdf)?;
    let mut catalog = doc.get_dictionary(root_id).map_err(|_| PdfError::Malformed("no catalog"))?.clone();
    let existing = catalog.get(b"DSS").ok().cloned();
    let dss_id = match &existing {
        Some(Object::Reference(id)) if doc.get_dictionary(*id).is_ok() => Some(*id),
        _ => None,
    };
    let mut dss = deref_dict(&doc, existing.as_ref()).cloned().unwrap_or_default();
    let mut next = next_id;
    let parts = [(&b"Certs"[..], &data.certs), (b"CRLs", &data.crls), (b"OCSPs", &data.ocsps)];
    let mut out = Vec::with_capacity(pdf.len() + parts.iter().flat_map(|p| p.1).map(Vec::len).sum::<usize>() + 4096);
    out.extend_from_slice(pdf);
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets: BTreeMap<u32, (u16, usize)> = BTreeMap::new();
    for (key, items) in parts {
        let mut array: Vec<Object> = deref_array(&doc, dss.get(key).ok()).map(<[Object]>::to_vec).unwrap_or_default();
        let held: Vec<Vec<u8>> = array
            .iter()
            .filter_map(|o| match doc.dereference(o).ok()?.1 {
                Object::Stream(s) => Some(s.content.clone()),
                _ => None,
            })
            .collect();
        let mut added: Vec<&[u8]> = Vec::new();
        for item in items {
            if held.contains(item) || added.contains(&item.as_slice()) {
                continue;
            }
            added.push(item);
            let id = (next, 0);
            next = next.checked_add(1).filter(|n| *n < 8_388_607).ok_or(PdfError::Malformed("object numbers"))?;
            offsets.insert(id.0, (0, out.len()));
            let mut body = format!("<< /Length {} >>\nstream\n", item.len()).into_bytes();
            body.extend_from_slice(item);
            body.extend_from_slice(b"\nendstream");
            write_indirect(&mut out, id, &body);
            array.push(Object::Reference(id));
        }
        if !array.is_empty() {
            dss.set(key, array);
        }
    }
    let mut changed = Changed::default();
    match dss_id {
        Some(id) => changed.put(id, Object::Dictionary(dss))?,
        None => {
            catalog.set("DSS", dss);
            changed.put(root_id, Object::Dictionary(catalog))?;
        }
    }
    let xref_id = if kind == XrefKind::Stream {
        let id = (next, 0);
        next += 1;
        Some(id)
    } else {
        None
    };
    finish_revision(&mut out, &mut offsets, &changed, &doc.trailer, root_id, next, prev_xref, xref_id)?;
    Ok(out)
}

/// What a document's security store holds (DER).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationData {
    pub certs: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses (`OCSPResponse`, as fetched).
    pub ocsps: Vec<Vec<u8>>,
}

impl ValidationData {
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.crls.is_empty() && self.ocsps.is_empty()
    }
}

/// The certificates, CRLs and OCSP responses of the document security store, if any.
pub fn dss_contents(pdf: &[u8]) -> Result<ValidationData, PdfError> {
    dss_in(&load(pdf)?)
}

/// [`dss_contents`] of a document already parsed.
pub(crate) fn dss_in(doc: &Document) -> Result<ValidationData, PdfError> {
    let catalog = doc.catalog().map_err(|_| PdfError::Malformed("no catalog"))?;
    let Some(dss) = deref_dict(doc, catalog.get(b"DSS").ok()) else {
        return Ok(ValidationData::default());
    };
    let streams = |key: &[u8]| -> Vec<Vec<u8>> {
        deref_array(doc, dss.get(key).ok())
            .unwrap_or_default()
            .iter()
            .filter_map(|o| match doc.dereference(o).ok()?.1 {
                Object::Stream(s) => {
                    let mut s = s.clone();
                    // Writers may compress the stored DER.
                    let _ = s.decompress();
                    Some(s.content)
                }
                _ => None,
            })
            .collect()
    };
    Ok(ValidationData { certs: streams(b"Certs"), crls: streams(b"CRLs"), ocsps: streams(b"OCSPs") })
}
