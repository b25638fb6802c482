"""`briefgen eval risk`: not written yet."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=Path("../shared/eval/risk"))


def run(args: argparse.Namespace) -> int:
    raise SystemExit("briefgen: eval risk is not implemented yet")
