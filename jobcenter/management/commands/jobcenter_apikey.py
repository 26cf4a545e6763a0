"""Create, list or revoke a Jobcenter's API keys. The key is printed once and never stored.

manage.py jobcenter_apikey create --jobcenter "Jobcenter Kreis Pinneberg" --name "IT-Fachverfahren"
manage.py jobcenter_apikey list [--jobcenter ...]
manage.py jobcenter_apikey revoke <prefix>
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from jobcenter import services
from jobcenter.models import JobcenterAPIKey
from people.models import Organisation


def find_jobcenter(value: str) -> Organisation:
    qs = Organisation.objects.filter(kind=Organisation.Kind.JOBCENTER)
    found = qs.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or qs.filter(name=value).first() or qs.filter(short_name=value).first()
    if found is None:
        raise CommandError(f"No Jobcenter {value!r}.")
    return found


class Command(BaseCommand):
    help = "Create, list or revoke Jobcenter API keys (a new key is shown once)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--jobcenter", required=True, help="id, name or short name")
        create.add_argument("--name", default="")
        listing = sub.add_parser("list")
        listing.add_argument("--jobcenter", default="")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options):
        try:
            if action == "create":
                jobcenter = find_jobcenter(options["jobcenter"])
                api_key, key = services.api_key_create(
                    jobcenter=jobcenter, name=options["name"], by=None
                )
                self.stdout.write(f"Created key {api_key.prefix} for {jobcenter}.")
                self.stdout.write("Store this key now; it will not be shown again:")
                self.stdout.write(key)
            elif action == "list":
                qs = JobcenterAPIKey.objects.select_related("jobcenter").order_by("created")
                if options["jobcenter"]:
                    qs = qs.filter(jobcenter=find_jobcenter(options["jobcenter"]))
                for k in qs:
                    state = "revoked" if k.revoked else "active"
                    self.stdout.write(f"{k.prefix}\t{k.jobcenter}\t{k.name}\t{state}")
            else:
                api_key = JobcenterAPIKey.objects.filter(prefix=options["prefix"]).first()
                if api_key is None:
                    raise CommandError(f"No key with prefix {options['prefix']!r}.")
                services.api_key_revoke(api_key=api_key, by=None)
                self.stdout.write(f"Revoked key {api_key.prefix}.")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
