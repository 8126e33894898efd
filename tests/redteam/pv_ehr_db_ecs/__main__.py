"""EHR records API: Fargate service reading an RDS-managed master secret, logs encrypted with a CMK."""
import pulumi
import pulumi_aws as aws
from pulumi_aws import ecs, iam, rds

from lib.keys import ehr_key

config = pulumi.Config()
region = aws.config.region or "eu-central-1"
desired_count = config.get_int("desiredCount", 2)
stack = pulumi.get_stack()
account_id = aws.get_caller_identity().account_id

provider = aws.Provider(
    "ehr-eu",
    region=region,
    assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=config.require("deployRoleArn"), session_name="pulumi-ehr")],
    default_tags=aws.ProviderDefaultTagsArgs(tags={"app": "ehr-records", "env": stack,
                                                   "data-classification": "phi"}),
)
opts = pulumi.ResourceOptions(provider=provider)
invoke_opts = pulumi.InvokeOptions(provider=provider)

vpc = aws.ec2.get_vpc(id=config.require("vpcId"), opts=invoke_opts)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]},
                                       {"name": "tag:Tier", "values": ["app"]}], opts=invoke_opts)
monitoring_role = iam.get_role(name="rds-enhanced-monitoring")
image_tag = aws.ssm.get_parameter(name=config.require("imageTagParameter"), opts=invoke_opts).value

key = ehr_key("ehr-key", region, account_id, provider)

log_group = aws.cloudwatch.LogGroup("ehr-api-logs", name=f"/ecs/ehr-records-{stack}", retention_in_days=2190,
                                    kms_key_id=key.arn, opts=opts)

db_params = rds.ParameterGroup("ehr-pg16", family="postgres16",
                               parameters=[{"name": "rds.force_ssl", "value": "1"},
                                           {"name": "log_connections", "value": "1"}], opts=opts)
db_subnets = rds.SubnetGroup("ehr-db-subnets", subnet_ids=subnets.ids, opts=opts)
db_sg = aws.ec2.SecurityGroup("ehr-db-sg", vpc_id=vpc.id, description="PostgreSQL from the API tasks",
                              ingress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432,
                                        "cidr_blocks": [vpc.cidr_block]}], opts=opts)

db = rds.Instance(
    "ehr-db",
    identifier=f"ehr-records-{stack}",
    engine="postgres",
    engine_version="16.4",
    instance_class="db.r6g.large",
    allocated_storage=100,
    username="ehr_admin",
    manage_master_user_password=True,
    master_user_secret_kms_key_id=key.key_id,
    storage_encrypted=True,
    kms_key_id=key.arn,
    multi_az=True,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    parameter_group_name=db_params.name,
    backup_retention_period=35,
    deletion_protection=True,
    auto_minor_version_upgrade=True,
    monitoring_interval=60,
    monitoring_role_arn=monitoring_role.arn,
    enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
    skip_final_snapshot=False,
    final_snapshot_identifier=f"ehr-records-{stack}-final",
    opts=pulumi.ResourceOptions(provider=provider, ignore_changes=["engine_version"]),
)
db_secret_arn = db.master_user_secrets.apply(lambda secrets: secrets[0].secret_arn)
db_host = db.endpoint.apply(lambda e: e.split(":")[0])

execution_role = iam.Role("ehr-api-execution", assume_role_policy=iam.get_policy_document(statements=[{
    "actions": ["sts:AssumeRole"],
    "principals": [{"type": "Service", "identifiers": ["ecs-tasks.amazonaws.com"]}]}]).json, opts=opts)
iam.RolePolicyAttachment("ehr-api-execution-managed", role=execution_role.name,
                         policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                         opts=opts)
read_db_secret = iam.Policy("ehr-api-read-db-secret", policy=pulumi.Output.json_dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [db_secret_arn]},
        {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [key.arn]},
    ]}), opts=opts)
iam.RolePolicyAttachment("ehr-api-execution-secret", role=execution_role.name, policy_arn=read_db_secret.arn,
                         opts=opts)

cluster = ecs.Cluster("ehr-cluster", settings=[{"name": "containerInsights", "value": "enabled"}], opts=opts)
task = ecs.TaskDefinition(
    "ehr-api-task",
    family=f"ehr-records-api-{stack}",
    cpu="512",
    memory="1024",
    network_mode="awsvpc",
    requires_compatibilities=["FARGATE"],
    execution_role_arn=execution_role.arn,
    # defect: ecs-no-plaintext-secrets (the FHIR client secret is a plain environment value)
    container_definitions=pulumi.Output.json_dumps([{
        "name": "api",
        "image": pulumi.Output.format("{0}.dkr.ecr.{1}.amazonaws.com/ehr-records-api:{2}", account_id, region,
                                      image_tag),
        "essential": True,
        "readonlyRootFilesystem": True,
        "portMappings": [{"containerPort": 8443, "protocol": "tcp"}],
        "environment": [
            {"name": "DB_HOST", "value": db_host},
            {"name": "DB_PORT", "value": db.port.apply(str)},
            {"name": "FHIR_CLIENT_SECRET", "value": "fake-client-secret-not-real-0000"},
        ],
        "secrets": [
            {"name": "DB_USERNAME", "valueFrom": pulumi.Output.format("{0}:username::", db_secret_arn)},
            {"name": "DB_PASSWORD", "valueFrom": pulumi.Output.format("{0}:password::", db_secret_arn)},
        ],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": log_group.name, "awslogs-region": region, "awslogs-stream-prefix": "api"}},
    }]),
    opts=opts,
)
api_sg = aws.ec2.SecurityGroup("ehr-api-sg", vpc_id=vpc.id, description="API tasks",
                               ingress=[{"protocol": "tcp", "from_port": 8443, "to_port": 8443,
                                         "cidr_blocks": [vpc.cidr_block]}],
                               egress=[{"protocol": "-1", "from_port": 0, "to_port": 0,
                                        "cidr_blocks": ["0.0.0.0/0"]}], opts=opts)
# defect: ecs-no-public-ip (tasks in app subnets get public addresses)
ecs.Service("ehr-api-svc", cluster=cluster.arn, task_definition=task.arn, desired_count=desired_count,
            launch_type="FARGATE",
            network_configuration={"subnets": subnets.ids, "security_groups": [api_sg.id],
                                   "assign_public_ip": True},
            opts=pulumi.ResourceOptions(provider=provider, depends_on=[db]))

# defect: kms-key-rotation (the export key was created without rotation)
aws.kms.Key("ehr-export-key", description="EHR bulk export", deletion_window_in_days=30, opts=opts)

pulumi.export("dbSecretArn", db_secret_arn)
pulumi.export("dbHost", db_host)
pulumi.export("logGroup", log_group.name)
