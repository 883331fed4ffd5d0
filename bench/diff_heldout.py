#!/usr/bin/env python3
"""Held-out check of the semantic diff: random edits in a letter the flag word lists were not tuned on.

    python bench/diff_heldout.py [--trials 40] [--seed 1] [--write bench/RESULTS.md]

The labelled set in tests/ was written by hand, alongside the flag word lists, so its perfect scores say
little about unseen text. Here each trial takes the open letter of 1 October 2024
(tests/fixtures/letters/2024-10-01_open_brief_kabinet.txt, not used anywhere in tuning), plants six random
edits at random sentences — drop a "niet"/"geen", swap a modal verb, change a day or a number, replace a
name, insert a sentence from another letter, delete a sentence, move a paragraph — and scores the diff
with the same rules as tests/test_diff_quality.py (kind, and exact flags for modified sentences).
Text only: extraction is covered by the labelled set.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from results import publish  # noqa: E402  (bench/ is on sys.path when its scripts run)

from docaudit.diff import semantic_diff  # noqa: E402
from docaudit.diff.flags import SENTENCE_OPENERS  # noqa: E402
from docaudit.diff.inplace import in_place  # noqa: E402
from docaudit.testing.diffset import Score  # noqa: E402
from docaudit.testing.inplace import placement_problems  # noqa: E402
from docaudit.text.normalize import normalize_text  # noqa: E402
from docaudit.text.segment import split_sentences  # noqa: E402

LETTERS = ROOT / "tests" / "fixtures" / "letters"
HELD_OUT = LETTERS / "2024-10-01_open_brief_kabinet.txt"
DONORS = [LETTERS / "2023Z08511.txt", LETTERS / "kamerbrief-deens-voorstel.txt"]
MODAL_SWAPS = {
    "zal": "kan",
    "kan": "zal",
    "zullen": "kunnen",
    "kunnen": "zullen",
    "moet": "mag",
    "mag": "moet",
    "moeten": "mogen",
    "mogen": "moeten",
    "zou": "zal",
    "zouden": "zullen",
}
MODAL = re.compile(r"\b(" + "|".join(MODAL_SWAPS) + r")\b")
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
DAY = re.compile(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)})\b")
NUMBER = re.compile(r"(?<![\d.,])(\d{1,3})(?![\d.,]?\d)(?! (?:" + "|".join(MONTHS) + r"))")
NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]{3,})\b")


def plant(rng: random.Random, paras: list[list[str]], donors: list[str]) -> list[dict]:
    """Apply six random edits to ``paras`` (lists of sentences) in place; return their labels."""
    labels: list[dict] = []
    used: set[tuple[int, int]] = set()

    def pick(test) -> tuple[int, int] | None:
        spots = [
            (p, s)
            for p, ss in enumerate(paras)
            for s, x in enumerate(ss)
            if test(x) and len(x.split()) >= 6 and not any(abs(p - q) + abs(s - t) <= 1 for q, t in used)
        ]
        if not spots:
            return None
        spot = rng.choice(spots)
        used.add(spot)
        return spot

    def modify(test, edit, flags):
        spot = pick(test)
        if spot is None:
            return
        p, s = spot
        new = edit(paras[p][s])
        if new != paras[p][s]:
            paras[p][s] = new
            labels.append({"kind": "modified", "flags": flags, "new": new})

    kinds = ["negation", "modality", "date", "number", "entity", "delete", "insert", "move"]
    for kind in sorted(rng.sample(kinds, 6), key=kinds.index):  # never edit a sentence planted here
        if kind == "negation":
            modify(
                lambda x: re.search(r"\b(niet|geen) ", x),
                lambda x: re.sub(r"\b(niet|geen) ", lambda m: "" if m.group(1) == "niet" else "een ", x, count=1),
                ["negation"],
            )
        elif kind == "modality":
            modify(
                lambda x: MODAL.search(x),
                lambda x: MODAL.sub(lambda m: MODAL_SWAPS[m.group(1)], x, count=1),
                ["modality"],
            )
        elif kind == "date":
            modify(
                lambda x: DAY.search(x),
                lambda x: DAY.sub(lambda m: f"{int(m.group(1)) % 27 + 1} {m.group(2)}", x, count=1),
                ["date"],
            )
        elif kind == "number":
            modify(
                lambda x: NUMBER.search(x) and not DAY.search(x),
                lambda x: NUMBER.sub(lambda m: str(int(m.group(1)) + 1), x, count=1),
                ["number"],
            )
        elif kind == "entity":

            def is_name(x: str) -> bool:
                return any(m.group(1).lower() not in SENTENCE_OPENERS for m in NAME.finditer(x))

            modify(is_name, lambda x: NAME.sub(lambda m: "Jansen", x, count=1), ["entity"])
        elif kind == "insert":
            spot = pick(lambda x: x[-1] in ".?!")
            if spot:
                sentence = rng.choice(donors)
                paras[spot[0]].insert(spot[1] + 1, sentence)
                labels.append({"kind": "inserted", "new": sentence})
        elif kind == "delete":
            spot = pick(lambda x: len(paras) > 3)
            if spot:
                removed = paras[spot[0]].pop(spot[1])
                labels.append({"kind": "deleted", "old": removed})
        elif kind == "move":
            candidates = [i for i, ss in enumerate(paras) if len(" ".join(ss)) > 150 and all(q != i for q, _ in used)]
            if candidates:
                i = rng.choice(candidates)
                block = paras.pop(i)
                j = rng.choice([k for k in range(len(paras) + 1) if abs(k - i) > 3] or [0])
                paras.insert(j, block)
                used.update((j, s) for s in range(len(block)))
                labels.append({"kind": "moved", "old": " ".join(block[:1])})
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    original = [split_sentences(p) for p in normalize_text(HELD_OUT.read_text(encoding="utf-8")).split("\n\n")]
    donors = [
        s
        for d in DONORS
        for p in normalize_text(d.read_text(encoding="utf-8")).split("\n\n")
        for s in split_sentences(p)
        if len(s.split()) >= 8 and s[-1] in ".?!" and not s[0].isdigit()
    ]
    score = Score()
    placed = 0
    for trial in range(args.trials):
        paras = [list(p) for p in original]
        labels = plant(rng, paras, donors)
        old = "\n\n".join(" ".join(p) for p in original)
        new = "\n\n".join(" ".join(p) for p in paras if p)
        diff = semantic_diff(old, new)
        score.add({"old": "open brief", "new": f"trial {trial}", "edits": labels}, diff)
        placed += not placement_problems(diff, in_place(diff))
    table = "\n".join(
        [
            f"Held-out: {args.trials} random versions of {HELD_OUT.name}, seed {args.seed}.",
            "",
            "| planted edits | found (kind and flags) | recall | precision | flag precision | flag recall |",
            "|---|---|---|---|---|---|",
            f"| {score.planted} | {score.found} | {score.recall:.3f} | {score.precision:.3f} | "
            f"{score.flag_precision:.3f} | {score.flag_recall:.3f} |",
            "",
            f"Shown in place (the report's diff pages): {placed} of {args.trials} versions with the new text whole, "
            "each paragraph once and every change placed once.",
        ]
    )
    publish(table, args.write, "diff quality, held out (bench/diff_heldout.py)")
    for line in (score.misses + score.false)[:40]:
        print("-", line[:300])


if __name__ == "__main__":
    main()
