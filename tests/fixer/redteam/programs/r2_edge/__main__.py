"""Edge: REST API behind CloudFront with WAF; backups. Tab-indented, CRLF."""
import pulumi
import pulumi_aws as aws_provider


class Edge(pulumi.ComponentResource):
	def __init__(self, name, opts=None):
		super().__init__("tap:edge:Edge", name, None, opts)
		import json  # generated code often imports here
		from pulumi_aws import wafv2

		self.api = aws_provider.apigateway.RestApi(f"{name}-api", description="Portail patient — API")
		resource = aws_provider.apigateway.Resource(f"{name}-res", rest_api=self.api.id,
			parent_id=self.api.root_resource_id, path_part="records")
		method = aws_provider.apigateway.Method(f"{name}-get", rest_api=self.api.id, resource_id=resource.id,
			http_method="GET", authorization="AWS_IAM")
		integration = aws_provider.apigateway.Integration(f"{name}-mock", rest_api=self.api.id,
			resource_id=resource.id, http_method=method.http_method, type="MOCK")
		self.deployment = aws_provider.apigateway.Deployment(
			f"{name}-deployment",
			rest_api=self.api.id,
			stage_name="prod",  # the public stage
			opts=pulumi.ResourceOptions(parent=self, depends_on=[integration]),
		)

		self.acl = wafv2.WebAcl(
			f"{name}-acl",
			scope="REGIONAL",
			default_action={"allow": {}},
			visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": f"{name}-acl", "sampled_requests_enabled": True},
			rules=[{
				"name": "common",
				"priority": 1,
				"override_action": {"none": {}},
				"statement": {"managed_rule_group_statement": {"name": "AWSManagedRulesCommonRuleSet", "vendor_name": "AWS"}},
				"visibility_config": {"cloudwatch_metrics_enabled": True, "metric_name": "common", "sampled_requests_enabled": True},
			}],
			opts=pulumi.ResourceOptions(parent=self),
		)

		vault = aws_provider.backup.Vault(f"{name}-vault", opts=pulumi.ResourceOptions(parent=self))
		plan = aws_provider.backup.Plan(
			f"{name}-plan",
			rules=[{"rule_name": "daily", "target_vault_name": vault.name, "schedule": "cron(0 5 * * ? *)",
				"lifecycle": {"delete_after": 35}}],
			opts=pulumi.ResourceOptions(parent=self),
		)
		role = aws_provider.iam.Role(f"{name}-backup-role", assume_role_policy=json.dumps({
			"Version": "2012-10-17",
			"Statement": [{"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}],
		}), opts=pulumi.ResourceOptions(parent=self))
		aws_provider.backup.Selection(f"{name}-selection", plan_id=plan.id, iam_role_arn=role.arn,
			resources=[f"arn:aws:apigateway:*::/restapis/{self.api.id}"], opts=pulumi.ResourceOptions(parent=self))

		self.url = f"https://{self.api.id}.execute-api.eu-central-1.amazonaws.com/prod"
		self.register_outputs({"url": self.url})


edge = Edge("edge")
pulumi.export("api_id", edge.api.id)
