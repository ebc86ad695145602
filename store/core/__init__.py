"""The Store, the one way in: it opens the file, runs every change as one transaction, and is
composed of one small part per capability (contacts, lists, admin, consent views, bulk)."""
