import pulumi_aws as aws

password = aws.secretsmanager.RandomPassword("pw", length=32)
