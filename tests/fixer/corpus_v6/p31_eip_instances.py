import pulumi
import pulumi_aws as aws

ami = "ami-0fedcba9876543210"
web_servers = []
for n in range(3):
    server = aws.ec2.Instance(f"portal-web-{n}", ami=ami, instance_type="t3.small",
                              root_block_device={"encrypted": True, "volume_size": 20},
                              metadata_options={"http_tokens": "required"},
                              tags={"Name": f"portal-web-{n}"})
    aws.ec2.Eip(f"portal-web-{n}-ip", instance=server.id, vpc=True)
    web_servers.append(server)
pulumi.export("servers", [s.id for s in web_servers])
