"""Budgets with their three statements, and the association's financial rules.

Amounts are stored in kronor with a natural sign: income, costs, assets, equity and liabilities
positive; the result is income minus costs; in the cash flow, money in is positive. A seed printed
with municipal signs (income negative) is normalised when it is entered. Each entered figure also
keeps the precision it was printed with (`step`), so a consistency check can tell a rounding
difference from an error.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class InterventionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturinriktad")
    PROCESS_SUPPORT = "process_support", _("Processtödjande")
    COLLABORATION_SUPPORT = "collaboration_support", _("Samverkansstödjande")


class CostKind(models.TextChoices):
    """What a budget line's money is for, when comparing the budget with target shares."""

    INDIVIDUAL = "individual", _("Individinriktade insatser")
    STRUCTURAL = "structural", _("Strukturinriktade insatser")
    PROCESS_SUPPORT = "process_support", _("Processtödjande insatser")
    COLLABORATION_SUPPORT = "collaboration_support", _("Samverkansstödjande insatser")
    ADMINISTRATION = "administration", _("Administration (styrelse och kansli)")
    UNALLOCATED = "unallocated", _("Ofördelade medel")


INTERVENTION_COST_KINDS = (
    CostKind.INDIVIDUAL,
    CostKind.STRUCTURAL,
    CostKind.PROCESS_SUPPORT,
    CostKind.COLLABORATION_SUPPORT,
)


class Budget(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Beslutad")
        REVISED = "revised", _("Reviderad")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("förbund"),
    )
    budget_year = models.PositiveSmallIntegerField(
        _("budgetår"), validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("rubrik"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    decision_ref = models.CharField(
        _("beslut (§)"), max_length=100, blank=True, help_text=_("T.ex. ”§ 45, 2020-11-27”.")
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    printed_unit = models.CharField(
        _("tryckt i"),
        max_length=3,
        default="kr",
        choices=[("kr", "kr"), ("tkr", "tkr"), ("kkr", "kkr")],
    )
    unbalanced_reason = models.TextField(
        _("skäl till budget som inte är i balans"),
        blank=True,
        help_text=_("Styrelsens skäl, t.ex. att minska ett för stort eget kapital."),
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["association", "-budget_year", "-version"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "budget_year", "version"], name="unique_budget_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class BudgetColumn(models.Model):
    class Basis(models.TextChoices):
        OUTCOME = "outcome", _("Bokslut")
        FORECAST = "forecast", _("Prognos")
        BUDGET = "budget", _("Budget")
        PLAN = "plan", _("Plan")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="columns")
    year = models.PositiveSmallIntegerField(_("år"))
    basis = models.CharField(_("typ"), max_length=10, choices=Basis.choices)
    label = models.CharField(_("rubrik"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["budget", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "year", "basis"], name="unique_budget_column"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Statement(models.TextChoices):
    RESULT = "result", _("Resultatbudget")
    CASH_FLOW = "cashflow", _("Kassaflödesbudget")
    BALANCE = "balance", _("Balansbudget")


class Section(models.TextChoices):
    INCOME = "income", _("Verksamhetens intäkter")
    OPERATING_COST = "operating_cost", _("Verksamhetens kostnader")
    INTERVENTION_COST = "intervention_cost", _("Kostnader insatser")
    FINANCIAL = "financial", _("Finansiella poster (netto kostnad)")
    CF_OPERATING = "cf_operating", _("Den löpande verksamheten")
    CF_INVESTING = "cf_investing", _("Investeringsverksamheten")
    CF_FINANCING = "cf_financing", _("Finansieringsverksamheten")
    ASSET = "asset", _("Tillgångar")
    EQUITY = "equity", _("Eget kapital")
    LIABILITY = "liability", _("Skulder")


COST_SECTIONS = (Section.OPERATING_COST, Section.INTERVENTION_COST, Section.FINANCIAL)


class Role(models.TextChoices):
    """An item is entered; every other role is derived by the statements engine."""

    ITEM = "item", _("Post")
    CASH_ITEM = "cash_item", _("Kassa och bank (post)")
    SECTION_TOTAL = "section_total", _("Summa avsnitt")
    INCOME_TOTAL = "income_total", _("Summa intäkter")
    COST_TOTAL = "cost_total", _("Summa kostnader")
    RESULT = "result", _("Årets resultat")
    CF_RESULT = "cf_result", _("Årets resultat (kassaflöde)")
    CF_OPERATING_TOTAL = "cf_operating_total", _("Kassaflöde löpande verksamhet")
    CF_TOTAL = "cf_total", _("Årets kassaflöde")
    CASH_OPENING = "cash_opening", _("Likvida medel vid årets början")
    CASH_CLOSING = "cash_closing", _("Likvida medel vid årets slut")
    ASSETS_TOTAL = "assets_total", _("Summa tillgångar")
    EQUITY_OPENING = "equity_opening", _("Eget kapital vid årets början")
    EQUITY_RESULT = "equity_result", _("Därav årets resultat")
    EQUITY_CLOSING = "equity_closing", _("Eget kapital vid årets slut")
    LIABILITIES_TOTAL = "liabilities_total", _("Summa skulder")
    EQUITY_LIABILITIES_TOTAL = "equity_liabilities_total", _("Summa eget kapital och skulder")


ENTERED_ROLES = (Role.ITEM, Role.CASH_ITEM)


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    statement = models.CharField(_("rapport"), max_length=10, choices=Statement.choices)
    section = models.CharField(_("avsnitt"), max_length=20, choices=Section.choices, blank=True)
    role = models.CharField(_("radtyp"), max_length=30, choices=Role.choices, default=Role.ITEM)
    label = models.CharField(_("rad"), max_length=200)
    group = models.CharField(
        _("grupp"),
        max_length=60,
        blank=True,
        help_text=_(
            "Rader med samma grupp summeras av gruppens summarad, t.ex. ”Individinriktade "
            "insatser”."
        ),
    )
    account = models.CharField(_("konto"), max_length=20, blank=True)
    member_side = models.CharField(
        _("medlemsgrupp"),
        max_length=24,
        blank=True,
        choices=[
            ("state_agency", _("Staten")),
            ("region", _("Region")),
            ("municipality", _("Kommun")),
            ("region_municipality", _("Region och kommun")),
        ],
    )
    cost_kind = models.CharField(_("ändamål"), max_length=24, choices=CostKind.choices, blank=True)
    intervention = models.ForeignKey(
        "funding.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_lines",
        verbose_name=_("insats"),
    )
    kind_shares = models.JSONField(
        _("fördelning på ändamål"),
        default=dict,
        blank=True,
        help_text=_(
            "För en insats med flera inriktningar, t.ex. 50 % processtöd och 50 % "
            'individinriktad: {"process_support": "50", "individual": "50"}.'
        ),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["budget", "statement", "sort_order"]

    def __str__(self) -> str:
        return self.label

    def shares(self) -> dict[str, Decimal]:
        if self.kind_shares:
            return {k: Decimal(str(v)) / 100 for k, v in self.kind_shares.items()}
        return {self.cost_kind: Decimal(1)} if self.cost_kind else {}


class BudgetAmount(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")
    column = models.ForeignKey(BudgetColumn, on_delete=models.CASCADE, related_name="amounts")
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    step = models.DecimalField(
        _("tryckt precision"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_(
            "Minsta enhet beloppet trycktes i: 1 kr, 1000 kr (tkr) eller 100 kr "
            "(kkr med en decimal)."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "column"], name="unique_budget_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.column}: {self.amount}"


class FinancialRule(models.Model):
    class Kind(models.TextChoices):
        EQUITY_CEILING = "equity_ceiling", _("Eget kapital högst (andel)")
        EQUITY_FLOOR = "equity_floor", _("Eget kapital minst (kronor)")
        TARGET_SHARE = "target_share", _("Målandel av budgeten")
        BALANCED_BUDGET = "balanced_budget", _("Budget i balans")

    class Basis(models.TextChoices):
        CONTRIBUTIONS = "contributions", _("årets medlemsbidrag")
        BUDGETED_INCOME = "budgeted_income", _("budgeterade intäkter")
        COSTS = "costs", _("budgeterade kostnader")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="financial_rules",
        verbose_name=_("förbund"),
    )
    kind = models.CharField(_("regel"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        _("värde"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Procent för andelar (20 = 20 %), kronor för golv."),
    )
    basis = models.CharField(
        _("i förhållande till"), max_length=16, choices=Basis.choices, blank=True
    )
    cost_kind = models.CharField(_("ändamål"), max_length=24, choices=CostKind.choices, blank=True)
    tolerance = models.DecimalField(
        _("tolerans (procentenheter)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        help_text=_("Hur långt en andel får avvika från målandelen innan Finsam varnar."),
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    source = models.CharField(
        _("källa"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. verksamhetsplanen 2021 eller ett styrelsebeslut."),
    )

    class Meta:
        ordering = ["association", "kind", "cost_kind", "-valid_from"]
        verbose_name = _("finansiell regel")
        verbose_name_plural = _("finansiella regler")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value or ''}"


# --- bookkeeping actuals (SIE) -------------------------------------------------------------


class LedgerImport(models.Model):
    """One imported SIE file. Importing a corrected file for the same fiscal year replaces it."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_imports"
    )
    file_name = models.CharField(_("fil"), max_length=255)
    sha256 = models.CharField(max_length=64)
    company_name = models.CharField(_("företag i filen"), max_length=200, blank=True)
    org_number = models.CharField(_("organisationsnummer i filen"), max_length=20, blank=True)
    program = models.CharField(_("program"), max_length=200, blank=True)
    fiscal_year_start = models.DateField(_("räkenskapsår från"))
    fiscal_year_end = models.DateField(_("räkenskapsår till"))
    imported_at = models.DateTimeField(_("importerad"), auto_now_add=True)
    imported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voucher_count = models.PositiveIntegerField(default=0)
    transaction_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["association", "-fiscal_year_start", "-imported_at"]
        verbose_name = _("SIE-import")
        verbose_name_plural = _("SIE-importer")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.fiscal_year_start:%Y})"


class LedgerImportJob(models.Model):
    """An SIE file uploaded in the browser, imported in the background while the page shows progress.

    The import itself stays one all-or-nothing transaction; this row only says where the job is.
    Progress while it runs lives outside the database (see finsam.economy.jobs), because the
    import's transaction is invisible to other connections until it commits.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Importeras")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_import_jobs"
    )
    file = models.FileField(_("fil"), upload_to="sie-imports/%Y/", blank=True)
    file_name = models.CharField(_("fil"), max_length=255)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    message = models.TextField(_("meddelande"), blank=True)
    ledger_import = models.ForeignKey(
        LedgerImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unchanged = models.BooleanField(default=False)
    replaced = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        ordering = ["association", "-created_at"]
        verbose_name = _("SIE-importjobb")
        verbose_name_plural = _("SIE-importjobb")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class LedgerAccount(models.Model):
    class Type(models.TextChoices):
        ASSET = "T", _("Tillgång")
        LIABILITY = "S", _("Skuld eller eget kapital")
        COST = "K", _("Kostnad")
        INCOME = "I", _("Intäkt")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_accounts"
    )
    number = models.CharField(_("konto"), max_length=20)
    name = models.CharField(_("benämning"), max_length=200, blank=True)
    account_type = models.CharField(_("kontotyp"), max_length=1, choices=Type.choices, blank=True)

    class Meta:
        ordering = ["association", "number"]
        constraints = [
            models.UniqueConstraint(fields=["association", "number"], name="unique_ledger_account")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class LedgerObject(models.Model):
    """An object in a dimension (#DIM/#OBJEKT), e.g. a project code for an intervention."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_objects"
    )
    dimension = models.PositiveSmallIntegerField(_("dimension"))
    number = models.CharField(_("objekt"), max_length=40)
    name = models.CharField(_("benämning"), max_length=200, blank=True)
    line_label = models.CharField(
        _("budgetrad"),
        max_length=200,
        blank=True,
        help_text=_("Budgetraden (insatsen) som objektets kostnader följs upp mot."),
    )

    class Meta:
        ordering = ["association", "dimension", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "dimension", "number"], name="unique_ledger_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.number} {self.name}"


class LedgerBalance(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Ingående balans")
        CLOSING = "closing", _("Utgående balans")
        RESULT = "result", _("Resultat")
        PERIOD = "period", _("Periodsaldo")

    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="balances"
    )
    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    year_start = models.DateField()
    period = models.DateField(null=True, blank=True)  # first day of the month
    account = models.CharField(max_length=20)
    object_codes = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["association", "kind", "year_start"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account}: {self.amount}"


class LedgerTransaction(models.Model):
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="transactions"
    )
    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    series = models.CharField(max_length=20, blank=True)
    voucher_number = models.CharField(max_length=40, blank=True)
    account = models.CharField(max_length=20)
    object_codes = models.CharField(max_length=200, blank=True)  # "1:P1;6:100"
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    text = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["association", "date", "account"])]

    def __str__(self) -> str:
        return f"{self.series}{self.voucher_number} {self.date} {self.account}: {self.amount}"


class AccountMapping(models.Model):
    """Accounts from–to map to a budget line (by its label), edited by the economist."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="account_mappings"
    )
    account_from = models.CharField(_("från konto"), max_length=20)
    account_to = models.CharField(_("till och med konto"), max_length=20)
    line_label = models.CharField(_("budgetrad"), max_length=200)

    class Meta:
        ordering = ["association", "account_from"]
        verbose_name = _("kontomappning")
        verbose_name_plural = _("kontomappningar")

    def __str__(self) -> str:
        return f"{self.account_from}–{self.account_to} → {self.line_label}"

    def covers(self, account: str) -> bool:
        width = max(len(self.account_from), len(self.account_to), len(account))
        return (
            self.account_from.ljust(width, "0")
            <= account.ljust(width, "0")
            <= self.account_to.ljust(width, "9")
        )


class FollowUpEntry(models.Model):
    """The economist's accrual and forecast for one budget line and year."""

    class Method(models.TextChoices):
        ACTUAL = "actual", _("Utfall plus periodisering")
        EVEN = "even", _("Jämnt fördelad budget")
        PROFILE = "profile", _("Budget fördelad efter månadsprofil")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="follow_up_entries"
    )
    year = models.PositiveSmallIntegerField()
    line_label = models.CharField(max_length=200)
    method = models.CharField(
        _("periodisering"), max_length=8, choices=Method.choices, default=Method.ACTUAL
    )
    accrual = models.DecimalField(
        _("periodisering (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    profile = models.JSONField(
        _("månadsprofil"),
        default=list,
        blank=True,
        help_text=_(
            "Tolv vikter, en per månad, t.ex. 0 i juli för en verksamhet som har sommaruppehåll."
        ),
    )
    forecast = models.DecimalField(
        _("prognos helår (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("kommentar"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "line_label"], name="unique_follow_up_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_label} {self.year}"


class LedgerMonthSum(models.Model):
    """Transactions summed per month, account and objects at import: the follow-up reads these
    instead of aggregating a million rows on every page view."""

    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="month_sums"
    )
    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    account = models.CharField(max_length=20)
    object_codes = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["association", "month"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.account}: {self.amount}"
