"""fixer: repairs Pulumi Python programs that cannot run or deploy, knowing the installed provider's API."""
