// RequestHistory: the try-it console's last requests, newest first, kept in memory and in QSettings
// (without secrets: tokens, keys and passwords stay in memory only).
#pragma once

#include "tryitmodel.h"

#include <QDateTime>
#include <QList>
#include <QObject>

namespace Gatehouse {

struct HistoryEntry
{
    TryItRequest request;
    int status = 0;   // 0 = failed or cancelled
    qint64 elapsedMs = 0;
    QDateTime sentAt;
};

class RequestHistory : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 50;
    explicit RequestHistory(QObject *parent = nullptr);

    const QList<HistoryEntry> &entries() const { return m_entries; }
    void add(const HistoryEntry &entry);   // drops the oldest beyond kMaxEntries; saves
    void clear();

    void load();   // from QSettings ("tryit/history")
    void save() const;

    // "GET /petstore/v1/pets  200 · 12 ms": what the history list shows.
    static QString label(const HistoryEntry &entry);

signals:
    void changed();

private:
    QList<HistoryEntry> m_entries;
};

} // namespace Gatehouse
