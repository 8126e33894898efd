"""hipaa-guard: a Pulumi CrossGuard policy pack for HIPAA on AWS, with an offline preview.

Importing this package is cheap on purpose: the pack process imports only `policypack.analyzer_service` and what the
policies need; the CLI, the engine client and the offline preview load on demand.
"""

PACK_NAME = "hipaa-guard"
