"""Use cases: one function per thing a user does. Opens the transaction, decides
what the acting user may see and do, and calls the core."""
