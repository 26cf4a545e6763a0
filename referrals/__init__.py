"""Network referrals (issue 18). So far only the status table; models, services and pages follow."""
