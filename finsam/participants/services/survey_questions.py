"""The association's own exit-survey questions, kept by the office."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from finsam.organisation import audit
from finsam.organisation.audit import Event, audited_create, audited_delete, audited_update
from finsam.participants.models import SurveyQuestion

# --- the association's own exit-survey questions ------------------------------------------------

SURVEY_QUESTION_FIELDS = (
    "text",
    "kind",
    "scale_low_label",
    "scale_high_label",
    "required",
    "is_active",
)
TEXT_ANSWER_MAX = 2000


def _check_question(question: SurveyQuestion, *, answered: bool, old_kind: str | None) -> None:
    errors: dict[str, str] = {}
    question.text = (question.text or "").strip()
    question.scale_low_label = (question.scale_low_label or "").strip()
    question.scale_high_label = (question.scale_high_label or "").strip()
    if not question.text:
        errors["text"] = _("Write the question.")
    if question.kind == SurveyQuestion.Kind.SCALE:
        if not question.scale_low_label:
            errors["scale_low_label"] = _("Write what 1 means, for example “Not true at all”.")
        if not question.scale_high_label:
            errors["scale_high_label"] = _("Write what 5 means, for example “Completely true”.")
    else:
        # Labels belong to scales only; keep none that would show up nowhere.
        question.scale_low_label = question.scale_high_label = ""
    if answered and old_kind is not None and question.kind != old_kind:
        errors["kind"] = _(
            "The question has answers and cannot change its answer type. Stop using it and add a "
            "new question instead."
        )
    if errors:
        raise ValidationError(errors)
    question.full_clean()


def survey_questions(*, association, active_only: bool = False) -> list[SurveyQuestion]:
    qs = SurveyQuestion.objects.filter(association=association)
    return list(qs.filter(is_active=True) if active_only else qs)


@transaction.atomic
def survey_question_create(*, association, by, **fields: Any) -> SurveyQuestion:
    """A new question, asked last until the office moves it."""
    unknown = set(fields) - set(SURVEY_QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    last = (
        SurveyQuestion.objects.filter(association=association).aggregate(m=Max("sort_order"))["m"]
        or 0
    )
    checked = SurveyQuestion(association=association, sort_order=last + 10, **fields)
    _check_question(checked, answered=False, old_kind=None)
    return audited_create(
        SurveyQuestion,
        by=by,
        event=Event.SURVEY_QUESTION_CREATED,
        association=association,
        sort_order=checked.sort_order,
        **{name: getattr(checked, name) for name in SURVEY_QUESTION_FIELDS},
    )


@transaction.atomic
def survey_question_update(
    *, question: SurveyQuestion, data: Mapping[str, Any], by
) -> SurveyQuestion:
    """Edit a question; retiring is `is_active=False`. A question with answers keeps its kind."""
    stored = SurveyQuestion.objects.select_for_update().get(pk=question.pk)
    for name, value in data.items():
        if name not in SURVEY_QUESTION_FIELDS:
            raise TypeError(f"unknown field {name!r}")
        setattr(question, name, value)
    # The question's own rules tidy the values (stripped text, labels only on a scale) first.
    _check_question(question, answered=stored.answers.exists(), old_kind=stored.kind)
    return audited_update(
        question,
        {name: getattr(question, name) for name in SURVEY_QUESTION_FIELDS},
        fields=SURVEY_QUESTION_FIELDS,
        by=by,
        event=Event.SURVEY_QUESTION_UPDATED,
    )


@transaction.atomic
def survey_question_move(*, question: SurveyQuestion, up: bool, by) -> SurveyQuestion:
    """Swap the question with its neighbour; the order is renumbered 10, 20, … on the way."""
    ordered = list(
        SurveyQuestion.objects.select_for_update()
        .filter(association_id=question.association_id)
        .order_by("sort_order", "id")
    )
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return question
    before = audit.snapshot(ordered[index])
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.sort_order != position * 10:
            item.sort_order = position * 10
            item.save(update_fields=["sort_order"])
    moved = ordered[other]
    audit.record(
        event=Event.SURVEY_QUESTION_UPDATED,
        actor=by,
        target=moved,
        before=before,
        after=audit.snapshot(moved),
    )
    question.sort_order = moved.sort_order
    return moved


@transaction.atomic
def survey_question_delete(*, question: SurveyQuestion, by) -> None:
    """Only a question nobody has answered can be deleted; an answered one is retired instead."""
    if question.answers.exists():
        raise ValidationError(
            _(
                "The question “%(text)s” has answers and cannot be deleted. Stop using it instead: "
                "the answers stay in the statistics and in the participants' register extracts."
            )
            % {"text": question.text}
        )
    audited_delete(question, by=by, event=Event.SURVEY_QUESTION_DELETED)
