// MetricsHistory: the last 15 minutes of the embedded gateway's metrics at 1 s resolution, built
// from the engine's cumulative MetricsSnapshot signals (differences of consecutive snapshots).
// A bounded table model (one row per second, oldest first) that the charts and CSV export read;
// a filter narrows the per-route columns to one API or one operation.
#pragma once

#include "telemetry/metricssnapshot.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <deque>
#include <optional>
#include <span>

namespace Gatehouse {

class MetricsHistory : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kDefaultCapacity = 15 * 60;   // rows: one a second
    static constexpr int kMaxRoutes = 1024;            // distinct (api, method, route) kept; more share one

    enum Column {
        Time = 0, RequestsPerSecond, P50Ms, P95Ms, P99Ms,
        Status1xx, Status2xx, Status3xx, Status4xx, Status5xx,
        ErrorsPerSecond, RateLimitedPerSecond, AuthFailuresPerSecond,
        FirstPhase,   // mean time per request in each Phase, ms: FirstPhase + int(Phase)
        ActiveConnections = FirstPhase + kPhaseCount,
        ColumnCount
    };
    static constexpr int ValueRole = Qt::UserRole + 1;   // double (NaN: no value that second)

    struct Operation
    {
        QString api;
        QString method;
        QString route;
        QString label() const;   // "GET /pets"
    };
    // What the per-route columns count: every request, one API's, or one operation's.
    struct Filter
    {
        QString api;      // empty = every request (also unrouted ones)
        QString method;   // with route: one operation of `api`
        QString route;
        bool operator==(const Filter &) const = default;
    };

    explicit MetricsHistory(QObject *parent = nullptr, int capacity = kDefaultCapacity);

    // The next snapshot of the same run: a row of its differences to the previous one. The very
    // first snapshot is a baseline only (unless startRun() came first); a counter going backwards
    // (a new registry) counts from zero.
    void addSnapshot(const MetricsSnapshot &snapshot);
    // The gateway (re)started: the next snapshot's counters are differences to zero.
    void startRun();
    void clear();

    void setFilter(const Filter &filter);
    const Filter &filter() const { return m_filter; }
    // APIs and operations seen so far, in order of appearance.
    QStringList apis() const;
    QList<Operation> operations() const { return m_operations; }

    int capacity() const { return m_capacity; }
    double value(int row, int column) const;   // NaN when none
    qint64 timeMs(int row) const;
    static QString columnName(int column);
    static QString columnDescription(int column);
    // Every row and column, a header line first; times in ISO 8601 UTC.
    QByteArray toCsv() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The q-quantile (0 < q < 1) of a histogram of per-bucket counts over `boundsNs` (+Inf last),
    // interpolated linearly inside the bucket (as Prometheus' histogram_quantile), in ms.
    static double quantileMs(const QList<quint64> &counts, std::span<const qint64> boundsNs, double q);

signals:
    void operationsChanged();

private:
    struct RouteDelta
    {
        int operation = 0;   // index into m_operations
        int status = 0;
        QList<quint64> counts;
        quint64 sumNs = 0;
    };
    struct Second
    {
        qint64 atMs = 0;
        double seconds = 1;   // the interval this row covers
        QList<RouteDelta> routes;
        std::array<quint64, kPhaseCount> phaseCounts{};
        std::array<quint64, kPhaseCount> phaseSumNs{};
        quint64 rateLimited = 0;
        quint64 authFailures = 0;
        qint64 activeConnections = 0;
    };
    using Row = std::array<double, ColumnCount>;

    int operationIndex(const MetricsSnapshot::RouteSeries &series);
    bool matches(const RouteDelta &d) const;
    Row compute(const Second &s) const;

    int m_capacity;
    Filter m_filter;
    std::optional<MetricsSnapshot> m_previous;
    bool m_fromZero = false;
    QList<Operation> m_operations;
    QHash<QString, int> m_operationIds;   // api '\n' method '\n' route
    std::deque<Second> m_seconds;
    std::deque<Row> m_rows;               // m_seconds computed for m_filter
};

} // namespace Gatehouse
