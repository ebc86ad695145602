"""Field rules shared by every way in (editor, command line, import, API): names, phones, emails,
list names, regions, and the one rule for characters text may not hold; no I/O."""
