"""The ``kg`` command line: thin wrappers over one library function per sub-command.

Exit codes: 0 success, 1 a run finished with failures, 2 invalid input (nothing was run).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_validate(args: argparse.Namespace) -> int:
    from kunnskapsgrunnlag.params import validate_cli

    return validate_cli(args.files, args.parameters)


def _cmd_run(args: argparse.Namespace) -> int:
    from kunnskapsgrunnlag.publish.run import run_cli

    return run_cli(
        counties=args.county or None,
        jobs=args.jobs,
        force=args.force,
        live=args.live,
        parameters=args.parameters,
        outputs=args.outputs,
        pdf=args.pdf,
    )


def _cmd_fetch(args: argparse.Namespace) -> int:
    from kunnskapsgrunnlag.data.fetch import fetch_cli

    return fetch_cli(sources=args.source or None, dry_run=args.dry_run, base_url=args.base_url)


def _cmd_import_nav(args: argparse.Namespace) -> int:
    from kunnskapsgrunnlag.data.nav_import import import_nav_cli

    return import_nav_cli(args.file)


def _cmd_new_chapter(args: argparse.Namespace) -> int:
    from kunnskapsgrunnlag.params_county import new_chapter_cli

    return new_chapter_cli(args.county, args.name, args.title, args.title_nn)


def _cmd_bench(args: argparse.Namespace) -> int:
    from kunnskapsgrunnlag.bench import bench_cli

    return bench_cli(
        quick=args.quick,
        counties=args.counties,
        runs=args.runs,
        jobs=args.jobs,
        chapter=args.chapter,
        naive_counties=args.naive_counties,
    )


def _parameters_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--parameters",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of parameter files (default: parameters/)",
    )


def _add_data_commands(sub: argparse._SubParsersAction) -> None:
    """``kg fetch``, ``kg import-nav`` and ``kg new-chapter``."""
    p = sub.add_parser("fetch", help="refresh the bundled snapshot from SSB's live API")
    p.add_argument(
        "--source", action="append", metavar="ID", help="snapshot source id (repeatable)"
    )
    p.add_argument("--dry-run", action="store_true", help="show the queries, fetch nothing")
    p.add_argument("--base-url", default=None, help="API base URL (default: SSB's PxWebApi)")
    p.set_defaults(func=_cmd_fetch)

    p = sub.add_parser(
        "import-nav",
        help="merge a new NAV unemployment workbook (.xlsx, sheets Landet and Fylker) into the snapshot",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="NAV's monthly workbook")
    p.set_defaults(func=_cmd_import_nav)

    p = sub.add_parser(
        "new-chapter", help="make a county's own chapter notebook from the chapter template"
    )
    p.add_argument("--county", required=True, metavar="CODE", help="county code, e.g. 40")
    p.add_argument("name", help="file name of the notebook, e.g. havbruk (a-z, 0-9, _)")
    p.add_argument("--title", required=True, help="the chapter title in bokmål")
    p.add_argument("--title-nn", default=None, help="the title in nynorsk (default: --title)")
    p.set_defaults(func=_cmd_new_chapter)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for ``kg``."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Regionalt kunnskapsgrunnlag: validate parameters, fetch SSB data, build reports.",
    )
    from kunnskapsgrunnlag import __version__

    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "validate", help="validate county parameter files (default: all of parameters/)"
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    _parameters_option(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "run", help="build the county reports (validate, execute chapters, publish HTML)"
    )
    p.add_argument(
        "--county", action="append", metavar="CODE", help="county code, e.g. 46 (repeatable)"
    )
    p.add_argument(
        "--jobs", type=int, default=None, metavar="N", help="parallel workers (default: cores)"
    )
    p.add_argument("--force", action="store_true", help="re-run counties even when nothing changed")
    p.add_argument(
        "--live", action="store_true", help="fetch from SSB's API instead of the snapshot"
    )
    _parameters_option(p)
    p.add_argument(
        "--outputs", type=Path, default=None, metavar="DIR", help="write here (default: outputs/)"
    )
    p.add_argument(
        "--pdf", action="store_true", help="also print each report to a PDF (headless Chromium)"
    )
    p.set_defaults(func=_cmd_run)

    _add_data_commands(sub)

    p = sub.add_parser("bench", help="measure batch speed, memory and SSB request counts")
    p.add_argument(
        "--quick",
        action="store_true",
        help="2 counties, 1 round, naive loop for 1 county, no live batch (a smoke test)",
    )
    p.add_argument("--counties", type=int, metavar="N", help="the first N counties (default: all)")
    p.add_argument("--runs", type=int, metavar="N", help="interleaved rounds (default: 3)")
    p.add_argument("--jobs", type=int, metavar="N", help="kg run --jobs and floor processes")
    p.add_argument(
        "--naive-counties", type=int, metavar="N", help="counties the naive loop runs (default 2)"
    )
    p.add_argument(
        "--chapter", metavar="ID", help="the chapter to change (default: the median-cost one)"
    )
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("kg: avbrutt", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
