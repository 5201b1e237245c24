"""The extractor on sentences written for these tests (issue #20): each language of the corpus with its number
words, qualifiers and metric words; what is not a figure; one candidate per statement. None of these
sentences is from the shared corpus."""

from __future__ import annotations

from datetime import date

import pytest

from crisisboard.ingest.extract import extract_candidates

DAY = date(2010, 6, 20)


def found(text: str) -> list[tuple]:
    candidates, _ = extract_candidates(text, DAY)
    return [(c.metric, c.low, c.high, c.qualifier) for c in candidates]


@pytest.mark.parametrize("language,text,expected", [
    ("ru", "По данным министерства, погибли 178 человек, ранены 1 800.",
     [("killed", 178, 178, "exact"), ("injured", 1800, 1800, "exact")]),
    ("ru", "Более 2 тысяч человек бежали в Узбекистан.", [("refugees_crossed", 2000, None, "more_than")]),
    ("uk", "Загинули щонайменше 120 людей, поранено понад тисячу.",
     [("killed", 120, None, "at_least"), ("injured", 1000, None, "more_than")]),
    ("sr", "У сукобима је погинуло најмање 170 људи, а рањено је 1.700.",
     [("killed", 170, None, "at_least"), ("injured", 1700, 1700, "exact")]),
    ("mk", "Во судирите загинаа најмалку 170 луѓе.", [("killed", 170, None, "at_least")]),
    ("pl", "W zamieszkach zginęło co najmniej 170 osób, a 1700 zostało rannych.",
     [("killed", 170, None, "at_least"), ("injured", 1700, 1700, "exact")]),
    ("de", "Bei den Unruhen wurden mindestens 170 Menschen getötet, rund 400.000 sind auf der Flucht.",
     [("killed", 170, None, "at_least"), ("displaced_total", 400000, 400000, "about")]),
    ("de", "Mehr als hundert Menschen wurden verletzt.", [("injured", 100, None, "more_than")]),
    ("es", "Al menos 170 personas murieron y unas 400.000 fueron desplazadas.",
     [("killed", 170, None, "at_least"), ("displaced_total", 400000, 400000, "about")]),
    ("es", "Murieron setenta y cinco personas.", [("killed", 75, 75, "exact")]),
    ("it", "Almeno 170 persone sono morte e circa 400.000 sono sfollate.",
     [("killed", 170, None, "at_least"), ("displaced_total", 400000, 400000, "about")]),
    ("it", "Sono morte centosettanta persone.", [("killed", 170, 170, "exact")]),
    ("fr", "Au moins 170 personnes ont été tuées et quelque 400 000 ont été déplacées.",
     [("killed", 170, None, "at_least"), ("displaced_total", 400000, 400000, "about")]),
    ("fr", "Quatre cent mille personnes ont été déplacées.", [("displaced_total", 400000, 400000, "exact")]),
    ("ar", "قتل ما لا يقل عن 170 شخصا ونزح نحو 400 ألف.",
     [("killed", 170, None, "at_least"), ("displaced_total", 400000, 400000, "about")]),
    ("ur", "کم از کم 170 افراد ہلاک اور 400,000 بے گھر ہو گئے۔",
     [("killed", 170, None, "at_least"), ("displaced_total", 400000, 400000, "exact")]),
    ("ur", "صدر نے دو ہزار سے زائد افراد کی ہلاکت کی تصدیق کی۔", [("killed", 2000, None, "more_than")]),
])
def test_each_language_of_the_corpus(language: str, text: str, expected: list[tuple]) -> None:
    assert found(text) == expected, language


@pytest.mark.parametrize("text,expected", [
    ("Situation Report No. 7 covers the week to 18 June, when 12 people were killed.", [("killed", 12, 12, "exact")]),
    ("On 18 June the UN appealed for $71 million to help 300,000 displaced people.",
     [("displaced_total", 300000, 300000, "exact")]),
    ("About 60 per cent of the dead were Uzbeks, and 75% of the injured.", []),
    ("Police opened 120 criminal cases and seized 15 vehicles; 40 people were killed.", [("killed", 40, 40, "exact")]),
    ("One of the dead was a journalist.", []),
    ("At 3:15 pm, 12 to 17 people died in the clashes.", [("killed", 12, 17, "between")]),
    ("The toll: 1) 191 killed; 2) 1,971 injured.", [("killed", 191, 191, "exact"), ("injured", 1971, 1971, "exact")]),
    ("| Killed | 191 |\n| Injured | 1,971 |", [("killed", 191, 191, "exact"), ("injured", 1971, 1971, "exact")]),
    ("UNOSAT counted 1,877 buildings destroyed in Osh.", [("buildings_destroyed", 1877, 1877, "exact")]),
    ("The death toll has risen to 178, the ministry said.", [("killed", 178, 178, "exact")]),
    ("375,000–400,000 people were displaced.", [("displaced_total", 375000, 400000, "between")]),
    ("More than one million people were caught up in the violence.", [("affected", 1000000, None, "more_than")]),
])
def test_what_is_and_is_not_a_figure(text: str, expected: list[tuple]) -> None:
    assert found(text) == expected


def test_one_candidate_per_statement_with_all_its_mentions() -> None:
    text = ("UN: 400,000 displaced\n\n"
            "The United Nations said on Thursday that 400,000 people had been displaced by the violence. "
            "Aid agencies struggled to reach the 400,000 displaced. Human Rights Watch said 400,000 people had fled.")
    candidates, _ = extract_candidates(text, DAY)
    by_un = [c for c in candidates if c.claimant == "United Nations"]
    assert len(by_un) == 1 and len(by_un[0].mentions) == 3  # the headline, the UN's sentence, the aid sentence
    assert by_un[0].quote in text.split("\n\n")[1].split(". ")[0]  # the quote that names the originator
    assert all(text[s:e] == q for s, e, q in by_un[0].mentions)  # every mention verbatim
    assert "3 mentions of one statement" in by_un[0].why
    others = [c for c in candidates if c.claimant != "United Nations"]
    assert [(c.metric, c.low) for c in others] == [("displaced_total", 400000)]  # Human Rights Watch: its own statement


@pytest.mark.parametrize("text,expected", [
    ("The UN said 400,000 people were displaced, and 100,000 of them fled to Uzbekistan.",
     [("displaced_total", 400000), ("refugees_crossed", 100000)]),
    ("Some 70,000 refugees have returned from Uzbekistan, UNHCR said.", [("refugees_returned", 70000)]),
    ("The ministry said 178 people were killed and 1,800 injured.", [("killed", 178), ("injured", 1800)]),
    ("The toll has risen to 191, with 1,971 wounded.", [("killed", 191), ("injured", 1971)]),
])
def test_the_family_comes_from_what_the_sentence_says_the_figure_counts(text: str, expected: list[tuple]) -> None:
    assert [(m, low) for m, low, _, _ in found(text)] == expected
