"""The participant register: pseudonymised participants, enrolments, sessions, exit surveys and the
access log.

Privacy by design: the clear identity number is never stored. `Participant.identity_hash` is an
HMAC of it (finsam.participants.identity.identity_hash) used to find the same person again; birth
year and legal gender are derived from it. Name and contact details are optional and kept as
Fernet tokens (finsam.participants.crypto). Every read of personal data writes an AccessLogEntry.
Only services write these models.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

RATING = {"max_digits": 3, "decimal_places": 1}


class CodeList(models.TextChoices):
    """The follow-up variables whose values are editable code lists (like Uppföljning Finsam)."""

    OCCUPATION = "occupation", _("Occupation")
    INCOME_SOURCE = "income_source", _("Main source of income")
    TIME_OUTSIDE = "time_outside", _("Time outside work or studies")
    EDUCATION = "education", _("Level of education")
    EXIT_REASON = "exit_reason", _("Reason for exit")
    STEP_PROGRESS = "step_progress", _("Step progression")


class FollowUpCode(models.Model):
    """One value of a code list, per association. The office edits labels, order and use."""

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="follow_up_codes",
        verbose_name=_("association"),
    )
    list_name = models.CharField(_("list"), max_length=20, choices=CodeList.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(pgettext_lazy("designation", "name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_positive = models.BooleanField(
        _("counts as work/studies or progression"),
        default=False,
        help_text=_(
            "For occupation: exit to work or studies. For step progression: a step towards work or "
            "studies. Used in the goals."
        ),
    )
    voids_enrolment = models.BooleanField(
        _("invalidates the participation"),
        default=False,
        help_text=_(
            "Reason for exit such as an incorrect registration: not counted in the statistics."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["association", "list_name", "sort_order", "id"]
        verbose_name = _("follow-up code")
        verbose_name_plural = _("follow-up codes")
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
        FEMALE = "F", _("Woman")
        MALE = "M", _("Man")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("association"),
    )
    # Null after erasure. Nulls are distinct in the unique constraint on every database.
    identity_hash = models.CharField(
        _("pseudonym (HMAC)"), max_length=64, null=True, blank=True, db_index=True
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    legal_gender = models.CharField(_("legal gender"), max_length=1, choices=LegalGender.choices)
    name_encrypted = models.TextField(_("name (encrypted)"), blank=True, default="")
    contact_encrypted = models.TextField(_("contact details (encrypted)"), blank=True, default="")
    consent_date = models.DateField(_("consent given"), null=True, blank=True)
    consent_scope = models.TextField(_("consent covers"), blank=True, default="")
    # A withdrawal of consent to registration: no new sessions or corrections, only the exit.
    consent_withdrawn_on = models.DateField(
        _("consent to registration withdrawn"), null=True, blank=True
    )
    consent_withdrawal_note = models.TextField(_("what has been withdrawn"), blank=True, default="")
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ["association", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
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
        """How exports and pages name the participant. After erasure a keyed pseudonym of the
        erasure itself (R-…), so that an export made after the erasure cannot be linked to the
        D-number in exports made before it."""
        return erased_reference(self.pk, self.erased_at) if self.erased_at else f"D-{self.pk}"

    @property
    def consent_withdrawn(self) -> bool:
        return self.consent_withdrawn_on is not None


def erased_reference(pk: int, erased_at) -> str:
    digest = hmac.new(
        settings.PARTICIPANT_HASH_SECRET.encode(),
        f"erased:{pk}:{erased_at.isoformat()}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return f"R-{digest[:10]}"


class Enrolment(models.Model):
    """One participation (deltagande) of a participant in an intervention, with SUS-style data."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    intervention = models.ForeignKey(
        "funding.Intervention",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("intervention"),
    )
    start_date = models.DateField(_("start date"), db_index=True)
    age_at_start = models.PositiveSmallIntegerField(
        _("age at start"), validators=[MaxValueValidator(130)]
    )
    referring_member = models.ForeignKey(
        "organisation.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("referring organisation"),
    )
    involved_members = models.ManyToManyField(
        "organisation.Member",
        blank=True,
        related_name="+",
        verbose_name=_("members taking part in the collaboration"),
    )
    entry_occupation = code_field(CodeList.OCCUPATION, _("occupation at start"))
    entry_income_source = code_field(CodeList.INCOME_SOURCE, _("source of income at start"))
    time_outside = code_field(CodeList.TIME_OUTSIDE, _("time outside work or studies"))
    education = code_field(CodeList.EDUCATION, _("level of education"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True, db_index=True)
    exit_reason = code_field(CodeList.EXIT_REASON, _("reason for exit"))
    exit_occupation = code_field(CodeList.OCCUPATION, _("occupation after exit"))
    exit_income_source = code_field(CodeList.INCOME_SOURCE, _("source of income after exit"))
    step_progress = code_field(CodeList.STEP_PROGRESS, _("step progression"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["intervention", "-start_date", "-id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
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
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("participation"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    ors_individual = models.DecimalField(_("ORS individual"), null=True, blank=True, **RATING)
    ors_interpersonal = models.DecimalField(_("ORS interpersonal"), null=True, blank=True, **RATING)
    ors_social = models.DecimalField(_("ORS social"), null=True, blank=True, **RATING)
    ors_overall = models.DecimalField(_("ORS overall"), null=True, blank=True, **RATING)
    # Written by the service from the four items, so statistics can aggregate it in SQL.
    ors_total = models.DecimalField(_("ORS total"), null=True, blank=True, **RATING)
    srs_total = models.DecimalField(_("SRS / G-SRS total"), null=True, blank=True, **RATING)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["enrolment", "date", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["enrolment", "date"], name="session_enrolment_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class ExitSurvey(models.Model):
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="exit_survey",
        verbose_name=_("participation"),
    )
    satisfied = models.BooleanField(_("satisfied with the intervention"))
    self_rated_progress = models.PositiveSmallIntegerField(
        _("self-rated progression (1–5)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, default="")
    answered_on = models.DateField(_("answered"), default=timezone.localdate)

    class Meta:
        verbose_name = _("exit survey")
        verbose_name_plural = _("exit surveys")
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
        SCALE = "scale", _("Scale 1–5")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Free text")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="survey_questions",
        verbose_name=_("association"),
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer type"), max_length=10, choices=Kind.choices)
    scale_low_label = models.CharField(
        _("scale end 1"),
        max_length=60,
        blank=True,
        help_text=_("Only for a 1–5 scale, for example “Not true at all”."),
    )
    scale_high_label = models.CharField(
        _("scale end 5"),
        max_length=60,
        blank=True,
        help_text=_("Only for a 1–5 scale, for example “Completely true”."),
    )
    required = models.BooleanField(_("required"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("A question that is not used is no longer asked; its answers are kept."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["association", "sort_order", "id"]
        verbose_name = _("exit survey question")
        verbose_name_plural = _("exit survey questions")

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
        verbose_name=_("exit survey"),
    )
    question = models.ForeignKey(
        SurveyQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
    )
    scale_value = models.PositiveSmallIntegerField(
        _("answer on the scale"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    yes_no_value = models.BooleanField(_("yes or no answer"), null=True, blank=True)
    text_value = models.TextField(_("free-text answer"), blank=True, default="")

    class Meta:
        ordering = ["exit_survey", "question__sort_order", "question_id"]
        verbose_name = _("exit survey answer")
        verbose_name_plural = _("exit survey answers")
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
        verbose_name=_("association"),
    )
    rules = models.JSONField(_("rules"))
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("rating rules")
        verbose_name_plural = _("rating rules")

    def __str__(self) -> str:
        return str(_("Rules for ORS and SRS"))


class AccessLogEntry(models.Model):
    """Who read or exported which participant's data, and when. Browsable by the office."""

    class Action(models.TextChoices):
        CREATE = "create", _("Registration")
        UPDATE = "update", _("Change")
        LIST = "list", _("Shown in list")
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="participant_access_log",
        verbose_name=_("association"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_log",
        verbose_name=_("participant"),
    )
    # The intervention in whose context the data was read; null for association-wide rows.
    intervention = models.ForeignKey(
        "funding.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("intervention"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("what"), max_length=255, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("participant data log entry")
        verbose_name_plural = _("log of access to participant data")
        indexes = [models.Index(fields=["association", "-at"], name="access_log_assoc_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.participant}"


class StatisticsCount(models.Model):
    """One count of the register's published statistics, kept by the services in the same
    transaction as every write that changes it (services.statistics_summary), so the statistics
    page reads the year's counts instead of counting the register. Keys are code and question
    ids, never labels: a renamed code or question is read with its name of today. Counts only
    valid participations (not voided by their reason for exit).

    Dimensions (the year is the start's, the exit's or the survey's, as the dimension says):
    `starts` (every participation, voided ones too: the years the page offers), `gender` (key F/M) and `age` (key the age band) of starts; `exit_reason`, `exit_occupation`,
    `step_progress` (key the code id, "" for not recorded) and `flow` (key the occupation at
    start, key2 the occupation after) of exits; `ors` (n exits with two ORS ratings, total the
    sum of their change); `survey` (key 1/0: satisfied) and `answer` (key the question id, key2
    s1–s5, yes or no) of exit surveys."""

    class Dimension(models.TextChoices):
        STARTS = "starts", "starts"
        GENDER = "gender", "gender"
        AGE = "age", "age"
        EXIT_REASON = "exit_reason", "exit_reason"
        EXIT_OCCUPATION = "exit_occupation", "exit_occupation"
        STEP_PROGRESS = "step_progress", "step_progress"
        FLOW = "flow", "flow"
        ORS = "ors", "ors"
        SURVEY = "survey", "survey"
        ANSWER = "answer", "answer"

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("association"),
    )
    intervention = models.ForeignKey(
        "funding.Intervention",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("intervention"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    key = models.CharField(max_length=40, blank=True, default="")
    key2 = models.CharField(max_length=40, blank=True, default="")
    n = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=12, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("statistics count")
        verbose_name_plural = _("statistics counts")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "year", "dimension", "key", "key2"],
                name="unique_statistics_count",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "year"], name="statistics_count_assoc_year"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.year} {self.dimension} {self.key} {self.key2}"
