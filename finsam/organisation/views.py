"""Thin views: parse, check, call one service, respond."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.charts import bar_chart_svg
from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action, render_form, save_form
from finsam.core.money import ZERO, format_input, plain_number, round_half_up_krona
from finsam.organisation import agenda, calendar, forms, selectors, services
from finsam.organisation.calendar import meetings_ics
from finsam.organisation.models import SIDE_LABELS, SIDE_ORDER, STATUTORY_SHARES, MemberKind
from finsam.organisation.tenancy import association_view

# --- choosing an association -------------------------------------------------------------------


@login_required
def pick_view(request):
    associations = selectors.associations_for_user(user=request.user)
    if len(associations) == 1:
        return redirect("dashboard:home", associations[0].slug)
    return render(request, "organisation/pick.html", {"associations": associations})


@login_required
def switch_view(request):
    association = selectors.association_for_user(
        user=request.user, slug=request.GET.get("slug", "")
    )
    if association is None:
        raise Http404
    return redirect("dashboard:home", association.slug)


# --- the association itself ----------------------------------------------------------------


@association_view("association.view")
def detail_view(request, association):
    return render(
        request,
        "organisation/detail.html",
        {
            "members": selectors.member_list(user=request.user, association=association),
            "groups": selectors.advisory_groups(user=request.user, association=association),
        },
    )


@association_view("association.edit")
def edit_view(request, association):
    form = forms.AssociationForm(request.POST or None, instance=association)
    return form_page(
        request,
        form,
        save=lambda d: services.association_update(
            association=association, data=d, by=request.user
        ),
        success_message=_("The details have been saved."),
        done=lambda: redirect("organisation:detail", association.slug),
        context={
            "title": _("Edit the association's details"),
            "cancel_url": reverse("organisation:detail", args=[association.slug]),
        },
    )


def _list_form_page(
    request,
    association,
    form,
    *,
    save,
    success_message: str,
    title: str,
    list_url: str,
    delete_url: str | None = None,
):
    """A create or edit page that goes back to its list, on saving as on cancelling."""
    back = reverse(list_url, args=[association.slug])
    context = {"title": title, "cancel_url": back}
    if delete_url:
        context["delete_url"] = delete_url
    return form_page(
        request,
        form,
        save=save,
        success_message=success_message,
        done=lambda: redirect(back),
        context=context,
    )


# --- members -------------------------------------------------------------------------------


@association_view("members.view")
def members_view(request, association):
    members = list(selectors.member_list(user=request.user, association=association))
    groups = [
        (SIDE_LABELS[kind], STATUTORY_SHARES[kind], _member_shares(members, kind))
        for kind in SIDE_ORDER
    ]
    return render(request, "organisation/members.html", {"groups": groups})


TENTH = Decimal("0.1")


def _member_shares(members, kind) -> list[tuple]:
    """(member, key as people write it: 50 not 50,0000, share of the total: 12,5 %) in a group;
    the share is the group's statutory share divided by the keys."""
    group = [m for m in members if m.kind == kind]
    keys = sum((m.key for m in group), ZERO)
    return [
        (
            m,
            plain_number(m.key),
            f"{plain_number((100 * STATUTORY_SHARES[kind] * m.key / keys).quantize(TENTH))}\u00a0%"
            if keys
            else "–",
        )
        for m in group
    ]


@association_view("members.edit")
def member_create_view(request, association):
    form = forms.MemberForm(request.POST or None, association=association)
    return _list_form_page(
        request,
        association,
        form,
        save=lambda d: services.member_create(association=association, by=request.user, **d),
        success_message=_("The member has been added."),
        title=_("New member"),
        list_url="organisation:members",
    )


@association_view("members.edit")
def member_edit_view(request, association, pk: int):
    member = selectors.member_get(user=request.user, association=association, pk=pk)
    form = forms.MemberForm(request.POST or None, instance=member, association=association)
    return _list_form_page(
        request,
        association,
        form,
        save=lambda d: services.member_update(member=member, data=d, by=request.user),
        success_message=_("The member has been updated."),
        title=_("Edit %(name)s") % {"name": member.name},
        list_url="organisation:members",
        delete_url=reverse("organisation:member_delete", args=[association.slug, member.pk]),
    )


@require_POST
@association_view("members.edit")
def member_delete_view(request, association, pk: int):
    member = selectors.member_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.member_delete(member=member, by=request.user),
        success_message=_("The member has been removed."),
        done=lambda: redirect("organisation:members", association.slug),
    )


# --- contributions -------------------------------------------------------------------------


def contributions_chart(years, sides) -> str:
    """Each member's contribution in the last three years of the table (a chart has at most
    three series; the table beside it has every year), in whole kronor as the table shows."""
    shown = list(range(len(years)))[-3:]
    members = [(m, amounts) for side in sides for m, amounts in side["rows"]]
    if not shown or not members:
        return ""

    def kronor(amount):
        return None if amount is None else round_half_up_krona(amount)

    return mark_safe(  # noqa: S308 - core.charts escapes every text
        bar_chart_svg(
            categories=[m.name for m, _amounts in members],
            series=[
                (str(years[i].year), [kronor(amounts[i]) for _m, amounts in members]) for i in shown
            ],
            title=_("Member contributions per member, the last years"),
            chart_id="contributions-chart",
            unit="kr",
        )
    )


@association_view("contributions.view")
def contributions_view(request, association):
    years, sides = selectors.contribution_table(user=request.user, association=association)
    if request.GET.get("format") == "xlsx":
        rows = []
        for side in sides:
            rows += [[m.name, str(side["label"]), *amounts] for m, amounts in side["rows"]]
            rows.append([_("Total %(side)s") % {"side": side["label"]}, "", *side["subtotal"]])
        rows.append([_("Total"), "", *[cy.total for cy in years]])
        return xlsx_response(
            filename=f"medlemsbidrag-{association.slug}.xlsx",
            title=_("Member contributions"),
            headers=[
                _("Member"),
                _("Group"),
                *[
                    f"{cy.year} ({_('estimate')})" if cy.is_estimate else f"{cy.year}"
                    for cy in years
                ],
            ],
            rows=rows,
            money_columns=range(2, 2 + len(years)),
        )
    return render(
        request,
        "organisation/contributions.html",
        {
            "years": years,
            "sides": sides,
            "chart": contributions_chart(years, sides),
            "projection_form": forms.ProjectionForm(
                initial={"base_year": years[-1].year if years else timezone.localdate().year}
            ),
        },
    )


def _contribution_initial(existing, year: int | None) -> dict:
    """The form as first shown: a stored year's amounts, else the year asked for (or next year)."""
    if existing is None:
        return {"year": year or timezone.localdate().year + 1}
    return {
        "year": existing.year,
        "total": format_input(existing.total),
        "is_estimate": existing.is_estimate,
        "note": existing.note,
        **{f"member_{c.member_id}": format_input(c.amount) for c in existing.contributions.all()},
    }


def _contribution_edit_page(request, form, context: dict) -> HttpResponse:
    if request.htmx and request.POST.get("action") == "propose":
        return render(
            request, "organisation/contribution_edit.html#form", {**context, "form": form}
        )
    response = render_form(request, "organisation/contribution_edit.html", context, form)
    if context["proposal"] is not None:
        response.status_code = 200
    return response


@association_view("contributions.edit")
def contribution_edit_view(request, association, year: int | None = None):
    members = list(selectors.member_list(user=request.user, association=association))
    existing = (
        selectors.contribution_year_get(user=request.user, association=association, year=year)
        if year
        else None
    )
    proposal = None
    if request.method == "POST":
        taken = {
            cy.year
            for cy in selectors.contribution_years(user=request.user, association=association)
        } - {year}
        form = forms.ContributionYearForm(request.POST, members=members, taken_years=taken)
        if request.POST.get("action") == "propose":
            form, proposal = _propose(request, form, members)
        elif save_form(
            request,
            form,
            lambda d: _contributions_save(request, association, form, d),
            _("The member contributions have been saved."),
        ):
            return redirect("organisation:contributions", association.slug)
    else:
        form = forms.ContributionYearForm(
            initial=_contribution_initial(existing, year), members=members
        )
    context = {"year": year, "existing": existing, "proposal": proposal}
    return _contribution_edit_page(request, form, context)


def _propose(request, form, members):
    """Fill each member's field with its share of the total; nothing is saved."""
    total_field = form.fields["total"]
    try:
        total = total_field.clean(request.POST.get("total"))
    except ValidationError as error:
        form.is_valid()
        form.errors.pop("total", None)
        form.add_error("total", error)
        return form, None
    if not total or total <= 0 or total != total.to_integral_value():
        form.is_valid()
        form.add_error(
            "total", _("Enter the total in whole kronor, greater than 0, to get a suggestion.")
        )
        return form, None
    try:
        proposal = services.contributions_propose(members=members, total=total)
    except ValidationError as error:
        form.is_valid()
        form.add_error("total", error)
        return form, None
    data = request.POST.copy()
    for p in proposal:
        data[f"member_{p.member.pk}"] = format_input(p.amount)
    return forms.ContributionYearForm(data, members=members, taken_years=form.taken_years), proposal


def _contributions_save(request, association, form, data) -> None:
    try:
        services.contributions_set(
            association=association,
            year=data["year"],
            amounts=form.amounts(),
            by=request.user,
            is_estimate=data["is_estimate"],
            note=data["note"],
        )
    except ValidationError as error:
        # The service keys its errors by member id; show each next to that member's field.
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {
                    f"member_{key}" if key.isdigit() else key: value
                    for key, value in error.error_dict.items()
                }
            ) from error
        raise


def _projection_base(request, association, form):
    """The stored year the projection starts from; None, with the error on the form, if the form
    is invalid or that year has no contributions."""
    if not form.is_valid():
        return None
    base = selectors.contribution_year_get(
        user=request.user, association=association, year=form.cleaned_data["base_year"]
    )
    if base is None:
        form.add_error(
            "base_year", _("There are no member contributions for that year to use as a base.")
        )
    return base


def _announce_projection(request, projected: list[int], kept: list[int]) -> None:
    if projected:
        messages.success(
            request,
            _("The plan years %(years)s have been projected as estimates.")
            % {"years": ", ".join(str(y) for y in projected)},
        )
    if kept:
        messages.warning(
            request,
            _("%(years)s already have decided member contributions and were not overwritten.")
            % {"years": ", ".join(str(y) for y in kept)},
        )


@require_POST
@association_view("contributions.edit")
def contribution_project_view(request, association):
    form = forms.ProjectionForm(request.POST)
    base = _projection_base(request, association, form)
    if base is None:
        years, sides = selectors.contribution_table(user=request.user, association=association)
        return render(
            request,
            "organisation/contributions.html",
            {"years": years, "sides": sides, "projection_form": form},
            status=400,
        )
    d = form.cleaned_data
    state_amount = sum(
        (c.amount for c in base.contributions.all() if c.member.kind == MemberKind.STATE_AGENCY),
        ZERO,
    )
    projected, kept = services.contributions_project(
        association=association,
        base_year=d["base_year"],
        state_amount=state_amount,
        annual_decline=d["annual_decline"],
        years=d["years"],
        by=request.user,
    )
    _announce_projection(request, projected, kept)
    return redirect("organisation:contributions", association.slug)


# --- board ---------------------------------------------------------------------------------


def _parse_date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@association_view("board.view")
def board_view(request, association):
    day = _parse_date(request.GET.get("datum"), timezone.localdate())
    seats = list(selectors.board_seats(user=request.user, association=association))
    status = services.board_on(seats=seats, day=day)
    return render(
        request,
        "organisation/board.html",
        {
            "day": day,
            "regular": [s for s in status if s.seat.kind == "regular"],
            "deputy": [s for s in status if s.seat.kind == "deputy"],
            "groups": selectors.advisory_groups(user=request.user, association=association),
        },
    )


@association_view("board.edit")
def board_seat_create_view(request, association):
    form = forms.BoardSeatForm(request.POST or None, association=association)
    return _list_form_page(
        request,
        association,
        form,
        save=lambda d: services.board_seat_create(association=association, by=request.user, **d),
        success_message=_("The board seat has been added."),
        title=_("New board seat"),
        list_url="organisation:board",
    )


@association_view("board.edit")
def board_seat_edit_view(request, association, pk: int):
    seat = selectors.board_seat_get(user=request.user, association=association, pk=pk)
    form = forms.BoardSeatForm(request.POST or None, instance=seat, association=association)
    return _list_form_page(
        request,
        association,
        form,
        save=lambda d: services.board_seat_update(seat=seat, data=d, by=request.user),
        success_message=_("The board seat has been updated."),
        title=_("Edit board seat"),
        list_url="organisation:board",
        delete_url=reverse("organisation:board_seat_delete", args=[association.slug, pk]),
    )


@require_POST
@association_view("board.edit")
def board_seat_delete_view(request, association, pk: int):
    seat = selectors.board_seat_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.board_seat_delete(seat=seat, by=request.user),
        success_message=_("The board seat has been removed."),
        done=lambda: redirect("organisation:board", association.slug),
    )


# --- meetings and annual cycle ---------------------------------------------------------------


def _meeting_year(request, association) -> int:
    try:
        return int(request.GET.get("ar", ""))
    except ValueError:
        upcoming = selectors.meetings_upcoming(
            user=request.user, association=association, today=timezone.localdate(), limit=1
        )
        if upcoming:
            return upcoming[0].date.year
        years = selectors.meeting_years(user=request.user, association=association)
        return years[-1] if years else timezone.localdate().year


def _meeting_plan(request, association, year: int) -> dict:
    meetings = list(selectors.meetings(user=request.user, association=association, year=year))
    items = list(selectors.cycle_items(user=request.user, association=association))
    placements = services.annual_cycle_for_year(items=items, meetings=meetings, year=year)
    cycle_by_meeting: dict[int, list] = {}
    for p in placements:
        if p.meeting is not None:
            cycle_by_meeting.setdefault(p.meeting.pk, []).append(p)
    return {
        "year": year,
        "meetings": meetings,
        "placements": placements,
        "unplaced": [p for p in placements if p.meeting is None],
        "cycle_by_meeting": cycle_by_meeting,
        "years": sorted(
            set(selectors.meeting_years(user=request.user, association=association)) | {year}
        ),
    }


@association_view("meetings.view")
def meetings_view(request, association):
    year = _meeting_year(request, association)
    return render(request, "organisation/meetings.html", _meeting_plan(request, association, year))


@association_view("meetings.view")
def meetings_print_view(request, association, year: int):
    return render(
        request, "organisation/meetings_print.html", _meeting_plan(request, association, year)
    )


@association_view("meetings.view")
def meetings_ics_view(request, association, year: int):
    plan = _meeting_plan(request, association, year)
    body = meetings_ics(
        association=association,
        meetings=plan["meetings"],
        cycle_by_meeting=plan["cycle_by_meeting"],
        extra=calendar.entries(user=request.user, association=association, year=year),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="sammantraden-{association.slug}-{year}.ics"'
    )
    return response


def _meeting_context(request, association, meeting, agenda_form) -> dict:
    """The meeting page: its agenda items, each with what the board decided on it (§, outcome,
    the application or intervention) as far as the user may read it."""
    plan = _meeting_plan(request, association, meeting.date.year)
    matters = agenda.matters(user=request.user, association=association, meeting=meeting)
    return {
        "meeting": meeting,
        "agenda": [(item, matters.get(item.pk)) for item in meeting.agenda_items.all()],
        "cycle": plan["cycle_by_meeting"].get(meeting.pk, []),
        "agenda_form": agenda_form,
    }


@association_view("meetings.view")
def meeting_detail_view(request, association, pk: int):
    meeting = selectors.meeting_get(user=request.user, association=association, pk=pk)
    return render(
        request,
        "organisation/meeting_detail.html",
        _meeting_context(
            request, association, meeting, forms.AgendaItemForm(association=association)
        ),
    )


@association_view("meetings.edit")
def meeting_create_view(request, association):
    form = forms.MeetingForm(request.POST or None)
    created = {}

    def save(d):
        created["meeting"] = services.meeting_create(association=association, by=request.user, **d)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The meeting has been added."),
        done=lambda: redirect(
            "organisation:meeting_detail", association.slug, created["meeting"].pk
        ),
        context={
            "title": _("New meeting"),
            "cancel_url": reverse("organisation:meetings", args=[association.slug]),
        },
    )


@association_view("meetings.edit")
def meeting_edit_view(request, association, pk: int):
    meeting = selectors.meeting_get(user=request.user, association=association, pk=pk)
    form = forms.MeetingForm(request.POST or None, instance=meeting)
    return form_page(
        request,
        form,
        save=lambda d: services.meeting_update(meeting=meeting, data=d, by=request.user),
        success_message=_("The meeting has been updated."),
        done=lambda: redirect("organisation:meeting_detail", association.slug, pk),
        context={
            "title": _("Edit meeting"),
            "cancel_url": reverse("organisation:meeting_detail", args=[association.slug, pk]),
            "delete_url": reverse("organisation:meeting_delete", args=[association.slug, pk]),
        },
    )


@require_POST
@association_view("meetings.edit")
def meeting_delete_view(request, association, pk: int):
    meeting = selectors.meeting_get(user=request.user, association=association, pk=pk)

    def done():
        # Deleting empties the instance's pk; a meeting that was kept is shown with the reason.
        if meeting.pk is None:
            return redirect("organisation:meetings", association.slug)
        return redirect("organisation:meeting_detail", association.slug, pk)

    return post_action(
        request,
        lambda: services.meeting_delete(meeting=meeting, by=request.user),
        success_message=_("The meeting has been removed."),
        done=done,
    )


@require_POST
@association_view("meetings.edit")
def agenda_item_create_view(request, association, pk: int):
    meeting = selectors.meeting_get(user=request.user, association=association, pk=pk)
    form = forms.AgendaItemForm(request.POST, association=association)
    if save_form(
        request,
        form,
        lambda d: services.agenda_item_create(meeting=meeting, by=request.user, **d),
        _("The agenda item has been added."),
    ):
        return redirect("organisation:meeting_detail", association.slug, pk)
    return render(
        request,
        "organisation/meeting_detail.html",
        _meeting_context(request, association, meeting, form),
        status=400,
    )


@require_POST
@association_view("meetings.edit")
def agenda_item_delete_view(request, association, pk: int, item_pk: int):
    meeting = selectors.meeting_get(user=request.user, association=association, pk=pk)
    item = meeting.agenda_items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return post_action(
        request,
        lambda: services.agenda_item_delete(item=item, by=request.user),
        success_message=_("The agenda item has been removed."),
        done=lambda: redirect("organisation:meeting_detail", association.slug, pk),
    )


@association_view("meetings.view")
def cycle_view(request, association):
    return render(
        request,
        "organisation/cycle.html",
        {"items": selectors.cycle_items(user=request.user, association=association)},
    )


@association_view("meetings.edit")
def cycle_item_create_view(request, association):
    form = forms.CycleItemForm(request.POST or None)
    return _list_form_page(
        request,
        association,
        form,
        save=lambda d: services.cycle_item_create(association=association, by=request.user, **d),
        success_message=_("The item has been added to the annual cycle."),
        title=_("New annual cycle item"),
        list_url="organisation:cycle",
    )


@association_view("meetings.edit")
def cycle_item_edit_view(request, association, pk: int):
    item = selectors.cycle_item_get(user=request.user, association=association, pk=pk)
    form = forms.CycleItemForm(request.POST or None, instance=item)
    return _list_form_page(
        request,
        association,
        form,
        save=lambda d: services.cycle_item_update(item=item, data=d, by=request.user),
        success_message=_("The item has been updated."),
        title=_("Edit annual cycle item"),
        list_url="organisation:cycle",
        delete_url=reverse("organisation:cycle_item_delete", args=[association.slug, pk]),
    )


@require_POST
@association_view("meetings.edit")
def cycle_item_delete_view(request, association, pk: int):
    item = selectors.cycle_item_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.cycle_item_delete(item=item, by=request.user),
        success_message=_("The item has been removed from the annual cycle."),
        done=lambda: redirect("organisation:cycle", association.slug),
    )
