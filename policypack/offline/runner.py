"""Run one Pulumi Python program under mocks and write what it registered as JSON.

Started by `capture.py` as `<program's python> <this file> <args.json>` in a fresh process, because
`set_mocks` can configure the SDK only once per process. It mirrors the Python language host: cwd and
`sys.path[0]` are the program directory, the stack's config is set before the program runs, the program's
`__main__` runs inside the root stack, and the run waits for every outstanding RPC and apply. It imports the
Pulumi SDK, the stdlib and its sibling modules only (the program's venv need not have hipaa-guard installed).
The result goes to a file named in the arguments, never to stdout, which belongs to the program.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import traceback
import types
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_ALIAS = "_hipaa_guard_offline"


def _siblings():
    """Import the sibling modules as a package without running `policypack/__init__.py` (its imports are
    not this interpreter's business)."""
    if __package__:
        base = __package__
    else:
        base = _ALIAS
        if base not in sys.modules:
            pkg = types.ModuleType(base)
            pkg.__path__ = [str(_HERE)]  # type: ignore[attr-defined]
            sys.modules[base] = pkg
    return (importlib.import_module(f"{base}.capture_monitor"), importlib.import_module(f"{base}.mock_outputs"),
            importlib.import_module(f"{base}.wire"))


class _LogCollector(logging.Handler):
    """Keeps what the SDK would have sent to the engine's Log (warnings, errors, program messages)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[dict] = []

    def emit(self, record):
        if record.levelno >= logging.INFO:
            self.records.append({"severity": record.levelname.lower(), "message": record.getMessage()})


def sdk_cause(exc: BaseException) -> BaseException:
    """The program's own exception behind the SDK's "While processing resource/input ..." wrappers (whose
    text also holds a repr of the input value, which may be a secret)."""
    seen = {id(exc)}
    while str(exc).startswith("While processing "):
        # The SDK re-raises with `raise exn from exn`: follow the context when the cause is itself.
        inner = next((e for e in (exc.__cause__, exc.__context__) if e is not None and id(e) not in seen), None)
        if inner is None:
            break
        exc = inner
        seen.add(id(exc))
    return exc


def error_facts(exc: BaseException, in_program) -> dict:
    """Kind, message, program file/line and traceback files of an exception (classified by capture.py)."""
    exc = sdk_cause(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    file = line = None
    for frame in frames:  # innermost program frame wins
        if frame.filename and in_program(Path(frame.filename)):
            file, line = frame.filename, frame.lineno
    message = str(exc)
    if isinstance(exc, SyntaxError):
        message = exc.msg or message
        if exc.filename:
            file, line = exc.filename, exc.lineno
    owner = getattr(exc, "obj", None) if isinstance(exc, AttributeError) else None
    owner_module = None
    if owner is not None:
        owner_module = owner.__name__ if isinstance(owner, types.ModuleType) else getattr(type(owner), "__module__", None)
        if isinstance(owner, type):
            owner_module = owner.__module__
    return {"kind": type(exc).__name__, "message": message, "file": file, "line": line,
            "trace_files": [f.filename for f in frames], "owner_module": owner_module}


def _construction_log():
    """Patch Resource.__init__ to note construction order: registrations arrive from executor threads in no
    fixed order, so resources are reported in the order the program constructed them."""
    import pulumi.resource

    log: list[tuple[str, str]] = []
    original = pulumi.resource.Resource.__init__

    def init(self, t, name, *args, **kwargs):
        log.append((t, name))
        return original(self, t, name, *args, **kwargs)

    pulumi.resource.Resource.__init__ = init
    return log


def order_records(records: list[dict], log: list[tuple[str, str]], default_providers: list[dict]) -> list[dict]:
    """Registration records in construction order, each default provider just before its first user."""
    slots: dict[tuple[str, str], list[int]] = {}
    for index, key in enumerate(log):
        slots.setdefault(key, []).append(index)
    keyed = []
    for arrival, record in enumerate(records):
        queue = slots.get((record["type"], record["name"]))
        keyed.append(((queue.pop(0) if queue else len(log) + arrival), record))
    ordered = [r for _, r in sorted(keyed, key=lambda kr: kr[0])]
    for provider in default_providers:
        first = provider.pop("_first_user", None)
        at = next((i for i, r in enumerate(ordered) if r["urn"] == first or r.get("provider", "") and
                   r["provider"].startswith(provider["urn"] + "::")), len(ordered))
        ordered.insert(at, provider)
    return ordered


def redact(text: str, secrets: set[str]) -> str:
    for value in sorted(secrets, key=len, reverse=True):
        if len(value) >= 4:
            text = text.replace(value, "[secret]")
    return text


def _secret_strings(records: list[dict], wire) -> set[str]:
    found: set[str] = set()

    def walk(value):
        if wire.is_secret(value):
            found.update(wire.strings_in(value["value"]))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for record in records:
        walk(record["inputs"])
        walk(record["outputs"])
    return found


def run(args: dict) -> dict:
    import pulumi  # first: a missing SDK is the program's error (requirement-missing), not ours
    import pulumi.runtime

    capture_monitor, mock_outputs, wire = _siblings()
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    root = Path(args["program_root"]).resolve()
    run_dir = Path(args["run_dir"]).resolve()
    entry = args["entry"]
    config: dict[str, str] = dict(args["config"])
    secret_keys: list[str] = list(args.get("secret_keys", []))

    os.chdir(run_dir)
    sys.path[0] = str(run_dir)  # as the language host does for the program
    os.environ["PULUMI_CONFIG"] = json.dumps(config)
    os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(secret_keys)
    pulumi.runtime.set_all_config(config, secret_keys)

    ctx = mock_outputs.MockContext(account_id=args.get("account_id") or mock_outputs.FAKE_ACCOUNT_ID,
                                   zones=args.get("zones") or {})
    monitor = capture_monitor.CaptureMonitor(
        ctx, project=args["project"], stack=args["stack"], config=config, program_root=root,
        excluded_dirs=[Path(d).resolve() for d in args.get("excluded_dirs", [])])
    collector = _LogCollector()
    logger = logging.getLogger("hipaa_guard.offline.program")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(collector)

    log = _construction_log()
    errors: list[dict] = []
    try:
        pulumi.runtime.set_mocks(capture_monitor.UnusedMocks(), project=args["project"], stack=args["stack"],
                                 preview=True, logger=logger, monitor=monitor, organization=args.get("organization"))
        _sync_await(run_pulumi_func(lambda: _run_program(entry)))
    except BaseException as exc:  # noqa: BLE001 - every failure of the program is a finding
        errors.append(error_facts(exc, monitor.in_program))

    records = order_records(monitor.records, log, list(monitor.default_providers.values()))
    secrets = _secret_strings(records, wire) | {config[k] for k in secret_keys if k in config}
    for error in errors:
        error["message"] = redact(error["message"], secrets)
    return {"resources": records, "invokes": monitor.invokes, "errors": errors,
            "logs": [{**r, "message": redact(r["message"], secrets)} for r in collector.records]}


def _run_program(entry: str):
    """Run the program's main module, then register the stack's exports (and a `pulumi.run` entrypoint)."""
    import runpy

    from pulumi.runtime.settings import get_root_resource

    runpy.run_path(entry, run_name="__main__")
    stack = get_root_resource()
    take = getattr(stack, "_take_async_program", None)
    program = take() if take else None

    async def finish():
        if program is not None:
            outputs = await program()
            if outputs:
                stack._add_program_outputs(outputs)
        _register_stack_outputs(stack)

    return finish()


def _register_stack_outputs(stack) -> None:
    """`set_mocks` registered the stack's (empty) outputs before the program ran; register the exports."""
    if getattr(stack, "outputs", None) and hasattr(stack, "_outputs_registered"):
        stack._outputs_registered = False
        stack._finish()


def main(argv: list[str]) -> int:
    args_path = Path(argv[1])
    args = json.loads(args_path.read_text())
    try:
        result = run(args)
    except BaseException as exc:  # noqa: BLE001 - e.g. no Pulumi SDK in the program's interpreter
        result = {"resources": [], "invokes": [], "logs": [],
                  "errors": [error_facts(exc, lambda p: False)]}
    out = Path(args["result_path"])
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result))
    os.replace(tmp, out)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
