#!/usr/bin/env python3
"""What the analyst sees first: is the edit that changes meaning ranked first, and does noise stay quiet?

    python bench/ranking.py [--trials 100] [--seed 7] [--show-misses] [--write bench/RESULTS.md]

Each trial takes one of the letters in tests/fixtures/letters and makes a "versie 2" of it with
* one edit that changes meaning, of a random class: a "niet" dropped, "zal" weakened to "kan" or hedged
  with "in beginsel", a date made vague ("zo spoedig mogelijk") or moved months later, an amount cut by
  a third;
* two plain edits that change wording but carry no signal: a neutral sentence inserted from another
  letter, and two words of a sentence rephrased ("het kabinet" → "de regering", "daarnaast" → "verder");
* three pieces of noise: a semicolon for ". " (or for " en "), a letterhead or running-header line in the
  body, and a bold span across two sentences.

It scores: the meaning edit ranked first (the ranking every output uses), its signal named with the
right direction, and the false substantive changes (anything substantive beyond the three edits).
The edit classes are written here, not taken from the tuned word lists; the letters include the open
letter of 1 October 2024, used nowhere in tuning.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from results import publish  # noqa: E402  (bench/ is on sys.path when its scripts run)

from docaudit.diff import semantic_diff  # noqa: E402
from docaudit.text.normalize import comparison_key, paragraphs  # noqa: E402
from docaudit.text.segment import split_sentences  # noqa: E402

LETTERS = ROOT / "tests" / "fixtures" / "letters"
NAMES = [
    "2024D46963.txt",
    "2023Z08511.txt",
    "kamerbrief-deens-voorstel.txt",
    "nota-onderbouwing-standpunt.txt",
    "2024-10-01_open_brief_kabinet.txt",
]
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
DATE = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)})( \d{{4}})?\b")
AMOUNT = re.compile(r"(€ ?)(\d+)(,\d+)?( (?:miljoen|miljard))?|\b(\d{2,3}) (procent|%)")
NEUTRAL = [
    "Daarnaast is over dit onderwerp gesproken met de betrokken departementen.",
    "De gesprekken hierover worden de komende weken voortgezet.",
    "Over de uitkomsten van dit overleg is ook in eerdere brieven bericht.",
]
REPHRASE = [("het kabinet", "de regering"), ("Daarnaast", "Verder"), ("echter", "evenwel"), ("tevens", "ook")]
HEADERS = ["Tweede Kamer, vergaderjaar 2025–2026, 36 123, nr. 4 3", "Datum 3 maart 2025", "Pagina 2 van 4"]
# meaning edit → the words its signal must start with
EXPECT = {
    "negation": "negation removed",
    "modal": "commitment weakened",
    "hedge": "commitment weakened",
    "vague": "deadline made vague",
    "later": "deadline moved later",
    "amount": "amount changed",
}


def _meaning(rng: random.Random, sentence: str, kind: str) -> str | None:
    if kind == "negation" and " niet " in sentence:
        return sentence.replace(" niet ", " ", 1)
    if kind == "modal" and re.search(r"\b(zal|zullen)\b", sentence):
        return re.sub(r"\b(zal|zullen)\b", lambda m: {"zal": "kan", "zullen": "kunnen"}[m.group(1)], sentence, count=1)
    if kind == "hedge" and re.search(r"\b(zal|zullen|moet|moeten)\b", sentence):
        return re.sub(r"\b(zal|zullen|moet|moeten)\b", r"\1 in beginsel", sentence, count=1)
    if kind == "vague" and DATE.search(sentence):
        return DATE.sub("zo spoedig mogelijk", sentence, count=1)
    if kind == "later" and (m := DATE.search(sentence)):
        month = MONTHS[(MONTHS.index(m.group(2)) + 4) % 12]
        year = m.group(3) or ""
        if MONTHS.index(m.group(2)) >= 8:
            year = f" {int(year) + 1}" if year else " " + str(2026)
        return sentence[: m.start()] + f"{m.group(1)} {month}{year}" + sentence[m.end() :]
    if kind == "amount" and (m := AMOUNT.search(sentence)):
        if m.group(2):
            new = f"{m.group(1)}{max(1, int(m.group(2)) * 2 // 3)}{m.group(4) or ''}"
        else:
            new = f"{max(1, int(m.group(5)) * 2 // 3)} {m.group(6)}"
        return sentence[: m.start()] + new + sentence[m.end() :]
    return None


def trial(rng: random.Random, text: str, donors: list[str], show: bool = False) -> dict:
    paras = [split_sentences(p) for p in paragraphs(text)]
    spots = [(p, s) for p, ss in enumerate(paras) for s, x in enumerate(ss) if len(x.split()) >= 8]
    rng.shuffle(spots)
    used: set[int] = set()
    kinds = list(EXPECT)
    rng.shuffle(kinds)
    meaning = None
    for kind in kinds:
        for p, s in spots:
            new = _meaning(rng, paras[p][s], kind)
            if new and comparison_key(new) != comparison_key(paras[p][s]):
                paras[p][s], meaning = new, {"kind": kind, "new": new}
                used.add(p)
                break
        if meaning:
            break
    assert meaning, "no sentence takes a meaning edit"
    free = [(p, s) for p, s in spots if p not in used]
    # plain edits: a neutral sentence inserted, a sentence rephrased
    p, s = next((p, s) for p, s in reversed(free) if paras[p][s][-1] in ".?!")
    free.remove((p, s))
    paras[p].insert(s + 1, rng.choice([d for d in donors if d not in text] or NEUTRAL))
    used.add(p)
    for p, s in free:
        hits = [(a, b) for a, b in REPHRASE if re.search(rf"\b{a}\b", paras[p][s])]
        if p not in used and hits:
            a, b = rng.choice(hits)
            paras[p][s] = re.sub(rf"\b{a}\b", b, paras[p][s], count=1)
            used.add(p)
            break
    # noise: punctuation, a header line, emphasis across two sentences
    for p, ss in enumerate(paras):
        if p not in used and len(ss) >= 2 and ss[0].endswith(".") and ss[1][:1].isupper():
            ss[0] = ss[0][:-1] + ";"
            ss[1] = ss[1][0].lower() + ss[1][1:]
            used.add(p)
            break
    spot = rng.randrange(2, len(paras) - 1)
    paras.insert(spot, [rng.choice(HEADERS)])
    used = {q + (q >= spot) for q in used} | {spot}
    for p, ss in enumerate(paras):
        if p not in used and len(ss) >= 3:
            ss[0], ss[1] = "**" + ss[0], ss[1] + "**"
            break
    new_text = "\n\n".join(" ".join(ss) for ss in paras)
    diff = semantic_diff(text, new_text)
    ranked = diff.ranked()
    substantive = [c for c in diff.changes if c.level == "substantive"]
    top = ranked[0] if ranked else None
    hit = top is not None and comparison_key(meaning["new"]) in comparison_key(top.new_text or "")
    named = hit and any(sig.startswith(EXPECT[meaning["kind"]]) for sig in top.signals)
    result = {"kind": meaning["kind"], "first": hit, "named": named, "false": max(0, len(substantive) - 3)}
    if show and (not named or result["false"]):
        print("--", meaning)
        for c in ranked[:5]:
            print("  ", c.level, c.severity, c.summary, repr((c.new_text or c.old_text or "")[:100]))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", action="store_true", help="print the top of each missed or noisy trial")
    parser.add_argument("--write", type=Path, help="publish the figures into this markdown file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = {n: (LETTERS / n).read_text(encoding="utf-8") for n in NAMES}
    donors = [s for t in texts.values() for p in paragraphs(t) for s in split_sentences(p) if 8 <= len(s.split()) <= 25]
    results = []
    for i in range(args.trials):
        name = NAMES[i % len(NAMES)]
        results.append(trial(rng, texts[name], donors, args.show_misses))
    n = len(results)
    first = sum(r["first"] for r in results)
    named = sum(r["named"] for r in results)
    false = sum(r["false"] for r in results)
    by_kind: dict[str, list[int]] = {}
    for r in results:
        by_kind.setdefault(r["kind"], []).append(int(r["first"]))
    lines = [
        f"{n} versions of {len(NAMES)} letters, seed {args.seed}: one meaning edit, two plain edits and three "
        "pieces of noise each.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| meaning edit ranked first | {first}/{n} ({first / n:.0%}) |",
        f"| … with its signal named, right direction | {named}/{n} ({named / n:.0%}) |",
        f"| false substantive changes per ten pairs | {false * 10 / n:.1f} |",
        "",
        "| meaning edit | ranked first |",
        "|---|---|",
        *(f"| {k} | {sum(v)}/{len(v)} |" for k, v in sorted(by_kind.items())),
    ]
    publish("\n".join(lines), args.write, "diff signal and ranking (bench/ranking.py)")


if __name__ == "__main__":
    main()
