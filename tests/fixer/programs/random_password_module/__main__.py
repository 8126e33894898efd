"""Database password made with a class pulumi_aws does not have."""
import pulumi
import pulumi_aws as aws

db_password = aws.secretsmanager.RandomPassword(
    "app-db-password",
    length=32,
    exclude_characters="\"@/\\",  # characters RDS refuses
    exclude_punctuation=False,
)
secret = aws.secretsmanager.Secret("app-db-secret", description="database credentials")
pulumi.export("secret_arn", secret.arn)
