"""Officials, countries and places in an article, from the registry and from shapes.

Registry names (officials, places, countries with their demonyms, topic cues)
are compiled once into an index keyed by a name's first normalised word, so
an article is scanned in one pass whatever the registry size. Names the
registry lacks are read from the shapes the press uses: after a title
("السيد", "اللواء"), in apposition to a role ("المدير العام …، فلان،"), or in
Latin script next to a title or role. A person named only by a role is never
invented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from babel import Locale

from sitegen.extract.resources import load_data
from sitegen.extract.text import (
    Token,
    core_variants,
    lam_variants,
    normalize,
    phrase_key,
    strip_article,
)
from sitegen.registry import Registry, per_registry

_LATIN_NAME = re.compile(r"^[A-Z\u00c0-\u00de][A-Za-z\u00c0-\u024f'’\-]+$")  # José, Ábalos
_LATIN_CAPITAL = re.compile("[A-Z\u00c0-\u00de]")
_LATIN_END = "\u0250"  # Latin letters, accented ones too, sort before this
_DEFINITE = ("ال", "لل", "بال", "وال", "و")  # a role's complement starts so
_PUNCT_STOP = frozenset('،,.:;؛!?؟()[]«»"“”')
_MAX_NAME = 4
_MIN_NAME = 2
_ROLE_WINDOW = 12
_HEADS_CACHE = 200_000


@dataclass(frozen=True)
class Entry:
    """A registry name: what it refers to (kind + ref) and its normalised words."""

    kind: str  # official | place | country | topic
    ref: str
    words: tuple[str, ...]
    article: bool = False  # its first word is written with "ال" ("الهند", "الملك محمد السادس")

    @property
    def definite(self) -> bool:
        """A country's one word written with the article: the text's word has it too."""
        return self.article and self.kind == "country" and len(self.words) == 1


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # token index
    end: int  # exclusive
    prefix: str  # proclitics on the first word ("ب", "وال", "")


@dataclass
class Gazetteer:
    index: dict[str, list[Entry]] = field(default_factory=dict)
    _heads: dict[str, tuple[tuple[str, Entry], ...]] = field(default_factory=dict, repr=False)

    def heads(self, norm: str) -> tuple[tuple[str, Entry], ...]:
        """(reading, entry) for every name that can start with this word (memoised per word)."""
        found = self._heads.get(norm)
        if found is None:
            readings = dict.fromkeys((*lam_variants(norm), *core_variants(norm)))
            found = tuple(
                (variant, entry) for variant in readings for entry in self.index.get(variant, ())
            )
            if len(self._heads) > _HEADS_CACHE:
                self._heads.clear()
            self._heads[norm] = found
        return found

    def add(self, kind: str, ref: str, phrase: str) -> None:
        words = phrase_key(phrase)
        if words:
            entry = Entry(kind, ref, words, _written_with_article(phrase, words))
            self.index.setdefault(words[0], []).append(entry)

    def finish(self) -> None:
        for head, entries in self.index.items():
            unique: dict[tuple, Entry] = {}
            for e in entries:  # the same words written both ways ("السعودية"، "سعودية"):
                seen = unique.get((e.kind, e.ref, e.words))  # a country is found bare too,
                if seen is None or seen.article == (e.kind == "country"):  # a name keeps "ال"
                    unique[(e.kind, e.ref, e.words)] = e
            self.index[head] = sorted(unique.values(), key=lambda e: -len(e.words))


def _written_with_article(phrase: str, words: tuple[str, ...]) -> bool:
    """The first word is written with the article ("الهند", "الروس"), its lam not its own.

    A country's one such word always has it: bare, "هند" is a first name (Hind) and
    "بروس" Bruce. In a name ("الشرقاوي حبوب") the article is part of how it is written.
    """
    return normalize(phrase.strip()).startswith("ال") and not words[0].startswith("ال")


def _has_article(prefix: str) -> bool:
    """The proclitics before a name include the article ("ال", "بال", "وال", "لل")."""
    return prefix.endswith(("ال", "لل"))


@dataclass(frozen=True)
class Nisba:
    """How a country's adjective is formed from its one-word name (data/entities.yaml)."""

    drop: tuple[str, ...]
    irregular: tuple[str, ...]
    suffixes: tuple[str, ...]

    def forms(self, name: str) -> tuple[str, ...]:
        """ "باكستان" → "باكستاني", "باكستانية", …; none for a longer or irregular name."""
        words = phrase_key(name)
        if len(words) != 1 or words[0].endswith(self.irregular):
            return ()
        stem = words[0]
        for ending in self.drop:
            if stem.endswith(ending):
                stem = stem[: -len(ending)]
                break
        return tuple(stem + suffix for suffix in self.suffixes)


@dataclass(frozen=True)
class Vocabulary:
    """Titles, role heads, stopwords and the like (data/entities.yaml), normalised."""

    titles: frozenset[str]
    plural_titles: frozenset[str]  # "السيدين": more than one name follows, joined by "و"
    title_rests: dict[str, tuple[tuple[str, ...], ...]]  # by first word, longest first
    role_heads: frozenset[str]
    paired_heads: dict[str, frozenset[str]]  # "القائم" → {"بالاعمال", …}: a head before those
    host_verbs: frozenset[str]  # "استقبل": the role phrase after its subject is its object
    role_enders: frozenset[str]  # "… للشرطة الاجتماع": what a role without a comma ends at
    chain_heads: frozenset[str]  # "مساعد" of "مساعد وزير …": a role's first head only
    no_office_heads: frozenset[str]  # "الخبير": a titled name described so is no official
    connectors: frozenset[str]
    name_links: frozenset[str]
    particles: frozenset[str]
    complements: frozenset[str]
    relatives: frozenset[str]
    stopwords: frozenset[str]
    locative: frozenset[str]
    translit: dict[str, str]
    scores: dict[str, int]
    nisba: Nisba
    not_after_title: frozenset[str]  # proclitics: "السيد كلاوس" is no ك + لاوس


def _norm_words(words: Iterable[str]) -> frozenset[str]:
    return frozenset(strip_article(normalize(w)) for w in words for w in [w.split()[0]])


def _rests(phrases: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The words after the first of each phrase of several words ("الإقليمي" of "العميد
    الإقليمي"), by their first word, longest first."""
    rests = {tuple(strip_article(normalize(w)) for w in p.split()[1:]) for p in phrases}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for rest in sorted((r for r in rests if r), key=len, reverse=True):
        by_first.setdefault(rest[0], []).append(rest)
    return {first: tuple(group) for first, group in by_first.items()}


def _pairs(phrases: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each two-word phrase's second word (as written, normalised), by its first word."""
    pairs: dict[str, set[str]] = {}
    for phrase in phrases:
        first, second = phrase.split()
        pairs.setdefault(strip_article(normalize(first)), set()).add(normalize(second))
    return {first: frozenset(seconds) for first, seconds in pairs.items()}


@cache
def vocabulary() -> Vocabulary:
    data = load_data("entities")
    return Vocabulary(
        titles=_norm_words(data["titles"]),
        plural_titles=_norm_words(data["plural_titles"]),
        title_rests=_rests(data["titles"]),
        role_heads=_norm_words(data["role_heads"]),
        paired_heads=_pairs(data["paired_role_heads"]),
        host_verbs=_norm_words(data["host_verbs"]),
        role_enders=_norm_words(data["role_enders"]),
        chain_heads=_norm_words(data["chain_heads"]),
        no_office_heads=_norm_words(data["no_office_heads"]),
        connectors=_norm_words(data["name_connectors"]),
        name_links=_norm_words(data["name_links"]),
        particles=frozenset(normalize(word) for word in data["name_particles"]),
        complements=_norm_words(data["title_complements"]),
        relatives=_norm_words(data["relative_words"]),
        stopwords=_norm_words(data["stopwords"]),
        locative=_norm_words(data["locative_words"]),
        translit={k: str(v) for k, v in data["transliteration"].items()},
        scores={k: int(v) for k, v in data["country_scores"].items()},
        nisba=Nisba(*(tuple(normalize(w) for w in data["nisba"][k]) for k in _NISBA_KEYS)),
        not_after_title=frozenset(normalize(p) for p in data["not_after_title"]),
    )


_NISBA_KEYS = ("drop", "irregular", "suffixes")


@per_registry
def gazetteer(registry: Registry) -> Gazetteer:
    """The compiled index of a registry (built once per registry object)."""
    gaz = Gazetteer()
    for official in registry.officials.values():
        for alias in (*official.aliases_ar, *official.aliases_latin, official.name_en):
            gaz.add("official", official.id, alias)
    for place in registry.places.values():
        for alias in (*place.aliases_ar, place.name_en):
            gaz.add("place", place.id, alias)
    _add_countries(gaz, registry)
    for topic in registry.topics.values():
        for cue in topic.cues_ar:
            gaz.add("topic", topic.slug, cue)
    gaz.finish()
    return gaz


def _add_countries(gaz: Gazetteer, registry: Registry) -> None:
    """CLDR's names and the adjectives formed from them, then the registry's own forms."""
    nisba = vocabulary().nisba
    for iso, name in Locale("ar").territories.items():
        if not registry.is_country_code(iso):
            continue
        forms = registry.country_forms.get(iso, {})
        blocked = {phrase_key(n) for n in forms.get("not_names_ar", [])}
        for phrase in (name, *nisba.forms(name)):
            if phrase_key(phrase) not in blocked:
                gaz.add("country", iso, phrase)
    for iso, forms in registry.country_forms.items():
        for key in ("names_ar", "demonyms_ar", "bodies_ar"):
            for name in forms.get(key, []):
                gaz.add("country", iso, name)


_HYPHENS = frozenset("-\u2010\u2011")
_DASHES = frozenset("-\u2013\u2014")


def _joins(tokens: list[Token], i: int) -> bool:
    """A hyphen written without spaces between two words ("جان-ماري"), unlike a dash."""
    return (
        0 < i < len(tokens) - 1
        and tokens[i].text in _HYPHENS
        and tokens[i - 1].end == tokens[i].start
        and tokens[i].end == tokens[i + 1].start
    )


def scan(tokens: list[Token], gaz: Gazetteer) -> list[Match]:
    """Every registry name in the tokens (overlaps included), in text order."""
    out: list[Match] = []
    known = gaz._heads  # heads() memoised; most words start no name
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        norm = token.norm
        found = known.get(norm)
        if found is None:
            found = gaz.heads(norm)
        if not found:
            continue
        nxt = i + 2 if _joins(tokens, i + 1) else i + 1  # _joins bounds-checks
        second = tokens[nxt].norm if nxt <= last else None
        for variant, entry in found:
            words = entry.words
            if len(words) == 1:
                prefix = _prefix(norm, variant)
                if not entry.definite or _has_article(prefix):
                    out.append(Match(entry, i, i + 1, prefix))
            elif _same_word(second, words[1]) and (end := _rest_end(tokens, nxt, words)):
                out.append(Match(entry, i, end, _prefix(norm, variant)))
    return out


def _rest_end(tokens: list[Token], k: int, words: tuple[str, ...]) -> int | None:
    """End of a name whose second word is token k, or None; hyphens are not words.

    The registry's "Grande-Marlaska" is the words "grande", "marlaska"; the
    text's hyphen between them is a token of its own.
    """
    last = len(words) - 1
    for n in range(1, len(words)):
        if k >= len(tokens) or not _same_word(tokens[k].norm, words[n]):
            return None
        k += 2 if n < last and _joins(tokens, k + 1) else 1
    return k


def _same_word(norm: str | None, word: str) -> bool:
    """True when a name's later word is this token (its lam kept, as `phrase_key` may)."""
    return norm is not None and (strip_article(norm) == word or norm == word)


def _prefix(norm: str, variant: str) -> str:
    cut = norm.rfind(variant)
    return norm[:cut] if cut > 0 else ""


def resolve(matches: list[Match]) -> list[Match]:
    """Non-overlapping entity matches: at each place the longest name wins."""
    chosen: list[Match] = []
    taken = -1
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if match.entry.kind == "topic" or match.start < taken:
            continue
        chosen.append(match)
        taken = match.end
    return chosen


_NAMED = ("official", "place", "country")  # the kinds of match a person's name cannot overlap


def _inside(matches: list[Match], *kinds: str) -> set[int]:
    """The token indices inside the matches of these kinds."""
    return {k for m in matches if m.entry.kind in kinds for k in range(m.start, m.end)}


def drop_name_words(tokens: list[Token], matches: list[Match]) -> list[Match]:
    """The matches without those a title shows to be words of a person's name.

    A title is followed by a name: "السيد كلاوس لوبيز" is not ك + "لاوس" (like
    Laos), and the bare adjective that closes a name after a title ("السيد ماريو
    روسي،") is a family name, not a mention of Russia.
    """
    words = {m.start: m for m in matches if m.end == m.start + 1 and m.entry.kind in _NAMED}
    if not words:
        return matches
    covered, countries = _inside(matches, *_NAMED), _inside(matches, "country")
    dropped: set[Match] = set()
    for i, token in enumerate(tokens):
        if _kind(token.norm) & (_TITLE | _STOPWORD) == _TITLE:
            dropped.update(_name_words_after(tokens, i + 1, words, covered, countries))
    return [m for m in matches if m not in dropped] if dropped else matches


def _name_words_after(
    tokens: list[Token],
    start: int,
    words: dict[int, Match],
    covered: set[int],
    countries: set[int],
) -> list[Match]:
    """The one-word matches that are words of the name after the title ending at `start`."""
    found: list[Match] = []
    first = words.get(start)
    if (
        first is not None
        and first.entry.kind in ("country", "place")
        and first.prefix in vocabulary().not_after_title
    ):
        found.append(first)
        end = start + 1
    else:  # past the adjectives between a title and a name ("السفير الإيطالي ماريو")
        start = end = _skip_complements(tokens, start, countries)
    while end - start < _MAX_NAME - 1 and _plain_name_word(tokens, end, covered):
        end += 1
    last = words.get(end)
    if (
        end > start
        and last is not None
        and last.entry.kind == "country"
        and not last.prefix  # no article either: "السيد ماريو الروسي" stays Russia
        and _ends_phrase(tokens, end + 1)
    ):
        found.append(last)
    return found


# --- officials ----------------------------------------------------------------


def _word(token: Token) -> str:
    return strip_article(token.norm)


def _is_in(token: Token, words: frozenset[str]) -> bool:
    return _member(token.norm, words)


# What a word can be, as bits: a title, a role head, a stopword (any proclitic reading).
_TITLE, _ROLE_HEAD, _STOPWORD = 1, 2, 4
_KINDS: dict[str, int] = {}


def _kind(norm: str) -> int:
    """The _TITLE/_ROLE_HEAD/_STOPWORD bits of a word (memoised: words repeat)."""
    bits = _KINDS.get(norm)
    if bits is None:
        v = vocabulary()
        bits = (
            (_TITLE if _member(norm, v.titles) else 0)
            | (_ROLE_HEAD if _member(norm, v.role_heads) else 0)
            | (_STOPWORD if _member(norm, v.stopwords) else 0)
        )
        if len(_KINDS) > _HEADS_CACHE:
            _KINDS.clear()
        _KINDS[norm] = bits
    return bits


_MADDA = "آ"


def _name_kind(token: Token) -> int:
    """`_kind` of a word in a name: one written with a madda (آ) is no stopword.

    Normalisation folds "آنا" (Anna) into "أنا" (I) and "آن" (Anne) into "أن";
    no stopword is written with a madda (a test checks the list).
    """
    bits = _kind(token.norm)
    return bits & ~_STOPWORD if _MADDA in token.text else bits


@lru_cache(maxsize=131072)
def _member(norm: str, words: frozenset[str]) -> bool:
    """Whether any proclitic reading of a word is in `words` (cached: words repeat)."""
    return any(v in words for v in core_variants(norm))


def _is_stop(token: Token) -> bool:
    return token.text in _PUNCT_STOP or not token.is_word


def _name_span(
    tokens: list[Token], start: int, covered: set[int], nisba: bool = False
) -> int | None:
    """End index of a 2-4 word name starting at `start`, or None if none is there.

    A definite word ends the name (it is a role's complement: "المدير العام"),
    except after a connector ("عبد اللطيف", "آل ثاني") and, with `nisba`
    (after a title), a family name like "الشمري" closing a name. Names that
    start with the article ("الشرقي ...") are found only through the registry.
    """
    v = vocabulary()
    end = start
    names = 0
    latin = start < len(tokens) and _is_latin(tokens[start].text)
    while end < len(tokens) and names < _MAX_NAME:
        token = tokens[end]
        if names and _joins(tokens, end) and _plain_name_word(tokens, end + 1, covered):
            end += 1  # the hyphen of "دييز-هوشلايتنر": one name, not its end
            continue
        if _is_stop(token) or token.norm.isdigit() or end in covered:
            break
        if _is_latin(token.text) != latin:
            break  # a name is written in one script: "Esperanza Llamazares مستويات" ends
        if names and token.norm in v.particles and _plain_name_word(tokens, end + 1, covered):
            end += 1  # "فان" of "لوكاس فان دايك"
            continue
        if _name_kind(token):  # a stopword, role head or title
            break
        if names >= 2 and token.norm.startswith("و") and _plain_name_word(tokens, end + 1, covered):
            break  # "جون سميث وبيير دوبون": two people ("جون سميث ويليامز" stays one)
        connector = _word(token) in v.connectors
        definite = token.has_article and not connector
        after_connector = end > start and _word(tokens[end - 1]) in v.connectors
        if definite and not after_connector:
            # "السيد أنطونيو الشمري", "السيدة فاطمة الزهراء المنصوري": a family name ends it
            closing = (
                _family_end(tokens, end, covered, 2 if names == 1 else 1)
                if nisba and names
                else None
            )
            if closing:
                return closing
            break
        if len(token.norm) < 2:
            break
        if not connector:
            names += 1
        end += 1
    return end if names >= _MIN_NAME else None


def _family_end(tokens: list[Token], k: int, covered: set[int], room: int) -> int | None:
    """End of the definite words at k that close a name after a title, if they do.

    They close it when the last ends in "ي" ("الشمري") or the phrase ("عمر الكبير،").
    After a single first name, two may ("فاطمة الزهراء المنصوري"); after two names, one
    only: "بيير دوبون الحفل الرسمي" is a name, then what he attended.
    """
    closing = None
    j = k
    while j - k < room and j < len(tokens) and j not in covered and not _is_stop(tokens[j]):
        token = tokens[j]
        if not token.has_article or len(token.norm) < 3 or _name_kind(token):
            break
        j += 1
        if token.norm.endswith("ي") or _ends_phrase(tokens, j):
            closing = j
    return closing


def _is_latin(text: str) -> bool:
    return text[:1] < _LATIN_END


def _plain_name_word(tokens: list[Token], i: int, covered: set[int]) -> bool:
    """A word that can only be part of a name: no stopword, title, article or number."""
    if i >= len(tokens) or i in covered or _is_stop(tokens[i]):
        return False
    norm = tokens[i].norm
    return (
        len(norm) >= 2
        and not norm.isdigit()
        and not tokens[i].has_article
        and not _name_kind(tokens[i])
    )


def _ends_phrase(tokens: list[Token], i: int) -> bool:
    """Punctuation, or the end of the text, at `i`."""
    return i >= len(tokens) or _is_stop(tokens[i])


def _followed_by_boundary(tokens: list[Token], end: int) -> bool:
    if end >= len(tokens):
        return True
    token = tokens[end]
    return _is_stop(token) or (token.norm.startswith("و") and len(token.norm) > 2)


def _role_before(tokens: list[Token], end: int) -> int | None:
    """Start of a role phrase ending at `end` ("المدير العام للشرطة الإسبانية")."""
    v = vocabulary()
    for j in range(end - 1, max(-1, end - _ROLE_WINDOW), -1):
        if _is_stop(tokens[j]) or _is_in(tokens[j], v.relatives):
            return None
        if _role_head_at(tokens, j):
            return _chain_start(tokens, j)
    return None


def _role_head_at(tokens: list[Token], j: int) -> bool:
    """A role's first word: a role head, or the first of a pair ("القائم بالأعمال")."""
    v = vocabulary()
    if _is_in(tokens[j], v.role_heads):
        return True
    seconds = v.paired_heads.get(strip_article(tokens[j].norm))
    return seconds is not None and j + 1 < len(tokens) and tokens[j + 1].norm in seconds


def _chain_start(tokens: list[Token], head: int) -> int:
    """The first head of a construct chain ending at `head`.

    "نائب وزيرة الداخلية" is the deputy's role, not the minister's; so are
    "مستشار رئيس الحكومة" and, across one noun, "رئيس ديوان وزير الداخلية".
    Only a bare word (no article, no proclitic) can open such a chain.
    """
    while head > 0:
        if _opens_chain(tokens[head - 1]):
            head -= 1
        elif head > 1 and _links_chain(tokens[head - 1]) and _opens_chain(tokens[head - 2]):
            head -= 2
        else:
            break
    return head


def _opens_chain(token: Token) -> bool:
    v = vocabulary()
    return not token.has_article and (token.norm in v.role_heads or token.norm in v.chain_heads)


def _links_chain(token: Token) -> bool:
    """A bare noun between two heads of a chain ("ديوان" in "رئيس ديوان وزير")."""
    return token.is_word and not token.has_article and not _kind(token.norm)


def _role_after(tokens: list[Token], start: int) -> tuple[int, int] | None:
    """A role phrase starting at `start`, up to the next punctuation.

    One joined by "و" ("فلان، والملحق الأمني …") is the next person's, not this one's.
    """
    if start >= len(tokens) or not _role_head_at(tokens, start):
        return None
    if _conjoined(tokens[start]):
        return None
    end = start
    while end < len(tokens) and not _is_stop(tokens[end]) and end - start < _ROLE_WINDOW:
        end += 1
    return start, end


def _conjoined(token: Token) -> bool:
    """A role head after the conjunction: "والملحق", "ووزير"; "والي" and "وزير" are heads."""
    heads = vocabulary().role_heads
    norm = token.norm
    return norm.startswith("و") and strip_article(norm) not in heads and _member(norm[1:], heads)


def _definite_complement(tokens: list[Token], head: int, end: int) -> bool:
    """True when every word between a role head and a name is definite (ال…)."""
    return all(tokens[k].norm.startswith(_DEFINITE) for k in range(head + 1, end))


@dataclass
class Candidate:
    start: int
    end: int
    role: tuple[int, int] | None
    conjunction: int = 0  # chars of "و" before the name ("وبيير دوبون" in a list)


def _candidates(
    tokens: list[Token],
    covered: set[int],
    countries: set[int],
    people: set[int],
    latin: bool = True,
) -> list[Candidate]:
    """Unknown names after titles, in apposition to roles, or in Latin script.

    `covered` are the tokens of registry matches, `countries` and `people` of
    those kinds.
    """
    found: list[Candidate] = []
    kinds = _KINDS
    for i, token in enumerate(tokens):
        bits = kinds.get(token.norm)
        if bits is None:
            bits = _kind(token.norm)
        if bits & (_TITLE | _STOPWORD) == _TITLE:
            start = _skip_complements(tokens, _title_end(tokens, i), countries)
            end = _name_span(tokens, start, covered, nisba=True)
            if end and _described_as_no_official(tokens, end):
                continue  # "الدكتور فلان، الخبير في الشؤون الأمنية": quoted, not an official
            if end:
                role = (
                    _apposed_role(tokens, end)
                    or _role_before_title(tokens, i, people, covered)
                    or _title_as_role(bits, i, start)
                    or _definite_role_after(tokens, i, end, covered, people)
                )
                found.append(Candidate(start, end, role))
                if _is_in(token, vocabulary().plural_titles):
                    found.extend(_listed_names(tokens, end, covered))
                continue
        if token.text in _MARKS:  # one test for most tokens
            found.extend(_around_mark(tokens, i, covered))
        if bits & _ROLE_HEAD:
            found.extend(_role_then_name(tokens, i, covered))
    if latin:
        found.extend(_latin_candidates(tokens, covered))
    return found


def _described_as_no_official(tokens: list[Token], end: int) -> bool:
    """A name set off by what says it holds no office: an expert, a journalist."""
    k = end + (end < len(tokens) and tokens[end].text in "،,")
    return k < len(tokens) and _is_in(tokens[k], vocabulary().no_office_heads)


def _listed_names(tokens: list[Token], end: int, covered: set[int]) -> list[Candidate]:
    """The names after the first of "السيدين جون سميث وبيير دوبون", each joined by "و"."""
    found = []
    while end < len(tokens) and tokens[end].norm.startswith("و"):
        after = _name_span(tokens, end, covered, nisba=True)
        if after is None:
            break
        found.append(Candidate(end, after, _apposed_role(tokens, after), conjunction=1))
        end = after
    return found


def _title_end(tokens: list[Token], title: int) -> int:
    """Past the other words of a title of several ("العميد الإقليمي", "والي الأمن")."""
    following = strip_article(tokens[title + 1].norm) if title + 1 < len(tokens) else ""
    for rest in vocabulary().title_rests.get(following, ()):
        end = title + 1 + len(rest)
        if end <= len(tokens) and all(
            strip_article(tokens[title + 1 + n].norm) == word for n, word in enumerate(rest)
        ):
            return end
    return title + 1


def _skip_complements(tokens: list[Token], start: int, countries: set[int]) -> int:
    """Past the adjectives between a title and a name ("النائب الأوروبي فلان").

    A particle before one is a rank's ("الجنرال دو ديفيزيون فلان").
    """
    particles = vocabulary().particles
    while start < len(tokens):
        if start in countries or _is_complement(tokens, start):
            start += 1
        elif tokens[start].norm in particles and _is_complement(tokens, start + 1):
            start += 2
        else:
            break
    return start


def _is_complement(tokens: list[Token], i: int) -> bool:
    return i < len(tokens) and _is_in(tokens[i], vocabulary().complements)


def _apposition(tokens: list[Token], comma: int, covered: set[int]) -> list[Candidate]:
    """'<role>، <name>،' and '<name>، <role>' around a comma (or a spaced dash).

    Set off on both sides, a name may close with a family name that has the
    article, as after a title ("وزير الداخلية، محمد العلوي، إن").
    """
    end = _name_span(tokens, comma + 1, covered, nisba=True)
    if end and _followed_by_boundary(tokens, end):
        head = _role_before(tokens, comma)
        role = (head, comma) if head is not None else _apposed_role(tokens, end)
        if role:
            return [Candidate(comma + 1, end, role)]
    return _name_then_role(tokens, comma, covered)


def _name_then_role(tokens: list[Token], mark: int, covered: set[int]) -> list[Candidate]:
    """'<name>، <role>', '<name> (<role>)', '«<name>»، <role>': the role after a mark.

    A bracket opens only this shape: "مدير مكتب التحقيقات (إف بي آي)" names nobody.
    """
    role = _role_after(tokens, mark + 1)
    if role is None:
        return []
    end = mark - 1 if mark and tokens[mark - 1].text in _CLOSING_QUOTES else mark
    start = _name_start_before(tokens, end, covered)
    return [Candidate(start, end, role)] if start is not None else []


_CLOSING_QUOTES = frozenset('»"”')
_MARKS = frozenset("،,(") | _DASHES  # the marks an apposition is read around


def _around_mark(tokens: list[Token], i: int, covered: set[int]) -> list[Candidate]:
    """A comma, or a dash that sets off a phrase ("مدير الشرطة - فلان - أن"); a bracket."""
    if tokens[i].text == "(":
        return _name_then_role(tokens, i, covered)
    if _joins(tokens, i):  # a hyphen inside a name ("جان-ماري")
        return []
    return _apposition(tokens, i, covered)


def _name_start_before(tokens: list[Token], end: int, covered: set[int]) -> int | None:
    """Start of a name ending at `end`: two words, more only through connectors (بن، عبد).

    Without a lexicon a verb before a foreign name looks like a name, so the
    name is taken short rather than swallowing the word before it; a name in
    Latin letters is taken whole.
    """
    v = vocabulary()
    start = _two_names_before(tokens, end)
    if start < 0 or (
        _name_span(tokens, start, covered) != end
        and _family_name_span(tokens, start, end, covered) != end
    ):
        return None
    while (k := start - (2 if _joins(tokens, start - 1) else 1)) >= 0 and (
        _LATIN_NAME.match(tokens[k].text) and _name_span(tokens, k, covered) == end
    ):
        start = k  # capitals mark a Latin name's words: "José Luis Ábalos، وزير …"
    before = tokens[start - 1] if start else None
    if before is not None and _is_in(before, v.titles):
        return None  # the title rule reads this name
    return start


def _two_names_before(tokens: list[Token], end: int) -> int:
    """Where the last two names before `end` start, with the connectors they carry.

    "عبد الرحيم بنعلي" and "أحمد عبد الرحيم" are two names, "سالم بن راشد بن حمد"
    is joined by "بن" throughout, and "دييز-هوشلايتنر" is one name.
    """
    v = vocabulary()
    names, start, j = 0, end, end - 1
    while j >= 0:
        if _joins(tokens, j):  # the hyphen and the word before it: the same name
            j -= 2
            start = j + 1
            continue
        word = _word(tokens[j])
        linked = start < end and _word(tokens[start]) in v.name_links
        if word not in v.connectors:
            if names >= 2 and not linked:
                break
            names += 1
        start = j
        j -= 1
    return start if names >= 2 else -1


def _family_name_span(tokens: list[Token], start: int, end: int, covered: set[int]) -> int | None:
    """A name ending in a family name like "العلوي" ("قالت هند العلوي، مديرة …").

    Only one ending in "ي": "وافتتح أشغال الدورة، المدير العام …" names nobody.
    """
    last = tokens[end - 1]
    if not (last.has_article and last.norm.endswith("ي")):
        return None
    return _name_span(tokens, start, covered, nisba=True)


def _role_then_name(tokens: list[Token], head: int, covered: set[int]) -> list[Candidate]:
    """'الرئيس الفرنسي إيمانويل ماكرون': a definite role phrase, then the name."""
    for start in range(head + 2, min(len(tokens), head + 8)):
        if _is_stop(tokens[start]) or not _definite_complement(tokens, head, start):
            return []
        end = _name_span(tokens, start, covered)
        if end and (_followed_by_boundary(tokens, end) or _closes_a_name(tokens, end)):
            return [Candidate(start, end, _role_up_to(tokens, head, start, end))]
    return []


def _closes_a_name(tokens: list[Token], end: int) -> bool:
    """A stopword, role head or title after a name ends it: "… جوزيه كارنيرو بنظيره …"."""
    return bool(_kind(tokens[end].norm))


def _role_up_to(tokens: list[Token], head: int, start: int, end: int) -> tuple[int, int]:
    """The role of a name read after one: the words between, or the name's own apposition.

    With a title between ("استقبل المسؤول المغربي السيدة فلانة، مديرة الشرطة"), the
    words before may be the host's: a role after the name is the name's own. Without
    one, the title is left out ("وزير الداخلية السيد فلان" → "وزير الداخلية").
    """
    first = _chain_start(tokens, head)
    if start - 1 > head and _is_in(tokens[start - 1], vocabulary().titles):
        return _apposed_role(tokens, end) or (first, start - 1)
    return first, start


def _title_as_role(bits: int, title: int, start: int) -> tuple[int, int] | None:
    """A title that is also a role, with its adjectives: "السفير الإسباني فلان".

    Alone ("السفير فلان") it says too little to be shown as a role.
    """
    return (title, start) if bits & _ROLE_HEAD and start > title + 1 else None


def _role_before_title(
    tokens: list[Token], title: int, people: set[int], covered: set[int]
) -> tuple[int, int] | None:
    """'<role>، السيد <name>': the role before the comma, unless it is someone else's.

    A role that spans a known official's name is that official's, and so is one
    set off by commas after a name ("حموشي، المدير العام …، السيد فلان"), unless
    "و" joins it ("فلان، والملحق الأمني …، السيد فلان"); "، والسيد" starts a list.
    After a place or a day ("استقبل اليوم بالرباط، المفوض العام …، السيد فلان") it is
    the name's.
    """
    comma = title - 1
    if comma < 1 or tokens[comma].text not in "،,":
        return None
    if strip_article(tokens[title].norm) not in vocabulary().titles:
        return None  # a proclitic on the title: "…، والسيد فلان" is another person
    head = _role_before(tokens, comma)
    if head is None or any(k in people for k in range(head, comma)):
        return None
    if head > 1 and tokens[head - 1].text in "،," and not _conjoined(tokens[head]):
        before = head - 2  # the word before that comma: is it a name's?
        if before in people or _plain_name_word(tokens, before, covered):
            return None
    return head, comma


def _apposed_role(tokens: list[Token], end: int) -> tuple[int, int] | None:
    if end < len(tokens) and tokens[end].text in "،,":
        return _role_after(tokens, end + 1)
    return None


def _definite_role_after(
    tokens: list[Token], title: int, end: int, covered: set[int], people: set[int]
) -> tuple[int, int] | None:
    """'السيد فلان المدير العام للشرطة …': a definite role right after a titled name.

    Not when a name follows in it ("… المدير العام للشرطة جواو كوستا"): that is its own.
    Nor after a verb of meeting: in "استقبل السيد فلان السفير البرتغالي" the ambassador
    is the one received.
    """
    v = vocabulary()
    if end >= len(tokens) or not tokens[end].has_article:
        return None
    if title and _is_in(tokens[title - 1], v.host_verbs):
        return None
    role = _role_after(tokens, end)
    if role is None or any(_names_at(tokens, k, covered, people) for k in range(*role)):
        return None
    # "… البرتغالية الذي يزور المغرب", "… البرتغالية الاجتماع": the role ends there
    stop = next(
        (k for k in range(role[0] + 1, role[1]) if _ends_role(tokens[k], v)),
        role[1],
    )
    return role[0], stop


def _ends_role(token: Token, v: Vocabulary) -> bool:
    """A relative or event word. Two tests, not one on a union made per call: `_member`
    caches by word list, and each union would be a new one."""
    return _is_in(token, v.relatives) or _is_in(token, v.role_enders)


def _names_at(tokens: list[Token], k: int, covered: set[int], people: set[int]) -> bool:
    """A known official's name, or two name words, at token k."""
    return k in people or (
        _plain_name_word(tokens, k, covered) and _plain_name_word(tokens, k + 1, covered)
    )


def _latin_candidates(tokens: list[Token], covered: set[int]) -> list[Candidate]:
    v = vocabulary()
    out: list[Candidate] = []
    starts = [k for k, t in enumerate(tokens) if t.text[:1].isupper()]
    if len(starts) < _MIN_NAME:
        return out
    i = starts[0]
    while i < len(tokens):
        end, cut = _latin_run(tokens, i, covered)
        if cut:
            before = tokens[max(0, i - 2) : i]
            role = _apposed_role(tokens, end) or _role_after(tokens, end)
            if role or any(_is_in(t, v.titles) for t in before):
                out.append(Candidate(i, cut, role))
        i = max(end, i + 1)
    return out


def _latin_run(tokens: list[Token], i: int, covered: set[int]) -> tuple[int, int | None]:
    """The end of a run of capitalised Latin words at i ("Jean-Marie Guéhenno"), and its cut.

    The cut is the end of its first _MAX_NAME words, or None when it has fewer
    than _MIN_NAME.
    """
    end, words, cut = i, 0, None
    while end < len(tokens) and end not in covered:
        joined = words and _joins(tokens, end) and end + 1 not in covered
        if joined and _LATIN_NAME.match(tokens[end + 1].text):
            end += 1
            continue
        if not _LATIN_NAME.match(tokens[end].text):
            break
        end, words = end + 1, words + 1
        if words == _MAX_NAME:
            cut = end
    if cut is None and words >= _MIN_NAME:
        cut = end
    return end, cut


def transliterate(name: str) -> str:
    """An ASCII slug for a name: Latin names as they are, Arabic letter by letter."""
    table = vocabulary().translit
    words = []
    for word in normalize(name).split():
        if word.isascii():
            words.append(word)
            continue
        latin = ""
        for index, char in enumerate(word):
            if index == 0 and char in "وي":
                latin += "w" if char == "و" else "y"
            else:
                latin += table.get(char, "")
        words.append(re.sub(r"([aeiou])\1+", r"\1", latin))
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return slug or "unknown"


def _text(tokens: list[Token], start: int, end: int, source: str) -> str:
    return source[tokens[start].start : tokens[end - 1].end]


def _role_text(tokens: list[Token], role: tuple[int, int], source: str) -> str:
    """The role as written, without the "و" that joins it to a list ("والملحق" → "الملحق")."""
    text = _text(tokens, *role, source)
    return text[1:] if _conjoined(tokens[role[0]]) and text.startswith("و") else text


def _country_in(matches: list[Match], start: int, end: int) -> str | None:
    for match in matches:
        if match.entry.kind == "country" and start <= match.start < end:
            return match.entry.ref
    return None


def _written_names(text: str, tokens: list[Token], matches: list[Match]) -> dict[str, str]:
    """The fullest form each known official's name takes in the text, without proclitics."""
    best: dict[str, tuple[int, str]] = {}
    for match in matches:
        if match.entry.kind != "official":
            continue
        first = tokens[match.start]
        start = first.start
        if match.prefix and normalize(first.text[: len(match.prefix)]) == match.prefix:
            start += len(match.prefix)
        name = text[start : tokens[match.end - 1].end]
        if match.entry.article and _has_article(match.prefix):
            name = "ال" + name  # "الشرقاوي حبوب", "الملك محمد السادس": the article is the name's
        size = match.end - match.start
        if size > best.get(match.entry.ref, (0, ""))[0]:
            best[match.entry.ref] = (size, name)
    return {ref: name for ref, (size, name) in best.items() if size > 1}


def find_officials(
    text: str, tokens: list[Token], matches: list[Match], registry: Registry
) -> list[dict]:
    """Known officials from the registry, then new names from the text's shapes."""
    out: dict[str, dict] = {}
    written = _written_names(text, tokens, matches)
    for match in matches:
        if match.entry.kind == "official" and match.entry.ref not in out:
            official = registry.officials[match.entry.ref]
            out[official.id] = {
                "id": official.id,
                "name_ar": written.get(official.id, official.name_ar),
                "name_en": official.name_en,
                "role_ar": official.role_ar,
                "role_en": official.role_en,
                "country": official.country,
                "known": True,
            }
    covered, countries = _inside(matches, *_NAMED), _inside(matches, "country")
    people = _inside(matches, "official")
    claimed: set[int] = set()  # a name read by two rules is kept once, as first read
    latin = _LATIN_CAPITAL.search(text) is not None  # no token can start with one otherwise
    for cand in _candidates(tokens, covered, countries, people, latin):
        name = _text(tokens, cand.start, cand.end, text)[cand.conjunction :]
        latin = _is_latin(name)
        ident = transliterate(name)
        span = set(range(cand.start, cand.end))
        if ident in out or span & covered or span & claimed:
            continue
        claimed |= span
        role = _role_text(tokens, cand.role, text) if cand.role else None
        out[ident] = {
            "id": ident,
            "name_ar": name,
            "name_en": name if latin else None,
            "role_ar": role,
            "role_en": None,
            "country": _country_in(matches, *cand.role) if cand.role else None,
            "known": False,
        }
    return list(out.values())


# --- countries and places -----------------------------------------------------


def find_countries(
    matches: list[Match],
    title_end: int,
    lead: tuple[int, int],
    officials: list[dict],
    registry: Registry,
) -> list[str]:
    """Countries the article involves: headline, lead, officials, repeated mentions."""
    weights = vocabulary().scores
    score: dict[str, int] = {}
    where: dict[str, set[str]] = {}
    for match in matches:
        iso = _country_of(match, registry)
        if iso is None:
            continue
        part = (
            "title"
            if match.start < title_end
            else "lead"
            if lead[0] <= match.start < lead[1]
            else "mention"
        )
        seen = where.setdefault(iso, set())
        if part == "mention" or part not in seen:
            score[iso] = score.get(iso, 0) + weights[part]
        seen.add(part)
        score.setdefault(iso, 0)
    for official in officials:
        iso = official.get("country")
        if iso and official["known"]:
            score[iso] = score.get(iso, 0) + weights["official"]
    order = list(dict.fromkeys(list(score)))
    return [iso for iso in order if score[iso] >= weights["threshold"]]


def _country_of(match: Match, registry: Registry) -> str | None:
    if match.entry.kind == "country":
        return match.entry.ref
    if match.entry.kind == "place":
        place = registry.places[match.entry.ref]
        return place.country if place.capital else None
    return None


def find_places(
    tokens: list[Token], matches: list[Match], title_end: int, registry: Registry
) -> list[dict]:
    """Registry places named as where things happen (locative context, headline, repeats)."""
    v = vocabulary()
    counts: dict[str, int] = {}
    located: set[str] = set()
    for match in matches:
        if match.entry.kind != "place":
            continue
        ref = match.entry.ref
        counts[ref] = counts.get(ref, 0) + 1
        before = tokens[max(0, match.start - 3) : match.start]  # "في العاصمة الإسبانية مدريد"
        if (
            "ب" in match.prefix
            or match.start < title_end
            or any(_is_in(t, v.locative) for t in before)
        ):
            located.add(ref)
    out = []
    for ref, count in counts.items():
        if ref in located or count >= 2:
            place = registry.places[ref]
            out.append(
                {
                    "id": ref,
                    "name_ar": place.name_ar,
                    "name_en": place.name_en,
                    "country": place.country,
                }
            )
    return out
