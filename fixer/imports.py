"""Adding imports for fixes, in one place (libcst's AddImportsVisitor does the placement)."""
from __future__ import annotations


def module_reference(ctx, module: str) -> tuple[str, tuple]:
    """How fixed code should refer to ``module`` and which import the fix needs.

    Reuses the program's own alias (``aws`` for ``import pulumi_aws as aws``); otherwise the fix imports the
    module under its own name (never a short alias that could shadow something, e.g. ``random``)."""
    local = ctx.names.local_name_for(module)
    if local:
        return local, ()
    return module, ((module, None, None),)


def add_imports(module_tree, imports) -> object:
    """Return ``module_tree`` with ``imports`` (``(module, name_or_None, alias_or_None)``) added at the top."""
    if not imports:
        return module_tree
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor
    context = CodemodContext()
    for module, name, alias in dict.fromkeys(imports):
        AddImportsVisitor.add_needed_import(context, module, name, alias)
    return AddImportsVisitor(context).transform_module(module_tree)
