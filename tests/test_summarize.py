from briefgen.summarize import summarize

TEXT = (
    "Canada and the United States resumed talks on steel tariffs in Ottawa on Monday. "
    "The talks focus on quotas for steel and aluminium exports to the United States. "
    "Canada and the United States resumed talks on steel tariffs in Ottawa on Monday, officials said. "
    "A local bakery won a prize for its bread. "
    "Officials expect a deal on steel quotas before the tariff deadline at the end of the month. "
    "The weather was mild."
)


def test_summary_is_in_document_order_with_exact_offsets(make_parsed) -> None:
    parsed = make_parsed(TEXT)
    summary = summarize(parsed, sentences=3)
    assert len(summary) == 3
    assert [s.start for s in summary] == sorted(s.start for s in summary)
    for s in summary:
        assert TEXT[s.start : s.end] == s.text


def test_near_duplicate_sentences_are_not_repeated(make_parsed) -> None:
    summary = summarize(make_parsed(TEXT), sentences=3)
    starts = [s.text[:40] for s in summary]
    assert len(set(starts)) == len(starts)
    assert sum(s.text.startswith("Canada and the United States resumed") for s in summary) == 1


def test_fragments_are_skipped(make_parsed) -> None:
    text = (
        "Steel talks\nOTTAWA — Negotiators from both countries met for six hours on Monday. "
        "They agreed to meet again next week in Washington."
    )
    summary = summarize(make_parsed(text), sentences=2)
    assert all(s.text != "Steel talks" for s in summary)
