import pulumi
import pulumi_aws as aws

vault_key = aws.kms.Key("backup-vault-key", enable_key_rotation=True)
vault = aws.backup.Vault("phi-vault", kms_key_arn=vault_key.arn)
plan = aws.backup.Plan("phi-plan", rules=[aws.backup.PlanRuleArgs(
    rule_name="daily", target_vault_name=vault.name, schedule="cron(0 5 * * ? *)",
    lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=35))])
role = aws.iam.Role("backup-role", assume_role_policy="""{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "backup.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}""")
aws.backup.Selection("phi-selection", plan_id=plan.id, iam_role_arn=role.arn,
                     selection_tags=[aws.backup.SelectionSelectionTagArgs(type="STRINGEQUALS", key="hipaa", value="true")])
pulumi.export("vault", vault.arn)
