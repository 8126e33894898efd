from ..rule import Example, ProjectRule, SAFE


class RequirementMissing(ProjectRule):
    NAME = "requirement-missing"
    DESCRIPTION = "a Pulumi package imported by the program (`pulumi_random`) missing from requirements.txt / Pipfile -> added"
    WHY = ("The Pulumi CLI installs only the declared requirements into the program's virtualenv: "
           "`ModuleNotFoundError: No module named 'pulumi_random'`.")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/docs/iac/languages-sdks/python/#virtual-environments"]
    VALID = []
    INVALID = [Example("import pulumi_random\npulumi_random.RandomPassword('p', length=16)\n", None,
                       files={"requirements.txt": "pulumi>=3.0.0,<4.0.0\n"},
                       files_after={"requirements.txt": "pulumi>=3.0.0,<4.0.0\npulumi-random\n"})]
