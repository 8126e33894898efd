"""Every rule the catalog's "Fixer rules" table names is served by `fixer list`, and nothing else is."""
import json
import re
from pathlib import Path

from fixer.cli import main
from fixer.rules import rules_by_name

CATALOG = Path(__file__).resolve().parents[3] / "shared" / "catalog.md"  # ../shared beside the repo
# The table as of 2026-11 (used when the shared catalog is not mounted, e.g. in CI).
KNOWN = {
    "random-password-module", "random-password-result", "provider-keyword-renamed", "provider-keyword-unknown",
    "provider-module-unknown", "output-json-dumps", "output-in-string", "apigateway-deployment-stage",
    "provider-attribute-unknown", "provider-enum-member", "resource-option-keyword", "rds-master-username-reserved",
    "rds-engine-version-invalid", "elasticache-auth-token-charset", "availability-zone-region",
    "aurora-serverless-v2-config", "placeholder-certificate-arn", "listener-security-group-port",
    "service-connect-namespace-string", "inline-imports", "package-init-missing", "requirement-missing",
}


def catalog_rule_names() -> set:
    if not CATALOG.exists():
        return KNOWN
    text = CATALOG.read_text(encoding="utf-8")
    section = text.split("## Fixer rules", 1)[1].split("\n## ", 1)[0]
    names = set(re.findall(r"^\| ([a-z0-9]+(?:-[a-z0-9]+)+) \|", section, re.M))
    assert names, "no rule rows found in the catalog's Fixer rules table"
    return names


def test_catalog_table_parses_to_the_known_rules():
    assert catalog_rule_names() >= KNOWN


def test_every_catalog_rule_is_served(capsys):
    names = catalog_rule_names()
    assert names <= set(rules_by_name())
    assert main(["list", "--format", "json"]) == 0
    listed = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert names | {"unused-suppression"} <= set(listed)
    # Rules beyond the catalog's table (issue 11's API-history rules) are registered rules, nothing else.
    assert set(listed) - names - {"unused-suppression"} <= set(rules_by_name())
    for name in names:
        catalog_fix = rules_by_name()[name].SAFETY
        assert listed[name]["safety"] == catalog_fix and listed[name]["description"]


def test_served_safety_matches_the_catalog():
    if not CATALOG.exists():
        return
    section = CATALOG.read_text(encoding="utf-8").split("## Fixer rules", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| ([a-z0-9]+(?:-[a-z0-9]+)+) \|.*\| ([^|]+?) \|\s*$", section, re.M)
    assert rows
    for name, safety in rows:
        expected = "safe/report" if safety.startswith("safe where") else safety
        assert rules_by_name()[name].SAFETY == expected, name
