"""Attachments of an application."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import save_form
from finsam.funding import forms, permissions, selectors, services
from finsam.funding.views.applications import _application_context
from finsam.organisation.tenancy import association_view

# --- attachments --------------------------------------------------------------------------------


@require_POST
@association_view("applications.draft")
def attachment_upload_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_manage_attachments(request.user, application)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if save_form(
        request,
        form,
        lambda d: services.attachment_add(
            application=application, upload=d["file"], by=request.user
        ),
        _("The attachment has been uploaded."),
    ):
        return redirect("funding:application_detail", association.slug, application.pk)
    context = _application_context(request, association, application)
    context["attachment_form"] = form
    return render(request, "funding/application_detail.html", context, status=400)


@association_view("funding.view")
def attachment_download_view(request, association, pk: int, attachment: int):
    found = selectors.attachment_get(
        user=request.user, association=association, application_pk=pk, pk=attachment
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@association_view("applications.draft")
def attachment_delete_view(request, association, pk: int, attachment: int):
    found = selectors.attachment_get(
        user=request.user, association=association, application_pk=pk, pk=attachment
    )
    allowed, reason = permissions.can_manage_attachments(request.user, found.application)
    if not allowed:
        raise PermissionDenied(reason)
    services.attachment_delete(attachment=found, by=request.user)
    messages.success(
        request, _("The attachment “%(name)s” has been removed.") % {"name": found.original_name}
    )
    return redirect("funding:application_detail", association.slug, pk)
