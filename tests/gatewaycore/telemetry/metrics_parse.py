#!/usr/bin/python3
# Parses an exposition from stdin with python3-prometheus-client and prints it as JSON, for the
# metrics writer tests. Usage: metrics_parse.py text|openmetrics
# Output: {"families": [{name, type, help, unit, samples: [{name, labels, value}], model}]}, where
# values are repr() strings (NaN and infinities survive JSON), "le" labels are normalised floats,
# and "model" is the family as the gateway's writer takes it (MetricFamily), or null when the
# family uses what that writer never produces (exemplars, timestamps, _created, other types).
# A document the parser refuses: exit status 1 and the reason on stderr.
import json
import math
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text


def norm_labels(labels):
    out = dict(labels)
    if "le" in out:
        out["le"] = repr(float(out["le"]))
    return out


def model_of(family):
    if family.type not in ("counter", "gauge", "histogram"):
        return None
    for s in family.samples:
        if s.timestamp is not None or s.exemplar is not None or s.name.endswith("_created"):
            return None
    model = {"name": family.name + ("_total" if family.type == "counter" else ""),
             "type": family.type, "help": family.documentation, "unit": family.unit,
             "bounds": [], "series": []}
    if family.type != "histogram":
        for s in family.samples:
            model["series"].append({"labels": s.labels, "value": repr(float(s.value))})
        return model
    # Histograms: series by their labels without le; every series must have the same bounds.
    groups = {}
    for s in family.samples:
        key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
        group = groups.setdefault(key, {"buckets": [], "sum": None})
        if s.name.endswith("_bucket"):
            group["buckets"].append((float(s.labels["le"]), s.value))
        elif s.name.endswith("_sum"):
            group["sum"] = s.value
    bounds = None
    for key, group in groups.items():
        group["buckets"].sort()
        these = [b for b, _ in group["buckets"] if not math.isinf(b)]
        if bounds is None:
            bounds = these
        if these != bounds or group["sum"] is None or not group["buckets"]:
            return None
        if any(v != int(v) for _, v in group["buckets"]):
            return None
        model["series"].append({"labels": dict(key), "buckets": [int(v) for _, v in group["buckets"]],
                                "sum": repr(float(group["sum"]))})
    model["bounds"] = [repr(b) for b in (bounds or [])]
    return model


def main():
    fmt = sys.argv[1] if len(sys.argv) > 1 else "text"
    text = sys.stdin.buffer.read().decode("utf-8")
    parse = parse_openmetrics if fmt == "openmetrics" else parse_text
    try:
        families = list(parse(text))
    except Exception as e:  # the parser's own exception types vary between versions
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    out = []
    for f in families:
        out.append({"name": f.name, "type": f.type, "help": f.documentation, "unit": f.unit,
                    "samples": [{"name": s.name, "labels": norm_labels(s.labels), "value": repr(float(s.value))}
                                for s in f.samples],
                    "model": model_of(f) if fmt == "openmetrics" else None})
    json.dump({"families": out}, sys.stdout, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
