"""Entry point the Pulumi CLI runs: `python -m pulumi.policy <engine> <this directory>`."""
from policypack.analyzer_service import serve

serve()
