"""Score the extractor on the dev gold, fold by fold: the figures every extraction change reports.

    .venv/bin/python benchmarks/extraction.py                 # both folds, all articles, PLOVER dev
    .venv/bin/python benchmarks/extraction.py --types         # with the per-type table of each set
    .venv/bin/python benchmarks/extraction.py --breakdown     # where the missed dyads were lost

The dev articles (``../shared/data/articles-dev.jsonl``) are split in two folds by their
position in that file: fold A holds the articles at even positions (0, 2, 4, ...), fold B
those at odd positions. A change is made looking at the misses of one fold and kept only if
it does not lower the other fold, PLOVER dev or the unit tests. The builds run the ``kg``
command next to this interpreter, the scores come from ``../shared/eval/score.py``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
KG = Path(sys.executable).with_name("kg")


def _fold_of(position: int) -> str:
    return "A" if position % 2 == 0 else "B"


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _score(gold: Path, graph: Path, *extra: str, show_types: bool) -> str:
    out = _run(sys.executable, str(SHARED / "eval" / "score.py"), "score", str(gold), str(graph), *extra)
    lines = out.strip().splitlines()
    if show_types:
        return "\n".join(lines[-19:-1])
    return lines[-2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (data/, eval/)")
    parser.add_argument("--types", action="store_true", help="print the per-type table of each set")
    parser.add_argument("--breakdown", action="store_true", help="print where missed dyads were lost")
    args = parser.parse_args()
    data, score_py = args.shared / "data", args.shared / "eval" / "score.py"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        articles = (data / "articles-dev.jsonl").read_text(encoding="utf-8").splitlines()
        folds: dict[str, list[str]] = {"A": [], "B": []}
        for position, line in enumerate(articles):
            folds[_fold_of(position)].append(line)
        for name, lines in folds.items():
            (tmp_dir / f"fold-{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        sets = [
            ("articles fold A", tmp_dir / "fold-A.jsonl", data / "articles-dev.jsonl", ()),
            ("articles fold B", tmp_dir / "fold-B.jsonl", data / "articles-dev.jsonl", ()),
            ("articles all", data / "articles-dev.jsonl", data / "articles-dev.jsonl", ()),
            ("PLOVER dev", data / "plover-gsr-dev.jsonl", data / "plover-gsr-dev.jsonl", ("--match", "country")),
        ]
        graphs: dict[Path, Path] = {}
        for _, _, source, _ in sets:
            if source in graphs:
                continue
            docs, graph = tmp_dir / f"{source.stem}.docs.jsonl", tmp_dir / f"{source.stem}.ttl"
            docs.write_text(_run(sys.executable, str(score_py), "input", str(source)), encoding="utf-8")
            _run(str(KG), "build", str(docs), "-o", str(graph), "--no-validate")
            graphs[source] = graph
        print(f"{'set':<18} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
        for label, gold, source, extra in sets:
            line = _score(gold, graphs[source], *extra, show_types=False).split()
            print(f"{label:<18} {line[1]:>6} {line[2]:>6} {line[3]:>6} {line[4]:>5}")
            if args.types:
                print(_score(gold, graphs[source], *extra, show_types=True))
            if args.breakdown:
                out = _run(sys.executable, str(args.shared / "eval" / "breakdown.py"), str(gold), str(graphs[source]),
                           *extra)
                print("   " + " ".join(out.split()[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
