import pulumi_aws as aws

aws.ecr.Repository(
    "p23-repo",
    image_tag_mutability="IMMUTABLE",
    image_scanning_configuration={"scan_on_push": True},
    encryption_configurations={"encryption_type": "KMS"},
)
