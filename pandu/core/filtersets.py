"""One filter definition for the list of background jobs."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .models import Job


class JobFilterSet(df.FilterSet):
    status = df.ChoiceFilter(label=_("Status"), choices=Job.Status.choices, empty_label=_("Semua"))

    class Meta:
        model = Job
        fields = ["status"]
