"""SageMaker: KMS keys for endpoint and notebook storage, notebooks without direct internet access."""
from policypack import data
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_KEY = "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"
_VARIANT = {"variantName": "primary", "modelName": "triage", "initialInstanceCount": 1}


@resource_policy(
    name="sagemaker-endpoint-configuration-kms-key-configured",
    description="SageMaker endpoint configurations must encrypt their storage volumes with a KMS key.",
    resource_types=T.SAGEMAKER_ENDPOINT_CONFIGURATION,
    severity="high", group="hipaa", citation=C.ENCRYPTION_AT_REST,
    aws_config_rules=("sagemaker-endpoint-configuration-kms-key-configured",), data_sources=("sagemaker.json",),
    remediation="Set kms_key_arn to a customer-managed key whose policy admits the endpoint's execution role. "
                "Instance types with local NVMe storage reject a key (their storage is hardware-encrypted).",
    violating=[
        Example({"productionVariants": [{**_VARIANT, "instanceType": "ml.m5.xlarge"}]}),
        Example({"productionVariants": [{**_VARIANT, "serverlessConfig": {"maxConcurrency": 5, "memorySizeInMb": 2048}}]},
                note="serverless endpoints accept a key"),
    ],
    compliant=[
        Example({"kmsKeyArn": _KEY, "productionVariants": [{**_VARIANT, "instanceType": "ml.m5.xlarge"}]}),
        Example({"productionVariants": [{**_VARIANT, "instanceType": "ml.g5.xlarge"}]},
                note="local NVMe storage: CreateEndpointConfig rejects a KMS key"),
    ],
)
def sagemaker_endpoint_configuration_kms_key_configured(r):
    if r.props.is_set("kmsKeyArn"):
        return
    if any(data.sagemaker_has_local_nvme(v.get_str("instanceType")) for v in r.props.each("productionVariants")):
        return
    yield (f"kmsKeyArn is {r.props.absence('kmsKeyArn')}: model and inference data on the endpoint's storage volumes "
           "use an AWS-managed key.")


@resource_policy(
    name="sagemaker-notebook-instance-kms-key-configured",
    description="SageMaker notebook instances must encrypt their storage volume with a KMS key.",
    resource_types=T.SAGEMAKER_NOTEBOOK_INSTANCE,
    severity="high", group="hipaa", citation=C.ENCRYPTION_AT_REST,
    aws_config_rules=("sagemaker-notebook-instance-kms-key-configured",),
    remediation="Set kms_key_id to a customer-managed key (a new notebook instance: the key is fixed at creation).",
    violating=[Example({"instanceType": "ml.t3.medium", "roleArn": "arn:aws:iam::210987654321:role/notebook"})],
    compliant=[Example({"instanceType": "ml.t3.medium", "roleArn": "arn:aws:iam::210987654321:role/notebook",
                        "kmsKeyId": _KEY})],
)
def sagemaker_notebook_instance_kms_key_configured(r):
    if not r.props.is_set("kmsKeyId"):
        yield (f"kmsKeyId is {r.props.absence('kmsKeyId')}: notebooks and data on the instance's volume use an "
               "AWS-managed key.")


@resource_policy(
    name="sagemaker-notebook-no-direct-internet-access",
    description="SageMaker notebook instances must not have direct internet access.",
    resource_types=T.SAGEMAKER_NOTEBOOK_INSTANCE,
    severity="high", group="hipaa", citation=C.ACCESS_CONTROL,
    aws_config_rules=("sagemaker-notebook-no-direct-internet-access",),
    remediation="Set direct_internet_access='Disabled' with subnet_id and security_groups in a private subnet "
                "(a NAT gateway or VPC endpoints for the AWS APIs it needs).",
    violating=[Example({"instanceType": "ml.t3.medium"}, note="unset means Enabled"),
               Example({"instanceType": "ml.t3.medium", "subnetId": "subnet-1", "directInternetAccess": "Enabled"})],
    compliant=[Example({"instanceType": "ml.t3.medium", "subnetId": "subnet-1", "securityGroups": ["sg-1"],
                        "directInternetAccess": "Disabled"})],
)
def sagemaker_notebook_no_direct_internet_access(r):
    if (r.props.get_str("directInternetAccess") or "Enabled").strip().lower() != "disabled":
        yield (f"directInternetAccess is {r.props.show('directInternetAccess')}: the notebook reaches, and data "
               "can leave to, the internet outside your VPC's controls.")
