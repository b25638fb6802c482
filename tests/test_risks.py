from briefgen.risks import extract_risks


def texts(make_parsed, text: str) -> list[str]:
    return [r.text for r in extract_risks(make_parsed(text))]


def test_hedges_warnings_and_conditionals_are_risks(make_parsed) -> None:
    found = texts(
        make_parsed,
        "The source warned that the U.S. might try to divide Canada and Mexico. "
        "If CUSMA fails, tariffs could rise sharply. "
        "The weather in Ottawa was pleasant.",
    )
    assert len(found) == 2
    assert all("weather" not in t for t in found)


def test_past_negative_facts_are_not_open_risks(make_parsed) -> None:
    assert texts(make_parsed, "The talks failed last year. The deal collapsed in May.") == []


def test_risk_offsets_are_exact(make_parsed) -> None:
    parsed = make_parsed("Growth was slow. Officials fear the strike could spread to other cities.")
    for r in extract_risks(parsed):
        assert parsed.article.text[r.start : r.end] == r.text
        assert r.cues
