"""The ``jobfair`` command: demo, serve, database upgrades, fair definitions, users.

Every command uses the database named by ``JOBFAIR_DATABASE_URL`` (SQLite under
``var/`` by default). Exit status: 0 success, 1 refused input, 2 usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from jobfair import i18n
from jobfair.settings import Settings

# The longest pause between two starts of a worker that lost Redis.
WORKER_MAX_BACKOFF = 30.0


def _print_problems(error: Exception) -> None:
    for problem in getattr(error, "problems", [error]):
        print(str(problem), file=sys.stderr)


async def _upgrade(settings: Settings) -> None:
    from jobfair.db.engine import create_engine
    from jobfair.db.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(_upgrade(settings))
    print("database is at the latest schema")
    return 0


def cmd_events_validate(settings: Settings, args: argparse.Namespace) -> int:
    from jobfair.definitions.schema import DefinitionError, parse_fair_file

    failures = 0
    for name in args.files:
        path = Path(name)
        try:
            fair_file = parse_fair_file(path)
        except DefinitionError as error:
            failures += 1
            _print_problems(error)
            continue
        except OSError as error:
            failures += 1
            print(f"{path}: cannot be read: {error.strerror}", file=sys.stderr)
            continue
        vacancies = sum(len(company.vacancies) for company in fair_file.companies)
        print(
            f"{path}: ok — fair {fair_file.fair.slug}, "
            f"{len(fair_file.companies)} companies, {vacancies} vacancies"
        )
    return 1 if failures else 0


async def _events_load(settings: Settings, paths: list[Path]) -> int:
    from jobfair.context import AppContext
    from jobfair.definitions.loader import load_fair_file
    from jobfair.definitions.schema import DefinitionError, parse_fair_file
    from jobfair.services.errors import DomainError

    await _upgrade(settings)
    ctx = AppContext.create(settings)
    failures = 0
    try:
        for path in paths:
            try:
                fair_file = parse_fair_file(path)
                async with ctx.unit_of_work() as session:
                    result = await load_fair_file(session, fair_file, now=ctx.now())
            except DefinitionError as error:
                failures += 1
                _print_problems(error)
                continue
            except DomainError as error:
                failures += 1
                print(f"{path}: {error.message}", file=sys.stderr)
                continue
            print(f"{path}: {result.summary()}")
    finally:
        await ctx.close()
    return 1 if failures else 0


def cmd_events_load(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_events_load(settings, [Path(name) for name in args.files]))


async def _events_export(settings: Settings, slug: str, output: str | None) -> int:
    from jobfair.context import AppContext
    from jobfair.definitions.loader import export_fair
    from jobfair.definitions.schema import dump_fair
    from jobfair.services.errors import NotFound

    ctx = AppContext.create(settings)
    try:
        async with ctx.read() as session:
            try:
                fair_file = await export_fair(session, slug)
            except NotFound:
                print(f"no fair with slug {slug!r}", file=sys.stderr)
                return 1
    finally:
        await ctx.close()
    text = dump_fair(fair_file)
    if output and output != "-":
        await asyncio.to_thread(Path(output).write_text, text, encoding="utf-8")
        print(f"wrote {output}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_events_export(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_events_export(settings, args.slug, args.output))


async def _users_create(settings: Settings, args: argparse.Namespace) -> int:
    from jobfair.context import AppContext
    from jobfair.services import accounts
    from jobfair.services.errors import DomainError

    await _upgrade(settings)
    ctx = AppContext.create(settings)
    try:
        password = await accounts.NewPassword.of(ctx.passwords, args.password)
        async with ctx.unit_of_work() as session:
            user = await accounts.create_user(
                session,
                role=args.role,
                email=args.email,
                password=password,
                full_name=args.name or args.email.split("@")[0],
                company_slug=args.company,
                office_slug=args.office,
            )
    except DomainError as error:
        details = "; ".join(f"{key}: {value}" for key, value in error.fields.items())
        print(f"{error.message}{' (' + details + ')' if details else ''}", file=sys.stderr)
        return 1
    finally:
        await ctx.close()
    print(f"created {user.role} {user.email} (id {user.id})")
    return 0


def cmd_users_create(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_users_create(settings, args))


async def _report_compile(settings: Settings, slug: str) -> int:
    from sqlalchemy import select

    from jobfair.context import AppContext
    from jobfair.models import Fair
    from jobfair.worker.report import compile_report

    ctx = AppContext.create(settings)
    try:
        async with ctx.read() as session:
            fair = await session.scalar(select(Fair).where(Fair.slug == slug))
        if fair is None:
            print(f"no fair with slug {slug!r}", file=sys.stderr)
            return 1
        # In this process, not as a task: the operator waits for it and sees the result.
        report = await compile_report(ctx, fair.id, force=True)
    finally:
        await ctx.close()
    if report is None:
        print(f"fair {slug!r} is {fair.status}: only a published fair has one", file=sys.stderr)
        return 1
    data = report.data
    note = " (provisional: the fair has not closed yet)" if data.get("provisional") else ""
    print(f"compiled report version {report.version} of {slug}{note}")
    for item in data["headline"]:
        print(f"  {item['key']:<28} {item['value'] if item['value'] is not None else '-'}")
    return 0


def cmd_report_compile(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_report_compile(settings, args.slug))


async def _fair_change(settings: Settings, args: argparse.Namespace) -> int:
    """``fair close`` and ``fair deadline``: the console's actions for an operator,
    audited without a user (the actor is the command line)."""
    from datetime import datetime

    from sqlalchemy import select

    from jobfair.context import AppContext
    from jobfair.models import Fair
    from jobfair.services import fairs
    from jobfair.services.errors import DomainError

    ctx = AppContext.create(settings)
    try:
        async with ctx.unit_of_work() as session:
            fair = await session.scalar(select(Fair).where(Fair.slug == args.slug))
            if fair is None:
                print(f"no fair with slug {args.slug!r}", file=sys.stderr)
                return 1
            if args.fair_command == "close":
                fairs.close_early(session, fair, now=ctx.now(), actor_user_id=None)
                done = f"fair {args.slug} closed at {fair.local(fair.closes_at):%Y-%m-%d %H:%M}"
            else:
                try:
                    local = datetime.fromisoformat(args.when)
                except ValueError:
                    print(f"not a date and time: {args.when!r} (e.g. 2026-12-20 17:00)",
                          file=sys.stderr)  # fmt: skip
                    return 2
                moment = local.replace(tzinfo=fair.zone) if local.tzinfo is None else local
                fairs.move_deadline(
                    session, fair, decision_deadline=moment, now=ctx.now(), actor_user_id=None
                )
                when = fair.local(fair.decision_deadline)
                done = f"decision deadline of {args.slug} is now {when:%Y-%m-%d %H:%M %Z}"
    except DomainError as error:
        details = "; ".join(f"{key}: {value}" for key, value in error.fields.items())
        print(error.message + (f" ({details})" if details else ""), file=sys.stderr)
        return 1
    finally:
        await ctx.close()
    print(done)
    return 0


def cmd_fair_change(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_fair_change(settings, args))


async def _report_export(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from jobfair.context import AppContext
    from jobfair.models import Fair
    from jobfair.services import offices
    from jobfair.services.errors import NotFound
    from jobfair.services.reports import stored_report
    from jobfair.stats import exports

    ctx = AppContext.create(settings)
    try:
        async with ctx.read() as session:
            report = await stored_report(session, args.slug, args.version)
            data, version = report.data, report.version
            # The PDF carries the office's letterhead and signer, as from the page.
            fair = await session.get(Fair, report.fair_id)
            letterhead = offices.letterhead(fair.office, ctx.settings.uploads_dir) if fair else None
    except NotFound as error:
        print(error.message, file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        print(f"cannot read the database: {type(error).__name__}", file=sys.stderr)
        return 1
    finally:
        await ctx.close()
    body = await asyncio.to_thread(exports.export, data, args.format, args.lang, letterhead)
    output = args.output or exports.filename(data, args.format, args.lang)
    if output == "-":
        sys.stdout.buffer.write(body)
        return 0
    try:
        await asyncio.to_thread(Path(output).write_bytes, body)
    except OSError as error:
        print(f"{output}: cannot be written: {error.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {output} (report version {version}, {len(body)} bytes)")
    return 0


def cmd_report_export(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_report_export(settings, args))


async def _office_export(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    from jobfair.context import AppContext
    from jobfair.models import LabourOffice
    from jobfair.services import interchange, times
    from jobfair.services.errors import DomainError

    ctx = AppContext.create(settings)
    try:
        try:
            period = interchange.period_from_key(args.period, times.local_date(ctx.now()))
        except (ValueError, DomainError):
            print(
                f"{args.period!r} is not a period: 2026-Q4, 2026-S1, 2026-07, 2026, "
                "2026-01-15_2026-02-14, or last-month/last-quarter/last-semester/last-year",
                file=sys.stderr,
            )
            return 2
        names = interchange.DATASETS if args.dataset == "all" else (args.dataset,)
        files: list[tuple[str, bytes, int]] = []
        async with ctx.unit_of_work() as session:
            office = await session.scalar(
                select(LabourOffice).where(LabourOffice.slug == args.office)
            )
            if office is None:
                print(f"no labour office with slug {args.office!r}", file=sys.stderr)
                return 1
            for name in names:
                rows = await interchange.dataset(session, office, name, period, ctx.nik_vault)
                body = interchange.encode(name, args.format, rows, office, period)
                files.append(
                    (interchange.filename(office, name, period, args.format), body, len(rows))
                )
    except SQLAlchemyError as error:
        print(f"cannot read the database: {type(error).__name__}", file=sys.stderr)
        return 1
    finally:
        await ctx.close()
    if args.output == "-":
        for _name, body, _count in files:
            sys.stdout.buffer.write(body)
        return 0
    folder = Path(args.output or ".")
    try:
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        for name, body, count in files:
            await asyncio.to_thread((folder / name).write_bytes, body)
            print(f"wrote {folder / name} ({count} rows, {len(body)} bytes)")
    except OSError as error:
        print(f"{folder}: cannot be written: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def cmd_office_export(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_office_export(settings, args))


def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from jobfair.app import create_app, tune_interpreter_for_serving

    app = create_app(settings)
    tune_interpreter_for_serving()
    uvicorn.run(
        app,
        host=host,
        port=port,
        proxy_headers=True,
        ws_per_message_deflate=False,
        log_level=settings.log_level.lower(),
    )


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    settings = settings.served_at(args.host, args.port)
    if args.upgrade:
        asyncio.run(_upgrade(settings))
    _serve(settings, args.host, args.port)
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from arq import run_worker
    from redis.exceptions import RedisError

    from jobfair.worker.arq_worker import worker_settings

    if not settings.redis_url:
        print(
            "the worker needs JOBFAIR_REDIS_URL; without it, tasks run inside `jobfair serve`",
            file=sys.stderr,
        )
        return 2
    backoff = 1.0
    while True:
        try:
            run_worker(worker_settings(settings), burst=args.burst)  # type: ignore[arg-type]
            return 0
        except (ConnectionError, OSError, TimeoutError, RedisError) as exc:
            # Redis went away (or is not up yet): wait and start again instead of
            # leaving the queue without a worker. Jobs in progress are retried by arq.
            logging.getLogger("jobfair.worker").warning(
                "worker lost Redis (%s); starting again in %.0f s", type(exc).__name__, backoff
            )
            time.sleep(backoff)
            backoff = min(backoff * 2, WORKER_MAX_BACKOFF)


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    from jobfair.demo import prepare_demo

    if settings.environment == "production":
        # The demo writes a fictional population with one known password.
        print(
            "jobfair demo refuses to run with JOBFAIR_ENVIRONMENT=production: it creates "
            "accounts with a published password. Use `jobfair serve`.",
            file=sys.stderr,
        )
        return 2
    settings = settings.served_at(args.host, args.port)
    logins = asyncio.run(prepare_demo(settings))
    print(f"Demo fair ready. Sign in with (password for all: {logins.password}):")
    for role, email in logins.users.items():
        print(f"  {role:<10} {email}")
    print(f"Fair page: {settings.base_url}/fairs/{logins.fair_slug}")
    if args.no_serve:
        return 0
    _serve(settings, args.host, args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobfair", description="Virtual job fairs for public labour offices."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="create/upgrade a local database, load the demo fair and serve it"
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="prepare the data and exit")
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser("serve", help="serve the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--no-upgrade",
        dest="upgrade",
        action="store_false",
        help="do not upgrade the database schema before serving",
    )
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="run the arq worker (needs JOBFAIR_REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    worker.set_defaults(handler=cmd_worker)

    db = commands.add_parser("db", help="database schema").add_subparsers(
        dest="db_command", required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help="apply every pending migration").set_defaults(
        handler=cmd_db_upgrade
    )

    events = commands.add_parser("events", help="fair definitions (events/*.toml)").add_subparsers(
        dest="events_command", required=True, metavar="ACTION"
    )
    validate = events.add_parser("validate", help="check definition files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=cmd_events_validate)
    load = events.add_parser("load", help="load definition files (idempotent by slug)")
    load.add_argument("files", nargs="+", metavar="FILE")
    load.set_defaults(handler=cmd_events_load)
    export = events.add_parser("export", help="write a fair as a definition file")
    export.add_argument("slug", metavar="FAIR")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.set_defaults(handler=cmd_events_export)

    users = commands.add_parser("users", help="user accounts").add_subparsers(
        dest="users_command", required=True, metavar="ACTION"
    )
    create = users.add_parser("create", help="create a user")
    create.add_argument(
        "--role", required=True, choices=["applicant", "recruiter", "organiser", "admin"]
    )
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--name", help="full name (default: the e-mail's local part)")
    create.add_argument("--company", metavar="SLUG", help="the recruiter's company")
    create.add_argument("--office", metavar="SLUG", help="the organiser's labour office")
    create.set_defaults(handler=cmd_users_create)

    fair_commands = commands.add_parser(
        "fair", help="change a fair's window (audited)"
    ).add_subparsers(dest="fair_command", required=True, metavar="ACTION")
    close = fair_commands.add_parser("close", help="close a published, open fair now")
    close.add_argument("slug", metavar="FAIR")
    close.set_defaults(handler=cmd_fair_change)
    deadline = fair_commands.add_parser(
        "deadline", help="move the decision deadline (in the fair's local time)"
    )
    deadline.add_argument("slug", metavar="FAIR")
    deadline.add_argument("when", metavar="'YYYY-MM-DD HH:MM'")
    deadline.set_defaults(handler=cmd_fair_change)

    report_commands = commands.add_parser(
        "report", help="a fair's compiled statistics"
    ).add_subparsers(dest="report_command", required=True, metavar="ACTION")
    report_compile = report_commands.add_parser(
        "compile", help="compile a new report version now, in this process"
    )
    report_compile.add_argument("slug", metavar="FAIR")
    report_compile.set_defaults(handler=cmd_report_compile)
    report_export = report_commands.add_parser(
        "export", help="write a compiled report as PDF, XLSX or CSV files (zip)"
    )
    report_export.add_argument("slug", metavar="FAIR")
    report_export.add_argument("--format", required=True, choices=["pdf", "xlsx", "csv"])
    report_export.add_argument(
        "--output",
        "-o",
        help="file to write, - for standard output (default: <fair>-laporan-v<N>.<ext>, "
        "<fair>-report-v<N>.<ext> with --lang en)",
    )
    report_export.add_argument(
        "--version", type=int, metavar="N", help="the report version (default: the newest)"
    )
    report_export.add_argument(
        "--lang", choices=["id", "en"], default="id", help="language of the labels (default: id)"
    )
    report_export.set_defaults(handler=cmd_report_export)

    office_commands = commands.add_parser(
        "office", help="a labour office's data for the ministry's systems"
    ).add_subparsers(dest="office_command", required=True, metavar="ACTION")
    office_export = office_commands.add_parser(
        "export",
        help="write job seekers (with consent), vacancies and companies of a period as "
        "CSV or JSON files in the README's column sets (audited)",
    )
    office_export.add_argument("office", metavar="OFFICE", help="the labour office's slug")
    office_export.add_argument(
        "--period",
        required=True,
        metavar="PERIOD",
        help="2026-Q4, 2026-S1, 2026-07, 2026, 2026-01-15_2026-02-14, or for a scheduled "
        "run last-month, last-quarter, last-semester, last-year",
    )
    office_export.add_argument(
        "--dataset",
        choices=["all", "job_seekers", "vacancies", "companies"],
        default="all",
        help="which file (default: all three)",
    )
    office_export.add_argument("--format", choices=["csv", "json"], default="csv")
    office_export.add_argument(
        "--output",
        "-o",
        help="folder to write into (default: the current one), - for standard output; "
        "files are named <office>-<dataset>-<period>.<format>",
    )
    office_export.set_defaults(handler=cmd_office_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    # The command line speaks English, as its own messages do, whatever locale the
    # process last used: the services' refusals are printed in the same language.
    with i18n.using("en"):
        return int(args.handler(settings, args) or 0)


if __name__ == "__main__":
    sys.exit(main())
