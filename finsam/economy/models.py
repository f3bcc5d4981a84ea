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
from django.utils.translation import pgettext_lazy


class CostKind(models.TextChoices):
    """What a budget line's money is for, when comparing the budget with target shares."""

    INDIVIDUAL = "individual", _("Individual-focused interventions")
    STRUCTURAL = "structural", _("Structural interventions")
    PROCESS_SUPPORT = "process_support", _("Process-support interventions")
    COLLABORATION_SUPPORT = "collaboration_support", _("Collaboration-support interventions")
    ADMINISTRATION = "administration", _("Administration (board and office)")
    UNALLOCATED = "unallocated", _("Unallocated funds")


INTERVENTION_COST_KINDS = (
    CostKind.INDIVIDUAL,
    CostKind.STRUCTURAL,
    CostKind.PROCESS_SUPPORT,
    CostKind.COLLABORATION_SUPPORT,
)


class Budget(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Decided")
        REVISED = "revised", _("Revised")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("association"),
    )
    budget_year = models.PositiveSmallIntegerField(
        _("budget year"), validators=[MinValueValidator(2004), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    decision_ref = models.CharField(
        _("decision (§)"), max_length=100, blank=True, help_text=_("E.g. “§ 45, 2020-11-27”.")
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    printed_unit = models.CharField(
        _("printed in"),
        max_length=3,
        default="kr",
        choices=[("kr", "kr"), ("tkr", "tkr"), ("kkr", "kkr")],
    )
    unbalanced_reason = models.TextField(
        _("reason for an unbalanced budget"),
        blank=True,
        help_text=_("The board's reason, e.g. to reduce excessive equity."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["association", "-budget_year", "-version"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "budget_year", "version"], name="unique_budget_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class BudgetColumn(models.Model):
    class Basis(models.TextChoices):
        OUTCOME = "outcome", _("Final accounts")
        FORECAST = "forecast", _("Forecast")
        BUDGET = "budget", _("Budget")
        PLAN = "plan", _("Plan")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="columns")
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.CharField(_("type"), max_length=10, choices=Basis.choices)
    label = models.CharField(_("title"), max_length=60)
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
    RESULT = "result", _("Income statement budget")
    CASH_FLOW = "cashflow", _("Cash flow budget")
    BALANCE = "balance", _("Balance sheet budget")


class Section(models.TextChoices):
    INCOME = "income", _("Operating income")
    # ESF and other funders' project money: income, kept apart from the member contributions.
    EXTERNAL_INCOME = "external_income", _("External project income (ESF and other funders)")
    OPERATING_COST = "operating_cost", _("Operating costs")
    INTERVENTION_COST = "intervention_cost", _("Intervention costs")
    FINANCIAL = "financial", _("Financial items (net cost)")
    CF_OPERATING = "cf_operating", _("Operating activities")
    CF_INVESTING = "cf_investing", _("Investing activities")
    CF_FINANCING = "cf_financing", _("Financing activities")
    ASSET = "asset", _("Assets")
    EQUITY = "equity", _("Equity")
    # A part of equity set aside for a named project or purpose (e.g. an ESF project's surplus):
    # each line is that part's balance at the end of the year, "of which" equity, not added to it.
    EARMARKED_EQUITY = "earmarked_equity", _("Earmarked equity (of which)")
    LIABILITY = "liability", _("Liabilities")


COST_SECTIONS = (Section.OPERATING_COST, Section.INTERVENTION_COST, Section.FINANCIAL)
INCOME_SECTIONS = (Section.INCOME, Section.EXTERNAL_INCOME)


class Role(models.TextChoices):
    """An item is entered; every other role is derived by the statements engine."""

    ITEM = "item", _("Item")
    CASH_ITEM = "cash_item", _("Cash and bank (item)")
    SECTION_TOTAL = "section_total", _("Section total")
    INCOME_TOTAL = "income_total", _("Total income")
    COST_TOTAL = "cost_total", _("Total costs")
    RESULT = "result", _("Result for the year")
    CF_RESULT = "cf_result", _("Result for the year (cash flow)")
    CF_OPERATING_TOTAL = "cf_operating_total", _("Cash flow from operating activities")
    CF_TOTAL = "cf_total", _("Cash flow for the year")
    CASH_OPENING = "cash_opening", _("Cash and cash equivalents at start of year")
    CASH_CLOSING = "cash_closing", _("Cash and cash equivalents at end of year")
    ASSETS_TOTAL = "assets_total", _("Total assets")
    EQUITY_OPENING = "equity_opening", _("Equity at start of year")
    EQUITY_RESULT = "equity_result", _("Of which result for the year")
    EQUITY_CLOSING = "equity_closing", _("Equity at end of year")
    LIABILITIES_TOTAL = "liabilities_total", _("Total liabilities")
    EQUITY_LIABILITIES_TOTAL = "equity_liabilities_total", _("Total equity and liabilities")


ENTERED_ROLES = (Role.ITEM, Role.CASH_ITEM)


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    statement = models.CharField(_("report"), max_length=10, choices=Statement.choices)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices, blank=True)
    role = models.CharField(_("line type"), max_length=30, choices=Role.choices, default=Role.ITEM)
    label = models.CharField(_("line"), max_length=200)
    group = models.CharField(
        _("group"),
        max_length=60,
        blank=True,
        help_text=_(
            "Lines in the same group are added up by the group's total line, e.g. "
            "“Individual-focused interventions”."
        ),
    )
    account = models.CharField(_("account"), max_length=20, blank=True)
    member_side = models.CharField(
        _("member group"),
        max_length=24,
        blank=True,
        choices=[
            ("state_agency", _("State")),
            ("region", _("Region")),
            ("municipality", _("Municipality")),
            ("region_municipality", _("Region and municipality")),
        ],
    )
    cost_kind = models.CharField(_("purpose"), max_length=24, choices=CostKind.choices, blank=True)
    intervention = models.ForeignKey(
        "funding.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget_lines",
        verbose_name=_("intervention"),
    )
    kind_shares = models.JSONField(
        _("split by purpose"),
        default=dict,
        blank=True,
        help_text=_(
            "For an intervention with several focuses, e.g. 50 % process support and 50 % "
            'individual-focused: {"process_support": "50", "individual": "50"}.'
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
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    step = models.DecimalField(
        _("printed precision"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_(
            "Smallest unit the amount was printed in: 1 kr, 1000 kr (tkr) or 100 kr (kkr with one "
            "decimal)."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["line", "column"], name="unique_budget_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.column}: {self.amount}"


class FinancialRule(models.Model):
    """Equity rules are in kronor, or a share of the basis they name when they name one;
    result rules are in kronor (a negative floor allows a planned deficit of at most that)."""

    class Kind(models.TextChoices):
        EQUITY_CEILING = "equity_ceiling", _("Maximum equity")
        EQUITY_FLOOR = "equity_floor", _("Minimum equity")
        RESULT_FLOOR = "result_floor", _("Minimum result for the year (kronor)")
        RESULT_CEILING = "result_ceiling", _("Maximum result for the year (kronor)")
        TARGET_SHARE = "target_share", _("Target share of the budget")
        BALANCED_BUDGET = "balanced_budget", _("Balanced budget")

    class Basis(models.TextChoices):
        CONTRIBUTIONS = "contributions", _("member contributions for the year")
        BUDGETED_INCOME = "budgeted_income", _("budgeted income")
        COSTS = "costs", _("budgeted costs")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="financial_rules",
        verbose_name=_("association"),
    )
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Per cent when the rule is relative to something (20 = 20 %), otherwise kronor."
        ),
    )
    basis = models.CharField(
        _("relative to"),
        max_length=16,
        choices=Basis.choices,
        blank=True,
        help_text=_("Blank for an amount in kronor."),
    )
    cost_kind = models.CharField(_("purpose"), max_length=24, choices=CostKind.choices, blank=True)
    tolerance = models.DecimalField(
        _("tolerance (percentage points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        help_text=_(
            "How far a share may deviate from the target share before Finsam gives a warning."
        ),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the 2021 operational plan or a board decision."),
    )

    class Meta:
        ordering = ["association", "kind", "cost_kind", "-valid_from"]
        verbose_name = _("financial rule")
        verbose_name_plural = _("financial rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value or ''}"

    @property
    def is_share(self) -> bool:
        """Whether the value is a percentage of `basis` (else an amount in kronor)."""
        return self.kind == self.Kind.TARGET_SHARE or (
            self.kind in (self.Kind.EQUITY_CEILING, self.Kind.EQUITY_FLOOR) and bool(self.basis)
        )


# --- bookkeeping actuals (SIE) -------------------------------------------------------------


class LedgerImport(models.Model):
    """One imported SIE file. Importing a corrected file for the same fiscal year replaces it."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_imports"
    )
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    company_name = models.CharField(_("company in the file"), max_length=200, blank=True)
    org_number = models.CharField(_("organisation number in the file"), max_length=20, blank=True)
    program = models.CharField(_("program"), max_length=200, blank=True)
    fiscal_year_start = models.DateField(_("financial year from"))
    fiscal_year_end = models.DateField(_("financial year to"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    imported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voucher_count = models.PositiveIntegerField(default=0)
    transaction_count = models.PositiveIntegerField(default=0)
    # Rows are written in short batches while the file is read; readers see an import (and its
    # rows) only once the last step has marked it complete.
    complete = models.BooleanField(default=False)

    class Meta:
        ordering = ["association", "-fiscal_year_start", "-imported_at"]
        verbose_name = _("SIE import")
        verbose_name_plural = _("SIE imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.fiscal_year_start:%Y})"


class LedgerImportJob(models.Model):
    """An SIE file uploaded in the browser, imported in the background while the page shows progress.

    The import is run by a task worker (finsam.economy.jobs); it writes its progress and a
    heartbeat here after every batch, so any web process sees how far it is and whether its
    worker still lives.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_import_jobs"
    )
    file = models.FileField(_("file"), upload_to="sie-imports/%Y/", blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    ledger_import = models.ForeignKey(
        LedgerImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unchanged = models.BooleanField(default=False)
    replaced = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    bytes_read = models.PositiveBigIntegerField(default=0)
    transactions = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["association", "-created_at"]
        verbose_name = _("SIE import job")
        verbose_name_plural = _("SIE import jobs")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        """How much of the file has been read; never 100 before the job is done."""
        if self.size <= 0:
            return 0
        return min(99, self.bytes_read * 100 // self.size)


class LedgerAccount(models.Model):
    class Type(models.TextChoices):
        ASSET = "T", _("Asset")
        LIABILITY = "S", _("Liability or equity")
        COST = "K", _("Cost")
        INCOME = "I", pgettext_lazy("account type", "Income")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_accounts"
    )
    number = models.CharField(_("account"), max_length=20)
    name = models.CharField(pgettext_lazy("designation", "name"), max_length=200, blank=True)
    account_type = models.CharField(
        _("account type"), max_length=1, choices=Type.choices, blank=True
    )

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
    number = models.CharField(_("object"), max_length=40)
    name = models.CharField(pgettext_lazy("designation", "name"), max_length=200, blank=True)
    line_label = models.CharField(
        _("budget line"),
        max_length=200,
        blank=True,
        help_text=_(
            "The budget line (intervention) that the object's costs are followed up against."
        ),
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
        OPENING = "opening", _("Opening balance")
        CLOSING = "closing", _("Closing balance")
        RESULT = "result", _("Result")
        PERIOD = "period", _("Period balance")

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
    # No database foreign-key constraints: PostgreSQL checks one per row with a query of its
    # own, which took most of the server's time in a COPY of a million rows. Only the importer
    # writes these rows, with the import it has just created and its association; deletes
    # cascade through Django as before. `association` is indexed by the index below.
    ledger_import = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="transactions", db_constraint=False
    )
    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
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
    account_from = models.CharField(_("from account"), max_length=20)
    account_to = models.CharField(_("to account (inclusive)"), max_length=20)
    line_label = models.CharField(_("budget line"), max_length=200)

    class Meta:
        ordering = ["association", "account_from"]
        verbose_name = _("account mapping")
        verbose_name_plural = _("account mappings")

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
        ACTUAL = "actual", _("Actual plus accrual")
        EVEN = "even", _("Budget spread evenly")
        PROFILE = "profile", _("Budget spread by monthly profile")
        # Payment schedules, as members pay their contributions: due in advance.
        QUARTERLY = "quarterly", _("Paid quarterly in advance")
        YEARLY = "yearly", _("Paid yearly in advance")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="follow_up_entries"
    )
    year = models.PositiveSmallIntegerField()
    line_label = models.CharField(max_length=200)
    method = models.CharField(
        _("accrual method"), max_length=10, choices=Method.choices, default=Method.ACTUAL
    )
    accrual = models.DecimalField(
        _("accrual (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    profile = models.JSONField(
        _("monthly profile"),
        default=list,
        blank=True,
        help_text=_(
            "Twelve weights, one per month, e.g. 0 in July for an activity with a summer break."
        ),
    )
    forecast = models.DecimalField(
        _("full-year forecast (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)

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
