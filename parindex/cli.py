"""Command line: `parindex run PATH... [--out DIR]`, `parindex flags OUT_DIR`,
`parindex report OUT_DIR [--html FILE]`, `parindex export OUT_DIR --xlsx FILE`,
`parindex catalog suggest OUT_DIR`. Mirrors the Python API (flows.ingest.ingest,
parindex.report.write_report, parindex.export.write_xlsx)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys

from parindex.api import EPHEMERAL_IDLE_SERVICES  # noqa: F401
from parindex.api import prefect_environment as _prefect_env
from parindex.labels import LANGUAGES
from parindex.schemas.columns import SEVERITIES
from parindex.schemas.errors import DatasetDamaged


def audit_settings(args: argparse.Namespace):
    """AuditSettings from --rule-off, --rule-severity and --child-tolerance."""
    from parindex.audit import RULES, AuditSettings

    settings = AuditSettings()
    if args.child_tolerance is not None:
        settings.per_child_tolerance = args.child_tolerance
    for rule in args.rule_off or []:
        if rule not in RULES:
            raise ValueError(f"unknown rule {rule!r} (one of {', '.join(RULES)})")
        settings.enabled[rule] = False
    for item in args.rule_severity or []:
        rule, _, level = item.partition("=")
        if rule not in RULES or level not in SEVERITIES:
            raise ValueError(f"--rule-severity wants RULE={'|'.join(SEVERITIES)}, got {item!r}")
        settings.severity[rule] = level
    return settings


def _unchanged(args: argparse.Namespace, settings, progress):
    """The summary, without starting Prefect, when the run would change nothing: every
    file already in the output folder with the same bytes, read and audited the same
    way. Only with Prefect's temporary server, whose start (10-20 s) would otherwise be
    most of such a run; with PREFECT_API_URL set every run is a recorded flow run."""
    if os.environ.get("PREFECT_API_URL") or args.no_cache or args.runner != "local":
        return None
    from parindex.discover import discover
    from parindex.writer.layout import DATABASE, dataset_files
    from parindex.writer.staging import ImportBatch
    from parindex.writer.summary import RunSummary

    if not os.path.exists(os.path.join(args.out, DATABASE)):
        return None
    sources = discover(list(args.paths))
    totals = ImportBatch.unchanged_summary(args.out, sources, settings)
    if totals is None:
        return None
    progress.unchanged(len(sources))
    return RunSummary.of(args.out, totals, dataset_files(args.out))


def cmd_run(args: argparse.Namespace) -> int:
    from parindex.api import check_paths
    from parindex.schemas.errors import ParindexError
    from parindex.writer.layout import check_output_folder

    try:  # a user's mistake is told in one line, before Prefect starts
        check_paths(list(args.paths))
        check_output_folder(args.out, list(args.paths))
    except (OSError, ParindexError) as exc:
        print(f"parindex: {exc}", file=sys.stderr)
        return 2
    _prefect_env(args.verbose)
    from parindex.extractors.isolation import Limits
    from parindex.progress import RunProgress

    try:
        settings = audit_settings(args)
    except ValueError as exc:
        print(f"parindex: {exc}", file=sys.stderr)
        return 2
    mode = "silent" if args.json else "quiet" if args.quiet else "normal"
    from parindex.display import EscapedProgress
    from parindex.stopping import StopOnInterrupt

    stop = StopOnInterrupt(args.out)
    try:
        with stop, EscapedProgress(RunProgress(mode)) as progress:
            summary = _unchanged(args, settings, progress)
            if summary is None:
                _check_prefect()
                from parindex.flows import early, temporary_server

                # Prefect's temporary server starts, and documents are read, while Prefect is imported
                temporary_server.start_early()
                limits = Limits(seconds=args.timeout, memory_mb=args.memory_mb)
                early.start(list(args.paths), args.out, limits, not args.no_cache, args.runner, args.workers)
                from parindex.flows.ingest import run_ingest  # imports Prefect: only when there is work

                try:
                    summary = run_ingest(
                        list(args.paths),
                        out=args.out,
                        runner=args.runner,
                        address=args.address,
                        workers=args.workers,
                        settings=settings,
                        progress=progress,
                        limits=limits,
                        use_cache=not args.no_cache,
                    )
                finally:  # reads and a server started for this command end with it, even if the flow never started
                    if early.EarlyReads.current() is not None:
                        early.EarlyReads.current().close()
                    temporary_server.stop_early()
    except BaseException as exc:  # noqa: BLE001 - told in one line below, or raised again
        if stop.interrupted:  # however the interrupt surfaced (DuckDB: "Query interrupted")
            stop.exit()
        message = _run_error(exc, args.out)
        if message is None:
            raise
        print(f"parindex: {message}", file=sys.stderr)
        return 2
    if stop.interrupted:  # caught on the way and the run finished: it is told all the same
        stop.exit()
    statuses = status_counts(summary.documents)
    published = None
    if args.publish:
        published = _publish(args.out, args.publish)
        if published is None:
            return 2
    if args.json:
        print(json.dumps({**summary.__dict__, "status_counts": statuses}, ensure_ascii=False, default=str, indent=1))
    elif not args.quiet:
        print(summary.line())
        if published is not None:
            print(published.line())
    return run_exit_code(statuses, args.strict)


def _check_prefect() -> None:
    """Raise ParindexError, in one line, if Prefect cannot start here."""
    from parindex.environment import prefect_problem
    from parindex.schemas.errors import ParindexError

    problem = prefect_problem()
    if problem:
        raise ParindexError(problem)


def _run_error(exc: BaseException, out: str) -> str | None:
    """The one line that tells a run's error the user can act on (a setting, the disk,
    permissions), or None for a bug, which keeps its traceback."""
    from parindex.schemas.errors import ParindexError

    if isinstance(exc, (FileNotFoundError, ParindexError)):
        return str(exc)
    reason = _storage_reason(exc)
    if reason is None:
        return None
    from parindex.writer.commit import committed_in_this_process

    held = (
        "this run's dataset was committed"
        if committed_in_this_process(out)
        else "the dataset in it is as it was before this run"
    )
    return f"cannot write to {out}: {reason}; {held}"


def _storage_reason(exc: BaseException) -> str | None:
    """Why writing failed (disk full, read-only, no permission), from an OSError or
    DuckDB's I/O error; None for anything else."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT):
        return f"{exc.strerror} ({exc.filename})" if exc.filename else exc.strerror
    text = str(exc)
    for words in ("No space left on device", "Read-only file system", "Permission denied", "Disk quota exceeded"):
        if words in text:
            return words
    return None


def _publish(out: str, url: str):
    """The dataset published to `url`; None (the error told in one line) when it cannot be."""
    from parindex.writer.publish import publish

    try:
        return publish(out, url)
    except Exception as exc:  # a wrong URL, a refused connection, a missing driver: one line, database unchanged
        print(
            f"parindex: publish to {_safe_url(url)} failed, the database is as it was: {type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}",
            file=sys.stderr,
        )
        return None


def _safe_url(url: str) -> str:
    try:
        import sqlalchemy as sa

        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the database"


def cmd_server(args: argparse.Namespace) -> int:
    """A local Prefect server that later runs use instead of a temporary one (flows/server.py)."""
    from parindex.flows import server

    if args.action == "start":
        try:
            url = server.start(args.idle_timeout)
        except (ValueError, RuntimeError) as exc:
            print(f"parindex: {exc}", file=sys.stderr)
            return 2
        print(
            f"Prefect server at {url.removesuffix('/api')}: runs use it and record their flow runs there; "
            f"it stops after {args.idle_timeout:g} minutes without a run, or with `parindex server stop`"
        )
        return 0
    if args.action == "stop":
        print("stopped" if server.stop() else "no parindex server was running")
        return 0
    state = server.status()
    print(
        f"running at {state['url'].removesuffix('/api')}, stops after {state['idle_minutes']:g} minutes without a run"
        if state
        else "not running"
    )
    return 0 if state else 1


def cmd_publish(args: argparse.Namespace) -> int:
    if not os.path.exists(os.path.join(args.out, "parindex.duckdb")):
        print(
            f"parindex: {args.out}: no dataset here (write one first: parindex run PATH... --out {args.out})",
            file=sys.stderr,
        )
        return 2
    published = _publish(args.out, args.to)
    if published is None:
        return 1
    print(published.line())
    return 0


def status_counts(documents: list[dict]) -> dict[str, int]:
    """Documents of this run by status: ok, partial, failed, duplicate, unchanged."""
    counts: dict[str, int] = {}
    for d in documents:
        counts[d.get("status") or "unknown"] = counts.get(d.get("status") or "unknown", 0) + 1
    return dict(sorted(counts.items()))


def run_exit_code(statuses: dict[str, int], strict: bool) -> int:
    """0 when the run did what it could; 1 when every document failed, or with --strict
    when any failed or was read only in part (for cron jobs and pipelines)."""
    failed, partial = statuses.get("failed", 0), statuses.get("partial", 0)
    if strict and (failed or partial):
        return 1
    return 1 if failed and failed == sum(statuses.values()) else 0


def cmd_flags(args: argparse.Namespace) -> int:
    from parindex.audit import RULES

    if args.rule and args.rule not in RULES:
        print(f"parindex: unknown rule {args.rule!r} (one of {', '.join(RULES)})", file=sys.stderr)
        return 2
    import pandas as pd

    from parindex.writer.read import read_table

    flags = read_table(args.out, "flags")
    if args.severity:
        flags = flags[flags["severity"] == args.severity]
    if args.rule:
        flags = flags[flags["rule"] == args.rule]
    cols = ["severity", "rule", "source", "page", "table", "row", "year", "codes", "expected", "found", "message"]
    with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 90):
        print(flags[cols].to_string(index=False) if len(flags) else "no flags")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from parindex.report import write_report

    try:
        path = write_report(args.out, args.html, lang=args.lang)
    except OSError as exc:
        return _cannot_write(exc, args.html or "the report")
    print(f"report -> {path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from parindex.export import write_xlsx

    with _quiet_when_collected():
        try:
            path = write_xlsx(args.out, args.xlsx, lang=args.lang)
        except OSError as exc:
            return _cannot_write(exc, args.xlsx)
    print(f"workbook -> {path}")
    return 0


@contextlib.contextmanager
def _quiet_when_collected():
    """A workbook that failed half-way leaves openpyxl's row writers open, and each one
    prints a traceback as it is collected; they are collected here, quietly."""
    import gc

    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = previous


def _cannot_write(exc: OSError, target: str) -> int:
    """A file that cannot be written (a folder there, no permission, a full or read-only
    disk), told in one line; the dataset is only read. A missing dataset goes on to
    `main`, which names the missing file."""
    if isinstance(exc, FileNotFoundError) and not exc.filename2:
        raise exc
    print(f"parindex: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
    return 2


def cmd_catalog_suggest(args: argparse.Namespace) -> int:
    """Unmatched and low-confidence printed names, as CSV rows an expert can paste into
    normalizer/catalog/criteria.csv after filling in the <...> fields."""
    import csv

    import pandas as pd

    from parindex.writer.read import read_table

    obs = read_table(args.out, "observations")
    todo = obs[obs["match_decision"].fillna("no_match") != "accepted"]
    todo = todo.drop_duplicates(["framework", "code", "printed_name"])
    if not len(todo):
        print("every printed name matched the catalog")
        return 0

    def val(v) -> str:
        return "" if v is None or pd.isna(v) else str(v)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(
        [
            "source",
            "page",
            "table",
            "row",
            "framework",
            "code",
            "printed_name",
            "decision",
            "match_score",
            "best_criterion_id",
            "best_name",
            "proposed_row",
        ]
    )
    for _, r in todo.iterrows():
        proposed = [
            val(r["framework"]),
            "<version>",
            val(r["unit_level"]),
            val(r["province"]),
            val(r["year"]),
            val(r["year"]),
            "<criterion_id>",
            val(r["code"]),
            "<parent_code>",
            val(r["printed_name"]),
            "",
            val(r["max_score"]),
            "",
        ]
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(proposed)
        out.writerow(
            [
                val(r[c])
                for c in (
                    "source",
                    "page",
                    "table",
                    "row",
                    "framework",
                    "code",
                    "printed_name",
                    "match_decision",
                    "match_score",
                    "criterion_id",
                    "criterion_name",
                )
            ]
            + [buf.getvalue()]
        )
    return 0


def _number(kind, low: float, low_included: bool):
    """An argparse type: a finite number of `kind` above `low` (or at it, if included)."""
    import math

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {'whole ' if kind is int else ''}number: {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
        if value < low or (value == low and not low_included):
            raise argparse.ArgumentTypeError(
                f"must be {'at least' if low_included else 'more than'} {low:g}, got {text!r}"
            )
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    from parindex import __version__
    from parindex.audit import RULES

    ap = argparse.ArgumentParser(
        prog="parindex", description="PAR INDEX reports in, an audited longitudinal dataset out."
    )
    ap.add_argument("--version", action="version", version=f"parindex {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest report files/folders into an output folder")
    run.add_argument("paths", nargs="+", help="files or folders (searched recursively)")
    run.add_argument("--out", default="out", help="output folder (default ./out)")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")
    run.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    run.add_argument(
        "--publish",
        metavar="URL",
        help="after the run, publish the dataset to this database (SQLAlchemy URL, e.g. postgresql://…)",
    )
    run.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when any document failed or was read only in part (default: only when all failed)",
    )
    run.add_argument(
        "--rule-off",
        action="append",
        metavar="RULE",
        help=f"do not run this audit rule (repeatable), one of {', '.join(RULES)}",
    )
    run.add_argument(
        "--rule-severity",
        action="append",
        metavar="RULE=LEVEL",
        help=f"report RULE as {', '.join(SEVERITIES)} (repeatable)",
    )
    run.add_argument(
        "--runner",
        choices=["local", "dask", "ray"],
        default="local",
        help="where tasks run: local threads (default), a Dask or a Ray cluster",
    )
    run.add_argument(
        "--address",
        metavar="URL",
        help="scheduler address for --runner dask/ray, e.g. tcp://host:8786 (without it a local cluster is started)",
    )
    run.add_argument(
        "--workers",
        type=_number(int, 1, True),
        metavar="N",
        help="documents read in parallel (default: one per core, at most 4); twice as many are in memory at a time",
    )
    run.add_argument("--no-cache", action="store_true", help="read every document again, even if unchanged")
    run.add_argument(
        "--timeout",
        type=_number(float, 0, False),
        default=300.0,
        metavar="SECONDS",
        help="stop reading a document after this long and record it as failed (default 300)",
    )
    run.add_argument(
        "--memory-mb",
        type=_number(int, 64, True),
        default=2048,
        metavar="MB",
        help="memory one document may use while it is read (default 2048)",
    )
    run.add_argument(
        "--child-tolerance",
        type=_number(float, 0, True),
        metavar="POINTS",
        help="rounding allowed per child in sum_mismatch/total_mismatch (default 0.011)",
    )
    run.set_defaults(func=cmd_run)
    fl = sub.add_parser("flags", help="list the inconsistencies found, with page/table/row")
    fl.add_argument("out")
    fl.add_argument("--severity", choices=SEVERITIES)
    fl.add_argument("--rule", help=f"only this rule's flags, one of {', '.join(RULES)}")
    fl.set_defaults(func=cmd_flags)
    rep = sub.add_parser("report", help="write a self-contained HTML report of an output folder")
    rep.add_argument("out", help="output folder of `parindex run`")
    rep.add_argument("--html", metavar="FILE", help="where to write it (default OUT/report.html)")
    rep.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="labels and numbers in Vietnamese (decimal comma) or English (default: the documents' language)",
    )
    rep.set_defaults(func=cmd_report)
    exp = sub.add_parser("export", help="write the dataset as an Excel workbook, flagged rows highlighted")
    exp.add_argument("out", help="output folder of `parindex run`")
    exp.add_argument("--xlsx", metavar="FILE", required=True, help="the .xlsx file to write")
    exp.add_argument("--lang", choices=LANGUAGES, help="language of the README sheet (default: the documents')")
    exp.set_defaults(func=cmd_export)
    pub = sub.add_parser("publish", help="bring a SQL database (PostgreSQL, SQLite, …) in step with an output folder")
    pub.add_argument("out", help="output folder of `parindex run`")
    pub.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="SQLAlchemy URL: postgresql://user:password@host/db, sqlite:///file.db",
    )
    pub.set_defaults(func=cmd_publish)
    srv = sub.add_parser(
        "server",
        help="start, stop or show a local Prefect server that later runs use (no temporary server started per run)",
    )
    srv.add_argument("action", choices=("start", "stop", "status"))
    srv.add_argument(
        "--idle-timeout",
        type=float,
        default=30.0,
        metavar="MINUTES",
        help="stop the server after this many minutes without a run (default 30)",
    )
    srv.set_defaults(func=cmd_server)
    cat = sub.add_parser("catalog", help="catalog tools")
    catsub = cat.add_subparsers(dest="catalog_command", required=True)
    sug = catsub.add_parser("suggest", help="unmatched and low-confidence names with proposed catalog rows")
    sug.add_argument("out")
    sug.set_defaults(func=cmd_catalog_suggest)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FileNotFoundError as exc:  # an output folder without a dataset: name the missing file
        print(f"parindex: {exc}", file=sys.stderr)
        return 2
    except DatasetDamaged as exc:  # report, export, publish of a damaged folder: how to repair it
        print(f"parindex: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `parindex flags out | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
