import json

import pulumi_aws as aws

cluster = aws.rds.Cluster(
    "records",
    engine="aurora-postgresql",
    master_username="admin",
    manage_master_user_password=True,
    storage_encrypted=True,
)
credentials = aws.secretsmanager.Secret("records-credentials")
aws.secretsmanager.SecretVersion(
    "records-credentials-v1",
    secret_id=credentials.id,
    secret_string=json.dumps({"username": "admin", "engine": "postgres"}),
)
