"""An intervention's participants, registration and national export (its own staff only)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from finsam.core.forms import form_page
from finsam.organisation.tenancy import association_view
from finsam.participants import forms, selectors, services
from finsam.participants.charts import goal_progress_svgs
from finsam.participants.views.common import _year, csv_response


@association_view("participants.statistics")
def index_view(request, association):
    return render(
        request,
        "participants/index.html",
        {
            "interventions": selectors.staff_interventions(
                user=request.user, association=association
            ),
        },
    )


# --- an intervention's participants (staff of that intervention) ----------------------------------


@association_view("participants.register")
def intervention_view(request, association, pk: int):
    intervention = selectors.intervention_for_staff(
        user=request.user, association=association, pk=pk
    )
    year = _year(request, timezone.localdate().year)
    rows, page = selectors.enrolments_for_intervention(
        user=request.user, intervention=intervention, page=request.GET.get("sida")
    )
    goals = selectors.goal_progress(interventions=[intervention], year=year)[intervention.pk]
    return render(
        request,
        "participants/intervention.html",
        {
            "intervention": intervention,
            "rows": rows,
            "page": page,
            "year": year,
            "goals": goal_progress_svgs(goals, prefix="goal", exact=True),
        },
    )


@sensitive_post_parameters("identity_text", "name", "contact")
@association_view("participants.register")
def register_view(request, association, pk: int):
    intervention = selectors.intervention_for_staff(
        user=request.user, association=association, pk=pk
    )
    services.codes_ensure_defaults(association=association)
    created = {}

    @sensitive_variables("data")
    def save(data):
        created["enrolment"] = services.participant_register(
            association=association, intervention=intervention, by=request.user, **data
        )

    return form_page(
        request,
        forms.RegisterForm(request.POST or None, association=association),
        save=save,
        success_message=_("The participant has been registered."),
        done=lambda: redirect("participants:enrolment", association.slug, created["enrolment"].pk),
        context={
            "title": _("Register participant in %(intervention)s") % {"intervention": intervention},
            "cancel_url": reverse("participants:intervention", args=[association.slug, pk]),
            "intro": _(
                "Only register people who have given written consent. The personal identity number "
                "is used to recognise the person and is not stored."
            ),
        },
        template="participants/form.html",
    )


@association_view("participants.register")
def national_export_view(request, association, pk: int):
    intervention = selectors.intervention_for_staff(
        user=request.user, association=association, pk=pk
    )
    rows = selectors.national_export_rows(user=request.user, intervention=intervention)
    return csv_response(
        f"uppfoljning-insats-{intervention.pk}.csv", selectors.NATIONAL_EXPORT_COLUMNS, rows
    )
