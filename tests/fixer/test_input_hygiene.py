"""Bad input and hostile files: one line naming the file or argument and the problem, exit 2, nothing
half-written, no hang; files read as Python reads them and written back as they were stored."""
import codecs
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

from fixer import source
from fixer.cli import main

BAD = "import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', replication_group_description='d')\n"
FIXED = "import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='d')\n"
REPO = Path(__file__).resolve().parents[2]


def _fixer(*args, cwd, timeout=60):
    """The real command line, in a fresh process (what a user runs; a hang fails the test instead of the run)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "fixer", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_fifo_and_device_symlink_are_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    os.symlink("/dev/zero", tmp_path / "zero.py")
    (tmp_path / "ok.py").write_text(BAD)
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")  # the project rules read files too
    os.mkfifo(tmp_path / "requirements.txt")
    done = _fixer("check", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"{tmp_path / 'pipe.py'}: not read: a FIFO, not a regular file" in done.stdout
    assert f"{tmp_path / 'zero.py'}: not read: a character device, not a regular file" in done.stdout
    assert "provider-keyword-renamed" in done.stdout  # the regular file is still checked
    assert "Traceback" not in done.stderr + done.stdout


def test_oversized_and_binary_files_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(source, "MAX_SOURCE_BYTES", 64)
    monkeypatch.setattr(source.read_bytes, "__defaults__", (64,))
    (tmp_path / "big.py").write_text("x = 1\n" * 20)
    (tmp_path / "bin.py").write_bytes(b"x = 1\ny = 2\n\x00\x01\x02")
    assert main(["check", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert f"{tmp_path / 'big.py'}: not read: 120 bytes, over the 64-byte limit" in out
    assert f"{tmp_path / 'bin.py'}:3: not Python source: it contains a NUL byte" in out


def test_missing_path_and_empty_directory_are_exit_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.strip() == f"fixer: error: {tmp_path / 'nope'}: no such file or directory"
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not python\n")
    assert main(["check", str(tmp_path / "empty")]) == 2
    assert capsys.readouterr().err.strip() == f"fixer: error: no Python files under {tmp_path / 'empty'}"


def test_unreadable_file_and_unwritable_directory_name_the_source(tmp_path, capsys, monkeypatch):
    """Permissions are simulated (the suite may run as root, who reads and writes anything): the errors the
    system raises are the ones a user without rights gets."""
    unreadable, unwritable = tmp_path / "secret.py", tmp_path / "ro" / "bad.py"
    unreadable.write_text(BAD)
    unwritable.parent.mkdir()
    unwritable.write_text(BAD)
    real_open, real_mkstemp = os.open, source.tempfile.mkstemp

    def deny_open(path, *args, **kwargs):
        if str(path) == str(unreadable):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def deny_mkstemp(*args, dir=None, **kwargs):
        if dir == str(unwritable.parent):
            raise PermissionError(13, "Permission denied", os.path.join(dir, ".fixer-x.tmp"))
        return real_mkstemp(*args, dir=dir, **kwargs)
    monkeypatch.setattr(source.os, "open", deny_open)
    monkeypatch.setattr(source.tempfile, "mkstemp", deny_mkstemp)
    assert main(["apply", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert f"error: {unreadable}: cannot read: permission denied" in out
    assert f"error: {unwritable}: cannot write: Permission denied (the fix needs a new file in {unwritable.parent})" in out
    assert ".fixer-" not in out  # the temp file is not what the user asked about
    assert unwritable.read_text() == BAD


def test_unexpected_error_is_one_line_unless_verbose(tmp_path, capsys, monkeypatch):
    from fixer import runner
    (tmp_path / "m.py").write_text(BAD)

    def broken(*args, **kwargs):
        raise RuntimeError("rule crashed\non two lines")
    monkeypatch.setattr(runner, "process_file", broken)
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == ("fixer: error: RuntimeError: rule crashed on two lines (run with --verbose for the traceback)\n")
    try:
        main(["check", "--verbose", str(tmp_path)])
    except RuntimeError as exc:
        assert "rule crashed" in str(exc)
    else:
        raise AssertionError("--verbose must let the exception through")


def test_bom_and_coding_declaration_are_read_and_written_as_stored(tmp_path, capsys):
    bom = tmp_path / "bom.py"
    bom.write_bytes(codecs.BOM_UTF8 + ("# café\n" + BAD).encode("utf-8"))
    latin = tmp_path / "latin.py"
    latin.write_bytes(("# -*- coding: latin-1 -*-\n# café\n" + BAD).encode("latin-1"))
    assert main(["apply", str(tmp_path)]) == 0
    assert bom.read_bytes() == codecs.BOM_UTF8 + ("# café\n" + FIXED).encode("utf-8")
    assert latin.read_bytes() == ("# -*- coding: latin-1 -*-\n# café\n" + FIXED).encode("latin-1")


def test_crlf_source_stays_crlf_including_added_lines(tmp_path, capsys):
    path = tmp_path / "m.py"
    program = "import pulumi_aws as aws\n\npw = aws.secretsmanager.RandomPassword('pw', password_length=20)\n"
    path.write_bytes(program.replace("\n", "\r\n").encode())
    assert main(["apply", str(path)]) == 0
    written = path.read_bytes()
    assert b"import pulumi_random\r\n" in written and b"RandomPassword('pw', length=20)\r\n" in written
    assert written.count(b"\n") == written.count(b"\r\n")


def test_symlinked_source_is_fixed_at_its_target(tmp_path, capsys):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "stack.py"
    target.write_text(BAD)
    link = tmp_path / "prog" / "__main__.py"
    link.parent.mkdir()
    link.symlink_to(target)
    assert main(["apply", str(link.parent)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == FIXED
    assert sorted(p.name for p in target.parent.iterdir()) == ["stack.py"]  # no temp file left behind


def test_python_312_source_parses_and_is_fixed_on_any_interpreter(tmp_path, capsys):
    """PEP 701 f-strings (quotes reused, expressions over several lines), PEP 695 ``type`` statements and type
    parameters: valid Python 3.12, refused by the ``ast`` of 3.11."""
    program = (
        "import pulumi_aws as aws\n\n"
        "type Tags = dict[str, str]\n\n\n"
        "def tagged[T](value: T) -> T:\n    return value\n\n\n"
        "names = {'env': 'prod'}\n"
        "label = f\"{names[\"env\"]}-{\n    'cache'  # a comment inside the braces\n}\"\n"
        "joined = 'x-' f\"{'\\n'.join(names)}\"\n"
        "rg = aws.elasticache.ReplicationGroup(f'{label}-rg', replication_group_description=f'{'x' + \"y\"}')\n"
    )
    path = tmp_path / "m.py"
    path.write_text(program)
    assert main(["check", "--format", "json", str(path)]) == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["rule"], finding["line"]) == ("provider-keyword-renamed", 15)
    assert main(["apply", str(path)]) == 0
    capsys.readouterr()
    assert path.read_text() == program.replace("replication_group_description=", "description=")


def test_project_virtualenv_without_pulumi_aws_is_exit_2_not_a_silent_pass(tmp_path, capsys):
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env)  # no pulumi-aws in it
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
    (tmp_path / "__main__.py").write_text(BAD)
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fixer: error: no pulumi-aws found for this program: looked at Pulumi.yaml "
                          f"runtime.options.virtualenv ({env / 'bin' / 'python'})") and "--python" in err
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")  # not declared: venv/ beside it
    assert main(["check", str(tmp_path)]) == 2
    assert f"{env} beside Pulumi.yaml" in capsys.readouterr().err
    assert main(["check", "--python", str(env / "bin" / "python"), str(tmp_path / "__main__.py")]) == 2
    assert f"looked at --python {env / 'bin' / 'python'}" in capsys.readouterr().err


def test_requirements_keep_their_line_endings(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "requirements.txt").write_bytes(b"pulumi>=3.0\r\npulumi-aws>=7\r\n")
    (tmp_path / "__main__.py").write_text("import pulumi\nimport pulumi_aws\nimport pulumi_random\n")
    assert main(["apply", str(tmp_path)]) == 0
    assert (tmp_path / "requirements.txt").read_bytes() == b"pulumi>=3.0\r\npulumi-aws>=7\r\npulumi-random\r\n"


def test_broken_project_files_do_not_stop_the_run(tmp_path, capsys):
    """A Pulumi.yaml that is not UTF-8, a stack file whose config is a list, a FIFO as pyproject.toml: their
    settings are absent, the run goes on (no hang, no traceback)."""
    (tmp_path / "Pulumi.yaml").write_bytes(b"name: caf\xe9\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: [a, b]\n")
    os.mkfifo(tmp_path / "pyproject.toml")
    (tmp_path / "__main__.py").write_text(BAD)
    done = _fixer("check", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1 and "provider-keyword-renamed" in done.stdout, done.stderr
    assert done.stderr == ""


def test_mixed_line_endings_are_left_as_they_were(tmp_path, capsys):
    path = tmp_path / "m.py"
    path.write_bytes(b"import pulumi_aws as aws\r\nx = 1\n" + BAD.splitlines()[1].encode() + b"\r\n")
    assert main(["apply", str(path)]) == 0
    assert path.read_bytes() == b"import pulumi_aws as aws\r\nx = 1\n" + FIXED.splitlines()[1].encode() + b"\r\n"
