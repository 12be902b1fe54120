"""Ready-made sources for the platforms whose export columns are public:
``profile: amazon-connect`` in a source of ``journeycode.yaml`` reads as if its
settings were written there, and the source's own settings override them (its
``columns``, ``codes`` and ``units`` are added to the profile's, key by key).

Each profile names the platform's metrics by what they are, so that a computed
KPI reads the same whatever the platform (``measurements: kpis:``)::

    aht: {sum: handle_time, per: contacts_handled}

- ``amazon-connect``: Amazon Connect's historical metrics (``GetMetricData``),
  one row per interval and queue, a column per metric as the API names it.
  Its averages (``HANDLE_TIME``, ``QUEUE_ANSWER_TIME``) are averages of the
  interval: weigh them by the contacts they average over
  (``{sum: avg_handle_time, weight: contacts_handled}``); ``SERVICE_LEVEL`` is a
  percentage of the interval, weighed by ``contacts_queued``.
- ``genesys-cloud``: Genesys Cloud's queue aggregates
  (``/analytics/conversations/aggregates/query`` flattened to CSV), one row per
  interval (``start/end``), queue and media type; a time metric comes as its
  count and its sum in milliseconds (``tHandle.count``, ``tHandle.sum``), a
  count metric as its count (``nOffered.count``).

``examples/amazon-connect`` and ``examples/genesys-cloud`` hold a synthetic
export of each, read by the tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PROFILES: Mapping[str, Mapping[str, Any]] = {
    "amazon-connect": {
        "shape": "wide",
        "delimiter": ",",
        "period": {"column": "StartTime", "form": "interval"},
        "columns": {"segment": "QUEUE"},
        "codes": {
            "CONTACTS_QUEUED": "contacts_queued",
            "CONTACTS_HANDLED": "contacts_handled",
            "CONTACTS_ABANDONED": "contacts_abandoned",
            "CONTACTS_TRANSFERRED_OUT": "contacts_transferred",
            "HANDLE_TIME": "avg_handle_time",
            "QUEUE_ANSWER_TIME": "avg_queue_answer_time",
            "SERVICE_LEVEL": "service_level",
        },
        "units": {
            "HANDLE_TIME": "s",
            "QUEUE_ANSWER_TIME": "s",
            "SERVICE_LEVEL": "percent",
        },
    },
    "genesys-cloud": {
        "shape": "wide",
        "delimiter": ",",
        "period": {"column": "interval", "form": "interval"},
        "columns": {"segment": "queueId"},
        "codes": {
            "nOffered.count": "offered",
            "tAnswered.count": "answered",
            "tAnswered.sum": "answer_time",
            "tHandle.count": "contacts_handled",
            "tHandle.sum": "handle_time",
            "tAbandon.count": "abandoned",
            "nOverSla.count": "over_sla",
            "nTransferred.count": "transferred",
            "oServiceLevel.ratio": "service_level",
        },
        "units": {
            "tAnswered.sum": "ms",
            "tHandle.sum": "ms",
            "oServiceLevel.ratio": "ratio",
        },
    },
}
"""Each profile's settings, as a source in ``journeycode.yaml`` writes them."""
