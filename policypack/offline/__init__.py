"""Offline capture: run a Pulumi Python program under mocks and record every resource registration.

`capture_program(program_dir, ...) -> CaptureResult` is the API (capture.py); README.md says what the
capture mirrors of the engine and what the mocks compute.
"""

from .capture import CaptureResult, ProjectError, capture_program

__all__ = ["CaptureResult", "ProjectError", "capture_program"]
