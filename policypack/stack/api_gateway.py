"""API Gateway stages: behind a WAF web ACL, with execution logs, and with a client certificate towards HTTP
backends."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import co_referrers, memo, referrers
from policypack.stack.load_balancing import waf_associations

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_STAGE_ARN = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod"
_LOG_GROUP = "arn:aws:logs:us-east-1:210987654321:log-group:api-access"
_SETTINGS = T.APIGATEWAY_METHOD_SETTINGS[0]


def _stage_arns(stage) -> set:
    """The stage's ARN: its `arn` output, or built from a known REST API id and stage name."""
    found = set()
    arn, api, name = (stage.props.peek(k) for k in ("arn", "restApi", "stageName"))
    if isinstance(arn, str) and arn:
        found.add(arn)
    if isinstance(api, str) and isinstance(name, str) and stage.region:
        found.add(f"arn:aws:apigateway:{stage.region}::/restapis/{api}/stages/{name}")
    return found


@stack_policy(
    name="api-gw-associated-with-waf",
    description="API Gateway REST API stages must sit behind an AWS WAF web ACL.",
    resource_types=T.APIGATEWAY_STAGE,
    severity="medium", group="hipaa", citation="164.308(a)(1)(ii)(B)", enforcement="advisory",
    aws_config_rules=("api-gw-associated-with-waf",), managed_elsewhere=True,
    remediation="Add an aws.wafv2.WebAclAssociation with resource_arn=<stage arn> and a regional web ACL.",
    violating=[Example({"restApi": "a1b2c3d4e5", "stageName": "prod", "deployment": "d1"}, name="prod")],
    compliant=[Example({"restApi": U, "stageName": "prod", "deployment": U}, name="prod",
                       stack=[{"type": T.WAF_ASSOCIATION[0], "name": "prod-waf",
                               "property_dependencies": {"resourceArn": ["prod"]},
                               "props": {"resourceArn": U, "webAclArn": U}}]),
               Example({"restApi": "a1b2c3d4e5", "stageName": "prod"}, name="prod",
                       stack=[{"type": T.WAF_ASSOCIATION[0], "name": "prod-waf",
                               "props": {"resourceArn": _STAGE_ARN, "webAclArn": "acl"}}],
                       note="matched by the ARN built from the API id and stage name"),
               Example({"restApi": "a1b2c3d4e5", "stageName": "prod"}, name="prod",
                       config={"managedElsewhere": True})],
)
def api_gw_associated_with_waf(stage, stack):
    if waf_associations(stage, stack, ("arn",)) or _by_built_arn(stage, stack) or stage.config["managedElsewhere"]:
        return
    yield "no WAF web ACL association names this stage: its requests are not filtered by WAF."


def _by_built_arn(stage, stack) -> bool:
    arns_ = _stage_arns(stage)
    associated = memo(stack, "waf-association-arns", lambda: {
        arn for a in stack.of_type(T.WAF_ASSOCIATION) if isinstance(arn := a.props.peek("resourceArn"), str)})
    return bool(arns_ & associated)


def _level(props, path):
    return (props.get_str(path) or "OFF").upper()


def _rest_findings(stage, stack):
    levels = {v.upper() for v in stage.config["loggingLevels"]}
    settings = [s for s in referrers(stack, stage, T.APIGATEWAY_METHOD_SETTINGS, "stageName", ("stageName",))
                if s in co_referrers(stack, stage, "restApi", T.APIGATEWAY_METHOD_SETTINGS, "restApi")]
    everywhere = [s for s in settings if s.props.get_str("methodPath") == "*/*"]
    if not any(_level(s.props, "settings.loggingLevel") in levels for s in everywhere):
        yield ("no method settings for */* of this stage set settings.loggingLevel to "
               f"{' or '.join(sorted(levels))}: API calls leave no execution log.")
    for s in settings:
        if _level(s.props, "settings.loggingLevel") == "OFF" and s.props.is_set("settings"):
            yield f"a method settings resource of this stage turns execution logging off for {s.props.show('methodPath')}."


def _v2_findings(stage, stack):
    protocol = _protocol(stage, stack)
    if protocol == "HTTP":
        if not stage.props.is_set("accessLogSettings.destinationArn"):
            yield (f"accessLogSettings.destinationArn is {stage.props.absence('accessLogSettings.destinationArn')}: "
                   "the HTTP API stage writes no access log.")
        return
    levels = {v.upper() for v in stage.config["loggingLevels"]}
    if _level(stage.props, "defaultRouteSettings.loggingLevel") not in levels:
        if protocol is None and stage.props.is_set("accessLogSettings.destinationArn"):
            return  # an HTTP API of another stack with access logs
        yield (f"defaultRouteSettings.loggingLevel is {stage.props.show('defaultRouteSettings.loggingLevel')}: "
               "the WebSocket stage writes no execution log.")
    for i, route in enumerate(stage.props.each("routeSettings")):
        if _level(route, "loggingLevel") == "OFF" and route.is_set("loggingLevel"):
            yield f"routeSettings.{i} turns execution logging off for its route."


def _protocol(stage, stack):
    """WEBSOCKET / HTTP of the stage's API when the stack has it, else None."""
    feeding = [r for r in stage.depends_on_prop("apiId") if r.type in T.APIGATEWAYV2_API]
    api_id = stage.props.peek("apiId")
    by_id = memo(stack, "apigatewayv2-apis-by-id", lambda: {
        i: a for a in stack.of_type(T.APIGATEWAYV2_API) if isinstance(i := a.props.peek("id"), str)})
    apis = feeding or ([by_id[api_id]] if isinstance(api_id, str) and api_id in by_id else [])
    for api in apis:
        return (api.props.get_str("protocolType") or "").upper() or None
    return None


@stack_policy(
    name="api-gw-execution-logging-enabled",
    description="API Gateway stages must write execution logs (REST, WebSocket) or access logs (HTTP APIs).",
    resource_types=T.APIGATEWAY_STAGE + T.APIGATEWAYV2_STAGE,
    severity="medium", group="hipaa", citation=C.AUDIT,
    aws_config_rules=("api-gw-execution-logging-enabled",),
    config_schema={"loggingLevels": {"type": "array", "items": {"type": "string", "enum": ["ERROR", "INFO"]},
                                     "default": ["ERROR", "INFO"],
                                     "description": "Execution logging levels that count as logging."}},
    remediation="REST: add an aws.apigateway.MethodSettings for the stage with method_path '*/*' and "
                "settings.logging_level 'ERROR' or 'INFO' (the account needs aws.apigateway.Account."
                "cloudwatch_role_arn; keep data_trace_enabled off: it writes full request bodies, PHI, to "
                "CloudWatch). WebSocket: default_route_settings.logging_level. HTTP APIs: access_log_settings.",
    violating=[
        Example({"restApi": "a1b2c3d4e5", "stageName": "prod"}, name="prod", note="no method settings"),
        Example({"restApi": "a1b2c3d4e5", "stageName": "prod"}, name="prod",
                stack=[{"type": _SETTINGS, "name": "prod-logs", "props": {
                    "restApi": "a1b2c3d4e5", "stageName": "prod", "methodPath": "*/*",
                    "settings": {"loggingLevel": "OFF", "metricsEnabled": True}}}]),
        Example({"apiId": "ws1", "name": "prod"}, type=T.APIGATEWAYV2_STAGE[0], name="ws-prod",
                stack=[{"type": T.APIGATEWAYV2_API[0], "name": "ws", "props": {"id": "ws1",
                                                                              "protocolType": "WEBSOCKET"}}]),
        Example({"apiId": "http1", "name": "prod"}, type=T.APIGATEWAYV2_STAGE[0], name="http-prod",
                stack=[{"type": T.APIGATEWAYV2_API[0], "name": "http", "props": {"id": "http1",
                                                                                "protocolType": "HTTP"}}],
                note="an HTTP API without access logs"),
    ],
    compliant=[
        Example({"restApi": U, "stageName": U}, name="prod",
                stack=[{"type": _SETTINGS, "name": "prod-logs",
                        "property_dependencies": {"stageName": ["prod"], "restApi": ["api"]},
                        "props": {"restApi": U, "stageName": U, "methodPath": "*/*",
                                  "settings": {"loggingLevel": "ERROR"}}},
                       {"type": "aws:apigateway/restApi:RestApi", "name": "api", "props": {}}],
                property_dependencies={"restApi": ["api"]}),
        Example({"apiId": "ws1", "name": "prod", "defaultRouteSettings": {"loggingLevel": "INFO"}},
                type=T.APIGATEWAYV2_STAGE[0], name="ws-prod"),
        Example({"apiId": "http1", "name": "prod", "accessLogSettings": {"destinationArn": _LOG_GROUP,
                                                                         "format": "$context.requestId"}},
                type=T.APIGATEWAYV2_STAGE[0], name="http-prod",
                stack=[{"type": T.APIGATEWAYV2_API[0], "name": "http", "props": {"id": "http1",
                                                                                "protocolType": "HTTP"}}]),
    ],
)
def api_gw_execution_logging_enabled(stage, stack):
    if stage.type in T.APIGATEWAY_STAGE:
        yield from _rest_findings(stage, stack)
    else:
        yield from _v2_findings(stage, stack)


_HTTP_INTEGRATIONS = ("HTTP", "HTTP_PROXY")


@stack_policy(
    name="api-gw-ssl-enabled",
    description="REST API stages that call HTTP backends must present a client certificate to them.",
    resource_types=T.APIGATEWAY_STAGE,
    severity="medium", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT, enforcement="advisory",
    aws_config_rules=("api-gw-ssl-enabled",),
    remediation="Create an aws.apigateway.ClientCertificate and set the stage's client_certificate_id; have "
                "the backend verify it.",
    violating=[Example({"restApi": "a1b2c3d4e5", "stageName": "prod"}, name="prod",
                       stack=[{"type": T.APIGATEWAY_INTEGRATION[0], "name": "backend", "props": {
                           "restApi": "a1b2c3d4e5", "type": "HTTP_PROXY", "uri": "https://backend.example.com"}}])],
    compliant=[Example({"restApi": "a1b2c3d4e5", "stageName": "prod", "clientCertificateId": "cc1"}, name="prod",
                       stack=[{"type": T.APIGATEWAY_INTEGRATION[0], "name": "backend", "props": {
                           "restApi": "a1b2c3d4e5", "type": "HTTP_PROXY"}}]),
               Example({"restApi": "a1b2c3d4e5", "stageName": "prod"}, name="prod",
                       stack=[{"type": T.APIGATEWAY_INTEGRATION[0], "name": "fn", "props": {
                           "restApi": "a1b2c3d4e5", "type": "AWS_PROXY"}}],
                       note="a Lambda backend: no TLS hop to authenticate")],
)
def api_gw_ssl_enabled(stage, stack):
    if stage.props.is_set("clientCertificateId"):
        return
    integrations = co_referrers(stack, stage, "restApi", T.APIGATEWAY_INTEGRATION, "restApi")
    if any((i.props.get_str("type") or "").upper() in _HTTP_INTEGRATIONS for i in integrations):
        yield ("clientCertificateId is unset while the API calls HTTP backends: they cannot tell API Gateway "
               "from anyone else.")
