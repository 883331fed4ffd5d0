"""Commitments: the sentences in which the government side undertakes a future act, with their parts.

A sentence is a commitment when
* its subject is the government side — "ik", "wij", "het kabinet", "de regering", "de minister", "de
  staatssecretaris", "het ministerie", "Nederland" (the Dutch position in Brussels) — not the object of a
  preposition ("voor Nederland", "van het kabinet");
* and it looks ahead: a future or intention verb next to that subject ("zal", "zullen", "ga", "gaan",
  "wil", "streef ernaar", "ben voornemens", "zeg toe") or a present-tense act with a deadline ("Ik
  informeer uw Kamer voor de zomer"), or the Kamer is told what it will receive ("u ontvangt", "ontvangt
  uw Kamer … voor 1 maart");
* and it is a statement, not a question, and not something already done ("heb … geïnformeerd").

Its parts: ``actor`` (as written, folded: "het kabinet"), ``act`` (the infinitive the promise turns on:
"informeren", "steunen", "onderzoeken"; "sturen" for "u ontvangt"), ``object`` (what the act is about:
the words after "over", else between the subject and the act, without the deadline and "uw Kamer"),
``deadline`` (:mod:`.deadline`), ``polarity`` ("negative" with "niet"/"geen": "zal … niet steunen"),
``modality`` (the modal word, "zeg toe", "present" or "receive") and ``strength`` (3 firm, 2 intent,
1 hedged — a hedge or a condition such as "bezien of", "zo mogelijk", "in beginsel" lowers it by one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..text.segment import Sentence
from .deadline import Deadline, find_deadline
from .lexicon import HEDGES, NEGATIONS, hedges_in

_ACTOR = (
    r"(?:ik|wij|we|het kabinet|de regering|de minister-president|de minister|de staatssecretaris"
    r"|(?:het|mijn|ons) ministerie|mijn departement|nederland)"
)
_OFFICE = re.compile(r" van [a-z][a-z ,-]*?(?= (?:zal|zullen|wil|gaat|is|stuurt|informeert)\b)")
_PREPOSITIONS = frozenset(
    "voor van aan met door bij in op over naar tot tegen namens volgens uit onder tussen zonder dan als om".split()
)
FUTURE = {  # word next to the subject → strength
    "zal": 3,
    "zullen": 3,
    "zult": 3,
    "ga": 3,
    "gaan": 3,
    "gaat": 3,
    "wil": 2,
    "willen": 2,
    "wens": 2,
    "streef": 2,
    "streven": 2,
    "streeft": 2,
    "beoog": 2,
    "beogen": 2,
    "beoogt": 2,
    "verwacht": 2,
    "verwachten": 2,
    "hoop": 1,
    "hopen": 1,
    "overweeg": 1,
    "overwegen": 1,
    "overweegt": 1,
}
# acts in the present tense that promise when a deadline follows ("Ik informeer uw Kamer voor de zomer")
PRESENT_ACTS = {
    "informeer": "informeren",
    "informeren": "informeren",
    "informeert": "informeren",
    "stuur": "sturen",
    "sturen": "sturen",
    "stuurt": "sturen",
    "zend": "zenden",
    "zenden": "zenden",
    "zendt": "zenden",
    "kom": "komen",
    "komen": "komen",
    "komt": "komen",
    "rapporteer": "rapporteren",
    "rapporteren": "rapporteren",
    "bericht": "berichten",
    "berichten": "berichten",
    "publiceer": "publiceren",
    "publiceren": "publiceren",
    "publiceert": "publiceren",
    "bied": "aanbieden",
    "bieden": "aanbieden",
    "biedt": "aanbieden",
}
# acts a letter promises, as infinitives: the first of these in a clause is its act
ACTS = frozenset(
    "informeren sturen toesturen zenden toezenden verzenden aanbieden rapporteren berichten publiceren onderzoeken "
    "uitzoeken nagaan bezien verkennen bestuderen evalueren monitoren steunen ondersteunen inzetten uitwerken "
    "voorleggen indienen opstellen aanpassen wijzigen invoeren afschaffen verhogen verlagen investeren financieren "
    "versnellen verankeren regelen vastleggen bespreken agenderen beantwoorden betrekken vragen verzoeken "
    "overleggen afgeven verlenen toekennen stellen brengen nemen treffen maken komen terugkomen beslissen besluiten "
    "uitbreiden verbeteren versterken voortzetten starten beginnen stoppen beëindigen intrekken onthouden "
    "toezien handhaven zorgen houden geven delen verstrekken opnemen verwerken overgaan vrijmaken doorvoeren "
    "realiseren uitvoeren inrichten opzetten ontwikkelen aanleggen bouwen compenseren herzien actualiseren "
    "heroverwegen terugdraaien schrappen".split()
)
_PARTICLES = frozenset("in aan uit op toe door af mee voor terug over bij na vast weg".split())
_AUXILIARY = frozenset("zijn worden hebben kunnen moeten laten gaan willen blijven".split())
_NOT_ACT = frozenset(
    "eigen andere nieuwe verschillende diverse kleinen groten enkelen anderen betrokkenen burgers ouders "
    "kinderen regelingen wetten bepalingen ontwikkelingen maatregelen voorstellen gesprekken zorgen "
    "mogelijkheden organisaties partijen lidstaten landen technieken omstandigheden gevallen diensten "
    "gegevens middelen stappen resultaten uitkomsten vragen antwoorden plannen afspraken".split()
)
_WORD = re.compile(r"[\w’'-]+", re.U)
_RECEIVE = re.compile(
    r"\b(?:u|uw kamer|de kamer)\s+ontvangt\b|\bontvangt\s+(?:u|uw kamer|de kamer)\b"
    r"|\b(?:u kunt|kunt u|uw kamer kan|kan uw kamer)\b.*\b(?:verwachten|tegemoetzien|tegemoet zien)\b",
    re.I,
)
_INTEND = re.compile(r"^\s*(?:ben|zijn|is)\s+(?:voornemens|van plan|van zins|bereid)\b")
_PROMISE = re.compile(
    r"\b(?:zeg(?:gen)? (?:ik|wij|we)\b[^.]*?\btoe|(?:ik|wij|we) zeg(?:gen)? (?:u |uw kamer )?toe|toezeggen)\b", re.I
)
_ABOUT_THIS_LETTER = re.compile(r"^(?:in|met|bij) (?:deze|dit|onderhavige) (?:brief|nota|notitie|memo)\b")
HEDGED = tuple(HEDGES) + ("indien", "mits", "voor zover", "zo nodig", "waar mogelijk", "als dat kan", "bezien of")
_OVER = re.compile(r"\b(?:over|naar)\s+(.+)$")


@dataclass
class Commitment:
    """A promise found in one sentence of one version."""

    sentence: int  # index of the sentence in the version's text
    text: str
    actor: str
    act: str
    object: str
    deadline: Deadline | None
    polarity: str  # "positive" | "negative"
    modality: str  # the word that makes it a promise: "zal", "wil", "zeg toe", "present", "receive"
    strength: int  # 3 firm, 2 intent, 1 hedged or conditional

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "text": self.text,
            "actor": self.actor,
            "act": self.act,
            "object": self.object,
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "polarity": self.polarity,
            "modality": self.modality,
            "strength": self.strength,
        }


def _words(text: str) -> list[str]:
    return [w.lower().strip("’'-") for w in _WORD.findall(text)]


def _object(text: str, deadline: Deadline | None, after: str) -> str:
    """What a promise without a modal is about ("u ontvangt … een evaluatie van X"): content words after ``after``."""
    low = text.lower()
    if deadline:
        low = low.replace(deadline.text.lower(), " ")
    at = re.search(rf"(?<!\w){re.escape(after)}(?!\w)", low)
    low = low[at.end() :] if at else low
    m = _OVER.search(low.rstrip(".!;: "))
    if m and len(m.group(1).split()) >= 2:
        low = m.group(1)
    return " ".join(w for w in _words(low) if w not in _STOP)[:120]


def _subject(low: str) -> list[tuple[str, int, int]]:
    """Government-side subjects in a folded sentence: (actor, start, end) of each, not after a preposition."""
    found = []
    for m in re.finditer(rf"(?<![\w-]){_ACTOR}(?![\w-])", low):
        before = low[: m.start()].split()
        if before and before[-1].strip(",;:(") in _PREPOSITIONS:
            continue
        end = m.end()
        if m.group(0) in ("de minister", "de staatssecretaris") and (office := _OFFICE.match(low, end)):
            end = office.end()  # "de minister van Klimaat en Groene Groei zal": the subject runs to its office
        found.append((m.group(0), m.start(), end))
    return found


def _future_near(low: str, start: int, end: int) -> tuple[str, int] | None:
    """The future or intention word next to a subject: right after it ("ik zal"), before it ("zal ik", "zal het
    kabinet"), or after it with a few words between ("het kabinet … en zal")."""
    after = _words(low[end:])[:12]
    before = _words(low[:start])[-1:]
    if before and before[0] in FUTURE:
        return before[0], FUTURE[before[0]]
    if m := _INTEND.match(low[end:]):
        return m.group(0).split()[-1] if "plan" not in m.group(0) else "van plan", 2  # "ik ben voornemens … te"
    coordinated = re.search(r"\ben (zal|zullen|wil|willen|gaat|gaan)\b", low[end:])
    if coordinated and not re.search(r"[;:]", low[end : end + coordinated.start()]):
        return coordinated.group(1), FUTURE[coordinated.group(1)]  # "het kabinet acht … en zal … niet steunen"
    for i, w in enumerate(after):
        if w in FUTURE and (i <= 1 or (i <= 11 and "," not in low[end:].split(w, 1)[0][-2:])):
            return w, FUTURE[w]
        if w in ("dat", "die", "omdat", "wanneer", "als", "indien", "waarin", "waarbij"):
            break
    return None


_SUBORDINATE = frozenset(
    "dat die omdat zodat waarmee waarin waarbij waarop wanneer indien om hetgeen wat zolang totdat nadat "
    "voordat".split()
)
_STOP = frozenset(
    "de het een en of van voor in op aan met over door bij naar tot uw u mijn onze ons zich mij ik wij we "
    "zal zullen ga gaan wil willen kamer hierover daarover nader verder graag ook nog dan dit deze die dat "
    "daarom tevens eveneens vervolgens".split()
)


def _is_verb(w: str) -> bool:
    return len(w) > 3 and w.endswith("en") and w not in _NOT_ACT and w not in _AUXILIARY


def _act_and_object(after: list[str], deadline: Deadline | None) -> tuple[str, str]:
    """The act (the last infinitive of the main clause after the promise word) and its object: the phrase
    after the act's "over"/"naar"/"op" if any, else the words between the promise word and the act.

    A relative clause ("… met de informatie die nu voorhanden is, geen voorstellen ondersteunen") is skipped
    to its comma, so the main clause's verb is found."""
    skip_deadline = set(_words(deadline.text)) if deadline else set()
    if after[:1] and after[0] in ("ernaar", "erop", "eraan", "erom", "ervoor"):
        after = after[1:]  # "streven ernaar dat besluit … te nemen": "dat" is a determiner here
        if after[:1] and after[0] in ("dat", "die"):
            after = after[1:]
    segments: list[list[str]] = [[]]
    skipping = False
    for w in after:
        if w == ",":
            skipping = False
            continue
        if w in _SUBORDINATE:
            if segments[-1] and any(_is_verb(x) for x in segments[-1]):
                break  # the main clause had its verb: what follows qualifies it
            skipping = True
            continue
        if not skipping:
            segments[-1].append(w)
    clause = segments[-1]
    known = [i for i, w in enumerate(clause) if w in ACTS]
    verbs = known[:1] or [i for i, w in enumerate(clause) if _is_verb(w)][-1:]
    if not verbs:
        aux = [w for w in clause if w in _AUXILIARY]
        return (aux[-1] if aux else ""), ""
    i = verbs[0]
    act = clause[i]
    if i >= 2 and clause[i - 1] == "te" and clause[i - 2] in _PARTICLES:  # "in te dienen" → "indienen"
        act = clause[i - 2] + act
    tail = clause[i + 1 :]
    about = tail and tail[0] in ("over", "naar") and len(tail) >= 2
    words = tail[1:] if about else clause[:i]
    drop = _STOP | skip_deadline | {"te", "geen", "niet"}
    obj = [w for w in words if w not in drop and not (_is_verb(w) and w in ACTS)]
    return act, " ".join(obj)[:120]


def _main_clause_negated(after: list[str]) -> bool:
    """Whether the main clause after the promise word carries a negation (a "niet" in a clause that qualifies
    the act — "zolang … niet is opgelost" — does not count)."""
    skipping = False
    for w in after:
        if w == ",":
            skipping = False
        elif w in _SUBORDINATE or w == "zolang":
            skipping = True
        elif not skipping and w in NEGATIONS:
            return True
    return False


def _clause_words(text: str) -> list[str]:
    """Words and commas, folded, for :func:`_act_and_object`."""
    return [w.lower().strip("’'-") if w != "," else "," for w in re.findall(r"[\w’'-]+|,", text)]


# cheap gates, one search each: a sentence without any of these is no commitment
_TOKEN = re.compile(r"\w+")
_CANDIDATE = frozenset(
    "ik wij we kabinet regering minister staatssecretaris ministerie departement nederland ontvangt toe "
    "toezeggen verwachten".split()
)
_LOOKS_AHEAD = (
    frozenset(FUTURE)
    | frozenset(PRESENT_ACTS)
    | frozenset(
        "voornemens plan zins bereid ontvangt toe toezeggen laat laten verwachten tegemoetzien tegemoet".split()
    )
)


def commitment_of(sentence: Sentence, letter_date: date | None) -> Commitment | None:
    """The commitment a sentence makes, or None."""
    text = sentence.text.strip()
    if not text or text.endswith("?"):
        return None
    low = text.lower()
    words = set(_TOKEN.findall(low))
    if words.isdisjoint(_LOOKS_AHEAD) or words.isdisjoint(_CANDIDATE):
        return None
    low = " ".join(low.replace("’", "'").split())
    if len(low.split()) < 4 or _ABOUT_THIS_LETTER.match(low):
        return None  # no government subject, nothing promised to the Kamer; or what this letter itself does
    hedged = int(bool(hedges_in(low, HEDGED)))
    negated = not words.isdisjoint(NEGATIONS)
    cache: list[Deadline | None] = []

    def due() -> Deadline | None:
        """The sentence's deadline, read once and only when needed (most sentences never get this far)."""
        if not cache:
            found = find_deadline(text, letter_date)
            if found and letter_date and found.end and found.end < letter_date:
                found = None  # a date in the past is no deadline ("op 9 oktober is ingediend")
            cache.append(found)
        return cache[0]

    def made(actor: str, act: str, obj: str, modality: str, strength: int, negative: bool) -> Commitment:
        polarity = "negative" if negative else "positive"
        return Commitment(sentence.index, text, actor, act, obj, due(), polarity, modality, max(1, strength))

    if m := _PROMISE.search(low):
        after = _clause_words(low[m.end() :])
        if after[:1] == ["dat"]:  # "Ik zeg toe dat ik het jaarbeeld … zal bespreken": the promise is the clause
            after = after[1:]
        act, obj = _act_and_object(after, due())
        actor = (_subject(low) or [("ik", 0, 0)])[0][0]
        return made(actor, act or "toezeggen", obj, "zeg toe", 3 - hedged, negated)
    if _RECEIVE.search(low) and (re.search(r"\b(zal|zult)\b", low) or due()):
        return made("het kabinet", "sturen", _object(low, due(), "ontvangt"), "receive", 3 - hedged, negated)
    for actor, start, end in _subject(low):
        near = _future_near(low, start, end)
        if near:
            word, strength = near
            rest = low[end:]
            at = re.search(rf"(?<!\w){word}(?!\w)", rest)
            after = _clause_words(rest[at.end() :] if at else rest)
            act, obj = _act_and_object(after, due())
            if not act and word in ("ga", "gaan", "gaat"):
                act = "in gesprek gaan" if "gesprek" in after else "gaan"  # "ga ik in gesprek met de VNG"
            if act in ("", "zijn", "worden", "hebben"):
                continue  # "zal … zijn", "zal … worden": a prediction, not an act
            between = _clause_words(low[end : end + at.start()]) if at else []
            negative = _main_clause_negated(after) or _main_clause_negated(between)
            return made(actor, act, obj, word, strength - hedged, negative)
        nearby = _words(low[end:])[:1] + _words(low[:start])[-1:]  # "ik laat onderzoeken", "laat ik onderzoeken"
        if any(w in ("laat", "laten") for w in nearby):
            rest = low[end:]
            at = re.search(r"(?<!\w)laat|laten(?!\w)", rest)
            after = _clause_words(rest[at.end() :] if at else rest)
            act, obj = _act_and_object(after, due())
            if act and act not in _AUXILIARY:
                return made(actor, act, obj, "laat", 3 - hedged, _main_clause_negated(after))
        verb = next((w for w in nearby if w in PRESENT_ACTS), None)
        if verb and due():  # "Ik informeer uw Kamer voor de zomer", "Zodra …, stuur ik deze naar uw Kamer"
            return made(actor, PRESENT_ACTS[verb], _object(low, due(), verb), "present", 3 - hedged, negated)
    return None


def find_commitments(sentences: Sequence[Sentence], letter_date: date | None) -> list[Commitment]:
    """Every commitment in a version's sentences, in text order."""
    out = []
    for s in sentences:
        found = commitment_of(s, letter_date)
        if found is not None:
            out.append(found)
    return out


def _deadline_text(d: Deadline | None) -> str:
    return d.text if d else "no deadline"


def _tokens(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower())]


def compare_promises(old: Commitment, new: Commitment) -> list[tuple[str, str]]:
    """The events (name, detail) from ``old`` to ``new`` of one promise, strongest first; empty if it stands."""
    out: list[tuple[str, str]] = []
    if old.polarity != new.polarity:
        words_a, words_b = set(_tokens(old.text)), set(_tokens(new.text))
        went = [w for w in _tokens(old.text) if w in NEGATIONS and w not in words_b]
        came = [w for w in _tokens(new.text) if w in NEGATIONS and w not in words_a]
        how = f"'{went[0]}' dropped" if went else f"'{came[0]}' added" if came else f"{old.polarity} → {new.polarity}"
        out.append(("reversed", how))
    if new.strength < old.strength:
        before = hedges_in(old.text.lower(), HEDGED)
        came = [h for h in dict.fromkeys(hedges_in(new.text.lower(), HEDGED)) if h not in before]
        how = [f"'{old.modality}' → '{new.modality}'"] if new.modality != old.modality else []
        out.append(("weakened", ", ".join(how + [f"hedged: '{h}'" for h in came[:2]])))
    elif new.strength > old.strength:
        out.append(("strengthened", f"'{old.modality}' → '{new.modality}'"))
    a, b = old.deadline, new.deadline
    moved = f"{_deadline_text(a)} → {_deadline_text(b)}"
    if a and a.end and (b is None or b.end is None):
        out.append(("postponed", moved + (" (made vague)" if b else " (deadline gone)")))
    elif a and b and a.end and b.end and b.end != a.end:
        out.append(("postponed" if b.end > a.end else "brought forward", moved))
    elif b and b.end and (a is None or a.end is None):
        out.append(("brought forward", moved + " (a date given)"))
    return out
