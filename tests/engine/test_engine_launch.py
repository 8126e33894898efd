"""Launching and stopping a pack: the port line, start-up failures, the interpreter, clean shutdown."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

import grpc
import pytest
import yaml
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

from policypack.engine import PackProcess, PackStartError, load_policy_project, run_analysis
from policypack.engine.engine_service import EngineServer
from policypack.engine.policy_project import parse_simple_yaml, resolve_python

from engine_support import ECHO_URN, FIXTURE_PACK, PROJECT, STACK, captured, echo_of, pack_threads

POLICY_YAML = "runtime: python\nversion: 0.0.9\n"
MINIMAL_PACK = textwrap.dedent('''
    from pulumi_policy import PolicyPack, ResourceValidationPolicy
    PolicyPack(name="tiny", policies=[ResourceValidationPolicy(
        name="noop", description="does nothing", validate=lambda args, report: None)])
''')


def write_pack(tmp_path, main: str, policy_yaml: str = POLICY_YAML):
    (tmp_path / "PulumiPolicy.yaml").write_text(policy_yaml)
    (tmp_path / "__main__.py").write_text(main)
    return tmp_path


def process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True  # reaped: not even a zombie is left
    return False


def test_port_is_read_and_shutdown_is_clean():
    before = set(pack_threads())
    with PackProcess(FIXTURE_PACK, project=PROJECT, stack=STACK, config={}) as pack:
        assert isinstance(pack.port, int) and pack.port > 0
        assert pack.returncode is None
        assert pack.engine_address.startswith("127.0.0.1:")
        assert pack.python == sys.executable  # the declared venv does not exist: fall back
        pid = pack.pid
    assert pack.returncode is not None
    assert process_gone(pid)
    assert set(pack_threads()) <= before


def test_crash_at_import_reports_stderr_and_exit_code(tmp_path):
    write_pack(tmp_path, "raise RuntimeError('boom at import time')\n" + MINIMAL_PACK)
    with pytest.raises(PackStartError) as e:
        PackProcess(tmp_path, project=PROJECT, stack=STACK).start()
    message = str(e.value)
    assert "exited before printing its port" in message
    assert "boom at import time" in message and "boom at import time" in e.value.stderr
    assert e.value.exit_code == 1 and "exit code: 1" in message
    assert pack_threads() == []


def test_printing_before_the_port_breaks_start_up(tmp_path):
    write_pack(tmp_path, "print('hello from the pack')\n" + MINIMAL_PACK)
    with pytest.raises(PackStartError) as e:
        PackProcess(tmp_path, project=PROJECT, stack=STACK).start()
    assert "'hello from the pack' to stdout before its port" in str(e.value)
    assert pack_threads() == []


def test_start_timeout(tmp_path):
    write_pack(tmp_path, "import sys, time\nprint('waiting', file=sys.stderr)\ntime.sleep(60)\n")
    pack = PackProcess(tmp_path, project=PROJECT, stack=STACK, start_timeout=4.0)
    with pytest.raises(PackStartError) as e:
        pack.start()
    assert "did not print its port within 4 s" in str(e.value)  # start_timeout formatted with :g
    assert "waiting" in str(e.value)
    assert process_gone(pack.pid)


def test_missing_policy_yaml(tmp_path):
    with pytest.raises(PackStartError, match="failed to load Pulumi policy project"):
        PackProcess(tmp_path, project=PROJECT, stack=STACK).start()


def test_virtualenv_interpreter_path_and_extra_env(tmp_path):
    pack_dir = tmp_path / "pack"
    shutil.copytree(FIXTURE_PACK, pack_dir)
    venv_bin = pack_dir / "venv" / "bin"
    venv_bin.mkdir(parents=True)
    fake_python = venv_bin / "python"  # stands in for a venv interpreter
    fake_python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    fake_python.chmod(0o755)
    echo = captured("test:index:Echo", "echo", ECHO_URN, {}, provider=None)
    result = run_analysis(pack_dir, [echo], project=PROJECT, stack=STACK, env={"FIXTURE_MARKER": "m1"})
    seen = echo_of(result)
    assert seen["path0"] == str((pack_dir / "venv" / "bin").resolve())  # the shim puts the venv first on PATH
    assert seen["env"]["FIXTURE_MARKER"] == "m1"
    assert seen["provider"] is None


def test_resolve_python_prefers_existing_venv(tmp_path):
    project = load_policy_project(FIXTURE_PACK)
    assert project.runtime_options == {"virtualenv": "venv"} and project.version == "1.2.3"
    assert resolve_python(tmp_path, project, "/opt/py") == ("/opt/py", None)
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    (tmp_path / "venv" / "bin" / "python").write_text("")
    python, venv = resolve_python(tmp_path, project, "/opt/py")
    assert python == str(tmp_path / "venv" / "bin" / "python") and venv == (tmp_path / "venv").resolve()


def test_simple_yaml_parser_matches_pyyaml():
    for text in ((FIXTURE_PACK / "PulumiPolicy.yaml").read_text(),
                 "runtime: python  # c\ndescription: 'a: b'\nversion: \"0.1.0\"\nmain: src/\n"):
        expected = {k: (str(v) if not isinstance(v, (dict, bool)) else v) for k, v in yaml.safe_load(text).items()}
        assert parse_simple_yaml(text) == expected


def test_engine_service_collects_logs():
    server = EngineServer()
    try:
        with grpc.insecure_channel(server.address) as channel:
            stub = engine_pb2_grpc.EngineStub(channel)
            stub.Log(engine_pb2.LogRequest(severity=engine_pb2.WARNING, message="careful", urn="urn:x"))
            stub.SetRootResource(engine_pb2.SetRootResourceRequest(urn="urn:root"))
            assert stub.GetRootResource(engine_pb2.GetRootResourceRequest()).urn == "urn:root"
        [record] = server.logs
        assert (record.severity, record.message, record.urn) == ("warning", "careful", "urn:x")
    finally:
        server.stop()
