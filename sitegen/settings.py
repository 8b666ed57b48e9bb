"""Site settings from `content/site.yaml`: titles, base URL, languages.

The base URL decides every link: pages link root-relative to its path so the
same build works at `/`, at `https://x.github.io/repo/` or under a preview
sub-path, while canonical URLs, feeds and the sitemap use the absolute form
when one is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale

from sitegen.frontmatter import ContentError, load_yaml

SETTINGS_FILE = "site.yaml"


@dataclass(frozen=True)
class Settings:
    """What `content/site.yaml` says, with defaults for a bare content tree."""

    title_ar: str = "ملف التعاون الأمني"
    title_en: str = "Security Cooperation Dossier"
    description_ar: str = ""
    description_en: str = ""
    base_url: str = "/"
    languages: tuple[str, ...] = ("ar", "en")
    default_language: str = "ar"
    # Babel locale per page language: ar_MA gives Maghrebi month names.
    locales: dict[str, str] = field(default_factory=lambda: {"ar": "ar_MA", "en": "en_GB"})
    # The country whose cooperation the dossier follows: its officials take
    # part in nearly every event, so they do not tell two events apart.
    home_country: str = "MA"
    event_window_days: int = 2
    feed_size: int = 50
    # Publish articles marked `draft: true` too (`--drafts`: a preview, not the site).
    drafts: bool = False

    def with_base_url(self, base_url: str | None) -> Settings:
        return self if not base_url else replace(self, base_url=normalize_base_url(base_url))

    def with_drafts(self, drafts: bool) -> Settings:
        return replace(self, drafts=drafts) if drafts != self.drafts else self

    @cached_property
    def base_path(self) -> str:
        """The path part of the base URL, always starting and ending with '/'."""
        return normalize_base_url(urlsplit(self.base_url).path or "/")

    @cached_property
    def is_absolute(self) -> bool:
        return bool(urlsplit(self.base_url).scheme)

    def url(self, path: str) -> str:
        """Link to a site path ('en/articles/x/') as seen from any page."""
        return self.base_path + path

    def absolute_url(self, path: str) -> str:
        """Full URL for canonical links, feeds and the sitemap (base path when relative)."""
        return (self.base_url if self.is_absolute else self.base_path) + path

    def title(self, lang: str) -> str:
        return self.title_ar if lang == "ar" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_ar if lang == "ar" else self.description_en

    def locale(self, lang: str) -> str:
        return self.locales.get(lang, lang)

    def direction(self, lang: str) -> str:
        """'rtl' or 'ltr', from CLDR's character order for the language."""
        order = Locale.parse(self.locale(lang)).character_order
        return "rtl" if order == "right-to-left" else "ltr"

    def other_languages(self, lang: str) -> tuple[str, ...]:
        return tuple(code for code in self.languages if code != lang)


def normalize_base_url(url: str) -> str:
    """'https://x.io/repo' → 'https://x.io/repo/'; '' → '/'; 'pr/7' → '/pr/7/'."""
    url = url.strip() or "/"
    if not urlsplit(url).scheme and not url.startswith("/"):
        url = "/" + url
    return url if url.endswith("/") else url + "/"


_STRINGS = ("title_ar", "title_en", "description_ar", "description_en", "base_url")


def load_settings(content_dir: Path) -> Settings:
    """Read `site.yaml` beside the articles; a missing file gives the defaults."""
    path = Path(content_dir) / SETTINGS_FILE
    if not path.exists():
        return Settings()
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    if not isinstance(data, dict):
        raise ContentError(path, 1, "site settings must be a mapping")
    values: dict = {}
    for key in _STRINGS:
        if key in data and data[key] is not None:
            if not isinstance(data[key], str):
                raise ContentError(path, None, f"'{key}' must be a string")
            values[key] = data[key]
    if "languages" in data:
        values["languages"] = tuple(str(code) for code in data["languages"])
    for key in ("default_language", "home_country"):
        if data.get(key):
            values[key] = str(data[key])
    for key in ("event_window_days", "feed_size"):
        if key in data:
            values[key] = int(data[key])
    if isinstance(data.get("locales"), dict):
        values["locales"] = {str(k): str(v) for k, v in data["locales"].items()}
    settings = Settings(**values)
    return settings.with_base_url(settings.base_url)
