"""Entry point: network first, then the data tier that lives in it."""
import pulumi

from lib.data import DataTier, DataTierArgs
from lib.network import Network

config = pulumi.Config()
env = config.get("env") or "dev"

network = Network(f"net-{env}", cidr="10.20.0.0/16", az_count=2)
data = DataTier(f"data-{env}", DataTierArgs(network=network, env=env))

# a dict of Outputs is a valid export value
pulumi.export("network", {
    "vpc_id": network.vpc.id,
    "private_subnet_ids": [s.id for s in network.private_subnets],
    "endpoint": data.endpoint,
})
pulumi.export("buckets", {name: b.bucket for name, b in data.buckets.items()})
