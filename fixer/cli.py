"""``fixer check|apply|list``: see docs/fixer-rules.md and design.md for the contract."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from . import config, report
from .files import InputError, discover
from .rules import all_rules, select_rules

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _names(value: str) -> list:
    return [v.strip() for v in value.split(",") if v.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fixer", description="Find and repair Pulumi AWS programs that "
                                     "cannot run or deploy, using the installed provider's real API.")
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("paths", nargs="+", metavar="PATH")
    common.add_argument("--select", type=_names, default=None, help="only these rules (comma-separated)")
    common.add_argument("--ignore", type=_names, default=None, help="not these rules (comma-separated)")
    common.add_argument("--region", default=None, help="the AWS region the program deploys to")
    common.add_argument("--python", default=None,
                        help="interpreter whose installed pulumi-aws defines what is valid")
    common.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    common.add_argument("--verbose", action="store_true", help="show the traceback of an unexpected error")
    common.add_argument("--provider-version", type=int, default=None, metavar="MAJOR",
                        help="check against the shipped API index of this pulumi-aws major (5, 6 or 7) instead of "
                             "an installed provider")
    check = sub.add_parser("check", parents=[common], help="report findings, write nothing")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    apply = sub.add_parser("apply", parents=[common], help="apply fixes")
    apply.add_argument("--unsafe", action="store_true", help="also apply unsafe fixes")
    apply.add_argument("--diff", action="store_true", help="print the changes as a unified diff")
    apply.add_argument("--format", choices=("text", "json"), default="text")
    upgrade = sub.add_parser("upgrade", parents=[common],
                             help="migrate a program written for an older pulumi-aws major to the installed one "
                                  "(or --to), applying every fix, unsafe ones included, with a summary")
    upgrade.add_argument("--to", type=int, default=None, metavar="MAJOR",
                         help="the target major, from the shipped API index (default: the installed provider)")
    upgrade.add_argument("--from", dest="from_major", type=int, default=None, metavar="MAJOR",
                         help="the major the program was written for (5 or 6): only its API history is used "
                              "(default: every shipped major)")
    upgrade.add_argument("--diff", action="store_true", help="print the changes as a unified diff")
    upgrade.add_argument("--format", choices=("text", "json"), default="text")
    lst = sub.add_parser("list", help="every rule with what it fixes and its fix safety")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _list(fmt: str) -> int:
    import json
    rows = [(r.NAME, r.SAFETY, r.DESCRIPTION) for r in all_rules()]
    rows.append(("unused-suppression", "report", "a `# fixer: ignore[...]` comment that suppresses no finding"))
    if fmt == "json":
        print(json.dumps([{"name": n, "safety": s, "description": d} for n, s, d in rows], indent=2))
    else:
        width = max(len(n) for n, _, _ in rows)
        for n, s, d in rows:
            print(f"{n:<{width}}  {s:<11}  {d}")
    return EXIT_OK


def main(argv: list | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        return _list(args.format)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("fixer: interrupted; files already written are complete, the others untouched", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug or an environment we did not foresee: one line, unless asked for more
        if args.verbose:
            raise
        detail = " ".join(str(exc).split())[:300] or "no detail"  # bounded: never a dump of a file's content
        print(f"fixer: error: {type(exc).__name__}: {detail} (run with --verbose for the traceback)", file=sys.stderr)
        return EXIT_ERROR


def _run(args) -> int:
    from . import project
    from .runner import Options, run

    for cached in (config.tool_config, config.project_dir, config.stack_region):
        cached.cache_clear()  # a long-lived caller (tests, an editor) may have changed the files
    start = os.path.abspath(args.paths[0] if os.path.isdir(args.paths[0]) else os.path.dirname(args.paths[0]) or ".")
    tool = config.tool_config(start)
    try:
        rules = select_rules(args.select if args.select is not None else tool.select,
                             (args.ignore if args.ignore is not None else []) + tool.ignore)
        problems: list = []  # directories that could not be listed: reported as errors (exit 2)
        files = discover(args.paths, tool.exclude, problems)
    except (ValueError, InputError) as exc:
        print(f"fixer: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    projects = sorted({p for p in (config.project_dir(os.path.dirname(os.path.abspath(f))) for f in files) if p}
                      | ({config.project_dir(start)} - {None}))
    major = getattr(args, "to", None) or args.provider_version
    try:
        if major is not None:  # the shipped index of that major: no provider needs to be installed
            from .api_history import shipped_index
            index, python = shipped_index(major), args.python
        else:
            index, python = project.provider_index_for(projects[0] if projects else None, args.python)
    except project.ProviderNotFound as exc:
        print(f"fixer: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        detail = " ".join(str(exc).split())
        if major is not None:
            print(f"fixer: error: cannot read the shipped index of pulumi-aws {major}: {detail}", file=sys.stderr)
        else:
            print(f"fixer: error: --python {args.python}: cannot read the provider API: {detail}" if args.python else
                  f"fixer: error: cannot read the provider API of {_python_label(projects)}: {detail}",
                  file=sys.stderr)
        return EXIT_ERROR
    upgrading = args.command == "upgrade"
    from .api_history import consult_majors, shipped_majors
    from_major = getattr(args, "from_major", None)
    if from_major is not None and from_major not in shipped_majors()[:-1]:
        print(f"fixer: error: --from {from_major}: the shipped history covers pulumi-aws "
              f"{', '.join(map(str, shipped_majors()[:-1]))}", file=sys.stderr)
        return EXIT_ERROR
    consult_majors([from_major] if from_major is not None else None)  # every run states its own choice
    applying = args.command == "apply" or upgrading
    options = Options(tuple(r.NAME for r in rules), apply=applying,
                      unsafe=getattr(args, "unsafe", False) or upgrading, diff=getattr(args, "diff", False))

    def region_for(path: str) -> str | None:
        return args.region or tool.region or config.stack_region(config.project_dir(os.path.dirname(
            os.path.abspath(path))))

    results = run([(f, region_for(f)) for f in files], options, index, python, args.jobs)
    findings = [f for r in results for f in r.findings]
    fixed = [f for r in results for f in r.fixed]
    errors = problems + [r.error for r in results if r.error]
    for proj in projects:
        outcome = project.run_project_rules(proj, files, [r for r in rules if r.NAME in project.PROJECT_RULES],
                                            apply=applying, unsafe=options.unsafe, index=index)
        findings += outcome.findings
        fixed += outcome.fixed
        for message in outcome.changes:
            print(message, file=sys.stderr)
    if applying and options.diff:
        for r in results:
            if r.diff:
                sys.stdout.write(r.diff)
    fmt = args.format
    if fmt == "json":
        print(report.as_json(findings, errors, fixed if applying else None))
    elif fmt == "sarif":
        print(report.sarif(findings, errors))
    else:
        print(report.text(findings, errors, fixed if applying else None))
    if upgrading and fmt == "text":
        print(upgrade_summary(index, fixed, findings))
    if errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if findings else EXIT_OK


def _python_label(projects: list) -> str:
    from .project import provider_interpreter
    interpreter, _ = provider_interpreter(projects[0] if projects else None)
    return interpreter or sys.executable


def upgrade_summary(index, fixed: list, remaining: list) -> str:
    """What ``fixer upgrade`` changed (per rule) and what still needs a human (per finding)."""
    target = index.packages.get("pulumi_aws", {}).get("version", "?")
    counts: dict = {}
    for finding in fixed:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    lines = [f"upgrade to pulumi-aws {target}: {len(fixed)} change(s)"]
    lines += [f"  changed  {n:>3}  {rule}" for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if remaining:
        lines.append(f"needs a human: {len(remaining)}")
        lines += [f"  {f.file}:{f.line}: {f.message}" for f in remaining]
    else:
        lines.append("needs a human: nothing")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
