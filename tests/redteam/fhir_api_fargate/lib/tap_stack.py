"""FHIR API: ALB (TLS 1.3) -> ECS Fargate (private subnets), CMK-encrypted logs and secrets."""
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions

from lib.components.ecs_service import EcsServiceStack
from lib.components.network import NetworkStack


@dataclass
class TapStackArgs:
    environment_suffix: str
    hosted_zone_id: str
    domain: str
    tags: dict = field(default_factory=dict)


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions = None):
        super().__init__("tap:index:TapStack", name, None, opts)
        tags = {"Project": "fhir-api", "Environment": args.environment_suffix, **args.tags}
        identity = aws.get_caller_identity()
        partition = aws.get_partition()
        region = aws.get_region()

        key_doc = aws.iam.get_policy_document_output(statements=[
            {"sid": "AccountAdmin", "actions": ["kms:*"], "resources": ["*"],
             "principals": [{"type": "AWS",
                             "identifiers": [f"arn:{partition.partition}:iam::{identity.account_id}:root"]}]},
            {"sid": "CloudWatchLogs", "resources": ["*"],
             "actions": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
             "principals": [{"type": "Service", "identifiers": [f"logs.{region.name}.amazonaws.com"]}]},
        ])
        self.key = aws.kms.Key(f"{name}-cmk", description="FHIR API data key", enable_key_rotation=True,
                               policy=key_doc.json, tags=tags, opts=ResourceOptions(parent=self))

        # Certificate for the regional ALB, plus one in us-east-1 for the CloudFront distribution in front.
        us_east_1 = aws.Provider(f"{name}-us-east-1", region="us-east-1", opts=ResourceOptions(parent=self))
        self.cert = aws.acm.Certificate(f"{name}-cert", domain_name=args.domain, validation_method="DNS",
                                        subject_alternative_names=[f"*.{args.domain}"],
                                        opts=ResourceOptions(parent=self))
        records = []
        for i in range(2):
            dvo = self.cert.domain_validation_options[i]
            records.append(aws.route53.Record(
                f"{name}-cert-dns-{i}", zone_id=args.hosted_zone_id, name=dvo.resource_record_name,
                type=dvo.resource_record_type, records=[dvo.resource_record_value], ttl=300,
                allow_overwrite=True, opts=ResourceOptions(parent=self.cert)))
        validated = aws.acm.CertificateValidation(
            f"{name}-cert-validation", certificate_arn=self.cert.arn,
            validation_record_fqdns=[r.fqdn for r in records], opts=ResourceOptions(parent=self.cert))
        self.edge_cert = aws.acm.Certificate(f"{name}-edge-cert", domain_name=args.domain,
                                             validation_method="DNS",
                                             opts=ResourceOptions(parent=self, provider=us_east_1))

        self.network = NetworkStack(f"{name}-net", args.environment_suffix, tags, ResourceOptions(parent=self))
        self.ecs = EcsServiceStack(f"{name}-app", suffix=args.environment_suffix, tags=tags, network=self.network,
                                   kms_key=self.key, certificate_arn=validated.certificate_arn,
                                   opts=ResourceOptions(parent=self))
        self.register_outputs({"alb_dns": self.ecs.alb.dns_name})
