import pulumi_aws as aws


class RecordsStack:
    def __init__(self, name: str):
        self.bucket = aws.s3.Bucket(f"{name}-data")
