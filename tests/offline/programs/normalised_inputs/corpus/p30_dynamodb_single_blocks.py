import pulumi_aws as aws

aws.dynamodb.Table(
    "p30-table",
    billing_mode="PAY_PER_REQUEST",
    hash_key="pk",
    attributes={"name": "pk", "type": "S"},
    server_side_encryption={"enabled": True},
    point_in_time_recovery={"enabled": True},
    ttl={"attribute_name": "expires", "enabled": "true"},
)
