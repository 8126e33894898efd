from pulumi_aws import logs

logs.LogGroup("audit")
