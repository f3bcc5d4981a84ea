from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.organisation.validators import validate_org_number

MONTHS = [
    (1, _("januari")),
    (2, _("februari")),
    (3, _("mars")),
    (4, _("april")),
    (5, _("maj")),
    (6, _("juni")),
    (7, _("juli")),
    (8, _("augusti")),
    (9, _("september")),
    (10, _("oktober")),
    (11, _("november")),
    (12, _("december")),
]


class Association(models.Model):
    """A samordningsförbund: the tenant. Every domain row belongs to exactly one."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(
        _("kortnamn"),
        max_length=60,
        unique=True,
        help_text=_("Används i adresser och kommandon, t.ex. kramfors."),
    )
    org_number = models.CharField(
        _("organisationsnummer"), max_length=11, blank=True, validators=[validate_org_number]
    )
    founded_year = models.PositiveSmallIntegerField(
        _("bildat år"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2004), MaxValueValidator(2100)],
        help_text=_("Lagen trädde i kraft 2004."),
    )
    founded_month = models.PositiveSmallIntegerField(
        _("bildat månad"), null=True, blank=True, choices=MONTHS
    )
    vision = models.TextField(_("vision"), blank=True)
    description = models.TextField(_("om förbundet"), blank=True)
    director_name = models.CharField(_("förbundschef"), max_length=200, blank=True)
    director_title = models.CharField(
        _("titel"), max_length=100, blank=True, default="förbundschef"
    )
    office_note = models.TextField(_("kansli och administration"), blank=True)
    board_size_note = models.CharField(_("styrelsens storlek"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")

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
    STATE_AGENCY = "state_agency", _("Statlig myndighet")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")


# The statutory split (Lag 2003:1210, 7 §): the state half, region(s) a quarter, municipalities
# a quarter together. Kept as data so that the split rule and its explanation share one source.
STATUTORY_SHARES: dict[str, Decimal] = {
    MemberKind.STATE_AGENCY: Decimal("0.50"),
    MemberKind.REGION: Decimal("0.25"),
    MemberKind.MUNICIPALITY: Decimal("0.25"),
}
SIDE_ORDER = [MemberKind.STATE_AGENCY, MemberKind.REGION, MemberKind.MUNICIPALITY]
SIDE_LABELS = {
    MemberKind.STATE_AGENCY: _("Staten (Försäkringskassan och Arbetsförmedlingen)"),
    MemberKind.REGION: _("Regionen"),
    MemberKind.MUNICIPALITY: _("Kommunerna"),
}


class Member(models.Model):
    """A funding member: Försäkringskassan, Arbetsförmedlingen, a region or a municipality."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="members", verbose_name=_("förbund")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=16, choices=MemberKind.choices)
    key = models.DecimalField(
        _("fördelningsnyckel"),
        max_digits=9,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Andel inom gruppen: kommunernas inbördes nyckel, t.ex. efter invånarantal. "
            "Staten betalar ofta hela sin del genom Försäkringskassan (nyckel 0 för "
            "Arbetsförmedlingen)."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["association", "sort_order", "name"]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
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
        verbose_name=_("förbund"),
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    total = models.DecimalField(_("totalt"), max_digits=14, decimal_places=2)
    is_estimate = models.BooleanField(
        _("uppskattning"),
        default=False,
        help_text=_("Planår där tilldelningen ännu inte är beslutad."),
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        ordering = ["association", "year"]
        verbose_name = _("medlemsavgifter för ett år")
        verbose_name_plural = _("medlemsavgifter per år")
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
        Member, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("medlem")
    )
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["member__sort_order", "member__name"]
        verbose_name = _("medlemsavgift")
        verbose_name_plural = _("medlemsavgifter")
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
        REGULAR = "regular", _("Ordinarie ledamot")
        DEPUTY = "deputy", _("Ersättare")

    class Position(models.TextChoices):
        NONE = "", _("—")
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="board_seats", verbose_name=_("förbund")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("medlem")
    )
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices, default=Kind.REGULAR)
    holder_name = models.CharField(
        _("namn"),
        max_length=200,
        blank=True,
        help_text=_("Lämna tomt om platsen inte är tillsatt."),
    )
    position = models.CharField(
        _("uppdrag"), max_length=16, choices=Position.choices, blank=True, default=""
    )
    mandate_start = models.DateField(_("mandatperiod från"))
    mandate_end = models.DateField(_("mandatperiod till och med"))

    class Meta:
        ordering = ["association", "kind", "member__sort_order", "id"]
        verbose_name = _("styrelseplats")
        verbose_name_plural = _("styrelseplatser")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mandate_end__gte=models.F("mandate_start")),
                name="mandate_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.member}: {self.holder_name or _('vakant')}"

    def is_filled_on(self, day: dt.date) -> bool:
        return bool(self.holder_name) and self.mandate_start <= day <= self.mandate_end


class AdvisoryGroup(models.Model):
    """Utvecklingsgrupp / utvecklingsråd / chefsgrupp: partners' managers advising the office."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="advisory_groups",
        verbose_name=_("förbund"),
    )
    name = models.CharField(_("namn"), max_length=200)
    purpose = models.TextField(_("uppdrag"), blank=True)
    assesses_applications = models.BooleanField(
        _("bedömer ansökningar"),
        default=False,
        help_text=_("Gruppen stödjer beredningen av ansökningar."),
    )
    meetings_per_year = models.PositiveSmallIntegerField(_("möten per år"), null=True, blank=True)

    class Meta:
        ordering = ["association", "name"]
        verbose_name = _("beredande grupp")
        verbose_name_plural = _("beredande grupper")

    def __str__(self) -> str:
        return self.name


class AnnualCycleItem(models.Model):
    """A recurring item in the årshjul: what the board handles in which month every year."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        ACTIVITY_PLAN = "activity_plan", _("Verksamhetsplan")
        INTERIM_REPORT = "interim_report", _("Delårsrapport")
        ANNUAL_REPORT = "annual_report", _("Årsredovisning")
        RISK_ANALYSIS = "risk_analysis", _("Risk- och väsentlighetsanalys")
        INTERNAL_CONTROL = "internal_control", _("Internkontrollplan")
        BUDGET_FOLLOW_UP = "budget_follow_up", _("Budgetuppföljning")
        OTHER = "other", _("Övrigt")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="cycle_items", verbose_name=_("förbund")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    month = models.PositiveSmallIntegerField(
        _("senast i månad"),
        choices=MONTHS,
        help_text=_("Ärendet hamnar på sista sammanträdet i eller före denna månad."),
    )
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        ordering = ["association", "month", "title"]
        verbose_name = _("punkt i årshjulet")
        verbose_name_plural = _("årshjul")

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("Styrelsesammanträde")
        PLANNING = "planning", _("Planeringsdag")
        MEMBER_CONSULTATION = "member_consultation", _("Medlemssamråd")
        ADVISORY_GROUP = "advisory_group", _("Beredande grupp")
        OTHER = "other", _("Övrigt")

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("förbund")
    )
    kind = models.CharField(_("typ"), max_length=24, choices=Kind.choices, default=Kind.BOARD)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("från"), null=True, blank=True)
    end_time = models.TimeField(_("till"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["association", "date", "start_time"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
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
    title = models.CharField(_("ärende"), max_length=300)
    cycle_item = models.ForeignKey(
        AnnualCycleItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("punkt i årshjulet"),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["meeting", "sort_order", "id"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")

    def __str__(self) -> str:
        return self.title

    @property
    def association(self) -> Association:
        return self.meeting.association
