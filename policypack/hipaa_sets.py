"""The HIPAA Security Rule ids the AWS Config HIPAA conformance pack cites, in the named sets its rules share
(catalog-conformance.md "Cite"; ids checked against AWS's "Operational Best Practices for HIPAA Security"
page, 2026-12-04). A policy's first id is its primary citation."""

P = ("164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)")
Q = tuple(i for i in P if i != "164.312(e)(1)")
N = P + ("164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(B)")
I = tuple(i for i in N if i != "164.312(e)(1)") + ("164.308(a)(3)(ii)(A)",)
R = ("164.312(a)(2)(iv)", "164.312(e)(2)(ii)")
T = R + ("164.312(e)(1)", "164.312(e)(2)(i)")
B = ("164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)")
H = ("164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)")
L = ("164.312(b)",)
LA = L + ("164.308(a)(3)(ii)(A)",)
U = ("164.308(a)(5)(ii)(A)",)
