"""Is a skill in an ad required, meriting, or merely mentioned?

Ads say it in two ways, and both are handled:

* a **heading** governs the bullets and lines below it ("Krav:", "Kvalifikationer",
  "Meriterande:", "Du får också gärna ha erfarenhet av följande:") until the next
  heading or a long paragraph of boilerplate;
* a **cue in the sentence itself** ("B-körkort är ett krav", "Det är en fördel om du
  talar finska"), looked up per clause so "B-körkort krävs, CE är meriterande" gives
  one of each.

A clause's own cue wins over its sentence's, which wins over the section's. Where a
clause has both kinds of cue, meriting wins ("inget krav men meriterande").

What the employer says about itself, its benefits and how to apply is never a
requirement: under an "Om oss", "Vi erbjuder", "Ansökan", "About us" heading, and in a
sentence that opens with "Vi erbjuder", "Hos oss får du" or "We offer", cues are
ignored ("Hos oss har du tillgång till friskvård" requires nothing), and such a sentence
is not governed by the heading above it either ("Vi erbjuder ... kollektivavtal" after a
"Krav" list); a line that opens that way ends the heading's section. A negated cue
("Swedish is not required", "inget krav") makes its clause merely mentioned.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lotsen.text import fold, fold_aligned

REQUIRED = "required"
MERITING = "meriting"
MENTIONED = "mentioned"

# Every cue starts a word ("(?<![a-z0-9])"): the engine then tries the alternatives
# only at word starts, three times faster on real ads than at every character.
MERITING_CUES = re.compile(
    r"(?<![a-z0-9])(?:meriter|merit\b|fordel|\bgarna\b|onskvar|onskar vi|plus om|is a plus|"
    r"a plus\b|nice to have|bonus|advantage|preferably|preferred|ett plus|foredragsvis|forslagsvis|"
    r"\bhelst\b|vardesatt|vardesatter|kanske har du|kanske ar du|\bplus\b|"
    r"positivt (?:om|med|att|if)|(?:ser|ses|anses|ar) (?:vi )?(?:det )?(?:som )?positivt)"
)
REQUIRED_CUES = re.compile(
    r"(?<![a-z0-9])(?:krav|kraver|kravs|\bmaste\b|\bdu har\b|\bhar du\b|\bdu ar\b|vi soker dig som|"
    r"\bska ha\b|behover ha|\bbehover du\b|forutsatt|nodvandig|obligatorisk|\binnehar\b|"
    r"requirement|required|\bmust\b|you have|you are|qualifications|kvalifikation|"
    r"[a-z]*behorighet|legitimerad|vi forvantar|du bor ha|we expect|\bneed to\b|"
    r"\bdig som har\b|\bletar (?:vi )?efter dig\b|"
    r"\bsoker vi dig\b|\bbehover (?:du |aven |ocksa |dessutom )+ha\b|"
    r"\bdu kan\b|\bbeharskar\b|"
    r"forutsattning|sjalvklarhet|\bvi soker dig\b|\bbor du\b|\bdu bor\b|stor vikt|"
    r"\bforvantas\b|\bvi ser att du\b)"  # "lärarbehörighet" too
)
NEUTRAL_HEADING = re.compile(
    r"^\W*(?:om oss|om foretaget|om arbetsgivaren|om verksamheten|om [a-z]+ (?:kommun|region)|"
    r"vi erbjuder|vi kan erbjuda|det har erbjuder vi|formaner|ansokan|sa soker du|sa ansoker du|"
    r"ovrigt|ovrig information|kontakt|about us|about the company|we offer|what we offer|"
    r"perks|benefits|how to apply|practical information|facklig\w*|gdpr|personuppgift\w*|"
    r"dataskydd|union contacts?|personal data|minoritetssprak\w*)\b"
)
_QUALIFICATION = (r"(?:kompetens(?:krav|er|profil)?|erfarenhet(?:er)?|utbildning(?:sbakgrund)?|"
                  r"kunskaper|kunskapskrav|bakgrund|forkunskaper|formagor|sprak(?:kunskaper)?|"
                  r"behorighet(?:er)?|certifikat|kvalifikationer|background|education|competences?|"
                  r"skills|experience|qualifications|requirements)")
# Headings that introduce what the applicant must bring, without a cue word of their own.
REQUIRED_HEADING = re.compile(
    r"^\W*(?:om dig|din profil|profil|vem ar du|vem soker vi|"
    rf"(?:(?:din|dina|ditt|onskad|relevant|your|required)\s+)?{_QUALIFICATION}(?:\s*(?:och|&|,|/|samt)\s*{_QUALIFICATION})*|"
    r"about you|your profile|who you are|what you bring|what we.?re looking for|"
    r"we.?re looking for|who we.?re looking for|must.?haves?|skills|experience|"
    r"what you need|you bring)\W*$"
)  # the whole line: "Utbildning inom entreprenadjuridik" is an item, not a heading
# Boilerplate sentences state no requirement of this post: minority-language notices
# ("Vi tar gärna emot ansökningar från dig som talar finska"), union contacts, GDPR.
BOILERPLATE = re.compile(
    r"minoritetssprak|forvaltningsomrade|meankieli|facklig|fackforbund|\bgdpr\b|"
    r"personuppgifter|dataskyddsforordning|union representative|personal data"
)
NEUTRAL_SENTENCE = re.compile(
    r"^\W*(?:vi erbjuder|vi kan erbjuda|hos oss (?:far|har) du|som medarbetare|"
    r"we offer|you will get|perks include)\b"
)
# Headings of the duties and the terms: they end a requirement list, but unlike the
# employer's own sections a cue in their sentences still counts.
OTHER_HEADING = re.compile(
    r"^\W*(?:om (?:rollen|tjansten|jobbet|uppdraget|befattningen)|(?:dina |huvudsakliga )?"
    r"arbetsuppgifter|ytterligare information|anstallningsform|anstallningsvillkor|lon\b|"
    r"tilltrade|omfattning|arbetstid|foretagsbeskrivning|beskrivning|ansvarsomraden|"
    r"(?:about )?the role|your role|responsibilities|what you will do|what you'll do|"
    r"about the (?:job|position)|terms)\b"
)
# A list line that states what the applicant has, with the "du" of its list's lead-in
# left out or the lead-in not recognised as a heading: "• Har mycket goda kunskaper i
# svenska", "Goda kunskaper i ETL", "Minst 5 års erfarenhet av SQL", "3+ years of
# experience with Python". Asked for, unless a cue of its own says otherwise.
ITEM_START = re.compile(
    r"^\W*(?:(?:har|ar|kan|talar|beharskar|innehar|besitter|has|have|are)\s|"
    r"(?:minst|min\.?|at least|over|mer an)\s+(?:\d|ett|en|tva|tre|fyra|fem|one|two|three)|"
    r"\d+\s*\+?\s*(?:-\s*\d+\s*)?(?:ars|years?|yrs)\b|"
    # "Van att arbeta med DevOps", "Vara väl insatt i HTTP"
    r"van\s+(?:att|vid)\s|(?:vara\s+)?(?:val\s+)?insatt\s+i\s|"
    # "Goda kunskaper", "Djupgående kunskaper", "Flera års erfarenhet", "Stark kompetens",
    # but not the employer's "Vår erfarenhet" or "Din kompetens värderas"
    r"(?!(?:var|vart|vara|din|dina|ditt|er|era|ert|our|your|their|hans|hennes)\s)"
    r"(?:[a-z]+[\s-]+){0,3}?"
    # ... also as the tail of a compound ("Programmeringskunskap i Python",
    # "Arbetslivserfarenhet inom …") and the English adjectives ("Proficient in SQL",
    # "Fluent in Swedish", "Familiar with Azure", "Expert in SQL")
    r"[a-z]*(?:erfarenhet|kunskap|kannedom|forstaelse|vana|kompetens|experience|knowledge|"
    r"understanding|skills|command|proficien|fluen|familiar|expert|fardighet)|"
    r"(?:erfarenhet|kunskaper|kunskap|kannedom|forstaelse|vana|experience|knowledge|"
    r"familiarity|proficiency)\s+(?:av|i|om|inom|fran|kring|med|of|with|in)\s)"
)
# A lead-in that the list below completes: "Vi tror att du som söker har:", "Vi söker
# dig som:", "You are:".
LEAD_IN = re.compile(r"(?<![a-z])(?:har|ar|kan|du|dig som|som|bor ha|behover ha|have|are|bring)"
                     r"\s*:\s*$")
NEUTRAL = "neutral"  # a section where cues are ignored
BULLET = re.compile(r"^\s*(?:[-*•–·▪●]|\d{1,2}[.)])\s*")
SENTENCE = re.compile(r"(?<=[.!?])\s+")
CLAUSE = re.compile(r"[,;]\s*|\s+men\s+|\s+[-–]\s+")
HEADING_MAX = 90
SECTION_BREAK = 160


# "Swedish is not required", "Körkort är inget krav": a requirement cue, negated.
NEGATED_CUES = re.compile(
    r"(?<![a-z0-9])(?:not required|not a requirement|no requirement|not necessary|not needed|"
    r"inget krav|inte ett krav|inte (?:nagot )?krav|ej (?:ett )?krav|inte nodvandig|kravs inte|"
    r"kravs ej|behover inte)"
)


ANY_CUE = re.compile("|".join(
    f"(?:{p.pattern})" for p in (MERITING_CUES, NEGATED_CUES, REQUIRED_CUES)))


def cue(text: str) -> str | None:
    """The requirement a piece of text states by itself, if any (``mentioned`` when it
    negates one and says nothing meriting)."""
    return _cue(fold(text))


@lru_cache(maxsize=8192)  # boilerplate sentences repeat across ads; bounded memory
def _cue(folded: str) -> str | None:
    if not ANY_CUE.search(folded):  # most sentences: one search instead of three
        return None
    if MERITING_CUES.search(folded):
        return MERITING
    if NEGATED_CUES.search(folded):
        return MENTIONED
    if REQUIRED_CUES.search(folded):
        return REQUIRED
    return None


@lru_cache(maxsize=8192)
def _cue_starts(folded: str) -> tuple[int, ...]:
    """Where a cue word starts in a folded sentence (one scan for all its clauses)."""
    return tuple(m.start() for m in ANY_CUE.finditer(folded))


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > HEADING_MAX or BULLET.match(stripped):
        return False
    return stripped.endswith(":") or (len(stripped) <= 40 and not stripped.endswith("."))


@dataclass(frozen=True)
class RequirementMap:
    """Requirement per character offset of one text (piecewise constant)."""

    starts: list[int]
    modes: list[str]

    def at(self, offset: int) -> str:
        position = bisect.bisect_right(self.starts, offset) - 1
        mode = self.modes[position] if position >= 0 else MENTIONED
        return MENTIONED if mode == NEUTRAL else mode

    def employer_text(self, offset: int) -> bool:
        """Is ``offset`` in what the employer says of itself, its offer or how to apply
        (an "Om oss"/"Vi erbjuder" section, a benefits or boilerplate sentence)?"""
        position = bisect.bisect_right(self.starts, offset) - 1
        return position >= 0 and self.modes[position] == NEUTRAL


def requirement_map(text: str, offsets: Sequence[int] | None = None,
                    folded: str | None = None) -> RequirementMap:
    """The requirement of every offset of ``text``; with ``offsets`` only the lines
    holding one of them are read sentence by sentence (headings always are), which
    gives the same answer at those offsets for a fraction of the work. ``folded`` is
    ``fold_aligned(text)`` if the caller has it: the text is folded once, and every
    line, sentence and clause is a slice of it."""
    folded = fold_aligned(text) if folded is None else folded
    wanted = sorted(offsets) if offsets is not None else None
    starts: list[int] = [0]
    modes: list[str] = [MENTIONED]
    section: str | None = None
    offset = 0
    for line in folded.splitlines(keepends=True):
        begin, body = offset, line.rstrip("\r\n")
        offset += len(line)
        if not body.strip():
            continue
        if _is_heading(body):
            own = _cue(body)
            if own is None and section is None and not body.rstrip().endswith(":") and (
                    ITEM_START.match(body)):
                # "Minst 5 års erfarenhet" after a lead-in not read as a heading: an item
                starts.append(begin)
                modes.append(REQUIRED)
                continue
            if (own is None and section in (REQUIRED, MERITING)
                    and not body.rstrip().endswith(":") and not OTHER_HEADING.match(body)
                    and not NEUTRAL_HEADING.match(body) and not REQUIRED_HEADING.match(body)):
                # A short line in a requirement list ("B-körkort" under "Kravspecifikation")
                # is an item of it, not a new heading.
                starts.append(begin)
                modes.append(section)
                continue
            if NEUTRAL_HEADING.match(body):
                section = NEUTRAL
            elif own is None and (REQUIRED_HEADING.match(body) or LEAD_IN.search(body)):
                section = REQUIRED
            else:
                section = own
            starts.append(begin)
            modes.append(MENTIONED if section is None else section)
            continue
        if section != NEUTRAL and not BULLET.match(body) and len(body.strip()) > SECTION_BREAK and (
                not ITEM_START.match(body)):
            section = None  # a paragraph ends a list, unless it is the list on one line
        if section != NEUTRAL and NEUTRAL_SENTENCE.match(body):
            section = None  # "Vi erbjuder ..." after the bullets ends the requirements
        if section == NEUTRAL:
            starts.append(begin)
            modes.append(NEUTRAL)
            continue
        # the line's own default: its section's, else an item's when it reads as one
        default = section if section is not None or len(body) > SECTION_BREAK or not (
            ITEM_START.match(_strip_bullet(body))) else REQUIRED
        if wanted is not None:
            first = bisect.bisect_left(wanted, begin)
            if first == len(wanted) or wanted[first] >= offset:
                starts.append(begin)
                modes.append(default or MENTIONED)
                continue
        for s_start, sentence in _pieces(body, SENTENCE, begin):
            if _boilerplate(sentence):
                # benefits and boilerplate: never a requirement
                starts.append(s_start)
                modes.append(NEUTRAL)
                continue
            hits = _cue_starts(sentence)
            sentence_cue = _cue(sentence) if hits else None
            if sentence_cue is None:  # then no clause of it has a cue either
                starts.append(s_start)
                modes.append(default or MENTIONED)
                continue
            # A clause without a cue of its own takes the nearest cue before it; the first
            # takes the section's, in a list ("Du har: MS Office, föredragsvis SAP").
            previous = default if default in (REQUIRED, MERITING) else sentence_cue
            for c_start, clause in _pieces(sentence, CLAUSE, s_start):
                # No cue word starts in most clauses: only those are read again. (No cue
                # spans a clause separator, so a clause's cues start inside it.)
                first = bisect.bisect_left(hits, c_start - s_start)
                if first < len(hits) and hits[first] < c_start - s_start + len(clause):
                    previous = _cue(clause) or previous
                starts.append(c_start)
                modes.append(previous)
    return RequirementMap(starts, modes)


@lru_cache(maxsize=8192)
def _boilerplate(folded_sentence: str) -> bool:
    return bool(NEUTRAL_SENTENCE.match(folded_sentence) or BOILERPLATE.search(folded_sentence))


def _strip_bullet(line: str) -> str:
    match = BULLET.match(line)
    return line[match.end():] if match else line


def _pieces(text: str, splitter: re.Pattern[str], base: int) -> list[tuple[int, str]]:
    """(absolute start, piece) for the parts of ``text`` between ``splitter`` matches."""
    out: list[tuple[int, str]] = []
    position = 0
    for match in splitter.finditer(text):
        if match.start() > position:
            out.append((base + position, text[position : match.start()]))
        position = match.end()
    if position < len(text):
        out.append((base + position, text[position:]))
    return out
