import pulumi
import pulumi_aws as aws


class Network(pulumi.ComponentResource):
    def __init__(self, name, settings, opts=None):
        super().__init__("app:net:Network", name, None, opts)
        self.vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=settings["cidr"], opts=pulumi.ResourceOptions(parent=self))
        self.subnets = self._subnets(name, settings)
        self.register_outputs({})

    def _subnets(self, name, settings):
        return [aws.ec2.Subnet(f"{name}-{i}", vpc_id=self.vpc.id, cidr_block=settings["subnet_cidrs"][i])
                for i in range(2)]
