import pulumi
import pulumi_aws as aws


class EgressLayer(pulumi.ComponentResource):
    def __init__(self, name, public_subnet_ids, opts=None):
        super().__init__("hipaa:net:EgressLayer", name, None, opts)
        self.gateways = []
        for idx, subnet_id in enumerate(public_subnet_ids):
            eip = aws.ec2.Eip(f"{name}-eip-{idx}", vpc=True, opts=pulumi.ResourceOptions(parent=self))
            self.gateways.append(aws.ec2.NatGateway(f"{name}-nat-{idx}", subnet_id=subnet_id,
                                                    allocation_id=eip.allocation_id,
                                                    opts=pulumi.ResourceOptions(parent=self)))
        self.register_outputs({})


egress = EgressLayer("prod-egress", ["subnet-pub-a", "subnet-pub-b", "subnet-pub-c"])
pulumi.export("nats", [g.id for g in egress.gateways])
