from ..rule import CstRule, Example, UNSAFE


def _wrong_zone(ctx, value: str):
    """(zone region, letter) when ``value`` is a zone of another region than the project's."""
    parts = ctx.data.split_zone(value) if ctx.region else None
    if not parts or parts[0] == ctx.region:
        return None
    return parts


class AvailabilityZoneRegion(CstRule):
    NAME = "availability-zone-region"
    DESCRIPTION = ("a literal availability zone of another region than the project's (`aws:region` of the one "
                   "stack file, or --region) -> the same zone letter in the project's region")
    WHY = ("`InvalidInput: The availability zone 'us-east-1a' does not exist in region 'ap-southeast-1'`: the "
           "subnet (and everything in it) cannot be created.")
    SAFETY = UNSAFE
    REFERENCES = ["https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html",
                  "policypack/data/availability_zones.json"]
    VALID = ["import pulumi_aws as aws\naws.ec2.Subnet('s', availability_zone='ap-southeast-1a')\n"]
    INVALID = [Example("import pulumi_aws as aws\naws.ec2.Subnet('s', availability_zone='us-east-1b')\n",
                       "import pulumi_aws as aws\naws.ec2.Subnet('s', availability_zone='ap-southeast-1b')\n",
                       region="ap-southeast-1", unsafe=True)]

    @classmethod
    def applies(cls, ctx):
        return bool(ctx.region) and any(_wrong_zone(ctx, s.value) for s in ctx.facts.strings)

    def visit_SimpleString(self, node):
        value = node.evaluated_value
        parts = _wrong_zone(self.ctx, value) if isinstance(value, str) else None
        if not parts:
            return
        zone = f"{self.ctx.region}{parts[1]}"
        zones = self.ctx.data.zones_of(self.ctx.region)
        message = f"availability zone {value!r} is not in the project's region {self.ctx.region}"
        if zones is not None and zone not in zones:
            self.report(node, f"{message}; {self.ctx.region} has {', '.join(zones)}")
            return
        self.report(node, f"{message}; use {zone!r}",
                    replace=lambda u: u.with_changes(value=f"{u.prefix}{u.quote}{zone}{u.quote}"))
