"""The registry loads editors' YAML, names countries from CLDR, and locates errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitegen import registry
from sitegen.extract import extract_facts
from sitegen.frontmatter import ContentError
from sitegen.registry import Registry, default_registry, load_registry, per_registry

REPOSITORY_REGISTRY = Path(__file__).resolve().parents[1] / "content" / "registry"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    base = tmp_path / "registry"
    base.mkdir(exist_ok=True)
    path = base / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_officials_with_arabic_display_name(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "officials.yaml",
        "- id: jane-doe\n  name_en: Jane Doe\n  aliases_ar: [جين دو, دو]\n  country: es\n",
    )
    reg = load_registry(tmp_path)
    official = reg.officials["jane-doe"]
    assert official.name_ar == "جين دو"
    assert official.country == "ES"
    assert official.role_en is None


def test_missing_files_give_an_empty_registry(tmp_path: Path) -> None:
    reg = load_registry(tmp_path)
    assert reg.officials == {} and reg.places == {} and reg.topics == {}


def test_country_names_come_from_cldr() -> None:
    reg = load_registry(Path("/nonexistent"))
    assert reg.country_name("DE", "ar") == "ألمانيا"
    assert reg.country_name("de", "en") == "Germany"
    assert reg.country_name("EU", "en") == "European Union"
    assert reg.is_country_code("MA") and reg.is_country_code("EU")
    assert not reg.is_country_code("ZZ") and not reg.is_country_code("001")
    assert not reg.is_country_code("XY")


def test_outlet_lookup_is_normalised(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "outlets.yaml",
        "- id: example\n  name_ar: أخبار المدينة\n  aliases_ar: [الأخبار 24]\n",
    )
    reg = load_registry(tmp_path)
    assert reg.outlet_for("اخبار المدينة").id == "example"
    assert reg.outlet_for("الاخبار ٢٤").id == "example"
    assert reg.outlet_for("جريدة أخرى") is None


@pytest.mark.parametrize(
    ("name", "text", "line", "fragment"),
    [
        ("officials.yaml", "- id: a\n  name_en: A\n- id: a\n  name_en: B\n", 3, "duplicate id"),
        ("officials.yaml", "- id: b\n  name_en: B\n  country: XX\n", 1, "unknown country"),
        ("places.yaml", "- id: c\n", 1, "missing 'name_en'"),
        ("topics.yaml", "terrorism:\n  en: T\n  ar: a: b\n", 3, "YAML syntax"),
        ("topics.yaml", "a:\n  en: A\n  ar: أ\nb: 3\n", 4, "must be a mapping"),
        ("officials.yaml", "- &x\n  id: a\n  name_en: A\n- <<: *x\n  name_en: B\n", 4, "duplicate"),
    ],
)
def test_errors_name_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, fragment: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(ContentError) as info:
        load_registry(tmp_path)
    assert info.value.path == path
    assert info.value.line == line
    assert fragment in info.value.message


@pytest.mark.parametrize("path", sorted(REPOSITORY_REGISTRY.glob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_reads_the_data_and_lines_the_located_reader_does(path: Path) -> None:
    data, node = registry._read(path)
    located, located_node = registry._read_located(path, path.read_text(encoding="utf-8"))
    assert data == located
    keys = range(len(data)) if isinstance(data, list) else list(data)
    lines = [registry._line(node, key) for key in keys]
    assert lines == [registry._line(located_node, key) for key in keys]
    assert len(set(lines)) == len(lines) > 3


def test_repository_registry_is_valid_and_covers_the_topic_vocabulary() -> None:
    reg = default_registry()
    assert {
        "terrorism",
        "extremism",
        "organized_crime",
        "illegal_migration",
        "human_trafficking",
        "drug_trafficking",
        "arms_trafficking",
        "cybercrime",
        "money_laundering",
        "world_cup_2030",
        "sports_events_security",
        "intelligence_sharing",
        "training",
        "technology",
        "border_security",
    } <= set(reg.topics)
    for official in reg.officials.values():
        assert official.country is None or reg.is_country_code(official.country)
    assert reg.places["rabat"].capital


def test_per_registry_builds_once_per_registry_object() -> None:
    calls: list[int] = []

    @per_registry
    def build(registry: Registry) -> int:
        calls.append(1)
        return len(calls)

    first, second = Registry(), Registry()
    assert (build(first), build(first), build(second)) == (1, 1, 2)  # an equal new one too


REGISTRY = default_registry()


@pytest.mark.parametrize(
    ("phrase", "topic"),
    [
        ("كأس إفريقيا للأمم", "sports_events_security"),  # the Maghrebi word order
        ("كأس أمم إفريقيا", "sports_events_security"),
        ("الطائرات المسيرة", "technology"),
        ("الطائرات بدون طيار", "technology"),
        ("السياج الحدودي", "border_security"),
        ("تبييض الأموال", "money_laundering"),
    ],
)
def test_repository_topic_cues_catch_the_press_spellings(phrase: str, topic: str) -> None:
    text = f"عنوان\nتناولت المباحثات بين الجانبين تعزيز التعاون في مجال {phrase} بشكل فعال ومستمر."
    facts = extract_facts(text, "made-up.txt", today=date(2026, 11, 23), registry=REGISTRY)
    assert facts["topics"] == [topic]


@pytest.mark.parametrize(
    ("body", "country"),
    [
        ("مكتب التحقيقات الفيدرالي", "US"),
        ("الحرس المدني", "ES"),
        ("المكتب الاتحادي للشرطة الجنائية", "DE"),
    ],
)
def test_a_countrys_own_security_body_is_a_mention_of_it(body: str, country: str) -> None:
    text = (
        f"عنوان\nأجرى المدير العام للأمن الوطني مباحثات مع مديرة {body}، السيدة جانيت سميث، "
        "حول تعزيز التعاون الثنائي في مجال مكافحة الإرهاب والجريمة المنظمة."
    )
    facts = extract_facts(text, "made-up.txt", today=date(2026, 11, 23), registry=REGISTRY)
    assert country in facts["countries"]
    (official,) = [o for o in facts["officials"] if o["name_ar"] == "جانيت سميث"]
    assert official["country"] == country
