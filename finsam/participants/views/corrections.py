"""Corrections after registration, each with a reason (audited in the services)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from finsam.organisation.tenancy import association_view
from finsam.participants import access, forms, selectors, services
from finsam.participants.models import AccessLogEntry
from finsam.participants.permissions import can_change_data, can_change_exit
from finsam.participants.views.common import _enrolment_form, _exit_initial, _refuse_unless


def _enrolment_to_correct(request, association, pk: int, what: str, *, exit_only=False):
    """The participation, refused when it cannot be corrected; a GET shows stored data in the
    form, so it is logged as a read."""
    enrolment = selectors.enrolment_for_staff(
        user=request.user,
        association=association,
        pk=pk,
        action=AccessLogEntry.Action.VIEW if request.method == "GET" else "",
        detail=_("Correction form: %(what)s") % {"what": what},
    )
    check = can_change_exit if exit_only else can_change_data
    _refuse_unless(check(enrolment.participant))
    return enrolment


CORRECTION_INTRO = _(
    "The correction is saved with your reason, and the earlier value stays in the audit log. The "
    "data is checked the same way as at registration."
)


@sensitive_post_parameters("identity_text")
@association_view("participants.register")
def correct_entry_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("entry data"))
    form = forms.EntryCorrectionForm(
        request.POST or None,
        association=association,
        initial={
            "start_date": enrolment.start_date.isoformat(),
            "referring_member": enrolment.referring_member_id,
            "involved_members": [m.pk for m in enrolment.involved_members.all()],
            "entry_occupation": enrolment.entry_occupation_id,
            "entry_income_source": enrolment.entry_income_source_id,
            "time_outside": enrolment.time_outside_id,
            "education": enrolment.education_id,
        },
    )

    @sensitive_variables("data")
    def save(data):
        services.enrolment_correct_entry(enrolment=enrolment, by=request.user, **data)

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("The entry data has been corrected."),
        title=_("Correct entry data – %(ref)s") % {"ref": enrolment.participant.reference},
        intro=CORRECTION_INTRO,
    )


@association_view("participants.register")
def correct_exit_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("exit data"), exit_only=True)
    if not enrolment.exit_date:
        return redirect("participants:exit", association.slug, enrolment.pk)
    form = forms.ExitCorrectionForm(
        request.POST or None,
        association=association,
        initial=_exit_initial(enrolment),
    )
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.enrolment_correct_exit(enrolment=enrolment, by=request.user, **d),
        success_message=_("The exit has been corrected."),
        title=_("Correct exit – %(ref)s") % {"ref": enrolment.participant.reference},
        intro=CORRECTION_INTRO,
    )


@sensitive_post_parameters("name", "contact")
@association_view("participants.register")
def correct_person_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("name and contact"))
    form = forms.PersonCorrectionForm(
        request.POST or None,
        initial={
            "name": selectors.participant_name(enrolment),
            "contact": selectors.participant_contact(enrolment),
        },
    )

    @sensitive_variables("data")
    def save(data):
        services.participant_correct(enrolment=enrolment, by=request.user, **data)

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("Name and contact details have been corrected."),
        title=_("Correct name and contact – %(ref)s") % {"ref": enrolment.participant.reference},
        intro=_(
            "Name and contact details are stored encrypted. The audit log shows that they changed, "
            "never what they were or are."
        ),
    )


def _session_to_correct(request, association, pk: int, session_pk: int, what: str):
    session = selectors.session_for_staff(
        user=request.user, association=association, enrolment_pk=pk, pk=session_pk
    )
    if request.method == "GET":
        access.access_log_write(
            association=association,
            by=request.user,
            action=AccessLogEntry.Action.VIEW,
            participants=[session.enrolment.participant],
            intervention=session.enrolment.intervention,
            detail=what,
        )
    _refuse_unless(can_change_data(session.enrolment.participant))
    return session


@association_view("participants.register")
def session_edit_view(request, association, pk: int, session_pk: int):
    session = _session_to_correct(
        request, association, pk, session_pk, _("Correction form: session")
    )
    enrolment = session.enrolment
    form = forms.SessionCorrectionForm(
        request.POST or None,
        initial={
            "date": session.date.isoformat(),
            "kind": session.kind,
            **{f: session_value(session, f) for f in (*services.ORS_FIELDS, "srs_total")},
        },
        rules=services.rating_rules_for(association),
    )

    def save(data):
        services.session_correct(
            session=session,
            reason=data["reason"],
            date=data["date"],
            kind=data["kind"],
            ors_items=[data[f] for f in services.ORS_FIELDS],
            srs_total=data["srs_total"],
            by=request.user,
        )

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("The session has been corrected."),
        title=_("Correct session %(date)s – %(ref)s")
        % {"date": session.date.isoformat(), "ref": enrolment.participant.reference},
        intro=CORRECTION_INTRO,
    )


def session_value(session, name: str) -> str:
    value = getattr(session, name)
    return "" if value is None else str(value)


@association_view("participants.register")
def session_delete_view(request, association, pk: int, session_pk: int):
    session = _session_to_correct(request, association, pk, session_pk, _("Delete session (form)"))
    enrolment = session.enrolment
    form = forms.SessionDeleteForm(request.POST or None)
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.session_delete(session=session, by=request.user, **d),
        success_message=_("The session has been deleted."),
        title=_("Delete session %(date)s – %(ref)s")
        % {"date": session.date.isoformat(), "ref": enrolment.participant.reference},
        intro=_(
            "Only delete a session registered by mistake. What the session held stays in the audit "
            "log, with your reason."
        ),
    )


@association_view("participants.register")
def consent_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("consent"), exit_only=True)
    form = forms.ConsentForm(
        request.POST or None, initial={"changed_on": timezone.localdate().isoformat()}
    )
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.participant_consent_change(
            enrolment=enrolment, by=request.user, **d
        ),
        success_message=_("The change of consent has been registered."),
        title=_("Changed or withdrawn consent – %(ref)s")
        % {"ref": enrolment.participant.reference},
        intro=_(
            "A withdrawn consent to registration stops new sessions and corrections; only the exit "
            "can be registered. The change is kept in the audit log."
        ),
    )
