// Revoked API keys: the jti of each, one a line in the project's revocation file (keys/revoked.txt),
// effective without a restart.
#pragma once

#include "base/result.h"

#include <QDateTime>
#include <QMutex>
#include <QSet>
#include <QString>

#include <atomic>

namespace Gatehouse {

// Thread-safe. isRevoked() looks at the file at most once a second (one stat) and re-reads it
// when it changed, so `gatehoused key revoke` takes effect within a second. Between those looks,
// and while nothing is revoked, it takes no lock.
class RevocationList
{
public:
    explicit RevocationList(QString path);

    bool isRevoked(const QString &jti) const;

    // Appends `jti` to the file at `path` (created when missing). Refuses characters that would
    // break the one-id-a-line format. Succeeds only once the line reached the file (a full disk is
    // an error, never a silent loss); a line left incomplete by an earlier failure is ended first.
    static Result<void> revoke(const QString &path, const QString &jti);

    static constexpr qint64 kCheckIntervalMs = 1000;

private:
    void reloadIfChanged(qint64 nowMs) const;

    QString m_path;
    mutable QMutex m_mutex;
    mutable QSet<QString> m_revoked;                  // under m_mutex
    mutable std::atomic<qint64> m_count{0};           // m_revoked.size()
    mutable std::atomic<qint64> m_checkedAtMs{-1};    // the last look (CoarseClock ms)
    mutable QDateTime m_modified;
    mutable qint64 m_size = -1;
};

} // namespace Gatehouse
