"""Referral gateway: an internet-facing ALB (HTTPS with listener rules, HTTP redirect, a health probe), an
internal NLB speaking TLS to the HL7 engine, all in ca-central-1 with provider default tags."""
import pulumi
import pulumi_aws as aws

from certs import validated_certificate

config = pulumi.Config()
domain = config.require("domain")
tls = config.require_object("tls")

tagged = aws.Provider("tagged", region="ca-central-1", default_tags=aws.ProviderDefaultTagsArgs(
    tags={"data-classification": "phi", "owner": "referrals"}))
opts = pulumi.ResourceOptions(provider=tagged)

vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc.id])])
zone = aws.route53.get_zone(name="example-clinic.ca", private_zone=False)

alb_sg = aws.ec2.SecurityGroup(
    "referral-alb-sg", vpc_id=vpc.id, description="public web",
    ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=port, to_port=port,
                                              cidr_blocks=["0.0.0.0/0"], ipv6_cidr_blocks=["::/0"])
             for port in (80, 443)],
    egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=[vpc.cidr_block])],
    opts=opts)
aws.vpc.SecurityGroupIngressRule("referral-alb-probe", security_group_id=alb_sg.id, ip_protocol="tcp",
                                 from_port=8080, to_port=8081, cidr_ipv4=vpc.cidr_block, opts=opts)

alb = aws.lb.LoadBalancer("referral-alb", load_balancer_type="application", internal=False,
                          security_groups=[alb_sg.id], subnets=subnets.ids, drop_invalid_header_fields=True,
                          enable_deletion_protection=True, opts=opts)
certificate_arn = validated_certificate("referral-cert", domain, zone.zone_id, opts)

api = aws.lb.TargetGroup("referral-api", port=8443, protocol="HTTPS", target_type="ip", vpc_id=vpc.id,
                         health_check=aws.lb.TargetGroupHealthCheckArgs(path="/healthz", protocol="HTTPS",
                                                                        matcher="200-299"), opts=opts)
api_canary = aws.lb.TargetGroup("referral-api-canary", port=8443, protocol="HTTPS", target_type="ip",
                                vpc_id=vpc.id, opts=opts)
portal = aws.lb.TargetGroup(
    "portal",
    name="referral-portal-blue-green-target-group",  # defect: identifier-limits
    port=443, protocol="HTTPS", target_type="ip", vpc_id=vpc.id, opts=opts)

https = aws.lb.Listener(
    "https-listener", load_balancer_arn=alb.arn, port=443, protocol="HTTPS", ssl_policy=tls["policy"],
    certificate_arn=certificate_arn,
    default_actions=[aws.lb.ListenerDefaultActionArgs(
        type="fixed-response", fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
            content_type="application/json", message_body='{"error":"not found"}', status_code="404"))],
    opts=opts)
aws.lb.ListenerCertificate("https-partner-cert", listener_arn=https.arn,
                           certificate_arn=validated_certificate("partner-cert", f"partners.{domain}",
                                                                 zone.zone_id, opts), opts=opts)
aws.lb.ListenerRule(
    "api-weighted", listener_arn=https.arn, priority=10,
    actions=[aws.lb.ListenerRuleActionArgs(type="forward", forward=aws.lb.ListenerRuleActionForwardArgs(
        target_groups=[aws.lb.ListenerRuleActionForwardTargetGroupArgs(arn=api.arn, weight=90),
                       aws.lb.ListenerRuleActionForwardTargetGroupArgs(arn=api_canary.arn, weight=10)],
        stickiness=aws.lb.ListenerRuleActionForwardStickinessArgs(enabled=True, duration=600)))],
    conditions=[aws.lb.ListenerRuleConditionArgs(
        path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/api/*"]))],
    opts=opts)
aws.lb.ListenerRule(
    "portal-host", listener_arn=https.arn, priority=20,
    actions=[aws.lb.ListenerRuleActionArgs(type="forward", target_group_arn=portal.arn)],
    conditions=[aws.lb.ListenerRuleConditionArgs(
        host_header=aws.lb.ListenerRuleConditionHostHeaderArgs(values=[f"portal.{domain}"]))],
    opts=opts)
aws.lb.ListenerRule(
    "old-path-redirect", listener_arn=https.arn, priority=30,
    actions=[aws.lb.ListenerRuleActionArgs(type="redirect", redirect=aws.lb.ListenerRuleActionRedirectArgs(
        path="/api/v2/#{path}", status_code="HTTP_301"))],
    conditions=[aws.lb.ListenerRuleConditionArgs(
        path_pattern=aws.lb.ListenerRuleConditionPathPatternArgs(values=["/v1/*"]))],
    opts=opts)

aws.lb.Listener(
    "http-listener", load_balancer_arn=alb.arn, port=80, protocol="HTTP",
    default_actions=[aws.lb.ListenerDefaultActionArgs(
        type="redirect", redirect=aws.lb.ListenerDefaultActionRedirectArgs(
            protocol="HTTPS", port="443", status_code="HTTP_301"))],
    opts=opts)
# Health probe: plaintext fixed response, exempted in policy-config.json.
aws.lb.Listener(
    "health-probe-listener", load_balancer_arn=alb.arn, port=8080, protocol="HTTP",
    default_actions=[aws.lb.ListenerDefaultActionArgs(
        type="fixed-response", fixed_response=aws.lb.ListenerDefaultActionFixedResponseArgs(
            content_type="text/plain", message_body="ok", status_code="200"))],
    opts=opts)
# Legacy partner endpoint: its exemption expired on 2026-06-30, so the finding is back.
aws.lb.Listener(
    "legacy-http-listener", load_balancer_arn=alb.arn, port=8081, protocol="HTTP",
    default_actions=[aws.lb.ListenerDefaultActionArgs(  # defect: alb-http-redirects-to-https
        type="forward", target_group_arn=api.arn)],
    opts=opts)
aws.lb.Listener(
    "partner-tls-listener", load_balancer_arn=alb.arn, port=tls["ports"][1], protocol="HTTPS",
    ssl_policy=tls["policy"],
    certificate_arn=config.require("legacyCertificateArn"),  # defect: alb-https-real-certificate
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=api.arn)],
    opts=opts)  # defect: lb-security-group-allows-listener-port  (the ALB group admits 80, 443, 8080-8081)
aws.lb.Listener(
    "admin-listener", load_balancer_arn=alb.arn, port=9443, protocol="HTTPS", ssl_policy=tls["policy"],
    certificate_arn=certificate_arn,
    default_actions=[aws.lb.ListenerDefaultActionArgs(
        type="authenticate-cognito", order=1, authenticate_cognito=aws.lb.ListenerDefaultActionAuthenticateCognitoArgs(
            user_pool_arn=aws.cognito.UserPool("admins", opts=opts).arn,
            user_pool_client_id="1example23456789", user_pool_domain="referral-admins")),
        aws.lb.ListenerDefaultActionArgs(type="forward", order=2, target_group_arn=portal.arn)],
    opts=opts)

# Internal NLB: TLS to the HL7 engine, plain TCP for the MLLP health port.
nlb = aws.lb.LoadBalancer("hl7-nlb", load_balancer_type="network", internal=True, subnets=subnets.ids,
                          enable_cross_zone_load_balancing=True, opts=opts)
hl7 = aws.lb.TargetGroup("hl7-engine", name_prefix="hl7-", port=2575, protocol="TCP", target_type="ip",
                         vpc_id=vpc.id, opts=opts)
hl7_tls = aws.lb.TargetGroup("hl7-engine-tls", name_prefix="hl7tls-",  # defect: identifier-limits  (33 characters)
                             port=2575, protocol="TLS", target_type="ip", vpc_id=vpc.id, opts=opts)
aws.lb.Listener("hl7-tls", load_balancer_arn=nlb.arn, port=6661, protocol="TLS", certificate_arn=certificate_arn,
                ssl_policy=tls["policy"], alpn_policy="None",
                default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=hl7_tls.arn)],
                opts=opts)
aws.lb.Listener("hl7-tcp-health", load_balancer_arn=nlb.arn, port=2576, protocol="TCP",
                default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=hl7.arn)],
                opts=opts)

aws.route53.Record("referral-alias", zone_id=zone.zone_id, name=domain, type="A",
                   aliases=[aws.route53.RecordAliasArgs(name=alb.dns_name, zone_id=alb.zone_id,
                                                        evaluate_target_health=True)], opts=opts)
pulumi.export("url", pulumi.Output.concat("https://", domain))
