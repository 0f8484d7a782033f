"""What each command does, between the argument parser and the pipeline stages."""

from __future__ import annotations

import argparse

from . import config as config_module
from .console import Console
from .textio import InputError


def _load_config(args: argparse.Namespace, console: Console) -> config_module.Config | None:
    try:
        return config_module.load_config(args.content / "site.yaml")
    except config_module.ConfigError as error:
        for problem in error.problems:
            console.error(problem)
        console.summary(f"Failed: {len(error.problems)} problem{'s' if len(error.problems) != 1 else ''} in {args.content / 'site.yaml'}")
        return None


def _strict_status(args: argparse.Namespace, console: Console, status: int) -> int:
    if status == 0 and args.strict and console.warnings:
        console.error(f"--strict: {console.warnings} warning{'s' if console.warnings != 1 else ''}")
        return 1
    return status


def run_ingest(args: argparse.Namespace, console: Console) -> int:
    from .ingest import IngestOptions, ingest
    from .ingest_report import format_report

    config = _load_config(args, console)
    if config is None:
        return 2
    max_mb = args.max_size if args.max_size is not None else config["ingest.max_size_mb"]
    options = IngestOptions(
        role_rule=args.roles or config["ingest.roles"],
        overwrite=args.overwrite,
        dry_run=args.dry_run,
        max_bytes=int(max_mb * 1024 * 1024),
    )
    try:
        report = ingest(args.paths, args.content, options, progress=console.progress)
    except InputError as error:
        console.error(str(error))
        console.summary("Ingest failed: nothing was written")
        return 2
    except OSError as error:
        # Records are written one by one, each atomically: the files already written are whole.
        console.error(f"could not write records: {error.strerror or error} ({error.filename or args.content})")
        console.summary("Ingest failed while writing records; every record file is whole")
        return 1
    lines = format_report(report, args.dry_run)
    for line in lines[:-1]:
        if line.startswith("error: "):
            console.error(line[len("error: "):])
        elif "warning:" in line or "edited by hand" in line or "not valid UTF-8" in line:
            # The console adds its own "warning: " in front of the line.
            console.warning(line.strip().replace(": warning: ", ": ", 1), kind="ingest")
        else:
            console.out(line)
    console.summary(lines[-1])
    status = 1 if report.failed else 0
    return _strict_status(args, console, status)


def run_build(args: argparse.Namespace, console: Console) -> int:
    from .builder import run_build as build
    return _strict_status(args, console, build(args, console))


def run_check(args: argparse.Namespace, console: Console) -> int:
    from .check import run_check as check
    return _strict_status(args, console, check(args, console))


def run_serve(args: argparse.Namespace, console: Console) -> int:
    from .serve import run_serve as serve
    return serve(args, console)


def run_bundle(args: argparse.Namespace, console: Console) -> int:
    from .bundle import run_bundle as bundle
    return _strict_status(args, console, bundle(args, console))
