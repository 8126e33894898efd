"""The provider's API history: what changed between pulumi-aws majors, learned from the packages themselves.

``python -m fixer.api_history build`` downloads one release per major from the package index with pip (a
wheel, or the sdist where PyPI has no wheel: pulumi-aws 5.x), reads each with the static index
(``fixer/provider_index.py``; nothing is imported), and diffs them by type token, which is stable across
majors: classes renamed or moved, keywords renamed (resources and ``*Args`` input classes, whose fields the
``*ArgsDict`` literals share), list <-> single shape changes, renamed outputs and function results. It
writes ``fixer/data/api_history.json.xz``: the indexes themselves (``--provider-version`` uses them when no
provider is installed) and the drift, with the source versions and the build date. Tests and the fixer only
read the shipped file; nothing is downloaded at run time.

A drift entry is a *candidate*: a rule applies it only when the installed index confirms that exactly one
answer is valid (the old name is gone, the new one exists); otherwise the finding carries ranked
suggestions (see :func:`rank_keywords`).
"""
from __future__ import annotations

import argparse
import datetime
import difflib
import json
import lzma
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from .provider_index import ProviderIndex, build_index, packages_in

DATA_FILE = Path(__file__).parent / "data" / "api_history.json.xz"
HISTORY_FORMAT = 1
# The releases the shipped file is built from: the last release of each major (PyPI, 2026-12-04).
DEFAULT_RELEASES = {"pulumi_aws": ["5.43.0", "6.83.4", "7.51.1"], "pulumi_random": ["3.2.0", "4.21.4"]}
DIST_NAMES = {"pulumi_aws": "pulumi-aws", "pulumi_random": "pulumi-random"}


# -- reading the shipped history -----------------------------------------------------------------------
@lru_cache(maxsize=1)
def history() -> dict:
    """The shipped history (``{}`` when the data file is absent, e.g. in a partial checkout)."""
    try:
        with lzma.open(DATA_FILE, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return {}
    if data.get("format") != HISTORY_FORMAT:
        raise ValueError(f"{DATA_FILE}: unsupported format {data.get('format')!r}")
    return data


def shipped_majors(package: str = "pulumi_aws") -> list[int]:
    return sorted(int(m) for m in history().get("snapshots", {}).get(package, {}))


def shipped_index(major: int) -> ProviderIndex:
    """The shipped index of pulumi-aws ``major`` with the newest shipped pulumi-random."""
    snaps = history().get("snapshots", {})
    aws = snaps.get("pulumi_aws", {}).get(str(major))
    if aws is None:
        raise ValueError(f"no shipped API index for pulumi-aws {major} (shipped: "
                         f"{', '.join(map(str, shipped_majors())) or 'none'})")
    packages, modules = dict(aws["packages"]), dict(aws["modules"])
    randoms = snaps.get("pulumi_random", {})
    if randoms:
        newest = randoms[max(randoms, key=int)]
        packages.update(newest["packages"])
        modules.update(newest["modules"])
    return ProviderIndex(packages=packages, modules=modules)


def drift_entries(kind: str, from_majors=None) -> list[dict]:
    """Drift entries of ``kind`` ("class", "keyword", "output", "result", "removed") from the given old
    majors (default: every shipped one) to the newest."""
    out = []
    for key, entries in history().get("drift", {}).items():
        package, _, old = key.partition("@")
        if from_majors is None or package != "pulumi_aws" or int(old) in from_majors:
            out.extend(e for e in entries if e["kind"] == kind)
    return out


# The old majors whose drift the rules consult (None: all). ``fixer upgrade --from 6`` narrows it, so an
# entry of 5.x cannot make a 6.x keyword ambiguous. Set once per process, before any rule runs (pool workers
# fork after it is set).
_FROM_MAJORS: tuple | None = None


def consult_majors(majors) -> None:
    global _FROM_MAJORS
    _FROM_MAJORS = tuple(majors) if majors is not None else None
    _by_key.cache_clear()


@lru_cache(maxsize=None)
def _by_key(kind: str) -> dict:
    table: dict = {}
    for entry in drift_entries(kind, _FROM_MAJORS):
        table.setdefault((entry["owner"], entry["from"]), []).append(entry)
    return table


def candidates(kind: str, owner: str, old: str) -> list[dict]:
    """Distinct drift answers for ``old`` of ``owner`` (a class's qualified name, or "" for class entries)."""
    seen, out = set(), []
    for entry in _by_key(kind).get((owner, old), []):
        key = (entry["to"], entry.get("shape"))
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


# -- ranking suggestions -----------------------------------------------------------------------------
_WORD_RE = re.compile(r"[a-z]+|[0-9]+")


def _words(text: str) -> set:
    return set(_WORD_RE.findall(re.sub(r"([a-z])([A-Z])", r"\1_\2", text).lower()))


def rank_keywords(index, owner: str, keyword: str, accepted, sibling_values=(), limit: int = 3) -> list[str]:
    """Valid keywords for an unknown ``keyword`` of ``owner``, best first: what the history says the same
    type token calls it now; then keywords whose words the call's other literal values name (``resource_type=
    "VPC"`` beside ``resource_id`` ranks ``vpc_id`` over ``subnet_id``) and that keep the keyword's suffix
    (``_id``, ``_arn``: the same kind of value); then spelling."""
    accepted = sorted(set(accepted))
    ranked: list[str] = [e["to"] for e in candidates("keyword", owner, keyword) if e["to"] in accepted]
    hinted = set()
    for value in sibling_values:
        hinted |= _words(value)
    suffix = keyword.rpartition("_")[2] if "_" in keyword else None
    if hinted:
        typed = [k for k in accepted if _words(k) & hinted and (suffix is None or k.endswith("_" + suffix))]
        ranked += sorted(typed, key=lambda k: -difflib.SequenceMatcher(None, keyword, k).ratio())
    ranked += difflib.get_close_matches(keyword, accepted, n=limit, cutoff=0.5)
    return list(dict.fromkeys(ranked))[:limit]


# -- answers the rules apply ---------------------------------------------------------------------------
def fields_of(index, qualname: str | None) -> dict | None:
    """``{keyword: type shape}`` a resource class or an input class (``*Args``/``*ArgsDict``) accepts."""
    if not qualname or index is None:
        return None
    entry = index.resource(qualname)
    if entry is not None:
        return entry.get("types") or {k: "" for k in entry["kwargs"]}
    return index.args_class(qualname)


def element_class(owner: str, shape: str | None) -> str | None:
    """The input class a keyword of ``owner`` takes (``pulumi_aws.efs.FileSystemLifecyclePolicyArgs``), if any:
    input classes live in the module of the class that uses them."""
    element = _element(shape)
    return f"{owner.rpartition('.')[0]}.{element}" if element.endswith("Args") else None


def plural_of(keyword: str, fields) -> list[str]:
    """Accepted keywords that are ``keyword``'s singular or plural (the bridge pluralises list blocks: Terraform's
    ``lifecycle_policy`` block is Pulumi's ``lifecycle_policies``)."""
    return [f for f in fields if f != keyword and _singular(f) == _singular(keyword)]


def keyword_answer(index, owner: str, keyword: str) -> dict | None:
    """The one valid successor of ``keyword`` on ``owner`` in ``index``: ``{"to", "was_single", "shape"}`` (the
    new keyword's type shape), or None.

    Answers come from the history (the same type token renamed it) or, failing that, from the singular/plural
    convention; each must be accepted by the installed class while ``keyword`` is not, and there must be
    exactly one."""
    fields = fields_of(index, owner)
    if not fields or keyword in fields:
        return None
    answers = {e["to"]: e.get("shape") for e in candidates("keyword", owner, keyword) if e["to"] in fields}
    if not answers:
        answers = {f: None for f in plural_of(keyword, fields)}
    if len(answers) != 1:
        return None
    (to, shape), = answers.items()
    # The old keyword held one value where the history says so, or where its name is a singular.
    was_single = shape == "wrap" or (shape is None and _singular(keyword) == keyword)
    return {"to": to, "was_single": was_single, "shape": fields[to]}


# -- diffing two indexes -------------------------------------------------------------------------------
def _element(shape: str | None) -> str:
    return (shape or "").lstrip("[")


def is_list_shape(shape: str | None) -> bool:
    return bool(shape) and shape.startswith("[")


def _shape_change(old: str | None, new: str | None) -> str | None:
    if is_list_shape(old) and not is_list_shape(new):
        return "unwrap"
    if not is_list_shape(old) and is_list_shape(new):
        return "wrap"
    return None


def _singular(name: str) -> str:
    if name.endswith("ss"):  # address, access: not plurals
        return name
    for plural, single in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("s", "")):
        if name.endswith(plural):
            return name[: -len(plural)] + single
    return name


def _related(a: str, b: str) -> bool:
    """Names a rename plausibly connects: one is the other's singular/plural, or they share most letters."""
    return _singular(a) == _singular(b) or (a.split("_")[0] == b.split("_")[0]
                                            and difflib.SequenceMatcher(None, a, b).ratio() >= 0.75)


def _pair(removed: dict, added: dict, type_map: dict) -> list[tuple]:
    """``(old, new, shape)`` for removed keywords with exactly one added keyword of the same element type (after
    ``type_map``: input classes renamed with their resource) whose name is related; builtin element types
    (``str``, ``int`` ...) say little, so those pairs also need the names to be related, and ambiguity on
    either side drops the pair."""
    pairs = []
    for old, old_shape in removed.items():
        element = type_map.get(_element(old_shape), _element(old_shape))
        same_type = [k for k, s in added.items() if _element(s) == element]
        found = [k for k in same_type if _related(old, k)]
        if len(found) != 1:
            continue
        back = [o for o, s in removed.items()
                if type_map.get(_element(s), _element(s)) == element and _related(o, found[0])]
        if back == [old]:
            pairs.append((old, found[0], _shape_change(old_shape, added[found[0]])))
    return pairs


def _tokens(index: ProviderIndex, package: str) -> dict:
    """type token -> qualified name of the class defining it (a deprecated alias class is not the answer)."""
    out: dict = {}
    for qual, entry in index.resources(package):
        if entry.get("token") and (entry["token"] not in out or not entry.get("deprecated_for")):
            out[entry["token"]] = qual
    return out


def _args_classes(index: ProviderIndex, package: str) -> dict:
    return {f"{m}.{name}": fields for m, e in index.modules.items() if m.split(".")[0] == package
            for name, fields in e.get("args", {}).items()}


def diff(old: ProviderIndex, new: ProviderIndex, package: str = "pulumi_aws", via=()) -> list[dict]:
    """Drift entries from ``old`` to ``new``. Every entry: ``kind``, ``owner`` (the qualified class whose
    keyword/output changed, in the new index; "" for class entries), ``from``, ``to`` (None: removed with no
    single successor) and, for keywords, ``shape`` (``wrap``: now a list; ``unwrap``: now a single value).
    ``via``: indexes of the majors in between, whose deprecation notices name a successor the old one lacks."""
    entries: list[dict] = []
    old_tokens, new_tokens = _tokens(old, package), _tokens(new, package)
    renamed: dict = {}  # old qualname -> new qualname
    for token, old_qual in old_tokens.items():
        new_qual = new_tokens.get(token)
        if new_qual is None:
            # A token that disappeared maps only where its class said what replaces it; a class of the same
            # name in another module is another AWS resource (elasticache.SecurityGroup is not ec2's).
            dep = (old.resource(old_qual) or {}).get("deprecated_for")
            for between in via:
                between_qual = _tokens(between, package).get(token)
                dep = dep or (between.resource(between_qual) or {}).get("deprecated_for") if between_qual else dep
            if new.resource(old_qual):
                continue
            if dep and new.resource(f"{package}.{dep[0]}.{dep[1]}"):
                new_qual = f"{package}.{dep[0]}.{dep[1]}"
            else:
                entries.append({"kind": "removed", "owner": "", "from": old_qual, "to": None, "token": token})
                continue
        if new_qual != old_qual and not new.resource(old_qual):
            renamed[old_qual] = new_qual
            entries.append({"kind": "class", "owner": "", "from": old_qual, "to": new_qual, "token": token})
    # Input classes are named after their resource: BucketV2LoggingArgs follows BucketV2 -> Bucket.
    old_args, new_args = _args_classes(old, package), _args_classes(new, package)
    args_map: dict = {}  # old Args qualname -> new Args qualname
    for old_qual, new_qual in renamed.items():
        old_mod, _, old_name = old_qual.rpartition(".")
        new_mod, _, new_name = new_qual.rpartition(".")
        for args_qual in old_args:
            mod, _, name = args_qual.rpartition(".")
            if mod == old_mod and name.startswith(old_name) and args_qual not in new_args:
                target = f"{new_mod}.{new_name}{name[len(old_name):]}"
                if target in new_args:
                    args_map[args_qual] = target
    for old_qual, new_qual in args_map.items():
        entries.append({"kind": "class", "owner": "", "from": old_qual, "to": new_qual, "token": None})
        old_mod, _, old_name = old_qual.rpartition(".")
        if old_name + "Dict" in old.modules.get(old_mod, {}).get("argsdicts", ()):  # 5.x had no *ArgsDict
            entries.append({"kind": "class", "owner": "", "from": old_qual + "Dict", "to": new_qual + "Dict",
                            "token": None})
    type_map = {a.rpartition(".")[2]: b.rpartition(".")[2] for a, b in args_map.items()}

    def keyword_drift(owner: str, old_types: dict, new_types: dict) -> None:
        removed = {k: v for k, v in old_types.items() if k not in new_types}
        added = {k: v for k, v in new_types.items() if k not in old_types}
        paired = set()
        for before, after, shape in _pair(removed, added, type_map):
            paired.add(before)
            entries.append({"kind": "keyword", "owner": owner, "from": before, "to": after, "shape": shape})
        for name in sorted(removed.keys() - paired):
            entries.append({"kind": "removed", "owner": owner, "from": name, "to": None})
        for name in old_types.keys() & new_types.keys():
            shape = _shape_change(old_types[name], new_types[name])
            if shape and type_map.get(_element(old_types[name]), _element(old_types[name])) == _element(new_types[name]):
                entries.append({"kind": "keyword", "owner": owner, "from": name, "to": name, "shape": shape})

    for token, old_qual in old_tokens.items():
        new_qual = renamed.get(old_qual, new_tokens.get(token))
        old_entry, new_entry = old.resource(old_qual), new.resource(new_qual) if new_qual else None
        if not new_entry:
            continue
        keyword_drift(new_qual, old_entry.get("types", {}), new_entry.get("types", {}))
        gone = [o for o in old_entry["outputs"] if o not in new_entry["outputs"]]
        fresh = [o for o in new_entry["outputs"] if o not in old_entry["outputs"]]
        for name in gone:  # outputs carry no type here: only a singular/plural of the same word is an answer
            match = [f for f in fresh if _singular(f) == _singular(name)]
            entries.append({"kind": "output", "owner": new_qual, "from": name,
                            "to": match[0] if len(match) == 1 else None})
    for old_qual, old_fields in old_args.items():
        new_qual = args_map.get(old_qual, old_qual)
        if new_qual in new_args:
            keyword_drift(new_qual, old_fields, new_args[new_qual])
    for module, old_entry in old.modules.items():
        if module.split(".")[0] != package or module not in new.modules:
            continue
        for name, fn in old_entry["functions"].items():
            now = new.modules[module]["functions"].get(name)
            if not now:
                continue
            fresh = [r for r in now["result"] if r not in fn["result"]]
            for attr in fn["result"]:
                if attr not in now["result"]:
                    match = [f for f in fresh if _singular(f) == _singular(attr)]
                    entries.append({"kind": "result", "owner": f"{module}.{name}", "from": attr,
                                    "to": match[0] if len(match) == 1 else None})
    return entries


# -- building ----------------------------------------------------------------------------------------
def _unpack(archive: Path, into: Path) -> Path:
    """Unpack a wheel or sdist; returns the directory that holds the package directory."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(into)
        return into
    with tarfile.open(archive) as tf:
        try:
            tf.extractall(into, filter="data")  # no links or absolute paths out of ``into``
        except TypeError:  # Python < 3.11.4 has no extraction filters; members are checked by hand
            members = [m for m in tf.getmembers() if m.isreg() or m.isdir()]
            if any(m.name.startswith(("/", "..")) or "/../" in m.name for m in members):
                raise RuntimeError(f"{archive.name}: unsafe paths in the archive") from None
            tf.extractall(into, members=members)
    roots = [p for p in into.iterdir() if p.is_dir()]
    return roots[0] if len(roots) == 1 else into


def download(package: str, version: str, into: Path) -> Path:
    """``pip download --no-deps`` one release (wheel preferred, sdist otherwise); returns the archive."""
    spec = f"{DIST_NAMES[package]}=={version}"
    for extra in (["--only-binary=:all:"], ["--no-binary=:all:"]):
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                               "--disable-pip-version-check", "-d", str(into), *extra, spec],
                              capture_output=True, text=True)
        if done.returncode == 0:
            break
    else:
        raise RuntimeError(f"pip could not download {spec}: {done.stderr.strip().splitlines()[-1:]}")
    stem = f"{package}_{version}".lower()  # wheel and sdist names differ in '-' and '_' only
    found = [p for p in into.iterdir() if p.name.lower().replace("-", "_").startswith(stem)]
    if not found:
        raise RuntimeError(f"pip downloaded no archive for {spec}")
    return found[0]


def index_archive(archive: Path, package: str, workdir: Path) -> ProviderIndex:
    root = _unpack(archive, workdir / archive.name.replace(".", "_"))
    packages = {k: v for k, v in packages_in(str(root)).items() if k == package}
    if package not in packages:
        raise RuntimeError(f"{archive.name}: no {package}/ package inside")
    return build_index(packages, workers=2)


def _relative(index: ProviderIndex) -> dict:
    """The index as shipped: no machine paths."""
    packages = {k: {**v, "path": f"<{k}>"} for k, v in index.packages.items()}
    return {"packages": packages, "modules": index.modules}


def build(releases: dict, archives: dict | None = None, out: Path = DATA_FILE) -> dict:
    """Download (or take from ``archives``: ``{(package, version): path}``), index and diff ``releases``."""
    snapshots: dict = {}
    indexes: dict = {}
    with tempfile.TemporaryDirectory(prefix="fixer-history-") as tmp:
        work = Path(tmp)
        for package, versions in releases.items():
            for version in versions:
                archive = (archives or {}).get((package, version)) or download(package, version, work)
                index = index_archive(Path(archive), package, work)
                major = index.packages[package]["major"]
                indexes[(package, major)] = index
                snapshots.setdefault(package, {})[str(major)] = _relative(index)
                print(f"indexed {package} {version}: {sum(1 for _ in index.resources(package))} resources",
                      file=sys.stderr)
    drift: dict = {}
    for package in releases:
        majors = sorted(m for p, m in indexes if p == package)
        newest = majors[-1]
        for old in majors[:-1]:
            via = [indexes[(package, m)] for m in majors if old < m < newest]
            entries = diff(indexes[(package, old)], indexes[(package, newest)], package, via)
            # sorted: the same releases give the same file, byte for byte
            drift[f"{package}@{old}"] = sorted(entries, key=lambda e: (e["kind"], e["owner"], e["from"], e["to"] or ""))
    data = {
        "format": HISTORY_FORMAT,
        "built": datetime.date.today().isoformat(),
        "source": "pip download --no-deps of each release from PyPI, read by fixer/provider_index.py, diffed "
                  "by type token (python -m fixer.api_history build)",
        "releases": releases,
        "snapshots": snapshots,
        "drift": drift,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    with lzma.open(tmp_path, "wt", encoding="utf-8", preset=9) as fh:
        json.dump(data, fh, separators=(",", ":"), sort_keys=True)
    os.chmod(tmp_path, 0o644)
    os.replace(tmp_path, out)
    return data


def summary(data: dict) -> str:
    lines = [f"built {data['built']} from " + ", ".join(f"{p} {', '.join(v)}" for p, v in data["releases"].items())]
    for old, entries in sorted(data["drift"].items()):
        counts: dict = {}
        for e in entries:
            key = e["kind"] + (" (one answer)" if e.get("to") else "")
            counts[key] = counts.get(key, 0) + 1
        lines.append(f"  {old} -> newest: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fixer.api_history",
                                     description="Build or show the shipped pulumi-aws API history.")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="download the releases from PyPI, index and diff them")
    b.add_argument("--aws", nargs="+", default=DEFAULT_RELEASES["pulumi_aws"], metavar="VERSION")
    b.add_argument("--random", nargs="+", default=DEFAULT_RELEASES["pulumi_random"], metavar="VERSION")
    b.add_argument("--archive", action="append", default=[], metavar="PACKAGE==VERSION=PATH",
                   help="use an already downloaded wheel/sdist instead of downloading it")
    b.add_argument("--out", type=Path, default=DATA_FILE)
    sub.add_parser("show", help="what the shipped file holds")
    args = parser.parse_args(argv)
    if args.command == "show":
        data = history()
        if not data:
            print(f"error: {DATA_FILE} is missing", file=sys.stderr)
            return 2
        print(summary(data))
        return 0
    archives = {}
    for item in args.archive:
        m = re.match(r"^([\w-]+)==([^=]+)=(.+)$", item)
        if not m:
            print(f"error: --archive {item!r}: expected PACKAGE==VERSION=PATH", file=sys.stderr)
            return 2
        archives[(m.group(1).replace("-", "_"), m.group(2))] = m.group(3)
    try:
        data = build({"pulumi_aws": args.aws, "pulumi_random": args.random}, archives, args.out)
    except (RuntimeError, OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(summary(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
