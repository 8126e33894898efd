"""Buckets and the separate resources that configure them (`bucket` input names the bucket)."""
from __future__ import annotations

from typing import Sequence

from .. import resource_types as T
from . import identifiers, memo, referrers

BUCKET_KEYS = ("bucket", "id")


def configuring(bucket, stack, types: Sequence[str]) -> list:
    """Resources of `types` whose `bucket` input is this bucket; raises Unknown if none is found while one
    could not be placed (its `bucket` unknown and fed by nothing)."""
    return referrers(stack, bucket, types, "bucket", BUCKET_KEYS)


def names(bucket) -> set:
    """The known names other resources may use for this bucket (its `bucket` name and id)."""
    return identifiers(bucket, BUCKET_KEYS)


def access_log_targets(stack) -> tuple[set, set]:
    """(urns, names) of the buckets that receive S3 server access logs: a bucket logging configuration's
    `targetBucket`, or a bucket's inline `logging.targetBucket` / `loggings[].targetBucket`."""
    def build():
        urns, texts_ = set(), set()
        for cfg in stack.of_type(T.S3_BUCKET_LOGGING):
            urns.update(cfg.property_dependency_urns.get("targetBucket") or [])
            value = cfg.props.peek("targetBucket")
            if isinstance(value, str):
                texts_.add(value)
        for b in stack.of_type(T.S3_BUCKET):
            for key in ("logging", "loggings"):
                urns.update(b.property_dependency_urns.get(key) or [])
                node = b.props.peek(key)
                for item in node if isinstance(node, list) else [node]:
                    if isinstance(item, dict) and isinstance(item.get("targetBucket"), str):
                        texts_.add(item["targetBucket"])
        return urns, texts_
    return memo(stack, "s3-access-log-targets", build)


def is_access_log_target(bucket, stack) -> bool:
    urns, texts_ = access_log_targets(stack)
    return bucket.urn in urns or bool(names(bucket) & texts_)
