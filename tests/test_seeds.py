"""The five real articles in ../shared/seeds ingest with sensible metadata and clean text."""

from __future__ import annotations

from pathlib import Path

from newsfold.store import Store


def test_seeds(seeds: Path, store: Store) -> None:
    report = store.ingest([seeds])
    assert report.ok and report.added == 5
    by_file = {Path(a.origin or "").name[:3]: a for a in store.articles()}
    assert set(by_file) == {"000", "001", "002", "003", "004"}
    spun = by_file["001"]
    assert spun.published is not None and spun.published.date().isoformat() == "2023-11-30"
    assert "Getty Images" not in spun.text and "Andrews Air Force Base" not in spun.text
    assert spun.text.startswith("Secretary of State Antony Blinken traveled")
    wire = by_file["004"]
    assert wire.title and wire.title.startswith("Blinken leaves to 'solidify' ceasefire")
    assert "2 min read" not in wire.text and "[Getty]" not in wire.text
    assert wire.text.count("Blinken leaves to 'solidify'") == 0
    assert by_file["003"].title and by_file["003"].title.startswith("Antony Blinken will travel")
    dateline = by_file["002"].sentences[0].text
    assert dateline.startswith("WASHINGTON, May 21 (NNN-AGENCIES) — US Secretary of State")
    assert dateline.endswith("halting 11 days of fighting.")
    for a in by_file.values():
        assert a.language == "en" and a.title and len(a.spans) >= 10
        assert "  " not in a.text
