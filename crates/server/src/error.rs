//! How a use case's refusal is answered over HTTP: each kind has its status
//! here, once; the API answers problem+json, the pages an error page — both
//! told in the request's language by the language layer.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dossier_app::{AppError, ErrorKind};
use dossier_http::Problem;

/// The HTTP status of each kind of refusal.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Upstream => StatusCode::BAD_GATEWAY,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The problem details of a refusal.
pub fn problem(e: AppError) -> Problem {
    Problem {
        status: status_of(e.kind),
        code: e.code,
        message: e.message,
        fields: e.fields,
        retry_after: e.retry_after,
    }
}

/// A refusal answered by the API.
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<T, ApiError>;

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

/// Every operation may be refused; the answer is problem+json.
impl aide::OperationOutput for ApiError {
    type Inner = ();

    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Vec<(Option<u16>, aide::openapi::Response)> {
        Problem::inferred_responses(ctx, operation)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        problem(self.0).into_response()
    }
}
