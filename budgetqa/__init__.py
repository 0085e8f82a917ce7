"""BudgetQA: exact, cited answers about Chinese government budget disclosures."""

__version__ = "0.1.0"
