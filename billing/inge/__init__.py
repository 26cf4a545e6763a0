"""Reports to BAMF's InGe-Online: the outbox of what a provider must report, kept next to billing.

- ``facts``    reads what a report needs from the course data (no format, no writes);
- ``format``   the InGe form: field order, labels and the rules of the form — the one module a
               later electronic transmission replaces;
- ``services`` every write: bring the outbox up to date, mark ready, mark sent, correct;
- ``receivers`` and ``tasks``: reports appear when the fact happens (learner events, test
               results) and a daily sweep catches what time alone brings (a module's start).
"""
