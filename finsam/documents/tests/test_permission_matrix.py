"""Every documents URL × every role: allowed, refused with the reason, or not found elsewhere.

The capability each view requires is read from the view (`association_view` sets it). Pages that
read (documents.view) are asked of an adopted document, which the board and the auditors see;
pages that write (documents.edit) of a draft, which only the office sees.
"""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from finsam.documents import services
from finsam.documents import urls as documents_urls
from finsam.documents.models import Document, RenderJob
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

PRIVATE = ["Verksamhetsplan och budget 2027", "Hemlig inledning"]
POST_ONLY = {"open", "acknowledge", "generate", "adopt", "new_version", "adoption_meeting"}


def _capability(pattern) -> str:
    kwargs = {k: ("x" if k in ("slug", "key", "fmt") else 1) for k in pattern.pattern.converters}
    func = resolve(reverse(f"documents:{pattern.name}", kwargs=kwargs)).func
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func.capability


URLS = [(p.name, _capability(p)) for p in documents_urls.urlpatterns]


@pytest.fixture
def world(association):
    office = user_with_role(association, Role.OFFICE)
    draft = services.document_get_or_create(
        association=association, kind="plan", year=2027, by=office
    )
    services.text_save(document=draft, key="introduction", text="Hemlig inledning", by=office)
    adopted = Document.objects.create(
        association=association,
        kind="plan",
        year=2026,
        title="Verksamhetsplan och budget 2026",
        status=Document.Status.ADOPTED,
        pdf=b"%PDF-1.7 test",
        pdf_sha256="0" * 64,
    )
    job = RenderJob.objects.create(
        document=adopted, fmt="pdf", status=RenderJob.Status.DONE, output=b"%PDF"
    )
    return {"association": association, "draft": draft, "adopted": adopted, "job": job}


def url_for(name: str, capability: str, world) -> str:
    kwargs = {"slug": world["association"].slug}
    converters = dict(
        next(p for p in documents_urls.urlpatterns if p.name == name).pattern.converters
    )
    if "pk" in converters:
        if name == "job":
            kwargs["pk"] = world["job"].pk
        else:
            kwargs["pk"] = world["adopted" if capability == "documents.view" else "draft"].pk
    if "key" in converters:
        kwargs["key"] = "introduction"
    if "fmt" in converters:
        kwargs["fmt"] = "pdf"
    return reverse(f"documents:{name}", kwargs=kwargs)


def cases(allowed: bool):
    return [
        pytest.param(name, cap, role, id=f"{name}-{role.value}")
        for name, cap in URLS
        for role in Role
        if (role in CAPABILITIES[cap]) is allowed
    ]


def test_every_url_needs_a_documents_capability():
    assert {cap for _name, cap in URLS} == {"documents.view", "documents.edit"}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "capability", "role"), cases(allowed=False))
def test_refused_roles_get_403_with_the_reason_and_nothing_is_written(
    client, world, name, capability, role
):
    client.force_login(user_with_role(world["association"], role))
    before = AuditEvent.objects.count()
    response = (client.post if name in POST_ONLY else client.get)(url_for(name, capability, world))
    assert response.status_code == 403
    assert str(REFUSALS[capability]) in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "capability", "role"), cases(allowed=True))
def test_allowed_roles_reach_every_page(client, world, name, capability, role):
    client.force_login(user_with_role(world["association"], role))
    if name in POST_ONLY:
        assert client.get(url_for(name, capability, world)).status_code == 405
        return
    response = client.get(url_for(name, capability, world))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, _cap in URLS])
def test_other_associations_and_anonymous_users_see_nothing(client, world, other_association, name):
    capability = dict(URLS)[name]
    url = url_for(name, capability, world)
    send = client.post if name in POST_ONLY else client.get
    anonymous = send(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/konto/logga-in/")
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = send(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert not any(secret in body for secret in PRIVATE)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR, Role.ECONOMIST])
def test_readers_see_adopted_documents_only(client, world, role):
    client.force_login(user_with_role(world["association"], role))
    slug = world["association"].slug
    listing = client.get(reverse("documents:list", args=[slug])).content.decode()
    assert "Verksamhetsplan och budget 2026" in listing
    assert "Verksamhetsplan och budget 2027" not in listing
    assert (
        client.get(reverse("documents:detail", args=[slug, world["draft"].pk])).status_code == 404
    )
    download = client.get(reverse("documents:download", args=[slug, world["adopted"].pk, "pdf"]))
    assert download.status_code == 200 and download.content == b"%PDF-1.7 test"
    assert (
        client.get(
            reverse("documents:download", args=[slug, world["adopted"].pk, "docx"])
        ).status_code
        == 404
    )
