"""The web app: pages, JSON API, search and filters, uploads, security, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsfold.article import build_article
from newsfold.cli import app as cli
from newsfold.engines.local import analyse
from newsfold.store import Store
from newsfold.web.app import Limits, create_app
from newsfold.web.jobs import display_name

from .test_claims import STORY

BASE = "http://127.0.0.1"
HOSTILE = {
    "id": "hostile",
    "title": "Flood <script>alert('t')</script> warning",
    "source": "Evil <b>Gazette</b>",
    "url": "javascript:alert(3)",
    "published": "2026-06-09T10:00:00Z",
    "text": (
        "Flood warning for Lorne <script>alert('x')</script> as the river rose overnight. "
        "<img src=x onerror=alert(1)> Officials said 300 homes were evacuated on Wednesday and "
        '<a href="javascript:alert(2)">roads</a> were closed near the river.'
    ),
}
#: A fresh story for uploads: nothing in the store is about it.
UPLOAD = (
    "Bridge closes in Tarnwick\n\n2026-07-01\n\n"
    "The old Tarnwick bridge was closed on Monday after engineers found cracks in two of its "
    "piers, the city council said. About 18,000 vehicles cross the bridge every day. Repairs "
    "are expected to take six weeks, council engineer Maja Orlova told reporters."
)


def _articles() -> list[dict[str, str]]:
    copy = {**STORY[0], "id": "a1-copy", "source": "Copy Daily",
            "published": "2026-04-02T09:30:00Z"}  # fmt: skip
    sources = {"a1": "Coast Wire", "a2": "Harbour Post", "a3": "Evening Star"}
    rows = [{**a, "source": sources[a["id"]], "title": "Ferry sinks off Karsvik"} for a in STORY]
    return [*rows, copy, HOSTILE]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An analysed store: the ferry story (a wire copy among it) and a hostile article."""
    db = tmp_path_factory.mktemp("web") / "web.db"
    with Store(db) as store:
        for raw in _articles():
            store.add(build_article({**raw, "language": "en"}))
        analyse(store)
    return db


@pytest.fixture()
def db(analysed: Path, tmp_path: Path) -> Path:
    """A private copy of the analysed store (tests that upload change it)."""
    path = tmp_path / "copy.db"
    with sqlite3.connect(analysed) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return path


@pytest.fixture()
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=BASE) as c:
        yield c


def _csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.get("/api/csrf").json()["csrf_token"]}


def _ferry(client: TestClient) -> dict:
    found = client.get("/api/stories", params={"q": "ferry"}).json()
    assert found["total"] == 1
    return found["items"][0]


# ---------------------------------------------------------------- pages and API


def test_stories_search_filters_and_paging(client: TestClient) -> None:
    everything = client.get("/api/stories").json()
    assert everything["total"] == 2 and everything["page"] == 1
    assert everything["items"][0]["articles"] == 4  # largest first
    ferry = _ferry(client)
    assert ferry["headline"] == "Ferry sinks off Karsvik"
    assert ferry["articles"] == 4 and ferry["independent_sources"] in (2, 3)
    assert set(ferry["sources"]) == {"Coast Wire", "Harbour Post", "Evening Star", "Copy Daily"}
    api = "/api/stories"
    assert client.get(api, params={"q": "Lorne river"}).json()["items"][0]["articles"] == 1
    assert client.get(api, params={"q": '"unbalanced'}).status_code == 200  # not FTS5: words
    assert client.get(api, params={"min_size": 2}).json()["total"] == 1
    assert client.get(api, params={"source": "Evening Star"}).json()["total"] == 1
    assert client.get(api, params={"language": "fr"}).json()["total"] == 0
    assert client.get(api, params={"since": "2026-06-01"}).json()["total"] == 1
    assert client.get(api, params={"until": "2026-04-02"}).json()["total"] == 1
    assert (
        client.get(api, params={"since": "2026-04-03", "until": "2026-05-01"}).json()["total"] == 0
    )
    paged = client.get(api, params={"per_page": 1, "page": 2}).json()
    assert paged["pages"] == 2 and len(paged["items"]) == 1
    assert paged["items"][0]["id"] != everything["items"][0]["id"]
    assert client.get(api, params={"since": "yesterday"}).status_code == 400
    page = client.get("/", params={"q": "ferry"})
    assert page.status_code == 200 and "Ferry sinks off Karsvik" in page.text
    assert "1 story matching" in page.text
    assert 'value="ferry"' in page.text  # the search box keeps the query


def test_story_page_has_every_section_and_cited_evidence(client: TestClient) -> None:
    ferry = _ferry(client)
    story = client.get(f"/api/stories/{ferry['id']}").json()
    assert story["summary"] and all(c["text"] for s in story["summary"] for c in s["citations"])
    assert story["reuse"] and story["sources"] and story["timeline"]
    page = client.get(f"/stories/{ferry['id']}").text
    for section in ("summary", "facts", "quotes", "reuse", "sources", "timeline"):
        assert f'id="{section}"' in page
    assert 'class="cite" href="#ev-0-0" data-target="ev-0-0"' in page
    assert 'id="ev-0-0"' in page
    edge = story["reuse"][0]["edges"][0]  # the reuse tree links each copy to a comparison
    assert f'href="/compare?a={edge["parent"]}&amp;b={edge["child"]}"' in page
    assert "conflict" in page  # 62 against 26 injured
    # A story is found by one of its articles' ids too.
    assert client.get("/api/stories/a2").json()["id"] == ferry["id"]


def test_article_page_marks_claims_quotes_and_reused_sentences(client: TestClient) -> None:
    article = client.get("/api/articles/a1-copy").json()
    assert article["story"] and article["source"] == "Copy Daily"
    kinds = {k for seg in article["segments"] for k in seg["kinds"]}
    assert {"number", "quote", "reused"} <= kinds
    assert "".join(seg["text"] for seg in article["segments"]) == article["text"]
    copied = next(r for r in article["relations"] if r["article"] == "a1")
    assert copied["derived"] and copied["direction"] in ("copies", "copied by", "shares")
    page = client.get("/articles/a1-copy").text
    assert '<mark class="number"' in page and "compare?a=a1-copy&amp;b=a1" in page
    claims = client.get("/api/articles/a1/claims").json()
    assert any(n["quantity"]["value"] == 14 for n in claims["numbers"])
    listing = client.get("/api/articles", params={"q": "Velasquez"}).json()
    assert {a["id"] for a in listing["items"]} >= {"a1", "a2", "a3"}
    assert client.get("/articles", params={"source": "Harbour Post"}).status_code == 200


def test_compare_aligns_sentences_with_word_diffs(client: TestClient) -> None:
    data = client.get("/api/compare", params={"a": "a1", "b": "a2"}).json()
    assert data["pairs"] and data["articles"]["a"]["id"] == "a1"
    edited = next(p for p in data["pairs"] if p["kind"] == "edited")
    assert edited["diff"]  # the changes, and every word for side-by-side display:
    left = " ".join(w["a"] for w in edited["words"] if w["a"])
    assert left == " ".join(edited["a"]["text"].split())
    page = client.get("/compare", params={"a": "a1", "b": "a2"}).text
    assert "<del>" in page and "<ins>" in page
    assert client.get("/compare").status_code == 200  # the empty form
    assert client.get("/api/compare", params={"a": "a1", "b": "nope"}).status_code == 404


def test_missing_things_are_404_pages_and_json(client: TestClient) -> None:
    page = client.get("/stories/nope")
    assert page.status_code == 404 and "no story" in page.text and "<html" in page.text
    assert client.get("/api/articles/nope").json() == {"detail": "no article 'nope'"}
    assert client.get("/api/jobs/nope").status_code == 404
    bad = client.get("/", params={"min_size": "many"})  # a page answers with a page
    assert bad.status_code == 400 and "min_size" in bad.text and "<html" in bad.text
    assert client.get("/api/stories", params={"min_size": "many"}).status_code == 422


def test_openapi_description_and_docs_page(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/compare",
            "/api/articles/{article_id}/claims", "/api/ingest"} <= paths  # fmt: skip
    assert not any(not p.startswith("/api/") for p in paths)  # pages are not API
    docs = client.get("/api/docs").text
    assert "GET /api/stories" in docs and "POST /api/ingest" in docs
    assert "cdn" not in docs.lower()  # works offline


# ---------------------------------------------------------------- escaping


def test_article_content_is_escaped_everywhere(client: TestClient) -> None:
    pages = [
        client.get("/api/stories").json(),
        client.get("/articles/hostile").text,
        client.get("/", params={"q": "Lorne"}).text,
        client.get("/articles").text,
        client.get(f"/stories/{client.get('/api/stories/hostile').json()['id']}").text,
        client.get("/compare", params={"a": "hostile", "b": "a1"}).text,
    ]
    for text in pages[1:]:
        assert "<script>alert" not in text and "<img src=x" not in text
        assert 'href="javascript:' not in text and "<b>Gazette" not in text
    article = pages[1]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(" in article
    assert "original page" not in article  # a javascript: url is never a link
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


# ---------------------------------------------------------------- security


def test_uploaded_names_are_shown_never_used_as_paths() -> None:
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\x\\evil.txt") == "evil.txt"
    assert display_name("\x00\n") == "upload"


def test_host_header_and_token(db: Path) -> None:
    with TestClient(create_app(db), base_url=BASE) as c:
        assert c.get("/", headers={"host": "attacker.example"}).status_code == 421
        assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200
    with TestClient(create_app(db, token="s3cret", loopback_only=False), base_url=BASE) as c:
        assert c.get("/api/stories").status_code == 401
        assert c.get("/").status_code == 401
        bearer = {"Authorization": "Bearer s3cret"}
        assert c.get("/api/stories", headers=bearer).status_code == 200
        assert c.get("/api/stories", headers={"Authorization": "Bearer nope"}).status_code == 401
        first = c.get("/?token=s3cret&q=ferry boat&min_size=1", follow_redirects=False)
        assert first.status_code == 303
        assert first.headers["location"] == "/?q=ferry+boat&min_size=1"
        assert "httponly" in first.headers["set-cookie"].lower()
        assert c.get("/api/stories").status_code == 200  # the cookie now carries it


def test_serve_refuses_an_open_address_without_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "--token" in result.stderr


def test_posts_need_the_csrf_token_and_same_origin(client: TestClient, db: Path) -> None:
    files = {"files": ("bridge.txt", UPLOAD.encode())}
    assert client.post("/api/ingest", files=files).status_code == 403
    wrong = client.post("/api/ingest", files=files, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    other = client.post(
        "/api/ingest", files=files, headers={**_csrf(client), "Origin": "http://evil.example"}
    )
    assert other.status_code == 403
    form = client.post("/ingest", files=files, data={"csrf_token": "guess"})
    assert form.status_code == 403 and "another site" in form.text
    assert client.get("/api/stories").json()["total"] == 2  # nothing was stored


# ---------------------------------------------------------------- uploads


def test_a_failing_upload_stores_nothing_and_says_why(db: Path) -> None:
    limits = Limits(files=2, file_bytes=2_000, total_bytes=3_000)
    with TestClient(create_app(db, limits=limits), base_url=BASE) as c:
        before = c.get("/api/articles").json()["total"]
        good = ("bridge.txt", UPLOAD.encode())
        bad = ("broken.json", b'{"title": "x", "text": ')
        mixed = c.post("/api/ingest", files=[("files", good), ("files", bad)], headers=_csrf(c))
        assert mixed.status_code == 400
        assert "nothing was stored" in mixed.json()["detail"]
        assert "broken.json" in mixed.json()["detail"]
        too_many = c.post("/api/ingest", files=[("files", good)] * 3, headers=_csrf(c))
        assert too_many.status_code == 400 and "at most 2" in too_many.json()["detail"]
        big = ("big.txt", b"word " * 1_000)
        too_big = c.post("/api/ingest", files=[("files", big)], headers=_csrf(c))
        assert too_big.status_code == 400 and "big.txt" in too_big.json()["detail"]
        huge = c.post(
            "/api/ingest", content=b"x" * 200_000, headers={**_csrf(c), "Content-Type": "x/y"}
        )
        assert huge.status_code == 413  # refused before anything is read
        empty = c.post("/api/ingest", files=[("files", ("e.txt", b""))], headers=_csrf(c))
        assert empty.status_code == 400
        form = c.post(
            "/ingest",
            files=[("files", bad)],
            data={"csrf_token": c.get("/api/csrf").json()["csrf_token"]},
        )
        assert form.status_code == 400 and "broken.json" in form.text
        assert c.get("/api/articles").json()["total"] == before


def test_upload_is_analysed_in_the_background_while_pages_are_served(db: Path) -> None:
    with TestClient(create_app(db), base_url=BASE) as c:
        accepted = c.post(
            "/api/ingest", files=[("files", ("../bridge.txt", UPLOAD.encode()))], headers=_csrf(c)
        )
        assert accepted.status_code == 202, accepted.text
        job = accepted.json()
        assert job["added"] == 1 and job["files"] == ["bridge.txt"]
        served = [c.get("/api/stories").status_code for _ in range(5)]  # while it runs
        assert served == [200] * 5
        done = c.app.state.jobs.wait(job["id"], timeout=300)  # type: ignore[attr-defined]
        assert done.state == "done", done.error
        state = c.get(f"/api/jobs/{job['id']}").json()
        assert state["state"] == "done" and state["stories"]
        found = c.get("/api/stories", params={"q": "Tarnwick"}).json()
        assert found["total"] == 1 and found["items"][0]["id"] == state["stories"][0]
        assert found["items"][0]["independent_sources"] == 1  # its report is stored
        page = c.get(f"/jobs/{job['id']}").text
        assert f"/stories/{state['stories'][0]}" in page


# ---------------------------------------------------------------- a live server


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a thread."""

    def __init__(self, db: Path) -> None:
        import socket

        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.app = create_app(db)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def test_concurrent_requests_are_safe(db: Path) -> None:
    with LiveServer(db) as live:
        story = httpx.get(f"{live.url}/api/stories", params={"q": "ferry"}).json()["items"][0]
        urls = [f"{live.url}/", f"{live.url}/api/stories?q=ferry", f"{live.url}/articles/a1",
                f"{live.url}/stories/{story['id']}", f"{live.url}/api/articles/a2"] * 8  # fmt: skip

        def fetch(url: str) -> int:
            return httpx.get(url, timeout=30).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            codes = list(pool.map(fetch, urls))
        assert codes == [200] * len(urls)


def test_ids_with_slashes_are_served_and_written(tmp_path: Path) -> None:
    """Users' own ids may hold "/" (WMT and Multi-News ids do): pages, the API and the report's
    files still work."""
    from newsfold.embed import Encoders
    from newsfold.report.stories import page_name, write

    path = tmp_path / "slash.db"
    with Store(path) as store:
        for k, raw in enumerate(STORY[:2]):
            store.add(build_article({**raw, "id": f"wmt/de/{k}", "language": "en"}))
        result = analyse(store, encoders=Encoders.fake())
        stories = {s for _, s, _ in store.story_members()}
    entry = write(result.report, tmp_path / "report", ["html", "md"])
    for story in stories:
        assert "/" not in page_name(story)
        assert (entry.parent / "stories" / f"{page_name(story)}.html").is_file()
    with TestClient(create_app(path), base_url=BASE) as c:
        assert c.get("/articles/wmt/de/0").status_code == 200
        assert c.get("/api/articles/wmt/de/0").json()["id"] == "wmt/de/0"
        assert "numbers" in c.get("/api/articles/wmt/de/0/claims").json()
        for story in stories:
            assert c.get(f"/stories/{story}").status_code == 200
            assert c.get(f"/api/stories/{story}").json()["id"] == story
