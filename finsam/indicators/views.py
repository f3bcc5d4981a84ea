"""Indicator pages: campaigns and instruments, links and paper entry (the office), results (every
reader of goals), and the public answer page (no login: a valid unused token is the key)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.charts import bar_chart_svg
from finsam.core.exports import xlsx_response
from finsam.core.forms import apply_errors, form_page, post_action
from finsam.indicators import forms, results, rules, selectors, services
from finsam.organisation.tenancy import association_view

FORM = "organisation/form.html"


def _year(request, default: int) -> int:
    raw = request.GET.get("ar")
    if raw is None:
        return default
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404
    return int(raw)


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _posted(request):
    """The POST data, also when it is empty (an empty form is a submit to refuse, not a GET)."""
    return request.POST if request.method == "POST" else None


def _rate(campaign):
    return rules.response_rate(
        responses=campaign.response_count,
        links=campaign.link_count,
        paper_forms=campaign.paper_forms,
    )


@association_view("goals.view")
def overview_view(request, association):
    years = selectors.campaign_years(user=request.user, association=association)
    year = _year(request, years[0])
    items = selectors.campaigns(user=request.user, association=association, year=year)
    return render(
        request,
        "indicators/overview.html",
        {
            "year": year,
            "years": years,
            "campaigns": [(c, _rate(c)) for c in items],
            "instruments": selectors.instruments(user=request.user, association=association),
        },
    )


def _chart(group: results.GroupResult, year: int) -> str:
    def shown(f):
        if f is None or f.respondents == 0:
            return None
        return f.mean if f.mean is not None else "<5"

    return mark_safe(  # noqa: S308 - core.charts escapes every text
        bar_chart_svg(
            categories=[f"{r.code} {r.name}" for r in group.rows],
            series=[
                (str(year - 1), [shown(r.last_year) for r in group.rows]),
                (str(year), [shown(r.this_year) for r in group.rows]),
            ],
            title=_("Mean per indicator, %(group)s") % {"group": group.label},
            chart_id=f"chart-{group.group.replace('_', '-')}",
        )
    )


@association_view("goals.view")
def results_view(request, association, year: int):
    _check_year(year)
    campaigns = list(selectors.campaigns(user=request.user, association=association, year=year))
    groups = results.year_results(association=association, campaigns=campaigns, year=year)
    return render(
        request,
        "indicators/results.html",
        {
            "year": year,
            "groups": [(g, _chart(g, year) if g.rows else "") for g in groups],
            "min_respondents": rules.MIN_RESPONDENTS,
        },
    )


@association_view("goals.view")
def results_xlsx_view(request, association, year: int):
    _check_year(year)
    campaigns = list(selectors.campaigns(user=request.user, association=association, year=year))
    groups = results.year_results(association=association, campaigns=campaigns, year=year)
    rows = results.export_rows(groups, suppressed=_("fewer than 5"))
    return xlsx_response(
        filename=f"indikatorer-{association.slug}-{year}.xlsx",
        title=_("Indicators %(year)s") % {"year": year},
        headers=[
            _("Respondent group"),
            _("Code"),
            _("Indicator"),
            _("Statement"),
            _("Respondents %(year)s") % {"year": year},
            _("Mean %(year)s") % {"year": year},
            _("Respondents %(year)s") % {"year": year - 1},
            _("Mean %(year)s") % {"year": year - 1},
        ],
        rows=rows,
    )


@association_view("goals.view")
def instrument_detail_view(request, association, pk: int):
    instrument = selectors.instrument_get(user=request.user, association=association, pk=pk)
    return render(
        request,
        "indicators/instrument_detail.html",
        {
            "instrument": instrument,
            "locked": services.instrument_is_locked(instrument),
            "own": instrument.association_id == association.pk,
            "questionnaires": instrument.questionnaires.prefetch_related("items__indicator"),
            "indicators": instrument.indicators.all(),
        },
    )


@require_POST
@association_view("goals.edit")
def instrument_new_version_view(request, association, pk: int):
    instrument = selectors.instrument_get(user=request.user, association=association, pk=pk)
    made = {}

    def action():
        made["copy"] = services.instrument_new_version(
            instrument=instrument, association=association, by=request.user
        )

    return post_action(
        request,
        action,
        success_message=_("A new version has been made. Its wording can be changed."),
        done=lambda: redirect(
            "indicators:instrument_detail", association.slug, made.get("copy", instrument).pk
        ),
    )


@association_view("goals.edit")
def item_edit_view(request, association, pk: int):
    item = selectors.item_get(user=request.user, association=association, pk=pk)
    detail = reverse(
        "indicators:instrument_detail", args=[association.slug, item.questionnaire.instrument_id]
    )
    form = forms.ItemForm(_posted(request), instance=item)
    return form_page(
        request,
        form,
        save=lambda d: services.item_update(
            item=item, association=association, data=d, by=request.user
        ),
        success_message=_("The statement has been updated."),
        done=lambda: redirect(detail),
        context={
            "title": _("Change statement %(number)s") % {"number": item.number},
            "cancel_url": detail,
        },
        template=FORM,
    )


@association_view("goals.edit")
def campaign_create_view(request, association):
    form = forms.CampaignForm(
        _posted(request),
        questionnaires=selectors.questionnaires(user=request.user, association=association),
        association=association,
    )
    made = {}

    def save(d):
        made["c"] = services.campaign_create(association=association, by=request.user, **d)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The survey campaign has been added."),
        done=lambda: redirect("indicators:campaign_detail", association.slug, made["c"].pk),
        context={
            "title": _("New survey campaign"),
            "cancel_url": reverse("indicators:overview", args=[association.slug]),
        },
        template=FORM,
    )


@association_view("goals.view")
def campaign_detail_view(request, association, pk: int):
    campaign = selectors.campaign_get(user=request.user, association=association, pk=pk)
    return render(
        request,
        "indicators/campaign_detail.html",
        {"campaign": campaign, "rate": _rate(campaign), "links_form": forms.LinksForm()},
    )


@association_view("goals.edit")
def campaign_links_view(request, association, pk: int):
    campaign = selectors.campaign_get(user=request.user, association=association, pk=pk)
    form = forms.LinksForm(_posted(request))
    tokens: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            tokens = services.links_create(
                campaign=campaign, count=form.cleaned_data["count"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
    urls = [request.build_absolute_uri(reverse("indicators:answer", args=[t])) for t in tokens]
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "indicators/links.html",
        {"campaign": campaign, "form": form, "urls": urls},
        status=status,
    )


@association_view("goals.edit")
def campaign_paper_forms_view(request, association, pk: int):
    campaign = selectors.campaign_get(user=request.user, association=association, pk=pk)
    form = forms.PaperFormsForm(_posted(request), initial={"paper_forms": campaign.paper_forms})
    return form_page(
        request,
        form,
        save=lambda d: services.campaign_update(campaign=campaign, data=d, by=request.user),
        success_message=_("The number of paper forms has been saved."),
        done=lambda: redirect("indicators:campaign_detail", association.slug, pk),
        context={
            "title": _("Paper forms distributed"),
            "cancel_url": reverse("indicators:campaign_detail", args=[association.slug, pk]),
        },
        template=FORM,
    )


@association_view("goals.edit")
def paper_entry_view(request, association, pk: int):
    campaign = selectors.campaign_get(user=request.user, association=association, pk=pk)
    form = forms.AnswerForm(_posted(request), questionnaire=campaign.questionnaire)
    return form_page(
        request,
        form,
        save=lambda d: services.paper_response_record(
            campaign=campaign, answers=form.answers(), by=request.user
        ),
        success_message=_("The paper form's answers have been saved. Enter the next one."),
        done=lambda: redirect("indicators:paper_entry", association.slug, pk),
        context={
            "title": _("Enter a paper form: %(campaign)s") % {"campaign": campaign},
            "cancel_url": reverse("indicators:campaign_detail", args=[association.slug, pk]),
        },
        template=FORM,
    )


def answer_view(request, token: str):
    """The public answer page: no login; only a valid unused token opens it, once."""
    try:
        link = services.link_for_token(token)
    except services.LinkNotUsable as error:
        return _closed(request, error.reason)
    questionnaire = link.campaign.questionnaire
    form = forms.AnswerForm(_posted(request), questionnaire=questionnaire)
    context = {
        "questionnaire": questionnaire,
        "form": form,
        "association": link.campaign.association,
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(token=token, answers=form.answers())
        except services.LinkNotUsable as error:
            return _closed(request, error.reason)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "indicators/answer_thanks.html", context)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "indicators/answer.html", context, status=status)


def _closed(request, reason: str):
    return render(
        request,
        "indicators/answer_closed.html",
        {"reason": reason},
        status=410 if reason == "used" else 404,
    )
