"""The participant register: pseudonymised participants, enrolments, sessions, exit surveys and the
access log.

Privacy by design: the clear identity number is never stored. `Participant.identity_hash` is an
HMAC of it (finsam.participants.identity.identity_hash) used to find the same person again; birth
year and legal gender are derived from it. Name and contact details are optional and kept as
Fernet tokens (finsam.participants.crypto). Every read of personal data writes an AccessLogEntry.
Only services write these models.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RATING = {"max_digits": 3, "decimal_places": 1}


class CodeList(models.TextChoices):
    """The follow-up variables whose values are editable code lists (like Uppföljning Finsam)."""

    OCCUPATION = "occupation", _("Sysselsättning")
    INCOME_SOURCE = "income_source", _("Huvudsaklig försörjning")
    TIME_OUTSIDE = "time_outside", _("Tid utanför arbete eller studier")
    EDUCATION = "education", _("Utbildningsnivå")
    EXIT_REASON = "exit_reason", _("Avslutsorsak")
    STEP_PROGRESS = "step_progress", _("Stegförflyttning")


class FollowUpCode(models.Model):
    """One value of a code list, per association. The office edits labels, order and use."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="follow_up_codes",
        verbose_name=_("förbund"),
    )
    list_name = models.CharField(_("lista"), max_length=20, choices=CodeList.choices)
    code = models.SlugField(_("kod"), max_length=40)
    label = models.CharField(_("benämning"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_positive = models.BooleanField(
        _("räknas som arbete/studier eller förflyttning"),
        default=False,
        help_text=_(
            "För sysselsättning: avslut till arbete eller studier. För stegförflyttning: en "
            "förflyttning mot arbete eller studier. Används i målen."
        ),
    )
    voids_enrolment = models.BooleanField(
        _("ogiltigförklarar deltagandet"),
        default=False,
        help_text=_("Avslutsorsak som felregistrering: räknas inte i statistiken."),
    )
    is_active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["association", "list_name", "sort_order", "id"]
        verbose_name = _("uppföljningskod")
        verbose_name_plural = _("uppföljningskoder")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "list_name", "code"], name="unique_follow_up_code"
            ),
        ]

    def __str__(self) -> str:
        return self.label


def code_field(list_name: str, verbose_name) -> models.ForeignKey:
    """An optional follow-up code from one of the association's code lists."""
    return models.ForeignKey(
        FollowUpCode,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list_name": list_name},
        verbose_name=verbose_name,
    )


class Participant(models.Model):
    """A person in the register, known by a keyed hash of the identity number."""

    class LegalGender(models.TextChoices):
        FEMALE = "F", _("Kvinna")
        MALE = "M", _("Man")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("förbund"),
    )
    # Null after erasure. Nulls are distinct in the unique constraint on every database.
    identity_hash = models.CharField(
        _("pseudonym (HMAC)"), max_length=64, null=True, blank=True, db_index=True
    )
    birth_year = models.PositiveSmallIntegerField(_("födelseår"), null=True, blank=True)
    legal_gender = models.CharField(_("juridiskt kön"), max_length=1, choices=LegalGender.choices)
    name_encrypted = models.TextField(_("namn (krypterat)"), blank=True, default="")
    contact_encrypted = models.TextField(_("kontaktuppgifter (krypterade)"), blank=True, default="")
    consent_date = models.DateField(_("samtycke lämnat"), null=True, blank=True)
    consent_scope = models.TextField(_("samtycket omfattar"), blank=True, default="")
    # A withdrawal of consent to registration: no new sessions or corrections, only the exit.
    consent_withdrawn_on = models.DateField(
        _("samtycke till registrering återkallat"), null=True, blank=True
    )
    consent_withdrawal_note = models.TextField(_("vad som har återkallats"), blank=True, default="")
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    erased_at = models.DateTimeField(_("personuppgifter raderade"), null=True, blank=True)

    class Meta:
        ordering = ["association", "id"]
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "identity_hash"], name="unique_participant_per_association"
            ),
        ]

    def __str__(self) -> str:
        # Never the name: __str__ ends up in logs, admin and error reports.
        return f"D-{self.pk}"

    @property
    def reference(self) -> str:
        return f"D-{self.pk}"

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_on is not None


class Enrolment(models.Model):
    """One participation (deltagande) of a participant in an intervention, with SUS-style data."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("deltagare"),
    )
    intervention = models.ForeignKey(
        "funding.Intervention",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("insats"),
    )
    start_date = models.DateField(_("startdatum"), db_index=True)
    age_at_start = models.PositiveSmallIntegerField(
        _("ålder vid start"), validators=[MaxValueValidator(130)]
    )
    referring_member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("remitterande organisation"),
    )
    involved_members = models.ManyToManyField(
        "organisation.Member",
        blank=True,
        related_name="+",
        verbose_name=_("medlemmar som deltar i samverkan"),
    )
    entry_occupation = code_field(CodeList.OCCUPATION, _("sysselsättning vid start"))
    entry_income_source = code_field(CodeList.INCOME_SOURCE, _("försörjning vid start"))
    time_outside = code_field(CodeList.TIME_OUTSIDE, _("tid utanför arbete eller studier"))
    education = code_field(CodeList.EDUCATION, _("utbildningsnivå"))
    exit_date = models.DateField(_("avslutsdatum"), null=True, blank=True, db_index=True)
    exit_reason = code_field(CodeList.EXIT_REASON, _("avslutsorsak"))
    exit_occupation = code_field(CodeList.OCCUPATION, _("sysselsättning efter avslut"))
    exit_income_source = code_field(CodeList.INCOME_SOURCE, _("försörjning efter avslut"))
    step_progress = code_field(CodeList.STEP_PROGRESS, _("stegförflyttning"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registrerad av"),
    )
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        ordering = ["intervention", "-start_date", "-id"]
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")
        indexes = [
            models.Index(fields=["intervention", "start_date"], name="enrolment_interv_start"),
            models.Index(fields=["intervention", "exit_date"], name="enrolment_interv_exit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exit_date__isnull=True)
                | models.Q(exit_date__gte=models.F("start_date")),
                name="enrolment_exit_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} i {self.intervention_id}"

    @property
    def is_active(self) -> bool:
        return self.exit_date is None


class Session(models.Model):
    """A meeting with ORS (four items, 0–10) and SRS / G-SRS (total 0–40)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Enskilt")
        GROUP = "group", _("Grupp")

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("deltagande")
    )
    date = models.DateField(_("datum"))
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    ors_individual = models.DecimalField(_("ORS individuellt"), null=True, blank=True, **RATING)
    ors_interpersonal = models.DecimalField(
        _("ORS mellanmänskligt"), null=True, blank=True, **RATING
    )
    ors_social = models.DecimalField(_("ORS socialt"), null=True, blank=True, **RATING)
    ors_overall = models.DecimalField(_("ORS övergripande"), null=True, blank=True, **RATING)
    # Written by the service from the four items, so statistics can aggregate it in SQL.
    ors_total = models.DecimalField(_("ORS totalt"), null=True, blank=True, **RATING)
    srs_total = models.DecimalField(_("SRS / G-SRS totalt"), null=True, blank=True, **RATING)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("personal"),
    )
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        ordering = ["enrolment", "date", "id"]
        verbose_name = _("träff")
        verbose_name_plural = _("träffar")
        indexes = [models.Index(fields=["enrolment", "date"], name="session_enrolment_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class ExitSurvey(models.Model):
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="exit_survey",
        verbose_name=_("deltagande"),
    )
    satisfied = models.BooleanField(_("nöjd med insatsen"))
    self_rated_progress = models.PositiveSmallIntegerField(
        _("självskattad förflyttning (1–5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("kommentar"), blank=True, default="")
    answered_on = models.DateField(_("besvarad"), default=timezone.localdate)

    class Meta:
        verbose_name = _("avslutsenkät")
        verbose_name_plural = _("avslutsenkäter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(self_rated_progress__gte=1, self_rated_progress__lte=5),
                name="exit_survey_progress_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}"


class SurveyQuestion(models.Model):
    """One of the association's own exit-survey questions, asked after the fixed ones.

    A question that has answers is never deleted, only retired (`is_active=False`): its answers
    stay in the statistics of their year and in the participants' registerutdrag.
    """

    class Kind(models.TextChoices):
        SCALE = "scale", _("Skala 1–5")
        YES_NO = "yes_no", _("Ja eller nej")
        TEXT = "text", _("Fritext")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="survey_questions",
        verbose_name=_("förbund"),
    )
    text = models.CharField(_("fråga"), max_length=300)
    kind = models.CharField(_("svarstyp"), max_length=10, choices=Kind.choices)
    scale_low_label = models.CharField(
        _("skalans ände 1"),
        max_length=60,
        blank=True,
        help_text=_("Bara för skala 1–5, till exempel ”Stämmer inte alls”."),
    )
    scale_high_label = models.CharField(
        _("skalans ände 5"),
        max_length=60,
        blank=True,
        help_text=_("Bara för skala 1–5, till exempel ”Stämmer helt”."),
    )
    required = models.BooleanField(_("obligatorisk"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(
        _("används"),
        default=True,
        help_text=_("En fråga som inte används ställs inte längre; dess svar finns kvar."),
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        ordering = ["association", "sort_order", "id"]
        verbose_name = _("fråga i avslutsenkäten")
        verbose_name_plural = _("frågor i avslutsenkäten")

    def __str__(self) -> str:
        return self.text

    @property
    def is_scale(self) -> bool:
        return self.kind == self.Kind.SCALE

    @property
    def counts_in_statistics(self) -> bool:
        """Free text is personal data and is never aggregated."""
        return self.kind != self.Kind.TEXT


class SurveyAnswer(models.Model):
    """A participant's answer to one of the association's own questions. One typed column per
    answer kind, so the statistics can count and average in the database."""

    exit_survey = models.ForeignKey(
        ExitSurvey,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("avslutsenkät"),
    )
    question = models.ForeignKey(
        SurveyQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("fråga"),
    )
    scale_value = models.PositiveSmallIntegerField(
        _("svar på skalan"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    yes_no_value = models.BooleanField(_("svar ja eller nej"), null=True, blank=True)
    text_value = models.TextField(_("svar i fritext"), blank=True, default="")

    class Meta:
        ordering = ["exit_survey", "question__sort_order", "question_id"]
        verbose_name = _("svar i avslutsenkäten")
        verbose_name_plural = _("svar i avslutsenkäten")
        constraints = [
            models.UniqueConstraint(
                fields=["exit_survey", "question"], name="unique_answer_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_value__isnull=True)
                | models.Q(scale_value__gte=1, scale_value__lte=5),
                name="survey_answer_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exit_survey} / {self.question_id}"

    @property
    def value(self) -> int | bool | str | None:
        kind = self.question.kind
        if kind == SurveyQuestion.Kind.SCALE:
            return self.scale_value
        if kind == SurveyQuestion.Kind.YES_NO:
            return self.yes_no_value
        return self.text_value


class RatingSettings(models.Model):
    """The association's own rules for reading ORS and SRS / G-SRS: `ratings.RatingRules` as
    JSON (`to_mapping`). Created with `ratings.DEFAULT_RULES` on first use; only services write
    it, and every change is audited."""

    association = models.OneToOneField(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="rating_settings",
        verbose_name=_("förbund"),
    )
    rules = models.JSONField(_("regler"))
    updated_at = models.DateTimeField(_("ändrad"), default=timezone.now)

    class Meta:
        verbose_name = _("regler för skattningar")
        verbose_name_plural = _("regler för skattningar")

    def __str__(self) -> str:
        return str(_("Regler för ORS och SRS"))


class AccessLogEntry(models.Model):
    """Who read or exported which participant's data, and when. Browsable by the office."""

    class Action(models.TextChoices):
        CREATE = "create", _("Registrering")
        UPDATE = "update", _("Ändring")
        LIST = "list", _("Visad i lista")
        VIEW = "view", _("Visad")
        EXPORT = "export", _("Exporterad")
        ERASE = "erase", _("Raderad")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="participant_access_log",
        verbose_name=_("förbund"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("användare"),
    )
    username = models.CharField(_("användarnamn"), max_length=150, blank=True)
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
        verbose_name=_("deltagare"),
    )
    # The intervention in whose context the data was read; null for association-wide rows.
    intervention = models.ForeignKey(
        "funding.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("insats"),
    )
    action = models.CharField(_("åtgärd"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("vad"), max_length=255, blank=True)
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost för deltagaruppgifter")
        verbose_name_plural = _("logg över åtkomst till deltagaruppgifter")
        indexes = [models.Index(fields=["association", "-at"], name="access_log_assoc_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.participant}"
