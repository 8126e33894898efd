"""Elastic Beanstalk: managed platform updates turned on."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.relations import referenced
from policypack.policy import Example, stack_policy

MANAGED_ACTIONS = "aws:elasticbeanstalk:managedactions"
PLATFORM_UPDATE = "aws:elasticbeanstalk:managedactions:platformupdate"
_TEMPLATE = T.ELASTIC_BEANSTALK_CONFIGURATION_TEMPLATE[0]


def _setting(resource, namespace: str, name: str):
    """(value, path) of a `settings[]` entry, or (None, None) when it has none."""
    for i, setting in enumerate(resource.props.each("settings")):
        if ((setting.get_str("namespace") or "").lower() == namespace.lower()
                and (setting.get_str("name") or "").lower() == name.lower()):
            return setting.get("value"), f"settings.{i}.value"
    return None, None


def _effective(env, stack, namespace: str, name: str):
    """The environment's own setting, else its configuration template's: (value, owner, path)."""
    value, path = _setting(env, namespace, name)
    if path is not None:
        return value, env, path
    if env.props.is_set("templateName"):
        for template in referenced(env, stack, "templateName", T.ELASTIC_BEANSTALK_CONFIGURATION_TEMPLATE,
                                   ("name",)):
            value, path = _setting(template, namespace, name)
            if path is not None:
                return value, template, path
    return None, env, None


@stack_policy(
    name="elastic-beanstalk-managed-updates-enabled",
    description="Elastic Beanstalk environments should apply platform updates automatically (managed actions).",
    resource_types=T.ELASTIC_BEANSTALK_ENVIRONMENT,
    severity="medium", group="hipaa", citation=C.PATCHING, enforcement="advisory",
    aws_config_rules=("elastic-beanstalk-managed-updates-enabled",),
    config_schema={"updateLevel": {
        "type": "string", "enum": ["minor", "patch"],
        "description": "When set, the environment's UpdateLevel (aws:elasticbeanstalk:managedactions:"
                       "platformupdate) must equal it."}},
    remediation="Add settings {namespace 'aws:elasticbeanstalk:managedactions', name 'ManagedActionsEnabled', "
                "value 'true'} and a PreferredStartTime, plus UpdateLevel 'minor' or 'patch' under "
                "'aws:elasticbeanstalk:managedactions:platformupdate' (on the environment or its template).",
    violating=[
        Example({"application": "portal", "solutionStackName": "64bit Amazon Linux 2023 v4.3.0 running Python 3.11"},
                name="portal", note="no setting: managed updates are off"),
        Example({"application": "portal", "settings": [
            {"namespace": MANAGED_ACTIONS, "name": "ManagedActionsEnabled", "value": "false"}]}, name="portal"),
        Example({"application": "portal", "settings": [
            {"namespace": MANAGED_ACTIONS, "name": "ManagedActionsEnabled", "value": "true"},
            {"namespace": PLATFORM_UPDATE, "name": "UpdateLevel", "value": "patch"}]},
            name="portal", config={"updateLevel": "minor"}),
    ],
    compliant=[
        Example({"application": "portal", "settings": [
            {"namespace": MANAGED_ACTIONS, "name": "ManagedActionsEnabled", "value": "true"}]}, name="portal"),
        Example({"application": "portal", "templateName": "base"}, name="portal",
                property_dependencies={"templateName": ["base"]},
                stack=[{"type": _TEMPLATE, "name": "base", "props": {"name": "base", "settings": [
                    {"namespace": MANAGED_ACTIONS, "name": "ManagedActionsEnabled", "value": "true"}]}}],
                note="set on the configuration template the environment uses"),
    ],
)
def elastic_beanstalk_managed_updates_enabled(env, stack):
    value, owner, path = _effective(env, stack, MANAGED_ACTIONS, "ManagedActionsEnabled")
    if str(value).strip().lower() != "true":
        shown = owner.props.show(path) if path else "unset"
        yield (f"managed actions are not enabled (the setting is {shown}): platform security patches wait for a "
               "manual update.")
        return
    wanted = env.config.get("updateLevel")
    if wanted:
        level, owner, path = _effective(env, stack, PLATFORM_UPDATE, "UpdateLevel")
        if str(level).strip().lower() != wanted:
            shown = owner.props.show(path) if path else "unset"
            yield f"the managed platform update level is {shown}; the pack's config requires {wanted!r}."
