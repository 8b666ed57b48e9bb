"""Officials, countries, places and topics on made-up sentences (not the seeds)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen.extract import FACT_KEYS, extract_facts
from sitegen.extract.entities import transliterate
from sitegen.extract.resources import load_data
from tests.registries import write_registry

REF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def registry(made_up_registry):
    return made_up_registry


BODY_SENTENCE = "أجرى المسؤول مباحثات مع وفد أمني برتغالي رفيع حول سبل مكافحة الإرهاب والجريمة."


def _facts(registry, text: str) -> dict:
    return extract_facts(text, "made-up.txt", today=REF, registry=registry)


def _by_name(facts: dict) -> dict[str, dict]:
    return {o["name_ar"]: o for o in facts["officials"]}


def test_contract_keys(registry) -> None:
    facts = _facts(registry, "خبر عن التعاون الأمني بين البلدين في مجالات عدة ومختلفة ومتنوعة.")
    assert tuple(facts) == FACT_KEYS


def test_known_official_with_proclitics_and_article(registry) -> None:
    text = "عنوان\nوأكد للتجريبي الوفد البرتغالي أن التعاون مستمر في مجالات عديدة ومهمة."
    (official,) = _facts(registry, text)["officials"]
    assert official["id"] == "karim-test" and official["known"] is True
    assert official["country"] == "MA"


def test_unknown_name_after_a_title_with_apposed_role_and_country(registry) -> None:
    text = (
        "عنوان\nاستقبل المسؤول المغربي اليوم بمكتبه بالرباط، العقيد ماركو بيريرا سيلفا، "
        "قائد وحدة مكافحة الإرهاب بالشرطة البرتغالية، على رأس وفد أمني رفيع."
    )
    official = _by_name(_facts(registry, text))["ماركو بيريرا سيلفا"]
    assert official["known"] is False
    assert official["role_ar"] == "قائد وحدة مكافحة الإرهاب بالشرطة البرتغالية"
    assert official["country"] == "PT"
    assert official["id"] == transliterate("ماركو بيريرا سيلفا")
    assert official["id"].isascii() and " " not in official["id"]
    assert official["name_en"] is None


def test_unknown_name_in_apposition_to_a_role(registry) -> None:
    text = (
        "عنوان\nوحضر اللقاء المدير العام للشرطة البرتغالية، جواو مانويل فييرا، "
        "إلى جانب عدد من المسؤولين الأمنيين من البلدين في إطار التعاون."
    )
    assert "جواو مانويل فييرا" in _by_name(_facts(registry, text))


def test_latin_name_next_to_a_role(registry) -> None:
    text = (
        "عنوان\nوالتقى المسؤول المغربي بالرباط Ana Maria Costa مديرة الاستخبارات البرتغالية "
        "لبحث سبل التعاون في مجال مكافحة الإرهاب والجريمة المنظمة."
    )
    official = _by_name(_facts(registry, text))["Ana Maria Costa"]
    assert official["name_en"] == "Ana Maria Costa"
    assert official["id"] == "ana-maria-costa"


def test_a_latin_name_after_a_title_stops_at_the_arabic_word(registry) -> None:
    text = (
        "عنوان\nوبحثت السيدة Ana Maria Costa مستويات التعاون الأمني بين البلدين في مجال "
        "مكافحة الإرهاب والجريمة المنظمة."
    )
    names = _by_name(_facts(registry, text))
    assert "Ana Maria Costa" in names
    assert all(
        name.isascii() or not any(c.isascii() and c.isalpha() for c in name) for name in names
    )


def test_a_person_named_only_by_role_is_not_invented(registry) -> None:
    text = (
        "عنوان\nواستقبل المدير العام للشرطة البرتغالية نظيره المغربي، وبحث الجانبان سبل "
        "تعزيز التعاون في مجال مكافحة الإرهاب بهدف تعزيز الأمن في المنطقة."
    )
    assert _facts(registry, text)["officials"] == []


def test_participant_countries_count_passing_mentions_do_not(registry) -> None:
    text = (
        "تعاون أمني مغربي برتغالي\n"
        "اجتمع مسؤولون أمنيون من المغرب والبرتغال في لشبونة لبحث مكافحة الإرهاب والجريمة المنظمة.\n"
        "وأشار البلاغ إلى أن فرنسا كانت قد احتضنت اجتماعا مماثلا قبل سنوات في إطار مختلف."
    )
    facts = _facts(registry, text)
    assert set(facts["countries"]) == {"MA", "PT"}
    assert [p["id"] for p in facts["places"]] == ["lisbon"]


def test_city_named_in_passing_is_not_a_place(registry) -> None:
    text = "عنوان\nقال المسؤول إن طنجة مدينة جميلة، وتحدث عن الإرهاب وسبل مكافحته في المنطقة كلها."
    assert _facts(registry, text)["places"] == []


@pytest.mark.parametrize(
    "where",
    [
        "بمدينتي طنجة والرباط",
        "في مدينتي طنجة والرباط",
        "بمدن طنجة والرباط وفاس",
        "مدينتا طنجة والرباط",
    ],
)
def test_cities_after_a_dual_or_plural_city_word_are_places(registry, where: str) -> None:
    text = f"عنوان\nتم تفكيك خلية إرهابية تنشط {where} وتتكون من عدة عناصر حسب البلاغ الرسمي."
    assert [p["id"] for p in _facts(registry, text)["places"]] == ["tangier", "rabat"]


def test_overlapping_topic_cues_all_count(registry) -> None:
    text = "عنوان\nتناول اللقاء مخاطر الإرهاب الإلكتروني وتنظيم دورات تكوينية لفائدة الأطر الأمنية."
    assert _facts(registry, text)["topics"] == ["terrorism", "cybercrime", "training"]


def test_transliteration_is_a_stable_ascii_slug() -> None:
    assert transliterate("لويس بالييز") == transliterate("لويس بالييز")
    assert transliterate("يوسف ولد أحمد") == "yousf-wld-ahmd"
    assert transliterate("Ana Costa") == "ana-costa"


def test_event_date_is_the_first_day_in_the_lead(registry) -> None:
    text = (
        "عنوان\nانعقد يومي 3 و4 مارس 2025 بالرباط اجتماع أمني رفيع لبحث مكافحة الإرهاب.\n"
        "وكان الطرفان قد التقيا في 10 يناير 2024 بلشبونة."
    )
    facts = _facts(registry, text)
    assert facts["event_date"] == "2025-03-03"
    assert [d["date"] for d in facts["dates"]] == ["2024-01-10", "2025-03-03", "2025-03-04"]


def test_no_event_date_when_the_lead_has_none(registry) -> None:
    text = "عنوان\nاستقبل المسؤول اليوم الأربعاء وفدا أمنيا رفيعا لبحث مكافحة الإرهاب والجريمة."
    assert _facts(registry, text)["event_date"] is None


@pytest.mark.parametrize(
    ("lead", "event"),
    [
        (
            "أجرى المسؤول يوم الثلاثاء مباحثات مع وفد أمني برتغالي رفيع حول مكافحة الإرهاب.",
            "2024-03-12",
        ),
        (
            "أجرى المسؤول، الأربعاء، مباحثات مع وفد أمني برتغالي رفيع حول مكافحة الإرهاب.",
            "2024-03-13",
        ),
        ("أجرى المسؤول الخميس مباحثات مع وفد أمني برتغالي رفيع حول مكافحة الإرهاب.", "2024-03-07"),
        ("يحل وفد أمني برتغالي رفيع بالرباط يوم الاثنين المقبل لبحث مكافحة الإرهاب.", "2024-03-18"),
        (
            "وسيحل وفد أمني برتغالي رفيع المستوى بالرباط يوم الخميس لبحث مكافحة الإرهاب.",
            "2024-03-14",
        ),
        ("أجرى أحد المسؤولين مباحثات مع وفد أمني برتغالي رفيع حول مكافحة الإرهاب.", None),
    ],
)
def test_a_weekday_alone_in_the_lead_counts_from_the_publication_date(registry, lead, event):
    # published on Wednesday 13 March 2024; "أحد" without its article is "one"
    text = f"عنوان\nهسبريس – 13 مارس 2024\n{lead}"
    facts = _facts(registry, text)
    assert (facts["published"], facts["event_date"]) == ("2024-03-13", event)


@pytest.mark.parametrize(
    ("when", "event"),
    [("أمس", "2024-03-12"), ("أول أمس", "2024-03-11"), ("أمس الأول", "2024-03-11")],
)
def test_yesterday_and_the_day_before_in_the_lead(registry, when, event) -> None:
    lead = f"استقبل المسؤول الأمني المغربي {when} وفدا أمنيا برتغاليا رفيعا لبحث مكافحة الإرهاب."
    assert _facts(registry, f"عنوان\nهسبريس – 13 مارس 2024\n{lead}")["event_date"] == event


def test_a_dateline_before_the_byline_is_no_outlet(registry) -> None:
    text = f"المغرب والبرتغال يبحثان تعزيز التعاون الأمني\nالرباط: لحسن مقنع\n{BODY_SENTENCE}"
    facts = _facts(registry, text)
    assert (facts["outlet_ar"], facts["author_ar"]) == (None, "لحسن مقنع")


def test_default_registry_is_used_when_none_is_given() -> None:
    facts = extract_facts("عنوان\nاستقبل عبد اللطيف حموشي بالرباط وفدا أمنيا إسبانيا رفيعا.", "x")
    assert facts["officials"][0]["id"] == "abdellatif-hammouchi"


def test_cli_json_for_one_file_and_error_for_a_bad_one(tmp_path: Path, capsys) -> None:
    from sitegen.cli import main

    good = tmp_path / "good.txt"
    good.write_text("عنوان\nاستقبل عبد اللطيف حموشي بالرباط وفدا أمنيا إسبانيا.", encoding="utf-8")
    assert main(["extract", str(good), "--json", "--today", "2026-11-23"]) == 0
    assert '"source": "' + str(good) in capsys.readouterr().out
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["extract", str(tmp_path), "--json"]) == 1
    captured = capsys.readouterr()
    assert "empty.txt" in captured.err
    assert captured.out.lstrip().startswith("[")
    assert main(["extract", str(good)]) == 0
    assert "officials" in capsys.readouterr().out


def test_name_before_a_comma_and_role_is_taken_short_of_the_verb(registry) -> None:
    text = (
        "عنوان\nوفي هذا السياق صرح لورنزو بيانكي، وزير العدل البرتغالي، بنتائج التعاون "
        "الأمني بين البلدين في مجال مكافحة الإرهاب."
    )
    names = _by_name(_facts(registry, text))
    assert list(names) == ["لورنزو بيانكي"]
    assert names["لورنزو بيانكي"]["country"] == "PT"


def test_connectors_keep_long_arabic_names_whole(registry) -> None:
    text = (
        "عنوان\nواستقبل الشيخ سالم بن راشد بن حمد آل سعيد، وزير الداخلية، وفدا أمنيا "
        "برتغاليا رفيعا لبحث مكافحة الإرهاب."
    )
    assert "سالم بن راشد بن حمد آل سعيد" in _by_name(_facts(registry, text))


def test_a_name_stops_at_prepositions_and_clauses_are_not_roles(registry) -> None:
    text = (
        "عنوان\nوأشاد نظيره البرتغالي جواو فييرا عقب اللقاء بمستوى التعاون. "
        "وكان الأمير الذي، قطع رأس، التقاليد قد غادر في إطار الزيارة."
    )
    names = _by_name(_facts(registry, text))
    assert list(names) == ["جواو فييرا"]
    assert names["جواو فييرا"]["country"] == "PT"


def test_family_name_with_article_closes_a_name_after_a_title(registry) -> None:
    text = (
        "عنوان\nاستقبل المسؤول المغربي بالرباط السيد أنطونيو الشمري، رئيس جهاز "
        "الاستخبارات البرتغالية، على رأس وفد أمني رفيع."
    )
    official = _by_name(_facts(registry, text))["أنطونيو الشمري"]
    assert official["country"] == "PT" and official["known"] is False


def test_a_family_name_with_article_before_a_comma_closes_a_name_after_a_title(registry) -> None:
    text = (
        "عنوان\nاستقبل المسؤول المغربي بالرباط السيدة سلمى الكبير، رئيسة جهاز "
        "الاستخبارات البرتغالية، على رأس وفد أمني رفيع."
    )
    assert _by_name(_facts(registry, text))["سلمى الكبير"]["country"] == "PT"


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        (
            "واستقبل بالرباط السيد ماركو فان دايك، مدير الشرطة البرتغالية، لبحث الإرهاب.",
            "ماركو فان دايك",
        ),
        (
            "وقال وزير الداخلية البرتغالي خوسيه دي سوزا إن التعاون مستمر في مكافحة الإرهاب.",
            "خوسيه دي سوزا",
        ),
        (  # after the particle, a word written "أل…" is a name, not a definite word
            "واستقبل بالرباط السيد يوهان فان ألفن، مدير الشرطة الهولندية، لبحث الإرهاب.",
            "يوهان فان ألفن",
        ),
    ],
)
def test_a_particle_inside_a_european_name_keeps_it_whole(registry, sentence, name) -> None:
    assert name in _by_name(_facts(registry, f"عنوان\n{sentence}"))


def test_a_particle_that_is_also_a_word_does_not_make_a_name(registry) -> None:
    text = "عنوان\nوإذا حضر السيد أحمد فإن الاتفاق سيوقع في الرباط خلال الأسبوع المقبل."
    assert _by_name(_facts(registry, text)) == {}


def test_publication_date_from_an_outlet_date_line(registry) -> None:
    text = (
        "عنوان الخبر\nجريدة الشمال – 5 يناير 2015\n"
        "استقبل المسؤول المغربي اليوم بالرباط وفدا أمنيا برتغاليا رفيعا لبحث سبل التعاون."
    )
    facts = _facts(registry, text)
    assert facts["published"] == "2015-01-05"
    assert facts["event_date"] == "2015-01-05"  # "اليوم" in the lead, against the publication


@pytest.mark.parametrize(
    ("headline", "iso"),
    [
        ("مباحثات أمنية مغربية باكستانية حول الإرهاب", "PK"),  # باكستان + ي
        ("تعاون أمني مع الشرطة النيجرية", "NE"),  # النيجر: the article dropped
        ("زيارة وفد أمني كندي إلى الرباط", "CA"),  # كندا: the final alif dropped
        ("لقاء مع المسؤولين الإيطاليين حول الإرهاب", "IT"),  # إيطاليا: plural of يا → ي
    ],
)
def test_a_country_adjective_is_formed_from_its_cldr_name(registry, headline, iso) -> None:
    # The registry lists no adjective for these countries: only PT's and MA's.
    assert iso in _facts(registry, f"{headline}\nخبر عن التعاون الأمني بين البلدين.")["countries"]


def test_a_registry_blocks_a_formed_adjective(tmp_path: Path) -> None:
    blocked = write_registry(tmp_path, countries="CA: {not_names_ar: [كندي]}\n")
    text = "زيارة وفد أمني كندي إلى الرباط\nخبر عن التعاون الأمني بين البلدين."
    assert "CA" not in _facts(blocked, text)["countries"]


@pytest.fixture(scope="module")
def paris_and_albares(tmp_path_factory: pytest.TempPathFactory):
    return write_registry(
        tmp_path_factory.mktemp("content"),
        officials=(
            "- id: jose-manuel-albares\n  name_en: José Manuel Albares\n"
            "  aliases_ar: [خوسيه مانويل ألباريس, ألباريس]\n  country: ES\n"
            "- id: rami-elias\n  name_en: Rami Elias\n  aliases_ar: [رامي إلياس]\n  country: LB\n"
        ),
        places="- {id: paris, name_en: Paris, aliases_ar: [باريس], country: FR, capital: true}\n",
    )


@pytest.mark.parametrize("written", ["بباريس", "وباريس", "في باريس"])
def test_a_place_is_not_a_name_that_adds_a_lam_to_it(paris_and_albares, written) -> None:
    # Normalised, "ألباريس" (Albares) is "الباريس": ال + "باريس" (Paris) if the lam is dropped.
    text = f"عنوان\nانعقد الاجتماع الأمني {written} يوم الاثنين لبحث الإرهاب."
    facts = _facts(paris_and_albares, text)
    assert [p["id"] for p in facts["places"]] == ["paris"]
    assert facts["officials"] == []


@pytest.mark.parametrize(
    ("written", "ref"),
    [
        ("ألباريس", "jose-manuel-albares"),
        ("وألباريس", "jose-manuel-albares"),
        ("الباريس", "jose-manuel-albares"),  # the hamza left out, as scraped text often has it
        ("رامي إلياس", "rami-elias"),  # the lam in a name's later word
        ("رامي الياس", "rami-elias"),
    ],
)
def test_a_name_with_its_own_lam_is_still_found(paris_and_albares, written, ref) -> None:
    text = f"عنوان\nأكد {written} أن التعاون الأمني مع المغرب مستمر في مجال الإرهاب."
    facts = _facts(paris_and_albares, text)
    assert [o["id"] for o in facts["officials"]] == [ref]
    assert facts["places"] == []


@pytest.mark.parametrize(
    "rank", ["الجنرال دو ديفيزيون", "الجنرال دو كور دارمي", "الجنرال دو بريغاد"]
)
def test_a_french_military_rank_is_part_of_the_title(registry, rank) -> None:
    text = f"عنوان\nوصرح {rank} كريم العلوي، قائد الدرك الملكي، بأن التعاون مستمر."
    assert list(_by_name(_facts(registry, text))) == ["كريم العلوي"]


def test_a_feminine_role_head_gives_the_role(registry) -> None:
    text = "عنوان\nأكدت السيدة إيزابيل مارتان، المفوضة الأوروبية للشؤون الداخلية، دعم المغرب."
    assert _by_name(_facts(registry, text))["إيزابيل مارتان"]["role_ar"] == (
        "المفوضة الأوروبية للشؤون الداخلية"
    )


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        (  # the words before the title are the host's; the name's role follows it
            "استقبل المسؤول المغربي بالرباط السيدة صوفي مارتان، مديرة الشرطة البلجيكية.",
            "مديرة الشرطة البلجيكية",
        ),
        (
            "وقال وزير الداخلية البرتغالي السيد جواو كوستا إن التعاون مستمر.",
            "وزير الداخلية البرتغالي",
        ),
    ],
)
def test_a_role_before_a_title_and_name(registry, sentence, role) -> None:
    (official,) = _facts(registry, f"عنوان\n{sentence}")["officials"]
    assert official["role_ar"] == role


@pytest.mark.parametrize("name", ["ألبرتو غارسيا", "إلهام العلمي", "ألكسندر شميت"])
def test_a_name_that_begins_with_a_hamza_and_lam_is_no_definite_word(registry, name) -> None:
    # Normalised, "ألبرتو" (Alberto) is "البرتو", as if it began with the article.
    text = f"عنوان\nاستقبل المسؤول المغربي بالرباط السيد {name}، مدير الشرطة البرتغالية."
    assert name in _by_name(_facts(registry, text))


@pytest.mark.parametrize("name", ["آنا لوبيز", "آن مارتان"])
def test_a_first_name_written_with_a_madda_is_no_stopword(registry, name) -> None:
    # Normalised, "آنا" (Anna) is "أنا" (I) and "آن" (Anne) is "أن" (that).
    text = f"عنوان\nاستقبل المسؤول المغربي بالرباط السيدة {name}، مديرة الشرطة البرتغالية."
    assert name in _by_name(_facts(registry, text))


def test_no_stopword_is_written_with_a_madda() -> None:
    # A word written with a madda is never read as a stopword (entities._name_kind).
    stopwords = load_data("entities")["stopwords"]
    assert stopwords and not [word for word in stopwords if "آ" in word]


def test_the_stopword_written_without_a_madda_still_ends_a_name(registry) -> None:
    text = "عنوان\nاستقبل المسؤول المغربي بالرباط السيدة أنا لوبيز، مديرة الشرطة البرتغالية."
    assert _by_name(_facts(registry, text)) == {}


def test_a_word_after_a_title_is_a_name_not_a_comparison(registry) -> None:
    # "كلاوس" reads as ك + "لاوس" (like Laos); no title is followed by a comparison.
    text = (
        "عنوان\nاستقبل المسؤول المغربي بالرباط السيد كلاوس لوبيز، مدير الشرطة البرتغالية، "
        "على رأس وفد أمني رفيع لبحث الإرهاب."
    )
    facts = _facts(registry, text)
    assert "كلاوس لوبيز" in _by_name(facts)
    assert "LA" not in facts["countries"]


def test_other_proclitics_after_a_title_still_read_as_a_country(registry) -> None:
    facts = _facts(registry, "زيارة الوزير لإسبانيا\nخبر عن التعاون الأمني بين البلدين.")
    assert "ES" in facts["countries"]


@pytest.mark.parametrize("title", ["السيد", "السفير البرتغالي"])
def test_an_adjective_that_closes_a_name_after_a_title_is_a_family_name(registry, title) -> None:
    # "روسي" (Russian) is also the family name Rossi.
    text = (
        f"عنوان\nاستقبل المسؤول المغربي بالرباط {title} ماريو روسي، مدير الشرطة البرتغالية، "
        "على رأس وفد أمني رفيع لبحث الإرهاب."
    )
    facts = _facts(registry, text)
    assert "ماريو روسي" in _by_name(facts)
    assert "RU" not in facts["countries"]


@pytest.mark.parametrize(
    "headline",
    [
        "استقبال وفد أمني روسي بالرباط",
        "السفير الروسي يزور الرباط",
        "لقاء السيد ماريو مع وفد روسي",
        "لقاء السيد ماريو الروسي، بالرباط",  # with the article, an adjective after the name
    ],
)
def test_the_same_adjective_elsewhere_is_a_country(registry, headline) -> None:
    assert "RU" in _facts(registry, f"{headline}\nخبر عن التعاون الأمني بين البلدين.")["countries"]


@pytest.mark.parametrize("written", ["الهند", "والهند", "بالهند", "للهند", "وللهند"])
def test_a_country_written_with_the_article_is_found_with_it(registry, written) -> None:
    text = f"تعاون أمني مع {written} في مجال الإرهاب\nخبر عن التعاون الأمني بين البلدين."
    assert "IN" in _facts(registry, text)["countries"]


def test_a_country_written_with_the_article_is_no_bare_word(registry) -> None:
    # CLDR writes India "الهند": bare, "هند" is a first name (Hind), and her name is kept
    text = "قالت مديرة الشرطة البرتغالية، هند بناني، إن التعاون مثمر\nخبر عن التعاون الأمني."
    facts = _facts(registry, text)
    assert "IN" not in facts["countries"]
    assert _by_name(facts)["هند بناني"]["role_ar"] == "مديرة الشرطة البرتغالية"


def test_a_demonym_written_with_the_article_needs_it(tmp_path: Path) -> None:
    russians = write_registry(tmp_path, countries="RU: {demonyms_ar: [الروس]}\n")
    sentence = "وقالت المتحدثة باسم الحكومة البرتغالية، تامي بروس، إن التعاون مع {} مثمر"
    bruce = _facts(russians, "عنوان\n" + sentence.format("المغرب"))
    assert "RU" not in bruce["countries"]  # ب + "روس": Bruce, not "with the Russians"
    assert _by_name(bruce)["تامي بروس"]["country"] == "PT"
    assert "RU" in _facts(russians, "عنوان\n" + sentence.format("الروس"))["countries"]


@pytest.mark.parametrize("written", ["الشرقاوي حبوب", "والشرقاوي حبوب", "للشرقاوي حبوب"])
def test_a_known_name_written_with_its_article_keeps_it(tmp_path: Path, written) -> None:
    registry = write_registry(
        tmp_path,
        officials=(
            "- id: cherkaoui-test\n  name_en: Cherkaoui Test\n"
            "  aliases_ar: [الشرقاوي حبوب, شرقاوي حبوب]\n  country: MA\n"
        ),
    )
    text = f"عنوان\nوأكد الوفد {written} أن التعاون مثمر في مجال مكافحة الإرهاب."
    (official,) = _facts(registry, text)["officials"]
    assert official["name_ar"] == "الشرقاوي حبوب"  # the proclitic goes, the article stays
