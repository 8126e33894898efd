"""Reads two project config values, given on the command line as bare keys (`--config days=7`)."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
aws.cloudwatch.LogGroup(
    "logs",
    name=f"/app/{config.require('env')}",
    retention_in_days=int(config.require("days")),
)
