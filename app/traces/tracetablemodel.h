// The Traces dock's models: the recent traced requests the engine hands over in batches (a bounded
// table, newest last) and a filter over it (status class, API, free-text search).
#pragma once

#include "telemetry/tracerecord.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <deque>

namespace Gatehouse {

class TraceTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kDefaultCapacity = 2000;   // requests kept; the oldest go first
    // Requests whose capture (for Replay) is kept, newest first: older rows lose theirs, so the
    // captured bodies the table holds stay within kCapturesKept × 2 × maxBodyBytes.
    static constexpr int kCapturesKept = 200;
    enum Column { Time = 0, Method, Path, Status, LatencyMs, Api, Caller, ColumnCount };
    static constexpr int StatusRole = Qt::UserRole + 1;   // int
    static constexpr int ApiRole = Qt::UserRole + 2;      // QString
    static constexpr int SearchRole = Qt::UserRole + 3;   // QString: what the search box matches
    static constexpr int SortRole = Qt::UserRole + 4;     // numbers as numbers

    explicit TraceTableModel(QObject *parent = nullptr, int capacity = kDefaultCapacity);

    void append(const QList<TraceRecord> &records);
    void clear();
    int capacity() const { return m_capacity; }
    const TraceRecord &record(int row) const { return m_records[size_t(row)]; }
    QStringList apis() const;   // seen so far, sorted

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void apisChanged();

private:
    int m_capacity;
    std::deque<TraceRecord> m_records;
    qsizetype m_captured = 0;   // rows from the end of m_records that may still hold a capture
    QStringList m_apis;
};

class TraceFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusFilter { All = 1, Errors, Refused, ClientErrors, ServerErrors };

    explicit TraceFilterModel(QObject *parent = nullptr);

    void setStatusFilter(StatusFilter filter);
    void setApi(const QString &api);          // empty = every API
    void setSearch(const QString &text);      // case-insensitive, in path, route, caller, status ...

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    StatusFilter m_status = StatusFilter::All;
    QString m_api;
    QString m_search;
};

} // namespace Gatehouse
