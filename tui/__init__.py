"""The Textual front of sms-contacts and its command line. Importing this package is cheap:
textual is only imported when the app is opened."""
