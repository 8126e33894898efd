"""The HTML control report in a real headless browser (Debian's chromium, installed by .ci/setup): the page
renders its control table, paints a non-blank screenshot with its status colours, and shows no secret.

Under CI=true a missing browser fails the test: the README's test command installs it, so its absence is a
broken setup, not a reason to skip."""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from report_helpers import SECRETS, table_rows

from policypack.control_report import FAIL, render_html

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
WIDTH, HEIGHT = 1280, 1200


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    message = f"no headless browser on PATH (looked for {', '.join(BROWSERS)}); bash .ci/setup installs chromium"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    # --no-sandbox: CI runs as root, where chromium's sandbox refuses to start. Own profile per run: parallel
    # test workers (and other users of the machine) must not share one.
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def _add_bytes(a: bytes, b: bytes) -> bytes:
    """Byte-wise (a + b) mod 256 of two equal-length strings, in one big-integer operation (no per-byte loop)."""
    n = len(a)
    low, high = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return (((x & low) + (y & low)) ^ ((x ^ y) & high)).to_bytes(n, "big")


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, as chromium writes screenshots."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytes(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, data = raw[start], raw[start + 1:start + 1 + stride]
        if kind in (0, 2):  # None and Up, most rows of a page: no dependency within the row
            line = data if kind == 0 else _add_bytes(data, prev)
        else:
            line = bytearray(data)
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                if kind == 1:
                    line[i] = (line[i] + a) & 255
                elif kind == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            line = bytes(line)
        rows.append(line)
        prev = line
    return width, height, rows


def test_without_a_browser_the_test_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="bash .ci/setup installs chromium"):
        _browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        _browser()


def test_the_html_report_renders_in_chromium_with_its_control_table_and_no_secret(previews, tmp_path):
    browser = _browser()
    _, controls, _ = previews["secret_exempt"]
    assert any(c.status == FAIL for c in controls.controls), "the page must show a failing control"
    page = tmp_path / "report.html"
    page.write_text(render_html(controls), encoding="utf-8")
    shot = tmp_path / "report.png"
    url = page.as_uri()
    with ThreadPoolExecutor(max_workers=2) as pool:
        dom_run = pool.submit(_run, browser, tmp_path / "profile-dom", "--dump-dom", url)
        shot_run = pool.submit(_run, browser, tmp_path / "profile-shot", f"--window-size={WIDTH},{HEIGHT}",
                               f"--screenshot={shot}", url)
        dom, shot_proc = dom_run.result(), shot_run.result()
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert shot_proc.returncode == 0 and shot.is_file(), shot_proc.stderr[-2000:]

    # The DOM the browser built holds the control table: one row per control, with its id, title and status.
    parsed = table_rows(dom.stdout)
    rows = [r for r in parsed.rows if len(r) == 7 and r[0].startswith("164.")]
    assert [r[0] for r in rows] == [c.id for c in controls.controls]
    assert [r[6] for r in rows] == [c.status for c in controls.controls]
    assert any(r[0] == "164.312(a)(2)(iv)" and r[1].startswith("Access control: encryption") for r in rows)
    # User data stays text: the bucket's markup-looking name is shown, not turned into elements.
    assert "exports-&lt;b&gt;bold&lt;/b&gt;" in dom.stdout and "<b>bold</b>" not in dom.stdout
    assert not [s for s in SECRETS if s in dom.stdout]

    # The screenshot is the page painted: mostly white, with a real amount of text, and the red of a failing status.
    width, height, pixels = _pixels(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    bpp = len(pixels[0]) // width
    inked = red = 0
    for row in pixels[::4]:
        for x in range(0, len(row), bpp * 4):
            r, g, b = row[x], row[x + 1], row[x + 2]
            inked += (r, g, b) != (255, 255, 255)
            red += r > 150 and g < 90 and b < 90
    sampled = (height // 4 + (height % 4 > 0)) * ((width + 3) // 4)
    assert 0.01 < inked / sampled < 0.6, f"{inked} of {sampled} sampled pixels are not white"
    assert red > 0, "no failing-status colour painted: the stylesheet did not apply"
