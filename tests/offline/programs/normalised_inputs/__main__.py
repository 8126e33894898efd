"""Runs every program of corpus/ in one process (one capture for all: captures cost an interpreter each).

Each corpus module is a complete, valid Pulumi program written in one of the input shapes a provider
normalises; its resource names start with the module's name so they never collide.
"""
import runpy
from pathlib import Path

for program in sorted((Path(__file__).parent / "corpus").glob("p*.py")):
    runpy.run_path(str(program), run_name="__main__")
