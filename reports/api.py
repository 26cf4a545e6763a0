"""Report figures as JSON: the same DataFrames as the pages and exports."""

from __future__ import annotations

import math

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.access import report_scope
from reports.forms import ReportFilterForm


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _clean(value.item())
    return value


class ReportView(APIView):
    """``GET /api/v1/reports/<slug>/``: columns, rows and totals of one report.

    Filters as on the page: ``date_from``, ``date_to`` (ISO dates), ``location`` (id),
    ``course_type`` (code), ``group_by`` (attendance), ``provider`` (id). Staff see their
    provider, teachers their courses, network viewers aggregates of their network.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, required=False)
            for name in ("date_from", "date_to", "location", "course_type", "group_by", "provider")
        ],
        responses=inline_serializer(
            "ReportOutput",
            {
                "report": serializers.CharField(),
                "title": serializers.CharField(),
                "date_from": serializers.DateField(),
                "date_to": serializers.DateField(),
                "columns": serializers.ListField(child=serializers.DictField()),
                "rows": serializers.ListField(child=serializers.DictField()),
                "totals": serializers.DictField(),
            },
        ),
    )
    def get(self, request: Request, slug: str) -> Response:
        from reports.frames import REPORTS  # pandas: loaded by the first report, not the URLs

        report = REPORTS.get(slug)
        if report is None:
            raise Http404
        scope = report_scope(user=request.user, provider=request.query_params.get("provider"))
        form = ReportFilterForm(
            request.query_params or None, scope=scope, with_grouping=(slug == "attendance")
        )
        if form.is_bound and not form.is_valid():
            raise serializers.ValidationError(
                {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}
            )
        filters = form.filters()
        result = report.build(scope, filters)
        rows = [
            {key: _clean(value) for key, value in row.items()}
            for row in result.df.to_dict("records")
        ]
        return Response(
            {
                "report": slug,
                "title": str(report.title),
                "date_from": filters.date_from,
                "date_to": filters.date_to,
                "columns": [{"key": k, "label": str(v)} for k, v in report.columns.items()],
                "rows": rows,
                "totals": {k: _clean(v) for k, v in result.totals.items()},
            }
        )
