import pulumi
import pulumi_aws as aws

sg = aws.ec2.SecurityGroup("bastion-sg", description="SSM-only bastion", vpc_id="vpc-0abc",
                           egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0,
                                                                   cidr_blocks=["0.0.0.0/0"])])
profile_role = aws.iam.Role("bastion-role", assume_role_policy="""{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}""")
profile = aws.iam.InstanceProfile("bastion-profile", role=profile_role.name)
bastion = aws.ec2.Instance("bastion", ami="ami-0123456789abcdef0", instance_type="t3.micro",
                           vpc_security_group_ids=[sg.id], iam_instance_profile=profile.name,
                           metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="required"),
                           root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(encrypted=True))
ip = aws.ec2.Eip("bastion-ip", instance=bastion.id, vpc=True)
pulumi.export("bastion_ip", ip.public_ip)
