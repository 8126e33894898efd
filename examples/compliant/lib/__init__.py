"""Building blocks of the hipaa-healthcare example stack."""
