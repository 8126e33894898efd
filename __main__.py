"""Entry point the Pulumi CLI runs: `python -m pulumi.policy <engine> <this directory>`."""
from policypack.pack import serve

serve()
