import pulumi_aws as aws

role_arn = "arn:aws:iam::210987654321:role/fn"
aws.lambda_.Function("fn", role=role_arn, handler="index.handler", runtime=aws.lambda_.Runtime.PYTHON3_12)
