"""`sitegen diff`: what a change does to the built site, as Markdown.

A reviewer of a pull request needs two answers the file diff does not give:
which pages readers will see change, and which facts (dates, officials,
countries, topics, places, titles) moved. Pages are compared byte for byte
(nothing a reader sees is ignored); facts come from each build's
`data/dossier.json`, which lists articles sorted by slug with sorted keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("ar", "en")
KINDS = ("added", "removed", "changed")
DOSSIER = Path("data") / "dossier.json"
RULES_FILE = Path(__file__).parent / "data" / "diff.yaml"


@cache
def rules() -> dict[str, Any]:
    """The reporting rules (fact order, item keys, caps) from `data/diff.yaml`."""
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


@dataclass
class FileChanges:
    """Relative paths added, removed and changed between two trees."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class ArticleChange:
    """One article whose facts differ: `facts` maps a fact to its description."""

    slug: str
    title: str
    facts: dict[str, str]


@dataclass
class SiteDiff:
    """Everything `sitegen diff` reports."""

    pages: dict[str, FileChanges]
    other: FileChanges
    articles_added: list[tuple[str, str]]
    articles_removed: list[tuple[str, str]]
    articles_changed: list[ArticleChange]
    notes: list[str]

    def has_changes(self) -> bool:
        return bool(
            any(self.pages.values())
            or self.other
            or self.articles_added
            or self.articles_removed
            or self.articles_changed
        )


# ---------------------------------------------------------------- files


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def compare_files(old: dict[str, Path], new: dict[str, Path]) -> FileChanges:
    """Paths only in `new`, only in `old`, and in both with different bytes."""
    both = sorted(old.keys() & new.keys())
    return FileChanges(
        added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()),
        changed=[p for p in both if old[p].read_bytes() != new[p].read_bytes()],
    )


def page_url(rel: str) -> str:
    """`en/articles/x/index.html` → `/en/articles/x/`: the URL a reader opens."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel.removesuffix("index.html")
    return "/" + rel


def _split_pages(files: dict[str, Path]) -> tuple[dict[str, dict[str, Path]], dict[str, Path]]:
    pages: dict[str, dict[str, Path]] = {lang: {} for lang in LANGUAGES}
    other: dict[str, Path] = {}
    for rel, path in files.items():
        lang = rel.split("/", 1)[0]
        if lang in pages and rel.endswith(".html"):
            pages[lang][rel] = path
        else:
            other[rel] = path
    return pages, other


# ---------------------------------------------------------------- facts


def load_dossier(site: Path, notes: list[str]) -> dict[str, dict[str, Any]]:
    """Articles of a build by slug; a missing or broken dossier is noted, not fatal."""
    path = site / DOSSIER
    if not path.is_file():
        notes.append(f"`{site.name}/{DOSSIER.as_posix()}` is missing: facts not compared.")
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        notes.append(f"`{site.name}/{DOSSIER.as_posix()}` is not valid JSON ({exc}).")
        return {}
    return {a["slug"]: a for a in data.get("articles", []) if isinstance(a, dict) and "slug" in a}


def _title(article: dict[str, Any]) -> str:
    return article.get("title_en") or article.get("title_ar") or ""


def _fact_order(keys: set[str]) -> list[str]:
    first = [k for k in rules()["fact_order"] if k in keys]
    return first + sorted(keys - set(first) - {"slug"})


def _show(value: Any) -> str:
    """A short one-line rendering of a fact value."""
    if value is None or value == "" or value == []:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    limit = rules()["max_value_chars"]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _item_label(item: Any, key: str | None) -> str:
    if key is None or not isinstance(item, dict):
        return f"`{_show(item)}`"
    label = next((item[k] for k in rules()["label_keys"] if item.get(k)), None)
    ident = f"`{item.get(key)}`"
    return f"{ident} ({_show(label)})" if label and str(label) != str(item.get(key)) else ident


def _describe_list(name: str, old: list[Any], new: list[Any]) -> str:
    """Added, removed and changed items of a list fact, by identity."""
    key = rules()["item_keys"].get(name)

    def ident(item: Any) -> str:
        if key and isinstance(item, dict):
            return str(item.get(key))
        return json.dumps(item, ensure_ascii=False, sort_keys=True)

    old_by = {ident(i): i for i in old}
    new_by = {ident(i): i for i in new}
    parts = []
    for verb, ids, source in (
        ("added", [i for i in new_by if i not in old_by], new_by),
        ("removed", [i for i in old_by if i not in new_by], old_by),
        ("changed", [i for i in new_by if i in old_by and new_by[i] != old_by[i]], new_by),
    ):
        if ids:
            parts.append(f"{verb} " + ", ".join(_item_label(source[i], key) for i in ids))
    return "; ".join(parts) or "reordered"


def describe_fact(name: str, old: Any, new: Any) -> str:
    """One fact's change, e.g. `2025-01-29` → `2025-01-30` or `added FR`."""
    if isinstance(old or [], list) and isinstance(new or [], list):
        return _describe_list(name, old or [], new or [])
    return f"{_show(old)} → {_show(new)}"


def compare_articles(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """The facts that differ between two versions of an article."""
    keys = set(old) | set(new)
    return {
        k: describe_fact(k, old.get(k), new.get(k))
        for k in _fact_order(keys)
        if old.get(k) != new.get(k)
    }


# ---------------------------------------------------------------- whole site


def diff_sites(old: Path, new: Path) -> SiteDiff:
    """Compare two built sites (`public/` folders)."""
    old_pages, old_other = _split_pages(_files(old))
    new_pages, new_other = _split_pages(_files(new))
    notes: list[str] = []
    old_articles = load_dossier(old, notes)
    new_articles = load_dossier(new, notes)
    changed = []
    for slug in sorted(old_articles.keys() & new_articles.keys()):
        facts = compare_articles(old_articles[slug], new_articles[slug])
        if facts:
            changed.append(ArticleChange(slug, _title(new_articles[slug]), facts))
    return SiteDiff(
        pages={lang: compare_files(old_pages[lang], new_pages[lang]) for lang in LANGUAGES},
        other=compare_files(old_other, new_other),
        articles_added=[
            (s, _title(new_articles[s])) for s in sorted(new_articles.keys() - old_articles.keys())
        ],
        articles_removed=[
            (s, _title(old_articles[s])) for s in sorted(old_articles.keys() - new_articles.keys())
        ],
        articles_changed=changed,
        notes=notes,
    )


# ---------------------------------------------------------------- Markdown


def cell(text: str) -> str:
    """Text made safe inside a Markdown table cell on GitHub."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")


def capped(items: list[str], limit: int | None = None) -> list[str]:
    """At most `limit` list items, then one saying how many were left out."""
    limit = rules()["max_items"] if limit is None else limit
    if len(items) <= limit:
        return items
    return [*items[:limit], f"- … and {len(items) - limit} more"]


def _pages_section(d: SiteDiff) -> list[str]:
    if not any(d.pages.values()):
        return ["### Pages", "", "No page changed in either language.", ""]
    lines = ["### Pages", "", "| | " + " | ".join(LANGUAGES) + " |", "|---|" + "---:|" * 2]
    for kind in KINDS:
        counts = [str(len(getattr(d.pages[lang], kind))) for lang in LANGUAGES]
        lines.append(f"| {kind} | " + " | ".join(counts) + " |")
    lines.append("")
    for lang in LANGUAGES:
        for kind in KINDS:
            urls = sorted(page_url(p) for p in getattr(d.pages[lang], kind))
            if urls:
                title = f"{kind.capitalize()} ({lang}, {len(urls)})"
                lines += _folded(title, capped([f"- `{url}`" for url in urls]))
    return lines


def _folded(title: str, items: list[str]) -> list[str]:
    """A titled list; a long one folds away in <details> so the comment stays short."""
    if len(items) <= rules()["fold_after"]:
        return [f"**{title}**", *items, ""]
    return [f"<details><summary>{title}</summary>", "", *items, "", "</details>", ""]


def _articles_list(title: str, items: list[tuple[str, str]]) -> list[str]:
    if not items:
        return []
    rows = [f"- `{slug}` {cell(t)}".rstrip() for slug, t in items]
    return [f"**{title} ({len(items)})**", *capped(rows), ""]


def _facts_section(d: SiteDiff) -> list[str]:
    lines = ["### Facts", ""]
    if not (d.articles_added or d.articles_removed or d.articles_changed):
        return [*lines, "No article's facts changed.", ""]
    lines += _articles_list("Articles added", d.articles_added)
    lines += _articles_list("Articles removed", d.articles_removed)
    limit = rules()["max_items"]
    for change in d.articles_changed[:limit]:
        lines += [f"#### `{change.slug}` {cell(change.title)}".rstrip(), ""]
        lines += ["| fact | change |", "|---|---|"]
        lines += [f"| {name} | {cell(text)} |" for name, text in change.facts.items()]
        lines.append("")
    if len(d.articles_changed) > limit:
        lines += [f"… and {len(d.articles_changed) - limit} more articles with changed facts", ""]
    return lines


def _other_section(d: SiteDiff) -> list[str]:
    o = d.other
    if not o:
        return []
    counts = f"{len(o.added)} added, {len(o.removed)} removed, {len(o.changed)} changed"
    return ["### Other files", "", f"Feeds, data, search index, assets: {counts}.", ""]


def summary_line(d: SiteDiff) -> str:
    pages = sum(len(getattr(c, k)) for c in d.pages.values() for k in KINDS)
    arts = len(d.articles_added) + len(d.articles_removed) + len(d.articles_changed)
    return f"**{pages} page(s) differ; facts differ in {arts} article(s).**"


def to_markdown(d: SiteDiff) -> str:
    """The report, capped below GitHub's comment size."""
    lines = ["## Site changes", ""]
    if not d.has_changes():
        lines += ["No changes: both builds have the same pages, files and facts.", ""]
    else:
        lines += [summary_line(d), ""]
        lines += _pages_section(d) + _facts_section(d) + _other_section(d)
    lines += [f"> {note}" for note in d.notes]
    text = "\n".join(lines).rstrip() + "\n"
    limit = rules()["max_chars"]
    if len(text) > limit:
        cut = text[:limit].rsplit("\n", 1)[0]
        text = f"{cut}\n\n… and {len(text) - len(cut)} more characters cut.\n"
    return text
