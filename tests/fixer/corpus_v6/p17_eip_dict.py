import pulumi
import pulumi_aws as aws

eips = {name: aws.ec2.Eip(f"egress-{name}", vpc=True, tags={"role": name}) for name in ["sftp", "hl7"]}
pulumi.export("egress_ips", {k: v.public_ip for k, v in eips.items()})
