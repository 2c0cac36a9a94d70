//! Serialising PDF objects, cross-reference tables and streams for the
//! incremental updates this module appends.
use super::*;

/// Writes the signature dictionary as object `number`; returns the offsets of
/// the `/ByteRange` placeholder's `[` and of the `/Contents` `<`.
pub(super) fn write_signature_dict(out: &mut Vec<u8>, number: u32, req: &SignatureRequest) -> (usize, usize) {
    let timestamp = req.sub_filter == SubFilter::EtsiRfc3161;
    out.extend_from_slice(format!("{number} 0 obj\n<<\n").as_bytes());
    out.extend_from_slice(if timestamp { b"/Type /DocTimeStamp\n" } else { b"/Type /Sig\n" });
    out.extend_from_slice(
        format!("/Filter /Adobe.PPKLite\n/SubFilter /{}\n/ByteRange ", req.sub_filter.name()).as_bytes(),
    );
    let range_at = out.len();
    let zeros = "0".repeat(BYTE_RANGE_DIGITS);
    let placeholder = format!("[0 {zeros} {zeros} {zeros}]");
    debug_assert_eq!(placeholder.len(), BYTE_RANGE_WIDTH);
    out.extend_from_slice(placeholder.as_bytes());
    out.extend_from_slice(b"\n/Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', 2 * req.reserve));
    out.extend_from_slice(b">\n");
    if let Some(mdp) = req.certify.filter(|_| !timestamp) {
        out.extend_from_slice(
            format!(
                "/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P {} /V /1.2 >> >>]\n",
                mdp.p()
            )
            .as_bytes(),
        );
    }
    if !timestamp {
        if let Some(time) = &req.signing_time {
            out.extend_from_slice(b"/M ");
            write_literal(out, time.as_str().as_bytes());
            out.push(b'\n');
        }
        for (key, value) in [("Name", &req.signer_name), ("Reason", &req.reason), ("Location", &req.location)] {
            if let Some(value) = value {
                out.extend_from_slice(format!("/{key} ").as_bytes());
                write_text_string(out, value);
                out.push(b'\n');
            }
        }
    }
    out.extend_from_slice(b">>\nendobj\n");
    (range_at, contents_at)
}

pub(super) fn write_indirect(out: &mut Vec<u8>, id: ObjectId, body: &[u8]) {
    out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendobj\n");
}

/// Consecutive runs of object numbers: (first, count).
pub(super) fn runs(numbers: impl Iterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for n in numbers {
        match runs.last_mut() {
            Some((first, count)) if first.checked_add(*count) == Some(n) => *count += 1,
            _ => runs.push((n, 1)),
        }
    }
    runs
}

pub(super) fn write_xref_table(out: &mut Vec<u8>, offsets: &BTreeMap<u32, (u16, usize)>, trailer: &Dictionary) {
    out.extend_from_slice(b"xref\n");
    for (first, count) in runs(offsets.keys().copied()) {
        out.extend_from_slice(format!("{first} {count}\n").as_bytes());
        for n in first..first + count {
            if let Some((generation, offset)) = offsets.get(&n) {
                out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes());
            }
        }
    }
    out.extend_from_slice(b"trailer\n");
    write_object(out, &Object::Dictionary(trailer.clone()));
    out.push(b'\n');
}

pub(super) fn write_xref_stream(
    out: &mut Vec<u8>,
    id: ObjectId,
    offsets: &mut BTreeMap<u32, (u16, usize)>,
    mut dict: Dictionary,
) {
    offsets.insert(id.0, (id.1, out.len()));
    let max_offset = offsets.values().map(|(_, o)| *o).max().unwrap_or(0);
    let width = (1..=8usize).find(|w| *w == 8 || max_offset >> (8 * w) == 0).unwrap_or(8);
    let mut data = Vec::with_capacity(offsets.len() * (width + 3));
    for (generation, offset) in offsets.values() {
        data.push(1);
        data.extend_from_slice(&(*offset as u64).to_be_bytes()[8 - width..]);
        data.extend_from_slice(&generation.to_be_bytes());
    }
    let index: Vec<Object> =
        runs(offsets.keys().copied()).into_iter().flat_map(|(f, c)| [Object::from(f), Object::from(c)]).collect();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("W", vec![Object::from(1), Object::from(width as i64), Object::from(2)]);
    dict.set("Index", index);
    dict.set("Length", data.len() as i64);
    let mut body = Vec::new();
    write_object(&mut body, &Object::Dictionary(dict));
    body.extend_from_slice(b"\nstream\n");
    body.extend_from_slice(&data);
    body.extend_from_slice(b"\nendstream");
    write_indirect(out, id, &body);
}

/// Serialises a parsed object (dictionaries keep their key order).
pub(super) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let text = if r.is_finite() { r.to_string() } else { "0".to_owned() };
            out.extend_from_slice(text.as_bytes());
        }
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Literal) => write_literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => write_hex(out, bytes),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dict(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", stream.content.len() as i64);
            write_dict(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((n, g)) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}

pub(super) fn write_dict(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        out.push(b' ');
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b" >>");
}

pub(super) fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if (0x21..=0x7e).contains(&b) && !b"#()<>[]{}/%".contains(&b) {
            out.push(b);
        } else {
            out.push(b'#');
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        }
    }
}

/// A string as a literal `(…)` when it is printable ASCII, else as `<hex>`.
pub(crate) fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    if !bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        write_hex(out, bytes);
        return;
    }
    out.push(b'(');
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
}

pub(super) fn write_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'<');
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0x0f)]);
    }
    out.push(b'>');
}

/// A text string: printable ASCII as an escaped literal, anything else as
/// UTF-16BE with a byte-order mark (written in hex so no byte needs escaping).
pub(crate) fn write_text_string(out: &mut Vec<u8>, text: &str) {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        write_literal(out, text.as_bytes());
    } else {
        let mut bytes = vec![0xfe, 0xff];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        write_hex(out, &bytes);
    }
}
