"""How fast stories are grouped, and how well events come back, on synthetic articles."""

from __future__ import annotations

import random
import time
from collections import Counter

from briefgen.doc import Article
from briefgen.week.stories import group


def synthetic_articles(n: int, *, seed: int = 7, per_event: int = 3) -> list[Article]:
    """``n`` invented articles, about ``per_event`` per event, each event with its own words."""
    import datetime as dt

    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or")]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    common = [word() for _ in range(400)]
    out: list[Article] = []
    event = 0
    while len(out) < n:
        topic = [word() for _ in range(30)]
        day = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randint(0, 6))
        for k in range(min(rng.randint(1, 2 * per_event - 1), n - len(out))):
            words = [rng.choice(topic if rng.random() < 0.35 else common) for _ in range(300)]
            sentences = [" ".join(words[i : i + 15]).capitalize() + "." for i in range(0, 300, 15)]
            out.append(
                Article(
                    id=f"e{event}-a{k}",
                    title=" ".join(rng.sample(topic, 6)).capitalize(),
                    text=" ".join(sentences),
                    published=day,
                    source=f"outlet{k}",
                )
            )
        event += 1
    return out


def bench_grouping(n: int) -> dict[str, float]:
    """Group ``n`` synthetic articles; print and return the time and how well events came back."""
    articles = synthetic_articles(n)
    t0, c0 = time.perf_counter(), time.process_time()
    groups = group(articles)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    events = Counter(a.id.split("-")[0] for a in articles)
    exact = sum(
        1
        for g in groups
        if len({articles[i].id.split("-")[0] for i in g}) == 1
        and len(g) == events[articles[g[0]].id.split("-")[0]]
    )
    result = {
        "articles": float(n),
        "seconds": secs,
        "cpu_seconds": cpu,
        "events": float(len(events)),
        "groups": float(len(groups)),
        "events_recovered_exactly": exact / max(len(events), 1),
    }
    print(
        f"grouped {n} synthetic articles in {secs:.2f} s ({cpu:.2f} s CPU): "
        f"{len(groups)} groups for {len(events)} events, "
        f"{100 * result['events_recovered_exactly']:.1f}% recovered exactly"
    )
    return result
