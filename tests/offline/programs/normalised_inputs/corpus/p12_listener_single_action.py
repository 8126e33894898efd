import pulumi_aws as aws

lb = aws.lb.LoadBalancer("p12-lb", internal=True, subnets=["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"])
tg = aws.lb.TargetGroup("p12-tg", port=80, protocol="HTTP", vpc_id="vpc-0123456789abcdef0", target_type="ip")
aws.lb.Listener("p12-listener", load_balancer_arn=lb.arn, port=80, protocol="HTTP",
                default_actions={"type": "forward", "target_group_arn": tg.arn})
