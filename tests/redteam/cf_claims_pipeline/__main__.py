"""Claims intake: landing, curated and replica buckets, every one configured with the v7 split resources."""
import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
replica_region = config.get("replicaRegion") or "us-west-2"
retention_days = config.get_int("retentionDays") or 2190
stack = pulumi.get_stack()
tags = {"app": "claims", "env": stack, "data-classification": "phi"}

identity = aws.get_caller_identity()
account_id = identity.account_id

replica_provider = aws.Provider("replica", region=replica_region)


def key_policy(region: str) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "S3EventsAndAccessLogs", "Effect": "Allow",
             "Principal": {"Service": ["s3.amazonaws.com", "logging.s3.amazonaws.com"]},
             "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"},
        ],
    })


claims_key = aws.kms.Key("claims-key", description="claims PHI", enable_key_rotation=True,
                         deletion_window_in_days=30, policy=key_policy("us-east-1"), tags=tags)
replica_key = aws.kms.Key("claims-replica-key", description="claims PHI replica", enable_key_rotation=True,
                          policy=key_policy(replica_region), tags=tags,
                          opts=pulumi.ResourceOptions(provider=replica_provider))

# Events from the buckets go to one encrypted topic.
events_topic = aws.sns.Topic("claims-object-events", kms_master_key_id=claims_key.arn, tags=tags)


def tls_only(bucket_arn):
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


# Server access log target: SSE-KMS with the claims key (its policy admits logging.s3.amazonaws.com).
access_logs = aws.s3.Bucket(
    "claims-access-logs",
    bucket=f"claims-access-logs-{stack}-example",
    # S3 cannot deliver server access logs into an Object Lock bucket.
    tags={**tags, "hipaa-guard:exempt":
          "s3-bucket-replication-enabled,s3-event-notifications-enabled: log archive, copied nightly by the log-archive "
          "account; s3-bucket-default-lock-enabled: server access log targets cannot use Object Lock"},
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "claims-access-logs-sse", bucket=access_logs.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms",
                                                       "kms_master_key_id": claims_key.arn}}])
aws.s3.BucketVersioning("claims-access-logs-versioning", bucket=access_logs.id,
                        versioning_configuration={"status": "Enabled"})
aws.s3.BucketPublicAccessBlock("claims-access-logs-pab", bucket=access_logs.id, block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketLifecycleConfiguration(
    "claims-access-logs-lifecycle", bucket=access_logs.id,
    rules=[{"id": "expire-noncurrent", "status": "Enabled", "filter": {},
            "noncurrent_version_expiration": {"noncurrent_days": retention_days}}])
aws.s3.BucketPolicy(
    "claims-access-logs-policy", bucket=access_logs.id,
    policy=access_logs.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [
        tls_only(arn),
        {"Sid": "S3ServerAccessLogs", "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
         "Action": "s3:PutObject", "Resource": f"{arn}/*",
         "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}},
    ]})))


class ClaimsBucket(pulumi.ComponentResource):
    """A PHI bucket with KMS encryption, versioning, public access block, TLS-only policy, logging, lifecycle."""

    def __init__(self, name, key, log_bucket, notify=True, versioning_status="Enabled", tls_policy=True,
                 lock=True, extra_tags=None, lifecycle=True, opts=None):
        super().__init__("claims:storage:ClaimsBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = aws.s3.Bucket(name, bucket=f"{name}-{stack}-example", object_lock_enabled=lock,
                                    tags={**tags, **(extra_tags or {})}, opts=child)
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-sse", bucket=self.bucket.bucket,
            rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="aws:kms", kms_master_key_id=key.arn),
                bucket_key_enabled=True)], opts=child)
        # With Object Lock, S3 turns versioning on at creation: a BucketVersioning resource is optional then.
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning", bucket=self.bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status=versioning_status),
            opts=child) if versioning_status else self.bucket
        aws.s3.BucketPublicAccessBlock(f"{name}-pab", bucket=self.bucket.id, block_public_acls=True,
                                       block_public_policy=True, ignore_public_acls=True,
                                       restrict_public_buckets=True, opts=child)
        if log_bucket is not None:  # server access logs must stay in the source bucket's region
            aws.s3.BucketLogging(f"{name}-logging", bucket=self.bucket.id, target_bucket=log_bucket.id,
                                 target_prefix=f"{name}/", opts=child)
        if lifecycle:
            aws.s3.BucketLifecycleConfiguration(
                f"{name}-lifecycle", bucket=self.bucket.id,
                rules=[{"id": "noncurrent", "status": "Enabled", "filter": {"prefix": ""},
                        "noncurrent_version_expiration": {"noncurrent_days": retention_days}}],
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.versioning]))
        if tls_policy:
            statements = pulumi.Output.all(arn=self.bucket.arn).apply(lambda a: [tls_only(a["arn"])])
        else:
            # defect: s3-bucket-ssl-requests-only (Deny covers only the objects, not the bucket ARN)
            statements = self.bucket.arn.apply(lambda arn: [{**tls_only(arn), "Resource": f"{arn}/*"}])
        aws.s3.BucketPolicy(f"{name}-policy", bucket=self.bucket.id,
                            policy=statements.apply(lambda s: json.dumps({"Version": "2012-10-17", "Statement": s})),
                            opts=child)
        if notify:
            aws.s3.BucketNotification(f"{name}-notification", bucket=self.bucket.id,
                                      topics=[{"topic_arn": events_topic.arn, "events": ["s3:ObjectCreated:*"]}],
                                      opts=pulumi.ResourceOptions(parent=self, depends_on=[topic_policy]))
        self.register_outputs({"bucket": self.bucket.bucket})


topic_policy = aws.sns.TopicPolicy(
    "claims-object-events-policy", arn=events_topic.arn,
    policy=aws.iam.get_policy_document_output(statements=[aws.iam.GetPolicyDocumentStatementArgs(
        effect="Allow", actions=["SNS:Publish"], resources=[events_topic.arn],
        principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=["s3.amazonaws.com"])],
        conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
            test="StringEquals", variable="aws:SourceAccount", values=[account_id])])]).json)

landing = ClaimsBucket("claims-landing", claims_key, access_logs)
curated = ClaimsBucket("claims-curated", claims_key, access_logs, tls_policy=False)
# defect: s3-bucket-versioning-enabled (versioning suspended "to save storage")
scratch = ClaimsBucket("claims-scratch", claims_key, access_logs, versioning_status="Suspended", notify=False,
                       lock=False, extra_tags={"hipaa-guard:exempt": "s3-bucket-default-lock-enabled: scratch objects expire after 7 days"})
# defect: s3-event-notifications-enabled (notify=False above: nobody hears about new scratch files)

# Explanation-of-benefits PDFs: Object Lock (hence versioned by S3), no explicit BucketVersioning.
# defect: s3-version-lifecycle-policy-check (versioned through Object Lock, but no lifecycle: versions pile up)
eob = ClaimsBucket("claims-eob", claims_key, access_logs, versioning_status=None, lifecycle=False)

# Replica in the second region, same controls, through the explicit provider.
replica = ClaimsBucket("claims-replica", replica_key, None, notify=False,
                       extra_tags={"hipaa-guard:exempt": "s3-bucket-replication-enabled: this is the replication "
                                   "destination; s3-bucket-logging-enabled: us-west-2 access logs are set up by the "
                                   "log-archive stack there until 2027-06-30"}, opts=pulumi.ResourceOptions(provider=replica_provider))
# defect: s3-event-notifications-enabled (replica has no notification either)

replication_role = aws.iam.Role(
    "claims-replication-role",
    assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    tags=tags)
replication_policy = aws.iam.Policy(
    "claims-replication-policy",
    policy=pulumi.Output.all(src=landing.bucket.arn, cur=curated.bucket.arn, dst=replica.bucket.arn,
                             key=claims_key.arn, rkey=replica_key.arn).apply(lambda a: json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
             "Resource": [a["src"], a["cur"]]},
            {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl",
                                           "s3:GetObjectVersionTagging"], "Resource": [f"{a['src']}/*", f"{a['cur']}/*"]},
            {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
             "Resource": f"{a['dst']}/*"},
            {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": a["key"]},
            {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:GenerateDataKey"], "Resource": a["rkey"]},
        ]})))
aws.iam.RolePolicyAttachment("claims-replication-attach", role=replication_role.name,
                             policy_arn=replication_policy.arn)

for source in (landing, curated, eob):
    aws.s3.BucketReplicationConfig(
        f"{source._name}-replication",
        bucket=source.bucket.id,
        role=replication_role.arn,
        rules=[{
            "id": "phi-to-replica", "status": "Enabled", "filter": {},
            "delete_marker_replication": {"status": "Enabled"},
            "source_selection_criteria": {"sse_kms_encrypted_objects": {"status": "Enabled"}},
            "destination": {"bucket": replica.bucket.arn, "storage_class": "STANDARD",
                            "encryption_configuration": {"replica_kms_key_id": replica_key.arn}},
        }],
        opts=pulumi.ResourceOptions(depends_on=[source.versioning, replica.versioning]),
    )

# The scratch bucket holds re-creatable intermediate files: nothing to replicate.
# defect: s3-bucket-replication-enabled (scratch still holds PHI and is not replicated)

# Adjudicated claims archive: WORM. Object Lock at creation turns versioning on (S3 does it, and it can
# never be suspended), so no BucketVersioning resource is declared. Configured by literal bucket name.
ARCHIVE = f"claims-archive-{stack}-example"
archive = aws.s3.Bucket("claims-archive", bucket=ARCHIVE, object_lock_enabled=True, tags=tags,
                        opts=pulumi.ResourceOptions(protect=False, ignore_changes=["tags"]))
aws.s3.BucketObjectLockConfiguration(
    "claims-archive-lock", bucket=ARCHIVE,
    rule={"default_retention": {"mode": "COMPLIANCE", "years": 6}}, opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketServerSideEncryptionConfiguration(
    "claims-archive-sse", bucket=ARCHIVE,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": claims_key.arn}}],
    opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketPublicAccessBlock("claims-archive-pab", bucket=ARCHIVE, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True,
                               opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketLogging("claims-archive-logging", bucket=ARCHIVE, target_bucket=access_logs.bucket,
                     target_prefix="claims-archive/", opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketLifecycleConfiguration(
    "claims-archive-lifecycle", bucket=ARCHIVE,
    rules=[{"id": "tier", "status": "Enabled", "filter": {},
            "transitions": [{"days": 90, "storage_class": "GLACIER"}],
            "noncurrent_version_expiration": {"noncurrent_days": retention_days}}],
    opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketPolicy("claims-archive-policy", bucket=ARCHIVE, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [tls_only(f"arn:aws:s3:::{ARCHIVE}")]}),
    opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketNotification("claims-archive-events", bucket=ARCHIVE, eventbridge=True,
                          opts=pulumi.ResourceOptions(depends_on=[archive]))
aws.s3.BucketReplicationConfig(
    "claims-archive-replication", bucket=ARCHIVE, role=replication_role.arn,
    rules=[aws.s3.BucketReplicationConfigRuleArgs(
        id="archive-to-replica", status="Enabled", filter=aws.s3.BucketReplicationConfigRuleFilterArgs(),
        delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(status="Disabled"),
        source_selection_criteria={"sse_kms_encrypted_objects": {"status": "Enabled"}},
        destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
            bucket=replica.bucket.arn, encryption_configuration={"replica_kms_key_id": replica_key.arn}))],
    opts=pulumi.ResourceOptions(depends_on=[archive]))

pulumi.export("landing_bucket", landing.bucket.bucket)
pulumi.export("replica_bucket", replica.bucket.bucket)
