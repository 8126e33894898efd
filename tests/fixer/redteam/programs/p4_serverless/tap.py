#!/usr/bin/env python3
"""Pulumi entry point."""
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

cfg = pulumi.Config()
suffix = cfg.get("environmentSuffix") or "dev"
TapStack(name="tap-stack", args=TapStackArgs(environment_suffix=suffix))
