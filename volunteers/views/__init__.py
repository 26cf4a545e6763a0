"""The volunteers app's pages: public (practise German, sign-up), the volunteer's own, the
learner's language buddy page, and the coordinators' pages with reports."""
