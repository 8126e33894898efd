"""Seed 000: a Redis AUTH token taken from a RandomPassword with the default special characters;
ElastiCache answers "Invalid AuthToken provided" because it accepts only `!&#$^<>-` as punctuation.
Encryption at rest and in transit are on, so elasticache-auth-token-valid (which has to look through
`auth_token` to the RandomPassword's settings) is the only policy that may fire."""

import pulumi_aws as aws
import pulumi_random as random

key = aws.kms.Key("cache-key", description="Session cache storage", enable_key_rotation=True)

auth_token = random.RandomPassword(
    "cache-auth-token",
    length=32,
    special=True,  # the defect under test: default specials, no override_special
)

aws.elasticache.ReplicationGroup(
    "sessions-cache",
    description="Patient-portal sessions",
    engine="redis",
    engine_version="7.1",
    node_type="cache.t4g.small",
    num_cache_clusters=2,
    automatic_failover_enabled=True,
    multi_az_enabled=True,
    at_rest_encryption_enabled=True,
    kms_key_id=key.arn,
    transit_encryption_enabled=True,
    auth_token=auth_token.result,
)
