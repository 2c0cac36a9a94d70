//! Reading JSON request bodies the way JSON means them.
//!
//! JSON has one kind of number: `2.0` and `2` are the same value, and JSON
//! Schema counts both as an integer. Clients that write every number as a
//! double (and schema-driven test tools) send `"unit_id": 26101.0`, so a body
//! that does not fit its type as written is read again with every whole
//! number written as an integer. Errors name the field (`unit_id: invalid type…`).
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a JSON body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// The request does not say it is JSON.
    NotJson,
    /// Over the body limit (or cut short).
    TooLarge,
    /// Not JSON of the expected shape: which field, and why.
    Malformed(String),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::NotJson => f.write_str("expected application/json"),
            BodyError::TooLarge => f.write_str("the body is too large"),
            BodyError::Malformed(detail) => f.write_str(detail),
        }
    }
}

/// Reads a request's JSON body as a `T`.
pub async fn read<T: DeserializeOwned, S: Send + Sync>(req: Request, state: &S) -> Result<T, BodyError> {
    if !is_json(req.headers()) {
        return Err(BodyError::NotJson);
    }
    let body = Bytes::from_request(req, state).await.map_err(|_| BodyError::TooLarge)?;
    parse(&body).map_err(BodyError::Malformed)
}

/// Whether the request says its body is JSON (`application/json` or `application/…+json`).
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a body as a `T`; the error says which field is wrong and why.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let first = match serde_path_to_error::deserialize(&mut de) {
        // Trailing characters after the value make it malformed too.
        Ok(value) => match de.end() {
            Ok(()) => return Ok(value),
            Err(e) => e.to_string(),
        },
        Err(e) => describe(e),
    };
    // Read it again with whole numbers as integers, if that changes anything.
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else { return Err(first) };
    if !whole_numbers_as_integers(&mut value) {
        return Err(first);
    }
    serde_path_to_error::deserialize(value).map_err(describe)
}

fn describe(e: serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    if path == "." { e.into_inner().to_string() } else { format!("{path}: {}", e.into_inner()) }
}

/// Rewrites every float with no fractional part (within ±2⁵³, where doubles
/// are exact) as an integer; says whether it rewrote any.
fn whole_numbers_as_integers(value: &mut Value) -> bool {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() <= EXACT => {
                // In range and whole, so the conversion is exact.
                *value = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |changed, v| whole_numbers_as_integers(v) | changed),
        Value::Object(fields) => fields.values_mut().fold(false, |changed, v| whole_numbers_as_integers(v) | changed),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Body {
        unit_id: i64,
        ratio: Option<f64>,
        items: Vec<u32>,
    }

    #[test]
    fn whole_numbers_written_as_doubles_are_integers() {
        let body: Body =
            parse(br#"{"unit_id": 26101.0, "ratio": 2.0, "items": [1.0, 2]}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(body, Body { unit_id: 26101, ratio: Some(2.0), items: vec![1, 2] });
    }

    #[test]
    fn fractions_and_wrong_types_are_refused_with_the_field_named() {
        let e = parse::<Body>(br#"{"unit_id": 1.5, "items": []}"#).err().unwrap_or_default();
        assert!(e.starts_with("unit_id: invalid type: floating point"), "{e}");
        let e = parse::<Body>(br#"{"unit_id": "x", "items": []}"#).err().unwrap_or_default();
        assert!(e.starts_with("unit_id: invalid type: string"), "{e}");
        assert!(parse::<Body>(br#"{"unit_id": 1, "items": []} trailing"#).is_err());
        assert!(parse::<Body>(b"").is_err());
    }

    #[test]
    fn json_media_types() {
        let mut h = HeaderMap::new();
        assert!(!is_json(&h));
        for (ct, ok) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("application/problem+json", true),
            ("text/json", false),
            ("application/jsonx", false),
        ] {
            h.insert(header::CONTENT_TYPE, ct.parse().unwrap_or(header::HeaderValue::from_static("x")));
            assert_eq!(is_json(&h), ok, "{ct}");
        }
    }
}
