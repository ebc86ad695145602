"""Contacts in and out of files: CSV, spreadsheets and vCards read into tables, columns mapped,
rows checked then imported all or none (with a log to undo), CSV export and the JSON shape."""
