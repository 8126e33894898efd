/**
 * Source of the stack's secret-rotation Lambda: a new random value for the database master password and the
 * Redis AUTH token, applied through the RDS and ElastiCache APIs (no database connection needed).
 *
 * Secrets Manager calls the function four times per rotation (createSecret, setSecret, testSecret,
 * finishSecret); see "Rotation by Lambda function" in the Secrets Manager user guide.
 */

export const ROTATION_SOURCE = `
import json
import os

import boto3

secrets = boto3.client("secretsmanager")


def _new_value(current, password):
    if isinstance(current, dict):
        return json.dumps({**current, "password": password})
    return password


def handler(event, _context):
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    if step == "createSecret":
        current = secrets.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"]
        try:
            current = json.loads(current)
        except ValueError:
            pass
        password = secrets.get_random_password(PasswordLength=40, ExcludePunctuation=True)["RandomPassword"]
        secrets.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=_new_value(current, password),
                                 VersionStages=["AWSPENDING"])
    elif step == "setSecret":
        pending = secrets.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"]
        if arn == os.environ["DB_SECRET_ARN"]:
            boto3.client("rds").modify_db_instance(DBInstanceIdentifier=os.environ["DB_INSTANCE_ID"],
                                                   MasterUserPassword=json.loads(pending)["password"],
                                                   ApplyImmediately=True)
        elif arn == os.environ["REDIS_SECRET_ARN"]:
            boto3.client("elasticache").modify_replication_group(
                ReplicationGroupId=os.environ["REPLICATION_GROUP_ID"], AuthToken=pending,
                AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)
    elif step == "finishSecret":
        metadata = secrets.describe_secret(SecretId=arn)
        current = next(v for v, stages in metadata["VersionIdsToStages"].items() if "AWSCURRENT" in stages)
        if current != token:
            secrets.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token,
                                                RemoveFromVersionId=current)
`;
