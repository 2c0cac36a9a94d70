//! The pieces both services' OpenAPI documents are derived from.
//!
//! A route is registered with `aide`'s `api_route`, which builds the axum
//! route and its operation together from the handler's own signature: each
//! extractor says what it reads (path and query parameters, the body and its
//! media type, the credentials it needs) and each answer type says what it
//! answers (status, media type, schema). So the document cannot drift from
//! the handlers: changing a handler's types changes its documentation.
//!
//! Here: problem+json as every operation's `default` answer; JSON answers
//! under a status other than 200 ([`Created`], [`Either`]);
//! binary answers and bodies with their media types ([`Binary`], [`Upload`]);
//! serving the document; and the checks a document must pass.

use std::marker::PhantomData;

use aide::generate::GenContext;
use aide::openapi::{MediaType, OpenApi, Operation, RequestBody, Response as DocResponse, SchemaObject};
use aide::transform::TransformOpenApi;
use aide::{OperationInput, OperationOutput};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use bytes::Bytes;
use dossier_domain::Message;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::problem::{Problem, ProblemDetails};

/// Where each service serves its document.
pub const DOCUMENT_PATH: &str = "/api/openapi.json";

/// A documented answer: its description and its content by media type.
pub fn answer(description: &str, content: IndexMap<String, MediaType>) -> DocResponse {
    DocResponse { description: description.into(), content, ..Default::default() }
}

/// Content of one media type with the given schema.
pub fn content(media_type: &str, json_schema: schemars::Schema) -> IndexMap<String, MediaType> {
    let schema = SchemaObject { json_schema, example: None, external_docs: None };
    IndexMap::from_iter([(media_type.into(), MediaType { schema: Some(schema), ..Default::default() })])
}

/// Content of one JSON media type with `T`'s schema.
pub fn json_content<T: JsonSchema>(ctx: &mut GenContext, media_type: &str) -> IndexMap<String, MediaType> {
    content(media_type, ctx.schema.subschema_for::<T>())
}

/// Content of raw bytes under each of `types`.
pub fn binary_content(types: &[&str]) -> IndexMap<String, MediaType> {
    types.iter().flat_map(|t| content(t, schemars::json_schema!({ "type": "string", "format": "binary" }))).collect()
}

/// The answer of every refusal: problem+json.
pub fn problem_answer(ctx: &mut GenContext, description: &str) -> DocResponse {
    answer(description, json_content::<ProblemDetails>(ctx, "application/problem+json"))
}

impl OperationOutput for Problem {
    type Inner = ();

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<DocResponse> {
        Some(problem_answer(ctx, "Refused: the problem's `code` says why"))
    }

    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        Self::operation_response(ctx, op).map(|r| vec![(None, r)]).unwrap_or_default()
    }
}

/// 201 Created, with what was created.
pub struct Created<T>(pub T);

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn json_answer<T: JsonSchema>(ctx: &mut GenContext) -> DocResponse {
    let content = json_content::<T>(ctx, "application/json");
    let description = description_of::<T>(ctx);
    answer(&description, content)
}

/// A schema's description (its doc comment), for the answer that carries it.
fn description_of<T: JsonSchema>(ctx: &mut GenContext) -> String {
    let schema = ctx.schema.subschema_for::<T>();
    let resolved = ctx.resolve_schema(&schema);
    resolved.get("description").and_then(Value::as_str).unwrap_or("The answer").to_owned()
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self.0)).into_response()
    }
}

impl<T: JsonSchema> OperationOutput for Created<T> {
    type Inner = T;

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<DocResponse> {
        Some(json_answer::<T>(ctx))
    }

    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        Self::operation_response(ctx, op).map(|r| vec![(Some(201), r)]).unwrap_or_default()
    }
}

/// A JSON answer under one of two statuses, both documented: e.g. 201 when a
/// batch was submitted and 200 when it already had been.
pub enum Either<const A: u16, const B: u16, T> {
    First(T),
    Second(T),
}

impl<const A: u16, const B: u16, T: Serialize> IntoResponse for Either<A, B, T> {
    fn into_response(self) -> Response {
        match self {
            Either::First(t) => (status(A), Json(t)).into_response(),
            Either::Second(t) => (status(B), Json(t)).into_response(),
        }
    }
}

impl<const A: u16, const B: u16, T: JsonSchema> OperationOutput for Either<A, B, T> {
    type Inner = T;

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<DocResponse> {
        Some(json_answer::<T>(ctx))
    }

    fn inferred_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(A), json_answer::<T>(ctx)), (Some(B), json_answer::<T>(ctx))]
    }
}

/// The media types of a kind of binary content.
pub trait Media {
    /// The types it may come as; the first is the one answers default to.
    const TYPES: &'static [&'static str];
    const DESCRIPTION: &'static str;
    /// Whether the server judges an upload by its bytes (a picture's or a PDF's
    /// signature), not its label: then any `Content-Type` is taken.
    const BY_CONTENT: bool = true;
}

/// Declares a [`Media`] marker type (`by_content = false` when uploads must
/// be labelled with one of its types).
#[macro_export]
macro_rules! media {
    ($(#[$m:meta])* $name:ident, [$($t:literal),+], $about:literal) => {
        $crate::media!($(#[$m])* $name, [$($t),+], $about, by_content = true);
    };
    ($(#[$m:meta])* $name:ident, [$($t:literal),+], $about:literal, by_content = $by_content:literal) => {
        $(#[$m])*
        pub struct $name;
        impl $crate::openapi::Media for $name {
            const TYPES: &'static [&'static str] = &[$($t),+];
            const DESCRIPTION: &'static str = $about;
            const BY_CONTENT: bool = $by_content;
        }
    };
}

media!(Pdf, ["application/pdf"], "A PDF document");
media!(Image, ["image/jpeg", "image/png"], "A JPEG or PNG picture");
media!(Scan, ["image/png", "image/jpeg", "image/tiff"], "A scanned page: PNG, JPEG or TIFF");
media!(Csv, ["text/csv"], "CSV with a header row, UTF-8", by_content = false);
media!(PlainText, ["text/plain; charset=utf-8"], "Plain text");
media!(Pem, ["application/x-pem-file"], "A PEM-encoded certificate");
media!(Crl, ["application/pkix-crl"], "A DER-encoded certificate revocation list (RFC 5280)");
media!(TimestampQuery, ["application/timestamp-query"], "An RFC 3161 time-stamp request (DER)");
media!(TimestampReply, ["application/timestamp-reply"], "An RFC 3161 time-stamp response (DER)");
media!(OcspRequest, ["application/ocsp-request"], "An OCSP request (RFC 6960, DER)");
media!(OcspResponse, ["application/ocsp-response"], "An OCSP response (RFC 6960, DER)");

/// Bytes answered as one of `M`'s media types.
pub struct Binary<M> {
    response: Response,
    media: PhantomData<M>,
}

impl<M: Media> Binary<M> {
    /// Answers `bytes` under `M`'s first media type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self::typed(bytes, M::TYPES[0])
    }

    /// Answers `bytes` under `content_type` (one of `M`'s, for stored content).
    pub fn typed(bytes: impl Into<Bytes>, content_type: &str) -> Self {
        let mut response = bytes.into().into_response();
        if let Ok(v) = HeaderValue::from_str(content_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        Binary { response, media: PhantomData }
    }

    /// Adds a header (caching, the file's name, an entity tag).
    pub fn header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.response.headers_mut().insert(name, v);
        }
        self
    }

    /// A PDF shown inline under `name`.
    pub fn inline(self, name: &str) -> Self {
        self.header(header::CONTENT_DISPOSITION, &format!("inline; filename=\"{name}\""))
    }
}

impl<M> IntoResponse for Binary<M> {
    fn into_response(self) -> Response {
        self.response
    }
}

impl<M: Media> OperationOutput for Binary<M> {
    type Inner = ();

    fn operation_response(_: &mut GenContext, _: &mut Operation) -> Option<DocResponse> {
        Some(answer(M::DESCRIPTION, binary_content(M::TYPES)))
    }

    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        Self::operation_response(ctx, op).map(|r| vec![(Some(200), r)]).unwrap_or_default()
    }
}

/// A request body of raw bytes, documented as `M`'s media types (and as
/// `application/octet-stream` when the server goes by the bytes); a body
/// over the limit, or one not labelled as `M` when the server goes by the
/// label, is refused as problem+json. `REQUIRED = false` documents that an
/// empty body is an answerable request too.
pub struct Upload<M, const REQUIRED: bool = true> {
    pub bytes: Bytes,
    media: PhantomData<M>,
}

impl<M: Media, const REQUIRED: bool, S: Send + Sync> FromRequest<S> for Upload<M, REQUIRED> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !M::BY_CONTENT && !labelled_as(&req, M::TYPES) {
            let m =
                Message::new("common.unsupported_media").with("detail", format!("expected {}", M::TYPES.join(", ")));
            return Err(Problem::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", m));
        }
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Upload { bytes, media: PhantomData }),
            Err(_) => Err(Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "common.payload_too_large")),
        }
    }
}

/// Whether the request's `Content-Type`, parameters aside, is one of `types`'.
fn labelled_as(req: &Request, types: &[&str]) -> bool {
    let essence = |t: &str| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let label = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(essence);
    label.is_some_and(|l| types.iter().any(|t| essence(t) == l))
}

impl<M: Media, const REQUIRED: bool> OperationInput for Upload<M, REQUIRED> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let mut types = M::TYPES.to_vec();
        if M::BY_CONTENT {
            types.push("application/octet-stream");
        }
        let body = RequestBody {
            description: Some(M::DESCRIPTION.into()),
            content: binary_content(&types),
            required: REQUIRED,
            extensions: IndexMap::default(),
        };
        aide::operation::set_body(ctx, operation, body);
    }
}

/// Builds the router and its document together from `build`'s routes.
pub fn generate<S>(
    build: impl FnOnce() -> aide::axum::ApiRouter<S>,
    describe: impl FnOnce(TransformOpenApi) -> TransformOpenApi,
) -> (Router<S>, Value)
where
    S: Clone + Send + Sync + 'static,
{
    let mut doc = OpenApi::default();
    let router = build().finish_api_with(&mut doc, describe);
    let mut doc = serde_json::to_value(&doc).unwrap_or_default();
    state_formats(&mut doc);
    (router, doc)
}

/// [`generate`], and serves the document at [`DOCUMENT_PATH`].
pub fn finish<S>(
    build: impl FnOnce() -> aide::axum::ApiRouter<S>,
    describe: impl FnOnce(TransformOpenApi) -> TransformOpenApi,
) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let (router, doc) = generate(build, describe);
    // Kept as the bytes it is served as: the document as a `Value` took about
    // 2 MB of an idle server's memory and was serialized again for each request.
    let body = Bytes::from(serde_json::to_vec(&doc).unwrap_or_default());
    router.route(
        DOCUMENT_PATH,
        axum::routing::get(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    )
}

/// JSON Schema's formats are annotations a validator may ignore, so every
/// schema in the document with a format the API uses also states it: the
/// pattern of a date or an id, the range of a fixed-size integer.
fn state_formats(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            let range: Option<(i128, i128)> = match fields.get("format").and_then(Value::as_str) {
                Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
                Some("int64") => Some((i64::MIN.into(), i64::MAX.into())),
                Some("uint8") => Some((0, u8::MAX.into())),
                Some("uint16") => Some((0, u16::MAX.into())),
                Some("uint32") => Some((0, u32::MAX.into())),
                Some("uint64") => Some((0, u64::MAX.into())),
                _ => None,
            };
            if let Some((min, max)) = range {
                let number = |n: i128| serde_json::Number::from_i128(n).map_or(Value::Null, Value::Number);
                fields.entry("minimum").or_insert_with(|| number(min));
                fields.entry("maximum").or_insert_with(|| number(max));
            }
            let pattern = match fields.get("format").and_then(Value::as_str) {
                Some("date") => Some("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"),
                Some("date-time") => {
                    Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")
                }
                Some("uuid") => Some("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
                _ => None,
            };
            if let Some(pattern) = pattern {
                fields.entry("pattern").or_insert_with(|| pattern.into());
            }
            fields.values_mut().for_each(state_formats);
        }
        Value::Array(items) => items.iter_mut().for_each(state_formats),
        _ => {}
    }
}

/// What every operation of a document must have, as the services' tests
/// assert it: a summary, a success answer, and a parameter for each `{name}`
/// of its path. Returns what is missing. (Whether the refusals it documents
/// are the ones it gives is schemathesis's part, in CI.)
pub fn check_document(doc: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let paths = doc.get("paths").and_then(Value::as_object).cloned().unwrap_or_default();
    if paths.is_empty() {
        problems.push("the document has no paths".into());
    }
    for (path, item) in &paths {
        let names: Vec<&str> = path.split('{').skip(1).filter_map(|p| p.split('}').next()).collect();
        for (method, op) in item.as_object().into_iter().flatten() {
            let label = format!("{} {path}", method.to_uppercase());
            if op.get("summary").and_then(Value::as_str).is_none_or(str::is_empty) {
                problems.push(format!("{label}: no summary"));
            }
            let responses = op.get("responses").and_then(Value::as_object).cloned().unwrap_or_default();
            if !responses.keys().any(|k| k.starts_with('2')) {
                problems.push(format!("{label}: no success answer"));
            }
            let params = op.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
            for name in &names {
                let documented = params.iter().any(|p| p["in"] == "path" && p["name"] == *name);
                if !documented {
                    problems.push(format!("{label}: path parameter {name} undocumented"));
                }
            }
        }
    }
    problems
}
