"""S3 buckets and the resources that configure them: SSE-KMS encryption and Block Public Access.

Since pulumi-aws 6 a bucket's encryption and public-access settings live in separate resources whose `bucket`
input names the bucket. These are stack policies: they find, for each bucket, the resources that configure it
(through the engine's propertyDependencies, so an unknown bucket name at preview still resolves, else by the
bucket's name), and attach the finding to the bucket.
"""
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import buckets
from policypack.values import UNKNOWN

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
BLOCK_SETTINGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
_KEY = "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"
_SSE = T.S3_BUCKET_SSE[0]
_PAB = T.S3_BUCKET_PUBLIC_ACCESS_BLOCK[0]


def _algorithms(tree) -> list[str]:
    """Every `sseAlgorithm` in a (v6 or v7 shaped, inline or separate) encryption configuration."""
    if isinstance(tree, dict):
        own = [tree["sseAlgorithm"]] if isinstance(tree.get("sseAlgorithm"), str) else []
        return own + [a for k, v in tree.items() if k != "sseAlgorithm" for a in _algorithms(v)]
    if isinstance(tree, list):
        return [a for v in tree for a in _algorithms(v)]
    return []


def _inline_algorithms(bucket) -> list[str]:
    """The bucket's own encryption settings; unknown at preview means S3's default (SSE-S3) for a new bucket."""
    found = []
    for key in ("serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations"):
        tree = bucket.props.peek(key)
        if tree is not UNKNOWN:
            found += _algorithms(tree)
    return found


_LOG_SETTINGS = ("accessLogs", "connectionLogs")


def _alb_log_bucket(bucket, stack) -> bool:
    """Whether an application load balancer of the stack writes its access or connection logs to this bucket:
    such a bucket can only use SSE-S3 (Elastic Load Balancing User Guide, "Enable access logs for your
    Application Load Balancer": "The only server-side encryption option that's supported is SSE-S3")."""
    urns, names = _alb_log_destinations(stack)
    return bucket.urn in urns or bool(buckets.names(bucket) & names)


def _alb_log_destinations(stack) -> tuple[set, set]:
    """Once per stack: the bucket URNs and names that application load balancers (or load balancers of a
    type not known yet) write access or connection logs to."""
    def build():
        urns, names = set(), set()
        for lb in stack.of_type(T.LB_LOAD_BALANCER):
            kind = lb.props.peek("loadBalancerType")
            if isinstance(kind, str) and kind.lower() != "application":
                continue
            for setting in _LOG_SETTINGS:
                urns.update(lb.property_dependency_urns.get(setting) or ())
                name = lb.props.peek(f"{setting}.bucket")
                if isinstance(name, str) and name:
                    names.add(name)
        return urns, names
    return stack.memo("alb-log-destinations", build)


@stack_policy(
    name="s3-bucket-encrypted",
    description="S3 buckets must encrypt objects with KMS (SSE-KMS or DSSE-KMS), not only S3-managed keys.",
    resource_types=T.S3_BUCKET,
    severity="high", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    aws_config_rules=("s3-bucket-server-side-encryption-enabled", "s3-default-encryption-kms"),
    remediation="Add an aws.s3.BucketServerSideEncryptionConfiguration whose bucket is this bucket, with a rule "
                "apply_server_side_encryption_by_default {sse_algorithm='aws:kms', kms_master_key_id=<customer-"
                "managed key ARN>} and bucket_key_enabled=True.",
    violating=[
        Example({"bucket": "phi-data"}, name="phi-bucket",
                note="no encryption configuration: only S3's default SSE-S3"),
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": _SSE, "name": "phi-sse", "property_dependencies": {"bucket": ["phi-bucket"]},
                        "props": {"bucket": "phi-data",
                                  "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}}],
                note="SSE-S3 is configured, not SSE-KMS"),
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": _SSE, "name": "other-sse", "props": {"bucket": "other-data", "rules": [
                    {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]}}],
                note="the only configuration belongs to another bucket"),
        Example({"bucket": "nlb-logs"}, name="nlb-logs",
                stack=[{"type": T.LB_LOAD_BALANCER[0], "name": "nlb",
                        "property_dependencies": {"accessLogs": ["nlb-logs"]},
                        "props": {"loadBalancerType": "network", "accessLogs": {"bucket": "nlb-logs"}}}],
                note="a Network Load Balancer's log bucket can use SSE-KMS, so it must"),
    ],
    compliant=[
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": _SSE, "name": "phi-sse", "property_dependencies": {"bucket": ["phi-bucket"]},
                        "props": {"bucket": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "rules": [
                            {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms",
                                                                    "kmsMasterKeyId": _KEY},
                             "bucketKeyEnabled": True}]}}],
                note="the bucket name is unknown at preview; propertyDependencies still place it"),
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": _SSE, "name": "phi-sse", "props": {"bucket": "phi-data", "rules": [
                    {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms:dsse"}}]}}],
                note="matched by bucket name"),
        Example({"bucket": "phi-data", "serverSideEncryptionConfiguration": {"rule": {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": _KEY}}}},
            name="phi-bucket", note="the v6-style inline configuration"),
        Example({"bucket": "alb-logs"}, name="alb-logs",
                stack=[{"type": T.LB_LOAD_BALANCER[0], "name": "alb",
                        "property_dependencies": {"accessLogs": ["alb-logs"]},
                        "props": {"loadBalancerType": "application",
                                  "accessLogs": {"bucket": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                                                 "enabled": True}}}],
                note="an Application Load Balancer's log bucket: AWS supports only SSE-S3 there"),
    ],
)
def s3_bucket_encrypted(bucket, stack):
    if _alb_log_bucket(bucket, stack):
        return
    configs = buckets.configuring(bucket, stack, T.S3_BUCKET_SSE)
    inline = _inline_algorithms(bucket)
    # An unknown `rules` may hold aws:kms: Unknown propagates and the policy stays silent.
    used = [(c.name, a) for c in configs for a in _algorithms(c.props.get("rules"))]
    if any(a.lower() in KMS_ALGORITHMS for a in inline) or any(a.lower() in KMS_ALGORITHMS for _, a in used):
        return
    if used:
        names = ", ".join(sorted({n for n, _ in used}))
        yield (f"the server-side encryption configuration {names} of this bucket does not use aws:kms; S3-managed "
               "keys (SSE-S3) are not under your control: set sse_algorithm='aws:kms' with a customer-managed key.")
    else:
        yield ("this bucket has no server-side encryption configuration with aws:kms: add an "
               "aws.s3.BucketServerSideEncryptionConfiguration for it (sse_algorithm='aws:kms', "
               "kms_master_key_id=<customer-managed key>).")


@stack_policy(
    name="s3-public-access-blocked",
    description="S3 buckets must have all four Block Public Access settings on, per bucket or for the account.",
    resource_types=T.S3_BUCKET,
    severity="critical", group="hipaa",
    citation=(
        "164.312(a)(1)", "164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(e)(1)",
    ),
    aws_config_rules=("s3-bucket-public-read-prohibited", "s3-bucket-public-write-prohibited"),
    remediation="Add an aws.s3.BucketPublicAccessBlock whose bucket is this bucket with block_public_acls, "
                "block_public_policy, ignore_public_acls and restrict_public_buckets all True (or an "
                "aws.s3.AccountPublicAccessBlock with all four True).",
    config_schema={"accountBlockManagedElsewhere": {
        "type": "boolean", "default": False,
        "description": "The account-level S3 Block Public Access (all four settings) is managed outside this "
                       "stack; buckets without their own block then pass."}},
    violating=[
        Example({"bucket": "phi-data"}, name="phi-bucket", note="no public access block in the stack"),
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": _PAB, "name": "phi-pab", "property_dependencies": {"bucket": ["phi-bucket"]},
                        "props": {"bucket": "phi-data", "blockPublicAcls": True, "blockPublicPolicy": False,
                                  "ignorePublicAcls": True, "restrictPublicBuckets": True}}]),
    ],
    compliant=[
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": _PAB, "name": "phi-pab", "property_dependencies": {"bucket": ["phi-bucket"]},
                        "props": {"bucket": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "blockPublicAcls": True,
                                  "blockPublicPolicy": True, "ignorePublicAcls": True,
                                  "restrictPublicBuckets": True}}]),
        Example({"bucket": "phi-data"}, name="phi-bucket",
                stack=[{"type": T.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK[0], "name": "account-pab",
                        "props": {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True,
                                  "restrictPublicBuckets": True}}],
                note="the account-level block covers every bucket"),
        Example({"bucket": "phi-data"}, name="phi-bucket", config={"accountBlockManagedElsewhere": True}),
    ],
)
def s3_public_access_blocked(bucket, stack):
    if bucket.config["accountBlockManagedElsewhere"] is True:
        return
    for account_block in stack.of_type(T.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK):
        if not _off(account_block):
            return
    blocks = buckets.configuring(bucket, stack, T.S3_BUCKET_PUBLIC_ACCESS_BLOCK)
    if not blocks:
        yield ("this bucket has no BucketPublicAccessBlock (and the stack no AccountPublicAccessBlock): add one "
               "with all four settings true, so a policy or ACL can never make its objects public.")
        return
    if all(_off(b) for b in blocks):
        block = blocks[0]
        yield (f"BucketPublicAccessBlock {block.name} leaves {', '.join(_off(block))} off: "
               "a bucket policy or ACL could make objects public.")


def _off(block) -> list[str]:
    """The Block Public Access settings that are not true (raises Unknown when one is unknown)."""
    return [s for s in BLOCK_SETTINGS if block.props.get_bool(s) is not True]
