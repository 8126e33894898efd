"""Shared by the keyword rules: which keywords of a provider call the installed class does not accept, and
which of them the renames table / restated-defaults table / resource options explain."""
from __future__ import annotations

from .data_tables import fixer_table

# pulumi.ResourceOptions fields (the parameters of ResourceOptions.__init__ in pulumi 3.272.0, 2026-12-04;
# tests/fixer/test_one_reader.py compares them with the installed SDK) that generated programs pass as
# constructor keywords. Not ``id`` and ``urn``: in opts they turn the resource into a read of an existing one,
# so moving them there would change what the program does. The offline preview's error table reads this tuple.
RESOURCE_OPTIONS = ("parent", "depends_on", "protect", "provider", "providers", "delete_before_replace",
                    "ignore_changes", "version", "aliases", "additional_secret_outputs", "import_",
                    "custom_timeouts", "transformations", "transforms", "hooks", "replace_on_changes",
                    "replacement_trigger", "plugin_download_url", "retain_on_delete", "deleted_with", "replace_with",
                    "hide_diffs", "env_var_mappings", "state_migrations")
NOT_MOVED_OPTIONS = ("id", "urn")


def accepted(index, qualname: str) -> set:
    entry = index.resource(qualname) if index else None
    return set(entry["kwargs"]) if entry else set()


def unknown_keywords(index, qualname: str, keywords) -> list:
    """Keywords not accepted by the installed resource class (empty when the class is unknown)."""
    ok = accepted(index, qualname)
    if not ok:
        return []
    return [k for k in keywords if k and k not in ok and k != "opts"]


def rename_for(index, qualname: str, keyword: str) -> dict | None:
    """The renames-table entry for ``keyword`` of ``qualname``, only if the installed class confirms it."""
    ok = accepted(index, qualname)
    for entry in fixer_table("keyword_renames.json").get("renames", []):
        if entry["class"] == qualname and entry["from"] == keyword and entry["from"] not in ok and entry["to"] in ok:
            return entry
    return None


def restated_default(qualname: str, keyword: str, value, present=()) -> dict | None:
    """The entry saying ``keyword=value`` only restates what the provider does anyway (given the call's other
    keywords ``present``: some entries hold only beside another keyword)."""
    for entry in fixer_table("default_keywords.json").get("restated_defaults", []):
        if entry["class"] == qualname and entry["keyword"] == keyword and entry["value"] == value \
                and type(entry["value"]) is type(value) and entry.get("when_present", keyword) in present:
            return entry
    return None


def moved_elsewhere(index, qualname: str, keyword: str) -> bool:
    """A keyword another rule moves to a separate resource (apigateway-deployment-stage,
    provider-property-resource)."""
    from .rules.apigateway_deployment_stage import DEPLOYMENT, moved_keywords
    from .rules.provider_property_resource import moves_for
    return (qualname == DEPLOYMENT and keyword in moved_keywords(index)) or keyword in moves_for(index, qualname)


def is_resource_option(index, qualname: str, keyword: str) -> bool:
    return keyword in RESOURCE_OPTIONS and keyword not in accepted(index, qualname)


def candidate_calls(ctx):
    """(ProviderCall, unknown keyword names) for resource calls with keywords the class does not accept."""
    out = []
    for call in ctx.facts.calls:
        if call.kind == "resource":
            bad = unknown_keywords(ctx.index, call.qualname, [k.arg for k in call.node.keywords])
            if bad:
                out.append((call, bad))
    return out
