import pulumi_aws as aws

role = aws.iam.Role("p04-role", assume_role_policy={"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
aws.iam.RolePolicy("p04-inline", role=role.id, policy={"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*"}]})
aws.iam.RolePolicyAttachment("p04-attach", role=role.name,
                             policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
