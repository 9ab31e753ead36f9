// MetricsHistory: snapshot differences per second, bounded, filtered per API or operation.
#include "metricshistory.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>
#include <limits>
#include <tuple>

namespace Gatehouse {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

quint64 minus(quint64 now, quint64 before)
{
    return now >= before ? now - before : now;   // a counter going backwards: a new registry
}

QString routeKey(const QString &api, const QString &method, const QString &route)
{
    return api + u'\n' + method + u'\n' + route;
}

} // namespace

QString MetricsHistory::Operation::label() const
{
    return route.isEmpty() ? method : method + u' ' + route;
}

MetricsHistory::MetricsHistory(QObject *parent, int capacity)
    : QAbstractTableModel(parent), m_capacity(qMax(2, capacity))
{
}

void MetricsHistory::startRun()
{
    m_previous.reset();
    m_fromZero = true;
}

void MetricsHistory::clear()
{
    beginResetModel();
    m_seconds.clear();
    m_rows.clear();
    m_previous.reset();
    endResetModel();
}

int MetricsHistory::operationIndex(const MetricsSnapshot::RouteSeries &series)
{
    const QString api = QString::fromUtf8(series.api);
    const QString method = QString::fromUtf8(series.method);
    const QString route = QString::fromUtf8(series.route);
    const QString key = routeKey(api, method, route);
    if (const auto it = m_operationIds.constFind(key); it != m_operationIds.cend())
        return it.value();
    if (m_operations.size() >= kMaxRoutes) {   // one shared "other" entry beyond the bound
        const QString other = routeKey(QStringLiteral("_other"), QString(), QString());
        if (const auto it = m_operationIds.constFind(other); it != m_operationIds.cend())
            return it.value();
        m_operations.append({QStringLiteral("_other"), QStringLiteral("_other"), QString()});
        m_operationIds.insert(other, int(m_operations.size()) - 1);
        emit operationsChanged();
        return int(m_operations.size()) - 1;
    }
    m_operations.append({api, method, route});
    m_operationIds.insert(key, int(m_operations.size()) - 1);
    emit operationsChanged();
    return int(m_operations.size()) - 1;
}

void MetricsHistory::addSnapshot(const MetricsSnapshot &snapshot)
{
    if (!m_previous && m_fromZero) {   // a new run: its counters started at zero a second ago
        MetricsSnapshot zero;
        zero.monotonicNs = snapshot.monotonicNs - 1'000'000'000;
        m_previous = zero;
    }
    m_fromZero = false;
    if (!m_previous || snapshot.monotonicNs <= m_previous->monotonicNs) {
        m_previous = snapshot;
        return;
    }
    const MetricsSnapshot &before = *m_previous;
    Second s;
    s.atMs = snapshot.takenAtMs;
    s.seconds = double(snapshot.monotonicNs - before.monotonicNs) / 1e9;

    // Both route lists are sorted by (api, route, method, status): walk them together.
    qsizetype j = 0;
    auto less = [](const MetricsSnapshot::RouteSeries &a, const MetricsSnapshot::RouteSeries &b) {
        return std::tie(a.api, a.route, a.method, a.status) < std::tie(b.api, b.route, b.method, b.status);
    };
    for (const MetricsSnapshot::RouteSeries &now : snapshot.routes) {
        while (j < before.routes.size() && less(before.routes.at(j), now))
            ++j;
        const bool had = j < before.routes.size() && !less(now, before.routes.at(j));
        RouteDelta d;
        d.counts.resize(now.counts.size(), 0);
        quint64 total = 0;
        for (qsizetype b = 0; b < now.counts.size(); ++b) {
            const quint64 was = had && b < before.routes.at(j).counts.size() ? before.routes.at(j).counts.at(b) : 0;
            d.counts[b] = minus(now.counts.at(b), was);
            total += d.counts[b];
        }
        if (total == 0)
            continue;
        d.sumNs = minus(now.sumNs, had ? before.routes.at(j).sumNs : 0);
        d.status = now.status;
        d.operation = operationIndex(now);
        s.routes.append(std::move(d));
    }
    for (int p = 0; p < kPhaseCount; ++p) {
        const auto &n = snapshot.phases[size_t(p)];
        const auto &b = before.phases[size_t(p)];
        quint64 count = 0;
        for (qsizetype i = 0; i < n.counts.size(); ++i)
            count += minus(n.counts.at(i), i < b.counts.size() ? b.counts.at(i) : 0);
        s.phaseCounts[size_t(p)] = count;
        s.phaseSumNs[size_t(p)] = minus(n.sumNs, b.sumNs);
    }
    for (size_t i = 0; i < snapshot.rateLimited.size(); ++i)
        s.rateLimited += minus(snapshot.rateLimited[i], before.rateLimited[i]);
    for (size_t i = 0; i < snapshot.authFailures.size(); ++i)
        s.authFailures += minus(snapshot.authFailures[i], before.authFailures[i]);
    s.activeConnections = snapshot.activeConnections;
    m_previous = snapshot;

    if (int(m_seconds.size()) >= m_capacity) {
        beginRemoveRows({}, 0, 0);
        m_seconds.pop_front();
        m_rows.pop_front();
        endRemoveRows();
    }
    const int row = int(m_seconds.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(compute(s));
    m_seconds.push_back(std::move(s));
    endInsertRows();
}

bool MetricsHistory::matches(const RouteDelta &d) const
{
    if (m_filter.api.isEmpty())
        return true;
    const Operation &op = m_operations.at(d.operation);
    if (op.api != m_filter.api)
        return false;
    const bool wholeApi = m_filter.route.isEmpty() && m_filter.method.isEmpty();
    return wholeApi || (op.method == m_filter.method && op.route == m_filter.route);
}

double MetricsHistory::quantileMs(const QList<quint64> &counts, std::span<const qint64> boundsNs, double q)
{
    quint64 total = 0;
    for (quint64 c : counts)
        total += c;
    if (total == 0 || boundsNs.empty())
        return kNaN;
    const double rank = q * double(total);
    quint64 cumulative = 0;
    for (qsizetype i = 0; i < counts.size(); ++i) {
        const quint64 previous = cumulative;
        cumulative += counts.at(i);
        if (double(cumulative) < rank || counts.at(i) == 0)
            continue;
        if (size_t(i) >= boundsNs.size())   // +Inf: the last finite bound is all that is known
            return double(boundsNs.back()) / 1e6;
        const double lower = i == 0 ? 0.0 : double(boundsNs[size_t(i) - 1]);
        const double upper = double(boundsNs[size_t(i)]);
        const double fraction = (rank - double(previous)) / double(counts.at(i));
        return (lower + (upper - lower) * fraction) / 1e6;
    }
    return double(boundsNs.back()) / 1e6;
}

MetricsHistory::Row MetricsHistory::compute(const Second &s) const
{
    Row row;
    row.fill(0);
    row[Time] = double(s.atMs) / 1000.0;
    const double per = s.seconds > 0 ? 1.0 / s.seconds : 1.0;
    QList<quint64> histogram(qsizetype(MetricBounds::kRequestNs.size()) + 1, 0);
    quint64 requests = 0;
    quint64 limited429 = 0;
    quint64 refused401or403 = 0;
    std::array<quint64, 5> classes{};
    for (const RouteDelta &d : s.routes) {
        if (!matches(d))
            continue;
        quint64 n = 0;
        for (qsizetype b = 0; b < d.counts.size() && b < histogram.size(); ++b) {
            histogram[b] += d.counts.at(b);
            n += d.counts.at(b);
        }
        requests += n;
        if (d.status >= 100 && d.status < 600)
            classes[size_t(d.status / 100 - 1)] += n;
        if (d.status == 429)
            limited429 += n;
        if (d.status == 401 || d.status == 403)
            refused401or403 += n;
    }
    row[RequestsPerSecond] = double(requests) * per;
    row[P50Ms] = quantileMs(histogram, MetricBounds::kRequestNs, 0.50);
    row[P95Ms] = quantileMs(histogram, MetricBounds::kRequestNs, 0.95);
    row[P99Ms] = quantileMs(histogram, MetricBounds::kRequestNs, 0.99);
    for (int c = 0; c < 5; ++c)
        row[size_t(Status1xx + c)] = double(classes[size_t(c)]) * per;
    row[ErrorsPerSecond] = double(classes[4]) * per;
    // The rate limiter's own counter when nothing is filtered; per API or operation, the 429
    // answers of its routes (the counter has no route label).
    row[RateLimitedPerSecond] = double(m_filter.api.isEmpty() ? s.rateLimited : limited429) * per;
    // Likewise the auth failures: the gateway's counter for all, the 401 and 403 answers of the
    // filtered routes otherwise.
    row[AuthFailuresPerSecond] = double(m_filter.api.isEmpty() ? s.authFailures : refused401or403) * per;
    for (int p = 0; p < kPhaseCount; ++p) {
        const quint64 n = s.phaseCounts[size_t(p)];
        row[size_t(FirstPhase + p)] = n > 0 ? double(s.phaseSumNs[size_t(p)]) / double(n) / 1e6 : kNaN;
    }
    row[ActiveConnections] = double(s.activeConnections);
    return row;
}

void MetricsHistory::setFilter(const Filter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    for (size_t i = 0; i < m_seconds.size(); ++i)
        m_rows[i] = compute(m_seconds[i]);
    if (!m_rows.empty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

QStringList MetricsHistory::apis() const
{
    QStringList out;
    for (const Operation &op : m_operations) {
        if (!op.api.isEmpty() && !out.contains(op.api))
            out.append(op.api);
    }
    return out;
}

double MetricsHistory::value(int row, int column) const
{
    if (row < 0 || row >= int(m_rows.size()) || column < 0 || column >= ColumnCount)
        return kNaN;
    return m_rows[size_t(row)][size_t(column)];
}

qint64 MetricsHistory::timeMs(int row) const
{
    return row >= 0 && row < int(m_seconds.size()) ? m_seconds[size_t(row)].atMs : 0;
}

QString MetricsHistory::columnName(int column)
{
    switch (column) {
    case Time: return tr("Time");
    case RequestsPerSecond: return tr("Requests/s");
    case P50Ms: return tr("p50 (ms)");
    case P95Ms: return tr("p95 (ms)");
    case P99Ms: return tr("p99 (ms)");
    case Status1xx: return tr("1xx/s");
    case Status2xx: return tr("2xx/s");
    case Status3xx: return tr("3xx/s");
    case Status4xx: return tr("4xx/s");
    case Status5xx: return tr("5xx/s");
    case ErrorsPerSecond: return tr("Errors/s");
    case RateLimitedPerSecond: return tr("Rate-limited/s");
    case AuthFailuresPerSecond: return tr("Auth failures/s");
    case ActiveConnections: return tr("Connections");
    default:
        break;
    }
    if (column >= FirstPhase && column < FirstPhase + kPhaseCount)
        return tr("%1 (ms)").arg(phaseName(Phase(column - FirstPhase)));
    return {};
}

QString MetricsHistory::columnDescription(int column)
{
    switch (column) {
    case P50Ms:
    case P95Ms:
    case P99Ms:
        return tr("Request duration percentile in that second, estimated from the histogram buckets");
    case ErrorsPerSecond: return tr("Responses with a 5xx status");
    case RateLimitedPerSecond:
        return tr("Requests refused by rate limiting (per API or operation: its 429 responses)");
    case AuthFailuresPerSecond:
        return tr("Requests refused by authentication or authorization (per API or operation: its "
                  "401 and 403 responses)");
    case ActiveConnections: return tr("Open client connections");
    default:
        break;
    }
    if (column >= FirstPhase && column < FirstPhase + kPhaseCount)
        return tr("Mean time a request spent in this phase (all APIs)");
    return {};
}

QByteArray MetricsHistory::toCsv() const
{
    QByteArray csv;
    for (int c = 0; c < ColumnCount; ++c) {
        csv += c ? "," : "";
        csv += columnName(c).toUtf8();
    }
    csv += '\n';
    for (size_t r = 0; r < m_rows.size(); ++r) {
        csv += QDateTime::fromMSecsSinceEpoch(m_seconds[r].atMs, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        for (int c = 1; c < ColumnCount; ++c) {
            const double v = m_rows[r][size_t(c)];
            csv += ',';
            if (!std::isnan(v))
                csv += QByteArray::number(v, 'g', 6);
        }
        csv += '\n';
    }
    return csv;
}

int MetricsHistory::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MetricsHistory::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MetricsHistory::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const double v = value(index.row(), index.column());
    if (role == ValueRole)
        return v;
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    if (index.column() == Time)
        return QDateTime::fromMSecsSinceEpoch(timeMs(index.row())).toString(QStringLiteral("HH:mm:ss"));
    if (std::isnan(v))
        return QString();
    return QLocale().toString(v, 'f', index.column() >= P50Ms && index.column() <= P99Ms ? 2 : 1);
}

QVariant MetricsHistory::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return columnName(section);
    if (role == Qt::ToolTipRole)
        return columnDescription(section);
    return {};
}

} // namespace Gatehouse
