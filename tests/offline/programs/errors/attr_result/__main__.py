import pulumi_aws as aws
import pulumi_random as random

password = random.RandomPassword("pw", length=32, special=False)
db = aws.rds.Instance("db", engine="postgres", instance_class="db.t3.micro",
                      password=password.random_password)
