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
import re
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


_RESOURCE_WRAPPER_RE = re.compile(r"^While processing resource: '([^'\n]*)', type:? '([^'\n]*)'")
_INPUT_WRAPPER_RE = re.compile(r"^While processing input: '([^'\n]*)'")
_OUTPUT_CHECK_RE = re.compile(r" at resource `([^`]*)`(?:, property `([^`]*)`)?: .*$", re.S)
_OUTPUT_CHECK_FUNCTIONS = frozenset({"translate_output_properties", "resolve_outputs"})
_COMPILE_FUNCTIONS = frozenset({"_get_code_from_file", "run_path"})  # runpy compiling the entry point


def sdk_cause(exc: BaseException) -> BaseException:
    """The program's own exception behind the SDK's "While processing resource/input ..." wrappers (whose
    text also holds a repr of the input value, which may be a secret)."""
    return _unwrap(exc)[0]


def _unwrap(exc: BaseException) -> tuple[BaseException, list[BaseException]]:
    """(the innermost exception, the SDK wrappers around it, outermost first)."""
    seen = {id(exc)}
    wrappers: list[BaseException] = []
    while str(exc).startswith("While processing "):
        # The SDK re-raises with `raise exn from exn`: follow the context when the cause is itself.
        inner = next((e for e in (exc.__cause__, exc.__context__) if e is not None and id(e) not in seen), None)
        if inner is None:
            break
        wrappers.append(exc)
        exc = inner
        seen.add(id(exc))
    return exc, wrappers


def _is_preview_frame(filename: str) -> bool:
    """A frame of the offline preview's own machinery (mocks, monitor), not the runner's program launch."""
    path = Path(filename)
    return path.parent == _HERE and path.name != "runner.py"


def error_facts(exc: BaseException, in_program, sites: dict | None = None, entry: str | None = None) -> dict:
    """Kind, message, program file/line, origin and traceback files of an exception (classified by capture.py).

    The location is the innermost frame in the program's own files; when the exception was raised inside the
    SDK with no program frame (an input the SDK cannot serialise, a type check), the place where the program
    constructed the resource the SDK names. `origin` is "preview" when the mocks' own answer failed (raised in
    the preview's modules, or by the SDK's check of a mock's outputs), else "program".
    """
    cause, wrappers = _unwrap(exc)
    frames = traceback.extract_tb(cause.__traceback__)
    file = line = None
    for frame in frames:  # innermost program frame wins
        if frame.filename and in_program(Path(frame.filename)):
            file, line = frame.filename, frame.lineno
    message = str(cause)
    resource = prop = None
    for wrapper in wrappers:
        m = _RESOURCE_WRAPPER_RE.match(str(wrapper))
        resource = (m.group(2), m.group(1)) if m else resource
        m = _INPUT_WRAPPER_RE.match(str(wrapper))
        prop = m.group(1) if m else prop
    origin = "program"
    checked = _OUTPUT_CHECK_RE.search(message)
    if any(f.name in _OUTPUT_CHECK_FUNCTIONS for f in frames) or (frames and _is_preview_frame(frames[-1].filename)):
        origin = "preview"
        if checked:  # the SDK appends the (possibly secret) value: keep where, drop what
            resource = resource or (None, checked.group(1))
            message = message[:checked.start()] + checked.group(0).split(": ", 1)[0]
    if resource is not None and not message.startswith("resource "):
        where = f"resource '{resource[1]}'" + (f" ({resource[0]})" if resource[0] else "")
        message = f"{where}" + (f", input '{prop}'" if prop else "") + f": {message}"
    if file is None and resource is not None and sites:
        site = sites.get(resource) or next((s for (t, n), s in sites.items() if n == resource[1]), None)
        if site:
            file, line = site["file"], site["line"]
    if isinstance(cause, SyntaxError):
        message = cause.msg or message
        if cause.filename and cause.filename != "<string>":
            file, line = cause.filename, cause.lineno
    if file is None and entry and any(f.name in _COMPILE_FUNCTIONS for f in frames[-2:]):
        file = entry  # the entry point itself could not be compiled (binary, NUL bytes, bad encoding)
    owner = getattr(cause, "obj", None) if isinstance(cause, AttributeError) else None
    enum_cls = _enum_of_missing_member(cause)
    if enum_cls is not None:  # Python < 3.12 says only the member's name: say it as 3.12 does
        owner = enum_cls
        message = f"type object '{enum_cls.__name__}' has no attribute '{message.strip(chr(39))}'"
    owner_module = None
    if owner is not None:
        owner_module = owner.__name__ if isinstance(owner, types.ModuleType) else getattr(type(owner), "__module__", None)
        if isinstance(owner, type):
            owner_module = owner.__module__
    return {"kind": type(cause).__name__, "message": message, "file": file, "line": line, "origin": origin,
            "trace_files": [f.filename for f in frames], "owner_module": owner_module,
            "traceback": "".join(traceback.format_exception(cause))}


def _enum_of_missing_member(exc: BaseException):
    """The Enum class whose missing member raised `exc` with only the member's name as its message
    (`EnumMeta.__getattr__` on Python < 3.12), else None."""
    import enum

    if not isinstance(exc, AttributeError) or "has no attribute" in str(exc):
        return None
    cls = getattr(exc, "obj", None)
    if cls is None:
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        cls = tb.tb_frame.f_locals.get("cls") if tb is not None else None
    return cls if isinstance(cls, type) and issubclass(cls, enum.Enum) else None


def _construction_log(in_program=None):
    """Patch Resource.__init__ to note construction order (registrations arrive from executor threads in no
    fixed order, so resources are reported in the order the program constructed them) and where in the
    program each resource is constructed (an error the SDK raises later, off the program's stack, is
    reported there)."""
    import pulumi.resource

    log: list[tuple[str, str]] = []
    sites: dict[tuple[str, str], dict] = {}
    original = pulumi.resource.Resource.__init__

    def init(self, t, name, *args, **kwargs):
        log.append((t, name))
        if in_program is not None:
            frame = sys._getframe(1)
            while frame is not None:
                if _in_program_cached(frame.f_code.co_filename, in_program):
                    sites.setdefault((t, name), {"file": frame.f_code.co_filename, "line": frame.f_lineno})
                    break
                frame = frame.f_back
        return original(self, t, name, *args, **kwargs)

    pulumi.resource.Resource.__init__ = init
    return log, sites


_PROGRAM_FILES: dict[str, bool] = {}


def _in_program_cached(filename: str, in_program) -> bool:
    if filename not in _PROGRAM_FILES:
        _PROGRAM_FILES[filename] = bool(filename) and not filename.startswith("<") and in_program(Path(filename))
    return _PROGRAM_FILES[filename]


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


def _secret_tracker(wire) -> set[str]:
    """Every string the program's secret Outputs resolve to, wherever they go (a resource, an apply callback
    that raises, an export), so error messages and logs can redact them. Records at the SDK's one place where
    an Output's value and secretness meet (`_OutputData`); `Output.secret` of a plain value otherwise."""
    import pulumi.output as output_module

    found: set[str] = set()

    def note(value):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found.add(str(value))
        elif isinstance(value, dict):
            for item in value.values():
                note(item)
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                note(item)

    data_cls = getattr(output_module, "_OutputData", None)
    if data_cls is not None and hasattr(data_cls, "__post_init__"):
        original_post_init = data_cls.__post_init__

        def post_init(self):
            original_post_init(self)
            if self.is_secret:
                note(self.value)

        data_cls.__post_init__ = post_init
    else:  # an SDK without _OutputData: at least the plain values a program marks secret
        original_secret = output_module.Output.secret

        def secret(val):
            note(val)
            return original_secret(val)

        output_module.Output.secret = staticmethod(secret)
    return found


def run(args: dict) -> dict:
    import pulumi  # first: a missing SDK is the program's error (requirement-missing), not ours
    import pulumi.runtime

    capture_monitor, mock_outputs, wire = _siblings()

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
    _typed_secret_reads({k for k in secret_keys if isinstance(config.get(k), str)})
    _parse_stand_ins(mock_outputs.STAND_IN_MARKER)

    ctx = mock_outputs.MockContext(account_id=args.get("account_id") or mock_outputs.FAKE_ACCOUNT_ID,
                                   zones=args.get("zones") or {})
    excluded = [Path(d).resolve() for d in args.get("excluded_dirs", [])]
    in_program = capture_monitor.CaptureMonitor(ctx, project="", stack="", config={}, program_root=root,
                                                excluded_dirs=excluded).in_program
    log, sites = _construction_log(in_program)
    secret_values = _secret_tracker(wire)
    modes = list(args.get("unknowns") or ["full"])
    passes = []
    for number, mode in enumerate(modes):
        if number and passes[0]["errors"]:
            break  # a program that cannot be constructed gets no analysis: no further pass either
        if number:
            _forget_program(in_program)
            log.clear()
            sites.clear()
        monitor = capture_monitor.CaptureMonitor(
            ctx, project=args["project"], stack=args["stack"], config=config, program_root=root,
            excluded_dirs=excluded, computed_unknown=(mode == "first-preview"))
        passes.append(_capture_pass(args, monitor, log, sites, entry))

    secrets = {config[k] for k in secret_keys if k in config} | set(secret_values)
    for result in passes:
        secrets |= _secret_strings(result["resources"], wire)
    for result in passes:
        for error in result["errors"]:
            error["message"] = redact(error["message"], secrets)
            error["traceback"] = redact(error["traceback"], secrets)
        for record in result["logs"]:
            record["message"] = redact(record["message"], secrets)
    first = passes[0]
    first["passes"] = {mode: {"resources": result["resources"], "errors": result["errors"]}
                       for mode, result in zip(modes[1:], passes[1:])}
    return first


class _StandIn(dict):
    """A value the preview cannot know, as the program reads it (the Node preload's `standIn`): the fields it has,
    and `value_for(field)` for any other (a secure config object read as JSON; a secret's text the mocks invented,
    parsed)."""

    def __init__(self, fields: dict, value_for):
        super().__init__(fields)
        self.value_for = value_for

    def __missing__(self, key):
        return self.value_for(key)

    def get(self, key, default=None):
        return self[key]


def _parse_stand_ins(marker: str) -> None:
    """`json.loads` of a document the mocks invented answers every field (the Node preload does the same for
    JSON.parse); any other document parses as it always does."""
    original = json.loads

    def loads(s, *args, **kwargs):
        value = original(s, *args, **kwargs)
        if isinstance(value, dict) and value.get(marker) is True:
            return _StandIn(value, lambda key: f"offline-{key}")
        return value

    json.loads = loads


def _typed_secret_reads(secure_keys: set) -> None:
    """A top-level `secure:` value reaches the program as a placeholder string, which is not JSON: a read as an
    object (`require_secret_object`, `get_object`, ...) gets a `_StandIn` answering every field with the
    placeholder, instead of a ConfigTypeError.
    (The Node preload does the same for Node programs.)"""
    import pulumi.config

    original = pulumi.config.Config._get_object

    def get_object(self, key, *rest, **kwargs):
        try:
            return original(self, key, *rest, **kwargs)
        except pulumi.config.ConfigTypeError:
            full = self.full_key(key)
            if full not in secure_keys:
                raise
            placeholder = pulumi.runtime.get_config(full)
            return _StandIn({}, lambda _: placeholder)

    pulumi.config.Config._get_object = get_object


def _capture_pass(args: dict, monitor, log: list, sites: dict, entry: str) -> dict:
    """Run the program once under `monitor`; its registrations in construction order, errors and logs."""
    import pulumi.runtime
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    capture_monitor, _, _ = _siblings()
    collector = _LogCollector()
    logger = logging.getLogger(f"hipaa_guard.offline.program.{id(monitor)}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(collector)
    errors: list[dict] = []
    try:
        pulumi.runtime.set_mocks(capture_monitor.UnusedMocks(), project=args["project"], stack=args["stack"],
                                 preview=True, logger=logger, monitor=monitor, organization=args.get("organization"))
        _sync_await(run_pulumi_func(lambda: _run_program(entry)))
    except BaseException as exc:  # noqa: BLE001 - every failure of the program is a finding
        errors.append(error_facts(exc, monitor.in_program, sites, entry))
    records = order_records(monitor.records, log, list(monitor.default_providers.values()))
    return {"resources": records, "invokes": monitor.invokes, "errors": errors, "logs": collector.records}


def _forget_program(in_program) -> None:
    """Before another pass: the program's own modules run again (they may construct resources on import),
    in a fresh root stack; provider SDK modules stay imported (the expensive part)."""
    from pulumi.runtime import settings

    for name, module in list(sys.modules.items()):
        filename = getattr(module, "__file__", None)
        if filename and _in_program_cached(filename, in_program):
            del sys.modules[name]
    settings.ROOT.set(None)


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
