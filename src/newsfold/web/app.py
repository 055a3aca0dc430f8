"""The web app: server-rendered pages and a JSON API over one service layer.

``create_app(db)`` builds the FastAPI application; ``newsfold serve`` runs it with uvicorn.

Pages (Jinja2 templates, escaped by default; one small script, ``static/app.js``, that only adds
to pages that work without it): ``/`` stories with search, filters and paging; ``/stories/ID``;
``/articles`` and ``/articles/ID``; ``/compare?a=ID&b=ID``; ``/ingest`` (upload) and
``/jobs/ID`` (its analysis, with progress). The API under ``/api/`` returns the same data as
JSON; its OpenAPI description is ``/api/openapi.json``, read as a page at ``/api/docs``.
Both read :class:`~newsfold.web.service.Service`; security (host, token, CSRF, headers) is
:mod:`newsfold.web.security`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfold.report.stories import article_names
from newsfold.web.jobs import JobRunner, Upload, UploadError, display_name, store_uploads
from newsfold.web.security import Guard
from newsfold.web.service import PER_PAGE, Filters, NotFound, Service

__all__ = ["Limits", "create_app"]

HERE = Path(__file__).parent


class Limits:
    """Upload limits: files per upload, bytes per file, bytes per upload."""

    def __init__(
        self, files: int = 20, file_bytes: int = 20 * 1_048_576, total_bytes: int = 50 * 1_048_576
    ) -> None:
        self.files, self.file_bytes, self.total_bytes = files, file_bytes, total_bytes


def _mb(n: int) -> str:
    return f"{n / 1_048_576:g} MB"


def _safe_url(url: str | None) -> str | None:
    """An article's own link, only when it is http(s): never ``javascript:`` or ``data:``."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def create_app(
    db: str | Path,
    *,
    token: str | None = None,
    loopback_only: bool = True,
    limits: Limits | None = None,
) -> FastAPI:
    """The application serving the store at ``db`` (see the module docstring)."""
    service = Service(db)
    jobs = JobRunner(db)
    limits = limits or Limits()
    # Room for the multipart framing around the files themselves.
    guard = Guard(token=token, loopback_only=loopback_only, max_body=limits.total_bytes + 65_536)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.stop()
        service.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsfold",
        summary="Stories, reuse and facts of a newsfold store.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.service, app.state.jobs, app.state.guard = service, jobs, guard
    app.middleware("http")(guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["safe_url"] = _safe_url
    templates.env.globals["csrf"] = guard.csrf

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            request, name, {"counts": service.counts(), **context}, status_code=status
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(request, "error.html", exc.status_code, message=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        where = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return page(request, "error.html", 400, message=f"bad request ({where})")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return await http_error(request, StarletteHTTPException(404, str(exc.args[0])))

    # ------------------------------------------------------------------ pages
    def _filters(
        q: str, since: str | None, until: str | None, source: str | None,
        language: str | None, min_size: int,
    ) -> Filters:  # fmt: skip
        return Filters(
            q=q, since=_day(since, "since"), until=_day(until, "until"),
            source=source or None, language=language or None, min_size=min_size,
        )  # fmt: skip

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(
        request: Request,
        q: str = "",
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        language: str | None = None,
        min_size: Annotated[int, Query(ge=1)] = 1,
        page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        filters = _filters(q, since, until, source, language, min_size)
        result = service.stories(filters, page_no)
        args = {k: v for k, v in request.query_params.items() if k != "page" and v}
        return page(
            request, "stories.html", result=result, filters=filters, facets=service.facets(),
            args=args, link=lambda n: "/?" + urlencode({**args, "page": n}),
        )  # fmt: skip

    @app.get("/stories/{story_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(
        request: Request, story_id: str, summary_words: Annotated[int | None, Query(ge=1)] = None
    ) -> HTMLResponse:
        story = service.story(story_id, summary_words)
        return page(request, "story.html", story=story, names=article_names(story))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(
        request: Request,
        q: str = "",
        source: str | None = None,
        language: str | None = None,
        page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        result = service.articles(q, source or None, language or None, page_no)
        args = {k: v for k, v in request.query_params.items() if k != "page" and v}
        return page(
            request, "articles.html", result=result, q=q, facets=service.facets(),
            source=source, language=language,
            link=lambda n: "/articles?" + urlencode({**args, "page": n}),
        )  # fmt: skip

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        return page(request, "article.html", article=service.article(article_id))

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(request: Request, a: str = "", b: str = "") -> HTMLResponse:
        result = service.compare(a, b) if a and b else None
        return page(request, "compare.html", result=result, a=a, b=b)

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_page(request: Request) -> HTMLResponse:
        return page(request, "ingest.html", limits=limits, mb=_mb)

    @app.post("/ingest", include_in_schema=False)
    async def ingest_form(request: Request) -> Response:
        try:
            form = await request.form(max_files=limits.files + 1, max_fields=10)
        except Exception as exc:  # malformed or over the multipart parser's limits
            return page(request, "ingest.html", 400, limits=limits, mb=_mb, error=str(exc))
        if not guard.csrf_ok(request, str(form.get("csrf_token") or "")):
            return page(
                request, "ingest.html", 403, limits=limits, mb=_mb,
                error="the form is out of date or came from another site: reload and try again",
            )  # fmt: skip
        files = [f for f in form.getlist("files") if isinstance(f, StarletteUpload)]
        try:
            job = await _accept(files)
        except UploadError as exc:
            return page(request, "ingest.html", 400, limits=limits, mb=_mb, error=str(exc))
        return RedirectResponse(f"/jobs/{job['id']}", status_code=303)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def job_page(request: Request, job_id: str) -> HTMLResponse:
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return page(request, "job.html", job=job.to_dict())

    async def _accept(files: list[StarletteUpload]) -> dict[str, Any]:
        """Check the limits, store the uploads (all or nothing), queue their analysis."""
        files = [f for f in files if f.filename or f.size]
        if not files:
            raise UploadError("no file uploaded")
        if len(files) > limits.files:
            raise UploadError(f"{len(files)} files: at most {limits.files} per upload")
        uploads, total = [], 0
        for f in files:
            data = await f.read(limits.file_bytes + 1)
            name = display_name(f.filename or "upload")
            if len(data) > limits.file_bytes:
                raise UploadError(f"{name}: larger than {_mb(limits.file_bytes)} (the limit)")
            total += len(data)
            if total > limits.total_bytes:
                raise UploadError(f"upload larger than {_mb(limits.total_bytes)} in all")
            uploads.append(Upload(name, data))
        # Reading and storing is blocking work: off the event loop, on a worker thread.
        report, added = await run_in_threadpool(lambda: store_uploads(service.store, uploads))
        job = jobs.submit([u.name for u in uploads], report.added, added)
        return {**job.to_dict(), "ingest": report.to_dict()}

    # ------------------------------------------------------------------ API
    @app.get("/api/stories", tags=["stories"])
    def api_stories(
        q: Annotated[str, Query(description="Full-text search (FTS5 syntax or plain words).")] = "",
        since: Annotated[str | None, Query(description="Published from, YYYY-MM-DD.")] = None,
        until: Annotated[str | None, Query(description="Published up to, YYYY-MM-DD.")] = None,
        source: Annotated[str | None, Query(description="An outlet among the members.")] = None,
        language: Annotated[str | None, Query(description="A language among the members.")] = None,
        min_size: Annotated[int, Query(ge=1, description="At least this many articles.")] = 1,
        page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = PER_PAGE,
    ) -> dict[str, Any]:  # fmt: skip
        """Stories, searched, filtered and paged (best match first, else largest and newest)."""
        filters = _filters(q, since, until, source, language, min_size)
        return service.stories(filters, page_no, per_page)

    @app.get("/api/stories/{story_id:path}", tags=["stories"])
    def api_story(
        story_id: str,
        summary_words: Annotated[
            int | None, Query(ge=1, description="The summary's length in words.")
        ] = None,
    ) -> dict[str, Any]:
        """One story's report (schema newsfold.report/1, see docs/report-schema.md); its
        summary of ``summary_words`` words when given, else five sentences at most."""
        return service.story(story_id, summary_words)

    @app.get("/api/articles", tags=["articles"])
    def api_articles(
        q: str = "",
        source: str | None = None,
        language: str | None = None,
        page_no: Annotated[int, Query(alias="page", ge=1)] = 1,
        per_page: Annotated[int, Query(ge=1, le=100)] = PER_PAGE,
    ) -> dict[str, Any]:
        """Articles, searched and paged (best match first, else newest first)."""
        return service.articles(q, source, language, page_no, per_page)

    @app.get("/api/articles/{article_id:path}/claims", tags=["articles"])
    def api_claims(article_id: str) -> dict[str, Any]:
        """One article's claims: numbers, quotes, people, dates, with character offsets."""
        return service.claims(article_id)

    @app.get("/api/articles/{article_id:path}", tags=["articles"])
    def api_article(article_id: str) -> dict[str, Any]:
        """One article: text, marked segments, relations, claims."""
        return service.article(article_id)

    @app.get("/api/compare", tags=["articles"])
    def api_compare(
        a: Annotated[str, Query(description="An article id.")],
        b: Annotated[str, Query(description="Another article id.")],
    ) -> dict[str, Any]:
        """Two articles compared: relation, direction, aligned sentences, word diffs."""
        return service.compare(a, b)

    @app.get("/api/csrf", tags=["ingest"])
    def api_csrf() -> dict[str, str]:
        """The token every POST must carry in the X-CSRF-Token header."""
        return {"csrf_token": guard.csrf}

    @app.post("/api/ingest", tags=["ingest"], status_code=202)
    async def api_ingest(files: Annotated[list[UploadFile], File()]) -> dict[str, Any]:
        """Upload files (any format `newsfold ingest` reads); stored at once, all or nothing,
        then analysed in the background: poll /api/jobs/{id}."""
        try:
            return await _accept(files)
        except UploadError as exc:
            raise HTTPException(400, str(exc)) from None

    @app.get("/api/jobs/{job_id}", tags=["ingest"])
    def api_job(job_id: str) -> dict[str, Any]:
        """An ingest job's state and progress."""
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return job.to_dict()

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html", spec=app.openapi())

    return app
