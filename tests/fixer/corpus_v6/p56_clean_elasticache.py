import pulumi
import pulumi_aws as aws
import pulumi_random as random

token = random.RandomPassword("session-cache-token", length=40, special=True, override_special="!&#$^<>-")
cache = aws.elasticache.ReplicationGroup("session-cache", description="portal sessions", engine="redis",
                                         node_type="cache.t4g.small", num_cache_clusters=2,
                                         automatic_failover_enabled=True, at_rest_encryption_enabled=True,
                                         transit_encryption_enabled=True, auth_token=token.result)
pulumi.export("cache", cache.primary_endpoint_address)
