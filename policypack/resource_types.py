"""Pulumi type tokens of the resources the policies read, with their aliases across pulumi-aws versions.

A policy names a tuple from here, never a bare string, so an alias added once (say, a V2 class that
pulumi-aws 6 had and 7 folded back) reaches every policy.
"""

RDS_INSTANCE = ("aws:rds/instance:Instance",)
RDS_CLUSTER = ("aws:rds/cluster:Cluster",)
RDS_CLUSTER_INSTANCE = ("aws:rds/clusterInstance:ClusterInstance",)
RDS_PARAMETER_GROUP = ("aws:rds/parameterGroup:ParameterGroup",)
RDS_CLUSTER_PARAMETER_GROUP = ("aws:rds/clusterParameterGroup:ClusterParameterGroup",)
RDS_SUBNET_GROUP = ("aws:rds/subnetGroup:SubnetGroup",)

ELASTICACHE_REPLICATION_GROUP = ("aws:elasticache/replicationGroup:ReplicationGroup",)
ELASTICACHE_CLUSTER = ("aws:elasticache/cluster:Cluster",)
ELASTICACHE_SUBNET_GROUP = ("aws:elasticache/subnetGroup:SubnetGroup",)

LB_LISTENER = ("aws:lb/listener:Listener", "aws:alb/listener:Listener")
LB_LOAD_BALANCER = ("aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer")
LB_TARGET_GROUP = ("aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup")
ACM_CERTIFICATE = ("aws:acm/certificate:Certificate",)
ACM_CERTIFICATE_VALIDATION = ("aws:acm/certificateValidation:CertificateValidation",)
IAM_SERVER_CERTIFICATE = ("aws:iam/serverCertificate:ServerCertificate",)

CLOUDWATCH_LOG_GROUP = ("aws:cloudwatch/logGroup:LogGroup",)
SECRETSMANAGER_SECRET = ("aws:secretsmanager/secret:Secret",)
SECRETSMANAGER_SECRET_VERSION = ("aws:secretsmanager/secretVersion:SecretVersion",)
KINESIS_STREAM = ("aws:kinesis/stream:Stream",)
KMS_KEY = ("aws:kms/key:Key",)
KMS_KEY_POLICY = ("aws:kms/keyPolicy:KeyPolicy",)
KMS_ALIAS = ("aws:kms/alias:Alias",)

S3_BUCKET = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
S3_BUCKET_SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
S3_BUCKET_PUBLIC_ACCESS_BLOCK = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
S3_ACCOUNT_PUBLIC_ACCESS_BLOCK = ("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",)

ECS_CLUSTER = ("aws:ecs/cluster:Cluster",)
ECS_SERVICE = ("aws:ecs/service:Service",)
ECS_TASK_DEFINITION = ("aws:ecs/taskDefinition:TaskDefinition",)

EC2_VPC = ("aws:ec2/vpc:Vpc",)
EC2_SUBNET = ("aws:ec2/subnet:Subnet",)
EC2_SECURITY_GROUP = ("aws:ec2/securityGroup:SecurityGroup",)
EC2_SECURITY_GROUP_RULE = ("aws:ec2/securityGroupRule:SecurityGroupRule",)
VPC_SECURITY_GROUP_INGRESS_RULE = ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",)

IAM_ROLE = ("aws:iam/role:Role",)
IAM_POLICY = ("aws:iam/policy:Policy",)
IAM_ROLE_POLICY = ("aws:iam/rolePolicy:RolePolicy",)
IAM_ROLE_POLICY_ATTACHMENT = ("aws:iam/rolePolicyAttachment:RolePolicyAttachment",)
IAM_USER = ("aws:iam/user:User",)

LAMBDA_FUNCTION = ("aws:lambda/function:Function",)

RANDOM_PASSWORD = ("random:index/randomPassword:RandomPassword",)
AWS_PROVIDER = ("pulumi:providers:aws",)

# -- deploy group (appended) ------------------------------------------------------------------------
RDS_GLOBAL_CLUSTER = ("aws:rds/globalCluster:GlobalCluster",)
EC2_INSTANCE = ("aws:ec2/instance:Instance",)
EBS_VOLUME = ("aws:ebs/volume:Volume",)
EC2_VPC_IPV4_CIDR_BLOCK_ASSOCIATION = ("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",)
DMS_REPLICATION_INSTANCE = ("aws:dms/replicationInstance:ReplicationInstance",)
IAM_POLICY_ATTACHMENT = ("aws:iam/policyAttachment:PolicyAttachment",)
SSM_PARAMETER = ("aws:ssm/parameter:Parameter",)
SERVICE_DISCOVERY_NAMESPACE = (
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace",
    "aws:servicediscovery/httpNamespace:HttpNamespace",
)


class AnyAwsType(tuple):
    """Matches every `aws:` type token in an `in` test (`"aws:sqs/queue:Queue" in ANY` is True).

    For policies over any AWS resource: the mechanism filters with `type in resource_types` and
    `StackView.of_type` with `r.type in types`, so this works with both unchanged. Iterating it yields
    the single display entry `aws:*`.
    """

    def __new__(cls):
        return super().__new__(cls, ("aws:*",))

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and item.startswith("aws:")


ANY = AnyAwsType()
RANDOM_STRING = ("random:index/randomString:RandomString",)
AUTOSCALING_GROUP = ("aws:autoscaling/group:Group",)
EC2_LAUNCH_TEMPLATE = ("aws:ec2/launchTemplate:LaunchTemplate",)
DOCDB_CLUSTER = ("aws:docdb/cluster:Cluster",)
NEPTUNE_CLUSTER = ("aws:neptune/cluster:Cluster",)

# -- issue 9: HIPAA conformance I (data-store and compute rules) ------------------------------------------
DYNAMODB_TABLE = ("aws:dynamodb/table:Table",)
APPAUTOSCALING_TARGET = ("aws:appautoscaling/target:Target",)
APPAUTOSCALING_POLICY = ("aws:appautoscaling/policy:Policy",)
EC2_INSTANCE_METADATA_DEFAULTS = ("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",)
EC2_DEFAULT_SUBNET = ("aws:ec2/defaultSubnet:DefaultSubnet",)
EC2_LAUNCH_CONFIGURATION = ("aws:ec2/launchConfiguration:LaunchConfiguration",)
EC2_ROUTE = ("aws:ec2/route:Route",)
EC2_ROUTE_TABLE = ("aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable")
EC2_ROUTE_TABLE_ASSOCIATION = ("aws:ec2/routeTableAssociation:RouteTableAssociation",)
EC2_INTERNET_GATEWAY = ("aws:ec2/internetGateway:InternetGateway",)
EBS_ENCRYPTION_BY_DEFAULT = ("aws:ebs/encryptionByDefault:EncryptionByDefault",)
AUTOSCALING_ATTACHMENT = ("aws:autoscaling/attachment:Attachment",)
AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT = ("aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment",)
EFS_FILE_SYSTEM = ("aws:efs/fileSystem:FileSystem",)
ELASTIC_BEANSTALK_ENVIRONMENT = ("aws:elasticbeanstalk/environment:Environment",)
ELASTIC_BEANSTALK_CONFIGURATION_TEMPLATE = ("aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate",)
OPENSEARCH_DOMAIN = ("aws:opensearch/domain:Domain",)
ELASTICSEARCH_DOMAIN = ("aws:elasticsearch/domain:Domain",)
SEARCH_DOMAIN = OPENSEARCH_DOMAIN + ELASTICSEARCH_DOMAIN
EMR_CLUSTER = ("aws:emr/cluster:Cluster",)
EMR_SECURITY_CONFIGURATION = ("aws:emr/securityConfiguration:SecurityConfiguration",)
LAMBDA_PERMISSION = ("aws:lambda/permission:Permission",)
RDS_SNAPSHOT = ("aws:rds/snapshot:Snapshot",)
RDS_CLUSTER_SNAPSHOT = ("aws:rds/clusterSnapshot:ClusterSnapshot",)
REDSHIFT_CLUSTER = ("aws:redshift/cluster:Cluster",)
REDSHIFT_LOGGING = ("aws:redshift/logging:Logging",)
REDSHIFT_PARAMETER_GROUP = ("aws:redshift/parameterGroup:ParameterGroup",)
SAGEMAKER_ENDPOINT_CONFIGURATION = ("aws:sagemaker/endpointConfiguration:EndpointConfiguration",)
SAGEMAKER_NOTEBOOK_INSTANCE = ("aws:sagemaker/notebookInstance:NotebookInstance",)
CODEBUILD_PROJECT = ("aws:codebuild/project:Project",)
SNS_TOPIC = ("aws:sns/topic:Topic",)
SECRETSMANAGER_SECRET_ROTATION = ("aws:secretsmanager/secretRotation:SecretRotation",)
SSM_DOCUMENT = ("aws:ssm/document:Document",)
