"""One database that fails, one exempted by a secret tag, a bucket exempted in config, a key that passes."""
import pulumi
import pulumi_aws as aws

SECRET_PASSWORD = "Zq-report-secret-password-1"

key = aws.kms.Key("phi-key", enable_key_rotation=True, deletion_window_in_days=30)

# Fails rds-storage-encrypted; its password is a secret that must never reach the report.
aws.rds.Instance("records-db", engine="postgres", engine_version="16.4", instance_class="db.t3.micro",
                 allocated_storage=20, username="appadmin", password=pulumi.Output.secret(SECRET_PASSWORD),
                 storage_encrypted=False, backup_retention_period=35)

# Exempted by a tag whose value is secret: the exemption applies, its reason stays withheld.
aws.rds.Instance("legacy-db", engine="postgres", engine_version="16.4", instance_class="db.t3.micro",
                 allocated_storage=20, username="appadmin", password=pulumi.Output.secret(SECRET_PASSWORD),
                 storage_encrypted=False, backup_retention_period=35,
                 tags={"hipaa-guard:exempt": pulumi.Output.secret(
                     "rds-storage-encrypted: Zq-hidden-exemption-reason until 2099-01-31")})

# A user-chosen name with markup: it must show as text, never as HTML.
aws.s3.Bucket("exports-<b>bold</b>")
