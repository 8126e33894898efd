import pulumi
import pulumi_aws as aws

subnets = ["subnet-aaa", "subnet-bbb"]
mappings = []
for idx, subnet in enumerate(subnets):
    ip = aws.ec2.Eip(f"nlb-ip-{idx}", vpc=True)
    mappings.append(aws.lb.LoadBalancerSubnetMappingArgs(subnet_id=subnet, allocation_id=ip.id))

nlb = aws.lb.LoadBalancer("hl7-nlb", load_balancer_type="network", internal=False, subnet_mappings=mappings)
tg = aws.lb.TargetGroup("hl7-tg", port=2575, protocol="TCP", vpc_id="vpc-123", target_type="ip")
aws.lb.Listener("hl7-listener", load_balancer_arn=nlb.arn, port=2575, protocol="TCP",
                default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=tg.arn)])
pulumi.export("nlb_dns", nlb.dns_name)
