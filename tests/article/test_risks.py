from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from briefgen.article.mentions import extract_mentions
from briefgen.article.risks import extract_risks, sentence_cues
from briefgen.doc import Article, Parsed, Risk
from briefgen.nlp import parse
from briefgen.week.risks import rank_risks

MakeParsed = Callable[..., Parsed]


def texts(make_parsed: MakeParsed, text: str) -> list[str]:
    return [r.text for r in extract_risks(make_parsed(text))]


def risks_of(article_id: str, text: str) -> list[Risk]:
    parsed = parse(
        Article(id=article_id, title=article_id, text=text, published=dt.date(2026, 11, 18))
    )
    return extract_risks(parsed, extract_mentions(parsed))


def test_hedges_warnings_and_conditionals_are_risks(make_parsed: MakeParsed) -> None:
    found = texts(
        make_parsed,
        "The source warned that the U.S. might try to divide Canada and Mexico. "
        "If CUSMA fails, tariffs could rise sharply. "
        "The weather in Ottawa was pleasant.",
    )
    assert len(found) == 2
    assert all("weather" not in t for t in found)


def test_past_negative_facts_are_not_open_risks(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, "The talks failed last year. The deal collapsed in May.") == []


def test_more_past_negative_facts_are_not_listed(make_parsed: MakeParsed) -> None:
    text = (
        "Negotiations between the two ministries collapsed last year. "
        "The plant closed in 2019 and 400 workers lost their jobs. "
        "Shares of the insurer fell 14 per cent on Friday. "
        "The union's 2014 strike lasted three days. "
        "Police investigated threats against the clinic in 2015. "
        "Profits were lower than expected. "
        "After bilateral talks collapsed last year, Washington raised the tariffs. "
        "The country retaliated within days."
    )
    assert texts(make_parsed, text) == []


def test_the_same_outcomes_told_as_still_to_come_are_risks(make_parsed: MakeParsed) -> None:
    found = texts(
        make_parsed,
        "The talks will collapse without a new offer. The mill is set to lay off 300 workers.",
    )
    assert len(found) == 2


def test_fears_threats_and_open_questions(make_parsed: MakeParsed) -> None:
    found = texts(
        make_parsed,
        "Farmers fear a drought this summer. "
        "The union threatened to strike in December. "
        "It remains to be seen whether the board will approve the merger. "
        "The mayor opened a new library on Tuesday.",
    )
    assert len(found) == 3
    assert not any("library" in t for t in found)


def test_words_that_look_like_cues_but_are_not(make_parsed: MakeParsed) -> None:
    text = (
        "The company may be reached at its Toronto office. "
        "A Toronto packaging concern bought the plant. "
        "The mayor could not be reached for comment. "
        "The suspect appeared in court on Monday. "
        "Schedules change without warning, the driver said. "
        "Sales rose in May."
    )
    found = texts(make_parsed, text)
    # "may be reached" is a possibility in form; everything else is a plain fact
    assert all("concern" not in t and "appeared" not in t and "May." not in t for t in found)
    assert not any("could not be reached" in t or "without warning" in t for t in found)


def test_cues_are_checked_against_the_parse(make_parsed: MakeParsed) -> None:
    parsed = make_parsed("Analysts expect the central bank to cut rates. Sales rose in May.")
    sents = list(parsed.doc.sents)
    assert [c.kind for c in sentence_cues(sents[0])] == ["belief"]
    assert sentence_cues(sents[1]) == []


def test_risk_offsets_are_exact(make_parsed: MakeParsed) -> None:
    parsed = make_parsed("Growth was slow. Officials fear the strike could spread to other cities.")
    found = extract_risks(parsed)
    assert found
    for r in found:
        assert parsed.article.text[r.start : r.end] == r.text
        assert r.cues


def test_holder_and_poser() -> None:
    (risk,) = risks_of(
        "a1", "Trade Minister Elena Marchetti warned that Washington might impose new duties."
    )
    assert risk.holder == "Elena Marchetti"
    assert risk.poser == "Washington"
    assert "warned" in risk.cues and "might" in risk.cues
    assert "warning" in risk.kinds


def test_a_wire_dateline_is_not_who_poses_the_risk() -> None:
    (risk,) = risks_of(
        "a1",
        "KELBROOK — Bus and light-rail operators in Kelbrook could walk off the job early next "
        "week after their union served strike notice on Tuesday.",
    )
    assert risk.poser == "Bus and light-rail operators"


def test_a_clause_that_poses_a_risk_is_named_whole() -> None:
    (risk,) = risks_of("a1", "Cutting rates too early could undo the progress, Solberg said.")
    assert risk.poser == "Cutting rates too early"
    assert risk.holder == "Solberg"


def test_the_same_risk_in_two_articles_is_merged_and_ranked_up() -> None:
    a = risks_of(
        "a1",
        "Steel producers warned that the new quotas could force mills to cut thousands of "
        "jobs next year. The weather was mild.",
    )
    b = risks_of(
        "b2",
        "Mills may cut thousands of jobs next year because of the new quotas, the producers "
        "warned. Separately, a bakery might open downtown.",
    )
    ranked = rank_risks([*a, *b])
    merged = [r for r in ranked if r.also]
    assert len(merged) == 1
    top = merged[0]
    assert {top.article, *(o[0] for o in top.also)} == {"a1", "b2"}
    assert ranked[0] is top
    assert len(ranked) == len(a) + len(b) - 1


def test_unrelated_risks_are_not_merged() -> None:
    a = risks_of("a1", "Officials warned that the bridge could close for repairs in March.")
    b = risks_of("b2", "Doctors fear that flu cases might rise sharply this winter.")
    assert all(not r.also for r in rank_risks([*a, *b]))


def test_risks_are_grouped_by_story_when_stories_are_known() -> None:
    from briefgen.doc import Story

    a = risks_of("a1", "Officials warned that the bridge could close for repairs in March.")
    b = risks_of("b2", "Doctors fear that flu cases might rise sharply this winter.")
    story = Story(id="s1", title="Bridge repairs", articles=["a1"], summary=[])
    groups = {r.article: r.group for r in rank_risks([*a, *b], stories=[story])}
    assert groups["a1"] == "Bridge repairs"
    assert groups["b2"] != "Bridge repairs"


def test_they_refers_to_the_last_speaker_even_outside_risk_sentences() -> None:
    risks = risks_of(
        "r-they",
        "Union leaders hope the city will raise its offer. "
        "The mediator met both sides on Monday. "
        "A spokesperson for the transit authority said talks went on past midnight. "
        "They fear the buses could stop running next week.",
    )
    [fear] = [r for r in risks if r.text.startswith("They fear")]
    assert fear.holder is not None and fear.holder.lower() == "a spokesperson"


def test_ranked_risks_name_holder_and_poser_as_the_actors_are_named() -> None:
    from briefgen.article import analyse
    from briefgen.week.actors import merge_actors

    text = (
        "Trade Minister Elena Marchetti met U.S. officials on Monday. Marchetti warned that the "
        "United States might impose new duties on Canadian steel."
    )
    analysis = analyse(
        parse(Article(id="a1", title="t", text=text, published=dt.date(2026, 11, 18)))
    )
    (risk,) = rank_risks(analysis.risks, actors=merge_actors([analysis]))
    assert analysis.risks[0].holder == "Marchetti"
    assert risk.holder == "Elena Marchetti"
    assert risk.poser == "United States"


# --- what is a risk, and what is not (issue 15) ------------------------------------------------


def kept(make_parsed: MakeParsed, text: str) -> list[str]:
    return [r.text for r in extract_risks(make_parsed(text))]


def test_each_class_of_risk_is_kept(make_parsed: MakeParsed) -> None:
    text = (
        "The rebels threatened to attack the port next month. "  # threat
        "The central bank warned that inflation could climb again. "  # warning
        "Farmers fear the drought will ruin the harvest. "  # fear
        "The merger might collapse if regulators object. "  # hedged, conditional
        "The plant is set to close in March. "  # forecast bad outcome
        "The pension fund remains in deficit. "  # open problem
        "Talks between the two unions have stalled."  # stalled talks
    )
    assert len(kept(make_parsed, text)) == 7


def test_what_is_not_a_risk_is_dropped(make_parsed: MakeParsed) -> None:
    text = (
        "The minister is likely to announce a new partnership agreement with Norway. "
        "It is a bit reassuring to see the regulator following a real process. "
        "I think that is a positive sign for the agreement. "
        "The committee is expected to meet on Thursday. "
        "The factory closed in 2019. "
        "The dispute over fishing rights was resolved last week."
    )
    assert kept(make_parsed, text) == []


def test_negation_decides_polarity(make_parsed: MakeParsed) -> None:
    assert kept(make_parsed, "The debris poses no danger to the crew.") == []
    assert kept(make_parsed, "The delay will not put the crew at risk.") == []
    assert kept(make_parsed, "Negotiators have failed to reach a deal.")
    assert kept(make_parsed, "The coral reef might not survive another hot summer.")


def test_open_problems_without_a_hedge(make_parsed: MakeParsed) -> None:
    text = (
        "Recent negotiations between Oslo and Brussels have seen little progress. "
        "There has been minimal contact between the two teams since late August. "
        "There are no scheduled meetings at this time. "
        "The appeal is still pending, the court said."
    )
    found = extract_risks(make_parsed(text))
    assert len(found) == 4
    assert all("problem" in r.kinds for r in found)
    assert all(r.why == "open problem" for r in found)


def test_the_clause_that_states_the_risk_lies_inside_its_sentence(make_parsed: MakeParsed) -> None:
    parsed = make_parsed("The governor warned that the dam could fail during the spring floods.")
    (risk,) = extract_risks(parsed)
    assert risk.clause is not None
    start, end = risk.clause
    assert risk.start <= start < end <= risk.end
    clause = parsed.article.text[start:end]
    assert "dam could fail" in clause and "governor" not in clause


def test_who_warns_who_is_threatened_and_who_poses_it() -> None:
    (risk,) = risks_of(
        "a1", "Union leader Ana Ruiz warned that Dorvale Steel could cut 400 jobs at the mill."
    )
    assert risk.holder == "Ana Ruiz"
    assert risk.poser == "Dorvale Steel"
    assert risk.threatened is not None and "jobs" in risk.threatened


def test_a_condition_does_not_make_the_main_subject_its_poser() -> None:
    risks = risks_of(
        "a1",
        "Mark Carney met Claudia Sheinbaum on Tuesday. When asked if Carney is pursuing a direct "
        "trade deal with Mexico in case CUSMA fails, the source replied, “Not for now.”",
    )
    assert all(r.poser != "Carney" and r.poser != "Mark Carney" for r in risks)


def test_the_same_risk_in_two_sentences_of_an_article_is_listed_once() -> None:
    risks = risks_of(
        "a1",
        "Steel producers warned that the new quotas could force mills to cut thousands of jobs. "
        "The mayor opened a library. "
        "The new quotas could force steel mills to cut thousands of jobs, producers warned again.",
    )
    assert len(risks) == 1
    assert len(risks[0].also) == 1


def test_the_uncertainty_detector_stays_a_component(make_parsed: MakeParsed) -> None:
    from briefgen.article.risks import uncertain_sentences

    parsed = make_parsed("Analysts expect the company to announce a new partnership next week.")
    assert uncertain_sentences(parsed)  # uncertain ...
    assert extract_risks(parsed) == []  # ... but a positive expectation, not a risk


# --- open negative states and forecasts with no hedge: each class, with its near misses -------


def _one_risk(make_parsed: MakeParsed, risky: str, *safe: str) -> None:
    """``risky`` is listed as a risk; each of ``safe`` is not."""
    assert texts(make_parsed, risky) == [risky]
    for text in safe:
        assert texts(make_parsed, text) == [], text


def test_a_state_reported_in_the_past_still_holds(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The minister admitted that the province did not have the money to pay its nurses.",
        "The minister said the weather was fine.",
        "He said the bridge had been dangerous before the repairs in 2019.",
    )


def test_a_bad_state_that_holds_now(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The tanker is now drifting out of control, the coast guard said.",
        "The tanker is now docked in Halifax, the coast guard said.",
        "The tanker was out of control for an hour last May.",
    )
    _one_risk(
        make_parsed, "This is a recipe for violence on our streets.", "The riot was over by noon."
    )


def test_a_grave_outcome_told_forward_without_a_hedge(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The union said the cuts would destroy the rural bus network.",
        "The union said the cuts would pay for new buses.",
        "The council said it would open a new library.",
    )
    _one_risk(
        make_parsed,
        "Analysts added that a price war would be long and damaging to both firms.",
        "Analysts added that the merger would be quick and good for both firms.",
    )
    _one_risk(make_parsed, "The buyer will not pay on time.", "The buyer will pay on time.")
    _one_risk(
        make_parsed,
        "Opposition MPs are poised to vote against the budget.",
        "Opposition MPs are poised to vote for the budget.",
    )


def test_an_intent_to_cause_harm(make_parsed: MakeParsed) -> None:
    _one_risk(make_parsed, "The rebels want chaos in the capital.", "The rebels want peace talks.")


def test_open_disputes_and_proceedings(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The company denies the allegations.",
        "The company denied the allegations in 2019.",
    )
    _one_risk(
        make_parsed,
        "Prosecutors have launched a criminal investigation into the contract.",
        "Prosecutors launched an investigation in 2010.",
    )


def test_doubt_cast_odds_growing_and_more_to_come(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "Weak sales cast fresh doubt on the company's recovery.",
        "There is no doubt about the recovery.",
    )
    _one_risk(
        make_parsed,
        "The chance of a cyber attack on the grid is growing.",
        "The chance of a pay rise is growing.",
    )
    _one_risk(
        make_parsed,
        "Four people died in the floods last week, and it is possible there will be more.",
        "Four people were rescued last week, and it is possible there will be more.",
    )


def test_what_is_still_unknown_or_feared_in_the_plural(make_parsed: MakeParsed) -> None:
    _one_risk(make_parsed, "Little information has been given about who the attackers were.")
    _one_risk(make_parsed, "There were concerns the lender would default on the bond.")


# --- what the judge now leaves out ---------------------------------------------------------------


def test_a_bad_thing_being_dealt_with_is_no_risk(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The insurer's losses will cripple the pension fund.",
        "Our focus remains on reducing costs and debt.",
        "The new scheme will combat food poverty in the region.",
        "The treaty would reduce the possibility of another war in Europe.",
    )


def test_a_dated_past_narrative_is_settled(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The minister warned that the dispute could cripple the ports.",
        "The phrase was coined in a 1946 speech, when he warned that war could return.",
    )


def test_advice_and_denied_beliefs_are_no_risk(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "Economists think the slump will deepen.",
        "The Greens believe the council should ban diesel buses from the centre.",
        "I don't think conditions have worsened since the storm.",
        "The contrast could not be clearer.",
        "We had issues concerning the facts of the case.",
    )


def test_conduct_escapes_and_past_frames_are_no_threat(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The landlord threatened to evict the tenants next month.",
        "He vowed to fight the firms who extort money by threatening people.",
        "He sued what he called the bullying and threatening agents.",
    )
    _one_risk(
        make_parsed,
        "The mayor faces corruption charges.",
        "The mayor was ruled unfit to face corruption charges last year.",
        "Prosecutors said the mayor would escape prosecution.",
    )


def test_a_risk_in_the_lead_ranks_above_one_told_in_a_past_frame(make_parsed: MakeParsed) -> None:
    from briefgen.article.risks import judge_sentences, own_score

    now, then = judge_sentences(
        make_parsed(
            "The strike could shut the port. Last year they said the strike could shut the port."
        )
    )
    assert now.keep and then.keep
    assert own_score(now, None, lead=True) > own_score(now, None) > own_score(then, None)


def test_an_alarming_finding_still_holds(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "Thousands of migrants have been stranded at the border, an alarming report found.",
        "Thousands of migrants have crossed the border, a report found.",
    )


def test_ongoing_proceedings_and_what_little_is_known(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "Three men were charged in an investigation stretching back months.",
        "Three men were charged in March.",
    )
    _one_risk(make_parsed, "The bank faces an ongoing inquiry into its lending.")
    _one_risk(
        make_parsed,
        "Apart from one photo - grainy and dark - little detail has been released about the suspect.",
    )


def test_a_bad_thing_shrinking_or_dropped_and_never_again_are_no_risk(
    make_parsed: MakeParsed,
) -> None:
    _one_risk(
        make_parsed,
        "Sales are expected to fall sharply next year.",
        "The deficit is expected to fall next year.",
        "The firm may be willing to drop its claim for a cash payment.",
        "We accept the guarantee that our country never again will be the victim of invasion.",
    )
    _one_risk(
        make_parsed,
        "The bank remains under investigation for fraud.",
        "Most of the officials charged under the inquiry have been convicted.",
    )


def test_past_evidence_is_settled(make_parsed: MakeParsed) -> None:
    _one_risk(
        make_parsed,
        "The e-mails appear to show a plan to destroy the plant.",
        "She showed police e-mails that appeared to detail a plan to destroy the plant.",
    )


def test_a_failure_told_through_a_perfect_infinitive_is_no_open_problem(
    make_parsed: MakeParsed,
) -> None:
    _one_risk(
        make_parsed,
        "The buyer has failed to get finance for the deal.",
        "The buyer is said to have failed to get finance for the deal.",
    )


def test_a_past_quoted_in_the_speakers_own_words_is_over(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, 'His lawyer defended him, saying, "There was abuse here."') == []
    # reported without quotes, the past is the report's: the state still holds
    assert texts(make_parsed, "The lawyer said there was abuse in the camp.") != []


def test_until_needs_something_bad_to_last(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "Castro said they would live in a diplomat's home until the court case over the "
            "boy's fate is resolved.",
        )
        == []
    )
    assert texts(make_parsed, "He said the sanctions would remain until Iraq complies.") != []


def test_what_someone_hopes_for_is_no_risk(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "The prime minister said he hoped campaigners' concerns would be taken into account. "
            'The MPs said they were hoping "the new leadership will bring a fresh approach to '
            'a failing organisation".',
        )
        == []
    )
    # a fear beside the hope is still a risk
    assert (
        texts(make_parsed, "Officials hope the strike will end, but fear it could close the port.")
        != []
    )


def test_a_question_about_what_happened_is_settled(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "It wasn't immediately clear if the bangs came from guns or from grenades used to "
            "disorient suspects.",
        )
        == []
    )
    assert texts(make_parsed, "It is not clear whether the dam will hold.") != []


def test_a_settled_characterisation_is_no_risk(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, "He is considered a mastermind for this terrorist group.") == []
    assert texts(make_parsed, "He is considered a threat to the state.") != []


def test_a_feared_kind_of_thing_that_is_avoided_is_no_risk(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "But the government seemed keen not to make the review look like the kind of "
            "wholesale renationalisation which many fear in Russia, Mr Hensel said.",
        )
        == []
    )


def test_aimed_at_is_not_attacked(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, "Our action is going to be targeted at that area, she added.") == []
    assert texts(make_parsed, "She said innocent Muslims would be targeted.") != []


def test_a_bad_thing_forecast_to_fall_through_a_repeated_or_elided_subject(
    make_parsed: MakeParsed,
) -> None:
    assert (
        texts(
            make_parsed,
            "The EU expects the German deficit to fall to fall to 2.9% of GDP next year, while "
            "France's is forecast to drop to 3%.",
        )
        == []
    )
    assert texts(make_parsed, "Sales are expected to fall next year.") != []


def test_what_a_concession_grants_is_not_the_open_problem(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "Despite the rise in unemployment, jobless figures are still some way below "
            "historical highs.",
        )
        == []
    )
    assert texts(make_parsed, "Unemployment is still high.") != []


def test_what_cannot_be_ruled_out_is_a_risk_unless_it_is_good_news(
    make_parsed: MakeParsed,
) -> None:
    assert texts(make_parsed, "A Greek exit from the eurozone could no longer be ruled out.") != []
    assert texts(make_parsed, "The minister refused to rule out strikes.") != []
    assert texts(make_parsed, "A recovery cannot be ruled out.") == []
    assert texts(make_parsed, "The minister ruled out new taxes.") == []


def test_people_stranded_now_not_once(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "The cruise has turned into a holiday from hell for 2500 passengers stranded on the ship.",
        )
        != []
    )
    assert texts(make_parsed, "Hundreds of people are trapped in the rubble.") != []
    assert texts(make_parsed, "Passengers were stranded for hours last night.") == []


def test_a_hostile_actor_acting_now_and_a_contest_being_fought(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, "The extremist group is also advancing in Iraq.") != []
    assert texts(make_parsed, "His great-uncle is fighting in the courts to keep the boy.") != []
    assert texts(make_parsed, "The rebels fought their way into the city in May.") == []
    assert texts(make_parsed, "The extremist group is not advancing.") == []


def test_a_risk_mentioned_in_passing_ranks_below_one_stated(make_parsed: MakeParsed) -> None:
    (passing,) = extract_risks(
        make_parsed(
            "Only Ireland, still struggling to recover from a banking collapse, has more debt."
        )
    )
    (stated,) = extract_risks(
        make_parsed("Ireland is still struggling to recover from a banking collapse.")
    )
    assert passing.score < stated.score


def test_a_view_looked_back_on_and_the_course_not_taken_are_no_risks(
    make_parsed: MakeParsed,
) -> None:
    assert texts(make_parsed, "We were pleased, and we thought that's where it would stop.") == []
    assert texts(make_parsed, "We think the bank will fail.") != []
    assert texts(make_parsed, "To do anything else would risk disenfranchising voters.") == []
    assert texts(make_parsed, "Doing nothing would risk a collapse.") != []


def test_a_compared_rate_is_a_finding(make_parsed: MakeParsed) -> None:
    assert (
        texts(
            make_parsed,
            "Statistics suggested Roma were 400 times more likely to be stopped than others.",
        )
        == []
    )
    assert texts(make_parsed, "Statistics suggest Roma are likely to be stopped.") != []


def test_a_bad_state_brought_to_light_and_money_still_needed(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, 'Liberty said it exposed "racism at the heart of the policy".') != []
    assert texts(make_parsed, "Danczuk, the MP who exposed the abuse, spoke on Monday.") == []
    assert (
        texts(make_parsed, "It estimated that it needs almost 30m euros if it is to pay its bills.")
        != []
    )
    assert texts(make_parsed, "The firm does not need the loan.") == []


def test_a_good_outcome_however_bad_its_driver_and_a_past_purpose(make_parsed: MakeParsed) -> None:
    assert (
        texts(make_parsed, "Political pressure may well push the two firms to reach a compromise.")
        == []
    )
    assert texts(make_parsed, "Rising costs could push the firm into bankruptcy.") != []
    assert texts(make_parsed, "It was so callously planned so that civilians would die.") == []


def test_a_named_gamble_is_a_risk_taking_risks_is_business(make_parsed: MakeParsed) -> None:
    assert (
        texts(make_parsed, "They say we can take the risk of pushing Cyprus out of the euro zone.")
        != []
    )
    assert texts(make_parsed, "Investors are taking risks again.") == []


def test_a_fight_over_something_not_a_race(make_parsed: MakeParsed) -> None:
    assert texts(make_parsed, "They are fighting over property already.") != []
    assert texts(make_parsed, "Whilst Manor are fighting, they have a lot of work to do.") == []
    assert (
        texts(make_parsed, "A girl who became trapped by the neck was saved by her neighbours.")
        == []
    )


def test_a_passive_threat_names_what_is_threatened_and_by_whom() -> None:
    (risk,) = risks_of("a1", "Thousands of jobs are threatened by the closures, the union warned.")
    assert (risk.holder, risk.poser) == ("the union", "the closures")
    (risk,) = risks_of("a2", "In Wales 2,000 jobs are threatened.")
    assert risk.holder is None and risk.threatened is not None
    (risk,) = risks_of("a3", "The slide of the dollar could jeopardise growth in Japan.")
    assert risk.poser == "the slide" and risk.holder is None


def test_who_someone_is_is_no_state_of_danger(make_parsed: MakeParsed) -> None:
    assert (
        texts(make_parsed, "The FBI says Bin Laden is the leader of a terrorist organization.")
        == []
    )
    assert texts(make_parsed, "The club said it was in a life-threatening situation.") != []
    assert texts(make_parsed, "``It was definitely a bomb,'' said an embassy official.") == []


def test_a_wish_politely_put_is_no_forecast_unless_it_is_to_do_harm(
    make_parsed: MakeParsed,
) -> None:
    assert (
        texts(make_parsed, "The government would like to express its condolences to the victims.")
        == []
    )
    assert texts(make_parsed, "The union would like to strike in May.") != []
