"""Pages: the documents list, a document (flags, texts, generate, download, adopt), the logo."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import apply_errors, form_page, post_action, render_form
from finsam.documents import blocks, forms, jobs, selectors, services
from finsam.documents.assemble import assemble
from finsam.documents.models import Document
from finsam.documents.render import CONTENT_TYPES
from finsam.organisation import selectors as organisation_selectors
from finsam.organisation.models import Meeting
from finsam.organisation.tenancy import association_view

EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}


def _board_meetings(request, association):
    return (
        organisation_selectors.meetings(user=request.user, association=association)
        .filter(kind=Meeting.Kind.BOARD)
        .order_by("-date")
    )


def _document_url(association, document) -> str:
    return reverse("documents:detail", args=[association.slug, document.pk])


@association_view("documents.view")
def document_list_view(request, association):
    documents = list(selectors.documents(user=request.user, association=association))
    kinds = {slug: kind.name for slug, kind in blocks.KINDS.items()}
    form = None
    if selectors.sees_drafts(request.user, association):
        form = forms.DocumentOpenForm(
            kinds=kinds,
            meetings=_board_meetings(request, association),
            initial={"year": dt.date.today().year},
        )
    return render(
        request,
        "documents/list.html",
        {"documents": documents, "kinds": kinds, "form": form},
    )


@association_view("documents.edit")
@require_POST
def document_open_view(request, association):
    kinds = {slug: kind.name for slug, kind in blocks.KINDS.items()}
    meetings = _board_meetings(request, association)
    form = forms.DocumentOpenForm(request.POST, kinds=kinds, meetings=meetings)
    if form.is_valid():
        try:
            document = services.document_get_or_create(
                association=association, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(_document_url(association, document))
    documents = list(selectors.documents(user=request.user, association=association))
    context = {"documents": documents, "kinds": kinds}
    return render_form(request, "documents/list.html", context, form)


def _detail_context(request, association, document) -> dict:
    context = {
        "document": document,
        "kind": blocks.KINDS.get(document.kind),
        "versions": selectors.versions_of(user=request.user, document=document),
        "can_edit": selectors.sees_drafts(request.user, association),
        "jobs": {fmt: selectors.latest_job(document=document, fmt=fmt) for fmt in jobs.FORMATS},
    }
    if document.is_adopted or not context["can_edit"]:
        return context
    try:
        built = assemble(document)
    except ValidationError as error:
        context["build_error"] = " ".join(error.messages)
        return context
    acknowledged = {a.code: a for a in document.acknowledgements.all()}
    context["open_flags"] = [f for f in built.flags if f.code not in acknowledged]
    context["acknowledged"] = list(acknowledged.values())
    context["sections"] = [(b, built.texts.get(b.key, "")) for b in _free_texts(built)]
    context["meeting_form"] = forms.AdoptionMeetingForm(
        meetings=_board_meetings(request, association),
        initial={"meeting": document.adoption_meeting_id},
    )
    return context


def _free_texts(document: blocks.Document) -> list[blocks.FreeText]:
    return [b for b in document.blocks if isinstance(b, blocks.FreeText)]


@association_view("documents.view")
def document_detail_view(request, association, pk: int):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    context = _detail_context(request, association, document)
    context["ack_form"] = forms.AcknowledgeForm()
    return render(request, "documents/detail.html", context)


@association_view("documents.edit")
def text_edit_view(request, association, pk: int, key: str):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    built = assemble(document) if not document.is_adopted else None
    section = next((b for b in _free_texts(built) if b.key == key), None) if built else None
    if section is None:
        raise Http404
    current = built.texts.get(key, "")
    form = forms.TextForm(request.POST or None, initial={"text": current})
    return form_page(
        request,
        form,
        save=lambda data: services.text_save(
            document=document, key=key, text=data["text"], by=request.user
        ),
        success_message=_("The text has been saved as a new version."),
        done=lambda: redirect(_document_url(association, document)),
        context={
            "document": document,
            "section": section,
            "history": selectors.text_history(document=document, key=key),
        },
        template="documents/text.html",
    )


@association_view("documents.edit")
@require_POST
def flag_acknowledge_view(request, association, pk: int):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    form = forms.AcknowledgeForm(request.POST)
    if form.is_valid():
        built = assemble(document) if not document.is_adopted else None
        flag = (
            next((f for f in built.flags if f.code == form.cleaned_data["code"]), None)
            if built
            else None
        )
        if flag is None:
            form.add_error(None, _("The flag is no longer there: it has been resolved."))
        else:
            try:
                services.flag_acknowledge(
                    document=document,
                    code=flag.code,
                    message=flag.message,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The flag has been acknowledged."))
                return redirect(_document_url(association, document))
    context = _detail_context(request, association, document)
    context["ack_form"] = form
    return render(request, "documents/detail.html", context, status=400)


@association_view("documents.edit")
@require_POST
def generate_view(request, association, pk: int):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    form = forms.GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose PDF, Word or Excel."))
        return redirect(_document_url(association, document))
    try:
        job = jobs.job_create(document=document, fmt=form.cleaned_data["fmt"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_document_url(association, document))
    return redirect("documents:job", association.slug, job.pk)


@association_view("documents.view")
def job_view(request, association, pk: int):
    jobs.recover_stale_jobs()
    job = selectors.job_get(user=request.user, association=association, pk=pk)
    template = "documents/job.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(request, template, {"job": job, "document": job.document})


@association_view("documents.view")
def download_view(request, association, pk: int, fmt: str):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    if fmt not in EXTENSIONS:
        raise Http404
    if document.is_adopted and fmt == "pdf":
        data = Document.objects.values_list("pdf", flat=True).get(pk=document.pk)
    else:
        if not selectors.sees_drafts(request.user, association):
            raise Http404
        job = selectors.latest_job(document=document, fmt=fmt)
        if job is None or job.status != job.Status.DONE:
            messages.error(request, _("Generate the document in this format first."))
            return redirect(_document_url(association, document))
        data = type(job).objects.values_list("output", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[fmt])
    name = f"{document.kind}-{association.slug}-{document.year}-v{document.version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@association_view("documents.edit")
@require_POST
def adopt_view(request, association, pk: int):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.document_adopt(document=document, by=request.user),
        success_message=_("The document is adopted; its PDF is stored and frozen."),
        done=lambda: redirect(_document_url(association, document)),
    )


@association_view("documents.edit")
@require_POST
def new_version_view(request, association, pk: int):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    created = {}
    response = post_action(
        request,
        lambda: created.setdefault(
            "doc", services.document_new_version(document=document, by=request.user)
        ),
        success_message=_("A new draft version has been made."),
        done=lambda: redirect(_document_url(association, created.get("doc", document))),
    )
    return response


@association_view("documents.edit")
@require_POST
def adoption_meeting_view(request, association, pk: int):
    document = selectors.document_get(user=request.user, association=association, pk=pk)
    form = forms.AdoptionMeetingForm(request.POST, meetings=_board_meetings(request, association))
    if not form.is_valid():
        context = _detail_context(request, association, document)
        context.update(meeting_form=form, ack_form=forms.AcknowledgeForm())
        return render(request, "documents/detail.html", context, status=400)
    return post_action(
        request,
        lambda: services.document_set_adoption_meeting(
            document=document, meeting=form.cleaned_data["meeting"], by=request.user
        ),
        success_message=_("Saved."),
        done=lambda: redirect(_document_url(association, document)),
    )


@association_view("documents.edit")
def logo_view(request, association):
    form = forms.LogoForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        save=lambda data: services.logo_set(
            association=association,
            data=data["logo"].read(),
            name=data["logo"].name,
            by=request.user,
        ),
        success_message=_("The logo has been saved."),
        done=lambda: redirect("documents:list", association.slug),
        context={
            "title": _("Logo in the documents"),
            "has_logo": services.logo_of(association) is not None,
        },
        template="documents/logo.html",
    )
