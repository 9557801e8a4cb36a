"""Times the vocabulary and record matchers of documents/authorities on generated data.

    .venv/bin/python benchmarks/authorities.py terms [--entries 5000] [--values 10000]

Builds a `TermMatcher` of `--entries` entries of one to four words and decides `--values`
distinct values: a third new, a third near an entry (a letter changed, a plural, a word
dropped), a third folded variants (case, punctuation). Prints the seconds taken. Not part of
`make bench`; the figures are quoted in the matcher's docstring.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SYLLABLES = "ta bri za ra sht qa zvin ma shad ku rdi stan ba ku ir an so vi et oil ko lo".split()


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def name(rng):
    words = [word(rng) for _ in range(rng.randint(1, 4))]
    if len(words) > 2 and rng.random() < 0.3:
        words.insert(-1, "of")
    return " ".join(words)


def variant(text, rng):
    kind = rng.randrange(3)
    if kind == 0:
        return text.upper().replace(" ", "-")
    words = text.split()
    if kind == 1:
        i = rng.randrange(len(words))
        w = words[i]
        j = rng.randrange(1, len(w))
        words[i] = w[:j] + rng.choice("aeioukqs") + w[j + 1 :]
        return " ".join(words)
    return text + "s"


def terms(entries, values):
    from documents.authorities.terms import Entry, TermMatcher

    rng = random.Random(12)
    names = list(dict.fromkeys(name(rng) for _ in range(entries * 2)))[:entries]
    start = time.perf_counter()
    matcher = TermMatcher("subject", [Entry(i, n) for i, n in enumerate(names)])
    built = time.perf_counter() - start
    written = set()
    while len(written) < values:
        third = len(written) % 3
        written.add(name(rng) if third == 0 else variant(rng.choice(names), rng))
    start = time.perf_counter()
    kinds = {}
    for value in written:
        decision = matcher.decide(value)
        kinds[decision.kind] = kinds.get(decision.kind, 0) + 1
    decided = time.perf_counter() - start
    print(
        f"{entries} entries built in {built:.2f} s; {values} distinct values decided in "
        f"{decided:.2f} s ({decided / values * 1e6:.0f} µs each): {kinds}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["terms"])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--values", type=int, default=10000)
    options = parser.parse_args()
    terms(options.entries, options.values)


if __name__ == "__main__":
    main()
