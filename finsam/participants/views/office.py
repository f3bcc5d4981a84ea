"""The office's settings: code lists, the survey's own questions, rules for ORS and SRS."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import form_page, post_action
from finsam.organisation.tenancy import association_view
from finsam.participants import forms, selectors, services
from finsam.participants.charts import format_score
from finsam.participants.ratings import DEFAULT_RULES


@association_view("participants.codes")
def codes_view(request, association):
    services.codes_ensure_defaults(association=association)
    return form_page(
        request,
        forms.CodeForm(request.POST or None),
        save=lambda d: services.follow_up_code_create(
            association=association, by=request.user, **d
        ),
        success_message=_("The code has been added."),
        done=lambda: redirect("participants:codes", association.slug),
        context={"codes": selectors.codes_for_office(user=request.user, association=association)},
        template="participants/codes.html",
    )


@association_view("participants.codes")
def code_edit_view(request, association, pk: int):
    code = get_object_or_404(
        selectors.codes_for_office(user=request.user, association=association), pk=pk
    )
    return form_page(
        request,
        forms.CodeForm(request.POST or None, instance=code),
        save=lambda d: services.follow_up_code_update(code=code, data=d, by=request.user),
        success_message=_("The code has been updated."),
        done=lambda: redirect("participants:codes", association.slug),
        context={
            "title": _("Edit code"),
            "cancel_url": reverse("participants:codes", args=[association.slug]),
        },
        template="participants/form.html",
    )


# --- the office's settings: own survey questions, rules for ORS and SRS -------------------------


def _to_questions(association):
    return lambda: redirect("participants:survey_questions", association.slug)


@association_view("participants.survey")
def survey_questions_view(request, association):
    questions = selectors.survey_questions_for_office(user=request.user, association=association)
    return form_page(
        request,
        forms.SurveyQuestionForm(request.POST or None, initial={"kind": "scale"}),
        save=lambda d: services.survey_question_create(
            association=association, by=request.user, **d
        ),
        success_message=_("The question has been added."),
        done=_to_questions(association),
        context={"questions": questions},
        template="participants/survey_questions.html",
    )


def _office_question(request, association, pk: int):
    return get_object_or_404(
        selectors.survey_questions_for_office(user=request.user, association=association), pk=pk
    )


@association_view("participants.survey")
def survey_question_edit_view(request, association, pk: int):
    question = _office_question(request, association, pk)
    return form_page(
        request,
        forms.SurveyQuestionForm(request.POST or None, instance=question),
        save=lambda d: services.survey_question_update(question=question, data=d, by=request.user),
        success_message=_("The question has been changed."),
        done=_to_questions(association),
        context={
            "title": _("Change exit survey question"),
            "cancel_url": reverse("participants:survey_questions", args=[association.slug]),
            "intro": _(
                "A question that has answers cannot change its answer type. Change the text only "
                "so that the answers still mean the same thing."
            )
            if question.answer_count
            else "",
        },
        template="participants/form.html",
    )


@require_POST
@association_view("participants.survey")
def survey_question_move_view(request, association, pk: int):
    question = _office_question(request, association, pk)
    services.survey_question_move(
        question=question, up=request.POST.get("riktning") != "ned", by=request.user
    )
    return redirect("participants:survey_questions", association.slug)


@require_POST
@association_view("participants.survey")
def survey_question_delete_view(request, association, pk: int):
    question = _office_question(request, association, pk)
    return post_action(
        request,
        lambda: services.survey_question_delete(question=question, by=request.user),
        success_message=_("The question has been deleted."),
        done=_to_questions(association),
    )


@association_view("participants.ratings")
def rating_settings_view(request, association):
    rules = services.rating_rules_for(association)
    form = forms.RatingSettingsForm(
        request.POST or None, initial=forms.RatingSettingsForm.initial_for(rules)
    )
    return form_page(
        request,
        form,
        save=lambda _data: services.rating_settings_update(
            association=association, by=request.user, **form.service_data()
        ),
        success_message=_("The rules for ORS and SRS have been saved."),
        done=lambda: redirect("participants:rating_settings", association.slug),
        context={"band_rows": form.band_rows(), "defaults": _rules_for_display(DEFAULT_RULES)},
        template="participants/rating_settings.html",
    )


def _rules_for_display(rules) -> dict:
    return {
        "bands": [
            {
                "min_age": band.min_age,
                "max_age": band.max_age,
                "cutoff": format_score(band.cutoff),
                "verified": band.verified,
            }
            for band in rules.age_bands
        ],
        "points": format_score(rules.reliable_change_points),
        "srs": format_score(rules.srs_alert_below),
        "gsrs": format_score(rules.gsrs_alert_below),
    }
