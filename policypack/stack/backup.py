"""AWS Backup: the data stores a backup plan selects, and vaults whose recovery points cannot be deleted.

Which selection selects which resource is decided in one place, `relations.backup`. PITR and RDS automated
backups are not membership of a plan. Tag-based selections often live in a landing-zone stack: every rule
here has `managedElsewhere`.
"""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import memo, referrers
from policypack.relations.backup import selecting
from policypack.stack._iam import action_grant, on_every_resource, principal_values, statements

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_SEL = T.BACKUP_SELECTION[0]
_ROLE = "arn:aws:iam::210987654321:role/backup"


def _selection(name, **props):
    return {"type": _SEL, "name": name, "props": {"planId": "plan-1", "iamRoleArn": _ROLE, **props}}


def _by_dependency(target):
    return {**_selection("sel", resources=[U]), "property_dependencies": {"resources": [target]}}


# pulumi-aws 7 types `conditions` as a list of condition blocks
_TAGGED = _selection("by-tag", resources=["*"], conditions=[{"stringEquals": [
    {"key": "aws:ResourceTag/backup", "value": "daily"}]}])
_NO_PLAN = "no AWS Backup selection of this stack selects it (by ARN, wildcard or tag): it is in no backup plan."


def _backup_findings(resource, stack):
    if selecting(resource, stack) or resource.config["managedElsewhere"]:
        return
    yield _NO_PLAN


def _backup_rule(name, types, description, violating, compliant, *, cite=C.BACKUP, aws_rules=None, remediation=""):
    """Declare one of the `*-in-backup-plan` rules: same matcher, same managedElsewhere, own examples."""
    return stack_policy(
        name=name, description=description, resource_types=types,
        severity="medium", group="hipaa", citation=cite, enforcement="advisory",
        aws_config_rules=aws_rules or (name,), managed_elsewhere=True,
        remediation=remediation or ("Add an aws.backup.Selection of a backup plan whose resources list this "
                                    "resource's ARN (or a tag condition it matches)."),
        violating=violating, compliant=compliant)


@_backup_rule(
    "rds-in-backup-plan", T.RDS_INSTANCE, "RDS instances must be in an AWS Backup plan.",
    violating=[Example({"identifier": "phi-db", "engine": "postgres", "backupRetentionPeriod": 35}, name="db",
                       note="automated backups are not a backup plan"),
               Example({"identifier": "phi-db", "engine": "postgres"}, name="db",
                       stack=[_selection("all-db", resources=["arn:aws:rds:*:*:db:*"],
                                         notResources=["arn:aws:rds:*:*:db:phi-*"])],
                       note="excluded by notResources")],
    compliant=[Example({"identifier": U, "engine": "postgres"}, name="db", stack=[_by_dependency("db")]),
               Example({"identifier": "phi-db", "engine": "postgres"}, name="db",
                       stack=[_selection("all-db", resources=["arn:aws:rds:*:*:db:*"])], note="a wildcard ARN"),
               Example({"identifier": "phi-db", "engine": "postgres", "tags": {"backup": "daily"}}, name="db",
                       stack=[_TAGGED], note="a tag condition"),
               Example({"identifier": "phi-db", "engine": "postgres"}, name="db", config={"managedElsewhere": True})],
)
def rds_in_backup_plan(db, stack):
    yield from _backup_findings(db, stack)


@_backup_rule(
    "aurora-resources-protected-by-backup-plan", T.RDS_CLUSTER, "Aurora clusters must be in an AWS Backup plan.",
    cite=C.BACKUP,
    violating=[Example({"clusterIdentifier": "phi", "engine": "aurora-postgresql", "tags": {"backup": "weekly"}},
                       name="cluster", stack=[_TAGGED], note="the tag value does not match")],
    compliant=[
               Example({"clusterIdentifier": "phi", "engine": "aurora-postgresql", "tags": {"backup": "daily"}},
                       name="cluster", stack=[_selection("tags", selectionTags=[
                           {"type": "STRINGEQUALS", "key": "backup", "value": "daily"}])]),
               Example({"clusterIdentifier": "phi", "engine": "postgres", "dbClusterInstanceClass": "db.m6gd.large"},
                       name="cluster", note="a Multi-AZ DB cluster is not Aurora")],
)
def aurora_resources_protected_by_backup_plan(cluster, stack):
    if not (cluster.props.get_str("engine") or "").lower().startswith("aurora"):
        return
    yield from _backup_findings(cluster, stack)


@_backup_rule(
    "dynamodb-in-backup-plan", T.DYNAMODB_TABLE, "DynamoDB tables must be in an AWS Backup plan.",
    violating=[Example({"name": "visits", "pointInTimeRecovery": {"enabled": True}}, name="table",
                       note="PITR is not a backup plan"),
               Example({"name": "visits", "tags": {"tier": "silver"}}, name="table",
                       stack=[_selection("gold", resources=["arn:aws:dynamodb:*:*:table/*"], conditions=[
                           {"stringEquals": [{"key": "aws:ResourceTag/tier", "value": "gold"}]}])],
                       note="resources AND conditions: the tag condition fails"),
               Example({"name": "visits", "tags": {"backup": "daily"}}, name="table",
                       stack=[{**_TAGGED, "props": {**_TAGGED["props"], "region": "eu-west-1"}}],
                       note="a plan protects the resources of its own Region only")],
    compliant=[Example({"name": "visits"}, name="table",
                       stack=[_selection("tables", resources=["arn:aws:dynamodb:*:*:table/*"])]),
               Example({"name": "visits", "tags": {"backup": "daily"}}, name="table", stack=[_TAGGED])],
)
def dynamodb_in_backup_plan(table, stack):
    yield from _backup_findings(table, stack)


@_backup_rule(
    "ec2-resources-protected-by-backup-plan", T.EC2_INSTANCE, "EC2 instances must be in an AWS Backup plan.",
    violating=[Example({"instanceType": "t3.micro", "ami": "ami-0abc"}, name="app",
                       stack=[_selection("vols", resources=["arn:aws:ec2:*:*:volume/*"])],
                       note="a selection of volumes only")],
    compliant=[Example({"instanceType": "t3.micro", "ami": "ami-0abc"}, name="app", stack=[_by_dependency("app")])],
)
def ec2_resources_protected_by_backup_plan(instance, stack):
    yield from _backup_findings(instance, stack)


@_backup_rule(
    "ebs-in-backup-plan", T.EBS_VOLUME, "EBS volumes must be in an AWS Backup plan (or attached to an instance "
    "that is).",
    violating=[Example({"availabilityZone": "us-east-1a", "size": 100, "encrypted": True}, name="data")],
    compliant=[Example({"availabilityZone": "us-east-1a", "size": 100}, name="data", stack=[
        {"type": T.EC2_VOLUME_ATTACHMENT[0], "name": "attach",
         "property_dependencies": {"volumeId": ["data"], "instanceId": ["app"]},
         "props": {"volumeId": U, "instanceId": U, "deviceName": "/dev/sdf"}},
        {"type": T.EC2_INSTANCE[0], "name": "app", "props": {"instanceType": "t3.micro"}},
        _by_dependency("app")], note="attached to a selected instance")],
)
def ebs_in_backup_plan(volume, stack):
    if selecting(volume, stack) or volume.config["managedElsewhere"]:
        return
    for attachment in referrers(stack, volume, T.EC2_VOLUME_ATTACHMENT, "volumeId", ("id",)):
        for instance in attachment.depends_on_prop("instanceId"):
            if selecting(instance, stack):
                return
        by_id = memo(stack, "ec2-instances-by-id", lambda: {
            i: x for x in stack.of_type(T.EC2_INSTANCE) if isinstance(i := x.props.peek("id"), str)})
        instance = by_id.get(attachment.props.get_str("instanceId") or "")
        if instance is not None and selecting(instance, stack):
            return
    yield _NO_PLAN


@_backup_rule(
    "efs-in-backup-plan", T.EFS_FILE_SYSTEM, "EFS file systems must be in an AWS Backup plan or have automatic "
    "backups on.",
    remediation="Add an aws.efs.BackupPolicy with backup_policy.status 'ENABLED' for the file system, or an "
                "aws.backup.Selection that lists its ARN.",
    violating=[Example({"encrypted": True}, name="fs", stack=[
        {"type": T.EFS_BACKUP_POLICY[0], "name": "fs-backup", "property_dependencies": {"fileSystemId": ["fs"]},
         "props": {"fileSystemId": U, "backupPolicy": {"status": "DISABLED"}}}])],
    compliant=[Example({"encrypted": True}, name="fs", stack=[
        {"type": T.EFS_BACKUP_POLICY[0], "name": "fs-backup", "property_dependencies": {"fileSystemId": ["fs"]},
         "props": {"fileSystemId": U, "backupPolicy": {"status": "ENABLED"}}}]),
               Example({"encrypted": True}, name="fs", stack=[_by_dependency("fs")])],
)
def efs_in_backup_plan(fs, stack):
    for policy in referrers(stack, fs, T.EFS_BACKUP_POLICY, "fileSystemId", ("id",)):
        if (policy.props.get_str("backupPolicy.status") or "").upper() == "ENABLED":
            return
    yield from _backup_findings(fs, stack)


GUARDED_ACTIONS = ("backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle",
                   "backup:PutBackupVaultAccessPolicy")


def _denied(document) -> set:
    """The guarded actions a document denies to everyone on every resource."""
    found = set()
    for s in statements(document) or []:
        if str(s.get("Effect", "")).lower() != "deny" or not on_every_resource(s):
            continue
        principal = s.get("Principal")
        if principal != "*" and "*" not in principal_values(principal, "AWS"):
            continue
        found.update(a for a in GUARDED_ACTIONS if action_grant(s, a))
    return found


@stack_policy(
    name="backup-recovery-point-manual-deletion-disabled",
    description="Backup vaults must stop anyone deleting recovery points or shortening their lifecycle.",
    resource_types=T.BACKUP_VAULT,
    severity="medium", group="hipaa", citation=C.BACKUP + ("164.312(c)(1)",), enforcement="advisory",
    aws_config_rules=("backup-recovery-point-manual-deletion-disabled",),
    remediation="Add an aws.backup.VaultPolicy for the vault with a Deny statement, Principal '*', Resource '*', "
                "on backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle and "
                "backup:PutBackupVaultAccessPolicy (or an aws.backup.VaultLockConfiguration).",
    violating=[Example({"name": "phi-vault"}, name="vault"),
               Example({"name": "phi-vault"}, name="vault", stack=[
                   {"type": T.BACKUP_VAULT_POLICY[0], "name": "vault-policy",
                    "props": {"backupVaultName": "phi-vault", "policy": '{"Version": "2012-10-17", "Statement": '
                              '{"Effect": "Deny", "Principal": "*", "Action": "backup:DeleteRecoveryPoint", '
                              '"Resource": "*"}}'}}], note="one of the three actions only")],
    compliant=[Example({"name": "phi-vault"}, name="vault", stack=[
                   {"type": T.BACKUP_VAULT_POLICY[0], "name": "vault-policy",
                    "property_dependencies": {"backupVaultName": ["vault"]},
                    "props": {"backupVaultName": U, "policy": {"Version": "2012-10-17", "Statement": [
                        {"Effect": "Deny", "Principal": {"AWS": "*"}, "Resource": "*",
                         "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle",
                                    "backup:PutBackupVaultAccessPolicy"]}]}}}]),
               Example({"name": "phi-vault"}, name="vault", stack=[
                   {"type": T.BACKUP_VAULT_LOCK[0], "name": "lock",
                    "props": {"backupVaultName": "phi-vault", "minRetentionDays": 35}}],
                   note="a vault lock (ours: stronger than a policy)")],
)
def backup_recovery_point_manual_deletion_disabled(vault, stack):
    if referrers(stack, vault, T.BACKUP_VAULT_LOCK, "backupVaultName", ("name", "id")):
        return
    denied = set()
    for policy in referrers(stack, vault, T.BACKUP_VAULT_POLICY, "backupVaultName", ("name", "id")):
        denied |= _denied(policy.props.get("policy"))
    missing = [a for a in GUARDED_ACTIONS if a not in denied]
    if missing:
        yield (f"no vault policy denies {', '.join(missing)} to every principal: recovery points can be deleted "
               "or expired early by anyone with IAM access.")

