"""The shared text rules of briefgen.words."""

from __future__ import annotations

from briefgen.words import dateline_end


def test_dateline_forms() -> None:
    def cut(text: str) -> str:
        return text[dateline_end(text) :]

    assert cut("WASHINGTON, D.C. — Talks between the two sides stalled.") == (
        "Talks between the two sides stalled."
    )
    assert cut("HAVANA (AP) -- Calling the plan a trap, Castro spoke.").startswith("Calling")
    assert cut("LONDON, England (CNN) -- A man was held on Friday.").startswith("A man")
    assert cut("INDEPENDENCE, MO. (AP)-- Poland joined the pact today.").startswith("Poland")
    assert cut("JOHANNESBURG, August 7 (Xinhua) -- The rand fell again.").startswith("The rand")
    assert cut("NAIROBI, Kenya (AP) _ Rescuers dug through the night.").startswith("Rescuers")
    assert cut("MIAMI _ With a tense city waiting, officials spoke.").startswith("With")
    assert cut("(CNN)A spacecraft will fall back to Earth.").startswith("A spacecraft")
    # An aside between dashes, or a name in capitals inside the sentence, is no dateline.
    for text in (
        "NATO — the alliance of thirty nations — met in Brussels.",
        "The man — a teacher from Leeds — was held overnight.",
        "US President Trump said on Monday he would go to Ottawa.",
        "OTTAWA — Yes.",
        "The United Nations (UN) Security Council met on Friday.",
    ):
        assert dateline_end(text) == 0


def test_words_of_is_the_word_pattern() -> None:
    import random

    from briefgen.words import WORD, words_of

    rng = random.Random(3)
    pieces = ["ab", "Cd", "7", "x9", "'", "''", " ", "_", "-", ".", "\n", "’", "é", "naïve", "'s"]
    texts = ["", "'", "workers' pay", "'tis", "don't", "rock 'n' roll", "a''b", "x_y 3.5"]
    texts += ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(3000)]
    for text in texts:
        assert words_of(text) == WORD.findall(text), text


def test_folded_words_all_is_each_texts_folded_words() -> None:
    import random

    from briefgen.words import (
        TEXT_END,
        WORD,
        content_words,
        folded_words,
        folded_words_all,
        lowered_words,
        words_all,
    )

    rng = random.Random(5)
    pieces = ["ab", "CD", "7", "x9", "'", " ", "_", "-", ".", "\x00", "’", "É", "Straße", "the"]
    texts = ["", "\x00", "Workers' pay", "NAÏVE", "a\x00b", "The Minister said so."]
    texts += ["".join(rng.choices(pieces, k=rng.randint(0, 10))) for _ in range(3000)]
    rng.shuffle(texts)  # runs of plain ASCII texts between others, of every length
    expected = [w for t in texts for w in (*folded_words(t), TEXT_END)]
    assert folded_words_all(texts) == expected
    assert folded_words_all([]) == []
    # Lowered, not folded, words: a non-ASCII text keeps what lowering it gives.
    assert words_all(texts, lowered_words) == [
        w for t in texts for w in (*WORD.findall(t.lower()), TEXT_END)
    ]
    assert words_all(["STRASSE Straße"], lowered_words) == ["strasse", "straße", TEXT_END]
    # content_words is what folded_words keeps: folding is the one rule.
    assert content_words("The Minister's STRASSE, Straße") == {"minister's", "strasse"}
