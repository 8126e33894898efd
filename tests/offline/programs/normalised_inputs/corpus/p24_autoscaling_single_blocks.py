import pulumi_aws as aws

template = aws.ec2.LaunchTemplate(
    "p24-lt",
    image_id="ami-0123456789abcdef0",
    instance_type="t3.micro",
    metadata_options={"http_tokens": "required", "http_endpoint": "enabled"},
    block_device_mappings={"device_name": "/dev/xvda", "ebs": {"volume_size": "20", "encrypted": "true"}},
)
aws.autoscaling.Group(
    "p24-asg",
    min_size="1",
    max_size="3",
    vpc_zone_identifiers=["subnet-0123456789abcdef0"],
    launch_template={"id": template.id, "version": "$Latest"},
    tags={"key": "Name", "value": "p24", "propagate_at_launch": True},
)
