from pathlib import Path

from fixer.docs import render
from fixer.rules import all_rules


def test_committed_rule_docs_are_current():
    committed = Path(__file__).parents[2] / "docs" / "fixer-rules.md"
    assert committed.read_text() == render(), "run: python -m fixer.docs > docs/fixer-rules.md"


def test_every_rule_documents_why_and_safety():
    for rule in all_rules():
        assert rule.DESCRIPTION and rule.WHY and rule.SAFETY in ("safe", "unsafe", "report", "safe/report")
