"""S3 buckets and the resources that configure them: ACLs off, object lock, access logging, replication,
TLS-only bucket policy, versioning, event notifications and a lifecycle for old versions.

A bucket's configuration resources are found by `relations.buckets.configuring` (propertyDependencies, else
the bucket's name or id); inline v6-style settings on the bucket count the same.
"""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import buckets, memo
from policypack.stack._iam import as_list, principal_values, statements, wildcard_match

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_B = {"bucket": "phi-data"}


def _cfg(types, name, props, bucket="phi-bucket"):
    """An example configuration resource fed by the example bucket."""
    return {"type": types[0], "name": name, "property_dependencies": {"bucket": [bucket]},
            "props": {"bucket": U, **props}}


def _lower(value) -> str:
    return value.lower() if isinstance(value, str) else ""


# -- ACLs ------------------------------------------------------------------------------------------------

def _cloudfront_log_targets(stack) -> tuple[set, set]:
    """(urns, bucket names) CloudFront distributions of the stack log to."""
    urns, names = set(), set()
    for dist in stack.of_type(T.CLOUDFRONT_DISTRIBUTION):
        urns.update(dist.property_dependency_urns.get("loggingConfig") or [])
        target = dist.props.peek("loggingConfig.bucket")
        if isinstance(target, str):
            names.add(target.split(".s3", 1)[0])
    return urns, names


def _cloudfront_log_bucket(bucket, stack) -> bool:
    """CloudFront standard (legacy) logging writes through ACLs: its target bucket needs them."""
    urns, names = memo(stack, "cloudfront-log-targets", lambda: _cloudfront_log_targets(stack))
    return bucket.urn in urns or bool(buckets.names(bucket) & names)


def _acl_grants_to_others(policy) -> bool:
    """Whether an `accessControlPolicy` grants anyone but the bucket owner (a group, an e-mail address or
    another canonical user)."""
    owner = policy.get_str("owner.id")
    for grant in policy.get_list("grants"):
        grantee = grant.get("grantee") if isinstance(grant, dict) else None
        if not isinstance(grantee, dict):
            continue
        if _lower(grantee.get("type")) in ("group", "amazoncustomerbyemail") or grantee.get("uri") or \
                grantee.get("emailAddress") or (owner and grantee.get("id") not in (None, owner)):
            return True
    return False


@stack_policy(
    name="s3-bucket-acl-prohibited",
    description="S3 buckets must not use ACLs: access is then decided by policies alone (BucketOwnerEnforced).",
    resource_types=T.S3_BUCKET,
    severity="high", group="hipaa", citation="164.312(a)(1)",
    aws_config_rules=("s3-bucket-acl-prohibited",),
    remediation="Remove acl/grants and any aws.s3.BucketAcl, and set aws.s3.BucketOwnershipControls "
                "rule.object_ownership 'BucketOwnerEnforced' (S3's default for new buckets since 2023-04).",
    violating=[Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_OWNERSHIP_CONTROLS, "own", {
                   "rule": {"objectOwnership": "ObjectWriter"}})]),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_ACL, "acl", {"acl": "public-read"})]),
               Example({"bucket": "phi-data", "acl": "log-delivery-write"}, name="phi-bucket"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_ACL, "acl", {"accessControlPolicy": {
                   "owner": {"id": "owner-canonical-id"},
                   "grants": [{"permission": "READ", "grantee": {"type": "CanonicalUser", "id": "partner-id"}}]}})],
                       note="a grant to another account's canonical user")],
    compliant=[Example(_B, name="phi-bucket", note="no ownership controls: BucketOwnerEnforced"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_ACL, "acl", {"accessControlPolicy": {
                   "owner": {"id": "owner-canonical-id"}, "grants": [
                       {"permission": "FULL_CONTROL", "grantee": {"type": "CanonicalUser", "id": "owner-canonical-id"}}]}})],
                       note="the owner's own grant"),
               Example({"bucket": "phi-data", "acl": "private"}, name="phi-bucket",
                       stack=[_cfg(T.S3_BUCKET_OWNERSHIP_CONTROLS, "own", {
                           "rule": {"objectOwnership": "BucketOwnerEnforced"}})]),
               Example({"bucket": "cdn-logs"}, name="cdn-logs", stack=[
                   _cfg(T.S3_BUCKET_OWNERSHIP_CONTROLS, "own", {"rule": {"objectOwnership": "BucketOwnerPreferred"}},
                        bucket="cdn-logs"),
                   {"type": T.CLOUDFRONT_DISTRIBUTION[0], "name": "cdn",
                    "props": {"loggingConfig": {"bucket": "cdn-logs.s3.amazonaws.com"}}}],
                   note="CloudFront standard logging needs ACLs")],
)
def s3_bucket_acl_prohibited(bucket, stack):
    if _cloudfront_log_bucket(bucket, stack):
        return
    for controls in buckets.configuring(bucket, stack, T.S3_BUCKET_OWNERSHIP_CONTROLS):
        ownership = controls.props.get_str("rule.objectOwnership")
        if ownership and ownership.lower() != "bucketownerenforced":
            yield (f"ownership controls set rule.objectOwnership to {controls.props.show('rule.objectOwnership')}: "
                   "ACLs stay in force beside bucket policies.")
    for acl in buckets.configuring(bucket, stack, T.S3_BUCKET_ACL):
        if (acl.props.is_set("acl") and _lower(acl.props.get_str("acl")) != "private") or \
                _acl_grants_to_others(acl.props.child("accessControlPolicy")):
            yield "a bucket ACL resource grants access beyond the owner: use bucket policies instead."
    if (bucket.props.is_set("acl") and _lower(bucket.props.get_str("acl")) != "private") or \
            bucket.props.get_list("grants"):
        yield f"the bucket's own acl ({bucket.props.show('acl')}) or grants give access through an ACL."


# -- object lock, logging, replication, notifications -------------------------------------------------------

def created_with_object_lock(bucket) -> bool:
    """Whether the bucket is created with Object Lock on (`object_lock_enabled`, or the older inline
    configuration)."""
    return bucket.props.get_bool("objectLockEnabled") is True or \
        _lower(bucket.props.get_str("objectLockConfiguration.objectLockEnabled")) == "enabled"


@stack_policy(
    name="s3-bucket-default-lock-enabled",
    description="S3 buckets holding PHI should have Object Lock, so objects cannot be overwritten or deleted.",
    resource_types=T.S3_BUCKET,
    severity="low", group="hipaa", citation="164.312(c)(1)", enforcement="advisory",
    aws_config_rules=("s3-bucket-default-lock-enabled",),
    remediation="Create the bucket with object_lock_enabled=True and add an aws.s3.BucketObjectLockConfiguration "
                "with a default retention (Object Lock cannot be turned off again).",
    violating=[Example(_B, name="phi-bucket")],
    compliant=[Example({"bucket": "phi-data", "objectLockEnabled": True}, name="phi-bucket"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_OBJECT_LOCK, "lock", {
                   "rule": {"defaultRetention": {"mode": "GOVERNANCE", "days": 30}}})])],
)
def s3_bucket_default_lock_enabled(bucket, stack):
    if created_with_object_lock(bucket):
        return
    if buckets.configuring(bucket, stack, T.S3_BUCKET_OBJECT_LOCK):
        return
    yield "Object Lock is off: objects can be overwritten or deleted."


@stack_policy(
    name="s3-bucket-logging-enabled",
    description="S3 buckets must have server access logging on.",
    resource_types=T.S3_BUCKET,
    severity="medium", group="hipaa", citation=C.AUDIT_AND_REVIEW,
    aws_config_rules=("s3-bucket-logging-enabled",),
    remediation="Add an aws.s3.BucketLogging with bucket=<this bucket> and target_bucket=<a log bucket>.",
    violating=[Example(_B, name="phi-bucket"),
               Example({"bucket": "trail-logs"}, name="trail-logs", stack=[
                   {"type": T.CLOUDTRAIL_TRAIL[0], "name": "trail", "props": {"s3BucketName": "trail-logs"}}],
                   note="a CloudTrail bucket is checked like any other (CIS 3.6)")],
    compliant=[Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_LOGGING, "logging", {
                   "targetBucket": "access-logs", "targetPrefix": "phi/"})]),
               Example({"bucket": "phi-data", "logging": {"targetBucket": "access-logs"}}, name="phi-bucket"),
               Example({"bucket": "access-logs"}, name="access-logs", stack=[
                   {"type": T.S3_BUCKET_LOGGING[0], "name": "logging",
                    "props": {"bucket": "phi-data", "targetBucket": "access-logs"}}],
                   note="the access-log target itself: logging it would recurse")],
)
def s3_bucket_logging_enabled(bucket, stack):
    if bucket.props.is_set("logging.targetBucket") or bucket.props.is_set("loggings"):
        return
    if buckets.is_access_log_target(bucket, stack) or buckets.configuring(bucket, stack, T.S3_BUCKET_LOGGING):
        return
    yield "server access logging is off: requests to this bucket leave no S3 access log."


@stack_policy(
    name="s3-bucket-replication-enabled",
    description="S3 buckets should replicate to another bucket (ideally another region).",
    resource_types=T.S3_BUCKET,
    severity="low", group="hipaa", citation=C.BACKUP, enforcement="advisory",
    aws_config_rules=("s3-bucket-replication-enabled",),
    remediation="Add an aws.s3.BucketReplicationConfig with an Enabled rule to a bucket in another region "
                "(versioning must be on on both).",
    violating=[Example(_B, name="phi-bucket"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_REPLICATION, "repl", {
                   "role": "r", "rules": [{"status": "Disabled", "destination": {"bucket": "arn:aws:s3:::dr"}}]})])],
    compliant=[Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_REPLICATION, "repl", {
                   "role": "r", "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::dr"}}]})]),
               Example({"bucket": "phi-data", "replicationConfiguration": {"role": "r", "rules": []}},
                       name="phi-bucket")],
)
def s3_bucket_replication_enabled(bucket, stack):
    if bucket.props.is_set("replicationConfiguration") or bucket.props.is_set("replicationConfigurations"):
        return
    for cfg in buckets.configuring(bucket, stack, T.S3_BUCKET_REPLICATION):
        if any(_lower(rule.get_str("status")) == "enabled" for rule in cfg.props.each("rules")):
            return
    yield "no enabled replication rule: the bucket's data exists in one place only."


@stack_policy(
    name="s3-event-notifications-enabled",
    description="S3 buckets should send event notifications (SNS, SQS, Lambda or EventBridge).",
    resource_types=T.S3_BUCKET,
    severity="low", group="hipaa", citation="164.308(a)(1)(ii)(D)", enforcement="advisory",
    aws_config_rules=("s3-event-notifications-enabled",),
    remediation="Add an aws.s3.BucketNotification for the bucket with eventbridge=True (or topics/queues/"
                "lambda_functions).",
    violating=[Example(_B, name="phi-bucket"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_NOTIFICATION, "events", {"eventbridge": False})])],
    compliant=[Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_NOTIFICATION, "events", {"eventbridge": True})]),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_NOTIFICATION, "events", {
                   "topics": [{"topicArn": "arn:aws:sns:us-east-1:210987654321:t", "events": ["s3:ObjectCreated:*"]}]})])],
)
def s3_event_notifications_enabled(bucket, stack):
    for cfg in buckets.configuring(bucket, stack, T.S3_BUCKET_NOTIFICATION):
        if cfg.props.get_bool("eventbridge") is True or any(
                cfg.props.is_set(k) for k in ("topics", "queues", "lambdaFunctions")):
            return
    yield "no event notification: object changes reach no monitoring."


# -- TLS-only bucket policy ----------------------------------------------------------------------------------

def _is_false(value) -> bool:
    return any(v is False or _lower(v) == "false" for v in as_list(value))


def _denies_plaintext(statement: dict) -> bool:
    """Deny to everyone of every S3 action when aws:SecureTransport is false."""
    if _lower(statement.get("Effect")) != "deny":
        return False
    principal = statement.get("Principal")
    if principal != "*" and "*" not in principal_values(principal, "AWS"):
        return False
    if not any(_lower(a) in ("*", "s3:*") for a in as_list(statement.get("Action"))):
        return False
    conditions = statement.get("Condition")
    if not isinstance(conditions, dict):
        return False
    for op, tests in conditions.items():
        if _lower(op) == "bool" and isinstance(tests, dict):
            if any(_lower(k) == "aws:securetransport" and _is_false(v) for k, v in tests.items()):
                return True
    return False


def _covers(statement: dict, arns_) -> bool:
    patterns = [p for p in as_list(statement.get("Resource")) if isinstance(p, str)]
    return all(any(wildcard_match(p, a) for p in patterns) for a in arns_)


def _bucket_arns(bucket, document_fed_by_bucket: bool):
    """Candidate (bucket ARN, object ARN) pairs to test the policy's Resource against."""
    names = [n for n in buckets.names(bucket) if not n.startswith("arn:")]
    if names:
        return [(f"arn:aws:s3:::{n}", f"arn:aws:s3:::{n}/*") for n in names]
    if document_fed_by_bucket:  # the name is unknown: built from bucket.arn; require both shapes
        return None
    return []


def _ssl_only(document, pairs) -> bool:
    for s in statements(document) or []:
        if not _denies_plaintext(s):
            continue
        if pairs is None:
            resources = [p for p in as_list(s.get("Resource")) if isinstance(p, str)]
            if any(r == "*" for r in resources) or (any(r.endswith("/*") for r in resources)
                                                     and any(not r.endswith("*") for r in resources)):
                return True
        elif any(_covers(s, pair) for pair in pairs):
            return True
    return False


_TLS_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyPlaintext", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
    "Resource": ["arn:aws:s3:::phi-data", "arn:aws:s3:::phi-data/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}


@stack_policy(
    name="s3-bucket-ssl-requests-only",
    description="S3 bucket policies must deny every request not made over TLS.",
    resource_types=T.S3_BUCKET,
    severity="high", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT + ("164.312(c)(2)",),
    aws_config_rules=("s3-bucket-ssl-requests-only",),
    remediation="Add an aws.s3.BucketPolicy with a statement Effect Deny, Principal '*', Action 's3:*', "
                "Resource [<bucket arn>, '<bucket arn>/*'], Condition {'Bool': {'aws:SecureTransport': 'false'}}.",
    violating=[Example(_B, name="phi-bucket", note="no bucket policy"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_POLICY, "policy", {"policy": {
                   "Statement": [{**_TLS_POLICY["Statement"][0], "Resource": "arn:aws:s3:::phi-data/*"}]}})],
                   note="objects only, not the bucket ARN")],
    compliant=[Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_POLICY, "policy", {"policy": _TLS_POLICY})]),
               Example({"bucket": "phi-data", "policy": '{"Statement": {"Effect": "Deny", "Principal": {"AWS": "*"}, '
                        '"Action": "*", "Resource": ["arn:aws:s3:::phi-*"], "Condition": {"Bool": '
                        '{"aws:SecureTransport": false}}}}'}, name="phi-bucket",
                       note="the bucket's own policy, a JSON string, a wildcard resource")],
)
def s3_bucket_ssl_requests_only(bucket, stack):
    if bucket.props.is_set("policy") and _ssl_only(bucket.props.get("policy"), _bucket_arns(bucket, True)):
        return
    for policy in buckets.configuring(bucket, stack, T.S3_BUCKET_POLICY):
        fed = bucket.urn in (policy.property_dependency_urns.get("policy") or []) or \
              bucket.urn in (policy.property_dependency_urns.get("bucket") or [])
        if _ssl_only(policy.props.get("policy"), _bucket_arns(bucket, fed)):
            return
    yield ("no bucket policy denies requests without TLS (Deny s3:* to '*' on the bucket and its objects when "
           "aws:SecureTransport is false): clients may read or write PHI in plaintext.")


# -- versioning and its lifecycle ------------------------------------------------------------------------------

def versioning(bucket, stack) -> tuple[bool, bool]:
    """(versioning enabled, MFA delete enabled) from the bucket's settings or a versioning resource."""
    if bucket.props.get_bool("versioning.enabled") is True:
        return True, bucket.props.get_bool("versioning.mfaDelete") is True
    for v in bucket.props.each("versionings"):
        if v.get_bool("enabled") is True:
            return True, v.get_bool("mfaDelete") is True
    for cfg in buckets.configuring(bucket, stack, T.S3_BUCKET_VERSIONING):
        if _lower(cfg.props.get_str("versioningConfiguration.status")) == "enabled":
            return True, _lower(cfg.props.get_str("versioningConfiguration.mfaDelete")) == "enabled"
    # S3 turns versioning on for a bucket created with Object Lock, and it cannot be suspended (S3 User Guide,
    # "Object Lock considerations"); MFA delete is only ever set through the versioning configuration
    return created_with_object_lock(bucket), False


@stack_policy(
    name="s3-bucket-versioning-enabled",
    description="S3 buckets must keep object versions, so an overwrite or delete can be undone.",
    resource_types=T.S3_BUCKET,
    severity="high", group="hipaa", citation=C.BACKUP + ("164.312(c)(1)", "164.312(c)(2)"),
    aws_config_rules=("s3-bucket-versioning-enabled",),
    config_schema={"isMfaDeleteEnabled": {"type": "boolean", "default": False,
                                          "description": "Also require MFA delete."}},
    remediation="Add an aws.s3.BucketVersioning with versioning_configuration.status 'Enabled'.",
    violating=[Example(_B, name="phi-bucket"),
               Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_VERSIONING, "versioning", {
                   "versioningConfiguration": {"status": "Suspended"}})]),
               Example(_B, name="phi-bucket", config={"isMfaDeleteEnabled": True}, stack=[
                   _cfg(T.S3_BUCKET_VERSIONING, "versioning", {"versioningConfiguration": {"status": "Enabled"}})])],
    compliant=[Example(_B, name="phi-bucket", stack=[_cfg(T.S3_BUCKET_VERSIONING, "versioning", {
                   "versioningConfiguration": {"status": "Enabled"}})]),
               Example({"bucket": "phi-data", "versioning": {"enabled": True}}, name="phi-bucket"),
               # Object Lock turns versioning on at creation, for good
               Example({"bucket": "phi-data", "objectLockEnabled": True}, name="phi-bucket")],
)
def s3_bucket_versioning_enabled(bucket, stack):
    enabled, mfa = versioning(bucket, stack)
    if not enabled:
        yield "versioning is not enabled: an overwritten or deleted object cannot be recovered."
    elif bucket.config["isMfaDeleteEnabled"] and not mfa:
        yield "versioning is enabled without MFA delete."


@stack_policy(
    name="s3-version-lifecycle-policy-check",
    description="Versioned S3 buckets should have a lifecycle configuration (old versions expire or move).",
    resource_types=T.S3_BUCKET,
    severity="low", group="hipaa", citation="164.308(a)(7)(ii)(A)", enforcement="advisory",
    aws_config_rules=("s3-version-lifecycle-policy-check",),
    remediation="Add an aws.s3.BucketLifecycleConfiguration with an Enabled rule (noncurrent version "
                "transition/expiration as your retention policy says).",
    violating=[Example({"bucket": "phi-data", "versioning": {"enabled": True}}, name="phi-bucket"),
               Example({"bucket": "phi-data", "objectLockEnabled": True}, name="phi-bucket",
                       note="Object Lock versions the bucket")],
    compliant=[Example({"bucket": "phi-data", "versioning": {"enabled": True}}, name="phi-bucket", stack=[
                   _cfg(T.S3_BUCKET_LIFECYCLE, "lifecycle", {"rules": [
                       {"id": "old", "status": "Enabled", "noncurrentVersionExpiration": {"noncurrentDays": 365}}]})]),
               Example(_B, name="phi-bucket", note="not versioned: nothing to expire")],
)
def s3_version_lifecycle_policy_check(bucket, stack):
    if not versioning(bucket, stack)[0]:
        return
    if any(r.get_bool("enabled") is True for r in bucket.props.each("lifecycleRules")):
        return
    for cfg in buckets.configuring(bucket, stack, T.S3_BUCKET_LIFECYCLE):
        if any(_lower(rule.get_str("status")) == "enabled" for rule in cfg.props.each("rules")):
            return
    yield "a versioned bucket without an enabled lifecycle rule keeps every old version forever."


