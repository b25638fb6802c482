from briefgen.article.summarize import centrality, summarize, summarize_sentences
from briefgen.doc import Article, Sentence
from briefgen.nlp import split_sentences

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


def _sentences(text: str) -> list[Sentence]:
    return [
        Sentence(index=i, start=s, end=e, text=text[s:e])
        for i, (s, e) in enumerate(split_sentences(text))
    ]


LEAD_TEXT = (
    "Port workers in Rotterdam began a strike over pay on Monday, halting container traffic. "
    "The union said the strike at the port would last until employers improve their pay offer. "
    "Container ships queued outside the port as the strike over pay entered its second day. "
    '"We have never seen anything like it," said one taxi driver who was waiting nearby today. '
    "Employers at the port said they would meet the union about the pay offer on Thursday. "
    "Separately, a museum in the city opened an exhibition of paintings by local artists."
)


def test_summary_prefers_lead_sentences_that_are_central() -> None:
    article = Article(id="a", title="", text=LEAD_TEXT)
    summary = summarize_sentences(article, _sentences(LEAD_TEXT), sentences=3)
    texts = [s.text for s in summary]
    assert texts[0].startswith("Port workers")
    assert not any("museum" in t for t in texts)
    assert not any(t.startswith('"') for t in texts)


def test_summary_from_sentences_matches_the_parsed_path(make_parsed) -> None:
    parsed = make_parsed(LEAD_TEXT)
    direct = summarize_sentences(parsed.article, _sentences(LEAD_TEXT), sentences=3)
    assert summarize(parsed, sentences=3) == direct


def test_summary_length_is_capped_by_the_article() -> None:
    text = "The council approved the new budget for schools and roads on Tuesday evening."
    summary = summarize_sentences(Article(id="a", title="", text=text), _sentences(text))
    assert [s.text for s in summary] == [text]
    assert summarize_sentences(Article(id="b", title="", text=""), []) == []


def test_only_fragments_still_give_one_line() -> None:
    text = "Steel talks\nOTTAWA"
    summary = summarize_sentences(Article(id="a", title="", text=text), _sentences(text))
    assert [s.text for s in summary] == ["Steel talks"]


def test_centrality_favours_the_shared_topic() -> None:
    bags = [["port", "strike"], ["port", "strike", "pay"], ["museum", "paint"], ["strike", "pay"]]
    scores = centrality(bags)
    assert len(scores) == 4
    assert scores[2] < min(scores[0], scores[1], scores[3])
    assert abs(sum(scores) - 4.0) < 1e-6
    assert centrality([]) == []


def test_word_budget_limits_the_summary() -> None:
    article = Article(id="a", title="", text=LEAD_TEXT)
    sents = _sentences(LEAD_TEXT)
    full = summarize_sentences(article, sents, sentences=3)
    short = summarize_sentences(article, sents, sentences=3, words=35)
    assert 1 <= len(short) < len(full)
    assert sum(len(s.text.split()) for s in short) <= 35
    one = summarize_sentences(article, sents, sentences=3, words=1)
    assert [s.text for s in one] == [full[0].text]


NEWS_TEXT = (
    "Fishing crews in Brest blocked the harbour entrance, demanding higher quotas for cod. "
    "The crews have asked for talks with the ministry for several years without success. "
    "Last spring the port authority renovated the quay at a cost of 40 million euros. "
    "During her first visit to the port in May, the minister opened a new fish market there. "
    "The regional council said the dispute had cost local traders dearly over the summer. "
    "This week the minister is travelling to Brest, where she will meet the crews on Thursday. "
    "The European Commission opened a review of cod quotas, with comments due by November 1."
)


def test_summary_leads_with_the_news_not_dated_background(make_parsed) -> None:
    from briefgen.article.dates import extract_dates

    parsed = make_parsed(NEWS_TEXT, published="2025-09-16")
    summary = summarize(parsed, sentences=3, dates=extract_dates(parsed))
    texts = [s.text for s in summary]
    assert texts[0].startswith("Fishing crews")  # the lead's event is the news
    assert any(t.startswith("This week the minister") for t in texts)
    assert any(t.startswith("The European Commission") for t in texts)
    assert not any("in May" in t for t in texts)  # months before publication: background
    for s in summary:
        assert NEWS_TEXT[s.start : s.end] == s.text
    # Without the dates only the lead order speaks, and the background comes in.
    plain = [s.text for s in summarize(parsed, sentences=3)]
    assert any("in May" in t or "Last spring" in t or "several years" in t for t in plain)


def test_background_is_the_dated_main_event_not_a_date_in_a_relative_clause(make_parsed) -> None:
    from briefgen.article.dates import extract_dates
    from briefgen.article.summarize import timing

    parsed = make_parsed(
        "A man who was accused of faking his death last summer pleaded guilty on Monday. "
        "During a visit to the city in March, the mayor opened a bridge over the river. "
        "The court will sentence him next month.",
        published="2025-09-16",
    )
    assert timing(parsed, extract_dates(parsed)) == [1, -1, 1]


def test_quotes_are_colour() -> None:
    from briefgen.article.summarize import is_quote

    assert is_quote('"We will not give up," the union leader said on Monday.')
    assert is_quote("``We are back where we belong,'' said the foreign minister.")
    assert is_quote('We are back where we belong," said the foreign minister of the country.')
    assert not is_quote('The minister called the deal "a good start" and left for Paris.')
    assert not is_quote("Calling the plan ``a disgrace,'' the mayor said Friday she would vote no.")


def test_an_undated_article_still_passes_over_background_openings() -> None:
    text = (
        "The city council approved a new budget for the harbour after a long debate tonight. "
        "In 2009, the harbour was damaged by a storm that flooded the old town and its quay. "
        "The budget gives the harbour money for new cranes and a longer quay for ferries. "
        "Councillors said the harbour budget would be reviewed again in the spring session."
    )
    article = Article(id="a", title="", text=text)
    texts = [s.text for s in summarize_sentences(article, _sentences(text), sentences=3)]
    assert not any(t.startswith("In 2009") for t in texts)


def test_single_quotation_marks_are_colour_but_apostrophes_are_not() -> None:
    from briefgen.article.summarize import is_quote

    assert is_quote(
        "The driver, 20, said: 'What upset me most was the long wait in the cold rain.'"
    )
    assert is_quote("‘We will fight this decision in every court we can,’ the union leader said.")
    assert not is_quote(
        "The teens' mother was treated at a hospital and released on Monday evening."
    )
    assert not is_quote("The council's plan, which residents don't like, was approved on Monday.")
    assert not is_quote(
        "The mayor called the plan 'a start' and promised a vote by the end of June."
    )


def test_picture_captions_are_colour() -> None:
    from briefgen.article.summarize import is_caption

    text = (
        "The city council approved a new budget for the harbour after a long debate on Monday. "
        "Scroll down for video The harbour master (pictured) walks along the quay on a windy day. "
        "The budget gives the harbour money for new cranes and a longer quay for the ferries. "
        "Councillors said the harbour budget would be reviewed again at the spring session."
    )
    summary = summarize_sentences(Article(id="a", title="", text=text), _sentences(text))
    assert not any("pictured" in s.text for s in summary)
    assert is_caption("The mayor (left) and her deputy (right) arrive at the town hall on Monday.")
    assert not is_caption("The mayor left the town hall on Monday without speaking to reporters.")


FEATURE_TEXT = (
    "Imagine waking up to find the water at your door and the road to town gone. "
    "Along the river, mornings like that have become a habit of the season. "
    "The Environment Agency issued flood warnings for 40 towns along the River Severn on Monday. "
    "Engineers from the agency put up temporary barriers in Shrewsbury and Bewdley overnight. "
    "The agency said river levels would peak on Wednesday and stay high until the weekend. "
    "Residents of the town have long complained that the barriers arrive too late."
)


def test_a_feature_opening_is_not_the_lead() -> None:
    from briefgen.article.summarize import is_feature_opening

    summary = summarize_sentences(
        Article(id="a", title="", text=FEATURE_TEXT), _sentences(FEATURE_TEXT)
    )
    texts = [s.text for s in summary]
    assert texts[0].startswith("The Environment Agency issued flood warnings")
    assert not any(t.startswith(("Imagine", "Along the river")) for t in texts)
    assert is_feature_opening("Will the talks on steel tariffs ever end?")
    assert is_feature_opening("In contests against the clock, some athletes seem to seize control.")
    assert not is_feature_opening(
        "A midwife has today accepted that her mistakes led to two deaths."
    )
    assert not is_feature_opening("Ukraine is preparing a review of the privatisation of firms.")
    assert not is_feature_opening("The flu season is winding down, and it has killed 105 children.")


def test_a_news_opening_stays_the_lead() -> None:
    text = (
        "Port workers in Rotterdam began a strike over pay on Monday, halting container traffic. "
        "Would the employers give in before the ships ran out of room to wait outside the port? "
        "The union said the strike at the port would last until employers improve their pay offer."
    )
    summary = summarize_sentences(Article(id="a", title="", text=text), _sentences(text))
    assert summary[0].text.startswith("Port workers")


def test_background_in_the_words_of_the_sentence() -> None:
    from briefgen.article.summarize import background_openings

    text = (
        "Two former guards escaped from the militia's prison and reached the border on Sunday. "
        "Back then, the guards patrolled the market and handed out fines to traders every day. "
        "The pair said they used to punish traders who opened their stalls during prayer times. "
        "A rifle that was used to guard the gate was found in the car they had left at the border. "
        "The two guards are now living in a border town and have asked the authorities for asylum."
    )
    sents = _sentences(text)
    assert background_openings(sents) == [0, -1, -1, 0, 0]
    summary = summarize_sentences(Article(id="a", title="", text=text), sents, sentences=3)
    texts = [s.text for s in summary]
    assert not any(t.startswith(("Back then", "The pair said")) for t in texts)


COUNTER_TEXT = (
    "The regional council approved a new ring road around the market town on Tuesday night. "
    "Council leader Ada Brook said the road would take lorries out of the narrow high street. "
    "The road will cost 40 million pounds and take three years to build, the council said. "
    "Work on the first section is due to begin in the spring after a final survey of the route. "
    "The route crosses farmland to the north of the town and a small wood near the river. "
    "Engineers have studied the soil along the route for most of the past year and a half. "
    "But farmers along the route vowed to fight the plan in the courts to keep their land. "
    "The town's market has been held in the high street every Thursday for centuries."
)


def test_the_other_side_of_the_news_takes_the_last_line() -> None:
    article = Article(id="a", title="", text=COUNTER_TEXT)
    texts = [s.text for s in summarize_sentences(article, _sentences(COUNTER_TEXT))]
    assert texts[0].startswith("The regional council approved")
    assert texts[-1].startswith("But farmers along the route vowed")
    # One line or two: the news alone, never the counterpoint before it.
    two = [s.text for s in summarize_sentences(article, _sentences(COUNTER_TEXT), sentences=2)]
    assert not any(t.startswith("But farmers") for t in two)


def test_a_counterpoint_is_a_party_taking_a_stance() -> None:
    from briefgen.article.summarize import is_counterpoint

    assert is_counterpoint("But many Russians are wary about the eastward growth of the pact.")
    assert is_counterpoint("However, the union rejected the offer as an insult to its members.")
    assert is_counterpoint("Yet Elian's great-uncle is fighting in the courts to keep the boy.")
    # The same source going on, a turn with no stance, or someone's words: not the other side.
    assert not is_counterpoint("But they warned that talks could still fail this week.")
    assert not is_counterpoint("But the road will also carry buses to the new station.")
    assert not is_counterpoint("The farmers vowed to fight, but the council did not reply.")
    assert not is_counterpoint('"But we will fight this plan," the farmers warned on Friday.')


AHEAD_TEXT = (
    "Workers at the Harlow steel plant walked out on Monday in a dispute over pension cuts. "
    "The walkout by the Harlow steel workers halted production at the plant for the whole day. "
    "Union leaders said the pension cuts would cost each worker thousands of pounds. "
    "The plant employs about two thousand people and supplies steel to car makers. "
    "It was opened by the company in the town after the old coal mine closed. "
    "A report on the plant's future is due to be published in December."
)


def test_a_things_date_ahead_is_detail_what_a_party_will_do_is_news(make_parsed) -> None:
    from briefgen.article.dates import extract_dates
    from briefgen.article.summarize import timing

    parsed = make_parsed(AHEAD_TEXT, published="2025-09-16")
    when = timing(parsed, extract_dates(parsed))
    assert when[-1] == 0  # "A report ... is due to be published in December": a thing's date
    texts = [s.text for s in summarize(parsed, dates=extract_dates(parsed))]
    assert not any(t.startswith("A report") for t in texts)
    assert any(t.startswith("The walkout") for t in texts)

    ahead = AHEAD_TEXT.replace(
        "A report on the plant's future is due to be published in December.",
        "The union will meet the plant's owners in London on Thursday.",
    )
    parsed = make_parsed(ahead, published="2025-09-16")
    assert timing(parsed, extract_dates(parsed))[-1] == 1  # what a party will do

    talks = AHEAD_TEXT.replace(
        "A report on the plant's future is due to be published in December.",
        "Talks between the union and the owners resume in London on Thursday.",
    )
    parsed = make_parsed(talks, published="2025-09-16")
    assert timing(parsed, extract_dates(parsed))[-1] == 1  # the story's own next step


def test_a_dateline_is_left_out_of_the_summary_line(make_parsed) -> None:
    text = (
        "OTTAWA — Canada and the United States resumed talks on steel tariffs on Monday. "
        "The talks focus on quotas for steel and aluminium exports to the United States."
    )
    summary = summarize(make_parsed(text), sentences=2)
    assert summary[0].text.startswith("Canada and the United States")
    for s in summary:
        assert text[s.start : s.end] == s.text
