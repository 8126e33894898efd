import pulumi_aws as aws

aws.ec2.Instance(
    "p31-vm",
    ami="ami-0123456789abcdef0",
    instance_type="t3.micro",
    root_block_device={"encrypted": True, "volume_size": "30", "volume_type": "gp3"},
    ebs_block_devices={"device_name": "/dev/sdf", "encrypted": "true", "volume_size": 100},
    metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="required"),
    tags={"Name": "p31"},
)
