from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from finsam.core.money import format_stored_decimal
from finsam.organisation.validators import validate_org_number

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class Association(models.Model):
    """A samordningsförbund: the tenant. Every domain row belongs to exactly one."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Used in addresses and commands, e.g. kramfors."),
    )
    org_number = models.CharField(
        _("organisation number"), max_length=11, blank=True, validators=[validate_org_number]
    )
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2004), MaxValueValidator(2100)],
        help_text=_("The Act came into force in 2004."),
    )
    founded_month = models.PositiveSmallIntegerField(
        _("month founded"), null=True, blank=True, choices=MONTHS
    )
    vision = models.TextField(_("vision"), blank=True)
    description = models.TextField(_("about the association"), blank=True)
    director_name = models.CharField(_("director"), max_length=200, blank=True)
    director_title = models.CharField(
        _("job title"), max_length=100, blank=True, default="förbundschef"
    )
    office_note = models.TextField(_("office and administration"), blank=True)
    board_size_note = models.CharField(_("size of the board"), max_length=200, blank=True)
    county = models.CharField(_("county"), max_length=100, blank=True)
    require_second_factor = models.BooleanField(
        _("second factor required for everyone"),
        default=False,
        help_text=_(
            "Every user of the association must log in with a second factor (an authenticator "
            "app or a security key), whatever their role."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("coordination association")
        verbose_name_plural = _("coordination associations")

    def __str__(self) -> str:
        return self.name

    @property
    def founded_display(self) -> str:
        if not self.founded_year:
            return ""
        if self.founded_month:
            return f"{self.get_founded_month_display()} {self.founded_year}"
        return str(self.founded_year)


class MemberKind(models.TextChoices):
    STATE_AGENCY = "state_agency", _("Government agency")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")


# The statutory split (Lag 2003:1210, 7 §): the state half, region(s) a quarter, municipalities
# a quarter together. Kept as data so that the split rule and its explanation share one source.
STATUTORY_SHARES: dict[str, Decimal] = {
    MemberKind.STATE_AGENCY: Decimal("0.50"),
    MemberKind.REGION: Decimal("0.25"),
    MemberKind.MUNICIPALITY: Decimal("0.25"),
}
SIDE_ORDER = [MemberKind.STATE_AGENCY, MemberKind.REGION, MemberKind.MUNICIPALITY]
SIDE_LABELS = {
    MemberKind.STATE_AGENCY: _("State (Försäkringskassan and Arbetsförmedlingen)"),
    MemberKind.REGION: pgettext_lazy("funding side", "Region"),
    MemberKind.MUNICIPALITY: pgettext_lazy("funding side", "Municipalities"),
}


class Member(models.Model):
    """A funding member: Försäkringskassan, Arbetsförmedlingen, a region or a municipality."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="members", verbose_name=_("association")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=MemberKind.choices)
    key = models.DecimalField(
        _("allocation key"),
        max_digits=9,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Share within the group: the municipalities' key among themselves, e.g. by population. "
            "The state often pays its whole share through Försäkringskassan (key 0 for "
            "Arbetsförmedlingen)."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["association", "sort_order", "name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="unique_member_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ContributionYear(models.Model):
    """The members' contributions for one year: a total and one amount per member."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="contribution_years",
        verbose_name=_("association"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    is_estimate = models.BooleanField(
        _("estimate"),
        default=False,
        help_text=_("Plan year for which the allocation has not yet been decided."),
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["association", "year"]
        verbose_name = _("member contributions for a year")
        verbose_name_plural = _("member contributions per year")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"], name="unique_contribution_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.year}"


class Contribution(models.Model):
    contribution_year = models.ForeignKey(
        ContributionYear, on_delete=models.CASCADE, related_name="contributions"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("member")
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["member__sort_order", "member__name"]
        verbose_name = _("member contribution")
        verbose_name_plural = _("member contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution_year", "member"], name="unique_contribution_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.contribution_year.year}"


class BoardSeat(models.Model):
    """A seat on the board appointed by one member for a mandate period."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Full member")
        DEPUTY = "deputy", _("Deputy")

    class Position(models.TextChoices):
        NONE = "", _("—")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="board_seats",
        verbose_name=_("association"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("member")
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    holder_name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("Leave blank if the seat has not been filled."),
    )
    position = models.CharField(
        _("position"), max_length=16, choices=Position.choices, blank=True, default=""
    )
    mandate_start = models.DateField(_("term of office from"))
    mandate_end = models.DateField(_("term of office to (inclusive)"))

    class Meta:
        ordering = ["association", "kind", "member__sort_order", "id"]
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mandate_end__gte=models.F("mandate_start")),
                name="mandate_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.member}: {self.holder_name or _('vacant')}"

    def is_filled_on(self, day: dt.date) -> bool:
        return bool(self.holder_name) and self.mandate_start <= day <= self.mandate_end


class AdvisoryGroup(models.Model):
    """Utvecklingsgrupp / utvecklingsråd / chefsgrupp: partners' managers advising the office."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="advisory_groups",
        verbose_name=_("association"),
    )
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("position"), blank=True)
    assesses_applications = models.BooleanField(
        _("assesses applications"),
        default=False,
        help_text=_("The group supports the preparation of applications."),
    )
    meetings_per_year = models.PositiveSmallIntegerField(
        _("meetings per year"), null=True, blank=True
    )

    class Meta:
        ordering = ["association", "name"]
        verbose_name = _("preparatory group")
        verbose_name_plural = _("preparatory groups")

    def __str__(self) -> str:
        return self.name


class AnnualCycleItem(models.Model):
    """A recurring item in the årshjul: what the board handles in which month every year."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        ACTIVITY_PLAN = "activity_plan", _("Operational plan")
        INTERIM_REPORT = "interim_report", _("Interim report")
        ANNUAL_REPORT = "annual_report", pgettext_lazy("statutory annual accounts", "Annual report")
        RISK_ANALYSIS = "risk_analysis", _("Risk and materiality analysis")
        INTERNAL_CONTROL = "internal_control", _("Internal control plan")
        BUDGET_FOLLOW_UP = "budget_follow_up", _("Budget follow-up")
        OTHER = "other", _("Other")

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="cycle_items",
        verbose_name=_("association"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    month = models.PositiveSmallIntegerField(
        _("by month"),
        choices=MONTHS,
        help_text=_("The item is placed on the last meeting in or before this month."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["association", "month", "title"]
        verbose_name = _("annual cycle item")
        verbose_name_plural = _("annual cycle")

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("Board meeting")
        PLANNING = "planning", _("Planning day")
        MEMBER_CONSULTATION = "member_consultation", _("Members' consultation")
        ADVISORY_GROUP = "advisory_group", _("Preparatory group")
        OTHER = "other", _("Other")

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("association"),
    )
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices, default=Kind.BOARD)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    place = models.CharField(_("venue"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["association", "date", "start_time"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("agenda item"), max_length=300)
    cycle_item = models.ForeignKey(
        AnnualCycleItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("annual cycle item"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # What the board pack prints under the item: the office's proposal (the matter and its
    # background) and the draft decision the board is asked to take.
    proposal = models.TextField(_("proposal"), blank=True)
    draft_decision = models.TextField(_("draft decision"), blank=True)

    class Meta:
        ordering = ["meeting", "sort_order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    @property
    def association(self) -> Association:
        return self.meeting.association


class Role(models.TextChoices):
    OFFICE = "office", _("Office")
    ECONOMIST = "economist", _("Finance officer")
    BOARD = "board", _("Board member")
    AUDITOR = "auditor", _("Auditor")
    MEMBER_ORG = "member_org", _("Member organisation")
    STAFF = "staff", _("Intervention staff")
    # Sits in an advisory group (utvecklingsgrupp, beredningsgrupp) that helps the office assess
    # applications: reads submitted applications and scores them, nothing more.
    ADVISORY = "advisory", _("Advisory group")
    # The association's data-protection contact: reads and exports the log of who saw which
    # participant's data, and nothing else personal. Kept apart from the office (least
    # privilege): an office member reads the log only if also given this role.
    PRIVACY = "privacy", _("Data-protection contact")


class Membership(models.Model):
    """A user's role in one association. One person may hold several roles in several associations."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    association = models.ForeignKey(
        "Association",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("association"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    member = models.ForeignKey(
        "Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("member organisation"),
        help_text=_("For users who represent a member."),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("permission")
        verbose_name_plural = _("permissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"], name="unique_role_per_user_and_association"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.association})"


class Invitation(models.Model):
    """A one-time, expiring link that lets a person set a password and take up a role."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("association"),
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    # Only a hash of the link's token is stored: a copy of the database opens no account.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        verbose_name=_("user"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} ({self.association})"

    def is_open(self, now=None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at


class AuditEvent(models.Model):
    """One row per change that matters. Written by services, in the same transaction; never edited."""

    association = models.ForeignKey(
        "organisation.Association",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name=_("association"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    action = models.CharField(_("action"), max_length=16)
    target_type = models.CharField(_("object type"), max_length=100)
    # "app_label.modelname", so that the log can show the fields' labels instead of their names.
    target_model = models.CharField(max_length=100, blank=True, default="")
    target_id = models.CharField(_("object ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # Rows about one participant of the register (corrections, consent, erasure): their target
    # and before/after are health-related personal data. The general audit log shows such a row
    # only as "a change in this intervention, by whom and when" unless the reader is staff of
    # `intervention` (finsam.oversight.selectors.audit_events); the full history is on the
    # participant's page, for the intervention's staff.
    personal_data = models.BooleanField(_("data about a participant"), default=False)
    # The intervention in whose context a participant's row was written. A plain id, not a
    # foreign key: the audit model sits below funding in the layers (README, "Layout").
    intervention_id = models.PositiveIntegerField(_("intervention"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["association", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.target_repr}"

    def _target_meta(self):
        if not self.target_model:
            return None
        try:
            return apps.get_model(self.target_model)._meta
        except (LookupError, ValueError):
            return None  # a model that no longer exists: the raw names are all there is

    @property
    def redacted(self) -> bool:
        """A participant's row read by someone who may not see its content. Fails closed: only
        the selector's annotation `payload_shown` opens a personal row."""
        return not getattr(self, "payload_shown", not self.personal_data)

    @property
    def target_type_label(self) -> str:
        if self.redacted:
            return str(_("participant data in intervention"))
        meta = self._target_meta()
        return str(meta.verbose_name) if meta else self.target_type

    @property
    def target_label(self) -> str:
        """What the row is about: for a redacted row only the intervention, never the
        participant's reference or a session's date."""
        if self.redacted:
            # Set by the audit log's selector (finsam.oversight.selectors.audit_events).
            return getattr(self, "intervention_title", None) or str(_("unknown intervention"))
        return self.target_repr

    def labelled_changes(self) -> list[tuple[str, str, str]]:
        """Changed fields with the labels and values a reader of the log understands; none for
        a redacted row."""
        if self.redacted:
            return []
        meta = self._target_meta()
        rows = []
        for name, before, after in self.changed_fields():
            field = _field(meta, name)
            label = str(field.verbose_name) if field is not None else name
            rows.append((label, _shown(field, before), _shown(field, after)))
        return rows

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def _field(meta, name: str):
    if meta is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            field = meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if hasattr(field, "verbose_name"):
            return field
    return None


def _shown(field, value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(format_stored_decimal(value))
