// TraceTableModel and TraceFilterModel.
#include "tracetablemodel.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace Gatehouse {

TraceTableModel::TraceTableModel(QObject *parent, int capacity)
    : QAbstractTableModel(parent), m_capacity(qMax(1, capacity))
{
}

void TraceTableModel::append(const QList<TraceRecord> &records)
{
    if (records.isEmpty())
        return;
    const qsizetype skip = qMax<qsizetype>(0, records.size() - m_capacity);   // only the newest fit
    const int incoming = int(records.size() - skip);
    const int overflow = int(m_records.size()) + incoming - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_records.erase(m_records.begin(), m_records.begin() + overflow);
        endRemoveRows();
    }
    const int first = int(m_records.size());
    beginInsertRows({}, first, first + incoming - 1);
    bool newApi = false;
    for (qsizetype i = skip; i < records.size(); ++i) {
        const TraceRecord &r = records.at(i);
        const QString api = QString::fromUtf8(r.api);
        if (!api.isEmpty() && !m_apis.contains(api)) {
            m_apis.append(api);
            newApi = true;
        }
        m_records.push_back(r);
    }
    endInsertRows();
    // Captures beyond the newest kCapturesKept are let go (no row's display depends on them).
    m_captured = qMin<qsizetype>(m_captured + incoming, qsizetype(m_records.size()));
    while (m_captured > kCapturesKept) {
        TraceRecord &old = m_records[m_records.size() - size_t(m_captured)];
        if (old.capture.present)
            old.capture = TraceCapture();
        --m_captured;
    }
    if (newApi) {
        std::sort(m_apis.begin(), m_apis.end());
        emit apisChanged();
    }
}

void TraceTableModel::clear()
{
    beginResetModel();
    m_records.clear();
    m_captured = 0;
    endResetModel();
}

QStringList TraceTableModel::apis() const
{
    return m_apis;
}

int TraceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_records.size());
}

int TraceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceRecord &r = m_records[size_t(index.row())];
    const double latencyMs = double(r.durationNs) / 1e6;
    switch (role) {
    case StatusRole:
        return r.status;
    case ApiRole:
        return QString::fromUtf8(r.api);
    case SearchRole:
        return QStringList{QString::fromUtf8(r.method), QString::fromUtf8(r.target), QString::fromUtf8(r.route),
                           QString::number(r.status), QString::fromUtf8(r.api), r.caller, r.error,
                           QString::fromUtf8(r.traceId.toHex())}
            .join(u' ');
    case SortRole:
        switch (Column(index.column())) {
        case Time:
            return r.startUnixNs;
        case Status:
            return r.status;
        case LatencyMs:
            return latencyMs;
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == LatencyMs)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Path)
            return QString::fromUtf8(r.target);
        if (index.column() == Status && !r.error.isEmpty())
            return r.error;
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (Column(index.column())) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(r.startUnixNs / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Method:
        return QString::fromUtf8(r.method);
    case Path:
        return QString::fromUtf8(r.target);
    case Status:
        return r.status > 0 ? QString::number(r.status) : tr("—");
    case LatencyMs:
        return QLocale().toString(latencyMs, 'f', latencyMs < 10 ? 2 : 1);
    case Api:
        return QString::fromUtf8(r.api);
    case Caller:
        return r.caller;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TraceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Time: return tr("Time");
    case Method: return tr("Method");
    case Path: return tr("Path");
    case Status: return tr("Status");
    case LatencyMs: return tr("Latency (ms)");
    case Api: return tr("API");
    case Caller: return tr("Caller");
    case ColumnCount: break;
    }
    return {};
}

TraceFilterModel::TraceFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(TraceTableModel::SortRole);
}

void TraceFilterModel::setStatusFilter(StatusFilter filter)
{
    m_status = filter;
    invalidateFilter();
}

void TraceFilterModel::setApi(const QString &api)
{
    m_api = api;
    invalidateFilter();
}

void TraceFilterModel::setSearch(const QString &text)
{
    m_search = text.trimmed();
    invalidateFilter();
}

bool TraceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const int status = index.data(TraceTableModel::StatusRole).toInt();
    switch (m_status) {
    case StatusFilter::All:
        break;
    case StatusFilter::Errors:
        if (status > 0 && status < 400)
            return false;
        break;
    case StatusFilter::Refused:
        if (status != 401 && status != 403 && status != 429)
            return false;
        break;
    case StatusFilter::ClientErrors:
        if (status < 400 || status >= 500)
            return false;
        break;
    case StatusFilter::ServerErrors:
        if (status < 500)
            return false;
        break;
    }
    if (!m_api.isEmpty() && index.data(TraceTableModel::ApiRole).toString() != m_api)
        return false;
    return m_search.isEmpty()
           || index.data(TraceTableModel::SearchRole).toString().contains(m_search, Qt::CaseInsensitive);
}

} // namespace Gatehouse
