"""Parties of the main events: unnamed groups and office-holders, and the links that make one
actor of a title, a capital, a surname and a name. Fixtures invented for these tests."""

import datetime as dt

from briefgen.article import analyse
from briefgen.doc import Analysis, Article
from briefgen.nlp import parse


def _analysis(text: str, title: str = "News") -> Analysis:
    return analyse(parse(Article(id="a1", title=title, text=text, published=dt.date(2025, 9, 16))))


def test_an_unnamed_group_that_acts_is_a_party() -> None:
    found = _analysis(
        "Federal prosecutors charged three bankers with fraud on Monday. "
        "The jury will hear the case in March. "
        "Prosecutors said the bankers hid losses."
    ).mentions
    parties = {m.text: m for m in found if m.type == "OTHER"}
    assert parties["Federal prosecutors"].event == "agent"
    assert parties["Federal prosecutors"].ref == parties["Prosecutors"].ref  # one group
    assert "The jury" in parties


def test_a_generic_noun_that_does_not_act_is_not_a_party() -> None:
    found = _analysis(
        "The minister of finance, Ingrid Vasquez, raised the levy on Monday. "
        "Some people think levies on banks are a good idea. "
        "The levy takes effect in March."
    ).mentions
    texts = {m.text for m in found if m.type == "OTHER"}
    assert not any("people" in t or "banks" in t or "levy" in t for t in texts)


def test_an_unnamed_office_holder_is_a_party_of_its_own() -> None:
    found = _analysis(
        "The mayor of Kelbrook rejected the transit budget on Tuesday. "
        "Councillors had approved the budget last week."
    ).mentions
    mayor = [m for m in found if m.text == "The mayor of Kelbrook"]
    assert mayor and mayor[0].type == "OTHER" and mayor[0].role == "mayor"
    assert mayor[0].event == "agent"


def test_a_title_is_the_holder_the_article_names() -> None:
    found = _analysis(
        "U.S. President Donald Trump met Canadian Prime Minister Mark Carney on Monday. "
        "The president said the talks were productive."
    ).mentions
    title = [m for m in found if m.text == "The president"]
    assert title and title[0].canonical == "Donald Trump"


def test_a_capital_that_acts_is_its_state() -> None:
    found = _analysis(
        "Ottawa rejected the offer on Monday. Trade talks took place in Beijing last year."
    ).mentions
    by_text = {m.text: m for m in found}
    assert by_text["Ottawa"].canonical == "Canada"
    assert by_text["Beijing"].canonical is None  # only the setting


def test_a_shared_surname_is_the_person_not_called_by_first_name() -> None:
    found = _analysis(
        "Maria Lopez and her son Tomas Lopez arrived in Ottawa on Monday. "
        "Tomas waved to the crowd. Lopez said she was happy to be home."
    ).mentions
    lopez = [m for m in found if m.text == "Lopez"]
    assert lopez and lopez[0].canonical == "Maria Lopez"


def test_a_tie_is_the_person_the_article_names_with_it() -> None:
    found = _analysis(
        "A retired fisherman was arrested on Friday, but the man's lawyer called the arrest "
        "a ruse. Tobias Wren appeared in court in Kelbrook. His attorney, Ilse Marsh, said "
        "the charge was weak. The lawyer will appeal."
    ).mentions
    by_text = {m.text: m for m in found}
    assert by_text["the man's lawyer"].canonical == "Ilse Marsh"
    assert by_text["The lawyer"].canonical == "Ilse Marsh"
    assert by_text["Ilse Marsh"].event == "agent"  # "His attorney, Ilse Marsh, said"


def test_a_tie_held_by_two_named_people_stays_unlinked() -> None:
    found = _analysis(
        "Tobias Wren's lawyer, Ilse Marsh, spoke on Monday. Anna Kell's lawyer, Omar Reyes, "
        "spoke on Tuesday. The lawyer said the case was weak."
    ).mentions
    assert not any(m.text == "The lawyer" and m.canonical for m in found)


def test_a_count_of_people_is_not_a_party() -> None:
    found = _analysis(
        "The bombing killed 224 people on Friday. About 500 people attended a memorial "
        "service on Sunday. Belfast customers lost power in the storm."
    ).mentions
    texts = {m.text for m in found if m.type == "OTHER"}
    assert not any("people" in t for t in texts)
    assert "Belfast customers" in texts


def test_a_pronoun_does_not_stand_for_a_platform() -> None:
    found = _analysis(
        "Helen Marsh said on Twitter that the bridge would close. She said repairs would take "
        "a year."
    ).mentions
    she = [m for m in found if m.text == "She"]
    assert she and she[0].canonical == "Helen Marsh"


def test_a_lead_that_describes_before_naming_is_that_person() -> None:
    found = _analysis(
        "A 78-year-old Kelbrook man with a long criminal history was arrested on Friday. "
        "Tobias Wren appeared in federal court in Hartford on Friday afternoon. "
        "The man denied the charge."
    ).mentions
    by_text = {m.text: m for m in found}
    assert by_text["A 78-year-old Kelbrook man"].canonical == "Tobias Wren"
    assert by_text["The man"].canonical == "Tobias Wren"


def test_a_lead_followed_by_an_official_is_not_linked_to_the_official() -> None:
    found = _analysis(
        "A six-year-old boy who arrived as a refugee must be returned to his father, "
        "officials ruled on Wednesday. Commissioner Ilse Marsh said the boy would go home "
        "by January."
    ).mentions
    assert not any(m.canonical == "Ilse Marsh" and "boy" in m.text for m in found)


def test_a_lead_that_names_a_tie_before_the_person_is_that_person() -> None:
    found = _analysis(
        "The boy's father said in a letter published on Wednesday that he wants to see his son. "
        "Juan Miguel Gonzalez wrote in the letter that the boy was kidnapped."
    ).mentions
    father = [m for m in found if m.text == "The boy's father"]
    assert father and father[0].canonical == "Juan Miguel Gonzalez"


def test_a_bare_singular_title_is_no_party() -> None:
    found = _analysis(
        "Helen Marsh vowed on Monday to bring the bombers to justice. Police said they had "
        "made two arrests."
    ).mentions
    texts = {m.text for m in found if m.type == "OTHER"}
    assert "justice" not in texts
    assert "Police" in texts


def test_the_child_named_in_apposition_is_that_child() -> None:
    found = _analysis(
        "The agency ruled on Wednesday that Tobias Wren, the 6-year-old boy who survived the "
        "crossing, must return to his father. The boy will fly home on Friday."
    ).mentions
    boy = [m for m in found if m.text == "The boy"]
    assert boy and boy[0].canonical == "Tobias Wren"


def test_a_lead_that_names_an_office_before_its_holder_is_the_holder() -> None:
    found = _analysis(
        "Kelbrook's prime minister has apologised to Dunmore for the raid on the ferry. "
        "Helen Marsh also agreed to compensate the families of the victims."
    ).mentions
    office = [m for m in found if m.text == "Kelbrook's prime minister"]
    assert office and office[0].canonical == "Helen Marsh"
