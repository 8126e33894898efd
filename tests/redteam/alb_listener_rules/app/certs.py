"""Certificates: a DNS-validated ACM certificate per load balancer, created in the stack."""
import pulumi
import pulumi_aws as aws


def validated_certificate(name: str, domain: str, zone_id: pulumi.Input[str],
                          opts: pulumi.ResourceOptions | None = None) -> pulumi.Output[str]:
    cert = aws.acm.Certificate(name, domain_name=domain, subject_alternative_names=[f"*.{domain}"],
                               validation_method="DNS", opts=opts)
    record = aws.route53.Record(
        f"{name}-validation", zone_id=zone_id,
        name=cert.domain_validation_options[0].resource_record_name,
        type=cert.domain_validation_options[0].resource_record_type,
        records=[cert.domain_validation_options[0].resource_record_value], ttl=300, allow_overwrite=True,
        opts=opts)
    validation = aws.acm.CertificateValidation(f"{name}-validated", certificate_arn=cert.arn,
                                               validation_record_fqdns=[record.fqdn], opts=opts)
    return validation.certificate_arn
