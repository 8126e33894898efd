import pulumi_aws as aws

aws.rds.ParameterGroup(
    "p26-pg",
    family="postgres16",
    parameters={"name": "rds.force_ssl", "value": 1},
)
aws.rds.ClusterParameterGroup(
    "p26-cpg",
    family="aurora-postgresql16",
    parameters=[aws.rds.ClusterParameterGroupParameterArgs(name="log_min_duration_statement", value="500")],
)
