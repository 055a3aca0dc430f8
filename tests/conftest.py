"""Shared fixtures: paths to the repo's own fixtures and demo corpus, a fresh store, a WARC."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# onnxruntime keeps a device id under $XDG_CACHE_HOME (default ~/.cache): keep tests from writing
# outside their own temporary space.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="newsfold-test-cache-")

from newsfold.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DEMO = ROOT / "demo"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "test.db") as s:
        yield s


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One local[2] Spark session for the whole run (skips where pyspark is not installed)."""
    pytest.importorskip("pyspark")
    from newsfold.engines.spark_session import spark_session

    session = spark_session(
        "local[2]", partitions=4, checkpoint_dir=str(tmp_path_factory.mktemp("checkpoints"))
    )
    yield session
    session.stop()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def seeds() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not present")
    return path


def _warc_response(writer: object, uri: str, body: bytes, ctype: str, status: str) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(  # type: ignore[attr-defined]
        uri, "response", payload=io.BytesIO(body), http_headers=headers
    )
    writer.write_record(record)  # type: ignore[attr-defined]


@pytest.fixture
def warc_file(tmp_path: Path) -> Path:
    """A gzipped web archive as a crawler writes it: two article pages, a 404 page, an image,
    a request record and a page without an article."""
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    article = (FIXTURES / "page_article.html").read_bytes()
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        _warc_response(
            writer,
            "https://www.harbourdaily.example/news/2026/04/bridge-reopens",
            article,
            "text/html; charset=utf-8",
            "200 OK",
        )
        _warc_response(
            writer,
            "https://www.harbourdaily.example/missing",
            b"<html><body>Not here</body></html>",
            "text/html",
            "404 Not Found",
        )
        _warc_response(
            writer,
            "https://www.harbourdaily.example/logo.png",
            b"\x89PNG....",
            "image/png",
            "200 OK",
        )
        _warc_response(
            writer,
            "https://www.harbourdaily.example/",
            (FIXTURES / "page_short.html").read_bytes(),
            "text/html",
            "200 OK",
        )
        second = article.replace(b"Harbour Bridge", b"Old Harbour Bridge").replace(
            b"14 months", b"15 months"
        )
        _warc_response(
            writer,
            "https://other.example/2026/bridge",
            second,
            "text/html",
            "200 OK",
        )
    return path
