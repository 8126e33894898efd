import pulumi
import pulumi_aws as aws

site = aws.s3.BucketV2("portal-static")
oac = aws.cloudfront.OriginAccessControl("portal-oac", origin_access_control_origin_type="s3",
                                         signing_behavior="always", signing_protocol="sigv4")
dist = aws.cloudfront.Distribution(
    "portal-cdn", enabled=True, default_root_object="index.html",
    origins=[aws.cloudfront.DistributionOriginArgs(domain_name=site.bucket_regional_domain_name, origin_id="s3",
                                                   origin_access_control_id=oac.id)],
    default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
        target_origin_id="s3", viewer_protocol_policy="redirect-to-https", allowed_methods=["GET", "HEAD"],
        cached_methods=["GET", "HEAD"], cache_policy_id="658327ea-f89d-4fab-a63d-7e88639e58f6"),
    restrictions=aws.cloudfront.DistributionRestrictionsArgs(
        geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")),
    viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(cloudfront_default_certificate=True))
pulumi.export("cdn", dist.domain_name)
