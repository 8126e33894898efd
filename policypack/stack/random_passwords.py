"""Generated and literal secrets AWS refuses: ElastiCache AUTH tokens and RDS master passwords.

Stack policies, because the value usually comes from a `random.RandomPassword` whose `result` is unknown in a
real preview (and merely a sample in the offline one): what decides is the generator's settings (length,
special, override_special), read through the property's dependency. A literal value is checked directly.
"""
import string

from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, stack_policy

RANDOM_DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"  # pulumi_random RandomPassword docs: the `special` default set
_GENERATORS = T.RANDOM_PASSWORD + T.RANDOM_STRING
_PRINTABLE = set(string.printable) - set("\t\n\r\x0b\x0c")


def _generators(r, prop):
    return [g for g in r.depends_on_prop(prop) if g.type in _GENERATORS]


def _generator_specials(g) -> str:
    """The special characters a RandomPassword/RandomString can put in its result ('' when special=false)."""
    if g.props.get_bool("special", True) is False:
        return ""
    override = g.props.get_str("overrideSpecial")
    return override if override else RANDOM_DEFAULT_SPECIAL  # "" means the default set, as in the provider


def _length_problem(g, low: int, high: int) -> str:
    length = g.props.get_number("length")
    if length is not None and not low <= length <= high:
        return f"length={length:g} (needs {low}-{high})"
    return ""


def _literal(r, prop):
    """The literal value of `prop`, or None when absent or unknown (a value that stays unknown is skipped)."""
    value = r.props.peek(prop)
    return value if isinstance(value, str) else None


# -- ElastiCache AUTH token ------------------------------------------------------------------------------

def _token_rules():
    return data.elasticache_auth_token_rules()


@stack_policy(
    name="elasticache-auth-token-valid",
    description="An ElastiCache AUTH token must be 16-128 printable characters with specials only from !&#$^<>-, "
                "and needs transit encryption.",
    resource_types=T.ELASTICACHE_REPLICATION_GROUP,
    severity="high", group="deploy",
    remediation="Generate it with random.RandomPassword(length=32, special=True, override_special=\"!&#$^<>-\") "
                "(or special=False), and set transit_encryption_enabled=True.",
    data_sources=("elasticache.json",),
    violating=[
        Example({"transitEncryptionEnabled": True, "authToken": "fed-by-random"}, name="redis",
                property_dependencies={"authToken": ["redis-auth-token"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "redis-auth-token",
                        "props": {"length": 32, "overrideSpecial": "", "special": True}}],
                note="seed 000: default special characters include @ % * ( ) and more"),
        Example({"transitEncryptionEnabled": True, "authToken": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                name="redis", property_dependencies={"authToken": ["short-token"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "short-token",
                        "props": {"length": 8, "special": False}}],
                note="too short, token unknown as in a real preview"),
        Example({"transitEncryptionEnabled": True, "authToken": "correct horse battery staple"},
                note="literal token with spaces"),
        Example({"transitEncryptionEnabled": False, "authToken": "AbCdEfGh12345678"},
                note="AUTH needs transit encryption"),
    ],
    compliant=[
        Example({"transitEncryptionEnabled": True, "authToken": "fed-by-random"}, name="redis",
                property_dependencies={"authToken": ["redis-auth-token"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "redis-auth-token",
                        "props": {"length": 32, "special": True, "overrideSpecial": "!&#$^<>-"}}]),
        Example({"transitEncryptionEnabled": True, "authToken": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                name="redis", property_dependencies={"authToken": ["alnum"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "alnum",
                        "props": {"length": 64, "special": False}}]),
        Example({"transitEncryptionEnabled": True, "authToken": "Abc-def&Ghi#1234"}),
        Example({"transitEncryptionEnabled": True}, note="no AUTH token"),
        Example({"transitEncryptionEnabled": True, "authToken": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                note="unknown and not generated in the stack: skipped"),
    ],
)
def elasticache_auth_token_valid(r, stack):
    rules = _token_rules()
    messages = []
    if not r.props.is_set("authToken"):
        return messages
    if r.props.get_bool("transitEncryptionEnabled") is not True:
        messages.append(f"authToken is set but transitEncryptionEnabled is {r.props.show('transitEncryptionEnabled')}: "
                        "ElastiCache accepts an AUTH token only with in-transit encryption.")
    allowed = set(rules["allowed_specials"])
    generators = _generators(r, "authToken")
    for g in generators:
        problems = [p for p in [_length_problem(g, rules["min_length"], rules["max_length"])] if p]
        bad = "".join(c for c in dict.fromkeys(_generator_specials(g)) if c not in allowed)
        if bad:
            problems.append(f"special characters {bad!r} (ElastiCache allows only {rules['allowed_specials']!r})")
        if problems:
            messages.append(f"authToken comes from {g.name!r} whose settings produce tokens ElastiCache refuses "
                            f"('Invalid AuthToken provided'): {'; '.join(problems)}. Set override_special="
                            f"{rules['allowed_specials']!r} or special=False.")
    token = None if generators else _literal(r, "authToken")
    if token is not None:
        if not rules["min_length"] <= len(token) <= rules["max_length"]:
            messages.append(f"authToken {r.props.show('authToken')} must be {rules['min_length']}-"
                            f"{rules['max_length']} characters long.")
        if any(c not in _PRINTABLE or (not c.isalnum() and c not in allowed) or c.isspace() for c in token):
            messages.append(f"authToken {r.props.show('authToken')} holds characters ElastiCache refuses: "
                            f"only letters, digits and {rules['allowed_specials']!r} are allowed.")
    return messages


# -- RDS master password ---------------------------------------------------------------------------------

def _password_prop(r) -> str:
    return "masterPassword" if r.type in T.RDS_CLUSTER else "password"


@stack_policy(
    name="rds-master-password-charset",
    description="An RDS master password must have the engine's length and none of / @ \" or space.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER,
    severity="high", group="deploy",
    remediation="Generate it with random.RandomPassword(length=32, override_special=\"!#$%&*()-_=+[]{}<>:?\"), "
                "or let RDS manage it with manage_master_user_password=True.",
    data_sources=("rds_credentials.json",),
    violating=[
        Example({"engine": "postgres", "password": "fed-by-random"}, name="db",
                property_dependencies={"password": ["db-password"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "db-password",
                        "props": {"length": 32}}],
                note="the default special set includes @"),
        Example({"engine": "aurora-postgresql", "masterPassword": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                type="aws:rds/cluster:Cluster", name="cluster",
                property_dependencies={"masterPassword": ["long"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "long",
                        "props": {"length": 64, "special": False}}],
                note="Aurora passwords are at most 41 characters"),
        Example({"engine": "mysql", "password": "p@ssw0rd-secret"}, note="literal with @"),
        Example({"engine": "postgres", "password": "short"}),
    ],
    compliant=[
        Example({"engine": "postgres", "password": "fed-by-random"}, name="db",
                property_dependencies={"password": ["db-password"]},
                stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "db-password",
                        "props": {"length": 32, "special": True, "overrideSpecial": "!#$%&*()-_=+[]{}<>:?"}}],
                note="seed 000's fix"),
        Example({"engine": "postgres", "password": "Correct-Horse-42"}),
        Example({"engine": "postgres", "manageMasterUserPassword": True}),
        Example({"engine": "neptune", "masterPassword": "p@ss"}, type="aws:rds/cluster:Cluster",
                note="data missing: an engine the data does not hold"),
    ],
)
def rds_master_password_charset(r, stack):
    messages = []
    prop = _password_prop(r)
    engine = r.props.get_str("engine")
    rules = data.rds_password_rules(engine) if engine else None
    if rules is None or not r.props.is_set(prop):
        return messages
    label = r.props.show("engine") if r.props.is_secret("engine") else engine
    forbidden = set(rules["forbidden"])
    shown_forbidden = " ".join("space" if c == " " else c for c in rules["forbidden"])
    generators = _generators(r, prop)
    for g in generators:
        problems = [p for p in [_length_problem(g, rules["min_length"], rules["max_length"])] if p]
        bad = "".join(c for c in dict.fromkeys(_generator_specials(g)) if c in forbidden)
        if bad:
            problems.append(f"special characters include {bad!r}")
        if problems:
            messages.append(f"{prop} comes from {g.name!r} whose settings produce passwords {label} refuses "
                            f"({rules['rule']}): {'; '.join(problems)}.")
    value = None if generators else _literal(r, prop)
    if value is not None:
        if not rules["min_length"] <= len(value) <= rules["max_length"]:
            messages.append(f"{prop} {r.props.show(prop)} must be {rules['min_length']}-{rules['max_length']} "
                            f"characters for {label}.")
        if any(c in forbidden or c not in _PRINTABLE for c in value):
            messages.append(f"{prop} {r.props.show(prop)} holds a character {label} refuses "
                            f"(printable ASCII only, none of {shown_forbidden}).")
    return messages
