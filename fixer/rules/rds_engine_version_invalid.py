from ..rule import CstRule, Example, UNSAFE, keyword_arg, literal_string

RDS = ("pulumi_aws.rds.Instance", "pulumi_aws.rds.Cluster", "pulumi_aws.rds.ClusterInstance")


class RdsEngineVersionInvalid(CstRule):
    NAME = "rds-engine-version-invalid"
    DESCRIPTION = "an RDS engine-version literal not in the dated version data -> the major-only version (AWS picks the current minor)"
    WHY = "AWS rejects the database: `InvalidParameterCombination: Cannot find version 15.4 for postgres`."
    SAFETY = UNSAFE
    REFERENCES = ["https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html",
                  "policypack/data/rds_engine_versions.json"]
    VALID = ["import pulumi_aws as aws\naws.rds.Instance('db', engine='postgres', engine_version='15')\n"]
    INVALID = [Example("import pulumi_aws as aws\ndb = aws.rds.Instance('db', engine='postgres', engine_version='15.4')\n",
                       "import pulumi_aws as aws\ndb = aws.rds.Instance('db', engine='postgres', engine_version='15')\n",
                       unsafe=True)]

    @classmethod
    def applies(cls, ctx):
        return any(isinstance(c.const("engine"), str) and isinstance(c.const("engine_version"), str) and
                   ctx.data.check_engine_version(c.const("engine"), c.const("engine_version"), ctx.region)
                   for c in ctx.facts.calls_to(*RDS))

    def visit_Call(self, node):
        if self.resolve(node.func) not in RDS:
            return
        engine, version = keyword_arg(node, "engine"), keyword_arg(node, "engine_version")
        e = literal_string(engine.value) if engine else None
        v = literal_string(version.value) if version else None
        verdict = self.ctx.data.check_engine_version(e, v, self.ctx.region) if e and v else None
        if not verdict:
            return
        major, nearest = verdict

        def replace(updated):
            s = updated.value
            return updated.with_changes(value=s.with_changes(value=f"{s.prefix}{s.quote}{major}{s.quote}"))
        self.report(version, f"{e} {v} is not an available RDS version; nearest valid: {', '.join(nearest)}; "
                             f"use {major!r} to let AWS pick the current minor", replace=replace)
