"""The HTTP layer's one error edge: every failure becomes `{"error", "status", "parameter"}` JSON
under /api/ and /healthz, or the error page for the HTML pages. Tracebacks are logged, never sent.

* ParameterError     a request parameter failed a check the route makes itself (.parameter)
* UnavailableError   no usable index (.detail for the log, .public for the client)

Statuses: a bad parameter 422 (FastAPI validation, ParameterError, EmptyQueryError); a filter
value no record can have 400 (InvalidFilterError, other RagError); no usable index 503
(StoreError, UnavailableError); HTTPException as raised (404, 413, 429, ...); anything else 500.
A 503 or 500 names a request id and says nothing else of the server (no paths, no library
messages): what went wrong is logged under that id, for whoever runs the server.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from api.schemas import ErrorOut
from api.templating import templates
from index.errors import StoreError
from rag.errors import EmptyQueryError, InvalidFilterError, RagError

log = logging.getLogger(__name__)

JSON_PATHS = ("/api/", "/healthz", "/openapi.json")
TITLES = {
    400: "Please check your search",
    404: "Not found",
    413: "Request too large",
    422: "Please check your search",
    429: "Too many requests",
    500: "Something went wrong",
    503: "Search is not available yet",
}


class ParameterError(ValueError):
    """A request parameter failed a check: names the parameter and what was expected."""

    def __init__(self, parameter: str, message: str, status: int = 422) -> None:
        self.parameter = parameter
        self.status = status
        super().__init__(f"{parameter}: {message}")


class UnavailableError(Exception):
    """No usable index: `detail` (paths, library messages) is logged, `public` is answered."""

    def __init__(self, detail: str, public: str) -> None:
        self.detail = detail
        self.public = public
        super().__init__(detail)


UNREADABLE_INDEX = "search is not available: the index cannot be used"
REQUEST_ID = "X-Request-ID"


def register_error_handler(app: FastAPI) -> None:
    """Route the errors we expect to `handle_exception` (replacing FastAPI's two defaults).

    Unexpected exceptions reach it through `api.middleware.UnexpectedErrorMiddleware`: an
    `Exception` handler registered here would run in Starlette's outermost middleware, which
    re-raises after replying and answers outside our middleware (without security headers).
    """
    kinds = (HTTPException, RequestValidationError, ParameterError, RagError, StoreError)
    for kind in (*kinds, UnavailableError):
        app.add_exception_handler(kind, handle_exception)


def handle_exception(request: Request, exc: Exception) -> Response:
    """The response for `exc`: JSON or the error page, never a traceback."""
    status, message, parameter = _describe(exc)
    headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
    if status in (500, 503) and not isinstance(exc, HTTPException):
        request_id = uuid.uuid4().hex[:12]
        where = f"{request.method} {request.url.path}"
        if status == 500:
            log.error("request %s: unhandled error on %s", request_id, where, exc_info=exc)
        else:
            detail = exc.detail if isinstance(exc, UnavailableError) else str(exc)
            log.warning("request %s: %s answered 503: %s", request_id, where, detail)
        message = f"{message} (request id {request_id})"
        headers[REQUEST_ID] = request_id
    return error_response(request, status, message, parameter, headers or None)


def error_response(
    request: Request,
    status: int,
    message: str,
    parameter: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """`{"error", "status", "parameter"}` for the API; the error page for the HTML pages."""
    if request.url.path.startswith(JSON_PATHS):
        body = ErrorOut(error=message, status=status, parameter=parameter).model_dump()
        return JSONResponse(body, status_code=status, headers=headers)
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message}
    return templates.TemplateResponse(
        request, "error.html", context, status_code=status, headers=headers
    )


def _describe(exc: Exception) -> tuple[int, str, str | None]:
    match exc:
        case ParameterError():
            return exc.status, str(exc), exc.parameter
        case RequestValidationError():
            return (422, *_validation_message(exc))
        case EmptyQueryError():
            return 422, str(exc), None
        case InvalidFilterError():
            return 400, str(exc), exc.name
        case RagError():
            return 400, str(exc), None
        case UnavailableError():
            return 503, exc.public, None
        case StoreError():
            return 503, UNREADABLE_INDEX, None
        case HTTPException():
            return exc.status_code, str(exc.detail), None
    return 500, "internal error: it has been logged", None


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    """The first problem FastAPI found, as "parameter: what is wrong"."""
    first = exc.errors()[0]
    where, *path = first.get("loc", ("request",))
    if first.get("type") == "json_invalid":
        detail = first.get("ctx", {}).get("error", "")
        return f"body: not valid JSON ({detail})", "body"
    parameter = ".".join(str(p) for p in path) or str(where)
    problem = "is required" if first.get("type") == "missing" else first.get("msg", "is not valid")
    return f"{parameter}: {problem[:1].lower()}{problem[1:]}", parameter
