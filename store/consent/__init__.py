"""SMS consent: reading a reply (keywords, languages), recording it, review of possible revocations,
the suppression list, other providers' opt-out lists, and the one rule of who may be texted."""
