"""The pulumi-aws 6 corpus (tests/fixer/corpus_v6): 60 programs of our own writing in the style of model
output, written against pulumi-aws 6 (each constructs under mocks with pulumi-aws 6.83.4: checked when the
corpus was written, see docs/decisions.md; CI has only 7.x). After one ``fixer apply --unsafe`` at least 90%
must construct on the installed 7.x, none that constructed before may break, every written file compiles,
and a second run changes nothing."""
import shutil
from pathlib import Path

from fixer.cli import main
from support.construct import construct_all

CORPUS = Path(__file__).parent / "corpus_v6"
TARGET = 0.90



def test_corpus_constructs_on_installed_major_after_one_apply(tmp_path, capsys, index):
    assert index.major() == 7
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work)
    paths = sorted(work.glob("*.py"))
    assert len(paths) >= 60
    before = construct_all(paths)
    main(["apply", "--unsafe", "--jobs", "2", str(work)])
    written = {p: p.read_text() for p in paths}
    for path, text in written.items():
        compile(text, str(path), "exec")
    main(["apply", "--unsafe", "--jobs", "2", str(work)])
    capsys.readouterr()
    assert {p: p.read_text() for p in paths} == written, "a second fixer apply changed files"
    after = construct_all(paths)
    broke = [p for p in paths if before[str(p)] is None and after[str(p)] is not None]
    ok = [p for p in paths if after[str(p)] is None]
    with capsys.disabled():
        print(f"\ncorpus v6 -> {index.packages['pulumi_aws']['version']}: {sum(v is None for v in before.values())}"
              f"/{len(paths)} construct before, {len(ok)}/{len(paths)} after one fixer apply --unsafe "
              f"({len(ok) / len(paths):.0%}); still failing: "
              + "; ".join(f"{Path(p).name}: {e}" for p, e in after.items() if e))
    assert not broke, broke
    assert len(ok) / len(paths) >= TARGET
