PREFIX = "records"

bucket_name = PREFIX + "-" + ENVIRONMENT
