"""The datasketch peer of ``newsfold dedup``: near-duplicate groups of a JSON Lines file.

``python bench/peer_datasketch.py [--check] IN.jsonl OUT.jsonl`` (a standalone script: it imports
nothing from newsfold or the bench package, so its start-up and memory are datasketch's own).

What a datasketch user writes: word 5-gram shingles of the lower-cased text (words cut at
non-alphanumeric characters, like newsfold's tokens), a ``MinHash(num_perm=128)`` per record filled
with ``update_batch``, and a ``MinHashLSH(threshold=0.5, num_perm=128)``. Records are streamed:
each is queried against the index, then inserted (the same candidate pairs as inserting all and
then querying each, without keeping every MinHash). Candidates are taken as matches (no Jaccard
check), joined into groups by union-find, and the first member of each group in file order is
kept. With ``--check`` (what a careful user adds) every record's MinHash values are kept and a
candidate is a match only when the estimated Jaccard similarity is at least the threshold. A
second pass writes every record with ``dup_group``, ``kept`` and ``dup_of`` (the id of the kept
record; null for kept ones).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NUM_PERM = 128
THRESHOLD = 0.5
NGRAM = 5
_NOT_WORD = re.compile(r"[\W_]+")


def shingles(text: str, ngram: int = NGRAM) -> list[bytes]:
    """Word ``ngram``-grams of the lower-cased text, UTF-8 encoded (one of all the words when
    there are fewer than ``ngram``)."""
    words = [w for w in _NOT_WORD.split(text.lower()) if w]
    if len(words) < ngram:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + ngram]).encode("utf-8") for i in range(len(words) - ngram + 1)]


class UnionFind:
    """Disjoint sets of record numbers; a set's root is its smallest (first seen) member."""

    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]  # path halving
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def read(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a JSON Lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def group(path: Path, *, check: bool = False) -> tuple[list[str], UnionFind]:
    """The id of every record, and the groups of records that share an LSH bucket (and, with
    ``check``, have an estimated Jaccard similarity of at least the threshold)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    ids: list[str] = []
    values: list[Any] = []  # the MinHash values of every record, kept only with check
    sets = UnionFind()
    for record in read(path):
        i = sets.add()
        ids.append(str(record.get("id", i + 1)))
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch(shingles(record["text"]))
        for j in lsh.query(m):
            if not check or (m.hashvalues == values[j]).mean() >= THRESHOLD:
                sets.union(i, j)
        lsh.insert(i, m)
        if check:
            values.append(m.hashvalues)
    return ids, sets


def write(path: Path, out: Path, ids: list[str], sets: UnionFind) -> int:
    """Write every record of ``path`` with its group, kept flag and kept record's id."""
    numbers: dict[int, int] = {}
    with out.open("w", encoding="utf-8") as fh:
        for i, record in enumerate(read(path)):
            root = sets.find(i)
            record["dup_group"] = numbers.setdefault(root, len(numbers))
            record["kept"] = root == i
            record["dup_of"] = None if root == i else ids[root]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(ids)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input", type=Path, help="JSON Lines records with 'text' (and 'id')")
    parser.add_argument("output", type=Path, help="where to write the records with their groups")
    parser.add_argument(
        "--check", action="store_true", help="keep a candidate only if its estimated Jaccard ≥ 0.5"
    )
    args = parser.parse_args(argv)
    ids, sets = group(args.input, check=args.check)
    write(args.input, args.output, ids, sets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
