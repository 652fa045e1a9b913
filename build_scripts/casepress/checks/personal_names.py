"""Personal names in free text, found without a title or cue word before them.

The cue patterns of `deidentification` catch "Mr Okafor" and "her son Daniel"; this module
catches "Chukwuemeka Okonkwo gave written consent". It reads runs of capitalised words (with
initials and particles: "A. B. Okafor", "Okafor AB", "Jan van der Berg") and decides from
three sources whether a run is a person:

- given and family names of Faker's person providers (some sixty locales, Latin script);
- ordinary English words: lower-case entries of Webster's Second (the `english-words`
  package), which keeps "john" out and "grace" in, plus every word the site's own content
  writes in lower case (its medical vocabulary: "sacroplasty", "lipiodol");
- the words around the run: "the Jamshidi needle", "a Foley catheter", "Child-Pugh class",
  "Bell's palsy" are eponyms, and "Kaizu et al." is a published author, not a patient.

A run of two or more capitalised words is a name when none of them is only an ordinary word
("Will Baker" and "Olusegun Adebayo" are; "Cook Medical" and "Glasgow Coma Scale" are not).
One capitalised word is a name when it is a known name and not an ordinary word ("consent
from Okonkwo"), or when initials go with it. Recall and false alarms are measured on an
invented corpus (tests/checks/names/corpus.yaml) by benchmarks/bench_names.py.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Upper-case letters a name can start with: ASCII, Latin-1 and Latin Extended-A (whose
# lower-case letters this range also holds; `str.isupper` settles it).
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LETTER = r"[^\W\d_]"
_CANDIDATE = re.compile(
    rf"(?<![\w'’-])(?:(?:al|el)-|[dDlL]['’])?[{_UPPER}]{_LETTER}*(?:['’-]{_LETTER}+)*(?P<dot>\.)?")
_PARTICLES = ("van|von|der|den|de|del|della|di|da|dos|das|du|la|le|bin|binti|ibn|al|el|ter"
              "|ten|af|zu|y|'t|’t")
_GAP = re.compile(rf"\s+(?:(?:{_PARTICLES})\s+)*")
_GAP_AFTER_INITIAL = re.compile(r"\s*")

def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Closed-class words: never a name, whatever a name list holds ("An", "Each", "Were").
_FUNCTION_WORDS = _word_set("""
a an the this that these those it its he she we they his her their our my your him them
and or nor but if when as after before during since until while because though although
in on at of to for by with from into onto over under about above below between through
is was were be been being are am has have had do does did not no yes there here then than
all both each every some any few many most more less other such same either neither
""")
# A lower-case word after a capitalised one that makes it an eponym or an institution.
_EPONYM_HEADS = _word_set("""
catheter needle wire sheath line tube drain loop balloon system device reservoir syringe
set kit view projection position manoeuvre maneuver technique method procedure operation
approach reconstruction fundoplication anastomosis fixation classification criteria
criterion score scale index grade grading stage staging class type zone angle sign test
tests questionnaire inventory syndrome disease disorder palsy cyst sarcoma tumour tumor
lymphoma carcinoma cell cells node nodes plexus artery vein nerve fibre fiber fracture
lesion lesions protein reflex phenomenon effect law rule correction regression correlation
coefficient kappa interval intervals estimator plot curve distribution model equation
formula ratio unit units number hospital clinic college university institute centre
center foundation medical healthcare joint degeneration reaction stain staining solution
fluid body disc space capsule ligament canal foramen triangle point exact signed-rank t
""")
# Particles written with a capital inside a name: "Giovanni Di Stefano", "Lucas Da Silva".
_CAPITALISED_PARTICLES = _word_set("van von de del della di da dos das du la le mac st")
_DETERMINERS = _word_set("a an the this that these those its his her their our my your")
_AFTER_AUTHOR = re.compile(r"\s+(?:et\.?\s+al\b|and\s+(?:colleagues|co-?workers)\b)"
                           r"|\s*\(\s*(?:1[6-9]|20)\d\d\b")
_NEXT_WORD = re.compile(r"(?:['’]s)?\s+([\w-]+)")
_LAST_WORD = re.compile(r"([\w'’-]+)\W*$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;]|\n)\s*$")


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    text: str


@functools.cache  # read once per process: Faker's providers, then kept
def known_names() -> frozenset[str]:
    """Given and family names, in the capitalised form text writes them."""
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    wanted = re.compile(r"(?:first|last)_(?:names?|romanized_names)(?:_\w+)?")
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attribute in dir(provider):
            if not wanted.fullmatch(attribute):
                continue
            values = getattr(provider, attribute)
            if isinstance(values, dict | list | tuple):
                for value in values:
                    names.update(part for part in str(value).split()
                                 if part[:1].isupper() and part.lower() not in _FUNCTION_WORDS)
    return frozenset(names)


@functools.cache
def english_words() -> frozenset[str]:
    """Ordinary English words: Webster's Second's lower-case entries (its capitalised
    entries, John and Paris, are proper nouns and stay out)."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], alpha=True) if w.islower())


def site_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The words a site's content writes in lower case: its own medical vocabulary."""
    return frozenset(m.group() for text in texts
                     for m in re.finditer(r"(?<![\w-])[a-z][a-z-]+", text))


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    initial: bool


class NameFinder:
    """Finds names in text; `vocabulary` is the site's own lower-case words."""

    def __init__(self, vocabulary: frozenset[str] = frozenset()) -> None:
        self.names = known_names()
        self.english = english_words()
        self.vocabulary = vocabulary
        # Words looked up in the site's vocabulary (not in the English list), so that a
        # caller can tell whether another vocabulary would judge a text the same way.
        self.asked: set[str] = set()

    def _known(self, lower: str) -> bool:
        if lower in self.english:
            return True
        self.asked.add(lower)
        return lower in self.vocabulary

    def is_name(self, word: str) -> bool:
        parts = [p for p in re.split(r"['’-]", word) if len(p) > 1 and p[0].isupper()]
        return word in self.names or any(p in self.names for p in parts)

    def is_word(self, word: str) -> bool:
        lower = word.lower()
        return self._known(lower) or lower in _FUNCTION_WORDS or all(
            self._known(part) for part in lower.split("-"))

    def find(self, text: str) -> Iterator[NameSpan]:
        for run in self._runs(text):
            if self._is_person(text, run):
                start, end = run[0].start, run[-1].end
                yield NameSpan(start, end, text[start:end].rstrip("."))

    def _runs(self, text: str) -> Iterator[list[_Token]]:
        """Capitalised words next to each other, with the initials and particles between."""
        run: list[_Token] = []
        for match in _CANDIDATE.finditer(text):
            word = match.group().rstrip(".")
            initial = len(word) == 1 and match["dot"] is not None  # "J.", not "A" or "I"
            vancouver = (2 <= len(word) <= 3 and word.isupper() and bool(run)
                         and not run[-1].initial and text[run[-1].end:match.start()] == " ")
            if vancouver:  # "Okafor AB"
                run.append(_Token(match.start(), match.end(), word, True))
                continue
            if not initial and (len(word) == 1 or word.isupper()):  # "A", "CT", "HCC"
                if run:
                    yield run
                run = []
                continue
            token = _Token(match.start(), match.end(), word, initial)
            gap = _GAP_AFTER_INITIAL if run and run[-1].initial else _GAP
            if run and gap.fullmatch(text, run[-1].end, match.start()):
                run.append(token)
            else:
                if run:
                    yield run
                run = [token]
        if run:
            yield run

    def _is_person(self, text: str, run: list[_Token]) -> bool:
        while run and not run[0].initial and run[0].word.lower() in _FUNCTION_WORDS:
            run = run[1:]  # "In", "The" opening a sentence
        words = [t.word for t in run
                 if not (t.initial or t.word.lower() in _CAPITALISED_PARTICLES)]
        if not words:
            return False
        start, end = run[0].start, run[-1].end
        before, after = text[max(0, start - 40):start], text[end:end + 40]
        last = _LAST_WORD.search(before)
        if last and last.group(1).lower() in _DETERMINERS and not _SENTENCE_END.search(before):
            return False  # "the Jamshidi needle", "a Foley catheter"
        following = _NEXT_WORD.match(after)
        if following and following.group(1).lower() in _EPONYM_HEADS:
            return False  # "Child-Pugh class", "Bell's palsy"
        if _AFTER_AUTHOR.match(after):
            return False  # a published author: "Kaizu et al.", "Cotten (1996)"
        only_word = [self.is_word(w) and not self.is_name(w) for w in words]
        if any(only_word):
            return False
        if len(words) >= 2 or any(t.initial for t in run):
            return True  # two capitalised words, or initials with one
        # One word alone: a known name, but not a double-barrelled eponym (Brown-Séquard).
        return "-" not in words[0] and self.is_name(words[0]) and not self.is_word(words[0])


def find_names(text: str, vocabulary: frozenset[str] = frozenset()) -> list[NameSpan]:
    """The personal names in `text` (a convenience over `NameFinder`)."""
    return list(NameFinder(vocabulary).find(text))
