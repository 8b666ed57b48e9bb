"""English titles and summaries with provenance.

Every English field records who made it (`editor`, `machine:<provider>`,
`generated`) and a hash of the Arabic it was made from, so the site can label
machine text and flag English that no longer matches its Arabic. Editors'
text is never overwritten. Online providers go through deep-translator, which
sets no timeout of its own: every call runs under a hard deadline (see
`call_with_deadline`), so a dead or silent network costs seconds, not a hang.
The offline provider writes plain English from the extracted facts.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

PROVIDERS = ("offline", "google", "mymemory", "libre", "deepl")
ONLINE_PROVIDERS = PROVIDERS[1:]
FIELDS = ("title", "summary")
DEFAULT_TIMEOUT = 10.0

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


# --- provenance -----------------------------------------------------------------


def arabic_hash(text: str | None) -> str:
    """First 12 hex digits of the SHA-256 of the Arabic an English field was made from."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:12]


def is_stale(meta: Any, arabic: str | None) -> bool:
    """True when `meta` records a hash of Arabic that differs from `arabic` now.

    Without a recorded hash nobody knows what the English was made from, so it
    is not called stale.
    """
    if not isinstance(meta, dict) or not meta.get("ar_sha"):
        return False
    return str(meta["ar_sha"]) != arabic_hash(arabic)


def provenance(article: dict, name: str) -> str | None:
    """Who wrote `<name>_en`: 'editor', 'machine:<p>', 'generated', or None when absent.

    English without meta, or with a `by` we do not recognise, is an editor's:
    when in doubt, never overwrite.
    """
    text = article.get(f"{name}_en")
    if not isinstance(text, str) or not text.strip():
        return None
    meta = article.get(f"{name}_en_meta")
    by = meta.get("by") if isinstance(meta, dict) else None
    if isinstance(by, str) and (by == "generated" or by.startswith("machine:")):
        return by
    return "editor"


def set_english(article: dict, name: str, text: str, by: str) -> None:
    """Store `<name>_en` and its meta, placed right after `<name>_ar` when new."""
    meta = {"by": by, "ar_sha": arabic_hash(article.get(f"{name}_ar"))}
    values = {f"{name}_en": text, f"{name}_en_meta": meta}
    if all(key in article for key in values):
        article.update(values)
        return
    items = [(k, v) for k, v in article.items() if k not in values]
    anchor = f"{name}_ar"
    at = next((i + 1 for i, (k, _v) in enumerate(items) if k == anchor), len(items))
    items[at:at] = values.items()
    article.clear()
    article.update(items)


# --- planning -------------------------------------------------------------------


@dataclass
class Plan:
    """What a run will do to one article: fields to (re)write and editors' stale fields."""

    jobs: dict[str, str] = field(default_factory=dict)  # field name -> reason
    stale_editor: list[str] = field(default_factory=list)


def plan_article(article: dict, provider: str) -> Plan:
    """Decide, without any request, which English fields a run with `provider` rewrites.

    Missing → write; stale machine/generated → rewrite; generated → regenerate
    offline (facts may have changed) or replace by a real translation online;
    fresh machine text → keep; editor's text → keep, and report it when stale.
    """
    plan = Plan()
    for name in FIELDS:
        by = provenance(article, name)
        stale = is_stale(article.get(f"{name}_en_meta"), article.get(f"{name}_ar"))
        if by is None:
            plan.jobs[name] = "missing"
        elif by == "editor":
            if stale:
                plan.stale_editor.append(name)
        elif stale:
            plan.jobs[name] = "stale"
        elif by == "generated":
            plan.jobs[name] = "generated" if provider == "offline" else "upgrade"
    return plan


# --- online providers -----------------------------------------------------------


class ProviderError(Exception):
    """A failed online translation; `fatal` means the service is unusable for this run."""

    def __init__(self, reason: str, fatal: bool = True, skipped: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fatal = fatal
        self.skipped = skipped  # not asked: it had already failed in this run


class ProviderSetupError(ValueError):
    """The provider cannot be set up (missing key or URL): a usage error."""


def make_translator(
    provider: str, api_key: str | None = None, libre_url: str | None = None
) -> Callable[[str], str]:
    """The `translate(text)` of deep-translator's class for `provider`, Arabic → English."""
    from deep_translator import (
        DeeplTranslator,
        GoogleTranslator,
        LibreTranslator,
        MyMemoryTranslator,
    )

    if provider == "google":
        return GoogleTranslator(source="ar", target="en").translate
    if provider == "mymemory":
        return MyMemoryTranslator(source="ar-SA", target="en-GB").translate
    if provider == "libre":
        if not api_key:
            raise ProviderSetupError(
                "libre needs --api-key (deep-translator requires one; "
                "any value works for a server that has no keys)"
            )
        url = libre_url or "https://libretranslate.com/"
        url = url if url.endswith("/") else f"{url}/"
        return LibreTranslator(source="ar", target="en", api_key=api_key, custom_url=url).translate
    if provider == "deepl":
        if not api_key:
            raise ProviderSetupError("deepl needs --api-key")
        # deep-translator's DeepL language table predates DeepL's Arabic; the
        # API takes the code, so set it past the table check.
        translator = DeeplTranslator(source="en", target="en", api_key=api_key)
        translator.source = "ar"
        return translator.translate
    raise ProviderSetupError(f"unknown provider '{provider}' (choose from {', '.join(PROVIDERS)})")


def call_with_deadline(func: Callable[[str], str], text: str, timeout: float) -> str:
    """`func(text)` bounded by `timeout` seconds of wall-clock time.

    A socket timeout alone bounds each connect and each read, not the whole
    call, and not name resolution, which blocks in the C library when the
    network is absent. So the call runs in a daemon thread that we stop
    waiting for at the deadline; being a daemon, it never holds the process
    open, and `requests_timeout` makes its socket give up soon after.
    """
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = func(text)
        except Exception as exc:  # reported by the caller, never re-raised raw
            box["error"] = exc

    worker = threading.Thread(target=work, name="sitegen-translate", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise ProviderError(f"timeout after {timeout:g} s")
    if "error" in box:
        raise classify_error(box["error"], timeout) from box["error"]
    value = box.get("value")
    if not isinstance(value, str) or not value.strip():
        raise ProviderError("empty answer", fatal=False)
    return value.strip()


def classify_error(exc: Exception, timeout: float) -> ProviderError:
    """One short, human reason for an exception raised inside deep-translator."""
    import requests
    from deep_translator import exceptions as dt

    if isinstance(exc, requests.exceptions.JSONDecodeError | ValueError):
        return ProviderError("unreadable answer", fatal=True)
    if isinstance(exc, requests.Timeout):
        return ProviderError(f"timeout after {timeout:g} s")
    if isinstance(exc, requests.ConnectionError | ConnectionError):
        return ProviderError(_connection_reason(exc))
    if isinstance(exc, dt.ServerException):
        return _server_error(str(exc.args[0]) if exc.args else "")
    if isinstance(exc, dt.AuthorizationException):
        return ProviderError("the API key was refused")
    if isinstance(exc, dt.TooManyRequests):
        return ProviderError("too many requests")
    if isinstance(exc, dt.TranslationNotFound | dt.NotValidPayload | dt.NotValidLength):
        return ProviderError("no translation for this text", fatal=False)
    if isinstance(exc, dt.RequestError | requests.RequestException):
        return ProviderError("request failed")
    return ProviderError(f"unexpected {type(exc).__name__}: {exc}".strip(), fatal=False)


def _connection_reason(exc: Exception) -> str:
    text = str(exc)
    if "refused" in text.lower():
        return "connection refused"
    if "resolution" in text.lower() or "name or service" in text.lower():
        return "host not found"
    return "cannot connect"


def _server_error(message: str) -> ProviderError:
    from deep_translator.exceptions import ServerException

    codes = {name: code for code, name in ServerException.errors.items()}
    code = codes.get(message)
    label = f"service error {code}" if code else "service error"
    fatal = code is None or code >= 500 or code in (401, 402, 403, 429)
    return ProviderError(label, fatal=fatal)


@contextmanager
def requests_timeout(seconds: float) -> Iterator[None]:
    """Give every `requests` call without a timeout this one, while the block runs.

    deep-translator calls `requests.get/post` without `timeout`, so a call
    abandoned by `call_with_deadline` would otherwise keep its socket (and
    thread) forever in a long-lived process such as `sitegen serve` or tests.
    """
    import requests

    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = seconds
        return original(self, method, url, *args, **kwargs)

    requests.Session.request = request  # type: ignore[method-assign]
    try:
        yield
    finally:
        requests.Session.request = original  # type: ignore[method-assign]


class OnlineTranslator:
    """One provider for one run: deadline per call, and no more calls once it is down."""

    def __init__(self, name: str, func: Callable[[str], str], timeout: float) -> None:
        self.name = name
        self.func = func
        self.timeout = timeout
        self.requests = 0
        self.down: str | None = None

    def __call__(self, text: str) -> str:
        if self.down:
            raise ProviderError(self.down, skipped=True)
        self.requests += 1
        try:
            return call_with_deadline(self.func, text, self.timeout)
        except ProviderError as exc:
            if exc.fatal:
                self.down = exc.reason
            raise


# --- running --------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one article."""

    written: dict[str, str] = field(default_factory=dict)  # field -> by
    failure: ProviderError | None = None  # the online provider's first failure, if any
    fallback: list[str] = field(default_factory=list)  # fields written offline instead
    stale_editor: list[str] = field(default_factory=list)


def translate_article(
    article: dict,
    provider: str,
    online: Callable[[str], str] | None = None,
    registry: Any = None,
) -> Outcome:
    """Fill the English fields `plan_article` selects, in place.

    With an online provider, a field whose Arabic is empty (no headline) is
    generated offline; a failed request falls back to the offline text, and
    the first failure reason is kept for the report.
    """
    plan = plan_article(article, provider)
    outcome = Outcome(stale_editor=plan.stale_editor)
    for name in plan.jobs:
        arabic = article.get(f"{name}_ar")
        if online is not None and isinstance(arabic, str) and arabic.strip():
            try:
                text = online(arabic)
            except ProviderError as exc:
                outcome.failure = outcome.failure or exc
                outcome.fallback.append(name)
            else:
                set_english(article, name, text, f"machine:{provider}")
                outcome.written[name] = f"machine:{provider}"
                continue
        make = offline_title if name == "title" else offline_summary
        text = make(article, registry)
        if _unchanged(article, name, text, "generated"):
            continue
        set_english(article, name, text, "generated")
        outcome.written[name] = "generated"
    return outcome


def _unchanged(article: dict, name: str, text: str, by: str) -> bool:
    meta = {"by": by, "ar_sha": arabic_hash(article.get(f"{name}_ar"))}
    return article.get(f"{name}_en") == text and article.get(f"{name}_en_meta") == meta


# --- offline English from facts ---------------------------------------------------


@cache
def phrasing() -> dict:
    """The phrasing data (`sitegen/data/translate.yaml`)."""
    text = resources.files("sitegen").joinpath("data/translate.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@dataclass
class _Person:
    name: str | None
    role: str | None
    country: str | None
    key: str


@dataclass
class _Scene:
    """The facts a sentence is made of, already in English."""

    subject: _Person | None
    participants: list[_Person]
    countries: list[str]  # ISO codes other than the subject's
    places: list[str]
    when: str  # " on 29 January 2025", " in January 2025" or ""
    topics: list[str]


def offline_summary(facts: dict, registry: Any = None) -> str:
    """Plain English from the facts: who met whom, where, when, about what.

    Officials in an article are the people it names, not necessarily people
    who met: only a dated event is told as a meeting; otherwise the summary
    says whom the article concerns and names, and invents nothing.
    """
    scene = _scene(facts, registry)
    forms = phrasing()["summary"]
    slots = _slots(scene, registry, title=False)
    topics = _cap(scene.topics, int(forms["max_topics"]), forms["more_topics"])
    topic_list = _join(topics)
    slots["topic_list"] = topic_list
    slots["topics"] = forms["topics"].format(topic_list=topic_list) if topic_list else ""
    slots["topics_on"] = forms["topics_on"].format(topic_list=topic_list) if topic_list else ""
    slots["covers"] = _covers(topic_list, _join(scene.places))
    return _sentence(forms[_kind(scene)].format(**slots))


def offline_title(facts: dict, registry: Any = None) -> str:
    """A short headline from the facts ("Abdellatif Hammouchi meets Dieter Romann in Berlin")."""
    scene = _scene(facts, registry)
    forms = phrasing()["title"]
    slots = _slots(scene, registry, title=True)
    slots["topic_list"] = _join(scene.topics[: forms["max_topics"]])
    kind = _kind(scene)
    named = all(p.name for p in scene.participants)
    if kind == "meeting" and (not named or len(scene.participants) > _title_max()):
        kind = "talks"
        slots["countries"] = _countries(_unique(p.country for p in scene.participants), registry)
    if kind in ("mention", "mention_countries"):
        codes = [p.country for p in scene.participants] + scene.countries
        slots["countries"] = _countries(_unique(codes), registry)
    return _sentence(forms[kind].format(**slots)).rstrip(".")


def _title_max() -> int:
    return int(phrasing().get("title_max_named", 2))


def _kind(scene: _Scene) -> str:
    dated = bool(scene.when)
    if scene.subject is None:
        if len(scene.countries) >= 2:
            return "countries" if dated else "countries_undated"
        return "country" if scene.countries else "nothing"
    if scene.participants:
        return "meeting" if dated else "mention"
    if scene.countries:
        return "talks" if dated else "mention_countries"
    return "alone" if scene.topics else "alone_no_topics"


def _slots(scene: _Scene, registry: Any, title: bool) -> dict[str, str]:
    subject = scene.subject
    first_place = scene.places[:1]
    return {
        "subject": _describe(subject, registry, "title" if title else "subject") if subject else "",
        "subject_plain": _describe(subject, registry, "title") if subject else "",
        "participants": _participants(scene.participants, registry, title),
        "countries": _countries(scene.countries, registry),
        "place": phrasing()["place"].format(places=first_place[0]) if first_place else "",
        "date": scene.when,
    }


def _covers(topic_list: str, places: str) -> str:
    """The closing sentence of an undated summary: topics covered, places mentioned."""
    forms = phrasing()["summary"]["covers"]
    key = ("topics_places" if places else "topics") if topic_list else "places" if places else ""
    return forms[key].format(topic_list=topic_list, places=places) if key else ""


def _cap(items: list[str], limit: int, more: str) -> list[str]:
    return items if len(items) <= limit else [*items[: limit - 1], more]


def _countries(codes: list[str], registry: Any) -> str:
    return _join([_in_text(c, registry) for c in codes if c])


def _scene(facts: dict, registry: Any) -> _Scene:
    people = _people(facts.get("officials") or [], registry)
    subject = _pick_subject(people)
    others = [p for p in people if p is not subject and p.country]
    codes = [c for c in _unique(_codes(facts.get("countries"))) if c]
    if subject is not None:
        codes = [c for c in codes if c != subject.country]
    return _Scene(
        subject=subject,
        participants=others,
        countries=codes,
        places=_places(facts.get("places") or [], registry),
        when=_when(facts.get("event_date")),
        topics=_topics(facts.get("topics") or [], registry),
    )


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(c).upper() for c in value if isinstance(c, str) and c.strip()]


def _people(officials: list, registry: Any) -> list[_Person]:
    people: list[_Person] = []
    seen: set[str] = set()
    for index, entry in enumerate(officials):
        if not isinstance(entry, dict):
            continue
        person = _person(entry, registry, index)
        if person.key not in seen:
            seen.add(person.key)
            people.append(person)
    return people


def _person(entry: dict, registry: Any, index: int) -> _Person:
    """English name/role/country from the article, else from the registry."""
    known = registry.officials.get(entry.get("id")) if registry is not None else None
    name = _latin(entry.get("name_en")) or _latin(known and known.name_en)
    name = name or _latin(entry.get("name_ar"))
    role = _latin(entry.get("role_en")) or _latin(known and known.role_en)
    country = entry.get("country") or (known.country if known else None)
    key = str(entry.get("id") or name or f"#{index}")
    return _Person(name=name, role=role, country=country.upper() if country else None, key=key)


def _latin(value: Any) -> str | None:
    """A usable English string, or None (empty, not a string, or in Arabic script)."""
    if not isinstance(value, str) or not value.strip() or _ARABIC.search(value):
        return None
    return value.strip()


def _pick_subject(people: list[_Person]) -> _Person | None:
    home = phrasing().get("home_country")
    for test in (lambda p: p.country == home, lambda p: bool(p.country), lambda p: True):
        for person in people:
            if test(person):
                return person
    return None


def _describe(person: _Person, registry: Any, form: str) -> str:
    """One official in the form `subject`, `participant` or `title` (name only)."""
    forms = phrasing()["official"]
    country = _country(person.country, registry) if person.country else ""
    countrys = _possessive(person.country, registry) if person.country else ""
    if person.name:
        if form == "subject" and person.role and person.country:
            key = "subject_with_role"
        elif form == "participant" and person.country:
            key = "participant"
        else:
            key = "subject" if form != "participant" else "participant_no_country"
    elif person.role:
        key = "unnamed_with_role" if person.country else "unnamed_with_role_no_country"
    else:
        key = "unnamed" if person.country else "unnamed_no_country"
    in_text = _in_text(person.country, registry) if person.country else ""
    slots = {"name": person.name, "role": person.role, "country": country}
    slots |= {"the_country": in_text, "countrys": countrys}
    return forms[key].format(**slots)


def _participants(people: list[_Person], registry: Any, title: bool) -> str:
    """Participants joined as a list; several unnamed ones from one country merge."""
    form = "title" if title else "participant"
    anonymous = Counter(p.country for p in people if not p.name and not p.role)
    out: list[str] = []
    for person in people:
        phrase = _describe(person, registry, form)
        if not person.name and not person.role and anonymous[person.country] > 1:
            phrase = _describe_many(person.country, registry)
        if phrase not in out:
            out.append(phrase)
    return _join(out)


def _describe_many(iso: str | None, registry: Any) -> str:
    forms = phrasing()["official"]
    if iso is None:
        return forms["unnamed_many_no_country"]
    return forms["unnamed_many"].format(the_country=_in_text(iso, registry))


def _country(iso: str, registry: Any) -> str:
    if registry is not None and hasattr(registry, "country_name"):
        return str(registry.country_name(iso, "en"))
    return _territories().get(iso, iso)


@cache
def _territories() -> dict[str, str]:
    return dict(Locale.parse("en").territories)


def _in_text(iso: str, registry: Any) -> str:
    """The country's name as it runs in a sentence ("the United States")."""
    name = _country(iso, registry)
    return f"the {name}" if iso in phrasing().get("definite_article", []) else name


def _possessive(iso: str, registry: Any) -> str:
    name = _in_text(iso, registry)
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _places(places: list, registry: Any) -> list[str]:
    names: list[str] = []
    for entry in places:
        if not isinstance(entry, dict):
            continue
        known = registry.places.get(entry.get("id")) if registry is not None else None
        name = _latin(entry.get("name_en")) or _latin(known and known.name_en)
        name = name or _latin(entry.get("name_ar"))
        if name and name not in names:
            names.append(name)
    return names


def _when(value: Any) -> str:
    """ " on 29 January 2025", " in January 2025", or "" when unknown or malformed."""
    match = _ISO_DATE.match(str(value)) if value else None
    if not match:
        return ""
    year, month, day = match.groups()
    kind = "day" if day else "month"
    try:
        when = date(int(year), int(month), int(day or 1))
    except ValueError:
        return ""
    data = phrasing()
    text = format_date(when, data["date_format"][kind], locale=data["locale"])
    return data["date"][kind].format(date=text)


def _topics(slugs: list, registry: Any) -> list[str]:
    phrases = phrasing().get("topic_phrases", {})
    out: list[str] = []
    for slug in slugs:
        if not isinstance(slug, str):
            continue
        phrase = phrases.get(slug) or _topic_label(slug, registry)
        if phrase not in out:
            out.append(phrase)
    return out


def _topic_label(slug: str, registry: Any) -> str:
    """The registry's English label, lower-cased unless it holds a proper noun."""
    topic = registry.topics.get(slug) if registry is not None else None
    label = topic.en if topic is not None else slug.replace("_", " ")
    return label.lower() if label[1:] == label[1:].lower() else label


def _join(items: list[str]) -> str:
    return format_list(items, locale=phrasing()["locale"]) if items else ""


def _unique(values: Any) -> list:
    out: list = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def _sentence(text: str) -> str:
    """Tidy a filled template: spaces, a comma left before a stop, the first capital."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r",\s*([.;])", r"\1", text)
    return text[:1].upper() + text[1:]
