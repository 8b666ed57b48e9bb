"""Page furniture goes; headline, outlet and byline are read from page shapes."""

from __future__ import annotations

from datetime import date

import pytest

from sitegen.extract import extract_facts
from sitegen.extract.clean import clean

BODY = (
    "أعلنت المديرية العامة للأمن الوطني اليوم عن توقيف شبكة إجرامية تنشط في الاتجار "
    "الدولي بالمخدرات، وذلك بتنسيق وثيق مع السلطات الإسبانية المختصة."
)


def test_headline_dash_outlet_and_repeated_headline() -> None:
    page = clean(f"توقيف شبكة للمخدرات بطنجة – جريدة الشمال\n\nتوقيف شبكة للمخدرات بطنجة\n{BODY}")
    assert page.title == "توقيف شبكة للمخدرات بطنجة"
    assert page.outlet == "جريدة الشمال"
    assert page.paragraphs == [BODY]


def test_outlet_dash_author_line_leaves_no_headline() -> None:
    page = clean(f"\nجريدة الشمال – م. العلمي\n{BODY}")
    assert (page.title, page.outlet, page.author) == (None, "جريدة الشمال", "م. العلمي")


def test_outlet_above_a_headline_printed_twice() -> None:
    page = clean(f"صوت المدينة\nعنوان الخبر هنا\n\nعنوان الخبر هنا\n{BODY}")
    assert page.outlet == "صوت المدينة"
    assert page.title == "عنوان الخبر هنا"


def test_date_line_is_kept_aside_for_the_publication_date() -> None:
    page = clean(f"عنوان\nأخبار / الخميس 3 أبريل 2025 10:15:00 / لا توجد تعليقات:\n{BODY}")
    assert page.meta_lines == ["أخبار / الخميس 3 أبريل 2025 10:15:00 / لا توجد تعليقات:"]
    assert BODY in page.body and "10:15" not in page.body


def test_furniture_is_removed_and_related_list_ends_the_article() -> None:
    raw = "\n".join(
        [
            "عنوان",
            "إستمع إلى راديو الأخــبــار",
            BODY,
            "ق/م",
            "شارك المقال",
            "التعليقات مغلقة.",
            "google-playkhamsat",
            "مقالات ذات صلة",
            "عنوان خبر آخر لا علاقة له بالموضوع",
            "فقرة طويلة أخرى من خبر آخر لا علاقة له بالموضوع الأصلي للمقال "
            "ولا يجب أن تظهر في النص.",
        ]
    )
    page = clean(raw)
    assert page.paragraphs == [BODY]


def test_inline_read_also_line_goes_but_the_article_goes_on() -> None:
    page = clean(f"عنوان\n{BODY}\nاقرأ أيضا: خبر آخر\n{BODY} وتابع البلاغ أن التحقيق مستمر.")
    assert len(page.paragraphs) == 2
    assert all("اقرأ" not in p for p in page.paragraphs)


def test_outlet_dash_date_line_gives_the_publication_date_line() -> None:
    page = clean(f"عنوان الخبر الأمني\nجريدة الشمال – 5 يناير 2015\n{BODY}")
    assert (page.outlet, page.author) == ("جريدة الشمال", None)
    assert page.meta_lines == ["5 يناير 2015"]


@pytest.mark.parametrize(
    "line",
    [
        "الأربعاء 29 يناير 2025",
        "29/01/2025",
        "الخميس، ٣ أبريل ٢٠٢٥ - 10:15",
        "2025-01-29",
        "الأربعاء, 29 يناير, 2025",
        "الأحد ١٠ مارس ٢٠٢٤ | ٢٩ شعبان ١٤٤٥",  # with the Hijri date
        "الأحد 10 مارس 2024 الموافق 29 شعبان 1445 هـ",
    ],
)
def test_a_line_that_is_only_a_date_is_a_date_line(line: str) -> None:
    page = clean(f"عنوان الخبر\n{line}\n{BODY}")
    assert page.meta_lines == [line]
    assert page.title == "عنوان الخبر" and page.paragraphs == [BODY]


@pytest.mark.parametrize("line", ["كأس العالم 2030 بالمغرب", "اجتمع الوفد يوم 10 مارس 2024"])
def test_a_line_with_a_year_and_other_words_is_no_date_line(line: str) -> None:
    assert clean(f"عنوان الخبر\n{BODY}\n{line}").meta_lines == []


@pytest.mark.parametrize("line", ["منذ ساعتين", "قبل 3 ساعات", "منذ 5 دقائق"])
def test_a_relative_time_stamp_is_furniture(line: str) -> None:
    assert clean(f"عنوان الخبر\n{line}\n{BODY}").paragraphs == [BODY]


def test_navigation_bar_and_breaking_news_banner_are_not_the_headline() -> None:
    for banner in ("الرئيسية | سياسة | مجتمع | رياضة | اقتصاد", "أخبار عاجلة"):
        page = clean(f"{banner}\nتعاون أمني مغربي هولندي\nتعاون أمني مغربي هولندي\n{BODY}")
        assert page.title == "تعاون أمني مغربي هولندي", banner
        assert page.paragraphs == [BODY], banner


def test_a_section_bar_of_unlisted_names_and_a_breadcrumb_trail_go() -> None:
    for bar in ("الأمن | الهجرة | جهات المملكة", "الرئيسية » أخبار وطنية » تعاون أمني مغربي"):
        page = clean(f"{bar}\nتعاون أمني مغربي هولندي\n{BODY}")
        assert page.title == "تعاون أمني مغربي هولندي", bar


def test_a_badge_before_a_headline_is_neither_outlet_nor_author() -> None:
    page = clean(f"عاجل | توقيف شبكة للمخدرات بطنجة\n{BODY}")
    assert (page.title, page.outlet, page.author) == ("توقيف شبكة للمخدرات بطنجة", None, None)


def test_a_row_of_short_cells_in_the_body_is_kept() -> None:
    row = "طنجة | 12 موقوفا | 2024"
    page = clean(f"عنوان الخبر\n{BODY}\n{row}")
    assert page.paragraphs == [BODY, row]


def test_a_related_list_label_in_the_header_is_a_menu_label() -> None:
    # "آخر الأخبار" above the headline is the site's menu; the article is below it
    page = clean(f"اليوم 24\nآخر الأخبار\nتوقيف شبكة للمخدرات بطنجة\n{BODY}\nآخر الأخبار\nخبر آخر")
    assert page.title == "توقيف شبكة للمخدرات بطنجة"
    assert page.paragraphs == [BODY]  # below the article, it still ends it


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("بقلم: سناء الكريمي", "سناء الكريمي"),
        ("إعداد يوسف لخضر", "يوسف لخضر"),
        ("تحرير : م. العلمي", "م. العلمي"),
        ("بقلم: سناء الكريمي | 05/02/2024 على الساعة 10:15", "سناء الكريمي"),  # and a date
        ("بقلم: سناء الكريمي - الرباط", "سناء الكريمي"),  # and a dateline
    ],
)
def test_a_byline_line_gives_the_author(line: str, author: str) -> None:
    page = clean(f"توقيف شبكة للمخدرات بطنجة – جريدة الشمال\n{line}\n{BODY}")
    assert (page.outlet, page.title, page.author) == (
        "جريدة الشمال",
        "توقيف شبكة للمخدرات بطنجة",
        author,
    )
    assert page.paragraphs == [BODY]


def test_a_tag_list_after_the_article_goes() -> None:
    page = clean(f"عنوان\n{BODY}\nالوسوم\nالمغرب\nإسبانيا\nالهجرة")
    assert page.paragraphs == [BODY]


@pytest.mark.parametrize(
    "credit", ["صورة: أرشيف", "(صورة: المديرية العامة للأمن الوطني)", "مصدر الصورة: ومع"]
)
def test_a_photo_credit_goes(credit: str) -> None:
    # the data writes "صورة" with its teh marbuta; lines are matched normalised ("صوره")
    assert clean(f"عنوان\n{BODY}\n{credit}").paragraphs == [BODY]


@pytest.mark.parametrize(
    "line",
    ["نشر بتاريخ 15 نونبر 2024", "تاريخ النشر: 05/02/2024", "آخر تحديث: 15 نونبر 2024 - 10:30"],
)
def test_a_labelled_date_line_is_a_date_line(line: str) -> None:
    page = clean(f"عنوان\n{BODY}\n{line}")
    assert (page.paragraphs, page.meta_lines) == ([BODY], [line])


def test_a_sentence_that_starts_with_a_date_label_stays() -> None:
    sentence = "بتاريخ 15 نونبر 2024 حل بالرباط وفد أمني برتغالي رفيع المستوى في زيارة عمل."
    assert clean(f"عنوان\n{BODY}\n{sentence}").paragraphs == [BODY, sentence]


def test_html_left_by_a_scrape_goes() -> None:
    raw = (
        "توقيف شبكة للمخدرات&nbsp;بطنجة\n"
        f"<p>{BODY}<br>وأكد البلاغ أن &quot;التحقيق&quot; مستمر تحت إشراف النيابة"
        " العامة المختصة.</p>"
    )
    page = clean(raw)
    assert page.title == "توقيف شبكة للمخدرات بطنجة"
    assert page.paragraphs == [
        BODY,
        'وأكد البلاغ أن "التحقيق" مستمر تحت إشراف النيابة العامة المختصة.',
    ]


def test_a_less_than_sign_in_the_text_is_no_tag() -> None:
    line = "وبلغ عدد الموقوفين < 10 أشخاص حسب البلاغ الصادر عن المديرية العامة للأمن الوطني."
    assert clean(f"عنوان\n{BODY}\n{line}").paragraphs == [BODY, line]


@pytest.mark.parametrize(
    "line",
    [
        "المغرب - إسبانيا: تعاون أمني متجدد - هسبريس",  # the headline has a dash of its own
        "هسبريس | المغرب - إسبانيا: تعاون أمني متجدد",  # the outlet first
    ],
)
def test_a_known_outlet_at_either_end_of_the_headline(line: str) -> None:
    page = clean(f"{line}\n{BODY}", frozenset({"هسبريس"}))
    assert (page.title, page.outlet) == ("المغرب - إسبانيا: تعاون أمني متجدد", "هسبريس")


def test_a_known_outlet_and_a_short_name_are_outlet_and_author() -> None:
    page = clean(f"عنوان الخبر الأمني\nهسبريس - يوسف لخضر\n{BODY}", frozenset({"هسبريس"}))
    assert (page.title, page.outlet, page.author) == ("عنوان الخبر الأمني", "هسبريس", "يوسف لخضر")


@pytest.mark.parametrize(
    "line",
    [
        "© جميع الحقوق محفوظة 2024",
        "أرسل لصديق",
        "حجم الخط",
        "الرابط المختصر",
        "عدد المشاهدات 1250",
        "1250 مشاهدة",
        "قراءة: 3 دقائق",
        "تابعوا آخر الأخبار عبر تطبيق الجريدة",
    ],
)
def test_page_tools_and_counters_are_furniture(line: str) -> None:
    assert clean(f"عنوان\n{BODY}\n{line}").paragraphs == [BODY]


def test_a_tag_line_after_the_article_ends_it() -> None:
    assert clean(f"عنوان\n{BODY}\nكلمات دلالية: المغرب، إسبانيا").paragraphs == [BODY]


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("جريدة الشمال - متابعة", "جريدة الشمال"),
        ("الرباط - هيئة التحرير", None),
        ("جريدة الشمال - رئاسة التحرير", "جريدة الشمال"),
    ],
)
def test_a_byline_that_names_no_one_gives_no_author(line: str, outlet: str | None) -> None:
    page = clean(f"عنوان الخبر الأمني\n{line}\n{BODY}", place_names=frozenset({"الرباط"}))
    assert (page.outlet, page.author, page.paragraphs) == (outlet, None, [BODY])


@pytest.mark.parametrize("line", ["إعداد: هيئة التحرير", "بقلم: متابعة", "متابعة", "وكالات"])
def test_a_byline_that_names_no_one_is_no_outlet_either(line: str) -> None:
    page = clean(f"توقيف شبكة للمخدرات بطنجة\n{line}\n{BODY}")
    assert (page.title, page.outlet, page.author) == ("توقيف شبكة للمخدرات بطنجة", None, None)
    assert page.paragraphs == [BODY]


def test_a_section_beside_the_outlet_is_no_author() -> None:
    page = clean(f"Le360 | الأخبار\nتوقيف شبكة للمخدرات بطنجة\n{BODY}", frozenset({"le360"}))
    assert (page.outlet, page.author, page.title) == ("Le360", None, "توقيف شبكة للمخدرات بطنجة")


def test_a_dated_byline_gives_the_author_and_the_publication_date() -> None:
    raw = f"توقيف شبكة للمخدرات بطنجة\nبقلم: سناء الكريمي | 05/02/2024 على الساعة 10:15\n{BODY}"
    facts = extract_facts(raw, "made-up.txt", today=date(2026, 11, 23))
    assert (facts["author_ar"], facts["published"]) == ("سناء الكريمي", "2024-02-05")


PLACES = frozenset({"الرباط", "الدار البيضاء"})


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("الرباط - 20 ماي 2024 (ومع) - ", "الرباط - 20 ماي 2024 (ومع) - "),
        ("الرباط ـ «القدس العربي»: ", "الرباط ـ «القدس العربي»: "),
        ("الدار البيضاء – 3 مارس 2024 – ", "الدار البيضاء – 3 مارس 2024 – "),
        ("الرباط (رويترز) - ", "الرباط (رويترز) - "),
        ("الرباط - ", "الرباط - "),
        ("باريس - ", ""),  # not a place the registry knows
        ("الرباط عاصمة المملكة - ", ""),  # a sentence about Rabat
    ],
)
def test_the_dateline_the_article_opens_with(opening: str, dateline: str) -> None:
    page = clean(f"توقيف شبكة للمخدرات بطنجة\n{opening}{BODY}", place_names=PLACES)
    assert page.dateline == dateline
    assert page.paragraphs[0] == f"{opening}{BODY}"  # the body keeps it, as written


def test_a_wire_datelines_date_is_the_publication_date_and_not_the_events() -> None:
    raw = (
        "خبر أمني\nالرباط - 21 ماي 2024 (ومع) - أجرى المدير العام للأمن الوطني، يوم الإثنين"
        " بالرباط، مباحثات مع وفد أمني إسباني حول سبل مكافحة الإرهاب والجريمة المنظمة."
    )
    facts = extract_facts(raw, "made-up.txt", today=date(2026, 11, 23))
    assert (facts["published"], facts["event_date"]) == ("2024-05-21", "2024-05-20")
    assert facts["summary_ar"].startswith("أجرى المدير العام للأمن الوطني")
