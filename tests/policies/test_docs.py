"""docs/policies.md is generated from the pack: it must be current and cover every policy the same way."""
from pathlib import Path

from policypack import docs
from policypack.policy import all_policies

DOC = Path(__file__).resolve().parents[2] / "docs" / "policies.md"
HEADINGS = ["### What it checks", "### Why", "### Violating examples", "### Compliant examples", "### Remediation",
            "### Fix safety", "### Configuration"]


def test_committed_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == docs.render(), \
        "docs/policies.md is stale: run `python -m policypack.docs > docs/policies.md`"


def _sections(text):
    parts = text.split("\n## ")
    return {p.split("\n", 1)[0]: p for p in parts[1:]}


def test_every_policy_has_a_summary_row_and_the_same_headings_in_order():
    text = docs.render()
    sections = _sections(text)
    for spec in all_policies():
        assert f"| [{spec.name}](#{spec.name}) |" in text
        section = sections[spec.name]
        positions = [section.index(h) for h in HEADINGS]
        assert positions == sorted(positions), spec.name
        for key in spec.config_schema:
            assert f"| `{key}` |" in section, (spec.name, key)


def test_hipaa_policies_cite_the_rule_and_show_what_they_report():
    sections = _sections(docs.render())
    for spec in all_policies():
        if spec.group != "hipaa":
            continue
        section = sections[spec.name]
        assert f"45 CFR {spec.citation}" in section
        assert section.count("  Reports: ") >= len(spec.violating), spec.name
        if spec.remediates:
            assert "Remediation sets:" in section and "Remediates at enforcement level" in section


def test_data_sources_are_listed_with_their_date():
    section = _sections(docs.render())["security-group-no-public-data-ports"]
    assert "### Data sources" in section and "`ports.json` (taken " in section
