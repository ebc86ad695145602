"""Saves based on what the user started from: no lost updates between two processes.

``other`` is a second Store on the same file, as another process (the command line, a colleague's
app) would be. ``store`` is the one whose user loaded the contact, then saves what they changed
with ``base=`` (the contact as they loaded it).
"""

from __future__ import annotations

import json

import pytest

from store import Store, StoreError
from store.core.conflicts import ChangedMeanwhile, Conflict, ContactDeleted, base_of, resolve


@pytest.fixture
def other(store, db_path):
    return Store.open(db_path, user="bob")


@pytest.fixture
def alice(store):
    return store.add_contact("Alice", "+12125550101", "old@example.com")


def test_a_field_the_user_did_not_change_keeps_the_other_processes_value(store, other, alice):
    other.update_contact(alice.id, email="new@example.com")
    saved = store.update_contact(alice.id, name="Alicex", base=base_of(alice))
    assert (saved.name, saved.email) == ("Alicex", "new@example.com")
    other.refresh()
    assert other.get(alice.id).email == "new@example.com"


def test_phone_changed_elsewhere_survives_a_name_edit(store, other, alice):
    other.update_contact(alice.id, phone="+12125550199")
    saved = store.update_contact(alice.id, name="Alicex", base=base_of(alice))
    assert (saved.name, saved.phone) == ("Alicex", "+12125550199")
    assert store.find("+12125550199").id == alice.id


def test_lists_only_the_toggled_ones_change(store, other, alice):
    vip = store.add_list("VIP")
    team = store.add_list("Team")
    start = store.get(alice.id)
    other.refresh()
    other.update_contact(alice.id, lists=[vip.id])  # someone else adds VIP
    saved = store.update_contact(alice.id, lists=[team.id], base=base_of(start))  # the user ticks Team
    assert set(saved.lists) == {vip.id, team.id}


def test_lists_a_removal_leaves_the_others(store, other, alice):
    vip = store.add_list("VIP")
    team = store.add_list("Team")
    store.update_contact(alice.id, lists=[vip.id, team.id])
    start = store.get(alice.id)
    other.refresh()
    other.update_contact(alice.id, lists=[team.id])  # someone else takes VIP away
    saved = store.update_contact(alice.id, lists=[vip.id], base=base_of(start))  # the user unticks Team
    assert set(saved.lists) == set()  # VIP stays away, Team is gone: both removals count


def test_a_list_removed_elsewhere_that_the_user_did_not_toggle_does_not_stop_the_save(store, alice, db_path):
    """The form still holds a list someone else deleted meanwhile (the save came before the
    refresh); the user only ticked another one. Only the toggled lists count: the save goes through."""
    vip = store.add_list("VIP")
    team = store.add_list("Team")
    store.update_contact(alice.id, lists=[vip.id])
    start = store.get(alice.id)
    Store.open(db_path, user=store.user).delete_list(vip.id)  # an admin, in another process
    saved = store.update_contact(alice.id, lists=[vip.id, team.id], base=base_of(start))  # ticks Team
    assert list(saved.lists) == [team.id]


def test_a_list_removed_elsewhere_that_the_user_ticked_is_refused_saying_so(store, alice, db_path):
    vip = store.add_list("VIP")
    start = store.get(alice.id)
    Store.open(db_path, user=store.user).delete_list(vip.id)
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as err:
        store.update_contact(alice.id, lists=[vip.id], base=base_of(start))
    assert str(err.value) == "List 'VIP' was removed by someone else since you loaded it; nothing was saved."
    assert db_path.read_bytes() == before


def test_the_same_field_changed_by_both_is_a_conflict_and_changes_nothing(store, other, alice, db_path):
    other.update_contact(alice.id, email="theirs@example.com")
    before = db_path.read_bytes()
    with pytest.raises(Conflict) as caught:
        store.update_contact(alice.id, name="Alicex", email="mine@example.com", base=base_of(alice))
    conflict = caught.value
    assert [(c.field, c.base, c.theirs, c.yours) for c in conflict.fields] == [
        ("email", "old@example.com", "theirs@example.com", "mine@example.com")
    ]
    assert "theirs@example.com" in str(conflict) and "mine@example.com" in str(conflict)
    assert db_path.read_bytes() == before  # not even the name: all or nothing


def test_both_typing_the_same_value_is_no_conflict(store, other, alice):
    other.update_contact(alice.id, email="same@example.com")
    saved = store.update_contact(alice.id, email=" same@example.com ", base=base_of(alice))
    assert saved.email == "same@example.com"


def test_phone_compared_after_cleaning(store, other, alice):
    other.update_contact(alice.id, phone="+12125550199")
    saved = store.update_contact(alice.id, phone="(212) 555-0199", base=base_of(alice))
    assert saved.phone == "+12125550199"


def test_resolving_keeps_theirs_or_yours(store, other, alice):
    other.update_contact(alice.id, name="Alice Theirs", email="theirs@example.com")
    changes = {"name": "Alice Mine", "email": "mine@example.com"}
    with pytest.raises(Conflict) as caught:
        store.update_contact(alice.id, **changes, base=base_of(alice))
    # keep their email, my name
    changes2, base2 = resolve(changes, base_of(alice), caught.value, keep_yours={"name"})
    saved = store.update_contact(alice.id, **changes2, base=base2)
    assert (saved.name, saved.email) == ("Alice Mine", "theirs@example.com")


def test_a_resolution_made_on_stale_values_conflicts_again(store, other, alice):
    other.update_contact(alice.id, email="theirs@example.com")
    changes = {"email": "mine@example.com"}
    with pytest.raises(Conflict) as caught:
        store.update_contact(alice.id, **changes, base=base_of(alice))
    other.update_contact(alice.id, email="third@example.com")  # while the user was choosing
    changes2, base2 = resolve(changes, base_of(alice), caught.value, keep_yours={"email"})
    with pytest.raises(Conflict) as again:
        store.update_contact(alice.id, **changes2, base=base2)
    assert again.value.fields[0].theirs == "third@example.com"


def test_editing_a_contact_deleted_elsewhere_says_so(store, other, alice, db_path):
    other.delete_contact(alice.id)
    before = db_path.read_bytes()
    with pytest.raises(ContactDeleted) as caught:
        store.update_contact(alice.id, name="Alicex", base=base_of(alice))
    assert "Alice" in str(caught.value) and "deleted" in str(caught.value)
    assert db_path.read_bytes() == before
    assert store.count() == 0  # not recreated


def test_deleting_a_contact_changed_since_it_was_loaded_is_refused_with_the_changes(store, other, alice, db_path):
    other.update_contact(alice.id, email="new@example.com")
    with pytest.raises(ChangedMeanwhile) as caught:
        store.delete_contact(alice.id, base=base_of(alice))
    assert [(c.field, c.before, c.now) for c in caught.value.changes] == [
        ("email", "old@example.com", "new@example.com")
    ]
    assert store.get(alice.id).email == "new@example.com"  # still there
    store.delete_contact(alice.id, base=base_of(store.get(alice.id)))  # on the values now: deleted
    assert store.count() == 0


def test_without_a_base_update_sets_the_fields_as_before(store, other, alice):
    other.update_contact(alice.id, email="new@example.com")
    saved = store.update_contact(alice.id, email="cli@example.com")
    assert saved.email == "cli@example.com"


def test_a_contact_itself_can_be_the_base(store, other, alice):
    """The app passes the Contact it loaded; the store compares against it as against base_of's dict."""
    other.update_contact(alice.id, email="new@example.com")
    saved = store.update_contact(alice.id, name="Alicex", base=alice)
    assert (saved.name, saved.email) == ("Alicex", "new@example.com")
    with pytest.raises(Conflict) as caught:
        store.update_contact(alice.id, email="mine@example.com", base=alice)
    assert caught.value.contact_id == alice.id
    with pytest.raises(ChangedMeanwhile):
        store.delete_contact(alice.id, base=alice)
    assert store.get(alice.id).email == "new@example.com"


def test_what_a_save_or_delete_of_a_contact_deleted_elsewhere_says(store, other, alice):
    other.delete_contact(alice.id)
    with pytest.raises(ContactDeleted) as saving:
        store.update_contact(alice.id, name="Alicex", base=base_of(alice))
    assert str(saving.value) == "Alice (+12125550101) was deleted by someone else since you loaded it; nothing was saved."
    assert saving.value.contact_id == alice.id
    with pytest.raises(ContactDeleted) as deleting:
        store.delete_contact(alice.id, base=base_of(alice))
    assert str(deleting.value).endswith("since you loaded it; nothing was deleted.")
    assert deleting.value.contact_id == alice.id


def test_a_refused_delete_names_the_contact_as_it_is_now(store, other, alice):
    other.update_contact(alice.id, name="Alice Q")
    with pytest.raises(ChangedMeanwhile) as caught:
        store.delete_contact(alice.id, base=base_of(alice))
    assert (caught.value.contact_id, caught.value.name) == (alice.id, "Alice Q")
    assert str(caught.value).startswith("Someone else changed Alice Q since you loaded it (")


def test_delete_gives_back_the_contact_it_removed(store, alice):
    gone = store.delete_contact(alice.id)
    assert (gone.id, gone.name, gone.phone) == (alice.id, "Alice", "+12125550101")


def test_lists_toggled_on_a_contact_written_without_a_lists_field(store, alice, db_path):
    import json

    vip = store.add_list("VIP")
    data = json.loads(db_path.read_bytes())
    del data["contacts"][str(alice.id)]["lists"]
    db_path.write_text(json.dumps(data))
    fresh = Store.open(db_path, user="alice")
    loaded = fresh.get(alice.id)
    assert fresh.update_contact(alice.id, lists=[vip.id], base=loaded).lists == (vip.id,)


def test_lists_the_user_kept_ticked_stay_when_they_tick_another(store, other, alice):
    vip = store.add_list("VIP")
    team = store.add_list("Team")
    store.update_contact(alice.id, lists=[vip.id])
    start = store.get(alice.id)
    saved = store.update_contact(alice.id, lists=[vip.id, team.id], base=base_of(start))  # VIP left ticked, Team ticked
    assert saved.lists == (vip.id, team.id)
    by_name = store.update_contact(alice.id, lists=["VIP", "Team"], base=base_of(saved))  # the CLI names lists
    assert by_name.lists == (vip.id, team.id)


def test_what_a_conflict_says_names_the_contact_and_every_field_with_all_three_values(store, other, alice):
    other.update_contact(alice.id, name="Alice Theirs", email="theirs@example.com")
    with pytest.raises(Conflict) as caught:
        store.update_contact(alice.id, name="Alice Mine", email="mine@example.com", base=base_of(alice))
    assert caught.value.name == "Alice Theirs"
    assert str(caught.value) == (
        "Someone else changed Alice Theirs since you loaded it ("
        "Full Name: you started from 'Alice', it is now 'Alice Theirs', you want 'Alice Mine'; "
        "Email: you started from 'old@example.com', it is now 'theirs@example.com', you want 'mine@example.com'"
        "). Nothing was saved; load the contact again and choose."
    )


def test_what_a_refused_delete_says_names_every_change_with_its_values(store, other, alice):
    other.update_contact(alice.id, email=None)
    other.opt_out(alice.id)
    with pytest.raises(ChangedMeanwhile) as caught:
        store.delete_contact(alice.id, base=base_of(alice))
    assert str(caught.value) == (
        "Someone else changed Alice since you loaded it (Email: 'old@example.com' → (none); Opted out: no → yes); "
        "nothing was deleted."
    )
    assert store.get(alice.id).opted_out


def test_a_delete_is_refused_when_someone_else_opted_the_contact_out_or_changed_its_consent_or_lists(store, other, alice):
    from store.consent.replies import mark_consent_sent

    bob = store.add_contact("Bob", "+12125550102")
    cy = store.add_contact("Cy", "+12125550103")
    other.refresh()
    vip = other.add_list("VIP")
    other.opt_out(alice.id)
    mark_consent_sent(other, bob.id)
    other.update_contact(cy.id, lists=[vip.id])
    expected = {
        alice.id: [("opted_out", False, True)],
        bob.id: [("consent", "not_sent", "sent")],
        cy.id: [("lists", [], [vip.id])],
    }
    for contact in (alice, bob, cy):
        with pytest.raises(ChangedMeanwhile) as caught:
            store.delete_contact(contact.id, base=base_of(contact))
        assert [(c.field, c.before, c.now) for c in caught.value.changes] == expected[contact.id]
    assert store.count() == 3


def test_a_delete_compares_the_lists_of_its_base_in_any_order(store, alice):
    vip = store.add_list("VIP")
    team = store.add_list("Team")
    loaded = store.update_contact(alice.id, lists=[vip.id, team.id])
    base = dict(base_of(loaded), lists=[team.id, vip.id])
    assert store.delete_contact(alice.id, base=base).id == alice.id
    assert store.count() == 0


def test_a_contact_written_with_only_a_name_and_a_phone_can_be_saved_and_deleted_on_its_base(store, db_path):
    import json

    data = json.loads(db_path.read_bytes())
    data["contacts"]["1"] = {"name": "Ann", "phone": "+12125550101"}
    data["_meta"]["1"]["next_ids"]["contacts"] = 2
    db_path.write_text(json.dumps(data))
    fresh = Store.open(db_path, user="alice")
    loaded = fresh.get(1)
    saved = fresh.update_contact(1, name="Annie", base=loaded)
    assert saved.name == "Annie"
    assert fresh.delete_contact(1, base=saved).id == 1
    assert fresh.count() == 0


def test_an_empty_email_in_the_base_is_the_same_as_none(store, other, alice):
    """A form or an API client may send "" for "no email"; the store keeps none as null."""
    store.update_contact(alice.id, email=None)
    saved = store.update_contact(alice.id, email="new@example.com", base=dict(base_of(alice), email=""))
    assert saved.email == "new@example.com"
    other.update_contact(alice.id, email="theirs@example.com")
    with pytest.raises(ChangedMeanwhile) as caught:
        store.delete_contact(alice.id, base=dict(base_of(saved), email=""))
    assert "(Email: (none) → 'theirs@example.com')" in str(caught.value)


def test_an_email_stored_as_empty_text_is_the_same_as_none(store, alice, db_path):
    """Another program may write "" for no email; a save compares it as none."""
    import json

    def written_as_empty():
        data = json.loads(db_path.read_bytes())
        data["contacts"][str(alice.id)]["email"] = ""
        db_path.write_text(json.dumps(data))

    written_as_empty()  # the user loads the contact with "" ...
    fresh = Store.open(db_path, user="alice")
    loaded = fresh.get(alice.id)
    assert fresh.update_contact(alice.id, email="new@example.com", base=loaded).email == "new@example.com"
    start = fresh.get(alice.id)
    written_as_empty()  # ... or someone else clears it as "" while the user clears it too
    assert fresh.update_contact(alice.id, email="", base=start).email in (None, "")


def test_a_save_on_a_deleted_contact_with_a_base_without_a_phone_names_it_without_one(store, other, alice):
    """An API client sends as base only the fields it changes."""
    other.delete_contact(alice.id)
    with pytest.raises(ContactDeleted) as caught:
        store.update_contact(alice.id, name="Alicex", base={"name": "Alice"})
    assert str(caught.value) == "Alice was deleted by someone else since you loaded it; nothing was saved."


def test_resolving_keeps_theirs_for_a_field_no_longer_among_the_changes(store, other, alice):
    other.update_contact(alice.id, email="theirs@example.com")
    with pytest.raises(Conflict) as caught:
        store.update_contact(alice.id, name="Alice Mine", email="mine@example.com", base=base_of(alice))
    changes, base = resolve({"name": "Alice Mine"}, base_of(alice), caught.value, keep_yours=())
    saved = store.update_contact(alice.id, **changes, base=base)
    assert (saved.name, saved.email) == ("Alice Mine", "theirs@example.com")


def test_a_save_stamps_the_contacts_update_time_and_nothing_else(ticking_store, db_path):
    ann = ticking_store.add_contact("Ann", "+14155550132")
    saved = ticking_store.update_contact(ann.id, name="Ann Lee")
    assert saved.updated_at > ann.updated_at == ann.created_at == saved.created_at
    stored = json.loads(db_path.read_bytes())["contacts"][str(ann.id)]
    assert stored["updated_at"] == saved.updated_at
    assert set(stored) == {"name", "phone", "email", "opted_out", "consent", "consent_changed_at", "lists",
                           "history", "review", "created_at", "updated_at"}
