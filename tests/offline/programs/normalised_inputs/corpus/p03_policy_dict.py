import pulumi_aws as aws

policy = aws.iam.Policy("p03-policy", policy={
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}],
})
policy.policy.apply(lambda text: text.startswith("{") or (_ for _ in ()).throw(TypeError("not a string")))
