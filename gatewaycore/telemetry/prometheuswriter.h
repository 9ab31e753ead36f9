// Exposition of metric families as Prometheus text 0.0.4 or OpenMetrics 1.0 (chosen from the
// scraper's Accept field), with label values escaped and repaired whatever bytes they hold.
#pragma once

#include "metricfamily.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Gatehouse {

enum class ExpositionFormat { PrometheusText = 1, OpenMetrics };

// OpenMetrics when the Accept field asks for application/openmetrics-text (version 1.0.0, or no
// version) at least as strongly as for text/plain; Prometheus text 0.0.4 otherwise.
ExpositionFormat negotiateExposition(QByteArrayView accept);
// "text/plain; version=0.0.4; charset=utf-8" or "application/openmetrics-text; version=1.0.0; ...".
QByteArrayView expositionContentType(ExpositionFormat format);

// The whole exposition. Names outside [a-zA-Z_:][a-zA-Z0-9_:]* have the offending characters
// replaced by '_'; label values and help texts are escaped, and invalid UTF-8 in them becomes
// U+FFFD, so any input gives a document a Prometheus server accepts. OpenMetrics ends in "# EOF".
QByteArray writeExposition(const QList<MetricFamily> &families, ExpositionFormat format);

} // namespace Gatehouse
