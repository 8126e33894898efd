import pulumi
import pulumi_aws as aws

gateway_ip = aws.ec2.Eip("sftp-gateway", vpc=True, tags={"svc": "sftp"})
compute = aws.batch.ComputeEnvironment("sftp-ingest", compute_environment_name_prefix="sftp-ingest-",
                                       type="MANAGED",
                                       compute_resources={"type": "FARGATE", "max_vcpus": 4,
                                                          "subnets": ["subnet-s"], "security_group_ids": ["sg-s"]})
pulumi.export("sftp_ip", gateway_ip.public_ip)
