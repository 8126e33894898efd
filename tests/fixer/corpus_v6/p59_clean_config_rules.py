import json

import pulumi
import pulumi_aws as aws

recorder_role = aws.iam.Role("config-recorder", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "config.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}))
recorder = aws.cfg.Recorder("hipaa-recorder", role_arn=recorder_role.arn,
                            recording_group=aws.cfg.RecorderRecordingGroupArgs(all_supported=True))
for rule_id in ["S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", "RDS_STORAGE_ENCRYPTED"]:
    aws.cfg.Rule(rule_id.lower().replace("_", "-"), source=aws.cfg.RuleSourceArgs(owner="AWS", source_identifier=rule_id),
                 opts=pulumi.ResourceOptions(depends_on=[recorder]))
