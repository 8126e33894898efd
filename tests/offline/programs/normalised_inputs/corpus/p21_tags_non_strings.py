import pulumi_aws as aws

vpc = aws.ec2.Vpc("p21-vpc", cidr_block="10.21.0.0/16", enable_dns_hostnames="true",
                  tags={"CostCenter": 1234, "Backup": True, "Name": "p21"})
vpc.tags.apply(lambda tags: tags["CostCenter"].zfill(6))
