"""QA: reading a question, routing it, and composing a cited answer."""
