"""Gender, background and faith matched by meaning: whole phrases, synonyms and umbrellas."""

from __future__ import annotations

import json

import pytest

from directory.core.compacts import DATA_DIR
from directory.core.identities import load_identities, parse_vocabulary, tokens, wanted

IDS = load_identities()


def matches(kind: str, asked: str, said: str) -> bool:
    vocabulary = IDS[kind]
    return wanted(vocabulary, asked).matches(vocabulary.meanings(said), tokens(said))


def test_the_data_says_where_it_comes_from_and_when_it_was_checked():
    raw = json.loads((DATA_DIR / "identity_terms.json").read_text(encoding="utf-8"))
    assert raw["source"] and raw["checked_on"] >= "2026-12-01"
    assert set(IDS) == {"genders", "backgrounds", "faiths"}


@pytest.mark.parametrize("kind", ["genders", "backgrounds", "faiths"])
def test_every_synonym_means_its_entry_and_every_umbrella_covers_what_is_within_it(kind):
    vocabulary = IDS[kind]
    for name, entry in vocabulary.entries.items():
        for phrase in entry.phrases:
            said = " ".join(phrase)
            assert vocabulary.found(said) == {name}, (said, vocabulary.found(said))
            assert matches(kind, name, said), (name, said)
            for umbrella in vocabulary.widen(entry.within):
                # Asking for the umbrella finds whoever names what is within it ...
                assert matches(kind, umbrella, said), (umbrella, said)
                # ... and asking for the narrower entry never finds the umbrella alone.
                umbrella_phrase = " ".join(vocabulary.entries[umbrella].phrases[0])
                assert not matches(kind, name, umbrella_phrase), (name, umbrella_phrase)


@pytest.mark.parametrize(
    ("asked", "said", "expected"),
    [
        ("Korean American", "Korean American adoptee", True),
        ("Korean American", "White American", False),
        ("Korean American", "Jewish American", False),
        ("Korean American", "Indian American", False),
        ("Black", "African American, raised in the South", True),
        ("Black", "Haitian American", True),
        ("Black", "Multiracial (Black and white)", True),
        ("Black", "Caribbean American", False),
        ("African American", "Black American", False),
        ("Asian American", "Child of Vietnamese refugees", True),
        ("Latino", "Child of Guatemalan immigrants", True),
        ("Indian American", "Native American (Lakota)", False),
        ("Native American", "Indian American", False),
        ("American Indian", "Native American (Lakota)", True),
        # Not in the vocabulary: only the whole phrase, never word by word.
        ("raised bilingual", "Latine, raised bilingual", True),
        ("raised in the city", "White, raised in the rural Midwest", False),
        ("Midwest", "White, raised in the rural Midwest", True),
    ],
)  # fmt: skip
def test_backgrounds_match_by_meaning_not_by_shared_words(asked, said, expected):
    assert matches("backgrounds", asked, said) is expected


@pytest.mark.parametrize(
    ("asked", "said", "expected"),
    [("Christian", "Catholic", True), ("Christian", "Episcopalian", True),
     ("Catholic", "Christian", False), ("Not religious", "Agnostic", True),
     ("Jewish", "Judaism", True), ("Spiritual", "Spiritual but not religious", True),
     ("Muslim", "Hindu", False)],
)  # fmt: skip
def test_faiths_match_by_meaning(asked, said, expected):
    assert matches("faiths", asked, said) is expected


def test_non_binary_covers_genderqueer_genderfluid_agender_and_they_them():
    genders = IDS["genders"]
    for said in ("Non-binary", "nonbinary", "Genderqueer", "Genderfluid", "Agender"):
        assert "non_binary" in genders.meanings(said), said
    assert genders.by_pronouns("they/them") == {"non_binary"}
    assert genders.by_pronouns("she/they") == {"non_binary"}
    assert genders.by_pronouns("she/her") == set()
    assert genders.meanings("Transgender woman") == {"woman"}
    assert genders.meanings("Woman") == {"woman"} and genders.meanings("Man") == {"man"}


def test_a_phrase_naming_two_entries_or_an_unknown_umbrella_is_refused():
    with pytest.raises(ValueError, match="names both"):
        parse_vocabulary([{"name": "A", "phrases": ["x"]}, {"name": "B", "phrases": ["x"]}])
    with pytest.raises(ValueError, match="not listed"):
        parse_vocabulary([{"name": "A", "phrases": ["a"], "within": ["Nowhere"]}])
