"""Tests of crisisboard.ingest.extract (rule-based figure extraction) and crisisboard.ingest.evaluate.

All sentences here are written for these tests; none is copied from the corpus.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from crisisboard.ingest.extract import (
    Candidate,
    Flag,
    Release,
    extract_candidates,
    parse_release,
    quality_flags,
    read_places,
)

PUB = date(2010, 6, 15)  # a Tuesday
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "sources"
LABELS = Path(__file__).resolve().parent / "eval" / "reviewed_labels.csv"


def cands(text, published=PUB, places=None):
    out, warnings = extract_candidates(text, published, places)
    for c in out:
        assert isinstance(c, Candidate)
        assert text[c.start:c.end] == c.quote
        assert c.figure_text in c.quote
        assert len(c.quote.split()) <= 40
        assert c.why
    return out


def keys(text, published=PUB):
    return {(c.metric, c.low, c.high, c.qualifier) for c in cands(text, published)}


def one(text, published=PUB):
    out = cands(text, published)
    assert len(out) == 1, out
    return out[0]


# ----------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("text,low", [
    ("Rescuers said 75,000 residents had fled their homes.", 75000),
    ("Rescuers said 75 000 residents had fled their homes.", 75000),
    ("Rescuers said 75\u00a0000 residents had fled their homes.", 75000),
    ("A relief group said 1.1 million residents had fled their homes.", 1100000),
    ("A relief group said two thousand residents had fled their homes.", 2000),
    ("A relief group said half a million residents had fled their homes.", 500000),
])
def test_number_forms(text, low):
    c = one(text)
    assert c.metric == "displaced_total"
    assert (c.low, c.high, c.qualifier) == (low, low, "exact")


@pytest.mark.parametrize("text,expected", [
    ("At least 40 people were killed in the riots.", ("killed", 40, None, "at_least")),
    ("More than 900 people were wounded.", ("injured", 900, None, "more_than")),
    ("Over 1,200 people were hurt in the clashes.", ("injured", 1200, None, "more_than")),
    ("Nearly two hundred people died on the first night.", ("killed", 200, 200, "about")),
    ("Almost 350 civilians were killed.", ("killed", 350, 350, "about")),
    ("About 60 people are missing.", ("missing", 60, 60, "about")),
    ("Around 8,000 people were displaced by the fighting.", ("displaced_total", 8000, 8000, "about")),
    ("Some 30,000 people fled their homes.", ("displaced_total", 30000, 30000, "about")),
    ("An estimated 45,000 people crossed into Uzbekistan.", ("refugees_crossed", 45000, 45000, "about")),
    ("Approximately 520 people were hospitalised.", ("hospitalized", 520, 520, "about")),
    ("As many as 3,000 people may have died.", ("killed", None, 3000, "up_to")),
    ("Up to 90,000 people fled to Uzbekistan.", ("refugees_crossed", None, 90000, "up_to")),
    ("Fewer than 300 refugees remain in Uzbekistan.", ("refugees_remaining", None, 300, "fewer_than")),
    ("Less than 50 people were detained by police.", ("detained", None, 50, "fewer_than")),
    ("Close to 700 houses were burned.", ("buildings_destroyed", 700, 700, "about")),
    ("Between 3,000 and 7,000 people were waiting at the border.",
     ("refugees_at_border", 3000, 7000, "between")),
    ("Officials said 3,000-7,000 people fled their homes.", ("displaced_total", 3000, 7000, "between")),
    ("Officials said 4-5,000 people fled their homes.", ("displaced_total", 4000, 5000, "between")),
    ("Officials said 12,000 or more people fled their homes.", ("displaced_total", 12000, None, "at_least")),
])
def test_qualifiers_and_metrics(text, expected):
    assert expected in keys(text)


@pytest.mark.parametrize("text,term,metric", [
    ("The riots left dozens dead.", "dozens", "killed"),
    ("Hundreds of people were killed.", "hundreds", "killed"),
    ("Thousands of people were injured.", "thousands", "injured"),
    ("Tens of thousands of people fled their homes.", "tens_of_thousands", "displaced_total"),
    ("Hundreds of thousands of people were affected.", "hundreds_of_thousands", "affected"),
])
def test_vague_figures_stay_vague(text, term, metric):
    c = one(text)
    assert (c.metric, c.qualifier, c.vague_term, c.low, c.high) == (metric, "vague", term, None, None)


def test_two_figures_in_one_sentence_get_their_own_metric():
    k = keys("The ministry said 52 people were killed and 430 injured on Sunday.")
    assert ("killed", 52, 52, "exact") in k and ("injured", 430, 430, "exact") in k


def test_verb_before_figure():
    k = keys("The unrest, killing hundreds and displacing nearly 250,000, shocked observers.")
    assert ("killed", None, None, "vague") in k
    assert ("displaced_total", 250000, 250000, "about") in k


@pytest.mark.parametrize("text,metric", [
    ("Officials said 8,000 people were internally displaced.", "displaced_internal"),
    ("Officials said 8,000 IDPs were sheltering in schools.", "displaced_internal"),
    ("Officials said 8,000 people were waiting at the border.", "refugees_at_border"),
    ("Officials said 8,000 refugees have returned home.", "refugees_returned"),
    ("Officials said 8,000 people registered as refugees in Uzbekistan.", "refugees_crossed"),
    ("Officials said 8,000 people sought medical help.", "injured"),
    ("Officials said 8,000 people are in need of food aid.", "affected"),
    ("Officials said 800 men were arrested.", "detained"),
    ("Officials said 800 houses were damaged.", "buildings_damaged"),
    ("Officials said 800 homes were damaged or destroyed.", "buildings_damaged_or_destroyed"),
    ("The death toll rose to 212 on Monday.", "killed"),
    ("Police found 31 bodies in the river.", "killed"),
])
def test_metric_words(text, metric):
    assert metric in {c.metric for c in cands(text)}


@pytest.mark.parametrize("text,pop", [
    ("At least 300 ethnic Uzbeks were killed.", "uzbek"),
    ("At least 300 civilians were killed.", "civilians"),
    ("At least 300 women and children fled their homes.", "women_children"),
    ("About 9,000 adults were registered as refugees in Uzbekistan.", "adults"),
    ("At least 300 people were killed.", "all"),
])
def test_population(text, pop):
    assert cands(text)[0].population == pop


# ----------------------------------------------------------------------------- hard negatives

@pytest.mark.parametrize("text", [
    "The clashes of 1990 were remembered in 2010.",
    "The meeting on 12 June ended at 14:30.",
    "The statement of June 12, 2010 was short.",
    "Call the hotline on +996 312 555 123 for help.",
    "The Council recalled Resolution 1325 on women.",
    "A man aged 25 and a 31-year-old woman spoke to us.",
    "Some 74% of the displaced were women; 26 percent were men.",
    "The appeal asks for $71 million and US$ 73,045,639 in total.",
    "Donors gave 40 million dollars and 12 million euros.",
    "The convoy carried 120 tons of flour over 300 kilometres.",
    "See page 14 of issue 3.",
    "Researchers held 85 interviews with 40 witnesses and read 300 documents.",
    "The agency sent 12 flights and 30 trucks.",
])
def test_hard_negatives(text):
    assert cands(text) == []


def test_percentage_never_a_count():
    out = cands("Ethnic Uzbeks made up 74 percent of those killed.")
    assert all(c.low != 74 and c.high != 74 for c in out)


# ----------------------------------------------------------------------------- dates, places, claimants

def test_explicit_date_and_midday():
    c = one("Local district council representatives said that at least 300 people had been killed "
            "by midday on 11 June, according to unconfirmed reports.", date(2010, 6, 14))
    assert (c.as_of, c.as_of_precision) == ("2010-06-11T12:00", "exact")
    assert c.claimant_type == "local_official"
    assert c.status_in_text == "unconfirmed"


def test_month_day_date():
    c = one("By June 14 the health ministry had counted 160 deaths.", date(2010, 6, 16))
    assert c.as_of == "2010-06-14" and c.as_of_precision == "exact"
    assert c.claimant == "Kyrgyz Ministry of Health" and c.claimant_type == "government"


@pytest.mark.parametrize("text,as_of,prec", [
    ("On Sunday officials said 60 people were killed.", "2010-06-13", "approx"),
    ("Yesterday officials said 60 people were killed.", "2010-06-14", "approx"),
    ("Officials said today that 60 people were killed.", "2010-06-15", "approx"),
    ("In the past two days 60 people were killed.", "2010-06-15", "approx"),
    ("Officials said 60 people were killed.", "2010-06-15", "inferred"),
])
def test_relative_dates(text, as_of, prec):
    c = one(text)
    assert (c.as_of, c.as_of_precision) == (as_of, prec)


def test_no_published_date_gives_empty_as_of():
    c = one("Officials said 60 people were killed.", None)
    assert c.as_of == "" and c.as_of_precision == "inferred"


def test_start_date_is_not_as_of():
    c = one("At least 120 people have been killed since June 10.", date(2010, 6, 15))
    assert c.as_of == "2010-06-15" and c.as_of_precision == "inferred"


@pytest.mark.parametrize("place_text,place_id", [
    ("in Jalal-Abad", "jalal_abad"), ("in Jalalabad", "jalal_abad"), ("in Djalal-Abad", "jalal_abad"),
    ("in Dzhalal-Abad", "jalal_abad"), ("in Jalal Abad", "jalal_abad"), ("in Osh", "osh"),
    ("near Andijon", "andijan"), ("near Andijan", "andijan"), ("in Bazar-Kurgan", "bazar_korgon"),
    ("in Bazar Korgon", "bazar_korgon"), ("in Karasu", "kara_suu"), ("in Kara-Suu", "kara_suu"),
    ("in southern Kyrgyzstan", "south_kyrgyzstan"),
])
def test_gazetteer_variants(place_text, place_id):
    c = one(f"At least 70 people were killed {place_text}.")
    assert c.place_id == place_id


def test_places_frame_used():
    places = read_places()
    assert "osh" in set(places["place_id"]) and isinstance(places["lat"].iloc[0], str)
    c = cands("About 5,000 people crossed into Uzbekistan.", PUB, places)[0]
    assert c.place_id == "uzbekistan"


@pytest.mark.parametrize("sentence,claimant,ctype", [
    ("UNHCR said 20,000 people were displaced.", "UNHCR", "un_agency"),
    ("According to OCHA, 20,000 people were displaced.", "OCHA", "un_agency"),
    ("The Red Cross said 20,000 people were displaced.", "ICRC", "intl_org"),
    ("Human Rights Watch said 20,000 people were displaced.", "Human Rights Watch", "ngo"),
    ("Amnesty said 20,000 people were displaced.", "Amnesty International", "ngo"),
    ("Officials said 20,000 people were displaced.", "Officials", "government"),
])
def test_claimants(sentence, claimant, ctype):
    c = one(sentence)
    assert (c.claimant, c.claimant_type) == (claimant, ctype)


@pytest.mark.parametrize("sentence,status", [
    ("Official figures show 90 people were killed.", "official"),
    ("An unconfirmed count says 90 people were killed.", "unconfirmed"),
    ("Doctors confirmed 90 people were killed.", "confirmed"),
    ("It is estimated that 90 people were killed.", "estimate"),
    ("Reportedly 90 people were killed.", "reported"),
    ("Some 90 people were killed.", "not_stated"),
])
def test_status(sentence, status):
    assert one(sentence).status_in_text == status


# ----------------------------------------------------------------------------- Russian

def test_russian():
    k = keys("По данным минздрава, погибли 150 человек, ранены более 1 600.")
    assert ("killed", 150, 150, "exact") in k
    assert ("injured", 1600, None, "more_than") in k
    k = keys("Около 40 тысяч беженцев перешли границу.")
    assert ("refugees_crossed", 40000, 40000, "about") in k


# ----------------------------------------------------------------------------- robustness

def test_empty_and_odd_inputs():
    assert extract_candidates("") == ([], [])
    assert extract_candidates("   \n\t ")[0] == []
    out, warnings = extract_candidates(None)  # type: ignore[arg-type]
    assert out == []
    out, warnings = extract_candidates(b"12 people were killed")  # type: ignore[arg-type]
    assert warnings
    out, _ = extract_candidates("5 killed", published="2010-06-01")  # type: ignore[arg-type]
    assert out and out[0].as_of == ""


def test_random_bytes_beyond_the_cap(monkeypatch):
    """Random bytes one and a half times the cap long: read up to the cap, quotes exact. The cap is lowered
    from 2,000,000 characters for speed (benchmarks time the real one)."""
    import crisisboard.ingest.extract.candidates as candidates

    monkeypatch.setattr(candidates, "MAX_CHARS", 300_000)
    rnd = random.Random(1)
    text = rnd.randbytes(450_000).decode("latin-1")
    out, warnings = extract_candidates(text, PUB)
    assert any("only the first 300000" in w for w in warnings)
    assert any("only the first" in w for w in warnings)
    for c in out:
        assert text[c.start:c.end] == c.quote
    assert isinstance(quality_flags(text[:200_000]), list)


def test_chinese_text():
    text = "吉尔吉斯斯坦南部发生冲突，许多人逃离家园。"
    out, warnings = extract_candidates(text, PUB)
    assert out == [] and warnings
    assert isinstance(quality_flags(text), list)


def test_huge_normal_text_is_capped():
    text = "Officials said 60 people were killed. " * 60_000  # ~2.3 MB
    out, warnings = extract_candidates(text, PUB)
    assert warnings and out and all(c.end <= 2_000_000 for c in out)
    assert len(out) <= 5_000


# ----------------------------------------------------------------------------- quality flags

def test_flag_repeated_tokens():
    text = "Many people, mainly Health's health healths health's health's, fled the area."
    flags = quality_flags(text)
    assert any(f.kind == "artefact" for f in flags)
    assert all(isinstance(f, Flag) for f in flags)


def test_flag_truncated():
    assert any(f.kind == "truncated" for f in quality_flags("The violence spread to the town and"))
    assert any(f.kind == "truncated" for f in quality_flags("[PARTIAL: copy ends early]\nA full sentence."))
    assert not any(f.kind == "truncated" for f in quality_flags("A complete sentence."))


def test_flag_mixed_language():
    text = ("This paragraph is written in English and talks about the town.\n\n"
            "Этот абзац написан по-русски и рассказывает о городе.")
    assert any(f.kind == "mixed_language" for f in quality_flags(text))
    assert not any(f.kind == "mixed_language" for f in quality_flags("Only English words in this text here."))


def test_flag_contradiction():
    text = ("UNHCR said 20,000 people were displaced. Later in the same note, UNHCR said 35,000 people "
            "were displaced.")
    assert any(f.kind == "contradiction" for f in quality_flags(text))


def test_quality_flags_do_not_alter_text():
    text = "Words words words words."
    quality_flags(text)
    assert text == "Words words words words."


# ----------------------------------------------------------------------------- parse_release

def test_parse_release_header():
    text = ("URL: https://example.org/a\nTITLE: A title\nPUBLISHER: Example News\n"
            "DATE: 2010-06-14 (taken from a reprint)\n\nBody starts here. 40 people were killed.")
    rel = parse_release(text)
    assert isinstance(rel, Release)
    assert (rel.url, rel.title, rel.publisher, rel.published) == (
        "https://example.org/a", "A title", "Example News", date(2010, 6, 14))
    assert text[rel.body_start:].startswith("Body starts here.")


def test_parse_release_unknown_date_and_no_header():
    rel = parse_release("URL: https://x.org\nDATE: unknown (c. 2010-06-20)\n\nText.")
    assert rel.published == date(2010, 6, 20)
    rel = parse_release("URL: https://x.org\nDATE: unknown (late June)\n\nText.")
    assert rel.published is None
    rel = parse_release("Just a body.")
    assert rel.body_start == 0 and rel.url == "" and rel.published is None
    assert parse_release("").body_start == 0


# ----------------------------------------------------------------------------- evaluation

def test_load_reference_normalises(tmp_path):
    from crisisboard.ingest.evaluate import load_reference
    ref = tmp_path / "ref.md"
    ref.write_text(
        "| # | doc file | fragment (verbatim) | metric | low | high | qualifier | as-of | place | claimant | status |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
        "| 1 | a.txt | nearly 400,000 | displaced_total |  | 400000 | nearly | x | y | z | s |\n"
        "| 2 | a.txt | 74% | killed_share_ethnic | 74% | 74% | around | x | y | z | s |\n"
        "| 3 | a.txt | 10 held | arrested_detained | 10 | 10 | exact | x | y | z | s |\n"
        "| 4 | a.txt | up to 9 | refugees_remaining_uzbekistan | 9 | | up to | x | y | z | s |\n",
        encoding="utf-8")
    df = load_reference(ref)
    rows = {(r.metric, r.low, r.high, r.qualifier) for r in df.itertuples()}
    assert rows == {("displaced_total", 400000, 400000, "about"), ("detained", 10, 10, "exact"),
                    ("refugees_remaining", None, 9, "up_to")}


@pytest.mark.skipif(not CORPUS.is_dir() or not LABELS.exists(), reason="shared corpus not available")
def test_evaluation_on_corpus():
    from crisisboard.ingest.evaluate import evaluate, read_labels
    res = evaluate(CORPUS, read_labels(LABELS))
    assert res["quotes_verbatim"] == 1.0
    # floors slightly below the measured values (P 0.943, R 0.897, F1 0.920 on (metric, low, high);
    # F1 0.898 with the qualifier, at the time of writing)
    assert res["metric_low_high"]["precision"] >= 0.92
    assert res["metric_low_high"]["recall"] >= 0.87
    assert res["metric_low_high_qualifier"]["f1"] >= 0.87


# ----------------------------------------------------------------------------- destination (issue #31)

def test_a_crossing_names_the_crisis_refuge_country_and_nothing_else_does():
    """refugees_crossed takes crisis.toml's [extraction] refuge_country as its destination; other metrics none."""
    crossed = one("An estimated 45,000 people crossed into Uzbekistan.")
    assert (crossed.metric, crossed.destination) == ("refugees_crossed", "UZ")
    killed = one("At least 40 people were killed in the riots.")
    assert (killed.metric, killed.destination) == ("killed", "")


def test_a_crisis_without_refuge_country_proposes_a_crossing_without_destination(tmp_path: Path):
    import shutil

    from crisisboard.data.crisis import load_crisis

    from conftest import PROJECT

    shutil.copytree(PROJECT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("backups", ".*"))
    path = tmp_path / "data" / "crisis.toml"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("refuge_country")) + "\n", encoding="utf-8")
    found, _ = extract_candidates("An estimated 45,000 people crossed into Uzbekistan.", PUB,
                                  crisis=load_crisis(tmp_path / "data"))
    assert [(c.metric, c.destination) for c in found] == [("refugees_crossed", "")]
