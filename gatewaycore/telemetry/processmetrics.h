// The process_* metrics every Prometheus client library exposes, read from /proc/self.
#pragma once

#include "metricfamily.h"

namespace Gatehouse {

// Appends process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds and process_start_time_seconds. Values /proc does not give
// (another OS, a restricted /proc) are left out rather than reported as 0.
void appendProcessMetrics(QList<MetricFamily> &families);

} // namespace Gatehouse
