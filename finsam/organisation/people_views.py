"""Pages for the installation administrator (associations) and the office (its people)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import apply_errors, form_page, post_action, render_form
from finsam.organisation import people
from finsam.organisation.models import MemberKind, Role
from finsam.organisation.people_forms import (
    AssociationCreateForm,
    GrantForm,
    InvitationAcceptForm,
    InviteForm,
    SecondFactorSettingForm,
)
from finsam.organisation.tenancy import association_view

# --- the installation administrator ---------------------------------------------------------------


def _installation_admin(request) -> None:
    if not people.may_administer_installation(request.user):
        raise PermissionDenied(_("Only an installation administrator can create associations."))


@login_required
def installation_view(request):
    _installation_admin(request)
    associations = people.associations_for_installation(user=request.user)
    return render(request, "organisation/installation.html", {"associations": associations})


def _create_with_office(by, data) -> None:
    members = (
        people.member_kinds_from_lines(data["state_members"], MemberKind.STATE_AGENCY)
        + people.member_kinds_from_lines(data["regions"], MemberKind.REGION)
        + people.member_kinds_from_lines(data["municipalities"], MemberKind.MUNICIPALITY)
    )
    people.association_onboard(
        by=by,
        office_email=data["office_email"],
        name=data["name"],
        slug=data["slug"],
        org_number=data["org_number"],
        county=data["county"],
        members=members,
        require_second_factor=data["require_second_factor"],
    )


@login_required
def association_create_view(request):
    _installation_admin(request)
    form = AssociationCreateForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: _create_with_office(request.user, d),
        success_message=_("The association has been created and the office user invited."),
        done=lambda: redirect("organisation:installation"),
        context={
            "title": _("New association"),
            "cancel_url": reverse("organisation:installation"),
        },
    )


# --- the office: the association's people -------------------------------------------------------


@association_view("people.manage")
def people_view(request, association):
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST":
        try:
            if invite_form.is_valid():
                sent = people.invitation_create(
                    association=association, by=request.user, **invite_form.cleaned_data
                )
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.")
                    % {"email": sent.invitation.email},
                )
                return redirect("organisation:people", association.slug)
        except ValidationError as error:
            apply_errors(invite_form, error)
    context = {
        "people": people.people(user=request.user, association=association),
        "invitations": people.open_invitations(user=request.user, association=association),
        "grant_form": GrantForm(),
        "setting_form": SecondFactorSettingForm(
            initial={"require_second_factor": association.require_second_factor}
        ),
    }
    return render_form(request, "organisation/people.html", context, invite_form)


@require_POST
@association_view("people.manage")
def grant_view(request, association, pk: int):
    person = people.person_get(user=request.user, association=association, pk=pk)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("role", [])))
        return redirect("organisation:people", association.slug)
    role = Role(form.cleaned_data["role"])
    return post_action(
        request,
        lambda: people.membership_grant(
            association=association, user=person, role=role, by=request.user
        ),
        success_message=_("%(person)s now has the role %(role)s.")
        % {"person": person, "role": role.label},
        done=lambda: redirect("organisation:people", association.slug),
    )


@require_POST
@association_view("people.manage")
def revoke_view(request, association, pk: int):
    membership = people.membership_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: people.membership_revoke(membership=membership, by=request.user),
        success_message=_("The role %(role)s has been taken from %(person)s.")
        % {"role": membership.get_role_display(), "person": membership.user},
        done=lambda: redirect("organisation:people", association.slug),
    )


@require_POST
@association_view("people.manage")
def deactivate_view(request, association, pk: int):
    person = people.person_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: people.person_deactivate(association=association, user=person, by=request.user),
        success_message=_("%(person)s no longer has any role in the association.")
        % {"person": person},
        done=lambda: redirect("organisation:people", association.slug),
    )


@require_POST
@association_view("people.manage")
def second_factor_setting_view(request, association):
    form = SecondFactorSettingForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    required = bool(form.cleaned_data.get("require_second_factor"))
    return post_action(
        request,
        lambda: people.association_require_second_factor(
            association=association, required=required, by=request.user
        ),
        success_message=_("Every user must now log in with a second factor.")
        if required
        else _("A second factor is now required only where the role demands it."),
        done=lambda: redirect("organisation:people", association.slug),
    )


@association_view("people.readers")
def readers_view(request, association):
    readers = people.participant_data_readers(user=request.user, association=association)
    return render(request, "organisation/readers.html", {"readers": readers})


# --- the invitee --------------------------------------------------------------------------------


def invitation_view(request, token: str):
    invitation = people.invitation_for_token(token)
    try:
        people.invitation_check_open(invitation)
    except ValidationError as error:
        return render(
            request, "organisation/invitation.html", {"refusal": error.messages[0]}, status=410
        )
    if request.user.is_authenticated:
        return _accept_as_logged_in(request, invitation)
    form = InvitationAcceptForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: people.invitation_accept(
            invitation=invitation,
            first_name=d["first_name"],
            last_name=d["last_name"],
            password=d["password1"],
        ),
        success_message=_(
            "Your account is ready. Log in with your e-mail address as the username and your new "
            "password."
        ),
        done=lambda: redirect("accounts:login"),
        context={"invitation": invitation},
        template="organisation/invitation.html",
    )


def _accept_as_logged_in(request, invitation):
    if request.method != "POST":
        return render(request, "organisation/invitation.html", {"invitation": invitation})
    return post_action(
        request,
        lambda: people.invitation_accept_as(invitation=invitation, user=request.user),
        success_message=_("You now have the role in %(association)s.")
        % {"association": invitation.association},
        done=lambda: redirect("organisation:pick"),
    )
