"""EKS platform: cluster + managed node group on a launch template, a self-managed batch Auto Scaling group,
memcached and Redis single-node caches, security group rules in every spelling (IPv4, IPv6, prefix lists,
CIDRs computed from the VPC)."""
import base64
import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
cluster_name = config.require("clusterName")
sizes = config.require_object("nodeSizes")
office = config.require_object("officeCidrs")

zones = aws.get_availability_zones(state="available")
azs = zones.names[:2]
caller = aws.get_caller_identity()
partition = aws.get_partition()

vpc = aws.ec2.Vpc("platform-vpc", cidr_block="10.60.0.0/16", assign_generated_ipv6_cidr_block=True,
                  enable_dns_hostnames=True, enable_dns_support=True)
private_subnets = []
for i, az in enumerate(azs):
    private_subnets.append(aws.ec2.Subnet(
        f"private-{az}", vpc_id=vpc.id, cidr_block=f"10.60.{i * 16}.0/20", availability_zone=az,
        tags={f"kubernetes.io/cluster/{cluster_name}": "shared", "kubernetes.io/role/internal-elb": "1"}))

# --- keys and logs ---------------------------------------------------------------------------------------
eks_key = aws.kms.Key("eks-secrets-key", description="EKS envelope encryption for Kubernetes secrets",
                      deletion_window_in_days=7)  # defect: kms-key-rotation
ebs_key = aws.kms.Key("ebs-key", description="node volumes", enable_key_rotation=True,
                      rotation_period_in_days=180)
aws.kms.Alias("ebs-key-alias", name="alias/platform-ebs", target_key_id=ebs_key.key_id)
signing_key = aws.kms.Key("image-signing", description="container image signing", key_usage="SIGN_VERIFY",
                          customer_master_key_spec="ECC_NIST_P256")

control_plane_logs = aws.cloudwatch.LogGroup(
    "eks-control-plane", name=f"/aws/eks/{cluster_name}/cluster",
    retention_in_days=7,  # defect: log-group-retention
    kms_key_id=ebs_key.arn)  # defect: log-group-kms-key-allows-logs  (the EBS key has no logs statement)

# --- security groups -------------------------------------------------------------------------------------
cluster_sg = aws.ec2.SecurityGroup("eks-cluster-sg", vpc_id=vpc.id, description="EKS control plane")
nodes_sg = aws.ec2.SecurityGroup("eks-nodes-sg", vpc_id=vpc.id, description="EKS worker nodes",
                                 tags={f"kubernetes.io/cluster/{cluster_name}": "owned"})
cache_sg = aws.ec2.SecurityGroup("cache-sg", vpc_id=vpc.id, description="caches: nodes only")

office_list = aws.ec2.ManagedPrefixList(
    "office-networks", address_family="IPv4", max_entries=5, name="clinical-offices",
    entries=[aws.ec2.ManagedPrefixListEntryArgs(cidr=c, description="office") for c in office["ipv4"]])

aws.ec2.SecurityGroupRule("nodes-from-vpc-postgres", type="ingress", security_group_id=nodes_sg.id,
                          protocol="tcp", from_port=5432, to_port=5432, cidr_blocks=[vpc.cidr_block])
aws.ec2.SecurityGroupRule("nodes-from-vpc-ipv6", type="ingress", security_group_id=nodes_sg.id,
                          protocol="tcp", from_port=10250, to_port=10250,
                          ipv6_cidr_blocks=[vpc.ipv6_cidr_block])
aws.ec2.SecurityGroupRule("nodes-office-ssh", type="ingress", security_group_id=nodes_sg.id,
                          protocol="tcp", from_port=22, to_port=22, prefix_list_ids=[office_list.id])
aws.ec2.SecurityGroupRule("nodes-office-ssh-v6", type="ingress", security_group_id=nodes_sg.id,
                          protocol="6", from_port=22, to_port=22, ipv6_cidr_blocks=office["ipv6"])
aws.ec2.SecurityGroupRule("nodes-https-anywhere", type="ingress", security_group_id=nodes_sg.id,
                          protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"],
                          ipv6_cidr_blocks=["::/0"])
aws.ec2.SecurityGroupRule("nodes-rdp-v6", type="ingress", security_group_id=nodes_sg.id,
                          protocol="tcp", from_port=3389, to_port=3389,
                          ipv6_cidr_blocks=["::/0"])  # defect: security-group-no-public-data-ports
aws.ec2.SecurityGroupRule("nodes-egress", type="egress", security_group_id=nodes_sg.id, protocol="-1",
                          from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"], ipv6_cidr_blocks=["::/0"])
aws.ec2.SecurityGroupRule("cluster-from-nodes", type="ingress", security_group_id=cluster_sg.id,
                          protocol="tcp", from_port=443, to_port=443, source_security_group_id=nodes_sg.id)
aws.vpc.SecurityGroupIngressRule("cache-memcached-from-nodes", security_group_id=cache_sg.id,
                                 ip_protocol="tcp", from_port=11211, to_port=11211,
                                 referenced_security_group_id=nodes_sg.id)
aws.vpc.SecurityGroupIngressRule("cache-redis-from-office", security_group_id=cache_sg.id,
                                 ip_protocol="tcp", from_port=6379, to_port=6379, prefix_list_id=office_list.id)
aws.vpc.SecurityGroupIngressRule("cache-redis-from-vpc-v6", security_group_id=cache_sg.id,
                                 ip_protocol="tcp", from_port=6379, to_port=6379, cidr_ipv6=vpc.ipv6_cidr_block)
# A deliberately exempted debug rule: reported under "exempted", never as a violation.
aws.ec2.SecurityGroup(
    "debug-bastion-sg", vpc_id=vpc.id, description="temporary break-glass SSH",
    ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=22, to_port=22, cidr_blocks=["0.0.0.0/0"])],
    tags={"hipaa-guard:exempt": "security-group-no-public-data-ports: break-glass bastion, ticket SEC-88 "
                                "until 2099-06-30"})

# --- EKS ----------------------------------------------------------------------------------------------
assume_eks = aws.iam.get_policy_document_output(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["sts:AssumeRole"], principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
        type="Service", identifiers=["eks.amazonaws.com"])])])
cluster_role = aws.iam.Role("eks-cluster-role", assume_role_policy=assume_eks.json)
aws.iam.RolePolicyAttachment("eks-cluster-policy", role=cluster_role.name,
                             policy_arn=f"arn:{partition.partition}:iam::aws:policy/AmazonEKSClusterPolicy")
node_role = aws.iam.Role("eks-node-role", name=f"{cluster_name}-node-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
for i, policy in enumerate(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy",
                            "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"]):
    aws.iam.RolePolicyAttachment(f"eks-node-policy-{i}", role=node_role.name,
                                 policy_arn=f"arn:aws:iam::aws:policy/{policy}")

cluster = aws.eks.Cluster(
    "clinical-eks",
    name=cluster_name,
    role_arn=cluster_role.arn,
    version="1.31",
    vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=[s.id for s in private_subnets],
                                            security_group_ids=[cluster_sg.id],
                                            endpoint_private_access=True, endpoint_public_access=False),
    encryption_config=aws.eks.ClusterEncryptionConfigArgs(
        resources=["secrets"], provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=eks_key.arn)),
    enabled_cluster_log_types=["api", "audit", "authenticator"],
    access_config=aws.eks.ClusterAccessConfigArgs(authentication_mode="API"),
    opts=pulumi.ResourceOptions(depends_on=[control_plane_logs]),
)

user_data = base64.b64encode(b"""MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="//"

--//
Content-Type: text/x-shellscript; charset="us-ascii"

#!/bin/bash
echo "hardening" > /etc/motd
--//--
""").decode()
node_template = aws.ec2.LaunchTemplate(
    "eks-node-template",
    name_prefix="clinical-eks-nodes-",
    update_default_version=True,
    user_data=user_data,
    vpc_security_group_ids=[nodes_sg.id],
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required", http_endpoint="enabled",
                                                               http_put_response_hop_limit=2),
    block_device_mappings=[aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
        device_name="/dev/xvda", ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
            volume_size=80, volume_type="gp3", encrypted="true", kms_key_id=ebs_key.arn,
            delete_on_termination="true"))],
    tag_specifications=[aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type="instance",
                                                                   tags={"Name": "clinical-eks-node"})],
)
aws.eks.NodeGroup(
    "clinical-nodes",
    cluster_name=cluster.name,
    node_role_arn=node_role.arn,
    subnet_ids=[s.id for s in private_subnets],
    capacity_type="ON_DEMAND",
    instance_types=["m6i.large"],
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=sizes["desired"], min_size=sizes["min"],
                                                      max_size=sizes["max"]),
    update_config=aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
    launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=node_template.id,
                                                        version=node_template.latest_version.apply(str)),
    labels={"workload": "clinical-api"},
)
aws.eks.Addon("vpc-cni", cluster_name=cluster.name, addon_name="vpc-cni")

# --- self-managed batch workers ---------------------------------------------------------------------------
ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"],
                      filters=[aws.ec2.GetAmiFilterArgs(name="name", values=["al2023-ami-*-x86_64"])])
batch_profile = aws.iam.InstanceProfile("batch-profile", role=node_role.name)
batch_template = aws.ec2.LaunchTemplate(
    "batch-template", image_id=ami.id, instance_type="c6i.xlarge",
    iam_instance_profile=aws.ec2.LaunchTemplateIamInstanceProfileArgs(arn=batch_profile.arn),
    network_interfaces=[aws.ec2.LaunchTemplateNetworkInterfaceArgs(associate_public_ip_address="false",
                                                                   security_groups=[nodes_sg.id])],
    metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(http_tokens="required"),
)
aws.autoscaling.Group(
    "batch-workers",
    vpc_zone_identifiers=[s.id for s in private_subnets],
    min_size=0, max_size=4, desired_capacity=1,
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=batch_template.id, version="$Latest"),
    tags=[aws.autoscaling.GroupTagArgs(key="Name", value="batch-worker", propagate_at_launch=True)],
)
aws.autoscaling.Group(
    "batch-spot-workers",
    availability_zones=azs,
    min_size=0, max_size=2,
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=batch_template.id, version="$Latest"),
)
aws.autoscaling.Group(
    "batch-legacy-workers",
    availability_zones=["us-east-2a", "us-west-2b"],  # defect: availability-zone-in-region
    min_size=0, max_size=2,
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=batch_template.id, version="$Latest"),
)

# --- ElastiCache single-node caches -----------------------------------------------------------------------
cache_subnets = aws.elasticache.SubnetGroup("cache-subnets", subnet_ids=[s.id for s in private_subnets])
aws.elasticache.Cluster(
    "session-memcached", engine="memcached", engine_version="1.6.22", node_type="cache.t4g.small",
    num_cache_nodes=2, az_mode="cross-az", preferred_availability_zones=azs, port=11211,
    transit_encryption_enabled=True, subnet_group_name=cache_subnets.name, security_group_ids=[cache_sg.id])
aws.elasticache.Cluster(
    "formulary-redis", engine="redis", engine_version="7.1", node_type="cache.t4g.small", num_cache_nodes=1,
    # defect: elasticache-redis-cluster-automatic-backup-check (fewer than 15 days of automatic snapshots)
    availability_zone=azs[1], parameter_group_name="default.redis7", transit_encryption_enabled=True,
    snapshot_retention_limit=7, subnet_group_name=cache_subnets.name, security_group_ids=[cache_sg.id])
aws.elasticache.Cluster(
    "lookup-redis", engine="redis", node_type="cache.t4g.micro", num_cache_nodes=1,
    availability_zone="us-east-1c",  # defect: availability-zone-in-region
    transit_encryption_enabled=True, subnet_group_name=cache_subnets.name, security_group_ids=[cache_sg.id])

pulumi.export("cluster_endpoint", cluster.endpoint)
pulumi.export("account", caller.account_id)
