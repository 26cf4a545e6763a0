"""Network referrals (issue 18): a counsellor or a Jobcenter caseworker refers a person, with
their consent, to a receiving provider of the network; the referral has an owner and a status
until it is closed, and moves on by itself when the receiver books a test or enrols the person."""
