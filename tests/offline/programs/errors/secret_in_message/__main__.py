import pulumi_random as random


def check(value):
    raise ValueError(f"password {value} rejected")


password = random.RandomPassword("pw", length=20, special=False)
password.result.apply(check)
