"""Settings for the test suite: the normal settings with testing switches on."""

import os

os.environ["LB_TESTING"] = "1"

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The test client's login() authenticates without a request, which django-axes refuses; the
# login-limit tests switch it on for themselves.
AXES_ENABLED = False
