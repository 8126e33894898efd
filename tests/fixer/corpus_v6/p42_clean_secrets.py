import pulumi
import pulumi_aws as aws
import pulumi_random as random

password = random.RandomPassword("hl7-feed-password", length=32, special=True, override_special="!#$%^&*()-_")
secret = aws.secretsmanager.Secret("hl7-feed", description="HL7 feed credentials", recovery_window_in_days=30)
aws.secretsmanager.SecretVersion("hl7-feed-v1", secret_id=secret.id, secret_string=password.result)
pulumi.export("secret_arn", secret.arn)
