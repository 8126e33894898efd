"""The HIPAA Security Rule control sets AWS's "Operational Best Practices for HIPAA Security" conformance
pack maps its Config rules to (45 CFR 164.308 and 164.312), named once so every policy cites them alike.

The letters in comments are the catalog's abbreviations (catalog-conformance.md, "Cite"); a policy's
`citation` tuple starts with the set's first id, its primary control.
"""


def _ids(*sections: str) -> tuple[str, ...]:
    return tuple(f"164.{s}" for s in sections)


# P: access to the system and its data (network exposure, public sharing).
ACCESS_CONTROL = _ids("308(a)(3)(i)", "308(a)(4)(ii)(A)", "308(a)(4)(ii)(C)", "312(a)(1)", "312(e)(1)")
# Q: P without transmission security.
ACCESS_AUTHORIZATION = tuple(c for c in ACCESS_CONTROL if c != "164.312(e)(1)")
# N: P plus workforce clearance and access establishment.
ACCESS_MANAGEMENT = ACCESS_CONTROL + _ids("308(a)(3)(ii)(B)", "308(a)(4)(i)", "308(a)(4)(ii)(B)")
# I: identity rules: N without transmission security, plus authorization/supervision.
IDENTITY_ACCESS = tuple(c for c in ACCESS_MANAGEMENT if c != "164.312(e)(1)") + _ids("308(a)(3)(ii)(A)")
# R: encryption at rest.
ENCRYPTION_AT_REST = _ids("312(a)(2)(iv)", "312(e)(2)(ii)")
# T: encryption in transit.
ENCRYPTION_IN_TRANSIT = ENCRYPTION_AT_REST + _ids("312(e)(1)", "312(e)(2)(i)")
# B: data backup and disaster recovery.
BACKUP = _ids("308(a)(7)(i)", "308(a)(7)(ii)(A)", "308(a)(7)(ii)(B)")
# H: availability in emergency mode.
AVAILABILITY = _ids("308(a)(7)(i)", "308(a)(7)(ii)(C)")
# L: audit controls.
AUDIT = _ids("312(b)")
# LA: audit controls and activity review.
AUDIT_AND_REVIEW = AUDIT + _ids("308(a)(3)(ii)(A)")
# U: security reminders (patching).
PATCHING = _ids("308(a)(5)(ii)(A)")
# Integrity of ePHI (our mapping where AWS gives none, marked † in the catalog).
INTEGRITY = _ids("312(c)(1)")


def cite(*groups) -> tuple[str, ...]:
    """Several sets (or single ids, with or without the `164.` prefix) joined in order, without repeats."""
    out: list[str] = []
    for group in groups:
        for item in (group,) if isinstance(group, str) else group:
            item = item if item.startswith("164.") else f"164.{item}"
            if item not in out:
                out.append(item)
    return tuple(out)
