"""`briefgen eval ner`: not written yet."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/ner"))


def run(args: argparse.Namespace) -> int:
    raise SystemExit("briefgen: eval ner is not implemented yet")
