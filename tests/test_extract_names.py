"""Names and roles in the shapes of press copy: a role before a title, hyphens, Latin names."""

from __future__ import annotations

from datetime import date

import pytest

from sitegen.extract import extract_facts

REF = date(2026, 11, 23)


@pytest.fixture(scope="module")
def registry(made_up_registry):
    return made_up_registry


def _officials(registry, sentence: str) -> dict[str, dict]:
    facts = extract_facts(f"عنوان\n{sentence}", "made-up.txt", today=REF, registry=registry)
    return {o["name_ar"]: o for o in facts["officials"]}


@pytest.mark.parametrize(
    ("sentence", "role", "country"),
    [
        (
            "وحضر اللقاء المدير العام للشرطة البرتغالية، السيد جواو كوستا، وعدد من المسؤولين.",
            "المدير العام للشرطة البرتغالية",
            "PT",
        ),
        (  # a place inside the role is part of it
            "وحضر اللقاء سفير المملكة المغربية في لشبونة، السيدة سعاد العلوي، وعدد من المسؤولين.",
            "سفير المملكة المغربية في لشبونة",
            "MA",
        ),
    ],
)
def test_a_role_before_a_comma_and_a_title_is_the_names(registry, sentence, role, country):
    (official,) = _officials(registry, sentence).values()
    assert (official["role_ar"], official["country"]) == (role, country)


@pytest.mark.parametrize(
    "sentence",
    [
        # the role is the known official's, set off by the comma before the title
        "استقبل المدير العام كريم التجريبي، السيد جواو كوستا، الذي يزور المغرب.",
        # the role between commas after a name is that name's apposition
        "استقبل التجريبي، المدير العام للأمن الوطني، السيد جواو كوستا، الذي يزور المغرب.",
        "استقبل ماريو روسو، المدير العام للأمن الوطني، السيد جواو كوستا، الذي يزور المغرب.",
        # "، والسيد" starts a list: the role is the first person's
        "وحضر اللقاء المدير العام للشرطة البرتغالية، والسيد جواو كوستا، وعدد من المسؤولين.",
    ],
)
def test_a_role_that_is_someone_elses_is_not_given_to_the_name_after_a_title(registry, sentence):
    assert _officials(registry, sentence)["جواو كوستا"]["role_ar"] is None


def test_a_role_after_the_name_wins_over_one_before_the_title(registry) -> None:
    sentence = "استقبل مدير الشرطة البرتغالية، السيد جواو كوستا، مدير الأمن بالرباط، بمكتبه."
    assert _officials(registry, sentence)["جواو كوستا"]["role_ar"] == "مدير الأمن بالرباط"


@pytest.mark.parametrize(
    ("sentence", "role", "country"),
    [
        ("وأكد السفير البرتغالي جواو كوستا أن التعاون مستمر.", "السفير البرتغالي", "PT"),
        ("وأكد المفوض الأوروبي جواو كوستا أن التعاون مستمر.", "المفوض الأوروبي", None),
        ("وأكد السفير جواو كوستا أن التعاون مستمر.", None, None),  # the title alone says little
        ("وأكد السيد البرتغالي جواو كوستا أن التعاون مستمر.", None, None),  # no role, a courtesy
    ],
)
def test_a_title_that_is_a_role_gives_it_with_its_adjectives(registry, sentence, role, country):
    (official,) = _officials(registry, sentence).values()
    assert (official["role_ar"], official["country"]) == (role, country)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("وأشاد السفير البرتغالي، جواو دياز-كوستا، بالتنسيق الأمني.", "جواو دياز-كوستا"),
        ("وأكد جان-ماري لوران، مدير الشرطة البرتغالية، أن التعاون مستمر.", "جان-ماري لوران"),
        ("وأكد السيد جان-ماري لوران أن التعاون مستمر.", "جان-ماري لوران"),
        ("وأكد مدير الشرطة البرتغالية Jean-Marie Laurent أن التعاون مستمر.", "Jean-Marie Laurent"),
    ],
)
def test_a_hyphen_inside_a_name_keeps_it_whole(registry, sentence, name) -> None:
    assert list(_officials(registry, sentence)) == [name]


def test_a_spaced_dash_after_a_name_ends_it(registry) -> None:
    sentence = "وقالت مديرة الشرطة البرتغالية صوفيا كوستا - في تصريح للصحافة - إن التعاون مستمر."
    assert list(_officials(registry, sentence)) == ["صوفيا كوستا"]


def test_a_hyphenated_latin_alias_matches_the_whole_name(registry) -> None:
    # The text's hyphen is a token of its own; the alias "Gómez-Ruiz" is two words.
    officials = _officials(registry, "وقال الوزير البرتغالي Pedro Gómez-Ruiz إن التعاون مستمر.")
    assert [(o["id"], name) for name, o in officials.items()] == [
        ("pedro-gomez-ruiz", "Pedro Gómez-Ruiz")
    ]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("وقال José Luis Ábalos، مدير الشرطة البرتغالية، إن التعاون مستمر.", "José Luis Ábalos"),
        ("وأكد السيد Ángel Núñez أن التعاون مستمر.", "Ángel Núñez"),
        ("وأكد مدير الشرطة البرتغالية João Guéhenno أن التعاون مستمر.", "João Guéhenno"),
    ],
)
def test_a_latin_name_with_accents_is_read_whole(registry, sentence, name) -> None:
    officials = _officials(registry, sentence)
    assert list(officials) == [name]
    assert officials[name]["name_en"] == name


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        (  # before a comma and a title
            "استقبل المدير العام نائب وزيرة الداخلية البرتغالية، السيدة ماريا سيلفا، بالرباط.",
            "نائب وزيرة الداخلية البرتغالية",
        ),
        (  # before a comma
            "وصرح مستشار رئيس الحكومة البرتغالية، جواو كوستا، للصحافة.",
            "مستشار رئيس الحكومة البرتغالية",
        ),
        (  # across one noun
            "وحضر رئيس ديوان وزير الداخلية البرتغالي، السيد جواو كوستا، الاجتماع.",
            "رئيس ديوان وزير الداخلية البرتغالي",
        ),
        (  # right before the name
            "وقال نائب رئيس الشرطة البرتغالية جواو كوستا إن التعاون مستمر.",
            "نائب رئيس الشرطة البرتغالية",
        ),
        (  # "مساعد" opens a chain, though it is no role head
            "واستقبل مساعد وزير الداخلية البرتغالي، السيد جواو كوستا، بالرباط.",
            "مساعد وزير الداخلية البرتغالي",
        ),
        (  # ... and "المساعد" after a head stays inside the role
            "واستقبل المدير العام المساعد للشرطة البرتغالية، السيد جواو كوستا، بالرباط.",
            "المدير العام المساعد للشرطة البرتغالية",
        ),
    ],
)
def test_a_deputy_or_adviser_keeps_the_first_head_of_the_role(registry, sentence, role) -> None:
    (official,) = _officials(registry, sentence).values()
    assert (official["role_ar"], official["country"]) == (role, "PT")


@pytest.mark.parametrize(
    "sentence",
    [
        # a definite word before the head is another phrase: the subject of the verb
        "استقبل رئيس الحكومة وزير الداخلية البرتغالي، السيد جواو كوستا، بالرباط.",
        # a function word is no link of a chain
        "وقال مسؤول إن وزير الداخلية البرتغالي، السيد جواو كوستا، يزور الرباط.",
    ],
)
def test_a_role_chain_starts_only_at_a_bare_head(registry, sentence) -> None:
    role = _officials(registry, sentence)["جواو كوستا"]["role_ar"]
    assert role == "وزير الداخلية البرتغالي"


@pytest.mark.parametrize(
    ("sentence", "roles"),
    [
        (  # "، والملحق …" is the next person's role, not an apposition to the first name
            "وأشرف على الافتتاح كل من والي أمن طنجة، السيد يوسف الدريسي، والملحق الأمني بسفارة"
            " فرنسا، السيد بيير دوبون.",
            {"يوسف الدريسي": "والي أمن طنجة", "بيير دوبون": "الملحق الأمني بسفارة فرنسا"},
        ),
        (  # the same without titles: "<name>، و<role>، <name>"
            "وحضر كل من مدير الشرطة البرتغالية، جواو كوستا، ووزير الداخلية البلجيكي، مارك فيرمولن.",
            {"جواو كوستا": "مدير الشرطة البرتغالية", "مارك فيرمولن": "وزير الداخلية البلجيكي"},
        ),
        (  # "والي" and "وزير" begin with و and are heads themselves
            "وحضر اللقاء السيد يوسف الدريسي، والي أمن طنجة، والسيد جواو كوستا، وزير الداخلية"
            " البرتغالي.",
            {"يوسف الدريسي": "والي أمن طنجة", "جواو كوستا": "وزير الداخلية البرتغالي"},
        ),
    ],
)
def test_a_role_joined_by_wa_belongs_to_the_next_name(registry, sentence, roles) -> None:
    found = _officials(registry, sentence)
    assert {name: found[name]["role_ar"] for name in roles} == roles


def test_a_consul_is_a_role(registry) -> None:
    sentence = "وحضر اللقاء القنصل العام للمملكة المغربية بمدريد، السيد محمد العلوي."
    official = _officials(registry, sentence)["محمد العلوي"]
    assert (official["role_ar"], official["country"]) == (
        "القنصل العام للمملكة المغربية بمدريد",
        "MA",
    )


@pytest.mark.parametrize(
    "name",
    [
        "عبد الرحيم بنعلي",  # "عبد" begins the first name
        "أحمد عبد الرحيم",  # ... or the second
        "محمد بن سلمان",  # "بن" joins two names
        "عبد الله بوصوف",  # "الله" is no stopword ("له")
        "سالم بن راشد بن حمد",
        "هند العلوي",  # a family name with the article, ending in ي
        "عبد الرحيم العلوي",
    ],
)
def test_a_name_before_a_comma_and_its_role_keeps_its_connectors(registry, name) -> None:
    found = _officials(registry, f"وقال {name}، وزير الداخلية البرتغالي، إن التعاون مثمر.")
    assert list(found) == [name]
    assert (found[name]["role_ar"], found[name]["country"]) == ("وزير الداخلية البرتغالي", "PT")


def test_a_definite_word_that_is_no_family_name_makes_no_name(registry) -> None:
    sentence = "وافتتح أشغال الدورة، المدير العام للشرطة البرتغالية، مبرزا أهمية التعاون."
    assert _officials(registry, sentence) == {}


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("وأشرف على العملية العميد الإقليمي محمد بنعيسى.", "محمد بنعيسى"),
        ("وحضر الاجتماع والي الأمن يوسف بنعلي.", "يوسف بنعلي"),
        ("وحضر الاجتماع الفريق أول يوسف بنعلي.", "يوسف بنعلي"),
    ],
)
def test_a_title_of_several_words_is_skipped_whole(registry, sentence, name) -> None:
    assert list(_officials(registry, sentence)) == [name]


def test_a_compound_first_name_before_a_family_name_after_a_title(registry) -> None:
    sentence = "وقالت مديرة الشرطة البرتغالية، السيدة فاطمة الزهراء المنصوري، إن التعاون مثمر."
    found = _officials(registry, sentence)
    assert found["فاطمة الزهراء المنصوري"]["role_ar"] == "مديرة الشرطة البرتغالية"


@pytest.mark.parametrize(
    "sentence", ["وحضر السيد بيير دوبون الحفل الرسمي للمناسبة.", "وحضر السيد بيير دوبون الحفل."]
)
def test_definite_words_after_two_names_that_close_nothing_are_left_out(registry, sentence):
    assert list(_officials(registry, sentence)) == ["بيير دوبون"]


@pytest.mark.parametrize(
    "described",
    ["، الخبير في الشؤون الأمنية،", " الخبير الفرنسي في الأمن", "، الصحفي البرتغالي،"],
)
def test_a_titled_name_described_as_holding_no_office_is_no_official(registry, described):
    sentence = f"وقال الدكتور بيير دوبون{described} إن التعاون مثمر."
    assert _officials(registry, sentence) == {}


def test_a_role_after_a_place_and_a_comma_is_the_names_after_the_title(registry) -> None:
    sentence = (
        "استقبل التجريبي، اليوم الثلاثاء بالرباط، المفوض العام للشرطة البرتغالية، السيد جواو"
        " كوستا، الذي يزور المغرب."
    )
    official = _officials(registry, sentence)["جواو كوستا"]
    assert (official["role_ar"], official["country"]) == ("المفوض العام للشرطة البرتغالية", "PT")


def test_a_preposition_with_a_pronoun_is_no_name(registry) -> None:
    sentence = "التجريبي يستقبل مدير الشرطة البرتغالية ويبحث معه تعزيز التعاون الأمني"
    assert [o["known"] for o in _officials(registry, sentence).values()] == [True]


def test_two_names_joined_by_wa_are_not_one(registry) -> None:
    # after "السيد" the second is not read: "وزوجته ماري" (and his wife) would be a name
    sentence = "استقبل السيد جون سميث وبيير دوبون بمقر الوزارة."
    assert list(_officials(registry, sentence)) == ["جون سميث"]


@pytest.mark.parametrize(
    ("title", "names"),
    [("السيدين", ["جون سميث", "بيير دوبون"]), ("السادة", ["جون سميث", "بيير دوبون", "ماريو روسو"])],
)
def test_each_name_after_a_plural_title_is_a_person(registry, title, names) -> None:
    sentence = f"استقبل {title} {' و'.join(names)} بمقر الوزارة."
    assert list(_officials(registry, sentence)) == names


@pytest.mark.parametrize("name", ["جون سميث ويليامز", "محمد وليد العلوي"])
def test_a_name_word_that_begins_with_wa_is_kept(registry, name) -> None:
    assert list(_officials(registry, f"استقبل السيد {name}، مدير الشرطة البرتغالية، الوفد.")) == [
        name
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "وأكد مدير الشرطة البرتغالية - جواو كوستا - أن التعاون مثمر.",  # set off by dashes
        "وقال جواو كوستا – مدير الشرطة البرتغالية – إن التعاون مثمر.",
        "وقال جواو كوستا (مدير الشرطة البرتغالية) إن التعاون مثمر.",  # the role in brackets
        "وأوضح «جواو كوستا»، مدير الشرطة البرتغالية، أن التعاون مثمر.",  # the name in quotes
    ],
)
def test_a_role_set_off_by_dashes_brackets_or_quotes(registry, sentence) -> None:
    official = _officials(registry, sentence)["جواو كوستا"]
    assert (official["role_ar"], official["country"]) == ("مدير الشرطة البرتغالية", "PT")


def test_an_acronym_in_brackets_after_a_role_is_no_name(registry) -> None:
    sentence = "وقال مدير مكتب التحقيقات الفيدرالي (إف بي آي) إن التعاون مع المغرب مثمر."
    assert _officials(registry, sentence) == {}


@pytest.mark.parametrize(
    ("start", "rest"),
    [
        ("واجتمع الوفد مع", "، بمقرها."),
        ("واجتمع الوفد مع", " الذي يزور المغرب على رأس وفد هام."),
        ("وحضر", " الاجتماع."),  # the role ends before what he attended
    ],
)
def test_a_definite_role_right_after_a_titled_name_is_its_own(registry, start, rest) -> None:
    sentence = f"{start} السيد جواو كوستا المدير العام للشرطة البرتغالية{rest}"
    official = _officials(registry, sentence)["جواو كوستا"]
    assert (official["role_ar"], official["country"]) == ("المدير العام للشرطة البرتغالية", "PT")


@pytest.mark.parametrize("other", ["ماريو روسو", "كريم التجريبي"])
def test_a_role_followed_by_another_name_is_that_names(registry, other) -> None:
    sentence = f"واستقبل السيد جواو كوستا المدير العام للشرطة البرتغالية {other}."
    assert _officials(registry, sentence)["جواو كوستا"]["role_ar"] is None


def test_a_role_after_the_subject_of_a_verb_of_meeting_is_the_one_met(registry) -> None:
    sentence = "استقبل السيد جواو كوستا السفير البرتغالي بمكتبه في لشبونة."
    assert _officials(registry, sentence)["جواو كوستا"]["role_ar"] is None


def test_a_reporting_verb_before_a_one_word_compound_is_no_name(registry) -> None:
    # "أبرز" (highlighted) + "عبد الله": a verb, not the first of two names
    sentence = "ومن جهته أبرز عبد الله، مدير الشرطة البرتغالية، أن التعاون مثمر."
    assert _officials(registry, sentence) == {}


def test_a_secretary_of_state_is_an_official_not_a_writer(registry) -> None:
    # "كاتب الدولة" (secretary of state) is no "الكاتب" (writer)
    sentence = "استقبل المسؤول السيد فرانك سيلفا، كاتب الدولة البرتغالي المكلف بالأمن، بالرباط."
    official = _officials(registry, sentence)["فرانك سيلفا"]
    assert official["role_ar"] == "كاتب الدولة البرتغالي المكلف بالأمن"


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("وقال وزير الداخلية، محمد العلوي، إن التعاون مستمر.", "محمد العلوي", "وزير الداخلية"),
        (
            "وقالت مديرة الشرطة البرتغالية، فاطمة الزهراء المنصوري، إن التعاون مستمر.",
            "فاطمة الزهراء المنصوري",
            "مديرة الشرطة البرتغالية",
        ),
        (
            "وترأس الاجتماع مدير الشؤون الداخلية، خالد الزروالي، بحضور وفد.",
            "خالد الزروالي",
            "مدير الشؤون الداخلية",
        ),
    ],
)
def test_a_name_set_off_after_a_role_may_end_in_a_family_name_with_the_article(
    registry, sentence, name, role
) -> None:
    (official,) = _officials(registry, sentence).values()
    assert official["name_ar"] == name
    assert official["role_ar"] == role


@pytest.mark.parametrize(
    "aside", ["خلال اللقاء", "الأسبوع الماضي", "بدوره الكبير", "حسب البلاغ الرسمي", "أمس الأول"]
)
def test_an_aside_between_commas_after_a_role_is_no_name(registry, aside) -> None:
    assert _officials(registry, f"وقال وزير الداخلية، {aside}، إن التعاون مستمر.") == {}


@pytest.mark.parametrize("after", ["بنظيره المغربي", "لنظيره المغربي", "السيد كريم التجريبي"])
def test_a_name_after_a_role_ends_at_a_role_head_or_title(registry, after) -> None:
    sentence = f"والتقى المدير العام للشرطة البرتغالية جواو كوستا {after} في لشبونة."
    official = _officials(registry, sentence)["جواو كوستا"]
    assert official["role_ar"] == "المدير العام للشرطة البرتغالية"


@pytest.mark.parametrize(
    "sentence",
    [
        "وحضر القائم بالأعمال بالسفارة البرتغالية، السيد جواو كوستا، حفل التوقيع.",
        "وقال جواو كوستا، القائم بأعمال السفارة البرتغالية، إن التعاون مستمر.",
    ],
)
def test_a_charge_daffaires_has_a_role(registry, sentence) -> None:
    official = _officials(registry, sentence)["جواو كوستا"]
    assert official["role_ar"].startswith("القائم")
    assert official["country"] == "PT"


def test_existing_cooperation_is_no_role(registry) -> None:
    sentence = "ونوه الجانبان بالتعاون القائم بين البلدين، السيد جواو كوستا، بحضور الوفد."
    assert _officials(registry, sentence)["جواو كوستا"]["role_ar"] is None
