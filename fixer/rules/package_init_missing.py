from ..rule import Example, ProjectRule, SAFE


class PackageInitMissing(ProjectRule):
    NAME = "package-init-missing"
    DESCRIPTION = "a project imports `lib.x` but `lib/` has no `__init__.py` -> create it"
    WHY = ("Without `__init__.py`, `lib` is only a namespace package, which loses to any regular package named "
           "`lib` elsewhere on sys.path: `ModuleNotFoundError: No module named 'lib.tap_stack'`.")
    SAFETY = SAFE
    REFERENCES = ["https://docs.python.org/3/reference/import.html#regular-packages"]
    VALID = []
    INVALID = [Example("from lib.stack import Stack\nStack()\n", None,
                       files={"lib/stack.py": "class Stack:\n    pass\n"},
                       files_after={"lib/__init__.py": ""})]
