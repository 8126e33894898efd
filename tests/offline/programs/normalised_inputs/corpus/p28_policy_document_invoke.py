import pulumi_aws as aws

doc = aws.iam.get_policy_document(statements=[{
    "effect": "Allow",
    "actions": ["sts:AssumeRole"],
    "principals": [{"type": "Service", "identifiers": ["ecs-tasks.amazonaws.com"]}],
}])
aws.iam.Role("p28-role", assume_role_policy=doc.json)
doc_output = aws.iam.get_policy_document_output(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["s3:ListBucket"], resources=["*"])])
aws.iam.Policy("p28-policy", policy=doc_output.json)
