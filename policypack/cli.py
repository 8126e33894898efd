"""`policypack`: offline preview of a Pulumi program against the pack, the policy list, data refresh.

Exit codes (design.md): 0 no mandatory violation; 1 mandatory violations; 2 the program could not be run,
or bad usage (a message names the file, option or policy at fault).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Optional, Sequence

from . import PACK_NAME

EXIT_OK, EXIT_VIOLATIONS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit 2."""


def version() -> str:
    try:
        return metadata.version("pulumi-hipaa-guard")
    except metadata.PackageNotFoundError:
        return "0.0.0"


# -- locating the pack -------------------------------------------------------------------------------

def pack_dir(explicit: Optional[str] = None) -> Path:
    """The directory the engine client launches: --pack, else this checkout's root, else a generated one.

    A checkout (or editable install) has `PulumiPolicy.yaml` beside the `policypack` package. An installed
    wheel does not, so a minimal pack directory that imports the installed package is written once to a
    temporary directory.
    """
    if explicit:
        path = Path(explicit).resolve()
        if not (path / "PulumiPolicy.yaml").is_file():
            raise UsageError(f"--pack {explicit}: no PulumiPolicy.yaml there")
        return path
    root = Path(__file__).resolve().parent.parent
    if (root / "PulumiPolicy.yaml").is_file() and (root / "__main__.py").is_file():
        return root
    generated = Path(tempfile.gettempdir()) / f"hipaa-guard-pack-{version()}"
    if not (generated / "__main__.py").is_file():
        generated.mkdir(parents=True, exist_ok=True)
        (generated / "PulumiPolicy.yaml").write_text(
            f"description: {PACK_NAME}\nruntime: python\nversion: {version()}\n")
        (generated / "__main__.py").write_text("from policypack.analyzer_service import serve\n\nserve()\n")
    return generated


# -- preview -----------------------------------------------------------------------------------------

def _parse_config_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """`--config KEY=VALUE` pairs (a bare key is namespaced with the project by `load_config`)."""
    config = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--config {pair!r}: expected KEY=VALUE, e.g. aws:region=us-east-1")
        config[key] = value
    return config


def _load_policy_config(path: Optional[str]) -> Optional[dict]:
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        raise UsageError(f"--policy-config {path}: file not found") from None
    except OSError as exc:  # a directory, no permission, ...
        raise UsageError(f"--policy-config {path}: cannot read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"--policy-config {path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UsageError(f"--policy-config {path}: expected a JSON object keyed by policy name")
    return data


def _run_preview(args: argparse.Namespace, progress) -> tuple:
    """Run the program offline and the pack over it, as `preview` and `report` both do.

    Returns (Report, AnalysisResult or None when the program could not be constructed, captured resources),
    or an exit code when the pack failed to start.
    """
    from .engine import AnalysisSession, ConfigError, PackStartError
    from .offline import ProjectError, capture_program
    from .offline.project import choose_stack, load_config, load_project
    from .report import build_report

    unknowns, verbose = getattr(args, "unknowns", "full"), getattr(args, "verbose", False)

    try:
        program = Path(args.program_dir).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python < 3.13
        raise UsageError(f"{args.program_dir}: cannot resolve the directory: "
                         f"{getattr(exc, 'strerror', None) or exc}") from None
    if not (program / "Pulumi.yaml").is_file() and not (program / "Pulumi.yml").is_file():
        raise UsageError(f"{args.program_dir}: no Pulumi.yaml (is this a Pulumi project directory?)")
    overrides = _parse_config_pairs(args.config)
    policy_config = _load_policy_config(args.policy_config)
    pack = pack_dir(args.pack)
    try:
        project = load_project(program)
        stack = choose_stack(project.root, args.stack)
        config = load_config(project, stack, overrides).values
    except ProjectError as exc:
        raise UsageError(str(exc)) from None
    # The pack starts while the program runs: both take about a second and neither needs the other.
    with ThreadPoolExecutor(max_workers=1) as pool:
        starting = pool.submit(AnalysisSession, str(pack), project=project.name, stack=stack, config=config,
                               policy_config=policy_config)
        progress(f"Running {program.name} offline under mocks (stack {stack})...")
        # The default mode also runs the program as `pulumi preview` sees a new stack (same process, ~0.1 s),
        # so each finding can say whether the CLI reports it at preview or only after a deploy.
        passes = ("first-preview",) if unknowns == "first-preview" else ("full", "first-preview")
        try:
            capture = capture_program(str(program), stack=stack, config_overrides=overrides, python=args.python,
                                      unknowns=passes)
        except ProjectError as exc:
            _close_when_started(starting)
            raise UsageError(str(exc)) from None
        except BaseException:
            _close_when_started(starting)
            raise
        try:
            session = starting.result()
        except ConfigError as exc:
            raise UsageError(f"--policy-config: {exc}") from None
        except PackStartError as exc:
            detail = str(exc) if verbose else (str(exc).strip().splitlines() or ["no output"])[-1]
            print(f"policypack: error: the policy pack in {pack} failed to start: {detail}", file=sys.stderr)
            return EXIT_ERROR
    result, seen_at_preview = None, None
    with session:
        if not capture.program_errors:
            progress(f"Checking {sum(1 for r in capture.resources if r.get('custom'))} resources with {PACK_NAME}...")
            # Remediate answers nothing unless a policy is at the remediate level: then it is skipped (same
            # findings, half the RPCs).
            remediate = any(isinstance(c, dict) and c.get("enforcementLevel") == "remediate"
                            for c in session.policy_config.values())
            analyzed: dict = {}
            result = session.analyze(capture.resources, remediate=remediate, per_resource=analyzed)
            if unknowns == "first-preview":
                seen_at_preview = {(d.policy_name, d.urn) for d in result.diagnostics}
            else:
                seen_at_preview = _findings_at_preview(session, capture, remediate, analyzed)
    report = build_report(result, capture.resources, program=str(program), stack=capture.stack,
                          program_errors=capture.program_errors, seen_at_preview=seen_at_preview,
                          verbose=verbose)
    return report, result, capture.resources


def cmd_preview(args: argparse.Namespace) -> int:
    from .policy import all_policies
    from .report import render_json, render_sarif, render_text

    progress = (lambda msg: print(msg, file=sys.stderr)) if args.format == "text" and not args.quiet else (lambda msg: None)
    ran = _run_preview(args, progress)
    if isinstance(ran, int):
        return ran
    report, _, _ = ran
    if args.format == "json":
        sys.stdout.write(render_json(report))
    elif args.format == "sarif":
        sys.stdout.write(render_sarif(report, all_policies(), version(), str(Path(args.program_dir).resolve())))
    else:
        sys.stdout.write(render_text(report))
    return report.exit_code()


def cmd_report(args: argparse.Namespace) -> int:
    """The HIPAA control report of one preview, as HTML or Markdown, to stdout or --output (written whole)."""
    from .control_report import control_report_of, render_html, render_markdown
    from .policy import all_policies
    from .report import render_text

    if args.output and Path(args.output).is_dir():
        raise UsageError(f"--output {args.output}: is a directory, expected a file path")
    if args.output and not Path(args.output).resolve().parent.is_dir():
        raise UsageError(f"--output {args.output}: directory {Path(args.output).parent} does not exist")
    progress = (lambda msg: print(msg, file=sys.stderr)) if not args.quiet else (lambda msg: None)
    ran = _run_preview(args, progress)
    if isinstance(ran, int):
        return ran
    report, result, resources = ran
    if report.program_errors:  # no policy ran: a report would claim results it does not have
        sys.stderr.write(render_text(report))
        return report.exit_code()
    controls = control_report_of(report, result, resources, all_policies())
    text = render_html(controls) if args.format == "html" else render_markdown(controls)
    if args.output:
        try:
            _write_whole(Path(args.output), text)
        except OSError as exc:
            raise UsageError(f"--output {args.output}: cannot write ({exc.strerror or exc})") from None
        progress(f"Wrote the HIPAA control report ({args.format}) to {args.output}")
    else:
        sys.stdout.write(text)
    return report.exit_code()


def _write_whole(path: Path, text: str) -> None:
    """Write through a temporary file in the same directory, so a reader never sees half a report."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.resolve().parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; the report is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _findings_at_preview(session, capture, remediate: bool, analyzed: dict) -> set | None:
    """(policy, urn) of every finding the pack makes on the first-preview pass (computed outputs unknown);
    None when that pass could not run, so no finding claims either way.

    A resource whose Analyze request is the same in both passes (same inputs and provider, nothing unknown)
    gets the same answer: its full-pass diagnostics are reused rather than asked again.
    """
    from .offline.wire import UNKNOWN, strings_in

    first = capture.passes.get("first-preview")
    if not first or first["program_errors"]:
        return None
    full = {r["urn"]: r for r in capture.resources}
    providers = {r["urn"]: r.get("inputs") for r in capture.resources}
    first_providers = {r["urn"]: r.get("inputs") for r in first["resources"]}

    def unchanged(resource) -> bool:
        before = full.get(resource["urn"])
        provider = (resource.get("provider") or "").rpartition("::")[0]
        return (before is not None and before.get("inputs") == resource.get("inputs")
                and before.get("provider") == resource.get("provider")
                and providers.get(provider) == first_providers.get(provider)
                and UNKNOWN not in strings_in([resource.get("inputs"), first_providers.get(provider)]))

    known = {r["urn"]: analyzed[r["urn"]] for r in first["resources"] if r["urn"] in analyzed and unchanged(r)}
    diagnostics = session.analyze(first["resources"], remediate=remediate, known=known).diagnostics
    return {(d.policy_name, d.urn) for d in diagnostics}


def _close_when_started(starting) -> None:
    try:
        starting.result().close()
    except Exception:  # noqa: BLE001 - it failed to start: nothing to close
        pass


# -- list --------------------------------------------------------------------------------------------

def cmd_list(args: argparse.Namespace) -> int:
    from .policy import all_policies

    policies = all_policies()
    if args.framework:
        return _list_framework(args, policies)
    rows = [{
        "name": s.name, "group": s.group, "severity": s.severity, "enforcement": s.enforcement,
        "citation": f"45 CFR {s.citation}" if s.citation else "deploy",
        "citations": [f"45 CFR {c}" for c in s.citations],
        "aws_config_rules": list(s.aws_config_rules),
        "on_unknown": s.on_unknown,
        "remediates": s.remediates, "kind": s.kind, "description": s.description,
        "resource_types": list(s.resource_types) if isinstance(s.resource_types, (list, tuple)) else [],
    } for s in policies]
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(r["name"]) for r in rows)
    print(f"{'POLICY':<{width}}  {'GROUP':<6}  {'SEVERITY':<8}  {'DEFAULT':<9}  {'REMEDIATES':<10}  "
          f"{'UNKNOWN':<7}  CITATION")
    for r in rows:
        print(f"{r['name']:<{width}}  {r['group']:<6}  {r['severity']:<8}  {r['enforcement']:<9}  "
              f"{'yes' if r['remediates'] else 'no':<10}  {r['on_unknown']:<7}  {r['citation']}")
    print(f"\n{len(rows)} policies: {sum(r['group'] == 'hipaa' for r in rows)} HIPAA, "
          f"{sum(r['group'] == 'deploy' for r in rows)} deploy; {sum(r['remediates'] for r in rows)} remediate.")
    return EXIT_OK


def _list_framework(args: argparse.Namespace, policies) -> int:
    """`list --framework F`: each checkable rule of F with the policies implementing it, or why not."""
    from .frameworks import coverage

    report = coverage(args.framework, policies)
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return EXIT_OK
    rows = report["rules"]
    width = max(len(r["rule"]) for r in rows)
    print(f"{report['title']}\n(source: {report['source']}, taken {report['taken']})\n")
    print(f"{'AWS CONFIG RULE':<{width}}  {'STATUS':<15}  POLICY")
    for r in rows:
        print(f"{r['rule']:<{width}}  {r['status']:<15}  {', '.join(r['policies']) or '-'}")
        if r["note"]:
            print(f"{'':<{width}}  {'':<15}  ({r['note']})")
    print(f"\n{report['implemented']} of {report['checkable']} checkable rules implemented, {report['partial']} in "
          f"part, {report['checkable'] - report['implemented'] - report['partial']} not implemented; "
          f"{len(report['not_checkable'])} more rules of the pack need the deployed account (see --format json).")
    return EXIT_OK


# -- data --------------------------------------------------------------------------------------------

def cmd_data_refresh(args: argparse.Namespace, rest: list[str]) -> int:
    from .data import refresh

    return refresh.main(rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policypack", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    # The options of one preview run, shared by `preview` and `report`.
    run = argparse.ArgumentParser(add_help=False)
    run.add_argument("program_dir", nargs="?", default=".", metavar="PROGRAM_DIR")
    run.add_argument("--stack", help="stack name (reads Pulumi.<stack>.yaml; default: the only stack file, else dev)")
    run.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                     help="stack config override, e.g. aws:region=ap-southeast-1 (repeatable)")
    run.add_argument("--policy-config", metavar="FILE", help="policy pack config JSON, as --policy-pack-config")
    run.add_argument("--pack", metavar="DIR", help="policy pack directory (default: this installation's)")
    run.add_argument("--python", metavar="PATH", help="interpreter to run the program with")
    run.add_argument("--unknowns", choices=("full", "first-preview"), default="full",
                     help="full: every output has a mock value, and each finding says whether `pulumi preview` "
                          "of a new stack reports it; first-preview: computed outputs unknown, as that preview sees them")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    run.add_argument("-v", "--verbose", action="store_true", help="tracebacks of program errors and internal errors")

    p = sub.add_parser("preview", parents=[run], help="run a Pulumi Python program offline and check it with the pack")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("report", parents=[run],
                       help="the HIPAA control report of one preview: per control, its policies and each resource")
    p.add_argument("--format", choices=("html", "markdown"), default="html")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE (default: stdout)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("list", help="list every policy, or a framework's rules and the policies implementing them")
    p.add_argument("--format", choices=("text", "json"), default="text")
    from .frameworks import FRAMEWORKS  # stdlib only: cheap enough for the parser

    p.add_argument("--framework", choices=FRAMEWORKS,
                   help="list the framework's checkable rules with the implementing policy or 'not implemented'")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("data", help="provider facts the deploy policies use")
    data_sub = p.add_subparsers(dest="data_command", required=True)
    r = data_sub.add_parser("refresh", help="rebuild the dated data files from the AWS APIs (needs credentials)",
                            add_help=False)
    r.set_defaults(func=cmd_data_refresh, passthrough=True)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and not getattr(args, "passthrough", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        if getattr(args, "passthrough", False):
            return args.func(args, rest)
        return args.func(args)
    except UsageError as exc:
        print(f"policypack: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, exit 2; the traceback only when asked for
        if getattr(args, "verbose", False):
            import traceback

            traceback.print_exc()
        print(f"policypack: internal error: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
              f"{'' if getattr(args, 'verbose', False) else ' (--verbose shows the traceback)'}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
