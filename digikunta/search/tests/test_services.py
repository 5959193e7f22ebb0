"""Writing the index: index_object, remove_object, reindex, prune and the delete receiver."""

import pytest
from django.db.models.signals import post_delete

from digikunta.organisations.models import Organisation
from digikunta.organisations.tests.factories import OrganisationFactory
from digikunta.search import receivers
from digikunta.search.models import SearchEntry
from digikunta.search.selectors import search
from digikunta.search.services import index_object, prune, reindex, remove_object

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return [organisation.name for organisation in search(Organisation.objects.all(), query)]


def to_text(organisation: Organisation) -> tuple[str, str, str] | None:
    if organisation.name.startswith("Luonnos"):
        return None
    return organisation.name, organisation.description, organisation.description_language


def test_index_object_stores_analysed_terms():
    organisation = OrganisationFactory(name="Tilavarausjärjestelmä", description="Kunnille")
    index_object(organisation, title=organisation.name, body="Kunnille", language="fi")
    entry = SearchEntry.objects.get(object_id=organisation.pk)
    assert entry.language == "fi"
    assert "tilavaraus" in entry.title_terms.split()
    assert "kunta" in entry.body_terms.split()


def test_index_object_again_replaces_the_terms():
    organisation = OrganisationFactory(name="Kokeilu")
    index_object(organisation, title="Kokeilu", body="", language="fi")
    index_object(organisation, title="Kirjasto", body="", language="fi")
    assert SearchEntry.objects.count() == 1
    assert found("kokeilu") == []
    assert found("kirjasto") == ["Kokeilu"]


def test_remove_object_takes_it_out_of_the_index():
    organisation = OrganisationFactory(name="Kokeilu")
    index_object(organisation, title="Kokeilu", body="", language="fi")
    remove_object(organisation)
    assert not SearchEntry.objects.exists()
    assert found("kokeilu") == []


def test_reindex_indexes_in_batches_and_removes_what_to_text_refuses():
    OrganisationFactory.create_batch(5, name="Kokeilu", description="Kunta")
    draft = OrganisationFactory(name="Luonnos kokeilu")
    index_object(draft, title=draft.name, body="", language="fi")
    queryset = Organisation.objects.filter(name__contains="okeilu")
    assert reindex(queryset, to_text, batch_size=2) == 5
    assert found("kokeilu kunnille") == ["Kokeilu"] * 5
    assert not SearchEntry.objects.filter(object_id=draft.pk).exists()


def test_reindex_updates_existing_entries():
    organisations = OrganisationFactory.create_batch(3, name="Kokeilu")
    reindex(Organisation.objects.filter(name="Kokeilu"), to_text)
    Organisation.objects.filter(pk=organisations[0].pk).update(name="Kirjasto")
    assert reindex(Organisation.objects.filter(pk__in=[o.pk for o in organisations]), to_text) == 3
    assert SearchEntry.objects.count() == 3
    assert found("kirjasto") == ["Kirjasto"]
    assert found("kokeilu") == ["Kokeilu", "Kokeilu"]


def test_prune_removes_entries_of_deleted_objects():
    kept, deleted = OrganisationFactory.create_batch(2, name="Kokeilu")
    reindex(Organisation.objects.filter(name="Kokeilu"), to_text)
    Organisation.objects.filter(pk=deleted.pk).delete()
    assert prune(Organisation) == 1
    assert list(SearchEntry.objects.values_list("object_id", flat=True)) == [kept.pk]


def test_deleting_an_object_of_a_declared_model_removes_its_entry(monkeypatch):
    monkeypatch.setattr(Organisation, "is_search_indexed", True, raising=False)
    receivers.connect_indexed_models()
    try:
        organisation = OrganisationFactory(name="Kokeilu")
        index_object(organisation, title="Kokeilu", body="", language="fi")
        organisation.delete()
        assert not SearchEntry.objects.exists()
    finally:
        post_delete.disconnect(
            sender=Organisation, dispatch_uid="search_remove_organisations.organisation"
        )
