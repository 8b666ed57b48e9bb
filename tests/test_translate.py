"""Offline English from facts, provenance and staleness (no network)."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest

from sitegen.registry import Official, Place, Registry, Topic
from sitegen.translate import (
    ProviderError,
    ProviderSetupError,
    arabic_hash,
    call_with_deadline,
    is_stale,
    make_translator,
    offline_summary,
    offline_title,
    plan_article,
    provenance,
    set_english,
    translate_article,
)

HAMMOUCHI = {
    "id": "abdellatif-hammouchi",
    "name_ar": "عبد اللطيف حموشي",
    "name_en": "Abdellatif Hammouchi",
    "role_ar": "المدير العام للأمن الوطني ولمراقبة التراب الوطني",
    "role_en": "Director General of National Security and Territorial Surveillance",
    "country": "MA",
    "known": True,
}
PARDO = {"id": "francisco-pardo-piqueras", "name_en": "Francisco Pardo Piqueras", "country": "ES"}
ROMANN = {"id": "dieter-romann", "name_en": "Dieter Romann", "country": "DE"}
HAINES = {"id": "avril-haines", "name_en": "Avril Haines", "country": "US"}
MADRID = {"id": "madrid", "name_ar": "مدريد", "name_en": "Madrid", "country": "ES"}


def facts(**changes: object) -> dict:
    base = {
        "title_ar": "حموشي في مدريد",
        "summary_ar": "اجتمع حموشي مع نظيريه في مدريد.",
        "officials": [HAMMOUCHI, PARDO, ROMANN],
        "countries": ["MA", "ES", "DE"],
        "places": [MADRID],
        "event_date": "2025-01-29",
        "topics": ["terrorism", "organized_crime", "illegal_migration"],
    }
    base.update(changes)
    return base


# --- offline summaries ------------------------------------------------------------


def test_two_participants_reads_like_the_issue_example() -> None:
    assert offline_summary(facts()) == (
        "Abdellatif Hammouchi, Morocco's Director General of National Security and "
        "Territorial Surveillance, met Francisco Pardo Piqueras (Spain) and Dieter Romann "
        "(Germany) in Madrid on 29 January 2025 to discuss terrorism, organized crime and "
        "irregular migration."
    )


def test_three_participants_are_listed_with_commas_and_and() -> None:
    text = offline_summary(facts(officials=[HAMMOUCHI, PARDO, ROMANN, HAINES]))
    assert "met Francisco Pardo Piqueras (Spain), Dieter Romann (Germany) and " in text
    assert "Avril Haines (United States) in Madrid" in text


def test_one_participant() -> None:
    text = offline_summary(facts(officials=[HAMMOUCHI, ROMANN], topics=["terrorism"]))
    assert "Surveillance, met Dieter Romann (Germany) in Madrid on 29 January 2025" in text
    assert text.endswith("to discuss terrorism.")


def test_no_participant_names_the_other_countries_only() -> None:
    text = offline_summary(facts(officials=[HAMMOUCHI]))
    assert "held talks with officials from Spain and Germany in Madrid" in text
    assert "met" not in text


def test_no_officials_at_all() -> None:
    text = offline_summary(facts(officials=[]))
    assert text.startswith("Security officials from Morocco, Spain and Germany met in Madrid")
    one = offline_summary(facts(officials=[], countries=["MA"], places=[], topics=[]))
    assert one == (
        "The article reports on security cooperation involving Morocco on 29 January 2025."
    )


def test_month_only_date() -> None:
    assert " in Madrid in January 2025 to discuss" in offline_summary(facts(event_date="2025-01"))
    assert "2025" not in offline_summary(facts(event_date="2025-13-40", officials=[]))


def test_undated_articles_do_not_claim_a_meeting() -> None:
    text = offline_summary(facts(event_date=None))
    assert text == (
        "The article concerns Abdellatif Hammouchi, Morocco's Director General of National "
        "Security and Territorial Surveillance, and also mentions Francisco Pardo Piqueras "
        "(Spain) and Dieter Romann (Germany). It covers terrorism, organized crime and "
        "irregular migration, with reference to Madrid."
    )
    alone = offline_summary(facts(event_date=None, officials=[HAMMOUCHI], places=[]))
    assert alone.endswith(
        "and security cooperation with Spain and Germany. It covers "
        "terrorism, organized crime and irregular migration."
    )
    assert offline_title(facts(event_date=None)) == (
        "Abdellatif Hammouchi and security cooperation with Spain and Germany"
    )


def test_no_topics_no_place() -> None:
    text = offline_summary(facts(topics=[], places=[]))
    assert text.endswith(
        "met Francisco Pardo Piqueras (Spain) and Dieter Romann (Germany) on 29 January 2025."
    )
    undated = offline_summary(facts(topics=[], places=[], event_date=None))
    assert undated.endswith(
        "also mentions Francisco Pardo Piqueras (Spain) and Dieter Romann (Germany)."
    )


def test_long_topic_lists_are_cut_short() -> None:
    slugs = ["terrorism", "extremism", "organized_crime", "illegal_migration", "cybercrime"]
    text = offline_summary(facts(topics=[*slugs, "drug_trafficking", "money_laundering"]))
    assert text.endswith(
        "to discuss terrorism, extremism, organized crime, irregular migration, "
        "cybercrime and other security issues."
    )


def test_unknown_official_without_english_name_falls_back_to_role_or_country() -> None:
    with_role = {"name_ar": "لويس", "role_en": "head of intelligence, Civil Guard", "country": "ES"}
    no_role = {"name_ar": "فلان", "country": "US"}
    also_no_role = {"name_ar": "علان", "country": "US"}
    text = offline_summary(facts(officials=[HAMMOUCHI, with_role, no_role, also_no_role]))
    assert "met Spain's head of intelligence, Civil Guard and officials from the United States" in (
        text
    )
    assert "لويس" not in text and "فلان" not in text
    single = offline_summary(facts(officials=[HAMMOUCHI, no_role]))
    assert "met an official from the United States in Madrid" in single


def test_a_latin_name_written_in_the_arabic_text_is_used() -> None:
    person = {"name_ar": "Esperanza Casteleiro Llamazares", "country": "ES"}
    text = offline_summary(facts(officials=[HAMMOUCHI, person]))
    assert "met Esperanza Casteleiro Llamazares (Spain)" in text


def test_officials_without_country_are_not_said_to_have_been_met() -> None:
    ghali = {"id": "brahim-ghali", "name_en": "Brahim Ghali", "country": None}
    text = offline_summary(facts(officials=[HAMMOUCHI, ghali, PARDO]))
    assert "Ghali" not in text


def test_registry_fills_missing_english_names_roles_places_and_topics() -> None:
    registry = Registry(
        officials={
            "avril-haines": Official(
                id="avril-haines",
                name_en="Avril Haines",
                role_en="Director of National Intelligence",
                country="US",
            )
        },
        places={"rabat": Place(id="rabat", name_en="Rabat", country="MA")},
        topics={"new_topic": Topic(slug="new_topic", en="Maritime piracy", ar="القرصنة")},
    )
    subject = {"id": "avril-haines", "name_ar": "أفريل هاينز"}
    text = offline_summary(
        facts(
            officials=[subject],
            countries=["US", "MA"],
            places=[{"id": "rabat", "name_ar": "الرباط"}],
            topics=["new_topic"],
        ),
        registry,
    )
    assert text == (
        "Avril Haines, the United States' Director of National Intelligence, held talks with "
        "officials from Morocco in Rabat on 29 January 2025 to discuss maritime piracy."
    )


def test_subject_alone() -> None:
    text = offline_summary(facts(officials=[HAMMOUCHI], countries=["MA"], topics=["terrorism"]))
    assert text.startswith("The article concerns Abdellatif Hammouchi, Morocco's Director General")
    assert text.endswith("Surveillance, and covers terrorism in Madrid on 29 January 2025.")
    bare = offline_summary(facts(officials=[HAMMOUCHI], countries=[], topics=[], places=[]))
    assert bare.endswith("Surveillance, on 29 January 2025.")


# --- offline titles ----------------------------------------------------------------


def test_title_names_up_to_two_participants() -> None:
    assert offline_title(facts()) == (
        "Abdellatif Hammouchi meets Francisco Pardo Piqueras and Dieter Romann in Madrid"
    )


def test_title_sums_up_many_participants_by_country() -> None:
    title = offline_title(facts(officials=[HAMMOUCHI, PARDO, ROMANN, HAINES]))
    assert title == (
        "Abdellatif Hammouchi meets officials from Spain, Germany and the United States in Madrid"
    )


def test_title_without_officials() -> None:
    assert offline_title(facts(officials=[], places=[])) == (
        "Security cooperation between Morocco, Spain and Germany"
    )


# --- provenance ----------------------------------------------------------------------


def test_arabic_hash_is_the_sha256_prefix() -> None:
    text = "حموشي في مدريد"
    assert arabic_hash(text) == hashlib.sha256(text.encode()).hexdigest()[:12]
    assert arabic_hash(None) == arabic_hash("")


def test_is_stale() -> None:
    meta = {"by": "machine:google", "ar_sha": arabic_hash("أ")}
    assert not is_stale(meta, "أ")
    assert is_stale(meta, "ب")
    assert not is_stale(None, "ب")
    assert not is_stale({"by": "editor"}, "ب")


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (None, "editor"),
        ({"by": "editor"}, "editor"),
        ({"by": "machine:libre"}, "machine:libre"),
        ({"by": "generated"}, "generated"),
        ({"by": "somebody"}, "editor"),
    ],
)
def test_provenance(meta: dict | None, expected: str) -> None:
    article = {"title_en": "Text", "title_en_meta": meta}
    assert provenance(article, "title") == expected
    assert provenance({"title_en": "  "}, "title") is None


def test_set_english_places_fields_after_the_arabic() -> None:
    article = {"slug": "x", "title_ar": "أ", "outlet_ar": None, "summary_ar": "ب", "topics": []}
    set_english(article, "summary", "B", "generated")
    set_english(article, "title", "A", "machine:google")
    assert list(article) == [
        "slug",
        "title_ar",
        "title_en",
        "title_en_meta",
        "outlet_ar",
        "summary_ar",
        "summary_en",
        "summary_en_meta",
        "topics",
    ]
    assert article["title_en_meta"] == {"by": "machine:google", "ar_sha": arabic_hash("أ")}


def test_plan_keeps_editors_and_fresh_machine_text() -> None:
    article = facts(
        title_en="Editor title",
        summary_en="Machine summary",
        summary_en_meta={"by": "machine:google", "ar_sha": arabic_hash(facts()["summary_ar"])},
    )
    assert plan_article(article, "offline").jobs == {}
    assert plan_article(article, "libre").jobs == {}
    article["summary_ar"] = "نص جديد"
    assert plan_article(article, "offline").jobs == {"summary": "stale"}


def test_plan_reports_a_stale_editor_field_and_keeps_it() -> None:
    article = facts(
        title_en="Editor title", title_en_meta={"by": "editor", "ar_sha": arabic_hash("قديم")}
    )
    plan = plan_article(article, "offline")
    assert plan.stale_editor == ["title"]
    assert "title" not in plan.jobs
    outcome = translate_article(article, "offline")
    assert article["title_en"] == "Editor title"
    assert outcome.stale_editor == ["title"]
    assert set(outcome.written) == {"summary"}


def test_generated_text_follows_the_facts_and_is_otherwise_left_alone() -> None:
    article = facts()
    assert set(translate_article(article, "offline").written) == {"title", "summary"}
    assert article["summary_en_meta"]["by"] == "generated"
    assert translate_article(article, "offline").written == {}
    article["event_date"] = "2025-01"
    assert translate_article(article, "offline").written == {"summary": "generated"}
    assert "in January 2025" in article["summary_en"]


# --- the deadline around online calls ---------------------------------------------------


def test_call_with_deadline_bounds_a_call_that_never_returns() -> None:
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(ProviderError, match=r"^timeout after 0\.2 s$"):
        call_with_deadline(lambda text: str(release.wait(30)), "نص", 0.2)
    assert time.monotonic() - started < 2
    release.set()


def test_call_with_deadline_passes_results_and_classifies_errors() -> None:
    from deep_translator.exceptions import ServerException, TranslationNotFound

    assert call_with_deadline(lambda text: f" EN {text} ", "نص", 1) == "EN نص"

    def server_error(text: str) -> str:
        raise ServerException(503)

    def not_found(text: str) -> str:
        raise TranslationNotFound(text)

    with pytest.raises(ProviderError) as fatal:
        call_with_deadline(server_error, "نص", 1)
    assert (fatal.value.reason, fatal.value.fatal) == ("service error 503", True)
    with pytest.raises(ProviderError) as single:
        call_with_deadline(not_found, "نص", 1)
    assert single.value.fatal is False


@pytest.mark.parametrize(
    ("provider", "cls", "source", "target"),
    [
        ("google", "GoogleTranslator", "ar", "en"),
        ("mymemory", "MyMemoryTranslator", "ar-SA", "en-GB"),
        ("libre", "LibreTranslator", "ar", "en"),
        ("deepl", "DeeplTranslator", "ar", "en"),
    ],
)
def test_make_translator_sets_arabic_to_english(
    provider: str, cls: str, source: str, target: str
) -> None:
    translator = make_translator(provider, "key", "http://127.0.0.1:9").__self__
    assert (type(translator).__name__, translator.source, translator.target) == (
        cls,
        source,
        target,
    )


def test_make_translator_needs_keys_and_known_names() -> None:
    for provider in ("libre", "deepl"):
        with pytest.raises(ProviderSetupError, match="needs --api-key"):
            make_translator(provider)
    with pytest.raises(ProviderSetupError, match="unknown provider"):
        make_translator("babelfish")
    libre = make_translator("libre", "key", "http://127.0.0.1:9/base").__self__
    assert libre._base_url == "http://127.0.0.1:9/base/"
