"""The haystack benchmark: a developing story of our own hidden in a week of real news.

``python -m briefgen.evaluate.haystack --data ../shared/eval/summarization`` mixes the storyline
in ``haystack/*.md`` (five invented articles over eight days on one developing story, with named
people, upcoming dates and open risks) into the 850 summarization articles, each given a
publication date spread over ten days by a hash of its id. It then builds the brief once with
the storyline's watch term and once without, and prints where the storyline lands: its story's
rank, its actors', dates' and risks' ranks, the PDF's pages with ``--appendix none``, and the
cold build time next to main's before issue 14.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

STORYLINE = Path(__file__).with_name("haystack")
FIRST_DAY = dt.date(2026, 3, 2)
DAYS = 10
OUTLETS = {"bbc": "BBC News", "cnn": "CNN", "dm": "Daily Mail"}


def dated(article_id: str) -> dt.date:
    """A day of the ten, the same for an id on every run."""
    h = int.from_bytes(hashlib.sha256(article_id.encode()).digest()[:4], "big")
    return FIRST_DAY + dt.timedelta(days=h % DAYS)


def prepare(data: Path, out: Path) -> list[Path]:
    """The week's inputs in ``out``: the eval articles, dated and attributed, and the storyline."""
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for name in ("bbc.jsonl", "cnndm.jsonl"):
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            record = {
                "id": row["id"],
                "title": row.get("title"),
                "text": row["text"],
                "date": dated(row["id"]).isoformat(),
                "source": OUTLETS.get(row["id"].split("-")[0], row.get("source") or ""),
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    week = out / "week.jsonl"
    week.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [week, STORYLINE]
