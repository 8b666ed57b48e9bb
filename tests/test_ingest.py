"""Ingest writes content files, reuses work, and never loses an editor's change.

A small fake extractor stands in for sitegen.extract so these tests pin the
merge rules, not extraction quality. Its input format: `KEY: value` lines,
then the body.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest

from sitegen import frontmatter
from sitegen.cli import main
from sitegen.ingest import format_report, ingest
from sitegen.registry import Registry


class FakeExtractor:
    """Reads facts from `KEY: value` header lines; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str, source: str, today=None, registry=None) -> dict:
        self.calls += 1
        self.today = today
        head, _, body = text.partition("\n\n")
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        officials = []
        for spec in filter(None, fields.get("OFFICIALS", "").split(";")):
            ident, name_ar, name_en, country, known = spec.split("|")
            officials.append(
                {
                    "id": ident,
                    "name_ar": name_ar,
                    "name_en": name_en or None,
                    "role_ar": None,
                    "role_en": None,
                    "country": country or None,
                    "known": known == "true",
                }
            )
        places = []
        for spec in filter(None, fields.get("PLACES", "").split(";")):
            ident, name_ar, name_en, country = spec.split("|")
            places.append({"id": ident, "name_ar": name_ar, "name_en": name_en, "country": country})
        date = fields.get("DATE") or None
        return {
            "source": source,
            "title_ar": fields.get("TITLE"),
            "outlet_ar": fields.get("OUTLET"),
            "author_ar": None,
            "published": None,
            "event_date": date,
            "dates": [{"date": date, "text": date}] if date else [],
            "officials": officials,
            "countries": fields.get("COUNTRIES", "").split(),
            "places": places,
            "topics": fields.get("TOPICS", "").split(),
            "summary_ar": body.split("\n")[0],
            "body_ar": body,
        }


HAMMOUCHI = "abdellatif-hammouchi|عبد اللطيف حموشي|Abdellatif Hammouchi|MA|true"
PARDO = "francisco-pardo|فرانسيسكو باردو|Francisco Pardo|ES|true"
ROMANN = "dieter-romann|ديتر رومان||DE|false"


BODY = "اجتمع حموشي بنظيريه.\n\nفقرة ثانية."


def raw(
    title: str = "حموشي في مدريد",
    date: str = "2025-01-29",
    officials: tuple[str, ...] = (HAMMOUCHI, PARDO, ROMANN),
    countries: str = "MA ES DE",
    topics: str = "terrorism organized_crime",
    body: str = BODY,
    places: str = "madrid|مدريد|Madrid|ES",
) -> str:
    """A raw article in the fake extractor's format."""
    return (
        f"TITLE: {title}\nOUTLET: أنتلجنسيا المغرب\nDATE: {date}\n"
        f"OFFICIALS: {';'.join(officials)}\n"
        f"COUNTRIES: {countries}\nTOPICS: {topics}\nPLACES: {places}\n\n{body}\n"
    )


@pytest.fixture
def site(tmp_path: Path):
    """A project folder with seeds/ and content/, ingested by a fake extractor."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    content_dir = tmp_path / "content"
    extractor = FakeExtractor()

    def run(*paths: Path, fingerprint: str = "fp1", **kwargs):
        kwargs.setdefault("extract", extractor)
        return ingest(
            paths or [seeds], content_dir, registry=Registry(), fingerprint=fingerprint, **kwargs
        )

    return seeds, content_dir, extractor, run


def _article(content_dir: Path, slug: str) -> frontmatter.Document:
    return frontmatter.read(content_dir / "articles" / f"{slug}.md")


def test_first_ingest_writes_one_content_file_per_article(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    other_raw = raw(title="لقاء", officials=(), places="", countries="MA FR", date="")
    (seeds / "b.txt").write_text(other_raw, encoding="utf-8")
    report = run()
    assert report.ok and len(report.created) == 2
    doc = _article(content_dir, "2025-01-29-hammouchi-madrid")
    assert doc.meta["source"] == "seeds/a.txt"
    assert doc.meta["slug"] == "2025-01-29-hammouchi-madrid"
    assert doc.meta["countries"] == ["MA", "ES", "DE"]
    assert doc.meta["officials"][0]["name_en"] == "Abdellatif Hammouchi"
    assert doc.body.strip() == "اجتمع حموشي بنظيريه.\n\nفقرة ثانية."
    assert list(doc.meta)[:3] == ["slug", "source", "title_ar"]
    assert set(doc.meta["ingest"]["fields"]) >= {"title_ar", "officials", "body_ar"}
    # No official nor place: the partner country (not the site's home, MA by
    # default) and the transliterated title.
    other = [p.stem for p in report.created if p.stem != "2025-01-29-hammouchi-madrid"]
    assert other == ["france-lq"]
    assert all(p.stem.isascii() for p in report.created)


def test_slugs_are_unique_and_never_change(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "b.txt").write_text(raw(body="نص آخر"), encoding="utf-8")
    (seeds / "c.txt").write_text(raw(body="نص ثالث"), encoding="utf-8")
    run()
    slugs = sorted(p.stem for p in (content_dir / "articles").glob("*.md"))
    # Same date, official and place: the next official's name, then a number.
    assert slugs == [
        "2025-01-29-hammouchi-madrid",
        "2025-01-29-hammouchi-madrid-2",
        "2025-01-29-hammouchi-pardo-madrid",
    ]
    # The facts the slug was made from change; the slug and file do not.
    (seeds / "a.txt").write_text(raw(date="2024-05-02", places=""), encoding="utf-8")
    report = run()
    assert sorted(p.stem for p in (content_dir / "articles").glob("*.md")) == slugs
    assert [p.stem for p in report.updated] == ["2025-01-29-hammouchi-madrid"]
    assert _article(content_dir, slugs[0]).meta["event_date"] == "2024-05-02"


def test_unchanged_source_is_not_extracted_again(site) -> None:
    seeds, content_dir, extractor, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    run()
    path = content_dir / "articles" / "2025-01-29-hammouchi-madrid.md"
    before = path.read_bytes()
    report = run()
    assert extractor.calls == 1
    assert report.unchanged == [path] and not report.updated
    assert path.read_bytes() == before
    # A new extractor (code, data or registry) re-extracts; identical output is unchanged,
    # and the file only gets the new stamp, which the summary says.
    report = run(fingerprint="fp2")
    assert extractor.calls == 2 and report.unchanged == [path] and report.restamped == [path]
    assert frontmatter.read(path).meta["ingest"]["extractor"] == "fp2"
    assert "1 unchanged (1 file re-stamped only" in format_report(report)
    # Forced with the same extractor: nothing to change, the file is not even rewritten.
    stamp = path.stat().st_mtime_ns - 10**9
    os.utime(path, ns=(stamp, stamp))
    report = run(fingerprint="fp2", force=True)
    assert extractor.calls == 3 and report.unchanged == [path] and not report.restamped
    assert path.stat().st_mtime_ns == stamp
    assert "re-stamped" not in format_report(report)


def _edit(path: Path, change) -> None:
    doc = frontmatter.read(path)
    body = change(doc.meta) or doc.body
    frontmatter.write(path, doc.meta, body)


def test_reingest_keeps_each_kind_of_edit_and_updates_the_rest(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    run()
    path = content_dir / "articles" / "2025-01-29-hammouchi-madrid.md"

    def edit(meta):
        meta["title_ar"] = "عنوان صححه المحرر"
        meta["officials"][2]["name_en"] = "Dieter Romann"
        meta["countries"].remove("DE")
        meta["title_en"] = "Hammouchi in Madrid"
        meta["title_en_meta"] = {"by": "editor", "ar_sha": "0123456789ab"}
        meta["notes"] = "checked against the agency dispatch"
        meta["draft"] = True
        return "نص صححه المحرر."

    _edit(path, edit)
    new_source = raw(
        title="عنوان جديد من المصدر",
        date="2025-01-30",
        countries="MA ES DE PT",
        topics="terrorism world_cup_2030",
        officials=(HAMMOUCHI, PARDO, ROMANN.replace("ديتر رومان", "ديتر رومن")),
        body="نص جديد من المصدر.",
    )
    (seeds / "a.txt").write_text(new_source, encoding="utf-8")
    report = run()
    doc = frontmatter.read(path)
    assert report.kept == {path: ["title_ar", "officials", "countries", "body_ar"]}
    assert doc.meta["title_ar"] == "عنوان صححه المحرر"
    assert doc.meta["officials"][2]["name_en"] == "Dieter Romann"
    assert doc.meta["officials"][2]["name_ar"] == "ديتر رومان"  # whole field is the editor's
    assert doc.meta["countries"] == ["MA", "ES"]
    assert doc.body.strip() == "نص صححه المحرر."
    # Unedited fields follow the new extraction.
    assert doc.meta["event_date"] == "2025-01-30"
    assert doc.meta["topics"] == ["terrorism", "world_cup_2030"]
    assert doc.meta["summary_ar"] == "نص جديد من المصدر."
    # English fields and editors' own keys are never touched.
    assert doc.meta["title_en"] == "Hammouchi in Madrid"
    assert doc.meta["title_en_meta"] == {"by": "editor", "ar_sha": "0123456789ab"}
    assert doc.meta["notes"] == "checked against the agency dispatch"
    assert doc.meta["draft"] is True
    assert "kept edits" in format_report(report)

    # A further re-ingest still keeps the edits.
    (seeds / "a.txt").write_text(new_source.replace("PT", "PT IT"), encoding="utf-8")
    run()
    doc = frontmatter.read(path)
    assert doc.meta["title_ar"] == "عنوان صححه المحرر"
    assert doc.meta["countries"] == ["MA", "ES"]


def test_a_field_reverted_to_the_extraction_follows_ingest_again(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(topics="terrorism"), encoding="utf-8")
    run()
    path = content_dir / "articles" / "2025-01-29-hammouchi-madrid.md"
    _edit(path, lambda meta: meta.update(topics=["terrorism", "training"]))
    (seeds / "a.txt").write_text(raw(topics="terrorism training"), encoding="utf-8")
    assert run().kept == {}  # the extraction now equals the edit: nothing to keep
    (seeds / "a.txt").write_text(raw(topics="extremism"), encoding="utf-8")
    run()
    assert frontmatter.read(path).meta["topics"] == ["extremism"]


def test_new_articles_added_and_vanished_seed_reported_not_deleted(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    run()
    (seeds / "a.txt").unlink()
    (seeds / "b.txt").write_text(raw(date="2024-03-01", body="نص"), encoding="utf-8")
    report = run()
    old = content_dir / "articles" / "2025-01-29-hammouchi-madrid.md"
    assert [p.stem for p in report.created] == ["2024-03-01-hammouchi-madrid"]
    assert report.vanished == [(old, "seeds/a.txt")]
    assert old.exists()
    assert "seed gone" in format_report(report) and report.ok


def test_ingesting_one_file_does_not_report_the_others_as_vanished(site) -> None:
    seeds, _, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "b.txt").write_text(raw(body="نص"), encoding="utf-8")
    run()
    assert run(seeds / "a.txt").vanished == []


def test_unknown_officials_are_listed_for_the_registry(site) -> None:
    seeds, _, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "b.txt").write_text(raw(body="نص"), encoding="utf-8")
    report = run()
    assert list(report.unknown) == ["dieter-romann"]
    assert len(report.unknown["dieter-romann"].articles) == 2
    assert "dieter-romann (ديتر رومان, DE)" in format_report(report)
    assert list(run().unknown) == ["dieter-romann"]  # also when nothing was re-extracted


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (b"caf\xe9 cr\xe8me \xff\xfe\xfd", "undecodable"),
    ],
)
def test_bad_input_is_reported_by_name_and_the_run_goes_on(site, data, reason) -> None:
    seeds, _, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "bad.txt").write_bytes(data)
    (seeds / "c.txt").write_text(raw(body="نص"), encoding="utf-8")
    report = run()
    assert len(report.created) == 2 and not report.ok
    assert len(report.problems) == 1
    assert "bad.txt" in report.problems[0] and reason in report.problems[0]


def test_extractor_failure_on_one_article_is_reported(site) -> None:
    seeds, _, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "b.txt").write_text("لا رأس لهذا النص\n", encoding="utf-8")
    report = run()
    assert len(report.created) == 1
    assert len(report.problems) == 1 and "b.txt: extraction failed" in report.problems[0]


def test_a_raw_file_without_article_text_is_reported_not_written(site) -> None:
    seeds, _, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "empty.txt").write_text(raw(title="الرئيسية", body=" "), encoding="utf-8")
    report = run()
    assert len(report.created) == 1 and not report.ok
    (problem,) = report.problems
    assert "empty.txt: no article text found" in problem
    assert "2025-01-29-hammouchi-madrid.md" in str(report.created[0])


def test_a_raw_file_whose_text_is_gone_leaves_its_content_file(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    run()
    path = content_dir / "articles" / "2025-01-29-hammouchi-madrid.md"
    before = path.read_text(encoding="utf-8")
    (seeds / "a.txt").write_text(raw(body=" "), encoding="utf-8")  # a failed scrape
    report = run()
    assert path.read_text(encoding="utf-8") == before
    (problem,) = report.problems
    assert "no article text found" in problem and f"{path} kept as it is" in problem


def test_a_content_file_an_editor_broke_is_not_overwritten(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    run()
    path = content_dir / "articles" / "2025-01-29-hammouchi-madrid.md"
    broken = path.read_text(encoding="utf-8").replace("title_ar: ", "title_ar: [", 1)
    path.write_text(broken, encoding="utf-8")
    (seeds / "a.txt").write_text(raw(body="نص جديد"), encoding="utf-8")
    report = run()
    assert path.read_text(encoding="utf-8") == broken
    assert not report.created
    assert len(report.problems) == 1 and str(path) in report.problems[0]


def test_cli_summary_and_exit_code(tmp_path: Path, monkeypatch, capsys) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "empty.txt").write_bytes(b"")
    monkeypatch.setattr("sitegen.extract.extract_facts", FakeExtractor(), raising=False)
    code = main(["ingest", str(seeds), "--content", str(tmp_path / "content")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "empty.txt" in err and "empty file" in err
    assert "ingest: 1 article written (1 new, 0 updated), 0 unchanged" in out
    assert "1 problem" in out
    (seeds / "empty.txt").unlink()
    code = main(["ingest", str(seeds), "--content", str(tmp_path / "content")])
    assert code == 0 and "1 unchanged" in capsys.readouterr().out


def test_other_encodings_are_ingested_like_utf8(site) -> None:
    seeds, content_dir, _, run = site
    (seeds / "a.txt").write_bytes(raw().replace("\n", "\r\n").encode("utf-16"))
    (seeds / "b.txt").write_bytes(raw(date="2024-03-01").encode("cp1256"))
    report = run()
    assert report.ok and len(report.created) == 2
    doc = _article(content_dir, "2025-01-29-hammouchi-madrid")
    assert doc.meta["title_ar"] == "حموشي في مدريد"
    assert doc.body.strip() == BODY


def test_file_over_5_mb_is_reported(site) -> None:
    seeds, _, extractor, run = site
    (seeds / "big.txt").write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    report = run()
    assert extractor.calls == 0
    assert report.problems and "big.txt" in report.problems[0] and "5 MB" in report.problems[0]


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_in_logs_is_a_line_every_n_files(site, monkeypatch) -> None:
    seeds, _, _, run = site
    for n in range(7):
        (seeds / f"{n}.txt").write_text(raw(body=f"نص {n}"), encoding="utf-8")
    monkeypatch.setattr("sitegen.ingest._Progress.EVERY", 3)
    log = _Stream(tty=False)
    run(progress=log)
    assert log.getvalue().splitlines() == ["ingest: 3/7 files", "ingest: 6/7 files"]
    terminal = _Stream(tty=True)
    run(progress=terminal)
    shown = terminal.getvalue()
    assert shown.startswith("\ringest: ") and shown.endswith("\ringest: 7/7 files\n")


def test_the_reference_date_of_the_first_ingest_is_kept(site) -> None:
    seeds, content_dir, extractor, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    run(today=dt.date(2026, 11, 23))
    doc = _article(content_dir, "2025-01-29-hammouchi-madrid")
    assert doc.meta["ingest"]["today"] == "2026-11-23"
    run(force=True)  # years later, without --today: dates read as on first ingest
    assert extractor.today == dt.date(2026, 11, 23)
    run(force=True, today=dt.date(2027, 1, 5))
    assert extractor.today == dt.date(2027, 1, 5)
    assert _article(content_dir, doc.path.stem).meta["ingest"]["today"] == "2027-01-05"


def test_dates_from_the_extractor_are_stored_as_iso_text(site) -> None:
    seeds, content_dir, extractor, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")

    def with_date_objects(text, source, today=None, registry=None):
        facts = extractor(text, source, today=today, registry=registry)
        return {**facts, "published": dt.date(2025, 1, 29), "topics": {"training", "terrorism"}}

    run(extract=with_date_objects)
    meta = _article(content_dir, "2025-01-29-hammouchi-madrid").meta
    assert meta["published"] == "2025-01-29" and meta["topics"] == ["terrorism", "training"]


def test_facts_that_cannot_be_stored_are_reported(site) -> None:
    seeds, _, extractor, run = site
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    (seeds / "b.txt").write_text(raw(body="نص"), encoding="utf-8")

    def odd(text, source, today=None, registry=None):
        facts = extractor(text, source, today=today, registry=registry)
        return {**facts, "dates": [object()]} if source.endswith("a.txt") else facts

    report = run(extract=odd)
    assert len(report.created) == 1 and len(report.problems) == 1
    assert "a.txt: not written: cannot store a object" in report.problems[0]


def test_an_empty_seed_folder_is_a_problem(site) -> None:
    seeds, _, _, run = site
    report = run()
    assert not report.ok and "no raw articles (*.txt) in" in report.problems[0]
    assert str(seeds) in report.problems[0]


def test_a_content_folder_without_registry_is_warned_about(tmp_path: Path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(raw(), encoding="utf-8")
    monkeypatch.setattr("sitegen.extract.extract_facts", FakeExtractor(), raising=False)
    content = tmp_path / "content"
    assert main(["ingest", str(seeds), "--content", str(content)]) == 0
    assert f"{content / 'registry'} does not exist" in capsys.readouterr().err
    (content / "registry").mkdir()
    (seeds / "b.txt").write_text(raw(), encoding="utf-8")
    assert main(["ingest", str(seeds), "--content", str(content)]) == 0
    assert "does not exist" not in capsys.readouterr().err
