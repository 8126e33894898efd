"""Availability zones: a literal zone must belong to the region the resource is created in."""
from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, resource_policy
from policypack.values import is_unknown

_ZONES = "availability_zones.json"

# Where each resource type names zones (wire names); a list property may hold several.
ZONE_PROPERTIES = {
    **{t: ("availabilityZone",) for t in T.EC2_SUBNET + T.RDS_INSTANCE + T.RDS_CLUSTER_INSTANCE + T.EC2_INSTANCE
       + T.EBS_VOLUME + T.DMS_REPLICATION_INSTANCE},
    **{t: ("availabilityZones",) for t in T.RDS_CLUSTER + T.AUTOSCALING_GROUP + T.DOCDB_CLUSTER + T.NEPTUNE_CLUSTER},
    **{t: ("placement.availabilityZone",) for t in T.EC2_LAUNCH_TEMPLATE},
    **{t: ("preferredCacheClusterAzs",) for t in T.ELASTICACHE_REPLICATION_GROUP},
    **{t: ("availabilityZone", "preferredAvailabilityZones") for t in T.ELASTICACHE_CLUSTER},
}
# Where a zone is named by its id (use1-az1: the same physical zone in every account).
ZONE_ID_PROPERTIES = {t: ("availabilityZoneId",) for t in T.EC2_SUBNET}


def _same_letter(zone: str, owner: str, region: str) -> str:
    """'us-east-1a' moved to ap-southeast-1 -> 'ap-southeast-1a' when that zone exists, else ''."""
    candidate = region + zone[len(owner):]
    return candidate if candidate in (data.availability_zones(region) or []) else ""


@resource_policy(
    name="availability-zone-in-region",
    description="A literal availability zone must belong to the resource's region.",
    resource_types=tuple(ZONE_PROPERTIES),  # ZONE_ID_PROPERTIES's types are among them
    severity="high", group="deploy",
    remediation="Use a zone of the stack's region, or better, read them with aws.get_availability_zones() "
                "instead of writing zone names.",
    data_sources=(_ZONES,),
    violating=[
        Example({"cidrBlock": "10.0.1.0/24", "availabilityZone": "us-east-1a"}, region="ap-southeast-1",
                note="seed 004"),
        Example({"preferredCacheClusterAzs": ["eu-west-1a", "us-east-1b"]}, region="eu-west-1",
                type="aws:elasticache/replicationGroup:ReplicationGroup"),
        Example({"availabilityZones": ["us-west-2a"]}, region="us-east-1", type="aws:rds/cluster:Cluster"),
        Example({"availabilityZones": ["us-east-2a", "us-west-2b"], "minSize": 0, "maxSize": 2},
                region="us-east-2", type="aws:autoscaling/group:Group"),
        Example({"availabilityZones": ["eu-west-1a"], "engine": "docdb"}, region="eu-central-1",
                type="aws:docdb/cluster:Cluster"),
        Example({"placement": {"availabilityZone": "us-west-2a"}}, region="us-east-1",
                type="aws:ec2/launchTemplate:LaunchTemplate"),
        Example({"cidrBlock": "10.0.2.0/24", "availabilityZoneId": "use1-az1"}, region="ap-southeast-2",
                note="a zone id of us-east-1"),
    ],
    compliant=[
        Example({"cidrBlock": "10.0.1.0/24", "availabilityZone": "ap-southeast-1a"}, region="ap-southeast-1"),
        Example({"cidrBlock": "10.0.1.0/24", "availabilityZone": "us-east-1f"}, region="us-east-1"),
        Example({"cidrBlock": "10.0.1.0/24", "availabilityZone": "us-east-1a"}, region="xx-future-1",
                note="data missing: a region the data does not know"),
        Example({"cidrBlock": "10.0.1.0/24", "availabilityZone": "us-east-1a"}, region=None,
                note="region unknown: nothing to compare with"),
        Example({"cidrBlock": "10.0.1.0/24"}, region="ap-southeast-1", note="no zone: AWS picks one"),
        Example({"availabilityZones": ["us-east-2a", "us-east-2b"], "minSize": 0, "maxSize": 2},
                region="us-east-2", type="aws:autoscaling/group:Group"),
        Example({"availabilityZones": ["eu-central-1a"], "engine": "neptune"}, region="eu-central-1",
                type="aws:neptune/cluster:Cluster"),
        Example({"cidrBlock": "10.0.2.0/24", "availabilityZoneId": "apse2-az3"}, region="ap-southeast-2"),
    ],
)
def availability_zone_in_region(r):
    region = r.region
    if region not in data.known_regions():
        return
    for prop in ZONE_PROPERTIES.get(r.type, ()):
        secret = r.props.is_secret(prop)
        for zone in r.props.get_list(prop):
            if not isinstance(zone, str) or is_unknown(zone):
                continue
            owner = data.region_of_zone(zone)
            if owner is None or owner == region:
                continue
            if secret:
                yield f"{prop} names a zone of another region than {region}."
                continue
            zones = data.availability_zones(region)
            same = _same_letter(zone.strip().lower(), owner, region)
            hint = f"; use {same!r}" if same else ""
            hint += f" (zones of {region}: {', '.join(zones)})" if zones else ""
            yield f"{prop} {zone!r} is a zone of {owner}, not of {region}{hint}."
    for prop in ZONE_ID_PROPERTIES.get(r.type, ()):
        zone_id = r.props.get_str(prop)
        owner = data.region_of_zone_id(zone_id) if zone_id and not is_unknown(zone_id) else None
        if owner is not None and owner != region:
            prefix = data.load(_ZONES).get("zone_id_prefixes", {}).get(region)
            hint = f" (zone ids of {region} start with {prefix}-az)" if prefix else ""
            shown = r.props.show(prop)
            yield f"{prop} {shown} is a zone id of {owner}, not of {region}{hint}."
