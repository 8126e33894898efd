"""How the fixer reads, parses, checks and writes a source file: the one place for each.

- Reading: only regular files (a symlink is followed to its target), at most ``MAX_SOURCE_BYTES``, opened
  without blocking (a FIFO or device never hangs the run), decoded the way Python decodes source (a UTF-8 BOM,
  a PEP 263 ``# -*- coding: ... -*-`` line), line endings kept as they are.
- Parsing: the running interpreter's ``ast`` when it can (fast); source it cannot parse but libcst can (Python
  3.12 f-strings and ``type`` statements on 3.11) is rewritten, line for line, into equivalent source that the
  running ``ast`` accepts, so the ``ast``-level facts still see its calls, names and attributes.
- Checking: a fixed source is written only if ``compile()`` accepts it (``ast.parse`` accepts a repeated
  keyword; the compiler does not).
- Writing: a temp file beside the real file (a symlink's target, not the link), then ``os.replace``; the
  original encoding, BOM and line endings are kept.
"""
from __future__ import annotations

import ast
import codecs
import io
import os
import re
import stat
import tempfile
import tokenize
import warnings
from dataclasses import dataclass

# Generated Pulumi programs are a few kB; the largest real file we have seen is ~200 kB. Far above that is
# not a program but a data file or a device, and reading it whole would only cost memory.
MAX_SOURCE_BYTES = 4 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be read, parsed or written: ``path``, ``line`` (None when not about a line)."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class SourceText:
    """A decoded source and how to encode it back exactly as it was stored."""

    text: str
    encoding: str = "utf-8"  # codec name as Python's tokenizer reports it
    bom: bool = False
    newline: str = "\n"  # the file's line ending (see dominant_newline)

    def encode(self, text: str) -> bytes:
        body = with_newlines(text, self.newline).encode(self.encoding)
        return codecs.BOM_UTF8 + body if self.bom else body


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The content of a regular file (symlinks followed), refusing anything else without blocking on it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise SourceError(path, None, "no such file (or a symlink to a missing file)") from None
    except PermissionError:
        raise SourceError(path, None, "cannot read: permission denied") from None
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)  # of what was opened: no race between a check and the read
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(path, None, f"not read: {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise SourceError(path, None, f"not read: {info.st_size} bytes, over the {limit}-byte limit for a source file")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:  # grew while being read
                raise SourceError(path, None, f"not read: over the {limit}-byte limit for a source file")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def dominant_newline(text: str) -> str:
    """CRLF when every line ends so; else LF (a file mixing both is written back with its lines as they were,
    and the lines a fix adds end in LF)."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf == text.count("\n") else "\n"


def with_newlines(text: str, newline: str) -> str:
    """``text`` with every bare LF written as ``newline`` (fixes insert LF lines into CRLF files)."""
    return re.sub(r"(?<!\r)\n", "\r\n", text) if newline == "\r\n" else text


def decode_source(path: str, raw: bytes) -> SourceText:
    """Decode as Python does: BOM, then a PEP 263 coding line in the first two lines, else UTF-8."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise SourceError(path, line, "not Python source: it contains a NUL byte (a binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:  # unknown codec, or a BOM beside a non-UTF-8 coding line
        raise SourceError(path, 1, f"cannot decode: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise SourceError(path, line, f"not valid {codec} ({exc.reason} at byte {exc.start})") from None
    return SourceText(text, codec, bom, dominant_newline(text))


def read_source(path: str) -> SourceText:
    return decode_source(path, read_bytes(path))


# -- parsing -----------------------------------------------------------------------------------------
@dataclass
class Parsed:
    tree: ast.Module
    module: object = None  # the libcst Module when one was needed to parse (reused by the runner)
    rewritten: bool = False  # the tree is of an equivalent rewrite: its columns may differ from the source's


def parse(path: str, source: str) -> Parsed:
    """The ``ast`` of ``source``; newer-Python source goes through libcst (see the module docstring)."""
    try:
        return Parsed(ast.parse(source, filename=path))
    except SyntaxError as exc:
        first = exc
    except ValueError as exc:  # e.g. a NUL byte that slipped through
        raise SourceError(path, 1, str(exc)) from None
    import libcst as cst
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        raise SourceError(path, first.lineno or 1, f"syntax error: {first.msg}") from None
    try:
        tree = ast.parse(for_running_python(module), filename=path)
    except (SyntaxError, ValueError):
        raise SourceError(path, first.lineno or 1, f"syntax error: {first.msg} (valid for a newer Python, "
                                                    f"but not rewritable for this one)") from None
    return Parsed(tree, module, rewritten=True)


def for_running_python(module) -> str:
    """Code equivalent to ``module`` for the purposes of the fixer's facts, that this interpreter parses, with
    every statement on the line it had: PEP 695 ``type X = v`` -> ``X = v``, type parameters dropped, and
    PEP 701 f-strings rewritten as triple-quoted f-strings (or, when no quoting works, as a tuple of their
    expressions, which keeps the calls and names they contain)."""
    import libcst as cst

    class Downgrade(cst.CSTTransformer):
        def leave_TypeAlias(self, original, updated):
            return cst.Assign(targets=[cst.AssignTarget(updated.name)], value=updated.value)

        def leave_FunctionDef(self, original, updated):
            return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

        def leave_ClassDef(self, original, updated):
            return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

        def leave_FormattedString(self, original, updated):
            code = cst.Module([]).code_for_node(updated)
            if _parses(code):
                return updated
            inner = code[len(updated.prefix) + len(updated.start): len(code) - len(updated.end)]
            for quote in ('"""', "'''"):
                if quote in inner or inner.endswith(quote[0]):
                    continue
                candidate = f"{updated.prefix}{quote}{inner}{quote}"
                if _parses(candidate):
                    return cst.parse_expression(candidate)
            values = [p.expression for p in updated.parts if isinstance(p, cst.FormattedStringExpression)]
            return _tuple(values, updated)

        def visit_ConcatenatedString(self, node):
            return False  # rewritten whole in leave_: libcst allows no tuple inside a concatenation

        def leave_ConcatenatedString(self, original, updated):
            if _parses(cst.Module([]).code_for_node(updated)):
                return updated
            parts: list = []

            def collect(node):
                if isinstance(node, cst.ConcatenatedString):
                    collect(node.left)
                    collect(node.right)
                else:
                    parts.append(node.visit(self) if isinstance(node, cst.FormattedString) else node)
            collect(updated)
            return _tuple(parts, updated)

    return module.visit(Downgrade()).code


def _tuple(values: list, like):
    """``(v1, v2,)`` spanning as many lines as ``like`` (the node it replaces), so later lines keep their
    numbers."""
    import libcst as cst
    code = "(" + "".join(cst.Module([]).code_for_node(v) + ", " for v in values)
    missing = cst.Module([]).code_for_node(like).count("\n") - code.count("\n")
    return cst.parse_expression(code + "\n" * max(0, missing) + ")")


def _parses(expression: str) -> bool:
    try:
        ast.parse(f"({expression})", mode="eval")
        return True
    except (SyntaxError, ValueError):
        return False


def compile_error(path: str, source: str, rewritten: bool = False) -> str | None:
    """Why ``source`` would not compile (None when it would). ``rewritten``: the file needed the
    newer-Python rewrite to parse here, so its rewrite is compiled instead."""
    try:
        if rewritten:
            import libcst as cst
            try:
                source = for_running_python(cst.parse_module(source))
            except cst.ParserSyntaxError as exc:
                return exc.message
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for "\d": the original had it too
            compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return exc.msg  # its line is of a text never written: not shown
    except ValueError as exc:
        return str(exc)
    return None


# -- writing -----------------------------------------------------------------------------------------
def write_atomically(path: str, data: bytes) -> None:
    """Temp file in the target's directory, then ``os.replace``: readers see the old or the new file, never
    half. A symlink is followed: its target is replaced, the link stays a link. Errors name ``path``."""
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    try:
        mode = os.stat(target).st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".fixer-", suffix=".tmp")
    except OSError as exc:
        where = "" if target == os.path.abspath(path) else f" (its target {target})"
        raise SourceError(path, None, f"cannot write{where}: {exc.strerror or exc} "
                                      f"(the fix needs a new file in {directory})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SourceError(path, None, f"cannot write: {exc.strerror or exc}") from None
        raise
