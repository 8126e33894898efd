"""The engine client: launches a policy pack exactly as the Pulumi CLI does and speaks the Analyzer protocol.

See README.md in this directory for what it mirrors of the CLI and what it does not.
"""

from . import wire
from .client import AnalyzerClient, AnalyzerRPCError
from .config import ConfigError, build_policy_config
from .engine_service import LogRecord
from .launch import PackProcess, PackStartError
from .policy_project import PolicyProject, PolicyProjectError, load_policy_project
from .results import AnalyzeResponse, Diagnostic, NotApplicable, Remediation, RemediateResponse
from .run import AnalysisResult, AnalysisSession, ResourceIndex, run_analysis

__all__ = [
    "AnalysisResult", "AnalysisSession", "AnalyzeResponse", "AnalyzerClient", "AnalyzerRPCError", "ConfigError",
    "Diagnostic", "LogRecord", "NotApplicable", "PackProcess", "PackStartError", "PolicyProject",
    "PolicyProjectError", "Remediation", "RemediateResponse", "ResourceIndex", "build_policy_config",
    "load_policy_project", "run_analysis", "wire",
]
