"""The command palette's entries (ctrl+p): every app action, by name, with its key.

Entries not allowed right now (Delete without the right, Save with nothing to save...) are left
out, using the same rule that greys out their keys in the footer.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("New contact", "new_contact", "Add a contact (n)"),
    ("Search contacts", "search", "Filter the list by name, email or phone (/)"),
    ("Filter: who may be texted", "status_filter", "All, Textable, Opted out, Needs review, in turn (f)"),
    ("Save contact", "save", "Add or update the contact in the editor (ctrl+s)"),
    ("Contact actions", "actions", "Actions on the contact in the editor (a)"),
    ("Delete contact", "delete", "Delete the contact in the editor, after confirming (d)"),
    ("Record reply…", "record_reply", "Record the contact's SMS reply (r)"),
    ("Mark consent message sent", "mark_consent_sent", "Record that the consent message went out (m)"),
    ("Import CSV", "import", "Import contacts from a CSV file (i)"),
    ("Marketing lists", "lists", "Create, rename and delete lists (l)"),
    ("Settings", "settings", "Default region, roles and policies (,)"),
    ("Delete all contacts…", "delete_all", "Delete every contact, after typing DELETE (, then D)"),
    ("Quit", "quit", "Leave the app (ctrl+q)"),
)


class ContactsCommands(Provider):
    """One provider for all of the app's own commands."""

    def _available(self):
        allowed = getattr(self.app, "allowed", None)
        for title, action, help_text in COMMANDS:
            if action == "quit" or allowed is None or allowed(action):
                yield title, partial(self.app.run_action, action), help_text

    async def discover(self) -> Hits:
        for title, run, help_text in self._available():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run, help_text in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
