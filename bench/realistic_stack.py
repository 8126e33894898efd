"""A realistic mixed HIPAA stack for the pack benchmark: blocks of ~50 resources of 45 types, wired by
dependencies and property dependencies the way a real program's resources are (a VPC and its subnets,
security groups and rules, RDS, ElastiCache, ECS, an ALB, S3 buckets with their configuration resources,
log groups, KMS keys, IAM roles and policies, ...). Every other block carries the defects generated programs
have, so policies report as they would on a real stack. Deterministic: the same count gives the same stack.
"""
from __future__ import annotations

import json

PROJECT, STACK = "bench", "bench"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::default_7_51_1"
ACCOUNT = "210987654321"
REGION = "us-east-1"


def _urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{rtype}::{name}"


class _Block:
    """One application's resources; `add` wires a property to the resources that feed it."""

    def __init__(self, index: int) -> None:
        self.i = index
        self.bad = index % 2 == 1
        self.resources: list[dict] = []

    def add(self, rtype: str, name: str, inputs: dict, feeds: dict | None = None) -> dict:
        name = f"b{self.i}-{name}"
        prop_deps = {k: [r["urn"] for r in v] for k, v in (feeds or {}).items()}
        arn = f"arn:aws:{rtype.split(':')[1].split('/')[0]}:{REGION}:{ACCOUNT}:{name}"
        resource = {
            "type": rtype, "name": name, "urn": _urn(rtype, name), "custom": True, "id": f"{name}-id",
            "inputs": inputs, "outputs": {**inputs, "id": f"{name}-id", "arn": arn},
            "parent": STACK_URN, "dependencies": sorted({u for v in prop_deps.values() for u in v}),
            "property_dependencies": prop_deps, "provider": f"{PROVIDER_URN}::p", "options": {}}
        self.resources.append(resource)
        return resource


def _ref(resource: dict, key: str = "id") -> str:
    return resource["outputs"][key]


def _block(i: int) -> list[dict]:
    b = _Block(i)
    bad = b.bad
    key = b.add("aws:kms/key:Key", "key", {"description": "phi", "enableKeyRotation": not bad,
                                         "deletionWindowInDays": 30, "policy": json.dumps({
                                             "Version": "2012-10-17", "Statement": [
                                                 {"Sid": "Root", "Effect": "Allow", "Action": "kms:*",
                                                  "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                  "Resource": "*"},
                                                 {"Sid": "Logs", "Effect": "Allow", "Resource": "*",
                                                  "Principal": {"Service": f"logs.{REGION}.amazonaws.com"},
                                                  "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                                                             "kms:GenerateDataKey*", "kms:Describe*"]}]})})
    b.add("aws:kms/alias:Alias", "alias", {"name": f"alias/b{i}", "targetKeyId": _ref(key)}, {"targetKeyId": [key]})
    vpc = b.add("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": f"10.{i % 250}.0.0/16", "enableDnsHostnames": True})
    igw = b.add("aws:ec2/internetGateway:InternetGateway", "igw", {"vpcId": _ref(vpc)}, {"vpcId": [vpc]})
    subnets = [b.add("aws:ec2/subnet:Subnet", f"subnet-{z}", {
        "vpcId": _ref(vpc), "cidrBlock": f"10.{i % 250}.{n}.0/24",
        "availabilityZone": ("ap-southeast-1" if bad and n == 1 else REGION) + z}, {"vpcId": [vpc]})
        for n, z in enumerate("abc")]
    rt = b.add("aws:ec2/routeTable:RouteTable", "rt", {"vpcId": _ref(vpc)}, {"vpcId": [vpc]})
    b.add("aws:ec2/route:Route", "route", {"routeTableId": _ref(rt), "destinationCidrBlock": "0.0.0.0/0",
                                           "gatewayId": _ref(igw)}, {"routeTableId": [rt], "gatewayId": [igw]})
    for n, s in enumerate(subnets):
        b.add("aws:ec2/routeTableAssociation:RouteTableAssociation", f"rta-{n}",
              {"routeTableId": _ref(rt), "subnetId": _ref(s)}, {"routeTableId": [rt], "subnetId": [s]})
    b.add("aws:ec2/flowLog:FlowLog", "flow", {"vpcId": _ref(vpc), "trafficType": "ALL",
                                              "logDestinationType": "cloud-watch-logs"}, {"vpcId": [vpc]})
    alb_sg = b.add("aws:ec2/securityGroup:SecurityGroup", "alb-sg", {
        "vpcId": _ref(vpc), "description": "alb",
        "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]},
                    {"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]}],
        "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}, {"vpcId": [vpc]})
    db_sg = b.add("aws:ec2/securityGroup:SecurityGroup", "db-sg", {
        "vpcId": _ref(vpc), "description": "db",
        "ingress": [{"protocol": "tcp", "fromPort": 5432, "toPort": 5432,
                     "cidrBlocks": ["0.0.0.0/0"] if bad else [f"10.{i % 250}.0.0/16"]}]}, {"vpcId": [vpc]})
    app_sg = b.add("aws:ec2/securityGroup:SecurityGroup", "app-sg", {"vpcId": _ref(vpc), "description": "app"},
                   {"vpcId": [vpc]})
    b.add("aws:ec2/securityGroupRule:SecurityGroupRule", "app-from-alb", {
        "type": "ingress", "protocol": "tcp", "fromPort": 8080, "toPort": 8080,
        "securityGroupId": _ref(app_sg), "sourceSecurityGroupId": _ref(alb_sg)},
        {"securityGroupId": [app_sg], "sourceSecurityGroupId": [alb_sg]})
    b.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-from-app", {
        "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "securityGroupId": _ref(db_sg),
        "referencedSecurityGroupId": _ref(app_sg)}, {"securityGroupId": [db_sg], "referencedSecurityGroupId": [app_sg]})
    sng = b.add("aws:rds/subnetGroup:SubnetGroup", "db-subnets", {"subnetIds": [_ref(s) for s in subnets]},
                {"subnetIds": subnets})
    password = b.add("random:index/randomPassword:RandomPassword", "db-password", {"length": 24, "special": True,
                                                                         "overrideSpecial": "!#$%^&*()-_=+"})
    b.add("aws:rds/instance:Instance", "db", {
        "engine": "postgres", "engineVersion": "15.4" if bad else "16.4", "instanceClass": "db.t3.medium",
        "allocatedStorage": 50, "username": "admin" if bad else "dbadmin",
        "password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "x" * 24},
        "dbSubnetGroupName": _ref(sng), "vpcSecurityGroupIds": [_ref(db_sg)], "storageEncrypted": not bad,
        "kmsKeyId": _ref(key, "arn"), "backupRetentionPeriod": 7 if bad else 30, "multiAz": not bad,
        "publiclyAccessible": bad, "deletionProtection": True, "skipFinalSnapshot": False},
        {"dbSubnetGroupName": [sng], "vpcSecurityGroupIds": [db_sg], "kmsKeyId": [key], "password": [password]})
    cache_sng = b.add("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets",
                      {"subnetIds": [_ref(s) for s in subnets]}, {"subnetIds": subnets})
    b.add("aws:elasticache/replicationGroup:ReplicationGroup", "cache", {
        "description": "sessions", "engine": "redis", "nodeType": "cache.t3.micro", "numCacheClusters": 2,
        "subnetGroupName": _ref(cache_sng), "securityGroupIds": [_ref(app_sg)],
        "atRestEncryptionEnabled": not bad, "transitEncryptionEnabled": not bad, "kmsKeyId": _ref(key, "arn"),
        "automaticFailoverEnabled": True, "snapshotRetentionLimit": 7},
        {"subnetGroupName": [cache_sng], "securityGroupIds": [app_sg], "kmsKeyId": [key]})
    logs = b.add("aws:s3/bucket:Bucket", "logs", {"bucket": f"b{i}-alb-logs", "forceDestroy": False})
    data = b.add("aws:s3/bucket:Bucket", "data", {"bucket": f"b{i}-phi-data"})
    for bucket in (logs, data):
        name = bucket["name"].split("-", 1)[1]
        feeds = {"bucket": [bucket]}
        if not (bad and bucket is data):
            rule = ({"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}} if bucket is logs else
                    {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms",
                                                            "kmsMasterKeyId": _ref(key, "arn")},
                     "bucketKeyEnabled": True})
            b.add("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                  f"{name}-sse", {"bucket": _ref(bucket), "rules": [rule]}, feeds)
        b.add("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", f"{name}-pab", {
            "bucket": _ref(bucket), "blockPublicAcls": True, "blockPublicPolicy": not bad,
            "ignorePublicAcls": True, "restrictPublicBuckets": True}, feeds)
        b.add("aws:s3/bucketVersioning:BucketVersioning", f"{name}-versioning", {
            "bucket": _ref(bucket), "versioningConfiguration": {"status": "Enabled"}}, feeds)
        b.add("aws:s3/bucketPolicy:BucketPolicy", f"{name}-policy", {"bucket": _ref(bucket), "policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [bucket["outputs"]["arn"], bucket["outputs"]["arn"] + "/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})}, feeds)
    b.add("aws:s3/bucketLogging:BucketLogging", "data-logging", {
        "bucket": _ref(data), "targetBucket": _ref(logs), "targetPrefix": "s3/"},
        {"bucket": [data], "targetBucket": [logs]})
    alb = b.add("aws:lb/loadBalancer:LoadBalancer", "alb", {
        "loadBalancerType": "application", "internal": False, "subnets": [_ref(s) for s in subnets],
        "securityGroups": [_ref(alb_sg)], "dropInvalidHeaderFields": True,
        "accessLogs": {"bucket": _ref(logs), "enabled": True}},
        {"subnets": subnets, "securityGroups": [alb_sg], "accessLogs": [logs]})
    tg = b.add("aws:lb/targetGroup:TargetGroup", "tg", {"port": 8080, "protocol": "HTTP", "targetType": "ip",
                                                         "vpcId": _ref(vpc)}, {"vpcId": [vpc]})
    cert = b.add("aws:acm/certificate:Certificate", "cert", {"domainName": f"b{i}.example.org",
                                                             "validationMethod": "DNS"})
    b.add("aws:lb/listener:Listener", "https", {
        "loadBalancerArn": _ref(alb, "arn"), "port": 443, "protocol": "HTTPS",
        "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "certificateArn": f"arn:aws:acm:{REGION}:123456789012:certificate/x" if bad else _ref(cert, "arn"),
        "defaultActions": [{"type": "forward", "targetGroupArn": _ref(tg, "arn")}]},
        {"loadBalancerArn": [alb], "certificateArn": [] if bad else [cert], "defaultActions": [tg]})
    b.add("aws:lb/listener:Listener", "http", {
        "loadBalancerArn": _ref(alb, "arn"), "port": 80, "protocol": "HTTP",
        "defaultActions": [{"type": "forward", "targetGroupArn": _ref(tg, "arn")} if bad else
                           {"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS",
                                                             "statusCode": "HTTP_301"}}]},
        {"loadBalancerArn": [alb], "defaultActions": [tg]})
    log_group = b.add("aws:cloudwatch/logGroup:LogGroup", "app-logs", {
        "name": f"/ecs/b{i}", "retentionInDays": 7 if bad else 365, "kmsKeyId": _ref(key, "arn")},
        {"kmsKeyId": [key]})
    assume = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    exec_role = b.add("aws:iam/role:Role", "exec-role", {"assumeRolePolicy": assume})
    task_role = b.add("aws:iam/role:Role", "task-role", {"assumeRolePolicy": assume})
    b.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "exec-managed", {
        "role": _ref(exec_role), "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"},
        {"role": [exec_role]})
    secret = b.add("aws:secretsmanager/secret:Secret", "app-secret", {"kmsKeyId": _ref(key, "arn")},
                   {"kmsKeyId": [key]})
    b.add("aws:secretsmanager/secretVersion:SecretVersion", "app-secret-v", {
        "secretId": _ref(secret), "secretString": {"4dabf18193072939515e22adb298388d":
                                                   "1b47061264138c4ac30d75fd1eb44270", "value": "s" * 20}},
        {"secretId": [secret]})
    policy = b.add("aws:iam/policy:Policy", "read-secret", {"policy": json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secret["outputs"]["arn"]},
            {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": key["outputs"]["arn"]}]})},
        {"policy": [secret, key]})
    b.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "exec-secret", {
        "role": _ref(exec_role), "policyArn": _ref(policy, "arn")}, {"role": [exec_role], "policyArn": [policy]})
    cluster = b.add("aws:ecs/cluster:Cluster", "cluster", {"settings": [{"name": "containerInsights",
                                                                          "value": "enabled"}]})
    containers = [{"name": "app", "image": "nginx:1.27", "essential": True, "readonlyRootFilesystem": not bad,
                   "portMappings": [{"containerPort": 8080}],
                   "secrets": [{"name": "DB_PASSWORD", "valueFrom": secret["outputs"]["arn"]}],
                   "logConfiguration": {"logDriver": "awslogs", "options": {
                       "awslogs-group": f"/ecs/b{i}", "awslogs-region": REGION, "awslogs-stream-prefix": "app"}}}]
    task = b.add("aws:ecs/taskDefinition:TaskDefinition", "task", {
        "family": f"b{i}-app", "cpu": "256", "memory": "512", "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "executionRoleArn": _ref(exec_role, "arn"),
        "taskRoleArn": _ref(task_role, "arn"), "containerDefinitions": json.dumps(containers)},
        {"executionRoleArn": [exec_role], "taskRoleArn": [task_role], "containerDefinitions": [secret, log_group]})
    b.add("aws:ecs/service:Service", "service", {
        "cluster": _ref(cluster, "arn"), "taskDefinition": _ref(task, "arn"), "desiredCount": 2,
        "launchType": "FARGATE", "networkConfiguration": {"subnets": [_ref(s) for s in subnets],
                                                          "securityGroups": [_ref(app_sg)],
                                                          "assignPublicIp": False},
        "loadBalancers": [{"targetGroupArn": _ref(tg, "arn"), "containerName": "app", "containerPort": 8080}]},
        {"cluster": [cluster], "taskDefinition": [task], "networkConfiguration": [*subnets, app_sg],
         "loadBalancers": [tg]})
    b.add("aws:dynamodb/table:Table", "table", {
        "billingMode": "PAY_PER_REQUEST", "hashKey": "pk", "attributes": [{"name": "pk", "type": "S"}],
        "serverSideEncryption": {"enabled": not bad, "kmsKeyArn": _ref(key, "arn")},
        "pointInTimeRecovery": {"enabled": not bad}}, {"serverSideEncryption": [key]})
    b.add("aws:sns/topic:Topic", "alerts", {"kmsMasterKeyId": "" if bad else _ref(key, "arn")}, {"kmsMasterKeyId": [key]})
    b.add("aws:sqs/queue:Queue", "jobs", {"kmsMasterKeyId": _ref(key, "arn"), "messageRetentionSeconds": 86400},
          {"kmsMasterKeyId": [key]})
    b.add("aws:kinesis/stream:Stream", "events", {"shardCount": 1, "encryptionType": "NONE" if bad else "KMS",
                                                  "kmsKeyId": _ref(key, "arn")}, {"kmsKeyId": [key]})
    b.add("aws:efs/fileSystem:FileSystem", "files", {"encrypted": not bad, "kmsKeyId": _ref(key, "arn")},
          {"kmsKeyId": [key]})
    b.add("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", {
        "comparisonOperator": "GreaterThanThreshold", "evaluationPeriods": 2, "metricName": "CPUUtilization",
        "namespace": "AWS/RDS", "period": 300, "statistic": "Average", "threshold": 80})
    fn_role = b.add("aws:iam/role:Role", "fn-role", {"assumeRolePolicy": assume.replace("ecs-tasks", "lambda")})
    b.add("aws:lambda/function:Function", "fn", {
        "runtime": "python3.8" if bad else "python3.12", "handler": "index.handler", "role": _ref(fn_role, "arn"),
        "kmsKeyArn": _ref(key, "arn"), "tracingConfig": {"mode": "Active"}},
        {"role": [fn_role], "kmsKeyArn": [key]})
    b.add("aws:ec2/instance:Instance", "bastion", {
        "ami": "ami-0abcdef1234567890", "instanceType": "t3.micro", "subnetId": _ref(subnets[0]),
        "vpcSecurityGroupIds": [_ref(app_sg)], "associatePublicIpAddress": bad,
        "metadataOptions": {"httpTokens": "optional" if bad else "required"},
        "rootBlockDevice": {"encrypted": not bad}}, {"subnetId": [subnets[0]], "vpcSecurityGroupIds": [app_sg]})
    return b.resources


def make_stack(count: int) -> list[dict]:
    """The stack and provider, then blocks until `count` resources (the last block cut to size)."""
    resources = [
        {"type": "pulumi:pulumi:Stack", "name": f"{PROJECT}-{STACK}", "urn": STACK_URN, "custom": False,
         "inputs": {}, "outputs": {}, "parent": None, "dependencies": [], "property_dependencies": {},
         "provider": None, "options": {}},
        {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER_URN, "custom": True, "id": "p",
         "inputs": {"region": REGION}, "outputs": {"region": REGION}, "parent": STACK_URN, "dependencies": [],
         "property_dependencies": {}, "provider": None, "options": {}},
    ]
    i = 0
    while len(resources) < count:
        resources += _block(i)
        i += 1
    return resources[:count]
