"""The economy pages, one module per page family: budgets, rules, ledger, follow_up."""
