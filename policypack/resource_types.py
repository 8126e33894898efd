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

# -- issue 10, HIPAA conformance II (network, identity, audit logging, backup, S3) --------------------------
ELB_LOAD_BALANCER = ("aws:elb/loadBalancer:LoadBalancer",)
ELB_LISTENER_POLICY = ("aws:elb/listenerPolicy:ListenerPolicy",)
ELB_LOAD_BALANCER_POLICY = ("aws:elb/loadBalancerPolicy:LoadBalancerPolicy",)
ELB_SSL_NEGOTIATION_POLICY = ("aws:elb/sslNegotiationPolicy:SslNegotiationPolicy",)
LB_LISTENER_CERTIFICATE = ("aws:lb/listenerCertificate:ListenerCertificate",
                           "aws:alb/listenerCertificate:ListenerCertificate")
WAF_ASSOCIATION = ("aws:wafv2/webAclAssociation:WebAclAssociation",
                   "aws:wafregional/webAclAssociation:WebAclAssociation")
WAFV2_WEB_ACL = ("aws:wafv2/webAcl:WebAcl",)
WAFV2_LOGGING = ("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",)
APIGATEWAY_STAGE = ("aws:apigateway/stage:Stage",)
APIGATEWAY_METHOD_SETTINGS = ("aws:apigateway/methodSettings:MethodSettings",)
APIGATEWAY_INTEGRATION = ("aws:apigateway/integration:Integration",)
APIGATEWAYV2_STAGE = ("aws:apigatewayv2/stage:Stage",)
APIGATEWAYV2_API = ("aws:apigatewayv2/api:Api",)
BACKUP_PLAN = ("aws:backup/plan:Plan",)
BACKUP_SELECTION = ("aws:backup/selection:Selection",)
BACKUP_VAULT = ("aws:backup/vault:Vault",)
BACKUP_VAULT_POLICY = ("aws:backup/vaultPolicy:VaultPolicy",)
BACKUP_VAULT_LOCK = ("aws:backup/vaultLockConfiguration:VaultLockConfiguration",)
DYNAMODB_TABLE = ("aws:dynamodb/table:Table",)
EFS_FILE_SYSTEM = ("aws:efs/fileSystem:FileSystem",)
EFS_BACKUP_POLICY = ("aws:efs/backupPolicy:BackupPolicy",)
EC2_VOLUME_ATTACHMENT = ("aws:ec2/volumeAttachment:VolumeAttachment",)
CLOUDTRAIL_TRAIL = ("aws:cloudtrail/trail:Trail",)
CLOUDWATCH_METRIC_ALARM = ("aws:cloudwatch/metricAlarm:MetricAlarm",)
IAM_USER_POLICY = ("aws:iam/userPolicy:UserPolicy",)
IAM_GROUP_POLICY = ("aws:iam/groupPolicy:GroupPolicy",)
IAM_USER_POLICY_ATTACHMENT = ("aws:iam/userPolicyAttachment:UserPolicyAttachment",)
S3_BUCKET_OWNERSHIP_CONTROLS = ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",)
S3_BUCKET_ACL = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
S3_BUCKET_OBJECT_LOCK = ("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
                         "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2")
S3_BUCKET_LOGGING = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
S3_BUCKET_REPLICATION = ("aws:s3/bucketReplicationConfig:BucketReplicationConfig",)
S3_BUCKET_POLICY = ("aws:s3/bucketPolicy:BucketPolicy",)
S3_BUCKET_VERSIONING = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
S3_BUCKET_NOTIFICATION = ("aws:s3/bucketNotification:BucketNotification",)
S3_BUCKET_LIFECYCLE = ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                       "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2")
CLOUDFRONT_DISTRIBUTION = ("aws:cloudfront/distribution:Distribution",)
EC2_INTERNET_GATEWAY = ("aws:ec2/internetGateway:InternetGateway",)
EC2_INTERNET_GATEWAY_ATTACHMENT = ("aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",)
EC2_ROUTE = ("aws:ec2/route:Route",)
EC2_ROUTE_TABLE = ("aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable")
EC2_DEFAULT_SUBNET = ("aws:ec2/defaultSubnet:DefaultSubnet",)
EC2_DEFAULT_SECURITY_GROUP = ("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",)
EC2_FLOW_LOG = ("aws:ec2/flowLog:FlowLog",)
# -- issue 9: HIPAA conformance I (data-store and compute rules) ------------------------------------------
APPAUTOSCALING_TARGET = ("aws:appautoscaling/target:Target",)
APPAUTOSCALING_POLICY = ("aws:appautoscaling/policy:Policy",)
EC2_INSTANCE_METADATA_DEFAULTS = ("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",)
EC2_LAUNCH_CONFIGURATION = ("aws:ec2/launchConfiguration:LaunchConfiguration",)
EC2_ROUTE_TABLE_ASSOCIATION = ("aws:ec2/routeTableAssociation:RouteTableAssociation",)
EBS_ENCRYPTION_BY_DEFAULT = ("aws:ebs/encryptionByDefault:EncryptionByDefault",)
AUTOSCALING_ATTACHMENT = ("aws:autoscaling/attachment:Attachment",)
AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT = ("aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment",)
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
