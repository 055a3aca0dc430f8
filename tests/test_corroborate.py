"""Direction from third articles: the side whose changed words independent reports share."""

from __future__ import annotations

from newsfold.corroborate import MIN_CHANGED, changed_words, corroborate, word_set

SOURCE = [
    "Militants fired rocket barrages at the city while stun grenades were used by police.",
    "The ceasefire was brokered by Egypt after eleven days of heavy fighting and shelling.",
    "The president reaffirmed an ironclad commitment to the security of the region today.",
    "Hospitals reported dozens of wounded civilians, officials confirmed on Friday evening.",
]
COPY = [
    "Militants fired rocket barriers at the city while tranquilizers were used by police.",
    "The ceasefire was broken by Egypt after eleven days of intense combat and bombardment.",
    "The president reaffirmed an unwavering commitment to the stability of the region today.",
    "Clinics recorded scores of injured residents, authorities announced on Friday evening.",
]
THIRD = [
    "Rocket barrages hit the city; police used stun grenades. Egypt brokered the ceasefire.",
    "After heavy fighting and shelling, the president spoke of the region's security, an "
    "ironclad commitment. Hospitals counted wounded civilians, officials confirmed.",
]


def test_changed_words_are_content_words_missing_from_the_other_sentence() -> None:
    a, b = changed_words(zip(SOURCE, COPY, strict=True))
    assert {"barrages", "stun", "grenades", "brokered", "ironclad", "security"} <= set(a)
    assert {"barriers", "tranquilizers", "broken", "unwavering", "stability"} <= set(b)
    assert not {"the", "by", "was"} & (set(a) | set(b))


def test_third_reports_side_with_the_source_in_either_order() -> None:
    third = [word_set(t) for t in THIRD]
    found = corroborate(zip(SOURCE, COPY, strict=True), third)
    assert found.source == "a" and found.agreed_a > found.agreed_b
    assert "a agrees with them more" in found.reason
    assert corroborate(zip(COPY, SOURCE, strict=True), third).source == "b"


def test_no_vote_without_third_reports_or_with_too_few_changes() -> None:
    assert corroborate(zip(SOURCE, COPY, strict=True), []).source is None
    light = [("Police said 14 people died on Tuesday.", "Police said 14 people were killed.")]
    few = corroborate(light, [word_set("Fourteen people died, police said.")])
    assert few.source is None and min(few.changed_a, few.changed_b) < MIN_CHANGED
