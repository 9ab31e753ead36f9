// process_* metrics from /proc/self/stat, /proc/self/fd, /proc/self/limits and /proc/stat.
#include "processmetrics.h"

#include <QDir>
#include <QFile>

#include <sys/resource.h>
#include <unistd.h>

namespace Gatehouse {

namespace {

QByteArray readProcFile(const char *path)
{
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();   // /proc files report size 0: read until EOF
}

void appendGauge(QList<MetricFamily> &families, const char *name, const char *help, MetricType type,
                 const char *unit, double value)
{
    MetricFamily f;
    f.name = name;
    f.help = help;
    f.type = type;
    f.unit = unit;
    MetricSeries s;
    s.value = value;
    f.series.append(s);
    families.append(std::move(f));
}

// Seconds since the epoch at boot ("btime" in /proc/stat); 0 when unknown.
qint64 bootTime()
{
    const QByteArray stat = readProcFile("/proc/stat");
    const qsizetype at = stat.indexOf("\nbtime ");
    if (at < 0)
        return 0;
    const qsizetype end = stat.indexOf('\n', at + 1);
    return stat.mid(at + 7, end < 0 ? -1 : end - at - 7).trimmed().toLongLong();
}

} // namespace

void appendProcessMetrics(QList<MetricFamily> &families)
{
    // The fields after the command (which may hold spaces and parentheses) start after the last ')'.
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    const QList<QByteArray> fields = close < 0 ? QList<QByteArray>() : stat.mid(close + 2).split(' ');
    // Field n of proc(5) is fields[n - 3]: utime 14, stime 15, starttime 22, vsize 23, rss 24.
    if (fields.size() > 21) {
        const double ticks = double(sysconf(_SC_CLK_TCK));
        const double pageSize = double(sysconf(_SC_PAGESIZE));
        appendGauge(families, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                    MetricType::Counter, "seconds",
                    double(fields[11].toLongLong() + fields[12].toLongLong()) / ticks);
        appendGauge(families, "process_resident_memory_bytes", "Resident memory size in bytes.",
                    MetricType::Gauge, "bytes", double(fields[21].toLongLong()) * pageSize);
        appendGauge(families, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
                    MetricType::Gauge, "bytes", double(fields[20].toLongLong()));
        if (const qint64 boot = bootTime(); boot > 0) {
            appendGauge(families, "process_start_time_seconds",
                        "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                        "seconds", double(boot) + double(fields[19].toLongLong()) / ticks);
        }
    }
    const QDir fds(QStringLiteral("/proc/self/fd"));
    if (fds.exists()) {
        // The directory listing itself holds one descriptor while it reads.
        const qsizetype open = fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot).size();
        appendGauge(families, "process_open_fds", "Number of open file descriptors.", MetricType::Gauge, "",
                    double(qMax<qsizetype>(open - 1, 0)));
    }
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        appendGauge(families, "process_max_fds", "Maximum number of open file descriptors.",
                    MetricType::Gauge, "", double(limit.rlim_cur));
    }
}

} // namespace Gatehouse
