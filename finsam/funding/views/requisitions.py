"""Requisitions (payment requests), payment plans and the office's approval of them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action
from finsam.funding import forms, permissions, selectors, services
from finsam.funding.models import Requisition
from finsam.funding.views._common import _url
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view

# --- payments -----------------------------------------------------------------------------------


REQUISITIONS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Date"),
    gettext_lazy("Year"),
    gettext_lazy("Type"),
    gettext_lazy("Amount (kr)"),
    gettext_lazy("Actual costs (SEK)"),
    gettext_lazy("Status"),
    gettext_lazy("Comment"),
    gettext_lazy("Requested by"),
    gettext_lazy("Decided by"),
]


def _requisition_row(p) -> list:
    return [
        p.grant.intervention.title,
        p.date,
        p.grant.year,
        p.get_kind_display(),
        p.amount,
        p.actual_costs,
        p.get_status_display(),
        p.note,
        str(p.requested_by or ""),
        str(p.decided_by or ""),
    ]


def _open_grants(intervention):
    return intervention.grants.filter(withdrawn_by__isnull=True).order_by("year")


@association_view("requisitions.request")
def requisition_request_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_request_requisition(request.user, intervention)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.RequisitionRequestForm(
        request.POST or None,
        grants=_open_grants(intervention),
        initial={"date": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda d: services.requisition_request(by=request.user, **d),
        success_message=_("The payment has been requested."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("Request payment for %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


@association_view("requisitions.approve")
def payment_plan_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.PaymentPlanForm(request.POST or None, grants=_open_grants(intervention))
    return form_page(
        request,
        form,
        save=lambda d: services.payment_plan_create(by=request.user, **d),
        success_message=_("The payment plan has been created."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("Payment plan for %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


REQUISITION_ACTIONS = {
    "godkann": (Requisition.Status.APPROVED, gettext_lazy("The payment has been approved.")),
    "avsla": (Requisition.Status.REJECTED, gettext_lazy("The payment has been rejected.")),
    "betald": (Requisition.Status.PAID, gettext_lazy("The payment has been marked as paid.")),
}


@require_POST
@association_view("requisitions.approve")
def requisition_action_view(request, association, pk: int, action: str):
    requisition = selectors.requisition_get(user=request.user, association=association, pk=pk)
    if action not in REQUISITION_ACTIONS:
        raise Http404
    to, success = REQUISITION_ACTIONS[action]

    def transition():
        try:
            services.requisition_transition(requisition=requisition, to=to, by=request.user)
        except PermissionDenied as refusal:  # approving one's own request: said like a rule
            raise ValidationError(str(refusal)) from refusal

    return post_action(
        request,
        transition,
        success_message=success,
        done=lambda: _back_from_requisition(request, association, requisition),
    )


def _back_from_requisition(request, association, requisition):
    """Back to the association's list of requisitions, with its filter, if that is where the
    button was; else to the payment's intervention."""
    back = request.POST.get("next", "")
    if back.startswith(_url("requisitions", association)) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(
        "funding:intervention_detail", association.slug, requisition.grant.intervention_id
    )


@association_view("requisitions.view")
def requisition_list_view(request, association):
    """Every requisition and planned payment of the association: requested, approved, paid."""
    all_requisitions = selectors.requisitions(user=request.user, association=association)
    qs = all_requisitions
    status = request.GET.get("status", "")
    if status in Requisition.Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("typ", "")
    if kind in Requisition.Kind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"rekvisitioner-{association.slug}.xlsx",
            title=_("Requisitions"),
            headers=REQUISITIONS_XLSX_HEADERS,
            rows=(_requisition_row(p) for p in qs),
            money_columns=[4, 5],
        )
    return render(
        request,
        "funding/requisition_list.html",
        {
            "requisitions": permissions.with_approval_refusals(request.user, qs),
            "totals": selectors.requisition_totals(all_requisitions),
            "status": status,
            "statuses": Requisition.Status.choices,
            "kind": kind,
            "kinds": Requisition.Kind.choices,
            "can_approve": can(request.user, association, "requisitions.approve"),
        },
    )
