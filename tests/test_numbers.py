"""Numbers as texts write them (crisisboard.data.numbers), in sentences written for these tests."""

from __future__ import annotations

import pytest

from crisisboard.data.numbers import readable_numbers

CASES = [
    ("At least 1,047 people were hurt", 1047),
    ("about 2 000 fled", 2000),
    ("1.1 million people were affected", 1_100_000),
    ("between 2-3,000 houses", 2000),
    ("seventy-two houses were damaged", 72),
    ("half a million people", 500_000),
    ("one hundred and twenty-four dead", 124),
    ("Погибли 2 тысячи 238 человек", 2238),
    ("около двух тысяч беженцев", 2000),
    ("свыше полумиллиона", 500_000),
    ("понад дві тисячі поранених", 2000),
    ("повеќе од 400 илјади", 400_000),
    ("najmanje dva mrtva", 2),
    ("prawie 2 tys. rannych", 2000),
    ("ponad 2,1 tys. osób", 2100),
    ("mehr als zwei Tote", 2),
    ("casi dos mil heridos", 2000),
    ("unos 110 mil refugiados", 110_000),
    ("medio millón de desplazados", 500_000),
    ("almeno due morti", 2),
    ("plus de deux mille blessés", 2000),
    ("أكثر من 80 ألف لاجئ", 80_000),
    ("قتل ١٥٠ شخصا", 150),
    ("چار لاکھ سے زائد", 400_000),
    ("دو ہزار سے زائد", 2000),
    ("two dozen civilians are missing", 24),
    ("a dozen houses", 12),
    ("погибли двое мирных жителей", 2),
    ("загинули троє", 3),
    ("2.783 soldados mortos", 2783),
    ("duas mil pessoas", 2000),
    ("२३१७ सैनिक", 2317),
    ("दो हज़ार", 2000),
    ("Gjashtëdhjetë e pesë civilë kanë humbur jetën", 65),
    ("dhjetë fëmijë", 10),
]


@pytest.mark.parametrize("text,value", CASES)
def test_a_reader_can_take_the_number(text: str, value: int) -> None:
    assert value in readable_numbers(text)


@pytest.mark.parametrize("text,value", [("1 million", 1), ("12 14", 1214), ("2-3,000", 23000), ("1.5 million", 15),
                                        ("At least 15", 16), ("2 тысячи 238", 2),
                                        ("two dozen", 2),
                                        ("Gjashtëdhjetë e pesë", 60)])
def test_a_number_the_words_do_not_say_is_not_read(text: str, value: int) -> None:
    assert value not in readable_numbers(text)
