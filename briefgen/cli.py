"""Command line: ``briefgen build``, ``briefgen templates init`` and the evaluation commands."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from . import render
from .brief import NothingToBrief, Selection, build
from .doc import Analysis, Article, Brief
from .ingest import DEFAULT_MAX_BYTES
from .timing import Timings

if TYPE_CHECKING:
    from .cache import PdfCache


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}; expected YYYY-MM-DD") from None


def _week(text: str) -> str:
    from .brief import week_bounds

    try:
        week_bounds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.upper()


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in render.FORMATS]
    if bad or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {bad[0] if bad else text!r}; choose from {','.join(render.FORMATS)}"
        )
    return formats


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return n


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="briefgen", description="Turn a week of news articles into a briefing document."
    )
    sub = top.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the brief from files or folders")
    b.add_argument("inputs", nargs="*", default=["seeds"], metavar="INPUT")
    b.add_argument("--out", type=Path, default=Path("output"))
    b.add_argument("--format", type=_formats, default=["html", "pdf", "json"], dest="formats")
    period = b.add_mutually_exclusive_group()
    period.add_argument("--week", type=_week, help="ISO week, e.g. 2025-W38")
    period.add_argument("--all", action="store_true", help="every article, dated or not")
    b.add_argument("--from", type=_date, dest="start", metavar="DATE")
    b.add_argument("--to", type=_date, dest="end", metavar="DATE")
    b.add_argument("--as-of", type=_date, dest="as_of", metavar="DATE")
    b.add_argument(
        "--default-date",
        type=_date,
        metavar="DATE",
        help="publication date assumed for articles that give none",
    )
    b.add_argument(
        "--issued",
        type=_date,
        metavar="DATE",
        help="issue date printed on the brief (default: SOURCE_DATE_EPOCH, else today)",
    )
    b.add_argument(
        "--max-bytes",
        type=_positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"read at most N bytes of each input file (default {DEFAULT_MAX_BYTES})",
    )
    b.add_argument("--summary-sentences", type=_positive, default=3, metavar="N")
    b.add_argument(
        "--templates", type=Path, metavar="DIR", help="templates that override the built-in ones"
    )
    b.add_argument(
        "--paper", choices=sorted(render.PAPERS), type=str.lower, help="PDF page size (default a4)"
    )
    b.add_argument("--author", metavar="NAME", help="author named in the HTML and PDF metadata")
    b.add_argument(
        "--pdf-ua",
        action="store_true",
        default=None,
        help="tagged, accessible PDF (PDF/UA-1)",
    )
    b.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML file with a [render] table (default: ./briefgen.toml, then the user config)",
    )
    b.add_argument("--name", metavar="NAME")
    b.add_argument(
        "--model", metavar="NAME", help="spaCy model package (default: the pinned small model)"
    )
    b.add_argument(
        "--jobs",
        type=_positive,
        metavar="N",
        help="worker processes, for the analysis and a long PDF (default: all cores)",
    )
    b.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="where the per-article analysis runs: a process pool here (default) or Dask",
    )
    b.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler for --engine dask, e.g. tcp://HOST:8786 (default: "
        "BRIEFGEN_DASK_SCHEDULER, else a LocalCluster on this machine's cores)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the cache (per-article analyses, rendered PDFs)",
    )
    b.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="brief.json to compare with (default: the latest earlier brief in --out)",
    )
    b.add_argument("--timings", type=Path, metavar="FILE", help="write stage timings (JSON)")

    e = sub.add_parser("eval", help="measure quality on labelled data (../shared/eval)")
    esub = e.add_subparsers(dest="eval_command", required=True)
    for name, help_ in EVALUATIONS.items():
        ep = esub.add_parser(name, help=help_)
        _evaluation(name).add_arguments(ep)

    bp = sub.add_parser("bench", help="measure speed and memory")
    _evaluation("bench").add_arguments(bp)

    t = sub.add_parser("templates", help="work with templates")
    tsub = t.add_subparsers(dest="templates_command", required=True)
    ti = tsub.add_parser("init", help="copy the built-in templates into DIR for editing")
    ti.add_argument("dir", type=Path, metavar="DIR")
    return top


EVALUATIONS = {
    "summaries": "ROUGE of briefgen's summaries against Lead-3, LexRank and TextRank",
    "timex": "temporal tagging against TempEval-3 and TimeBank/AQUAINT",
    "ner": "entity mentions against Universal NER and CoNLL-2003",
    "risk": "risk sentences against the Szeged uncertainty labels",
}


class Evaluation(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


def _evaluation(name: str) -> Evaluation:
    """The module behind ``briefgen eval NAME`` (or ``bench``), imported only when used."""
    module = "bench" if name == "bench" else f"eval_{name}"
    return cast(Evaluation, importlib.import_module(f".{module}", __package__))


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "templates":
            return _templates_init(args.dir)
        if args.command == "eval":
            return _evaluation(args.eval_command).run(args)
        if args.command == "bench":
            return _evaluation("bench").run(args)
    except KeyboardInterrupt:
        print("briefgen: interrupted", file=sys.stderr)
        return 130
    return 2


def _fail(message: str, code: int = 1) -> int:
    print(f"briefgen: {' '.join(message.split())}", file=sys.stderr)
    return code


def _build(args: argparse.Namespace) -> int:
    if (args.start or args.end) and (args.week or args.all):
        return _fail("--from/--to cannot be combined with --week or --all", 2)
    if args.start and args.end and args.start > args.end:
        return _fail("--from is after --to", 2)
    if args.scheduler and args.engine != "dask":
        return _fail("--scheduler needs --engine dask", 2)
    try:
        options = _render_options(args)
    except ValueError as exc:
        return _fail(str(exc), 2)
    if options.templates is not None and not options.templates.is_dir():
        return _fail(f"templates folder not found: {options.templates}", 2)
    missing = [p for p in args.inputs if not Path(p).exists()]
    for p in missing:
        print(f"briefgen: input not found: {p}", file=sys.stderr)
    selection = Selection(
        week=args.week, start=args.start, end=args.end, all=args.all, as_of=args.as_of
    )
    timings = Timings()
    try:
        with timings.stage("build (total)"):
            brief = build(
                [p for p in args.inputs if p not in missing],
                selection=selection,
                summary_sentences=args.summary_sentences,
                model=args.model,
                default_date=args.default_date,
                issued=args.issued,
                max_bytes=args.max_bytes,
                analyse_all=_analyser(args, timings),
            )
        with timings.stage("changes since the last brief"):
            _attach_changes(brief, args)
        with timings.stage("render + write"):
            written = render.write(
                brief,
                out=args.out,
                formats=args.formats,
                name=args.name,
                options=options,
                pdf_renderer=None if args.no_cache else _pdf_cache().render,
            )
    except NothingToBrief as exc:
        return _fail(str(exc))
    except render.TemplateFailure as exc:
        return _fail(str(exc))
    except RuntimeError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or args.out}: {exc.strerror or exc}")
    for record in brief.sources:
        if record.status != "included":
            reason = " ".join(str(record.reason).split())
            print(f"briefgen: {record.path}: {record.status}: {reason}", file=sys.stderr)
    for path in written:
        print(path)
    if args.timings:
        render.write_atomic(args.timings, json.dumps(timings.seconds, indent=2) + "\n")
    return 0


def _render_options(args: argparse.Namespace) -> render.RenderOptions:
    """Command-line flags over the config file over the defaults."""
    if args.config is not None and not args.config.is_file():
        raise ValueError(f"config file not found: {args.config}")
    settings = render.load_config(args.config)
    flags = {
        "templates": args.templates,
        "paper": args.paper,
        "author": args.author,
        "pdf_ua": args.pdf_ua,
    }
    settings.update({k: v for k, v in flags.items() if v is not None})
    return render.RenderOptions(
        templates=Path(settings["templates"]) if settings.get("templates") else None,
        paper=str(settings.get("paper", "a4")).lower(),
        author=str(settings.get("author", "")),
        lang=str(settings.get("lang", "en")),
        pdf_ua=bool(settings.get("pdf_ua", False)),
        jobs=getattr(args, "jobs", None),
    )


def _pdf_cache() -> PdfCache:
    from .cache import PdfCache

    return PdfCache()


def _attach_changes(brief: Brief, args: argparse.Namespace) -> None:
    """Compare with the previous brief.json, when there is one, into ``brief.extra``."""
    from . import changes

    current = render.to_data(brief)
    previous = args.previous or changes.find_previous(
        args.out, current=current, skip=args.out / f"{args.name or brief.name}.json"
    )
    if previous is None:
        return
    data = changes.load(previous)
    if data is None:
        print(f"briefgen: {previous}: not a brief.json; no changes section", file=sys.stderr)
        return
    brief.extra["changes"] = changes.compare(data, current)


def _analyser(
    args: argparse.Namespace, timings: Timings
) -> Callable[[list[Article]], tuple[list[Analysis], dict[str, str]]]:
    """The per-article stage for ``build``: cached, on ``--jobs`` worker processes, or on Dask
    (imported only then)."""
    from .cache import AnalysisCache, pipeline_version

    cache = None
    if not args.no_cache:
        settings = {"summary_sentences": args.summary_sentences}
        cache = AnalysisCache(version=pipeline_version(model=args.model, settings=settings))
    if args.engine == "dask":
        from .engine import dask as engine

        return partial(
            engine.analyse_all,
            scheduler=args.scheduler,
            jobs=args.jobs,
            model=args.model,
            summary_sentences=args.summary_sentences,
            cache=cache,
            timings=timings,
        )
    from .parallel import analyse_all

    return partial(
        analyse_all,
        jobs=args.jobs,
        model=args.model,
        summary_sentences=args.summary_sentences,
        cache=cache,
        timings=timings,
    )


def _templates_init(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for src in sorted(render.BUILTIN_TEMPLATES.iterdir()):
        if src.is_file():
            dest = target / src.name
            if dest.exists():
                print(f"briefgen: kept existing {dest}", file=sys.stderr)
                continue
            shutil.copy2(src, dest)
            copied += 1
    print(f"copied {copied} template files into {target}")
    return 0
