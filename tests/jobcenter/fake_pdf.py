def build(enrolment) -> bytes:
    return b"%PDF-1.4 fake for enrolment " + str(enrolment.pk).encode()
