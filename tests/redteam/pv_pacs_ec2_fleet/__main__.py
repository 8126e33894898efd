"""PACS fleet: viewer auto-scaling group, an archive instance with a data volume in the same zone as its
subnet, and a DICOM router. All images come from the latest Amazon Linux 2023 AMI."""
import pulumi
import pulumi_aws as aws
import pulumi_aws.ec2 as ec2
from pulumi_aws import autoscaling, cloudwatch, ebs, iam

config = pulumi.Config()
fleet = config.require_object("fleet")
archive_gb = config.get_int("archiveVolumeGb", 250)
detailed_monitoring = config.get_bool("detailedMonitoring") or False
stack = pulumi.get_stack()
tags = {"app": "pacs", "env": stack, "data-classification": "phi"}

ami = ec2.get_ami(
    most_recent=True,
    owners=["amazon"],
    filters=[
        ec2.GetAmiFilterArgs(name="name", values=["al2023-ami-2023.*-x86_64"]),
        {"name": "architecture", "values": ["x86_64"]},
        {"name": "virtualization-type", "values": ["hvm"]},
    ],
)
vpc = ec2.get_vpc(filters=[{"name": "tag:Name", "values": [fleet["vpcTag"]]}])
app_subnets = ec2.get_subnets(filters=[
    {"name": "vpc-id", "values": [vpc.id]},
    {"name": "tag:tier", "values": ["app"]},
])
archive_subnet = ec2.get_subnet(id=app_subnets.ids[0])
ebs_key_arn = aws.kms.get_alias(name="alias/pacs-ebs").target_key_arn
instance_role = iam.get_role(name="pacs-instance-role")
alerts_topic_arn = f"arn:aws:sns:ca-central-1:{aws.get_caller_identity().account_id}:pacs-alerts"

profile = iam.InstanceProfile("pacs-profile", role=instance_role.name, tags=tags)
fleet_sg = ec2.SecurityGroup("pacs-fleet-sg", vpc_id=vpc.id, description="PACS fleet",
                             ingress=[{"protocol": "tcp", "from_port": 11112, "to_port": 11112,
                                       "cidr_blocks": [vpc.cidr_block], "description": "DICOM"}],
                             egress=[{"protocol": "tcp", "from_port": 443, "to_port": 443,
                                      "cidr_blocks": ["0.0.0.0/0"], "description": "HTTPS out"}],
                             tags=tags)


def stamp_patch_group(args: pulumi.ResourceTransformationArgs):
    """Per-resource transformation: the SSM patch group tag on every instance."""
    args.props["tags"] = {**(args.props.get("tags") or {}), "Patch Group": f"pacs-{stack}"}
    return pulumi.ResourceTransformationResult(args.props, args.opts)


viewer_template = ec2.LaunchTemplate(
    "pacs-viewer-lt",
    image_id=ami.id,
    instance_type=fleet["instanceType"],
    iam_instance_profile={"arn": profile.arn},
    vpc_security_group_ids=[fleet_sg.id],
    metadata_options=ec2.LaunchTemplateMetadataOptionsArgs(http_endpoint="enabled", http_tokens="required",
                                                           http_put_response_hop_limit=1),
    block_device_mappings=[ec2.LaunchTemplateBlockDeviceMappingArgs(
        device_name=ami.root_device_name,
        ebs=ec2.LaunchTemplateBlockDeviceMappingEbsArgs(volume_size=50, volume_type="gp3", encrypted="true",
                                                        kms_key_id=ebs_key_arn, delete_on_termination="true"),
    )],
    monitoring={"enabled": detailed_monitoring},
    tag_specifications=[{"resource_type": "instance", "tags": tags}],
    tags=tags,
)
autoscaling.Group(
    "pacs-viewer-asg",
    min_size=fleet["minSize"],
    max_size=fleet["maxSize"],
    vpc_zone_identifiers=app_subnets.ids,
    launch_template={"id": viewer_template.id, "version": "$Latest"},
    health_check_type="EC2",
    tags=[{"key": k, "value": v, "propagate_at_launch": True} for k, v in tags.items()],
)

archive = ec2.Instance(
    "pacs-archive",
    ami=ami.id,
    instance_type=fleet["instanceType"],
    subnet_id=archive_subnet.id,
    vpc_security_group_ids=[fleet_sg.id],
    iam_instance_profile=profile.name,
    monitoring=detailed_monitoring,
    metadata_options={"http_tokens": "required", "http_endpoint": "enabled"},
    root_block_device={"encrypted": True, "kms_key_id": ebs_key_arn, "volume_size": 50, "volume_type": "gp3"},
    tags=tags,
    opts=pulumi.ResourceOptions(transformations=[stamp_patch_group], ignore_changes=["ami"]),
)
# Viewers mount the archive's NFS export; only the archive subnet may reach it.
ec2.SecurityGroupRule("pacs-archive-nfs", type="ingress", security_group_id=fleet_sg.id, protocol="tcp",
                      from_port=2049, to_port=2049, cidr_blocks=[archive_subnet.cidr_block],
                      description="NFS from the archive subnet")
# The archive volume must be in the archive subnet's zone.
archive_data = ebs.Volume("pacs-archive-data", availability_zone=archive_subnet.availability_zone,
                          size=archive_gb, type="gp3", encrypted=True, kms_key_id=ebs_key_arn, tags=tags)
ec2.VolumeAttachment("pacs-archive-data-attach", device_name="/dev/sdf", volume_id=archive_data.id,
                     instance_id=archive.id)

# defect: ec2-imdsv2-check (the router still allows IMDSv1)
# defect: ec2-instance-no-public-ip (the router asks for a public address)
router = ec2.Instance(
    "pacs-dicom-router",
    ami=ami.image_id,
    instance_type="c6i.large",
    subnet_id=app_subnets.ids[-1],
    associate_public_ip_address=True,
    vpc_security_group_ids=[fleet_sg.id],
    iam_instance_profile=profile.name,
    metadata_options=ec2.InstanceMetadataOptionsArgs(http_tokens="optional"),
    root_block_device=ec2.InstanceRootBlockDeviceArgs(encrypted=True, volume_size=30),
    tags=tags,
    opts=pulumi.ResourceOptions(transformations=[stamp_patch_group]),
)
# defect: encrypted-volumes (scratch volume left unencrypted)
# defect: availability-zone-in-region (zone copied from the us-east-1 prototype)
ebs.Volume("pacs-scratch", availability_zone="us-east-1a", size=100, type="gp3", tags=tags)

# Resources created once the instance ids are known: one status alarm per instance.
pulumi.Output.all(archive.id, router.id).apply(lambda ids: [
    cloudwatch.MetricAlarm(
        f"pacs-status-{index}", comparison_operator="GreaterThanThreshold", evaluation_periods=2,
        metric_name="StatusCheckFailed", namespace="AWS/EC2", period=60, statistic="Maximum", threshold=0,
        dimensions={"InstanceId": instance_id}, alarm_actions=[alerts_topic_arn], ok_actions=[alerts_topic_arn],
        insufficient_data_actions=[alerts_topic_arn],
        tags=tags)
    for index, instance_id in enumerate(ids)])

pulumi.export("amiId", ami.id)
pulumi.export("archiveZone", archive_subnet.availability_zone)
pulumi.export("routerPrivateIp", router.private_ip)
