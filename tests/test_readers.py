"""Each reader on a realistic fixture, format detection by content, and bad input."""

from __future__ import annotations

import gzip
import random
import shutil
from pathlib import Path

import pytest

from newsfold.ingest import IngestReport
from newsfold.readers import Input, ReaderError, ReadOptions, pick_reader
from newsfold.store import Store


def ingest(store: Store, *paths: Path | str, **kw: object) -> IngestReport:
    return store.ingest([str(p) for p in paths], **kw)  # type: ignore[arg-type]


def only(store: Store):
    items = list(store.articles())
    assert len(items) == 1, [a.title for a in items]
    return items[0]


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("wire_story.txt", "text"),
        ("page_article.html", "html"),
        ("feed_rss.xml", "feed"),
        ("feed_atom.xml", "feed"),
        ("other_schema.jsonl", "jsonl"),
        ("articles.json", "json"),
    ],
)
def test_format_is_detected_by_content_not_name(
    fixtures: Path, tmp_path: Path, name: str, fmt: str
) -> None:
    disguised = tmp_path / "download.dat"
    shutil.copy(fixtures / name, disguised)
    assert pick_reader(Input.from_path(disguised)).name == fmt


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"   \n\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
        (b"%PDF-1.7\n%\xe2\xe3", "binary file (PDF document)"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_binary_and_empty_inputs_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(ReaderError, match=message.replace("(", r"\(").replace(")", r"\)")):
        pick_reader(Input.from_path(path))


# --------------------------------------------------------------------------- text


def test_text_reader_header_and_boilerplate(store: Store, fixtures: Path) -> None:
    report = ingest(store, fixtures / "wire_story.txt")
    assert report.ok and report.added == 1
    a = only(store)
    assert a.title == "Harbour City dock workers end three-day strike after pay deal"
    assert a.published is not None and a.published.date().isoformat() == "2026-04-07"
    assert a.author == "Tobias Wren"
    assert a.source == "fixtures"  # the parent folder names the outlet
    assert a.text.startswith("HARBOUR CITY, April 7 (Meridian) — Dock workers")
    for junk in ("Getty Images", "min read", "Subscribe", "Cranes stand idle", "Editing by"):
        assert junk not in a.text
    assert a.text.count("three-day strike") == 1
    assert a.sentences[0].text.endswith("union and port officials said.")


def test_latin1_text_is_decoded(store: Store, fixtures: Path) -> None:
    assert ingest(store, fixtures / "latin1.txt").ok
    a = only(store)
    assert a.language == "fr"
    assert "é" in a.text and "\ufffd" not in a.text


def test_undecodable_bytes_are_reported(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "garbage.txt"
    rng = random.Random(7)
    bad.write_bytes(b"Header line\n" + bytes(rng.randrange(128, 256) for _ in range(3000)))
    report = ingest(store, bad)
    assert not report.ok
    assert len(store) == 0
    (problem,) = report.failures
    assert problem.location == str(bad)


def test_markdown(store: Store, tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("# Port reopens\n\nThe **port** reopened on [Monday](https://x.example).\n")
    ingest(store, md)
    a = only(store)
    assert (a.title, a.text) == ("Port reopens", "The port reopened on Monday.")


# --------------------------------------------------------------------------- html


def test_html_page(store: Store, fixtures: Path) -> None:
    assert ingest(store, fixtures / "page_article.html").ok
    a = only(store)
    assert a.title == "Harbour Bridge reopens after 14 months of repairs"
    assert a.url == "https://www.harbourdaily.example/news/2026/04/bridge-reopens"
    assert a.source == "harbourdaily.example"
    assert a.author == "Miriam Castell"
    assert a.published is not None and a.published.isoformat() == "2026-04-06T07:45:00+02:00"
    assert a.text.startswith("HARBOUR CITY — The Harbour Bridge reopened")
    for junk in ("Most read", "cookie", "Leave a comment", "All rights reserved"):
        assert junk.lower() not in a.text.lower()


def test_html_page_without_article(store: Store, fixtures: Path) -> None:
    report = ingest(store, fixtures / "page_short.html")
    assert not report.ok
    assert "no article text" in report.failures[0].reason
    assert len(store) == 0


# --------------------------------------------------------------------------- json


def test_jsonl_other_schema_keeps_good_lines(store: Store, fixtures: Path) -> None:
    path = fixtures / "other_schema.jsonl"
    report = ingest(store, path)
    assert report.added == 2
    assert sorted(p.location for p in report.failures) == [f"{path}:3", f"{path}:4"]
    assert "malformed JSON" in report.failures[0].reason
    titles = {a.title for a in store.articles()}
    assert "Harbour City opens new public library in former customs house" in titles
    a = next(a for a in store.articles() if a.title and "library" in a.title)
    assert a.source == "Harbour Daily"
    assert a.published is not None and a.published.isoformat() == "2026-04-02T14:00:00+00:00"


def test_field_mapping(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text(
        '{"story": {"body": "The ferry sailed at dawn. It was late.", "head": "Ferry"}, '
        '"when": "2026-01-02", "desk": "metro"}\n'
    )
    options = ReadOptions(
        field_map={"text": "story.body", "title": "story.head", "published": "when"}
    )
    assert ingest(store, path, options=options).ok
    a = only(store)
    assert (a.title, a.text) == ("Ferry", "The ferry sailed at dawn. It was late.")
    assert a.published is not None and a.published.year == 2026
    assert a.extra == {"desk": "metro"}


def test_json_document(store: Store, fixtures: Path) -> None:
    report = ingest(store, fixtures / "articles.json")
    assert report.ok and report.added == 2
    ids = {a.id for a in store.articles()}
    assert "hd-2026-04-06-001" in ids


def test_malformed_json_document(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"articles": [{"text": "A"}, ')
    report = ingest(store, path)
    assert "malformed JSON" in report.failures[0].reason and "line 1" in report.failures[0].reason


def test_gzipped_jsonl(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        for i in range(3):
            fh.write(
                f'{{"text": "Story number {i} happened today. It was big.", "source": "wire"}}\n'
            )
    assert ingest(store, path).added == 3


# --------------------------------------------------------------------------- feeds


def test_rss_feed(store: Store, fixtures: Path) -> None:
    report = ingest(store, fixtures / "feed_rss.xml")
    assert report.ok and report.added == 3
    bridge = next(a for a in store.articles() if a.title and a.title.startswith("Harbour Bridge"))
    assert bridge.url == "https://www.harbourdaily.example/news/2026/04/bridge-reopens"
    assert bridge.published is not None and bridge.published.utcoffset() is not None
    assert "<p>" not in bridge.text and "\n\n" in bridge.text
    assert bridge.extra["feed"] == "Harbour Daily"


def test_atom_feed(store: Store, fixtures: Path) -> None:
    report = ingest(store, fixtures / "feed_atom.xml")
    assert report.ok and report.added == 2
    authors = {a.author for a in store.articles()}
    assert None not in authors
    assert all("<" not in a.text for a in store.articles())


def test_feed_without_entries(store: Store, fixtures: Path) -> None:
    report = ingest(store, fixtures / "feed_empty.xml")
    assert [p.reason for p in report.failures] == ["the feed has no entries"]


# --------------------------------------------------------------------------- warc


def test_warc_archive(store: Store, warc_file: Path) -> None:
    report = ingest(store, warc_file)
    assert report.ok  # pages without articles are skipped, not failures
    assert report.added == 2
    urls = {a.url for a in store.articles()}
    assert urls == {
        "https://www.harbourdaily.example/news/2026/04/bridge-reopens",
        "https://other.example/2026/bridge",
    }
    skipped = {p.location.split("#", 1)[1]: p.reason for p in report.problems}
    assert "404" in skipped["https://www.harbourdaily.example/missing"]
    assert "no article" in skipped["https://www.harbourdaily.example/"]
    crawled = next(iter(store.articles())).extra["crawled"]
    assert crawled.startswith("20")


def test_truncated_warc_keeps_pages_before_the_damage(
    store: Store, warc_file: Path, tmp_path: Path
) -> None:
    data = warc_file.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.95)])  # the last page is cut short
    report = ingest(store, cut)
    assert report.added == 1
    assert any("damaged web archive after" in p.reason for p in report.failures)


def test_truncated_gzip_jsonl_keeps_complete_lines(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    lines = "".join(
        f'{{"text": "Report {i}: the council met and voted on item {i * 7919 % 1000}."}}\n'
        for i in range(2000)
    )
    path.write_bytes(gzip.compress(lines.encode())[:-200])
    report = ingest(store, path)
    assert 0 < report.added < 2000
    assert "damaged or truncated" in report.failures[-1].reason


# --------------------------------------------------------------------------- folders, stdin, limits


def test_folder_with_globs_and_hidden_files(store: Store, fixtures: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(fixtures / "wire_story.txt", folder / "sub" / "a.txt")
    shutil.copy(fixtures / "page_article.html", folder / "b.html")
    shutil.copy(fixtures / "latin1.txt", folder / ".hidden.txt")
    report = ingest(store, folder, include=["*.txt"])
    assert report.added == 1 and report.ok
    report = ingest(store, folder, exclude=["sub/*"])
    assert report.added == 1 and [f.format for f in report.files] == ["html"]


def test_missing_path(store: Store, tmp_path: Path) -> None:
    report = ingest(store, tmp_path / "nope.txt")
    assert [p.reason for p in report.failures] == ["no such file or directory"]


def test_size_limit(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Title\n\n" + "A sentence of news. " * 100_000)  # ~2 MB
    report = ingest(store, big, options=ReadOptions(max_file_bytes=1_000_000))
    assert "file too large" in report.failures[0].reason
    assert len(store) == 0


def test_200_mb_file_is_refused_without_reading_it(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.write(b"A title\n\n" + b"A sentence of text. " * 5000)
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    report = ingest(store, big)
    (problem,) = report.failures
    assert "file too large (200.0 MB" in problem.reason and "--max-size" in problem.reason
    assert len(store) == 0


def test_many_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"{i:05d}.txt").write_text(
            f"Item {i}\n\nThe council met for session {i} today.\n"
        )
    report = ingest(store, folder)
    assert report.ok and report.added == 10_000
    assert len(store) == 10_000


def test_stdin(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    data = b'{"text": "From a pipe. It works.", "source": "pipe"}\n{"text": "Second. Yes."}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    report = ingest(store, "-")
    assert report.added == 2 and report.files[0].name == "<stdin>"
