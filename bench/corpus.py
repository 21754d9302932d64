"""Generate a deterministic, realistic corpus of N records for benchmarks.

Each record is one of the real records in records/ (varied drugs, populations, units, prose of the
seed page's length) under a new drug slug and brand name, with review dates spread over the calendar.
A share of them (default 10%) carries one of the defects medlint exists to catch.

    python bench/corpus.py 10000 /tmp/corpus     # writes /tmp/corpus/records/...
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# text substitutions that plant one realistic defect each (applied to the record's text)
DEFECTS: tuple[tuple[str, str], ...] = (
    (r"unit: mg\b", "unit: mgs"),
    (r"unit: mcg\b", "unit: µg"),
    (r"label: Pediatric dose", "label: Common adult dosing range"),
    (r"(\d) × 10\^", r"\1 ร 10^"),
    (r"\. ", ". TODO check this. "),
    (r"last_reviewed: 20\d\d-", "last_reviewed: 2023-"),
    (r"route: (\w+)", "route: IV"),
    (r"(\d+) (mg|mcg|units)\b", r"\1\2"),
    (r"summary: ", "sumary: "),
    (r" — ", " โ "),
)


def templates() -> list[tuple[str, str, str]]:
    """(drug slug, indication slug, text) for every real record."""
    out = []
    for path in sorted((ROOT / "records").glob("*/*.yaml")):
        out.append((path.parent.name, path.stem, path.read_text(encoding="utf-8")))
    return out


def _brand(text: str) -> str:
    match = re.search(r"^  brand_name: (.+)$", text, re.M)
    return match.group(1).strip() if match else ""


def make(index: int, rng: random.Random, base: list[tuple[str, str, str]], defect_share: float) -> tuple[str, str]:
    drug, indication, text = base[index % len(base)]
    slug = f"{drug}-{index:06d}"
    brand = _brand(text)
    new_brand = f"{brand}{chr(97 + index % 26)}{index % 997}"
    text = text.replace(f"id: {drug}/{indication}", f"id: {slug}/{indication}")
    if brand:
        text = re.sub(rf"\b{re.escape(brand)}\b", new_brand, text)
    last = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 300))
    due = last + dt.timedelta(days=rng.choice((365, 540, 730, 1000)))
    text = re.sub(r"last_reviewed: \S+", f"last_reviewed: {last.isoformat()}", text)
    text = re.sub(r"next_review_due: \S+", f"next_review_due: {due.isoformat()}", text)
    text = re.sub(r"accessed: \S+", f"accessed: {(last - dt.timedelta(days=3)).isoformat()}", text)
    if rng.random() < defect_share:
        pattern, replacement = rng.choice(DEFECTS)
        text = re.sub(pattern, replacement, text, count=1)
    return f"records/{slug}/{indication}.yaml", text


def generate(count: int, target: Path, seed: int = 1, defect_share: float = 0.1) -> list[Path]:
    rng = random.Random(seed)
    base = templates()
    written = []
    for index in range(count):
        relative, text = make(index, rng, base, defect_share)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.1, help="share of records with a defect")
    args = parser.parse_args()
    generate(args.count, args.target, args.seed, args.defects)


if __name__ == "__main__":
    main()
