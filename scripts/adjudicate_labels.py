"""Compare two blind readings of the test texts (tests/eval/blind/reader1_*.csv and reader2_*.csv) on
(metric family, main figure, range top), the key the evaluation scores (issue #20).

usage: python scripts/adjudicate_labels.py [--write tests/eval/blind/agreement.md]

Prints, per file, the statements both readers found and those only one found, with each reader's row. The
adjudicated labels (tests/eval/test_labels.csv) are written by hand from this list and the texts, never from
the extractor's output. The script itself decides nothing.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

from crisisboard.ingest.evaluate import family_key, read_labels, split_of

BLIND = Path(__file__).resolve().parent.parent / "tests" / "eval" / "blind"


def readings(reader: int) -> dict[str, dict[tuple, list[dict]]]:
    """file -> key -> the reader's rows with that key."""
    out: dict[str, dict[tuple, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(BLIND.glob(f"reader{reader}_part*.csv")):
        for row in read_labels(path).to_dict("records"):
            out[row["file"]][family_key(row["metric"], row["low"], row["high"])].append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    first, second = readings(1), readings(2)
    lines, agreed, only = [], 0, [0, 0]
    for file in sorted(set(first) | set(second)):
        assert split_of(file) == "test", f"{file} is not in the test set"
        a, b = first.get(file, {}), second.get(file, {})
        lines.append(f"\n## {file}")
        for key in sorted(set(a) | set(b), key=str):
            if key in a and key in b:
                agreed += 1
                lines.append(f"- both   {key}: {a[key][0]['fragment']!r}")
            else:
                who = 1 if key in a else 2
                only[who - 1] += 1
                row = (a if who == 1 else b)[key][0]
                lines.append(f"- only {who} {key}: {row['fragment']!r} ({row['metric']}, {row['qualifier']}; "
                             f"{row['note']})")
    total = agreed + sum(only)
    summary = (f"statements: {total}; both readers: {agreed} ({agreed / total:.0%}); only reader 1: {only[0]}; "
               f"only reader 2: {only[1]}")
    text = summary + "\n" + "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
