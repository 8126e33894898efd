"""Building blocks of the hipaa-healthcare-broken example stack."""
