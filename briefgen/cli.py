"""Command line: ``briefgen build``, ``briefgen templates init`` and the evaluation commands."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from briefgen.config import load_config, load_desk
from briefgen.doc import Analysis, Article
from briefgen.ingest import DEFAULT_MAX_BYTES, MAX_ARTICLES, printable, shown
from briefgen.mail import MailError
from briefgen.pipeline import NothingToBrief, Selection, build, source_date_problem
from briefgen.render import FORMATS, write
from briefgen.render.files import write_atomic
from briefgen.render.options import (
    APPENDIX,
    BUILTIN_TEMPLATES,
    PAPERS,
    RenderOptions,
    TemplateFailure,
)
from briefgen.sources import commands as sources
from briefgen.sources.archive import ArchiveError
from briefgen.timing import Timings
from briefgen.words import UNPRINTABLE

if TYPE_CHECKING:
    from briefgen.render.pdf import PdfCache


def _date(text: str) -> dt.date:
    from briefgen.pipeline import MAX_YEAR, MIN_YEAR

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}; expected YYYY-MM-DD") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise argparse.ArgumentTypeError(
            f"date {text!r} out of range; expected a year from {MIN_YEAR} to {MAX_YEAR}"
        )
    return day


def _name(text: str) -> str:
    """``--name`` is a file name in ``--out``, never a path out of it."""

    bad = (
        not text.strip()
        or text in {".", ".."}
        or text.startswith(".")
        or "/" in text
        or "\\" in text
        or UNPRINTABLE.search(text)
        or len(text.encode("utf-8", "surrogateescape")) > 200
    )
    if bad:
        raise argparse.ArgumentTypeError(
            f"invalid name {text!r}: a file name without folders, control characters or a "
            "leading dot, at most 200 bytes"
        )
    return text


def _week(text: str) -> str:
    from briefgen.pipeline import week_bounds

    try:
        week_bounds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.upper()


def _formats(text: str) -> list[str]:
    formats = [f.strip().lower() for f in text.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {bad[0] if bad else text!r}; choose from {','.join(FORMATS)}"
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


def parser(*, evaluations: bool = True) -> argparse.ArgumentParser:
    """The command line. Without ``evaluations`` the eval and bench commands take no arguments
    of their own: their modules (and pypdf, PIL, fontTools with them) are imported only to run
    them, not to parse every ``briefgen build``."""
    top = argparse.ArgumentParser(
        prog="briefgen", description="Turn a week of news articles into a briefing document."
    )
    sub = top.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the brief from files or folders")
    b.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="default: seeds/ (none with --archive)"
    )
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
    b.add_argument(
        "--max-articles",
        type=_positive,
        default=MAX_ARTICLES,
        metavar="N",
        help=f"read at most N articles in all; the rest are listed under Sources "
        f"(default {MAX_ARTICLES:,})",
    )
    b.add_argument("--summary-sentences", type=_positive, default=3, metavar="N")
    b.add_argument(
        "--templates", type=Path, metavar="DIR", help="templates that override the built-in ones"
    )
    b.add_argument(
        "--paper", choices=sorted(PAPERS), type=str.lower, help="PDF page size (default a4)"
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
        help="TOML file with a [render] table (default: the user config file; a briefgen.toml in "
        "the working folder is read only when named here)",
    )
    b.add_argument("--name", type=_name, metavar="NAME")
    b.add_argument(
        "--follow-links",
        action="store_true",
        help="read symbolic links in input folders that point outside them",
    )
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
    sources.add_build_arguments(b)  # --archive, --mail-to, --mail
    sources.add_fetch(sub)
    sources.add_search(sub)
    b.add_argument(
        "--watch",
        action="append",
        default=[],
        metavar="TERM",
        help="(repeatable) a person, organisation, place, topic or phrase the desk watches; "
        "what touches it ranks first (also [desk] watch in briefgen.toml)",
    )
    b.add_argument(
        "--pages",
        type=_positive,
        metavar="N",
        help="page budget of the brief before its appendix (default 10)",
    )
    b.add_argument(
        "--appendix",
        choices=APPENDIX,
        help="after the brief: every article's summary (full), one line per article (titles, "
        "the default) or nothing (none); brief.json keeps everything",
    )

    e = sub.add_parser("eval", help="measure quality on labelled data (../shared/eval)")
    esub = e.add_subparsers(dest="eval_command", required=True)
    for name, help_ in EVALUATIONS.items():
        ep = esub.add_parser(name, help=help_)
        if evaluations:
            _evaluation(name).add_arguments(ep)

    bp = sub.add_parser("bench", help="measure speed and memory")
    if evaluations:
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
    "brief": "whole briefs against an analyst's labels (actors, dates, risks, summaries)",
    "haystack": "a developing story of our own in a week of news: where the brief ranks it",
}


class Evaluation(Protocol):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...
    def run(self, args: argparse.Namespace) -> int: ...


def _evaluation(name: str) -> Evaluation:
    """The module behind ``briefgen eval NAME`` (or ``bench``), imported only when used."""
    return cast(Evaluation, importlib.import_module(f"briefgen.evaluate.{name}"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # Only the command's first word decides: any other first word is never eval or bench.
    args = parser(evaluations=not argv or argv[0] in {"eval", "bench"}).parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "fetch":
            return sources.fetch(args)
        if args.command == "search":
            return sources.search(args)
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
    print(f"briefgen: {printable(message)}", file=sys.stderr)
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
        watch = [*load_desk(args.config), *args.watch]
    except ValueError as exc:
        return _fail(str(exc), 2)
    if options.templates is not None and not options.templates.is_dir():
        return _fail(f"templates folder not found: {options.templates}", 2)
    if not args.inputs and args.archive is None:
        args.inputs = ["seeds"]
    try:
        mail = sources.mail_plan(args)
        extra = sources.archive_input(args) if args.archive is not None else None
    except ValueError as exc:  # ConfigError
        return _fail(str(exc), 2)
    except ArchiveError as exc:
        return _fail(str(exc))
    missing = [p for p in args.inputs if not os.path.lexists(p)]
    for p in missing:
        print(f"briefgen: input not found: {shown(p)}", file=sys.stderr)
    epoch_problem = source_date_problem()
    if epoch_problem and args.issued is None:
        print(f"briefgen: {epoch_problem}", file=sys.stderr)
    selection = Selection(
        week=args.week, start=args.start, end=args.end, all=args.all, as_of=args.as_of
    )
    previous = args.previous
    if previous is not None:
        from briefgen.week import changes

        if changes.load(previous) is None:
            print(f"briefgen: {previous}: not a brief.json; no changes section", file=sys.stderr)
            previous = None
    else:
        previous = args.out
    timings = Timings()
    gc.freeze()  # what start-up imported: alive until the process ends (see _unfreeze)
    stems = None
    if not args.no_cache:
        from briefgen.engine.cache import StemCache

        stems = StemCache()
        stems.load()
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
                max_articles=args.max_articles,
                follow_links=args.follow_links,
                analyse_all=_analyser(args, timings),
                extra=extra,
                watch=watch,
                previous=previous,
            )
        gc.freeze()  # the brief: alive until the build ends (see _unfreeze)
        if stems is not None:
            stems.save()
        with timings.stage("render + write"):
            written = write(
                brief,
                out=args.out,
                formats=args.formats,
                name=args.name,
                options=options,
                pdf_renderer=None if args.no_cache else _pdf_cache().render,
            )
    except NothingToBrief as exc:
        return _fail(str(exc))
    except TemplateFailure as exc:
        return _fail(str(exc))
    except RuntimeError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {shown(exc.filename or args.out)}: {exc.strerror or exc}")
    finally:
        _unfreeze()
    from briefgen.render.html import condense

    for record in brief.sources:
        if record.status != "included":
            reason = printable(condense(record))
            print(f"briefgen: {record.path}: {record.status}: {reason}", file=sys.stderr)
    for path in written:
        print(path)
    if args.timings:
        write_atomic(args.timings, json.dumps(timings.seconds, indent=2) + "\n")
    if mail is not None:
        try:
            sources.send_brief(mail, brief, written)
        except MailError as exc:
            return _fail(f"the brief was written but not sent: {exc}")
        print(f"briefgen: sent to {', '.join(mail.to)}", file=sys.stderr)
    return 0


def _unfreeze() -> None:
    """Undo the build's ``gc.freeze`` calls (at its start, after the analyses, after the week).

    A build holds millions of objects until it ends (the analyses, the week's findings, the
    brief); each full garbage collection walked all of them again, 7 times in a warm build of
    the 850 eval articles (half a second). Frozen when a stage ends, they are left out of
    collections, which then walk only what the next stage makes. Nothing is freed later for
    it: they are alive until the build ends, and reference counts free them all the same."""
    gc.unfreeze()


def _render_options(args: argparse.Namespace) -> RenderOptions:
    """Command-line flags over the config file over the defaults."""
    if args.config is not None and not args.config.is_file():
        raise ValueError(f"config file not found: {args.config}")
    settings = load_config(args.config)
    flags = {
        "templates": args.templates,
        "paper": args.paper,
        "author": args.author,
        "pdf_ua": args.pdf_ua,
        "pages": args.pages,
        "appendix": args.appendix,
    }
    settings.update({k: v for k, v in flags.items() if v is not None})
    return RenderOptions(
        templates=Path(settings["templates"]) if settings.get("templates") else None,
        paper=str(settings.get("paper", "a4")).lower(),
        author=str(settings.get("author", "")),
        lang=str(settings.get("lang", "en")),
        pdf_ua=bool(settings.get("pdf_ua", False)),
        jobs=getattr(args, "jobs", None),
        pages=int(settings.get("pages", 10)),
        appendix=str(settings.get("appendix", "titles")),
    )


def _pdf_cache() -> PdfCache:
    from briefgen.render.pdf import PdfCache

    return PdfCache()


def _analyser(
    args: argparse.Namespace, timings: Timings
) -> Callable[[list[Article]], tuple[list[Analysis], dict[str, str]]]:
    """The per-article stage for ``build``: cached, on ``--jobs`` worker processes, or on Dask
    (imported only then)."""
    from briefgen.engine.cache import AnalysisCache, pipeline_version

    cache = None
    if not args.no_cache:
        settings = {"summary_sentences": args.summary_sentences}
        cache = AnalysisCache(version=pipeline_version(model=args.model, settings=settings))
    run: Callable[..., tuple[list[Analysis], dict[str, str]]]
    if args.engine == "dask":
        from briefgen.engine import dask

        run = partial(dask.analyse_all, scheduler=args.scheduler)
    else:
        from briefgen.engine import local

        run = local.analyse_all
    chosen = partial(
        run,
        jobs=args.jobs,
        model=args.model,
        summary_sentences=args.summary_sentences,
        cache=cache,
        timings=timings,
    )

    def analysed(articles: list[Article]) -> tuple[list[Analysis], dict[str, str]]:
        found = chosen(articles)
        gc.freeze()  # the analyses, from either engine: alive until the build ends (_unfreeze)
        return found

    return analysed


def _templates_init(target: Path) -> int:
    target.mkdir(parents=True, exist_ok=True)
    copied = 0
    for src in sorted(BUILTIN_TEMPLATES.iterdir()):
        if src.is_file():
            dest = target / src.name
            if dest.exists():
                print(f"briefgen: kept existing {dest}", file=sys.stderr)
                continue
            shutil.copy2(src, dest)
            copied += 1
    print(f"copied {copied} template files into {target}")
    return 0
