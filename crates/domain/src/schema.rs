//! How raw inputs (JSON bodies, forms, CSV rows) are described in the API's
//! documentation. A raw input keeps every field as text so that validation
//! can name every problem at once; its JSON schema says what each field's
//! parser accepts — the codes of a closed list, an identifier's pattern, a
//! date in either spelling — by pointing at the type the text becomes
//! (`#[schemars(with = "…")]`). Rules no schema can state (check digits, one
//! field against another, the person's age, what the registry holds) stay
//! with the validation, which answers them field by field.
use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::text;

/// The text of a `T`, or blank (empty or spaces) for "none".
pub struct OrBlank<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OrBlank<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("{}OrBlank", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<T>();
        json_schema!({ "anyOf": [value, { "type": "string", "pattern": "^\\s*$" }] })
    }
}

/// A date as `YYYY-MM-DD` or as Ukrainian documents write it, `dd.mm.yyyy`.
pub struct DateText;

impl JsonSchema for DateText {
    fn schema_name() -> Cow<'static, str> {
        "DateText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^\\s*([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}\\.[0-9]{2}\\.[0-9]{4})\\s*$",
            "description": "A date: `YYYY-MM-DD` or `dd.mm.yyyy`."
        })
    }
}

/// Free text for a printed document: it says something (a character that is
/// not a space), and only in characters documents print ([`crate::text`]).
pub struct Text;

/// The pattern of [`Text`].
fn text_pattern() -> String {
    format!("^[{all}]*[{seen}][{all}]*$", all = text::PRINTABLE, seen = text::PRINTABLE_NOT_SPACE)
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": text_pattern(),
            "description": "Text as printed on a document: Ukrainian or Latin letters, digits, usual punctuation."
        })
    }
}

/// [`Text`] of at most `MAX` characters.
pub struct TextUpTo<const MAX: usize>;

impl<const MAX: usize> JsonSchema for TextUpTo<MAX> {
    fn schema_name() -> Cow<'static, str> {
        format!("TextUpTo{MAX}").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": text_pattern(),
            "maxLength": MAX,
            "description": "Text as printed on a document: Ukrainian or Latin letters, digits, usual punctuation."
        })
    }
}

/// A decimal as text: up to `INT` digits, then up to `FRAC` after a point
/// (money and coefficients travel as strings, never as binary floats).
pub struct DecimalText<const INT: usize, const FRAC: usize>;

impl<const INT: usize, const FRAC: usize> JsonSchema for DecimalText<INT, FRAC> {
    fn schema_name() -> Cow<'static, str> {
        format!("Decimal{INT}x{FRAC}").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": format!("^[0-9]{{1,{INT}}}(\\.[0-9]{{1,{FRAC}}})?$"),
            "description": format!("A decimal number: up to {INT} digits, and up to {FRAC} after a point.")
        })
    }
}
