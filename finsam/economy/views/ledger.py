"""Bookkeeping import (SIE) and the mapping of accounts and objects to budget lines."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import post_action, save_form
from finsam.economy import forms, jobs, selectors, services
from finsam.organisation.tenancy import association_view


def _ledger_context(request, association, **extra):
    jobs.recover_stale_jobs(association=association)
    return {
        "imports": selectors.ledger_imports(user=request.user, association=association)[:20],
        "unfinished_jobs": selectors.ledger_import_jobs(
            user=request.user, association=association
        ).exclude(status="done")[:10],
        "mappings": selectors.account_mappings(user=request.user, association=association),
        "objects": selectors.ledger_objects(user=request.user, association=association),
        "upload_form": forms.SieUploadForm(),
        "mapping_form": forms.AccountMappingForm(),
        "choices": selectors.mapping_choices(user=request.user, association=association),
        **extra,
    }


@association_view("budget.view")
def ledger_view(request, association):
    return render(request, "economy/ledger.html", _ledger_context(request, association))


@require_POST
@association_view("budget.edit")
def ledger_import_view(request, association):
    """Save the upload and show the import's progress; the import itself runs in the background."""
    form = forms.SieUploadForm(request.POST, request.FILES)
    if form.is_valid():
        job = jobs.ledger_import_job_create(
            association=association, upload=form.cleaned_data["file"], by=request.user
        )
        jobs.start(job)
        return redirect("economy:ledger_job", association.slug, job.pk)
    return render(
        request,
        "economy/ledger.html",
        _ledger_context(request, association, upload_form=form),
        status=400,
    )


def _job(request, association, pk: int):
    return get_object_or_404(
        selectors.ledger_import_jobs(user=request.user, association=association), pk=pk
    )


@association_view("budget.view")
def ledger_job_view(request, association, pk: int):
    jobs.recover_stale_jobs(association=association)
    job = _job(request, association, pk)
    if request.htmx and job.status == job.Status.DONE:
        # The polling page has seen the end: show the ledger with the outcome as a message.
        _announce_outcome(request, job)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("economy:ledger", args=[association.slug])
        return response
    context = {"job": job}
    if request.htmx:
        return render(request, "economy/ledger_job.html#progress", context)
    return render(request, "economy/ledger_job.html", context)


@require_POST
@association_view("budget.edit")
def ledger_job_retry_view(request, association, pk: int):
    job = _job(request, association, pk)
    return post_action(
        request,
        lambda: jobs.ledger_import_job_retry(job=job, by=request.user),
        success_message=_("The import has been queued again."),
        done=lambda: redirect("economy:ledger_job", association.slug, job.pk),
    )


@require_POST
@association_view("budget.edit")
def ledger_job_delete_view(request, association, pk: int):
    job = _job(request, association, pk)
    return post_action(
        request,
        lambda: jobs.ledger_import_job_delete(job=job, by=request.user),
        success_message=_("The failed import and its uploaded file have been removed."),
        done=lambda: redirect("economy:ledger", association.slug),
    )


def _announce_outcome(request, job) -> None:
    if job.unchanged:
        messages.info(request, _("The file has already been imported; nothing was changed."))
        return
    messages.success(request, _("The accounting data has been imported."))
    if job.replaced:
        messages.info(
            request, _("The file replaced an earlier import for the same financial year.")
        )


@require_POST
@association_view("budget.edit")
def account_mapping_create_view(request, association):
    form = forms.AccountMappingForm(request.POST)
    if save_form(
        request,
        form,
        lambda d: services.account_mapping_create(association=association, by=request.user, **d),
        _("The mapping has been saved."),
    ):
        return redirect("economy:ledger", association.slug)
    return render(
        request,
        "economy/ledger.html",
        _ledger_context(request, association, mapping_form=form),
        status=400,
    )


@require_POST
@association_view("budget.edit")
def account_mapping_delete_view(request, association, pk: int):
    mapping = selectors.account_mapping_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.account_mapping_delete(mapping=mapping, by=request.user),
        success_message=_("The mapping has been removed."),
        done=lambda: redirect("economy:ledger", association.slug),
    )


@require_POST
@association_view("budget.edit")
def ledger_object_line_view(request, association, pk: int):
    obj = selectors.ledger_object_get(user=request.user, association=association, pk=pk)
    line_label = request.POST.get("line_label", "")[:200]
    return post_action(
        request,
        lambda: services.ledger_object_set_line(obj=obj, line_label=line_label, by=request.user),
        success_message=_("The object has been linked to the budget line."),
        done=lambda: redirect("economy:ledger", association.slug),
    )
